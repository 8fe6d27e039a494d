//! The built-in TFTP service and what it tells about each phone.
//!
//! [`TftpService`] serves a prepared root read-only on async-tftp, through our
//! own handler ([`policy`] decides what may be served). Every transfer is
//! reported as [`TftpEvent`]s on a channel; [`Journeys`] folds those into
//! one [`PhoneJourney`] per phone for the wizard and the `serve` command.
//!
//! ```no_run
//! use convert79xx::tftp::{Journeys, ServeConfig, StageExpectations, TftpService};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let mut config = ServeConfig::new("/srv/tftp");
//! config.port = 6969; // phones need 69; other ports are for testing
//! let mut service = TftpService::start(config)?; // inside a tokio runtime
//! let mut events = service.take_events().expect("first take");
//! let mut journeys = Journeys::new(Some(StageExpectations::from_root("/srv/tftp".as_ref())?));
//! while let Some(event) = events.recv().await {
//!     journeys.apply(&event);
//!     for phone in journeys.phones() {
//!         println!("{}: {}", phone.label(), phone.phase.describe());
//!     }
//! #   break;
//! }
//! service.shutdown().await;
//! # Ok(())
//! # }
//! ```

pub mod client;
mod events;
mod handler;
mod journey;
pub mod names;
pub mod policy;
mod service;
pub mod sim;

pub use events::{REJECTED_EVERY, TftpEvent, TransferMode, log_safe};
pub use handler::{MAX_FILE_BYTES, TransferReader};
pub use journey::{FileFailure, Journeys, Phase, PhoneJourney, StageExpectations};
pub use names::{FileKind, classify, mac_in_file_name};
pub use service::{RunningService, ServeConfig, ServeError, TFTP_PORT, TftpService, bind_error};
