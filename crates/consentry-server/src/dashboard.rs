//! The console's compliance pages' data (issue 15 item 6), for roles `auditor` and `dpo`;
//! every read is a row of the audit trail.
//!
//! ```text
//! GET /console/api/dashboard?from=…&to=…[&purpose=a,b]
//!     {"from","to","receipts","rows":[{purpose,region,channel,version,given,refused,
//!      withdrawn,expired,objected,not_objected,required,rate_permille}],
//!      "charts":[{"purpose","title","svg","days":[{"day","given","asked"}]}]}
//! GET /console/api/receipts?from=…&to=…[&subject=…][&after=N][&limit=N]
//!     {"receipts":[{index,received_at,receipt_id,subject,region,regimes,channel,notice,
//!      decisions,chain,verified,problem}],"next_after"}
//! GET /console/api/receipts/{index}
//!     one receipt: its fields, verification, the notice text as shown (in its language and
//!     direction), the subject's chain, and its inclusion in the witnessed log
//! GET /console/api/log
//!     the latest checkpoint, who cosigned it, the ledger's size
//! GET /console/, /console
//!     the console's page (`<site>/console/index.html`) under its own strict CSP
//! ```
//!
//! The tables and charts come from core's `evidence::Summary` and `evidence::daily_chart`,
//! the same code the evidence pack draws with; the notice text from core's
//! `bundle::notice_text`, the one `consentry verify` prints.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path as UrlPath, Query as QueryParams, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use consentry_core::bundle::notice_text;
use consentry_core::evidence::{Item, Scope, Summary, daily_chart, daily_title, day_label};
use consentry_core::json::{self, Value};
use consentry_core::receipt::Receipt;
use consentry_core::receipt::ledger::LedgerEntry;
use consentry_core::receipt::verify::{KeySet, verify_countersigned};
use consentry_core::time::Timestamp;

use crate::AppState;
use crate::console::{ClientIp, ConsoleStore, Role, Session, blocking, no_store, require};
use crate::http::{ApiError, json_response};
use crate::store::{LedgerRecord, Query};

/// Who may read the compliance pages.
const READERS: [Role; 2] = [Role::Auditor, Role::Dpo];

/// Most receipts one explorer page lists.
const MAX_PAGE: usize = 200;

/// The console's routes for pages and their data.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .route("/console/", get(page))
        .route("/console/api/dashboard", get(dashboard))
        .route("/console/api/receipts", get(receipts))
        .route("/console/api/receipts/{index}", get(receipt))
        .route("/console/api/log", get(log_health))
}

/// The console page's policy: its own script, wasm and stylesheet only.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; \
frame-ancestors 'none'";

async fn page(State(st): State<AppState>) -> Response {
    let Some(site) = st.site.clone() else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "the console is served with the site (--site)",
        )
        .into_response();
    };
    match tokio::fs::read(site.join("console/index.html")).await {
        Ok(bytes) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(PAGE_CSP),
            );
            no_store(res)
        }
        Err(_) => ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "this site build has no console (console/index.html)",
        )
        .into_response(),
    }
}

fn bad(msg: impl Into<String>) -> Response {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", msg).into_response()
}

/// Signs the read into the trail after the role check.
pub(crate) async fn read(
    st: &AppState,
    headers: &HeaderMap,
    ip: &str,
    route: &str,
    detail: String,
) -> Result<(Arc<ConsoleStore>, Session), Response> {
    let (store, _, session) = require(st, headers, ip, route, &READERS).await?;
    let now = (st.clock)();
    let (s, who, ip) = (store.clone(), session.username.clone(), ip.to_owned());
    blocking(move || s.audit(now, &who, "read", &detail, &ip)).await?;
    Ok((store, session))
}

fn internal(e: impl std::fmt::Display) -> Response {
    ApiError::internal(&e).into_response()
}

fn int(n: u64) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

