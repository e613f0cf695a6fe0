//! Consent receipts: the payload model, its canonical bytes, and the JWS envelope.
//!
//! A receipt binds one decision to the exact notice text shown (`notice.sha256`, the digest of
//! the compiled locale file). The payload is serialised once, in RFC 8785 canonical form; those
//! bytes are what the device signs (JWS general JSON serialization, ES256) and what every
//! verifier checks before it parses anything. See `docs/receipt-format.md`.

pub mod agent;
pub mod countersign;
pub mod jws;
pub mod kantara;
pub mod ledger;
pub mod link;
pub mod request;
#[cfg(feature = "verify")]
pub mod verify;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::bundle::{BundlePurpose, LocaleBundle, Transfer};
use crate::encoding::Sha256Digest;
use crate::ids::{IdError, LocaleTag, NoticeId, PurposeId, ReceiptId, RegionCode};
use crate::json::{self, Value};
use crate::regime::{InForce, Reason, Regime, RegionSource, recorded_basis};
use crate::session::{DecisionRecord, Method, Phase};
use crate::time::Timestamp;

/// Schema tag of a receipt payload.
pub const RECEIPT_SCHEMA: &str = "consentry-receipt/1";

/// What kind of event the receipt records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventType {
    /// The first decision on this device for this notice.
    Decision,
    /// A change to an earlier decision.
    Update,
    /// Consent withdrawn for one or more purposes.
    Withdrawal,
    /// A new decision after the notice changed or the old one expired.
    Renewal,
    /// Consent lapsed at the end of its validity period; the decisions record `expired`.
    Expiry,
    /// An opt-out applied because of a Global Privacy Control signal.
    GpcOptOut,
}

/// Where the decision was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Channel {
    /// The first-layer banner.
    WebBanner,
    /// The settings view.
    WebSettings,
    /// A dedicated withdrawal page or link ("withdraw my consent").
    WebWithdrawal,
    /// No visible control: the browser's Global Privacy Control signal was applied.
    GpcSignal,
    /// A hotline agent recorded the caller's decision (international or after-sales hotline).
    HotlineAgent,
    /// The online support chat.
    OnlineChat,
    /// A reply to the global support mailbox.
    SupportMailbox,
}

/// Which control expressed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Interaction {
    /// "Accept all".
    AcceptAll,
    /// "Reject all".
    RejectAll,
    /// "Save choices".
    SaveChoices,
    /// "Withdraw".
    Withdraw,
    /// "I agree" / "I do not agree" in a consent step for one purpose on its own (PIPL
    /// separate consent).
    SeparateConsent,
    /// "I agree" in the confirmation step that lifts a Global Privacy Control opt-out for one
    /// purpose, after the visitor was told that their signal opts them out (CCPA regs
    /// § 7025(c)(3)); the purposes so granted are listed in `gpc.opted_in`.
    GpcOptIn,
    /// The GPC signal itself (no click).
    Gpc,
    /// An agent entered the decision the person stated.
    AgentRecorded,
    /// The validity period ran out (no click).
    Expiry,
}

/// The state of one purpose in a receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecisionState {
    /// Consent given.
    Given,
    /// Consent refused.
    Refused,
    /// Consent given earlier, now withdrawn.
    Withdrawn,
    /// Consent given earlier has lapsed at the end of its validity period.
    Expired,
    /// The purpose does not rest on consent (contract, legal obligation, …) and is required.
    NotApplicable,
    /// An optional purpose that does not rest on consent (legitimate interests, notice with a
    /// right to opt out): the person objected or opted out, so it is off.
    Objected,
    /// An optional purpose that does not rest on consent: the person did not object or opt
    /// out, so it runs.
    NotObjected,
}

macro_rules! wire_enum {
    ($t:ty { $($v:ident = $s:literal),* $(,)? }) => {
        impl $t {
            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
            /// Parses a wire name.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$v),)* _ => None }
            }
        }
    };
}
wire_enum!(EventType {
    Decision = "decision",
    Update = "update",
    Withdrawal = "withdrawal",
    Renewal = "renewal",
    Expiry = "expiry",
    GpcOptOut = "gpc_opt_out",
});
wire_enum!(Channel {
    WebBanner = "web_banner",
    WebSettings = "web_settings",
    WebWithdrawal = "web_withdrawal",
    GpcSignal = "gpc_signal",
    HotlineAgent = "hotline_agent",
    OnlineChat = "online_chat",
    SupportMailbox = "support_mailbox",
});
wire_enum!(Interaction {
    AcceptAll = "accept_all",
    RejectAll = "reject_all",
    SaveChoices = "save_choices",
    Withdraw = "withdraw",
    SeparateConsent = "separate_consent",
    GpcOptIn = "gpc_opt_in",
    Gpc = "gpc",
    AgentRecorded = "agent_recorded",
    Expiry = "expiry",
});
wire_enum!(DecisionState {
    Given = "given",
    Refused = "refused",
    Withdrawn = "withdrawn",
    Expired = "expired",
    NotApplicable = "not_applicable",
    Objected = "objected",
    NotObjected = "not_objected",
});

