use async_executor::Executor;
use async_io::Async;
use async_lock::Mutex;
use log::trace;
use std::collections::HashSet;
use std::future::Future;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

use super::arrival::{self, Arrival};
use super::read_req::*;
use super::transfers::Transfers;
use super::write_req::*;
use super::Handler;
use crate::error::*;
use crate::packet::{Packet, RwReq};

/// TFTP server.
pub struct TftpServer<H>
where
    H: Handler,
{
    pub(crate) socket: Async<UdpSocket>,
    pub(crate) handler: Arc<Mutex<H>>,
    pub(crate) reqs_in_progress: Arc<Mutex<HashSet<SocketAddr>>>,
    pub(crate) ex: Executor<'static>,
    pub(crate) config: ServerConfig,
    pub(crate) local_ip: IpAddr,
    pub(crate) on_rejected: Option<RejectHook>,
    pub(crate) accept: Option<AcceptHook>,
    /// Read transfers on threads of their own (patch 8).
    pub(crate) transfers: Arc<Transfers>,
}

/// Decides, from where it arrived, whether a datagram on the listening
/// port is served at all (patch).
pub type AcceptHook =
    Arc<dyn Fn(&SocketAddr, &Arrival) -> bool + Send + Sync>;

/// Told of every datagram on the listening port that starts no transfer;
/// returns whether to answer it with an ERROR (patch).
pub type RejectHook = Arc<dyn Fn(&SocketAddr, Rejected) -> bool + Send + Sync>;

/// Why a datagram on the listening port started no transfer (patch:
/// upstream drops these silently).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// Not a TFTP packet, or a request that cannot be parsed (a name or
    /// mode without its NUL, an unknown mode). Answered with ERROR 4.
    Malformed,
    /// A well-formed packet that is not a request (DATA, ACK, ERROR, OACK)
    /// sent to the listening port. Answered with ERROR 4.
    NotARequest,
    /// As many transfers as [`TftpServerBuilder::max_transfers`] allows are
    /// running. Answered with ERROR 0 "busy".
    ///
    /// [`TftpServerBuilder::max_transfers`]: super::TftpServerBuilder::max_transfers
    Busy,
    /// The [`TftpServerBuilder::accept`] hook refused it: it arrived on
    /// another interface or for another address. Never answered: the
    /// sender is on a network this server does not serve.
    ///
    /// [`TftpServerBuilder::accept`]: super::TftpServerBuilder::accept
    Elsewhere(Arrival),
}

#[derive(Clone)]
pub(crate) struct ServerConfig {
    pub(crate) timeout: Duration,
    pub(crate) block_size_limit: Option<u16>,
    pub(crate) window_size_limit: Option<u16>,
    pub(crate) max_send_retries: u32,
    pub(crate) ignore_client_timeout: bool,
    pub(crate) ignore_client_block_size: bool,
    pub(crate) ignore_client_window_size: bool,
    pub(crate) max_transfers: Option<usize>,
}

pub(crate) const DEFAULT_BLOCK_SIZE: usize = 512;

