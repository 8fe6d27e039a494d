use bytes::BytesMut;
use futures_lite::{AsyncRead, AsyncReadExt, future};
use std::cmp;
use std::collections::VecDeque;
use std::io;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::error::{Error, Result};
use super::packet::{Opts, PACKET_DATA_HEADER_LEN, Packet, RwReq};
use super::threads::Transfers;
use super::{DEFAULT_BLOCK_SIZE, Outcome, ServerConfig};

/// What a finished transfer gives back.
pub(crate) struct Ran<R> {
    pub(crate) reader: R,
    /// How it ended; `None` when the server stopped it.
    pub(crate) outcome: Option<Outcome>,
    /// Whether it was marked finishing.
    pub(crate) finishing: bool,
    /// Whether a repeat of its request may still be read after its end.
    pub(crate) repeat_likely: bool,
}

/// The longest a transfer blocks in one receive: where the OS does not
/// wake a receive when the server shuts the socket, a stop still ends the
/// transfer within this.
const MAX_WAIT: Duration = Duration::from_secs(1);

/// One read transfer, run to its end on a thread of its own (async-tftp
/// ran it as a task of the server's executor; see
/// `threads.rs` for why). The socket blocks, with a receive timeout.
pub(crate) struct ReadRequest<R>
where
    R: AsyncRead + Send,
{
    peer: SocketAddr,
    /// Shared with the server's list of transfers (to wake it when the
    /// server stops): one descriptor, not a duplicate.
    socket: Arc<UdpSocket>,
    reader: R,
    block_size: usize,
    timeout: Duration,
    max_send_retries: u32,
    oack_opts: Option<Opts>,
    window_size: usize,
    /// Whether the client has acknowledged a block of data.
    acked_data: bool,
    /// Set when the client sent an ERROR: the transfer ends and is not answered.
    client_error: bool,
    /// Set when the server stops: the transfer ends without a word.
    stopped: bool,
    /// The receive timeout set on the socket now (a system call to change).
    wait: Option<Duration>,
    /// Buffers of acknowledged blocks, reused for the next ones
    /// (async-tftp allocated every block).
    spare: Vec<Vec<u8>>,
    transfers: Arc<Transfers>,
    /// Whether this transfer is marked finishing in `transfers`.
    finishing: bool,
    /// When the request was taken.
    asked: Instant,
    /// Whether the client may have repeated its request: the first
    /// block was sent again, or acknowledged late.
    repeat_likely: bool,
}

/// A first block acknowledged later than this after the request may
/// have crossed a repeat of the request (clients repeat after 0.5–5 s).
const SLOW_FIRST_ACK: Duration = Duration::from_millis(250);