/// Who expressed the decision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum IndicatedBy {
    /// The person the data is about (the default; not written to the payload).
    #[default]
    Subject,
    /// A parent or guardian, for a child below the regime's age (PIPL Art. 31).
    Guardian,
}

wire_enum!(IndicatedBy { Subject = "subject", Guardian = "guardian" });

impl EventType {
    /// Every event type, in documentation order.
    pub const ALL: [Self; 6] = [
        Self::Decision,
        Self::Update,
        Self::Withdrawal,
        Self::Renewal,
        Self::Expiry,
        Self::GpcOptOut,
    ];
}
impl Channel {
    /// Every channel, in documentation order.
    pub const ALL: [Self; 7] = [
        Self::WebBanner,
        Self::WebSettings,
        Self::WebWithdrawal,
        Self::GpcSignal,
        Self::HotlineAgent,
        Self::OnlineChat,
        Self::SupportMailbox,
    ];
}
impl Interaction {
    /// Every interaction, in documentation order.
    pub const ALL: [Self; 9] = [
        Self::AcceptAll,
        Self::RejectAll,
        Self::SaveChoices,
        Self::Withdraw,
        Self::SeparateConsent,
        Self::GpcOptIn,
        Self::Gpc,
        Self::AgentRecorded,
        Self::Expiry,
    ];
}
impl DecisionState {
    /// Every state, in documentation order.
    pub const ALL: [Self; 7] = [
        Self::Given,
        Self::Refused,
        Self::Withdrawn,
        Self::Expired,
        Self::NotApplicable,
        Self::Objected,
        Self::NotObjected,
    ];
}

/// The event a receipt records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Kind of event.
    pub kind: EventType,
    /// Where.
    pub channel: Channel,
    /// Which control.
    pub interaction: Interaction,
}

/// Where the visitor is taken to be and which rules applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jurisdiction {
    /// Region, if known.
    pub region: Option<RegionCode>,
    /// The law of the visitor's region (the first of `regimes`).
    pub regime: Regime,
    /// How the region was determined.
    pub determined_by: RegionSource,
    /// Every regime applied, with why, the visitor's own first (`jurisdiction.regimes`);
    /// empty only in receipts from before several regimes could apply at once, which applied
    /// `regime` alone.
    pub regimes: Vec<(Regime, Reason)>,
}

impl Jurisdiction {
    /// The jurisdiction of a visitor in `region` (determined by `determined_by`) under
    /// `regimes` (as `RegionMap::regimes_for` gives them; the first is the visitor's own).
    pub fn new(
        region: Option<RegionCode>,
        determined_by: RegionSource,
        regimes: Vec<(Regime, Reason)>,
    ) -> Self {
        Self {
            regime: regimes.first().map_or(Regime::Gdpr, |(g, _)| *g),
            region,
            determined_by,
            regimes,
        }
    }

    /// One regime alone, as the law of the visitor's region (tests, fixtures).
    pub fn single(regime: Regime, region: Option<RegionCode>, determined_by: RegionSource) -> Self {
        Self::new(
            region,
            determined_by,
            alloc::vec![(regime, Reason::VisitorRegion)],
        )
    }

    /// The regimes applied: `regimes`, or `regime` alone for a receipt from before.
    pub fn applied(&self) -> Vec<(Regime, Reason)> {
        if self.regimes.is_empty() {
            alloc::vec![(self.regime, Reason::VisitorRegion)]
        } else {
            self.regimes.clone()
        }
    }

    /// Whether `r` is one of the regimes applied.
    pub fn has(&self, r: Regime) -> bool {
        self.regime == r || self.regimes.iter().any(|(g, _)| *g == r)
    }

    /// The regimes in force as the rules read them (see [`crate::regime::requirement`]).
    pub fn in_force<'a>(
        &'a self,
        regimes: &'a [(Regime, Reason)],
        gpc: bool,
        child: bool,
    ) -> InForce<'a> {
        InForce {
            regimes,
            region: self.region.as_ref(),
            gpc,
            child,
        }
    }

    /// The age below which a parent or guardian decides, under the regimes applied.
    pub fn child_age(&self) -> Option<u8> {
        // What `applied` gives, without allocating it.
        let before = [(self.regime, Reason::VisitorRegion)];
        let applied = if self.regimes.is_empty() {
            &before[..]
        } else {
            &self.regimes[..]
        };
        self.in_force(applied, false, false).child_age()
    }
}

/// The notice shown, by digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeRef {
    /// Notice id.
    pub notice_id: NoticeId,
    /// Notice version.
    pub version: String,
    /// Locale shown.
    pub locale: LocaleTag,
    /// SHA-256 of the exact compiled locale file shown.
    pub sha256: Sha256Digest,
}

