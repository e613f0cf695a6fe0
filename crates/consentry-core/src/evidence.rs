//! The evidence pack (issue 15 item 7, ADR 0016): one self-contained HTML file that an
//! external assessor opens in a browser and checks offline with `consentry verify --evidence`.
//!
//! The file is the report (summary tables, charts as inline SVG, the notice versions, keys,
//! the checkpoint and every receipt in scope) followed by its machine-readable parts in one
//! `<script type="application/json" id="consentry-evidence">` block ([`Pack`]): the ledger
//! export from its first entry to the checkpoint's size, the checkpoint (with the witnesses'
//! cosignatures), the server's key set, the hotline agents' key set, and every notice version
//! a receipt names, file by file, byte for byte.
//!
//! The report is a function of the parts: [`render`] draws it from a [`Pack`] and the
//! [`Summary`] of its verified receipts, and the verifier draws it again and requires the
//! same bytes. So a report cannot say anything its parts do not prove, and a changed number,
//! row or chart is caught like a changed receipt.

pub mod chart;
mod html;

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::bundle::Manifest;
use crate::encoding::Sha256Digest;
use crate::json::{self, Value, push_int};
use crate::receipt::countersign::SubjectChain;
use crate::receipt::{DecisionState, Receipt};
use crate::time::Timestamp;
pub use html::escape_into;

/// The schema of the machine-readable parts: [`SCHEMA_V1`] and the agent key set
/// (`agent_keys`).
pub const SCHEMA: &str = "consentry-evidence/2";

/// The schema of packs made before hotline agent keys: no `agent_keys` member. Still read,
/// verified and drawn byte for byte as they were made, with an empty agent key set.
pub const SCHEMA_V1: &str = "consentry-evidence/1";

/// An agent key set without keys (`{"keys":[]}`): what a [`SCHEMA_V1`] pack, or a server
/// without a console, holds.
pub const NO_AGENT_KEYS: &str = "{\"keys\":[]}";

/// Opens the block that holds the machine-readable parts (exactly once in a pack).
pub const DATA_OPEN: &str = "<script type=\"application/json\" id=\"consentry-evidence\">";
/// Closes it.
pub const DATA_CLOSE: &str = "</script>";

/// What the pack is about: receipts the server received in `[from, to)` and, in the tables,
/// these purposes (all of them when empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// Received at or after (server time).
    pub from: Timestamp,
    /// Received before (server time).
    pub to: Timestamp,
    /// Purpose ids, sorted; empty: every purpose.
    pub purposes: Vec<String>,
}

impl Scope {
    /// Whether a receipt received at `t` is in scope.
    pub fn covers(&self, t: Timestamp) -> bool {
        self.from <= t && t < self.to
    }

    /// Whether a purpose is in scope.
    pub fn has_purpose(&self, id: &str) -> bool {
        self.purposes.is_empty() || self.purposes.iter().any(|p| p == id)
    }
}

/// One published notice version, every file of its build exactly as published
/// (`manifest.json` among them), by file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeFiles {
    /// Notice id.
    pub notice_id: String,
    /// Version.
    pub version: String,
    /// File name → the file's text, sorted by name.
    pub files: Vec<(String, String)>,
}

impl NoticeFiles {
    /// The bytes of a file of this build, by name.
    pub fn file(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
    }
}

/// The transparency log's part: the checkpoint the ledger export must make, and the keys
/// that sign and cosign it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogPart {
    /// The log's origin line.
    pub origin: String,
    /// The log's verifier key (`<origin>+<id>+<key>`).
    pub verifier_key: String,
    /// The witnesses' cosignature verifier keys the server is configured with.
    pub witnesses: Vec<String>,
    /// The signed checkpoint note (with cosignatures, when witnessed).
    pub checkpoint: String,
}

/// The machine-readable parts of an evidence pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pack {
    /// When the server made it (server time).
    pub created_at: Timestamp,
    /// What it is about.
    pub scope: Scope,
    /// The server's key set (JWKS text, as published at `/.well-known/consentry/keys.json`).
    pub keys: String,
    /// The hotline agents' key set (text, as published at
    /// `/.well-known/consentry/agent-keys.json`, revoked keys included): what verifies the
    /// receipts agents recorded. `None` only in a pack of [`SCHEMA_V1`], made before agent
    /// keys ([`Pack::agent_key_set`] then reads as [`NO_AGENT_KEYS`]).
    pub agent_keys: Option<String>,
    /// The transparency log, when the server keeps one.
    pub log: Option<LogPart>,
    /// Every notice version a receipt of the ledger names.
    pub notices: Vec<NoticeFiles>,
    /// The ledger export (NDJSON, `GET /v1/admin/receipts`), from entry 1 to the checkpoint's
    /// size (to the newest entry when no log is kept).
    pub ledger: String,
}

