//! The evidence pack (issue 15 item 7, ADR 0016): one self-contained HTML file an external
//! assessor checks offline with `consentry verify --evidence`.
//!
//! ```text
//! GET /v1/admin/evidence?from=…&to=…[&purpose=a,b]      admin token (ADR 0007)
//! GET /console/api/evidence?from=…&to=…[&purpose=a,b]   console session, auditor or dpo;
//!                                                       every export is in the audit trail
//! ```
//!
//! The pack holds the ledger from its first entry to the checkpoint the witnesses cosigned
//! last (the latest checkpoint when no witness is configured; the whole ledger when no log is
//! kept), that checkpoint, the key set, the hotline agents' key set (as
//! `/.well-known/consentry/agent-keys.json` publishes it: every agent key, revoked ones too;
//! empty without a console), and every file of every notice version a receipt names, read
//! from the published archive (`--notices`). The report is drawn by core
//! (`consentry_core::evidence::render`), the same code the verifier draws it again with.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::{Query as QueryParams, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use consentry_core::bundle::archive::ARCHIVE_DIR;
use consentry_core::encoding::{Sha256Digest, b64url};
use consentry_core::evidence::{self, Item, LogPart, NoticeFiles, Pack, Scope, Summary};
use consentry_core::receipt::jws::Jws;
use consentry_core::receipt::ledger::export_line;
use consentry_core::receipt::verify::{AgentJwk, NoticeRegistry, agent_jwks_json};
use consentry_core::time::Timestamp;

use crate::AppState;
use crate::console::{ClientIp, Role, blocking, no_store, require};
use crate::http::ApiError;
use crate::store::{LedgerRecord, Query};

/// The evidence routes: the admin one behind the bearer token, the console one behind a
/// session.
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/v1/admin/evidence", get(admin_export))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::admin::require_token,
        ))
        .route("/console/api/evidence", get(console_export))
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", msg)
}

/// Reads `from`, `to` (RFC 3339 UTC, both required, `from` before `to`) and `purpose`
/// (comma-separated purpose ids; absent: every purpose).
pub(crate) fn parse_scope(params: &HashMap<String, String>) -> Result<Scope, ApiError> {
    let mut from = None;
    let mut to = None;
    let mut purposes = Vec::new();
    for (k, v) in params {
        let time = |v: &str| {
            Timestamp::parse_rfc3339(v).map_err(|_| {
                bad(format!(
                    "{k} must be an RFC 3339 UTC time such as 2026-11-27T00:00:00Z"
                ))
            })
        };
        match k.as_str() {
            "from" => from = Some(time(v)?),
            "to" => to = Some(time(v)?),
            "purpose" => {
                for p in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    if p.len() > 64
                        || !p
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    {
                        return Err(bad(format!("purpose {p:?} is not a purpose id")));
                    }
                    purposes.push(p.to_owned());
                }
            }
            other => return Err(bad(format!("unknown query parameter {other:?}"))),
        }
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(bad("from and to are required (RFC 3339 UTC)"));
    };
    if from >= to {
        return Err(bad("from must be before to"));
    }
    purposes.sort();
    purposes.dedup();
    Ok(Scope { from, to, purposes })
}

fn unavailable(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "evidence_unavailable", msg)
}

fn internal(what: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %what, "evidence pack failed");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "the evidence pack could not be made",
    )
}

/// The checkpoint the pack rests on and its size: the latest one the witnesses cosigned
/// when witnesses are configured, else the latest one. `None` only when the store keeps no
/// log; a log with no checkpoint yet, or witnesses that have cosigned nothing yet, is `503`:
/// a pack without them would prove less than it says.
async fn checkpoint(st: &AppState) -> Result<Option<(u64, LogPart)>, ApiError> {
    let Some(log) = st.store.log() else {
        return Ok(None);
    };
    let Some(info) = st.tlog.as_ref() else {
        return Err(unavailable("the log's keys are not loaded"));
    };
    let snap = log
        .log_read(Box::new(|_, _| Vec::new()))
        .await
        .map_err(internal)?;
    let chosen = if info.witnesses.is_empty() {
        snap.cosigned.or(snap.note).map(|n| (snap.size, n))
    } else {
        snap.latest_cosigned
    };
    let Some(chosen) = chosen else {
        return Err(unavailable(if info.witnesses.is_empty() {
            "nothing is logged yet: no checkpoint to rest a pack on"
        } else {
            "the witnesses have cosigned no checkpoint yet: try again once they have"
        }));
    };
    Ok(Some(chosen).map(|(size, note)| {
        (
            size,
            LogPart {
                origin: info.origin.clone(),
                verifier_key: info.verifier_key.clone(),
                witnesses: info.witnesses.clone(),
                checkpoint: note,
            },
        )
    }))
}

