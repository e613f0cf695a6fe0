//! The HTTP/1.1 front door: the accept loop, the connection cap, the header and body read
//! timeouts, and graceful shutdown.
//!
//! `axum::serve` cannot time out a client that sends its request slowly, so the server drives
//! hyper's HTTP/1.1 connections itself (ADR 0008):
//!
//! - **Connection cap** ([`ServeOptions::max_connections`]): at most this many connections are
//!   open at once. At the cap the loop stops accepting; further clients wait in the kernel's
//!   listen backlog (no file descriptor is spent on them) until a connection closes. A flood of
//!   idle sockets therefore cannot exhaust the process's file descriptors.
//! - **Per-client cap** ([`ServeOptions::max_connections_per_client`]): at most this many of
//!   those connections come from one peer IP address; a connection beyond it is closed at once
//!   (logged at most once a second), so one client cannot hold every slot and keep the others
//!   waiting in the backlog. Behind a reverse proxy every connection comes from the proxy:
//!   raise it or turn it off (0) there, and let the proxy cap its own clients.
//! - **Header read timeout** ([`ServeOptions::header_timeout`]): a request head (request line
//!   and headers) must arrive whole within this time, counted from the moment the connection
//!   is ready to read it: right after accept, and after each answer on a keep-alive
//!   connection. A client that sends headers byte by byte, or stalls, or sits idle on a
//!   keep-alive connection, is disconnected when it runs out (there is no request to answer
//!   yet). This bounds how long an idle or slow socket holds one of the capped slots.
//! - **Body read timeout** ([`ServeOptions::body_timeout`]): once the head is in, the whole
//!   body must arrive within this time; a trickling or stalled body makes the body read fail
//!   with [`BodyTimeout`], which `POST /v1/receipts` answers with `408 body_timeout` and
//!   `Connection: close`.
//! - Each connection is its own task, so a stalled connection ties up nothing but its slot.
//! - **Graceful shutdown**: when `shutdown` resolves the loop stops accepting, idle
//!   connections are closed, requests in flight are answered, then [`serve`] returns.
//!
//! HTTP/2 is not offered: browsers speak it only over TLS, which a reverse proxy in front of
//! the server terminates.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Limits of the HTTP front door.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServeOptions {
    /// Time allowed for a whole request head, from the moment the connection is ready to read
    /// it (also the idle timeout of a keep-alive connection).
    pub header_timeout: Duration,
    /// Time allowed for a whole request body, from the end of its head.
    pub body_timeout: Duration,
    /// Most connections open at once; beyond it clients wait in the listen backlog.
    pub max_connections: usize,
    /// Most connections open at once from one peer IP address (0: no per-client cap). A
    /// trusted proxy is not capped: every connection through it is its.
    pub max_connections_per_client: usize,
    /// The reverse proxies whose `X-Forwarded-For` names the client (none by default).
    pub trusted_proxies: crate::limits::TrustedProxies,
}

impl Default for ServeOptions {
    /// 10 s for the head, 10 s for the body (a receipt is at most 64 KiB), 1,024 connections,
    /// 64 of them per client (a browser opens at most 6 per origin; an office behind one NAT
    /// address fits several dozen visitors).
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_connections_per_client: 64,
            trusted_proxies: crate::limits::TrustedProxies::default(),
        }
    }
}

/// The error a request body read fails with when the body did not arrive within
/// [`ServeOptions::body_timeout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTimeout(pub Duration);

impl std::fmt::Display for BodyTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the request body did not arrive within {:.1} s",
            self.0.as_secs_f64()
        )
    }
}

impl std::error::Error for BodyTimeout {}

/// Whether `err` or any error in its source chain is a [`BodyTimeout`].
pub fn is_body_timeout(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if e.is::<BodyTimeout>() {
            return true;
        }
        cur = e.source();
    }
    false
}

