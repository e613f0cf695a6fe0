//! The one way a receipt gets in: admitted, verified, checked (link, agent key), logged and
//! answered (`accept`), for `POST /v1/receipts` (`crate::api`) and the console's hotline route
//! (`crate::hotline`), with the answers both give. A module of its own so that the routes that
//! hand receipts in depend on it, and it on none of them.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use consentry_core::json::{self, Value};
use consentry_core::receipt::countersign::ChainTip;
use consentry_core::receipt::jws::MAX_ENVELOPE_BYTES;
use consentry_core::receipt::verify::VerifyError;

use crate::AppState;
use crate::db::StoreError;
use crate::http::{ApiError, json_response};
use crate::ingest::VerifyJobError;
use crate::store::{AppendOutcome, LedgerRecord, NewReceipt};

/// Media types accepted for `POST /v1/receipts` (and `/v1/requests`).
pub const ACCEPTED_CONTENT_TYPES: [&str; 2] = ["application/json", "application/jose+json"];

/// `Retry-After` (seconds) of a `503 notice_pending`.
pub const NOTICE_PENDING_RETRY_AFTER: &str = "60";

/// Who hands a receipt in.
#[derive(Clone, Copy, Debug)]
pub enum Via<'a> {
    /// `POST /v1/receipts`: a device. An agent's receipt is refused here.
    Public,
    /// The console's hotline route: the signed-in agent with this agent id.
    Agent(&'a str),
}

