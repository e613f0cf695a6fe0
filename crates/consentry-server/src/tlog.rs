//! The transparency log over the ledger (ADR 0011).
//!
//! Ledger entry `i` is leaf `i - 1` of an RFC 6962 Merkle tree (leaf data
//! `"ccr-leaf/v1\n" ‖ entry_hash`: hashes only, no personal data). Its stored hashes (the
//! Go `sumdb/tlog` layout that C2SP tiles are cut from) and a checkpoint signed with the log's
//! Ed25519 key are written in the same transaction as the batch of entries they cover
//! ([`seal_sqlite`], [`seal_pg`]), so every committed batch has a durable signed checkpoint.
//!
//! The tables are new (`tlog_hashes`, `tlog_checkpoints`, `tlog_cosigned`); nothing in the
//! `ledger` table changes. On open, a ledger without them (an older database) is logged
//! from its first entry by the next batch.
//!
//! Read access follows C2SP tlog-tiles under `/v1/log/` (`tlog_http::routes`), and a background
//! task (`tlog_http::run_witnesses`) submits each new checkpoint to the configured witnesses
//! (C2SP tlog-witness) and stores the cosigned note it gets back. Ingest fails open: receipts are
//! accepted while a witness is down; their proof then carries an unwitnessed checkpoint (see
//! ADR 0011 for why and what it costs).

use std::collections::HashMap;
use std::time::Duration;

use consentry_tlog::{Hash, LogSigner, MapReader, Proof, leaf_hash};

use crate::db::{StoreError, StoreFuture, digest_col};

/// Tables of the log (SQLite).
pub const SQLITE_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS tlog_hashes (
    id   INTEGER PRIMARY KEY,
    hash BLOB    NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS tlog_checkpoints (
    size INTEGER PRIMARY KEY,
    note TEXT    NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS tlog_cosigned (
    size INTEGER PRIMARY KEY,
    note TEXT    NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS tlog_hashes_no_update BEFORE UPDATE ON tlog_hashes
BEGIN
    SELECT RAISE(ABORT, 'the log is append-only: UPDATE refused');
END;
CREATE TRIGGER IF NOT EXISTS tlog_hashes_no_delete BEFORE DELETE ON tlog_hashes
BEGIN
    SELECT RAISE(ABORT, 'the log is append-only: DELETE refused');
END;
";

/// Tables of the log (PostgreSQL; applied after the ledger schema, under its lock).
pub const PG_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS tlog_hashes (
    id   BIGINT PRIMARY KEY,
    hash BYTEA  NOT NULL
);
CREATE TABLE IF NOT EXISTS tlog_checkpoints (
    size BIGINT PRIMARY KEY,
    note TEXT   NOT NULL
);
CREATE TABLE IF NOT EXISTS tlog_cosigned (
    size BIGINT PRIMARY KEY,
    note TEXT   NOT NULL
);
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'tlog_hashes_append_only') THEN
        CREATE TRIGGER tlog_hashes_append_only BEFORE UPDATE OR DELETE ON tlog_hashes
        FOR EACH ROW EXECUTE FUNCTION consentry_ledger_append_only();
    END IF;
END $$;
";

pub(crate) fn corrupt(why: impl Into<String>) -> StoreError {
    StoreError::Corrupt(why.into())
}

fn to_i64(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| corrupt("log index overflow"))
}

fn to_u64(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| corrupt("negative log index"))
}

fn hash_col(b: &[u8]) -> Result<Hash, StoreError> {
    Ok(Hash(
        b.try_into()
            .map_err(|_| corrupt("tlog_hashes: not 32 bytes"))?,
    ))
}

/// The log a store keeps: its checkpoint key, and the proofs of the entries just committed,
/// waiting for their answers.
pub struct Log {
    /// The checkpoint key.
    pub signer: LogSigner,
    proofs: std::sync::Mutex<HashMap<u64, String>>,
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Log")
            .field("signer", &self.signer)
            .finish_non_exhaustive()
    }
}

/// Proofs kept for answers at most (a batch's requests take theirs at once; ones whose
/// client went away are dropped when this many wait).
const MAX_WAITING_PROOFS: usize = 16 * 1024;

