//! Subject references and link tokens (issue 15 items 3 and 4, ADR 0017).
//!
//! ```text
//! POST /v1/links            service token with the channel in its `links` scope
//!   {"identifier": {"kind": "ticket"|"email"|"phone"|"customer", "value": "…"},
//!    "channel": "support_mailbox", "ticket": "T-1001" (optional),
//!    "ttl_seconds": 604800 (1 s to 30 days; default 7 days)}
//!   201 {"token", "sref", "channel", "ticket", "exp"}
//! POST /v1/links/status {"token"}   public: 200 {"channel","ticket","exp"},
//!   410 link_expired, 400 link_invalid: what a page asks before it shows the notice (the
//!   token in the body, never in a URL a log or proxy keeps)
//! ```
//!
//! A subject reference is `sr1:` and the base64url HMAC-SHA256, under a key only this server
//! holds (`<key-dir>/subject-ref.key`, 0600), of the identifier's kind and its normalized
//! value. The receipt never holds the identifier, and without the key nobody can tell whose
//! reference it is or make one; destroying the key unlinks every reference at once (ADR 0017,
//! data-subject requests). The token is signed with the countersigning key, so anyone with the
//! key set can check it offline; the server checks it at ingest (`crate::api`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use consentry_core::encoding::b64url;
use consentry_core::json::{self, Value};
use consentry_core::receipt::link::{self, LINK_TYP, LinkClaims};
use consentry_core::receipt::verify::{KeySet, VerifyError, check_link};
use consentry_core::receipt::{Channel, Receipt};
use consentry_core::time::Timestamp;

use crate::AppState;
use crate::http::{ApiError, json_response};
use crate::store::{LedgerRecord, Query};

/// The file that holds the subject-reference key, in the key directory.
pub const SREF_KEY_FILE: &str = "subject-ref.key";

/// Largest `POST /v1/links` body.
pub const MAX_LINK_BODY: usize = 2048;

/// Longest a token may live, in seconds (30 days).
pub const MAX_TTL_SECONDS: i64 = 30 * 24 * 3600;

/// How long a token lives when the request does not say (7 days: a mail is read late).
pub const DEFAULT_TTL_SECONDS: i64 = 7 * 24 * 3600;

/// The key that makes subject references.
pub struct SrefKey(ring::hmac::Key);

impl std::fmt::Debug for SrefKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SrefKey(…)")
    }
}

/// The kinds of identifier a reference can be made of.
pub use consentry_core::receipt::link::IDENTIFIER_KINDS as KINDS;

