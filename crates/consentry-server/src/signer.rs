//! The signing frame's page (`/signer/`, ADR 0012).
//!
//! Frame mode keeps the device key out of the embedding page's reach: the widget passes each
//! receipt job to a small frame served from this server's origin, which holds the key in this
//! origin's IndexedDB, signs, keeps the outbox and POSTs to `/v1/receipts` here. This module
//! serves that frame's page from `--site` (`signer/index.html`, built by `cargo xtask site`)
//! with the origins given by `--signer-origin` written into it (its script ignores messages
//! from any other origin) and its own policy: only those origins may frame it
//! (`frame-ancestors`), scripts only from this origin, network only to this origin. The rest of
//! `signer/` (its script and the receipts module) is served as static files. Without
//! `--signer-origin` the page is not served (404).

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::http::error_response;

/// The placeholder in `signer/index.html` that receives the allowed origins.
pub const ORIGINS_PLACEHOLDER: &str = r#"<meta name="consentry-origins" content="">"#;

/// `GET /signer/` and `GET /signer/index.html`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/signer/", get(page))
        .route("/signer/index.html", get(page))
}

/// The policy of the frame's page: nothing but its own scripts and wasm, network to this
/// origin only, framed only by `origins`.
pub fn policy(origins: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors {origins}"
    )
}

async fn page(State(st): State<AppState>) -> Response {
    let off = || {
        error_response(
            StatusCode::NOT_FOUND,
            "not_found",
            "no signing frame here (the server has no --signer-origin)",
        )
    };
    let (Some(site), false) = (&st.site, st.signer_origins.is_empty()) else {
        return off();
    };
    let Ok(html) = tokio::fs::read_to_string(site.join("signer/index.html")).await else {
        return off();
    };
    if !html.contains(ORIGINS_PLACEHOLDER) {
        return error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "signer_page_invalid",
            "signer/index.html has no consentry-origins placeholder",
        );
    }
    // The origins were checked at start: http(s) origins without quotes or markup.
    let html = html.replacen(
        ORIGINS_PLACEHOLDER,
        &format!(
            r#"<meta name="consentry-origins" content="{}">"#,
            st.signer_origins
        ),
        1,
    );
    let mut res = (StatusCode::OK, html).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&policy(&st.signer_origins)) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res
}
