//! Data-subject requests (issue 15, item 8): a request signed like a receipt, naming the
//! person's logged receipt, kept with the deadline of its law; the DPO's queue and its
//! append-only history; the hotline's requests through the agent's session only; through the
//! router on real SQLite files.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::http::{Method, StatusCode, header};
use common::*;
use consentry_core::bundle::LocaleBundle;
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::{PurposeId, ReceiptId, RegionCode};
use consentry_core::json::Value;
use consentry_core::receipt::agent::Call;
use consentry_core::receipt::jws::typed_protected_header;
use consentry_core::receipt::request::{DataRequest, REQUEST_TYP, RequestKind};
use consentry_core::receipt::verify::{NoticeRegistry, VerifyPolicy};
use consentry_core::receipt::{Channel, Jurisdiction, Receipt, ReceiptContext};
use consentry_core::regime::{Regime, RegionSource};
use consentry_core::session::{DecisionRecord, Method as DecisionMethod, Phase};
use consentry_core::testing::{TestSigner, sample_bundle, sample_hotline_bundle};
use consentry_core::time::Timestamp;
use consentry_server::check::{Service, ServiceTokens, new_token};
use consentry_server::console::{ConsoleStore, Role};
use consentry_server::links::SrefKey;

const PASSWORD: &str = "correct horse battery staple";
const DAY_MS: i64 = 86_400_000;

/// The sample notice with the controller's own answer deadline of 7 days.
fn quick_bundle() -> LocaleBundle {
    LocaleBundle {
        deadline: Some("P7D".into()),
        ..sample_bundle()
    }
}

struct Desk {
    f: Fixture,
    /// The call recorder's service token (`chat-transcript`).
    recorder: String,
    dir: tempfile::TempDir,
    /// Milliseconds added to the ticking clock.
    skew: Arc<AtomicI64>,
}

fn desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let store = ConsoleStore::open(&dir.path().join("console.sqlite")).unwrap();
    for (name, role) in [
        ("dpo.ana", Role::Dpo),
        ("auditor.ng", Role::Auditor),
        ("agent.li", Role::Agent),
        ("agent.wang", Role::Agent),
    ] {
        store
            .add_account(name, role, PASSWORD, Timestamp(T0))
            .unwrap();
    }
    let mut r = NoticeRegistry::new();
    for b in [sample_bundle(), sample_hotline_bundle(), quick_bundle()] {
        r.add_bundle(b.to_json().as_bytes()).unwrap();
    }
    let skew = Arc::new(AtomicI64::new(0));
    let ticks = Arc::new(AtomicI64::new(0));
    let clock: consentry_server::Clock = {
        let skew = skew.clone();
        Arc::new(move || {
            Timestamp(
                T0 + 1000 * ticks.fetch_add(1, Ordering::SeqCst) + skew.load(Ordering::SeqCst),
            )
        })
    };
    let mut tokens = ServiceTokens::default();
    let (recorder, hash) = new_token().unwrap();
    tokens
        .add(Service {
            name: "call-recorder".into(),
            purposes: vec!["chat-transcript".into()],
            links: Vec::new(),
            link_kinds: Vec::new(),
            token_sha256: hash,
        })
        .unwrap();
    Desk {
        f: fixture_with(VerifyPolicy { notices: Some(r) }, |s| {
            s.with_console(store)
                .with_sref_key(SrefKey::new(&[5; 32]))
                .with_clock(clock)
                .with_service_tokens(tokens)
        }),
        recorder,
        dir,
        skew,
    }
}

struct Session {
    cookie: String,
    csrf: String,
}

impl Desk {
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

    async fn queue(&self, s: &Session) -> Vec<Value> {
        let a = Req::new(Method::GET, "/console/api/requests")
            .header(header::COOKIE, &s.cookie)
            .send(&self.f.router)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        assert_eq!(a.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
        a.json()
            .get("requests")
            .and_then(Value::as_array)
            .unwrap()
            .to_vec()
    }

    async fn status(&self, s: &Session, r: &Value, status: &str, note: Option<&str>) -> Answer {
        let mut members = vec![
            ("request_id", r.get("request_id").cloned().unwrap()),
            ("subject", r.get("subject").cloned().unwrap()),
            ("status", Value::str(status)),
        ];
        if let Some(n) = note {
            members.push(("note", Value::str(n)));
        }
        let body = consentry_core::json::to_canonical_string(&Value::object(members));
        self.post(s, "/console/api/requests/status", body.into_bytes())
            .await
    }

    fn trail(&self) -> Vec<(String, String, String)> {
        let db = self.db();
        let mut st = db
            .prepare("SELECT actor, action, detail FROM audit ORDER BY seq")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("console.sqlite")).unwrap()
    }
}

/// A first receipt of `signer` for `bundle` in `region` under `regime`: everything optional
/// refused (so no law's separate question is involved).
fn web_receipt(
    signer: &TestSigner,
    seed: u8,
    bundle: &LocaleBundle,
    regime: Regime,
    region: &str,
) -> Vec<u8> {
    let bytes = bundle.to_json().into_bytes();
    let record = DecisionRecord {
        method: DecisionMethod::RejectAll,
        choices: bundle
            .purposes
            .iter()
            .map(|p| (p.id.clone(), p.required))
            .collect(),
        previous: None,
        prior_phase: Phase::Undecided,
        separately: Vec::new(),
    };
    let ctx = ReceiptContext {
        receipt_id: ReceiptId::from_random_bytes([seed; 16]),
        now: Timestamp(T0 - 60_000),
        subject: signer.kid(),
        jurisdiction: Jurisdiction::single(
            regime,
            Some(RegionCode::parse(region).unwrap()),
            RegionSource::SiteOption,
        ),
        bundle,
        bundle_sha256: Sha256Digest::of(&bytes),
        on_banner: true,
        gpc: false,
        prev: None,
    };
    signer.sign_receipt(&Receipt::for_decision(&record, &ctx))
}

