use futures_lite::{AsyncRead, AsyncWrite};
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;

use crate::packet;

/// How a read request's transfer ended (patch: upstream tells the handler
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
    type Writer: AsyncWrite + Unpin + Send + 'static;

    /// Open `Reader` to serve a read request.
    fn read_req_open(
        &mut self,
        client: &SocketAddr,
        path: &Path,
        mode: packet::Mode,
    ) -> impl Future<Output = Result<(Self::Reader, Option<u64>), packet::Error>>
           + Send;

    /// Open `Writer` to serve a write request.
    fn write_req_open(
        &mut self,
        client: &SocketAddr,
        path: &Path,
        size: Option<u64>,
    ) -> impl Future<Output = Result<Self::Writer, packet::Error>> + Send;

    /// Hands back the reader of a read request once its transfer ended,
    /// with how it ended (patch).
    fn read_req_ended(
        &mut self,
        _client: &SocketAddr,
        _reader: Self::Reader,
        _outcome: Outcome,
    ) {
    }
}
