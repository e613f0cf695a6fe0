//! The static site as the build ships it: precompressed `.br` / `.gz` siblings served with
//! `Content-Encoding` and `Vary: Accept-Encoding`, content-hashed names cached as immutable,
//! everything else revalidated.

mod common;

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use consentry_core::receipt::verify::VerifyPolicy;
use consentry_server::api::is_content_hashed;
use consentry_server::http::{IMMUTABLE, REVALIDATE};
use consentry_server::{AppState, SqliteStore, app};
use tower::ServiceExt as _;

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn get(router: &Router, uri: &str, accept_encoding: Option<&str>) -> Answer {
    let mut req = Request::builder().uri(uri);
    if let Some(ae) = accept_encoding {
        req = req.header(header::ACCEPT_ENCODING, ae);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    Answer {
        status: res.status(),
        headers: res.headers().clone(),
        body: to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec(),
    }
}

const WASM: &[u8] = b"\0asm\x01\0\0\0 identity bytes";
const WASM_BR: &[u8] = b"pretend-brotli";
const WASM_GZ: &[u8] = b"pretend-gzip";
const LOADER: &[u8] = b"import './consentry.0123456789ab.js';";
const LOADER_BR: &[u8] = b"pretend-brotli-loader";

fn site() -> (tempfile::TempDir, Router) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let widget = site.join("widget");
    std::fs::create_dir_all(&widget).unwrap();
    let files: [(&str, &[u8]); 6] = [
        ("widget/consentry_bg.9f01d516b1cc.wasm", WASM),
        ("widget/consentry_bg.9f01d516b1cc.wasm.br", WASM_BR),
        ("widget/consentry_bg.9f01d516b1cc.wasm.gz", WASM_GZ),
        ("widget/consentry-widget.js", LOADER),
        ("widget/consentry-widget.js.br", LOADER_BR),
        ("index.html", b"<!doctype html><title>Support</title>"),
    ];
    for (name, body) in files {
        std::fs::write(site.join(name), body).unwrap();
    }
    let cfg = common::ledger_config();
    let store = Arc::new(SqliteStore::open(&tmp.path().join("r.sqlite"), cfg.clone()).unwrap());
    let state = AppState::new(store, VerifyPolicy::default(), &cfg).with_site(&site);
    (tmp, app(state))
}

#[tokio::test]
async fn precompressed_variants_follow_accept_encoding() {
    let (_tmp, router) = site();
    let path = "/widget/consentry_bg.9f01d516b1cc.wasm";

    let a = get(&router, path, Some("gzip, deflate, br")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, WASM_BR);
    assert_eq!(a.header(header::CONTENT_ENCODING), "br");
    // Still the wasm media type, so browsers compile it while it streams in.
    assert_eq!(a.header(header::CONTENT_TYPE), "application/wasm");
    assert_eq!(
        a.header(header::VARY).to_ascii_lowercase(),
        "accept-encoding"
    );

    let a = get(&router, path, Some("gzip")).await;
    assert_eq!(a.body, WASM_GZ);
    assert_eq!(a.header(header::CONTENT_ENCODING), "gzip");

    let a = get(&router, path, None).await;
    assert_eq!(a.body, WASM);
    assert_eq!(a.header(header::CONTENT_ENCODING), "");
    assert_eq!(a.header(header::CONTENT_TYPE), "application/wasm");
    // Identity answers vary by Accept-Encoding too (a cache must not reuse them for `br`).
    assert_eq!(
        a.header(header::VARY).to_ascii_lowercase(),
        "accept-encoding"
    );

    // Only a `.br` sibling: gzip-only clients get the identity bytes.
    let a = get(&router, "/widget/consentry-widget.js", Some("gzip")).await;
    assert_eq!(a.body, LOADER);
    assert_eq!(a.header(header::CONTENT_TYPE), "text/javascript");
    let a = get(&router, "/widget/consentry-widget.js", Some("br")).await;
    assert_eq!(a.body, LOADER_BR);
    assert_eq!(a.header(header::CONTENT_TYPE), "text/javascript");
}

