//! The TFTP server we run: packets, the listening loop, and read transfers
//! on blocking threads of their own. [`super::TftpService`] drives it with
//! our handler (`super::handler`).
//!
//! It began as async-tftp 0.4.2 by oblique (<https://github.com/oblique/async-tftp-rs>,
//! MIT: see `LICENSE-async-tftp` beside this file), vendored and patched,
//! and became ours when the patches outgrew it (issue 19; ARCHITECTURE.md
//! says why). What it does beyond the published crate:
//! - a client's ERROR ends a read transfer at once, unanswered (`read`);
//! - the handler sees the request's mode and hears how each transfer ended
//!   ([`Outcome`]);
//! - every datagram on the listening port that starts no transfer is
//!   answered (malformed, not a request, over the cap on transfers) and
//!   reported to a hook ([`Rejected`]), from the listening socket;
//! - who may start a transfer (`admission`, issue 20): the cap, a fair
//!   share of it per client address, a request rate per address; a request
//!   is a repeat (dropped) only when the same address and port ask the
//!   same file in the same mode, anything else is a new request;
//! - a transfer's socket is taken before its file is opened, and a process
//!   out of file descriptors answers "busy"; each transfer holds two (its
//!   socket, shared with the list that wakes it at a stop, and its file);
//! - until the client acknowledges a block of data, a timeout resends only
//!   the first block of the window, not the whole window (`read`);
//! - the interface filter: with an accept hook, the loop learns where each
//!   datagram arrived (`arrival`: IP_PKTINFO, IP_RECVDSTADDR + IP_RECVIF)
//!   and a transfer answers from the address the client asked;
//! - each read transfer is a blocking loop on a thread of its own (`read`,
//!   `threads`), on a socket connected to the client, reusing its window's
//!   buffers; a phone's next request waits until its previous transfer,
//!   whose last ACK came first, has ended and been reported;
//! - uploads are never accepted (the write side was left out).
//!
//! The RFCs it follows: 1350 (TFTP), 2347 (options), 2348 (blksize), 2349
//! (timeout, tsize), 7440 (windowsize).

mod admission;
mod arrival;
mod builder;
mod error;
mod handler;
pub mod packet;
mod parse;
mod read;
mod requests;
mod threads;

pub use self::arrival::{ARRIVAL_KNOWN, Arrival};
pub use self::builder::*;

pub use self::handler::*;
pub use self::requests::{AcceptHook, RejectHook, Rejected, TftpServer};
pub(crate) use self::requests::{DEFAULT_BLOCK_SIZE, ServerConfig, out_of_descriptors};
