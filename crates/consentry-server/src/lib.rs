//! # consentry-server
//!
//! The reference receipt service. It accepts device-signed consent receipts from the widget,
//! runs core's [`verify`](consentry_core::receipt::verify::verify) on the exact bytes
//! received, appends them to a hash-chained, append-only ledger, countersigns them with its
//! own key and returns the countersigned receipt.
//!
//! ```text
//! POST /v1/receipts             application/json | application/jose+json, ≤ 64 KiB
//!                               201 {"ledger_index","receipt","receipt_id","receipt_sha256",
//!                                    "received_at","status":"stored","subject_chain"}
//!                               200 same body for a byte-identical resend; 409 same id, other
//!                               bytes; 400 unreadable envelope; 422 verification failed;
//!                               413; 415; 429
//! POST /v1/requests             a data-subject request, signed like a receipt (`requests`)
//!                               201 {"deadline","kind","received_at","regime","request_id",
//!                                    "status":"received"}; 200 same body for a resend; 409;
//!                               403 agent_request_refused; 422; 503 requests_disabled
//! GET  /v1/receipts/{id}        the countersigned envelope (id: urn:uuid:… or bare UUID)
//! GET  /v1/receipts/{id}/received   the device-signed bytes exactly as received
//! GET  /v1/ledger/head          the signed ledger head (size, last entry hash, time)
//! GET  /.well-known/consentry/keys.json   the server keys (JWKS), retired ones included
//! GET  /healthz                 200
//! admin (Authorization: Bearer <token>):
//! GET  /v1/admin/receipts?subject=&notice_id=&notice_version=&from=&to=&format=ndjson|csv|kantara
//! GET  /v1/admin/subjects/{subject}/state    current consent state computed from the chain
//! GET  /…                       static files from --site (index.html for directories)
//! ```
//!
//! Every error is JSON: `{"error":{"code":"<stable snake_case>","message":"<human>"}}`.
//! Internal failures are logged and answered `500 internal` without details.
//!
//! [`app`] builds the router from an [`AppState`]; `main` and the tests use the same function.

pub mod admin;
pub mod api;
pub mod check;
pub mod console;
mod console_tables;
pub mod dashboard;
pub mod db;
pub mod evidence;
pub mod hotline;
pub mod http;
pub mod ingest;
pub mod keys;
pub mod limits;
pub mod links;
pub mod notice_history;
pub mod notices;
pub mod postgres;
pub mod receive;
pub mod requests;
pub mod serve;
pub mod services;
pub mod signer;
pub mod sqlite;
pub mod store;
pub mod subject_keys;
pub mod temp_pg;
pub mod tlog;
pub mod tlog_http;
pub mod unlink;

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::HeaderValue;
use consentry_core::receipt::verify::VerifyPolicy;
use consentry_core::time::Timestamp;

pub use api::app;
pub use db::StoreError;
pub use ingest::IngestLimits;
pub use keys::{KeyRing, ServerSigner};
pub use limits::{RateLimiter, TrustedProxies};
pub use postgres::PgStore;
pub use serve::{ServeOptions, serve};
pub use sqlite::SqliteStore;
pub use store::{AppendOutcome, Head, LedgerConfig, LedgerRecord, NewReceipt, Query, ReceiptStore};