/// Why a file is not an evidence pack.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvidenceError {
    /// No data block, or more than one (`evidence_malformed`).
    Block(&'static str),
    /// The data block is not JSON (`evidence_malformed`).
    Json(String),
    /// A member is missing or of the wrong type (`evidence_malformed`).
    Member(String),
    /// Another schema (`evidence_schema`).
    Schema(String),
}

impl EvidenceError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Schema(_) => "evidence_schema",
            _ => "evidence_malformed",
        }
    }
}

impl fmt::Display for EvidenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Block(why) => write!(f, "{why}"),
            Self::Json(e) => write!(f, "the data block is not JSON: {e}"),
            Self::Member(m) => write!(f, "the data block's {m}"),
            Self::Schema(s) => write!(f, "schema {s:?} is not {SCHEMA:?} (or {SCHEMA_V1:?})"),
        }
    }
}

impl core::error::Error for EvidenceError {}

fn member<'a>(v: &'a Value, path: &str, key: &str) -> Result<&'a Value, EvidenceError> {
    v.get(key)
        .ok_or_else(|| EvidenceError::Member(alloc::format!("{path}{key} is missing")))
}

fn string(v: &Value, path: &str, key: &str) -> Result<String, EvidenceError> {
    member(v, path, key)?
        .as_str()
        .map(ToString::to_string)
        .ok_or_else(|| EvidenceError::Member(alloc::format!("{path}{key} must be a string")))
}

fn strings(v: &Value, path: &str, key: &str) -> Result<Vec<String>, EvidenceError> {
    member(v, path, key)?
        .as_array()
        .and_then(|a| {
            a.iter()
                .map(|s| s.as_str().map(ToString::to_string))
                .collect()
        })
        .ok_or_else(|| {
            EvidenceError::Member(alloc::format!("{path}{key} must be an array of strings"))
        })
}

fn time(v: &Value, path: &str, key: &str) -> Result<Timestamp, EvidenceError> {
    Timestamp::parse_rfc3339(&string(v, path, key)?).map_err(|_| {
        EvidenceError::Member(alloc::format!("{path}{key} must be an RFC 3339 UTC time"))
    })
}

fn strs(items: &[String]) -> Value {
    Value::Arr(items.iter().map(|s| Value::str(s.as_str())).collect())
}