impl SrefKey {
    /// A key from 32 bytes.
    pub fn new(bytes: &[u8; 32]) -> Self {
        Self(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, bytes))
    }

    /// Reads `<dir>/subject-ref.key`, making it (32 random bytes, 0600) when missing.
    pub fn open(dir: &Path) -> Result<Self, String> {
        let path = dir.join(SREF_KEY_FILE);
        match std::fs::read(&path) {
            Ok(b) => {
                let bytes: [u8; 32] = b
                    .as_slice()
                    .try_into()
                    .map_err(|_| format!("{}: must hold exactly 32 bytes", path.display()))?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt as _;
                    let mode = std::fs::metadata(&path)
                        .map_err(|e| format!("{}: {e}", path.display()))?
                        .permissions()
                        .mode();
                    if mode & 0o077 != 0 {
                        return Err(format!(
                            "{}: other users may read it (mode {:o}); chmod 600",
                            path.display(),
                            mode & 0o777
                        ));
                    }
                }
                tracing::info!(
                    fingerprint = %fingerprint(&bytes),
                    "subject-reference key loaded"
                );
                Ok(Self::new(&bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                getrandom::fill(&mut bytes).map_err(|e| format!("no random source: {e}"))?;
                // Written whole under another name, then renamed: a crash leaves no empty key.
                let tmp = dir.join(format!("{SREF_KEY_FILE}.tmp"));
                let _ = std::fs::remove_file(&tmp);
                write_private(&tmp, &bytes)?;
                std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))?;
                // Loud: a new key makes new references, so receipts bound under an old key
                // (a restore without the key directory, a replica with its own) no longer
                // match. Every replica needs this same file.
                tracing::warn!(
                    fingerprint = %fingerprint(&bytes),
                    path = %path.display(),
                    "NEW subject-reference key created: copy it to every replica and keep it with the backups"
                );
                Ok(Self::new(&bytes))
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// The legacy (`sr1:`) reference of an identifier, made under this key itself, or why the
    /// identifier is not one. New references are `sr2:` ([`sref_v2`]); this one is still
    /// computed to find receipts made before per-identifier keys.
    pub fn sref_v1(&self, kind: &str, value: &str) -> Result<String, String> {
        Ok(format!(
            "sr1:{}",
            b64url(&mac(
                &self.0,
                b"consentry-sref/1\0",
                kind,
                &normalize(kind, value)?
            ))
        ))
    }

    /// Where an identifier's own key is found in the receipt store (`subject_keys.idx`).
    pub fn index(&self, kind: &str, value: &str) -> Result<String, String> {
        Ok(b64url(&mac(
            &self.0,
            b"consentry-sref-index/2\0",
            kind,
            &normalize(kind, value)?,
        )))
    }
}

fn mac(key: &ring::hmac::Key, label: &[u8], kind: &str, normalized: &str) -> Vec<u8> {
    let mut msg = Vec::with_capacity(label.len() + kind.len() + 1 + normalized.len());
    msg.extend_from_slice(label);
    msg.extend_from_slice(kind.as_bytes());
    msg.push(0);
    msg.extend_from_slice(normalized.as_bytes());
    ring::hmac::sign(key, &msg).as_ref().to_vec()
}

/// The (`sr2:`) reference of an identifier under its own key (`crate::subject_keys`).
pub fn sref_v2(own: &[u8; 32], kind: &str, value: &str) -> Result<String, String> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, own);
    Ok(format!(
        "sr2:{}",
        b64url(&mac(
            &key,
            b"consentry-sref/2\0",
            kind,
            &normalize(kind, value)?
        ))
    ))
}

/// An identifier's references: the one new receipts carry, and the legacy one its older
/// receipts may carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refs {
    /// `sr2:` under the identifier's own key; `None` when it has none (never consented since
    /// keys were kept per identifier, or unlinked) and none was to be made.
    pub current: Option<String>,
    /// `sr1:`; `None` once the identifier was unlinked.
    pub legacy: Option<String>,
}

impl Refs {
    /// Every reference the identifier's receipts may carry.
    pub fn all(&self) -> Vec<&str> {
        self.current
            .iter()
            .chain(&self.legacy)
            .map(String::as_str)
            .collect()
    }
}

fn store_failed(e: &crate::db::StoreError) -> ApiError {
    ApiError::internal(e)
}

/// The references of an identifier (its own key made now when `make` and there is none).
/// An identifier that is not one is `400`.
pub async fn references(
    st: &AppState,
    key: &SrefKey,
    kind: &str,
    value: &str,
    make: bool,
) -> Result<Refs, ApiError> {
    let index = key
        .index(kind, value)
        .map_err(|e| bad(format!("identifier: {e}")))?;
    let keys = st.store.subject_keys();
    let v1 = key
        .sref_v1(kind, value)
        .map_err(|e| bad(format!("identifier: {e}")))?;
    let (own, unlinked) = if make {
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|e| ApiError::internal(&e))?;
        let own = keys
            .key_for(&index, fresh, (st.clock)())
            .await
            .map_err(|e| store_failed(&e))?;
        let unlinked = keys.is_unlinked(&v1).await.map_err(|e| store_failed(&e))?;
        (Some(own), unlinked)
    } else {
        // A check's path: one read for both.
        keys.look_up(&index, &v1)
            .await
            .map_err(|e| store_failed(&e))?
    };
    let current = own
        .map(|k| sref_v2(&k, kind, value))
        .transpose()
        .map_err(|e| bad(format!("identifier: {e}")))?;
    Ok(Refs {
        current,
        legacy: (!unlinked).then_some(v1),
    })
}

