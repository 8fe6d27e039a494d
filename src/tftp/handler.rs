//! Our async-tftp `Handler`: the path policy in front of the root, files
//! shared in memory between concurrent transfers, and a reader that reports
//! every transfer as events.
//!
//! async-tftp tells its handler nothing after `read_req_open`. What it does
//! do: it reads the file block by block just before sending each block, and
//! drops the reader as soon as the transfer ends, either after the last ACK or
//! after its retries run out (it ignores a client's ERROR packet, upstream
//! issue #18, so an abort also ends in that timeout). So a reader that reached
//! the end and is dropped sooner than a give-up would take means the last
//! block was acknowledged; anything else is a failure.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use async_tftp::packet;
use futures_lite::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc::UnboundedSender;

use super::events::TftpEvent;
use super::names::mac_in_file_name;
use super::policy::{Resolution, resolve};
use crate::model::Mac;

/// Files are held in memory while served; phone files are about 1 MB, so
/// anything past this is refused rather than read.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Which file answers a request, when that depends on who asks (issue 10:
/// each phone is answered from its own stage's folder). The handler asks
/// before it opens anything, and shows it every event it reports.
pub trait Answers: Send + Sync + std::fmt::Debug {
    /// Where `requested` from `client` is answered from, and events to
    /// report before the request's own.
    fn answer(&self, client: SocketAddr, requested: &str) -> (Answer, Vec<TftpEvent>);
    /// Sees an event before it is reported; returns events to report after it.
    fn saw(&self, event: &TftpEvent) -> Vec<TftpEvent>;
}

/// Where a request is answered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// This name, relative to the root (the path policy applies to it).
    From(String),
    /// Refused, for this reason.
    Refuse(String),
}

/// State shared by the handler and every open transfer.
pub(crate) struct Shared {
    /// Canonical root.
    pub root: PathBuf,
    pub events: UnboundedSender<TftpEvent>,
    /// A reader dropped at EOF within this long after reaching it was acknowledged.
    pub settle: Duration,
    /// Least time between two progress events of one transfer.
    pub progress_every: Duration,
    /// Set once shutdown begins: transfers cut by it are `stopped`, not `timeout`.
    pub stopping: AtomicBool,
    pub runtime: tokio::runtime::Handle,
    cache: Mutex<HashMap<PathBuf, Cached>>,
    phones: Mutex<HashMap<IpAddr, Mac>>,
    /// Per-phone answers, when the root holds a ladder.
    pub answers: Option<std::sync::Arc<dyn Answers>>,
}

/// A file's bytes, kept only while some transfer holds them: 100 phones
/// fetching the same image share one copy.
struct Cached {
    len: u64,
    modified: Option<SystemTime>,
    bytes: Weak<[u8]>,
}

impl Shared {
    pub fn new(
        root: PathBuf,
        events: UnboundedSender<TftpEvent>,
        settle: Duration,
        progress_every: Duration,
        runtime: tokio::runtime::Handle,
    ) -> Self {
        Shared {
            root,
            events,
            settle,
            progress_every,
            stopping: AtomicBool::new(false),
            runtime,
            cache: Mutex::new(HashMap::new()),
            phones: Mutex::new(HashMap::new()),
            answers: None,
        }
    }

    fn emit(&self, event: TftpEvent) {
        let more = match &self.answers {
            Some(a) => a.saw(&event),
            None => vec![],
        };
        // No receiver left means nobody is listening; serving goes on.
        let _ = self.events.send(event);
        for e in more {
            let _ = self.events.send(e);
        }
    }

    /// The file's bytes, from memory if a transfer already holds the same version.
    fn load(&self, path: &Path) -> io::Result<Arc<[u8]>> {
        let meta = std::fs::metadata(path)?;
        let modified = meta.modified().ok();
        {
            let cache = self.cache.lock().expect("cache lock");
            if let Some(c) = cache.get(path)
                && c.len == meta.len()
                && c.modified == modified
                && let Some(bytes) = c.bytes.upgrade()
            {
                return Ok(bytes);
            }
        }
        let bytes: Arc<[u8]> = std::fs::read(path)?.into();
        let mut cache = self.cache.lock().expect("cache lock");
        cache.retain(|_, c| c.bytes.strong_count() > 0);
        cache.insert(
            path.to_path_buf(),
            Cached {
                len: bytes.len() as u64,
                modified,
                bytes: Arc::downgrade(&bytes),
            },
        );
        Ok(bytes)
    }

    /// Reports `phone` the first time an IP asks for a file naming a MAC
    /// (or a different MAC than before).
    fn note_phone(&self, client: SocketAddr, requested: &str) {
        let Some(mac) = mac_in_file_name(requested) else {
            return;
        };
        let new = {
            let mut phones = self.phones.lock().expect("phones lock");
            phones.insert(client.ip(), mac) != Some(mac)
        };
        if new {
            self.emit(TftpEvent::Phone { client, mac });
        }
    }

