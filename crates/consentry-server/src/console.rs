//! The console's accounts, sign-in, sessions and audit trail (issue 15, item 1): the server
//! side every console page stands on.
//!
//! - **Accounts** with one role each: `agent` (the hotline), `auditor`, `dpo`, `admin`. Made
//!   with `consentry-server account add` (never over HTTP), passwords hashed with Argon2id
//!   (`argon2` crate, OWASP's parameters: 19 MiB, 2 passes, 1 lane), at least 12 characters.
//! - **Sign-in** `POST /console/api/login`: the same `401 invalid_credentials` for an unknown
//!   name and a wrong password (and an Argon2id verification either way, so the time does not
//!   tell them apart). **Lockout**: five failures for one name within 15 minutes lock that name
//!   for 15 minutes (`429 locked`, `Retry-After`), whether or not the account exists; and one
//!   client address may try 10 sign-ins at once, then one every 5 seconds (`429
//!   rate_limited`), across all names.
//! - **Sessions**: a random 256-bit token in the cookie `__Host-consentry-console` (`Secure`,
//!   `HttpOnly`, `SameSite=Strict`, `Path=/`); the database keeps its SHA-256 only, so whoever
//!   reads the file cannot take a session over. 8 hours at most, 30 minutes idle. The role is
//!   read from the account on every request, so a changed or disabled account takes effect at
//!   once.
//! - **CSRF**: every `POST` must carry `X-Consentry-CSRF` (on sign-in any value; after it, the
//!   session's own token, returned by sign-in and `GET /console/api/me`) and, when the browser
//!   sends `Origin`, an `Origin` equal to the request's own `Host`. A custom header cannot be
//!   sent cross-origin without a CORS preflight, which this server never grants.
//! - **The audit trail**: every sign-in, failure, lockout, sign-out, refused access (wrong
//!   role, no session, bad CSRF token) and every read of the trail itself is one row of an
//!   append-only table (triggers refuse `UPDATE` and `DELETE`), each row hash-chained to the one
//!   before, so a row removed or changed behind the server's back shows
//!   (`ConsoleStore::verify_audit`).
//!
//! Routes (JSON; errors in the server's one error shape):
//! ```text
//! POST /console/api/login    {"username","password"} → {"username","role","csrf"} + cookie
//! POST /console/api/logout   (session, CSRF)          → 204, cookie cleared
//! GET  /console/api/me       (session)                → {"username","role","csrf"}
//! GET  /console/api/audit    (session; auditor, dpo, admin) → {"entries":[…],"intact":bool}
//! ```
//! The store is its own SQLite file (`--console-db`), beside the ledger: console accounts are
//! not receipts and never enter the ledger or the transparency log.

use std::path::Path;
use std::sync::{Arc, Mutex};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use consentry_core::encoding::{Sha256Digest, b64url};
use consentry_core::json::{self, Value};
use consentry_core::time::Timestamp;
use rusqlite::{Connection, OptionalExtension as _, params};

use crate::AppState;
use crate::http::{ApiError, json_response};

/// The session cookie's name (`__Host-`: only ever set `Secure`, for this host, on `/`).
pub const COOKIE: &str = "__Host-consentry-console";
/// The CSRF header every console `POST` carries.
pub const CSRF_HEADER: &str = "x-consentry-csrf";
/// A session's longest life, milliseconds.
pub const SESSION_MAX_MS: i64 = 8 * 3600 * 1000;
/// A session unused this long ends, milliseconds.
pub const SESSION_IDLE_MS: i64 = 30 * 60 * 1000;
/// Failures for one name within [`LOCK_WINDOW_MS`] that lock it.
pub const MAX_FAILURES: i64 = 5;
/// The window of failures, and how long a name stays locked, milliseconds.
pub const LOCK_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Sign-ins per second from one client address, on average …
pub const LOGIN_RATE: f64 = 0.2;
/// … in bursts of at most this many.
pub const LOGIN_BURST: f64 = 10.0;
/// The shortest password an account may have.
pub const MIN_PASSWORD: usize = 12;

/// A console role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A hotline agent: records callers' answers.
    Agent,
    /// An auditor: reads the evidence.
    Auditor,
    /// The data-protection officer: reads the evidence, handles requests.
    Dpo,
    /// Manages the console.
    Admin,
}

