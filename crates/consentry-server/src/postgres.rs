//! The PostgreSQL ledger (`tokio-postgres`), for deployments that outgrow one machine:
//! several stateless server replicas append to one database.
//!
//! Each replica runs one writer task that commits the appends waiting at that moment as one
//! transaction (group commit). The transaction first takes a transaction-scoped advisory lock
//! ([`LEDGER_LOCK`]) and then reads the last entry, so appends of all replicas are serialised
//! and the chain stays linear; the lock is released by the commit. A batch costs two round
//! trips, each a pipeline: `BEGIN`, the lock and every look-up (head, stored ids, chain tips,
//! the log's size); then the ledger rows, the log's hashes, its checkpoint and `COMMIT`. The
//! log's frontier is kept between batches and read again (a third round trip) only when
//! another replica's batch moved the log on. A batch that fails is rolled back at once, so no
//! transaction keeps the lock. Commits use PostgreSQL's
//! default `synchronous_commit = on`: durable before the server answers 2xx. Reads share a
//! second connection (pipelined).
//!
//! The `ledger` table is append-only: triggers raise an exception on every `UPDATE`, `DELETE`
//! and `TRUNCATE`.

use std::collections::HashMap;
use std::sync::Arc;

use consentry_core::receipt::countersign::ChainTip;
use consentry_core::receipt::ledger::Sequencer;
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row, Statement};

use crate::db::{StoreError, StoreFuture, digest_col};
use crate::store::{
    AppendOutcome, BatchView, DEFAULT_WRITE_QUEUE, EMPTY_HEAD, Existing, Head, LedgerConfig,
    LedgerRecord, NewReceipt, Query, RawRow, ReceiptStore, seal_batch, tip_from_row,
};
use crate::tlog::{Snapshot, Want, pg_read, pg_store_cosigned};

/// Most receipts committed in one transaction.
pub const MAX_BATCH: usize = 512;

/// The advisory lock key that serialises ledger appends across replicas ("cnsntry" in ASCII).
pub const LEDGER_LOCK: i64 = 0x0063_6e73_6e74_7279;

/// The schema (idempotent; applied under [`LEDGER_LOCK`] so replicas starting together do
/// not race).
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ledger (
    idx               BIGINT PRIMARY KEY,
    receipt_id        TEXT   NOT NULL,
    subject           TEXT   NOT NULL,
    notice_id         TEXT   NOT NULL,
    notice_version    TEXT   NOT NULL,
    notice_locale     TEXT   NOT NULL,
    notice_sha256     TEXT   NOT NULL,
    payload_sha256    TEXT   NOT NULL,
    received_at       BIGINT NOT NULL,
    kid               TEXT   NOT NULL,
    subject_chain     TEXT   NOT NULL,
    device_commitment TEXT   NOT NULL,
    prev_hash         TEXT   NOT NULL,
    entry_hash        TEXT   NOT NULL,
    received          BYTEA  NOT NULL,
    countersigned     BYTEA  NOT NULL,
    -- A receipt id is unique per subject: another device cannot claim it (issue 13).
    CONSTRAINT ledger_subject_receipt_key UNIQUE (subject, receipt_id)
);
CREATE TABLE IF NOT EXISTS ledger_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_subject ON ledger (subject, notice_id, idx);
CREATE INDEX IF NOT EXISTS ledger_receipt ON ledger (receipt_id, idx);
CREATE INDEX IF NOT EXISTS ledger_notice ON ledger (notice_id, notice_version, idx);
CREATE INDEX IF NOT EXISTS ledger_time ON ledger (received_at, idx);
DO $$
BEGIN
    -- The stored envelopes are compressed with LZ4 where this PostgreSQL has it (version 14
    -- and later, built with lz4): pglz took a fifth of the writer's time in the ingest
    -- benchmark. Compression changes how the bytes are kept, never the bytes read back.
    IF current_setting('server_version_num')::int >= 140000 THEN
        EXECUTE $q$
            DO $i$ BEGIN
                IF (SELECT attcompression FROM pg_attribute
                    WHERE attrelid = 'ledger'::regclass AND attname = 'countersigned')
                    IS DISTINCT FROM 'l' THEN
                    ALTER TABLE ledger ALTER COLUMN received SET COMPRESSION lz4,
                        ALTER COLUMN countersigned SET COMPRESSION lz4;
                END IF;
            END $i$
        $q$;
    END IF;
