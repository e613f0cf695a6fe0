//! Compliance endpoints: queries, exports and the current consent state of a subject.
//!
//! Receipts hold pseudonyms only, but an export is still personal data: every endpoint here
//! requires `Authorization: Bearer <token>` with the token the server was started with
//! (`--admin-token-file` or `CONSENTRY_ADMIN_TOKEN`). Without a configured token they answer
//! `403 admin_disabled`. They are never offered to browsers cross-origin (no CORS).
//!
//! ```text
//! GET /v1/admin/receipts?subject=…&notice_id=…&notice_version=…&from=…&to=…&format=…
//!     format=ndjson (default): the ledger export, one line per entry, which
//!                              `consentry verify --ledger` checks (unfiltered: whole ledger)
//!     format=csv:              one row per receipt, one column per field, decisions joined;
//!                              formula-starting fields guarded reversibly ([`csv_field`])
//!     format=kantara:          a JSON array of Kantara CR v1.1 receipts
//!     from / to: RFC 3339 UTC server times (from inclusive, to exclusive)
//! GET /v1/admin/subjects/{subject}/state
//!     {"subject":…,"notices":[{notice_id, version, locale, receipt_id, index, received_at,
//!      subject_seq, receipts, chain_intact, purposes:{id: state}}]}
//! ```

use std::collections::HashMap;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query as QueryParams, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use consentry_core::encoding::b64url_decode;
use consentry_core::json::{self, Value};
use consentry_core::receipt::Receipt;
use consentry_core::receipt::jws::Jws;
use consentry_core::receipt::kantara::{KantaraContext, to_kantara};
use consentry_core::receipt::ledger::{HistoryItem, current_state, export_line};
use consentry_core::time::Timestamp;

use crate::AppState;
use crate::http::{ApiError, json_response};
use crate::store::{LedgerRecord, Query};

/// Entries read from the store per page while streaming an export.
pub const PAGE: usize = 1000;

/// Most receipts one subject-state request reads.
pub const MAX_SUBJECT_RECEIPTS: usize = 100_000;

/// The admin routes, behind the bearer-token check.
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/v1/admin/receipts", get(export))
        .route("/v1/admin/subjects/{subject}/state", get(subject_state))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token))
}

/// Byte equality in time that depends only on the lengths (tokens, CSRF values).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) async fn require_token(
    State(st): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let Some(token) = &st.admin_token else {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "admin_disabled",
            "the admin API is disabled: start the server with --admin-token-file",
        )
        .into_response();
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
        tracing::warn!(path = %req.uri().path(), "admin request without a valid token");
        let mut res = ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid admin bearer token is required",
        )
        .into_response();
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return res;
    }
    next.run(req).await
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Ndjson,
    Csv,
    Kantara,
}

fn bad_query(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", msg)
}

fn parse_query(params: &HashMap<String, String>) -> Result<(Query, Format), ApiError> {
    let mut q = Query {
        limit: PAGE,
        ..Query::default()
    };
    let mut format = Format::Ndjson;
    for (k, v) in params {
        let time = |v: &str| {
            Timestamp::parse_rfc3339(v).map_err(|_| {
                bad_query(format!(
                    "{k} must be an RFC 3339 UTC time such as 2026-11-27T00:00:00Z"
                ))
            })
        };
        match k.as_str() {
            "subject" => q.subject = Some(v.clone()),
            "notice_id" => q.notice_id = Some(v.clone()),
            "notice_version" => q.notice_version = Some(v.clone()),
            "from" => q.from = Some(time(v)?),
            "to" => q.to = Some(time(v)?),
            "format" => {
                format = match v.as_str() {
                    "ndjson" => Format::Ndjson,
                    "csv" => Format::Csv,
                    "kantara" => Format::Kantara,
                    _ => return Err(bad_query("format must be ndjson, csv or kantara")),
                }
            }
            other => return Err(bad_query(format!("unknown query parameter {other:?}"))),
        }
    }
    if q.notice_version.is_some() && q.notice_id.is_none() {
        return Err(bad_query("notice_version needs notice_id"));
    }
    Ok((q, format))
}

/// The ledger entry at `index` (1, 2, …), if there is one.
pub(crate) async fn entry_at(
    st: &AppState,
    index: u64,
) -> Result<Option<LedgerRecord>, crate::db::StoreError> {
    let q = Query {
        after_index: index.saturating_sub(1),
        limit: 1,
        ..Query::default()
    };
    Ok(st
        .store
        .query(q)
        .await?
        .into_iter()
        .find(|r| r.entry.index == index))
}

/// A stored entry's receipt alone ([`receipt_of`] without the envelope).
pub(crate) fn receipt_only(r: &LedgerRecord) -> Option<Receipt> {
    receipt_of(r).map(|(rc, _)| rc)
}

