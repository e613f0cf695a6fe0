//! One store test suite, run on both implementations of `ReceiptStore`: SQLite (a real file
//! in a temp dir) and PostgreSQL (a real server started for this test by `TempPostgres`:
//! `initdb` into a temp dir, `postgres` on 127.0.0.1, stopped by PID at the end).
//!
//! PostgreSQL must be installed: this test FAILS (it does not skip) when it cannot start one,
//! and says how to install it.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::http::StatusCode;
use common::*;
use consentry_core::encoding::Sha256Digest;
use consentry_core::json::{self, Value};
use consentry_core::receipt::countersign::{ChainTip, GENESIS, SubjectChain};
use consentry_core::receipt::jws::Jws;
use consentry_core::receipt::ledger::export_line;
use consentry_core::receipt::verify::{
    VerifyPolicy, verify, verify_countersigned, verify_ledger_export, verify_ledger_head,
};
use consentry_core::testing::{TestSigner, next_receipt, sample_receipt};
use consentry_core::time::Timestamp;
use consentry_server::temp_pg::TempPostgres;
use consentry_server::{
    AppState, AppendOutcome, NewReceipt, PgStore, Query, ReceiptStore, SqliteStore, app,
};

type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A backend under test: makes fresh, empty stores and runs raw SQL on them (as an attacker
/// with database access would).
trait Backend: Send + Sync {
    fn name(&self) -> &'static str;
    fn fresh<'a>(&'a self, case: &'a str) -> BoxFut<'a, Arc<dyn ReceiptStore>>;
    fn raw_sql<'a>(&'a self, case: &'a str, sql: &'a str) -> BoxFut<'a, Result<u64, String>>;
    /// Opens the store of `case` again (a server restart).
    fn reopen<'a>(&'a self, case: &'a str) -> BoxFut<'a, Arc<dyn ReceiptStore>>;
    /// Whether `needle` is in the bytes the database keeps on disk for `case` (SQLite: the
    /// file and its write-ahead log; PostgreSQL: the `subject_keys` table's file, after a
    /// checkpoint), as someone with the disk would look.
    fn on_disk<'a>(&'a self, case: &'a str, needle: &'a [u8]) -> BoxFut<'a, bool>;
}

