//! "May I?" for backend systems (`POST /v1/consent/check`): service tokens scoped per purpose,
//! the answer from the subject's chain in the ledger (real SQLite), its ES256 signature by the
//! server's key, bad input, and the real binary with tokens made by its own command.

mod common;

use axum::http::{Method, StatusCode, header};
use common::http::{Server, http_with, refused_start};
use common::*;
use consentry_core::encoding::b64url_decode;
use consentry_core::json::{self, Value};
use consentry_core::testing::{TestSigner, next_receipt, sample_receipt};
use consentry_server::check::{CHECK_TYP, Service, ServiceTokens, new_token};
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};

/// A tokens file with two services; returns it and their tokens.
fn tokens() -> (ServiceTokens, String, String) {
    let mut t = ServiceTokens::default();
    let (marketing, h1) = new_token().unwrap();
    let (recorder, h2) = new_token().unwrap();
    t.add(Service {
        name: "crm".into(),
        purposes: vec!["marketing".into(), "support-service".into()],
        links: Vec::new(),
        link_kinds: Vec::new(),
        token_sha256: h1,
    })
    .unwrap();
    t.add(Service {
        name: "call-recorder".into(),
        purposes: vec!["chat-transcript".into()],
        links: Vec::new(),
        link_kinds: Vec::new(),
        token_sha256: h2,
    })
    .unwrap();
    (t, marketing, recorder)
}

async fn check(f: &Fixture, token: Option<&str>, body: &str) -> Answer {
    let mut r = Req::new(Method::POST, "/v1/consent/check")
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.as_bytes().to_vec());
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, &format!("Bearer {t}"));
    }
    r.send(&f.router).await
}

fn ask(subject: &str, purpose: &str) -> String {
    json::to_canonical_string(&Value::object([
        ("subject", Value::str(subject)),
        ("purpose", Value::str(purpose)),
    ]))
}

/// Checks the answer's JWS with the server's public key and returns its payload, which must
/// be the `answer` member byte for byte.
fn verified(a: &Answer) -> Value {
    let v = a.json();
    let jws = v.get("jws").and_then(Value::as_str).unwrap();
    let parts: Vec<&str> = jws.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header = json::parse(&b64url_decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header.get("alg").and_then(Value::as_str), Some("ES256"));
    assert_eq!(header.get("typ").and_then(Value::as_str), Some(CHECK_TYP));
    assert_eq!(
        header.get("kid").and_then(Value::as_str),
        Some(signer().kid())
    );
    verify_sig(&format!("{}.{}", parts[0], parts[1]), parts[2]).expect("the server's signature");
    let payload = b64url_decode(parts[1]).unwrap();
    let answer = v.get("answer").unwrap();
    assert_eq!(payload, json::to_canonical_string(answer).into_bytes());
    answer.clone()
}

