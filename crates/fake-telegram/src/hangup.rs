//! Connections a handler can hang up on: a [`Fault::DropConnection`](crate::Fault) closes
//! the connection without an answer, which plain axum cannot do. The listener wraps each
//! accepted socket with a [`Hangup`] switch and hands the switch to handlers as
//! `ConnectInfo<Hangup>` (where the peer's address usually goes). Once it is thrown, every
//! write (and read) on that socket fails, so hyper gives the connection up before a byte of
//! the answer is sent, and the socket closes.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Throws a connection's switch: the connection closes instead of answering.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hangup(Arc<AtomicBool>);

impl Hangup {
    /// Closes the connection: the answer being prepared is never sent.
    pub(crate) fn hang_up(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    fn is_hung_up(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

impl Connected<IncomingStream<'_, HangupListener>> for Hangup {
    fn connect_info(stream: IncomingStream<'_, HangupListener>) -> Self {
        stream.remote_addr().clone()
    }
}

/// A loopback listener whose connections can be hung up on.
pub(crate) struct HangupListener {
    inner: TcpListener,
    address: SocketAddr,
}

impl HangupListener {
    /// Binds `127.0.0.1:0`.
    pub(crate) async fn bind_loopback() -> io::Result<Self> {
        let inner = TcpListener::bind("127.0.0.1:0").await?;
        let address = inner.local_addr()?;
        Ok(Self { inner, address })
    }

    /// The address bound.
    pub(crate) fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Listener for HangupListener {
    type Io = HangupStream;
    type Addr = Hangup;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (socket, _) = Listener::accept(&mut self.inner).await;
        let hangup = Hangup::default();
        let stream = HangupStream {
            inner: socket,
            hangup: hangup.clone(),
        };
        (stream, hangup)
    }

    /// axum asks for this only to log it; a switch on no connection stands in.
    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(Hangup::default())
    }
}

/// An accepted socket that fails every operation once its [`Hangup`] is thrown.
pub(crate) struct HangupStream {
    inner: TcpStream,
    hangup: Hangup,
}

impl HangupStream {
    fn check(&self) -> io::Result<()> {
        if self.hangup.is_hung_up() {
            Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "fake Telegram hung up",
            ))
        } else {
            Ok(())
        }
    }
}

impl AsyncRead for HangupStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for HangupStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