fn holds(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Per-identifier keys (ADR 0019): the first key stored for an index stays (two replicas
/// agree), every instance sees it, nobody changes it; unlinking deletes it from the disk too,
/// records the legacy reference, and the index can get a new key afterwards.
async fn case_subject_keys(backend: &dyn Backend, store: Arc<dyn ReceiptStore>, case: &str) {
    let k1 = *b"consentry subject key one 0001!!";
    let k2 = *b"consentry subject key two 0002!!";
    let keys = store.subject_keys();
    assert_eq!(keys.key_of("idx-a").await.unwrap(), None);
    assert_eq!(keys.key_for("idx-a", k1, Timestamp(T0)).await.unwrap(), k1);
    assert_eq!(keys.key_for("idx-a", k2, Timestamp(T0)).await.unwrap(), k1);
    assert_eq!(keys.key_for("idx-b", k2, Timestamp(T0)).await.unwrap(), k2);
    let other = backend.reopen(case).await;
    assert_eq!(
        other.subject_keys().key_of("idx-a").await.unwrap(),
        Some(k1)
    );
    let err = backend
        .raw_sql(case, "UPDATE subject_keys SET created_at = 0")
        .await
        .unwrap_err();
    assert!(err.contains("never changes"), "{err}");
    assert!(
        backend.on_disk(case, &k1).await,
        "the search must see a stored key"
    );

    assert!(!keys.is_unlinked("sr1:legacy-a").await.unwrap());
    let ended = ["sr2:ended-a".to_owned(), "sr1:legacy-a".to_owned()];
    let done = keys.unlink("idx-a", &ended, Timestamp(T0)).await.unwrap();
    assert!(done.key_destroyed && done.disk_clean, "{done:?}");
    assert_eq!(keys.key_of("idx-a").await.unwrap(), None);
    assert_eq!(other.subject_keys().key_of("idx-a").await.unwrap(), None);
    assert!(keys.is_unlinked("sr1:legacy-a").await.unwrap());
    assert!(
        other
            .subject_keys()
            .is_unlinked("sr2:ended-a")
            .await
            .unwrap()
    );
    assert!(!keys.is_unlinked("sr1:legacy-b").await.unwrap());
    // The check's one read: a key and an unlinked reference together.
    assert_eq!(
        keys.look_up("idx-b", "sr1:legacy-a").await.unwrap(),
        (Some(k2), true)
    );
    assert_eq!(
        keys.look_up("idx-a", "sr1:legacy-b").await.unwrap(),
        (None, false)
    );
    let again = keys.unlink("idx-a", &ended, Timestamp(T0)).await.unwrap();
    assert!(!again.key_destroyed);
    assert!(
        !backend.on_disk(case, &k1).await,
        "an unlinked key must not stay on the disk"
    );
    // The other identifier keeps its key; the unlinked one starts again with a new one.
    assert_eq!(keys.key_of("idx-b").await.unwrap(), Some(k2));
    let k3 = *b"consentry subject key three 003!";
    assert_eq!(keys.key_for("idx-a", k3, Timestamp(T0)).await.unwrap(), k3);
}

fn new_receipt(envelope: &[u8], at: i64) -> NewReceipt {
    let v = verify(envelope, &VerifyPolicy::default()).unwrap();
    NewReceipt::new(v, envelope, Timestamp(at))
}

fn inserted(o: AppendOutcome) -> consentry_server::LedgerRecord {
    match o {
        AppendOutcome::Inserted(r) => r,
        other => panic!("expected Inserted, got {other:?}"),
    }
}

/// Every entry of the store as a ledger export (NDJSON).
async fn export(store: &dyn ReceiptStore) -> Vec<u8> {
    let mut out = String::new();
    let mut q = Query {
        limit: 7, // small pages: paging is part of what is tested
        ..Query::default()
    };
    loop {
        let page = store.query(q.clone()).await.unwrap();
        for r in &page {
            out.push_str(&export_line(
                &r.entry,
                &Jws::from_json(&r.countersigned).unwrap(),
            ));
            out.push('\n');
            q.after_index = r.entry.index;
        }
        if page.len() < q.limit {
            return out.into_bytes();
        }
    }
}

async fn case_append_get_head(store: Arc<dyn ReceiptStore>) {
    assert_eq!(store.head().await.unwrap().size, 0);
    assert_eq!(store.head().await.unwrap().hash, GENESIS);
    let (r, env) = signed(1, true);
    let rec = inserted(store.append(new_receipt(&env, T0)).await.unwrap());
    assert_eq!(rec.entry.index, 1);
    assert_eq!(rec.entry.prev, GENESIS);
    assert_eq!(rec.entry.subject_chain, SubjectChain::Start);
    assert_eq!(rec.entry_hash, rec.entry.hash());
    assert_eq!(rec.received, env);
    let (v, cs) =
        verify_countersigned(&rec.countersigned, &VerifyPolicy::default(), &keys()).unwrap();
    assert_eq!(v.receipt(), &r);
    assert_eq!(cs, rec.entry.countersignature());
    let got = store.get(r.receipt_id.as_str()).await.unwrap();
    assert_eq!(got, std::slice::from_ref(&rec));
    assert!(
        store
            .get("urn:uuid:00000000-0000-4000-8000-000000000000")
            .await
            .unwrap()
            .is_empty()
    );
    let head = store.head().await.unwrap();
    assert_eq!((head.size, head.hash), (1, rec.entry_hash));
}

async fn case_idempotent_and_conflict(store: Arc<dyn ReceiptStore>) {
    let (_, env) = signed(1, true);
    let (_, other) = signed(1, false); // same receipt id, other bytes
    let first = inserted(store.append(new_receipt(&env, T0)).await.unwrap());
    // Same bytes, later: the same record, unchanged (original time and countersignature).
    match store.append(new_receipt(&env, T0 + 5000)).await.unwrap() {
        AppendOutcome::AlreadyStored(r) => assert_eq!(r, first),
        o => panic!("{o:?}"),
    }
    assert_eq!(
        store.append(new_receipt(&other, T0 + 6000)).await.unwrap(),
        AppendOutcome::Conflict
    );
    assert_eq!(store.head().await.unwrap().size, 1);
}

async fn case_chain_and_subject_flags(store: Arc<dyn ReceiptStore>) {
    let a = TestSigner::device();
    let b = TestSigner::other();
    let r1 = sample_receipt(&a, 1, true);
    let r2 = next_receipt(&a, &r1, 2, false);
    let b1 = sample_receipt(&b, 3, true);
    let mut flags = Vec::new();
    let mut prev = GENESIS;
    for (i, (s, r)) in [(&a, &r1), (&b, &b1), (&a, &r2)].iter().enumerate() {
        let rec = inserted(
            store
                .append(new_receipt(&s.sign_receipt(r), T0 + i as i64))
                .await
                .unwrap(),
        );
        assert_eq!(rec.entry.index, i as u64 + 1);
        assert_eq!(rec.entry.prev, prev);
        prev = rec.entry_hash;
        flags.push(rec.entry.subject_chain);
    }
    assert_eq!(
        flags,
        [
            SubjectChain::Start,
            SubjectChain::Start,
            SubjectChain::Linked
        ]
    );
    // A restart, a fork onto B's receipt and a jump in seq: refused, with A's tip.
    let tip = ChainTip::of(&r2, Sha256Digest::of(&r2.payload_bytes()));
    let mut jump = next_receipt(&a, &r2, 6, true);
    jump.chain.subject_seq = (1 << 53) - 1;
    for bad in [
        sample_receipt(&a, 4, true),
        next_receipt(&a, &b1, 5, true),
        jump,
    ] {
        assert_eq!(
            store
                .append(new_receipt(&a.sign_receipt(&bad), T0 + 9))
                .await
                .unwrap(),
            AppendOutcome::ChainConflict(Some(tip.clone()))
        );
    }
    // Within one batch too: two receipts continuing the same tip, concurrently.
    let (x, y) = (
        next_receipt(&a, &r2, 7, true),
        next_receipt(&a, &r2, 8, false),
    );
    let (s1, s2) = (store.clone(), store.clone());
    let (ex, ey) = (a.sign_receipt(&x), a.sign_receipt(&y));
    let (ox, oy) = tokio::join!(
        s1.append(new_receipt(&ex, T0 + 10)),
        s2.append(new_receipt(&ey, T0 + 10))
    );
    let both = [ox.unwrap(), oy.unwrap()];
    assert_eq!(
        both.iter()
            .filter(|o| matches!(o, AppendOutcome::Inserted(_)))
            .count(),
        1,
        "{both:?}"
    );
    assert!(
        both.iter()
            .any(|o| matches!(o, AppendOutcome::ChainConflict(Some(_)))),
        "{both:?}"
    );
    assert_eq!(store.head().await.unwrap().size, 4);
    let check =
        verify_ledger_export(&export(&*store).await, &registry_policy(), &keys(), None).unwrap();
    assert_eq!(check.entries, 4);
    assert!(check.flagged.is_empty());
}

async fn case_concurrent_appends_form_one_chain(store: Arc<dyn ReceiptStore>) {
    // 120 receipts from 6 devices, appended concurrently; the same id twice in flight too.
    let mut tasks = Vec::new();
    // Each device's receipts go one after another (its chain), the devices at once.
    for d in 0..6u8 {
        let s = TestSigner::from_label(&format!("device {d}"));
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            let mut prev: Option<consentry_core::receipt::Receipt> = None;
            for k in 0..20u8 {
                let r = match &prev {
                    None => sample_receipt(&s, d * 20 + k, true),
                    Some(p) => next_receipt(&s, p, d * 20 + k, k % 2 == 0),
                };
                out.push(
                    store
                        .append(new_receipt(&s.sign_receipt(&r), T0 + i64::from(k)))
                        .await,
                );
                prev = Some(r);
            }
            out
        }));
    }
    let (_, dup) = signed(200, true);
    let (s1, s2) = (store.clone(), store.clone());
    let (d1, d2) = (dup.clone(), dup.clone());
    let t1 = tokio::spawn(async move { s1.append(new_receipt(&d1, T0)).await });
    let t2 = tokio::spawn(async move { s2.append(new_receipt(&d2, T0)).await });
    let mut n = 0;
    for t in tasks {
        for o in t.await.unwrap() {
            inserted(o.unwrap());
            n += 1;
        }
    }
    let outcomes = [t1.await.unwrap().unwrap(), t2.await.unwrap().unwrap()];
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, AppendOutcome::Inserted(_)))
            .count(),
        1,
        "{outcomes:?}"
    );
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, AppendOutcome::AlreadyStored(_)))
            .count(),
        1
    );
    assert_eq!(n, 120);
    let check =
        verify_ledger_export(&export(&*store).await, &registry_policy(), &keys(), None).unwrap();
    assert_eq!(check.entries, 121);
}