async fn dashboard(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    QueryParams(params): QueryParams<HashMap<String, String>>,
) -> Result<Response, Response> {
    let route = "/console/api/dashboard";
    let scope = crate::evidence::parse_scope(&params).map_err(IntoResponse::into_response)?;
    read(
        &st,
        &headers,
        &ip,
        route,
        format!(
            "{route} from {} to {}",
            scope.from.to_rfc3339(),
            scope.to.to_rfc3339()
        ),
    )
    .await?;
    let mut summary = Summary::default();
    let mut q = Query {
        from: Some(scope.from),
        to: Some(scope.to),
        limit: crate::admin::PAGE,
        ..Query::default()
    };
    loop {
        let page = st.store.query(q.clone()).await.map_err(internal)?;
        for r in &page {
            let rc = crate::admin::receipt_only(r)
                .ok_or_else(|| internal("a stored receipt could not be read"))?;
            summary.add(
                &scope,
                &Item {
                    index: r.entry.index,
                    received_at: r.entry.received_at,
                    receipt: &rc,
                    subject_chain: r.entry.subject_chain,
                },
            );
            q.after_index = r.entry.index;
        }
        if page.len() < q.limit {
            break;
        }
    }
    let rows = summary
        .rows
        .iter()
        .map(|((p, region, channel, version), c)| {
            Value::object([
                ("purpose", Value::str(p.as_str())),
                ("region", Value::str(region.as_str())),
                ("channel", Value::str(*channel)),
                ("version", Value::str(version.as_str())),
                ("given", int(c.given)),
                ("refused", int(c.refused)),
                ("withdrawn", int(c.withdrawn)),
                ("expired", int(c.expired)),
                ("objected", int(c.objected)),
                ("not_objected", int(c.not_objected)),
                ("required", int(c.required)),
                (
                    "rate_permille",
                    c.permille().map_or(Value::Null, |p| int(u64::from(p))),
                ),
            ])
        })
        .collect();
    let charts = summary
        .daily()
        .iter()
        .enumerate()
        .map(|(i, (p, days))| {
            let mut svg = String::new();
            daily_chart(&mut svg, &format!("dash-chart-{}", i + 1), p, days);
            Value::object([
                ("purpose", Value::str(*p)),
                ("title", Value::str(daily_title(p))),
                ("svg", Value::str(svg)),
                (
                    "days",
                    Value::Arr(
                        days.iter()
                            .map(|(d, c)| {
                                Value::object([
                                    ("day", Value::str(day_label(*d))),
                                    ("given", int(c.given)),
                                    ("asked", int(c.asked())),
                                ])
                            })
                            .collect(),
                    ),
                ),
            ])
        })
        .collect();
    let body = Value::object([
        ("from", Value::str(scope.from.to_rfc3339())),
        ("to", Value::str(scope.to.to_rfc3339())),
        ("receipts", int(summary.receipts.len() as u64)),
        ("rows", Value::Arr(rows)),
        ("charts", Value::Arr(charts)),
    ]);
    Ok(no_store(json_response(
        StatusCode::OK,
        json::to_canonical_string(&body).into_bytes(),
    )))
}

/// The server's own key set, as published.
async fn keys(st: &AppState) -> Result<KeySet, ApiError> {
    crate::links::all_keys(st).await
}

/// Verifies a stored receipt again, now: `Ok(())` or the failure's code and message.
fn check(st: &AppState, keys: &KeySet, r: &LedgerRecord) -> Result<(), (String, String)> {
    let policy = st.policy.load();
    verify_countersigned(&r.countersigned, &policy, keys)
        .map(|_| ())
        .map_err(|e| (e.code().to_owned(), e.to_string()))
}

fn row(st: &AppState, keys: &KeySet, r: &LedgerRecord, rc: &Receipt) -> Value {
    let s = Summary::of(
        &Scope {
            from: Timestamp(i64::MIN),
            to: Timestamp(i64::MAX),
            purposes: Vec::new(),
        },
        1,
        [Item {
            index: r.entry.index,
            received_at: r.entry.received_at,
            receipt: rc,
            subject_chain: r.entry.subject_chain,
        }],
    );
    let verified = check(st, keys, r);
    let mut m = match s.receipts.first() {
        Some(x) => vec![
            ("index", int(x.index)),
            ("received_at", Value::str(x.received_at.to_rfc3339())),
            ("receipt_id", Value::str(x.receipt_id.as_str())),
            ("subject", Value::str(x.subject.as_str())),
            ("region", Value::str(x.region.as_str())),
            ("regimes", Value::str(x.regimes.as_str())),
            ("channel", Value::str(x.channel)),
            ("notice", Value::str(x.notice.as_str())),
            (
                "decisions",
                Value::Arr(
                    x.decisions
                        .iter()
                        .map(|(p, st)| {
                            Value::object([
                                ("purpose", Value::str(p.as_str())),
                                ("state", Value::str(*st)),
                            ])
                        })
                        .collect(),
                ),
            ),
            ("chain", Value::str(x.chain.as_str())),
        ],
        None => Vec::new(),
    };
    m.push(("verified", Value::Bool(verified.is_ok())));
    m.push((
        "problem",
        verified
            .err()
            .map_or(Value::Null, |(c, msg)| Value::str(format!("{msg} [{c}]"))),
    ));
    Value::object(m)
}