/// Admits, verifies, checks and logs one receipt envelope: the one ingest path of
/// `POST /v1/receipts` and the console's hotline route (`crate::hotline`).
pub(crate) async fn accept(st: &AppState, body: Bytes, via: Via<'_>) -> Result<Response, ApiError> {
    let st = st.clone();
    // Admission after the body is in, so slow clients never hold a permit.
    let Some(_permit) = st.ingest.admit() else {
        return Ok(overloaded(&st, "in-flight limit"));
    };

    let verified = match st.ingest.verify(body.clone(), st.policy.load()).await {
        Ok(v) => v,
        Err(VerifyJobError::Refused(e @ VerifyError::NoticeVersionUnknown { .. })) => {
            return Ok(notice_pending(&e));
        }
        Err(VerifyJobError::Refused(e)) => {
            let status = if e.is_malformed_envelope() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            tracing::info!(code = e.code(), "receipt refused");
            return Err(ApiError::new(status, e.code(), e.to_string()));
        }
        Err(VerifyJobError::PoolGone) => {
            return Err(ApiError::internal(&"the verifier threads are gone"));
        }
    };

    // An agent's receipt comes only through the agent's own signed-in session, and only an
    // agent's receipt does: a device cannot pass for the hotline, nor the hotline for a device.
    if matches!(via, Via::Public)
        && let Some(console) = st.console.clone()
    {
        // Nor does an agent's key sign anything else: a stolen or revoked workstation key must
        // not go on logging receipts as if it were a visitor's device.
        let kid = verified.kid().to_owned();
        let agent_key = tokio::task::spawn_blocking(move || console.is_agent_key(&kid))
            .await
            .map_err(|e| ApiError::internal(&e))?
            .map_err(|e| ApiError::internal(&e))?;
        if agent_key {
            tracing::info!(code = "agent_receipt_refused", "receipt refused");
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "agent_receipt_refused",
                "this key is a hotline agent's: it signs that agent's hotline receipts only",
            ));
        }
    }
    match (via, &verified.receipt().agent) {
        (Via::Public, None) => {}
        (Via::Agent(id), Some(a)) if a.agent_id == id => {}
        (Via::Public, Some(_)) => {
            tracing::info!(code = "agent_receipt_refused", "receipt refused");
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "agent_receipt_refused",
                "a receipt an agent recorded is handed in through the console, by that agent",
            ));
        }
        (Via::Agent(_), _) => {
            tracing::info!(code = "agent_mismatch", "receipt refused");
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "agent_mismatch",
                "the receipt is not one this agent recorded",
            ));
        }
    }
    // A link token binds the receipt to a person and a ticket: only one this server signed,
    // received before it expired (the countersignature's time is the clock's now). An agent's
    // key must be the agent's, registered and not revoked.
    let now = (st.clock)();
    if verified.receipt().agent.is_some() {
        let keys = crate::links::all_keys(&st).await?;
        if let Err(e) = consentry_core::receipt::verify::check_agent(verified.receipt(), &keys, now)
        {
            if let Some(again) = resent(&st, &verified, &body).await? {
                return Ok(again);
            }
            tracing::info!(code = e.code(), "receipt refused");
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.code(),
                e.to_string(),
            ));
        }
    }
    if let Some(token) = &verified.receipt().link {
        let keys = crate::links::key_set(&st)?;
        if let Err(e) = consentry_core::receipt::verify::check_receipt_link(
            verified.receipt(),
            token,
            &keys,
            now,
        ) {
            if let Some(again) = resent(&st, &verified, &body).await? {
                return Ok(again);
            }
            tracing::info!(code = e.code(), "receipt refused");
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.code(),
                e.to_string(),
            ));
        }
        // A link whose person was unlinked since it was issued (an erasure, ADR 0019) makes no
        // new receipt under the ended reference: the person is asked again under a new link.
        let sref = consentry_core::receipt::link::parse(token)
            .map(|t| t.claims.sref)
            .unwrap_or_default();
        if crate::links::is_unlinked(&st, &sref).await? {
            if let Some(again) = resent(&st, &verified, &body).await? {
                return Ok(again);
            }
            tracing::info!(code = "link_unlinked", "receipt refused");
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "link_unlinked",
                "this link names a person whose identifier was unlinked after an erasure \
                 request: ask for a new link",
            ));
        }
        crate::links::claim(&st, token, &verified.receipt().subject).await?;
    }
    // The body is stored and served as received: a device sends its own signature alone, and
    // countersignatures are this server's to add (else any client could park junk in the log).
    if verified.signature_count() != 1 {
        tracing::info!(code = "extra_signatures", "receipt refused");
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "extra_signatures",
            format!(
                "the envelope carries {} signatures: send the device signature alone",
                verified.signature_count()
            ),
        ));
    }
    let new = NewReceipt::new(verified, &body, now);
    let receipt_id = new.receipt_id().to_owned();
    match st.store.append(new).await {
        Ok(AppendOutcome::Inserted(s)) => {
            tracing::info!(
                receipt_id = %receipt_id,
                index = s.entry.index,
                subject_chain = s.entry.subject_chain.as_str(),
                "receipt stored"
            );
            let body = crate::tlog_http::with_proof(&st, stored_body(&s), s.entry.index).await;
            let mut res = json_response(StatusCode::CREATED, body);
            // With the subject: the id alone may be shared with another subject's receipt.
            let loc = format!("/v1/receipts/{receipt_id}?subject={}", s.entry.subject);
            if let Ok(loc) = HeaderValue::from_str(&loc) {
                res.headers_mut().insert(header::LOCATION, loc);
            }
            Ok(res)
        }
        Ok(AppendOutcome::AlreadyStored(s)) => {
            tracing::info!(%receipt_id, "receipt resent; already stored");
            let body = crate::tlog_http::with_proof(&st, stored_body(&s), s.entry.index).await;
            Ok(json_response(StatusCode::OK, body))
        }
        Ok(AppendOutcome::Conflict) => {
            tracing::warn!(%receipt_id, "receipt id reused with different bytes");
            Err(ApiError::new(
                StatusCode::CONFLICT,
                "receipt_conflict",
                "this subject already has a different receipt with this receipt id",
            ))
        }
        Ok(AppendOutcome::ChainConflict(tip)) => {
            tracing::info!(%receipt_id, code = "chain_conflict", "receipt refused");
            Ok(chain_conflict(tip.as_ref()))
        }
        Err(StoreError::Overloaded) => Ok(overloaded(&st, "write queue full")),
        Err(e) => Err(ApiError::internal(&e)),
    }
}

/// The answer to a receipt refused by a check that depends on the time (its link expired, its
/// agent's key was revoked) when these very bytes were taken before, while the check held: a
/// resend whose first answer was lost is "stored", not a refusal the sender would read as "not
/// recorded". Nothing is added to the ledger. Looked up only after such a refusal, so the
/// ingest path pays nothing for it.
async fn resent(
    st: &AppState,
    verified: &consentry_core::receipt::verify::VerifiedReceipt,
    body: &[u8],
) -> Result<Option<Response>, ApiError> {
    let r = verified.receipt();
    let records = st
        .store
        .get(r.receipt_id.as_str())
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let Some(s) = records
        .into_iter()
        .find(|s| s.entry.subject == r.subject && s.received == body)
    else {
        return Ok(None);
    };
    tracing::info!(receipt_id = %s.entry.receipt_id.as_str(), "receipt resent after a time-bound check lapsed; already stored");
    let answer = crate::tlog_http::with_proof(st, stored_body(&s), s.entry.index).await;
    Ok(Some(json_response(StatusCode::OK, answer)))
}

