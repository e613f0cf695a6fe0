//! The consent session: a pure state machine over one notice version.
//!
//! Components dispatch [`Action`]s; [`ConsentSession::apply`] returns an [`Outcome`]. A
//! [`Outcome::Decided`] carries the [`DecisionRecord`] that the widget turns into a receipt.
//! Required purposes (those the service cannot run without) are always on: no action can turn
//! them off, and trying is a [`TransitionError`], never a silent change.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::encoding::Sha256Digest;
use crate::ids::{PurposeId, ReceiptId};
use crate::json::{self, Value};
use crate::regime::Gate;
use crate::time::Timestamp;

/// What the session needs to know about a purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurposeRule {
    /// The purpose.
    pub id: PurposeId,
    /// Always on; cannot be refused or withdrawn.
    pub required: bool,
}

/// Where the session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// No decision yet for this notice: show the banner.
    Undecided,
    /// A decision exists but no longer counts: ask again.
    Stale(StaleReason),
    /// A valid decision exists.
    Decided,
}

/// Why a stored decision no longer counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaleReason {
    /// The notice version changed since the decision.
    NewVersion,
    /// The decision is older than the configured expiry.
    Expired,
    /// The notice now has purposes the decision never covered.
    NewPurposes,
}

/// How a decision was expressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// "Accept all" on the banner or in settings.
    AcceptAll,
    /// "Reject all" on the banner or in settings.
    RejectAll,
    /// "Save choices" after setting purposes one by one.
    SaveChoices,
    /// Withdrawal of one or all purposes.
    Withdraw,
    /// A consent act for one purpose on its own ([`Action::Separate`]; PIPL separate consent).
    SeparateConsent,
    /// Explicit consent to a purpose held off by an opt-out preference signal, given after
    /// being told about the signal ([`Action::SignalOptIn`]; CCPA regs § 7025(c)(3)).
    SignalOptIn,
}

/// Something the visitor did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Grant every purpose and decide.
    AcceptAll,
    /// Refuse every optional purpose and decide.
    RejectAll,
    /// Flip one purpose's switch in the draft (no decision yet).
    Set(PurposeId, bool),
    /// Decide with the draft as it stands.
    Save,
    /// Withdraw consent for one purpose and decide.
    Withdraw(PurposeId),
    /// Withdraw consent for every optional purpose and decide.
    WithdrawAll,
    /// Reset the draft to the choices in force (opening the settings view).
    Reopen,
    /// Decide one purpose on its own, in a dedicated act, leaving the others as they are in
    /// force: how a [`Gate::Separate`] purpose is granted (or refused).
    Separate(PurposeId, bool),
    /// Grant a purpose that an opt-out preference signal holds off ([`Gate::SignalOptOut`]),
    /// the second step of a two-step opt-in: the visitor was told that their Global Privacy
    /// Control signal opts them out and confirms that they consent anyway (CCPA regs
    /// § 7025(c)(3), § 7028). Only this action lifts the hold, for that purpose, until it is
    /// turned off again; "accept all" and "save" never do.
    SignalOptIn(PurposeId),
}

/// The choices of a decision, in purpose order.
pub type Choices = Vec<(PurposeId, bool)>;

/// A decision the visitor just made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionRecord {
    /// How it was expressed.
    pub method: Method,
    /// The choices now in force.
    pub choices: Choices,
    /// The choices in force before, if there was a valid or stale decision.
    pub previous: Option<Choices>,
    /// What the session was before this decision.
    pub prior_phase: Phase,
    /// Purposes whose choice now in force was made in a consent step of their own
    /// ([`Action::Separate`], [`Action::SignalOptIn`]), in purpose order: what a receipt marks
    /// `separate_consent`.
    pub separately: Vec<PurposeId>,
}

/// What an action did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub enum Outcome {
    /// Nothing changed.
    Unchanged,
    /// The draft changed; nothing was decided.
    Updated,
    /// A decision was made.
    Decided(DecisionRecord),
}

