//! Data-subject requests (issue 15, item 8): a person asks for access to their data, its
//! correction or deletion, a copy to take elsewhere, or objects to a use of it, from the
//! widget's privacy settings or on the hotline; the DPO answers within the time the law gives.
//!
//! ```text
//! POST /v1/requests                    public (CORS list, rate limit, ≤ 64 KiB): the signed
//!                                       request → 201 {request_id, kind, received_at,
//!                                       deadline, regime, status:"received"}; 200 the same
//!                                       body for a byte-identical resend
//! POST /console/api/hotline/requests   agent (CSRF): the signed hotline request → the same
//! GET  /console/api/requests           auditor, dpo, admin: {"requests":[…]}, the queue
//! POST /console/api/requests/status    dpo (CSRF): {request_id, subject, status, note} →
//!                                       the request as the queue shows it
//! ```
//!
//! - **Signed like a receipt** (core `receipt::request`, `verify::verify_request`): by the key
//!   of the subject's receipts, under its own `typ`, naming the subject's logged receipt. The
//!   server takes it only when that receipt is in the ledger under the same subject with the
//!   same payload hash, so only the holder of that key can ask about that person's data. A
//!   request the hotline agent signed comes only through that agent's session, naming one of
//!   that agent's receipts for the same caller.
//! - **The deadline** is core's `regime::response_deadline` under the laws the named receipt
//!   records and the controller's own `[rights] deadline`, whichever is shortest, added in calendar
//!   terms (a month is the calendar month); without any, 30 days.
//! - **Kept as received**: the request (its envelope, byte for byte) and every change of its
//!   status are rows of append-only tables (triggers refuse `UPDATE` and `DELETE`), each
//!   written in one transaction with its row of the audit trail.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use consentry_core::json::{self, Value};
use consentry_core::receipt::Receipt;
use consentry_core::receipt::jws::MAX_ENVELOPE_BYTES;
use consentry_core::receipt::request::DataRequest;
use consentry_core::receipt::verify::verify_request;
use consentry_core::time::Timestamp;
use rusqlite::{Connection, OptionalExtension as _, params};

use crate::AppState;
use crate::console::{ClientIp, ConsoleError, ConsoleStore, Role, blocking, no_store};
use crate::http::{ApiError, json_response};
use crate::store::LedgerRecord;

/// Days to answer when no law in force and no deadline of the controller's says: the
/// strictest common one (GDPR's month read as 30 days, nFADP, PIPEDA, Québec).
pub const DEFAULT_DEADLINE_DAYS: u32 = 30;

/// The longest note of a status change, in characters (a refusal's reason, told the person).
pub const MAX_NOTE: usize = 2000;

/// Closed requests the queue shows (the newest); open ones are always all there.
pub const MAX_CLOSED_SHOWN: usize = 500;

/// The longest status-change body.
const MAX_STATUS_BODY: usize = 16 * 1024;

const DAY_MS: i64 = 86_400_000;

/// The statuses a DPO may set; `received` is the server's, once.
const STATUSES: [&str; 3] = ["in_progress", "completed", "refused"];

/// One change of a request's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestEvent {
    /// Server time.
    pub at: Timestamp,
    /// Who (a console account; `-` for the person's own request from the web).
    pub actor: String,
    /// `received`, `in_progress`, `completed` or `refused`.
    pub status: String,
    /// What the DPO wrote (a refusal's reason).
    pub note: Option<String>,
}

/// A request as stored, with its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRow {
    /// The request's id (`urn:uuid:…`).
    pub request_id: String,
    /// Its signing key's thumbprint (the device's; on the hotline, the agent's).
    pub subject: String,
    /// Server time of receipt.
    pub received_at: Timestamp,
    /// `access`, `rectification`, `erasure`, `portability` or `objection`.
    pub kind: String,
    /// `web_settings` or `hotline_agent`.
    pub channel: String,
    /// The named receipt's first regime (wire name).
    pub regime: String,
    /// The named receipt's region, if known.
    pub region: Option<String>,
    /// When the answer is due.
    pub deadline_at: Timestamp,
    /// The receipt the request names.
    pub receipt_id: String,
    /// Its ledger entry.
    pub ledger_index: i64,
    /// The person's subject reference, from a link token, if any.
    pub sref: Option<String>,
    /// What the person added in their words.
    pub details: Option<String>,
    /// The history, oldest first (the first is `received`).
    pub events: Vec<RequestEvent>,
}

