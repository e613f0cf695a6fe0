//! The HTTP API through the real router (`tower::ServiceExt::oneshot`) over a real SQLite file.

mod common;

use std::net::SocketAddr;

use axum::http::{Method, StatusCode, header};
use common::*;
use consentry_core::encoding::{Sha256Digest, b64url, b64url_decode};
use consentry_core::json::Value;
use consentry_core::receipt::countersign::{GENESIS, SubjectChain};
use consentry_core::receipt::jws::Jws;
use consentry_core::receipt::verify::{
    KeySet, NoticeRegistry, VerifyPolicy, verify, verify_countersigned, verify_ledger_head,
};
use consentry_core::testing::{TestSigner, next_receipt, sample_bundle_bytes, sample_receipt};
use consentry_core::time::Timestamp;
use consentry_server::notices::load_notice_build;
use consentry_server::{RateLimiter, ReceiptStore, SqliteStore};

#[tokio::test]
async fn valid_receipt_is_stored_countersigned_and_read_back() {
    let f = fixture(VerifyPolicy::default(), None);
    let (r, env) = signed(1, true);

    let a = post(&f.router, &env).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    assert_eq!(a.content_type(), "application/json");
    let body = a.json();
    let psha = Sha256Digest::of(&r.payload_bytes()).to_hex();
    assert_eq!(
        body.get("receipt_id").and_then(Value::as_str),
        Some(r.receipt_id.as_str())
    );
    assert_eq!(
        body.get("receipt_sha256").and_then(Value::as_str),
        Some(psha.as_str())
    );
    assert_eq!(
        body.get("received_at").and_then(Value::as_str),
        Some(Timestamp(T0).to_rfc3339().as_str())
    );
    assert_eq!(body.get("status").and_then(Value::as_str), Some("stored"));
    assert_eq!(body.get("ledger_index").and_then(Value::as_i64), Some(1));
    assert_eq!(
        body.get("subject_chain").and_then(Value::as_str),
        Some("start")
    );
    assert_eq!(
        a.headers.get(header::LOCATION).unwrap(),
        &format!(
            "/v1/receipts/{}?subject={}",
            r.receipt_id,
            TestSigner::device().kid()
        )
    );

    // The answer carries the countersigned receipt: the device's payload and signature
    // unchanged, plus the server's countersignature over the ledger position.
    let countersigned = a.receipt_bytes();
    let (v, cs) = verify_countersigned(&countersigned, &VerifyPolicy::default(), &keys()).unwrap();
    assert_eq!(v.receipt(), &r);
    assert_eq!(cs.received_at, Timestamp(T0));
    assert_eq!(cs.position.index, 1);
    assert_eq!(cs.position.prev, GENESIS);
    assert_eq!(cs.position.log_id, "test-1");
    let device = Jws::from_json(&env).unwrap();
    let both = Jws::from_json(&countersigned).unwrap();
    assert_eq!(both.payload, device.payload);
    assert_eq!(both.signatures[0], device.signatures[0]);

    let uuid = r.receipt_id.as_str().strip_prefix("urn:uuid:").unwrap();
    for uri in [
        format!("/v1/receipts/{}", r.receipt_id),
        format!("/v1/receipts/{uuid}"),
        format!("/v1/receipts/{}", uuid.to_uppercase()),
    ] {
        let g = get(&f.router, &uri).await;
        assert_eq!(g.status, StatusCode::OK, "{uri}");
        assert_eq!(g.content_type(), "application/json");
        assert_eq!(g.body, countersigned, "{uri}");
    }
    // The device-signed bytes stay recoverable exactly.
    let g = get(&f.router, &format!("/v1/receipts/{uuid}/received")).await;
    assert_eq!(g.status, StatusCode::OK);
    assert_eq!(g.body, env);

    // The row holds what the schema promises.
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        String,
        Vec<u8>,
    );
    let (idx, id, subject, nid, ver, loc, nsha, stored_psha, at, chain, received): Row =
        raw_db(&f.db)
            .query_row(
                "SELECT idx, receipt_id, subject, notice_id, notice_version, notice_locale,
                    notice_sha256, payload_sha256, received_at, subject_chain, received
             FROM ledger",
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
                        r.get(10)?,
                    ))
                },
            )
            .unwrap();
    assert_eq!(idx, 1);
    assert_eq!(id, r.receipt_id.as_str());
    assert_eq!(subject, TestSigner::device().kid());
    assert_eq!(
        (nid.as_str(), ver.as_str(), loc.as_str()),
        ("support-privacy", "2026.11.1", "en")
    );
    assert_eq!(nsha, Sha256Digest::of(&sample_bundle_bytes()).to_hex());
    assert_eq!(stored_psha, psha);
    assert_eq!(at, T0);
    assert_eq!(chain, "start");
    assert_eq!(received, env);

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
async fn database_is_wal_and_the_chain_continues_after_a_restart() {
    let f = fixture(VerifyPolicy::default(), None);
    let (r, env) = signed(1, true);
    let first = post(&f.router, &env).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let mode: String = raw_db(&f.db)
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    f.store.shutdown();
    assert!(
        f.store
            .append(consentry_server::NewReceipt::new(
                verify(&env, &VerifyPolicy::default()).unwrap(),
                &env,
                Timestamp(T0)
            ))
            .await
            .is_err(),
        "closed store must refuse"
    );
    drop(f.router);

    let reopened = std::sync::Arc::new(SqliteStore::open(&f.db, ledger_config()).unwrap());
    let s = reopened.get(r.receipt_id.as_str()).await.unwrap().remove(0);
    assert_eq!(s.received, env);
    assert_eq!(s.countersigned, first.receipt_bytes());
    assert_eq!(s.entry.received_at, Timestamp(T0));
    let head = reopened.head().await.unwrap();
    assert_eq!(head.size, 1);
    assert_eq!(head.hash, s.entry_hash);

    // The next entry links to the one written before the restart.
    let router = consentry_server::app(
        consentry_server::AppState::new(
            reopened.clone(),
            VerifyPolicy::default(),
            &ledger_config(),
        )
        .with_clock(ticking_clock()),
    );
    let (_, env2) = signed(2, true);
    let a = post(&router, &env2).await;
    assert_eq!(a.status, StatusCode::CREATED);
    let (_, cs) =
        verify_countersigned(&a.receipt_bytes(), &VerifyPolicy::default(), &keys()).unwrap();
    assert_eq!(cs.position.index, 2);
    assert_eq!(cs.position.prev, s.entry_hash);

    // Another log id on the same database is refused: one database, one ledger.
    let mut other = ledger_config();
    other.log_id = "another".into();
    reopened.shutdown();
    assert!(SqliteStore::open(&f.db, other).is_err());
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
        get(
            &f.router,
            &format!("/v1/receipts/{}/received", r.receipt_id)
        )
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
async fn extra_signatures_are_refused_and_nothing_is_stored() {
    let f = fixture(VerifyPolicy::default(), None);
    let (r, env) = signed(1, true);
    let mut jws = Jws::from_json(&env).unwrap();
    // 60 KB of junk after the device signature: it would be stored and served as received.
    let mut junk = jws.signatures[0].clone();
    junk.signature = "A".repeat(60_000);
    jws.signatures.push(junk);
    let a = post(&f.router, jws.to_json().as_bytes()).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.error_code(), "extra_signatures");
    assert_eq!(row_count(&f.db), 0);
    let g = get(
        &f.router,
        &format!("/v1/receipts/{}/received", r.receipt_id),
    )
    .await;
    assert_eq!(g.status, StatusCode::NOT_FOUND);
    // Its harmless neighbour: the device signature alone is stored.
    let a = post(&f.router, &env).await;
    assert_eq!(a.status, StatusCode::CREATED);
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
    for sql in [
        "UPDATE ledger SET subject = 'someone else'",
        "UPDATE ledger SET countersigned = x'00'",
        "DELETE FROM ledger",
    ] {
        let err = conn.execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(row_count(&f.db), 1);
    let stored: Vec<u8> = conn
        .query_row("SELECT received FROM ledger", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, env);
}

#[tokio::test]
async fn a_tampered_row_is_served_as_stored_and_fails_verification() {
    let f = fixture(VerifyPolicy::default(), None);
    let (r, env) = signed(1, true);
    let a = post(&f.router, &env).await;
    assert_eq!(a.status, StatusCode::CREATED);
    let original = a.receipt_bytes();

    // An attacker with the database file drops the guard and rewrites the decision bytes.
    let mut jws = Jws::from_json(&original).unwrap();
    let payload = String::from_utf8(b64url_decode(&jws.payload).unwrap()).unwrap();
    let forged = payload.replacen("\"state\":\"given\"", "\"state\":\"refused\"", 1);
    assert_ne!(forged, payload);
    jws.payload = b64url(forged.as_bytes());
    let tampered = jws.to_json().into_bytes();
    let conn = raw_db(&f.db);
    conn.execute_batch("DROP TRIGGER ledger_no_update").unwrap();
    conn.execute("UPDATE ledger SET countersigned = ?1", [&tampered])
        .unwrap();

    let g = get(&f.router, &format!("/v1/receipts/{}", r.receipt_id)).await;
    assert_eq!(g.status, StatusCode::OK);
    assert_eq!(g.body, tampered, "served exactly as stored");
    let err = verify(&g.body, &VerifyPolicy::default()).unwrap_err();
    assert_eq!(err.code(), "signature_invalid");
    // The original still verifies: the signatures, not the store, are the evidence.
    verify_countersigned(&original, &VerifyPolicy::default(), &keys()).unwrap();
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

#[tokio::test]
async fn keys_and_the_signed_ledger_head_are_published() {
    let f = fixture(VerifyPolicy::default(), None);
    let a = get(&f.router, "/.well-known/consentry/keys.json").await;
    assert_eq!(a.status, StatusCode::OK);
    let published = KeySet::from_jwks(&a.body).unwrap();
    assert!(published.get(signer().kid()).is_some());

    let h = get(&f.router, "/v1/ledger/head").await;
    assert_eq!(h.status, StatusCode::OK);
    let (head, kid) = verify_ledger_head(&h.body, &published).unwrap();
    assert_eq!((head.size, head.hash), (0, GENESIS));
    assert_eq!(kid, signer().kid());

    let (_, e1) = signed(1, true);
    let (_, e2) = signed(2, true);
    post(&f.router, &e1).await;
    let last = post(&f.router, &e2).await;
    let (head, _) =
        verify_ledger_head(&get(&f.router, "/v1/ledger/head").await.body, &published).unwrap();
    assert_eq!(head.size, 2);
    assert_eq!(head.log_id, "test-1");
    let (v, cs) =
        verify_countersigned(&last.receipt_bytes(), &VerifyPolicy::default(), &published).unwrap();
    let entry = consentry_core::receipt::ledger::LedgerEntry::from_countersigned(
        v.receipt(),
        v.payload_sha256(),
        &cs,
    );
    assert_eq!(head.hash, entry.hash());
}

#[tokio::test]
async fn per_subject_chain_is_enforced_and_the_sender_learns_the_tip() {
    let f = fixture(VerifyPolicy::default(), None);
    let a = TestSigner::device();
    let b = TestSigner::other();
    let r1 = sample_receipt(&a, 1, true);
    let r2 = next_receipt(&a, &r1, 2, false);
    let b1 = sample_receipt(&b, 3, true);
    let flag = |ans: &Answer| {
        ans.json()
            .get("subject_chain")
            .and_then(Value::as_str)
            .unwrap()
            .to_owned()
    };
    let refused = |ans: &Answer| {
        assert_eq!(ans.status, StatusCode::CONFLICT, "{}", ans.text());
        assert_eq!(ans.error_code(), "chain_conflict");
        ans.json()
            .get("error")
            .and_then(|e| e.get("expected"))
            .cloned()
            .unwrap()
    };
    assert_eq!(flag(&post(&f.router, &a.sign_receipt(&r1)).await), "start");
    assert_eq!(flag(&post(&f.router, &b.sign_receipt(&b1)).await), "start");
    assert_eq!(flag(&post(&f.router, &a.sign_receipt(&r2)).await), "linked");
    let tip = Value::object([
        ("prev_receipt_id", Value::str(r2.receipt_id.as_str())),
        (
            "prev_receipt_sha256",
            Value::str(Sha256Digest::of(&r2.payload_bytes()).to_hex()),
        ),
        ("subject_seq", Value::Int(2)),
    ]);
    // A fork: names a receipt that is not A's last (B's).
    let stray = next_receipt(&a, &b1, 4, true);
    assert_eq!(
        refused(&post(&f.router, &a.sign_receipt(&stray)).await),
        tip
    );
    // A restart: A's first receipt again although A has receipts.
    let again = sample_receipt(&a, 5, false);
    assert_eq!(
        refused(&post(&f.router, &a.sign_receipt(&again)).await),
        tip
    );
    // Seq games: the right previous receipt, the wrong number (a jump, a repeat, the largest).
    for n in [1, 3, (1 << 53) - 1] {
        let mut game = next_receipt(&a, &r2, 6, true);
        game.chain.subject_seq = n;
        assert_eq!(refused(&post(&f.router, &a.sign_receipt(&game)).await), tip);
    }
    // The right hash under another receipt id.
    let mut wrong_id = next_receipt(&a, &r2, 7, true);
    wrong_id.chain.prev = Some((r1.receipt_id.clone(), Sha256Digest::of(&r2.payload_bytes())));
    assert_eq!(
        refused(&post(&f.router, &a.sign_receipt(&wrong_id)).await),
        tip
    );
    // A new device's first receipt must start at 0.
    let c = TestSigner::from_label("device c");
    let mut big = sample_receipt(&c, 8, true);
    big.chain.subject_seq = (1 << 53) - 1;
    assert_eq!(
        refused(&post(&f.router, &c.sign_receipt(&big)).await),
        Value::object([("subject_seq", Value::Int(0))])
    );
    // Nothing refused was logged; continuing from the tip is accepted.
    let r3 = next_receipt(&a, &r2, 9, false);
    assert_eq!(flag(&post(&f.router, &a.sign_receipt(&r3)).await), "linked");
    let all = f
        .store
        .query(consentry_server::Query {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        all.iter()
            .map(|r| r.entry.subject_chain)
            .collect::<Vec<_>>(),
        [
            SubjectChain::Start,
            SubjectChain::Start,
            SubjectChain::Linked,
            SubjectChain::Linked
        ]
    );
}

#[tokio::test]
async fn cors_allows_only_listed_origins() {
    let f = fixture_with(VerifyPolicy::default(), |s| {
        s.with_cors_origins(vec!["https://support.example.com".parse().unwrap()])
    });
    let preflight = |origin: &'static str| {
        Req::new(Method::OPTIONS, "/v1/receipts")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
    };
    let ok = preflight("https://support.example.com")
        .send(&f.router)
        .await;
    assert!(ok.status.is_success(), "{}", ok.status);
    assert_eq!(
        ok.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
        "https://support.example.com"
    );
    let evil = preflight("https://evil.example").send(&f.router).await;
    assert!(
        evil.headers
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none()
    );

    let (_, env) = signed(1, true);
    let a = Req::new(Method::POST, "/v1/receipts")
        .header(header::ORIGIN, "https://support.example.com")
        .header(header::CONTENT_TYPE, "application/json")
        .body(env)
        .send(&f.router)
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(
        a.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
        "https://support.example.com"
    );
    // The admin API is never offered cross-origin.
    let a = Req::new(Method::GET, "/v1/admin/receipts")
        .header(header::ORIGIN, "https://support.example.com")
        .header(header::AUTHORIZATION, &format!("Bearer {ADMIN_TOKEN}"))
        .send(&f.router)
        .await;
    assert!(a.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

#[tokio::test]
async fn receipts_are_rate_limited_per_ip_with_a_json_429() {
    let f = fixture_with(VerifyPolicy::default(), |s| {
        s.with_rate_limit(RateLimiter::new(0.01, 2.0))
    });
    let one: SocketAddr = "192.0.2.1:4000".parse().unwrap();
    let two: SocketAddr = "192.0.2.2:4000".parse().unwrap();
    let send = |seed: u8, peer: SocketAddr| {
        let (_, env) = signed(seed, true);
        Req::new(Method::POST, "/v1/receipts")
            .header(header::CONTENT_TYPE, "application/json")
            .body(env)
            .peer(peer)
    };
    assert_eq!(
        send(1, one).send(&f.router).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        send(2, one).send(&f.router).await.status,
        StatusCode::CREATED
    );
    let limited = send(3, one).send(&f.router).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.error_code(), "rate_limited");
    assert!(limited.headers.get(header::RETRY_AFTER).is_some());
    assert_eq!(
        send(3, two).send(&f.router).await.status,
        StatusCode::CREATED
    );
    assert_eq!(row_count(&f.db), 3);
}

/// Whoever learns a receipt id first cannot claim it: another device's receipt under the same
/// id is a receipt of its own, the owner's still goes in, and a lookup by id alone names both.
#[tokio::test]
async fn a_receipt_id_cannot_be_claimed_by_another_subject() {
    let f = fixture(VerifyPolicy::default(), None);
    let owner = TestSigner::device();
    let thief = TestSigner::other();
    let mine = sample_receipt(&owner, 1, false);
    let claim = sample_receipt(&thief, 1, true);
    assert_eq!(mine.receipt_id, claim.receipt_id);
    let first = post(&f.router, &thief.sign_receipt(&claim)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let ok = post(&f.router, &owner.sign_receipt(&mine)).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text());
    let id = mine.receipt_id.as_str();
    let location = ok.headers.get(header::LOCATION).unwrap().to_str().unwrap();
    assert_eq!(
        location,
        format!("/v1/receipts/{id}?subject={}", owner.kid())
    );
    let g = get(&f.router, location).await;
    assert_eq!(g.status, StatusCode::OK);
    assert_eq!(g.body, ok.receipt_bytes());
    let both = get(&f.router, &format!("/v1/receipts/{id}")).await;
    assert_eq!(both.status, StatusCode::CONFLICT);
    assert_eq!(both.error_code(), "receipt_id_ambiguous");
    assert!(both.text().contains(&owner.kid()) && both.text().contains(&thief.kid()));
    let theirs = get(
        &f.router,
        &format!("/v1/receipts/{id}/received?subject={}", thief.kid()),
    )
    .await;
    assert_eq!(theirs.body, thief.sign_receipt(&claim));
    let nobody = get(&f.router, &format!("/v1/receipts/{id}?subject=nobody")).await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
}
