//! Per-IP rate limiting (a token bucket per client address), the client's address behind
//! trusted reverse proxies, and the CORS allow-list.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::http::ApiError;

/// A token bucket per client IP: `rate` requests per second on average, bursts of `burst`.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

/// Buckets kept before idle (full) ones are dropped.
const MAX_TRACKED: usize = 100_000;

impl RateLimiter {
    /// `rate` requests per second per IP, bursts of up to `burst`.
    pub fn new(rate: f64, burst: f64) -> Self {
        Self {
            rate: rate.max(0.001),
            burst: burst.max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip` at `now`; `Err(seconds to wait)` when none is left.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), f64> {
        let Ok(mut b) = self.buckets.lock() else {
            return Ok(()); // a poisoned limiter must not take the service down
        };
        if b.len() >= MAX_TRACKED {
            let (rate, burst) = (self.rate, self.burst);
            b.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = b.entry(ip).or_insert((self.burst, now));
        let refilled = (*tokens + now.saturating_duration_since(*at).as_secs_f64() * self.rate)
            .min(self.burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            Err((1.0 - refilled) / self.rate)
        }
    }
}

/// The bucket a client address falls in: an IPv4 address itself, an IPv6 address's /64 (one
/// subscriber usually gets a whole /64, so counting each address would let one client count
/// as billions).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut seg = v6.segments();
                seg[4..].fill(0);
                IpAddr::V6(std::net::Ipv6Addr::from(seg))
            }
        },
    }
}

/// The reverse proxies whose `X-Forwarded-For` the server believes (`--trusted-proxy`): with
/// none, the client is the TCP peer and the header is ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Arc<[ipnet::IpNet]>);

impl TrustedProxies {
    /// From `--trusted-proxy` values: a network (`10.0.0.0/8`, `fd00::/8`) or one address.
    pub fn parse(values: &[String]) -> Result<Self, String> {
        values
            .iter()
            .map(|v| {
                v.parse::<ipnet::IpNet>()
                    .or_else(|_| v.parse::<IpAddr>().map(ipnet::IpNet::from))
                    .map(|n| n.trunc())
                    .map_err(|_| {
                        format!(
                            "--trusted-proxy {v:?}: not an address or a network (e.g. 10.0.0.0/8)"
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| Self(v.into()))
    }

    /// Whether `ip` is one of the proxies.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = client_ip(ip);
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client a request comes from: the TCP `peer`, unless the peer is a trusted proxy;
    /// then the nearest address in `X-Forwarded-For` (read from the right: each proxy appends
    /// the address it was connected from) that is not a trusted proxy. A client can write
    /// what it likes at the left of the header, never at the right, where the first trusted
    /// proxy wrote its peer; so a malformed entry ends the walk at the last trusted hop.
    pub fn client(&self, peer: IpAddr, headers: &axum::http::HeaderMap) -> IpAddr {
        let mut client = client_ip(peer);
        if !self.trusts(client) {
            return client;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .flat_map(|v| v.to_str().map_or(vec![""], |s| s.split(',').collect()))
            .collect();
        for hop in hops.iter().rev() {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => {
                    client = client_ip(ip);
                    if !self.trusts(client) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        client
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn client_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// The client a request came from ([`TrustedProxies::client`]), set by the server on every
/// request it takes from a socket; rate limits, log-in throttling, the hotline look-up limit
/// and the audit trail read it from here, so they all name the same client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The [`ClientAddr`] of a request, or its TCP peer when none was set.
pub fn client_addr(ext: &axum::http::Extensions) -> Option<IpAddr> {
    ext.get::<ClientAddr>()
        .map(|c| c.0)
        .or_else(|| ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()))
}

/// Middleware: 429 `rate_limited` with `Retry-After` when the client's bucket is empty. The
/// client is [`client_addr`]: the TCP peer, or behind a trusted proxy the address it forwarded.
pub async fn rate_limit(
    State(limiter): State<Option<Arc<RateLimiter>>>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(l) = limiter {
        let ip = client_addr(req.extensions()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
        if let Err(wait) = l.check(client_key(ip), Instant::now()) {
            tracing::info!(%ip, "rate limited");
            let mut res = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many requests from this address; retry later",
            )
            .into_response();
            let secs = wait.ceil().max(1.0);
            if let Ok(v) = HeaderValue::from_str(&format!("{secs:.0}")) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return res;
        }
    }
    next.run(req).await
}

/// The CORS layer for the public API: only the listed embedding origins may call it from a
/// browser (no credentials). With no origins, no cross-origin call is allowed.
pub fn cors(origins: &[HeaderValue]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins.iter().cloned()))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(std::time::Duration::from_secs(600))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn xff(values: &[&str]) -> axum::http::HeaderMap {
        let mut h = axum::http::HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn behind_trusted_proxies_the_client_is_the_nearest_untrusted_forwarded_address() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let none = TrustedProxies::default();
        let proxies =
            TrustedProxies::parse(&["10.0.0.0/8".into(), "192.0.2.7".into(), "fd00::/8".into()])
                .unwrap();
        // Not through a trusted proxy: the header is anyone's to write, and ignored.
        let h = xff(&["203.0.113.9"]);
        assert_eq!(none.client(ip("198.51.100.1"), &h), ip("198.51.100.1"));
        assert_eq!(proxies.client(ip("198.51.100.1"), &h), ip("198.51.100.1"));
        // Through one: the address it forwarded.
        assert_eq!(proxies.client(ip("10.1.2.3"), &h), ip("203.0.113.9"));
        // Two proxies: the walk goes from the right past the trusted ones; what the client
        // wrote at the left is never reached.
        let h = xff(&["1.1.1.1, 203.0.113.9, 10.9.9.9"]);
        assert_eq!(proxies.client(ip("10.1.2.3"), &h), ip("203.0.113.9"));
        let h = xff(&["1.1.1.1", "203.0.113.9,192.0.2.7"]);
        assert_eq!(proxies.client(ip("10.1.2.3"), &h), ip("203.0.113.9"));
        // A malformed entry ends the walk at the last trusted hop.
        let h = xff(&["203.0.113.9, junk, 10.9.9.9"]);
        assert_eq!(proxies.client(ip("10.1.2.3"), &h), ip("10.9.9.9"));
        // No header: the proxy itself.
        let h = xff(&[]);
        assert_eq!(proxies.client(ip("10.1.2.3"), &h), ip("10.1.2.3"));
        // IPv6, and an IPv4 peer seen as a mapped IPv6 address.
        let h = xff(&["2001:db8::5"]);
        assert_eq!(proxies.client(ip("fd00::1"), &h), ip("2001:db8::5"));
        let h = xff(&["203.0.113.9"]);
        assert_eq!(proxies.client(ip("::ffff:10.1.2.3"), &h), ip("203.0.113.9"));
        assert!(proxies.trusts(ip("192.0.2.7")) && !proxies.trusts(ip("192.0.2.8")));
        let e = TrustedProxies::parse(&["10.0.0.0/33".into()]).unwrap_err();
        assert!(e.contains("--trusted-proxy"), "{e}");
        assert!(TrustedProxies::parse(&["proxy.example".into()]).is_err());
    }

    #[test]
    fn an_ipv6_client_is_its_64_and_a_mapped_ipv4_is_itself() {
        let a: IpAddr = "2001:db8:1:2:aaaa:bbbb:cccc:dddd".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), IpAddr::from([192, 0, 2, 7]));
        // One /64 shares one bucket.
        let l = RateLimiter::new(1.0, 1.0);
        let t0 = Instant::now();
        assert!(l.check(client_key(a), t0).is_ok());
        assert!(l.check(client_key(b), t0).is_err());
    }

    #[test]
    fn bucket_allows_bursts_then_refills() {
        let l = RateLimiter::new(10.0, 3.0);
        let ip = IpAddr::from([10, 0, 0, 1]);
        let other = IpAddr::from([10, 0, 0, 2]);
        let t0 = Instant::now();
        assert!(l.check(ip, t0).is_ok());
        assert!(l.check(ip, t0).is_ok());
        assert!(l.check(ip, t0).is_ok());
        let wait = l.check(ip, t0).unwrap_err();
        assert!(wait > 0.0 && wait <= 0.1 + 1e-9);
        assert!(l.check(other, t0).is_ok(), "buckets are per address");
        assert!(l.check(ip, t0 + Duration::from_millis(100)).is_ok());
        assert!(l.check(ip, t0 + Duration::from_millis(100)).is_err());
    }
}