/// A source of server time.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Arc<dyn ReceiptStore>,
    /// Swapped whole when a notice version is published while running.
    pub(crate) policy: Arc<notices::SharedPolicy>,
    pub(crate) signer: Arc<ServerSigner>,
    pub(crate) log_id: Arc<str>,
    pub(crate) jwks: Arc<str>,
    pub(crate) site: Option<PathBuf>,
    pub(crate) clock: Clock,
    pub(crate) admin_token: Option<Arc<str>>,
    /// The backend systems that may ask `POST /v1/consent/check` (`None`: checks disabled).
    pub(crate) service_tokens: Option<Arc<check::ServiceTokens>>,
    /// The console's accounts, sessions and audit trail (`None`: no console).
    pub(crate) console: Option<Arc<console::ConsoleStore>>,
    pub(crate) cors_origins: Arc<[HeaderValue]>,
    pub(crate) rate_limit: Option<Arc<RateLimiter>>,
    pub(crate) ingest: Arc<ingest::Ingest>,
    /// The value of `frame-ancestors` in every answer's `Content-Security-Policy`.
    pub(crate) frame_ancestors: Arc<str>,
    /// The origins whose pages may frame and message the signing frame (`/signer/`, ADR
    /// 0012), space-separated; empty: the frame is not served.
    pub(crate) signer_origins: Arc<str>,
    /// Whether answers carry `Strict-Transport-Security` (set when TLS is in front).
    pub(crate) hsts: bool,
    /// The transparency log as published (`None`: the store keeps none).
    pub(crate) tlog: Option<Arc<tlog_http::LogInfo>>,
    /// The published notices' directories (`--notices`), read for evidence packs.
    pub(crate) notice_dirs: Arc<[PathBuf]>,
    /// The key that makes subject references (`None`: no link tokens are issued).
    pub(crate) sref_key: links::SharedSrefKey,
    /// Which ledger entries carry which subject reference (a cache of the ledger).
    pub(crate) sref_index: links::SharedSrefIndex,
    /// Receipt look-ups by code per client address (`POST /v1/receipts/lookup`).
    pub(crate) lookup_limiter: Arc<RateLimiter>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field(
                "notices",
                &self.policy.load().notices.as_ref().map(|r| r.len()),
            )
            .field("kid", &self.signer.kid())
            .field("log_id", &self.log_id)
            .field("site", &self.site)
            .field("admin", &self.admin_token.is_some())
            .field("ingest", &self.ingest.limits)
            .finish_non_exhaustive()
    }
}

/// Receipt look-ups by code per second from one client address, on average (one a minute) …
pub const LOOKUP_RATE: f64 = 1.0 / 60.0;
/// … in bursts of at most this many (a caller mistyping the code a few times).
pub const LOOKUP_BURST: f64 = 5.0;

impl AppState {
    /// State with a store, a verification policy and the ledger's key and name (`cfg` must be
    /// the one the store was opened with), the system clock, the JWKS of just that key, no
    /// static site, no admin token (admin endpoints answer 403), no CORS origins, no rate
    /// limit, and the default [`IngestLimits`] (starts the verifier threads).
    pub fn new(store: Arc<dyn ReceiptStore>, policy: VerifyPolicy, cfg: &LedgerConfig) -> Self {
        let jwks = consentry_core::receipt::verify::jwks_json(&[
            consentry_core::receipt::verify::JwksEntry {
                jwk: cfg.signer.jwk().clone(),
                status: consentry_core::receipt::verify::KeyStatus::Active,
                created: Timestamp(0),
                retired: None,
            },
        ]);
        Self {
            store,
            policy: Arc::new(notices::SharedPolicy::new(policy)),
            signer: cfg.signer.clone(),
            log_id: cfg.log_id.as_str().into(),
            jwks: jwks.into(),
            site: None,
            clock: Arc::new(system_now),
            admin_token: None,
            service_tokens: None,
            console: None,
            cors_origins: Arc::new([]),
            rate_limit: None,
            ingest: Arc::new(ingest::Ingest::new(IngestLimits::default())),
            frame_ancestors: "'none'".into(),
            signer_origins: "".into(),
            hsts: false,
            tlog: cfg.log.as_ref().map(|l| {
                Arc::new(tlog_http::LogInfo {
                    log: l.clone(),
                    origin: l.signer.origin().to_string(),
                    verifier_key: l.signer.verifier_key().to_string(),
                    witnesses: Vec::new(),
                })
            }),
            notice_dirs: Arc::new([]),
            sref_key: None,
            sref_index: Arc::default(),
            lookup_limiter: Arc::new(RateLimiter::new(LOOKUP_RATE, LOOKUP_BURST)),
        }
    }

    /// Issues link tokens whose subject references this key makes (`POST /v1/links`).
    #[must_use]
    pub fn with_sref_key(mut self, key: links::SrefKey) -> Self {
        self.sref_key = Some(Arc::new(key));
        self
    }

    /// Reads the published notices for evidence packs from these directories (each a
    /// `consentry build` output with its `archive/`).
    #[must_use]
    pub fn with_notice_dirs(mut self, dirs: Vec<PathBuf>) -> Self {
        self.notice_dirs = dirs.into();
        self
    }