impl Role {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Auditor => "auditor",
            Self::Dpo => "dpo",
            Self::Admin => "admin",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "agent" => Self::Agent,
            "auditor" => Self::Auditor,
            "dpo" => Self::Dpo,
            "admin" => Self::Admin,
            _ => return None,
        })
    }
}

/// Errors of the console store.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// SQLite.
    #[error("console database: {0}")]
    Db(#[from] rusqlite::Error),
    /// A rule of the console (a bad name, a short password, a duplicate account).
    #[error("{0}")]
    Invalid(String),
    /// Hashing failed.
    #[error("password hashing: {0}")]
    Hash(String),
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS accounts (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    role          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE IF NOT EXISTS login_failures (
    username      TEXT    NOT NULL PRIMARY KEY,
    failures      INTEGER NOT NULL,
    first_at      INTEGER NOT NULL,
    locked_until  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE IF NOT EXISTS sessions (
    token_sha256  TEXT    NOT NULL PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    csrf          TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS audit (
    seq           INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    actor         TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    detail        TEXT    NOT NULL,
    ip            TEXT    NOT NULL,
    prev_hash     TEXT    NOT NULL,
    hash          TEXT    NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE refused');
END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE refused');
END;
";

/// The hash of the row before the first.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row of the audit trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its position.
    pub seq: i64,
    /// Server time.
    pub at: Timestamp,
    /// Who (a username, or `-` when nobody signed in).
    pub actor: String,
    /// What (`login`, `login_failed`, `login_locked`, `logout`, `forbidden`, `unauthenticated`,
    /// `csrf_refused`, `audit_read`, `account_created`).
    pub action: String,
    /// Where or on what (a route, a username, a role).
    pub detail: String,
    /// The client's address (`cli` for the command line).
    pub ip: String,
    /// The previous row's hash.
    pub prev_hash: String,
    /// SHA-256 of the previous hash and this row's canonical JSON.
    pub hash: String,
}

impl AuditEntry {
    fn digest(
        prev: &str,
        at: Timestamp,
        actor: &str,
        action: &str,
        detail: &str,
        ip: &str,
    ) -> String {
        let body = json::to_canonical_string(&Value::object([
            ("prev_hash", Value::str(prev)),
            ("at", Value::str(at.to_rfc3339())),
            ("actor", Value::str(actor)),
            ("action", Value::str(action)),
            ("detail", Value::str(detail)),
            ("ip", Value::str(ip)),
        ]));
        Sha256Digest::of(body.as_bytes()).to_hex()
    }

    /// As JSON.
    pub fn to_value(&self) -> Value {
        Value::object([
            ("seq", Value::Int(self.seq)),
            ("at", Value::str(self.at.to_rfc3339())),
            ("actor", Value::str(self.actor.clone())),
            ("action", Value::str(self.action.clone())),
            ("detail", Value::str(self.detail.clone())),
            ("ip", Value::str(self.ip.clone())),
            ("hash", Value::str(self.hash.clone())),
        ])
    }
}

/// A signed-in account, as a request sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The account's name.
    pub username: String,
    /// Its role now.
    pub role: Role,
    /// The session's CSRF token.
    pub csrf: String,
}

/// What a sign-in came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Login {
    /// Signed in: the session token (for the cookie) and the session.
    Ok(String, Session),
    /// Unknown name, wrong password or a disabled account: the caller cannot tell which.
    Invalid,
    /// Too many failures: locked until this server time.
    Locked(Timestamp),
}

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: Argon2id, m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// An Argon2id PHC string of `password` with a fresh salt.
pub fn hash_password(password: &str) -> Result<String, ConsoleError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ConsoleError::Hash(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ConsoleError::Hash(e.to_string()))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ConsoleError::Hash(e.to_string()))
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

fn random_token() -> Result<String, ConsoleError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| ConsoleError::Hash(e.to_string()))?;
    Ok(b64url(&b))
}

fn token_hash(token: &str) -> String {
    Sha256Digest::of(token.as_bytes()).to_hex()
}