EXCEPTION WHEN feature_not_supported THEN
    RAISE WARNING 'this PostgreSQL has no LZ4: ledger envelopes stay compressed with pglz';
END
$$;
CREATE OR REPLACE FUNCTION consentry_ledger_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % refused', TG_OP;
END
$$;
DO $$
BEGIN
    -- Ledgers written before issue 13 made a receipt id unique across all subjects.
    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'ledger_receipt_id_key') THEN
        RAISE WARNING 'ledger schema migrated: receipt ids are now unique per subject';
        ALTER TABLE ledger DROP CONSTRAINT ledger_receipt_id_key;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'ledger_subject_receipt_key') THEN
        ALTER TABLE ledger
            ADD CONSTRAINT ledger_subject_receipt_key UNIQUE (subject, receipt_id);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'ledger_no_update_delete') THEN
        CREATE TRIGGER ledger_no_update_delete BEFORE UPDATE OR DELETE ON ledger
            FOR EACH ROW EXECUTE FUNCTION consentry_ledger_append_only();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'ledger_no_truncate') THEN
        CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger
            FOR EACH STATEMENT EXECUTE FUNCTION consentry_ledger_append_only();
    END IF;
END
$$;
";

const COLUMNS: &str = "idx, receipt_id, subject, notice_id, notice_version, notice_locale, \
    notice_sha256, payload_sha256, received_at, kid, subject_chain, device_commitment, \
    prev_hash, entry_hash, received, countersigned";

/// [`COLUMNS`] with each name prefixed by a table alias.
fn prefixed(alias: &str) -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("{alias}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

type Job = (
    NewReceipt,
    oneshot::Sender<Result<AppendOutcome, StoreError>>,
);

/// PostgreSQL-backed [`ReceiptStore`].
pub struct PgStore {
    log_id: Arc<str>,
    jobs: std::sync::Mutex<Option<mpsc::Sender<Job>>>,
    writer: Mutex<Option<tokio::task::JoinHandle<()>>>,
    pub(crate) reader: Client,
    pub(crate) has_log: bool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("log_id", &self.log_id)
            .finish_non_exhaustive()
    }
}

async fn connect(conninfo: &str) -> Result<Client, StoreError> {
    let (client, conn) = tokio_postgres::connect(conninfo, NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::error!(error = %e, "PostgreSQL connection failed");
        }
    });
    Ok(client)
}

impl PgStore {
    /// Connects (two connections: writer and reader), applies the schema and starts the
    /// writer task on the current Tokio runtime. `conninfo` is a libpq-style string
    /// (`host=127.0.0.1 port=5432 user=consentry dbname=consentry`) or a `postgresql://` URL.
    pub async fn connect(conninfo: &str, cfg: LedgerConfig) -> Result<Self, StoreError> {
        Self::connect_with_queue(conninfo, cfg, DEFAULT_WRITE_QUEUE).await
    }

