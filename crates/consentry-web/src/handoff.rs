//! Step 2 of a decision, handed from one wasm module to another.
//!
//! The first module keeps a decision at once (step 1, `decisions::keep_decision`) and hands the
//! receipt to issue to the receipts module, which the loader fetches once the banner is up.
//! The hand-off goes through storage, so that nothing is lost when that module cannot be
//! fetched yet (offline) or the page closes first: [`push`] appends the job to
//! [`HANDOFF_KEY`] (its JSON text, the endpoint, and the exact first-layer text the notice came
//! from), and whichever queue delivers receipts on the page (`decisions::resend_outbox`, in the
//! receipts module or the full widget) reads the list ([`pending`]), checks the first layer
//! against the digest the job names, queues each job once, and [`remove`]s it as soon as its
//! receipt is in the outbox. Everything the receipt records is in the job, in the same types on
//! both sides (the same `consentry-core`): nothing is recomputed differently.

use std::rc::Rc;

use consentry_core::bundle::{FirstLayer, LocaleBundle};
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::{PurposeId, ReceiptId, RegionCode};
use consentry_core::json::{self, Value};
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::{Regime, RegionSource};
use consentry_core::session::{Choices, DecisionRecord, Method, Phase, StaleReason, purpose_ids};
use consentry_core::time::Timestamp;

use crate::error::RuntimeError;
use crate::platform::{Host, storage};

/// The localStorage key of the jobs handed off and not yet in the outbox: a JSON array of
/// `[receipt id, endpoint, job, first layer]` strings, oldest first.
pub const HANDOFF_KEY: &str = "consentry:handoff";
/// Frame mode (ADR 0012): set by the loader's signer client while the signing frame reports
/// receipts waiting in its outbox (which this page cannot read), so that the next page load
/// opens the frame to deliver them.
pub const SIGNER_WAITING_KEY: &str = "consentry:signer:waiting";
/// Where an unreadable hand-off list is moved (appended), never deleted.
pub const HANDOFF_UNREADABLE_KEY: &str = "consentry:handoff:unreadable";

/// Step 2 of a decision: the receipt to build, sign, keep and deliver.
pub struct IssueJob {
    /// The host that hears about it.
    pub host: Host,
    /// Where it is delivered.
    pub endpoint: Rc<str>,
    /// Its id (drawn in step 1, announced in `consentry:change`).
    pub receipt_id: ReceiptId,
    /// When the decision was made.
    pub now: Timestamp,
    /// The decision.
    pub record: DecisionRecord,
    /// Made on the banner (else in the settings or through the API).
    pub on_banner: bool,
    /// The notice shown.
    pub bundle: Rc<LocaleBundle>,
    /// Its first layer's SHA-256.
    pub digest: Sha256Digest,
    /// Regime and region.
    pub jurisdiction: Jurisdiction,
    /// Global Privacy Control signal present.
    pub gpc: bool,
    /// The GPC signal binds here.
    pub gpc_honoured: bool,
    /// Made by a parent or guardian.
    pub guardian: bool,
    /// Purposes granted despite an honoured GPC signal.
    pub signal_opt_ins: Vec<PurposeId>,
    /// The mount's link token, if any.
    pub link: Option<Rc<str>>,
}

/// The wire name of a decision method (`accept_all`, `reject_all`, `save_choices`,
/// `withdraw`), as in receipts and the `consentry:change` event.
pub fn method_name(m: Method) -> &'static str {
    match m {
        Method::AcceptAll => "accept_all",
        Method::RejectAll => "reject_all",
        Method::SaveChoices => "save_choices",
        Method::Withdraw => "withdraw",
        Method::SeparateConsent => "separate_consent",
        Method::SignalOptIn => "gpc_opt_in",
    }
}

/// One job handed off, as [`HANDOFF_KEY`] keeps it (`[receipt_id, endpoint, job,
/// first_layer]` on the wire, the form earlier page loads stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The receipt id the job will issue (a job is taken once per page by it).
    pub receipt_id: String,
    /// The endpoint of the mount that made the decision.
    pub endpoint: String,
    /// The job ([`encode`]; [`decode`] reads it back).
    pub job: String,
    /// The exact first-layer text the decision was made on.
    pub first_layer: String,
}