/// A name: 3–64 characters of `a-z 0-9 . _ -`, compared as given (lowercase only, so two
/// names never differ by case alone).
fn valid_username(name: &str) -> bool {
    (3..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// The console's SQLite database.
#[derive(Debug)]
pub struct ConsoleStore {
    conn: Mutex<Connection>,
    /// Sign-ins per client address (see [`LOGIN_RATE`]).
    login_limiter: crate::limits::RateLimiter,
    /// When each address's last refusal by that limiter was recorded.
    limit_recorded: Mutex<std::collections::HashMap<std::net::IpAddr, i64>>,
    /// A password hash checked when the name is unknown, so both take as long.
    dummy_hash: String,
}

impl ConsoleStore {
    /// Opens (creating) the database at `path`: WAL, `synchronous = FULL`, mode 0600.
    pub fn open(path: &Path) -> Result<Self, ConsoleError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| ConsoleError::Invalid(format!("{}: {e}", dir.display())))?;
        }
        let conn = Connection::open(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| ConsoleError::Invalid(format!("{}: {e}", path.display())))?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Another process (`account add`) may hold the write lock for a moment.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "recursive_triggers", "ON")?;
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(crate::console_tables::AGENT_KEYS)?;
        conn.execute_batch(crate::console_tables::REQUESTS)?;
        Ok(Self {
            conn: Mutex::new(conn),
            login_limiter: crate::limits::RateLimiter::new(LOGIN_RATE, LOGIN_BURST),
            limit_recorded: Mutex::new(std::collections::HashMap::new()),
            dummy_hash: hash_password("consentry: no such account")?,
        })
    }

    /// Whether a refusal of `client` by the sign-in limiter at `now` is the first in a minute
    /// (and so goes into the audit trail).
    fn first_refusal_this_minute(&self, client: std::net::IpAddr, now: Timestamp) -> bool {
        let mut m = self
            .limit_recorded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if m.len() > 10_000 {
            m.retain(|_, at| now.0 - *at < 60_000);
        }
        match m.get(&client) {
            Some(&at) if now.0 - at < 60_000 => false,
            _ => {
                m.insert(client, now.0);
                true
            }
        }
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction half done (SQLite rolls
        // it back), so a poisoned lock is still usable.
        self.conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Creates an account (audited as done from the command line).
    pub fn add_account(
        &self,
        username: &str,
        role: Role,
        password: &str,
        now: Timestamp,
    ) -> Result<(), ConsoleError> {
        if !valid_username(username) {
            return Err(ConsoleError::Invalid(format!(
                "{username:?}: a name is 3 to 64 characters of a-z, 0-9, '.', '_' and '-'"
            )));
        }
        if password.chars().count() < MIN_PASSWORD {
            return Err(ConsoleError::Invalid(format!(
                "the password must be at least {MIN_PASSWORD} characters long"
            )));
        }
        let hash = hash_password(password)?;
        let conn = self.lock();
        let exists: bool = conn
            .query_row(
                "SELECT 1 FROM accounts WHERE username = ?1",
                [username],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if exists {
            return Err(ConsoleError::Invalid(format!(
                "an account named {username:?} exists already"
            )));
        }
        conn.execute(
            "INSERT INTO accounts (username, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![username, role.as_str(), hash, now.0],
        )?;
        append_audit(
            &conn,
            now,
            "-",
            "account_created",
            &format!("{username} ({})", role.as_str()),
            "cli",
        )?;
        Ok(())
    }

    /// Signs `username` in with `password` at `now` from `ip`; audited either way.
    pub fn login(
        &self,
        username: &str,
        password: &str,
        now: Timestamp,
        ip: &str,
    ) -> Result<Login, ConsoleError> {
        // Names are lowercase; a name that is not one cannot exist, but it is still counted
        // and checked like any other, so the answer never tells.
        let key: String = username.chars().take(64).collect();
        let account: Option<(i64, String, String, i64)> = {
            let conn = self.lock();
            if let Some(until) = locked_until(&conn, &key, now)? {
                append_audit(&conn, now, &key, "login_locked", "", ip)?;
                return Ok(Login::Locked(until));
            }
            conn.query_row(
                "SELECT id, role, password_hash, disabled FROM accounts WHERE username = ?1",
                [&key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
        };
        // Argon2id outside the lock: it takes tens of milliseconds.
        let ok = match &account {
            Some((_, _, hash, disabled)) => verify_password(password, hash) && *disabled == 0,
            None => {
                let _ = verify_password(password, &self.dummy_hash);
                false
            }
        };
        let conn = self.lock();
        // Again, now: sign-ins for this name that were checked at the same time may have
        // locked it meanwhile. A guess that arrives after the lock is refused even when right,
        // so parallel guesses get no more tries than serial ones.
        if let Some(until) = locked_until(&conn, &key, now)? {
            append_audit(&conn, now, &key, "login_locked", "", ip)?;
            return Ok(Login::Locked(until));
        }
        match account.filter(|_| ok) {
            Some((id, role, _, _)) => {
                let role = Role::parse(&role).ok_or_else(|| {
                    ConsoleError::Invalid(format!("account {key:?} has an unknown role {role:?}"))
                })?;
                conn.execute("DELETE FROM login_failures WHERE username = ?1", [&key])?;
                let token = random_token()?;
                let csrf = random_token()?;
                conn.execute(
                    "INSERT INTO sessions (token_sha256, account_id, csrf, created_at, last_seen) VALUES (?1, ?2, ?3, ?4, ?4)",
                    params![token_hash(&token), id, csrf, now.0],
                )?;
                append_audit(&conn, now, &key, "login", role.as_str(), ip)?;
                Ok(Login::Ok(
                    token,
                    Session {
                        username: key,
                        role,
                        csrf,
                    },
                ))
            }
            None => {
                let locked = record_failure(&conn, &key, now)?;
                append_audit(&conn, now, &key, "login_failed", "", ip)?;
                if let Some(until) = locked {
                    append_audit(
                        &conn,
                        now,
                        &key,
                        "locked",
                        &format!("until {}", until.to_rfc3339()),
                        ip,
                    )?;
                }
                Ok(Login::Invalid)
            }
        }
    }

    /// The session of `token` at `now` (touching it), or `None` when there is none, it expired
    /// or its account was disabled.
    pub fn session(&self, token: &str, now: Timestamp) -> Result<Option<Session>, ConsoleError> {
        let conn = self.lock();
        let row: Option<(String, String, String, i64, i64, i64)> = conn
            .query_row(
                "SELECT a.username, a.role, s.csrf, s.created_at, s.last_seen, a.disabled
                 FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_sha256 = ?1",
                [token_hash(token)],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((username, role, csrf, created, seen, disabled)) = row else {
            return Ok(None);
        };
        let expired = now.0 - created > SESSION_MAX_MS || now.0 - seen > SESSION_IDLE_MS;
        let Some(role) = Role::parse(&role).filter(|_| !expired && disabled == 0) else {
            conn.execute(
                "DELETE FROM sessions WHERE token_sha256 = ?1",
                [token_hash(token)],
            )?;
            return Ok(None);
        };
        conn.execute(
            "UPDATE sessions SET last_seen = ?2 WHERE token_sha256 = ?1",
            params![token_hash(token), now.0],
        )?;
        Ok(Some(Session {
            username,
            role,
            csrf,
        }))
    }

    /// Ends the session of `token`.
    pub fn logout(&self, token: &str) -> Result<(), ConsoleError> {
        self.lock().execute(
            "DELETE FROM sessions WHERE token_sha256 = ?1",
            [token_hash(token)],
        )?;
        Ok(())
    }

    /// Appends a row to the audit trail.
    pub fn audit(
        &self,
        now: Timestamp,
        actor: &str,
        action: &str,
        detail: &str,
        ip: &str,
    ) -> Result<(), ConsoleError> {
        append_audit(&self.lock(), now, actor, action, detail, ip)
    }

    /// The audit trail, oldest first (at most `limit` rows, the latest ones).
    pub fn audit_entries(&self, limit: usize) -> Result<Vec<AuditEntry>, ConsoleError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT seq, at, actor, action, detail, ip, prev_hash, hash FROM audit ORDER BY seq DESC LIMIT ?1",
        )?;
        let mut rows = stmt
            .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                Ok(AuditEntry {
                    seq: r.get(0)?,
                    at: Timestamp(r.get(1)?),
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    detail: r.get(4)?,
                    ip: r.get(5)?,
                    prev_hash: r.get(6)?,
                    hash: r.get(7)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.reverse();
        Ok(rows)
    }

    /// Whether the whole trail is intact: each row's hash is its own and the next row's
    /// `prev_hash`, from the genesis on, with no gap in `seq`. `Err` names the first bad row.
    pub fn verify_audit(&self) -> Result<usize, String> {
        let rows = self.audit_entries(usize::MAX).map_err(|e| e.to_string())?;
        let mut prev = GENESIS.to_owned();
        for (i, e) in rows.iter().enumerate() {
            if e.seq != i64::try_from(i).unwrap_or(-1) + 1 {
                return Err(format!("audit row {} is missing", i + 1));
            }
            let want = AuditEntry::digest(&prev, e.at, &e.actor, &e.action, &e.detail, &e.ip);
            if e.prev_hash != prev || e.hash != want {
                return Err(format!("audit row {} was changed", e.seq));
            }
            prev = want;
        }
        Ok(rows.len())
    }
}

/// Appends a row inside a write transaction the caller holds (`BEGIN IMMEDIATE`), with the
/// change it records.
pub(crate) fn append_audit_in(
    conn: &Connection,
    at: Timestamp,
    actor: &str,
    action: &str,
    detail: &str,
    ip: &str,
) -> Result<(), rusqlite::Error> {
    let prev: String = conn
        .query_row(
            "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned());
    let hash = AuditEntry::digest(&prev, at, actor, action, detail, ip);
    conn.execute(
        "INSERT INTO audit (at, actor, action, detail, ip, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![at.0, actor, action, detail, ip, prev, hash],
    )?;
    Ok(())
}

fn append_audit(
    conn: &Connection,
    at: Timestamp,
    actor: &str,
    action: &str,
    detail: &str,
    ip: &str,
) -> Result<(), ConsoleError> {
    // Read the head and append in one write transaction: `account add` is another process on
    // the same file, and two rows on one head would fork the chain for good.
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let appended = append_audit_in(conn, at, actor, action, detail, ip);
    match appended {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e.into());
        }
    }
    Ok(())
}

fn locked_until(
    conn: &Connection,
    name: &str,
    now: Timestamp,
) -> Result<Option<Timestamp>, ConsoleError> {
    let until: Option<i64> = conn
        .query_row(
            "SELECT locked_until FROM login_failures WHERE username = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    Ok(until.filter(|&u| u > now.0).map(Timestamp))
}

/// Counts a failure; returns the lock's end when this one locks the name.
fn record_failure(
    conn: &Connection,
    name: &str,
    now: Timestamp,
) -> Result<Option<Timestamp>, ConsoleError> {
    let row: Option<(i64, i64)> = conn
        .query_row(
            "SELECT failures, first_at FROM login_failures WHERE username = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (failures, first) = match row {
        Some((n, first)) if now.0 - first <= LOCK_WINDOW_MS => (n + 1, first),
        _ => (1, now.0),
    };
    let locked = (failures >= MAX_FAILURES).then_some(now.0 + LOCK_WINDOW_MS);
    conn.execute(
        "INSERT INTO login_failures (username, failures, first_at, locked_until) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (username) DO UPDATE SET failures = ?2, first_at = ?3,
             locked_until = MAX(locked_until, ?4)",
        params![name, if locked.is_some() { 0 } else { failures }, first, locked.unwrap_or(0)],
    )?;
    Ok(locked.map(Timestamp))
}

// ------------------------------------------------------------------------------------------
// HTTP
// ------------------------------------------------------------------------------------------

/// The console's routes (only when the server has a console store).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/api/login", post(login))
        .route("/console/api/logout", post(logout))
        .route("/console/api/me", get(me))
        .route("/console/api/audit", get(audit))
}

fn store(st: &AppState) -> Option<Arc<ConsoleStore>> {
    st.console.clone()
}

fn disabled() -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "console_disabled",
        "the console is disabled: start the server with --console-db",
    )
    .into_response()
}

fn internal(e: &ConsoleError) -> Response {
    ApiError::internal(e).into_response()
}

/// The client's address for the audit trail (`-` when the connection has none, as in tests
/// that call the router directly).
pub(crate) struct ClientIp(pub(crate) String, pub(crate) Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let addr = crate::limits::client_addr(&parts.extensions);
        Ok(Self(
            addr.map_or_else(|| "-".to_owned(), |a| a.to_string()),
            addr,
        ))
    }
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(COOKIE)?
                .strip_prefix('=')
                .map(str::to_owned)
        })
}