/// An action that the session refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransitionError {
    /// The purpose is not part of this notice.
    UnknownPurpose(PurposeId),
    /// The purpose is required and cannot be turned off.
    RequiredPurpose(PurposeId),
    /// The purpose needs its own consent act ([`Action::Separate`]), not a switch in the
    /// draft.
    SeparateConsentRequired(PurposeId),
    /// The purpose is held off by an opt-out preference signal (GPC) and cannot be turned on
    /// except by [`Action::SignalOptIn`].
    HeldBySignal(PurposeId),
    /// [`Action::SignalOptIn`] for a purpose that no signal holds off.
    NotHeldBySignal(PurposeId),
    /// The purpose may not be granted for this person at all (a child, where the law bars it).
    Barred(PurposeId),
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Pieces only, no formatting machinery (the widget's first module links this).
        let (p, rest) = match self {
            TransitionError::UnknownPurpose(p) => {
                f.write_str("unknown purpose ")?;
                return f.write_str(p.as_str());
            }
            TransitionError::RequiredPurpose(p) => (p, " is required and cannot be turned off"),
            TransitionError::SeparateConsentRequired(p) => (p, " needs its own, separate consent"),
            TransitionError::HeldBySignal(p) => (
                p,
                " is held off by the browser's Global Privacy Control signal",
            ),
            TransitionError::NotHeldBySignal(p) => {
                (p, " is not held off by a Global Privacy Control signal")
            }
            TransitionError::Barred(p) => (p, " is not allowed for a child"),
        };
        f.write_str("purpose ")?;
        f.write_str(p.as_str())?;
        f.write_str(rest)
    }
}

impl core::error::Error for TransitionError {}

/// The decision kept in the browser between visits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredConsent {
    /// Notice version the decision was made under.
    pub version: String,
    /// When it was made.
    pub decided_at: Timestamp,
    /// The choices.
    pub choices: Choices,
    /// Receipt of the decision, for the hash chain.
    pub last_receipt_id: Option<ReceiptId>,
    /// SHA-256 of that receipt's payload.
    pub last_receipt_sha256: Option<Sha256Digest>,
    /// Position of that receipt in this device's chain (0 for the first).
    pub seq: u64,
    /// Purposes held off by an opt-out preference signal that the visitor explicitly granted
    /// anyway ([`Action::SignalOptIn`]); stored as `signal_opt_ins` only when not empty.
    pub signal_opt_ins: Vec<PurposeId>,
    /// Purposes decided in a consent step of their own ([`DecisionRecord::separately`]);
    /// stored as `separately` only when not empty.
    pub separately: Vec<PurposeId>,
    /// The decision was made by a parent or guardian for a child (asked once, kept with the
    /// decision); stored as `guardian: true` only when set.
    pub guardian: bool,
}

/// A JSON array of purpose ids, as stored and handed over (`None` when it is not an array or
/// an item is not a purpose id). One reader for every such list, in every wasm module.
pub fn purpose_ids(v: &Value) -> Option<Vec<PurposeId>> {
    v.as_array()?
        .iter()
        .map(|p| PurposeId::parse(p.as_str()?).ok())
        .collect()
}

impl StoredConsent {
    /// Serializes for browser storage.
    pub fn to_json(&self) -> String {
        let mut m = alloc::vec![
            ("v", Value::Int(1)),
            ("version", Value::str(self.version.clone())),
            ("decided_at", Value::Int(self.decided_at.0)),
            (
                "choices",
                Value::Obj(
                    self.choices
                        .iter()
                        .map(|(k, v)| (String::from(k.as_str()), Value::Bool(*v)))
                        .collect()
                )
            ),
            (
                "seq",
                Value::Int(i64::try_from(self.seq).unwrap_or(json::MAX_SAFE_INT))
            ),
        ];
        if let Some(id) = &self.last_receipt_id {
            m.push(("last_receipt_id", Value::str(id.as_str())));
        }
        if let Some(h) = &self.last_receipt_sha256 {
            m.push(("last_receipt_sha256", Value::str(h.to_hex())));
        }
        for (key, list) in [
            ("signal_opt_ins", &self.signal_opt_ins),
            ("separately", &self.separately),
        ] {
            if !list.is_empty() {
                m.push((
                    key,
                    Value::Arr(list.iter().map(|p| Value::str(p.as_str())).collect()),
                ));
            }
        }
        if self.guardian {
            m.push(("guardian", Value::Bool(true)));
        }
        json::to_canonical_string(&Value::object(m))
    }

    /// Reads what [`StoredConsent::to_json`] wrote; anything else (an old format, a hand-edited
    /// value) is `None`, and the widget asks again rather than trusting it.
    pub fn from_json(s: &str) -> Option<Self> {
        let v = json::parse_str(s).ok()?;
        if v.get("v")?.as_i64()? != 1 {
            return None;
        }
        let ids = |key: &str| match v.get(key) {
            Some(x) => purpose_ids(x),
            None => Some(Vec::new()),
        };
        let choices = v
            .get("choices")?
            .as_object()?
            .iter()
            .map(|(k, b)| Some((PurposeId::parse(k).ok()?, b.as_bool()?)))
            .collect::<Option<Vec<_>>>()?;
        Some(Self {
            version: v.get("version")?.as_str()?.into(),
            decided_at: Timestamp(v.get("decided_at")?.as_i64()?),
            choices,
            last_receipt_id: match v.get("last_receipt_id") {
                Some(x) => Some(ReceiptId::parse(x.as_str()?).ok()?),
                None => None,
            },
            last_receipt_sha256: match v.get("last_receipt_sha256") {
                Some(x) => Some(Sha256Digest::from_hex(x.as_str()?)?),
                None => None,
            },
            seq: u64::try_from(v.get("seq")?.as_i64()?).ok()?,
            signal_opt_ins: ids("signal_opt_ins")?,
            separately: ids("separately")?,
            guardian: match v.get("guardian") {
                Some(x) => x.as_bool()?,
                None => false,
            },
        })
    }
}