/// Unlinks an identifier (ADR 0019): destroys its own key and records the references it
/// ends as unlinked: its `sr2:` (a link issued before makes no new receipt) and its `sr1:`
/// when receipts carry it (recorded only then: an `sr1:` can be made again from a guessed
/// identifier, and must not tell anyone who asked for erasure).
pub async fn unlink(
    st: &AppState,
    key: &SrefKey,
    kind: &str,
    value: &str,
) -> Result<crate::subject_keys::Unlinked, ApiError> {
    let refs = references(st, key, kind, value, false).await?;
    let mut ended: Vec<String> = refs.current.iter().cloned().collect();
    if let Some(v1) = refs.legacy {
        let legacy = Refs {
            current: None,
            legacy: Some(v1.clone()),
        };
        if linked_count(st, &legacy).await? > 0 {
            ended.push(v1);
        }
    }
    let index = key
        .index(kind, value)
        .map_err(|e| bad(format!("identifier: {e}")))?;
    st.store
        .subject_keys()
        .unlink(&index, &ended, (st.clock)())
        .await
        .map_err(|e| store_failed(&e))
}

/// How many ledger entries carry one of `refs`.
pub async fn linked_count(st: &AppState, refs: &Refs) -> Result<usize, ApiError> {
    let idx = caught_up(st).await?;
    Ok(refs
        .all()
        .iter()
        .map(|r| idx.entries.get(*r).map_or(0, Vec::len))
        .sum())
}

/// Whether `sref` was unlinked (`crate::subject_keys`).
pub(crate) async fn is_unlinked(st: &AppState, sref: &str) -> Result<bool, ApiError> {
    st.store
        .subject_keys()
        .is_unlinked(sref)
        .await
        .map_err(|e| store_failed(&e))
}

impl SrefKey {
    /// The short code a caller is read out for a receipt an agent recorded: ten Crockford
    /// base32 characters (50 bits) of an HMAC of the receipt's payload hash under this key,
    /// grouped `XXXXX-XXXXX`. Nothing is stored: the index recomputes it from the ledger.
    pub fn receipt_code(&self, receipt_sha256: &str) -> String {
        let mut msg = Vec::with_capacity(96);
        msg.extend_from_slice(b"consentry-receipt-code/1\0");
        msg.extend_from_slice(receipt_sha256.as_bytes());
        let mac = ring::hmac::sign(&self.0, &msg);
        let bits = mac
            .as_ref()
            .iter()
            .take(7)
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
            >> 6;
        let mut out = String::with_capacity(11);
        for i in (0..10).rev() {
            out.push(CROCKFORD[((bits >> (5 * i)) & 31) as usize] as char);
            if i == 5 {
                out.push('-');
            }
        }
        out
    }
}

/// Crockford's base32 alphabet: no I, L, O or U, so a code read over the phone is not misheard
/// as another.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A code as a caller types it (any case, spaces or dashes, O for 0, I or L for 1) in its
/// canonical `XXXXX-XXXXX` form; `None` if it cannot be one.
pub fn normalize_code(input: &str) -> Option<String> {
    let mut chars = String::with_capacity(10);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if CROCKFORD.contains(&(c as u8)) && c.is_ascii() => c,
            _ => return None,
        };
        chars.push(c);
        if chars.len() > 10 {
            return None;
        }
    }
    (chars.len() == 10).then(|| format!("{}-{}", &chars[..5], &chars[5..]))
}

/// The first 8 bytes of the key's SHA-256, hex: to tell in the logs whether two replicas hold
/// the same key.
fn fingerprint(key: &[u8]) -> String {
    consentry_core::encoding::Sha256Digest::of(key).to_hex()[..16].to_owned()
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// One identifier's canonical form, so that `+49 30 1234-567` and `+49301234567`, or
/// `Ana@Example.com ` and `ana@example.com`, are one person.
pub fn normalize(kind: &str, value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() || v.len() > 256 || v.chars().any(char::is_control) {
        return Err(
            "the identifier must be 1 to 256 characters, without control characters".into(),
        );
    }
    match kind {
        "customer" | "ticket" => Ok(v.to_owned()),
        "email" => {
            let v = v.to_lowercase();
            match v.split_once('@') {
                Some((a, d)) if !a.is_empty() && d.contains('.') && !d.contains('@') => Ok(v),
                _ => Err("an e-mail address needs a name, @ and a domain".into()),
            }
        }
        "phone" => {
            let digits: String = v.chars().filter(char::is_ascii_digit).collect();
            if !v.starts_with('+')
                || !(7..=15).contains(&digits.len())
                || v.chars()
                    .any(|c| !(c.is_ascii_digit() || " +-().".contains(c)))
            {
                return Err("a phone number in international form, e.g. +49 30 1234567".into());
            }
            Ok(format!("+{digits}"))
        }
        other => Err(format!("kind {other:?} is not one of {}", KINDS.join(", "))),
    }
}

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/links", post(issue))
        .route("/v1/links/status", post(status))
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_link_request", msg)
}

