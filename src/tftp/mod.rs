//! The built-in TFTP service and what it tells about each phone.
//!
//! [`TftpService`] serves a prepared root read-only on async-tftp, through our
//! own handler ([`policy`] decides what may be served). Every transfer is
//! reported as [`TftpEvent`]s on a channel; [`Journeys`] folds those into
//! one [`PhoneJourney`] per phone for the wizard and the `serve` command.

pub mod client;
mod events;
mod handler;
mod journey;
pub mod names;
pub mod policy;
mod service;
pub mod sim;

pub use events::TftpEvent;
pub use handler::TransferReader;
pub use journey::{FileFailure, Journeys, Phase, PhoneJourney, StageExpectations};
pub use names::{FileKind, classify, mac_in_file_name};
pub use service::{RunningService, ServeConfig, ServeError, TFTP_PORT, TftpService, bind_error};
