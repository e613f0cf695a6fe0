//! The hotline (issue 15, item 2; ADR 0018): agents' console keys, the calls they record, and
//! the caller's receipt code.
//!
//! ```text
//! GET  /.well-known/consentry/agent-keys.json   public: every agent key, revoked ones too
//! GET  /console/api/agent-keys            agent: own keys; auditor, dpo, admin: all
//! POST /console/api/agent-keys            agent: {"jwk":{crv,kty,x,y}} → {kid, agent_id, created}
//! POST /console/api/agent-keys/revoke     agent (own) or admin: {"kid"} → {kid, revoked}
//! POST /console/api/hotline/start         agent: {"identifier":{kind,value}, "call_ref",
//!                                          "kid", "notice_id"} → {link, sref, agent_id,
//!                                          granted_before, known_caller, expected}
//! POST /console/api/hotline/receipts      agent: the signed envelope → the stored receipt
//!                                          and its "code"
//! POST /v1/receipts/lookup                public, rate-limited: {"code"} → the receipt and
//!                                          what it says, in the caller's language
//! ```
//!
//! - **Agent keys.** The console makes a non-extractable WebCrypto key on the agent's
//!   workstation and registers its public half here, bound to the signed-in agent. An agent
//!   is published under an opaque id (`agent-` and 12 hex digits), never the sign-in name.
//!   Keys are revoked, never deleted (triggers refuse `DELETE` and any change but the one
//!   revocation): receipts a key signed before it was revoked stay verifiable for years.
//! - **The receipt code** is ten Crockford base32 characters (50 bits) of an HMAC, under the
//!   subject-reference key, of the receipt's payload hash: nothing stored, the same
//!   after a restart and on every replica, unguessable without the key, and gone for good
//!   when the key is destroyed (ADR 0017). The lookup is the only way in, rate-limited per
//!   client address; an unknown code and a malformed one get the same `404`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use consentry_core::ids::PurposeId;
use consentry_core::json::{self, Value};
use consentry_core::receipt::Channel;
use consentry_core::receipt::jws::PublicJwk;
use consentry_core::receipt::ledger::may_process;
use consentry_core::receipt::link::LinkClaims;
use consentry_core::receipt::verify::{AgentJwk, agent_jwks_json};
use consentry_core::time::Timestamp;
use rusqlite::{OptionalExtension as _, params};

use crate::AppState;
use crate::console::{ClientIp, ConsoleError, ConsoleStore, Role, blocking, no_store};
use crate::http::{ApiError, json_response};

/// The agent key set's address.
pub const AGENT_KEYS_PATH: &str = "/.well-known/consentry/agent-keys.json";

/// Keys one agent may hold at once (one per workstation); more is a revocation first.
pub const MAX_KEYS_PER_AGENT: i64 = 5;

/// How long a call's link lives: the call, and a little more for a receipt retried late.
pub const CALL_LINK_SECONDS: i64 = 2 * 3600;

/// The longest hotline request body (the envelope has its own limit).
const MAX_BODY: usize = 4096;

/// One registered agent key, as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentKeyRow {
    /// The key set entry.
    pub key: AgentJwk,
    /// Its `kid`.
    pub kid: String,
    /// The account that registered it.
    pub username: String,
    /// Who revoked it.
    pub revoked_by: Option<String>,
}

/// What a registration came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Registered {
    /// The key is the agent's (new, or registered before): its kid, agent id and time.
    Key(String, String, Timestamp),
    /// The key is already another account's.
    Taken,
    /// The agent holds [`MAX_KEYS_PER_AGENT`] keys.
    TooMany,
    /// The key was revoked: never again.
    Revoked,
}