/// One purpose's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurposeDecision {
    /// The purpose.
    pub purpose_id: PurposeId,
    /// Its legal basis.
    pub legal_basis: String,
    /// The decision.
    pub state: DecisionState,
    /// Required for the service.
    pub required: bool,
    /// Given through a separate consent act.
    pub separate_consent: bool,
    /// Involves sensitive data.
    pub sensitive: bool,
    /// Recipients.
    pub recipients: Vec<String>,
    /// Cross-border transfers.
    pub transfers: Vec<Transfer>,
    /// Retention (ISO 8601 duration).
    pub retention: String,
}

/// This receipt's place in the device's chain of receipts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    /// 0 for the device's first receipt for this notice, then +1 per receipt.
    pub subject_seq: u64,
    /// The previous receipt of this subject, with the SHA-256 of its payload.
    pub prev: Option<(ReceiptId, Sha256Digest)>,
    /// The device did not continue the chain from its own state (unreadable, impossible, or
    /// not what the server logged) but from the position the server gave in a
    /// `chain_conflict` answer (`chain.resumed`, written only when true).
    pub resumed: bool,
}

/// A consent receipt payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// Unique id.
    pub receipt_id: ReceiptId,
    /// Client clock at the decision (informational; the server's time is authoritative).
    pub collected_at: Timestamp,
    /// The event.
    pub event: Event,
    /// Pseudonymous subject: the RFC 7638 thumbprint of the device's public key.
    pub subject: String,
    /// Jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// The notice shown.
    pub notice: NoticeRef,
    /// One decision per purpose of the notice, in notice order.
    pub decisions: Vec<PurposeDecision>,
    /// Whether a Global Privacy Control signal was present.
    pub gpc: bool,
    /// Who made the decision (`event.indicated_by` in the payload, written only for a
    /// guardian).
    pub indicated_by: IndicatedBy,
    /// Whether the GPC signal was applied as a binding opt-out (`gpc.honoured`, written only when
    /// true): the regime honours it and the purposes it covers were held off.
    pub gpc_honoured: bool,
    /// Purposes the GPC signal holds off that the visitor explicitly granted anyway in a
    /// confirmation step (`gpc.opted_in`, written only when not empty; only with `honoured`).
    /// Every other purpose the signal covers stayed off.
    pub gpc_opt_ins: Vec<PurposeId>,
    /// Chain position.
    pub chain: Chain,
    /// A link token the server issued ([`link`]): the person this decision is about, across
    /// channels, and the ticket it belongs to. `None` for most web receipts.
    pub link: Option<String>,
    /// A hotline agent's attestation ([`agent`]): the agent recorded what the caller said,
    /// and the subject is then the agent's console key, not a device of the caller's.
    pub agent: Option<agent::Attestation>,
}

/// Inputs to [`Receipt::for_decision`] that come from outside the session. Core reads no clock
/// and no random source: the widget passes time, id and key in.
#[derive(Clone, Debug)]
pub struct ReceiptContext<'a> {
    /// Fresh receipt id.
    pub receipt_id: ReceiptId,
    /// Now.
    pub now: Timestamp,
    /// Device key thumbprint.
    pub subject: String,
    /// Jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// The bundle shown and its digest.
    pub bundle: &'a LocaleBundle,
    /// Digest of the bundle's bytes, as checked against the manifest.
    pub bundle_sha256: Sha256Digest,
    /// Whether the decision was taken on the banner (else in settings).
    pub on_banner: bool,
    /// Whether a GPC signal is present.
    pub gpc: bool,
    /// The previous receipt in this device's chain, and its sequence number.
    pub prev: Option<(ReceiptId, Sha256Digest, u64)>,
}

