//! The transparency log over HTTP (ADR 0011): what the server publishes under `/v1/log/`
//! (C2SP tlog-tiles: [`routes`]), the proof each POST answer carries ([`with_proof`]), and
//! the background task that offers each new checkpoint to the witnesses ([`run_witnesses`],
//! C2SP tlog-witness). The log itself, kept in the ledger's database, is `tlog`.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use axum::routing::get;
use consentry_core::json::{self, Value};
use consentry_tlog::{CosignatureVerifier, Proof};

use crate::AppState;
use crate::db::StoreError;
use crate::store::ReceiptStore;
use crate::tlog::{Log, LogStore, corrupt};

// ---------------------------------------------------------------------------------------------
// What the HTTP side needs.

/// The log as the HTTP side publishes it.
#[derive(Debug)]
pub struct LogInfo {
    /// The log (for the proofs of entries just committed).
    pub log: Arc<Log>,
    /// Origin.
    pub origin: String,
    /// The log's verifier key.
    pub verifier_key: String,
    /// Witness verifier keys (in `--witness-key` order).
    pub witnesses: Vec<String>,
}

/// The `c2sp.org/tlog-proof@v1` text of ledger entry `index` against the latest checkpoint
/// (its cosigned form when there is one).
pub async fn proof_text(
    store: &dyn ReceiptStore,
    index: u64,
) -> Result<Option<String>, StoreError> {
    let Some(log) = store.log() else {
        return Ok(None);
    };
    if index == 0 {
        return Ok(None);
    }
    let leaf = index - 1;
    // A witnessed checkpoint that covers the entry is a stronger proof than a newer one the
    // witnesses have not cosigned yet.
    let target = move |latest: u64, cosigned: Option<u64>| match cosigned {
        Some(c) if leaf < c => c,
        _ => latest,
    };
    let snap = log
        .log_read(Box::new(move |latest, cosigned| {
            consentry_tlog::inclusion_indexes(leaf, target(latest, cosigned))
        }))
        .await?;
    let (size, note) = match &snap.latest_cosigned {
        Some((c, note)) if leaf < *c => (*c, Some(note.clone())),
        _ => (snap.size, snap.cosigned.clone().or(snap.note.clone())),
    };
    if leaf >= size {
        return Ok(None);
    }
    let Some(note) = note else {
        return Ok(None);
    };
    let hashes = consentry_tlog::prove_inclusion(size, leaf, &snap.hashes)
        .map_err(|e| corrupt(format!("log proof: {e}")))?;
    Ok(Some(
        Proof {
            index: leaf,
            hashes,
            checkpoint: note.into_bytes(),
        }
        .to_text(),
    ))
}

/// Adds `"tlog_proof"` (the last member in canonical order) to a stored-receipt answer.
pub async fn with_proof(st: &AppState, mut body: Vec<u8>, index: u64) -> Vec<u8> {
    let fresh = st.tlog.as_ref().and_then(|i| i.log.take(index));
    let proof = match fresh {
        Some(p) => Ok(Some(p)),
        None => proof_text(st.store.as_ref(), index).await,
    };
    match proof {
        Ok(Some(text)) if body.last() == Some(&b'}') => {
            body.pop();
            body.extend_from_slice(b",\"tlog_proof\":");
            body.extend_from_slice(json::to_canonical_string(&Value::str(text)).as_bytes());
            body.push(b'}');
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, index, "no log proof for the answer"),
    }
    body
}

fn text_response(
    status: StatusCode,
    body: Vec<u8>,
    ctype: &'static str,
    cache: &'static str,
) -> Response {
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

fn not_found(why: &str) -> Response {
    crate::http::error_response(StatusCode::NOT_FOUND, "not_found", why)
}

fn internal(e: &StoreError) -> Response {
    tracing::error!(error = %e, "log read failed");
    crate::http::error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "log read failed",
    )
}

/// `/v1/log/checkpoint`, `/v1/log/tile/…`, `/v1/log/consistency/<old>/<new>` and
/// `/.well-known/consentry/log.json`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/log/checkpoint", get(checkpoint))
        .route("/v1/log/tile/{*rest}", get(tile))
        .route("/v1/log/consistency/{old}/{new}", get(consistency))
        .route("/.well-known/consentry/log.json", get(log_json))
}

async fn checkpoint(State(st): State<AppState>) -> Response {
    let Some(log) = st.store.log() else {
        return not_found("this server keeps no transparency log");
    };
    let snap = match log.log_read(Box::new(|_, _| Vec::new())).await {
        Ok(s) => s,
        Err(e) => return internal(&e),
    };
    let witnessed = st.tlog.as_ref().is_some_and(|i| !i.witnesses.is_empty());
    let note = if witnessed {
        snap.latest_cosigned.map(|(_, n)| n).or(snap.note)
    } else {
        snap.cosigned.or(snap.note)
    };
    match note {
        Some(n) => text_response(
            StatusCode::OK,
            n.into_bytes(),
            "text/plain; charset=utf-8",
            "no-cache",
        ),
        None => not_found("nothing is logged yet"),
    }
}

