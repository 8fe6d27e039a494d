//! How a [`TftpServer`] is set up: the listening socket is given (bound by
//! `super::super::listen` per the OS's rules), the rest has defaults.

use async_executor::Executor;
use async_io::Async;
use async_lock::Mutex;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

use super::admission::Admission;
use super::error::Result;
use super::requests::Listener;
use super::{Arrival, Handler, Rejected, ServerConfig, TftpServer};

/// Sets up a [`TftpServer`] on a bound socket.
pub struct TftpServerBuilder<H: Handler> {
    handler: H,
    socket: UdpSocket,
    config: ServerConfig,
    on_rejected: Option<super::RejectHook>,
    accept: Option<super::AcceptHook>,
}

impl<H: Handler> TftpServerBuilder<H> {
    /// A server answering through `handler` on `socket`. Defaults: 3 s
    /// timeout, 100 retries, blksize and windowsize as the client asks, no
    /// cap on transfers.
    pub fn new(handler: H, socket: UdpSocket) -> Self {
        TftpServerBuilder {
            handler,
            socket,
            config: ServerConfig {
                timeout: Duration::from_secs(3),
                block_size_limit: None,
                window_size_limit: None,
                max_send_retries: 100,
                ignore_client_timeout: false,
                max_transfers: None,
            },
            on_rejected: None,
            accept: None,
        }
    }

    /// Retransmit timeout. A client's `timeout` option (RFC 2349) overrides
    /// it unless [`Self::ignore_client_timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// Largest block size granted to a client asking `blksize` (RFC 2348).
    pub fn block_size_limit(mut self, size: u16) -> Self {
        self.config.block_size_limit = Some(size);
        self
    }

    /// Largest window granted to a client asking `windowsize` (RFC 7440).
    pub fn window_size_limit(mut self, window_size: u16) -> Self {
        self.config.window_size_limit = Some(window_size);
        self
    }

    /// Retransmissions of a window before the transfer is given up.
    pub fn max_send_retries(mut self, retries: u32) -> Self {
        self.config.max_send_retries = retries;
        self
    }

    /// Decline the client's `timeout` option (left out of the OACK).
    pub fn ignore_client_timeout(mut self) -> Self {
        self.config.ignore_client_timeout = true;
        self
    }

    /// The most transfers running at once. A request beyond it is answered
    /// with ERROR 0 "busy" from the listening port. An address gets a fair
    /// share of them (`admission`).
    pub fn max_transfers(mut self, max: usize) -> Self {
        self.config.max_transfers = Some(max);
        self
    }

    /// Be told of every datagram on the listening port that starts no
    /// transfer ([`Rejected`]); the hook returns whether to answer it with
    /// an ERROR. Default: every one is answered.
    pub fn on_rejected(
        mut self,
        hook: impl Fn(&SocketAddr, Rejected) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.on_rejected = Some(Arc::new(hook));
        self
    }

    /// Serve only the datagrams `hook` keeps, judged by where they arrived.
    /// The others are reported to [`Self::on_rejected`] as
    /// [`Rejected::Elsewhere`] and never answered. Kept requests are
    /// answered from the address they were sent to, so a server bound to
    /// the wildcard replies from the address the client asked. Where the
    /// system does not report arrivals ([`super::ARRIVAL_KNOWN`] is false)
    /// the hook sees an empty [`Arrival`]. Default: every datagram is served.
    pub fn accept(
        mut self,
        hook: impl Fn(&SocketAddr, &Arrival) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.accept = Some(Arc::new(hook));
        self
    }

    /// The server, ready to [`TftpServer::serve`].
    pub fn build(self) -> Result<TftpServer<H>> {
        let local_ip = self.socket.local_addr()?.ip();
        let socket = Async::new(self.socket)?;
        if self.accept.is_some() {
            super::arrival::enable(&socket)?;
        }
        Ok(TftpServer {
            listener: Arc::new(Listener {
                socket,
                on_rejected: self.on_rejected,
            }),
            handler: Arc::new(Mutex::new(self.handler)),
            admission: Arc::new(Mutex::new(Admission::new(self.config.max_transfers))),
            ex: Executor::new(),
            config: self.config,
            local_ip,
            accept: self.accept,
            transfers: Arc::default(),
        })
    }
}
