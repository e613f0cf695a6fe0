//! The HTTP API through the real router (`tower::ServiceExt::oneshot`) over a real SQLite file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use consentry_core::bundle::{Direction, Manifest, ManifestEntry};
use consentry_core::encoding::{Sha256Digest, b64url, b64url_decode};
use consentry_core::json::{self, Value};
use consentry_core::receipt::Receipt;
use consentry_core::receipt::jws::Jws;
use consentry_core::receipt::verify::{NoticeRegistry, VerifyPolicy, verify};
use consentry_core::testing::{TestSigner, sample_bundle, sample_bundle_bytes, sample_receipt};
use consentry_core::time::Timestamp;
use consentry_server::notices::load_notice_build;
use consentry_server::{AppState, ReceiptStore, SqliteStore, app};
use tempfile::TempDir;
use tower::ServiceExt as _;

const T0: i64 = 1_795_900_000_000;

struct Fixture {
    tmp: TempDir,
    db: PathBuf,
    store: Arc<SqliteStore>,
    router: Router,
}

/// A router over a fresh database in a temp dir, with a clock that advances 1 s per call.
fn fixture(policy: VerifyPolicy, site: Option<&Path>) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("data").join("receipts.sqlite");
    let store = Arc::new(SqliteStore::open(&db).unwrap());
    let ticks = Arc::new(AtomicI64::new(0));
    let clock = Arc::new(move || Timestamp(T0 + 1000 * ticks.fetch_add(1, Ordering::SeqCst)));
    let mut state = AppState::new(store.clone(), policy).with_clock(clock);
    if let Some(s) = site {
        state = state.with_site(s);
    }
    Fixture {
        tmp,
        db,
        store,
        router: app(state),
    }
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        json::parse(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// The stable code of a JSON error answer (and checks the error shape).
    fn error_code(&self) -> String {
        assert_eq!(self.content_type(), "application/json");
        let v = self.json();
        let e = v.get("error").expect("error member");
        assert_eq!(e.as_object().unwrap().len(), 2, "{v:?}");
        assert!(!e.get("message").and_then(Value::as_str).unwrap().is_empty());
        e.get("code").and_then(Value::as_str).unwrap().to_owned()
    }
}