async fn receipts(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    QueryParams(params): QueryParams<HashMap<String, String>>,
) -> Result<Response, Response> {
    let route = "/console/api/receipts";
    let mut q = Query {
        limit: 50,
        ..Query::default()
    };
    for (k, v) in &params {
        let time = |v: &str| {
            Timestamp::parse_rfc3339(v).map_err(|_| {
                format!("{k} must be an RFC 3339 UTC time such as 2026-11-27T00:00:00Z")
            })
        };
        match k.as_str() {
            "from" => q.from = Some(time(v).map_err(bad)?),
            "to" => q.to = Some(time(v).map_err(bad)?),
            "subject" if !v.is_empty() => q.subject = Some(v.clone()),
            "subject" => {}
            "after" => {
                q.after_index = v.parse().map_err(|_| bad("after must be a ledger index"))?;
            }
            "limit" => {
                q.limit = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE).contains(n))
                    .ok_or_else(|| bad(format!("limit must be 1 to {MAX_PAGE}")))?;
            }
            other => return Err(bad(format!("unknown query parameter {other:?}"))),
        }
    }
    read(
        &st,
        &headers,
        &ip,
        route,
        format!("{route} after {}", q.after_index),
    )
    .await?;
    let keys = keys(&st).await.map_err(IntoResponse::into_response)?;
    let page = st.store.query(q.clone()).await.map_err(internal)?;
    let mut list = Vec::with_capacity(page.len());
    for r in &page {
        let rc = crate::admin::receipt_only(r)
            .ok_or_else(|| internal("a stored receipt could not be read"))?;
        list.push(row(&st, &keys, r, &rc));
    }
    let next = if page.len() == q.limit {
        page.last().map_or(Value::Null, |r| int(r.entry.index))
    } else {
        Value::Null
    };
    let body = Value::object([("receipts", Value::Arr(list)), ("next_after", next)]);
    Ok(no_store(json_response(
        StatusCode::OK,
        json::to_canonical_string(&body).into_bytes(),
    )))
}

/// The receipt's inclusion in the log, checked now against the log's and the witnesses'
/// keys: a sentence, and whether it holds.
async fn inclusion(st: &AppState, entry: &LedgerEntry) -> (bool, String) {
    let Some(info) = st.tlog.as_ref() else {
        return (false, "this server keeps no transparency log".into());
    };
    let text = match crate::tlog_http::proof_text(st.store.as_ref(), entry.index).await {
        Ok(Some(t)) => t,
        Ok(None) => return (false, "not in a checkpoint yet".into()),
        Err(e) => return (false, format!("the log could not be read: {e}")),
    };
    let log = match consentry_tlog::log_verifier(&info.verifier_key) {
        Ok(l) => l,
        Err(e) => return (false, e.message),
    };
    let ws = match info
        .witnesses
        .iter()
        .map(|w| consentry_tlog::CosignatureVerifier::new(w))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(w) => w,
        Err(e) => return (false, format!("a witness key is malformed: {}", e.message)),
    };
    let leaf = consentry_tlog::leaf_hash(&entry.hash().0);
    // Witnessed when a cosigned checkpoint covers it; the log's signature alone only when no
    // cosignature is there yet (a wrong one is a failure, shown as such).
    let checked = consentry_tlog::Proof::parse(&text).and_then(|p| {
        p.verify(leaf, &log, &ws).or_else(|e| {
            if e.code == "checkpoint_unwitnessed" {
                p.verify(leaf, &log, &[])
            } else {
                Err(e)
            }
        })
    });
    match checked {
        Ok(cp) if cp.witnessed.is_empty() => (
            true,
            format!(
                "entry {} is in checkpoint size {} (signed by the log; no witness cosignature yet)",
                entry.index,
                cp.checkpoint.size()
            ),
        ),
        Ok(cp) => (
            true,
            format!(
                "entry {} is in checkpoint size {}, cosigned by {}",
                entry.index,
                cp.checkpoint.size(),
                cp.witnessed
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Err(e) => (false, format!("{} [{}]", e.message, e.code)),
    }
}

async fn receipt(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    UrlPath(index): UrlPath<String>,
) -> Result<Response, Response> {
    let route = "/console/api/receipts/{index}";
    let index: u64 = index
        .parse()
        .ok()
        .filter(|i| *i > 0)
        .ok_or_else(|| bad("the index must be a ledger index (1, 2, …)"))?;
    read(
        &st,
        &headers,
        &ip,
        route,
        format!("/console/api/receipts/{index}"),
    )
    .await?;
    let r = crate::admin::entry_at(&st, index)
        .await
        .map_err(internal)?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no ledger entry {index}"),
            )
            .into_response()
        })?;
    let rc = crate::admin::receipt_only(&r)
        .ok_or_else(|| internal("a stored receipt could not be read"))?;
    let keys = keys(&st).await.map_err(IntoResponse::into_response)?;
    let summary = row(&st, &keys, &r, &rc);
    let policy = st.policy.load();
    let bundle = policy
        .notices
        .as_ref()
        .and_then(|n| n.get(&rc.notice.sha256));
    let (text, dir, lang) = match bundle {
        Some(b) => (
            Value::str(notice_text(b, rc.jurisdiction.child_age())),
            Value::str(b.dir.as_str()),
            Value::str(b.locale.as_str()),
        ),
        None => (Value::Null, Value::Null, Value::Null),
    };
    let history =
        crate::admin::subject_history(&st, &rc.subject, Some(rc.notice.notice_id.as_str()))
            .await
            .map_err(IntoResponse::into_response)?;
    let chain = history
        .iter()
        .map(|(h, hr)| row(&st, &keys, h, hr))
        .collect();
    let (included, log) = inclusion(&st, &r.entry).await;
    let body = Value::object([
        ("receipt", summary),
        ("notice_sha256", Value::str(rc.notice.sha256.to_hex())),
        ("notice_text", text),
        ("notice_dir", dir),
        ("notice_lang", lang),
        ("chain", Value::Arr(chain)),
        ("log_included", Value::Bool(included)),
        ("log", Value::str(log)),
    ]);
    Ok(no_store(json_response(
        StatusCode::OK,
        json::to_canonical_string(&body).into_bytes(),
    )))
}

