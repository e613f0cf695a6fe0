//! The hotline (issue 15, item 2): agent keys registered, published and revoked; calls
//! recorded through the signed-in agent's session only; the caller's receipt code; through the
//! router on real SQLite files.

mod common;

use axum::http::{Method, StatusCode, header};
use common::*;
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::{PurposeId, ReceiptId, RegionCode};
use consentry_core::json::Value;
use consentry_core::receipt::agent::Call;
use consentry_core::receipt::verify::{KeySet, NoticeRegistry, VerifyPolicy, verify_countersigned};
use consentry_core::receipt::{Jurisdiction, Receipt};
use consentry_core::regime::{Regime, RegionSource};
use consentry_core::testing::{TestSigner, sample_hotline_bundle};
use consentry_core::time::Timestamp;
use consentry_server::console::{ConsoleStore, Role};
use consentry_server::links::SrefKey;

const PASSWORD: &str = "correct horse battery staple";

fn bundle_bytes() -> Vec<u8> {
    sample_hotline_bundle().to_json().into_bytes()
}

struct Hotline {
    f: Fixture,
    dir: tempfile::TempDir,
}

fn hotline() -> Hotline {
    let dir = tempfile::tempdir().unwrap();
    let store = ConsoleStore::open(&dir.path().join("console.sqlite")).unwrap();
    for (name, role) in [
        ("agent.li", Role::Agent),
        ("agent.wang", Role::Agent),
        ("auditor.ng", Role::Auditor),
        ("admin.root", Role::Admin),
    ] {
        store
            .add_account(name, role, PASSWORD, Timestamp(T0))
            .unwrap();
    }
    let mut r = NoticeRegistry::new();
    r.add_bundle(&bundle_bytes()).unwrap();
    Hotline {
        f: fixture_with(VerifyPolicy { notices: Some(r) }, |s| {
            s.with_console(store).with_sref_key(SrefKey::new(&[5; 32]))
        }),
        dir,
    }
}

struct Session {
    cookie: String,
    csrf: String,
}