/// The stored receipt's id and payload hash, from the answer to its POST.
fn named(stored: &Answer) -> (ReceiptId, Sha256Digest) {
    let v = stored.json();
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap().to_owned();
    (
        ReceiptId::parse(&s("receipt_id")).unwrap(),
        Sha256Digest::from_hex(&s("receipt_sha256")).unwrap(),
    )
}

fn request(
    signer: &TestSigner,
    seed: u8,
    kind: RequestKind,
    receipt: (ReceiptId, Sha256Digest),
) -> DataRequest {
    DataRequest {
        request_id: ReceiptId::from_random_bytes([100 + seed; 16]),
        made_at: Timestamp(T0),
        kind,
        channel: Channel::WebSettings,
        subject: signer.kid(),
        receipt,
        details: Some("Bitte löschen Sie meine Chat-Protokolle.".into()),
        agent: None,
        link: None,
    }
}

fn sign_request(signer: &TestSigner, r: &DataRequest) -> Vec<u8> {
    signer
        .sign_with_header(
            &typed_protected_header(signer.jwk(), REQUEST_TYP),
            &r.payload_bytes(),
        )
        .to_json()
        .into_bytes()
}

async fn post_request(router: &axum::Router, envelope: &[u8]) -> Answer {
    call(
        router,
        Method::POST,
        "/v1/requests",
        Some("application/json"),
        envelope.to_vec(),
    )
    .await
}

fn str_of<'v>(v: &'v Value, k: &str) -> &'v str {
    v.get(k)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{k} in {v:?}"))
}

fn int_of(v: &Value, k: &str) -> i64 {
    v.get(k).and_then(Value::as_i64).unwrap()
}

fn ms(rfc3339: &str) -> i64 {
    Timestamp::parse_rfc3339(rfc3339).unwrap().0
}