impl RequestRow {
    /// The latest status.
    pub fn status(&self) -> &str {
        self.events.last().map_or("received", |e| e.status.as_str())
    }

    /// When it was completed or refused.
    pub fn closed_at(&self) -> Option<Timestamp> {
        self.events
            .last()
            .filter(|e| is_closed(&e.status))
            .map(|e| e.at)
    }

    /// Who handled it last (the actor of the latest event after `received`).
    pub fn handled_by(&self) -> Option<&str> {
        self.events
            .iter()
            .rev()
            .find(|e| e.status != "received")
            .map(|e| e.actor.as_str())
    }

    /// Whole days to the deadline, counted from `now` for an open request and from its
    /// closing for a closed one; a day begun counts (0 at the deadline itself), negative once
    /// past it.
    pub fn days_left(&self, now: Timestamp) -> i64 {
        let ms = self.deadline_at.0 - self.closed_at().unwrap_or(now).0;
        if ms >= 0 {
            (ms + DAY_MS - 1) / DAY_MS
        } else {
            -((-ms + DAY_MS - 1) / DAY_MS)
        }
    }

    /// As the queue shows it at `now`; `overdue`: open and past its deadline, or closed after
    /// it.
    pub fn to_value(&self, now: Timestamp) -> Value {
        let opt = |s: &Option<String>| s.clone().map_or(Value::Null, Value::str);
        let days = self.days_left(now);
        Value::object([
            ("request_id", Value::str(self.request_id.clone())),
            ("subject", Value::str(self.subject.clone())),
            ("kind", Value::str(self.kind.clone())),
            ("channel", Value::str(self.channel.clone())),
            ("region", opt(&self.region)),
            ("regime", Value::str(self.regime.clone())),
            ("received_at", Value::str(self.received_at.to_rfc3339())),
            ("deadline", Value::str(self.deadline_at.to_rfc3339())),
            ("days_left", Value::Int(days)),
            ("overdue", Value::Bool(days < 0)),
            ("status", Value::str(self.status())),
            (
                "handled_by",
                self.handled_by().map_or(Value::Null, Value::str),
            ),
            (
                "events",
                Value::Arr(
                    self.events
                        .iter()
                        .map(|e| {
                            Value::object([
                                ("at", Value::str(e.at.to_rfc3339())),
                                ("actor", Value::str(e.actor.clone())),
                                ("status", Value::str(e.status.clone())),
                                ("note", opt(&e.note)),
                            ])
                        })
                        .collect(),
                ),
            ),
            ("details", opt(&self.details)),
            ("receipt_id", Value::str(self.receipt_id.clone())),
            ("ledger_index", Value::Int(self.ledger_index)),
            ("sref", opt(&self.sref)),
        ])
    }
}

fn is_closed(status: &str) -> bool {
    matches!(status, "completed" | "refused")
}

/// The queue's order: open requests by deadline (the most urgent first), then closed ones,
/// the latest closed first, at most [`MAX_CLOSED_SHOWN`] of them.
pub fn queue_order(rows: &mut Vec<RequestRow>) {
    rows.sort_by(|a, b| match (a.closed_at(), b.closed_at()) {
        (None, None) => (a.deadline_at.0, a.received_at.0).cmp(&(b.deadline_at.0, b.received_at.0)),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => (y.0, b.received_at.0).cmp(&(x.0, a.received_at.0)),
    });
    let open = rows.iter().take_while(|r| r.closed_at().is_none()).count();
    rows.truncate(open + MAX_CLOSED_SHOWN);
}

/// A checked request, ready to be stored.
#[derive(Clone, Debug)]
pub struct NewRequest {
    /// As in [`RequestRow`].
    pub request_id: String,
    /// As in [`RequestRow`].
    pub subject: String,
    /// As in [`RequestRow`].
    pub received_at: Timestamp,
    /// As in [`RequestRow`].
    pub kind: String,
    /// As in [`RequestRow`].
    pub channel: String,
    /// As in [`RequestRow`].
    pub regime: String,
    /// As in [`RequestRow`].
    pub region: Option<String>,
    /// As in [`RequestRow`].
    pub deadline_at: Timestamp,
    /// As in [`RequestRow`].
    pub receipt_id: String,
    /// As in [`RequestRow`].
    pub ledger_index: i64,
    /// As in [`RequestRow`].
    pub sref: Option<String>,
    /// As in [`RequestRow`].
    pub details: Option<String>,
    /// The envelope exactly as received.
    pub envelope: String,
}