    /// [`PgStore::connect`] with at most `queue` appends waiting for this replica's writer; an
    /// append beyond it fails at once with [`StoreError::Overloaded`].
    pub async fn connect_with_queue(
        conninfo: &str,
        cfg: LedgerConfig,
        queue: usize,
    ) -> Result<Self, StoreError> {
        let mut writer = connect(conninfo).await?;
        let reader = connect(conninfo).await?;
        {
            let tx = writer.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LEDGER_LOCK])
                .await?;
            tx.batch_execute(SCHEMA).await?;
            tx.batch_execute(crate::tlog::PG_SCHEMA).await?;
            tx.batch_execute(crate::subject_keys::PG_SCHEMA).await?;
            tx.execute(
                "INSERT INTO ledger_meta (key, value) VALUES ('log_id', $1)
                 ON CONFLICT (key) DO NOTHING",
                &[&cfg.log_id],
            )
            .await?;
            let stored: String = tx
                .query_one("SELECT value FROM ledger_meta WHERE key = 'log_id'", &[])
                .await?
                .get(0);
            if stored != cfg.log_id {
                return Err(StoreError::Config(format!(
                    "this database holds ledger {stored:?}, not {:?}",
                    cfg.log_id
                )));
            }
            tx.commit().await?;
        }
        let log_id: Arc<str> = cfg.log_id.as_str().into();
        let has_log = cfg.log.is_some();
        // Plan every batch's statements for the ledger as it is now. A cached generic plan is
        // made while the table is still small (no statistics yet) and keeps its sequential
        // scans as the ledger grows: each batch then reads the whole ledger (issue 13's
        // PostgreSQL benchmark fell from 1,570 to 968 receipts/s between 6,000 and 30,000
        // receipts).
        writer
            .batch_execute("SET plan_cache_mode = force_custom_plan")
            .await?;
        let stmts = Statements::prepare(&writer).await?;
        let (tx, mut rx) = mpsc::channel::<Job>(queue.max(1));
        let handle = tokio::spawn(async move {
            let mut frontier = None;
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(j) => batch.push(j),
                        Err(_) => break,
                    }
                }
                let (receipts, replies): (Vec<NewReceipt>, Vec<_>) = batch.into_iter().unzip();
                match write_batch(&writer, &stmts, &cfg, &mut frontier, &receipts).await {
                    Ok(outcomes) => {
                        for (reply, o) in replies.into_iter().zip(outcomes) {
                            let _ = reply.send(Ok(o));
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %e, n = replies.len(), "ledger batch failed");
                        for reply in replies {
                            let _ = reply.send(Err(StoreError::Config(e.to_string())));
                        }
                    }
                }
            }
        });
        Ok(Self {
            log_id,
            jobs: std::sync::Mutex::new(Some(tx)),
            writer: Mutex::new(Some(handle)),
            reader,
            has_log,
        })
    }

    /// Finishes the queued appends and stops the writer task.
    pub async fn shutdown(&self) {
        drop(self.jobs.lock().ok().and_then(|mut j| j.take()));
        if let Some(h) = self.writer.lock().await.take()
            && h.await.is_err()
        {
            tracing::error!("the ledger writer task failed");
        }
    }
}

fn raw(r: &Row) -> Result<RawRow, StoreError> {
    Ok(RawRow {
        idx: r.try_get(0)?,
        receipt_id: r.try_get(1)?,
        subject: r.try_get(2)?,
        notice_id: r.try_get(3)?,
        notice_version: r.try_get(4)?,
        notice_locale: r.try_get(5)?,
        notice_sha256: r.try_get(6)?,
        payload_sha256: r.try_get(7)?,
        received_at: r.try_get(8)?,
        kid: r.try_get(9)?,
        subject_chain: r.try_get(10)?,
        device_commitment: r.try_get(11)?,
        prev_hash: r.try_get(12)?,
        entry_hash: r.try_get(13)?,
        received: r.try_get(14)?,
        countersigned: r.try_get(15)?,
    })
}

/// The batch's look-ups, fetched up front (two queries) inside the locked transaction.
struct Prefetched {
    existing: HashMap<(String, String), LedgerRecord>,
    last: HashMap<(String, String), ChainTip>,
}

impl BatchView for Prefetched {
    fn existing(&mut self, subject: &str, receipt_id: &str) -> Result<Existing, StoreError> {
        Ok(
            match self
                .existing
                .get(&(subject.to_owned(), receipt_id.to_owned()))
            {
                Some(r) => Existing::Stored(Box::new(r.clone())),
                None => Existing::None,
            },
        )
    }
    fn subject_tip(
        &mut self,
        subject: &str,
        notice_id: &str,
    ) -> Result<Option<ChainTip>, StoreError> {
        Ok(self
            .last
            .get(&(subject.to_owned(), notice_id.to_owned()))
            .cloned())
    }
}

async fn read_head(c: &impl tokio_postgres::GenericClient) -> Result<Head, StoreError> {
    match c
        .query_opt(
            "SELECT idx, entry_hash FROM ledger ORDER BY idx DESC LIMIT 1",
            &[],
        )
        .await?
    {
        None => Ok(EMPTY_HEAD),
        Some(row) => Ok(Head {
            size: u64::try_from(row.try_get::<_, i64>(0)?)
                .map_err(|_| StoreError::Corrupt("negative index".into()))?,
            hash: digest_col("entry_hash", row.try_get(1)?)?,
        }),
    }
}