impl Receipt {
    /// Builds the receipt for a decision of the session.
    pub fn for_decision(record: &DecisionRecord, ctx: &ReceiptContext<'_>) -> Self {
        let b = ctx.bundle;
        let applied = ctx.jurisdiction.applied();
        let in_force = ctx.jurisdiction.in_force(&applied, ctx.gpc, false);
        let decisions = b
            .purposes
            .iter()
            .map(|p| {
                let now_on = record
                    .choices
                    .iter()
                    .find(|(id, _)| *id == p.id)
                    .is_some_and(|(_, on)| *on);
                let was_on = record
                    .previous
                    .as_ref()
                    .and_then(|prev| prev.iter().find(|(id, _)| *id == p.id))
                    .is_some_and(|(_, on)| *on);
                let basis = recorded_basis(p, &in_force);
                let state = if p.required {
                    DecisionState::NotApplicable
                } else if basis != "consent" {
                    if now_on {
                        DecisionState::NotObjected
                    } else {
                        DecisionState::Objected
                    }
                } else if now_on {
                    DecisionState::Given
                } else if was_on && record.prior_phase == Phase::Decided {
                    DecisionState::Withdrawn
                } else {
                    DecisionState::Refused
                };
                PurposeDecision {
                    legal_basis: basis.into(),
                    separate_consent: record.separately.contains(&p.id),
                    ..decision_for(p, state)
                }
            })
            .collect();
        let kind = match (record.method, record.prior_phase) {
            (Method::Withdraw, _) => EventType::Withdrawal,
            (_, Phase::Undecided) => EventType::Decision,
            (_, Phase::Stale(_)) => EventType::Renewal,
            (_, Phase::Decided) => EventType::Update,
        };
        let interaction = match record.method {
            Method::AcceptAll => Interaction::AcceptAll,
            Method::RejectAll => Interaction::RejectAll,
            Method::SaveChoices => Interaction::SaveChoices,
            Method::Withdraw => Interaction::Withdraw,
            Method::SeparateConsent => Interaction::SeparateConsent,
            Method::SignalOptIn => Interaction::GpcOptIn,
        };
        Self {
            receipt_id: ctx.receipt_id.clone(),
            collected_at: ctx.now,
            event: Event {
                kind,
                channel: if ctx.on_banner {
                    Channel::WebBanner
                } else {
                    Channel::WebSettings
                },
                interaction,
            },
            subject: ctx.subject.clone(),
            jurisdiction: ctx.jurisdiction.clone(),
            notice: NoticeRef {
                notice_id: b.notice_id.clone(),
                version: b.version.clone(),
                locale: b.locale.clone(),
                sha256: ctx.bundle_sha256,
            },
            decisions,
            gpc: ctx.gpc,
            indicated_by: IndicatedBy::Subject,
            gpc_honoured: false,
            gpc_opt_ins: Vec::new(),
            chain: match &ctx.prev {
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
            link: None,
            agent: None,
        }
    }

    /// The same receipt, recorded as expressed by a parent or guardian for a child below the
    /// guardian age of the regimes applied (`jurisdiction.child_age`).
    #[must_use]
    pub fn by_guardian(mut self) -> Self {
        self.indicated_by = IndicatedBy::Guardian;
        self
    }

    /// The same receipt, recording that the GPC signal was honoured as a binding opt-out.
    /// Only meaningful with the signal present; without it this does nothing.
    #[must_use]
    pub fn honouring_gpc(mut self) -> Self {
        self.gpc_honoured = self.gpc;
        self
    }

    /// The same receipt, recording the purposes the visitor granted despite the honoured GPC
    /// signal, each through its own confirmation step (see [`ConsentSession::signal_opt_ins`]).
    /// Only meaningful together with [`Receipt::honouring_gpc`]; without it this does nothing.
    ///
    /// [`ConsentSession::signal_opt_ins`]: crate::session::ConsentSession::signal_opt_ins
    #[must_use]
    pub fn with_gpc_opt_ins(mut self, purposes: Vec<PurposeId>) -> Self {
        if self.gpc_honoured {
            self.gpc_opt_ins = purposes;
        }
        self
    }

    /// The same receipt with another collection method: for channels the widget's banner and
    /// settings do not cover (a hotline agent's console, the GPC signal, a withdrawal page).
    #[must_use]
    pub fn with_collection(mut self, channel: Channel, interaction: Interaction) -> Self {
        self.event.channel = channel;
        self.event.interaction = interaction;
        self
    }

    /// The same receipt carrying a link token the server issued: its channel is the
    /// token's. Only the channel is read here (the widget); whether the token is whole and
    /// the server's is for `verify` and the server to say.
    pub fn with_link(mut self, token: &str) -> Result<Self, &'static str> {
        self.event.channel = link::channel_of(token).ok_or("it names no channel")?;
        self.link = Some(String::from(token));
        Ok(self)
    }