/// What storing a request came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    /// Stored now.
    New(RequestRow),
    /// The same bytes were stored before.
    Again(RequestRow),
    /// The subject has another request with this id.
    Conflict,
    /// The device already has [`MAX_OPEN_PER_DEVICE`] requests open.
    TooManyOpen,
}

/// Most requests one device may have open at once from the web: someone with one device key
/// (a script, or a person in a loop) cannot fill the DPO's queue. A request that is answered
/// (completed or refused) no longer counts. Hotline requests are the agent's, recorded in a
/// signed-in session, and are not counted here.
pub const MAX_OPEN_PER_DEVICE: i64 = 5;

/// What a status change came to.
#[derive(Debug, PartialEq, Eq)]
pub enum StatusChange {
    /// Recorded.
    Changed(Box<RequestRow>),
    /// No such request.
    Unknown,
    /// It was completed or refused already (that status).
    Closed(String),
}

fn read_events(
    conn: &Connection,
    id: &str,
    subject: &str,
) -> Result<Vec<RequestEvent>, rusqlite::Error> {
    let mut stmt = conn.prepare(
        "SELECT at, actor, status, note FROM request_events
         WHERE request_id = ?1 AND subject = ?2 ORDER BY seq",
    )?;
    let rows = stmt.query_map([id, subject], |r| {
        Ok(RequestEvent {
            at: Timestamp(r.get(0)?),
            actor: r.get(1)?,
            status: r.get(2)?,
            note: r.get(3)?,
        })
    })?;
    rows.collect()
}

const ROW_COLUMNS: &str = "request_id, subject, received_at, kind, channel, regime, region, \
     deadline_at, receipt_id, ledger_index, sref, details";

fn row_of(r: &rusqlite::Row<'_>) -> Result<RequestRow, rusqlite::Error> {
    Ok(RequestRow {
        request_id: r.get(0)?,
        subject: r.get(1)?,
        received_at: Timestamp(r.get(2)?),
        kind: r.get(3)?,
        channel: r.get(4)?,
        regime: r.get(5)?,
        region: r.get(6)?,
        deadline_at: Timestamp(r.get(7)?),
        receipt_id: r.get(8)?,
        ledger_index: r.get(9)?,
        sref: r.get(10)?,
        details: r.get(11)?,
        events: Vec::new(),
    })
}

fn read_request(
    conn: &Connection,
    id: &str,
    subject: &str,
) -> Result<Option<RequestRow>, rusqlite::Error> {
    let row = conn
        .query_row(
            &format!("SELECT {ROW_COLUMNS} FROM requests WHERE request_id = ?1 AND subject = ?2"),
            [id, subject],
            row_of,
        )
        .optional()?;
    match row {
        Some(mut r) => {
            r.events = read_events(conn, id, subject)?;
            Ok(Some(r))
        }
        None => Ok(None),
    }
}

