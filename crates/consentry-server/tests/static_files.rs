//! The static site as the build ships it: precompressed `.br` / `.gz` siblings served with
//! `Content-Encoding` and `Vary: Accept-Encoding`, content-hashed names cached as immutable,
//! everything else revalidated.

mod common;

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use consentry_core::receipt::verify::VerifyPolicy;
use consentry_server::api::{IMMUTABLE, REVALIDATE, is_content_hashed};
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