/// The CSRF rules of a `POST`: the header, equal to `expected` when there is a session; and
/// an `Origin`, when sent, equal to the request's `Host`.
pub(crate) fn csrf_ok(headers: &HeaderMap, expected: Option<&str>) -> bool {
    let given = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    let header_ok = match (given, expected) {
        (Some(g), Some(e)) => crate::admin::constant_time_eq(g.as_bytes(), e.as_bytes()),
        (Some(g), None) => !g.is_empty(),
        (None, _) => false,
    };
    let origin_ok = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            origin
                .split_once("://")
                .is_some_and(|(_, rest)| !host.is_empty() && rest == host)
        }
    };
    header_ok && origin_ok
}

fn session_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={}",
        SESSION_MAX_MS / 1000
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn session_json(s: &Session) -> Vec<u8> {
    json::to_canonical_string(&Value::object([
        ("username", Value::str(s.username.clone())),
        ("role", Value::str(s.role.as_str())),
        ("csrf", Value::str(s.csrf.clone())),
    ]))
    .into_bytes()
}

pub(crate) fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The session of the request, or the answer that refuses it (audited): `401` without a live
/// session, `403` when its role is not in `roles`.
pub(crate) async fn require(
    st: &AppState,
    headers: &HeaderMap,
    ip: &str,
    route: &str,
    roles: &[Role],
) -> Result<(Arc<ConsoleStore>, String, Session), Response> {
    let store = store(st).ok_or_else(disabled)?;
    let now = (st.clock)();
    let token = cookie_token(headers);
    let session = match &token {
        Some(t) => {
            let (s, t) = (store.clone(), t.clone());
            blocking(move || s.session(&t, now)).await?
        }
        None => None,
    };
    let (Some(token), Some(session)) = (token, session) else {
        let (s, ip, route) = (store.clone(), ip.to_owned(), route.to_owned());
        blocking(move || s.audit(now, "-", "unauthenticated", &route, &ip)).await?;
        return Err(
            ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "sign in first")
                .into_response(),
        );
    };
    if !roles.contains(&session.role) {
        let (s, ip, who, detail) = (
            store.clone(),
            ip.to_owned(),
            session.username.clone(),
            format!("{route} as {}", session.role.as_str()),
        );
        blocking(move || s.audit(now, &who, "forbidden", &detail, &ip)).await?;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "{route} is for {} only",
                roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .into_response());
    }
    Ok((store, token, session))
}