impl ConsoleStore {
    /// Stores a checked request with its `received` event, audited as done by `actor`.
    pub fn store_request(
        &self,
        r: &NewRequest,
        actor: &str,
        ip: &str,
    ) -> Result<Stored, ConsoleError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let before: Option<String> = tx
            .query_row(
                "SELECT envelope FROM requests WHERE request_id = ?1 AND subject = ?2",
                [&r.request_id, &r.subject],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(envelope) = before {
            if envelope != r.envelope {
                return Ok(Stored::Conflict);
            }
            return read_request(&tx, &r.request_id, &r.subject)?
                .map(Stored::Again)
                .ok_or_else(|| ConsoleError::Invalid("a stored request vanished".into()));
        }
        if r.channel == "web_settings" {
            let open: i64 = tx.query_row(
                "SELECT count(*) FROM requests q
                 WHERE q.subject = ?1 AND q.channel = 'web_settings'
                   AND NOT EXISTS (SELECT 1 FROM request_events e
                                   WHERE e.request_id = q.request_id AND e.subject = q.subject
                                     AND e.status IN ('completed', 'refused'))",
                [&r.subject],
                |row| row.get(0),
            )?;
            if open >= MAX_OPEN_PER_DEVICE {
                return Ok(Stored::TooManyOpen);
            }
        }
        tx.execute(
            &format!(
                "INSERT INTO requests ({ROW_COLUMNS}, envelope)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ),
            params![
                r.request_id,
                r.subject,
                r.received_at.0,
                r.kind,
                r.channel,
                r.regime,
                r.region,
                r.deadline_at.0,
                r.receipt_id,
                r.ledger_index,
                r.sref,
                r.details,
                r.envelope,
            ],
        )?;
        tx.execute(
            "INSERT INTO request_events (request_id, subject, at, actor, status)
             VALUES (?1, ?2, ?3, ?4, 'received')",
            params![r.request_id, r.subject, r.received_at.0, actor],
        )?;
        let who = r.sref.as_deref().unwrap_or(&r.subject);
        crate::console::append_audit_in(
            &tx,
            r.received_at,
            actor,
            "request_received",
            &format!(
                "{} ({}, {}) of {who}, due {}",
                r.request_id,
                r.kind,
                r.channel,
                r.deadline_at.to_rfc3339()
            ),
            ip,
        )?;
        let row = read_request(&tx, &r.request_id, &r.subject)?
            .ok_or_else(|| ConsoleError::Invalid("a request just stored is not there".into()))?;
        tx.commit()?;
        Ok(Stored::New(row))
    }

    /// One request with its history, by id and subject.
    pub fn request(&self, id: &str, subject: &str) -> Result<Option<RequestRow>, ConsoleError> {
        Ok(read_request(&self.lock(), id, subject)?)
    }

    /// Every request with its history, in storage order.
    pub fn requests(&self) -> Result<Vec<RequestRow>, ConsoleError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {ROW_COLUMNS} FROM requests ORDER BY received_at, request_id"
        ))?;
        let mut rows = stmt.query_map([], row_of)?.collect::<Result<Vec<_>, _>>()?;
        let mut events: HashMap<(String, String), Vec<RequestEvent>> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT request_id, subject, at, actor, status, note FROM request_events ORDER BY seq",
        )?;
        let all = stmt.query_map([], |r| {
            Ok((
                (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                RequestEvent {
                    at: Timestamp(r.get(2)?),
                    actor: r.get(3)?,
                    status: r.get(4)?,
                    note: r.get(5)?,
                },
            ))
        })?;
        for e in all {
            let (key, event) = e?;
            events.entry(key).or_default().push(event);
        }
        for r in &mut rows {
            r.events = events
                .remove(&(r.request_id.clone(), r.subject.clone()))
                .unwrap_or_default();
        }
        Ok(rows)
    }

    /// Records a status change by `actor` (audited); a completed or refused request stays so.
    #[allow(clippy::too_many_arguments)]
    pub fn set_request_status(
        &self,
        id: &str,
        subject: &str,
        status: &str,
        note: Option<&str>,
        actor: &str,
        now: Timestamp,
        ip: &str,
    ) -> Result<StatusChange, ConsoleError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let Some(row) = read_request(&tx, id, subject)? else {
            return Ok(StatusChange::Unknown);
        };
        if row.closed_at().is_some() {
            return Ok(StatusChange::Closed(row.status().to_owned()));
        }
        tx.execute(
            "INSERT INTO request_events (request_id, subject, at, actor, status, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, subject, now.0, actor, status, note],
        )?;
        crate::console::append_audit_in(
            &tx,
            now,
            actor,
            "request_status",
            &format!(
                "{id} of {}: {status}{}",
                row.sref.as_deref().unwrap_or(subject),
                if note.is_some() { " (with a note)" } else { "" }
            ),
            ip,
        )?;
        let row = read_request(&tx, id, subject)?
            .ok_or_else(|| ConsoleError::Invalid("a request vanished".into()))?;
        tx.commit()?;
        Ok(StatusChange::Changed(Box::new(row)))
    }
}

/// When a request about `receipt` received at `received` must be answered: core's
/// `response_deadline` under the laws the receipt records and the controller's own `[rights]
/// deadline` (in the notice bundle the receipt names), the shortest of them, added to
/// `received` in calendar terms (`P1M`: the same day of the next month, or its last day when
/// it has none, as Regulation 1182/71 Art. 3(2)(c) counts GDPR's "one month"; days as days);
/// [`DEFAULT_DEADLINE_DAYS`] when none says.
pub fn deadline_at(st: &AppState, receipt: &Receipt, received: Timestamp) -> Timestamp {
    let policy = st.policy.load();
    let own = policy
        .notices
        .as_ref()
        .and_then(|n| n.get(&receipt.notice.sha256))
        .and_then(|b| b.deadline.clone());
    drop(policy);
    let applied = receipt.jurisdiction.applied();
    let in_force = receipt.jurisdiction.in_force(&applied, false, false);
    // Every law's time and the notice's own, each added in calendar terms, the earliest date
    // (a month and 30 days are not the same length: compare dates, not durations).
    let earliest = in_force
        .iter()
        .filter_map(|r| r.response_deadline().map(str::to_owned))
        .chain(own)
        .filter_map(|d| add_calendar(received, &d))
        .min();
    earliest.unwrap_or(Timestamp(
        received.0 + i64::from(DEFAULT_DEADLINE_DAYS) * DAY_MS,
    ))
}