/// The writer's statements, prepared once per connection.
struct Statements {
    lock: Statement,
    head: Statement,
    existing: Statement,
    last: Statement,
    insert: Statement,
    tree: Statement,
    hashes: Statement,
    checkpoint: Statement,
}

impl Statements {
    async fn prepare(c: &Client) -> Result<Self, StoreError> {
        Ok(Self {
            lock: c.prepare("SELECT pg_advisory_xact_lock($1)").await?,
            head: c
                .prepare("SELECT idx, entry_hash FROM ledger ORDER BY idx DESC LIMIT 1")
                .await?,
            existing: c
                // One probe of the (subject, receipt_id) key per receipt. `receipt_id =
                // ANY($1)` was planned as a sequential scan once the plan was cached, and
                // each batch then read the whole ledger.
                .prepare(&format!(
                    "SELECT {} FROM (SELECT DISTINCT subject, receipt_id
                           FROM unnest($1::text[], $2::text[]) AS u(subject, receipt_id)) k
                     CROSS JOIN LATERAL (
                         SELECT * FROM ledger l
                         WHERE l.subject = k.subject AND l.receipt_id = k.receipt_id) l",
                    prefixed("l.")
                ))
                .await?,
            last: c
                .prepare(
                    // One index probe per (subject, notice) (`ledger_subject`), not a sort
                    // of every receipt of those subjects: the cost stays flat as chains grow.
                    "SELECT k.subject, k.notice_id, l.receipt_id, l.payload_sha256, l.received
                     FROM (SELECT DISTINCT subject, notice_id
                           FROM unnest($1::text[], $2::text[]) AS u(subject, notice_id)) k
                     CROSS JOIN LATERAL (
                         SELECT receipt_id, payload_sha256, received FROM ledger
                         WHERE subject = k.subject AND notice_id = k.notice_id
                         ORDER BY idx DESC LIMIT 1) l",
                )
                .await?,
            insert: c
                // The whole batch in one statement (one round trip, one plan).
                .prepare(&format!(
                    "INSERT INTO ledger ({COLUMNS})
                     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[],
                         $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[],
                         $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                         $15::bytea[], $16::bytea[])"
                ))
                .await?,
            tree: c
                .prepare("SELECT coalesce(max(size), 0)::BIGINT FROM tlog_checkpoints")
                .await?,
            hashes: c
                .prepare(
                    "INSERT INTO tlog_hashes (id, hash)
                     SELECT * FROM unnest($1::BIGINT[], $2::BYTEA[])",
                )
                .await?,
            checkpoint: c
                .prepare("INSERT INTO tlog_checkpoints (size, note) VALUES ($1, $2)")
                .await?,
        })
    }
}

/// Writes one batch in three round trips: `BEGIN`, the lock and every look-up pipelined; the
/// frontier of the log only when another replica moved it; then every insert and `COMMIT`
/// pipelined. On any error the transaction is rolled back and the cached frontier forgotten.
async fn write_batch(
    client: &Client,
    st: &Statements,
    cfg: &LedgerConfig,
    frontier: &mut Option<crate::tlog::Frontier>,
    batch: &[NewReceipt],
) -> Result<Vec<AppendOutcome>, StoreError> {
    let r = try_write_batch(client, st, cfg, frontier, batch).await;
    if r.is_err() {
        *frontier = None;
        // Leaves the connection outside any transaction for the next batch (a warning only
        // when the failure came before `BEGIN` or after `COMMIT`).
        if let Err(e) = client.batch_execute("ROLLBACK").await {
            tracing::error!(error = %e, "ROLLBACK after a failed ledger batch failed");
        }
    }
    r
}

