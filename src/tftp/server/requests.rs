//! The listening loop: each datagram on the TFTP port is read in order,
//! a request is admitted (`admission`) and its transfer started on a
//! thread of its own; anything else is answered and reported.

use async_executor::Executor;
use async_io::Async;
use async_lock::Mutex;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Handler;
use super::admission::{Admission, Admit};
use super::arrival::{self, Arrival};
use super::error::*;
use super::packet::{Mode, Packet, RwReq};
use super::read::*;
use super::threads::Transfers;

/// TFTP server.
pub struct TftpServer<H>
where
    H: Handler,
{
    pub(crate) listener: Arc<Listener>,
    pub(crate) handler: Arc<Mutex<H>>,
    pub(crate) admission: Arc<Mutex<Admission>>,
    pub(crate) ex: Executor<'static>,
    pub(crate) config: ServerConfig,
    pub(crate) local_ip: IpAddr,
    pub(crate) accept: Option<AcceptHook>,
    /// Read transfers on threads of their own.
    pub(crate) transfers: Arc<Transfers>,
}

/// The listening socket and who is told of what it refuses.
pub(crate) struct Listener {
    pub(crate) socket: Async<UdpSocket>,
    pub(crate) on_rejected: Option<RejectHook>,
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
    /// The client's address runs its share of transfers while the server
    /// is more than half full (`admission`). Answered with ERROR 0 "busy".
    AddressBusy,
    /// The client's address sends requests faster than its rate
    /// (`admission`). Answered with ERROR 0 "busy".
    TooFast,
    /// The process has no file descriptor left for the transfer's socket
    /// or its file. Answered with ERROR 0 "busy", from the listening port.
    OutOfDescriptors,
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
                        let received = self.listener.socket.recv_from(&mut buf).await;
                        let Some((len, peer)) = after_icmp_error(received)? else {
                            continue;
                        };
                        let local_ip = self.local_ip;
                        self.handle_req_packet(peer, &buf[..len], local_ip).await;
                        continue;
                    };
                    let received = arrival::recv(&self.listener.socket, &mut buf).await;
                    let Some((len, peer, arrival)) = after_icmp_error(received)? else {
                        continue;
                    };
                    if !accept(&peer, &arrival) {
                        self.listener
                            .reject(peer, Rejected::Elsewhere(arrival))
                            .await;
                        continue;
                    }
                    let local_ip = arrival.reply_from(self.local_ip);
                    self.handle_req_packet(peer, &buf[..len], local_ip).await;
                }
            })
            .await
    }

    async fn handle_req_packet(&self, peer: SocketAddr, data: &[u8], local_ip: IpAddr) {
        // The socket may never run dry (a flood of requests), and a receive
        // that finds a datagram does not yield: let the tasks of earlier
        // requests run, so a phone's request is not queued behind a flood's.
        futures_lite::future::yield_now().await;
        let (req, write) = match Packet::decode(data) {
            Ok(Packet::Rrq(req)) => (req, false),
            Ok(Packet::Wrq(req)) => (req, true),
            Ok(_) => return self.listener.reject(peer, Rejected::NotARequest).await,
            Err(_) => return self.listener.reject(peer, Rejected::Malformed).await,
        };

        // A request is taken here, in the order requests are read. The same
        // file and mode from the same address and port as one being served
        // (`Admission`), or as one that just ended (`Transfers::is_repeat`),
        // is a repeat and dropped; anything else is a new request, admitted
        // or answered "busy".
        let asked = Instant::now();
        let limit = self.config.timeout;
        if self
            .transfers
            .is_repeat(peer, &req.filename, req.mode, limit)
        {
            return;
        }
        let admitted = self
            .admission
            .lock()
            .await
            .admit(peer, &req.filename, req.mode, asked);
        match admitted {
            Admit::Yes => {}
            Admit::Repeat => return,
            Admit::Refused(why) => return self.listener.reject(peer, why).await,
        }

        // A read transfer runs on a thread of its own and may still be
        // waiting for this phone's last ACK: the request waits for it to
        // end and be reported (see `threads.rs`), so the journeys and the
        // ladder read a phone's events in the order it sent its packets. In
        // a task of its own, so other phones' requests do not wait.
        let accepted = Req {
            peer,
            local_ip,
            file: req.filename.clone(),
            mode: req.mode,
            handler: Arc::clone(&self.handler),
            config: self.config.clone(),
            admission: Arc::clone(&self.admission),
            listener: Arc::clone(&self.listener),
            transfers: Arc::clone(&self.transfers),
            asked,
        };
        self.ex
            .spawn(async move {
                if write {
                    accepted.wrq().await
                } else {
                    accepted.transfers.after_finishing(peer.ip(), limit).await;
                    accepted.rrq(req).await
                }
            })
            .detach();
    }
}