impl Pack {
    /// The schema the pack is written in: [`SCHEMA`], or [`SCHEMA_V1`] for a pack without an
    /// agent key set.
    pub fn schema(&self) -> &'static str {
        if self.agent_keys.is_some() {
            SCHEMA
        } else {
            SCHEMA_V1
        }
    }

    /// The agent key set's text: the pack's own, or [`NO_AGENT_KEYS`] for a [`SCHEMA_V1`]
    /// pack.
    pub fn agent_key_set(&self) -> &str {
        self.agent_keys.as_deref().unwrap_or(NO_AGENT_KEYS)
    }

    /// The JSON form (members sorted when written canonically).
    pub fn to_value(&self) -> Value {
        let notices = self
            .notices
            .iter()
            .map(|n| {
                Value::object([
                    (
                        "files",
                        Value::object(
                            n.files
                                .iter()
                                .map(|(k, t)| (k.clone(), Value::str(t.as_str()))),
                        ),
                    ),
                    ("notice_id", Value::str(n.notice_id.as_str())),
                    ("version", Value::str(n.version.as_str())),
                ])
            })
            .collect();
        let log = match &self.log {
            None => Value::Null,
            Some(l) => Value::object([
                ("checkpoint", Value::str(l.checkpoint.as_str())),
                ("origin", Value::str(l.origin.as_str())),
                ("verifier_key", Value::str(l.verifier_key.as_str())),
                ("witnesses", strs(&l.witnesses)),
            ]),
        };
        let mut members = alloc::vec![
            ("created_at", Value::str(self.created_at.to_rfc3339())),
            ("keys", Value::str(self.keys.as_str())),
            ("ledger", Value::str(self.ledger.as_str())),
            ("log", log),
            ("notices", Value::Arr(notices)),
            ("schema", Value::str(self.schema())),
            (
                "scope",
                Value::object([
                    ("from", Value::str(self.scope.from.to_rfc3339())),
                    ("purposes", strs(&self.scope.purposes)),
                    ("to", Value::str(self.scope.to.to_rfc3339())),
                ]),
            ),
        ];
        if let Some(a) = &self.agent_keys {
            members.push(("agent_keys", Value::str(a.as_str())));
        }
        Value::object(members)
    }

    /// Reads the JSON form back, of [`SCHEMA`] or [`SCHEMA_V1`]. Unknown members are
    /// refused, so nothing in a pack goes unread by its verifier; `agent_keys` is required in
    /// [`SCHEMA`] and unknown in [`SCHEMA_V1`].
    pub fn from_value(v: &Value) -> Result<Self, EvidenceError> {
        let schema = string(v, "", "schema")?;
        let schema: &'static str = match schema.as_str() {
            SCHEMA => SCHEMA,
            SCHEMA_V1 => SCHEMA_V1,
            _ => return Err(EvidenceError::Schema(schema)),
        };
        let known = |v: &Value, path: &str, keys: &[&str]| -> Result<(), EvidenceError> {
            let m = v
                .as_object()
                .ok_or_else(|| EvidenceError::Member(alloc::format!("{path} must be an object")))?;
            match m.iter().find(|(k, _)| !keys.contains(&k.as_str())) {
                Some((k, _)) => Err(EvidenceError::Member(alloc::format!(
                    "{path}{k} is not a member of {schema}"
                ))),
                None => Ok(()),
            }
        };
        const V1: [&str; 7] = [
            "created_at",
            "keys",
            "ledger",
            "log",
            "notices",
            "schema",
            "scope",
        ];
        let agent_keys = if schema == SCHEMA {
            let mut v2 = V1.to_vec();
            v2.push("agent_keys");
            known(v, "", &v2)?;
            Some(string(v, "", "agent_keys")?)
        } else {
            known(v, "", &V1)?;
            None
        };
        let s = member(v, "", "scope")?;
        known(s, "scope.", &["from", "purposes", "to"])?;
        let scope = Scope {
            from: time(s, "scope.", "from")?,
            to: time(s, "scope.", "to")?,
            purposes: strings(s, "scope.", "purposes")?,
        };
        let log = match member(v, "", "log")? {
            Value::Null => None,
            l => {
                known(
                    l,
                    "log.",
                    &["checkpoint", "origin", "verifier_key", "witnesses"],
                )?;
                Some(LogPart {
                    origin: string(l, "log.", "origin")?,
                    verifier_key: string(l, "log.", "verifier_key")?,
                    witnesses: strings(l, "log.", "witnesses")?,
                    checkpoint: string(l, "log.", "checkpoint")?,
                })
            }
        };
        let mut notices = Vec::new();
        let list = member(v, "", "notices")?
            .as_array()
            .ok_or_else(|| EvidenceError::Member("notices must be an array".into()))?;
        for (i, n) in list.iter().enumerate() {
            let path = alloc::format!("notices[{i}].");
            known(n, &path, &["files", "notice_id", "version"])?;
            let files = member(n, &path, "files")?
                .as_object()
                .and_then(|m| {
                    m.iter()
                        .map(|(k, t)| t.as_str().map(|t| (k.clone(), t.to_string())))
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| {
                    EvidenceError::Member(alloc::format!(
                        "{path}files must map file names to texts"
                    ))
                })?;
            notices.push(NoticeFiles {
                notice_id: string(n, &path, "notice_id")?,
                version: string(n, &path, "version")?,
                files,
            });
        }
        Ok(Self {
            created_at: time(v, "", "created_at")?,
            scope,
            keys: string(v, "", "keys")?,
            agent_keys,
            log,
            notices,
            ledger: string(v, "", "ledger")?,
        })
    }
}

/// The data block's text: canonical JSON with every `<` written `\u003c`, so nothing in a
/// receipt or a notice can close the block or open markup (`<` occurs only inside strings).
pub fn data_text(pack: &Pack) -> String {
    json::to_canonical_string(&pack.to_value()).replace('<', "\\u003c")
}