/// The agent key set as published (`/.well-known/consentry/agent-keys.json`): every agent key
/// the console registered, revoked ones too; no console, no keys. Read after the ledger, so
/// it holds the key of every agent receipt read (keys are never deleted).
async fn agent_keys(st: &AppState) -> Result<String, ApiError> {
    let rows = match st.console.clone() {
        Some(store) => tokio::task::spawn_blocking(move || store.agent_keys())
            .await
            .map_err(internal)?
            .map_err(internal)?,
        None => Vec::new(),
    };
    let keys: Vec<AgentJwk> = rows.into_iter().map(|r| r.key).collect();
    Ok(agent_jwks_json(&keys))
}

/// A name the archive can hold as one path segment.
fn plain(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Every file of the published build of `id` `version`, found in the archive of one of
/// `roots` (or a root that is that build), checked whole by the same reader the verifier
/// uses.
fn notice_files(roots: &[PathBuf], id: &str, version: &str) -> Result<NoticeFiles, String> {
    if !plain(id) || !plain(version) {
        return Err(format!("notice {id:?} {version:?} is not an archive name"));
    }
    let mut dirs: Vec<PathBuf> = roots
        .iter()
        .map(|r| r.join(ARCHIVE_DIR).join(id).join(version))
        .collect();
    dirs.extend(roots.iter().cloned());
    for dir in dirs {
        let Ok(manifest) = std::fs::read(dir.join("manifest.json")) else {
            continue;
        };
        let Ok(m) = consentry_core::bundle::Manifest::from_json(&manifest) else {
            continue;
        };
        if m.notice_id.as_str() != id || m.version != version {
            continue;
        }
        return read_build(&dir, manifest, id, version);
    }
    Err(format!(
        "notice {id} version {version} is not in the published archive (--notices)"
    ))
}

fn read_build(
    dir: &Path,
    manifest: Vec<u8>,
    id: &str,
    version: &str,
) -> Result<NoticeFiles, String> {
    let mut files: Vec<(String, String)> = Vec::new();
    let mut bad_text = None;
    NoticeRegistry::new()
        .add_build(&manifest, |name| {
            let bytes = std::fs::read(dir.join(name)).map_err(|e| e.to_string())?;
            match String::from_utf8(bytes.clone()) {
                Ok(t) => files.push((name.to_owned(), t)),
                Err(_) => bad_text = Some(name.to_owned()),
            }
            Ok(bytes)
        })
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    if let Some(n) = bad_text {
        return Err(format!("{}: {n} is not UTF-8", dir.display()));
    }
    let manifest = String::from_utf8(manifest)
        .map_err(|_| format!("{}: manifest.json is not UTF-8", dir.display()))?;
    files.push(("manifest.json".to_owned(), manifest));
    files.sort();
    files.dedup();
    Ok(NoticeFiles {
        notice_id: id.to_owned(),
        version: version.to_owned(),
        files,
    })
}

/// Makes the pack for `scope`: the whole file, as served.
pub(crate) async fn make(st: &AppState, scope: Scope) -> Result<String, ApiError> {
    let log = checkpoint(st).await?;
    let last = match &log {
        Some((size, _)) => *size,
        None => u64::MAX,
    };
    let mut records: Vec<LedgerRecord> = Vec::new();
    let mut q = Query {
        limit: crate::admin::PAGE,
        ..Query::default()
    };
    loop {
        let page = st.store.query(q.clone()).await.map_err(internal)?;
        let full = page.len() == q.limit;
        for r in page {
            if r.entry.index > last {
                break;
            }
            q.after_index = r.entry.index;
            records.push(r);
        }
        if !full || q.after_index >= last {
            break;
        }
    }
    let agent_keys = agent_keys(st).await?;
    let created_at = (st.clock)();
    let keys = st.jwks.to_string();
    let roots = st.notice_dirs.clone();
    blocking_build(move || {
        let mut ledger = String::new();
        let mut receipts = Vec::with_capacity(records.len());
        let mut versions = BTreeSet::new();
        for r in &records {
            let jws = Jws::from_json(&r.countersigned).map_err(internal)?;
            ledger.push_str(&export_line(&r.entry, &jws));
            ledger.push('\n');
            receipts.push(
                crate::admin::receipt_only(r)
                    .ok_or_else(|| internal("a stored receipt could not be read"))?,
            );
            versions.insert((r.notice_id.clone(), r.notice_version.clone()));
        }
        let mut notices = Vec::new();
        for (id, version) in &versions {
            notices.push(notice_files(&roots, id, version).map_err(unavailable)?);
        }
        let pack = Pack {
            created_at,
            scope,
            keys,
            agent_keys: Some(agent_keys),
            log: log.map(|(_, l)| l),
            notices,
            ledger,
        };
        let summary = Summary::of(
            &pack.scope,
            records.last().map_or(0, |r| r.entry.index),
            records.iter().zip(&receipts).map(|(r, rc)| Item {
                index: r.entry.index,
                received_at: r.entry.received_at,
                receipt: rc,
                subject_chain: r.entry.subject_chain,
            }),
        );
        Ok(evidence::render(&pack, &summary))
    })
    .await
}

async fn blocking_build<F>(f: F) -> Result<String, ApiError>
where
    F: FnOnce() -> Result<String, ApiError> + Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(internal)?
}