    /// The JSON value of the payload.
    pub fn to_value(&self) -> Value {
        let j = &self.jurisdiction;
        let mut jur = alloc::vec![
            ("regime", Value::str(j.regime.as_str())),
            ("determined_by", Value::str(j.determined_by.as_str())),
        ];
        if let Some(r) = &j.region {
            jur.push(("region", Value::str(r.as_str())));
        }
        if !j.regimes.is_empty() {
            jur.push((
                "regimes",
                Value::Arr(
                    j.regimes
                        .iter()
                        .map(|(g, why)| {
                            Value::object([
                                ("regime", Value::str(g.as_str())),
                                ("reason", Value::str(why.as_str())),
                            ])
                        })
                        .collect(),
                ),
            ));
            if let Some(age) = j.child_age() {
                jur.push(("child_age", Value::Int(i64::from(age))));
            }
        }
        let mut chain = alloc::vec![(
            "subject_seq",
            Value::Int(i64::try_from(self.chain.subject_seq).unwrap_or(i64::MAX))
        )];
        if let Some((id, h)) = &self.chain.prev {
            chain.push(("prev_receipt_id", Value::str(id.as_str())));
            chain.push(("prev_receipt_sha256", Value::str(h.to_hex())));
        }
        if self.chain.resumed {
            chain.push(("resumed", Value::Bool(true)));
        }
        let mut event = alloc::vec![
            ("type", Value::str(self.event.kind.as_str())),
            ("channel", Value::str(self.event.channel.as_str())),
            ("interaction", Value::str(self.event.interaction.as_str())),
        ];
        if self.indicated_by != IndicatedBy::Subject {
            event.push(("indicated_by", Value::str(self.indicated_by.as_str())));
        }
        let mut gpc = alloc::vec![("signal_present", Value::Bool(self.gpc))];
        if self.gpc_honoured {
            gpc.push(("honoured", Value::Bool(true)));
        }
        if !self.gpc_opt_ins.is_empty() {
            gpc.push((
                "opted_in",
                Value::Arr(
                    self.gpc_opt_ins
                        .iter()
                        .map(|p| Value::str(p.as_str()))
                        .collect(),
                ),
            ));
        }
        let mut top = alloc::vec![
            ("schema_version", Value::str(RECEIPT_SCHEMA)),
            ("receipt_id", Value::str(self.receipt_id.as_str())),
            ("collected_at", Value::str(self.collected_at.to_rfc3339())),
            ("event", Value::object(event)),
            (
                "subject",
                Value::object([
                    ("pseudonym", Value::str(self.subject.clone())),
                    (
                        "pseudonym_type",
                        Value::str(if self.agent.is_some() {
                            agent::PSEUDONYM_TYPE
                        } else {
                            "device_key_thumbprint"
                        }),
                    ),
                ]),
            ),
            ("jurisdiction", Value::object(jur)),
            (
                "notice",
                Value::object([
                    ("notice_id", Value::str(self.notice.notice_id.as_str())),
                    ("version", Value::str(self.notice.version.clone())),
                    ("locale", Value::str(self.notice.locale.as_str())),
                    ("sha256", Value::str(self.notice.sha256.to_hex())),
                ]),
            ),
            (
                "decisions",
                Value::Arr(
                    self.decisions
                        .iter()
                        .map(PurposeDecision::to_value)
                        .collect(),
                ),
            ),
            ("gpc", Value::object(gpc)),
            ("chain", Value::object(chain)),
        ];
        if let Some(l) = &self.link {
            top.push(("link", Value::str(l.as_str())));
        }
        if let Some(a) = &self.agent {
            top.push(("agent", a.to_value()));
        }
        Value::object(top)
    }

    /// The canonical payload bytes: exactly what gets signed and hashed.
    pub fn payload_bytes(&self) -> Vec<u8> {
        json::to_canonical_string(&self.to_value()).into_bytes()
    }