async fn tile(State(st): State<AppState>, Path(rest): Path<String>) -> Response {
    let Some(log) = st.store.log() else {
        return not_found("this server keeps no transparency log");
    };
    let Some(t) = consentry_tlog::parse_tile_path(&rest) else {
        return not_found("not a tile path (tile/<L>/<N>[.p/<W>])");
    };
    let ids = consentry_tlog::tile_indexes(&t);
    let want = ids.clone();
    let snap = match log
        .log_read(Box::new(move |size, _| {
            if consentry_tlog::tile_in_tree(&t, size) {
                want
            } else {
                Vec::new()
            }
        }))
        .await
    {
        Ok(s) => s,
        Err(e) => return internal(&e),
    };
    if !consentry_tlog::tile_in_tree(&t, snap.size) {
        return not_found("this tile is beyond the latest checkpoint");
    }
    let mut data = Vec::with_capacity(ids.len() * 32);
    for id in &ids {
        match snap.hashes.0.get(id) {
            Some(h) => data.extend_from_slice(&h.0),
            None => return internal(&corrupt("tile hash missing")),
        }
    }
    let cache = if t.width() == 1 << consentry_tlog::TILE_HEIGHT {
        crate::http::IMMUTABLE
    } else {
        // A partial tile never changes either, but it goes away once its tile is full.
        "public, max-age=60"
    };
    text_response(StatusCode::OK, data, "application/octet-stream", cache)
}

async fn consistency(
    State(st): State<AppState>,
    Path((old, new)): Path<(String, String)>,
) -> Response {
    let Some(log) = st.store.log() else {
        return not_found("this server keeps no transparency log");
    };
    let (Some(old), Some(new)) = (
        consentry_tlog::parse_decimal(&old),
        consentry_tlog::parse_decimal(&new),
    ) else {
        return not_found("sizes are decimal numbers");
    };
    let snap = match log
        .log_read(Box::new(move |size, _| {
            if new <= size {
                consentry_tlog::consistency_indexes(old, new)
            } else {
                Vec::new()
            }
        }))
        .await
    {
        Ok(s) => s,
        Err(e) => return internal(&e),
    };
    if old == 0 || old > new || new > snap.size {
        return not_found("no such pair of tree sizes (0 < old <= new <= latest)");
    }
    match consentry_tlog::prove_consistency(old, new, &snap.hashes) {
        Ok(p) => text_response(
            StatusCode::OK,
            consentry_tlog::hash_lines(&p).into_bytes(),
            "text/plain; charset=utf-8",
            crate::http::IMMUTABLE,
        ),
        Err(e) => internal(&corrupt(e.to_string())),
    }
}

async fn log_json(State(st): State<AppState>) -> Response {
    let Some(info) = &st.tlog else {
        return not_found("this server keeps no transparency log");
    };
    let body = json::to_canonical_string(&Value::object([
        ("checkpoint", Value::str("/v1/log/checkpoint")),
        (
            "leaf",
            Value::str("SHA-256(0x00 || \"ccr-leaf/v1\\n\" || entry_hash)"),
        ),
        ("log_key", Value::str(info.verifier_key.clone())),
        ("origin", Value::str(info.origin.clone())),
        ("tiles", Value::str("/v1/log/tile/")),
        (
            "witnesses",
            Value::Arr(
                info.witnesses
                    .iter()
                    .map(|w| Value::str(w.clone()))
                    .collect(),
            ),
        ),
    ]));
    text_response(
        StatusCode::OK,
        body.into_bytes(),
        "application/json",
        "public, max-age=300",
    )
}

// ---------------------------------------------------------------------------------------------
// Witness submission.

/// One witness the server submits checkpoints to.
#[derive(Clone, Debug)]
pub struct WitnessClient {
    /// `http://host:port/path` of its `add-checkpoint`.
    pub url: String,
    /// Its cosignature key.
    pub key: CosignatureVerifier,
}

/// Parses `--witness URL` / `--witness-key VERIFIER` pairs.
pub fn witness_clients(urls: &[String], keys: &[String]) -> Result<Vec<WitnessClient>, String> {
    if urls.len() != keys.len() {
        return Err(format!(
            "{} --witness URL(s) but {} --witness-key(s): give one key per witness, in order",
            urls.len(),
            keys.len()
        ));
    }
    urls.iter()
        .zip(keys)
        .map(|(u, k)| {
            if !u.starts_with("http://") {
                return Err(format!(
                    "--witness {u}: only http:// URLs (put TLS in front)"
                ));
            }
            let key = CosignatureVerifier::new(k).map_err(|e| format!("--witness-key: {e}"))?;
            Ok(WitnessClient {
                url: u.clone(),
                key,
            })
        })
        .collect()
}