/// A visitor's consent session for one notice version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentSession {
    purposes: Vec<PurposeRule>,
    gates: Vec<Gate>,
    /// Per purpose: on before any decision (see [`crate::regime::requirement`]).
    defaults: Vec<bool>,
    draft: Vec<bool>,
    saved: Option<Vec<bool>>,
    /// Per purpose: granted by [`Action::SignalOptIn`] despite a signal (until turned off).
    opted_in: Vec<bool>,
    /// Per purpose: the choice in force was made in a step of its own.
    separately: Vec<bool>,
    phase: Phase,
}

impl ConsentSession {
    /// A fresh session: required purposes on, every other purpose off and decided with the
    /// others until [`ConsentSession::with_rules`] says otherwise.
    pub fn new(purposes: Vec<PurposeRule>) -> Self {
        let n = purposes.len();
        let defaults: Vec<bool> = purposes.iter().map(|p| p.required).collect();
        Self {
            draft: defaults.clone(),
            defaults,
            purposes,
            gates: alloc::vec![Gate::Open; n],
            saved: None,
            opted_in: alloc::vec![false; n],
            separately: alloc::vec![false; n],
            phase: Phase::Undecided,
        }
    }

    /// A session resumed from storage. The stored decision counts only if it was made under
    /// `version`, is younger than `max_age_ms` (if set) at `now`, and covers every purpose;
    /// only then do its signal opt-ins and separate steps count too.
    pub fn restore(
        purposes: Vec<PurposeRule>,
        stored: &StoredConsent,
        version: &str,
        now: Timestamp,
        max_age_ms: Option<i64>,
    ) -> Self {
        let mut s = Self::new(purposes);
        let mut prior = Vec::with_capacity(s.purposes.len());
        let mut covers_all = true;
        for p in &s.purposes {
            match stored.choices.iter().find(|(id, _)| *id == p.id) {
                Some((_, on)) => prior.push(*on || p.required),
                None => {
                    covers_all = false;
                    prior.push(p.required);
                }
            }
        }
        let expired = max_age_ms.is_some_and(|max| now.0.saturating_sub(stored.decided_at.0) > max);
        s.phase = if stored.version != version {
            Phase::Stale(StaleReason::NewVersion)
        } else if expired {
            Phase::Stale(StaleReason::Expired)
        } else if !covers_all {
            Phase::Stale(StaleReason::NewPurposes)
        } else {
            s.draft = prior.clone();
            for (i, p) in s.purposes.iter().enumerate() {
                s.opted_in[i] = prior[i] && stored.signal_opt_ins.contains(&p.id);
                s.separately[i] = stored.separately.contains(&p.id);
            }
            Phase::Decided
        };
        s.saved = Some(prior);
        s
    }

    /// Sets, per purpose, whether it is on before a decision and how it may be decided (what
    /// [`crate::regime::requirement`] says for the regimes in force); may be called again when
    /// they change (the visitor says a guardian decides for a child). Required purposes stay on
    /// and [`Gate::Open`]. Before a decision the draft follows the defaults. A grant in force
    /// that the gate no longer allows stops counting: held off by a signal (unless granted
    /// through [`Action::SignalOptIn`]), barred, or needing its own step that it never had.
    #[must_use]
    pub fn with_rules(mut self, rule: impl Fn(&PurposeId) -> (bool, Gate)) -> Self {
        self.set_rules(rule);
        self
    }

    /// [`ConsentSession::with_rules`] in place.
    pub fn set_rules(&mut self, rule: impl Fn(&PurposeId) -> (bool, Gate)) {
        for i in 0..self.purposes.len() {
            let (on, g) = if self.purposes[i].required {
                (true, Gate::Open)
            } else {
                rule(&self.purposes[i].id)
            };
            self.gates[i] = g;
            self.defaults[i] = self.purposes[i].required || (on && g == Gate::Open);
            if self.phase != Phase::Decided {
                self.draft[i] = self.defaults[i];
            } else if !self.allowed(i) {
                self.draft[i] = false;
                if let Some(saved) = &mut self.saved {
                    saved[i] = false;
                }
            }
        }
    }

