//! One key per person's identifier, so that one person can be unlinked (issue 15 item 8,
//! ADR 0019).
//!
//! A subject reference `sr2:` is an HMAC, under a key of that identifier's own, of the
//! identifier's kind and normalized value. The keys live in `subject_keys`, in the receipt
//! store (SQLite or PostgreSQL, so every replica sees the same key), found by an index that is
//! an HMAC under the server's `subject-ref.key` (`crate::links::SrefKey::index`). Deleting a
//! row **unlinks that identifier**: its receipts stay in the ledger and verify, but nobody,
//! the server included, can tell any more which identifier their reference was made of; the
//! identifier's next consent starts a new reference with a new key.
//!
//! References made before per-identifier keys (`sr1:`, an HMAC under the server key itself)
//! can be recomputed by whoever holds that key, so they cannot be destroyed one by one;
//! unlinking records the identifier's `sr1` in `subject_unlinked_v1`, and the server never
//! links that reference to anyone again (`crate::links::references`). All `sr1` references
//! become unlinkable at once when `subject-ref.key` is destroyed (ADR 0017).
//!
//! The deleted key must be gone from the disk too, not only from the table:
//! - SQLite: the connection that deletes sets `secure_delete` (the freed bytes are
//!   overwritten) and then truncates the write-ahead log, which held the row since it was
//!   written;
//! - PostgreSQL: `VACUUM FULL subject_keys` rewrites the table without the row. Write-ahead
//!   log segments and base backups keep it until they are recycled or expire: the retention of
//!   backups bounds how long an unlinking takes to be complete (say so in the retention
//!   policy).

use std::path::Path;
use std::time::Duration;

use consentry_core::time::Timestamp;

use crate::db::{StoreError, StoreFuture};

/// Length of a per-identifier key.
pub const KEY_LEN: usize = 32;

