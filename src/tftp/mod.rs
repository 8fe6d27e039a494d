//! The built-in TFTP service: the protocol side of serving.
//!
//! [`TftpService`] serves a prepared root read-only on our TFTP server
//! (`server`, which began as async-tftp), through our own handler
//! ([`policy`] decides what may be served, [`names`] reads what a file name
//! says). Every transfer is reported as a [`TftpEvent`]; before opening a
//! file the handler asks an [`Answers`] hook which folder answers that
//! phone. What those events mean for each phone (journeys, the stage
//! ladder, the log's words) is [`crate::phones`]' business; nothing here
//! imports it.
//!
//! ```no_run
//! use convert79xx::phones::{LogFormat, Monitor, Pace, StageExpectations, Update};
//! use convert79xx::tftp::ServeConfig;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let root = std::path::Path::new("/srv/tftp");
//! let (stage, warnings) = StageExpectations::read_root(root)?;
//! let mut config = ServeConfig::new(root);
//! config.port = 6969; // phones need 69; other ports are for testing
//! for w in warnings {
//!     eprintln!("warning: {w}");
//! }
//! // inside a tokio runtime
//! let (serving, mut updates) = Monitor::new(stage, LogFormat::Text).serve(config, Pace::LOG)?;
//! // Dropping (or stopping) `serving` stops the service; the summary follows.
//! tokio::spawn(async move {
//!     let _ = tokio::signal::ctrl_c().await;
//!     drop(serving);
//! });
//! while let Some(update) = updates.recv().await {
//!     match update {
//!         Update::Lines(lines) => lines.iter().for_each(|l| println!("{l}")),
//!         Update::Phones(_) | Update::Dhcp(_) => {} // sent with Pace::VIEW, for a window
//!         Update::Stopped => break,
//!     }
//! }
//! # Ok(())
//! # }
//! ```

#[cfg(any(test, feature = "test-support"))]
pub mod client;
mod events;
mod folder;
mod handler;
mod listen;
pub mod names;
pub mod policy;
mod refusals;
mod server;
mod service;
#[cfg(any(test, feature = "test-support"))]
pub mod sim;

pub use crate::host::TFTP_PORT;
pub use events::{FailReason, REJECTED_EVERY, TftpEvent, TransferMode, log_safe};
pub use folder::refuse_folder;
pub use handler::{Answer, Answers, MAX_FILE_BYTES, TransferReader};
pub use listen::Keep;
pub use names::{FileKind, classify, mac_in_file_name};
pub use service::{RunningService, ServeConfig, ServeError, TftpService, bind_error};

/// How many phones one server keeps state for (journeys, per-address
/// bookkeeping): a bound on memory whatever floods the port.
pub const MAX_PHONES: usize = 4096;