impl Pending {
    fn read(v: &Value) -> Option<Self> {
        match v.as_array()? {
            [a, b, c, d] => Some(Self {
                receipt_id: a.as_str()?.into(),
                endpoint: b.as_str()?.into(),
                job: c.as_str()?.into(),
                first_layer: d.as_str()?.into(),
            }),
            _ => None,
        }
    }

    fn value(&self) -> Value {
        Value::Arr(
            [
                &self.receipt_id,
                &self.endpoint,
                &self.job,
                &self.first_layer,
            ]
            .into_iter()
            .map(|s| Value::str(s.as_str()))
            .collect(),
        )
    }
}

fn read_list(text: &str) -> Option<Vec<Pending>> {
    json::parse_str(text)
        .ok()?
        .as_array()?
        .iter()
        .map(Pending::read)
        .collect()
}

fn write_list(list: &[Pending]) -> Result<(), RuntimeError> {
    if list.is_empty() {
        return storage::remove(HANDOFF_KEY);
    }
    let v = Value::Arr(list.iter().map(Pending::value).collect());
    storage::set(HANDOFF_KEY, &json::to_canonical_string(&v))
}

/// The jobs handed off and not yet in the outbox, oldest first. An unreadable list is moved
/// to [`HANDOFF_UNREADABLE_KEY`] (appended) and reported, never deleted.
pub fn pending() -> Result<Vec<Pending>, RuntimeError> {
    let Some(text) = storage::get(HANDOFF_KEY)? else {
        return Ok(Vec::new());
    };
    match read_list(&text) {
        Some(list) => Ok(list),
        None => {
            let mut kept = storage::get(HANDOFF_UNREADABLE_KEY)?.unwrap_or_default();
            if !kept.is_empty() {
                kept.push('\n');
            }
            kept.push_str(&text);
            storage::set(HANDOFF_UNREADABLE_KEY, &kept)?;
            storage::remove(HANDOFF_KEY)?;
            Err(RuntimeError::Receipts(String::from(
                "the list of receipts handed over was unreadable; it was moved aside to \
                 consentry:handoff:unreadable",
            )))
        }
    }
}

/// Hands `job` off: appended to [`HANDOFF_KEY`] with the exact first-layer bytes (UTF-8 JSON)
/// the decision was made on. An unreadable list found there is moved aside first (see
/// [`pending`]) and the job still stored; that is then the error returned, to be reported.
pub fn push(job: &IssueJob, first_layer: &[u8]) -> Result<(), RuntimeError> {
    let first = core::str::from_utf8(first_layer)
        .map_err(|_| RuntimeError::Receipts(String::from("the first layer is not UTF-8")))?;
    let (mut list, moved_aside) = match pending() {
        Ok(list) => (list, None),
        Err(e @ RuntimeError::Receipts(_)) => (Vec::new(), Some(e)),
        Err(e) => return Err(e),
    };
    list.push(Pending {
        receipt_id: String::from(job.receipt_id.as_str()),
        endpoint: String::from(&*job.endpoint),
        job: encode(job),
        first_layer: String::from(first),
    });
    write_list(&list)?;
    moved_aside.map_or(Ok(()), Err)
}

/// Removes the job of `receipt_id` from the hand-off list (its receipt is in the outbox now);
/// nothing when it is not there.
pub fn remove(receipt_id: &str) -> Result<(), RuntimeError> {
    let Some(text) = storage::get(HANDOFF_KEY)? else {
        return Ok(());
    };
    let Some(mut list) = read_list(&text) else {
        return Ok(()); // moved aside by the next `pending`
    };
    let before = list.len();
    list.retain(|e| e.receipt_id != receipt_id);
    if list.len() == before {
        return Ok(());
    }
    write_list(&list)
}

/// The method named as in receipts and events ([`method_name`]).
fn method_of(s: &str) -> Option<Method> {
    Some(match s {
        "accept_all" => Method::AcceptAll,
        "reject_all" => Method::RejectAll,
        "save_choices" => Method::SaveChoices,
        "withdraw" => Method::Withdraw,
        "separate_consent" => Method::SeparateConsent,
        "gpc_opt_in" => Method::SignalOptIn,
        _ => return None,
    })
}

fn phase(p: Phase) -> &'static str {
    match p {
        Phase::Undecided => "undecided",
        Phase::Stale(StaleReason::NewVersion) => "stale_new_version",
        Phase::Stale(StaleReason::Expired) => "stale_expired",
        Phase::Stale(StaleReason::NewPurposes) => "stale_new_purposes",
        Phase::Decided => "decided",
    }
}