    /// Reads a payload value strictly: every member required by the schema must be present with
    /// the right type, and no unknown member is allowed anywhere.
    pub fn from_value(v: &Value) -> Result<Self, ReceiptError> {
        let top = Obj::new(v, "receipt")?;
        top.only(&[
            "schema_version",
            "receipt_id",
            "collected_at",
            "event",
            "subject",
            "jurisdiction",
            "notice",
            "decisions",
            "gpc",
            "chain",
            "link",
            "agent",
        ])?;
        let schema = top.str("schema_version")?;
        if schema != RECEIPT_SCHEMA {
            return Err(ReceiptError::Schema(schema.into()));
        }
        let ev = top.obj("event")?;
        ev.only(&["type", "channel", "interaction", "indicated_by"])?;
        let subject = top.obj("subject")?;
        subject.only(&["pseudonym", "pseudonym_type"])?;
        let by_agent = match subject.str("pseudonym_type")? {
            "device_key_thumbprint" => false,
            agent::PSEUDONYM_TYPE => true,
            _ => {
                return Err(ReceiptError::invalid(
                    "subject.pseudonym_type",
                    "\"device_key_thumbprint\" or \"agent_key_thumbprint\"",
                ));
            }
        };
        let jur = top.obj("jurisdiction")?;
        jur.only(&["region", "regime", "determined_by", "regimes", "child_age"])?;
        let mut regimes: Vec<(Regime, Reason)> = Vec::new();
        if let Some(list) = jur.get("regimes") {
            let items = list
                .as_array()
                .filter(|a| !a.is_empty())
                .ok_or(ReceiptError::invalid(
                    "jurisdiction.regimes",
                    "a non-empty array",
                ))?;
            for item in items {
                let r = Obj::new(item, "jurisdiction.regimes[]")?;
                r.only(&["regime", "reason"])?;
                let g = Regime::parse(r.str("regime")?)
                    .filter(|g| g.as_str() == r.str("regime").unwrap_or_default())
                    .ok_or(ReceiptError::invalid(
                        "jurisdiction.regimes[].regime",
                        "a known regime",
                    ))?;
                let why = Reason::parse(r.str("reason")?).ok_or(ReceiptError::invalid(
                    "jurisdiction.regimes[].reason",
                    "a known reason",
                ))?;
                if regimes.iter().any(|(x, _)| *x == g) {
                    return Err(ReceiptError::invalid(
                        "jurisdiction.regimes",
                        "each regime once",
                    ));
                }
                regimes.push((g, why));
            }
        }
        let child_age = match jur.get("child_age") {
            None => None,
            Some(v) => Some(
                v.as_i64()
                    .and_then(|n| u8::try_from(n).ok())
                    .ok_or(ReceiptError::invalid("jurisdiction.child_age", "an age"))?,
            ),
        };
        let notice = top.obj("notice")?;
        notice.only(&["notice_id", "version", "locale", "sha256"])?;
        let gpc = top.obj("gpc")?;
        gpc.only(&["signal_present", "honoured", "opted_in"])?;
        let signal_present = gpc.bool("signal_present")?;
        let honoured = match gpc.get("honoured") {
            None => false,
            Some(Value::Bool(true)) if signal_present => true,
            Some(_) => {
                return Err(ReceiptError::invalid(
                    "gpc.honoured",
                    "true, and only with signal_present",
                ));
            }
        };
        let mut gpc_opt_ins = Vec::new();
        if let Some(list) = gpc.get("opted_in") {
            let items = list
                .as_array()
                .filter(|a| honoured && !a.is_empty())
                .ok_or(ReceiptError::invalid(
                    "gpc.opted_in",
                    "a non-empty array of purpose ids, and only with honoured",
                ))?;
            for p in items {
                let id = p
                    .as_str()
                    .ok_or(ReceiptError::invalid("gpc.opted_in[]", "a purpose id"))?;
                gpc_opt_ins.push(PurposeId::parse(id).map_err(ReceiptError::Id)?);
            }
        }
        let indicated_by = match ev.opt_str("indicated_by")? {
            None => IndicatedBy::Subject,
            Some("guardian") => IndicatedBy::Guardian,
            Some(_) => {
                return Err(ReceiptError::invalid(
                    "event.indicated_by",
                    "\"guardian\" (absent for the subject)",
                ));
            }
        };
        let chain = top.obj("chain")?;
        chain.only(&[
            "subject_seq",
            "prev_receipt_id",
            "prev_receipt_sha256",
            "resumed",
        ])?;
        let resumed = match chain.get("resumed") {
            None => false,
            Some(Value::Bool(true)) => true,
            Some(_) => return Err(ReceiptError::invalid("chain.resumed", "true, or absent")),
        };
        let prev = match (
            chain.opt_str("prev_receipt_id")?,
            chain.opt_str("prev_receipt_sha256")?,
        ) {
            (None, None) => None,
            (Some(id), Some(h)) => Some((
                ReceiptId::parse(id).map_err(ReceiptError::Id)?,
                Sha256Digest::from_hex(h).ok_or(ReceiptError::invalid(
                    "chain.prev_receipt_sha256",
                    "64 lowercase hex digits",
                ))?,
            )),
            _ => {
                return Err(ReceiptError::invalid(
                    "chain",
                    "prev_receipt_id and prev_receipt_sha256 together",
                ));
            }
        };
        let seq = chain.int("subject_seq")?;
        let mut decisions = Vec::new();
        for d in top.arr("decisions")? {
            decisions.push(PurposeDecision::from_value(d)?);
        }
        if decisions.is_empty() {
            return Err(ReceiptError::invalid("decisions", "at least one decision"));
        }
        // A purpose granted despite the signal is one of the decisions, and granted.
        for id in &gpc_opt_ins {
            if !decisions
                .iter()
                .any(|d| d.purpose_id == *id && d.state == DecisionState::Given)
            {
                return Err(ReceiptError::invalid(
                    "gpc.opted_in[]",
                    "a purpose whose decision is \"given\"",
                ));
            }
        }
        let channel = Channel::parse(ev.str("channel")?)
            .ok_or(ReceiptError::invalid("event.channel", "a known channel"))?;
        let interaction = Interaction::parse(ev.str("interaction")?).ok_or(
            ReceiptError::invalid("event.interaction", "a known interaction"),
        )?;
        let attestation = match top.get("agent") {
            None => None,
            Some(a) => Some(agent::Attestation::from_value(a)?),
        };
        agent::check_shape(
            attestation.as_ref(),
            by_agent,
            channel,
            interaction,
            &decisions,
            top.get("link").is_some(),
        )?;
        Ok(Self {
            receipt_id: ReceiptId::parse(top.str("receipt_id")?).map_err(ReceiptError::Id)?,
            collected_at: Timestamp::parse_rfc3339(top.str("collected_at")?)
                .map_err(|_| ReceiptError::invalid("collected_at", "an RFC 3339 UTC timestamp"))?,
            event: Event {
                kind: EventType::parse(ev.str("type")?)
                    .ok_or(ReceiptError::invalid("event.type", "a known event type"))?,
                channel,
                interaction,
            },
            indicated_by,
            subject: subject.str("pseudonym")?.into(),
            jurisdiction: {
                let j = Jurisdiction {
                    region: jur
                        .opt_str("region")?
                        .map(RegionCode::parse)
                        .transpose()
                        .map_err(ReceiptError::Id)?,
                    regime: Regime::parse(jur.str("regime")?).ok_or(ReceiptError::invalid(
                        "jurisdiction.regime",
                        "a known regime",
                    ))?,
                    determined_by: RegionSource::parse(jur.str("determined_by")?).ok_or(
                        ReceiptError::invalid("jurisdiction.determined_by", "a known source"),
                    )?,
                    regimes,
                };
                // The regime is the first applied; the child age is the one they set (and is
                // recorded only with them).
                if !j.regimes.is_empty()
                    && (j.regimes[0].0 != j.regime || child_age != j.child_age())
                {
                    return Err(ReceiptError::invalid(
                        "jurisdiction",
                        "regime the first of regimes, and child_age the guardian age they set",
                    ));
                }
                if j.regimes.is_empty() && child_age.is_some() {
                    return Err(ReceiptError::invalid(
                        "jurisdiction.child_age",
                        "only with regimes",
                    ));
                }
                j
            },
            notice: NoticeRef {
                notice_id: NoticeId::parse(notice.str("notice_id")?).map_err(ReceiptError::Id)?,
                version: notice.str("version")?.into(),
                locale: LocaleTag::parse(notice.str("locale")?).map_err(ReceiptError::Id)?,
                sha256: Sha256Digest::from_hex(notice.str("sha256")?).ok_or(
                    ReceiptError::invalid("notice.sha256", "64 lowercase hex digits"),
                )?,
            },
            decisions,
            gpc: signal_present,
            gpc_honoured: honoured,
            gpc_opt_ins,
            chain: Chain {
                subject_seq: u64::try_from(seq)
                    .map_err(|_| ReceiptError::invalid("chain.subject_seq", "≥ 0"))?,
                prev,
                resumed,
            },
            link: match top.opt_str("link")? {
                None => None,
                Some(l) => {
                    let t = link::parse(l).map_err(|_| {
                        ReceiptError::invalid("link", "a link token (consentry-link+jws)")
                    })?;
                    if t.claims.channel != channel {
                        return Err(ReceiptError::invalid(
                            "event.channel",
                            "the channel of the link token",
                        ));
                    }
                    Some(l.into())
                }
            },
            agent: attestation,
        })
    }
}