#[tokio::test]
async fn a_request_is_kept_with_the_deadline_of_its_law_and_only_for_the_persons_receipt() {
    let d = desk();
    let router = &d.f.router;
    // Germany under the GDPR: one month, read as 30 days.
    let de = TestSigner::device();
    let stored = post(
        router,
        &web_receipt(&de, 1, &sample_bundle(), Regime::Gdpr, "DE"),
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());
    let gdpr = sign_request(&de, &request(&de, 1, RequestKind::Erasure, named(&stored)));
    let a = post_request(router, &gdpr).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    assert_eq!(a.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let first = a.json();
    assert_eq!(
        first.as_object().unwrap().len(),
        6,
        "request_id, kind, received_at, deadline, regime, status: {first:?}"
    );
    assert_eq!(str_of(&first, "kind"), "erasure");
    assert_eq!(str_of(&first, "regime"), "eu-gdpr");
    assert_eq!(str_of(&first, "status"), "received");
    assert_eq!(
        ms(str_of(&first, "deadline")) - ms(str_of(&first, "received_at")),
        30 * DAY_MS
    );

    // The same bytes again: the same answer; other bytes under the same id: a conflict.
    let again = post_request(router, &gdpr).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.body, a.body);
    let mut other = request(&de, 1, RequestKind::Access, named(&stored));
    other.details = None;
    let c = post_request(router, &sign_request(&de, &other)).await;
    assert_eq!(c.status, StatusCode::CONFLICT, "{}", c.text());
    assert_eq!(c.error_code(), "request_conflict");

    // Brazil under the LGPD: 15 days.
    let br = TestSigner::from_label("requests device br");
    let stored_br = post(
        router,
        &web_receipt(&br, 2, &sample_bundle(), Regime::Lgpd, "BR"),
    )
    .await;
    assert_eq!(
        stored_br.status,
        StatusCode::CREATED,
        "{}",
        stored_br.text()
    );
    let a = post_request(
        router,
        &sign_request(
            &br,
            &request(&br, 2, RequestKind::Access, named(&stored_br)),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let lgpd = a.json();
    assert_eq!(str_of(&lgpd, "regime"), "br-lgpd");
    assert_eq!(
        ms(str_of(&lgpd, "deadline")) - ms(str_of(&lgpd, "received_at")),
        15 * DAY_MS
    );

    // The controller's own deadline, shorter than the law's, wins.
    let fr = TestSigner::from_label("requests device fr");
    let stored_fr = post(
        router,
        &web_receipt(&fr, 3, &quick_bundle(), Regime::Gdpr, "FR"),
    )
    .await;
    assert_eq!(
        stored_fr.status,
        StatusCode::CREATED,
        "{}",
        stored_fr.text()
    );
    let a = post_request(
        router,
        &sign_request(
            &fr,
            &request(&fr, 3, RequestKind::Objection, named(&stored_fr)),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let own = a.json();
    assert_eq!(
        ms(str_of(&own, "deadline")) - ms(str_of(&own, "received_at")),
        7 * DAY_MS
    );

    // Someone else's receipt, an unknown one, a wrong digest: refused.
    let stranger = TestSigner::from_label("requests stranger");
    for (seed, receipt) in [
        (4, named(&stored)),
        (
            5,
            (ReceiptId::from_random_bytes([77; 16]), named(&stored).1),
        ),
        (
            6,
            (named(&stored_br).0, Sha256Digest::of(b"another payload")),
        ),
    ] {
        let signer = if seed == 6 { &br } else { &stranger };
        let a = post_request(
            router,
            &sign_request(signer, &request(signer, seed, RequestKind::Access, receipt)),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
        assert_eq!(a.error_code(), "request_receipt_unknown");
    }
    // A receipt is no request, and a request is not signed by another key.
    let a = post_request(
        router,
        &web_receipt(&de, 9, &sample_bundle(), Regime::Gdpr, "DE"),
    )
    .await;
    assert_eq!(a.error_code(), "typ_mismatch");
    let mut forged = request(&de, 7, RequestKind::Erasure, named(&stored));
    forged.subject = stranger.kid();
    let a = post_request(router, &sign_request(&de, &forged)).await;
    assert_eq!(a.error_code(), "subject_mismatch");

    // The queue: the most urgent first, each with its days left.
    let auditor = d.login("auditor.ng").await;
    let q = d.queue(&auditor).await;
    assert_eq!(q.len(), 3, "{q:?}");
    let days: Vec<(i64, &str, bool)> = q
        .iter()
        .map(|r| {
            (
                int_of(r, "days_left"),
                str_of(r, "regime"),
                r.get("overdue") == Some(&Value::Bool(false)),
            )
        })
        .collect();
    assert_eq!(
        days,
        [
            (7, "eu-gdpr", true),
            (15, "br-lgpd", true),
            (30, "eu-gdpr", true)
        ]
    );
    let top = &q[2];
    assert_eq!(str_of(top, "request_id"), str_of(&first, "request_id"));
    assert_eq!(str_of(top, "subject"), de.kid());
    assert_eq!(str_of(top, "channel"), "web_settings");
    assert_eq!(str_of(top, "region"), "DE");
    assert_eq!(str_of(top, "status"), "received");
    assert_eq!(top.get("handled_by"), Some(&Value::Null));
    assert_eq!(
        str_of(top, "details"),
        "Bitte löschen Sie meine Chat-Protokolle."
    );
    assert_eq!(int_of(top, "ledger_index"), 1);
    assert_eq!(top.get("sref"), Some(&Value::Null));
    let events = top.get("events").and_then(Value::as_array).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(str_of(&events[0], "status"), "received");
    assert_eq!(str_of(&events[0], "actor"), "-");

    // Three arrivals and the read are in the trail.
    let trail = d.trail();
    let received: Vec<_> = trail
        .iter()
        .filter(|(_, action, _)| action == "request_received")
        .collect();
    assert_eq!(received.len(), 3, "{trail:?}");
    assert!(received[0].2.contains(str_of(&first, "request_id")));
    assert!(trail.iter().any(|(who, action, detail)| who == "auditor.ng"
        && action == "read"
        && detail == "/console/api/requests"));
}

#[tokio::test]
async fn the_dpo_handles_a_request_and_its_history_stays() {
    let d = desk();
    let router = &d.f.router;
    let br = TestSigner::from_label("requests device br");
    let stored = post(
        router,
        &web_receipt(&br, 2, &sample_bundle(), Regime::Lgpd, "BR"),
    )
    .await;
    let a = post_request(
        router,
        &sign_request(&br, &request(&br, 2, RequestKind::Erasure, named(&stored))),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let de = TestSigner::device();
    let stored_de = post(
        router,
        &web_receipt(&de, 1, &sample_bundle(), Regime::Gdpr, "DE"),
    )
    .await;
    let a = post_request(
        router,
        &sign_request(
            &de,
            &request(&de, 1, RequestKind::Access, named(&stored_de)),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());

    let dpo = d.login("dpo.ana").await;
    let auditor = d.login("auditor.ng").await;
    let q = d.queue(&dpo).await;
    let (lgpd, gdpr) = (q[0].clone(), q[1].clone());
    assert_eq!(str_of(&lgpd, "regime"), "br-lgpd");

    // An auditor reads, never changes; a refusal says why; an unknown request is not there.
    let a = d.status(&auditor, &lgpd, "in_progress", None).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    assert_eq!(a.error_code(), "forbidden");
    let a = d.status(&dpo, &gdpr, "refused", Some("   ")).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text());
    assert_eq!(a.error_code(), "note_required");
    let a = d.status(&dpo, &gdpr, "received", None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text());
    let mut unknown = gdpr.clone();
    if let Value::Obj(m) = &mut unknown {
        m.retain(|(k, _)| k != "subject");
        m.push(("subject".into(), Value::str("someone-else")));
    }
    let a = d.status(&dpo, &unknown, "in_progress", None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.text());
    assert_eq!(a.error_code(), "request_unknown");
    // Without the session's CSRF token: refused.
    let a = Req::new(Method::POST, "/console/api/requests/status")
        .header(header::COOKIE, &dpo.cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(b"{}".to_vec())
        .send(router)
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    assert_eq!(a.error_code(), "csrf");

    // In progress, then completed; who did it is recorded.
    let a = d.status(&dpo, &lgpd, "in_progress", None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    assert_eq!(str_of(&v, "status"), "in_progress");
    assert_eq!(str_of(&v, "handled_by"), "dpo.ana");
    let a = d
        .status(
            &dpo,
            &lgpd,
            "completed",
            Some("Deleted from the CRM and the chat archive."),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    // Closed: it does not change again.
    for (status, note) in [("in_progress", None), ("refused", Some("too late"))] {
        let a = d.status(&dpo, &lgpd, status, note).await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.text());
        assert_eq!(a.error_code(), "request_closed");
    }
    let a = d
        .status(
            &dpo,
            &gdpr,
            "refused",
            Some("We hold no data of yours beyond this receipt."),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());

    // Past its deadline, an open request is overdue, in days and in words.
    let br2 = TestSigner::from_label("requests device br 2");
    let stored = post(
        router,
        &web_receipt(&br2, 3, &sample_bundle(), Regime::Lgpd, "BR"),
    )
    .await;
    let a = post_request(
        router,
        &sign_request(
            &br2,
            &request(&br2, 3, RequestKind::Portability, named(&stored)),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    d.skew.store(20 * DAY_MS, Ordering::SeqCst);
    // Twenty days on, the sessions have long ended: sign in again.
    let auditor = d.login("auditor.ng").await;
    let q = d.queue(&auditor).await;
    assert_eq!(q.len(), 3);
    // The open one first, then the closed ones, the latest closed first.
    assert_eq!(str_of(&q[0], "kind"), "portability");
    // Due at 15 days, now 20 days and some seconds on: the sixth day overdue has begun.
    assert_eq!(int_of(&q[0], "days_left"), -6);
    assert_eq!(q[0].get("overdue"), Some(&Value::Bool(true)));
    assert_eq!(str_of(&q[1], "status"), "refused");
    assert_eq!(str_of(&q[2], "status"), "completed");
    // A closed request's days are counted to its closing: answered in time.
    assert_eq!(q[2].get("overdue"), Some(&Value::Bool(false)));
    assert_eq!(int_of(&q[2], "days_left"), 15);
    let events: Vec<(String, String)> = q[2]
        .get("events")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .map(|e| {
            (
                str_of(e, "actor").to_owned(),
                str_of(e, "status").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("-".to_owned(), "received".to_owned()),
            ("dpo.ana".to_owned(), "in_progress".to_owned()),
            ("dpo.ana".to_owned(), "completed".to_owned()),
        ]
    );
    assert_eq!(str_of(&q[2], "handled_by"), "dpo.ana");
    let last = q[1].get("events").and_then(Value::as_array).unwrap()[1].clone();
    assert_eq!(
        str_of(&last, "note"),
        "We hold no data of yours beyond this receipt."
    );

    // The database keeps requests and their history as written.
    let db = d.db();
    for sql in [
        "UPDATE requests SET deadline_at = deadline_at + 86400000",
        "DELETE FROM requests",
        "UPDATE request_events SET status = 'received'",
        "DELETE FROM request_events",
    ] {
        let e = db.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("refused"), "{sql}: {e}");
    }
    // Every change is in the trail, with who made it; the refused attempts too.
    let trail = d.trail();
    let changes: Vec<_> = trail
        .iter()
        .filter(|(_, action, _)| action == "request_status")
        .map(|(who, _, detail)| (who.as_str(), detail.as_str()))
        .collect();
    assert_eq!(changes.len(), 3, "{trail:?}");
    assert!(changes.iter().all(|(who, _)| *who == "dpo.ana"));
    assert!(
        changes[1].1.ends_with("completed (with a note)"),
        "{changes:?}"
    );
    assert!(trail.iter().any(|(who, action, detail)| who == "auditor.ng"
        && action == "forbidden"
        && detail.starts_with("/console/api/requests/status")));
    assert!(
        trail
            .iter()
            .any(|(who, action, _)| who == "dpo.ana" && action == "csrf_refused")
    );
}

#[tokio::test]
async fn without_a_console_database_there_is_no_queue() {
    let f = fixture(registry_policy(), None);
    let de = TestSigner::device();
    let stored = post(
        &f.router,
        &web_receipt(&de, 1, &sample_bundle(), Regime::Gdpr, "DE"),
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());
    let a = post_request(
        &f.router,
        &sign_request(&de, &request(&de, 1, RequestKind::Access, named(&stored))),
    )
    .await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.text());
    assert_eq!(a.error_code(), "requests_disabled");
}

// ------------------------------------------------------------------------------------------
// The hotline
// ------------------------------------------------------------------------------------------

fn agent_key() -> TestSigner {
    TestSigner::from_label("agent li workstation 1")
}

/// The receipt of a call from its start answer (as `tests/hotline.rs` makes it).
fn call_receipt(start: &Value, key: &TestSigner) -> Vec<u8> {
    call_receipt_with(start, key, 1, str_of(start, "link"))
}

/// A receipt of the call `CALL-77` (the caller agrees to `chat-transcript`) with its own id
/// (`id_byte`) and `link`.
fn call_receipt_with(start: &Value, key: &TestSigner, id_byte: u8, link: &str) -> Vec<u8> {
    let b = sample_hotline_bundle();
    let r = Receipt::for_call(&Call {
        bundle: &b,
        bundle_sha256: Sha256Digest::of(b.to_json().as_bytes()),
        jurisdiction: Jurisdiction::single(
            Regime::Pipl,
            Some(RegionCode::parse("CN").unwrap()),
            RegionSource::UserSelection,
        ),
        receipt_id: ReceiptId::from_random_bytes([id_byte; 16]),
        now: Timestamp(T0),
        agent_key: key.kid(),
        agent_id: str_of(start, "agent_id").to_owned(),
        call_ref: "CALL-77".into(),
        link: link.to_owned(),
        answers: vec![(PurposeId::parse("chat-transcript").unwrap(), true)],
        granted_before: Vec::new(),
        known_caller: false,
        prev: None,
    })
    .unwrap();
    key.sign_receipt(&r)
}

#[tokio::test]
async fn a_hotline_request_comes_through_the_agents_session_only() {
    let d = desk();
    let li = d.login("agent.li").await;
    let key = agent_key();
    d.register(&li, &key).await;
    let start = d
        .post(
            &li,
            "/console/api/hotline/start",
            format!(
                r#"{{"identifier":{{"kind":"phone","value":"+86 138 0013 8000"}},"call_ref":"CALL-77","kid":"{}","notice_id":"support-privacy"}}"#,
                key.kid()
            )
            .into_bytes(),
        )
        .await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.text());
    let start = start.json();
    let stored = d
        .post(
            &li,
            "/console/api/hotline/receipts",
            call_receipt(&start, &key),
        )
        .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());

    let r = DataRequest {
        channel: Channel::HotlineAgent,
        agent: Some((str_of(&start, "agent_id").to_owned(), "CALL-77".into())),
        link: Some(str_of(&start, "link").to_owned()),
        details: None,
        ..request(&key, 8, RequestKind::Access, named(&stored))
    };
    let env = sign_request(&key, &r);
    // Not through the public route, not through another agent's session.
    let a = post_request(&d.f.router, &env).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    assert_eq!(a.error_code(), "agent_request_refused");
    // Nor as a "web" request signed with the agent's key about the agent's receipt.
    let as_web = sign_request(&key, &request(&key, 9, RequestKind::Access, named(&stored)));
    let a = post_request(&d.f.router, &as_web).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    assert_eq!(a.error_code(), "agent_request_refused");
    let wang = d.login("agent.wang").await;
    d.register(&wang, &TestSigner::from_label("agent wang 1"))
        .await;
    let a = d
        .post(&wang, "/console/api/hotline/requests", env.clone())
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    assert_eq!(a.error_code(), "agent_mismatch");
    // A web request is no hotline request.
    let de = TestSigner::device();
    let web_stored = post(
        &d.f.router,
        &web_receipt(&de, 1, &sample_bundle(), Regime::Gdpr, "DE"),
    )
    .await;
    let web = sign_request(
        &de,
        &request(&de, 1, RequestKind::Access, named(&web_stored)),
    );
    let a = d.post(&li, "/console/api/hotline/requests", web).await;
    assert_eq!(a.error_code(), "agent_mismatch");

    // Another call's reference: the receipt named is not that call's.
    let other_call = DataRequest {
        request_id: ReceiptId::from_random_bytes([77; 16]),
        agent: Some((str_of(&start, "agent_id").to_owned(), "CALL-78".into())),
        ..r.clone()
    };
    let a = d
        .post(
            &li,
            "/console/api/hotline/requests",
            sign_request(&key, &other_call),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert_eq!(a.error_code(), "request_receipt_unknown");

    let a = d
        .post(&li, "/console/api/hotline/requests", env.clone())
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let v = a.json();
    assert_eq!(str_of(&v, "regime"), "cn-pipl");
    assert_eq!(
        ms(str_of(&v, "deadline")) - ms(str_of(&v, "received_at")),
        15 * DAY_MS
    );
    let again = d
        .post(&li, "/console/api/hotline/requests", env.clone())
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.body, a.body);

    let dpo = d.login("dpo.ana").await;
    let q = d.queue(&dpo).await;
    assert_eq!(q.len(), 1);
    assert_eq!(str_of(&q[0], "channel"), "hotline_agent");
    assert_eq!(str_of(&q[0], "region"), "CN");
    assert_eq!(str_of(&q[0], "sref"), str_of(&start, "sref"));
    let events = q[0].get("events").and_then(Value::as_array).unwrap();
    assert_eq!(str_of(&events[0], "actor"), "agent.li");
    assert!(
        d.trail()
            .iter()
            .any(|(who, action, _)| who == "agent.li" && action == "request_received")
    );
}

impl Desk {
    /// The call recorder asks whether it may keep the recording of the caller at `phone`.
    async fn may_record(&self, phone: &str) -> Value {
        let a = Req::new(Method::POST, "/v1/consent/check")
            .header(header::AUTHORIZATION, &format!("Bearer {}", self.recorder))
            .header(header::CONTENT_TYPE, "application/json")
            .body(
                format!(
                    r#"{{"identifier":{{"kind":"phone","value":"{phone}"}},"purpose":"chat-transcript","notice_id":"support-privacy"}}"#
                )
                .into_bytes(),
            )
            .send(&self.f.router)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        a.json().get("answer").cloned().unwrap()
    }

    async fn start_call(&self, s: &Session, key: &TestSigner, phone: &str, call: &str) -> Value {
        let a = self
            .post(
                s,
                "/console/api/hotline/start",
                format!(
                    r#"{{"identifier":{{"kind":"phone","value":"{phone}"}},"call_ref":"{call}","kid":"{}","notice_id":"support-privacy"}}"#,
                    key.kid()
                )
                .into_bytes(),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        a.json()
    }

    /// Asks to unlink `kind`/`value` for request `r`: a preview without `confirm`, the
    /// unlinking with it (and `reason`, when given).
    async fn unlink_with(
        &self,
        s: &Session,
        r: &Value,
        (kind, value): (&str, &str),
        confirm: bool,
        reason: Option<&str>,
    ) -> Answer {
        let mut members = vec![
            ("request_id", r.get("request_id").cloned().unwrap()),
            ("subject", r.get("subject").cloned().unwrap()),
            (
                "identifier",
                Value::object([("kind", Value::str(kind)), ("value", Value::str(value))]),
            ),
            ("confirm", Value::Bool(confirm)),
        ];
        if let Some(why) = reason {
            members.push(("reason", Value::str(why)));
        }
        let body = consentry_core::json::to_canonical_string(&Value::object(members));
        self.post(s, "/console/api/requests/unlink", body.into_bytes())
            .await
    }

    /// Registers `key` as the signed-in agent's workstation key.
    async fn register(&self, s: &Session, key: &TestSigner) {
        let jwk = key.jwk();
        let reg = self
            .post(
                s,
                "/console/api/agent-keys",
                format!(
                    r#"{{"jwk":{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}}}"#,
                    jwk.x, jwk.y
                )
                .into_bytes(),
            )
            .await;
        assert_eq!(reg.status, StatusCode::OK, "{}", reg.text());
    }

    async fn unlink(&self, s: &Session, r: &Value, kind: &str, value: &str) -> Answer {
        self.unlink_with(s, r, (kind, value), true, None).await
    }
}

/// Per-person unlinking (ADR 0019): a caller who consented on the hotline asks for erasure;
/// the DPO unlinks the caller's phone number; the call recorder's next check finds nothing,
/// the receipts stay, and the caller's next call starts a new, unrelated reference.
#[tokio::test]
async fn an_erasure_unlinks_the_callers_number_and_the_next_check_finds_nothing() {
    const PHONE: &str = "+86 138 0013 8000";
    let d = desk();
    let li = d.login("agent.li").await;
    let key = agent_key();
    d.register(&li, &key).await;
    // Before any call the number has no key, and a check makes none.
    let before = d.may_record(PHONE).await;
    assert_eq!(before.get("allowed"), Some(&Value::Bool(false)));
    assert_eq!(before.get("subject_ref"), Some(&Value::Null));
    let start = d.start_call(&li, &key, PHONE, "CALL-77").await;
    let sref = str_of(&start, "sref").to_owned();
    assert!(sref.starts_with("sr2:"), "{sref}");
    let stored = d
        .post(
            &li,
            "/console/api/hotline/receipts",
            call_receipt(&start, &key),
        )
        .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());
    // Sixteen checks at once, each reading the new entry while the others do: the index
    // takes it once (the preview below counts one receipt, not one per reader).
    let answers = futures_util::future::join_all((0..16).map(|_| d.may_record(PHONE))).await;
    for yes in &answers {
        assert_eq!(yes.get("allowed"), Some(&Value::Bool(true)), "{yes:?}");
        assert_eq!(str_of(yes, "subject_ref"), sref);
    }

    // The caller asks for erasure (and, on another call, for access).
    let erase = DataRequest {
        channel: Channel::HotlineAgent,
        agent: Some((str_of(&start, "agent_id").to_owned(), "CALL-77".into())),
        link: Some(str_of(&start, "link").to_owned()),
        details: None,
        ..request(&key, 8, RequestKind::Erasure, named(&stored))
    };
    let a = d
        .post(
            &li,
            "/console/api/hotline/requests",
            sign_request(&key, &erase),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let access = DataRequest {
        request_id: ReceiptId::from_random_bytes([9; 16]),
        kind: RequestKind::Access,
        ..erase.clone()
    };
    let a = d
        .post(
            &li,
            "/console/api/hotline/requests",
            sign_request(&key, &access),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());

    let dpo = d.login("dpo.ana").await;
    let q = d.queue(&dpo).await;
    let of = |kind: &str| {
        q.iter()
            .find(|r| str_of(r, "kind") == kind)
            .unwrap()
            .clone()
    };
    let (erasure, access) = (of("erasure"), of("access"));
    // Only the DPO, only for an erasure, only a real identifier.
    let a = d.unlink(&li, &erasure, "phone", PHONE).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    let a = d.unlink(&dpo, &access, "phone", PHONE).await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::CONFLICT, "not_erasure")
    );
    let a = d.unlink(&dpo, &erasure, "phone", "not a number").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text());
    assert_eq!(
        d.may_record(PHONE).await.get("allowed"),
        Some(&Value::Bool(true))
    );

    // First a preview: what the number is here; nothing is destroyed.
    let p = d
        .unlink_with(&dpo, &erasure, ("phone", "+86-138-0013-8000"), false, None)
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text());
    let p = p.json();
    assert_eq!(p.get("preview"), Some(&Value::Bool(true)));
    assert_eq!(p.get("has_key"), Some(&Value::Bool(true)));
    assert_eq!(p.get("receipts").and_then(Value::as_i64), Some(1));
    assert_eq!(p.get("matches_request"), Some(&Value::Bool(true)));
    assert_eq!(
        d.may_record(PHONE).await.get("allowed"),
        Some(&Value::Bool(true))
    );
    // Another number than the request's own needs a reason.
    let other = d
        .unlink_with(&dpo, &erasure, ("phone", "+86 139 1111 2222"), true, None)
        .await;
    assert_eq!(
        (other.status, other.error_code().as_str()),
        (StatusCode::BAD_REQUEST, "reason_required")
    );

    let a = d.unlink(&dpo, &erasure, "phone", "+86-138-0013-8000").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    assert_eq!(v.get("key_destroyed"), Some(&Value::Bool(true)));
    assert_eq!(v.get("disk_clean"), Some(&Value::Bool(true)));
    assert_eq!(v.get("matches_request"), Some(&Value::Bool(true)));
    // The call's link, issued before, makes no new receipt under the ended reference.
    let late = d
        .post(
            &li,
            "/console/api/hotline/receipts",
            // Another receipt of that call (same link): not a resend of the stored one.
            call_receipt_with(&start, &key, 3, str_of(&start, "link")),
        )
        .await;
    assert_eq!(
        (late.status, late.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "link_unlinked"),
        "{}",
        late.text()
    );
    // The stored one, sent again, is still answered as stored.
    let resend = d
        .post(
            &li,
            "/console/api/hotline/receipts",
            call_receipt(&start, &key),
        )
        .await;
    assert_eq!(resend.status, StatusCode::OK, "{}", resend.text());
    // The recorder may not keep the recording any more; nothing names the old reference.
    let after = d.may_record(PHONE).await;
    assert_eq!(after.get("allowed"), Some(&Value::Bool(false)), "{after:?}");
    assert_eq!(after.get("subject_ref"), Some(&Value::Null));
    assert_eq!(after.get("receipt_id"), Some(&Value::Null));
    // Looked at again: no key, no receipt, and nothing ties the number to the request now.
    let again = d
        .unlink_with(&dpo, &erasure, ("phone", PHONE), false, None)
        .await
        .json();
    assert_eq!(again.get("has_key"), Some(&Value::Bool(false)));
    assert_eq!(again.get("receipts").and_then(Value::as_i64), Some(0));
    assert_eq!(again.get("matches_request"), Some(&Value::Bool(false)));
    // What is recorded as unlinked: the ended sr2 only. The number had no sr1 receipts, and
    // its sr1 (which anyone with the server's key can make) must not say it asked for erasure.
    let ended: Vec<String> = raw_db(&d.f.db)
        .prepare("SELECT sref FROM subject_unlinked")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ended, std::slice::from_ref(&sref));
    // The receipt is still in the ledger, and the requests in the queue.
    assert_eq!(row_count(&d.f.db), 1);
    assert_eq!(d.queue(&dpo).await.len(), 2);
    // The trail says who unlinked what for which request, never the number.
    let trail = d.trail();
    let line = trail
        .iter()
        .find(|(_, action, _)| action == "unlink")
        .expect("an unlink in the trail");
    assert_eq!(line.0, "dpo.ana");
    assert!(line.2.contains(str_of(&erasure, "request_id")), "{line:?}");
    for action in ["unlink_preview", "unlink", "unlink_done"] {
        let row = trail.iter().find(|(_, a, _)| a == action).expect(action);
        assert!(
            !row.2.contains("138"),
            "the number is in the trail: {row:?}"
        );
    }
    let done = trail.iter().find(|(_, a, _)| a == "unlink_done").unwrap();
    assert!(done.2.contains("its key is destroyed"), "{done:?}");
    // The order: the unlinking's row before the result's.
    let at = |a: &str| trail.iter().position(|(_, x, _)| x == a).unwrap();
    assert!(at("unlink") < at("unlink_done"));
    assert!(
        line.2
            .contains("the one the request's receipt is linked to"),
        "{line:?}"
    );
    assert!(
        !line.2.contains("138"),
        "the number is in the trail: {line:?}"
    );
    // The caller's next call starts again, unlinked from the first.
    let next = d.start_call(&li, &key, PHONE, "CALL-78").await;
    assert_ne!(str_of(&next, "sref"), sref);
    assert_eq!(next.get("granted_before"), Some(&Value::Arr(Vec::new())));
}

/// A reference made before per-identifier keys (`sr1:`, under the server's key): the receipts
/// that carry it still answer checks for the number, until the number is unlinked; then the
/// server never links that reference to anyone again.
#[tokio::test]
async fn a_reference_from_before_per_identifier_keys_answers_until_unlinked() {
    use consentry_core::receipt::link::LinkClaims;
    const PHONE: &str = "+86 139 0000 0001";
    let d = desk();
    let li = d.login("agent.li").await;
    let key = agent_key();
    d.register(&li, &key).await;
    // The call as an older server linked it: the link names the number's `sr1:` reference.
    let start = d
        .start_call(&li, &key, "+86 139 0000 0002", "CALL-77")
        .await;
    let v1 = SrefKey::new(&[5; 32]).sref_v1("phone", PHONE).unwrap();
    let claims = LinkClaims {
        sref: v1.clone(),
        ticket: None,
        channel: Channel::HotlineAgent,
        iat: Timestamp(T0),
        exp: Timestamp(T0 + 3_600_000),
        jti: "legacy-call-link-1".into(),
    };
    let signing = consentry_server::AppState::new(
        d.f.store.clone(),
        VerifyPolicy::default(),
        &ledger_config(),
    );
    let old_link = consentry_server::links::sign(&signing, &claims);
    let old_start = Value::object([
        ("agent_id", start.get("agent_id").cloned().unwrap()),
        ("link", Value::str(old_link)),
    ]);
    let stored = d
        .post(
            &li,
            "/console/api/hotline/receipts",
            call_receipt(&old_start, &key),
        )
        .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());
    let yes = d.may_record(PHONE).await;
    assert_eq!(yes.get("allowed"), Some(&Value::Bool(true)), "{yes:?}");
    assert_eq!(str_of(&yes, "subject_ref"), v1);

    let erase = DataRequest {
        channel: Channel::HotlineAgent,
        agent: Some((str_of(&start, "agent_id").to_owned(), "CALL-77".into())),
        link: Some(str_of(&old_start, "link").to_owned()),
        details: None,
        ..request(&key, 8, RequestKind::Erasure, named(&stored))
    };
    let a = d
        .post(
            &li,
            "/console/api/hotline/requests",
            sign_request(&key, &erase),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let dpo = d.login("dpo.ana").await;
    let q = d.queue(&dpo).await;
    let a = d.unlink(&dpo, &q[0], "phone", PHONE).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    assert_eq!(v.get("key_destroyed"), Some(&Value::Bool(false)));
    assert_eq!(v.get("matches_request"), Some(&Value::Bool(true)));
    let after = d.may_record(PHONE).await;
    assert_eq!(after.get("allowed"), Some(&Value::Bool(false)), "{after:?}");
    assert_eq!(after.get("subject_ref"), Some(&Value::Null));
    // Nor does a new call bring the old receipts back.
    let next = d.start_call(&li, &key, PHONE, "CALL-79").await;
    assert_eq!(next.get("granted_before"), Some(&Value::Arr(Vec::new())));
    assert_eq!(
        d.may_record(PHONE).await.get("allowed"),
        Some(&Value::Bool(false))
    );
}

/// One device cannot fill the DPO's queue: five open requests, then `429` until one is
/// answered; sending one of the five again is still the same request.
#[tokio::test]
async fn a_device_has_at_most_five_requests_open() {
    use consentry_server::requests::MAX_OPEN_PER_DEVICE;
    let d = desk();
    let de = TestSigner::device();
    let stored = post(
        &d.f.router,
        &web_receipt(&de, 1, &sample_bundle(), Regime::Gdpr, "DE"),
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());
    let kinds = RequestKind::ALL;
    let mut sent = Vec::new();
    for seed in 0..u8::try_from(MAX_OPEN_PER_DEVICE).unwrap() {
        let env = sign_request(
            &de,
            &request(
                &de,
                seed,
                kinds[usize::from(seed) % kinds.len()],
                named(&stored),
            ),
        );
        let a = post_request(&d.f.router, &env).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
        sent.push(env);
    }
    let sixth = sign_request(&de, &request(&de, 50, RequestKind::Access, named(&stored)));
    let a = post_request(&d.f.router, &sixth).await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_open_requests")
    );
    // On the record, so the controller can show what it was sent and why it waits.
    assert!(
        d.trail().iter().any(|(who, action, detail)| who == "-"
            && action == "request_refused"
            && detail.contains(&de.kid())),
        "{:?}",
        d.trail()
    );
    // A resend of one already taken is answered as before.
    let again = post_request(&d.f.router, &sent[0]).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    // Another device is not held back.
    let other = TestSigner::from_label("another device");
    let its = post(
        &d.f.router,
        &web_receipt(&other, 1, &sample_bundle(), Regime::Gdpr, "FR"),
    )
    .await;
    let a = post_request(
        &d.f.router,
        &sign_request(
            &other,
            &request(&other, 1, RequestKind::Access, named(&its)),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    // Once the DPO answers one, the device may ask again.
    let dpo = d.login("dpo.ana").await;
    let q = d.queue(&dpo).await;
    let first = q
        .iter()
        .find(|r| str_of(r, "subject") == de.kid() && str_of(r, "kind") == "access")
        .unwrap();
    let a = d.status(&dpo, first, "completed", None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let a = post_request(&d.f.router, &sixth).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
}

/// A receipt taken while its link was valid and sent again after the link expired (its first
/// answer was lost) is answered as stored; a new receipt with that link is refused.
#[tokio::test]
async fn a_resend_after_the_link_expired_is_stored_not_refused() {
    use consentry_core::receipt::link::LinkClaims;
    let d = desk();
    let li = d.login("agent.li").await;
    let key = agent_key();
    d.register(&li, &key).await;
    let start = d
        .start_call(&li, &key, "+86 139 0000 0003", "CALL-77")
        .await;
    let claims = LinkClaims {
        sref: str_of(&start, "sref").to_owned(),
        ticket: None,
        channel: Channel::HotlineAgent,
        iat: Timestamp(T0),
        exp: Timestamp(T0 + 600_000),
        jti: "short-call-link-1".into(),
    };
    let signing = consentry_server::AppState::new(
        d.f.store.clone(),
        VerifyPolicy::default(),
        &ledger_config(),
    );
    let short = Value::object([
        ("agent_id", start.get("agent_id").cloned().unwrap()),
        (
            "link",
            Value::str(consentry_server::links::sign(&signing, &claims)),
        ),
    ]);
    let env = call_receipt(&short, &key);
    let first = d
        .post(&li, "/console/api/hotline/receipts", env.clone())
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    // Eleven minutes on: the link (ten minutes) has expired; the session (30 idle) has not.
    d.skew.store(660_000, Ordering::SeqCst);
    let again = d.post(&li, "/console/api/hotline/receipts", env).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(
        again.json().get("receipt_id"),
        first.json().get("receipt_id")
    );
    // Another consent with the expired link is refused (a refusal would still be taken).
    let other = call_receipt_with(&short, &key, 2, str_of(&short, "link"));
    let a = d.post(&li, "/console/api/hotline/receipts", other).await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "link_expired"),
        "{}",
        a.text()
    );
}