impl ConsoleStore {
    /// Every agent key, oldest first.
    pub fn agent_keys(&self) -> Result<Vec<AgentKeyRow>, ConsoleError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT kid, agent_id, username, x, y, created_at, revoked_at, revoked_by
             FROM agent_keys ORDER BY created_at, kid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, Option<i64>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (kid, agent, username, x, y, created, revoked, revoked_by) = row?;
            let jwk = PublicJwk::from_value(&Value::object([
                ("crv", Value::str("P-256")),
                ("kty", Value::str("EC")),
                ("x", Value::str(x)),
                ("y", Value::str(y)),
            ]))
            .map_err(|e| ConsoleError::Invalid(format!("agent key {kid}: {e}")))?;
            out.push(AgentKeyRow {
                key: AgentJwk {
                    jwk,
                    agent,
                    created: Timestamp(created),
                    revoked: revoked.map(Timestamp),
                },
                kid,
                username,
                revoked_by,
            });
        }
        Ok(out)
    }

    /// Whether `kid` is an agent key (registered, revoked or not).
    pub fn is_agent_key(&self, kid: &str) -> Result<bool, ConsoleError> {
        Ok(self
            .lock()
            .query_row("SELECT 1 FROM agent_keys WHERE kid = ?1", [kid], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Registers `jwk` for the agent account `username` (audited).
    pub fn register_agent_key(
        &self,
        username: &str,
        jwk: &PublicJwk,
        now: Timestamp,
        ip: &str,
    ) -> Result<Registered, ConsoleError> {
        let kid = jwk.thumbprint();
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let existing: Option<(String, Option<i64>, String, i64)> = tx
            .query_row(
                "SELECT username, revoked_at, agent_id, created_at FROM agent_keys WHERE kid = ?1",
                [&kid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        if let Some((owner, revoked, agent, created)) = existing {
            return Ok(match (owner == username, revoked) {
                (false, _) => Registered::Taken,
                (true, Some(_)) => Registered::Revoked,
                (true, None) => Registered::Key(kid, agent, Timestamp(created)),
            });
        }
        let active: i64 = tx.query_row(
            "SELECT COUNT(*) FROM agent_keys WHERE username = ?1 AND revoked_at IS NULL",
            [username],
            |r| r.get(0),
        )?;
        if active >= MAX_KEYS_PER_AGENT {
            return Ok(Registered::TooMany);
        }
        let agent: Option<String> = tx
            .query_row(
                "SELECT agent_id FROM agent_keys WHERE username = ?1 LIMIT 1",
                [username],
                |r| r.get(0),
            )
            .optional()?;
        let agent = match agent {
            Some(a) => a,
            None => {
                let mut b = [0u8; 6];
                getrandom::fill(&mut b).map_err(|e| ConsoleError::Invalid(e.to_string()))?;
                format!("agent-{}", hex(&b))
            }
        };
        tx.execute(
            "INSERT INTO agent_keys (kid, agent_id, username, x, y, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![kid, agent, username, jwk.x, jwk.y, now.0],
        )?;
        crate::console::append_audit_in(
            &tx,
            now,
            username,
            "agent_key_registered",
            &format!("{kid} as {agent}"),
            ip,
        )?;
        tx.commit()?;
        Ok(Registered::Key(kid, agent, now))
    }

    /// Revokes `kid` (audited); `owner`: only if it is that account's. `Ok(None)`: no such
    /// key (of that owner), or already revoked.
    pub fn revoke_agent_key(
        &self,
        kid: &str,
        owner: Option<&str>,
        by: &str,
        now: Timestamp,
        ip: &str,
    ) -> Result<Option<Timestamp>, ConsoleError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "UPDATE agent_keys SET revoked_at = ?1, revoked_by = ?2
             WHERE kid = ?3 AND revoked_at IS NULL AND (?4 IS NULL OR username = ?4)",
            params![now.0, by, kid, owner],
        )?;
        if n == 0 {
            return Ok(None);
        }
        crate::console::append_audit_in(&tx, now, by, "agent_key_revoked", kid, ip)?;
        tx.commit()?;
        Ok(Some(now))
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(AGENT_KEYS_PATH, get(agent_keys_json))
        .route("/console/api/agent-keys", get(list).post(register))
        .route("/console/api/agent-keys/revoke", post(revoke))
        .route("/console/api/hotline/start", post(start))
        .route("/console/api/hotline/receipts", post(record))
        .route("/v1/receipts/lookup", post(lookup))
}

async fn agent_keys_json(State(st): State<AppState>) -> Result<Response, ApiError> {
    let rows = match st.console.clone() {
        Some(store) => tokio::task::spawn_blocking(move || store.agent_keys())
            .await
            .map_err(|e| ApiError::internal(&e))?
            .map_err(|e| ApiError::internal(&e))?,
        None => Vec::new(),
    };
    let keys: Vec<AgentJwk> = rows.into_iter().map(|r| r.key).collect();
    let mut res = json_response(StatusCode::OK, agent_jwks_json(&keys).into_bytes());
    // A revocation must reach verifiers soon: revalidate every time.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(res)
}

fn bad(msg: impl Into<String>) -> Response {
    bad_request(msg).into_response()
}

fn bad_request(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", msg)
}

fn parse_body(body: &[u8], allowed: &[&str]) -> Result<Value, ApiError> {
    if body.len() > MAX_BODY {
        return Err(bad_request(format!("the body is over {MAX_BODY} bytes")));
    }
    let v = json::parse(body).map_err(|e| bad_request(format!("the body is not JSON: {e}")))?;
    let Value::Obj(fields) = &v else {
        return Err(bad_request("the body must be a JSON object"));
    };
    if let Some((k, _)) = fields.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(bad_request(format!("unknown member {k:?}")));
    }
    Ok(v)
}

fn str_of<'v>(v: &'v Value, key: &str) -> Result<&'v str, ApiError> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| bad_request(format!("{key} must be a string")))
}