async fn log_health(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let route = "/console/api/log";
    read(&st, &headers, &ip, route, route.to_owned()).await?;
    let (Some(log), Some(info)) = (st.store.log(), st.tlog.as_ref()) else {
        let body = Value::object([("kept", Value::Bool(false))]);
        return Ok(no_store(json_response(
            StatusCode::OK,
            json::to_canonical_string(&body).into_bytes(),
        )));
    };
    let snap = log
        .log_read(Box::new(|_, _| Vec::new()))
        .await
        .map_err(internal)?;
    let verifier =
        consentry_tlog::log_verifier(&info.verifier_key).map_err(|e| internal(e.message))?;
    let ws = info
        .witnesses
        .iter()
        .map(|w| consentry_tlog::CosignatureVerifier::new(w))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| internal(format!("a witness key is malformed: {}", e.message)))?;
    let cosigned = match &snap.latest_cosigned {
        Some((size, note)) => {
            match consentry_tlog::verify_checkpoint(note.as_bytes(), &verifier, &ws) {
                Ok(cp) => Value::object([
                    ("size", int(*size)),
                    (
                        "witnesses",
                        Value::Arr(
                            cp.witnessed
                                .iter()
                                .map(|(n, t)| {
                                    Value::object([
                                        ("name", Value::str(n.as_str())),
                                        (
                                            "at",
                                            Value::str(
                                                i64::try_from(*t)
                                                    .ok()
                                                    .and_then(|t| t.checked_mul(1000))
                                                    .map_or_else(
                                                        || format!("unix {t}"),
                                                        |ms| Timestamp(ms).to_rfc3339(),
                                                    ),
                                            ),
                                        ),
                                    ])
                                })
                                .collect(),
                        ),
                    ),
                    ("note", Value::str(note.as_str())),
                ]),
                Err(e) => Value::object([
                    ("size", int(*size)),
                    ("problem", Value::str(format!("{} [{}]", e.message, e.code))),
                ]),
            }
        }
        None => Value::Null,
    };
    let body = Value::object([
        ("kept", Value::Bool(true)),
        ("origin", Value::str(info.origin.as_str())),
        ("log_key", Value::str(info.verifier_key.as_str())),
        ("size", int(snap.size)),
        ("checkpoint", snap.note.map_or(Value::Null, Value::str)),
        ("witnesses_configured", int(info.witnesses.len() as u64)),
        ("cosigned", cosigned),
    ]);
    Ok(no_store(json_response(
        StatusCode::OK,
        json::to_canonical_string(&body).into_bytes(),
    )))
}