    /// Everything `read_req_open` does, on a blocking thread (it touches the disk).
    fn open(self: &Arc<Self>, client: SocketAddr, requested: String) -> OpenResult {
        self.note_phone(client, &requested);
        let lookup = match &self.answers {
            None => requested.clone(),
            Some(a) => {
                let (answer, events) = a.answer(client, &requested);
                for e in events {
                    self.emit(e);
                }
                match answer {
                    Answer::From(name) => name,
                    Answer::Refuse(reason) => {
                        self.emit(TftpEvent::Denied {
                            client,
                            file: requested,
                            reason,
                        });
                        return Err(packet::Error::PermissionDenied);
                    }
                }
            }
        };
        let file = match resolve(&self.root, &lookup) {
            Resolution::Found(f) => f,
            Resolution::NotFound => {
                self.emit(TftpEvent::NotFound {
                    client,
                    file: requested,
                });
                return Err(packet::Error::FileNotFound);
            }
            Resolution::Denied(reason) => {
                self.emit(TftpEvent::Denied {
                    client,
                    file: requested,
                    reason,
                });
                return Err(packet::Error::PermissionDenied);
            }
        };
        if let Ok(meta) = std::fs::metadata(&file.path)
            && meta.len() > MAX_FILE_BYTES
        {
            self.emit(TftpEvent::Denied {
                client,
                file: requested,
                reason: format!(
                    "{} bytes is more than any phone file ({} MiB at most are served)",
                    meta.len(),
                    MAX_FILE_BYTES >> 20
                ),
            });
            return Err(packet::Error::PermissionDenied);
        }
        let bytes = match self.load(&file.path) {
            Ok(b) => b,
            Err(e) => {
                self.emit(TftpEvent::Failed {
                    client,
                    file: requested,
                    bytes: 0,
                    reason: format!("disk: {e}"),
                });
                return Err(packet::Error::Msg(
                    "the server could not read this file".into(),
                ));
            }
        };
        let size = bytes.len() as u64;
        let served = (file.name != requested).then(|| file.name.clone());
        self.emit(TftpEvent::Request {
            client,
            file: requested.clone(),
            served,
            size,
        });
        Ok((
            TransferReader {
                data: bytes,
                pos: 0,
                shared: Arc::clone(self),
                client,
                file: requested,
                last_progress: Instant::now(),
                eof_at: None,
            },
            Some(size),
        ))
    }
}

type OpenResult = Result<(TransferReader, Option<u64>), packet::Error>;

/// The handler async-tftp calls for each request.
pub(crate) struct RootHandler {
    pub shared: Arc<Shared>,
}

impl async_tftp::server::Handler for RootHandler {
    type Reader = TransferReader;
    type Writer = Refused;

    async fn read_req_open(
        &mut self,
        client: &SocketAddr,
        path: &Path,
    ) -> Result<(Self::Reader, Option<u64>), packet::Error> {
        let shared = Arc::clone(&self.shared);
        let client = *client;
        let requested = path.to_string_lossy().into_owned();
        let job = self
            .shared
            .runtime
            .spawn_blocking(move || shared.open(client, requested));
        job.await.unwrap_or(Err(packet::Error::UnknownError))
    }

    async fn write_req_open(
        &mut self,
        client: &SocketAddr,
        path: &Path,
        _size: Option<u64>,
    ) -> Result<Self::Writer, packet::Error> {
        self.shared.emit(TftpEvent::Denied {
            client: *client,
            file: path.to_string_lossy().into_owned(),
            reason: "read-only: this server never accepts uploads".into(),
        });
        Err(packet::Error::PermissionDenied)
    }
}

/// Hands one file to async-tftp and reports the transfer as it goes.
pub struct TransferReader {
    data: Arc<[u8]>,
    pos: usize,
    shared: Arc<Shared>,
    client: SocketAddr,
    file: String,
    last_progress: Instant,
    eof_at: Option<Instant>,
}

impl AsyncRead for TransferReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let rest = &this.data[this.pos..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        this.pos += n;
        if n == 0 && !buf.is_empty() && this.eof_at.is_none() {
            this.eof_at = Some(Instant::now());
        }
        if n > 0 && this.last_progress.elapsed() >= this.shared.progress_every {
            this.last_progress = Instant::now();
            this.shared.emit(TftpEvent::Progress {
                client: this.client,
                file: this.file.clone(),
                bytes: this.pos as u64,
                size: this.data.len() as u64,
            });
        }
        Poll::Ready(Ok(n))
    }
}

impl Drop for TransferReader {
    fn drop(&mut self) {
        let client = self.client;
        let file = std::mem::take(&mut self.file);
        let bytes = self.pos as u64;
        let acknowledged = self
            .eof_at
            .is_some_and(|t| t.elapsed() < self.shared.settle);
        let event = if acknowledged {
            TftpEvent::Done {
                client,
                file,
                bytes,
            }
        } else {
            let reason = if self.shared.stopping.load(Ordering::SeqCst) {
                "stopped"
            } else {
                "timeout"
            };
            TftpEvent::Failed {
                client,
                file,
                bytes,
                reason: reason.into(),
            }
        };
        self.shared.emit(event);
    }
}

/// Uploads are never accepted; this writer is never built.
pub struct Refused;

impl AsyncWrite for Refused {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
        Poll::Ready(Err(io::ErrorKind::PermissionDenied.into()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