/// The server's published key set (countersigning keys, retired ones too).
pub(crate) fn key_set(st: &AppState) -> Result<KeySet, ApiError> {
    KeySet::from_jwks(st.jwks.as_bytes()).map_err(|e| ApiError::internal(&e))
}

/// The server's key set with the agent keys beside it: what receipts are checked against.
pub(crate) async fn all_keys(st: &AppState) -> Result<KeySet, ApiError> {
    let mut keys = key_set(st)?;
    if let Some(store) = st.console.clone() {
        let rows = tokio::task::spawn_blocking(move || store.agent_keys())
            .await
            .map_err(|e| ApiError::internal(&e))?
            .map_err(|e| ApiError::internal(&e))?;
        for r in rows {
            // One unusable row (a server key, an edited time) must not stop every check: that
            // key verifies nothing, loudly.
            let kid = r.kid.clone();
            if let Err(e) = keys.add_agent(r.key) {
                tracing::error!(%kid, error = %e, "agent key left out of the key set");
            }
        }
    }
    Ok(keys)
}

/// A refused link as an answer: `410 link_expired` or `400 link_invalid`.
pub(crate) fn refused(e: &VerifyError) -> ApiError {
    let status = match e {
        VerifyError::LinkExpired { .. } => StatusCode::GONE,
        _ => StatusCode::BAD_REQUEST,
    };
    ApiError::new(status, e.code(), e.to_string())
}

async fn issue(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(tokens) = st.service_tokens.clone() else {
        return crate::services::unauthorized();
    };
    let Some(service) = crate::services::from_headers(&tokens, &headers).cloned() else {
        return crate::services::unauthorized();
    };
    match issue_for(&st, &service, &body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn issue_for(
    st: &AppState,
    service: &crate::services::Service,
    body: &[u8],
) -> Result<Response, ApiError> {
    let Some(key) = st.sref_key.as_ref() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "links_disabled",
            "this server has no subject-reference key",
        ));
    };
    if body.len() > MAX_LINK_BODY {
        return Err(bad(format!("the body is over {MAX_LINK_BODY} bytes")));
    }
    let v = json::parse(body).map_err(|e| bad(format!("the body is not JSON: {e}")))?;
    let Value::Obj(fields) = &v else {
        return Err(bad("the body must be a JSON object"));
    };
    if let Some((k, _)) = fields.iter().find(|(k, _)| {
        !matches!(
            k.as_str(),
            "identifier" | "channel" | "ticket" | "ttl_seconds"
        )
    }) {
        return Err(bad(format!("unknown member {k:?}")));
    }
    let id = v
        .get("identifier")
        .ok_or_else(|| bad("identifier is required"))?;
    let kind = id
        .get("kind")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("identifier.kind must be a string"))?;
    let value = id
        .get("value")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("identifier.value must be a string"))?;
    normalize(kind, value).map_err(|e| bad(format!("identifier: {e}")))?;
    if !service.link_kinds.iter().any(|k| k == kind) {
        tracing::warn!(service = %service.name, kind, "link refused: identifier kind out of scope");
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "out_of_scope",
            format!(
                "service {:?} may issue links for {} only",
                service.name,
                service.link_kinds.join(", ")
            ),
        ));
    }
    let channel_name = v
        .get("channel")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("channel is required"))?;
    let channel = Channel::parse(channel_name)
        .ok_or_else(|| bad(format!("channel {channel_name:?} is not a channel")))?;
    if !service.links.iter().any(|c| c == channel_name) {
        tracing::warn!(service = %service.name, channel = channel_name, "link refused: out of scope");
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "out_of_scope",
            format!(
                "service {:?} may not issue links for {channel_name}",
                service.name
            ),
        ));
    }
    let ticket = match v.get("ticket") {
        None => None,
        Some(t) => {
            let t = t
                .as_str()
                .ok_or_else(|| bad("ticket must be a string"))?
                .trim();
            if t.is_empty() || t.len() > 64 || t.chars().any(char::is_control) {
                return Err(bad("ticket must be 1 to 64 characters"));
            }
            Some(t.to_owned())
        }
    };
    let ttl = match v.get("ttl_seconds") {
        None => DEFAULT_TTL_SECONDS,
        Some(t) => t
            .as_i64()
            .filter(|s| (1..=MAX_TTL_SECONDS).contains(s))
            .ok_or_else(|| bad(format!("ttl_seconds must be 1 to {MAX_TTL_SECONDS}")))?,
    };
    // Everything checked: only now may the identifier get a key of its own.
    let sref = references(st, key, kind, value, true)
        .await?
        .current
        .ok_or_else(|| ApiError::internal(&"no reference was made"))?;
    let now = (st.clock)();
    let mut jti = [0u8; 16];
    getrandom::fill(&mut jti).map_err(|e| ApiError::internal(&e))?;
    let claims = LinkClaims {
        sref: sref.clone(),
        ticket: ticket.clone(),
        channel,
        iat: now,
        exp: Timestamp(now.0 + ttl * 1000),
        jti: b64url(&jti),
    };
    let token = sign(st, &claims);
    tracing::info!(service = %service.name, channel = channel_name, jti = %claims.jti, "link issued");
    let body = Value::object([
        ("token", Value::str(token)),
        ("sref", Value::str(sref)),
        ("channel", Value::str(channel_name)),
        ("ticket", ticket.map_or(Value::Null, Value::str)),
        ("exp", Value::str(claims.exp.to_rfc3339())),
    ]);
    Ok(json_response(
        StatusCode::CREATED,
        json::to_canonical_string(&body).into_bytes(),
    ))
}

