//! "May I?" for backend systems: `POST /v1/consent/check` (issue 15, item 5).
//!
//! A system that records calls, keeps chat transcripts or sends mail asks, before it keeps
//! anything, whether a subject allows a purpose, and keeps the signed answer as evidence that
//! it asked. It authenticates with a service token (`Authorization: Bearer cst_…`) that names
//! the purposes it may ask about; the server is started with the tokens' file
//! (`--service-tokens FILE`, written by `consentry-server service-token add`), which holds
//! each token's SHA-256 only, so the file (or a copy of it) does not let anyone ask.
//!
//! ```text
//! POST /v1/consent/check   {"subject": "<pseudonym>", "purpose": "<purpose id>",
//!                           "notice_id": "<optional: the notice to answer under>"}
//! 200 {"answer": {allowed, reason, subject, purpose, notice_id, notice_version, locale,
//!                 regime, region, state, receipt_id, since, since_receipt_id, checked_at,
//!                 service, kid},
//!      "jws": "<compact ES256 JWS of the answer's canonical JSON, by the server's key>"}
//! ```
//! The rule is core's ([`may_process`]): the last receipt the server logged for the subject
//! holds the decision; allowed for `given`, `not_objected` and a required purpose, never when the
//! latest receipt does not continue the chain. The JWS header names the key (`kid`, in `/.well-known/consentry/keys.json`)
//! and `typ: consentry-check+jws`, so an answer is never mistaken for a countersignature.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use consentry_core::encoding::b64url;
use consentry_core::ids::PurposeId;
use consentry_core::json::{self, Value};
use consentry_core::receipt::ledger::may_process;

use crate::AppState;
use crate::http::{ApiError, json_response};

/// The JWS `typ` of a signed answer.
pub const CHECK_TYP: &str = "consentry-check+jws";

/// Largest request body (a subject, a purpose id and a notice id).
pub const MAX_CHECK_BODY: usize = 1024;

use crate::services::unauthorized;
pub use crate::services::{Service, ServiceTokens, TOKEN_PREFIX, new_token};

/// The route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/consent/check", post(check))
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_check", msg)
}

/// Whom a check is about.
enum Who {
    /// A device pseudonym (a receipt's `subject`).
    Subject(String),
    /// An identifier the operation knows (`{"kind","value"}`), answered by its subject
    /// reference across every channel (ADR 0017).
    Identifier(String, String),
}

/// `subject` or `identifier`, `purpose` and the optional `notice_id` of a request, checked.
fn parse_request(body: &[u8]) -> Result<(Who, PurposeId, Option<String>), ApiError> {
    if body.len() > MAX_CHECK_BODY {
        return Err(bad(format!("the body is over {MAX_CHECK_BODY} bytes")));
    }
    let v = json::parse(body).map_err(|e| bad(format!("the body is not JSON: {e}")))?;
    let Value::Obj(fields) = &v else {
        return Err(bad("the body must be a JSON object"));
    };
    for (k, _) in fields {
        if !matches!(
            k.as_str(),
            "subject" | "identifier" | "purpose" | "notice_id"
        ) {
            return Err(bad(format!(
                "unknown field {k:?} (known: subject, identifier, purpose, notice_id)"
            )));
        }
    }
    let who = match (v.get("subject"), v.get("identifier")) {
        (Some(s), None) => Who::Subject(
            s.as_str()
                .filter(|s| {
                    !s.is_empty()
                        && s.len() <= 128
                        && s.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                })
                .ok_or_else(|| {
                    bad("subject must be the subject's pseudonym (base64url, 1–128 characters)")
                })?
                .to_owned(),
        ),
        (None, Some(id)) => {
            let field = |k: &str| {
                id.get(k)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| bad(format!("identifier.{k} must be a string")))
            };
            Who::Identifier(field("kind")?, field("value")?)
        }
        _ => return Err(bad("give subject or identifier, not both")),
    };
    let purpose = v
        .get("purpose")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("purpose must be a purpose id"))
        .and_then(|p| PurposeId::parse(p).map_err(|e| bad(format!("purpose: {e}"))))?;
    let notice_id = match v.get("notice_id") {
        None | Some(Value::Null) => None,
        Some(n) => Some(
            n.as_str()
                .filter(|n| !n.is_empty() && n.len() <= 128)
                .ok_or_else(|| bad("notice_id must be a notice id"))?
                .to_owned(),
        ),
    };
    Ok((who, purpose, notice_id))
}