impl<H: 'static> TftpServer<H>
where
    H: Handler,
{
    /// Returns the listenning socket address.
    pub fn listen_addr(&self) -> Result<SocketAddr> {
        Ok(self.socket.get_ref().local_addr()?)
    }

    /// Consume and start the server.
    pub async fn serve(self) -> Result<()> {
        self.ex
            .run(async {
                let mut buf = [0u8; 4096];

                loop {
                    // patch: with an accept hook, learn where each datagram
                    // arrived; drop it unless the hook keeps it, and answer
                    // a request from the address it was sent to.
                    let Some(accept) = &self.accept else {
                        let (len, peer) =
                            self.socket.recv_from(&mut buf).await?;
                        let local_ip = self.local_ip;
                        self.handle_req_packet(peer, &buf[..len], local_ip)
                            .await;
                        continue;
                    };
                    let (len, peer, arrival) =
                        arrival::recv(&self.socket, &mut buf).await?;
                    if !accept(&peer, &arrival) {
                        self.reject(peer, Rejected::Elsewhere(arrival)).await;
                        continue;
                    }
                    let local_ip = arrival.reply_from(self.local_ip);
                    self.handle_req_packet(peer, &buf[..len], local_ip).await;
                }
            })
            .await
    }

    async fn handle_req_packet(
        &self,
        peer: SocketAddr,
        data: &[u8],
        local_ip: IpAddr,
    ) {
        // patch: the socket may never run dry (a flood of requests), and
        // a receive that finds a datagram does not yield: let the tasks of
        // earlier requests run, so a phone's request is not queued behind
        // a flood's.
        futures_lite::future::yield_now().await;
        let (req, write) = match Packet::decode(data) {
            Ok(Packet::Rrq(req)) => (req, false),
            Ok(Packet::Wrq(req)) => (req, true),
            Ok(_) => return self.reject(peer, Rejected::NotARequest).await,
            Err(_) => return self.reject(peer, Rejected::Malformed).await,
        };

        // patch: a request is taken here, in the order requests are read:
        // a repeat of one being served (same address and port, upstream's
        // rule) or of one that just ended (`Transfers::is_repeat`) is
        // dropped.
        let asked = std::time::Instant::now();
        let limit = self.config.timeout;
        {
            let mut in_progress = self.reqs_in_progress.lock().await;
            if in_progress.contains(&peer)
                || self.transfers.is_repeat(peer, &req.filename, req.mode, limit)
            {
                return;
            }
            if self
                .config
                .max_transfers
                .is_some_and(|max| in_progress.len() >= max)
            {
                drop(in_progress);
                return self.reject(peer, Rejected::Busy).await;
            }
            in_progress.insert(peer);
        }

        // patch: a read transfer runs on a thread of its own and may still
        // be waiting for this phone's last ACK: the request waits for it to
        // end and be reported (see `transfers.rs`), so the journeys and the
        // ladder read a phone's events in the order it sent its packets. In
        // a task of its own, so other phones' requests do not wait.
        let accepted = Req {
            peer,
            local_ip,
            handler: Arc::clone(&self.handler),
            config: self.config.clone(),
            reqs_in_progress: Arc::clone(&self.reqs_in_progress),
            transfers: Arc::clone(&self.transfers),
            asked,
        };
        self.ex
            .spawn(async move {
                if write {
                    accepted.wrq(req).await
                } else {
                    accepted
                        .transfers
                        .after_finishing(peer.ip(), limit)
                        .await;
                    accepted.rrq(req).await
                }
            })
            .detach();
    }

    /// Reports a datagram that starts no transfer and, unless the hook
    /// says not to, answers it from the listening port (no socket is
    /// opened for it: at the transfer cap none may be left).
    async fn reject(&self, peer: SocketAddr, why: Rejected) {
        trace!("Rejected datagram (peer: {}, why: {:?})", &peer, why);
        let answer = self.on_rejected.as_ref().is_none_or(|hook| hook(&peer, why));
        if !answer {
            return;
        }
        let error = match why {
            Rejected::Malformed | Rejected::NotARequest => {
                crate::packet::Error::IllegalOperation
            }
            Rejected::Busy => crate::packet::Error::Msg(
                "server busy: too many transfers, try again later".into(),
            ),
            Rejected::Elsewhere(_) => return,
        };
        let data = Packet::Error(error).to_bytes();
        let _ = self.socket.send_to(&data[..], peer).await;
    }
}

impl<H: Handler> Drop for TftpServer<H> {
    /// Stops the read transfers running on threads of their own (patch 8).
    fn drop(&mut self) {
        self.transfers.stop_all();
    }
}

/// One accepted request, before its transfer starts.
struct Req<H: Handler> {
    peer: SocketAddr,
    local_ip: IpAddr,
    handler: Arc<Mutex<H>>,
    config: ServerConfig,
    reqs_in_progress: Arc<Mutex<HashSet<SocketAddr>>>,
    transfers: Arc<Transfers>,
    /// When the request was read.
    asked: std::time::Instant,
}