fn verify_sig(input: &str, sig: &str) -> Result<(), p256::ecdsa::Error> {
    let jwk = signer().jwk().clone();
    let mut sec1 = vec![4u8];
    sec1.extend(b64url_decode(&jwk.x).unwrap());
    sec1.extend(b64url_decode(&jwk.y).unwrap());
    let key = VerifyingKey::from_sec1_bytes(&sec1).unwrap();
    let sig = Signature::from_slice(&b64url_decode(sig).unwrap())?;
    key.verify(input.as_bytes(), &sig)
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

#[tokio::test]
async fn only_a_service_token_scoped_to_the_purpose_may_ask() {
    // Without --service-tokens the endpoint is off.
    let off = fixture(registry_policy(), None);
    let a = check(&off, Some("cst_x"), &ask("abc", "marketing")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.error_code(), "check_disabled");

    let (t, crm, recorder) = tokens();
    let f = fixture_with(registry_policy(), |s| s.with_service_tokens(t));
    for token in [None, Some("cst_not-a-token"), Some(ADMIN_TOKEN)] {
        let a = check(&f, token, &ask("abc", "marketing")).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(a.error_code(), "unauthorized");
        assert_eq!(a.headers.get(header::WWW_AUTHENTICATE).unwrap(), "Bearer");
    }
    // The call recorder may ask about the transcript purpose only.
    let a = check(&f, Some(&recorder), &ask("abc", "marketing")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.error_code(), "purpose_out_of_scope");
    assert_eq!(
        check(&f, Some(&recorder), &ask("abc", "chat-transcript"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        check(&f, Some(&crm), &ask("abc", "marketing")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_answer_follows_the_chain_says_since_when_and_is_signed() {
    let (t, crm, _) = tokens();
    let f = fixture_with(registry_policy(), |s| s.with_service_tokens(t));
    let a = TestSigner::device();
    let b = TestSigner::other();
    let a1 = sample_receipt(&a, 1, true);
    let a2 = next_receipt(&a, &a1, 2, false);
    let a3 = next_receipt(&a, &a2, 3, true);
    let b1 = sample_receipt(&b, 4, false);
    let mut received = Vec::new();
    for (sg, r) in [(&a, &a1), (&a, &a2), (&b, &b1), (&a, &a3)] {
        let ans = post(&f.router, &sg.sign_receipt(r)).await;
        assert_eq!(ans.status, StatusCode::CREATED, "{}", ans.text());
        received.push(
            s(&ans.json(), "received_at")
                .map(str::to_owned)
                .unwrap_or_default(),
        );
    }

    // A: given again at a3, after the refusal at a2: allowed since a3.
    let ans = check(&f, Some(&crm), &ask(&a.kid(), "marketing")).await;
    assert_eq!(ans.status, StatusCode::OK, "{}", ans.text());
    assert_eq!(ans.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let v = verified(&ans);
    assert_eq!(v.get("allowed"), Some(&Value::Bool(true)));
    assert_eq!(s(&v, "reason"), Some("given"));
    assert_eq!(s(&v, "state"), Some("given"));
    assert_eq!(s(&v, "receipt_id"), Some(a3.receipt_id.as_str()));
    assert_eq!(s(&v, "since_receipt_id"), Some(a3.receipt_id.as_str()));
    assert_eq!(
        s(&v, "since"),
        Some(received[3].as_str()),
        "a3's server time"
    );
    assert_eq!(s(&v, "notice_id"), Some(a3.notice.notice_id.as_str()));
    assert_eq!(s(&v, "notice_version"), Some(a3.notice.version.as_str()));
    assert_eq!(s(&v, "regime"), Some("eu-gdpr"));
    assert_eq!(s(&v, "region"), Some("DE"));
    assert_eq!(s(&v, "service"), Some("crm"));
    assert_eq!(s(&v, "subject"), Some(a.kid().as_str()));
    // The required purpose ran throughout: since a1.
    let v = verified(&check(&f, Some(&crm), &ask(&a.kid(), "support-service")).await);
    assert_eq!(v.get("allowed"), Some(&Value::Bool(true)));
    assert_eq!(s(&v, "reason"), Some("required"));
    assert_eq!(s(&v, "since_receipt_id"), Some(a1.receipt_id.as_str()));
    assert_eq!(
        s(&v, "since"),
        Some(received[0].as_str()),
        "a1's server time"
    );

    // B refused; an unknown subject has no receipt; neither may be processed.
    let v = verified(&check(&f, Some(&crm), &ask(&b.kid(), "marketing")).await);
    assert_eq!(v.get("allowed"), Some(&Value::Bool(false)));
    assert_eq!(s(&v, "reason"), Some("refused"));
    let v = verified(&check(&f, Some(&crm), &ask("nobody-here", "marketing")).await);
    assert_eq!(v.get("allowed"), Some(&Value::Bool(false)));
    assert_eq!(s(&v, "reason"), Some("no_receipt"));
    assert_eq!(v.get("receipt_id"), Some(&Value::Null));
    // Under a notice the subject never saw: no receipt.
    let body = r#"{"subject":"SUBJ","purpose":"marketing","notice_id":"another-notice"}"#
        .replace("SUBJ", &a.kid());
    let v = verified(&check(&f, Some(&crm), &body).await);
    assert_eq!(s(&v, "reason"), Some("no_receipt"));

    // A withdrawal on the web stops the next check.
    let a4 = next_receipt(&a, &a3, 5, false);
    assert_eq!(
        post(&f.router, &a.sign_receipt(&a4)).await.status,
        StatusCode::CREATED
    );
    let v = verified(&check(&f, Some(&crm), &ask(&a.kid(), "marketing")).await);
    assert_eq!(v.get("allowed"), Some(&Value::Bool(false)));
    assert_eq!(s(&v, "receipt_id"), Some(a4.receipt_id.as_str()));

    // The signature covers the answer: one changed byte of the payload and it fails.
    let ans = check(&f, Some(&crm), &ask(&a.kid(), "marketing")).await;
    let jws = ans
        .json()
        .get("jws")
        .and_then(Value::as_str)
        .unwrap()
        .to_owned();
    let parts: Vec<&str> = jws.split('.').collect();
    let forged = json::to_canonical_string(
        &json::parse(&b64url_decode(parts[1]).unwrap())
            .map(|mut v| {
                if let Value::Obj(m) = &mut v {
                    for (k, x) in m.iter_mut() {
                        if k == "allowed" {
                            *x = Value::Bool(true);
                        }
                    }
                }
                v
            })
            .unwrap(),
    );
    let forged = consentry_core::encoding::b64url(forged.as_bytes());
    assert!(verify_sig(&format!("{}.{}", parts[0], forged), parts[2]).is_err());
}

#[tokio::test]
async fn bad_requests_get_a_clear_error() {
    let (t, crm, _) = tokens();
    let f = fixture_with(registry_policy(), |s| s.with_service_tokens(t));
    for (body, needle) in [
        ("not json", "not JSON"),
        ("[]", "JSON object"),
        (r#"{"subject":"abc"}"#, "purpose"),
        (r#"{"purpose":"marketing"}"#, "subject"),
        (r#"{"subject":"a b","purpose":"marketing"}"#, "subject"),
        (r#"{"subject":"abc","purpose":"Not A Purpose"}"#, "purpose"),
        (
            r#"{"subject":"abc","purpose":"marketing","notice_id":7}"#,
            "notice_id",
        ),
        (
            r#"{"subject":"abc","purpose":"marketing","extra":1}"#,
            "unknown field",
        ),
    ] {
        let a = check(&f, Some(&crm), body).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}: {}", a.text());
        assert_eq!(a.error_code(), "invalid_check", "{body}");
        assert!(a.text().contains(needle), "{body}: {}", a.text());
    }
    let big = format!(
        r#"{{"subject":"{}","purpose":"marketing"}}"#,
        "a".repeat(2000)
    );
    let a = check(&f, Some(&crm), &big).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.text());
}

#[test]
fn the_tokens_file_keeps_hashes_only_and_refuses_bad_entries() {
    let (t, crm, _) = tokens();
    let text = t.to_json();
    assert!(!text.contains(&crm), "the file must not hold the token");
    let back = ServiceTokens::parse(&text).unwrap();
    assert_eq!(back.services(), t.services());
    assert_eq!(back.authorize(&crm).unwrap().name, "crm");
    assert!(back.authorize("cst_other").is_none());
    for (bad, needle) in [
        ("{}", "services"),
        (
            r#"{"services":[{"name":"x","token_sha256":"00","purposes":["a"]}]}"#,
            "64 hex",
        ),
        (
            r#"{"services":[{"name":"x","token_sha256":"0000000000000000000000000000000000000000000000000000000000000000","purposes":[]}]}"#,
            "no purpose",
        ),
        (
            r#"{"services":[{"name":"x","token_sha256":"0000000000000000000000000000000000000000000000000000000000000000","purposes":["Bad Id"]}]}"#,
            "purpose id",
        ),
    ] {
        let e = ServiceTokens::parse(bad).unwrap_err();
        assert!(e.contains(needle), "{bad}: {e}");
    }
    let mut twice = t;
    let dup = twice.services()[0].clone();
    assert!(twice.add(dup).unwrap_err().contains("exists already"));
}

/// The real binary: `service-token add` prints a token once, the server started with the file
/// answers it, `revoke` takes it away after a restart.
#[test]
fn the_server_binary_answers_tokens_its_own_command_made() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("service-tokens.json");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_consentry-server"))
            .arg("service-token")
            .args(args)
            .arg("--file")
            .arg(&file)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).trim().to_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, token, err) = run(&["add", "--name", "crm", "--purpose", "marketing"]);
    assert!(ok, "{err}");
    assert!(token.starts_with("cst_"), "{token}");
    assert!(!std::fs::read_to_string(&file).unwrap().contains(&token));
    let (ok, _, err) = run(&["add", "--name", "crm", "--purpose", "marketing"]);
    assert!(!ok && err.contains("exists already"), "{err}");
    let (ok, _, err) = run(&["add", "--name", "x", "--purpose", "Not An Id"]);
    assert!(!ok && err.contains("--purpose"), "{err}");
    // The file is the server's own: open to other users (who could add a token), it is refused.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "written private");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).unwrap();
        let refused = refused_start(&[
            "--db".as_ref(),
            tmp.path().join("x.sqlite").as_os_str(),
            "--key-dir".as_ref(),
            tmp.path().join("keys-x").as_os_str(),
            "--dev-any-notice".as_ref(),
            "--service-tokens".as_ref(),
            file.as_os_str(),
        ]);
        assert!(refused.contains("open to other users"), "{refused}");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let (ok, list, _) = run(&["list"]);
    assert!(ok);
    assert_eq!(list, "crm  marketing");

    let db = tmp.path().join("r.sqlite");
    let keys = tmp.path().join("keys");
    let start = || {
        Server::sqlite(
            &db,
            &keys,
            &[
                "--dev-any-notice",
                "--service-tokens",
                file.to_str().unwrap(),
            ],
        )
    };
    let server = start();
    let (_, envelope) = signed(1, true);
    let stored = http_with(
        server.port,
        "POST",
        "/v1/receipts",
        &[("Content-Type", "application/json")],
        &envelope,
    );
    assert_eq!(stored.status, 201);
    let subject = TestSigner::device().kid();
    let ask_it = |port: u16| {
        http_with(
            port,
            "POST",
            "/v1/consent/check",
            &[
                ("Content-Type", "application/json"),
                ("Authorization", &format!("Bearer {token}")),
            ],
            ask(&subject, "marketing").as_bytes(),
        )
    };
    let a = ask_it(server.port);
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let v = json::parse(&a.body).unwrap();
    assert_eq!(
        v.get("answer").unwrap().get("allowed"),
        Some(&Value::Bool(true))
    );
    assert!(server.terminate());

    let (ok, said, err) = run(&["revoke", "--name", "crm"]);
    assert!(ok, "{err}");
    assert!(said.contains("revoked crm"));
    let server = start();
    assert_eq!(ask_it(server.port).status, 401);
    assert!(server.terminate());
}