async fn call(
    router: &Router,
    method: Method,
    uri: &str,
    ct: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(ct) = ct {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn post(router: &Router, envelope: &[u8]) -> Answer {
    call(
        router,
        Method::POST,
        "/v1/receipts",
        Some("application/json"),
        envelope.to_vec(),
    )
    .await
}

async fn get(router: &Router, uri: &str) -> Answer {
    call(router, Method::GET, uri, None, Vec::new()).await
}

fn signed(seed: u8, accept: bool) -> (Receipt, Vec<u8>) {
    let s = TestSigner::device();
    let r = sample_receipt(&s, seed, accept);
    let env = s.sign_receipt(&r);
    (r, env)
}

fn raw_db(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

fn row_count(path: &Path) -> i64 {
    raw_db(path)
        .query_row("SELECT count(*) FROM receipts", [], |r| r.get(0))
        .unwrap()
}

fn write_build(dir: &Path) {
    let bytes = sample_bundle_bytes();
    let b = sample_bundle();
    let digest = Sha256Digest::of(&bytes);
    let file = format!("notice.en.{}.json", &digest.to_hex()[..8]);
    std::fs::write(dir.join(&file), &bytes).unwrap();
    let m = Manifest {
        notice_id: b.notice_id,
        version: b.version,
        default_locale: b.locale.clone(),
        build_time: None,
        locales: vec![ManifestEntry {
            locale: b.locale,
            path: file,
            sha256: digest,
            dir: Direction::Ltr,
            name: "English".into(),
        }],
    };
    std::fs::write(dir.join("manifest.json"), m.to_json()).unwrap();
}

#[tokio::test]
async fn valid_receipt_is_stored_and_read_back_byte_for_byte() {
    let f = fixture(VerifyPolicy::default(), None);
    let (r, env) = signed(1, true);

    let a = post(&f.router, &env).await;
    assert_eq!(
        a.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    assert_eq!(a.content_type(), "application/json");
    let want = format!(
        "{{\"receipt_id\":\"{}\",\"receipt_sha256\":\"{}\",\"received_at\":\"{}\",\"status\":\"stored\"}}",
        r.receipt_id,
        Sha256Digest::of(&r.payload_bytes()).to_hex(),
        Timestamp(T0).to_rfc3339()
    );
    assert_eq!(String::from_utf8(a.body.clone()).unwrap(), want);
    assert_eq!(
        a.headers.get(header::LOCATION).unwrap(),
        &format!("/v1/receipts/{}", r.receipt_id)
    );

    let uuid = r.receipt_id.as_str().strip_prefix("urn:uuid:").unwrap();
    for uri in [
        format!("/v1/receipts/{}", r.receipt_id),
        format!("/v1/receipts/{uuid}"),
        format!("/v1/receipts/{}", uuid.to_uppercase()),
    ] {
        let g = get(&f.router, &uri).await;
        assert_eq!(g.status, StatusCode::OK, "{uri}");
        assert_eq!(g.content_type(), "application/json");
        assert_eq!(g.body, env, "{uri}");
    }

    // The row holds what the schema promises.
    let (seq, id, subject, nid, ver, loc, nsha, psha, at, stored): (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        Vec<u8>,
    ) = raw_db(&f.db)
        .query_row(
            "SELECT sequence, receipt_id, subject, notice_id, notice_version, notice_locale,
                    notice_sha256, payload_sha256, received_at, envelope FROM receipts",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(seq, 1);
    assert_eq!(id, r.receipt_id.as_str());
    assert_eq!(subject, TestSigner::device().kid());
    assert_eq!(
        (nid.as_str(), ver.as_str(), loc.as_str()),
        ("support-privacy", "2026.11.1", "en")
    );
    assert_eq!(nsha, Sha256Digest::of(&sample_bundle_bytes()).to_hex());
    assert_eq!(psha, Sha256Digest::of(&r.payload_bytes()).to_hex());
    assert_eq!(at, Timestamp(T0).to_rfc3339());
    assert_eq!(stored, env);

    // application/jose+json with a parameter is accepted too.
    let (_, env2) = signed(2, false);
    let a = call(
        &f.router,
        Method::POST,
        "/v1/receipts",
        Some("application/jose+json; charset=utf-8"),
        env2,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(row_count(&f.db), 2);
}

#[tokio::test]
async fn database_is_wal_and_survives_a_restart() {
    let f = fixture(VerifyPolicy::default(), None);
    let (r, env) = signed(1, true);
    assert_eq!(post(&f.router, &env).await.status, StatusCode::CREATED);
    let mode: String = raw_db(&f.db)
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    f.store.shutdown();
    assert!(
        f.store.get(r.receipt_id.as_str()).await.is_err(),
        "closed store must refuse"
    );
    drop(f.router);

    let reopened = SqliteStore::open(&f.db).unwrap();
    let s = reopened.get(r.receipt_id.as_str()).await.unwrap().unwrap();
    assert_eq!(s.envelope, env);
    assert_eq!(s.received_at, Timestamp(T0));
    drop(f.tmp);
}

#[tokio::test]
async fn replay_of_the_same_bytes_is_idempotent() {
    let f = fixture(VerifyPolicy::default(), None);
    let (_, env) = signed(1, true);
    let first = post(&f.router, &env).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = post(&f.router, &env).await;
    assert_eq!(again.status, StatusCode::OK);
    // Same body, including the original received_at (the clock has moved on since).
    assert_eq!(again.body, first.body);
    assert_eq!(row_count(&f.db), 1);
}

#[tokio::test]
async fn same_id_with_other_bytes_is_a_conflict() {
    let f = fixture(VerifyPolicy::default(), None);
    let (_, accept) = signed(1, true);
    let (_, reject) = signed(1, false); // same receipt id, other decisions
    assert_eq!(post(&f.router, &accept).await.status, StatusCode::CREATED);

    let a = post(&f.router, &reject).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.error_code(), "receipt_conflict");

    // Same signed content, different envelope bytes (whitespace) is a different submission too.
    let mut spaced = b" ".to_vec();
    spaced.extend_from_slice(&accept);
    let a = post(&f.router, &spaced).await;
    assert_eq!(a.status, StatusCode::CONFLICT);

    assert_eq!(row_count(&f.db), 1);
    let (r, _) = signed(1, true);
    assert_eq!(
        get(&f.router, &format!("/v1/receipts/{}", r.receipt_id))
            .await
            .body,
        accept
    );
}

#[tokio::test]
async fn bad_signature_is_422_with_its_code_and_nothing_is_stored() {
    let f = fixture(VerifyPolicy::default(), None);
    let (r, env) = signed(1, true);
    let mut jws = Jws::from_json(&env).unwrap();
    let mut sig = b64url_decode(&jws.signatures[0].signature).unwrap();
    sig[33] ^= 0x10;
    jws.signatures[0].signature = b64url(&sig);
    let a = post(&f.router, jws.to_json().as_bytes()).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.error_code(), "signature_invalid");
    assert_eq!(row_count(&f.db), 0);
    let g = get(&f.router, &format!("/v1/receipts/{}", r.receipt_id)).await;
    assert_eq!(g.status, StatusCode::NOT_FOUND);
    assert_eq!(g.error_code(), "receipt_not_found");

    // A receipt signed with alg none gets its own code.
    let s = TestSigner::device();
    let none = b64url(b"{\"alg\":\"none\"}");
    let env = s.sign_with_header(&none, &r.payload_bytes());
    let a = post(&f.router, env.to_json().as_bytes()).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.error_code(), "alg_none");
}

#[tokio::test]
async fn malformed_json_or_envelope_is_400() {
    let f = fixture(VerifyPolicy::default(), None);
    for body in [
        &b"not json"[..],
        b"",
        b"{}",
        b"{\"payload\":\"x\",\"signatures\":[]}",
        b"\xff\xfe",
    ] {
        let a = post(&f.router, body).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body:?}");
        assert_eq!(a.error_code(), "envelope_malformed");
    }
}

#[tokio::test]
async fn oversized_body_is_413_with_a_json_error() {
    let f = fixture(VerifyPolicy::default(), None);
    let a = post(&f.router, &vec![b' '; 65 * 1024]).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.error_code(), "body_too_large");
    assert_eq!(row_count(&f.db), 0);
}

#[tokio::test]
async fn wrong_or_missing_content_type_is_415() {
    let f = fixture(VerifyPolicy::default(), None);
    let (_, env) = signed(1, true);
    for ct in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let a = call(&f.router, Method::POST, "/v1/receipts", ct, env.clone()).await;
        assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}");
        assert_eq!(a.error_code(), "unsupported_media_type");
    }
    assert_eq!(row_count(&f.db), 0);
}