/// A minimal HTTP/1.1 POST (plain http, `Connection: close`): status and body.
async fn http_post(url: &str, body: &str, timeout: Duration) -> Result<(u16, String), String> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let rest = url.strip_prefix("http://").ok_or("not an http:// URL")?;
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let go = async {
        let mut s = tokio::net::TcpStream::connect(hostport)
            .await
            .map_err(|e| e.to_string())?;
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        let mut buf = Vec::new();
        s.take(1 << 20)
            .read_to_end(&mut buf)
            .await
            .map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&buf).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").ok_or("no HTTP header end")?;
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or("no HTTP status")?;
        Ok::<_, String>((status, body.to_string()))
    };
    tokio::time::timeout(timeout, go)
        .await
        .map_err(|_| "timed out".to_string())?
}

/// Submits the latest checkpoint to every witness, every `period`, and stores the cosigned
/// note. Runs until the process ends. A witness that is down or refuses is logged and tried
/// again next period; receipts keep being accepted meanwhile (their proofs carry the latest
/// checkpoint unwitnessed).
pub async fn run_witnesses(
    store: Arc<dyn ReceiptStore>,
    log_key: consentry_tlog::StandardVerifier,
    witnesses: Vec<WitnessClient>,
    period: Duration,
) {
    let Some(_) = store.log() else { return };
    // Each witness's last cosigned size as far as we know (corrected by its 409 answers),
    // and the size it last refused (not offered again; a larger one is).
    let mut known: Vec<(u64, u64)> = vec![(0, 0); witnesses.len()];
    let mut done = 0u64;
    loop {
        if let Err(e) =
            witness_round(store.as_ref(), &log_key, &witnesses, &mut known, &mut done).await
        {
            tracing::warn!(error = %e, "witness round failed; the checkpoint stays unwitnessed");
        }
        tokio::time::sleep(period).await;
    }
}

async fn witness_round(
    store: &dyn ReceiptStore,
    log_key: &consentry_tlog::StandardVerifier,
    witnesses: &[WitnessClient],
    known: &mut [(u64, u64)],
    done: &mut u64,
) -> Result<(), String> {
    let log = store.log().ok_or("no log")?;
    let snap = log
        .log_read(Box::new(|_, _| Vec::new()))
        .await
        .map_err(|e| e.to_string())?;
    if snap.size == 0 || snap.size == *done {
        return Ok(());
    }
    let note = snap.note.clone().ok_or("no checkpoint")?;
    let mut lines = Vec::new();
    for (w, (k, refused)) in witnesses.iter().zip(known.iter_mut()) {
        if *refused == snap.size {
            continue;
        }
        match submit(log, log_key, w, k, snap.size, &note).await {
            Ok(line) => lines.push(line),
            Err((true, e)) => {
                // A refusal is evidence, not an outage: alarm, and do not offer it again.
                *refused = snap.size;
                tracing::error!(witness = %w.url, size = snap.size, error = %e, "witness REFUSED the checkpoint");
            }
            Err((false, e)) => {
                tracing::warn!(witness = %w.url, size = snap.size, error = %e, "witness unreachable; will retry");
            }
        }
    }
    if lines.len() == witnesses.len() {
        let cosigned = format!("{note}{}", lines.concat());
        log.log_store_cosigned(snap.size, cosigned)
            .await
            .map_err(|e| e.to_string())?;
        *done = snap.size;
        tracing::info!(size = snap.size, "checkpoint cosigned by every witness");
    }
    Ok(())
}

/// One `add-checkpoint` exchange (and one retry after a 409 naming another size).
async fn submit(
    log: &dyn LogStore,
    log_key: &consentry_tlog::StandardVerifier,
    w: &WitnessClient,
    known: &mut u64,
    size: u64,
    note: &str,
) -> Result<String, (bool, String)> {
    for _ in 0..2 {
        let old = *known;
        if old > size {
            return Err((
                true,
                format!(
                    "the witness has cosigned size {old}, above our {size}: the log was rolled back"
                ),
            ));
        }
        let proof = if old == 0 || old == size {
            Vec::new()
        } else {
            let snap = log
                .log_read(Box::new(move |_, _| {
                    consentry_tlog::consistency_indexes(old, size)
                }))
                .await
                .map_err(|e| (false, e.to_string()))?;
            consentry_tlog::prove_consistency(old, size, &snap.hashes)
                .map_err(|e| (false, e.to_string()))?
        };
        let body = format!("old {old}\n{}\n{note}", consentry_tlog::hash_lines(&proof));
        let (status, answer) = http_post(&w.url, &body, Duration::from_secs(5))
            .await
            .map_err(|e| (false, e))?;
        match status {
            200 => {
                let full = format!("{note}{answer}");
                consentry_tlog::verify_checkpoint(
                    full.as_bytes(),
                    log_key,
                    std::slice::from_ref(&w.key),
                )
                .map_err(|e| {
                    (
                        false,
                        format!("the witness answered an invalid cosignature: {e}"),
                    )
                })?;
                *known = size;
                return Ok(answer);
            }
            409 => {
                *known = consentry_tlog::parse_decimal(answer.trim())
                    .ok_or_else(|| (false, format!("409 without a size: {answer:?}")))?;
            }
            // 4xx: the witness refused this checkpoint (final); anything else: retry.
            s => return Err(((400..500).contains(&s), format!("{s}: {}", answer.trim()))),
        }
    }
    Err((false, "the witness's size keeps changing".into()))
}
