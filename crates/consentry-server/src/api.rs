//! The HTTP surface: routes, handlers and the JSON error type.

use std::any::Any;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use consentry_core::encoding::b64url;
use consentry_core::ids::ReceiptId;
use consentry_core::receipt::jws::{Jws, JwsSignature, MAX_ENVELOPE_BYTES, signing_input};
use consentry_core::receipt::ledger::LedgerHead;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::http::{ApiError, IMMUTABLE, REVALIDATE, error_response, json_response};
use crate::store::LedgerRecord;

pub use crate::receive::{ACCEPTED_CONTENT_TYPES, NOTICE_PENDING_RETRY_AFTER};
use crate::receive::{Via, accept, body_error, content_type_ok, too_large};

/// Builds the router: the API, `/healthz`, and (with a site directory) static files.
pub fn app(state: AppState) -> Router {
    let public = Router::new()
        .route(
            "/v1/receipts",
            post(post_receipt)
                .layer(DefaultBodyLimit::max(MAX_ENVELOPE_BYTES))
                .layer(middleware::from_fn(declared_size))
                .layer(middleware::from_fn_with_state(
                    state.rate_limit.clone(),
                    crate::limits::rate_limit,
                )),
        )
        .route(
            "/v1/requests",
            post(crate::requests::post_public)
                .layer(DefaultBodyLimit::max(MAX_ENVELOPE_BYTES))
                .layer(middleware::from_fn(declared_size))
                .layer(middleware::from_fn_with_state(
                    state.rate_limit.clone(),
                    crate::limits::rate_limit,
                )),
        )
        .route("/v1/receipts/{id}", get(get_receipt))
        .route("/v1/receipts/{id}/received", get(get_received))
        .route("/v1/ledger/head", get(ledger_head))
        .route("/.well-known/consentry/keys.json", get(keys_json))
        .layer(crate::limits::cors(&state.cors_origins));
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .merge(public)
        .merge(crate::tlog_http::routes())
        .merge(crate::admin::routes(&state))
        .merge(crate::evidence::routes(&state))
        .merge(crate::dashboard::routes())
        .merge(crate::notice_history::routes())
        .merge(crate::unlink::routes())
        .merge(crate::hotline::routes())
        .merge(crate::requests::routes().layer(DefaultBodyLimit::max(MAX_ENVELOPE_BYTES)))
        .merge(crate::links::routes().layer(DefaultBodyLimit::max(crate::links::MAX_LINK_BODY)))
        .merge(crate::check::routes().layer(DefaultBodyLimit::max(crate::check::MAX_CHECK_BODY)))
        .merge(crate::console::routes().layer(DefaultBodyLimit::max(4096)))
        .merge(crate::signer::routes());
    router = match &state.site {
        Some(dir) => {
            // Symlinks are resolved against the root as it is now; a root that cannot be
            // resolved serves nothing (every answer 404).
            let root: Arc<FsPath> = std::fs::canonicalize(dir)
                .unwrap_or_else(|_| dir.clone())
                .into();
            router.fallback_service(
                Router::new()
                    .fallback_service(
                        ServeDir::new(dir)
                            .append_index_html_on_directories(true)
                            // `<file>.br` / `<file>.gz` written by the build, with
                            // Content-Encoding and `Vary: Accept-Encoding`.
                            .precompressed_br()
                            .precompressed_gzip(),
                    )
                    .layer(middleware::from_fn(static_headers))
                    .layer(middleware::from_fn_with_state(root, confine_to_site)),
            )
        }
        None => router.fallback(not_found),
    };
    let headers = SecurityHeaders {
        frame_ancestors: state.frame_ancestors.clone(),
        hsts: state.hsts,
    };
    router
        .with_state(state)
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn_with_state(headers, security_headers))
        // 5xx answers are logged where they arise (internal errors at ERROR, shed receipts in
        // a once-a-second summary), not once more per request here.
        .layer(
            TraceLayer::new_for_http()
                .on_failure(tower_http::trace::DefaultOnFailure::new().level(tracing::Level::DEBUG)),
        )
        .layer(CatchPanicLayer::custom(panic_response))
}

async fn healthz() -> Response {
    json_response(StatusCode::OK, b"{\"status\":\"ok\"}".to_vec())
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
}

/// A body announced (Content-Length) as larger than an envelope can be is refused before a
/// byte of it is read; the connection is then closed rather than drained.
async fn declared_size(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_ENVELOPE_BYTES as u64) {
        let mut res = too_large();
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return res;
    }
    next.run(req).await
}

async fn post_receipt(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    if !content_type_ok(&headers) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Content-Type must be application/json or application/jose+json",
        ));
    }
    let body = match body {
        Ok(b) => b,
        Err(rejection) => return Ok(body_error(&rejection)),
    };
    accept(&st, body, Via::Public).await
}