#[tokio::test]
async fn unknown_notice_digest_is_422_when_notices_are_loaded() {
    let build = tempfile::tempdir().unwrap();
    write_build(build.path());
    let registry: NoticeRegistry = load_notice_build(build.path()).unwrap();
    assert_eq!(registry.len(), 1);
    let with = fixture(
        VerifyPolicy {
            notices: Some(registry),
        },
        None,
    );
    let without = fixture(VerifyPolicy::default(), None);

    let s = TestSigner::device();
    let mut r = sample_receipt(&s, 1, true);
    r.notice.sha256 = Sha256Digest::of(b"a build that was never published");
    let unknown = s.sign_receipt(&r);

    let a = post(&with.router, &unknown).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.error_code(), "notice_unknown");
    assert_eq!(
        post(&without.router, &unknown).await.status,
        StatusCode::CREATED
    );

    // The published notice is accepted, and a missing purpose is caught.
    let (_, good) = signed(2, true);
    assert_eq!(post(&with.router, &good).await.status, StatusCode::CREATED);
    let mut r = sample_receipt(&s, 3, true);
    r.decisions.pop();
    let a = post(&with.router, &s.sign_receipt(&r)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.error_code(), "purpose_missing");
}

#[tokio::test]
async fn update_and_delete_are_refused_by_sqlite() {
    let f = fixture(VerifyPolicy::default(), None);
    let (_, env) = signed(1, true);
    assert_eq!(post(&f.router, &env).await.status, StatusCode::CREATED);
    let conn = raw_db(&f.db);
    let err = conn
        .execute("UPDATE receipts SET subject = 'someone else'", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = conn
        .execute("UPDATE receipts SET envelope = x'00'", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = conn.execute("DELETE FROM receipts", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert_eq!(row_count(&f.db), 1);
    let stored: Vec<u8> = conn
        .query_row("SELECT envelope FROM receipts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, env);
}

#[tokio::test]
async fn a_tampered_row_is_served_as_stored_and_fails_verification() {
    let f = fixture(VerifyPolicy::default(), None);
    let (r, env) = signed(1, true);
    assert_eq!(post(&f.router, &env).await.status, StatusCode::CREATED);

    // An attacker with the database file drops the guard and rewrites the decision bytes.
    let mut jws = Jws::from_json(&env).unwrap();
    let payload = String::from_utf8(b64url_decode(&jws.payload).unwrap()).unwrap();
    let forged = payload.replacen("\"state\":\"given\"", "\"state\":\"refused\"", 1);
    assert_ne!(forged, payload);
    jws.payload = b64url(forged.as_bytes());
    let tampered = jws.to_json().into_bytes();
    let conn = raw_db(&f.db);
    conn.execute_batch("DROP TRIGGER receipts_no_update")
        .unwrap();
    conn.execute("UPDATE receipts SET envelope = ?1", [&tampered])
        .unwrap();

    let g = get(&f.router, &format!("/v1/receipts/{}", r.receipt_id)).await;
    assert_eq!(g.status, StatusCode::OK);
    assert_eq!(g.body, tampered, "served exactly as stored");
    let err = verify(&g.body, &VerifyPolicy::default()).unwrap_err();
    assert_eq!(err.code(), "signature_invalid");
    // The original still verifies: the signature, not the store, is the evidence.
    verify(&env, &VerifyPolicy::default()).unwrap();
}

#[tokio::test]
async fn ids_health_and_json_errors_everywhere() {
    let f = fixture(VerifyPolicy::default(), None);
    let a = get(&f.router, "/healthz").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json().get("status").and_then(Value::as_str), Some("ok"));

    let a = get(
        &f.router,
        "/v1/receipts/urn:uuid:0b0e0c0a-0000-4000-8000-000000000000",
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.error_code(), "receipt_not_found");
    for bad in [
        "nope",
        "urn:uuid:not-a-uuid",
        "0b0e0c0a-0000-1000-8000-000000000000",
    ] {
        let a = get(&f.router, &format!("/v1/receipts/{bad}")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(a.error_code(), "invalid_receipt_id");
    }
    let a = get(&f.router, "/no/such/page").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.error_code(), "not_found");
    let a = get(&f.router, "/v1/receipts").await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.error_code(), "method_not_allowed");
    let a = call(
        &f.router,
        Method::DELETE,
        "/v1/receipts/x",
        None,
        Vec::new(),
    )
    .await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.error_code(), "method_not_allowed");
}

#[tokio::test]
async fn static_site_with_wasm_and_js_types() {
    let site = tempfile::tempdir().unwrap();
    let files: [(&str, &[u8]); 5] = [
        ("index.html", b"<!doctype html><title>Support</title>"),
        ("widget_bg.wasm", b"\0asm\x01\0\0\0"),
        ("widget.js", b"export default 1;"),
        ("snippet.mjs", b"export const a = 1;"),
        ("style.css", b"body{}"),
    ];
    for (name, body) in files {
        std::fs::write(site.path().join(name), body).unwrap();
    }
    let f = fixture(VerifyPolicy::default(), Some(site.path()));

    let a = get(&f.router, "/").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.content_type().starts_with("text/html"),
        "{}",
        a.content_type()
    );
    assert_eq!(a.body, files[0].1);
    for (path, ct, body) in [
        ("/widget_bg.wasm", "application/wasm", files[1].1),
        ("/widget.js", "text/javascript", files[2].1),
        ("/snippet.mjs", "text/javascript", files[3].1),
    ] {
        let a = get(&f.router, path).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(a.content_type(), ct, "{path}");
        assert_eq!(a.body, body, "{path}");
    }
    let a = get(&f.router, "/missing.js").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.error_code(), "not_found");
    let a = get(&f.router, "/../Cargo.toml").await;
    assert_ne!(a.status, StatusCode::OK);

    // The API is not shadowed by the site.
    let (_, env) = signed(1, true);
    assert_eq!(post(&f.router, &env).await.status, StatusCode::CREATED);
    assert_eq!(get(&f.router, "/healthz").await.status, StatusCode::OK);
}