/// A console `POST`: a live session of one of `roles` and its CSRF token (each refusal
/// audited).
pub(crate) async fn require_post(
    st: &AppState,
    headers: &HeaderMap,
    ip: &str,
    route: &str,
    roles: &[Role],
) -> Result<(Arc<ConsoleStore>, Session), Response> {
    let (store, _, session) = require(st, headers, ip, route, roles).await?;
    if !csrf_ok(headers, Some(&session.csrf)) {
        let now = (st.clock)();
        let (s, who, ip, route) = (
            store.clone(),
            session.username.clone(),
            ip.to_owned(),
            route.to_owned(),
        );
        blocking(move || s.audit(now, &who, "csrf_refused", &route, &ip)).await?;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "the session's X-Consentry-CSRF token is required",
        )
        .into_response());
    }
    Ok((store, session))
}

/// Runs console store work on a blocking thread (SQLite, Argon2id).
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ConsoleError> + Send + 'static,
) -> Result<T, Response> {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(internal(&e)),
        Err(e) => Err(ApiError::internal(&e).into_response()),
    }
}

async fn login(
    State(st): State<AppState>,
    ClientIp(ip, addr): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let store = store(&st).ok_or_else(disabled)?;
    let now = (st.clock)();
    let client = crate::limits::client_key(addr.unwrap_or(std::net::IpAddr::from([127, 0, 0, 1])));
    if let Err(wait) = store.login_limiter.check(client, std::time::Instant::now()) {
        // Recorded once a minute per address, so a flood cannot fill the trail.
        if store.first_refusal_this_minute(client, now) {
            let (s, ip) = (store.clone(), ip.clone());
            blocking(move || {
                s.audit(
                    now,
                    "-",
                    "rate_limited",
                    "/console/api/login (further refusals from this address in the next minute are not recorded)",
                    &ip,
                )
            })
            .await?;
        }
        let mut res = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many sign-ins from this address; retry later",
        )
        .into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("{:.0}", wait.ceil().max(1.0))) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Err(res);
    }
    if !csrf_ok(&headers, None) {
        let (s, ip) = (store.clone(), ip.clone());
        blocking(move || s.audit(now, "-", "csrf_refused", "/console/api/login", &ip)).await?;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "the X-Consentry-CSRF header is required and the origin must be this server's",
        )
        .into_response());
    }
    let parsed = json::parse(&body).ok();
    let fields = parsed.as_ref().and_then(|v| {
        Some((
            v.get("username").and_then(Value::as_str)?,
            v.get("password").and_then(Value::as_str)?,
        ))
    });
    let problem = match fields {
        None => Some("the body must be JSON: {\"username\": \"…\", \"password\": \"…\"}"),
        Some((user, pass)) if user.len() > 256 || pass.len() > 1024 => {
            Some("username or password too long")
        }
        Some(_) => None,
    };
    if let Some(problem) = problem {
        let (s, ip) = (store.clone(), ip.clone());
        blocking(move || s.audit(now, "-", "login_invalid_request", problem, &ip)).await?;
        return Err(
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_login", problem).into_response(),
        );
    }
    let Some((user, pass)) = fields else {
        return Err(disabled());
    };
    let (user, pass) = (user.to_owned(), pass.to_owned());
    let s = store.clone();
    let ip2 = ip.clone();
    match blocking(move || s.login(&user, &pass, now, &ip2)).await? {
        Login::Ok(token, session) => {
            let mut res = json_response(StatusCode::OK, session_json(&session));
            res.headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&token));
            Ok(no_store(res))
        }
        Login::Invalid => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "wrong username or password",
        )
        .into_response()),
        Login::Locked(until) => {
            let mut res = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "locked",
                format!(
                    "too many failed sign-ins for this name: try again after {}",
                    until.to_rfc3339()
                ),
            )
            .into_response();
            let secs = ((until.0 - now.0) / 1000).max(1);
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Err(res)
        }
    }
}