async fn try_write_batch(
    client: &Client,
    st: &Statements,
    cfg: &LedgerConfig,
    frontier: &mut Option<crate::tlog::Frontier>,
    batch: &[NewReceipt],
) -> Result<Vec<AppendOutcome>, StoreError> {
    let ids: Vec<&str> = batch.iter().map(NewReceipt::receipt_id).collect();
    let subjects: Vec<&str> = batch.iter().map(|r| r.receipt.subject.as_str()).collect();
    let notices: Vec<&str> = batch
        .iter()
        .map(|r| r.receipt.notice.notice_id.as_str())
        .collect();
    // Pipelined: the statements go out together and PostgreSQL runs them in order on this
    // connection, so the lock is held before the head, the look-ups and the log's size are
    // read.
    let lock_args: [&(dyn ToSql + Sync); 1] = [&LEDGER_LOCK];
    let existing_args: [&(dyn ToSql + Sync); 2] = [&subjects, &ids];
    let last_args: [&(dyn ToSql + Sync); 2] = [&subjects, &notices];
    let logged = cfg.log.is_some();
    let (_, _, head_row, existing_rows, last_rows, tree) = tokio::try_join!(
        client.batch_execute("BEGIN"),
        client.execute(&st.lock, &lock_args),
        client.query_opt(&st.head, &[]),
        client.query(&st.existing, &existing_args),
        client.query(&st.last, &last_args),
        async {
            if logged {
                let row = client.query_one(&st.tree, &[]).await?;
                row.try_get::<_, i64>(0).map(Some)
            } else {
                Ok(None)
            }
        },
    )?;
    let head = match head_row {
        None => EMPTY_HEAD,
        Some(row) => Head {
            size: u64::try_from(row.try_get::<_, i64>(0)?)
                .map_err(|_| StoreError::Corrupt("negative index".into()))?,
            hash: digest_col("entry_hash", row.try_get(1)?)?,
        },
    };
    let mut seq = Sequencer::new(cfg.log_id.clone(), head.size, head.hash);
    let mut existing = HashMap::new();
    for row in existing_rows {
        let rec = raw(&row)?.into_record(&cfg.log_id)?;
        existing.insert(
            (
                rec.entry.subject.clone(),
                rec.entry.receipt_id.as_str().to_owned(),
            ),
            rec,
        );
    }
    let mut last = HashMap::new();
    for row in last_rows {
        let tip = tip_from_row(
            row.try_get::<_, &str>(2)?,
            row.try_get::<_, &str>(3)?,
            row.try_get::<_, &[u8]>(4)?,
        )?;
        last.insert(
            (row.try_get::<_, String>(0)?, row.try_get::<_, String>(1)?),
            tip,
        );
    }
    let mut view = Prefetched { existing, last };
    let (outcomes, inserts) = seal_batch(cfg, &mut seq, &mut view, batch)?;

    let n = inserts.len();
    let mut idx = Vec::with_capacity(n);
    let mut text: [Vec<String>; 11] = Default::default();
    let mut received_at = Vec::with_capacity(n);
    let mut received = Vec::with_capacity(n);
    let mut countersigned = Vec::with_capacity(n);
    let mut entry_hash = Vec::with_capacity(n);
    for r in &inserts {
        let e = &r.entry;
        idx.push(i64::try_from(e.index).map_err(|_| StoreError::Corrupt("index overflow".into()))?);
        let cols = [
            e.receipt_id.as_str().to_owned(),
            e.subject.clone(),
            r.notice_id.clone(),
            r.notice_version.clone(),
            r.notice_locale.clone(),
            r.notice_sha256.to_hex(),
            e.receipt_sha256.to_hex(),
            e.kid.clone(),
            e.subject_chain.as_str().to_owned(),
            e.device_commitment.to_hex(),
            e.prev.to_hex(),
        ];
        for (col, v) in text.iter_mut().zip(cols) {
            col.push(v);
        }
        received_at.push(e.received_at.0);
        received.push(r.received.clone());
        countersigned.push(r.countersigned.clone());
        entry_hash.push(r.entry_hash.to_hex());
    }

    // The transparency log: leaves, tree hashes and a signed checkpoint, in this transaction.
    let sealed = match (&cfg.log, tree) {
        (Some(log), Some(tree)) => {
            let tree =
                u64::try_from(tree).map_err(|_| StoreError::Corrupt("negative log size".into()))?;
            let new = idx
                .iter()
                .copied()
                .zip(entry_hash.iter().cloned())
                .collect();
            crate::tlog::plan_pg(client, log, frontier.as_ref(), tree, head.size, new)
                .await?
                .map(|s| (log, s))
        }
        _ => None,
    };
    let hash_ids: Vec<i64>;
    let hash_vals: Vec<Vec<u8>>;
    let checkpoint: Option<(i64, &str)>;
    match &sealed {
        Some((_, s)) => {
            hash_ids = s
                .hashes
                .iter()
                .map(|(i, _)| i64::try_from(*i))
                .collect::<Result<_, _>>()
                .map_err(|_| StoreError::Corrupt("log index overflow".into()))?;
            hash_vals = s.hashes.iter().map(|(_, h)| h.0.to_vec()).collect();
            checkpoint = Some((
                i64::try_from(s.size)
                    .map_err(|_| StoreError::Corrupt("log size overflow".into()))?,
                s.note.as_str(),
            ));
        }
        None => {
            hash_ids = Vec::new();
            hash_vals = Vec::new();
            checkpoint = None;
        }
    }
    let [rid, subj, nid, nver, nloc, nsha, psha, kid, chain, dc, prev] = &text;
    let insert_args: [&(dyn ToSql + Sync); 16] = [
        &idx,
        rid,
        subj,
        nid,
        nver,
        nloc,
        nsha,
        psha,
        &received_at,
        kid,
        chain,
        dc,
        prev,
        &entry_hash,
        &received,
        &countersigned,
    ];
    // Pipelined again: the inserts and `COMMIT` go out together. A failing insert aborts the
    // transaction, and PostgreSQL then answers the `COMMIT` with a rollback; the insert's
    // error is what this returns.
    tokio::try_join!(
        async {
            if n > 0 {
                client.execute(&st.insert, &insert_args).await
            } else {
                Ok(0)
            }
        },
        async {
            if hash_ids.is_empty() {
                Ok(0)
            } else {
                client.execute(&st.hashes, &[&hash_ids, &hash_vals]).await
            }
        },
        async {
            match checkpoint {
                Some((size, note)) => client.execute(&st.checkpoint, &[&size, &note]).await,
                None => Ok(0),
            }
        },
        client.batch_execute("COMMIT"),
    )?;
    if let Some((log, s)) = sealed {
        *frontier = s.frontier;
        log.remember(s.proofs);
    }
    Ok(outcomes)
}