fn phase_of(s: &str) -> Option<Phase> {
    Some(match s {
        "undecided" => Phase::Undecided,
        "stale_new_version" => Phase::Stale(StaleReason::NewVersion),
        "stale_expired" => Phase::Stale(StaleReason::Expired),
        "stale_new_purposes" => Phase::Stale(StaleReason::NewPurposes),
        "decided" => Phase::Decided,
        _ => return None,
    })
}

/// Choices as `[[purpose, granted], …]`, in their order.
fn choices(c: &Choices) -> Value {
    Value::Arr(
        c.iter()
            .map(|(p, on)| Value::Arr(vec![Value::str(p.as_str()), Value::Bool(*on)]))
            .collect(),
    )
}

fn choices_of(v: &Value) -> Option<Choices> {
    v.as_array()?
        .iter()
        .map(|pair| match pair.as_array()? {
            [p, on] => Some((PurposeId::parse(p.as_str()?).ok()?, on.as_bool()?)),
            _ => None,
        })
        .collect()
}

/// The job as JSON, without what travels beside it (host, endpoint, first-layer bytes).
pub fn encode(job: &IssueJob) -> String {
    let r = &job.record;
    let j = &job.jurisdiction;
    json::to_canonical_string(&Value::object(vec![
        ("receipt_id", Value::str(job.receipt_id.as_str())),
        ("now", Value::Int(job.now.0)),
        ("method", Value::str(method_name(r.method))),
        ("choices", choices(&r.choices)),
        (
            "separately",
            Value::Arr(
                r.separately
                    .iter()
                    .map(|p| Value::str(p.as_str()))
                    .collect(),
            ),
        ),
        ("previous", r.previous.as_ref().map_or(Value::Null, choices)),
        ("prior_phase", Value::str(phase(r.prior_phase))),
        ("on_banner", Value::Bool(job.on_banner)),
        ("digest", Value::str(job.digest.to_hex())),
        (
            "region",
            j.region
                .as_ref()
                .map_or(Value::Null, |c| Value::str(c.as_str())),
        ),
        ("regime", Value::str(j.regime.as_str())),
        ("determined_by", Value::str(j.determined_by.as_str())),
        ("gpc", Value::Bool(job.gpc)),
        ("gpc_honoured", Value::Bool(job.gpc_honoured)),
        ("guardian", Value::Bool(job.guardian)),
        (
            "signal_opt_ins",
            Value::Arr(
                job.signal_opt_ins
                    .iter()
                    .map(|p| Value::str(p.as_str()))
                    .collect(),
            ),
        ),
        ("link", job.link.as_deref().map_or(Value::Null, Value::str)),
    ]))
}

/// How old a handed-off job may be when it is signed: a page that could not fetch the receipts
/// module (offline) hands it to a later page; a job older than this was not made by a visitor
/// recently enough to sign it now (it stays in the list and is reported).
pub const MAX_JOB_AGE_MS: i64 = 30 * 24 * 3600 * 1000;
/// How far ahead of this device's clock a job may be dated (clock adjustments).
pub const MAX_JOB_SKEW_MS: i64 = 5 * 60 * 1000;

