//! Unlinking one person's identifier while carrying out their erasure request (issue 15
//! item 8, ADR 0019):
//!
//! ```text
//! POST /console/api/requests/unlink   (DPO; CSRF)
//!   {"request_id", "subject", "identifier": {"kind": "phone"|"email"|"customer"|"ticket",
//!    "value": "…"}}
//!   200 {"key_destroyed": bool, "matches_request": bool}
//! ```
//!
//! The identifier's own key is destroyed and its legacy reference marked unlinked
//! (`crate::subject_keys`): its receipts stay in the ledger, verifiable, and nobody can tell
//! any more that they are this identifier's; `POST /v1/consent/check` for it finds nothing
//! (so nothing is allowed) until the person consents again, under a new reference.
//!
//! Only for an erasure request that was not refused. The identifier is the DPO's to name (a
//! person may have a phone number, an e-mail address and a customer number): whether it is
//! the one the request's own receipt was linked to is said in the answer and in the audit
//! trail, which records every unlinking with the request, never the identifier itself.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use consentry_core::json::{self, Value};

use crate::AppState;
use crate::console::{ClientIp, Role, blocking, no_store};
use crate::http::{ApiError, json_response};

/// The longest body.
const MAX_BODY: usize = 4096;

/// The route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/console/api/requests/unlink", post(unlink))
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", msg)
}

/// Request id, subject, identifier kind and value.
fn read_body(body: &[u8]) -> Result<(String, String, String, String), ApiError> {
    if body.len() > MAX_BODY {
        return Err(bad(format!("the body is over {MAX_BODY} bytes")));
    }
    let v = json::parse(body).map_err(|e| bad(format!("the body is not JSON: {e}")))?;
    let Value::Obj(fields) = &v else {
        return Err(bad("the body must be a JSON object"));
    };
    if let Some((k, _)) = fields
        .iter()
        .find(|(k, _)| !matches!(k.as_str(), "request_id" | "subject" | "identifier"))
    {
        return Err(bad(format!("unknown member {k:?}")));
    }
    let text = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| bad(format!("{k} must be a string")))
    };
    let id = v
        .get("identifier")
        .ok_or_else(|| bad("identifier is required"))?;
    Ok((
        text(&v, "request_id")?,
        text(&v, "subject")?,
        text(id, "kind")?,
        text(id, "value")?,
    ))
}

async fn unlink(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let route = "/console/api/requests/unlink";
    let (store, session) =
        crate::console::require_post(&st, &headers, &ip, route, &[Role::Dpo]).await?;
    let (id, subject, kind, value) = read_body(&body).map_err(IntoResponse::into_response)?;
    let key = st.sref_key.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "links_disabled",
            "this server has no subject-reference key: no identifier is linked",
        )
        .into_response()
    })?;
    let request = {
        let (s, id, subject) = (store.clone(), id.clone(), subject.clone());
        blocking(move || s.request(&id, &subject)).await?
    };
    let Some(request) = request else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "request_unknown",
            "no request with this id and subject",
        )
        .into_response());
    };
    if request.kind != "erasure" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_erasure",
            format!(
                "this is a request for {}: identifiers are unlinked only to carry out an erasure",
                request.kind
            ),
        )
        .into_response());
    }
    if request.status() == "refused" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "request_refused",
            "this erasure request was refused: nothing is unlinked for it",
        )
        .into_response());
    }
    // Whether the identifier is the request's own, read before its key is gone.
    let before = crate::links::references(&st, &key, &kind, &value, false)
        .await
        .map_err(IntoResponse::into_response)?;
    let matches = request
        .sref
        .as_deref()
        .is_some_and(|r| before.all().contains(&r));
    let destroyed = crate::links::unlink(&st, &key, &kind, &value)
        .await
        .map_err(IntoResponse::into_response)?;
    let now = (st.clock)();
    let detail = format!(
        "request {id}: a {kind} identifier ({}){}",
        if matches {
            "the one the request's receipt is linked to"
        } else {
            "another identifier of the person"
        },
        if destroyed {
            ", its key destroyed"
        } else {
            ", it had no key of its own"
        }
    );
    let who = session.username;
    blocking(move || store.audit(now, &who, "unlink", &detail, &ip)).await?;
    let answer = Value::object([
        ("key_destroyed", Value::Bool(destroyed)),
        ("matches_request", Value::Bool(matches)),
    ]);
    Ok(no_store(json_response(
        StatusCode::OK,
        json::to_canonical_string(&answer).into_bytes(),
    )))
}