/// `urn:uuid:…` or a bare UUID, in any letter case, to the canonical receipt id.
fn parse_receipt_id(raw: &str) -> Option<ReceiptId> {
    let lower = raw.to_ascii_lowercase();
    let urn = if lower.starts_with("urn:uuid:") {
        lower
    } else {
        format!("urn:uuid:{lower}")
    };
    ReceiptId::parse(&urn).ok()
}

/// `?subject=<pseudonym>`: which subject's receipt, when several subjects used one id.
type SubjectParam = axum::extract::Query<std::collections::HashMap<String, String>>;

/// The stored receipt `raw` names. A receipt id is unique per subject, so when two subjects
/// used the same id (one of them may have copied it to claim it), `?subject=` picks one and,
/// without it, the answer is `409 receipt_id_ambiguous` naming the subjects.
async fn stored(st: &AppState, raw: &str, subject: Option<&str>) -> Result<LedgerRecord, ApiError> {
    let id = parse_receipt_id(raw).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_receipt_id",
            "a receipt id is urn:uuid:<version 4 UUID> or the bare UUID",
        )
    })?;
    let mut found = st
        .store
        .get(id.as_str())
        .await
        .map_err(|e| ApiError::internal(&e))?;
    if let Some(s) = subject {
        found.retain(|r| r.entry.subject == s);
    }
    // A receipt a hotline agent recorded is the caller's, found by the caller's code alone
    // (`POST /v1/receipts/lookup`): by id it would lead, through its chain's previous receipt,
    // from one caller to every other caller the agent took (ADR 0018).
    found.retain(|r| crate::admin::receipt_only(r).is_none_or(|rc| rc.agent.is_none()));
    match found.len() {
        0 => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "receipt_not_found",
            "no receipt with this id is stored",
        )),
        1 => Ok(found.remove(0)),
        _ => Err(ApiError::new(
            StatusCode::CONFLICT,
            "receipt_id_ambiguous",
            format!(
                "{} subjects hold this receipt id; add ?subject=<pseudonym> (one of: {})",
                found.len(),
                found
                    .iter()
                    .map(|r| r.entry.subject.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The countersigned envelope: the device's payload and signature exactly as received, plus
/// the server's countersignature.
async fn get_receipt(
    State(st): State<AppState>,
    Path(raw): Path<String>,
    q: SubjectParam,
) -> Result<Response, ApiError> {
    let s = stored(&st, &raw, q.get("subject").map(String::as_str)).await?;
    Ok(no_store(json_response(StatusCode::OK, s.countersigned)))
}

/// The request body exactly as received.
async fn get_received(
    State(st): State<AppState>,
    Path(raw): Path<String>,
    q: SubjectParam,
) -> Result<Response, ApiError> {
    let s = stored(&st, &raw, q.get("subject").map(String::as_str)).await?;
    Ok(no_store(json_response(StatusCode::OK, s.received)))
}

/// The ledger head, signed now with the server key.
async fn ledger_head(State(st): State<AppState>) -> Result<Response, ApiError> {
    let head = st.store.head().await.map_err(|e| ApiError::internal(&e))?;
    let body = signed_head(&st, head.size, head.hash).into_bytes();
    Ok(no_store(json_response(StatusCode::OK, body)))
}

/// A signed head envelope (JWS general JSON, one signature).
pub(crate) fn signed_head(
    st: &AppState,
    size: u64,
    hash: consentry_core::encoding::Sha256Digest,
) -> String {
    let head = LedgerHead {
        log_id: st.log_id.to_string(),
        size,
        hash,
        time: (st.clock)(),
    };
    let protected = LedgerHead::protected_header(st.signer.kid());
    let payload = b64url(&head.payload_bytes());
    let signature = st
        .signer
        .sign(signing_input(&protected, &payload).as_bytes());
    Jws {
        payload,
        signatures: vec![JwsSignature {
            protected,
            signature,
        }],
    }
    .to_json()
}

async fn keys_json(State(st): State<AppState>) -> Response {
    let mut res = json_response(StatusCode::OK, st.jwks.as_bytes().to_vec());
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    res
}

/// Whether the last path segment carries a content hash: `name.<12+ lowercase hex>.ext`
/// (`consentry_bg.9f01d516b1cc.wasm`, `notice.en.cb9e1e20e05e.json`).
pub fn is_content_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let mut parts = file.rsplit('.');
    let (Some(_ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty()
        && hash.len() >= 12
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Static-file headers: the media types browsers insist on (streaming wasm compilation needs
/// `application/wasm`, module scripts a JavaScript type) and the cache lifetime.
async fn static_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let lower = path.to_ascii_lowercase();
    let forced = if lower.ends_with(".wasm") {
        Some("application/wasm")
    } else if lower.ends_with(".js") || lower.ends_with(".mjs") {
        Some("text/javascript")
    } else {
        None
    };
    let mut res = next.run(req).await;
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        let headers = res.headers_mut();
        if let Some(ct) = forced {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        let cache = if is_content_hashed(&path) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    res
}

/// Answers 404 for a static path that names a dotfile or dot-directory (`.env`, `.git/…`,
/// percent-encoded too) or that resolves, through a symlink, to a file outside the site root:
/// the static service otherwise follows both.
async fn confine_to_site(State(root): State<Arc<FsPath>>, req: Request, next: Next) -> Response {
    let raw = req.uri().path().to_owned();
    let allowed = tokio::task::spawn_blocking(move || confined(&root, &raw))
        .await
        .unwrap_or(false);
    if allowed {
        next.run(req).await
    } else {
        error_response(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }
}

/// Whether the URL path `raw` may be served from `root` (canonical): no segment starts with a
/// dot once percent-decoded, and every file the static service could answer with (the file,
/// its `.br` / `.gz` siblings, a directory's `index.html`) resolves inside `root`.
pub fn confined(root: &FsPath, raw: &str) -> bool {
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return false;
    };
    let mut rel = PathBuf::new();
    for seg in decoded.split(['/', '\\']) {
        if seg.is_empty() {
            continue;
        }
        if seg.starts_with('.') || seg.contains('\0') {
            return false;
        }
        rel.push(seg);
    }
    let base = root.join(&rel);
    let mut candidates = vec![base.clone(), base.join("index.html")];
    for c in [base.clone(), base.join("index.html")] {
        for ext in ["br", "gz"] {
            let mut s = c.clone().into_os_string();
            s.push(".");
            s.push(ext);
            candidates.push(PathBuf::from(s));
        }
    }
    candidates
        .iter()
        .all(|c| match std::fs::symlink_metadata(c) {
            // Absent: the static service answers 404 itself.
            Err(_) => true,
            Ok(_) => std::fs::canonicalize(c).is_ok_and(|real| real.starts_with(root)),
        })
}

/// The headers every answer carries, from the server's options.
#[derive(Clone)]
struct SecurityHeaders {
    frame_ancestors: Arc<str>,
    hsts: bool,
}

/// Security headers on every answer (API, static files, errors), unless the handler set its
/// own: `Content-Security-Policy` with `frame-ancestors` (and `default-src 'none'` on anything
/// but HTML, whose page sets its own policy), `X-Frame-Options: DENY` while no origin may
/// frame the pages, `Referrer-Policy: no-referrer`, and with `--hsts`
/// `Strict-Transport-Security`. A page of this server framed by another site could have its
/// buttons clicked by that site (clickjacking "Accept all").
async fn security_headers(State(h): State<SecurityHeaders>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    // Pages set their own policy. An answer without a body type (a `304 Not Modified` of a
    // page, revalidating it on reload) gets no `default-src` either: the browser would merge
    // it into the cached page's headers and block the page's own scripts.
    let page_or_untyped = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/html"));
    let csp = if page_or_untyped {
        format!("frame-ancestors {}", h.frame_ancestors)
    } else {
        format!("default-src 'none'; frame-ancestors {}", h.frame_ancestors)
    };
    let headers = res.headers_mut();
    // A handler that sets its own policy (the signing frame's page) decides its framing.
    let own_policy = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    if let Ok(v) = HeaderValue::from_str(&csp) {
        headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(v);
    }
    if &*h.frame_ancestors == "'none'" && !own_policy {
        headers
            .entry(header::X_FRAME_OPTIONS)
            .or_insert(HeaderValue::from_static("DENY"));
    }
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("no-referrer"));
    if h.hsts {
        headers
            .entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static(
                "max-age=63072000; includeSubDomains",
            ));
    }
    res
}

/// Turns any error response that is not already JSON (axum's own rejections, the static file
/// service's 404 / 405) into the JSON error shape. Adds `X-Content-Type-Options: nosniff`.
async fn json_errors(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return res;
    }
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no such resource"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "method not allowed here"),
        StatusCode::PAYLOAD_TOO_LARGE => ("body_too_large", "the request body is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "unsupported media type"),
        StatusCode::FORBIDDEN => ("forbidden", "forbidden"),
        s if s.is_server_error() => {
            tracing::error!(status = s.as_u16(), "internal error response");
            ("internal", "internal error")
        }
        _ => ("bad_request", "the request could not be processed"),
    };
    let mut out = error_response(status, code, message);
    if let Some(allow) = res.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    out
}

fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(non-string panic)");
    tracing::error!(panic = detail, "handler panicked");
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "internal error",
    )
}
