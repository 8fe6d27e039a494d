use futures_lite::AsyncRead;
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;

use super::packet;

/// How a read request's transfer ended (upstream async-tftp told the handler
/// nothing after `read_req_open`).
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Every block was sent and the last one acknowledged.
    Done,
    /// The client sent an ERROR packet; the transfer stopped at once.
    ClientError(packet::Error),
    /// No acknowledgement came after every retry.
    TimedOut,
    /// Reading or sending failed; the text says why.
    Failed(String),
}

/// Trait for implementing advance handlers.
pub trait Handler: Send {
    type Reader: AsyncRead + Unpin + Send + 'static;

    /// Open `Reader` to serve a read request.
    fn read_req_open(
        &mut self,
        client: &SocketAddr,
        path: &Path,
        mode: packet::Mode,
    ) -> impl Future<Output = Result<(Self::Reader, Option<u64>), packet::Error>> + Send;

    /// Refuses a write request, saying why: this server never accepts
    /// uploads.
    fn write_req_refused(&mut self, client: &SocketAddr, path: &Path) -> packet::Error;

    /// Hands back the reader of a read request once its transfer ended,
    /// with how it ended.
    fn read_req_ended(&mut self, _client: &SocketAddr, _reader: Self::Reader, _outcome: Outcome) {}
}