fn query_sql(q: &Query) -> (String, Vec<Box<dyn ToSql + Sync + Send>>) {
    let mut sql = format!("SELECT {COLUMNS} FROM ledger WHERE idx > $1");
    let mut args: Vec<Box<dyn ToSql + Sync + Send>> =
        vec![Box::new(i64::try_from(q.after_index).unwrap_or(i64::MAX))];
    let mut add = |cond: &str, v: Box<dyn ToSql + Sync + Send>| {
        args.push(v);
        sql.push_str(&format!(" AND {cond} ${}", args.len()));
    };
    if let Some(s) = &q.subject {
        add("subject =", Box::new(s.clone()));
    }
    if let Some(n) = &q.notice_id {
        add("notice_id =", Box::new(n.clone()));
    }
    if let Some(v) = &q.notice_version {
        add("notice_version =", Box::new(v.clone()));
    }
    if let Some(t) = q.from {
        add("received_at >=", Box::new(t.0));
    }
    if let Some(t) = q.to {
        add("received_at <", Box::new(t.0));
    }
    let limit = i64::try_from(q.limit).unwrap_or(i64::MAX);
    sql.push_str(&format!(" ORDER BY idx LIMIT {limit}"));
    (sql, args)
}

impl ReceiptStore for PgStore {
    fn append(&self, r: NewReceipt) -> StoreFuture<'_, AppendOutcome> {
        Box::pin(async move {
            let (tx, rx) = oneshot::channel();
            {
                let guard = self.jobs.lock().map_err(|_| StoreError::Closed)?;
                let sender = guard.as_ref().ok_or(StoreError::Closed)?;
                sender.try_send((r, tx)).map_err(|e| match e {
                    mpsc::error::TrySendError::Full(_) => StoreError::Overloaded,
                    mpsc::error::TrySendError::Closed(_) => StoreError::Closed,
                })?;
            }
            rx.await.map_err(|_| StoreError::Closed)?
        })
    }

    fn get(&self, receipt_id: &str) -> StoreFuture<'_, Vec<LedgerRecord>> {
        let id = receipt_id.to_owned();
        Box::pin(async move {
            self.records(
                &format!("SELECT {COLUMNS} FROM ledger WHERE receipt_id = $1 ORDER BY idx"),
                &[&id],
            )
            .await
        })
    }

    fn log(&self) -> Option<&dyn crate::tlog::LogStore> {
        self.has_log.then_some(self as &dyn crate::tlog::LogStore)
    }

    fn subject_keys(&self) -> &dyn crate::subject_keys::SubjectKeyStore {
        self
    }

    fn head(&self) -> StoreFuture<'_, Head> {
        Box::pin(async move { read_head(&self.reader).await })
    }

    fn entries(&self, indexes: Vec<u64>) -> StoreFuture<'_, Vec<LedgerRecord>> {
        Box::pin(async move {
            let idx: Vec<i64> = indexes
                .iter()
                .map(|i| i64::try_from(*i).unwrap_or(i64::MAX))
                .collect();
            self.records(
                &format!("SELECT {COLUMNS} FROM ledger WHERE idx = ANY($1) ORDER BY idx"),
                &[&idx],
            )
            .await
        })
    }

    fn query(&self, q: Query) -> StoreFuture<'_, Vec<LedgerRecord>> {
        Box::pin(async move {
            let (sql, args) = query_sql(&q);
            let params: Vec<&(dyn ToSql + Sync)> = args
                .iter()
                .map(|b| b.as_ref() as &(dyn ToSql + Sync))
                .collect();
            self.records(&sql, &params).await
        })
    }
}