/// `t` plus an ISO 8601 duration of years, months, weeks and days, in UTC calendar terms;
/// `None` for a duration that is not one.
pub fn add_calendar(t: Timestamp, iso: &str) -> Option<Timestamp> {
    let r = consentry_core::notice::Retention::parse(iso).ok()?;
    let [y, mo, w, d] = r.date_parts();
    let [h, mi, s] = r.time_parts();
    let clock = (i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s)) * 1000;
    let days = t.0.div_euclid(DAY_MS);
    let in_day = t.0.rem_euclid(DAY_MS);
    let (year, month, day) = civil_from_days(days);
    let months = i64::from(month) - 1 + i64::from(mo) + 12 * i64::from(y);
    let (year, month) = (
        year + months.div_euclid(12),
        (months.rem_euclid(12) + 1) as u32,
    );
    let day = day.min(month_length(year, month));
    let days = days_from_civil(year, month, day) + 7 * i64::from(w) + i64::from(d);
    Some(Timestamp(days * DAY_MS + in_day + clock))
}

fn month_length(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The routes under the console's session (the public `POST /v1/requests` is in `api`, with
/// the layers of `POST /v1/receipts`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/api/hotline/requests", post(post_hotline))
        .route("/console/api/requests", get(queue))
        .route("/console/api/requests/status", post(set_status))
}

fn err(status: StatusCode, code: &'static str, msg: impl Into<String>) -> Response {
    ApiError::new(status, code, msg).into_response()
}

fn bad_request(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", msg)
}

fn bad(msg: impl Into<String>) -> Response {
    bad_request(msg).into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    ApiError::internal(&e).into_response()
}

/// Verifies the envelope at `now` against the server and agent keys.
async fn verify(st: &AppState, body: &Bytes, now: Timestamp) -> Result<DataRequest, Response> {
    let keys = crate::links::all_keys(st)
        .await
        .map_err(IntoResponse::into_response)?;
    let bytes = body.clone();
    let checked = tokio::task::spawn_blocking(move || verify_request(&bytes, &keys, now))
        .await
        .map_err(internal)?;
    match checked {
        Ok((request, _)) => Ok(request),
        Err(e) => {
            tracing::info!(code = e.code(), "request refused");
            let status = if e.is_malformed_envelope() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Err(err(status, e.code(), e.to_string()))
        }
    }
}

fn receipt_unknown(why: &str) -> Response {
    err(
        StatusCode::UNPROCESSABLE_ENTITY,
        "request_receipt_unknown",
        why,
    )
}

/// The receipt the request names: logged under the request's subject, with its payload hash.
async fn named_receipt(
    st: &AppState,
    request: &DataRequest,
) -> Result<(LedgerRecord, Receipt), Response> {
    let records = st
        .store
        .get(request.receipt.0.as_str())
        .await
        .map_err(internal)?;
    let record = records
        .into_iter()
        .find(|r| r.entry.subject == request.subject)
        .filter(|r| r.entry.receipt_sha256 == request.receipt.1)
        .ok_or_else(|| {
            receipt_unknown(
                "the receipt the request names is not in the ledger under this subject with this \
                 payload hash: name the subject's latest receipt the server returned",
            )
        })?;
    let receipt = crate::admin::receipt_only(&record)
        .ok_or_else(|| internal("a stored receipt could not be read"))?;
    Ok((record, receipt))
}

/// The subject reference a link token names.
fn sref_of(token: Option<&str>) -> Option<String> {
    token
        .and_then(|t| consentry_core::receipt::link::parse(t).ok())
        .map(|t| t.claims.sref)
}