/// The answer to a stored receipt: the same for the first POST and every byte-identical
/// resend. Canonical JSON; the countersigned envelope (itself canonical) is spliced in as is.
pub(crate) fn stored_body(r: &LedgerRecord) -> Vec<u8> {
    let e = &r.entry;
    let mut out = Vec::with_capacity(r.countersigned.len() + 320);
    out.extend_from_slice(b"{\"ledger_index\":");
    out.extend_from_slice(e.index.to_string().as_bytes());
    out.extend_from_slice(b",\"receipt\":");
    out.extend_from_slice(&r.countersigned);
    let rest = json::to_canonical_string(&Value::object([
        ("receipt_id", Value::str(e.receipt_id.as_str())),
        ("receipt_sha256", Value::str(e.receipt_sha256.to_hex())),
        ("received_at", Value::str(e.received_at.to_rfc3339())),
        ("status", Value::str("stored")),
        ("subject_chain", Value::str(e.subject_chain.as_str())),
    ]));
    // `rest` is `{"receipt_id":…}`: its members follow "receipt" in canonical order.
    out.push(b',');
    out.extend_from_slice(&rest.as_bytes()[1..]);
    out
}

pub(crate) fn content_type_ok(headers: &HeaderMap) -> bool {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim();
    ACCEPTED_CONTENT_TYPES
        .iter()
        .any(|t| t.eq_ignore_ascii_case(essence))
}

/// `503 overloaded` with `Retry-After: 1`: the receipt was not taken (nothing stored); the
/// client should send the same bytes again later.
pub(crate) fn overloaded(st: &AppState, why: &'static str) -> Response {
    st.ingest.note_shed(why);
    let mut res = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "overloaded",
        "the server is at capacity and did not take this receipt; send it again later",
    )
    .into_response();
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    res
}

/// `503 notice_pending` with `Retry-After`: the receipt names a notice version this server
/// has not loaded (yet). It may be published after the page that showed it was built, so the
/// client keeps the receipt and sends it again; nothing was stored. A digest that does not
/// match a version the server knows stays a final `422 notice_unknown`.
pub(crate) fn notice_pending(e: &VerifyError) -> Response {
    tracing::info!(code = "notice_pending", error = %e, "receipt for an unpublished notice version");
    let mut res = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "notice_pending",
        format!("{e}: the receipt was not stored; send it again once that version is published"),
    )
    .into_response();
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(NOTICE_PENDING_RETRY_AFTER),
    );
    res
}

pub(crate) fn body_error(rejection: &BytesRejection) -> Response {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    if crate::serve::is_body_timeout(rejection) {
        tracing::info!("request body too slow; connection closed");
        let mut res = ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body_timeout",
            "the request body did not arrive in time",
        )
        .into_response();
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return res;
    }
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "body_unreadable",
        "the request body could not be read (cut short or malformed framing)",
    )
    .into_response()
}

pub(crate) fn too_large() -> Response {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        format!("a receipt envelope is at most {MAX_ENVELOPE_BYTES} bytes"),
    )
    .into_response()
}

/// `409 chain_conflict`: the receipt does not continue its subject's chain for its notice.
/// Only the holder of the device key gets here (the signature was verified), so the answer
/// says what the next receipt must continue: `error.expected` holds `subject_seq` and, after
/// the first receipt, `prev_receipt_id` and `prev_receipt_sha256`.
pub(crate) fn chain_conflict(tip: Option<&ChainTip>) -> Response {
    let message = match tip {
        None => "the subject has no receipt for this notice yet: the first one has \
                 subject_seq 0 and no previous receipt"
            .to_owned(),
        Some(t) => match t.next_seq() {
            Some(n) => format!(
                "the receipt does not continue the subject's chain: it must name {} as its \
                 previous receipt and have subject_seq {n}",
                t.receipt_id.as_str()
            ),
            None => "the subject's chain for this notice cannot grow further".to_owned(),
        },
    };
    let body = json::to_canonical_string(&Value::object([(
        "error",
        Value::object([
            ("code", Value::str("chain_conflict")),
            ("expected", ChainTip::expected_value(tip)),
            ("message", Value::str(message)),
        ]),
    )]));
    json_response(StatusCode::CONFLICT, body.into_bytes())
}
