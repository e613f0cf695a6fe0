//! The embedded SQLite ledger.
//!
//! One file, WAL journal, `synchronous = FULL`: a commit is on disk before the server answers
//! 2xx. One writer thread owns the write connection and commits receipts in groups: it takes
//! every append that is waiting (up to [`MAX_BATCH`]), seals them in one `IMMEDIATE`
//! transaction and commits once, so one fsync covers the whole group (group commit). The queue
//! in front of it is bounded ([`SqliteStore::open_with_queue`]): when it is full an append
//! fails at once with [`StoreError::Overloaded`] instead of waiting. Reads run
//! on a pool of [`READERS`] read-only connections on blocking threads, never on the async
//! executor: at most that many at once, each on a connection kept open, so a busy server
//! never pays for opening a connection (and its cold page cache) per read.
//!
//! Checkpoints (copying the WAL into the database file, with its fsync) run on their own thread
//! and connection every quarter second (`wal_autocheckpoint` is off for the writer), so a
//! checkpoint never stalls the writer and the answers waiting for it.
//!
//! The `ledger` table is append-only: triggers abort every `UPDATE` and `DELETE`, and
//! `recursive_triggers` makes `INSERT OR REPLACE` hit the delete trigger too.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use consentry_core::receipt::countersign::ChainTip;
use consentry_core::receipt::ledger::Sequencer;
use rusqlite::{Connection, OpenFlags, OptionalExtension as _, TransactionBehavior, params};

use crate::db::{StoreError, StoreFuture, digest_col};
use crate::store::{
    AppendOutcome, BatchView, DEFAULT_WRITE_QUEUE, EMPTY_HEAD, Existing, Head, LedgerConfig,
    LedgerRecord, NewReceipt, Query, RawRow, ReceiptStore, seal_batch, tip_from_row,
};
use crate::tlog::{Snapshot, Want, sqlite_read, sqlite_store_cosigned};

/// Most receipts committed in one transaction.
pub const MAX_BATCH: usize = 512;

/// Most reads running at once, each on its own kept-open read-only connection; later reads
/// wait for one to finish. Reads are short and mostly served from the connection's page
/// cache, so a few per core keep the cores busy without opening connections under load.
pub const READERS: usize = 8;

/// The schema, applied on open (idempotent).
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ledger (
    idx               INTEGER PRIMARY KEY,
    receipt_id        TEXT    NOT NULL,
    subject           TEXT    NOT NULL,
    notice_id         TEXT    NOT NULL,
    notice_version    TEXT    NOT NULL,
    notice_locale     TEXT    NOT NULL,
    notice_sha256     TEXT    NOT NULL,
    payload_sha256    TEXT    NOT NULL,
    received_at       INTEGER NOT NULL,
    kid               TEXT    NOT NULL,
    subject_chain     TEXT    NOT NULL,
    device_commitment TEXT    NOT NULL,
    prev_hash         TEXT    NOT NULL,
    entry_hash        TEXT    NOT NULL,
    received          BLOB    NOT NULL,
    countersigned     BLOB    NOT NULL,
    -- A receipt id is unique per subject: another device cannot claim it (issue 13).
    UNIQUE (subject, receipt_id)
) STRICT;
CREATE TABLE IF NOT EXISTS ledger_meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS ledger_subject ON ledger (subject, notice_id, idx);
CREATE INDEX IF NOT EXISTS ledger_receipt ON ledger (receipt_id, idx);
CREATE INDEX IF NOT EXISTS ledger_notice ON ledger (notice_id, notice_version, idx);
CREATE INDEX IF NOT EXISTS ledger_time ON ledger (received_at, idx);
CREATE TRIGGER IF NOT EXISTS ledger_no_update BEFORE UPDATE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE refused');
END;
CREATE TRIGGER IF NOT EXISTS ledger_no_delete BEFORE DELETE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only: DELETE refused');
END;
";

/// The columns every read selects, in [`row_to_record`] order.
const COLUMNS: &str = "idx, receipt_id, subject, notice_id, notice_version, notice_locale, \
    notice_sha256, payload_sha256, received_at, kid, subject_chain, device_commitment, \
    prev_hash, entry_hash, received, countersigned";