impl Log {
    /// A log signed with `signer`.
    pub fn new(signer: LogSigner) -> Self {
        Self {
            signer,
            proofs: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// Keeps the proofs of a committed batch for their answers.
    pub(crate) fn remember(&self, proofs: Proofs) {
        if let Ok(mut m) = self.proofs.lock() {
            if m.len() + proofs.0.len() > MAX_WAITING_PROOFS {
                m.clear();
            }
            m.extend(proofs.0);
        }
    }

    /// The proof of ledger entry `index` computed when it was committed, once.
    pub fn take(&self, index: u64) -> Option<String> {
        self.proofs.lock().ok()?.remove(&index)
    }
}

/// The proofs (tlog-proof texts) of the entries of one batch, by ledger index.
#[derive(Debug, Default)]
pub(crate) struct Proofs(Vec<(u64, String)>);

/// What one batch adds to the log.
pub(crate) struct Sealed {
    /// New stored hashes (tlog-tiles index, hash).
    pub(crate) hashes: Vec<(u64, Hash)>,
    /// The new checkpoint's size.
    pub(crate) size: u64,
    /// The new checkpoint, signed.
    pub(crate) note: String,
    /// Each new entry's inclusion proof.
    pub(crate) proofs: Proofs,
    /// The frontier at `size` (for the next batch).
    pub(crate) frontier: Option<Frontier>,
}

/// The log's part of a batch: the leaves of ledger entries `tree + 1 ..= head`
/// (`rows`: index and `entry_hash` hex, in order) appended to the tree of `tree` leaves.
fn plan(
    log: &LogSigner,
    tree: u64,
    head: u64,
    rows: &[(i64, String)],
    frontier: MapReader,
) -> Result<Option<Sealed>, StoreError> {
    if head < tree {
        // Entries the log has covered are gone from the ledger: refuse to write on top.
        return Err(corrupt(format!(
            "the ledger ends at entry {head} but the log covers {tree}: entries were deleted"
        )));
    }
    if head == tree {
        return Ok(None);
    }
    let mut leaves = Vec::with_capacity(rows.len());
    for (k, (idx, h)) in rows.iter().enumerate() {
        if to_u64(*idx)? != tree + 1 + k as u64 {
            return Err(corrupt(format!(
                "ledger entry {} is missing",
                tree + 1 + k as u64
            )));
        }
        let d = digest_col("entry_hash", h)?;
        leaves.push(leaf_hash(&d.0));
    }
    if tree + leaves.len() as u64 != head {
        return Err(corrupt("the ledger has gaps"));
    }
    let (hashes, root) = consentry_tlog::append(tree, &frontier, &leaves)
        .map_err(|e| corrupt(format!("log tree: {e}")))?;
    let note = log.sign(head, root).map_err(corrupt)?;
    // Each new entry's proof against this checkpoint, from the hashes at hand (the old
    // frontier and the new hashes cover every sibling); the answer then needs no read.
    let mut known = frontier;
    known.0.extend(hashes.iter().copied());
    let mut proofs = Vec::with_capacity(leaves.len());
    for k in 0..leaves.len() as u64 {
        let leaf = tree + k;
        if let Ok(p) = consentry_tlog::prove_inclusion(head, leaf, &known) {
            let text = Proof {
                index: leaf,
                hashes: p,
                checkpoint: note.clone().into_bytes(),
            }
            .to_text();
            proofs.push((leaf + 1, text));
        }
    }
    let roots = consentry_tlog::root_indexes(head);
    let next: HashMap<u64, Hash> = roots
        .iter()
        .filter_map(|id| known.0.get(id).map(|h| (*id, *h)))
        .collect();
    let complete = next.len() == roots.len();
    Ok(Some(Sealed {
        hashes,
        size: head,
        note,
        proofs: Proofs(proofs),
        frontier: complete.then_some(Frontier {
            size: head,
            hashes: MapReader(next),
        }),
    }))
}

/// Logs the entries the batch in `tx` added (and any older ones not yet logged) and stores a
/// signed checkpoint, inside the batch's transaction.
pub(crate) fn seal_sqlite(tx: &rusqlite::Transaction<'_>, log: &Log) -> Result<Proofs, StoreError> {
    let log = &log.signer;
    let tree: i64 = tx
        .prepare_cached("SELECT coalesce(max(size), 0) FROM tlog_checkpoints")?
        .query_row([], |r| r.get(0))?;
    let head: i64 = tx
        .prepare_cached("SELECT coalesce(max(idx), 0) FROM ledger")?
        .query_row([], |r| r.get(0))?;
    let (tree, head) = (to_u64(tree)?, to_u64(head)?);
    let mut rows = Vec::new();
    if head > tree {
        let mut st =
            tx.prepare_cached("SELECT idx, entry_hash FROM ledger WHERE idx > ?1 ORDER BY idx")?;
        let it = st.query_map([to_i64(tree)?], |r| Ok((r.get(0)?, r.get(1)?)))?;
        for r in it {
            rows.push(r?);
        }
    }
    let mut frontier = MapReader::default();
    if head > tree {
        let mut st = tx.prepare_cached("SELECT hash FROM tlog_hashes WHERE id = ?1")?;
        for id in consentry_tlog::root_indexes(tree) {
            let h: Vec<u8> = st
                .query_row([to_i64(id)?], |r| r.get(0))
                .map_err(|_| corrupt(format!("tlog_hashes: {id} is missing")))?;
            frontier.0.insert(id, hash_col(&h)?);
        }
    }
    let Some(s) = plan(log, tree, head, &rows, frontier)? else {
        return Ok(Proofs::default());
    };
    let mut ins = tx.prepare_cached("INSERT INTO tlog_hashes (id, hash) VALUES (?1, ?2)")?;
    for (id, h) in &s.hashes {
        ins.execute(rusqlite::params![to_i64(*id)?, &h.0[..]])?;
    }
    tx.prepare_cached("INSERT INTO tlog_checkpoints (size, note) VALUES (?1, ?2)")?
        .execute(rusqlite::params![to_i64(s.size)?, s.note])?;
    Ok(s.proofs)
}

/// The log's frontier (the roots of its complete subtrees) at the size of its latest
/// checkpoint, as the PostgreSQL writer keeps it between batches: with one replica the next
/// batch needs no read of the log at all; after another replica's batch the sizes differ and
/// the frontier is read again.
#[derive(Debug)]
pub(crate) struct Frontier {
    size: u64,
    hashes: MapReader,
}

/// The log's part of a PostgreSQL batch, planned under the ledger lock: `tree` is the size of
/// the latest checkpoint and `head` the ledger's last index before the batch (both read in
/// the batch's first round trip), `new` the batch's entries (index and `entry_hash` hex, in
/// order). Reads the frontier unless `cache` holds it at `tree`, and the entries between
/// `tree` and `head` if some were never logged. The caller writes the result in the batch's
/// transaction and, once it committed, keeps [`Sealed::frontier`] as the next `cache`.
pub(crate) async fn plan_pg(
    c: &impl tokio_postgres::GenericClient,
    log: &Log,
    cache: Option<&Frontier>,
    tree: u64,
    head: u64,
    new: Vec<(i64, String)>,
) -> Result<Option<Sealed>, StoreError> {
    let size = head + new.len() as u64;
    if head < tree || size == tree {
        return plan(&log.signer, tree, head, &[], MapReader::default());
    }
    let mut rows = Vec::new();
    if head > tree {
        // Entries committed without a checkpoint (a ledger written before the log was on).
        let tree_i = to_i64(tree)?;
        for r in c
            .query(
                "SELECT idx, entry_hash FROM ledger WHERE idx > $1 ORDER BY idx",
                &[&tree_i],
            )
            .await?
        {
            rows.push((r.try_get(0)?, r.try_get(1)?));
        }
    }
    rows.extend(new);
    let frontier = match cache {
        Some(f) if f.size == tree => f.hashes.clone(),
        _ => {
            let ids: Vec<i64> = consentry_tlog::root_indexes(tree)
                .into_iter()
                .map(to_i64)
                .collect::<Result<_, _>>()?;
            let mut frontier = MapReader::default();
            for r in &c
                .query(
                    "SELECT id, hash FROM tlog_hashes WHERE id = ANY($1)",
                    &[&ids],
                )
                .await?
            {
                frontier
                    .0
                    .insert(to_u64(r.try_get(0)?)?, hash_col(r.try_get(1)?)?);
            }
            frontier
        }
    };
    plan(&log.signer, tree, size, &rows, frontier)
}

/// The log as read back: the latest checkpoint, cosigned forms, and the stored hashes asked
/// for.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// Size of the latest checkpoint (0: nothing logged yet).
    pub size: u64,
    /// The latest log-signed checkpoint note.
    pub note: Option<String>,
    /// Its cosigned form, when the witnesses have cosigned it.
    pub cosigned: Option<String>,
    /// The latest cosigned checkpoint (any size).
    pub latest_cosigned: Option<(u64, String)>,
    /// The stored hashes asked for.
    pub hashes: MapReader,
}

/// Which stored hashes to read, given the latest checkpoint's size and the latest cosigned
/// checkpoint's size.
pub type Want = Box<dyn FnOnce(u64, Option<u64>) -> Vec<u64> + Send>;

/// Read access to the log a store keeps.
pub trait LogStore: Send + Sync {
    /// One consistent read: the latest checkpoint and the hashes `want` names for its size.
    fn log_read(&self, want: Want) -> StoreFuture<'_, Snapshot>;
    /// Stores a cosigned checkpoint note for `size`.
    fn log_store_cosigned(&self, size: u64, note: String) -> StoreFuture<'_, ()>;
}

pub(crate) fn sqlite_read(conn: &rusqlite::Connection, want: Want) -> Result<Snapshot, StoreError> {
    use rusqlite::OptionalExtension as _;
    // One read transaction: the checkpoint and its hashes are of the same state.
    conn.execute_batch("BEGIN")?;
    let out = (|| {
        let mut snap = Snapshot::default();
        if let Some((size, note)) = conn
            .prepare_cached("SELECT size, note FROM tlog_checkpoints ORDER BY size DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .optional()?
        {
            snap.size = to_u64(size)?;
            snap.note = Some(note);
        }
        if let Some((size, note)) = conn
            .prepare_cached("SELECT size, note FROM tlog_cosigned ORDER BY size DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .optional()?
        {
            let size = to_u64(size)?;
            if size == snap.size {
                snap.cosigned = Some(note.clone());
            }
            snap.latest_cosigned = Some((size, note));
        }
        let mut st = conn.prepare_cached("SELECT hash FROM tlog_hashes WHERE id = ?1")?;
        let cosigned = snap.latest_cosigned.as_ref().map(|c| c.0);
        for id in want(snap.size, cosigned) {
            let h: Option<Vec<u8>> = st.query_row([to_i64(id)?], |r| r.get(0)).optional()?;
            let h = h.ok_or_else(|| corrupt(format!("tlog_hashes: {id} is missing")))?;
            snap.hashes.0.insert(id, hash_col(&h)?);
        }
        Ok(snap)
    })();
    let _ = conn.execute_batch("COMMIT");
    out
}

pub(crate) fn sqlite_store_cosigned(
    path: &std::path::Path,
    size: u64,
    note: &str,
) -> Result<(), StoreError> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.execute(
        "INSERT OR REPLACE INTO tlog_cosigned (size, note) VALUES (?1, ?2)",
        rusqlite::params![to_i64(size)?, note],
    )?;
    Ok(())
}

pub(crate) async fn pg_read(
    c: &tokio_postgres::Client,
    want: Want,
) -> Result<Snapshot, StoreError> {
    let (cp, co) = tokio::try_join!(
        c.query_opt(
            "SELECT size, note FROM tlog_checkpoints ORDER BY size DESC LIMIT 1",
            &[]
        ),
        c.query_opt(
            "SELECT size, note FROM tlog_cosigned ORDER BY size DESC LIMIT 1",
            &[]
        ),
    )?;
    let mut snap = Snapshot::default();
    if let Some(r) = cp {
        snap.size = to_u64(r.try_get(0)?)?;
        snap.note = Some(r.try_get(1)?);
    }
    if let Some(r) = co {
        let size = to_u64(r.try_get(0)?)?;
        let note: String = r.try_get(1)?;
        if size == snap.size {
            snap.cosigned = Some(note.clone());
        }
        snap.latest_cosigned = Some((size, note));
    }
    // Stored hashes never change once written, so reading them after the checkpoint is safe.
    let cosigned = snap.latest_cosigned.as_ref().map(|c| c.0);
    let ids: Vec<i64> = want(snap.size, cosigned)
        .into_iter()
        .map(to_i64)
        .collect::<Result<_, _>>()?;
    if !ids.is_empty() {
        for r in c
            .query(
                "SELECT id, hash FROM tlog_hashes WHERE id = ANY($1)",
                &[&ids],
            )
            .await?
        {
            snap.hashes
                .0
                .insert(to_u64(r.try_get(0)?)?, hash_col(r.try_get(1)?)?);
        }
        if snap.hashes.0.len() != ids.len() {
            return Err(corrupt("tlog_hashes: hashes are missing"));
        }
    }
    Ok(snap)
}

pub(crate) async fn pg_store_cosigned(
    c: &tokio_postgres::Client,
    size: u64,
    note: &str,
) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO tlog_cosigned (size, note) VALUES ($1, $2)
         ON CONFLICT (size) DO UPDATE SET note = EXCLUDED.note",
        &[&to_i64(size)?, &note],
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Log key.

/// File name of the log's private key in the key directory.
pub const LOG_KEY_FILE: &str = "log.key";

/// Loads the log key from `dir/log.key`, creating it (0600) for `origin` when missing. An
/// existing key for another origin is refused.
pub fn open_log_key(dir: &std::path::Path, origin: &str) -> Result<LogSigner, String> {
    let path = dir.join(LOG_KEY_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let t = LogSigner::generate(origin)?;
            let mut o = std::fs::OpenOptions::new();
            o.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
            let mut f = o
                .open(&path)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            std::io::Write::write_all(&mut f, t.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            t
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let signer = LogSigner::from_private(&text)?;
    if signer.origin() != origin {
        return Err(format!(
            "{} is the key of log {:?}, not {origin:?}",
            path.display(),
            signer.origin()
        ));
    }
    Ok(signer)
}