/// Reads what [`encode`] wrote, with the notice from `first_layer`, which must be the bytes
/// whose SHA-256 the job names. The receipt goes to `endpoint` (the mount's: what the list
/// stores beside the job is never used), and the job must have been made within
/// [`MAX_JOB_AGE_MS`] before `now`. The error names the first thing wrong.
pub fn decode(
    text: &str,
    host: Host,
    endpoint: Rc<str>,
    first_layer: &[u8],
    now: Timestamp,
) -> Result<IssueJob, String> {
    let v = json::parse_str(text).map_err(|e| format!("receipt job: {e}"))?;
    let field = |k: &str| v.get(k).ok_or_else(|| format!("receipt job: no {k}"));
    let text_of = |k: &str| {
        field(k)?
            .as_str()
            .ok_or_else(|| format!("receipt job: {k} is not a string"))
    };
    let flag = |k: &str| {
        field(k)?
            .as_bool()
            .ok_or_else(|| format!("receipt job: {k} is not a boolean"))
    };
    let bad = |k: &str| format!("receipt job: {k} is malformed");
    let digest = Sha256Digest::from_hex(text_of("digest")?).ok_or_else(|| bad("digest"))?;
    if Sha256Digest::of(first_layer) != digest {
        return Err(String::from(
            "receipt job: the first layer handed over is not the one the decision was made on",
        ));
    }
    let bundle: LocaleBundle = FirstLayer::from_json(first_layer)
        .map_err(|e| format!("receipt job: first layer: {e}"))?
        .bundle;
    let previous = match field("previous")? {
        Value::Null => None,
        p => Some(choices_of(p).ok_or_else(|| bad("previous"))?),
    };
    let region = match field("region")? {
        Value::Null => None,
        r => Some(
            r.as_str()
                .and_then(|s| RegionCode::parse(s).ok())
                .ok_or_else(|| bad("region"))?,
        ),
    };
    // The regimes applied follow from the region and the notice's own map, as on the other
    // side (`region::resolve`): they are derived here, not taken from the job.
    let mut jurisdiction = Jurisdiction {
        region,
        regime: Regime::parse(text_of("regime")?).ok_or_else(|| bad("regime"))?,
        determined_by: RegionSource::parse(text_of("determined_by")?)
            .ok_or_else(|| bad("determined_by"))?,
        regimes: Vec::new(),
    };
    jurisdiction.regimes = consentry_core::region::regimes_of(&jurisdiction, &bundle.regions);
    if jurisdiction.regimes.first().map(|(g, _)| *g) != Some(jurisdiction.regime) {
        return Err(bad("regime"));
    }
    let made = field("now")?.as_i64().ok_or_else(|| bad("now"))?;
    if made < now.0.saturating_sub(MAX_JOB_AGE_MS) || made > now.0.saturating_add(MAX_JOB_SKEW_MS) {
        return Err(String::from(
            "receipt job: not made on this device in the last 30 days; it is not signed (kept \
             in consentry:handoff)",
        ));
    }
    Ok(IssueJob {
        host,
        endpoint,
        receipt_id: ReceiptId::parse(text_of("receipt_id")?).map_err(|_| bad("receipt_id"))?,
        now: Timestamp(made),
        record: DecisionRecord {
            method: method_of(text_of("method")?).ok_or_else(|| bad("method"))?,
            choices: choices_of(field("choices")?).ok_or_else(|| bad("choices"))?,
            previous,
            prior_phase: phase_of(text_of("prior_phase")?).ok_or_else(|| bad("prior_phase"))?,
            separately: purpose_ids(field("separately")?).ok_or_else(|| bad("separately"))?,
        },
        on_banner: flag("on_banner")?,
        bundle: Rc::new(bundle),
        digest,
        jurisdiction,
        gpc: flag("gpc")?,
        gpc_honoured: flag("gpc_honoured")?,
        guardian: flag("guardian")?,
        signal_opt_ins: purpose_ids(field("signal_opt_ins")?)
            .ok_or_else(|| bad("signal_opt_ins"))?,
        // Jobs stored by pages before links existed have none.
        link: match v.get("link") {
            None | Some(Value::Null) => None,
            Some(l) => Some(Rc::from(l.as_str().ok_or_else(|| bad("link"))?)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_form_earlier_pages_stored_reads_typed_and_writes_back_the_same() {
        let text = r#"[["r-1","https://example.com/v1/receipts","{\"now\":1}","{\"schema\":\"x\"}"],["r-2","","{}","{}"]]"#;
        let list = read_list(text).unwrap();
        assert_eq!(
            list[0],
            Pending {
                receipt_id: "r-1".into(),
                endpoint: "https://example.com/v1/receipts".into(),
                job: r#"{"now":1}"#.into(),
                first_layer: r#"{"schema":"x"}"#.into(),
            }
        );
        let back = Value::Arr(list.iter().map(Pending::value).collect());
        assert_eq!(json::to_canonical_string(&back), text);
    }

    #[test]
    fn a_list_that_is_not_the_wire_form_is_unreadable_not_guessed() {
        for bad in [
            "",
            "{}",
            r#"[["r-1","e","j"]]"#,
            r#"[["r-1","e","j","f","extra"]]"#,
            r#"[["r-1","e","j",4]]"#,
            r#"["r-1"]"#,
        ] {
            assert_eq!(read_list(bad), None, "{bad}");
        }
    }
}
