//! Our server's `Handler`: the path policy in front of the root, files
//! served from the handle the policy opened, and a reader that reports
//! every transfer as events.
//!
//! Each transfer reads its blocks from its own open handle with positioned
//! reads: nothing is cached, so memory does not grow with file size, and
//! what is served is always the file as it is on disk now (a rewrite is
//! seen at once; the page cache already shares one file among many phones).
//! The opens and the reads run on the protocol thread: the open is a few
//! system calls, and a read of one block from the page cache is cheaper
//! than a hop to another thread.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use super::server::packet::{self, Mode};
use super::server::{Outcome, Rejected};
use futures_lite::AsyncRead;
use tokio::sync::mpsc::UnboundedSender;

use super::events::{TftpEvent, TransferMode};
use super::names::mac_in_file_name;
use super::policy::{Resolution, Root};
use super::refusals::Refusals;
use crate::model::Mac;

/// Anything past this is refused: phone files are a few MB at most, so a
/// bigger file in the root is a mistake (a disk image dropped in), not
/// something to send a phone at 512 bytes a packet.
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
    /// "File not found", whatever the root holds (no phone could be told
    /// which of several different files is its own).
    NotFound,
    /// Refused, for this reason.
    Refuse(crate::msg::Msg),
}

/// Addresses remembered to report each phone once ([`TftpEvent::Phone`]):
/// far more than a bench holds.
const MAX_PHONE_ADDRESSES: usize = 4 * crate::tftp::MAX_PHONES;

/// State shared by the handler and every open transfer.
pub(crate) struct Shared {
    /// The root, held open.
    pub root: Root,
    pub events: UnboundedSender<TftpEvent>,
    /// Least time between two progress events of one transfer.
    pub progress_every: Duration,
    /// Set once shutdown begins: transfers cut by it are `stopped`.
    pub stopping: AtomicBool,
    /// Transfers that have read their whole file and wait only for the
    /// phone's last ACK: a graceful stop gives them a moment to finish.
    pub finishing: AtomicUsize,
    phones: Mutex<HashMap<IpAddr, Mac>>,
    /// Per-phone answers, when the root holds a ladder.
    pub answers: Option<std::sync::Arc<dyn Answers>>,
    /// The served interface, when one was chosen: says why a datagram
    /// for another was dropped.
    pub keep: Option<super::listen::Keep>,
    /// How often refusals are logged.
    refusals: Refusals,
}