/// The public key of a registration: `crv`, `kty`, `x`, `y` (WebCrypto's `ext` and `key_ops`
/// are passed over).
fn read_jwk(v: &Value) -> Result<PublicJwk, ApiError> {
    let j = v
        .get("jwk")
        .and_then(Value::as_object)
        .ok_or_else(|| bad_request("jwk must be an object"))?;
    let pub_only = Value::Obj(
        j.iter()
            .filter(|(n, _)| matches!(n.as_str(), "crv" | "kty" | "x" | "y"))
            .cloned()
            .collect(),
    );
    PublicJwk::from_value(&pub_only).map_err(|e| bad_request(format!("jwk: {e}")))
}

fn key_json(r: &AgentKeyRow) -> Value {
    let t = |t: Option<Timestamp>| t.map_or(Value::Null, |t| Value::str(t.to_rfc3339()));
    Value::object([
        ("kid", Value::str(r.kid.clone())),
        ("agent_id", Value::str(r.key.agent.clone())),
        ("username", Value::str(r.username.clone())),
        ("created", Value::str(r.key.created.to_rfc3339())),
        ("revoked", t(r.key.revoked)),
        (
            "revoked_by",
            r.revoked_by.clone().map_or(Value::Null, Value::str),
        ),
    ])
}

fn ok_json(v: &Value) -> Response {
    no_store(json_response(
        StatusCode::OK,
        json::to_canonical_string(v).into_bytes(),
    ))
}

async fn list(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let all = [Role::Agent, Role::Auditor, Role::Dpo, Role::Admin];
    let (store, _, session) =
        crate::console::require(&st, &headers, &ip, "/console/api/agent-keys", &all).await?;
    let rows = blocking(move || store.agent_keys()).await?;
    let keys = rows
        .iter()
        .filter(|r| session.role != Role::Agent || r.username == session.username)
        .map(key_json)
        .collect();
    Ok(ok_json(&Value::object([("keys", Value::Arr(keys))])))
}