/// A request body that fails with [`BodyTimeout`] once its deadline has passed.
struct DeadlineBody {
    inner: Incoming,
    deadline: Pin<Box<tokio::time::Sleep>>,
    limit: Duration,
    expired: bool,
}

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        if this.expired {
            return Poll::Ready(Some(Err(Box::new(BodyTimeout(this.limit)))));
        }
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|r| r.map_err(BoxError::from)));
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            this.expired = true;
            return Poll::Ready(Some(Err(Box::new(BodyTimeout(this.limit)))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        !self.expired && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then finishes the requests in
/// flight and returns. Accept errors (a peer that gave up, or running out of file descriptors)
/// are logged and do not stop the loop.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    opts: ServeOptions,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(opts.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(opts.header_timeout)
        .keep_alive(true);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut at_cap_logged = false;
    let per_client = PerClient::new(opts.max_connections_per_client);
    loop {
        // A free slot first: at the cap, new clients wait in the listen backlog.
        let permit = match slots.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if !at_cap_logged {
                    tracing::warn!(
                        max_connections = opts.max_connections,
                        "connection cap reached; new connections wait in the backlog"
                    );
                    at_cap_logged = true;
                }
                tokio::select! {
                    p = slots.clone().acquire_owned() => match p {
                        Ok(p) => p,
                        Err(_) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    accept_error(&e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if slots.available_permits() > opts.max_connections / 2 {
            at_cap_logged = false;
        }
        // One client may not hold more than its share of the slots: closed at once (the slot
        // goes back with the dropped permit).
        let proxied = opts.trusted_proxies.trusts(peer.ip());
        let client_slot = if proxied {
            None
        } else {
            let Some(slot) = per_client.take(peer.ip()) else {
                drop(stream);
                continue;
            };
            Some(slot)
        };
        let proxies = opts.trusted_proxies.clone();
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let body_timeout = opts.body_timeout;
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let router = router.clone();
            let proxies = proxies.clone();
            async move {
                let mut req = req.map(|inner| {
                    if inner.is_end_stream() {
                        Body::new(inner)
                    } else {
                        Body::new(DeadlineBody {
                            inner,
                            deadline: Box::pin(tokio::time::sleep(body_timeout)),
                            limit: body_timeout,
                            expired: false,
                        })
                    }
                });
                let client = proxies.client(peer.ip(), req.headers());
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req.extensions_mut()
                    .insert(crate::limits::ClientAddr(client));
                Ok::<_, Infallible>(match router.oneshot(req).await {
                    Ok(res) => res,
                    Err(never) => match never {},
                })
            }
        });
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(client_slot);
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!(
        open = graceful.count(),
        "stopped accepting; finishing open connections"
    );
    graceful.shutdown().await;
    Ok(())
}

/// Open connections per peer IP address, against [`ServeOptions::max_connections_per_client`].
#[derive(Clone)]
struct PerClient {
    max: usize,
    open: Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>,
    logged: Arc<std::sync::Mutex<Option<std::time::Instant>>>,
}

/// One connection's place in its client's count; given back when dropped.
struct ClientSlot {
    of: Option<(PerClient, std::net::IpAddr)>,
}

impl PerClient {
    fn new(max: usize) -> Self {
        Self {
            max,
            open: Arc::default(),
            logged: Arc::default(),
        }
    }

    /// A place for one more connection from `ip`, or `None` when it has `max` open.
    fn take(&self, ip: std::net::IpAddr) -> Option<ClientSlot> {
        if self.max == 0 {
            return Some(ClientSlot { of: None });
        }
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = open.entry(ip).or_insert(0);
        if *n >= self.max {
            drop(open);
            let mut logged = self
                .logged
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = std::time::Instant::now();
            if logged.is_none_or(|t| now.duration_since(t) >= Duration::from_secs(1)) {
                *logged = Some(now);
                tracing::warn!(
                    client = %ip,
                    max_connections_per_client = self.max,
                    "per-client connection cap reached; further connections from it are closed"
                );
            }
            return None;
        }
        *n += 1;
        Some(ClientSlot {
            of: Some((self.clone(), ip)),
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        if let Some((pc, ip)) = self.of.take() {
            let mut open = pc
                .open
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(n) = open.get_mut(&ip) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    open.remove(&ip);
                }
            }
        }
    }
}

/// Logs an accept error; backs off briefly when the process is out of file descriptors so the
/// loop does not spin.
async fn accept_error(e: &std::io::Error) {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::Interrupted => {
            tracing::debug!(error = %e, "accept: peer gone");
        }
        _ => {
            tracing::warn!(error = %e, "accept failed; retrying shortly");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