type Reply = tokio::sync::oneshot::Sender<Result<AppendOutcome, StoreError>>;

/// SQLite-backed [`ReceiptStore`].
pub struct SqliteStore {
    pub(crate) path: PathBuf,
    log_id: Arc<str>,
    pub(crate) has_log: bool,
    jobs: Mutex<Option<mpsc::SyncSender<(NewReceipt, Reply)>>>,
    worker: Mutex<Option<JoinHandle<()>>>,
    readers: Arc<Mutex<Vec<Connection>>>,
    /// The last committed index ([`ReceiptStore::committed_size`]), stored by the writer
    /// thread after each commit and before it answers the batch.
    committed: Arc<AtomicU64>,
    /// One permit per [`READERS`]: a read holds one while it runs.
    read_slots: Arc<tokio::sync::Semaphore>,
    checkpointer: Mutex<Option<(mpsc::Sender<()>, JoinHandle<()>)>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, creating its parent directory, and
    /// starts the writer thread, with a write queue of [`DEFAULT_WRITE_QUEUE`]. Blocks while it
    /// opens the file; call it at startup.
    pub fn open(path: &Path, cfg: LedgerConfig) -> Result<Self, StoreError> {
        Self::open_with_queue(path, cfg, DEFAULT_WRITE_QUEUE)
    }

    /// [`SqliteStore::open`] with at most `queue` appends waiting for the writer; an append
    /// beyond it fails at once with [`StoreError::Overloaded`].
    pub fn open_with_queue(
        path: &Path,
        cfg: LedgerConfig,
        queue: usize,
    ) -> Result<Self, StoreError> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            private_dir(parent)?;
        }
        let fresh = !path.exists();
        let conn = Connection::open(path)?;
        configure(&conn)?;
        // SQLite creates the files with the umask (usually 0644: every user of the machine
        // could read every receipt) and gives `-wal` and `-shm` the database file's mode.
        // Tightened before the first receipt is written; an older database left open to
        // others is tightened too, with a warning.
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            make_private(Path::new(&p), !fresh)?;
        }
        check_log_id(&conn, &cfg.log_id)?;
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0;")?;
        let checkpointer = start_checkpointer(path)?;
        let log_id: Arc<str> = cfg.log_id.as_str().into();
        let has_log = cfg.log.is_some();
        let head = read_head(&conn)?;
        let mut seq = Sequencer::new(cfg.log_id.clone(), head.size, head.hash);
        let committed = Arc::new(AtomicU64::new(head.size));
        let committed_by_writer = committed.clone();
        let (tx, rx) = mpsc::sync_channel::<(NewReceipt, Reply)>(queue.max(1));
        let worker = std::thread::Builder::new()
            .name("consentry-sqlite-writer".into())
            .spawn(move || {
                let mut conn = conn;
                while let Ok(first) = rx.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match rx.try_recv() {
                            Ok(j) => batch.push(j),
                            Err(_) => break,
                        }
                    }
                    let (receipts, replies): (Vec<NewReceipt>, Vec<Reply>) =
                        batch.into_iter().unzip();
                    let saved = seq.clone();
                    match write_batch(&mut conn, &cfg, &mut seq, &receipts) {
                        Ok(outcomes) => {
                            if let Some(last) = outcomes
                                .iter()
                                .filter_map(|o| match o {
                                    AppendOutcome::Inserted(r) => Some(r.entry.index),
                                    _ => None,
                                })
                                .max()
                            {
                                committed_by_writer.fetch_max(last, Ordering::Release);
                            }
                            for (reply, o) in replies.into_iter().zip(outcomes) {
                                let _ = reply.send(Ok(o));
                            }
                        }
                        Err(e) => {
                            seq = saved;
                            tracing::error!(error = %e, n = replies.len(), "ledger batch failed");
                            for reply in replies {
                                let _ = reply.send(Err(StoreError::Config(e.to_string())));
                            }
                        }
                    }
                }
                if let Err((_, e)) = conn.close() {
                    tracing::error!(error = %e, "closing the ledger database failed");
                }
            })?;
        Ok(Self {
            path: path.to_path_buf(),
            log_id,
            has_log,
            jobs: Mutex::new(Some(tx)),
            worker: Mutex::new(Some(worker)),
            readers: Arc::new(Mutex::new(Vec::new())),
            committed,
            read_slots: Arc::new(tokio::sync::Semaphore::new(READERS)),
            checkpointer: Mutex::new(Some(checkpointer)),
        })
    }

    /// Finishes the queued appends, closes the database and stops the writer. Later appends
    /// fail with [`StoreError::Closed`]. Blocks until the writer has finished.
    pub fn shutdown(&self) {
        drop(self.jobs.lock().ok().and_then(|mut j| j.take()));
        if let Some(handle) = self.worker.lock().ok().and_then(|mut w| w.take())
            && handle.join().is_err()
        {
            tracing::error!("the ledger writer thread panicked");
        }
        if let Some((stop, handle)) = self.checkpointer.lock().ok().and_then(|mut c| c.take()) {
            drop(stop);
            if handle.join().is_err() {
                tracing::error!("the checkpoint thread panicked");
            }
        }
    }

    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let pool = self.readers.clone();
        let path = self.path.clone();
        let slot = self
            .read_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Closed)?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            let conn = pool.lock().ok().and_then(|mut p| p.pop());
            let conn = match conn {
                Some(c) => c,
                None => {
                    let c = Connection::open_with_flags(
                        &path,
                        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    c.busy_timeout(std::time::Duration::from_secs(5))?;
                    c
                }
            };
            let out = f(&conn);
            if let Ok(mut p) = pool.lock()
                && p.len() < READERS
            {
                p.push(conn);
            }
            out
        })
        .await
        .map_err(|_| StoreError::Closed)?
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        // Closing the queue lets the writer finish and close the database by itself.
        if let Ok(mut j) = self.jobs.lock() {
            j.take();
        }
    }
}