impl PgStore {
    /// The ledger rows `sql` selects (`COLUMNS`, in order) as records, on the read connection.
    async fn records(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<LedgerRecord>, StoreError> {
        let rows = self.reader.query(sql, params).await?;
        rows.iter()
            .map(|r| raw(r)?.into_record(&self.log_id))
            .collect()
    }
}

impl crate::subject_keys::SubjectKeyStore for PgStore {
    fn key_of(&self, index: &str) -> StoreFuture<'_, Option<[u8; 32]>> {
        let index = index.to_owned();
        Box::pin(async move { crate::subject_keys::pg_key_of(&self.reader, &index).await })
    }

    fn key_for(
        &self,
        index: &str,
        fresh: [u8; 32],
        now: consentry_core::time::Timestamp,
    ) -> StoreFuture<'_, [u8; 32]> {
        let index = index.to_owned();
        Box::pin(
            async move { crate::subject_keys::pg_key_for(&self.reader, &index, fresh, now).await },
        )
    }

    fn unlink(
        &self,
        index: &str,
        refs: &[String],
        now: consentry_core::time::Timestamp,
    ) -> StoreFuture<'_, crate::subject_keys::Unlinked> {
        let (index, refs) = (index.to_owned(), refs.to_vec());
        Box::pin(
            async move { crate::subject_keys::pg_unlink(&self.reader, &index, &refs, now).await },
        )
    }

    fn is_unlinked(&self, sref: &str) -> StoreFuture<'_, bool> {
        let sref = sref.to_owned();
        Box::pin(async move { crate::subject_keys::pg_is_unlinked(&self.reader, &sref).await })
    }

    fn look_up(&self, index: &str, sref: &str) -> StoreFuture<'_, (Option<[u8; 32]>, bool)> {
        let (index, sref) = (index.to_owned(), sref.to_owned());
        Box::pin(async move { crate::subject_keys::pg_look_up(&self.reader, &index, &sref).await })
    }
}

impl crate::tlog::LogStore for PgStore {
    fn log_read(&self, want: Want) -> StoreFuture<'_, Snapshot> {
        Box::pin(pg_read(&self.reader, want))
    }

    fn log_store_cosigned(&self, size: u64, note: String) -> StoreFuture<'_, ()> {
        Box::pin(async move { pg_store_cosigned(&self.reader, size, &note).await })
    }
}
