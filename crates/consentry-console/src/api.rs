//! The console's API calls and what their answers mean, as values the pages show.

use consentry_core::json::{self, Value};

use crate::platform;

/// The signed-in person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Me {
    /// Account name.
    pub username: String,
    /// `agent`, `auditor`, `dpo` or `admin`.
    pub role: String,
    /// The session's CSRF token, sent with every `POST`.
    pub csrf: String,
}

impl Me {
    /// Whether the compliance pages are open to this role (the server decides; this only
    /// hides links that would be refused).
    pub fn reads_evidence(&self) -> bool {
        matches!(self.role.as_str(), "auditor" | "dpo")
    }

    /// Whether the audit trail is open to this role.
    pub fn reads_audit(&self) -> bool {
        matches!(self.role.as_str(), "auditor" | "dpo" | "admin")
    }
}

/// Why a call gave no data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The session is gone (401): sign in again.
    SignedOut,
    /// Refused, with the server's words (403 and the rest).
    Refused(u16, String),
    /// The server could not be reached.
    Network(String),
}

impl Failure {
    /// A sentence for the page.
    pub fn message(&self) -> String {
        match self {
            Failure::SignedOut => "Your session has ended. Sign in again.".into(),
            Failure::Refused(403, m) => format!("Not open to your role: {m}"),
            Failure::Refused(s, m) => format!("The server refused ({s}): {m}"),
            Failure::Network(m) => m.clone(),
        }
    }
}

fn error_text(text: &str) -> String {
    json::parse_str(text)
        .ok()
        .and_then(|v| v.get("error")?.get("message")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| text.chars().take(200).collect())
}

fn error_code(text: &str) -> String {
    json::parse_str(text)
        .ok()
        .and_then(|v| v.get("error")?.get("code")?.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `GET` a JSON document of the console's API.
pub async fn get(url: &str) -> Result<Value, Failure> {
    let a = platform::get(url).await.map_err(Failure::Network)?;
    match a.status {
        200 => json::parse_str(&a.text)
            .map_err(|e| Failure::Network(format!("the answer is not JSON: {e}"))),
        401 => Err(Failure::SignedOut),
        s => Err(Failure::Refused(s, error_text(&a.text))),
    }
}

fn me_of(v: &Value) -> Option<Me> {
    Some(Me {
        username: v.get("username")?.as_str()?.to_owned(),
        role: v.get("role")?.as_str()?.to_owned(),
        csrf: v.get("csrf")?.as_str()?.to_owned(),
    })
}

/// The current session, if any.
pub async fn me() -> Option<Me> {
    get("/console/api/me").await.ok().as_ref().and_then(me_of)
}

/// Signs in; the error is a sentence for the form.
pub async fn login(username: &str, password: &str) -> Result<Me, String> {
    let body = json::to_canonical_string(&Value::object([
        ("password", Value::str(password)),
        ("username", Value::str(username)),
    ]));
    let a = platform::post("/console/api/login", body, "1").await?;
    match (a.status, error_code(&a.text).as_str()) {
        (200, _) => json::parse_str(&a.text)
            .ok()
            .as_ref()
            .and_then(me_of)
            .ok_or_else(|| "The server's answer could not be read.".into()),
        (401, _) => Err("Wrong name or password.".into()),
        (429, "locked") => Err(
            "Too many failed attempts: this name is locked for 15 minutes. Ask an administrator if it was not you."
                .into(),
        ),
        (429, _) => Err("Too many sign-ins from this address. Wait a minute and try again.".into()),
        (s, _) => Err(format!("Sign-in failed ({s}): {}", error_text(&a.text))),
    }
}

/// Signs out.
pub async fn logout(me: &Me) {
    let _ = platform::post("/console/api/logout", "{}".into(), &me.csrf).await;
}

/// A member as text (empty when absent).
pub fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// A member as a number (0 when absent).
pub fn n(v: &Value, k: &str) -> i64 {
    v.get(k).and_then(Value::as_i64).unwrap_or(0)
}

/// A member as a list (empty when absent).
pub fn list<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k).and_then(Value::as_array).unwrap_or(&[])
}

/// Percent-encodes a query value.
pub fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
