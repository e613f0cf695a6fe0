//! The evidence pack (ADR 0016) of a server whose hotline agents record calls: the pack
//! carries the agent key set as published, its report lists the agent keys, and the agents'
//! receipts in its ledger verify with that set only. Through the router on real SQLite files.

mod common;

use axum::http::{Method, StatusCode, header};
use common::*;
use consentry_core::bundle::{Direction, Manifest, ManifestEntry};
use consentry_core::encoding::Sha256Digest;
use consentry_core::evidence::{self, NO_AGENT_KEYS, SCHEMA};
use consentry_core::ids::{PurposeId, ReceiptId, RegionCode};
use consentry_core::json::Value;
use consentry_core::receipt::agent::Call;
use consentry_core::receipt::verify::{
    AgentJwk, KeySet, NoticeRegistry, VerifyPolicy, agent_jwks_json, verify_ledger_export,
};
use consentry_core::receipt::{Jurisdiction, Receipt};
use consentry_core::regime::{Regime, RegionSource};
use consentry_core::testing::{TestSigner, sample_hotline_bundle};
use consentry_core::time::Timestamp;
use consentry_server::console::{ConsoleStore, Role};
use consentry_server::links::SrefKey;

const PASSWORD: &str = "correct horse battery staple";
const SCOPE: &str = "from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z";

fn bundle_bytes() -> Vec<u8> {
    sample_hotline_bundle().to_json().into_bytes()
}

fn policy() -> VerifyPolicy {
    let mut r = NoticeRegistry::new();
    r.add_bundle(&bundle_bytes()).unwrap();
    VerifyPolicy { notices: Some(r) }
}

/// Writes the hotline notice as a published build into `dir`.
fn write_hotline_build(dir: &std::path::Path) {
    let b = sample_hotline_bundle();
    let bytes = bundle_bytes();
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

struct Server {
    f: Fixture,
    _dir: tempfile::TempDir,
}

/// A server with a console (an agent), link tokens and the hotline notice published; without
/// a console (`console` false), the web's sample notice.
fn server(console: bool) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let notices = dir.path().join("notices");
    std::fs::create_dir(&notices).unwrap();
    let f = if console {
        write_hotline_build(&notices);
        let store = ConsoleStore::open(&dir.path().join("console.sqlite")).unwrap();
        store
            .add_account("agent.li", Role::Agent, PASSWORD, Timestamp(T0))
            .unwrap();
        fixture_with(policy(), |s| {
            s.with_sref_key(SrefKey::new(&[5; 32]))
                .with_notice_dirs(vec![notices])
                .with_console(store)
        })
    } else {
        write_build(&notices);
        fixture_with(registry_policy(), |s| s.with_notice_dirs(vec![notices]))
    };
    Server { f, _dir: dir }
}

impl Server {
    async fn post(&self, session: &(String, String), uri: &str, body: Vec<u8>) -> Answer {
        Req::new(Method::POST, uri)
            .header(header::COOKIE, &session.0)
            .header(header::HOST, "console.test")
            .header(
                header::HeaderName::from_static("x-consentry-csrf"),
                &session.1,
            )
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .send(&self.f.router)
            .await
    }

