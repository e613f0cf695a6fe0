//! Admission and verification of incoming receipts: the load-shedding half of the server.
//!
//! A receipt costs CPU (core `verify`, then the countersignature in the writer) and a place in
//! the group-commit queue. Past what the machine sustains, queues would grow without bound and
//! every client would wait longer and longer; instead the server sheds the excess at once with
//! `503 overloaded` and `Retry-After`, so the receipts it accepts keep a bounded latency and
//! the clients (the widget's outbox) retry later.
//!
//! - **In-flight limit** ([`IngestLimits::max_inflight`]): a receipt holds one permit from the
//!   moment its body has been read until its answer; when none is free the request is
//!   answered `503 overloaded` without being verified. The body is read before the permit is
//!   taken, so slow clients (bounded by the body timeout) cannot hold permits.
//! - **Verifier pool**: core `verify` runs on a few dedicated threads (one per core by
//!   default), never on the async executor. The executor's threads only move bytes, so they
//!   keep reading new requests (and shedding them) while the verifiers are saturated; the
//!   requests waiting for a verifier are exactly those holding permits, so the limit bounds
//!   the queue in front of the verifiers and its waiting time.
//! - Behind them, the store's write queue is bounded too
//!   ([`crate::sqlite::SqliteStore::open_with_queue`]); a full queue is also `503 overloaded`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use consentry_core::receipt::verify::{VerifiedReceipt, VerifyError, VerifyPolicy, verify};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How many receipts may be in flight and how many threads verify them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IngestLimits {
    /// Receipts admitted at once (read, waiting for or in verification, or waiting for the
    /// ledger commit). Beyond it: `503 overloaded`.
    pub max_inflight: usize,
    /// Threads running core `verify`.
    pub verify_threads: usize,
}

impl Default for IngestLimits {
    /// 256 receipts in flight (at 5,000 receipts/s about 50 ms of work), one verifier thread
    /// per core.
    fn default() -> Self {
        Self {
            max_inflight: 256,
            verify_threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

type Job = Box<dyn FnOnce() + Send + 'static>;

/// The admission permits and the verifier threads. The threads stop when the last clone of
/// the [`crate::AppState`] holding this is dropped.
pub(crate) struct Ingest {
    permits: Arc<Semaphore>,
    jobs: Mutex<mpsc::Sender<Job>>,
    pub(crate) limits: IngestLimits,
    shed: AtomicU64,
    shed_reported: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for Ingest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ingest")
            .field("limits", &self.limits)
            .field("free_permits", &self.permits.available_permits())
            .finish_non_exhaustive()
    }
}

/// Why a receipt could not be verified here.
#[derive(Debug)]
pub(crate) enum VerifyJobError {
    /// Core `verify` refused it.
    Refused(VerifyError),
    /// The verifier threads are gone (internal).
    PoolGone,
}

impl Ingest {
    /// Starts the verifier threads. A thread that cannot be started is logged; with none at
    /// all every receipt is answered `500 internal` (never left waiting).
    pub(crate) fn new(limits: IngestLimits) -> Self {
        let limits = IngestLimits {
            max_inflight: limits.max_inflight.max(1),
            verify_threads: limits.verify_threads.max(1),
        };
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..limits.verify_threads {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("consentry-verify-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        let Ok(job) = job else {
                            return; // every sender dropped: the state is gone
                        };
                        // A panic must not take a verifier thread away; the request whose job
                        // panicked gets `500 internal` (its answer channel is dropped).
                        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err() {
                            tracing::error!("receipt verification panicked");
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a verifier thread");
            }
        }
        Self {
            permits: Arc::new(Semaphore::new(limits.max_inflight)),
            jobs: Mutex::new(tx),
            limits,
            shed: AtomicU64::new(0),
            shed_reported: Mutex::new(None),
        }
    }

    /// A permit, or `None` when [`IngestLimits::max_inflight`] receipts are in flight.
    pub(crate) fn admit(&self) -> Option<OwnedSemaphorePermit> {
        self.permits.clone().try_acquire_owned().ok()
    }

    /// Counts a shed receipt; logs a summary (a warning) at most once a second, so an overload
    /// does not also flood the log.
    pub(crate) fn note_shed(&self, why: &'static str) {
        self.shed.fetch_add(1, Ordering::Relaxed);
        let Ok(mut last) = self.shed_reported.try_lock() else {
            return;
        };
        let now = Instant::now();
        if last.is_some_and(|t| now.duration_since(t) < Duration::from_secs(1)) {
            return;
        }
        *last = Some(now);
        let n = self.shed.swap(0, Ordering::Relaxed);
        tracing::warn!(
            shed = n,
            why,
            max_inflight = self.limits.max_inflight,
            "at capacity: receipts answered 503 overloaded since the last report"
        );
    }

    /// Runs core `verify` on a verifier thread.
    pub(crate) async fn verify(
        &self,
        body: axum::body::Bytes,
        policy: Arc<VerifyPolicy>,
    ) -> Result<VerifiedReceipt, VerifyJobError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(verify(&body, &policy));
        });
        self.jobs
            .lock()
            .map_err(|_| VerifyJobError::PoolGone)?
            .send(job)
            .map_err(|_| VerifyJobError::PoolGone)?;
        rx.await
            .map_err(|_| VerifyJobError::PoolGone)?
            .map_err(VerifyJobError::Refused)
    }
}