/// The compact JWS of `claims` by the server's countersigning key.
pub fn sign(st: &AppState, claims: &LinkClaims) -> String {
    let header = json::to_canonical_string(&Value::object([
        ("alg", Value::str("ES256")),
        ("kid", Value::str(st.signer.kid())),
        ("typ", Value::str(LINK_TYP)),
    ]));
    let input = format!(
        "{}.{}",
        b64url(header.as_bytes()),
        b64url(json::to_canonical_string(&claims.to_value()).as_bytes())
    );
    let sig = st.signer.sign(input.as_bytes());
    format!("{input}.{sig}")
}

async fn status(State(st): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let token = json::parse(&body)
        .ok()
        .and_then(|v| v.get("token").and_then(Value::as_str).map(str::to_owned))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "link_invalid",
                "send {\"token\": \"…\"}",
            )
        })?;
    let token = token.as_str();
    let keys = key_set(&st)?;
    let claims = check_link(token, &keys, (st.clock)()).map_err(|e| refused(&e))?;
    let body = Value::object([
        ("channel", Value::str(claims.channel.as_str())),
        ("ticket", claims.ticket.map_or(Value::Null, Value::str)),
        ("exp", Value::str(claims.exp.to_rfc3339())),
    ]);
    let mut res = json_response(
        StatusCode::OK,
        json::to_canonical_string(&body).into_bytes(),
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// Holds the key in the state.
pub(crate) type SharedSrefKey = Option<Arc<SrefKey>>;

/// Which ledger entries carry which subject reference, and which device first used each link
/// token: a cache of the ledger (the one source of truth), caught up from the last entry it
/// saw before every use, so it is right after a restart and on every replica without a table
/// of its own.
#[derive(Debug, Default)]
pub struct SrefIndex {
    last: u64,
    entries: HashMap<String, Vec<u64>>,
    /// Token id → the subject (device) whose receipt first carried it.
    used_by: HashMap<String, String>,
    /// Receipt code → the ledger entry of the agent's receipt it belongs to.
    codes: HashMap<String, u64>,
    /// (agent key, notice id) → the last receipt that key logged for that notice.
    agent_tips: HashMap<(String, String), consentry_core::receipt::countersign::ChainTip>,
}

/// The index in the state.
pub(crate) type SharedSrefIndex = Arc<tokio::sync::Mutex<SrefIndex>>;

/// The index, holding every entry logged before this call began. Reads the entries logged
/// since it last looked, without holding the lock while the database answers (so checks on
/// other tasks go on meanwhile), and no read at all when the store knows nothing was logged
/// since ([`crate::store::ReceiptStore::committed_size`]: SQLite).
async fn caught_up(st: &AppState) -> Result<tokio::sync::MutexGuard<'_, SrefIndex>, ApiError> {
    let known = st.store.committed_size();
    loop {
        let after = {
            let idx = st.sref_index.lock().await;
            if known.is_some_and(|size| idx.last >= size) {
                return Ok(idx);
            }
            idx.last
        };
        let q = Query {
            after_index: after,
            limit: crate::admin::PAGE,
            ..Query::default()
        };
        let page = st
            .store
            .query(q)
            .await
            .map_err(|e| ApiError::internal(&e))?;
        let mut idx = st.sref_index.lock().await;
        // Another task may have read (part of) the same entries meanwhile: only what is new
        // to the index is added, in ledger order.
        let seen = idx.last;
        for r in page.iter().filter(|r| r.entry.index > seen) {
            add_entry(st, &mut idx, r)?;
        }
        if page.len() < crate::admin::PAGE {
            return Ok(idx);
        }
    }
}