async fn case_queries(store: Arc<dyn ReceiptStore>) {
    let a = TestSigner::device();
    let b = TestSigner::other();
    let mut last: [Option<consentry_core::receipt::Receipt>; 2] = [None, None];
    for i in 0..10u8 {
        let s = if i % 2 == 0 { &a } else { &b };
        let mut r = match &last[usize::from(i % 2)] {
            None => sample_receipt(s, i, true),
            Some(p) => next_receipt(s, p, i, true),
        };
        if i >= 6 {
            r.notice.version = "2027.01.1".into();
        }
        last[usize::from(i % 2)] = Some(r.clone());
        store
            .append(new_receipt(&s.sign_receipt(&r), T0 + i64::from(i) * 1000))
            .await
            .unwrap();
    }
    let q = |f: &dyn Fn(&mut Query)| {
        let mut q = Query {
            limit: 100,
            ..Query::default()
        };
        f(&mut q);
        q
    };
    let idx = |v: Vec<consentry_server::LedgerRecord>| -> Vec<u64> {
        v.iter().map(|r| r.entry.index).collect()
    };
    let by_subject = store
        .query(q(&|q| q.subject = Some(b.kid())))
        .await
        .unwrap();
    assert_eq!(idx(by_subject), [2, 4, 6, 8, 10]);
    let by_version = store
        .query(q(&|q| {
            q.notice_id = Some("support-privacy".into());
            q.notice_version = Some("2027.01.1".into());
        }))
        .await
        .unwrap();
    assert_eq!(idx(by_version), [7, 8, 9, 10]);
    let by_time = store
        .query(q(&|q| {
            q.from = Some(Timestamp(T0 + 2000));
            q.to = Some(Timestamp(T0 + 5000));
        }))
        .await
        .unwrap();
    assert_eq!(idx(by_time), [3, 4, 5]);
    let page = store
        .query(q(&|q| {
            q.after_index = 3;
            q.limit = 2;
        }))
        .await
        .unwrap();
    assert_eq!(idx(page), [4, 5]);
    let none = store
        .query(q(&|q| q.subject = Some("nobody".into())))
        .await
        .unwrap();
    assert!(none.is_empty());
    // By index: those that exist, in ledger order, whatever order they are asked in.
    assert_eq!(
        idx(store.entries(vec![7, 2, 10_000, 4]).await.unwrap()),
        [2, 4, 7]
    );
    assert!(store.entries(Vec::new()).await.unwrap().is_empty());
}