/// Tables of the per-identifier keys (SQLite).
pub const SQLITE_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS subject_keys (
    idx        TEXT    PRIMARY KEY,
    key        BLOB    NOT NULL CHECK (length(key) = 32),
    created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS subject_unlinked_v1 (
    sref        TEXT    PRIMARY KEY,
    unlinked_at INTEGER NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS subject_keys_no_update BEFORE UPDATE ON subject_keys
BEGIN
    SELECT RAISE(ABORT, 'a subject key never changes: UPDATE refused');
END;
";

/// Tables of the per-identifier keys (PostgreSQL; applied with the ledger schema).
pub const PG_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS subject_keys (
    idx        TEXT   PRIMARY KEY,
    key        BYTEA  NOT NULL CHECK (length(key) = 32),
    created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS subject_unlinked_v1 (
    sref        TEXT   PRIMARY KEY,
    unlinked_at BIGINT NOT NULL
);
CREATE OR REPLACE FUNCTION consentry_subject_key_fixed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a subject key never changes: UPDATE refused';
END
$$;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'subject_keys_no_update') THEN
        CREATE TRIGGER subject_keys_no_update BEFORE UPDATE ON subject_keys
            FOR EACH ROW EXECUTE FUNCTION consentry_subject_key_fixed();
    END IF;
END
$$;
";

/// Where the per-identifier keys are kept: the receipt store.
pub trait SubjectKeyStore: Send + Sync {
    /// The key of `index`, if there is one.
    fn key_of(&self, index: &str) -> StoreFuture<'_, Option<[u8; KEY_LEN]>>;

    /// The key of `index`: the one stored, or `fresh` stored now (two replicas making one at
    /// the same time agree on whichever was stored first).
    fn key_for(
        &self,
        index: &str,
        fresh: [u8; KEY_LEN],
        now: Timestamp,
    ) -> StoreFuture<'_, [u8; KEY_LEN]>;

    /// Destroys the key of `index` (whether there was one is the answer) and records the
    /// identifier's legacy reference `v1` as unlinked.
    fn unlink(&self, index: &str, v1: &str, now: Timestamp) -> StoreFuture<'_, bool>;

    /// Whether the legacy reference `v1` was unlinked.
    fn v1_unlinked(&self, v1: &str) -> StoreFuture<'_, bool>;
}

fn key_col(b: Vec<u8>) -> Result<[u8; KEY_LEN], StoreError> {
    b.try_into()
        .map_err(|_| StoreError::Corrupt("subject_keys.key: not 32 bytes".into()))
}

// ---------------------------------------------------------------------------------------------
// SQLite.

fn sqlite_writer(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // What this connection deletes is overwritten, not left in free space.
    conn.execute_batch("PRAGMA secure_delete = ON;")?;
    Ok(conn)
}

pub(crate) fn sqlite_key_of(
    conn: &rusqlite::Connection,
    index: &str,
) -> Result<Option<[u8; KEY_LEN]>, StoreError> {
    use rusqlite::OptionalExtension as _;
    let b: Option<Vec<u8>> = conn
        .query_row(
            "SELECT key FROM subject_keys WHERE idx = ?1",
            [index],
            |r| r.get(0),
        )
        .optional()?;
    b.map(key_col).transpose()
}

pub(crate) fn sqlite_key_for(
    path: &Path,
    index: &str,
    fresh: [u8; KEY_LEN],
    now: Timestamp,
) -> Result<[u8; KEY_LEN], StoreError> {
    let conn = sqlite_writer(path)?;
    conn.execute(
        "INSERT INTO subject_keys (idx, key, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (idx) DO NOTHING",
        rusqlite::params![index, fresh.as_slice(), now.0],
    )?;
    sqlite_key_of(&conn, index)?
        .ok_or_else(|| StoreError::Corrupt("subject_keys: the key just stored is gone".into()))
}

pub(crate) fn sqlite_unlink(
    path: &Path,
    index: &str,
    v1: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let mut conn = sqlite_writer(path)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let deleted = tx.execute("DELETE FROM subject_keys WHERE idx = ?1", [index])?;
    tx.execute(
        "INSERT INTO subject_unlinked_v1 (sref, unlinked_at) VALUES (?1, ?2)
         ON CONFLICT (sref) DO NOTHING",
        rusqlite::params![v1, now.0],
    )?;
    tx.commit()?;
    // The row was written to the write-ahead log when it was made: copy the log into the
    // database (where the row's bytes are now overwritten) and empty it. Readers can hold the
    // log for a moment; try again until it is empty.
    for _ in 0..50 {
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy == 0 {
            return Ok(deleted > 0);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(StoreError::Config(
        "the key is deleted, but the write-ahead log that held it could not be emptied (readers \
         kept it busy for 5 s); it is emptied at the next checkpoint"
            .into(),
    ))
}

pub(crate) fn sqlite_v1_unlinked(
    conn: &rusqlite::Connection,
    v1: &str,
) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM subject_unlinked_v1 WHERE sref = ?1)",
        [v1],
        |r| r.get(0),
    )?)
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL.

pub(crate) async fn pg_key_of(
    c: &tokio_postgres::Client,
    index: &str,
) -> Result<Option<[u8; KEY_LEN]>, StoreError> {
    let row = c
        .query_opt("SELECT key FROM subject_keys WHERE idx = $1", &[&index])
        .await?;
    row.map(|r| key_col(r.try_get(0)?)).transpose()
}

pub(crate) async fn pg_key_for(
    c: &tokio_postgres::Client,
    index: &str,
    fresh: [u8; KEY_LEN],
    now: Timestamp,
) -> Result<[u8; KEY_LEN], StoreError> {
    c.execute(
        "INSERT INTO subject_keys (idx, key, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (idx) DO NOTHING",
        &[&index, &fresh.as_slice(), &now.0],
    )
    .await?;
    pg_key_of(c, index)
        .await?
        .ok_or_else(|| StoreError::Corrupt("subject_keys: the key just stored is gone".into()))
}

pub(crate) async fn pg_unlink(
    c: &tokio_postgres::Client,
    index: &str,
    v1: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    // One statement, so both happen or neither (the client is shared: no open transaction).
    let row = c
        .query_one(
            "WITH gone AS (DELETE FROM subject_keys WHERE idx = $1 RETURNING 1),
                  noted AS (INSERT INTO subject_unlinked_v1 (sref, unlinked_at) VALUES ($2, $3)
                            ON CONFLICT (sref) DO NOTHING)
             SELECT count(*) FROM gone",
            &[&index, &v1, &now.0],
        )
        .await?;
    let deleted: i64 = row.try_get(0)?;
    // Rewrite the table without the dead row (a plain VACUUM would only mark it reusable).
    c.batch_execute("VACUUM FULL subject_keys").await?;
    Ok(deleted > 0)
}

pub(crate) async fn pg_v1_unlinked(
    c: &tokio_postgres::Client,
    v1: &str,
) -> Result<bool, StoreError> {
    let row = c
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM subject_unlinked_v1 WHERE sref = $1)",
            &[&v1],
        )
        .await?;
    Ok(row.try_get(0)?)
}