    /// Whether the gate of purpose `i` lets a grant in force count.
    fn allowed(&self, i: usize) -> bool {
        match self.gates[i] {
            Gate::Open => true,
            Gate::Separate => self.separately[i],
            Gate::SignalOptOut => self.opted_in[i],
            Gate::Barred => false,
        }
    }

    /// How `id` may be decided.
    pub fn gate(&self, id: &PurposeId) -> Option<Gate> {
        self.index(id).map(|i| self.gates[i])
    }

    /// Separate-consent purposes that are not granted now, in purpose order: what a separate
    /// consent step still has to ask.
    pub fn pending_separate(&self) -> Vec<PurposeId> {
        self.purposes
            .iter()
            .zip(&self.gates)
            .filter(|(p, g)| **g == Gate::Separate && !self.is_granted(&p.id))
            .map(|(p, _)| p.id.clone())
            .collect()
    }

    /// Purposes held off by a signal that the visitor granted anyway through
    /// [`Action::SignalOptIn`] and that are granted now, in purpose order (recorded in receipts
    /// and in [`StoredConsent::signal_opt_ins`]).
    pub fn signal_opt_ins(&self) -> Vec<PurposeId> {
        self.purposes
            .iter()
            .enumerate()
            .filter(|(i, p)| self.gates[*i] == Gate::SignalOptOut && self.is_granted(&p.id))
            .map(|(_, p)| p.id.clone())
            .collect()
    }

    /// Purposes whose choice in force was made in a step of their own (recorded in receipts as
    /// `separate_consent` and in [`StoredConsent::separately`]).
    pub fn separately(&self) -> Vec<PurposeId> {
        self.purposes
            .iter()
            .zip(&self.separately)
            .filter(|(_, s)| **s)
            .map(|(p, _)| p.id.clone())
            .collect()
    }

    /// Where the session stands.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The purposes, in display order.
    pub fn purposes(&self) -> &[PurposeRule] {
        &self.purposes
    }

    /// Whether `id` is on before a decision (its default).
    pub fn default_on(&self, id: &PurposeId) -> Option<bool> {
        self.index(id).map(|i| self.defaults[i])
    }

    /// The switch position of `id` in the draft (what the settings view shows).
    pub fn draft(&self, id: &PurposeId) -> Option<bool> {
        self.index(id).map(|i| self.draft[i])
    }

    /// Whether `id` may be processed now. Required purposes always; optional ones only under a
    /// valid decision that grants them and that their gate allows, or, before a valid decision,
    /// when the regimes in force let them run until the visitor opts out.
    pub fn is_granted(&self, id: &PurposeId) -> bool {
        let Some(i) = self.index(id) else {
            return false;
        };
        if self.purposes[i].required {
            return true;
        }
        match (self.phase, &self.saved) {
            (Phase::Decided, Some(saved)) => saved[i] && self.allowed(i),
            (Phase::Decided, None) => false,
            _ => self.defaults[i],
        }
    }

    /// The choices in force now (see [`ConsentSession::is_granted`]).
    pub fn effective(&self) -> Choices {
        self.purposes
            .iter()
            .map(|p| (p.id.clone(), self.is_granted(&p.id)))
            .collect()
    }