/// A thread that checkpoints the WAL every 250 ms until its sender is dropped, then once more.
fn start_checkpointer(path: &Path) -> Result<(mpsc::Sender<()>, JoinHandle<()>), StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let (tx, rx) = mpsc::channel::<()>();
    let handle = std::thread::Builder::new()
        .name("consentry-sqlite-checkpoint".into())
        .spawn(move || {
            let checkpoint = |mode: &str| {
                if let Err(e) =
                    conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |_| Ok(()))
                {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                }
            };
            while let Err(mpsc::RecvTimeoutError::Timeout) =
                rx.recv_timeout(std::time::Duration::from_millis(250))
            {
                checkpoint("PASSIVE");
            }
            checkpoint("TRUNCATE");
        })?;
    Ok((tx, handle))
}

/// Creates `dir` (and its parents) readable by the server's user alone (0700) when missing.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Takes group and other permissions off an existing file (0600 for a 0644 one); `warn`: say
/// so in the log (a file that was not just created).
fn make_private(path: &Path, warn: bool) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let Ok(meta) = std::fs::metadata(path) else {
            return Ok(());
        };
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            if warn {
                tracing::warn!(file = %path.display(), mode = format!("{:04o}", mode & 0o777), "open to other users: set to 0600");
            }
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, warn);
    Ok(())
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
    migrate(conn)?;
    conn.execute_batch(SCHEMA)?;
    conn.execute_batch(crate::tlog::SQLITE_SCHEMA)?;
    conn.execute_batch(crate::subject_keys::SQLITE_SCHEMA)?;
    conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION};"))?;
    Ok(())
}

/// The schema's version (`PRAGMA user_version`): 2 since receipt ids are unique per subject.
pub const SCHEMA_VERSION: i64 = 2;