fn decision_for(p: &BundlePurpose, state: DecisionState) -> PurposeDecision {
    PurposeDecision {
        purpose_id: p.id.clone(),
        legal_basis: p.legal_basis.clone(),
        state,
        required: p.required,
        separate_consent: p.separate_consent,
        sensitive: p.sensitive,
        recipients: p.recipients.clone(),
        // What the payload records of a transfer: where to, under which safeguard.
        transfers: p
            .transfers
            .iter()
            .map(|t| Transfer {
                destination: t.destination.clone(),
                safeguard: t.safeguard.clone(),
                ..Transfer::default()
            })
            .collect(),
        retention: p.retention.clone(),
    }
}

impl PurposeDecision {
    fn to_value(&self) -> Value {
        Value::object([
            ("purpose_id", Value::str(self.purpose_id.as_str())),
            ("legal_basis", Value::str(self.legal_basis.clone())),
            ("state", Value::str(self.state.as_str())),
            ("required", Value::Bool(self.required)),
            ("separate_consent", Value::Bool(self.separate_consent)),
            ("sensitive", Value::Bool(self.sensitive)),
            (
                "recipients",
                Value::Arr(
                    self.recipients
                        .iter()
                        .map(|r| Value::str(r.clone()))
                        .collect(),
                ),
            ),
            (
                "transfers",
                Value::Arr(
                    self.transfers
                        .iter()
                        .map(|t| {
                            Value::object([
                                ("destination", Value::str(t.destination.clone())),
                                ("safeguard", Value::str(t.safeguard.clone())),
                            ])
                        })
                        .collect(),
                ),
            ),
            ("retention", Value::str(self.retention.clone())),
        ])
    }

    fn from_value(v: &Value) -> Result<Self, ReceiptError> {
        let d = Obj::new(v, "decisions[]")?;
        d.only(&[
            "purpose_id",
            "legal_basis",
            "state",
            "required",
            "separate_consent",
            "sensitive",
            "recipients",
            "transfers",
            "retention",
        ])?;
        let mut recipients = Vec::new();
        for r in d.arr("recipients")? {
            recipients.push(
                r.as_str()
                    .ok_or(ReceiptError::invalid(
                        "decisions[].recipients[]",
                        "a string",
                    ))?
                    .into(),
            );
        }
        let mut transfers = Vec::new();
        for t in d.arr("transfers")? {
            let t = Obj::new(t, "decisions[].transfers[]")?;
            t.only(&["destination", "safeguard"])?;
            transfers.push(Transfer {
                destination: t.str("destination")?.into(),
                safeguard: t.str("safeguard")?.into(),
                ..Transfer::default()
            });
        }
        Ok(Self {
            purpose_id: PurposeId::parse(d.str("purpose_id")?).map_err(ReceiptError::Id)?,
            legal_basis: d.str("legal_basis")?.into(),
            state: DecisionState::parse(d.str("state")?)
                .ok_or(ReceiptError::invalid("decisions[].state", "a known state"))?,
            required: d.bool("required")?,
            separate_consent: d.bool("separate_consent")?,
            sensitive: d.bool("sensitive")?,
            recipients,
            transfers,
            retention: d.str("retention")?.into(),
        })
    }
}

