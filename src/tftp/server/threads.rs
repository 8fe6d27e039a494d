//! Read transfers on threads of their own.
//!
//! Each read transfer runs a blocking loop on its own thread: send a block,
//! wait for its ACK with a receive timeout, read the next block. That is
//! three system calls a block and no reactor, and a busy machine's
//! scheduler gives every transfer its share of the CPU as it does to the
//! forked children of in.tftpd; one protocol thread got one share for all
//! of them. The listening socket stays on the executor.
//!
//! Two things the single thread gave for free are kept here:
//! - a phone's last ACK is handled before its next request: a transfer is
//!   marked *finishing* before its last block leaves, and a request from
//!   the same address waits until that transfer has ended and told the
//!   handler (bounded by the transfer timeout);
//! - stopping the server stops every transfer: each waiting one is woken
//!   by shutting its socket, and the server joins them all.

use async_io::Timer;
use event_listener::Event;
use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Shutdown, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::packet::Mode;

/// Stack of a transfer thread: the loop keeps its buffers on the heap.
const STACK: usize = 256 * 1024;

/// The running read transfers.
#[derive(Default)]
pub(crate) struct Transfers {
    stopping: AtomicBool,
    next_id: AtomicU64,
    inner: Mutex<Inner>,
    /// Notified whenever a finishing transfer ends.
    ended: Event,
}

#[derive(Default)]
struct Inner {
    /// Each running thread, with a handle on its socket (to wake it).
    threads: HashMap<u64, (JoinHandle<()>, Arc<UdpSocket>)>,
    /// Finishing transfers by client address.
    finishing: HashMap<IpAddr, usize>,
    /// The last transfer that ended for each client address and port: the
    /// file, the mode, and when.
    recent: HashMap<SocketAddr, (String, Mode, Instant)>,
}

impl Transfers {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        // A panicking transfer thread must not take the others with it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the server is stopping: a transfer ends at its next wake-up.
    pub(crate) fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }

    /// Runs `transfer` on a thread of its own. `socket` is a handle on the
    /// transfer's socket (to wake it when the server stops).
    pub(crate) fn start(
        self: &Arc<Self>,
        socket: Arc<UdpSocket>,
        transfer: impl FnOnce() + Send + 'static,
    ) -> io::Result<()> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let this = Arc::clone(self);
        // Held across the spawn, so the thread cannot deregister before it
        // is registered.
        let mut inner = self.inner();
        let handle = std::thread::Builder::new()
            .name("tftp-transfer".into())
            .stack_size(STACK)
            .spawn(move || {
                transfer();
                this.inner().threads.remove(&id);
            })?;
        inner.threads.insert(id, (handle, socket));
        Ok(())
    }

    /// A transfer from `client` has read its whole file: its last block
    /// is about to leave.
    pub(crate) fn mark_finishing(&self, client: IpAddr) {
        *self.inner().finishing.entry(client).or_default() += 1;
    }

    /// A transfer marked finishing has ended and told the handler.
    pub(crate) fn unmark_finishing(&self, client: IpAddr) {
        let mut inner = self.inner();
        if let Some(n) = inner.finishing.get_mut(&client) {
            *n -= 1;
            if *n == 0 {
                inner.finishing.remove(&client);
            }
        }
        drop(inner);
        self.ended.notify(usize::MAX);
    }

    /// A transfer to `client` of `file` ended (not stopped) after its
    /// first block was sent again or acknowledged late: the client may
    /// have repeated its request meanwhile.
    pub(crate) fn ended(&self, client: SocketAddr, file: &str, mode: Mode, within: Duration) {
        let mut inner = self.inner();
        let now = Instant::now();
        if inner.recent.len() >= 256 {
            inner
                .recent
                .retain(|_, (_, _, at)| now.duration_since(*at) < within);
        }
        inner.recent.insert(client, (file.to_owned(), mode, now));
    }

    /// Whether a request is a repeat of one whose transfer ended less than
    /// `within` ago: the same file in the same mode from the same address
    /// and port, after a transfer that was slow to start ([`Self::ended`]).
    /// A repeat that came before the transfer's last ACK may still be read
    /// after it (the ACK is read on the transfer's thread); served, the
    /// client would refuse it and the log would show a failure after the
    /// success. A new request comes from a new port (RFC 1350: a new
    /// transfer identifier), or after `within`, and is served.
    pub(crate) fn is_repeat(
        &self,
        client: SocketAddr,
        file: &str,
        mode: Mode,
        within: Duration,
    ) -> bool {
        self.inner()
            .recent
            .get(&client)
            .is_some_and(|(f, m, at)| f == file && *m == mode && at.elapsed() < within)
    }

    fn is_finishing(&self, client: IpAddr) -> bool {
        self.inner().finishing.contains_key(&client)
    }

    /// Waits, at most `limit`, until no transfer from `client` is
    /// finishing: its last ACK came before this request.
    pub(crate) async fn after_finishing(&self, client: IpAddr, limit: Duration) {
        if !self.is_finishing(client) {
            return;
        }
        let deadline = Instant::now() + limit;
        loop {
            let listener = self.ended.listen();
            if !self.is_finishing(client) || Instant::now() >= deadline {
                return;
            }
            futures_lite::future::or(listener, async {
                Timer::at(deadline).await;
            })
            .await;
        }
    }

    /// Stops every transfer and waits for their threads. A stopped
    /// transfer does not tell the handler how it ended; its reader is
    /// dropped.
    pub(crate) fn stop_all(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        let threads: Vec<_> = self.inner().threads.drain().collect();
        if threads.is_empty() {
            return;
        }
        for (_, (_, socket)) in &threads {
            // Wakes a blocked receive (Linux, macOS); elsewhere the
            // transfer ends within its longest wait (`MAX_WAIT`).
            let _ = socket2::SockRef::from(&**socket).shutdown(Shutdown::Both);
        }
        for (_, (handle, _)) in threads {
            let _ = handle.join();
        }
    }
}