/// Adds one ledger entry (the next after `idx.last`) to the index.
fn add_entry(st: &AppState, idx: &mut SrefIndex, r: &LedgerRecord) -> Result<(), ApiError> {
    let (rc, _) = crate::admin::receipt_of(r).ok_or_else(|| {
        ApiError::internal(&format!("ledger entry {} cannot be read", r.entry.index))
    })?;
    if let Some(l) = &rc.link {
        let t = link::parse(l).map_err(|e| {
            ApiError::internal(&format!(
                "ledger entry {}: its link token cannot be read: {e}",
                r.entry.index
            ))
        })?;
        idx.entries
            .entry(t.claims.sref)
            .or_default()
            .push(r.entry.index);
        idx.used_by
            .entry(t.claims.jti)
            .or_insert_with(|| rc.subject.clone());
    }
    if rc.agent.is_some() {
        let sha = r.entry.receipt_sha256.to_hex();
        if let Some(k) = &st.sref_key {
            idx.codes.insert(k.receipt_code(&sha), r.entry.index);
        }
        idx.agent_tips.insert(
            (rc.subject.clone(), rc.notice.notice_id.as_str().to_owned()),
            consentry_core::receipt::countersign::ChainTip::of(&rc, r.entry.receipt_sha256),
        );
    }
    idx.last = r.entry.index;
    Ok(())
}

/// A link token serves one device: the first whose receipt carried it. Another device's
/// receipt with it is `422 link_used` (someone who saw the link later, in a forwarded mail or
/// a log, cannot decide for its person). Two first uses at the same instant on two replicas
/// can both pass; the ledger shows both.
pub(crate) async fn claim(st: &AppState, token: &str, subject: &str) -> Result<(), ApiError> {
    let jti = link::parse(token)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "link_invalid", e))?
        .claims
        .jti;
    let idx = caught_up(st).await?;
    match idx.used_by.get(&jti) {
        Some(first) if first != subject => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "link_used",
            "this link was used on another device; ask for a new one (reply to the ticket)",
        )),
        _ => Ok(()),
    }
}

/// The ledger entry of the agent's receipt with this (canonical) code.
pub(crate) async fn code_index(st: &AppState, code: &str) -> Result<Option<u64>, ApiError> {
    let idx = caught_up(st).await?;
    Ok(idx.codes.get(code).copied())
}

/// The last receipt the agent key `kid` logged for `notice_id`: where its next one continues.
pub(crate) async fn agent_tip(
    st: &AppState,
    kid: &str,
    notice_id: &str,
) -> Result<Option<consentry_core::receipt::countersign::ChainTip>, ApiError> {
    let idx = caught_up(st).await?;
    Ok(idx
        .agent_tips
        .get(&(kid.to_owned(), notice_id.to_owned()))
        .cloned())
}

