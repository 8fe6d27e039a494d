//! Server side implementation.

mod arrival;
mod builder;
mod handler;
mod read_req;
#[allow(clippy::module_inception)]
mod server;
mod transfers;
mod write_req;

pub mod handlers;

pub use self::arrival::{Arrival, ARRIVAL_KNOWN};
pub use self::builder::*;
pub use self::handler::*;
pub use self::server::*;