/// A stored entry's receipt, read back from its countersigned envelope.
pub(crate) fn receipt_of(r: &LedgerRecord) -> Option<(Receipt, Jws)> {
    let jws = Jws::from_json(&r.countersigned).ok()?;
    let payload = b64url_decode(&jws.payload)?;
    let receipt = Receipt::from_value(&json::parse(&payload).ok()?).ok()?;
    Some((receipt, jws))
}

/// CSV columns, in order.
pub const CSV_HEADER: &str = "ledger_index,receipt_id,received_at,collected_at,subject,\
notice_id,notice_version,notice_locale,notice_sha256,receipt_sha256,event_type,channel,\
interaction,regime,region,region_determined_by,gpc,subject_seq,prev_receipt_sha256,\
subject_chain,countersigned_by,entry_hash,decisions\r\n";

/// Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"), and
/// the guard character itself, so that guarding stays reversible.
const CSV_GUARDED: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// Appends one field: RFC 4180 quoting, and a field that begins with `= + - @`, TAB, CR or `'`
/// gets one `'` in front (inside quotes), so no spreadsheet runs it. Reversible: a reader
/// removes one leading `'` from every field that has one ([`csv_unguard`]); no other field
/// begins with `'`. Subjects and key ids are base64url and may begin with `-`.
pub fn csv_field(out: &mut String, s: &str) {
    let guard = s.starts_with(CSV_GUARDED);
    if guard || s.contains([',', '"', '\r', '\n']) {
        out.push('"');
        if guard {
            out.push('\'');
        }
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// The value [`csv_field`] wrote, from the field an RFC 4180 reader returns.
pub fn csv_unguard(field: &str) -> &str {
    field.strip_prefix('\'').unwrap_or(field)
}

fn csv_row(r: &LedgerRecord) -> Result<String, String> {
    let (rc, _) = receipt_of(r).ok_or("a stored receipt could not be read")?;
    let e = &r.entry;
    let decisions = rc
        .decisions
        .iter()
        .map(|d| format!("{}={}", d.purpose_id, d.state.as_str()))
        .collect::<Vec<_>>()
        .join(";");
    let fields = [
        e.index.to_string(),
        e.receipt_id.as_str().into(),
        e.received_at.to_rfc3339(),
        rc.collected_at.to_rfc3339(),
        e.subject.clone(),
        r.notice_id.clone(),
        r.notice_version.clone(),
        r.notice_locale.clone(),
        r.notice_sha256.to_hex(),
        e.receipt_sha256.to_hex(),
        rc.event.kind.as_str().into(),
        rc.event.channel.as_str().into(),
        rc.event.interaction.as_str().into(),
        rc.jurisdiction.regime.as_str().into(),
        rc.jurisdiction
            .region
            .as_ref()
            .map_or(String::new(), |c| c.as_str().into()),
        rc.jurisdiction.determined_by.as_str().into(),
        rc.gpc.to_string(),
        rc.chain.subject_seq.to_string(),
        rc.chain
            .prev
            .as_ref()
            .map_or(String::new(), |(_, h)| h.to_hex()),
        e.subject_chain.as_str().into(),
        e.kid.clone(),
        r.entry_hash.to_hex(),
        decisions,
    ];
    let mut line = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        csv_field(&mut line, f);
    }
    line.push_str("\r\n");
    Ok(line)
}

fn kantara_item(st: &AppState, r: &LedgerRecord) -> Result<String, String> {
    let (rc, _) = receipt_of(r).ok_or("a stored receipt could not be read")?;
    let policy = st.policy.load();
    let bundle = policy
        .notices
        .as_ref()
        .and_then(|reg| reg.get(&r.notice_sha256));
    let v = to_kantara(
        &rc,
        &KantaraContext {
            received_at: Some(r.entry.received_at),
            notice: bundle,
            countersigned_by: Some(&r.entry.kid),
        },
    );
    Ok(json::to_canonical_string(&v))
}

fn render(st: &AppState, format: Format, r: &LedgerRecord) -> Result<String, String> {
    match format {
        Format::Ndjson => {
            let jws = Jws::from_json(&r.countersigned).map_err(|e| e.to_string())?;
            let mut line = export_line(&r.entry, &jws);
            line.push('\n');
            Ok(line)
        }
        Format::Csv => csv_row(r),
        Format::Kantara => kantara_item(st, r),
    }
}

struct ExportState {
    st: AppState,
    q: Query,
    format: Format,
    first: bool,
    done: bool,
}

async fn export(
    State(st): State<AppState>,
    QueryParams(params): QueryParams<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (q, format) = parse_query(&params)?;
    tracing::info!(?format, subject = ?q.subject, notice = ?q.notice_id, "admin export");
    let init = ExportState {
        st,
        q,
        format,
        first: true,
        done: false,
    };
    let stream = futures_util::stream::unfold(init, |mut s| async move {
        if s.done {
            return None;
        }
        let mut chunk = String::new();
        if s.first {
            s.first = false;
            match s.format {
                Format::Csv => chunk.push_str(CSV_HEADER),
                Format::Kantara => chunk.push('['),
                Format::Ndjson => {}
            }
        }
        let page = match s.st.store.query(s.q.clone()).await {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "export aborted");
                s.done = true;
                return Some((Err(std::io::Error::other("export aborted")), s));
            }
        };
        for r in &page {
            match render(&s.st, s.format, r) {
                Ok(text) => {
                    if s.format == Format::Kantara && s.q.after_index > 0 {
                        chunk.push(',');
                    }
                    chunk.push_str(&text);
                    s.q.after_index = r.entry.index;
                }
                Err(e) => {
                    tracing::error!(error = %e, index = r.entry.index, "export aborted");
                    s.done = true;
                    return Some((Err(std::io::Error::other("export aborted")), s));
                }
            }
        }
        if page.len() < s.q.limit {
            s.done = true;
            if s.format == Format::Kantara {
                chunk.push(']');
            }
        }
        Some((Ok::<_, std::io::Error>(Bytes::from(chunk)), s))
    });
    let content_type = match format {
        Format::Ndjson => "application/x-ndjson",
        Format::Csv => "text/csv; charset=utf-8",
        Format::Kantara => "application/json",
    };
    let mut res = Response::new(Body::from_stream(stream));
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// The subject's receipts (under `notice_id`, when given) in ledger order, each with its
/// receipt read back; `422 subject_too_long` past [`MAX_SUBJECT_RECEIPTS`]. The one reader of a subject's chain
/// for the subject state here and the consent check (`crate::check`).
pub(crate) async fn subject_history(
    st: &AppState,
    subject: &str,
    notice_id: Option<&str>,
) -> Result<Vec<(LedgerRecord, Receipt)>, ApiError> {
    let mut out = Vec::new();
    let mut q = Query {
        subject: Some(subject.to_owned()),
        notice_id: notice_id.map(str::to_owned),
        limit: PAGE,
        ..Query::default()
    };
    loop {
        let page = st
            .store
            .query(q.clone())
            .await
            .map_err(|e| ApiError::internal(&e))?;
        let n = page.len();
        if let Some(last) = page.last() {
            q.after_index = last.entry.index;
        }
        for r in page {
            let (rc, _) = receipt_of(&r)
                .ok_or_else(|| ApiError::internal(&"a stored receipt could not be read"))?;
            out.push((r, rc));
        }
        if n < PAGE {
            break;
        }
        if out.len() >= MAX_SUBJECT_RECEIPTS {
            // Never answer from part of a chain: the latest decision may be in the rest.
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "subject_too_long",
                format!(
                    "this subject has more than {MAX_SUBJECT_RECEIPTS} receipts; an answer would \
                     rest on part of its chain (use the export)"
                ),
            ));
        }
    }
    Ok(out)
}