    /// Signs agent.li in, registers `key`, and records one call: the stored answer.
    async fn record_call(&self, key: &TestSigner) -> Value {
        let a = Req::new(Method::POST, "/console/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "console.test")
            .header(header::HeaderName::from_static("x-consentry-csrf"), "1")
            .body(format!(r#"{{"username":"agent.li","password":"{PASSWORD}"}}"#).into_bytes())
            .send(&self.f.router)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let cookie = a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        let session = (
            cookie.split(';').next().unwrap().to_owned(),
            a.json()
                .get("csrf")
                .and_then(Value::as_str)
                .unwrap()
                .to_owned(),
        );
        let jwk = key.jwk();
        let reg = self
            .post(
                &session,
                "/console/api/agent-keys",
                format!(
                    r#"{{"jwk":{{"crv":"P-256","kty":"EC","x":"{}","y":"{}","ext":false}}}}"#,
                    jwk.x, jwk.y
                )
                .into_bytes(),
            )
            .await;
        assert_eq!(reg.status, StatusCode::OK, "{}", reg.text());
        let start = self
            .post(
                &session,
                "/console/api/hotline/start",
                format!(
                    r#"{{"identifier":{{"kind":"phone","value":"+8613800138000"}},"call_ref":"CALL-77","kid":"{}","notice_id":"support-privacy"}}"#,
                    key.kid()
                )
                .into_bytes(),
            )
            .await;
        assert_eq!(start.status, StatusCode::OK, "{}", start.text());
        let start = start.json();
        let s = |k: &str| start.get(k).and_then(Value::as_str).unwrap().to_owned();
        let b = sample_hotline_bundle();
        let r = Receipt::for_call(&Call {
            bundle: &b,
            bundle_sha256: Sha256Digest::of(&bundle_bytes()),
            jurisdiction: Jurisdiction::single(
                Regime::Pipl,
                Some(RegionCode::parse("CN").unwrap()),
                RegionSource::UserSelection,
            ),
            receipt_id: ReceiptId::from_random_bytes([1; 16]),
            now: Timestamp(T0),
            agent_key: key.kid(),
            agent_id: s("agent_id"),
            call_ref: "CALL-77".into(),
            link: s("link"),
            answers: vec![(PurposeId::parse("chat-transcript").unwrap(), true)],
            granted_before: Vec::new(),
            known_caller: false,
            prev: None,
        })
        .unwrap();
        let stored = self
            .post(
                &session,
                "/console/api/hotline/receipts",
                key.sign_receipt(&r),
            )
            .await;
        assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());
        stored.json()
    }

    async fn pack(&self) -> String {
        let a = admin_get(&self.f.router, &format!("/v1/admin/evidence?{SCOPE}")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        a.text()
    }
}

/// Verifies the pack's ledger with its server keys and the agent key set `agents`.
fn check(pack: &evidence::Pack, agents: &str) -> Result<u64, &'static str> {
    let mut keys = KeySet::from_jwks(pack.keys.as_bytes()).unwrap();
    keys.add_agent_jwks(agents.as_bytes()).unwrap();
    verify_ledger_export(pack.ledger.as_bytes(), &policy(), &keys, None)
        .map(|c| c.entries)
        .map_err(|e| e.code())
}

#[tokio::test]
async fn the_pack_carries_the_agent_key_set_its_agents_receipts_verify_with() {
    let s = server(true);
    let key = TestSigner::from_label("agent li workstation 1");
    s.record_call(&key).await;
    let html = s.pack().await;
    let pack = evidence::read(&html).unwrap();
    assert_eq!(pack.schema(), SCHEMA);

    // Exactly the set the server publishes.
    let published = get(&s.f.router, "/.well-known/consentry/agent-keys.json").await;
    assert_eq!(pack.agent_keys.as_deref(), Some(published.text().as_str()));
    let mut set = KeySet::new();
    set.add_agent_jwks(pack.agent_key_set().as_bytes()).unwrap();
    let agent = set.agent(&key.kid()).unwrap();
    // The report lists it: agent id and kid.
    assert!(
        html.contains(&format!(
            "<td>{}</td><td><code>{}</code></td>",
            agent.agent,
            key.kid()
        )),
        "the report lists the agent key"
    );

    // The agent's receipt verifies with the pack's agent key set, not without it, not with
    // another agent's.
    assert_eq!(check(&pack, pack.agent_key_set()), Ok(1));
    assert_eq!(check(&pack, NO_AGENT_KEYS), Err("agent_key_unknown"));
    let stranger = agent_jwks_json(&[AgentJwk {
        jwk: TestSigner::from_label("someone else").jwk().clone(),
        agent: agent.agent.clone(),
        created: Timestamp(0),
        revoked: None,
    }]);
    assert_eq!(check(&pack, &stranger), Err("agent_key_unknown"));
}

#[tokio::test]
async fn a_server_without_a_console_packs_an_empty_agent_key_set() {
    let s = server(false);
    let (_, env) = signed(1, true);
    assert_eq!(post(&s.f.router, &env).await.status, StatusCode::CREATED);
    let html = s.pack().await;
    let pack = evidence::read(&html).unwrap();
    assert_eq!(pack.agent_keys.as_deref(), Some(NO_AGENT_KEYS));
    assert!(html.contains("<p>Hotline agent keys: none registered"));
    let mut keys = KeySet::from_jwks(pack.keys.as_bytes()).unwrap();
    keys.add_agent_jwks(pack.agent_key_set().as_bytes())
        .unwrap();
    verify_ledger_export(pack.ledger.as_bytes(), &registry_policy(), &keys, None).unwrap();
}
