//! Per-IP rate limiting (a token bucket per client address) and the CORS allow-list.

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

/// Middleware: 429 `rate_limited` with `Retry-After` when the client's bucket is empty. The
/// client is the TCP peer address (the server does not trust `X-Forwarded-For`; put the rate
/// limit of a proxy in front of it in the proxy).
pub async fn rate_limit(
    State(limiter): State<Option<Arc<RateLimiter>>>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(l) = limiter {
        let ip = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
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
