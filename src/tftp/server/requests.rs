use async_executor::Executor;
use async_io::Async;
use async_lock::Mutex;
use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

use super::Handler;
use super::arrival::{self, Arrival};
use super::error::*;
use super::packet::{Packet, RwReq};
use super::read::*;
use super::threads::Transfers;

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
    /// Read transfers on threads of their own.
    pub(crate) transfers: Arc<Transfers>,
}

/// Decides, from where it arrived, whether a datagram on the listening
/// port is served at all.
pub type AcceptHook = Arc<dyn Fn(&SocketAddr, &Arrival) -> bool + Send + Sync>;

/// Told of every datagram on the listening port that starts no transfer;
/// returns whether to answer it with an ERROR.
pub type RejectHook = Arc<dyn Fn(&SocketAddr, Rejected) -> bool + Send + Sync>;

/// Why a datagram on the listening port started no transfer (async-tftp
/// dropped these silently).
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
    pub(crate) max_transfers: Option<usize>,
}

pub(crate) const DEFAULT_BLOCK_SIZE: usize = 512;

impl<H: 'static> TftpServer<H>
where
    H: Handler,
{
    /// Consume and start the server.
    pub async fn serve(self) -> Result<()> {
        self.ex
            .run(async {
                let mut buf = [0u8; 4096];

                loop {
                    // with an accept hook, learn where each datagram
                    // arrived; drop it unless the hook keeps it, and answer
                    // a request from the address it was sent to.
                    let Some(accept) = &self.accept else {
                        let (len, peer) = self.socket.recv_from(&mut buf).await?;
                        let local_ip = self.local_ip;
                        self.handle_req_packet(peer, &buf[..len], local_ip).await;
                        continue;
                    };
                    let (len, peer, arrival) = arrival::recv(&self.socket, &mut buf).await?;
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

    async fn handle_req_packet(&self, peer: SocketAddr, data: &[u8], local_ip: IpAddr) {
        // the socket may never run dry (a flood of requests), and
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

        // a request is taken here, in the order requests are read:
        // a repeat of one being served (same address and port, upstream's
        // rule) or of one that just ended (`Transfers::is_repeat`) is
        // dropped.
        let asked = std::time::Instant::now();
        let limit = self.config.timeout;
        {
            let mut in_progress = self.reqs_in_progress.lock().await;
            if in_progress.contains(&peer)
                || self
                    .transfers
                    .is_repeat(peer, &req.filename, req.mode, limit)
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

        // a read transfer runs on a thread of its own and may still
        // be waiting for this phone's last ACK: the request waits for it to
        // end and be reported (see `threads.rs`), so the journeys and the
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
                    accepted.transfers.after_finishing(peer.ip(), limit).await;
                    accepted.rrq(req).await
                }
            })
            .detach();
    }

    /// Reports a datagram that starts no transfer and, unless the hook
    /// says not to, answers it from the listening port (no socket is
    /// opened for it: at the transfer cap none may be left).
    async fn reject(&self, peer: SocketAddr, why: Rejected) {
        let answer = self
            .on_rejected
            .as_ref()
            .is_none_or(|hook| hook(&peer, why));
        if !answer {
            return;
        }
        let error = match why {
            Rejected::Malformed | Rejected::NotARequest => super::packet::Error::IllegalOperation,
            Rejected::Busy => {
                super::packet::Error::Msg("server busy: too many transfers, try again later".into())
            }
            Rejected::Elsewhere(_) => return,
        };
        let data = Packet::Error(error).to_bytes();
        let _ = self.socket.send_to(&data[..], peer).await;
    }
}

impl<H: Handler> Drop for TftpServer<H> {
    /// Stops the read transfers running on threads of their own.
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
    /// ; the thread tells the handler how it ended.
    async fn rrq(self, req: RwReq) {
        let Req {
            peer,
            local_ip,
            handler,
            config,
            reqs_in_progress,
            transfers,
            asked,
        } = self;
        let limit = config.timeout;
        let opened = async {
            let (reader, size) = handler
                .lock()
                .await
                .read_req_open(&peer, req.filename.as_ref(), req.mode)
                .await
                .map_err(Error::Packet)?;
            let socket = ReadRequest::<H::Reader>::connect(local_ip, peer)?;
            let transfer = ReadRequest::init(
                reader,
                size,
                socket,
                &req,
                config,
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
                            handler
                                .lock_blocking()
                                .read_req_ended(&peer, ran.reader, outcome);
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

    /// Uploads are never accepted: the handler says why (our change:
    /// upstream could write files).
    async fn wrq(self, req: RwReq) {
        let Req {
            peer,
            local_ip,
            handler,
            reqs_in_progress,
            ..
        } = self;
        let refusal = handler
            .lock()
            .await
            .write_req_refused(&peer, req.filename.as_ref());
        failed(Error::Packet(refusal), peer, &reqs_in_progress, local_ip).await;
    }
}

async fn send_error(error: Error, peer: SocketAddr, local_ip: IpAddr) -> Result<()> {
    let addr: SocketAddr = SocketAddr::new(local_ip, 0);
    let socket = Async::<UdpSocket>::bind(addr).map_err(Error::Bind)?;

    let data = Packet::Error(error.into()).to_bytes();
    socket.send_to(&data[..], peer).await?;

    Ok(())
}

/// A request that failed before or instead of its transfer: the client
/// hears why.
async fn failed(
    e: Error,
    peer: SocketAddr,
    reqs_in_progress: &Mutex<HashSet<SocketAddr>>,
    local_ip: IpAddr,
) {
    let _ = send_error(e, peer, local_ip).await;
    reqs_in_progress.lock().await.remove(&peer);
}