impl<H: Handler + 'static> Req<H> {
    /// Opens the file and starts its transfer on a thread of its own
    /// (patch 8); the thread tells the handler how it ended.
    async fn rrq(self, req: RwReq) {
        trace!("RRQ recieved (peer: {}, req: {:?})", &self.peer, &req);
        let Req { peer, local_ip, handler, config, reqs_in_progress, transfers, asked } = self;
        let limit = config.timeout;
        let opened = async {
            let (reader, size) = handler
                .lock()
                .await
                .read_req_open(&peer, req.filename.as_ref(), req.mode)
                .await
                .map_err(Error::Packet)?;
            let transfer = ReadRequest::init(
                reader,
                size,
                peer,
                &req,
                config,
                local_ip,
                Arc::clone(&transfers),
                asked,
            )?;
            let socket = transfer.socket()?;
            let ended = {
                let handler = Arc::clone(&handler);
                let reqs_in_progress = Arc::clone(&reqs_in_progress);
                let transfers = Arc::clone(&transfers);
                let (file, mode) = (req.filename.clone(), req.mode);
                move || {
                    let ran = transfer.run();
                    let finishing = ran.finishing;
                    match ran.outcome {
                        Some(outcome) => {
                            handler.lock_blocking().read_req_ended(&peer, ran.reader, outcome);
                            if ran.repeat_likely {
                                transfers.ended(peer, &file, mode, limit);
                            }
                        }
                        None => drop(ran.reader),
                    }
                    reqs_in_progress.lock_blocking().remove(&peer);
                    if finishing {
                        transfers.unmark_finishing(peer.ip());
                    }
                }
            };
            transfers.start(socket, ended)?;
            Ok(())
        };
        let started: Result<()> = opened.await;
        if let Err(e) = started {
            failed(e, peer, &reqs_in_progress, local_ip).await;
        }
    }

    async fn wrq(self, req: RwReq) {
        trace!("WRQ recieved (peer: {}, req: {:?})", &self.peer, &req);
        let Req { peer, local_ip, handler, config, reqs_in_progress, .. } = self;
        let req_fut = async move {
            let mut writer = handler
                .lock()
                .await
                .write_req_open(
                    &peer,
                    req.filename.as_ref(),
                    req.opts.transfer_size,
                )
                .await
                .map_err(Error::Packet)?;

            let mut write_req =
                WriteRequest::init(&mut writer, peer, &req, config, local_ip)
                    .await?;

            write_req.handle().await;

            Ok(())
        };
        run_req(req_fut, peer, reqs_in_progress, local_ip).await
    }
}

async fn send_error(
    error: Error,
    peer: SocketAddr,
    local_ip: IpAddr,
) -> Result<()> {
    let addr: SocketAddr = SocketAddr::new(local_ip, 0);
    let socket = Async::<UdpSocket>::bind(addr).map_err(Error::Bind)?;

    let data = Packet::Error(error.into()).to_bytes();
    socket.send_to(&data[..], peer).await?;

    Ok(())
}

async fn run_req(
    req_fut: impl Future<Output = Result<()>>,
    peer: SocketAddr,
    reqs_in_progress: Arc<Mutex<HashSet<SocketAddr>>>,
    local_ip: IpAddr,
) {
    match req_fut.await {
        Err(e) => failed(e, peer, &reqs_in_progress, local_ip).await,
        Ok(()) => {
            reqs_in_progress.lock().await.remove(&peer);
        }
    }
}

/// A request that failed before or instead of its transfer: the client
/// hears why.
async fn failed(
    e: Error,
    peer: SocketAddr,
    reqs_in_progress: &Mutex<HashSet<SocketAddr>>,
    local_ip: IpAddr,
) {
    trace!("Request failed (peer: {}, error: {}", &peer, &e);
    if let Err(e) = send_error(e, peer, local_ip).await {
        trace!("Failed to send error to peer {}: {}", &peer, &e);
    }
    reqs_in_progress.lock().await.remove(&peer);
}
