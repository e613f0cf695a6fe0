//! Receipts a hotline agent records (issue 15, item 2; ADR 0018).
//!
//! On the phone there is no device of the caller's to sign. The agent reads the caller the
//! oral script of the notice (the `hotline-script-*` messages of the caller's locale file),
//! records each answer in the console, and the console signs the receipt with the **agent's
//! console key**: a non-extractable WebCrypto key registered with the server and published in
//! its agent key set, revocable. Such a receipt says so in its payload:
//!
//! - `subject.pseudonym_type` is `agent_key_thumbprint` (the subject is the agent's key, whose
//!   chain is the agent's run of calls; the caller is the link token's subject reference);
//! - `event.channel` is `hotline_agent` and `event.interaction` `agent_recorded`;
//! - `agent` is `{agent_id, call_ref, read_out}`: who recorded it, the call it was recorded
//!   on, and the purposes whose lines were read out (the notice's hotline purposes);
//! - `link` is required: the token names the caller's subject reference.
//!
//! A purpose that was not read out is recorded as not granted, and a check
//! ([`super::ledger::may_process`]) never takes an agent's receipt as an answer about it: the
//! caller was not asked. Which purpose is asked how is [`script`], the one rule the console
//! shows and the verifier checks.

use alloc::string::String;
use alloc::vec::Vec;

use super::{
    Chain, Channel, DecisionState, Event, EventType, IndicatedBy, Interaction, Jurisdiction,
    NoticeRef, Obj, PurposeDecision, Receipt, ReceiptError, decision_for,
};
use crate::bundle::{BundlePurpose, LocaleBundle};
use crate::encoding::Sha256Digest;
use crate::ids::{PurposeId, ReceiptId};
use crate::json::Value;
use crate::regime::{Gate, InForce, recorded_basis, requirement};
use crate::time::Timestamp;

/// `subject.pseudonym_type` of an agent-attested receipt.
pub const PSEUDONYM_TYPE: &str = "agent_key_thumbprint";

/// The notice channel (`channels` in `notice.toml`) whose purposes the hotline script reads.
pub const HOTLINE: &str = "hotline";

/// The longest agent id and call reference.
pub const MAX_REF: usize = 64;

/// The `agent` member of a receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attestation {
    /// The agent's id as the agent key set publishes it (not the sign-in name).
    pub agent_id: String,
    /// The call's reference in the telephony system.
    pub call_ref: String,
    /// The purposes whose script lines were read out, in notice order.
    pub read_out: Vec<PurposeId>,
}

/// Whether `s` is a usable agent id or call reference: 1 to [`MAX_REF`] characters of
/// `A-Z a-z 0-9 . _ : / -`.
pub fn valid_ref(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_REF
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'/' | b'-'))
}

impl Attestation {
    pub(super) fn to_value(&self) -> Value {
        Value::object([
            ("agent_id", Value::str(self.agent_id.as_str())),
            ("call_ref", Value::str(self.call_ref.as_str())),
            (
                "read_out",
                Value::Arr(
                    self.read_out
                        .iter()
                        .map(|p| Value::str(p.as_str()))
                        .collect(),
                ),
            ),
        ])
    }

    pub(super) fn from_value(v: &Value) -> Result<Self, ReceiptError> {
        let a = Obj::new(v, "agent")?;
        a.only(&["agent_id", "call_ref", "read_out"])?;
        let agent_id = a.str("agent_id")?;
        let call_ref = a.str("call_ref")?;
        for (at, s) in [("agent.agent_id", agent_id), ("agent.call_ref", call_ref)] {
            if !valid_ref(s) {
                return Err(ReceiptError::invalid(
                    at,
                    "1 to 64 characters of A-Z a-z 0-9 . _ : / -",
                ));
            }
        }
        let mut read_out = Vec::new();
        for p in a.arr("read_out")? {
            let id = p
                .as_str()
                .ok_or(ReceiptError::invalid("agent.read_out[]", "a purpose id"))?;
            read_out.push(PurposeId::parse(id).map_err(ReceiptError::Id)?);
        }
        Ok(Self {
            agent_id: agent_id.into(),
            call_ref: call_ref.into(),
            read_out,
        })
    }
}