/// Reads the machine-readable parts of a pack file. Only the block is read here; whether the
/// rest of the file is the report those parts make is for the verifier to check, by drawing
/// it again ([`render`]).
pub fn read(file: &str) -> Result<Pack, EvidenceError> {
    let mut found = file.match_indices(DATA_OPEN);
    let Some((at, _)) = found.next() else {
        return Err(EvidenceError::Block(
            "no consentry-evidence data block: not an evidence pack",
        ));
    };
    if found.next().is_some() {
        return Err(EvidenceError::Block("more than one data block"));
    }
    let body = &file[at + DATA_OPEN.len()..];
    let end = body
        .find(DATA_CLOSE)
        .ok_or(EvidenceError::Block("the data block is not closed"))?;
    let v = json::parse_str(&body[..end]).map_err(|e| EvidenceError::Json(e.to_string()))?;
    Pack::from_value(&v)
}

/// One verified ledger entry, as the summary counts it.
#[derive(Clone, Copy, Debug)]
pub struct Item<'a> {
    /// Ledger index.
    pub index: u64,
    /// Server time it was received.
    pub received_at: Timestamp,
    /// The receipt.
    pub receipt: &'a Receipt,
    /// The server's per-subject chain flag.
    pub subject_chain: SubjectChain,
}

/// Decisions counted by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Consent given.
    pub given: u64,
    /// Consent refused.
    pub refused: u64,
    /// Consent withdrawn.
    pub withdrawn: u64,
    /// Consent expired.
    pub expired: u64,
    /// Objected or opted out (a purpose not resting on consent).
    pub objected: u64,
    /// Not objected.
    pub not_objected: u64,
    /// Required (no choice).
    pub required: u64,
}

impl Counts {
    fn add(&mut self, s: DecisionState) {
        let n = match s {
            DecisionState::Given => &mut self.given,
            DecisionState::Refused => &mut self.refused,
            DecisionState::Withdrawn => &mut self.withdrawn,
            DecisionState::Expired => &mut self.expired,
            DecisionState::Objected => &mut self.objected,
            DecisionState::NotObjected => &mut self.not_objected,
            DecisionState::NotApplicable => &mut self.required,
        };
        *n += 1;
    }

    /// Decisions on consent: given, refused, withdrawn or expired.
    pub fn asked(&self) -> u64 {
        self.given + self.refused + self.withdrawn + self.expired
    }

    /// The consent rate in per mille (given of asked, rounded down); `None` when nothing was
    /// asked.
    pub fn permille(&self) -> Option<u32> {
        let asked = self.asked();
        (asked > 0).then(|| u32::try_from(self.given * 1000 / asked).unwrap_or(1000))
    }
}

/// One receipt as the report lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptRow {
    /// Ledger index.
    pub index: u64,
    /// Server time.
    pub received_at: Timestamp,
    /// Receipt id.
    pub receipt_id: String,
    /// Subject (the device key's pseudonym).
    pub subject: String,
    /// Region, or empty.
    pub region: String,
    /// Every law applied, comma-separated.
    pub regimes: String,
    /// Channel.
    pub channel: &'static str,
    /// Notice id, version and locale.
    pub notice: String,
    /// The decisions on the purposes in scope.
    pub decisions: Vec<(String, &'static str)>,
    /// The server's per-subject chain flag.
    pub chain: SubjectChain,
}

/// The key of a summary row: purpose, region, channel, notice version.
pub type RowKey = (String, String, &'static str, String);

/// What the report's tables and charts show, computed from verified entries only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Ledger entries in the pack (all of them, in scope or not).
    pub entries: u64,
    /// The receipts in scope, in ledger order.
    pub receipts: Vec<ReceiptRow>,
    /// Decisions per purpose × region × channel × notice version.
    pub rows: BTreeMap<RowKey, Counts>,
    /// Decisions per purpose and UTC day (days since the epoch).
    pub days: BTreeMap<(String, i64), Counts>,
}

const DAY_MS: i64 = 86_400_000;