async fn register(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let route = "/console/api/agent-keys";
    let (store, session) =
        crate::console::require_post(&st, &headers, &ip, route, &[Role::Agent]).await?;
    let v = parse_body(&body, &["jwk"]).map_err(IntoResponse::into_response)?;
    let jwk = read_jwk(&v).map_err(IntoResponse::into_response)?;
    // A key the server itself signs with is never an agent's.
    if crate::links::key_set(&st)
        .map_err(IntoResponse::into_response)?
        .get(&jwk.thumbprint())
        .is_some()
    {
        return Err(bad("that key is a server key"));
    }
    let now = (st.clock)();
    let who = session.username.clone();
    let outcome = blocking(move || store.register_agent_key(&who, &jwk, now, &ip)).await?;
    match outcome {
        Registered::Key(kid, agent, created) => Ok(ok_json(&Value::object([
            ("kid", Value::str(kid)),
            ("agent_id", Value::str(agent)),
            ("created", Value::str(created.to_rfc3339())),
        ]))),
        Registered::Taken => Err(ApiError::new(
            StatusCode::CONFLICT,
            "key_taken",
            "this key is registered to another account",
        )
        .into_response()),
        Registered::Revoked => Err(ApiError::new(
            StatusCode::CONFLICT,
            "key_revoked",
            "this key was revoked; make a new one",
        )
        .into_response()),
        Registered::TooMany => Err(ApiError::new(
            StatusCode::CONFLICT,
            "too_many_keys",
            format!(
                "an agent holds at most {MAX_KEYS_PER_AGENT} keys: revoke one first (or ask an administrator)"
            ),
        )
        .into_response()),
    }
}

async fn revoke(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let route = "/console/api/agent-keys/revoke";
    let (store, session) =
        crate::console::require_post(&st, &headers, &ip, route, &[Role::Agent, Role::Admin])
            .await?;
    let v = parse_body(&body, &["kid"]).map_err(IntoResponse::into_response)?;
    let kid = str_of(&v, "kid")
        .map_err(IntoResponse::into_response)?
        .to_owned();
    let owner = (session.role == Role::Agent).then(|| session.username.clone());
    let now = (st.clock)();
    let (who, k) = (session.username.clone(), kid.clone());
    let revoked =
        blocking(move || store.revoke_agent_key(&k, owner.as_deref(), &who, now, &ip)).await?;
    match revoked {
        Some(at) => Ok(ok_json(&Value::object([
            ("kid", Value::str(kid)),
            ("revoked", Value::str(at.to_rfc3339())),
        ]))),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "key_unknown",
            "no such active key (of yours)",
        )
        .into_response()),
    }
}

/// The agent's active key `kid`, or the refusal.
async fn own_key(store: &Arc<ConsoleStore>, username: &str, kid: &str) -> Result<String, Response> {
    let s = store.clone();
    let rows = blocking(move || s.agent_keys()).await?;
    rows.into_iter()
        .find(|r| r.kid == kid && r.username == username && r.key.revoked.is_none())
        .map(|r| r.key.agent)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "agent_key_unknown",
                "that key is not an active key of yours: register this workstation's key",
            )
            .into_response()
        })
}