    /// Applies an action.
    pub fn apply(&mut self, action: Action) -> Result<Outcome, TransitionError> {
        match action {
            Action::AcceptAll => {
                // Everything decided with the other choices; separate purposes keep their
                // state (they need their own act), signal-held ones stay off (in `decide`).
                let all = self
                    .purposes
                    .iter()
                    .zip(&self.gates)
                    .map(|(p, g)| *g != Gate::Separate || self.is_granted(&p.id))
                    .collect();
                Ok(self.decide(Method::AcceptAll, all, None))
            }
            Action::RejectAll => {
                let none = self.purposes.iter().map(|p| p.required).collect();
                Ok(self.decide(Method::RejectAll, none, None))
            }
            Action::Set(id, on) => {
                let i = self
                    .index(&id)
                    .ok_or_else(|| TransitionError::UnknownPurpose(id.clone()))?;
                if self.purposes[i].required && !on {
                    return Err(TransitionError::RequiredPurpose(id));
                }
                match self.gates[i] {
                    Gate::Separate => return Err(TransitionError::SeparateConsentRequired(id)),
                    Gate::SignalOptOut if on && !self.opted_in[i] => {
                        return Err(TransitionError::HeldBySignal(id));
                    }
                    Gate::Barred if on => return Err(TransitionError::Barred(id)),
                    _ => {}
                }
                if self.draft[i] == on {
                    return Ok(Outcome::Unchanged);
                }
                self.draft[i] = on;
                Ok(Outcome::Updated)
            }
            Action::Save => {
                let choices = self
                    .purposes
                    .iter()
                    .zip(&self.gates)
                    .zip(&self.draft)
                    .map(|((p, g), d)| match g {
                        Gate::Separate => self.is_granted(&p.id),
                        _ => *d,
                    })
                    .collect();
                Ok(self.decide(Method::SaveChoices, choices, None))
            }
            Action::Separate(id, on) => {
                let i = self
                    .index(&id)
                    .ok_or_else(|| TransitionError::UnknownPurpose(id.clone()))?;
                if self.purposes[i].required && !on {
                    return Err(TransitionError::RequiredPurpose(id));
                }
                if self.gates[i] == Gate::SignalOptOut && on && !self.opted_in[i] {
                    return Err(TransitionError::HeldBySignal(id));
                }
                if self.gates[i] == Gate::Barred && on {
                    return Err(TransitionError::Barred(id));
                }
                let mut next: Vec<bool> = self
                    .purposes
                    .iter()
                    .map(|p| self.is_granted(&p.id))
                    .collect();
                next[i] = on;
                Ok(self.decide(Method::SeparateConsent, next, Some(i)))
            }
            Action::SignalOptIn(id) => {
                let i = self
                    .index(&id)
                    .ok_or_else(|| TransitionError::UnknownPurpose(id.clone()))?;
                if self.gates[i] != Gate::SignalOptOut {
                    return Err(TransitionError::NotHeldBySignal(id));
                }
                if self.is_granted(&id) {
                    return Ok(Outcome::Unchanged);
                }
                let mut next: Vec<bool> = self
                    .purposes
                    .iter()
                    .map(|p| self.is_granted(&p.id))
                    .collect();
                next[i] = true;
                self.opted_in[i] = true;
                Ok(self.decide(Method::SignalOptIn, next, Some(i)))
            }
            Action::Withdraw(id) => {
                let i = self
                    .index(&id)
                    .ok_or_else(|| TransitionError::UnknownPurpose(id.clone()))?;
                if self.purposes[i].required {
                    return Err(TransitionError::RequiredPurpose(id));
                }
                if !self.is_granted(&id) {
                    return Ok(Outcome::Unchanged);
                }
                let mut next: Vec<bool> = self
                    .purposes
                    .iter()
                    .map(|p| self.is_granted(&p.id))
                    .collect();
                next[i] = false;
                Ok(self.decide(Method::Withdraw, next, None))
            }
            Action::WithdrawAll => {
                if !self
                    .purposes
                    .iter()
                    .any(|p| !p.required && self.is_granted(&p.id))
                {
                    return Ok(Outcome::Unchanged);
                }
                let next = self.purposes.iter().map(|p| p.required).collect();
                Ok(self.decide(Method::Withdraw, next, None))
            }
            Action::Reopen => {
                let current: Vec<bool> = match self.phase {
                    Phase::Decided => self
                        .purposes
                        .iter()
                        .map(|p| self.is_granted(&p.id))
                        .collect(),
                    _ => self.defaults.clone(),
                };
                if current == self.draft {
                    return Ok(Outcome::Unchanged);
                }
                self.draft = current;
                Ok(Outcome::Updated)
            }
        }
    }

    /// Decides `choices` by `method`; `step`: the purpose this act decided on its own (a
    /// separate consent step or a signal opt-in).
    fn decide(&mut self, method: Method, mut choices: Vec<bool>, step: Option<usize>) -> Outcome {
        let before: Vec<bool> = self
            .purposes
            .iter()
            .map(|p| self.is_granted(&p.id))
            .collect();
        for (i, c) in choices.iter_mut().enumerate() {
            let held = match self.gates[i] {
                Gate::SignalOptOut => !self.opted_in[i],
                Gate::Barred => true,
                _ => false,
            };
            *c = self.purposes[i].required || (*c && !held);
            // Once off, a signal-held purpose needs a new two-step opt-in.
            if !*c {
                self.opted_in[i] = false;
            }
            // A choice that changes here was not made in a step of its own.
            if *c != before[i] || self.phase != Phase::Decided {
                self.separately[i] = false;
            }
        }
        if let Some(i) = step {
            self.separately[i] = true;
        }
        let previous = self.saved.as_ref().map(|s| self.pair(s));
        let record = DecisionRecord {
            method,
            choices: self.pair(&choices),
            previous,
            prior_phase: self.phase,
            separately: Vec::new(),
        };
        self.draft = choices.clone();
        self.saved = Some(choices);
        self.phase = Phase::Decided;
        let mut record = record;
        record.separately = self.separately();
        Outcome::Decided(record)
    }

    fn pair(&self, v: &[bool]) -> Choices {
        self.purposes
            .iter()
            .zip(v)
            .map(|(p, on)| (p.id.clone(), *on))
            .collect()
    }

