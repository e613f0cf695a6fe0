//! The embedded SQLite receipt store.
//!
//! One file, WAL journal, `synchronous = FULL` (a commit is on disk before the server answers
//! 2xx). The `receipts` table is append-only: triggers abort every `UPDATE` and `DELETE`, and
//! `recursive_triggers` makes `INSERT OR REPLACE` hit the delete trigger too. All SQLite work
//! runs on one dedicated thread that owns the connection, never on the async executor.

use std::path::Path;
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread::JoinHandle;

use consentry_core::encoding::Sha256Digest;
use consentry_core::time::Timestamp;
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};

use crate::store::{
    AppendOutcome, NewReceipt, ReceiptStore, StoreError, StoreFuture, StoredReceipt,
};

/// The schema, applied on open (idempotent).
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS receipts (
    sequence        INTEGER PRIMARY KEY AUTOINCREMENT,
    receipt_id      TEXT    NOT NULL UNIQUE,
    subject         TEXT    NOT NULL,
    notice_id       TEXT    NOT NULL,
    notice_version  TEXT    NOT NULL,
    notice_locale   TEXT    NOT NULL,
    notice_sha256   TEXT    NOT NULL,
    payload_sha256  TEXT    NOT NULL,
    received_at     TEXT    NOT NULL,
    envelope        BLOB    NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS receipts_subject ON receipts (subject, sequence);
CREATE TRIGGER IF NOT EXISTS receipts_no_update BEFORE UPDATE ON receipts
BEGIN
    SELECT RAISE(ABORT, 'receipts are append-only: UPDATE refused');
END;
CREATE TRIGGER IF NOT EXISTS receipts_no_delete BEFORE DELETE ON receipts
BEGIN
    SELECT RAISE(ABORT, 'receipts are append-only: DELETE refused');
END;
";

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// SQLite-backed [`ReceiptStore`].
pub struct SqliteStore {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, creating its parent directory, and
    /// starts the worker thread. Blocks while it opens the file; call it at startup.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        let conn = Connection::open(path)?;
        configure(&conn)?;
        let (tx, rx) = mpsc::channel::<Job>();
        let worker = std::thread::Builder::new()
            .name("consentry-sqlite".into())
            .spawn(move || {
                let mut conn = conn;
                while let Ok(job) = rx.recv() {
                    job(&mut conn);
                }
                if let Err((_, e)) = conn.close() {
                    tracing::error!(error = %e, "closing the receipt database failed");
                }
            })?;
        Ok(Self {
            jobs: Mutex::new(Some(tx)),
            worker: Mutex::new(Some(worker)),
        })
    }

    /// Finishes the queued work, closes the database and stops the worker thread. Later calls
    /// fail with [`StoreError::Closed`]. Blocks until the worker has finished.
    pub fn shutdown(&self) {
        drop(self.jobs.lock().ok().and_then(|mut j| j.take()));
        if let Some(handle) = self.worker.lock().ok().and_then(|mut w| w.take())
            && handle.join().is_err()
        {
            tracing::error!("the receipt database worker panicked");
        }
    }

    async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let _ = tx.send(f(conn));
        });
        {
            let guard = self.jobs.lock().map_err(|_| StoreError::Closed)?;
            let sender = guard.as_ref().ok_or(StoreError::Closed)?;
            sender.send(job).map_err(|_| StoreError::Closed)?;
        }
        rx.await.map_err(|_| StoreError::Closed)?
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        // Closing the queue lets the worker finish and close the database by itself.
        if let Ok(mut j) = self.jobs.lock() {
            j.take();
        }
    }
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Config(format!(
            "journal_mode is {mode}, WAL could not be enabled"
        )));
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA recursive_triggers = ON;
         PRAGMA busy_timeout = 5000;",
    )?;
    conn.execute_batch(SCHEMA)?;
    Ok(())
}

fn row_to_stored(
    sequence: i64,
    receipt_id: String,
    payload_sha256: &str,
    received_at: &str,
    envelope: Vec<u8>,
) -> Result<StoredReceipt, StoreError> {
    Ok(StoredReceipt {
        sequence,
        payload_sha256: Sha256Digest::from_hex(payload_sha256).ok_or_else(|| {
            StoreError::Corrupt(format!("{receipt_id}: payload_sha256 is not a digest"))
        })?,
        received_at: Timestamp::parse_rfc3339(received_at).map_err(|_| {
            StoreError::Corrupt(format!("{receipt_id}: received_at is not a timestamp"))
        })?,
        receipt_id,
        envelope,
    })
}

fn select(conn: &Connection, receipt_id: &str) -> Result<Option<StoredReceipt>, StoreError> {
    let row = conn
        .query_row(
            "SELECT sequence, payload_sha256, received_at, envelope FROM receipts
             WHERE receipt_id = ?1",
            params![receipt_id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            },
        )
        .optional()?;
    row.map(|(seq, sha, at, env)| row_to_stored(seq, receipt_id.into(), &sha, &at, env))
        .transpose()
}

impl ReceiptStore for SqliteStore {
    fn append(&self, r: NewReceipt) -> StoreFuture<'_, AppendOutcome> {
        Box::pin(self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(existing) = select(&tx, &r.receipt_id)? {
                return Ok(if existing.envelope == r.envelope {
                    AppendOutcome::AlreadyStored(existing)
                } else {
                    AppendOutcome::Conflict
                });
            }
            tx.execute(
                "INSERT INTO receipts (receipt_id, subject, notice_id, notice_version,
                     notice_locale, notice_sha256, payload_sha256, received_at, envelope)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    r.receipt_id,
                    r.subject,
                    r.notice_id,
                    r.notice_version,
                    r.notice_locale,
                    r.notice_sha256.to_hex(),
                    r.payload_sha256.to_hex(),
                    r.received_at.to_rfc3339(),
                    r.envelope,
                ],
            )?;
            let sequence = tx.last_insert_rowid();
            tx.commit()?;
            Ok(AppendOutcome::Inserted(StoredReceipt {
                sequence,
                receipt_id: r.receipt_id,
                payload_sha256: r.payload_sha256,
                received_at: r.received_at,
                envelope: r.envelope,
            }))
        }))
    }

    fn get(&self, receipt_id: &str) -> StoreFuture<'_, Option<StoredReceipt>> {
        let id = receipt_id.to_owned();
        Box::pin(self.call(move |conn| select(conn, &id)))
    }
}