/// Brings a ledger written by an older server to [`SCHEMA_VERSION`]: version 1 made a receipt
/// id unique across all subjects (whoever sent it first owned it). SQLite cannot drop that
/// constraint in place, so the table is rebuilt in one transaction: the rows are copied as
/// they are (same bytes, same hashes, same order) and the append-only triggers are re-created
/// by [`SCHEMA`] right after. Logged, never silent.
fn migrate(conn: &Connection) -> Result<(), StoreError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'ledger'",
        [],
        |r| r.get(0),
    )?;
    if !exists || version >= SCHEMA_VERSION {
        return Ok(());
    }
    let rows: i64 = conn.query_row("SELECT count(*) FROM ledger", [], |r| r.get(0))?;
    let create = SCHEMA
        .split_once("CREATE TABLE IF NOT EXISTS ledger_meta")
        .map(|(t, _)| {
            t.replace(
                "CREATE TABLE IF NOT EXISTS ledger (",
                "CREATE TABLE ledger_v2 (",
            )
        })
        .ok_or_else(|| StoreError::Config("schema text".into()))?;
    conn.execute_batch(&format!(
        "BEGIN IMMEDIATE;
         {create}
         INSERT INTO ledger_v2 ({COLUMNS}) SELECT {COLUMNS} FROM ledger ORDER BY idx;
         DROP TABLE ledger;
         ALTER TABLE ledger_v2 RENAME TO ledger;
         PRAGMA user_version = {SCHEMA_VERSION};
         COMMIT;"
    ))
    .inspect_err(|_| {
        let _ = conn.execute_batch("ROLLBACK;");
    })?;
    tracing::warn!(
        rows,
        from = version,
        to = SCHEMA_VERSION,
        "ledger schema migrated: receipt ids are now unique per subject (rows copied unchanged)"
    );
    Ok(())
}

/// The ledger's `log_id` is fixed when the database is created; opening it under another
/// name would mix two ledgers in one chain.
fn check_log_id(conn: &Connection, log_id: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO ledger_meta (key, value) VALUES ('log_id', ?1)",
        params![log_id],
    )?;
    let stored: String = conn.query_row(
        "SELECT value FROM ledger_meta WHERE key = 'log_id'",
        [],
        |r| r.get(0),
    )?;
    if stored != log_id {
        return Err(StoreError::Config(format!(
            "this database holds ledger {stored:?}, not {log_id:?}"
        )));
    }
    Ok(())
}

fn read_head(conn: &Connection) -> Result<Head, StoreError> {
    let row = conn
        .query_row(
            "SELECT idx, entry_hash FROM ledger ORDER BY idx DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?;
    match row {
        None => Ok(EMPTY_HEAD),
        Some((idx, h)) => Ok(Head {
            size: u64::try_from(idx).map_err(|_| StoreError::Corrupt("negative index".into()))?,
            hash: digest_col("entry_hash", &h)?,
        }),
    }
}

fn row_to_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        idx: r.get(0)?,
        receipt_id: r.get(1)?,
        subject: r.get(2)?,
        notice_id: r.get(3)?,
        notice_version: r.get(4)?,
        notice_locale: r.get(5)?,
        notice_sha256: r.get(6)?,
        payload_sha256: r.get(7)?,
        received_at: r.get(8)?,
        kid: r.get(9)?,
        subject_chain: r.get(10)?,
        device_commitment: r.get(11)?,
        prev_hash: r.get(12)?,
        entry_hash: r.get(13)?,
        received: r.get(14)?,
        countersigned: r.get(15)?,
    })
}

struct SqliteView<'c> {
    tx: &'c rusqlite::Transaction<'c>,
    log_id: &'c str,
}

