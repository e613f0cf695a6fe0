//! Shared fixtures of the server tests: a router over a real SQLite file in a temp dir, the
//! test server key (the same key as core's `testing::test_server`), requests through
//! `tower::ServiceExt::oneshot`, and a compiled notice build on disk.
#![allow(dead_code)]

pub mod http;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use consentry_core::bundle::{Direction, Manifest, ManifestEntry};
use consentry_core::encoding::Sha256Digest;
use consentry_core::json::{self, Value};
use consentry_core::receipt::Receipt;
use consentry_core::receipt::verify::{KeySet, VerifyPolicy};
use consentry_core::testing::{
    TestSigner, key_set, sample_bundle, sample_bundle_bytes, test_server,
};
use consentry_core::time::Timestamp;
use consentry_server::{AppState, LedgerConfig, ServerSigner, SqliteStore, app};
use tempfile::TempDir;
use tower::ServiceExt as _;

pub const T0: i64 = 1_795_900_000_000;
pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";

/// The countersigning key of the tests: core's `testing::test_server()` key.
pub fn signer() -> Arc<ServerSigner> {
    Arc::new(
        ServerSigner::from_scalar(&Sha256Digest::of(b"consentry test server key 1").0).unwrap(),
    )
}

/// The key set that verifies the tests' countersignatures.
pub fn keys() -> KeySet {
    let ks = key_set(&[&test_server()]);
    assert!(ks.get(signer().kid()).is_some(), "test keys must agree");
    ks
}

pub fn ledger_config() -> LedgerConfig {
    LedgerConfig {
        log_id: "test-1".into(),
        signer: signer(),
        log: Some(Arc::new(consentry_server::tlog::Log::new(
            consentry_tlog::LogSigner::from_private(
                &consentry_tlog::LogSigner::generate("test-1").expect("log key"),
            )
            .expect("log key"),
        ))),
    }
}

/// A clock that advances one second per call, from `T0`.
pub fn ticking_clock() -> consentry_server::Clock {
    let ticks = Arc::new(AtomicI64::new(0));
    Arc::new(move || Timestamp(T0 + 1000 * ticks.fetch_add(1, Ordering::SeqCst)))
}

pub struct Fixture {
    pub tmp: TempDir,
    pub db: PathBuf,
    pub store: Arc<SqliteStore>,
    pub router: Router,
}

/// A router over a fresh database in a temp dir, with the ticking clock and the admin token.
pub fn fixture(policy: VerifyPolicy, site: Option<&Path>) -> Fixture {
    fixture_with(policy, |s| match site {
        Some(dir) => s.with_site(dir),
        None => s,
    })
}

pub fn fixture_with(policy: VerifyPolicy, edit: impl FnOnce(AppState) -> AppState) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("data").join("receipts.sqlite");
    let store = Arc::new(SqliteStore::open(&db, ledger_config()).unwrap());
    let state = AppState::new(store.clone(), policy, &ledger_config())
        .with_clock(ticking_clock())
        .with_admin_token(ADMIN_TOKEN);
    Fixture {
        tmp,
        db,
        store,
        router: app(edit(state)),
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        json::parse(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// The stable code of a JSON error answer (and checks the error shape).
    pub fn error_code(&self) -> String {
        assert_eq!(self.content_type(), "application/json", "{}", self.text());
        let v = self.json();
        let e = v.get("error").expect("error member");
        // `expected` only with `chain_conflict` (what the chain needs next).
        let extra = usize::from(e.get("expected").is_some());
        assert_eq!(e.as_object().unwrap().len(), 2 + extra, "{v:?}");
        assert!(!e.get("message").and_then(Value::as_str).unwrap().is_empty());
        e.get("code").and_then(Value::as_str).unwrap().to_owned()
    }
    /// The countersigned envelope in a POST answer, as canonical bytes.
    pub fn receipt_bytes(&self) -> Vec<u8> {
        json::to_canonical_string(self.json().get("receipt").expect("receipt member")).into_bytes()
    }
}

pub struct Req<'a> {
    pub method: Method,
    pub uri: &'a str,
    pub headers: Vec<(header::HeaderName, String)>,
    pub body: Vec<u8>,
    pub peer: Option<SocketAddr>,
}

impl<'a> Req<'a> {
    pub fn new(method: Method, uri: &'a str) -> Self {
        Self {
            method,
            uri,
            headers: Vec::new(),
            body: Vec::new(),
            peer: None,
        }
    }
    pub fn header(mut self, name: header::HeaderName, value: &str) -> Self {
        self.headers.push((name, value.into()));
        self
    }
    pub fn body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }
    pub fn peer(mut self, addr: SocketAddr) -> Self {
        self.peer = Some(addr);
        self
    }
    pub async fn send(self, router: &Router) -> Answer {
        let mut req = Request::builder().method(self.method).uri(self.uri);
        for (k, v) in &self.headers {
            req = req.header(k, v);
        }
        let mut req = req.body(Body::from(self.body)).unwrap();
        if let Some(p) = self.peer {
            req.extensions_mut().insert(ConnectInfo(p));
        }
        let res = router.clone().oneshot(req).await.unwrap();
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
}

pub async fn call(
    router: &Router,
    method: Method,
    uri: &str,
    ct: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    let mut r = Req::new(method, uri).body(body);
    if let Some(ct) = ct {
        r = r.header(header::CONTENT_TYPE, ct);
    }
    r.send(router).await
}

pub async fn post(router: &Router, envelope: &[u8]) -> Answer {
    call(
        router,
        Method::POST,
        "/v1/receipts",
        Some("application/json"),
        envelope.to_vec(),
    )
    .await
}

pub async fn get(router: &Router, uri: &str) -> Answer {
    call(router, Method::GET, uri, None, Vec::new()).await
}

pub async fn admin_get(router: &Router, uri: &str) -> Answer {
    Req::new(Method::GET, uri)
        .header(header::AUTHORIZATION, &format!("Bearer {ADMIN_TOKEN}"))
        .send(router)
        .await
}

/// A receipt and its envelope: the first receipt of a device of its own per seed (so receipts
/// of different seeds never compete for one subject's chain).
pub fn signed(seed: u8, accept: bool) -> (Receipt, Vec<u8>) {
    let s = if seed == 1 {
        TestSigner::device()
    } else {
        TestSigner::from_label(&format!("common device {seed}"))
    };
    let r = sample_receipt_for(&s, seed, accept);
    let env = s.sign_receipt(&r);
    (r, env)
}

pub fn sample_receipt_for(s: &TestSigner, seed: u8, accept: bool) -> Receipt {
    consentry_core::testing::sample_receipt(s, seed, accept)
}

pub fn raw_db(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

pub fn row_count(path: &Path) -> i64 {
    raw_db(path)
        .query_row("SELECT count(*) FROM ledger", [], |r| r.get(0))
        .unwrap()
}

/// Writes the sample notice as a compiled build (`manifest.json` + one locale file).
pub fn write_build(dir: &Path) {
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

/// A registry policy with the sample notice.
pub fn registry_policy() -> VerifyPolicy {
    let mut r = consentry_core::receipt::verify::NoticeRegistry::new();
    r.add_bundle(&sample_bundle_bytes()).unwrap();
    VerifyPolicy { notices: Some(r) }
}

/// Writes a secret file (the admin token) with mode 0600, as the server requires.
pub fn write_secret(path: &Path, contents: &str) {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .unwrap();
    f.write_all(contents.as_bytes()).unwrap();
}