impl Shared {
    pub fn new(root: Root, events: UnboundedSender<TftpEvent>, progress_every: Duration) -> Self {
        Shared {
            root,
            events,
            progress_every,
            stopping: AtomicBool::new(false),
            finishing: AtomicUsize::new(0),
            phones: Mutex::new(HashMap::new()),
            answers: None,
            keep: None,
            refusals: Refusals::default(),
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

    /// Reports `phone` the first time an IP asks for a file naming a MAC
    /// (or a different MAC than before).
    fn note_phone(&self, client: SocketAddr, requested: &str) {
        let Some(mac) = mac_in_file_name(requested) else {
            return;
        };
        let new = {
            let mut phones = self.phones.lock().expect("phones lock");
            if phones.len() >= MAX_PHONE_ADDRESSES && !phones.contains_key(&client.ip()) {
                // Spoofed sources must not grow this without end: the
                // addresses seen so far are forgotten (they are only there
                // to say each phone once) and counting starts again.
                phones.clear();
            }
            phones.insert(client.ip(), mac) != Some(mac)
        };
        if new {
            self.emit(TftpEvent::Phone { client, mac });
        }
    }

    /// A datagram that started no transfer: reported at most once per
    /// [`super::REJECTED_EVERY`] per IP, with how many came, and within the
    /// overall limit of [`Refusals`]. Always answered (the ERROR is no
    /// bigger than what provoked it).
    pub fn rejected(&self, client: SocketAddr, why: Rejected) -> bool {
        let reason = || match why {
            Rejected::Malformed => "malformed packet (answered: illegal operation)".into(),
            Rejected::NotARequest => "not a request (answered: illegal operation)".into(),
            Rejected::Busy => "too many transfers at once (answered: busy)".into(),
            Rejected::AddressBusy => {
                "too many transfers from this address at once (answered: busy)".into()
            }
            Rejected::TooFast => "too many requests from this address (answered: busy)".into(),
            Rejected::OutOfDescriptors => {
                "no file descriptor left for a transfer (answered: busy)".into()
            }
            Rejected::Elsewhere(arrival) => match &self.keep {
                Some(keep) => keep.why_dropped(&arrival),
                None => "for another interface (dropped, not answered)".to_string(),
            },
        };
        self.report_rejected(client, reason);
        true
    }

    fn report_rejected(&self, client: SocketAddr, reason: impl FnOnce() -> String) {
        let (count, warning) = self.refusals.rejected(client.ip(), Instant::now());
        if let Some(text) = warning {
            self.emit(TftpEvent::Warning { text });
        }
        if let Some(count) = count {
            self.emit(TftpEvent::Rejected {
                client,
                reason: reason(),
                count,
            });
        }
    }

    /// A refused request: the ladder sees every one (it counts a phone's
    /// attempts); the log, at most [`super::refusals::DENIED_PER_ADDRESS`] per address and
    /// the overall limit of [`Refusals`].
    fn denied(&self, client: SocketAddr, file: String, reason: crate::msg::Msg) {
        let (say, warning) = self.refusals.denied(client.ip(), Instant::now());
        if let Some(text) = warning {
            self.emit(TftpEvent::Warning { text });
        }
        let event = TftpEvent::Denied {
            client,
            file,
            reason,
        };
        if say {
            return self.emit(event);
        }
        if let Some(a) = &self.answers {
            for e in a.saw(&event) {
                let _ = self.events.send(e);
            }
        }
    }

    /// Says what the log has not said yet, when serving stops.
    pub fn flush_refusals(&self) {
        if let Some(text) = self.refusals.flush() {
            self.emit(TftpEvent::Warning { text });
        }
    }

    /// Everything `read_req_open` does.
    fn open(self: &Arc<Self>, client: SocketAddr, requested: String, mode: Mode) -> OpenResult {
        // With per-phone answers, which phone asks is theirs to say (a
        // MAC in a name is a claim, not an identity: issue 20).
        if self.answers.is_none() {
            self.note_phone(client, &requested);
        }
        let mode = match mode {
            Mode::Octet => TransferMode::Octet,
            Mode::Netascii => TransferMode::Netascii,
            Mode::Mail => {
                self.denied(
                    client,
                    requested,
                    crate::msg!(
                        "tftp.refused.mail",
                        "mode 'mail' is not supported: ask for octet (binary) mode"
                    ),
                );
                return Err(packet::Error::Msg(
                    "mode mail is not supported: use octet".into(),
                ));
            }
        };
        let lookup = match &self.answers {
            None => requested.clone(),
            Some(a) => {
                let (answer, events) = a.answer(client, &requested);
                for e in events {
                    self.emit(e);
                }
                match answer {
                    Answer::From(name) => name,
                    Answer::NotFound => {
                        self.emit(TftpEvent::NotFound {
                            client,
                            file: requested,
                        });
                        return Err(packet::Error::FileNotFound);
                    }
                    Answer::Refuse(reason) => {
                        self.denied(client, requested, reason);
                        return Err(packet::Error::PermissionDenied);
                    }
                }
            }
        };
        let opened = match self.root.open_file(&lookup) {
            Resolution::Found(f) => f,
            Resolution::NotFound => {
                self.emit(TftpEvent::NotFound {
                    client,
                    file: requested,
                });
                return Err(packet::Error::FileNotFound);
            }
            Resolution::Denied(reason) => {
                self.denied(client, requested, reason);
                return Err(packet::Error::PermissionDenied);
            }
            Resolution::OutOfDescriptors => {
                self.report_rejected(client, || {
                    "no file descriptor left to open a file (answered: busy)".into()
                });
                return Err(packet::Error::Msg(
                    "server busy: out of file descriptors, try again later".into(),
                ));
            }
        };
        if opened.len > MAX_FILE_BYTES {
            self.denied(
                client,
                requested,
                crate::msg!(
                    "tftp.refused.too_big",
                    "{size} bytes is more than any phone file ({max} MiB at most are served)",
                    size = opened.len,
                    max = MAX_FILE_BYTES >> 20,
                ),
            );
            return Err(packet::Error::PermissionDenied);
        }
        let size = opened.len;
        let served = (opened.name != requested).then(|| opened.name.clone());
        self.emit(TftpEvent::Request {
            client,
            file: requested.clone(),
            served,
            size,
            mode,
        });
        let reader = TransferReader {
            file: opened.file,
            size,
            pos: 0,
            netascii: mode == TransferMode::Netascii,
            pending: None,
            shared: Arc::clone(self),
            client,
            name: requested,
            last_progress: Instant::now(),
            ended: false,
            finishing: false,
        };
        // netascii grows the file by an amount not known before reading it
        // all: no `tsize` for it (RFC 2349 allows leaving it out).
        Ok((reader, (mode == TransferMode::Octet).then_some(size)))
    }
}

type OpenResult = Result<(TransferReader, Option<u64>), packet::Error>;

/// The handler the server (`super::server`) calls for each request.
pub(crate) struct RootHandler {
    pub shared: Arc<Shared>,
}

impl super::server::Handler for RootHandler {
    type Reader = TransferReader;

    async fn read_req_open(
        &mut self,
        client: &SocketAddr,
        path: &Path,
        mode: Mode,
    ) -> Result<(Self::Reader, Option<u64>), packet::Error> {
        let requested = path.to_string_lossy().into_owned();
        self.shared.open(*client, requested, mode)
    }

    fn write_req_refused(&mut self, client: &SocketAddr, path: &Path) -> packet::Error {
        self.shared.denied(
            *client,
            path.to_string_lossy().into_owned(),
            crate::msg!(
                "tftp.refused.read_only",
                "read-only: this server never accepts uploads"
            ),
        );
        packet::Error::PermissionDenied
    }

    fn read_req_ended(
        &mut self,
        _client: &SocketAddr,
        mut reader: TransferReader,
        outcome: Outcome,
    ) {
        let reason = match outcome {
            Outcome::Done => None,
            Outcome::TimedOut => Some("timeout".to_string()),
            Outcome::ClientError(e) => Some(format!("aborted: {}", client_message(&e))),
            Outcome::Failed(why) => Some(format!("network: {why}")),
        };
        reader.end(reason);
    }
}

/// What a client's ERROR said, as it said it (the code's text when empty).
fn client_message(e: &packet::Error) -> String {
    match e {
        packet::Error::Msg(m) if !m.is_empty() => m.clone(),
        other => format!("{other:?}"),
    }
}

/// Hands one file to the server, block by block from its handle, and
/// reports the transfer as it goes.
pub struct TransferReader {
    file: std::fs::File,
    /// Size when opened: a file that grows is served as it was.
    size: u64,
    /// Bytes of the file read so far.
    pos: u64,
    netascii: bool,
    /// The second byte of a netascii pair that did not fit the last buffer.
    pending: Option<u8>,
    shared: Arc<Shared>,
    client: SocketAddr,
    name: String,
    last_progress: Instant,
    ended: bool,
    /// Counted in [`Shared::finishing`].
    finishing: bool,
}

impl TransferReader {
    /// Reads at `pos` into `buf`, at most up to the size at open time.
    fn read_file(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.size - self.pos;
        if left == 0 {
            self.mark_finishing();
        }
        if left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = read_at(&self.file, &mut buf[..want], self.pos)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the file shrank while it was sent ({} of {} bytes)",
                    self.pos, self.size
                ),
            ));
        }
        self.pos += n as u64;
        if self.pos == self.size {
            self.mark_finishing();
        }
        Ok(n)
    }

    /// The whole file is read: only the last blocks' ACKs are left.
    fn mark_finishing(&mut self) {
        if !std::mem::replace(&mut self.finishing, true) {
            self.shared.finishing.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// netascii (RFC 1350): LF is sent as CR LF and CR as CR NUL.
    fn read_netascii(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut out = 0;
        if let Some(b) = self.pending.take() {
            if buf.is_empty() {
                self.pending = Some(b);
                return Ok(0);
            }
            buf[0] = b;
            out = 1;
        }
        let mut raw = [0u8; 512];
        while out < buf.len() {
            // Each byte read takes at most two: read no more than fits.
            let room = ((buf.len() - out) / 2).clamp(1, raw.len());
            let n = self.read_file(&mut raw[..room])?;
            if n == 0 {
                break;
            }
            for &b in &raw[..n] {
                let (first, second) = match b {
                    b'\n' => (b'\r', Some(b'\n')),
                    b'\r' => (b'\r', Some(0)),
                    b => (b, None),
                };
                buf[out] = first;
                out += 1;
                if let Some(s) = second {
                    if out < buf.len() {
                        buf[out] = s;
                        out += 1;
                    } else {
                        self.pending = Some(s);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Reports how the transfer ended, once.
    fn end(&mut self, failure: Option<String>) {
        if std::mem::replace(&mut self.ended, true) {
            return;
        }
        if self.finishing {
            self.shared.finishing.fetch_sub(1, Ordering::SeqCst);
        }
        let client = self.client;
        let file = std::mem::take(&mut self.name);
        let bytes = self.pos;
        let event = match failure {
            None => TftpEvent::Done {
                client,
                file,
                bytes,
            },
            Some(reason) => TftpEvent::Failed {
                client,
                file,
                bytes,
                reason,
            },
        };
        self.shared.emit(event);
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, pos)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    // Moves the handle's cursor too; only positioned reads use it.
    std::os::windows::fs::FileExt::seek_read(file, buf, pos)
}

impl AsyncRead for TransferReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let read = if this.netascii {
            this.read_netascii(buf)
        } else {
            this.read_file(buf)
        };
        if let Err(e) = &read {
            this.end(Some(format!("disk: {e}")));
        }
        if matches!(read, Ok(n) if n > 0)
            && this.last_progress.elapsed() >= this.shared.progress_every
        {
            this.last_progress = Instant::now();
            this.shared.emit(TftpEvent::Progress {
                client: this.client,
                file: this.name.clone(),
                bytes: this.pos,
                size: this.size,
            });
        }
        Poll::Ready(read)
    }
}

impl Drop for TransferReader {
    /// A transfer the server did not end was cut short: by the shutdown,
    /// or before its first packet (no socket for it).
    fn drop(&mut self) {
        let reason = if self.shared.stopping.load(Ordering::SeqCst) {
            "stopped"
        } else {
            "network: the transfer could not start"
        };
        self.end(Some(reason.into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader_over(bytes: &[u8], netascii: bool) -> (tempfile::TempDir, TransferReader) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f.txt"), bytes).unwrap();
        let root = Root::open(dir.path()).unwrap();
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let shared = Arc::new(Shared::new(root, tx, Duration::from_secs(60)));
        let mode = if netascii {
            Mode::Netascii
        } else {
            Mode::Octet
        };
        let (reader, _) = shared
            .open("127.0.0.1:1".parse().unwrap(), "f.txt".into(), mode)
            .unwrap_or_else(|e| panic!("{e:?}"));
        (dir, reader)
    }

    fn read_all(r: &mut TransferReader, chunk: usize) -> Vec<u8> {
        let mut out = vec![];
        let mut buf = vec![0u8; chunk];
        loop {
            let n = if r.netascii {
                r.read_netascii(&mut buf).unwrap()
            } else {
                r.read_file(&mut buf).unwrap()
            };
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    /// RFC 1350: LF → CR LF, CR → CR NUL, whatever the buffer size (a
    /// pair split across two buffers included).
    #[test]
    fn netascii_translates_line_ends_across_any_buffer() {
        let text = b"a\nb\r\nc\rd\n\n";
        let want = b"a\r\nb\r\0\r\nc\r\0d\r\n\r\n".to_vec();
        for chunk in [1, 2, 3, 5, 512] {
            let (_d, mut r) = reader_over(text, true);
            assert_eq!(read_all(&mut r, chunk), want, "chunk {chunk}");
        }
        let (_d, mut r) = reader_over(text, false);
        assert_eq!(read_all(&mut r, 3), text.to_vec());
    }

    /// Issue 11: the old cache keyed on path+size+mtime served stale bytes
    /// after a rewrite that kept both. Every transfer reads the disk now.
    #[test]
    fn a_rewrite_with_the_same_size_and_mtime_is_served_new() {
        let (dir, mut first) = reader_over(b"password=old", false);
        let path = dir.path().join("f.txt");
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        let mut held = [0u8; 4];
        first.read_file(&mut held).unwrap();
        std::fs::write(&path, b"password=new").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let root = Root::open(dir.path()).unwrap();
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let shared = Arc::new(Shared::new(root, tx, Duration::from_secs(60)));
        let (mut second, _) = shared
            .open("127.0.0.1:2".parse().unwrap(), "f.txt".into(), Mode::Octet)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read_all(&mut second, 512), b"password=new");
    }
}