async fn logout(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let all = [Role::Agent, Role::Auditor, Role::Dpo, Role::Admin];
    let (store, token, session) = require(&st, &headers, &ip, "/console/api/logout", &all).await?;
    let now = (st.clock)();
    if !csrf_ok(&headers, Some(&session.csrf)) {
        let (s, who) = (store.clone(), session.username.clone());
        blocking(move || s.audit(now, &who, "csrf_refused", "/console/api/logout", &ip)).await?;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "the session's X-Consentry-CSRF token is required",
        )
        .into_response());
    }
    let who = session.username.clone();
    blocking(move || {
        store.logout(&token)?;
        store.audit(now, &who, "logout", "", &ip)
    })
    .await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "__Host-consentry-console=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    Ok(no_store(res))
}

async fn me(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let all = [Role::Agent, Role::Auditor, Role::Dpo, Role::Admin];
    let (_, _, session) = require(&st, &headers, &ip, "/console/api/me", &all).await?;
    Ok(no_store(json_response(
        StatusCode::OK,
        session_json(&session),
    )))
}

/// The latest rows of the audit trail shown at once.
const AUDIT_PAGE: usize = 500;

async fn audit(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let (store, _, session) = require(
        &st,
        &headers,
        &ip,
        "/console/api/audit",
        &[Role::Auditor, Role::Dpo, Role::Admin],
    )
    .await?;
    let now = (st.clock)();
    let who = session.username.clone();
    let (entries, intact) = blocking(move || {
        store.audit(now, &who, "audit_read", "/console/api/audit", &ip)?;
        let intact = store.verify_audit().is_ok();
        Ok((store.audit_entries(AUDIT_PAGE)?, intact))
    })
    .await?;
    let body = json::to_canonical_string(&Value::object([
        (
            "entries",
            Value::Arr(entries.iter().map(AuditEntry::to_value).collect()),
        ),
        ("intact", Value::Bool(intact)),
    ]));
    Ok(no_store(json_response(StatusCode::OK, body.into_bytes())))
}