/// A receive on the listening socket, with the errors that only report an
/// ICMP message about an earlier send taken as "nothing received". Windows
/// reports a "port unreachable" answer to our reply (a client that sent one
/// packet and closed its port) as WSAECONNRESET on the next receive; taken
/// as an error, it would end the listening loop and the whole server.
fn after_icmp_error<T>(received: std::io::Result<T>) -> std::io::Result<Option<T>> {
    match received {
        Ok(got) => Ok(Some(got)),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::Interrupted
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

impl Listener {
    /// Reports a datagram that starts no transfer and, unless the hook
    /// says not to, answers it from the listening port (no socket is
    /// opened for it: at the transfer cap none may be left).
    pub(crate) async fn reject(&self, peer: SocketAddr, why: Rejected) {
        let answer = self
            .on_rejected
            .as_ref()
            .is_none_or(|hook| hook(&peer, why));
        if !answer {
            return;
        }
        let busy =
            |text: &str| super::packet::Error::Msg(format!("server busy: {text}, try again later"));
        let error = match why {
            Rejected::Malformed | Rejected::NotARequest => super::packet::Error::IllegalOperation,
            Rejected::Busy => busy("too many transfers"),
            Rejected::AddressBusy => busy("too many transfers from your address"),
            Rejected::TooFast => busy("too many requests from your address"),
            Rejected::OutOfDescriptors => busy("out of file descriptors"),
            Rejected::Elsewhere(_) => return,
        };
        self.send(Packet::Error(error), peer).await;
    }

    async fn send(&self, packet: Packet<'_>, peer: SocketAddr) {
        let data = packet.to_bytes();
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
    file: String,
    mode: Mode,
    handler: Arc<Mutex<H>>,
    config: ServerConfig,
    admission: Arc<Mutex<Admission>>,
    listener: Arc<Listener>,
    transfers: Arc<Transfers>,
    /// When the request was read.
    asked: Instant,
}

impl<H: Handler + 'static> Req<H> {
    /// Takes the transfer's socket, opens the file and starts the transfer
    /// on a thread of its own; the thread tells the handler how it ended.
    /// The socket comes first: with no descriptor left the client hears
    /// "busy" from the listening port, and no file is opened for nothing.
    async fn rrq(self, req: RwReq) {
        let socket = match ReadRequest::<H::Reader>::connect(self.local_ip, self.peer) {
            Ok(socket) => Arc::new(socket),
            Err(e) => {
                let why = if out_of_descriptors(&e) {
                    Rejected::OutOfDescriptors
                } else {
                    Rejected::Busy
                };
                self.release().await;
                return self.listener.reject(self.peer, why).await;
            }
        };
        let opened = self
            .handler
            .lock()
            .await
            .read_req_open(&self.peer, req.filename.as_ref(), req.mode)
            .await;
        let (reader, size) = match opened {
            Ok(opened) => opened,
            Err(e) => {
                // From the transfer's socket, as a transfer's first packet.
                let _ = socket.send(&Packet::Error(e).to_bytes());
                return self.release().await;
            }
        };
        let Req {
            peer,
            file,
            mode,
            handler,
            config,
            admission,
            transfers,
            asked,
            ..
        } = self;
        let limit = config.timeout;
        let transfer = ReadRequest::init(
            reader,
            size,
            Arc::clone(&socket),
            &req,
            config,
            Arc::clone(&transfers),
            asked,
        );
        let Ok(transfer) = transfer else {
            // Its reader, dropped, reports the transfer could not start.
            return admission.lock().await.release(peer, &file, mode);
        };
        let ended = {
            let transfers = Arc::clone(&transfers);
            let admission = Arc::clone(&admission);
            let file = file.clone();
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
                admission.lock_blocking().release(peer, &file, mode);
                if finishing {
                    transfers.unmark_finishing(peer.ip());
                }
            }
        };
        if transfers.start(socket, ended).is_err() {
            // The transfer, dropped unrun, reports that it could not start.
            admission.lock().await.release(peer, &file, mode);
        }
    }

    /// Uploads are never accepted: the handler says why (async-tftp could
    /// write files).
    async fn wrq(self) {
        let refusal = self
            .handler
            .lock()
            .await
            .write_req_refused(&self.peer, self.file.as_ref());
        let error = Packet::Error(refusal);
        match UdpSocket::bind(SocketAddr::new(self.local_ip, 0)) {
            Ok(socket) => {
                let _ = socket.send_to(&error.to_bytes(), self.peer);
            }
            Err(_) => self.listener.send(error, self.peer).await,
        }
        self.release().await;
    }

    async fn release(&self) {
        self.admission
            .lock()
            .await
            .release(self.peer, &self.file, self.mode);
    }
}

/// Whether an error is the process (EMFILE) or the system (ENFILE) out of
/// file descriptors.
pub(crate) fn out_of_descriptors(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
    }
    #[cfg(windows)]
    {
        // ERROR_TOO_MANY_OPEN_FILES, WSAEMFILE
        matches!(e.raw_os_error(), Some(4 | 10024))
    }
}
