//! The tamper suite: every attack on a receipt or on the ledger is rejected or flagged, each
//! with its own stable error code. Receipts go through the real router; ledger exports come
//! from the real admin API and are checked with core's `verify_ledger_export`.

mod common;

use axum::http::StatusCode;
use common::*;
use consentry_core::encoding::{b64url, b64url_decode};
use consentry_core::json::{self, Value};
use consentry_core::receipt::jws::Jws;
use consentry_core::receipt::verify::{verify_ledger_export, verify_ledger_head};
use consentry_core::testing::{TestSigner, sample_receipt};

/// POSTs and returns (status, code).
async fn refused(f: &Fixture, body: &[u8]) -> (StatusCode, String) {
    let a = post(&f.router, body).await;
    assert!(!a.status.is_success(), "accepted: {}", a.text());
    (a.status, a.error_code())
}

fn payload_text(env: &[u8]) -> String {
    String::from_utf8(b64url_decode(&Jws::from_json(env).unwrap().payload).unwrap()).unwrap()
}

#[tokio::test]
async fn every_receipt_tampering_is_refused_with_its_code() {
    let f = fixture(registry_policy(), None);
    let dev = TestSigner::device();
    let other = TestSigner::other();
    let (_, env) = signed(1, true);
    let (_, env2) = signed(2, false);
    let jws = Jws::from_json(&env).unwrap();
    let mut cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = Vec::new();

    // A flipped payload byte.
    let mut p = b64url_decode(&jws.payload).unwrap();
    let i = p.len() / 2;
    p[i] ^= 0x01;
    let mut j = jws.clone();
    j.payload = b64url(&p);
    cases.push((
        "flipped payload byte",
        j.to_json().into_bytes(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "signature_invalid",
    ));

    // The signature of another receipt (same key).
    let mut j = jws.clone();
    j.signatures[0].signature = Jws::from_json(&env2).unwrap().signatures[0]
        .signature
        .clone();
    cases.push((
        "swapped signature",
        j.to_json().into_bytes(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "signature_invalid",
    ));

    // Another device's key in the header, the original signature.
    let mut j = jws.clone();
    j.signatures[0].protected = other.protected_header();
    cases.push((
        "wrong key",
        j.to_json().into_bytes(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "signature_invalid",
    ));

    // Signed by another device, claiming the first device as subject.
    let r = sample_receipt(&dev, 3, true);
    cases.push((
        "someone else's subject",
        other.sign_receipt(&r),
        StatusCode::UNPROCESSABLE_ENTITY,
        "subject_mismatch",
    ));

    // A kid that is not the key's thumbprint.
    let hdr = |members: Vec<(&str, Value)>| {
        b64url(json::to_canonical_string(&Value::object(members)).as_bytes())
    };
    let kid_lie = hdr(vec![
        ("alg", Value::str("ES256")),
        ("jwk", dev.jwk().to_value()),
        ("kid", Value::str(other.kid())),
        ("typ", Value::str("consentry-receipt+jws")),
    ]);
    cases.push((
        "kid is not the thumbprint",
        dev.sign_with_header(&kid_lie, &r.payload_bytes())
            .to_json()
            .into_bytes(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "kid_mismatch",
    ));

    // alg: none, and HS256 "signed" with a guessable secret.
    for (alg, code) in [("none", "alg_none"), ("HS256", "alg_hmac")] {
        let h = hdr(vec![
            ("alg", Value::str(alg)),
            ("jwk", dev.jwk().to_value()),
            ("kid", Value::str(dev.kid())),
            ("typ", Value::str("consentry-receipt+jws")),
        ]);
        let mut j = dev.sign_with_header(&h, &r.payload_bytes());
        if alg == "none" {
            j.signatures[0].signature = String::new();
        }
        cases.push((
            if alg == "none" {
                "alg none"
            } else {
                "alg HS256"
            },
            j.to_json().into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        ));
    }

    // Non-canonical JSON that carries a valid signature over exactly those bytes.
    let spaced = payload_text(&env).replacen(",", ", ", 1);
    cases.push((
        "non-canonical payload",
        dev.sign_payload(spaced.as_bytes()).to_json().into_bytes(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "payload_not_canonical",
    ));

    // A decision edited and re-signed by the device, but naming an unpublished notice.
    let mut r4 = sample_receipt(&dev, 4, true);
    r4.notice.sha256 = consentry_core::encoding::Sha256Digest::of(b"another text");
    cases.push((
        "unpublished notice",
        dev.sign_receipt(&r4),
        StatusCode::UNPROCESSABLE_ENTITY,
        "notice_unknown",
    ));

    for (name, body, status, code) in &cases {
        let (s, c) = refused(&f, body).await;
        assert_eq!((s, c.as_str()), (*status, *code), "{name}");
    }
    assert_eq!(row_count(&f.db), 0, "nothing tampered was stored");

    // A replay of a stored receipt id with changed bytes.
    assert_eq!(post(&f.router, &env).await.status, StatusCode::CREATED);
    let (_, changed) = signed(1, false);
    let (s, c) = refused(&f, &changed).await;
    assert_eq!((s, c.as_str()), (StatusCode::CONFLICT, "receipt_conflict"));
    assert_eq!(row_count(&f.db), 1);
}

fn lines(body: &[u8]) -> Vec<String> {
    String::from_utf8(body.to_vec())
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn joined(lines: &[String]) -> Vec<u8> {
    let mut s = lines.join("\n");
    s.push('\n');
    s.into_bytes()
}

#[tokio::test]
async fn every_ledger_tampering_is_detected_with_its_code() {
    let f = fixture(registry_policy(), None);
    for seed in 1..=6u8 {
        let (_, env) = signed(seed, seed % 2 == 0);
        assert_eq!(post(&f.router, &env).await.status, StatusCode::CREATED);
    }
    let export = admin_get(&f.router, "/v1/admin/receipts").await.body;
    let (head, _) =
        verify_ledger_head(&get(&f.router, "/v1/ledger/head").await.body, &keys()).unwrap();
    let policy = registry_policy();
    let ks = keys();
    verify_ledger_export(&export, &policy, &ks, Some(&head)).unwrap();
    let code = |bytes: &[u8]| {
        verify_ledger_export(bytes, &policy, &ks, Some(&head))
            .unwrap_err()
            .code()
    };
    let all = lines(&export);

    let mut deleted = all.clone();
    deleted.remove(2);
    assert_eq!(code(&joined(&deleted)), "ledger_gap", "a deleted entry");

    let mut reordered = all.clone();
    reordered.swap(2, 3);
    assert_eq!(
        code(&joined(&reordered)),
        "ledger_reordered",
        "reordered entries"
    );

    let mut truncated = all.clone();
    truncated.pop();
    assert_eq!(
        code(&joined(&truncated)),
        "ledger_truncated",
        "a dropped tail"
    );

    let mut duplicated = all.clone();
    duplicated.insert(3, all[2].clone());
    assert_eq!(
        code(&joined(&duplicated)),
        "ledger_duplicate",
        "a duplicate"
    );

    // The countersignature of entry 2 moved onto entry 3's receipt.
    let mut moved = all.clone();
    let mut l3 = json::parse(all[2].as_bytes()).unwrap();
    let l2 = json::parse(all[1].as_bytes()).unwrap();
    let cs2 = l2
        .get("receipt")
        .unwrap()
        .get("signatures")
        .unwrap()
        .as_array()
        .unwrap()[1]
        .clone();
    if let Value::Obj(m) = &mut l3
        && let Some((_, Value::Obj(rm))) = m.iter_mut().find(|(k, _)| k == "receipt")
        && let Some((_, Value::Arr(sigs))) = rm.iter_mut().find(|(k, _)| k == "signatures")
    {
        sigs[1] = cs2;
    }
    moved[2] = json::to_canonical_string(&l3);
    assert_eq!(
        code(&joined(&moved)),
        "countersignature_binding_mismatch",
        "a moved countersignature"
    );

    // A receipt's payload byte flipped inside the export.
    let mut edited = all.clone();
    let mut l4 = json::parse(all[3].as_bytes()).unwrap();
    if let Value::Obj(m) = &mut l4
        && let Some((_, Value::Obj(rm))) = m.iter_mut().find(|(k, _)| k == "receipt")
        && let Some((_, Value::Str(p))) = rm.iter_mut().find(|(k, _)| k == "payload")
    {
        let mut b = b64url_decode(p).unwrap();
        let i = b.len() / 2;
        b[i] ^= 0x04;
        *p = b64url(&b);
    }
    edited[3] = json::to_canonical_string(&l4);
    assert_eq!(
        code(&joined(&edited)),
        "signature_invalid",
        "an edited receipt"
    );

    // An entry's server time rewritten in the entry object.
    let mut retimed = all.clone();
    retimed[4] = all[4].replacen("\"recv\":\"2026", "\"recv\":\"2025", 1);
    assert_ne!(retimed[4], all[4]);
    assert_eq!(
        code(&joined(&retimed)),
        "ledger_entry_mismatch",
        "an edited entry"
    );
}