/// Why a payload is not a well-formed receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReceiptError {
    /// Another `schema_version`.
    Schema(String),
    /// A required member is missing.
    Missing(String),
    /// A member that the schema does not define.
    UnknownMember(String),
    /// A member of the wrong type or outside its domain.
    Invalid {
        /// Where.
        at: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A malformed identifier.
    Id(IdError),
}

impl ReceiptError {
    fn invalid(at: &str, expected: &'static str) -> Self {
        ReceiptError::Invalid {
            at: at.into(),
            expected,
        }
    }
}

impl fmt::Display for ReceiptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiptError::Schema(s) => write!(f, "unsupported schema_version {s:?}"),
            ReceiptError::Missing(m) => write!(f, "missing member {m}"),
            ReceiptError::UnknownMember(m) => write!(f, "unknown member {m}"),
            ReceiptError::Invalid { at, expected } => write!(f, "{at}: expected {expected}"),
            ReceiptError::Id(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for ReceiptError {}

/// A strict view of a JSON object, for readers that must reject unknown members.
struct Obj<'v> {
    members: &'v [(String, Value)],
    at: &'static str,
}

impl<'v> Obj<'v> {
    fn new(v: &'v Value, at: &'static str) -> Result<Self, ReceiptError> {
        match v {
            Value::Obj(members) => Ok(Self { members, at }),
            _ => Err(ReceiptError::invalid(at, "an object")),
        }
    }
    fn path(&self, key: &str) -> String {
        let mut s = String::from(self.at);
        s.push('.');
        s.push_str(key);
        s
    }
    fn only(&self, allowed: &[&str]) -> Result<(), ReceiptError> {
        match self
            .members
            .iter()
            .find(|(k, _)| !allowed.contains(&k.as_str()))
        {
            Some((k, _)) => Err(ReceiptError::UnknownMember(self.path(k))),
            None => Ok(()),
        }
    }
    fn get(&self, key: &str) -> Option<&'v Value> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    fn req(&self, key: &str) -> Result<&'v Value, ReceiptError> {
        self.get(key)
            .ok_or_else(|| ReceiptError::Missing(self.path(key)))
    }
    fn str(&self, key: &str) -> Result<&'v str, ReceiptError> {
        self.req(key)?
            .as_str()
            .ok_or_else(|| ReceiptError::Invalid {
                at: self.path(key),
                expected: "a string",
            })
    }
    fn opt_str(&self, key: &str) -> Result<Option<&'v str>, ReceiptError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v.as_str().map(Some).ok_or_else(|| ReceiptError::Invalid {
                at: self.path(key),
                expected: "a string",
            }),
        }
    }
    fn bool(&self, key: &str) -> Result<bool, ReceiptError> {
        self.req(key)?
            .as_bool()
            .ok_or_else(|| ReceiptError::Invalid {
                at: self.path(key),
                expected: "a boolean",
            })
    }
    fn int(&self, key: &str) -> Result<i64, ReceiptError> {
        self.req(key)?
            .as_i64()
            .ok_or_else(|| ReceiptError::Invalid {
                at: self.path(key),
                expected: "an integer",
            })
    }
    fn arr(&self, key: &str) -> Result<&'v [Value], ReceiptError> {
        self.req(key)?
            .as_array()
            .ok_or_else(|| ReceiptError::Invalid {
                at: self.path(key),
                expected: "an array",
            })
    }
    fn obj(&self, key: &str) -> Result<Obj<'v>, ReceiptError> {
        match self.req(key)? {
            Value::Obj(members) => Ok(Obj {
                members,
                at: leak_path(key),
            }),
            _ => Err(ReceiptError::Invalid {
                at: self.path(key),
                expected: "an object",
            }),
        }
    }
}

/// Nested object paths are a small fixed set; map them to static names for error messages.
fn leak_path(key: &str) -> &'static str {
    match key {
        "event" => "event",
        "subject" => "subject",
        "jurisdiction" => "jurisdiction",
        "notice" => "notice",
        "gpc" => "gpc",
        "chain" => "chain",
        _ => "object",
    }
}

#[cfg(test)]
mod schema_tests;
#[cfg(test)]
mod tests;