async fn case_through_the_router(store: Arc<dyn ReceiptStore>) {
    let router = app(
        AppState::new(store.clone(), registry_policy(), &ledger_config())
            .with_clock(ticking_clock())
            .with_admin_token(ADMIN_TOKEN),
    );
    for i in 0..5u8 {
        let (_, env) = signed(i, i % 2 == 0);
        assert_eq!(post(&router, &env).await.status, StatusCode::CREATED);
    }
    let e = admin_get(&router, "/v1/admin/receipts").await;
    assert_eq!(e.status, StatusCode::OK);
    let head = get(&router, "/v1/ledger/head").await;
    let (head, _) = verify_ledger_head(&head.body, &keys()).unwrap();
    let check = verify_ledger_export(&e.body, &registry_policy(), &keys(), Some(&head)).unwrap();
    assert_eq!(check.entries, 5);
}

/// The stores refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) of ledger rows.
async fn case_append_only(backend: &dyn Backend, store: Arc<dyn ReceiptStore>, case: &str) {
    let (_, env) = signed(1, true);
    inserted(store.append(new_receipt(&env, T0)).await.unwrap());
    let mut attacks = vec![
        "UPDATE ledger SET subject = 'someone else'",
        "DELETE FROM ledger",
    ];
    if backend.name() == "postgres" {
        attacks.push("TRUNCATE ledger");
    }
    for sql in attacks {
        let err = backend.raw_sql(case, sql).await.unwrap_err();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(store.head().await.unwrap().size, 1);
}

/// A receipt id is unique per subject: another device sending a receipt with the same id (it
/// learnt the id first) gets a receipt of its own, and the owner's still goes in. A ledger
/// from before (id unique across subjects) is migrated when the store opens.
async fn case_receipt_ids_are_per_subject(
    backend: &dyn Backend,
    store: Arc<dyn ReceiptStore>,
    case: &str,
) {
    let a = TestSigner::device();
    let b = TestSigner::other();
    let ra = sample_receipt(&a, 1, true);
    let rb = sample_receipt(&b, 1, false);
    assert_eq!(ra.receipt_id, rb.receipt_id, "the same id, two devices");
    let (ea, eb) = (a.sign_receipt(&ra), b.sign_receipt(&rb));
    // The first ledger holds A's receipt; make it look as a server before issue 13 left it.
    let first = inserted(store.append(new_receipt(&ea, T0)).await.unwrap());
    drop(store);
    let old_schema: &[&str] = if backend.name() == "sqlite" {
        &[
            "CREATE TABLE v1 (idx INTEGER PRIMARY KEY, receipt_id TEXT NOT NULL UNIQUE, \
             subject TEXT NOT NULL, notice_id TEXT NOT NULL, notice_version TEXT NOT NULL, \
             notice_locale TEXT NOT NULL, notice_sha256 TEXT NOT NULL, \
             payload_sha256 TEXT NOT NULL, received_at INTEGER NOT NULL, kid TEXT NOT NULL, \
             subject_chain TEXT NOT NULL, device_commitment TEXT NOT NULL, \
             prev_hash TEXT NOT NULL, entry_hash TEXT NOT NULL, received BLOB NOT NULL, \
             countersigned BLOB NOT NULL) STRICT",
            "INSERT INTO v1 SELECT idx, receipt_id, subject, notice_id, notice_version, \
             notice_locale, notice_sha256, payload_sha256, received_at, kid, subject_chain, \
             device_commitment, prev_hash, entry_hash, received, countersigned FROM ledger",
            "DROP TABLE ledger",
            "ALTER TABLE v1 RENAME TO ledger",
            "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger \
             BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: DELETE refused'); END",
            "PRAGMA user_version = 0",
        ]
    } else {
        &[
            "ALTER TABLE ledger DROP CONSTRAINT ledger_subject_receipt_key",
            "ALTER TABLE ledger ADD CONSTRAINT ledger_receipt_id_key UNIQUE (receipt_id)",
        ]
    };
    for sql in old_schema {
        backend.raw_sql(case, sql).await.unwrap();
    }
    // Under the old schema B's receipt cannot go in: whoever sent the id first owns it.
    let claim = backend
        .raw_sql(
            case,
            "INSERT INTO ledger SELECT idx + 100, receipt_id, 'someone else', notice_id, \
             notice_version, notice_locale, notice_sha256, payload_sha256, received_at, kid, \
             subject_chain, device_commitment, prev_hash, entry_hash, received, countersigned \
             FROM ledger",
        )
        .await
        .unwrap_err();
    assert!(
        claim.to_lowercase().contains("unique") || claim.contains("duplicate key"),
        "{claim}"
    );

    let store = backend.reopen(case).await;
    assert_eq!(
        store.get(ra.receipt_id.as_str()).await.unwrap(),
        std::slice::from_ref(&first)
    );
    let second = inserted(store.append(new_receipt(&eb, T0 + 1)).await.unwrap());
    assert_eq!(second.entry.subject, b.kid());
    assert_eq!(second.entry.subject_chain, SubjectChain::Start);
    // Resends are still idempotent per subject; a different receipt under A's id is not.
    for (env, rec) in [(&ea, &first), (&eb, &second)] {
        assert_eq!(
            store.append(new_receipt(env, T0 + 2)).await.unwrap(),
            AppendOutcome::AlreadyStored(rec.clone())
        );
    }
    let other = a.sign_receipt(&sample_receipt(&a, 1, false));
    assert_eq!(
        store.append(new_receipt(&other, T0 + 3)).await.unwrap(),
        AppendOutcome::Conflict
    );
    assert_eq!(
        store.get(ra.receipt_id.as_str()).await.unwrap(),
        [first, second]
    );
    // The migration kept the ledger append-only and whole.
    let err = backend
        .raw_sql(case, "DELETE FROM ledger")
        .await
        .unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    let check =
        verify_ledger_export(&export(&*store).await, &registry_policy(), &keys(), None).unwrap();
    assert_eq!(check.entries, 2);
}

async fn run_suite(backend: &dyn Backend) {
    macro_rules! case {
        ($name:literal, $f:ident) => {{
            eprintln!("[{}] {}", backend.name(), $name);
            $f(backend.fresh($name).await).await;
        }};
    }
    case!("append_get_head", case_append_get_head);
    case!("idempotent", case_idempotent_and_conflict);
    case!("chain_flags", case_chain_and_subject_flags);
    case!("concurrent", case_concurrent_appends_form_one_chain);
    case!("queries", case_queries);
    case!("router", case_through_the_router);
    eprintln!("[{}] ids_per_subject", backend.name());
    let store = backend.fresh("ids_per_subject").await;
    case_receipt_ids_are_per_subject(backend, store, "ids_per_subject").await;
    eprintln!("[{}] append_only", backend.name());
    let store = backend.fresh("append_only").await;
    case_append_only(backend, store, "append_only").await;
    eprintln!("[{}] subject_keys", backend.name());
    let store = backend.fresh("subject_keys").await;
    case_subject_keys(backend, store, "subject_keys").await;
}

struct Sqlite {
    dir: tempfile::TempDir,
}

impl Backend for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }
    fn fresh<'a>(&'a self, case: &'a str) -> BoxFut<'a, Arc<dyn ReceiptStore>> {
        Box::pin(async move {
            let db = self.dir.path().join(format!("{case}.sqlite"));
            Arc::new(SqliteStore::open(&db, ledger_config()).unwrap()) as Arc<dyn ReceiptStore>
        })
    }
    fn raw_sql<'a>(&'a self, case: &'a str, sql: &'a str) -> BoxFut<'a, Result<u64, String>> {
        Box::pin(async move {
            let conn = raw_db(&self.dir.path().join(format!("{case}.sqlite")));
            conn.execute(sql, [])
                .map(|n| n as u64)
                .map_err(|e| e.to_string())
        })
    }
    fn reopen<'a>(&'a self, case: &'a str) -> BoxFut<'a, Arc<dyn ReceiptStore>> {
        Box::pin(async move {
            let db = self.dir.path().join(format!("{case}.sqlite"));
            Arc::new(SqliteStore::open(&db, ledger_config()).unwrap()) as Arc<dyn ReceiptStore>
        })
    }
    fn on_disk<'a>(&'a self, case: &'a str, needle: &'a [u8]) -> BoxFut<'a, bool> {
        Box::pin(async move {
            ["sqlite", "sqlite-wal"].iter().any(|ext| {
                let path = self.dir.path().join(format!("{case}.{ext}"));
                std::fs::read(path).is_ok_and(|b| holds(&b, needle))
            })
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_store_passes_the_suite() {
    let backend = Sqlite {
        dir: tempfile::tempdir().unwrap(),
    };
    run_suite(&backend).await;
}

struct Postgres {
    pg: TempPostgres,
}

impl Postgres {
    async fn admin(&self, db: &str) -> tokio_postgres::Client {
        let (c, conn) = tokio_postgres::connect(&self.pg.conninfo(db), tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        c
    }
}

impl Backend for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }
    fn fresh<'a>(&'a self, case: &'a str) -> BoxFut<'a, Arc<dyn ReceiptStore>> {
        Box::pin(async move {
            // Blocking (it waits out a server still starting up): off the async workers.
            let pg = &self.pg;
            tokio::task::block_in_place(|| pg.create_database(case)).unwrap();
            Arc::new(
                PgStore::connect(&self.pg.conninfo(case), ledger_config())
                    .await
                    .unwrap(),
            ) as Arc<dyn ReceiptStore>
        })
    }
    fn raw_sql<'a>(&'a self, case: &'a str, sql: &'a str) -> BoxFut<'a, Result<u64, String>> {
        Box::pin(async move {
            self.admin(case).await.execute(sql, &[]).await.map_err(|e| {
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_owned())
            })
        })
    }
    fn reopen<'a>(&'a self, case: &'a str) -> BoxFut<'a, Arc<dyn ReceiptStore>> {
        Box::pin(async move {
            Arc::new(
                PgStore::connect(&self.pg.conninfo(case), ledger_config())
                    .await
                    .unwrap(),
            ) as Arc<dyn ReceiptStore>
        })
    }
    fn on_disk<'a>(&'a self, case: &'a str, needle: &'a [u8]) -> BoxFut<'a, bool> {
        Box::pin(async move {
            let c = self.admin(case).await;
            c.batch_execute("CHECKPOINT").await.unwrap();
            let file: Vec<u8> = c
                .query_one(
                    "SELECT pg_read_binary_file(pg_relation_filepath('subject_keys'))",
                    &[],
                )
                .await
                .unwrap()
                .get(0);
            holds(&file, needle)
        })
    }
}

