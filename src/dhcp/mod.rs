//! The bench DHCP server: on one interface, it hands addresses and the TFTP
//! server (options 150 and 66) to Cisco IP phones only, so a laptop, a
//! switch and the phones are a complete conversion bench (docs/boot-sequences.md §8,
//! docs/field-facts.md §4).
//!
//! - [`vendor`]: who is answered (option 60 of a Cisco phone, or a phone of
//!   the session); everyone else gets nothing, reported once per MAC.
//! - [`probe`]: before answering anyone, a DISCOVER from a random MAC; if
//!   another server offers, the server refuses to start (unless forced).
//! - [`pool`]: addresses on the interface's subnet; `leases`: who holds
//!   which, in memory; the same MAC gets the same address again, and what a
//!   packet can change is bounded by what its sender holds (issue 20).
//! - `limits`: DISCOVER/REQUEST per MAC and from new clients, and lines said
//!   at most once a minute, so a flood cannot starve the pool or the log.
//! - [`message`]: packets in and out on dhcproto; anything malformed is dropped.
//! - [`DhcpEvent`]s go to a channel; [`LeaseTable`] folds them for the front ends.
//!
//! ```no_run
//! use convert79xx::dhcp::{DhcpConfig, DhcpServer, LeaseTable, choose_interface};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let config = DhcpConfig::new(choose_interface(Some("eth1"))?);
//! let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
//! let server = DhcpServer::start(config, tx).await?; // probes for ~3 s first
//! let mut leases = LeaseTable::new();
//! while let Some(event) = events.recv().await {
//!     println!("{}", event.to_json());
//!     leases.apply(&event);
//! #   break;
//! }
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod events;
mod leases;
mod limits;
pub mod message;
pub mod pool;
pub mod probe;
mod responder;
mod server;
#[cfg(any(test, feature = "test-support"))]
pub mod sim;
mod socket;
pub mod vendor;

pub use events::{DhcpEvent, Forged, LeaseRow, LeaseTable, ProbeResult};
pub use leases::{DECLINE_REST, DECLINE_WINDOW, OFFER_HOLD};
pub use message::{CLIENT_PORT, SERVER_PORT, ServerAnswer, parse_answer};
pub use pool::{Pool, PoolError};
pub use probe::probe_for_servers;
pub use server::{DhcpConfig, DhcpError, DhcpServer, LEASE_TIME, RunningDhcp, choose_interface};
pub use socket::bind_on_interface;
pub use vendor::{VendorClass, VendorEra};