/// The `Content-Security-Policy` a pack is served with: nothing runs, nothing loads, and only
/// its own stylesheet applies.
pub(crate) fn csp() -> String {
    let mut hash = b64url(&Sha256Digest::of(evidence::style_text().as_bytes()).0)
        .replace('-', "+")
        .replace('_', "/");
    while !hash.len().is_multiple_of(4) {
        hash.push('=');
    }
    format!("default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'")
}

fn served(scope: &Scope, html: String) -> Response {
    let day = |t: Timestamp| t.to_rfc3339()[..10].replace('-', "");
    let name = format!(
        "attachment; filename=\"consentry-evidence-{}-{}.html\"",
        day(scope.from),
        day(scope.to)
    );
    let mut res = html.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&csp()) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    no_store(res)
}

async fn admin_export(
    State(st): State<AppState>,
    QueryParams(params): QueryParams<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let scope = parse_scope(&params)?;
    tracing::info!(from = %scope.from.to_rfc3339(), to = %scope.to.to_rfc3339(), "evidence pack (admin)");
    let html = make(&st, scope.clone()).await?;
    Ok(served(&scope, html))
}

async fn console_export(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    QueryParams(params): QueryParams<HashMap<String, String>>,
) -> Result<Response, Response> {
    let route = "/console/api/evidence";
    let (store, _, session) =
        require(&st, &headers, &ip, route, &[Role::Auditor, Role::Dpo]).await?;
    let scope = parse_scope(&params).map_err(IntoResponse::into_response)?;
    let detail = format!(
        "{route} from {} to {} purposes {}",
        scope.from.to_rfc3339(),
        scope.to.to_rfc3339(),
        if scope.purposes.is_empty() {
            "all".to_owned()
        } else {
            scope.purposes.join(",")
        }
    );
    let html = make(&st, scope.clone())
        .await
        .map_err(IntoResponse::into_response)?;
    // Recorded once the pack exists: the trail says who took which evidence, and when.
    let now = (st.clock)();
    let who = session.username.clone();
    blocking(move || store.audit(now, &who, "evidence_export", &detail, &ip)).await?;
    Ok(served(&scope, html))
}