fn start_postgres() -> TempPostgres {
    TempPostgres::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL for the tests: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store_passes_the_suite() {
    let backend = Postgres {
        pg: start_postgres(),
    };
    run_suite(&backend).await;
}

/// Two server instances (two `AppState`s, two stores, two connection sets) appending to one
/// PostgreSQL database at the same time produce one valid chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_postgres_make_one_chain() {
    let backend = Postgres {
        pg: start_postgres(),
    };
    let conninfo = backend.pg.conninfo("replicas");
    let pg = &backend.pg;
    tokio::task::block_in_place(|| pg.create_database("replicas")).unwrap();
    let cfg = ledger_config();
    let (s1, s2) = tokio::join!(
        PgStore::connect(&conninfo, cfg.clone()),
        PgStore::connect(&conninfo, cfg.clone())
    );
    let (s1, s2) = (Arc::new(s1.unwrap()), Arc::new(s2.unwrap()));
    let r1 = app(AppState::new(s1.clone(), registry_policy(), &cfg).with_admin_token(ADMIN_TOKEN));
    let r2 = app(AppState::new(s2.clone(), registry_policy(), &cfg));
    let mut tasks = Vec::new();
    for d in 0..8u8 {
        let s = TestSigner::from_label(&format!("replica device {d}"));
        let mut prev = None;
        let mut envs = Vec::new();
        for k in 0..25u8 {
            let r = match &prev {
                None => sample_receipt(&s, d * 25 + k, true),
                Some(p) => next_receipt(&s, p, d * 25 + k, k % 3 == 0),
            };
            envs.push(s.sign_receipt(&r));
            prev = Some(r);
        }
        // Each device alternates between the replicas, one receipt after the other.
        let (ra, rb) = (r1.clone(), r2.clone());
        tasks.push(tokio::spawn(async move {
            for (k, env) in envs.iter().enumerate() {
                let router = if k % 2 == 0 { &ra } else { &rb };
                let a = post(router, env).await;
                assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
                assert_eq!(
                    a.json().get("subject_chain").and_then(Value::as_str),
                    Some(if k == 0 { "start" } else { "linked" })
                );
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let e = admin_get(&r1, "/v1/admin/receipts").await;
    let (h1, _) = verify_ledger_head(&get(&r1, "/v1/ledger/head").await.body, &keys()).unwrap();
    let (h2, _) = verify_ledger_head(&get(&r2, "/v1/ledger/head").await.body, &keys()).unwrap();
    assert_eq!(
        (h1.size, h1.hash),
        (h2.size, h2.hash),
        "both replicas see one head"
    );
    let check = verify_ledger_export(&e.body, &registry_policy(), &keys(), Some(&h1)).unwrap();
    assert_eq!(check.entries, 200);
    assert!(check.flagged.is_empty());
    // Sanity: the export really is 200 lines of countersigned receipts.
    let lines = e
        .body
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(lines, 200);
    let first = json::parse(e.body.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert!(first.get("receipt").is_some());
    s1.shutdown().await;
    s2.shutdown().await;
}