/// [`subject_history`]'s records as core's history items.
pub(crate) fn history_items(records: &[(LedgerRecord, Receipt)]) -> Vec<HistoryItem<'_>> {
    records
        .iter()
        .map(|(r, rc)| HistoryItem {
            receipt: rc,
            index: r.entry.index,
            received_at: r.entry.received_at,
            subject_chain: r.entry.subject_chain,
        })
        .collect()
}

async fn subject_state(
    State(st): State<AppState>,
    Path(subject): Path<String>,
) -> Result<Response, ApiError> {
    let records = subject_history(&st, &subject, None).await?;
    let history = history_items(&records);
    let notices = current_state(&history);
    let body = json::to_canonical_string(&Value::object([
        ("subject", Value::str(subject)),
        (
            "notices",
            Value::Arr(notices.iter().map(|n| n.to_value()).collect()),
        ),
    ]));
    Ok(json_response(StatusCode::OK, body.into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::{csv_field, csv_unguard};

    /// Every value comes back exactly through a real CSV reader, and none reaches a
    /// spreadsheet cell with a character that starts a formula.
    #[test]
    fn csv_fields_round_trip_and_never_start_a_formula() {
        let values = [
            "plain",
            "",
            "-Jq8xV_base64url_thumbprint",
            "=HYPERLINK(\"http://x\")",
            "+1",
            "@SUM(A1)",
            "\t=1+1",
            "\r=1+1",
            "'already quoted",
            "''two",
            "a,b",
            "say \"hi\"",
            "line\nbreak",
            "mid-dash = fine",
            "中文-1",
        ];
        let mut line = String::new();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            csv_field(&mut line, v);
        }
        line.push_str("\r\n");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.len(), values.len());
        for (cell, v) in record.iter().zip(values) {
            assert_eq!(csv_unguard(cell), v, "round trip of {v:?}");
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{v:?} reaches the sheet as {cell:?}"
            );
        }
    }
}