async fn start(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let route = "/console/api/hotline/start";
    let (store, session) =
        crate::console::require_post(&st, &headers, &ip, route, &[Role::Agent]).await?;
    let v = parse_body(&body, &["identifier", "call_ref", "kid", "notice_id"])
        .map_err(IntoResponse::into_response)?;
    let key = st.sref_key.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "links_disabled",
            "this server has no subject-reference key",
        )
        .into_response()
    })?;
    let id = v
        .get("identifier")
        .ok_or_else(|| bad("identifier is required"))?;
    let kind = str_of(id, "kind").map_err(IntoResponse::into_response)?;
    let value = str_of(id, "value").map_err(IntoResponse::into_response)?;
    if !matches!(kind, "phone" | "customer") {
        return Err(bad("a caller is named by phone or customer number"));
    }
    let call_ref = str_of(&v, "call_ref").map_err(IntoResponse::into_response)?;
    if !consentry_core::receipt::agent::valid_ref(call_ref) {
        return Err(bad("call_ref: 1 to 64 characters of A-Z a-z 0-9 . _ : / -"));
    }
    let kid = str_of(&v, "kid").map_err(IntoResponse::into_response)?;
    let notice_id = str_of(&v, "notice_id").map_err(IntoResponse::into_response)?;
    let agent_id = own_key(&store, &session.username, kid).await?;
    let refs = crate::links::references(&st, &key, kind, value, true)
        .await
        .map_err(IntoResponse::into_response)?;
    let sref = refs
        .current
        .clone()
        .ok_or_else(|| ApiError::internal(&"no reference was made").into_response())?;
    let now = (st.clock)();
    let mut jti = [0u8; 16];
    getrandom::fill(&mut jti).map_err(|e| ApiError::internal(&e).into_response())?;
    let claims = LinkClaims {
        sref: sref.clone(),
        ticket: None,
        channel: Channel::HotlineAgent,
        iat: now,
        exp: Timestamp(now.0 + CALL_LINK_SECONDS * 1000),
        jti: consentry_core::encoding::b64url(&jti),
    };
    let link = crate::links::sign(&st, &claims);
    // What the caller decided before, on any channel: a "no" now to what they granted is a
    // withdrawal.
    let records = crate::links::history(&st, &refs, Some(notice_id))
        .await
        .map_err(IntoResponse::into_response)?;
    let history = crate::admin::history_items(&records);
    let mut purposes: Vec<PurposeId> = Vec::new();
    for (_, rc) in &records {
        for d in &rc.decisions {
            if !purposes.contains(&d.purpose_id) {
                purposes.push(d.purpose_id.clone());
            }
        }
    }
    let granted: Vec<Value> = purposes
        .iter()
        .filter(|p| {
            may_process(&history, p, Some(notice_id)).state
                == Some(consentry_core::receipt::DecisionState::Given)
        })
        .map(|p| Value::str(p.as_str()))
        .collect();
    let tip = crate::links::agent_tip(&st, kid, notice_id)
        .await
        .map_err(IntoResponse::into_response)?;
    let detail = format!("call {call_ref}, caller {sref}");
    let who = session.username.clone();
    blocking(move || store.audit(now, &who, "hotline_call", &detail, &ip)).await?;
    Ok(ok_json(&Value::object([
        ("link", Value::str(link)),
        ("sref", Value::str(sref)),
        ("agent_id", Value::str(agent_id)),
        ("granted_before", Value::Arr(granted)),
        ("known_caller", Value::Bool(!records.is_empty())),
        (
            "expected",
            consentry_core::receipt::countersign::ChainTip::expected_value(tip.as_ref()),
        ),
    ])))
}