/// Every receipt bound to one of `refs` (under `notice_id`, when given), in ledger order,
/// each with its receipt read back: what `POST /v1/consent/check` answers from for an
/// identifier. A receipt's token was checked when it was logged, so its reference is read
/// here, not checked again.
pub(crate) async fn history(
    st: &AppState,
    refs: &Refs,
    notice_id: Option<&str>,
) -> Result<Vec<(LedgerRecord, Receipt)>, ApiError> {
    let indexes = {
        let idx = caught_up(st).await?;
        let mut all: Vec<u64> = refs
            .all()
            .into_iter()
            .flat_map(|r| idx.entries.get(r).cloned().unwrap_or_default())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    if indexes.len() > crate::admin::MAX_SUBJECT_RECEIPTS {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "subject_too_long",
            "this person has too many receipts to answer from",
        ));
    }
    let records = st
        .store
        .entries(indexes.clone())
        .await
        .map_err(|e| ApiError::internal(&e))?;
    if records.len() != indexes.len() {
        return Err(ApiError::internal(&"an indexed ledger entry is gone"));
    }
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let (rc, _) = crate::admin::receipt_of(&r)
            .ok_or_else(|| ApiError::internal(&"a stored receipt could not be read"))?;
        if notice_id.is_none_or(|n| rc.notice.notice_id.as_str() == n) {
            out.push((r, rc));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_person_one_reference_whatever_the_spelling() {
        let k = SrefKey::new(&[7; 32]);
        let a = k.sref_v1("phone", "+49 30 1234-567").unwrap();
        assert_eq!(a, k.sref_v1("phone", "+49301234567").unwrap());
        assert_eq!(
            k.sref_v1("email", " Ana@Example.com").unwrap(),
            k.sref_v1("email", "ana@example.com").unwrap()
        );
        // Kinds are apart: a ticket id that happens to equal a customer id is another person.
        assert_ne!(
            k.sref_v1("ticket", "1001").unwrap(),
            k.sref_v1("customer", "1001").unwrap()
        );
        // Another key, another reference: nothing links them without the key.
        assert_ne!(
            a,
            SrefKey::new(&[8; 32])
                .sref_v1("phone", "+49301234567")
                .unwrap()
        );
        assert!(link::is_sref(&a));
        // Under an identifier's own key: the same normalization, another reference for
        // another key, and nothing in common with the legacy one.
        let own = [3; 32];
        let b = sref_v2(&own, "phone", "+49 30 1234-567").unwrap();
        assert!(b.starts_with("sr2:") && link::is_sref(&b), "{b}");
        assert_eq!(b, sref_v2(&own, "phone", "+49301234567").unwrap());
        assert_ne!(b, sref_v2(&[4; 32], "phone", "+49301234567").unwrap());
        assert_ne!(b[4..], a[4..]);
        assert_ne!(
            k.index("phone", "+49301234567").unwrap(),
            a[4..],
            "the index is not the legacy reference"
        );
        // A receipt code: ten characters a caller can read back however they type them.
        let code = k.receipt_code(&"ab".repeat(32));
        assert_eq!(code.len(), 11);
        assert_eq!(
            normalize_code(&code.to_lowercase().replace('-', " ")),
            Some(code.clone())
        );
        assert_ne!(code, k.receipt_code(&"cd".repeat(32)));
        assert_ne!(code, SrefKey::new(&[8; 32]).receipt_code(&"ab".repeat(32)));
        assert_eq!(normalize_code("0O1IL-ABCDE"), Some("00111-ABCDE".into()));
        for bad in ["", "ABCDE", "ABCDE-FGHJKM", "ABCDE-FGHJU", "ÄBCDE-FGHJK"] {
            assert_eq!(normalize_code(bad), None, "{bad}");
        }
        for (kind, v) in [
            ("phone", "030 1234567"),
            ("phone", "+49 30 CALL-ME"),
            ("email", "ana.example.com"),
            ("fax", "1"),
            ("ticket", ""),
        ] {
            assert!(k.sref_v1(kind, v).is_err(), "{kind} {v}");
        }
    }
}