fn new_request(
    st: &AppState,
    request: &DataRequest,
    record: &LedgerRecord,
    receipt: &Receipt,
    body: &[u8],
    now: Timestamp,
) -> Result<NewRequest, ApiError> {
    let regime = receipt
        .jurisdiction
        .applied()
        .first()
        .map_or(receipt.jurisdiction.regime, |(r, _)| *r);
    let deadline_at = deadline_at(st, receipt, now);
    let envelope =
        String::from_utf8(body.to_vec()).map_err(|_| bad_request("the body is not UTF-8"))?;
    Ok(NewRequest {
        request_id: request.request_id.as_str().to_owned(),
        subject: request.subject.clone(),
        received_at: now,
        kind: request.kind.as_str().to_owned(),
        channel: request.channel.as_str().to_owned(),
        regime: regime.as_str().to_owned(),
        region: receipt
            .jurisdiction
            .region
            .as_ref()
            .map(|r| r.as_str().to_owned()),
        deadline_at,
        receipt_id: record.entry.receipt_id.as_str().to_owned(),
        ledger_index: i64::try_from(record.entry.index).unwrap_or(i64::MAX),
        // The hotline request's own link names the caller; a web request is the person's by
        // the receipt's link, when it came through one.
        sref: sref_of(request.link.as_deref()).or_else(|| sref_of(receipt.link.as_deref())),
        details: request.details.clone(),
        envelope,
    })
}

fn accepted(status: StatusCode, r: &RequestRow) -> Response {
    let body = Value::object([
        ("request_id", Value::str(r.request_id.clone())),
        ("kind", Value::str(r.kind.clone())),
        ("received_at", Value::str(r.received_at.to_rfc3339())),
        ("deadline", Value::str(r.deadline_at.to_rfc3339())),
        ("regime", Value::str(r.regime.clone())),
        ("status", Value::str("received")),
    ]);
    no_store(json_response(
        status,
        json::to_canonical_string(&body).into_bytes(),
    ))
}

async fn store_and_answer(
    store: Arc<ConsoleStore>,
    new: NewRequest,
    actor: String,
    ip: String,
) -> Result<Response, Response> {
    let id = new.request_id.clone();
    let (subject, kind, received) = (new.subject.clone(), new.kind.clone(), new.received_at);
    let (s, who, from) = (store.clone(), actor.clone(), ip.clone());
    match blocking(move || s.store_request(&new, &who, &from)).await? {
        Stored::New(r) => {
            tracing::info!(request_id = %id, kind = %r.kind, "request stored");
            Ok(accepted(StatusCode::CREATED, &r))
        }
        Stored::Again(r) => Ok(accepted(StatusCode::OK, &r)),
        Stored::TooManyOpen => {
            tracing::warn!(request_id = %id, "request refused: too many open from one device");
            // On the record: the controller can show what it was sent and why it was not
            // queued.
            let detail = format!(
                "{id} ({kind}) of {subject} not queued: {MAX_OPEN_PER_DEVICE} of its requests \
                 are open"
            );
            blocking(move || store.audit(received, &actor, "request_refused", &detail, &ip))
                .await?;
            Err(err(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_open_requests",
                format!(
                    "this device has {MAX_OPEN_PER_DEVICE} requests waiting for an answer: they \
                     are answered first, then it may ask again"
                ),
            ))
        }
        Stored::Conflict => {
            tracing::warn!(request_id = %id, "request id reused with different bytes");
            Err(err(
                StatusCode::CONFLICT,
                "request_conflict",
                "this subject already has a different request with this request id",
            ))
        }
    }
}