/// The receipt's own consistency for the agent member: present exactly with the agent key
/// pseudonym, the hotline channel and the agent's interaction, and then with a link; what it
/// says was read out are distinct purposes of the receipt, in its order; a purpose not read
/// out is not granted.
pub(super) fn check_shape(
    agent: Option<&Attestation>,
    by_agent: bool,
    channel: Channel,
    interaction: Interaction,
    decisions: &[PurposeDecision],
    has_link: bool,
) -> Result<(), ReceiptError> {
    let hotline = channel == Channel::HotlineAgent;
    let recorded = interaction == Interaction::AgentRecorded;
    if by_agent != agent.is_some() {
        return Err(ReceiptError::invalid(
            "subject.pseudonym_type",
            "\"agent_key_thumbprint\" exactly when the receipt has an agent member",
        ));
    }
    if hotline != agent.is_some() || recorded != agent.is_some() {
        return Err(ReceiptError::invalid(
            "event",
            "channel hotline_agent and interaction agent_recorded exactly with an agent member",
        ));
    }
    let Some(a) = agent else {
        return Ok(());
    };
    if !has_link {
        return Err(ReceiptError::invalid(
            "link",
            "a link token naming the caller (an agent-attested receipt needs one)",
        ));
    }
    // Distinct decisions, in the receipt's order: an index that only grows.
    let mut last = None;
    for p in &a.read_out {
        let at = decisions.iter().position(|d| d.purpose_id == *p);
        if at.is_none() || at <= last {
            return Err(ReceiptError::invalid(
                "agent.read_out",
                "distinct purposes of the decisions, in their order",
            ));
        }
        last = at;
    }
    if a.read_out.is_empty() {
        return Err(ReceiptError::invalid(
            "agent.read_out",
            "at least one purpose",
        ));
    }
    let grants = |s: DecisionState| matches!(s, DecisionState::Given | DecisionState::NotObjected);
    if decisions
        .iter()
        .any(|d| !d.required && grants(d.state) && !a.read_out.contains(&d.purpose_id))
    {
        return Err(ReceiptError::invalid(
            "decisions[].state",
            "not granted for a purpose whose line was not read out",
        ));
    }
    Ok(())
}

/// How the script treats a hotline purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A required purpose: the agent reads what is done and why (`hotline-script-purpose-<id>`).
    Statement,
    /// A yes/no question among the others (`hotline-script-purpose-<id>`).
    Question,
    /// A question asked on its own, after the others, because a law in force requires separate
    /// consent for it (`hotline-script-purpose-<id>-separate`).
    Separate,
}

/// The notice's hotline purposes (`channels` has `hotline`), in notice order: what an agent's
/// receipt must say was read out.
pub fn hotline_purposes(b: &LocaleBundle) -> impl Iterator<Item = &BundlePurpose> {
    b.purposes
        .iter()
        .filter(|p| p.channels.iter().any(|c| c == HOTLINE))
}

/// The script for a caller under the regimes `f`: statements and questions in notice order,
/// then each separate question on its own, in notice order. The rule is core's
/// [`requirement`]: a purpose is asked separately where the widget would ask it in a step of
/// its own.
pub fn script<'b>(b: &'b LocaleBundle, f: &InForce<'_>) -> Vec<(&'b BundlePurpose, Step)> {
    let step = |p: &BundlePurpose| {
        if p.required {
            Step::Statement
        } else if requirement(p, f).gate == Gate::Separate {
            Step::Separate
        } else {
            Step::Question
        }
    };
    let mut out: Vec<_> = hotline_purposes(b)
        .map(|p| (p, step(p)))
        .filter(|(_, s)| *s != Step::Separate)
        .collect();
    out.extend(
        hotline_purposes(b)
            .map(|p| (p, step(p)))
            .filter(|(_, s)| *s == Step::Separate),
    );
    out
}

/// Everything a hotline receipt is made of.
#[derive(Clone, Debug)]
pub struct Call<'a> {
    /// The caller's locale file, as checked against the manifest.
    pub bundle: &'a LocaleBundle,
    /// Its digest.
    pub bundle_sha256: Sha256Digest,
    /// The caller's region and the laws applied.
    pub jurisdiction: Jurisdiction,
    /// A fresh receipt id.
    pub receipt_id: ReceiptId,
    /// Now (the console's clock).
    pub now: Timestamp,
    /// The agent key's thumbprint.
    pub agent_key: String,
    /// The agent's id in the agent key set.
    pub agent_id: String,
    /// The call reference.
    pub call_ref: String,
    /// The link token naming the caller (channel `hotline_agent`).
    pub link: String,
    /// The caller's answer to every question of the script.
    pub answers: Vec<(PurposeId, bool)>,
    /// Purposes the caller had granted before this call: a "no" to one of them is a
    /// withdrawal.
    pub granted_before: Vec<PurposeId>,
    /// Whether the caller had any receipt before (`update`, else `decision`).
    pub known_caller: bool,
    /// The agent key's previous receipt for this notice and its sequence number.
    pub prev: Option<(ReceiptId, Sha256Digest, u64)>,
}