impl Summary {
    /// Counts the entries in `scope` among `items` (every entry of the pack, `entries` of
    /// them).
    pub fn of<'a>(scope: &Scope, entries: u64, items: impl IntoIterator<Item = Item<'a>>) -> Self {
        let mut s = Summary {
            entries,
            ..Summary::default()
        };
        for it in items {
            s.add(scope, &it);
        }
        s
    }

    /// Counts one entry, if it is in `scope` (for a caller that reads the ledger page by
    /// page).
    pub fn add(&mut self, scope: &Scope, it: &Item<'_>) {
        if !scope.covers(it.received_at) {
            return;
        }
        let r = it.receipt;
        let region = r
            .jurisdiction
            .region
            .as_ref()
            .map_or(String::new(), |c| String::from(c.as_str()));
        let channel = r.event.channel.as_str();
        let mut decisions = Vec::new();
        for d in &r.decisions {
            let id = String::from(d.purpose_id.as_str());
            // A hotline agent's receipt speaks only for what was read out on the call: the
            // caller was not asked about the rest (ADR 0018), so it counts for nothing there.
            let asked = r
                .agent
                .as_ref()
                .is_none_or(|a| a.read_out.contains(&d.purpose_id));
            if !scope.has_purpose(&id) || !asked {
                continue;
            }
            self.rows
                .entry((
                    id.clone(),
                    region.clone(),
                    channel,
                    r.notice.version.clone(),
                ))
                .or_default()
                .add(d.state);
            self.days
                .entry((id.clone(), it.received_at.0.div_euclid(DAY_MS)))
                .or_default()
                .add(d.state);
            decisions.push((id, d.state.as_str()));
        }
        let regimes = if r.jurisdiction.regimes.is_empty() {
            String::from(r.jurisdiction.regime.as_str())
        } else {
            r.jurisdiction
                .regimes
                .iter()
                .map(|(g, _)| g.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        self.receipts.push(ReceiptRow {
            index: it.index,
            received_at: it.received_at,
            receipt_id: String::from(r.receipt_id.as_str()),
            subject: r.subject.clone(),
            region,
            regimes,
            channel,
            notice: alloc::format!(
                "{} {} ({})",
                r.notice.notice_id.as_str(),
                r.notice.version,
                r.notice.locale.as_str()
            ),
            decisions,
            chain: it.subject_chain,
        });
    }

    /// The purposes with a decision on consent in scope, each with its days that have one:
    /// what the daily-rate charts draw.
    pub fn daily(&self) -> Vec<(&str, Vec<(i64, Counts)>)> {
        let mut out: Vec<(&str, Vec<(i64, Counts)>)> = Vec::new();
        for ((p, day), c) in &self.days {
            if c.asked() == 0 {
                continue;
            }
            match out.last_mut() {
                Some((q, days)) if *q == p.as_str() => days.push((*day, *c)),
                _ => out.push((p.as_str(), alloc::vec![(*day, *c)])),
            }
        }
        out
    }
}

/// The daily consent rate of one purpose as an SVG bar chart (`id` unique in the page): the
/// one drawing the evidence report and the console's dashboard both show.
pub fn daily_chart(out: &mut String, id: &str, purpose: &str, days: &[(i64, Counts)]) {
    let bars: Vec<chart::Bar> = days
        .iter()
        .map(|(d, c)| {
            let mut note = String::new();
            int(&mut note, c.given);
            note.push('/');
            int(&mut note, c.asked());
            chart::Bar {
                label: String::from(&day_label(*d)[5..]),
                permille: c.permille().unwrap_or(0),
                note,
            }
        })
        .collect();
    chart::bars(
        out,
        id,
        &daily_title(purpose),
        "Bars show consent given of consent asked per UTC day; each bar's note is given/asked. The table below holds the same numbers.",
        &bars,
    );
}

/// The title of a purpose's daily chart.
pub fn daily_title(purpose: &str) -> String {
    alloc::format!("Consent rate per day: {purpose}")
}

/// A UTC day (days since the epoch) as `YYYY-MM-DD`.
pub fn day_label(day: i64) -> String {
    let mut s = Timestamp(day.saturating_mul(DAY_MS)).to_rfc3339();
    s.truncate(10);
    s
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;\
margin:0 auto;max-width:72rem;padding:1rem}h1{font-size:1.6rem}h2{font-size:1.25rem;\
margin-top:2rem;border-bottom:1px solid #6b6b6b}table{border-collapse:collapse;margin:.5rem 0;\
font-size:.9rem}th,td{border:1px solid #6b6b6b;padding:.25rem .5rem;text-align:start;\
vertical-align:top}td.n{text-align:end;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}\
pre,code{font-family:ui-monospace,monospace;font-size:.85rem;overflow-wrap:anywhere;\
white-space:pre-wrap}figure{margin:1rem 0}figcaption{font-weight:600}";

/// The `<style>` element's text, for a `Content-Security-Policy` hash when the pack is served.
pub fn style_text() -> &'static str {
    STYLE
}

