//! Unlinking one person's identifier while carrying out their erasure request (issue 15
//! item 8, ADR 0019):
//!
//! ```text
//! POST /console/api/requests/unlink   (DPO; CSRF)
//!   {"request_id", "subject", "identifier": {"kind": "phone"|"email"|"customer"|"ticket",
//!    "value": "…"}, "confirm": true|false, "reason": "…" (when it is not the request's own)}
//!   without confirm: 200 {"preview": true, "has_key", "receipts", "matches_request"}
//!   with confirm:    200 {"preview": false, "key_destroyed", "disk_clean", "receipts",
//!                         "matches_request"}
//! ```
//!
//! The identifier's own key is destroyed and the references it ends are recorded as unlinked
//! (`crate::subject_keys`): its receipts stay in the ledger, verifiable, and nobody can tell
//! any more that they are this identifier's; `POST /v1/consent/check` for it finds nothing
//! (so nothing is allowed) until the person consents again, under a new reference, and a link
//! issued before makes no new receipt.
//!
//! Only for an erasure request that was not refused, and in two steps, because it cannot be
//! undone: first a preview (does the identifier have a key here, how many receipts carry it,
//! is it the one the request's receipt is linked to), then the unlinking with `confirm`. The
//! identifier is the DPO's to name (a person may have a phone number, an e-mail address and
//! a customer number); one that is not the request's own needs a `reason`. Every preview and
//! every unlinking is in the audit trail with the request, never the identifier; the
//! unlinking's row is written before anything is destroyed, and its result after.

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

/// What the DPO asks.
struct Ask {
    id: String,
    subject: String,
    kind: String,
    value: String,
    confirm: bool,
    reason: Option<String>,
}

/// The longest reason.
const MAX_REASON: usize = 500;

fn read_body(body: &[u8]) -> Result<Ask, ApiError> {
    if body.len() > MAX_BODY {
        return Err(bad(format!("the body is over {MAX_BODY} bytes")));
    }
    let v = json::parse(body).map_err(|e| bad(format!("the body is not JSON: {e}")))?;
    let Value::Obj(fields) = &v else {
        return Err(bad("the body must be a JSON object"));
    };
    if let Some((k, _)) = fields.iter().find(|(k, _)| {
        !matches!(
            k.as_str(),
            "request_id" | "subject" | "identifier" | "confirm" | "reason"
        )
    }) {
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
    let confirm = match v.get("confirm") {
        None => false,
        Some(c) => c
            .as_bool()
            .ok_or_else(|| bad("confirm must be true or false"))?,
    };
    let reason = match v.get("reason") {
        None | Some(Value::Null) => None,
        Some(r) => {
            let r = r
                .as_str()
                .ok_or_else(|| bad("reason must be a string"))?
                .trim();
            if r.chars().count() > MAX_REASON {
                return Err(bad(format!("a reason is at most {MAX_REASON} characters")));
            }
            (!r.is_empty()).then(|| r.to_owned())
        }
    };
    Ok(Ask {
        id: text(&v, "request_id")?,
        subject: text(&v, "subject")?,
        kind: text(id, "kind")?,
        value: text(id, "value")?,
        confirm,
        reason,
    })
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
    let ask = read_body(&body).map_err(IntoResponse::into_response)?;
    let (id, kind, value) = (ask.id.clone(), ask.kind.clone(), ask.value.clone());
    let key = st.sref_key.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "links_disabled",
            "this server has no subject-reference key: no identifier is linked",
        )
        .into_response()
    })?;
    let request = {
        let (s, id, subject) = (store.clone(), ask.id.clone(), ask.subject.clone());
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
    // What the identifier is here, read before anything is destroyed.
    let refs = crate::links::references(&st, &key, &kind, &value, false)
        .await
        .map_err(IntoResponse::into_response)?;
    let matches = request
        .sref
        .as_deref()
        .is_some_and(|r| refs.all().contains(&r));
    let receipts = crate::links::linked_count(&st, &refs)
        .await
        .map_err(IntoResponse::into_response)?;
    let whose = if matches {
        "the one the request's receipt is linked to"
    } else {
        "not the one the request's receipt is linked to"
    };
    let found = format!(
        "{}, {receipts} receipt{}",
        if refs.current.is_some() {
            "a key of its own"
        } else {
            "no key of its own"
        },
        if receipts == 1 { "" } else { "s" }
    );
    let now = (st.clock)();
    let who = session.username.clone();
    let audit = |action: &'static str, detail: String| {
        let (store, who, ip) = (store.clone(), who.clone(), ip.clone());
        async move { blocking(move || store.audit(now, &who, action, &detail, &ip)).await }
    };
    let int = |n: usize| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
    if !ask.confirm {
        audit(
            "unlink_preview",
            format!("request {id}: a {kind} identifier ({whose}): {found}"),
        )
        .await?;
        return Ok(answer(&Value::object([
            ("preview", Value::Bool(true)),
            ("has_key", Value::Bool(refs.current.is_some())),
            ("receipts", int(receipts)),
            ("matches_request", Value::Bool(matches)),
        ])));
    }
    if !matches && ask.reason.is_none() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "reason_required",
            "this identifier is not the one the request's receipt is linked to: say why it is \
             the person's (the reason goes into the audit trail)",
        )
        .into_response());
    }
    // Written before anything is destroyed: no unlinking without its row.
    audit(
        "unlink",
        format!(
            "request {id}: a {kind} identifier ({whose}): {found}{}",
            ask.reason
                .as_deref()
                .map_or_else(String::new, |r| format!("; reason: {r}"))
        ),
    )
    .await?;
    let done = match crate::links::unlink(&st, &key, &kind, &value).await {
        Ok(d) => d,
        Err(e) => {
            let _ = audit(
                "unlink_failed",
                format!("request {id}: nothing was unlinked"),
            )
            .await;
            return Err(e.into_response());
        }
    };
    audit(
        "unlink_done",
        format!(
            "request {id}: {}; {}",
            if done.key_destroyed {
                "its key is destroyed"
            } else {
                "it had no key of its own left"
            },
            if done.disk_clean {
                "gone from the database's files"
            } else {
                "its bytes go at the database's next checkpoint"
            }
        ),
    )
    .await?;
    Ok(answer(&Value::object([
        ("preview", Value::Bool(false)),
        ("key_destroyed", Value::Bool(done.key_destroyed)),
        ("disk_clean", Value::Bool(done.disk_clean)),
        ("receipts", int(receipts)),
        ("matches_request", Value::Bool(matches)),
    ])))
}

fn answer(v: &Value) -> Response {
    no_store(json_response(
        StatusCode::OK,
        json::to_canonical_string(v).into_bytes(),
    ))
}