#[tokio::test]
async fn hashed_names_are_immutable_and_the_rest_revalidates() {
    let (_tmp, router) = site();
    let a = get(
        &router,
        "/widget/consentry_bg.9f01d516b1cc.wasm",
        Some("br"),
    )
    .await;
    assert_eq!(a.header(header::CACHE_CONTROL), IMMUTABLE);
    assert_eq!(IMMUTABLE, "public, max-age=31536000, immutable");
    for path in ["/widget/consentry-widget.js", "/", "/index.html"] {
        let a = get(&router, path, Some("br")).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(a.header(header::CACHE_CONTROL), REVALIDATE, "{path}");
    }
    // A missing hashed file is a plain 404 JSON error, not cached for a year.
    let a = get(
        &router,
        "/widget/consentry_bg.000000000000.wasm",
        Some("br"),
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.header(header::CACHE_CONTROL), "");
}

#[test]
fn content_hash_names() {
    for hashed in [
        "/widget/consentry_bg.9f01d516b1cc.wasm",
        "/widget/consentry.e6a12b8be64a.js",
        "/notice/notice.en.cb9e1e20e05e.json",
        "/notice/notice.zh-CN.69009c1188a3.json",
        "a.0123456789abcdef0123.css",
    ] {
        assert!(is_content_hashed(hashed), "{hashed}");
    }
    for plain in [
        "/",
        "/index.html",
        "/widget/consentry-widget.js",
        "/notice/manifest.json",
        "/9f01d516b1cc.wasm",          // no name before the hash
        "/a.9f01d516b1c.wasm",         // 11 digits
        "/a.9F01D516B1CC.wasm",        // upper case is not what the build writes
        "/a.9f01d516b1cz.wasm",        // not hex
        "/widget.9f01d516b1cc/app.js", // a hash in a directory name does not count
    ] {
        assert!(!is_content_hashed(plain), "{plain}");
    }
}

/// A site with a dotfile, a dot-directory, a symlink to a secret outside the root (as a file
/// and as a `.br` sibling) and a symlink that stays inside it.
fn site_with_traps() -> (tempfile::TempDir, Router) {
    let (tmp, router) = site();
    let site = tmp.path().join("site");
    let secret = tmp.path().join("receipt-signing.p256");
    std::fs::write(&secret, b"SECRET KEY").unwrap();
    std::fs::write(site.join(".env"), b"ADMIN_TOKEN=SECRET").unwrap();
    std::fs::create_dir_all(site.join(".git")).unwrap();
    std::fs::write(site.join(".git/config"), b"SECRET repo").unwrap();
    std::os::unix::fs::symlink(&secret, site.join("key.txt")).unwrap();
    std::fs::write(site.join("notes.txt"), b"plain").unwrap();
    std::os::unix::fs::symlink(&secret, site.join("notes.txt.br")).unwrap();
    std::os::unix::fs::symlink(site.join("index.html"), site.join("home.html")).unwrap();
    (tmp, router)
}

#[tokio::test]
async fn dotfiles_and_symlinks_out_of_the_site_are_never_served() {
    let (_tmp, router) = site_with_traps();
    for path in [
        "/.env",
        "/%2eenv",
        "/%2Eenv",
        "/.git/config",
        "/widget/../.env",
        "/key.txt",
        // The file is harmless, its precompressed sibling is a link to the key.
        "/notes.txt",
    ] {
        for ae in [None, Some("br")] {
            let a = get(&router, path, ae).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{path} ({ae:?})");
            assert!(
                !String::from_utf8_lossy(&a.body).contains("SECRET"),
                "{path} leaked"
            );
        }
    }
    // Its harmless neighbour: a link that stays inside the site is served.
    let a = get(&router, "/home.html", None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, b"<!doctype html><title>Support</title>");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let (_tmp, router) = site();
    for (path, html) in [
        ("/", true),
        ("/widget/consentry-widget.js", false),
        ("/no-such-file", false),
        ("/healthz", false),
        ("/v1/receipts/not-an-id", false),
    ] {
        let a = get(&router, path, None).await;
        let csp = a.header(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp:?}");
        // Pages set the rest of their policy themselves; nothing else runs anything.
        assert_eq!(csp.contains("default-src 'none'"), !html, "{path}: {csp:?}");
        assert_eq!(a.header(header::X_FRAME_OPTIONS), "DENY", "{path}");
        assert_eq!(a.header(header::REFERRER_POLICY), "no-referrer", "{path}");
        assert_eq!(a.header(header::STRICT_TRANSPORT_SECURITY), "", "{path}");
    }
}