fn e(out: &mut String, s: &str) {
    escape_into(out, s);
}

fn int(out: &mut String, n: u64) {
    push_int(out, i64::try_from(n).unwrap_or(i64::MAX));
}

fn rate(out: &mut String, c: &Counts) {
    match c.permille() {
        Some(p) => {
            int(out, u64::from(p / 10));
            out.push('.');
            int(out, u64::from(p % 10));
            out.push_str(" %");
        }
        None => out.push('–'),
    }
}

fn cell(out: &mut String, s: &str) {
    out.push_str("<td>");
    e(out, s);
    out.push_str("</td>");
}

fn num_cell(out: &mut String, n: u64) {
    out.push_str("<td class=\"n\">");
    int(out, n);
    out.push_str("</td>");
}

fn head(out: &mut String, cols: &[&str]) {
    out.push_str("<thead><tr>");
    for c in cols {
        out.push_str("<th scope=\"col\">");
        e(out, c);
        out.push_str("</th>");
    }
    out.push_str("</tr></thead>");
}

/// One key of an agent key set as the report lists it: agent id, kid, registered, revoked.
type AgentRow = (String, String, String, Option<String>);

/// The keys of an agent key set, in its order, read leniently for the report (`None`: not an
/// agent key set at all). Whether the keys are sound is the verifier's to check.
fn agent_rows(set: &str) -> Option<Vec<AgentRow>> {
    let v = json::parse_str(set).ok()?;
    let s = |k: &Value, name: &str| k.get(name).and_then(Value::as_str).map(String::from);
    Some(
        v.get("keys")?
            .as_array()?
            .iter()
            .map(|k| {
                (
                    s(k, "agent").unwrap_or_default(),
                    s(k, "kid").unwrap_or_default(),
                    s(k, "created").unwrap_or_default(),
                    s(k, "revoked"),
                )
            })
            .collect(),
    )
}

/// The agent keys paragraph or table of the keys section.
fn agent_keys_section(o: &mut String, set: &str) {
    match agent_rows(set) {
        None => o.push_str("<p>Hotline agent keys: none readable.</p>"),
        Some(rows) if rows.is_empty() => o.push_str(
            "<p>Hotline agent keys: none registered, so no receipt in this pack can have been \
recorded by an agent.</p>",
        ),
        Some(rows) => {
            o.push_str(
                "<p>Hotline agent keys: each signs the receipts one agent records on calls, \
from its registration until its revocation (revoked keys stay listed: what they signed before \
stays valid).</p><div class=\"scroll\"><table><caption>Hotline agent keys</caption>",
            );
            head(
                o,
                &["Agent", "Key (kid)", "Registered (UTC)", "Revoked (UTC)"],
            );
            o.push_str("<tbody>");
            for (agent, kid, created, revoked) in &rows {
                o.push_str("<tr>");
                cell(o, agent);
                o.push_str("<td><code>");
                e(o, kid);
                o.push_str("</code></td>");
                cell(o, created);
                cell(o, revoked.as_deref().unwrap_or("not revoked"));
                o.push_str("</tr>");
            }
            o.push_str("</tbody></table></div>");
        }
    }
}

fn kids(keys: &str) -> Vec<String> {
    json::parse_str(keys)
        .ok()
        .and_then(|v| {
            v.get("keys")?.as_array().map(|ks| {
                ks.iter()
                    .filter_map(|k| k.get("kid").and_then(Value::as_str).map(String::from))
                    .collect()
            })
        })
        .unwrap_or_default()
}