async fn check(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let Some(tokens) = st.service_tokens.as_deref() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "check_disabled",
            "consent checks are disabled: start the server with --service-tokens",
        )
        .into_response());
    };
    let Some(service) = crate::services::from_headers(tokens, &headers) else {
        tracing::warn!("consent check without a valid service token");
        return Err(unauthorized());
    };
    let (who, purpose, notice_id) = parse_request(&body).map_err(IntoResponse::into_response)?;
    if !service.purposes.iter().any(|p| p == purpose.as_str()) {
        tracing::warn!(service = %service.name, purpose = %purpose.as_str(), "consent check out of scope");
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "purpose_out_of_scope",
            format!(
                "service {:?} may ask about {} only",
                service.name,
                service.purposes.join(", ")
            ),
        )
        .into_response());
    }
    let (subject, sref, records) = match who {
        Who::Subject(s) => {
            let records = crate::admin::subject_history(&st, &s, notice_id.as_deref())
                .await
                .map_err(IntoResponse::into_response)?;
            (Some(s), None, records)
        }
        Who::Identifier(kind, value) => {
            let key = st.sref_key.as_ref().ok_or_else(|| {
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "links_disabled",
                    "this server has no subject-reference key",
                )
                .into_response()
            })?;
            // The identifier goes no further than this line: not into the answer, not into
            // a log.
            // A check never makes a key: an identifier that has none has no receipt.
            let refs = crate::links::references(&st, key, &kind, &value, false)
                .await
                .map_err(IntoResponse::into_response)?;
            let records = crate::links::history(&st, &refs, notice_id.as_deref())
                .await
                .map_err(IntoResponse::into_response)?;
            // The reference the answer speaks for: none when no receipt carries it.
            let sref = if records.is_empty() {
                None
            } else {
                refs.current.or(refs.legacy)
            };
            (None, sref, records)
        }
    };
    let history = crate::admin::history_items(&records);
    let ans = may_process(&history, &purpose, notice_id.as_deref());
    let checked_at = (st.clock)();
    let signer = st.signer.clone();
    let opt = |v: Option<String>| v.map_or(Value::Null, Value::str);
    let current = ans.current.map(|h| h.receipt);
    let answer = Value::object([
        ("allowed", Value::Bool(ans.reason.allowed())),
        ("reason", Value::str(ans.reason.as_str())),
        ("subject", opt(subject)),
        ("subject_ref", opt(sref)),
        ("purpose", Value::str(purpose.as_str())),
        (
            "notice_id",
            opt(current
                .map(|r| r.notice.notice_id.as_str().to_owned())
                .or(notice_id)),
        ),
        (
            "notice_version",
            opt(current.map(|r| r.notice.version.clone())),
        ),
        (
            "locale",
            opt(current.map(|r| r.notice.locale.as_str().to_owned())),
        ),
        (
            "regime",
            opt(current.map(|r| r.jurisdiction.regime.as_str().to_owned())),
        ),
        (
            "region",
            opt(current
                .and_then(|r| r.jurisdiction.region.as_ref())
                .map(|c| c.as_str().to_owned())),
        ),
        ("state", opt(ans.state.map(|s| s.as_str().to_owned()))),
        (
            "receipt_id",
            opt(current.map(|r| r.receipt_id.as_str().to_owned())),
        ),
        ("since", opt(ans.since.map(|h| h.received_at.to_rfc3339()))),
        (
            "since_receipt_id",
            opt(ans.since.map(|h| h.receipt.receipt_id.as_str().to_owned())),
        ),
        ("checked_at", Value::str(checked_at.to_rfc3339())),
        ("service", Value::str(service.name.clone())),
        ("kid", Value::str(signer.kid())),
    ]);
    let payload = json::to_canonical_string(&answer);
    let header = json::to_canonical_string(&Value::object([
        ("alg", Value::str("ES256")),
        ("kid", Value::str(signer.kid())),
        ("typ", Value::str(CHECK_TYP)),
    ]));
    let input = format!(
        "{}.{}",
        b64url(header.as_bytes()),
        b64url(payload.as_bytes())
    );
    let jws = format!("{input}.{}", signer.sign(input.as_bytes()));
    tracing::info!(
        service = %service.name,
        purpose = %purpose.as_str(),
        allowed = ans.reason.allowed(),
        reason = ans.reason.as_str(),
        "consent check"
    );
    let body = format!("{{\"answer\":{payload},\"jws\":\"{jws}\"}}");
    let mut res = json_response(StatusCode::OK, body.into_bytes());
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}
