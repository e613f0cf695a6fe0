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
//! Unlinking also records the references it ends in `subject_unlinked`: the identifier's `sr2:`
//! (so a link token issued before, still carried by a page or a call, can make no new receipt
//! under it: `crate::receive`), and its older `sr1:` when receipts carry it. References made
//! before per-identifier keys (`sr1:`, an HMAC under the server key itself) can be recomputed by
//! whoever holds that key, so they cannot be destroyed one by one; the server never links a
//! recorded one to anyone again (`crate::links::references`). All `sr1` references become
//! unlinkable at once when `subject-ref.key` is destroyed (ADR 0017). A recorded reference
//! names nobody: an `sr2:` can no longer be made from the identifier, and an `sr1:` is recorded
//! only when the ledger holds receipts under it.
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
CREATE TABLE IF NOT EXISTS subject_unlinked (
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
CREATE TABLE IF NOT EXISTS subject_unlinked (
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

    /// Destroys the key of `index` and records `refs` as unlinked, in one transaction; then
    /// clears the disk of the key's bytes as far as the database allows.
    fn unlink(&self, index: &str, refs: &[String], now: Timestamp) -> StoreFuture<'_, Unlinked>;

    /// Whether the reference `sref` was unlinked.
    fn is_unlinked(&self, sref: &str) -> StoreFuture<'_, bool>;

    /// [`SubjectKeyStore::key_of`] `index` and [`SubjectKeyStore::is_unlinked`] `sref` in one
    /// read: what a consent check by identifier needs.
    fn look_up(&self, index: &str, sref: &str) -> StoreFuture<'_, (Option<[u8; KEY_LEN]>, bool)>;
}

/// The SQL of [`SubjectKeyStore::look_up`] (the same in SQLite and PostgreSQL, with `?1`/`$1`).
fn look_up_sql(p1: &str, p2: &str) -> String {
    format!(
        "SELECT (SELECT key FROM subject_keys WHERE idx = {p1}), \
                EXISTS (SELECT 1 FROM subject_unlinked WHERE sref = {p2})"
    )
}

/// What an unlinking did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unlinked {
    /// There was a key, and it is deleted.
    pub key_destroyed: bool,
    /// The deleted bytes are gone from the database's files too (SQLite: overwritten and the
    /// write-ahead log emptied; PostgreSQL: the table rewritten). `false` when the database
    /// could not do it now (readers held the log; the server's role does not own the table):
    /// the key is deleted, and its bytes go at the next checkpoint or `VACUUM FULL`.
    pub disk_clean: bool,
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
    refs: &[String],
    now: Timestamp,
) -> Result<Unlinked, StoreError> {
    let mut conn = sqlite_writer(path)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let deleted = tx.execute("DELETE FROM subject_keys WHERE idx = ?1", [index])?;
    for r in refs {
        tx.execute(
            "INSERT INTO subject_unlinked (sref, unlinked_at) VALUES (?1, ?2)
             ON CONFLICT (sref) DO NOTHING",
            rusqlite::params![r, now.0],
        )?;
    }
    tx.commit()?;
    // The row was written to the write-ahead log when it was made: copy the log into the
    // database (where the row's bytes are now overwritten) and empty it. A checkpoint that
    // waits for readers holds new writers back while it waits, so each try waits at most
    // 100 ms, five times; if readers still hold the log, the key is deleted all the same and
    // the log is emptied by a later checkpoint (said in the answer).
    conn.busy_timeout(Duration::from_millis(100))?;
    let mut disk_clean = false;
    for _ in 0..5 {
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy == 0 {
            disk_clean = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if !disk_clean {
        tracing::warn!("subject key deleted; the write-ahead log could not be emptied yet");
    }
    Ok(Unlinked {
        key_destroyed: deleted > 0,
        disk_clean,
    })
}

pub(crate) fn sqlite_look_up(
    conn: &rusqlite::Connection,
    index: &str,
    sref: &str,
) -> Result<(Option<[u8; KEY_LEN]>, bool), StoreError> {
    let (key, unlinked): (Option<Vec<u8>>, bool) =
        conn.query_row(&look_up_sql("?1", "?2"), [index, sref], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok((key.map(key_col).transpose()?, unlinked))
}

pub(crate) fn sqlite_is_unlinked(
    conn: &rusqlite::Connection,
    sref: &str,
) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM subject_unlinked WHERE sref = ?1)",
        [sref],
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
    refs: &[String],
    now: Timestamp,
) -> Result<Unlinked, StoreError> {
    // One statement, so all of it happens or none (the client is shared: no open
    // transaction).
    let row = c
        .query_one(
            "WITH gone AS (DELETE FROM subject_keys WHERE idx = $1 RETURNING 1),
                  noted AS (INSERT INTO subject_unlinked (sref, unlinked_at)
                            SELECT unnest($2::text[]), $3
                            ON CONFLICT (sref) DO NOTHING)
             SELECT count(*) FROM gone",
            &[&index, &refs, &now.0],
        )
        .await?;
    let deleted: i64 = row.try_get(0)?;
    // Rewrite the table without the dead row (a plain VACUUM only marks it reusable). A role
    // that does not own the table gets a warning and no rewrite: the table's file must change,
    // or the disk is not clean. A failure here leaves the key deleted all the same.
    let filenode = "SELECT pg_relation_filenode('subject_keys')::bigint";
    let before: Option<i64> = c.query_one(filenode, &[]).await?.try_get(0)?;
    let disk_clean = match c.batch_execute("VACUUM FULL subject_keys").await {
        Ok(()) => {
            let after: Option<i64> = c.query_one(filenode, &[]).await?.try_get(0)?;
            after != before
        }
        Err(e) => {
            tracing::warn!(error = %e, "subject key deleted; VACUUM FULL subject_keys failed");
            false
        }
    };
    if !disk_clean {
        tracing::warn!("subject key deleted; its table was not rewritten (VACUUM FULL)");
    }
    Ok(Unlinked {
        key_destroyed: deleted > 0,
        disk_clean,
    })
}

pub(crate) async fn pg_look_up(
    c: &tokio_postgres::Client,
    index: &str,
    sref: &str,
) -> Result<(Option<[u8; KEY_LEN]>, bool), StoreError> {
    let row = c
        .query_one(&look_up_sql("$1", "$2"), &[&index, &sref])
        .await?;
    let key: Option<Vec<u8>> = row.try_get(0)?;
    Ok((key.map(key_col).transpose()?, row.try_get(1)?))
}

pub(crate) async fn pg_is_unlinked(
    c: &tokio_postgres::Client,
    sref: &str,
) -> Result<bool, StoreError> {
    let row = c
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM subject_unlinked WHERE sref = $1)",
            &[&sref],
        )
        .await?;
    Ok(row.try_get(0)?)
}