/// Why a call cannot be made into a receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallError {
    /// A question of the script has no answer.
    Unanswered(PurposeId),
    /// An answer for a purpose the script does not ask about.
    NotAsked(PurposeId),
    /// The agent id or call reference is not 1 to 64 characters of `A-Z a-z 0-9 . _ : / -`.
    BadReference,
    /// The notice offers nothing on the hotline.
    NoHotlinePurposes,
}

impl core::fmt::Display for CallError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            CallError::Unanswered(p) => write!(f, "the caller's answer for {p} is missing"),
            CallError::NotAsked(p) => write!(f, "{p} is not a question of the hotline script"),
            CallError::BadReference => f.write_str(
                "the agent id and the call reference are 1 to 64 characters of A-Z a-z 0-9 . _ : / -",
            ),
            CallError::NoHotlinePurposes => f.write_str("the notice offers nothing on the hotline"),
        }
    }
}

impl Receipt {
    /// The receipt of a hotline call: each question answered, every purpose of the notice
    /// once, in notice order; a purpose not read out recorded as not granted.
    pub fn for_call(c: &Call<'_>) -> Result<Self, CallError> {
        if !valid_ref(&c.agent_id) || !valid_ref(&c.call_ref) {
            return Err(CallError::BadReference);
        }
        let applied = c.jurisdiction.applied();
        let f = c.jurisdiction.in_force(&applied, false, false);
        let steps = script(c.bundle, &f);
        if steps.is_empty() {
            return Err(CallError::NoHotlinePurposes);
        }
        for (id, _) in &c.answers {
            if !steps
                .iter()
                .any(|(p, s)| p.id == *id && *s != Step::Statement)
            {
                return Err(CallError::NotAsked(id.clone()));
            }
        }
        let mut decisions = Vec::new();
        for p in &c.bundle.purposes {
            let step = steps.iter().find(|(q, _)| q.id == p.id).map(|(_, s)| *s);
            let answer = c
                .answers
                .iter()
                .find(|(id, _)| *id == p.id)
                .map(|(_, a)| *a);
            if matches!(step, Some(Step::Question | Step::Separate)) && answer.is_none() {
                return Err(CallError::Unanswered(p.id.clone()));
            }
            let yes = answer == Some(true);
            let basis = recorded_basis(p, &f);
            let state = if p.required {
                DecisionState::NotApplicable
            } else if basis != "consent" {
                if yes {
                    DecisionState::NotObjected
                } else {
                    DecisionState::Objected
                }
            } else if yes {
                DecisionState::Given
            } else if step.is_some() && c.granted_before.contains(&p.id) {
                DecisionState::Withdrawn
            } else {
                DecisionState::Refused
            };
            decisions.push(PurposeDecision {
                legal_basis: basis.into(),
                separate_consent: step == Some(Step::Separate),
                ..decision_for(p, state)
            });
        }
        let withdrew = decisions
            .iter()
            .any(|d| d.state == DecisionState::Withdrawn);
        Ok(Self {
            receipt_id: c.receipt_id.clone(),
            collected_at: c.now,
            event: Event {
                kind: match (withdrew, c.known_caller) {
                    (true, _) => EventType::Withdrawal,
                    (false, true) => EventType::Update,
                    (false, false) => EventType::Decision,
                },
                channel: Channel::HotlineAgent,
                interaction: Interaction::AgentRecorded,
            },
            subject: c.agent_key.clone(),
            jurisdiction: c.jurisdiction.clone(),
            notice: NoticeRef {
                notice_id: c.bundle.notice_id.clone(),
                version: c.bundle.version.clone(),
                locale: c.bundle.locale.clone(),
                sha256: c.bundle_sha256,
            },
            decisions,
            gpc: false,
            indicated_by: IndicatedBy::Subject,
            gpc_honoured: false,
            gpc_opt_ins: Vec::new(),
            chain: match &c.prev {
                Some((id, h, seq)) => Chain {
                    subject_seq: seq + 1,
                    prev: Some((id.clone(), *h)),
                    resumed: false,
                },
                None => Chain {
                    subject_seq: 0,
                    prev: None,
                    resumed: false,
                },
            },
            link: Some(c.link.clone()),
            agent: Some(Attestation {
                agent_id: c.agent_id.clone(),
                call_ref: c.call_ref.clone(),
                read_out: hotline_purposes(c.bundle).map(|p| p.id.clone()).collect(),
            }),
        })
    }
}