async fn record(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let route = "/console/api/hotline/receipts";
    let (store, session) =
        crate::console::require_post(&st, &headers, &ip, route, &[Role::Agent]).await?;
    if body.len() > consentry_core::receipt::jws::MAX_ENVELOPE_BYTES {
        return Err(bad("the envelope is too large"));
    }
    // The agent id the session's keys carry: the receipt must name it.
    let s = store.clone();
    let rows = blocking(move || s.agent_keys()).await?;
    let Some(agent_id) = rows
        .iter()
        .find(|r| r.username == session.username)
        .map(|r| r.key.agent.clone())
    else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "agent_key_unknown",
            "register this workstation's key first",
        )
        .into_response());
    };
    let res = crate::receive::accept(&st, body, crate::receive::Via::Agent(&agent_id))
        .await
        .map_err(IntoResponse::into_response)?;
    let (parts, res_body) = res.into_parts();
    if !parts.status.is_success() {
        return Ok(Response::from_parts(parts, res_body));
    }
    let bytes = axum::body::to_bytes(res_body, 4 * 1024 * 1024)
        .await
        .map_err(|e| ApiError::internal(&e).into_response())?;
    let stored = json::parse(&bytes).map_err(|e| ApiError::internal(&e).into_response())?;
    let receipt_id = stored
        .get("receipt_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let sha = stored
        .get("receipt_sha256")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let code = st
        .sref_key
        .as_ref()
        .map(|k| k.receipt_code(&sha))
        .ok_or_else(|| ApiError::internal(&"no subject-reference key").into_response())?;
    let now = (st.clock)();
    let (who, detail) = (session.username.clone(), receipt_id.clone());
    blocking(move || store.audit(now, &who, "hotline_receipt", &detail, &ip)).await?;
    let mut out = stored;
    if let Value::Obj(m) = &mut out {
        m.push(("code".into(), Value::str(code)));
    }
    let mut res = json_response(parts.status, json::to_canonical_string(&out).into_bytes());
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

async fn lookup(
    State(st): State<AppState>,
    ClientIp(_, addr): ClientIp,
    body: Bytes,
) -> Result<Response, ApiError> {
    let client = addr.unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]));
    if let Err(wait) = st
        .lookup_limiter
        .check(crate::limits::client_key(client), std::time::Instant::now())
    {
        let mut res = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many look-ups from this address; wait a little",
        )
        .into_response();
        if let Ok(v) = HeaderValue::from_str(&(wait.ceil().max(1.0) as u64).to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(res);
    }
    let unknown = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "code_unknown",
            "no receipt has this code: check the ten letters and digits you were given",
        )
    };
    let code = json::parse(&body)
        .ok()
        .and_then(|v| v.get("code").and_then(Value::as_str).map(str::to_owned))
        .and_then(|c| crate::links::normalize_code(&c))
        .ok_or_else(unknown)?;
    let index = crate::links::code_index(&st, &code)
        .await?
        .ok_or_else(unknown)?;
    let r = crate::admin::entry_at(&st, index)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(|| ApiError::internal(&"an indexed ledger entry is gone"))?;
    let rc = crate::admin::receipt_only(&r)
        .ok_or_else(|| ApiError::internal(&"a stored receipt could not be read"))?;
    let policy = st.policy.load();
    let bundle = policy
        .notices
        .as_ref()
        .and_then(|n| n.get(&rc.notice.sha256));
    let name = |id: &PurposeId| {
        bundle
            .and_then(|b| b.purpose(id.as_str()))
            .map_or_else(|| id.as_str().to_owned(), |p| p.name.to_plain())
    };
    let decisions = rc
        .decisions
        .iter()
        .filter(|d| {
            rc.agent
                .as_ref()
                .is_none_or(|a| a.read_out.contains(&d.purpose_id))
        })
        .map(|d| {
            Value::object([
                ("purpose_id", Value::str(d.purpose_id.as_str())),
                ("name", Value::str(name(&d.purpose_id))),
                ("state", Value::str(d.state.as_str())),
                ("separate_consent", Value::Bool(d.separate_consent)),
            ])
        })
        .collect();
    let receipt = json::parse(&r.countersigned).map_err(|e| ApiError::internal(&e))?;
    let out = Value::object([
        ("receipt", receipt),
        (
            "ledger_index",
            Value::Int(i64::try_from(index).unwrap_or(i64::MAX)),
        ),
        ("receipt_id", Value::str(rc.receipt_id.as_str())),
        ("received_at", Value::str(r.entry.received_at.to_rfc3339())),
        ("locale", Value::str(rc.notice.locale.as_str())),
        ("dir", Value::str(bundle.map_or("ltr", |b| b.dir.as_str()))),
        ("notice_version", Value::str(rc.notice.version.clone())),
        ("channel", Value::str(rc.event.channel.as_str())),
        (
            "call_ref",
            rc.agent
                .as_ref()
                .map_or(Value::Null, |a| Value::str(a.call_ref.clone())),
        ),
        ("decisions", Value::Arr(decisions)),
    ]);
    let mut res = json_response(StatusCode::OK, json::to_canonical_string(&out).into_bytes());
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}