/// `POST /v1/requests`: the person's own request, from the widget.
pub(crate) async fn post_public(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Response> {
    if !crate::receive::content_type_ok(&headers) {
        return Err(err(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Content-Type must be application/json or application/jose+json",
        ));
    }
    let body = match body {
        Ok(b) => b,
        Err(rejection) => return Ok(crate::receive::body_error(&rejection)),
    };
    let store = st.console.clone().ok_or_else(|| {
        err(
            StatusCode::SERVICE_UNAVAILABLE,
            "requests_disabled",
            "this server keeps no request queue (it runs without --console-db)",
        )
    })?;
    let now = (st.clock)();
    let request = verify(&st, &body, now).await?;
    if request.agent.is_some() {
        tracing::info!(code = "agent_request_refused", "request refused");
        return Err(err(
            StatusCode::FORBIDDEN,
            "agent_request_refused",
            "a request an agent recorded is handed in through the console, by that agent",
        ));
    }
    let (record, receipt) = named_receipt(&st, &request).await?;
    // An agent's key signing a "web" request about the agent's own receipt: still the agent's.
    if receipt.agent.is_some() {
        tracing::info!(code = "agent_request_refused", "request refused");
        return Err(err(
            StatusCode::FORBIDDEN,
            "agent_request_refused",
            "a request about a hotline receipt is handed in through the console, by its agent",
        ));
    }
    let new = new_request(&st, &request, &record, &receipt, &body, now)
        .map_err(IntoResponse::into_response)?;
    store_and_answer(store, new, "-".into(), ip).await
}

/// `POST /console/api/hotline/requests`: a caller's request, recorded by the agent.
async fn post_hotline(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let route = "/console/api/hotline/requests";
    let (store, session) =
        crate::console::require_post(&st, &headers, &ip, route, &[Role::Agent]).await?;
    if body.len() > MAX_ENVELOPE_BYTES {
        return Err(bad("the envelope is too large"));
    }
    let s = store.clone();
    let keys = blocking(move || s.agent_keys()).await?;
    let Some(agent_id) = keys
        .iter()
        .find(|r| r.username == session.username)
        .map(|r| r.key.agent.clone())
    else {
        return Err(err(
            StatusCode::FORBIDDEN,
            "agent_key_unknown",
            "register this workstation's key first",
        ));
    };
    let now = (st.clock)();
    let request = verify(&st, &body, now).await?;
    if request.agent.as_ref().is_none_or(|(id, _)| *id != agent_id) {
        tracing::info!(code = "agent_mismatch", "request refused");
        return Err(err(
            StatusCode::FORBIDDEN,
            "agent_mismatch",
            "the request is not one this agent recorded",
        ));
    }
    let (record, receipt) = named_receipt(&st, &request).await?;
    let caller = sref_of(request.link.as_deref());
    // The receipt of the same call: this agent's, for this caller, under this call reference.
    let call = request.agent.as_ref().map(|(_, call)| call.as_str());
    let this_call = receipt
        .agent
        .as_ref()
        .is_some_and(|a| a.agent_id == agent_id && Some(a.call_ref.as_str()) == call);
    if !this_call || caller.is_none() || sref_of(receipt.link.as_deref()) != caller {
        return Err(receipt_unknown(
            "the receipt the request names is not the one this agent recorded on this call for this caller",
        ));
    }
    let new = new_request(&st, &request, &record, &receipt, &body, now)
        .map_err(IntoResponse::into_response)?;
    store_and_answer(store, new, session.username, ip).await
}

/// `GET /console/api/requests`: the queue.
async fn queue(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let route = "/console/api/requests";
    let roles = [Role::Auditor, Role::Dpo, Role::Admin];
    let (store, _, session) = crate::console::require(&st, &headers, &ip, route, &roles).await?;
    let now = (st.clock)();
    let who = session.username;
    let mut rows = blocking(move || {
        store.audit(now, &who, "read", route, &ip)?;
        store.requests()
    })
    .await?;
    queue_order(&mut rows);
    let body = Value::object([(
        "requests",
        Value::Arr(rows.iter().map(|r| r.to_value(now)).collect()),
    )]);
    Ok(no_store(json_response(
        StatusCode::OK,
        json::to_canonical_string(&body).into_bytes(),
    )))
}

/// The members of a status change: request id, subject, status, note.
fn read_status_body(body: &[u8]) -> Result<(String, String, String, Option<String>), ApiError> {
    if body.len() > MAX_STATUS_BODY {
        return Err(bad_request(format!(
            "the body is over {MAX_STATUS_BODY} bytes"
        )));
    }
    let v = json::parse(body).map_err(|e| bad_request(format!("the body is not JSON: {e}")))?;
    let Value::Obj(fields) = &v else {
        return Err(bad_request("the body must be a JSON object"));
    };
    let allowed = ["request_id", "subject", "status", "note"];
    if let Some((k, _)) = fields.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(bad_request(format!("unknown member {k:?}")));
    }
    let text = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| bad_request(format!("{k} must be a string")))
    };
    let (id, subject, status) = (text("request_id")?, text("subject")?, text("status")?);
    if !STATUSES.contains(&status.as_str()) {
        return Err(bad_request("status is in_progress, completed or refused"));
    }
    let note = match v.get("note") {
        None | Some(Value::Null) => None,
        Some(n) => {
            let n = n
                .as_str()
                .ok_or_else(|| bad_request("note must be a string"))?
                .trim();
            if n.chars().count() > MAX_NOTE {
                return Err(bad_request(format!(
                    "a note is at most {MAX_NOTE} characters"
                )));
            }
            (!n.is_empty()).then(|| n.to_owned())
        }
    };
    if status == "refused" && note.is_none() {
        // GDPR Art. 12(4), LGPD Art. 18 §4, PIPL Art. 50: the person is told why.
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "note_required",
            "a refusal needs a note: the reason the person is told",
        ));
    }
    Ok((id, subject, status, note))
}