    fn index(&self, id: &PurposeId) -> Option<usize> {
        self.purposes.iter().position(|p| &p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn pid(s: &str) -> PurposeId {
        PurposeId::parse(s).unwrap()
    }

    fn rules() -> Vec<PurposeRule> {
        vec![
            PurposeRule {
                id: pid("service-delivery"),
                required: true,
            },
            PurposeRule {
                id: pid("chat-transcript"),
                required: false,
            },
            PurposeRule {
                id: pid("marketing"),
                required: false,
            },
        ]
    }

    fn decided(o: Outcome) -> DecisionRecord {
        match o {
            Outcome::Decided(r) => r,
            other => panic!("expected a decision, got {other:?}"),
        }
    }

    #[test]
    fn opt_in_starts_with_only_required_purposes() {
        let s = ConsentSession::new(rules());
        assert_eq!(s.phase(), Phase::Undecided);
        assert!(s.is_granted(&pid("service-delivery")));
        assert!(!s.is_granted(&pid("marketing")));
        assert_eq!(s.draft(&pid("marketing")), Some(false));
    }

    #[test]
    fn opt_out_starts_with_everything_on() {
        let s = ConsentSession::new(rules()).with_rules(|_| (true, Gate::Open));
        assert!(s.is_granted(&pid("marketing")));
    }

    #[test]
    fn reject_all_keeps_required_on() {
        let mut s = ConsentSession::new(rules());
        let r = decided(s.apply(Action::RejectAll).unwrap());
        assert_eq!(r.method, Method::RejectAll);
        assert_eq!(
            r.choices,
            vec![
                (pid("service-delivery"), true),
                (pid("chat-transcript"), false),
                (pid("marketing"), false)
            ]
        );
        assert_eq!(r.previous, None);
        assert_eq!(s.phase(), Phase::Decided);
    }

    #[test]
    fn set_then_save_decides_the_draft() {
        let mut s = ConsentSession::new(rules());
        assert_eq!(
            s.apply(Action::Set(pid("marketing"), true)).unwrap(),
            Outcome::Updated
        );
        assert_eq!(
            s.apply(Action::Set(pid("marketing"), true)).unwrap(),
            Outcome::Unchanged
        );
        assert!(
            !s.is_granted(&pid("marketing")),
            "a switch alone is not a decision"
        );
        let r = decided(s.apply(Action::Save).unwrap());
        assert_eq!(r.method, Method::SaveChoices);
        assert!(s.is_granted(&pid("marketing")));
        assert!(!s.is_granted(&pid("chat-transcript")));
    }

    #[test]
    fn required_purposes_cannot_be_turned_off() {
        let mut s = ConsentSession::new(rules());
        assert_eq!(
            s.apply(Action::Set(pid("service-delivery"), false)),
            Err(TransitionError::RequiredPurpose(pid("service-delivery")))
        );
        assert_eq!(
            s.apply(Action::Withdraw(pid("service-delivery"))),
            Err(TransitionError::RequiredPurpose(pid("service-delivery")))
        );
        assert_eq!(
            s.apply(Action::Set(pid("nope"), true)),
            Err(TransitionError::UnknownPurpose(pid("nope")))
        );
    }

    #[test]
    fn withdrawal_is_one_action_and_records_the_previous_state() {
        let mut s = ConsentSession::new(rules());
        let _ = s.apply(Action::AcceptAll).unwrap();
        let r = decided(s.apply(Action::Withdraw(pid("marketing"))).unwrap());
        assert_eq!(r.method, Method::Withdraw);
        assert_eq!(r.previous.as_ref().unwrap()[2], (pid("marketing"), true));
        assert_eq!(r.choices[2], (pid("marketing"), false));
        assert!(s.is_granted(&pid("chat-transcript")));
        assert_eq!(
            s.apply(Action::Withdraw(pid("marketing"))).unwrap(),
            Outcome::Unchanged
        );
        let r = decided(s.apply(Action::WithdrawAll).unwrap());
        assert!(
            r.choices
                .iter()
                .all(|(id, on)| *on == (id.as_str() == "service-delivery"))
        );
        assert_eq!(s.apply(Action::WithdrawAll).unwrap(), Outcome::Unchanged);
    }

    #[test]
    fn reopen_resets_the_draft_to_what_is_in_force() {
        let mut s = ConsentSession::new(rules());
        let _ = s.apply(Action::AcceptAll).unwrap();
        let _ = s.apply(Action::Set(pid("marketing"), false)).unwrap();
        assert_eq!(s.apply(Action::Reopen).unwrap(), Outcome::Updated);
        assert_eq!(s.draft(&pid("marketing")), Some(true));
    }

    fn stored(version: &str, at: i64, marketing: bool) -> StoredConsent {
        StoredConsent {
            signal_opt_ins: Vec::new(),
            separately: Vec::new(),
            guardian: false,
            version: version.into(),
            decided_at: Timestamp(at),
            choices: vec![
                (pid("service-delivery"), true),
                (pid("chat-transcript"), false),
                (pid("marketing"), marketing),
            ],
            last_receipt_id: Some(ReceiptId::from_random_bytes([7; 16])),
            last_receipt_sha256: Some(Sha256Digest::of(b"r")),
            seq: 3,
        }
    }

    #[test]
    fn restore_keeps_a_valid_decision() {
        let s = ConsentSession::restore(
            rules(),
            &stored("v1", 1000, true),
            "v1",
            Timestamp(2000),
            Some(10_000),
        );
        assert_eq!(s.phase(), Phase::Decided);
        assert!(s.is_granted(&pid("marketing")));
    }

    #[test]
    fn restore_reprompts_on_new_version_expiry_or_new_purposes() {
        let st = stored("v1", 1000, true);
        let s = ConsentSession::restore(rules(), &st, "v2", Timestamp(2000), None);
        assert_eq!(s.phase(), Phase::Stale(StaleReason::NewVersion));
        assert!(
            !s.is_granted(&pid("marketing")),
            "stale consent does not count"
        );
        let s = ConsentSession::restore(rules(), &st, "v1", Timestamp(20_000), Some(10_000));
        assert_eq!(s.phase(), Phase::Stale(StaleReason::Expired));
        let mut more = rules();
        more.push(PurposeRule {
            id: pid("service-analytics"),
            required: false,
        });
        let mut s = ConsentSession::restore(more, &st, "v1", Timestamp(2000), None);
        assert_eq!(s.phase(), Phase::Stale(StaleReason::NewPurposes));
        let r = decided(s.apply(Action::RejectAll).unwrap());
        assert_eq!(r.prior_phase, Phase::Stale(StaleReason::NewPurposes));
        assert!(r.previous.is_some());
    }

    fn gated(default_on: bool) -> ConsentSession {
        ConsentSession::new(rules()).with_rules(|id| match id.as_str() {
            "chat-transcript" => (default_on, Gate::Separate),
            "marketing" => (default_on, Gate::SignalOptOut),
            // Required purposes stay open whatever the caller says.
            _ => (false, Gate::Separate),
        })
    }

    #[test]
    fn separate_purposes_are_never_granted_with_the_rest() {
        let mut s = gated(true);
        assert_eq!(s.gate(&pid("service-delivery")), Some(Gate::Open));
        assert_eq!(s.pending_separate(), vec![pid("chat-transcript")]);
        let r = decided(s.apply(Action::AcceptAll).unwrap());
        assert_eq!(r.choices[1], (pid("chat-transcript"), false));
        assert_eq!(
            s.apply(Action::Set(pid("chat-transcript"), true)),
            Err(TransitionError::SeparateConsentRequired(pid(
                "chat-transcript"
            )))
        );
        let r = decided(
            s.apply(Action::Separate(pid("chat-transcript"), true))
                .unwrap(),
        );
        assert_eq!(r.method, Method::SeparateConsent);
        assert_eq!(r.choices[1], (pid("chat-transcript"), true));
        assert_eq!(r.prior_phase, Phase::Decided);
        assert!(s.pending_separate().is_empty());
        // Accept all and save keep a separate grant; reject all and withdraw end it.
        let r = decided(s.apply(Action::AcceptAll).unwrap());
        assert!(r.choices[1].1);
        let r = decided(s.apply(Action::Save).unwrap());
        assert!(r.choices[1].1);
        let r = decided(s.apply(Action::RejectAll).unwrap());
        assert!(!r.choices[1].1);
    }

    #[test]
    fn a_signal_holds_its_purposes_off_through_every_action() {
        let mut s = gated(false);
        assert!(
            !s.is_granted(&pid("marketing")),
            "held off even before a decision"
        );
        assert_eq!(s.draft(&pid("marketing")), Some(false));
        assert_eq!(
            s.apply(Action::Set(pid("marketing"), true)),
            Err(TransitionError::HeldBySignal(pid("marketing")))
        );
        assert_eq!(
            s.apply(Action::Separate(pid("marketing"), true)),
            Err(TransitionError::HeldBySignal(pid("marketing")))
        );
        let r = decided(s.apply(Action::AcceptAll).unwrap());
        assert_eq!(r.choices[2], (pid("marketing"), false));
        assert_eq!(s.apply(Action::Reopen).unwrap(), Outcome::Unchanged);
        // A grant stored before the signal no longer counts.
        let st = stored("v1", 1000, true);
        let s =
            ConsentSession::restore(rules(), &st, "v1", Timestamp(2000), None).with_rules(|id| {
                if id.as_str() == "marketing" {
                    (true, Gate::SignalOptOut)
                } else {
                    (true, Gate::Open)
                }
            });
        assert_eq!(s.phase(), Phase::Decided);
        assert!(!s.is_granted(&pid("marketing")));
        assert_eq!(s.draft(&pid("marketing")), Some(false));
    }

    #[test]
    fn a_signal_hold_lifts_only_by_an_explicit_opt_in_for_that_purpose() {
        let mut s = gated(false);
        assert_eq!(
            s.apply(Action::SignalOptIn(pid("chat-transcript"))),
            Err(TransitionError::NotHeldBySignal(pid("chat-transcript")))
        );
        let r = decided(s.apply(Action::SignalOptIn(pid("marketing"))).unwrap());
        assert_eq!(r.method, Method::SignalOptIn);
        assert_eq!(r.choices[2], (pid("marketing"), true));
        assert!(s.is_granted(&pid("marketing")));
        assert_eq!(s.signal_opt_ins(), vec![pid("marketing")]);
        assert_eq!(
            s.apply(Action::SignalOptIn(pid("marketing"))).unwrap(),
            Outcome::Unchanged
        );
        // Accept all and save keep it; the switch can now move in the draft.
        assert!(decided(s.apply(Action::AcceptAll).unwrap()).choices[2].1);
        assert!(decided(s.apply(Action::Save).unwrap()).choices[2].1);
        // Once off (reject all, withdraw or a switch), it needs the two steps again.
        let r = decided(s.apply(Action::RejectAll).unwrap());
        assert!(!r.choices[2].1);
        assert!(s.signal_opt_ins().is_empty());
        let r = decided(s.apply(Action::AcceptAll).unwrap());
        assert!(!r.choices[2].1, "accept all does not undo the signal");
        assert_eq!(
            s.apply(Action::Set(pid("marketing"), true)),
            Err(TransitionError::HeldBySignal(pid("marketing")))
        );
        decided(s.apply(Action::SignalOptIn(pid("marketing"))).unwrap());
        let r = decided(s.apply(Action::Withdraw(pid("marketing"))).unwrap());
        assert!(!r.choices[2].1);
        assert!(!s.is_granted(&pid("marketing")));
    }

    #[test]
    fn a_stored_signal_opt_in_survives_a_reload_of_the_same_version_only() {
        let gates = |id: &PurposeId| {
            if id.as_str() == "marketing" {
                (true, Gate::SignalOptOut)
            } else {
                (true, Gate::Open)
            }
        };
        let mut st = stored("v1", 1000, true);
        st.signal_opt_ins = vec![pid("marketing")];
        let s =
            ConsentSession::restore(rules(), &st, "v1", Timestamp(2000), None).with_rules(gates);
        assert!(s.is_granted(&pid("marketing")));
        assert_eq!(s.draft(&pid("marketing")), Some(true));
        assert_eq!(s.signal_opt_ins(), vec![pid("marketing")]);
        // A new notice version asks again: the opt-in does not carry over.
        let s =
            ConsentSession::restore(rules(), &st, "v2", Timestamp(2000), None).with_rules(gates);
        assert!(!s.is_granted(&pid("marketing")));
        assert_eq!(s.draft(&pid("marketing")), Some(false));
        // An opt-in listed for a purpose the stored choices refuse does not count.
        let mut st = stored("v1", 1000, false);
        st.signal_opt_ins = vec![pid("marketing")];
        let s =
            ConsentSession::restore(rules(), &st, "v1", Timestamp(2000), None).with_rules(gates);
        assert!(!s.is_granted(&pid("marketing")));
    }

    #[test]
    fn stored_consent_round_trips_and_rejects_garbage() {
        let mut st = stored("2026.11.1", 1_795_807_800_123, true);
        let back = StoredConsent::from_json(&st.to_json()).unwrap();
        assert!(
            !st.to_json().contains("signal_opt_ins"),
            "written only when not empty"
        );
        st.signal_opt_ins = vec![pid("marketing")];
        let back2 = StoredConsent::from_json(&st.to_json()).unwrap();
        assert_eq!(back2.signal_opt_ins, vec![pid("marketing")]);
        st.signal_opt_ins.clear();
        // Storage keeps choices by purpose id; order is not meaningful.
        st.choices.sort();
        assert_eq!(back, st);
        let bad_opt_in = st
            .to_json()
            .replace("\"seq\"", "\"signal_opt_ins\":[\"Not An Id\"],\"seq\"");
        assert_eq!(StoredConsent::from_json(&bad_opt_in), None);
        for bad in ["", "{}", "null", "{\"v\":2}", "{\"v\":1,\"version\":\"x\"}"] {
            assert_eq!(StoredConsent::from_json(bad), None, "{bad}");
        }
    }
}