impl<R> ReadRequest<R>
where
    R: AsyncRead + Send + Unpin,
{
    pub(crate) fn init(
        reader: R,
        file_size: Option<u64>,
        socket: Arc<UdpSocket>,
        req: &RwReq,
        config: ServerConfig,
        transfers: Arc<Transfers>,
        asked: Instant,
    ) -> Result<ReadRequest<R>> {
        let oack_opts = build_oack_opts(&config, req, file_size);

        let block_size = oack_opts
            .as_ref()
            .and_then(|o| o.block_size)
            .map(usize::from)
            .unwrap_or(DEFAULT_BLOCK_SIZE);

        // Default window size is 1 as per rfc7440
        let negotiated_window_size: usize = oack_opts
            .as_ref()
            .and_then(|o| o.window_size)
            .unwrap_or(1u16) as usize;

        let timeout = oack_opts
            .as_ref()
            .and_then(|o| o.timeout)
            .map(|t| Duration::from_secs(u64::from(t)))
            .unwrap_or(config.timeout);

        Ok(ReadRequest {
            peer: socket.peer_addr()?,
            socket,
            reader,
            block_size,
            timeout,
            max_send_retries: config.max_send_retries,
            oack_opts,
            window_size: negotiated_window_size,
            acked_data: false,
            client_error: false,
            stopped: false,
            wait: None,
            spare: Vec::with_capacity(negotiated_window_size),
            transfers,
            finishing: false,
            asked,
            repeat_likely: false,
        })
    }

    /// A socket for a transfer to `peer`, from `local_ip`: connected, so
    /// the kernel keeps the route and drops other senders' datagrams
    /// (upstream dropped them itself).
    pub(crate) fn connect(local_ip: IpAddr, peer: SocketAddr) -> io::Result<UdpSocket> {
        let socket = UdpSocket::bind(SocketAddr::new(local_ip, 0))?;
        socket.connect(peer)?;
        Ok(socket)
    }

    /// Runs the transfer and says how it ended, `None` when the server
    /// stopped it (async-tftp returned nothing, and answers a client's
    /// ERROR with ten more packets). Gives the reader back.
    pub(crate) fn run(mut self) -> Ran<R> {
        let result = self.try_handle();
        // A send on a socket the stop shut fails: that is the stop too.
        self.stopped |= result.is_err() && self.transfers.stopping();
        let outcome = match &result {
            _ if self.stopped => None,
            Ok(()) => Some(Outcome::Done),
            Err(Error::Packet(e)) if self.client_error => Some(Outcome::ClientError(e.clone())),
            Err(Error::MaxSendRetriesReached(..)) => Some(Outcome::TimedOut),
            Err(e) => Some(Outcome::Failed(e.to_string())),
        };
        if let (Err(e), false, false) = (result, self.client_error, self.stopped) {
            let mut buffer = BytesMut::with_capacity(DEFAULT_BLOCK_SIZE);
            Packet::Error(e.into()).encode(&mut buffer);
            // Errors are never retransmitted.
            // We do not care if `send_to` resulted to an IO error.
            let _ = self.socket.send(&buffer[..]);
        }
        Ran {
            reader: self.reader,
            outcome,
            finishing: self.finishing,
            repeat_likely: self.repeat_likely,
        }
    }

    fn try_handle(&mut self) -> Result<()> {
        let mut window: VecDeque<Vec<u8>> = VecDeque::with_capacity(self.window_size);
        let mut block_id: u16;
        let mut window_base: u16 = 1;
        let mut buf: Vec<u8>;
        let mut is_last_block: bool;

        (buf, is_last_block) = self.fill_data_block(window_base)?;
        window.push_back(buf);

        // Send OACK after we manage to read the first block from reader.
        //
        // We do this because we want to give the developers the option to
        // produce an error after they construct a reader.
        if let Some(opts) = self.oack_opts.as_ref() {
            let mut buff = BytesMut::with_capacity(PACKET_DATA_HEADER_LEN + 64);
            Packet::OAck(opts.to_owned()).encode(&mut buff);
            // OACK is not really part of the window, so we send it separately
            self.send_window(&VecDeque::from([buff.to_vec()]), 0)?;
        }

        loop {
            // calculate next block_id, window might not be empty
            block_id = window_base.wrapping_add(window.len() as u16);

            while !is_last_block && (window.len() < self.window_size) {
                // we still have data and window is not full
                (buf, is_last_block) = self.fill_data_block(block_id)?;
                window.push_back(buf);
                block_id = block_id.wrapping_add(1);
            }

            let blocks_acked = self.send_window(&window, window_base)?;
            self.acked_data = true;
            window_base = window_base.wrapping_add(blocks_acked);

            // remove acked blocks from window, keeping their buffers
            let acked = usize::from(blocks_acked).min(window.len());
            self.spare.extend(window.drain(..acked));

            if is_last_block && window.is_empty() {
                // transfer is done
                break;
            }
        }

        Ok(())
    }

    /// Reads the next block into a reused buffer, after its 4-byte head
    /// (async-tftp allocated a new buffer per block). The last block
    /// marks the transfer finishing before it is sent.
    fn fill_data_block(&mut self, block_id: u16) -> Result<(Vec<u8>, bool), Error> {
        let mut buffer = self.spare.pop().unwrap_or_default();
        buffer.clear();
        buffer.resize(PACKET_DATA_HEADER_LEN + self.block_size, 0);
        Packet::write_data_head(block_id, &mut buffer);
        let len = self.read_block(&mut buffer[PACKET_DATA_HEADER_LEN..])?;
        buffer.truncate(PACKET_DATA_HEADER_LEN + len);
        let last = len < self.block_size;
        if last && !self.finishing {
            self.finishing = true;
            self.transfers.mark_finishing(self.peer.ip());
        }
        Ok((buffer, last))
    }

    /// Sends a window and waits for the client to acknowledge it; returns
    /// how many of its blocks were acknowledged.
    ///
    /// Until the client has acknowledged a block of data, a timeout resends
    /// only the window's first block (issue 20): one request and one ACK of
    /// the OACK then cost one window and a block per retry, not every retry
    /// of the window (2,000 such requests asking blksize 1468 and windowsize
    /// 32 made async-tftp send about 960 MB). A client that lost the first
    /// window gets its first block, acknowledges it, and the whole window
    /// follows.
    fn send_window(&mut self, window: &VecDeque<Vec<u8>>, window_base: u16) -> Result<u16> {
        for attempt in 0..=self.max_send_retries {
            if window_base <= 1 && attempt > 0 {
                self.repeat_likely = true;
            }
            let resend = if attempt > 0 && !self.acked_data {
                1
            } else {
                window.len()
            };
            for packet in window.iter().take(resend) {
                match self.socket.send(&packet[..]) {
                    // An ICMP error from an earlier block (the phone's port
                    // closed): upstream's unconnected socket never hears of
                    // it and retries until the timeout; so do we.
                    Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {}
                    sent => {
                        sent?;
                    }
                }
            }

            match self.recv_ack(window_base, window.len() as u16) {
                Ok(Reply::ClientError(e)) => {
                    self.client_error = true;
                    return Err(Error::Packet(e));
                }
                Ok(Reply::Acked(blocks_acked)) => {
                    if window_base <= 1 && self.asked.elapsed() > SLOW_FIRST_ACK {
                        self.repeat_likely = true;
                    }
                    return Ok(blocks_acked);
                }
                Err(ref e) if e.kind() == io::ErrorKind::TimedOut => {
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        }

        Err(Error::MaxSendRetriesReached(self.peer, window_base))
    }

    /// Waits for ack packet, returns amount of packets acknowledged.
    ///
    /// A blocking receive with the socket's timeout set to what is
    /// left of the deadline (at most [`MAX_WAIT`]). The timeout is changed
    /// (a system call) only when the wait was cut short, so a block costs
    /// one receive. The socket is connected: only the client's datagrams
    /// come, and an empty one means the server shut the socket to stop.
    fn recv_ack(&mut self, window_base: u16, window_len: u16) -> io::Result<Reply> {
        let deadline = Instant::now() + self.timeout;
        let mut buf = [0u8; 1024];
        let mut left = self.timeout;
        loop {
            let wait = left.min(MAX_WAIT);
            if self.wait != Some(wait) {
                self.socket.set_read_timeout(Some(wait))?;
                self.wait = Some(wait);
            }
            let got = self.socket.recv(&mut buf[..]);
            if self.transfers.stopping() {
                self.stopped = true;
                return Err(io::Error::other("the server is stopping"));
            }
            match got {
                Ok(len) => {
                    if let Some(reply) = ack_reply(&buf[..len], window_base, window_len) {
                        return Ok(reply);
                    }
                }
                // An ICMP error from an earlier send: not an answer.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                            | io::ErrorKind::ConnectionReset
                            | io::ErrorKind::ConnectionRefused
                    ) => {}
                Err(e) => return Err(e),
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(io::ErrorKind::TimedOut.into());
            }
            left = deadline - now;
        }
    }

    fn read_block(&mut self, buf: &mut [u8]) -> Result<usize> {
        let mut len = 0;

        while len < buf.len() {
            // A reader of files answers at once; any other is waited for
            // on this thread.
            match future::block_on(self.reader.read(&mut buf[len..]))? {
                0 => break,
                x => len += x,
            }
        }

        Ok(len)
    }
}

/// What a datagram from the client says about the window: `None` if it is
/// neither an ERROR nor an ACK within the window (upstream's rules, moved
/// out of `recv_ack` unchanged).
fn ack_reply(data: &[u8], window_base: u16, window_len: u16) -> Option<Reply> {
    // parse only valid Ack and Error packets, the rest are ignored
    let packet = Packet::decode(data);
    if let Ok(Packet::Error(e)) = packet {
        return Some(Reply::ClientError(e));
    }
    if let Ok(Packet::Ack(recved_block_id)) = packet {
        let window_end = window_base.wrapping_add(window_len);

        if window_end > window_base {
            // window_end did not wrap
            if recved_block_id >= window_base && recved_block_id < window_end {
                // number of blocks acked
                return Some(Reply::Acked(recved_block_id - window_base + 1u16));
            }
        } else {
            // window_end wrapped
            if recved_block_id >= window_base {
                return Some(Reply::Acked(1u16 + (recved_block_id - window_base)));
            } else if recved_block_id < window_end {
                return Some(Reply::Acked(
                    1u16 + recved_block_id + (window_len - window_end),
                ));
            }
        }
    }
    None
}

/// What the client answered to a window (an ERROR is an answer too).
enum Reply {
    Acked(u16),
    ClientError(super::packet::Error),
}

fn build_oack_opts(config: &ServerConfig, req: &RwReq, file_size: Option<u64>) -> Option<Opts> {
    let mut opts = Opts::default();

    opts.block_size = match (req.opts.block_size, config.block_size_limit) {
        (Some(bsize), Some(limit)) => Some(cmp::min(bsize, limit)),
        (Some(bsize), None) => Some(bsize),
        _ => None,
    };

    if !config.ignore_client_timeout {
        opts.timeout = req.opts.timeout;
    }

    if let (Some(0), Some(file_size)) = (req.opts.transfer_size, file_size) {
        opts.transfer_size = Some(file_size);
    }

    opts.window_size = match (req.opts.window_size, config.window_size_limit) {
        (Some(wsize), Some(limit)) => Some(cmp::min(wsize, limit)),
        (Some(wsize), None) => Some(wsize),
        _ => None,
    };

    if opts == Opts::default() {
        None
    } else {
        Some(opts)
    }
}