/// `POST /console/api/requests/status`: the DPO's handling of a request.
async fn set_status(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let route = "/console/api/requests/status";
    let (store, session) =
        crate::console::require_post(&st, &headers, &ip, route, &[Role::Dpo]).await?;
    let (id, subject, status, note) =
        read_status_body(&body).map_err(IntoResponse::into_response)?;
    let now = (st.clock)();
    let who = session.username;
    let outcome = blocking(move || {
        store.set_request_status(&id, &subject, &status, note.as_deref(), &who, now, &ip)
    })
    .await?;
    match outcome {
        StatusChange::Changed(r) => Ok(no_store(json_response(
            StatusCode::OK,
            json::to_canonical_string(&r.to_value(now)).into_bytes(),
        ))),
        StatusChange::Unknown => Err(err(
            StatusCode::NOT_FOUND,
            "request_unknown",
            "no request with this id and subject",
        )),
        StatusChange::Closed(s) => Err(err(
            StatusCode::CONFLICT,
            "request_closed",
            format!("the request was {s} already: a closed request does not change"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, deadline: i64, events: &[(&str, i64)]) -> RequestRow {
        RequestRow {
            request_id: id.into(),
            subject: "s".into(),
            received_at: Timestamp(0),
            kind: "access".into(),
            channel: "web_settings".into(),
            regime: "eu-gdpr".into(),
            region: None,
            deadline_at: Timestamp(deadline),
            receipt_id: "r".into(),
            ledger_index: 1,
            sref: None,
            details: None,
            events: events
                .iter()
                .map(|(status, at)| RequestEvent {
                    at: Timestamp(*at),
                    actor: "dpo".into(),
                    status: (*status).into(),
                    note: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_day_begun_counts_and_past_the_deadline_is_negative() {
        // One month is the calendar month, its last day when the next month is shorter.
        let at = |s: &str| Timestamp::parse_rfc3339(s).unwrap();
        for (from, iso, to) in [
            (
                "2026-01-31T10:00:00.000Z",
                "P1M",
                "2026-02-28T10:00:00.000Z",
            ),
            (
                "2028-01-31T10:00:00.000Z",
                "P1M",
                "2028-02-29T10:00:00.000Z",
            ),
            (
                "2026-12-06T23:59:59.999Z",
                "P1M",
                "2027-01-06T23:59:59.999Z",
            ),
            (
                "2026-12-06T08:00:00.000Z",
                "P15D",
                "2026-12-21T08:00:00.000Z",
            ),
            (
                "2026-12-06T08:00:00.000Z",
                "P45D",
                "2027-01-20T08:00:00.000Z",
            ),
            (
                "2026-12-06T08:00:00.000Z",
                "PT72H",
                "2026-12-09T08:00:00.000Z",
            ),
        ] {
            assert_eq!(add_calendar(at(from), iso), Some(at(to)), "{from} + {iso}");
        }
        assert_eq!(add_calendar(at("2026-12-06T08:00:00.000Z"), "soon"), None);
        let r = row("a", 10 * DAY_MS, &[("received", 0)]);
        assert_eq!(r.days_left(Timestamp(0)), 10);
        assert_eq!(r.days_left(Timestamp(DAY_MS / 2)), 10);
        assert_eq!(r.days_left(Timestamp(10 * DAY_MS)), 0);
        assert_eq!(r.days_left(Timestamp(10 * DAY_MS + 1)), -1);
        assert_eq!(r.days_left(Timestamp(12 * DAY_MS + 1)), -3);
        // Closed: counted to its closing, whenever it is read.
        let done = row("b", 10 * DAY_MS, &[("received", 0), ("completed", DAY_MS)]);
        assert_eq!(done.days_left(Timestamp(99 * DAY_MS)), 9);
        assert_eq!(done.handled_by(), Some("dpo"));
        assert_eq!(row("c", 0, &[("received", 0)]).handled_by(), None);
    }

    #[test]
    fn open_requests_come_first_by_deadline_then_the_latest_closed() {
        let mut rows = vec![
            row("closed-early", 1, &[("received", 0), ("refused", 5)]),
            row("open-late", 30, &[("received", 0)]),
            row("closed-late", 1, &[("received", 0), ("completed", 9)]),
            row("open-soon", 15, &[("received", 0), ("in_progress", 3)]),
        ];
        queue_order(&mut rows);
        let ids: Vec<&str> = rows.iter().map(|r| r.request_id.as_str()).collect();
        assert_eq!(
            ids,
            ["open-soon", "open-late", "closed-late", "closed-early"]
        );
    }
}