#[tokio::test]
async fn a_revalidated_page_keeps_its_own_script_policy() {
    let (_tmp, router) = site();
    let first = get(&router, "/", None).await;
    let etag = first.header(header::ETAG).to_owned();
    let modified = first.header(header::LAST_MODIFIED).to_owned();
    let mut req = Request::builder().uri("/");
    if !etag.is_empty() {
        req = req.header(header::IF_NONE_MATCH, &etag);
    }
    if !modified.is_empty() {
        req = req.header(header::IF_MODIFIED_SINCE, &modified);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    // The browser merges these headers into the cached page: `default-src 'none'` here would
    // block the page's scripts on every reload.
    let csp = res
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert_eq!(csp, "frame-ancestors 'none'");
}

#[tokio::test]
async fn framing_origins_and_hsts_are_the_operators_choice() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = common::ledger_config();
    let store = Arc::new(SqliteStore::open(&tmp.path().join("r.sqlite"), cfg.clone()).unwrap());
    let origin = axum::http::HeaderValue::from_static("https://support.example.com");
    let state = AppState::new(store, VerifyPolicy::default(), &cfg)
        .with_frame_ancestors(&[origin])
        .with_hsts(true);
    let router = app(state);
    let a = get(&router, "/healthz", None).await;
    assert_eq!(
        a.header(header::CONTENT_SECURITY_POLICY),
        "default-src 'none'; frame-ancestors https://support.example.com"
    );
    // X-Frame-Options cannot name an origin: left out, the CSP decides.
    assert_eq!(a.header(header::X_FRAME_OPTIONS), "");
    assert!(
        a.header(header::STRICT_TRANSPORT_SECURITY)
            .starts_with("max-age=")
    );
}

/// The signing frame's page (ADR 0012): served only with --signer-origin, with those origins
/// written in, its own policy (framed by those origins only, scripts and network from this
/// origin only) and no X-Frame-Options; everything else keeps `frame-ancestors 'none'`.
#[tokio::test]
async fn the_signing_frame_is_framed_only_by_the_signer_origins() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("signer")).unwrap();
    std::fs::write(
        site.join("signer/index.html"),
        format!(
            "<!doctype html><head>{}<script type=\"module\" src=\"signer.js\"></script></head>",
            consentry_server::signer::ORIGINS_PLACEHOLDER
        ),
    )
    .unwrap();
    std::fs::write(site.join("signer/signer.js"), b"export {};").unwrap();
    let cfg = common::ledger_config();
    let store = Arc::new(SqliteStore::open(&tmp.path().join("r.sqlite"), cfg.clone()).unwrap());
    let base = AppState::new(store, VerifyPolicy::default(), &cfg).with_site(&site);

    // Without --signer-origin: no frame.
    let off = app(base.clone());
    assert_eq!(
        get(&off, "/signer/", None).await.status,
        StatusCode::NOT_FOUND
    );

    let origins = [
        axum::http::HeaderValue::from_static("https://support.example.com"),
        axum::http::HeaderValue::from_static("https://www.example.com"),
    ];
    let router = app(base.with_signer_origins(&origins));
    for uri in ["/signer/", "/signer/index.html"] {
        let a = get(&router, uri, Some("br, gzip")).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}");
        assert_eq!(
            a.header(header::CONTENT_SECURITY_POLICY),
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; \
             base-uri 'none'; form-action 'none'; \
             frame-ancestors https://support.example.com https://www.example.com"
        );
        assert_eq!(a.header(header::X_FRAME_OPTIONS), "", "{uri}");
        assert_eq!(a.header(header::CONTENT_ENCODING), "", "{uri}");
        let body = String::from_utf8(a.body.clone()).unwrap();
        assert!(
            body.contains(
                r#"<meta name="consentry-origins" content="https://support.example.com https://www.example.com">"#
            ),
            "{body}"
        );
    }
    // Its script and every other answer: not frameable.
    let js = get(&router, "/signer/signer.js", None).await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(
        js.header(header::CONTENT_SECURITY_POLICY),
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(js.header(header::X_FRAME_OPTIONS), "DENY");
}