    /// Publishes these witness verifier keys in `/.well-known/consentry/log.json`, and serves
    /// the latest checkpoint they cosigned at `/v1/log/checkpoint`.
    #[must_use]
    pub fn with_witness_keys(mut self, keys: Vec<String>) -> Self {
        if let Some(info) = &self.tlog {
            self.tlog = Some(Arc::new(tlog_http::LogInfo {
                log: info.log.clone(),
                origin: info.origin.clone(),
                verifier_key: info.verifier_key.clone(),
                witnesses: keys,
            }));
        }
        self
    }

    /// Verifies receipts against `policy`, which its owner may replace while the server runs
    /// (see [`notices::watch`]), instead of the fixed policy given to [`AppState::new`].
    #[must_use]
    pub fn with_shared_policy(mut self, policy: Arc<notices::SharedPolicy>) -> Self {
        self.policy = policy;
        self
    }

    /// Admits at most `limits.max_inflight` receipts at once (`503 overloaded` beyond) and
    /// verifies them on `limits.verify_threads` threads.
    #[must_use]
    pub fn with_ingest_limits(mut self, limits: IngestLimits) -> Self {
        self.ingest = Arc::new(ingest::Ingest::new(limits));
        self
    }

    /// Publishes this JWKS (from [`KeyRing::jwks`], with retired keys) instead.
    #[must_use]
    pub fn with_jwks(mut self, jwks: impl Into<Arc<str>>) -> Self {
        self.jwks = jwks.into();
        self
    }

    /// Serves the files under `dir` at `/`.
    #[must_use]
    pub fn with_site(mut self, dir: impl Into<PathBuf>) -> Self {
        self.site = Some(dir.into());
        self
    }

    /// Uses `clock` for `received_at` instead of the system clock.
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Enables the admin endpoints for requests bearing this token.
    #[must_use]
    pub fn with_admin_token(mut self, token: impl Into<Arc<str>>) -> Self {
        self.admin_token = Some(token.into());
        self
    }

    /// Enables `POST /v1/consent/check` for the services in `tokens`.
    #[must_use]
    pub fn with_service_tokens(mut self, tokens: check::ServiceTokens) -> Self {
        self.service_tokens = Some(Arc::new(tokens));
        self
    }

    /// Serves the console's API (`/console/api/…`) on this store.
    #[must_use]
    pub fn with_console(mut self, store: console::ConsoleStore) -> Self {
        self.console = Some(Arc::new(store));
        self
    }

    /// Allows these browser origins (e.g. `https://support.example.com`) to call the public
    /// API cross-origin.
    #[must_use]
    pub fn with_cors_origins(mut self, origins: Vec<HeaderValue>) -> Self {
        self.cors_origins = origins.into();
        self
    }

    /// Lets these origins frame the server's pages (`frame-ancestors`; by default no page may
    /// frame them, and `X-Frame-Options: DENY` is sent too).
    #[must_use]
    pub fn with_frame_ancestors(mut self, origins: &[HeaderValue]) -> Self {
        self.frame_ancestors = if origins.is_empty() {
            "'none'".into()
        } else {
            origins
                .iter()
                .filter_map(|o| o.to_str().ok())
                .collect::<Vec<_>>()
                .join(" ")
                .into()
        };
        self
    }

    /// Serves the signing frame (`/signer/`, ADR 0012) to pages of these origins only: its
    /// `frame-ancestors` and the list its script checks every message's origin against.
    #[must_use]
    pub fn with_signer_origins(mut self, origins: &[HeaderValue]) -> Self {
        self.signer_origins = origins
            .iter()
            .filter_map(|o| o.to_str().ok())
            .collect::<Vec<_>>()
            .join(" ")
            .into();
        self
    }

    /// Sends `Strict-Transport-Security` (two years, subdomains included): for a server behind
    /// a TLS front end.
    #[must_use]
    pub fn with_hsts(mut self, on: bool) -> Self {
        self.hsts = on;
        self
    }

    /// Limits `POST /v1/receipts` per client IP.
    #[must_use]
    pub fn with_rate_limit(mut self, limiter: RateLimiter) -> Self {
        self.rate_limit = Some(Arc::new(limiter));
        self
    }
}

/// The system clock as a [`Timestamp`] (milliseconds since the Unix epoch).
pub fn system_now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Timestamp(ms)
}