impl BatchView for SqliteView<'_> {
    fn existing(&mut self, subject: &str, receipt_id: &str) -> Result<Existing, StoreError> {
        let row = self
            .tx
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM ledger WHERE subject = ?1 AND receipt_id = ?2"
            ))?
            .query_row(params![subject, receipt_id], row_to_record)
            .optional()?;
        match row {
            None => Ok(Existing::None),
            Some(r) => Ok(Existing::Stored(Box::new(r.into_record(self.log_id)?))),
        }
    }

    fn subject_tip(
        &mut self,
        subject: &str,
        notice_id: &str,
    ) -> Result<Option<ChainTip>, StoreError> {
        let row: Option<(String, String, Vec<u8>)> = self
            .tx
            .prepare_cached(
                "SELECT receipt_id, payload_sha256, received FROM ledger
                 WHERE subject = ?1 AND notice_id = ?2 ORDER BY idx DESC LIMIT 1",
            )?
            .query_row(params![subject, notice_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        row.map(|(id, sha, received)| tip_from_row(&id, &sha, &received))
            .transpose()
    }
}

fn write_batch(
    conn: &mut Connection,
    cfg: &LedgerConfig,
    seq: &mut Sequencer,
    batch: &[NewReceipt],
) -> Result<Vec<AppendOutcome>, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (outcomes, inserts) = {
        let mut view = SqliteView {
            tx: &tx,
            log_id: &cfg.log_id,
        };
        seal_batch(cfg, seq, &mut view, batch)?
    };
    {
        let mut ins = tx.prepare_cached(&format!(
            "INSERT INTO ledger ({COLUMNS}) VALUES
             (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
        ))?;
        for r in &inserts {
            let e = &r.entry;
            ins.execute(params![
                i64::try_from(e.index).map_err(|_| StoreError::Corrupt("index overflow".into()))?,
                e.receipt_id.as_str(),
                e.subject,
                r.notice_id,
                r.notice_version,
                r.notice_locale,
                r.notice_sha256.to_hex(),
                e.receipt_sha256.to_hex(),
                e.received_at.0,
                e.kid,
                e.subject_chain.as_str(),
                e.device_commitment.to_hex(),
                e.prev.to_hex(),
                r.entry_hash.to_hex(),
                r.received,
                r.countersigned,
            ])?;
        }
    }
    // The transparency log: leaves, tree hashes and a signed checkpoint, in this transaction.
    let proofs = match &cfg.log {
        Some(log) => Some((log, crate::tlog::seal_sqlite(&tx, log)?)),
        None => None,
    };
    tx.commit()?;
    if let Some((log, proofs)) = proofs {
        log.remember(proofs);
    }
    Ok(outcomes)
}

/// SQL text and parameters of a [`Query`] (SQLite placeholders).
fn query_sql(q: &Query) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value as V;
    let mut sql = format!("SELECT {COLUMNS} FROM ledger WHERE idx > ?1");
    let mut args = vec![V::Integer(i64::try_from(q.after_index).unwrap_or(i64::MAX))];
    let mut add = |cond: &str, v: V| {
        args.push(v);
        sql.push_str(&format!(" AND {cond} ?{}", args.len()));
    };
    if let Some(s) = &q.subject {
        add("subject =", V::Text(s.clone()));
    }
    if let Some(n) = &q.notice_id {
        add("notice_id =", V::Text(n.clone()));
    }
    if let Some(v) = &q.notice_version {
        add("notice_version =", V::Text(v.clone()));
    }
    if let Some(t) = q.from {
        add("received_at >=", V::Integer(t.0));
    }
    if let Some(t) = q.to {
        add("received_at <", V::Integer(t.0));
    }
    let limit = i64::try_from(q.limit).unwrap_or(i64::MAX);
    sql.push_str(&format!(" ORDER BY idx LIMIT {limit}"));
    (sql, args)
}

