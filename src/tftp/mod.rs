//! The built-in TFTP service and what it tells about each phone.
//!
//! [`TftpService`] serves a prepared root read-only on our TFTP server
//! (`server`, which began as async-tftp), through our own handler
//! ([`policy`] decides what may be served). Every transfer is reported as
//! a [`TftpEvent`]. A [`Monitor`] folds those into one [`PhoneJourney`]
//! per phone, judged against the [`StageExpectations`] the
//! root's manifest gives, and words the log once for every front end: the
//! `serve` command and the wizard only print or draw its [`Update`]s.
//!
//! ```no_run
//! use convert79xx::tftp::{LogFormat, Monitor, Pace, ServeConfig, StageExpectations, Update};
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
//!         Update::Phones(_) => {} // sent with Pace::VIEW, for a window
//!         Update::Stopped => break,
//!     }
//! }
//! # Ok(())
//! # }
//! ```

#[cfg(any(test, feature = "test-support"))]
pub mod client;
mod events;
mod expectations;
mod handler;
mod hint;
mod journey;
mod ladder;
mod listen;
mod monitor;
pub mod names;
pub mod policy;
mod refusals;
mod server;
mod service;
#[cfg(any(test, feature = "test-support"))]
pub mod sim;

pub use events::{REJECTED_EVERY, TftpEvent, TransferMode, log_safe};
pub use expectations::{StageExpectations, StagePosition};
pub use handler::{Answer, Answers, MAX_FILE_BYTES, TransferReader};
pub use hint::Hint;
pub use journey::{FileFailure, FileProgress, Journeys, LadderProgress, Phase, PhoneJourney};
pub use ladder::{
    How, Ladder, LadderView, Position, RouteView, STATE_NAME, SharedLadder, StageDone,
};
pub use listen::Keep;
pub use monitor::{Input, LogFormat, Monitor, Pace, Serving, Update};
pub use names::{FileKind, classify, mac_in_file_name};
pub use service::{RunningService, ServeConfig, ServeError, TFTP_PORT, TftpService, bind_error};