impl Hotline {
    async fn login(&self, user: &str) -> Session {
        let a = Req::new(Method::POST, "/console/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "console.test")
            .header(header::HeaderName::from_static("x-consentry-csrf"), "1")
            .body(format!(r#"{{"username":"{user}","password":"{PASSWORD}"}}"#).into_bytes())
            .send(&self.f.router)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let set = a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        Session {
            cookie: set.split(';').next().unwrap().to_owned(),
            csrf: a
                .json()
                .get("csrf")
                .and_then(Value::as_str)
                .unwrap()
                .to_owned(),
        }
    }

    async fn post(&self, s: &Session, uri: &str, body: Vec<u8>) -> Answer {
        Req::new(Method::POST, uri)
            .header(header::COOKIE, &s.cookie)
            .header(header::HOST, "console.test")
            .header(header::HeaderName::from_static("x-consentry-csrf"), &s.csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .send(&self.f.router)
            .await
    }

    async fn register(&self, s: &Session, key: &TestSigner) -> Answer {
        let jwk = key.jwk();
        let body = format!(
            r#"{{"jwk":{{"crv":"P-256","kty":"EC","x":"{}","y":"{}","ext":false}}}}"#,
            jwk.x, jwk.y
        );
        self.post(s, "/console/api/agent-keys", body.into_bytes())
            .await
    }

    async fn start(&self, s: &Session, key: &TestSigner, phone: &str) -> Answer {
        let body = format!(
            r#"{{"identifier":{{"kind":"phone","value":"{phone}"}},"call_ref":"CALL-77","kid":"{}","notice_id":"support-privacy"}}"#,
            key.kid()
        );
        self.post(s, "/console/api/hotline/start", body.into_bytes())
            .await
    }

    fn trail(&self) -> Vec<(String, String, String)> {
        let db = rusqlite::Connection::open(self.dir.path().join("console.sqlite")).unwrap();
        let mut st = db
            .prepare("SELECT actor, action, detail FROM audit ORDER BY seq")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

fn agent_key() -> TestSigner {
    TestSigner::from_label("agent li workstation 1")
}

/// The receipt the console makes from the start answer and the caller's answers.
fn call_receipt(start: &Value, key: &TestSigner, seed: u8, yes: bool) -> Vec<u8> {
    let b = sample_hotline_bundle();
    let s = |k: &str| start.get(k).and_then(Value::as_str).unwrap().to_owned();
    let expected = start.get("expected").unwrap();
    let prev = expected.get("prev_receipt_id").map(|id| {
        (
            ReceiptId::parse(id.as_str().unwrap()).unwrap(),
            Sha256Digest::from_hex(
                expected
                    .get("prev_receipt_sha256")
                    .and_then(Value::as_str)
                    .unwrap(),
            )
            .unwrap(),
            expected.get("subject_seq").and_then(Value::as_i64).unwrap() as u64 - 1,
        )
    });
    let r = Receipt::for_call(&Call {
        bundle: &b,
        bundle_sha256: Sha256Digest::of(&bundle_bytes()),
        jurisdiction: Jurisdiction::single(
            Regime::Pipl,
            Some(RegionCode::parse("CN").unwrap()),
            RegionSource::UserSelection,
        ),
        receipt_id: ReceiptId::from_random_bytes([seed; 16]),
        now: Timestamp(T0),
        agent_key: key.kid(),
        agent_id: s("agent_id"),
        call_ref: "CALL-77".into(),
        link: s("link"),
        answers: vec![(PurposeId::parse("chat-transcript").unwrap(), yes)],
        granted_before: start
            .get("granted_before")
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .map(|p| PurposeId::parse(p.as_str().unwrap()).unwrap())
            .collect(),
        known_caller: start.get("known_caller") == Some(&Value::Bool(true)),
        prev,
    })
    .unwrap();
    key.sign_receipt(&r)
}

#[tokio::test]
async fn an_agent_records_a_call_and_the_caller_looks_it_up_by_code() {
    let h = hotline();
    let li = h.login("agent.li").await;
    let key = agent_key();
    let reg = h.register(&li, &key).await;
    assert_eq!(reg.status, StatusCode::OK, "{}", reg.text());
    let agent_id = reg
        .json()
        .get("agent_id")
        .and_then(Value::as_str)
        .unwrap()
        .to_owned();
    assert!(
        agent_id.starts_with("agent-") && !agent_id.contains("li"),
        "{agent_id}"
    );
    // Registering again is the same key; the key set publishes it under the opaque id.
    let again = h.register(&li, &key).await;
    assert_eq!(again.json().get("agent_id"), reg.json().get("agent_id"));
    let set = get(&h.f.router, "/.well-known/consentry/agent-keys.json").await;
    assert_eq!(set.status, StatusCode::OK);
    assert!(
        !set.text().contains("agent.li"),
        "the sign-in name stays private"
    );
    let mut keys = keys();
    assert_eq!(keys.add_agent_jwks(&set.body).unwrap(), 1);

    let start = h.start(&li, &key, "+86 138 0013 8000").await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.text());
    let start = start.json();
    assert_eq!(start.get("known_caller"), Some(&Value::Bool(false)));
    let env = call_receipt(&start, &key, 1, true);

    // Only through the agent's own session: not the public route, not another agent's.
    let public = post(&h.f.router, &env).await;
    assert_eq!(public.status, StatusCode::FORBIDDEN);
    assert_eq!(public.error_code(), "agent_receipt_refused");
    // Nor does the agent's key sign a visitor's receipt there.
    let mut web = consentry_core::testing::sample_receipt(&key, 9, true);
    web.notice.sha256 = Sha256Digest::of(&bundle_bytes());
    let as_device = post(&h.f.router, &key.sign_receipt(&web)).await;
    assert_eq!(
        as_device.status,
        StatusCode::FORBIDDEN,
        "{}",
        as_device.text()
    );
    assert_eq!(as_device.error_code(), "agent_receipt_refused");
    let wang = h.login("agent.wang").await;
    assert_eq!(
        h.register(&wang, &TestSigner::from_label("agent wang 1"))
            .await
            .status,
        StatusCode::OK
    );
    let other = h
        .post(&wang, "/console/api/hotline/receipts", env.clone())
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.text());
    assert_eq!(other.error_code(), "agent_mismatch");

    let stored = h
        .post(&li, "/console/api/hotline/receipts", env.clone())
        .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());
    let stored = stored.json();
    let code = stored
        .get("code")
        .and_then(Value::as_str)
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 11, "{code}");
    // The receipt verifies offline with the two key sets.
    let receipt = consentry_core::json::to_canonical_string(stored.get("receipt").unwrap());
    let policy = VerifyPolicy {
        notices: {
            let mut r = NoticeRegistry::new();
            r.add_bundle(&bundle_bytes()).unwrap();
            Some(r)
        },
    };
    verify_countersigned(receipt.as_bytes(), &policy, &keys).unwrap();
    let e = verify_countersigned(receipt.as_bytes(), &policy, &common::keys()).unwrap_err();
    assert_eq!(e.code(), "agent_key_unknown");

    // By its id nobody gets it: its chain would lead to the agent's other callers.
    let id = stored.get("receipt_id").and_then(Value::as_str).unwrap();
    for uri in [
        format!("/v1/receipts/{id}"),
        format!("/v1/receipts/{id}/received"),
    ] {
        assert_eq!(
            get(&h.f.router, &uri).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    // The caller types the code as they heard it.
    let typed = code.to_lowercase().replace('-', " ");
    let found = call(
        &h.f.router,
        Method::POST,
        "/v1/receipts/lookup",
        Some("application/json"),
        format!(r#"{{"code":"{typed}"}}"#).into_bytes(),
    )
    .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text());
    let found = found.json();
    assert_eq!(
        found.get("call_ref").and_then(Value::as_str),
        Some("CALL-77")
    );
    let decisions = found.get("decisions").and_then(Value::as_array).unwrap();
    assert_eq!(decisions.len(), 2, "only what was read out: {decisions:?}");
    assert_eq!(
        decisions[1].get("state").and_then(Value::as_str),
        Some("given")
    );
    // Another code is nobody's; a malformed one looks the same.
    for wrong in ["ABCDE-FGHJK", "not a code"] {
        let a = call(
            &h.f.router,
            Method::POST,
            "/v1/receipts/lookup",
            Some("application/json"),
            format!(r#"{{"code":"{wrong}"}}"#).into_bytes(),
        )
        .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert_eq!(a.error_code(), "code_unknown");
    }

    // The next call for the same caller: known, granted before, and the agent's chain goes on.
    let next = h.start(&li, &key, "+8613800138000").await.json();
    assert_eq!(next.get("known_caller"), Some(&Value::Bool(true)));
    assert_eq!(
        next.get("granted_before").unwrap(),
        &Value::Arr(vec![Value::str("chat-transcript")])
    );
    let no = call_receipt(&next, &key, 2, false);
    let w = h.post(&li, "/console/api/hotline/receipts", no).await;
    assert_eq!(w.status, StatusCode::CREATED, "{}", w.text());

    let trail = h.trail();
    for action in ["agent_key_registered", "hotline_call", "hotline_receipt"] {
        assert!(
            trail.iter().any(|(a, b, _)| a == "agent.li" && b == action),
            "{action} missing from {trail:?}"
        );
    }
}

#[tokio::test]
async fn a_revoked_agent_key_records_nothing_more_and_only_agents_hold_keys() {
    let h = hotline();
    let li = h.login("agent.li").await;
    let key = agent_key();
    assert_eq!(h.register(&li, &key).await.status, StatusCode::OK);
    let start = h.start(&li, &key, "+8613800138001").await.json();
    let env = call_receipt(&start, &key, 3, true);
    // A call recorded before the key is revoked.
    let earlier = call_receipt(&start, &key, 2, true);
    let first = h
        .post(&li, "/console/api/hotline/receipts", earlier.clone())
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());

    // Another role holds no agent key; a POST without the session's CSRF token is refused.
    let auditor = h.login("auditor.ng").await;
    assert_eq!(
        h.register(&auditor, &TestSigner::from_label("x"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let no_csrf = Req::new(Method::POST, "/console/api/agent-keys/revoke")
        .header(header::COOKIE, &li.cookie)
        .header(header::HOST, "console.test")
        .body(format!(r#"{{"kid":"{}"}}"#, key.kid()).into_bytes())
        .send(&h.f.router)
        .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    assert_eq!(no_csrf.error_code(), "csrf");
    // The server's own key is never an agent's.
    let server = h
        .register(&li, &consentry_core::testing::test_server())
        .await;
    assert_eq!(server.status, StatusCode::BAD_REQUEST, "{}", server.text());

    let admin = h.login("admin.root").await;
    let revoked = h
        .post(
            &admin,
            "/console/api/agent-keys/revoke",
            format!(r#"{{"kid":"{}"}}"#, key.kid()).into_bytes(),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.text());
    let refused = h.post(&li, "/console/api/hotline/receipts", env).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert_eq!(refused.error_code(), "agent_key_revoked");
    // The call recorded before, sent again (its first answer was lost): stored, not refused.
    let again = h.post(&li, "/console/api/hotline/receipts", earlier).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(
        again.json().get("receipt_id"),
        first.json().get("receipt_id")
    );
    assert_eq!(
        again.json().get("status").and_then(Value::as_str),
        Some("stored")
    );
    assert_eq!(
        h.start(&li, &key, "+8613800138001").await.error_code(),
        "agent_key_unknown"
    );
    assert_eq!(h.register(&li, &key).await.error_code(), "key_revoked");
    let set = get(&h.f.router, "/.well-known/consentry/agent-keys.json").await;
    let mut ks = KeySet::new();
    ks.add_agent_jwks(&set.body).unwrap();
    assert!(ks.agent(&key.kid()).unwrap().revoked.is_some());

    // Not even the database administrator deletes a key or takes a revocation back.
    let db = rusqlite::Connection::open(h.dir.path().join("console.sqlite")).unwrap();
    assert!(db.execute("DELETE FROM agent_keys", []).is_err());
    assert!(
        db.execute("UPDATE agent_keys SET revoked_at = NULL", [])
            .is_err()
    );
    assert!(
        h.trail()
            .iter()
            .any(|(a, b, d)| a == "admin.root" && b == "agent_key_revoked" && *d == key.kid())
    );
}

#[tokio::test]
async fn codes_are_looked_up_a_few_at_a_time_per_address() {
    let h = hotline();
    let from = |last: u8| std::net::SocketAddr::from(([192, 0, 2, last], 40_000));
    let look = |peer| {
        Req::new(Method::POST, "/v1/receipts/lookup")
            .header(header::CONTENT_TYPE, "application/json")
            .body(br#"{"code":"ABCDE-FGHJK"}"#.to_vec())
            .peer(peer)
            .send(&h.f.router)
    };
    // A caller mistyping a few times is answered each time …
    for _ in 0..5 {
        assert_eq!(look(from(7)).await.status, StatusCode::NOT_FOUND);
    }
    // … someone trying codes is not, and is told when to come back.
    let a = look(from(7)).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.error_code(), "rate_limited");
    assert!(a.headers.get(header::RETRY_AFTER).is_some());
    // Another address is not held back by it.
    assert_eq!(look(from(8)).await.status, StatusCode::NOT_FOUND);
}