impl ReceiptStore for SqliteStore {
    fn append(&self, r: NewReceipt) -> StoreFuture<'_, AppendOutcome> {
        Box::pin(async move {
            let (tx, rx) = tokio::sync::oneshot::channel();
            {
                let guard = self.jobs.lock().map_err(|_| StoreError::Closed)?;
                let sender = guard.as_ref().ok_or(StoreError::Closed)?;
                sender.try_send((r, tx)).map_err(|e| match e {
                    mpsc::TrySendError::Full(_) => StoreError::Overloaded,
                    mpsc::TrySendError::Disconnected(_) => StoreError::Closed,
                })?;
            }
            rx.await.map_err(|_| StoreError::Closed)?
        })
    }

    fn get(&self, receipt_id: &str) -> StoreFuture<'_, Vec<LedgerRecord>> {
        let id = receipt_id.to_owned();
        let log_id = self.log_id.clone();
        Box::pin(self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM ledger WHERE receipt_id = ?1 ORDER BY idx"
            ))?;
            let rows = stmt.query_map(params![id], row_to_record)?;
            let mut out = Vec::new();
            for r in rows {
                out.push(r?.into_record(&log_id)?);
            }
            Ok(out)
        }))
    }

    fn head(&self) -> StoreFuture<'_, Head> {
        Box::pin(self.read(read_head))
    }

    fn committed_size(&self) -> Option<u64> {
        Some(self.committed.load(Ordering::Acquire))
    }

    fn log(&self) -> Option<&dyn crate::tlog::LogStore> {
        self.has_log.then_some(self as &dyn crate::tlog::LogStore)
    }

    fn subject_keys(&self) -> &dyn crate::subject_keys::SubjectKeyStore {
        self
    }

    fn entries(&self, indexes: Vec<u64>) -> StoreFuture<'_, Vec<LedgerRecord>> {
        let log_id = self.log_id.clone();
        Box::pin(self.read(move |conn| {
            let list = indexes
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            // The indexes as a JSON array: one statement, no SQL built from values.
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM ledger WHERE idx IN (SELECT value FROM json_each(?1)) \
                 ORDER BY idx"
            ))?;
            let rows = stmt.query_map(params![format!("[{list}]")], row_to_record)?;
            let mut out = Vec::new();
            for r in rows {
                out.push(r?.into_record(&log_id)?);
            }
            Ok(out)
        }))
    }

    fn query(&self, q: Query) -> StoreFuture<'_, Vec<LedgerRecord>> {
        let log_id = self.log_id.clone();
        Box::pin(self.read(move |conn| {
            let (sql, args) = query_sql(&q);
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args), row_to_record)?;
            let mut out = Vec::new();
            for r in rows {
                out.push(r?.into_record(&log_id)?);
            }
            Ok(out)
        }))
    }
}

impl crate::subject_keys::SubjectKeyStore for SqliteStore {
    fn key_of(&self, index: &str) -> StoreFuture<'_, Option<[u8; 32]>> {
        let index = index.to_owned();
        Box::pin(self.read(move |conn| crate::subject_keys::sqlite_key_of(conn, &index)))
    }

    fn key_for(
        &self,
        index: &str,
        fresh: [u8; 32],
        now: consentry_core::time::Timestamp,
    ) -> StoreFuture<'_, [u8; 32]> {
        let (path, index) = (self.path.clone(), index.to_owned());
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                crate::subject_keys::sqlite_key_for(&path, &index, fresh, now)
            })
            .await
            .map_err(|_| StoreError::Closed)?
        })
    }

    fn unlink(
        &self,
        index: &str,
        refs: &[String],
        now: consentry_core::time::Timestamp,
    ) -> StoreFuture<'_, crate::subject_keys::Unlinked> {
        let (path, index, refs) = (self.path.clone(), index.to_owned(), refs.to_vec());
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                crate::subject_keys::sqlite_unlink(&path, &index, &refs, now)
            })
            .await
            .map_err(|_| StoreError::Closed)?
        })
    }

    fn is_unlinked(&self, sref: &str) -> StoreFuture<'_, bool> {
        let sref = sref.to_owned();
        Box::pin(self.read(move |conn| crate::subject_keys::sqlite_is_unlinked(conn, &sref)))
    }

    fn look_up(&self, index: &str, sref: &str) -> StoreFuture<'_, (Option<[u8; 32]>, bool)> {
        let (index, sref) = (index.to_owned(), sref.to_owned());
        Box::pin(self.read(move |conn| crate::subject_keys::sqlite_look_up(conn, &index, &sref)))
    }
}

impl crate::tlog::LogStore for SqliteStore {
    fn log_read(&self, want: Want) -> StoreFuture<'_, Snapshot> {
        Box::pin(self.read(move |conn| sqlite_read(conn, want)))
    }

    fn log_store_cosigned(&self, size: u64, note: String) -> StoreFuture<'_, ()> {
        let path = self.path.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || sqlite_store_cosigned(&path, size, &note))
                .await
                .map_err(|_| StoreError::Closed)?
        })
    }
}