/// The whole pack file: the report drawn from `pack` and `summary`, then `pack` itself in the
/// data block. Deterministic: the same parts give the same bytes.
pub fn render(pack: &Pack, summary: &Summary) -> String {
    let mut o = String::with_capacity(pack.ledger.len() * 2 + 16_384);
    let sc = &pack.scope;
    let (from, to) = (sc.from.to_rfc3339(), sc.to.to_rfc3339());
    o.push_str("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    o.push_str("<title>Consent evidence ");
    e(&mut o, &from);
    o.push_str(" to ");
    e(&mut o, &to);
    o.push_str("</title><style>");
    o.push_str(STYLE);
    o.push_str("</style></head><body><main><h1>Consent evidence</h1><p>Receipts received from ");
    e(&mut o, &from);
    o.push_str(" (inclusive) to ");
    e(&mut o, &to);
    o.push_str(" (exclusive), server time; purposes: ");
    if sc.purposes.is_empty() {
        o.push_str("all");
    } else {
        e(&mut o, &sc.purposes.join(", "));
    }
    o.push_str(". Made by the receipt server at ");
    e(&mut o, &pack.created_at.to_rfc3339());
    o.push_str(".</p>");

    // How to check it.
    o.push_str(
        "<h2>How to check this file</h2><p>Everything below is drawn from the data \
block at the end of this file. Check it offline with the <code>consentry</code> command; it \
verifies every receipt, the ledger's hash chain, the notices, the log checkpoint and its \
witnesses, draws this report again and requires it to be exactly this one:</p><pre>",
    );
    o.push_str("consentry verify --evidence FILE");
    if let Some(l) = &pack.log {
        o.push_str(" \\\n  --log-key ");
        e(&mut o, &l.verifier_key);
        for w in &l.witnesses {
            o.push_str(" \\\n  --witness-key ");
            e(&mut o, w);
        }
    }
    o.push_str(" \\\n  --keys keys.json");
    if pack.agent_keys.is_some() {
        o.push_str(
            " \\\n  --agent-keys agent-keys.json</pre><p>Take the keys from the operator's \
published key sets (<code>/.well-known/consentry/keys.json</code> and \
<code>agent-keys.json</code>) and log configuration",
        );
    } else {
        o.push_str(
            "</pre><p>Take the keys from the operator's published key set and log configuration",
        );
    }
    o.push_str(
        ", not from this file: keys given on the command line are the ones the check \
trusts.</p>",
    );

    // Summary table.
    o.push_str("<h2>Consent per purpose, region, channel and notice version</h2><p>");
    int(
        &mut o,
        u64::try_from(summary.receipts.len()).unwrap_or(u64::MAX),
    );
    o.push_str(" receipts in scope, of ");
    int(&mut o, summary.entries);
    o.push_str(" ledger entries in this pack. The rate is consent given of consent asked (given, refused, withdrawn, expired).</p>");
    o.push_str("<div class=\"scroll\"><table><caption>Decisions in scope</caption>");
    head(
        &mut o,
        &[
            "Purpose",
            "Region",
            "Channel",
            "Notice version",
            "Given",
            "Refused",
            "Withdrawn",
            "Expired",
            "Objected",
            "Not objected",
            "Required",
            "Rate",
        ],
    );
    o.push_str("<tbody>");
    for ((p, region, channel, version), c) in &summary.rows {
        o.push_str("<tr>");
        cell(&mut o, p);
        cell(&mut o, if region.is_empty() { "unknown" } else { region });
        cell(&mut o, channel);
        cell(&mut o, version);
        for n in [
            c.given,
            c.refused,
            c.withdrawn,
            c.expired,
            c.objected,
            c.not_objected,
            c.required,
        ] {
            num_cell(&mut o, n);
        }
        o.push_str("<td class=\"n\">");
        rate(&mut o, c);
        o.push_str("</td></tr>");
    }
    o.push_str("</tbody></table></div>");

    // Charts: the daily rate per purpose that rests on consent.
    o.push_str("<h2>Consent rate per day</h2>");
    let daily = summary.daily();
    for (i, (p, days)) in daily.iter().enumerate() {
        let mut id = String::from("chart-");
        int(&mut id, u64::try_from(i + 1).unwrap_or(u64::MAX));
        let title = daily_title(p);
        o.push_str("<figure><figcaption>");
        e(&mut o, &title);
        o.push_str("</figcaption><div class=\"scroll\">");
        daily_chart(&mut o, &id, p, days);
        o.push_str("</div><table><caption>");
        e(&mut o, &title);
        o.push_str("</caption>");
        head(&mut o, &["Day (UTC)", "Given", "Asked", "Rate"]);
        o.push_str("<tbody>");
        for (d, c) in days {
            o.push_str("<tr>");
            cell(&mut o, &day_label(*d));
            num_cell(&mut o, c.given);
            num_cell(&mut o, c.asked());
            o.push_str("<td class=\"n\">");
            rate(&mut o, c);
            o.push_str("</td></tr>");
        }
        o.push_str("</tbody></table></figure>");
    }
    if daily.is_empty() {
        o.push_str("<p>No decision on consent in scope.</p>");
    }

    // Notices.
    o.push_str(
        "<h2>Notice versions</h2><p>Every version a receipt in this pack names, with \
every file of its build; a receipt names the SHA-256 of the exact text shown.</p>",
    );
    o.push_str("<div class=\"scroll\"><table><caption>Published notice versions</caption>");
    head(
        &mut o,
        &["Notice", "Version", "Locales", "manifest.json SHA-256"],
    );
    o.push_str("<tbody>");
    for n in &pack.notices {
        let manifest = n.file("manifest.json").unwrap_or_default();
        let locales = Manifest::from_json(manifest.as_bytes())
            .map(|m| {
                m.locales
                    .iter()
                    .map(|l| String::from(l.locale.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_else(|_| String::from("(unreadable manifest)"));
        o.push_str("<tr>");
        cell(&mut o, &n.notice_id);
        cell(&mut o, &n.version);
        cell(&mut o, &locales);
        o.push_str("<td><code>");
        e(&mut o, &Sha256Digest::of(manifest.as_bytes()).to_hex());
        o.push_str("</code></td></tr>");
    }
    o.push_str("</tbody></table></div>");

    // Keys and log.
    o.push_str("<h2>Keys and transparency log</h2><p>Server countersigning keys (kid): ");
    let ks = kids(&pack.keys);
    if ks.is_empty() {
        o.push_str("none readable");
    } else {
        e(&mut o, &ks.join(", "));
    }
    o.push_str(".</p>");
    if let Some(set) = &pack.agent_keys {
        agent_keys_section(&mut o, set);
    }
    match &pack.log {
        None => o.push_str("<p>This server keeps no transparency log: the ledger's hash chain is the only proof of order and completeness.</p>"),
        Some(l) => {
            o.push_str("<p>Log verifier key: <code>");
            e(&mut o, &l.verifier_key);
            o.push_str("</code>. Witnesses: ");
            if l.witnesses.is_empty() {
                o.push_str("none configured");
            } else {
                for (i, w) in l.witnesses.iter().enumerate() {
                    if i > 0 {
                        o.push_str(", ");
                    }
                    o.push_str("<code>");
                    e(&mut o, w);
                    o.push_str("</code>");
                }
            }
            o.push_str(".</p><p>The ledger entries in this pack make exactly this checkpoint's tree:</p><pre>");
            e(&mut o, &l.checkpoint);
            o.push_str("</pre>");
        }
    }

    // Receipts.
    o.push_str("<h2>Receipts in scope</h2><div class=\"scroll\"><table><caption>Every receipt received in scope, in ledger order</caption>");
    head(
        &mut o,
        &[
            "Entry",
            "Received (UTC)",
            "Receipt",
            "Subject",
            "Region",
            "Laws applied",
            "Channel",
            "Notice",
            "Decisions",
            "Subject chain",
        ],
    );
    o.push_str("<tbody>");
    for r in &summary.receipts {
        o.push_str("<tr>");
        num_cell(&mut o, r.index);
        cell(&mut o, &r.received_at.to_rfc3339());
        o.push_str("<td><code>");
        e(&mut o, &r.receipt_id);
        o.push_str("</code></td><td><code>");
        e(&mut o, &r.subject);
        o.push_str("</code></td>");
        cell(&mut o, &r.region);
        cell(&mut o, &r.regimes);
        cell(&mut o, r.channel);
        cell(&mut o, &r.notice);
        let ds = r
            .decisions
            .iter()
            .map(|(p, s)| alloc::format!("{p}: {s}"))
            .collect::<Vec<_>>()
            .join("; ");
        cell(&mut o, &ds);
        cell(&mut o, r.chain.as_str());
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table></div></main>\n");
    o.push_str(DATA_OPEN);
    o.push_str(&data_text(pack));
    o.push_str(DATA_CLOSE);
    o.push_str("\n</body></html>\n");
    o
}

#[cfg(test)]
mod tests;
