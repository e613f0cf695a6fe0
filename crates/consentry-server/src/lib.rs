//! # consentry-server
//!
//! The reference receipt service. It accepts signed consent receipts from the widget, runs
//! core's [`verify`](consentry_core::receipt::verify::verify) on the exact bytes received, and
//! appends them to an append-only store.
//!
//! ```text
//! POST /v1/receipts        application/json | application/jose+json, ≤ 64 KiB
//!                          201 {"receipt_id","receipt_sha256","received_at","status":"stored"}
//!                          200 same body for a byte-identical resend; 409 same id, other bytes
//!                          400 unreadable envelope; 422 verification failed; 413; 415
//! GET  /v1/receipts/{id}   the stored envelope, byte for byte (id: urn:uuid:… or bare UUID)
//! GET  /healthz            200
//! GET  /…                  static files from --site (index.html for directories)
//! ```
//!
//! Every error is JSON: `{"error":{"code":"<stable snake_case>","message":"<human>"}}`.
//! Internal failures are logged and answered `500 internal` without details.
//!
//! [`app`] builds the router from an [`AppState`]; `main` and the tests use the same function.

pub mod api;
pub mod notices;
pub mod sqlite;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;

use consentry_core::receipt::verify::VerifyPolicy;
use consentry_core::time::Timestamp;

pub use api::app;
pub use sqlite::SqliteStore;
pub use store::{AppendOutcome, NewReceipt, ReceiptStore, StoreError, StoredReceipt};

/// A source of server time.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Arc<dyn ReceiptStore>,
    pub(crate) policy: Arc<VerifyPolicy>,
    pub(crate) site: Option<PathBuf>,
    pub(crate) clock: Clock,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("notices", &self.policy.notices.as_ref().map(|r| r.len()))
            .field("site", &self.site)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// State with a store and a verification policy, the system clock, and no static site.
    pub fn new(store: Arc<dyn ReceiptStore>, policy: VerifyPolicy) -> Self {
        Self {
            store,
            policy: Arc::new(policy),
            site: None,
            clock: Arc::new(system_now),
        }
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
}

/// The system clock as a [`Timestamp`] (milliseconds since the Unix epoch).
pub fn system_now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Timestamp(ms)
}
