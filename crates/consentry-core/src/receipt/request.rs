//! Data-subject requests (issue 15, item 8; ADR 0019): a person asks for access to their
//! data, its correction, its deletion, a copy to take elsewhere, or objects to a use of it,
//! from the widget's privacy settings or on the hotline.
//!
//! A request is **signed like a receipt**: the same device key (or, on the hotline, the
//! agent's console key), the same JWS envelope with its own `typ`
//! (`consentry-request+jws`), canonical NFC JSON read strictly. It names the subject's latest
//! logged receipt (`receipt`: id and payload hash), which ties it to the subject's chain: only
//! the holder of the key that made that receipt can sign it, and the server takes it only if
//! that receipt is in the ledger under the same subject. On the hotline it also carries the
//! link that names the caller (ADR 0017) and the agent's attestation (ADR 0018).
//!
//! The time to answer is core's [`crate::regime::response_deadline`] under the laws the
//! named receipt records, and the controller's own.

use alloc::string::String;
use alloc::vec::Vec;

use super::{Channel, Obj, ReceiptError, agent};
use crate::encoding::Sha256Digest;
use crate::ids::ReceiptId;
use crate::json::{self, Value};
use crate::time::Timestamp;

/// Schema tag of a request payload.
pub const REQUEST_SCHEMA: &str = "consentry-request/1";

/// The `typ` of a request's protected header.
pub const REQUEST_TYP: &str = "consentry-request+jws";

/// The longest `details` text, in characters.
pub const MAX_DETAILS: usize = 1000;

/// Whether `details` may be a request's `details`: 1 to [`MAX_DETAILS`] characters, not only
/// spaces. The one rule, for the reader here and for the widget's form.
pub fn details_ok(details: &str) -> bool {
    !details.trim().is_empty() && details.chars().count() <= MAX_DETAILS
}

/// What the person asks for. The wire names are the `[rights]` keywords of `notice.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    /// A copy of their data and how it is used (GDPR Art. 15, PIPL Art. 45, LGPD Art. 18 II,
    /// CCPA 1798.110, …).
    Access,
    /// Correction (GDPR Art. 16, PIPL Art. 46, LGPD Art. 18 III, CCPA 1798.106).
    Rectification,
    /// Deletion (GDPR Art. 17, PIPL Art. 47, LGPD Art. 18 VI, CCPA 1798.105).
    Erasure,
    /// A copy in a form to take elsewhere (GDPR Art. 20, PIPL Art. 45(3), LGPD Art. 18 V).
    Portability,
    /// Objection to a use (GDPR Art. 21, PIPL Art. 44, LGPD Art. 18 §2).
    Objection,
}

impl RequestKind {
    /// Every kind, in the order a form offers them.
    pub const ALL: [RequestKind; 5] = [
        RequestKind::Access,
        RequestKind::Rectification,
        RequestKind::Erasure,
        RequestKind::Portability,
        RequestKind::Objection,
    ];

    /// The wire name (`access`, `rectification`, `erasure`, `portability`, `objection`).
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Rectification => "rectification",
            RequestKind::Erasure => "erasure",
            RequestKind::Portability => "portability",
            RequestKind::Objection => "objection",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A data-subject request payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataRequest {
    /// Unique id.
    pub request_id: ReceiptId,
    /// The device's (or console's) clock when it was made; the server's time is
    /// authoritative.
    pub made_at: Timestamp,
    /// What is asked for.
    pub kind: RequestKind,
    /// Where: `web_settings` (the widget) or `hotline_agent`.
    pub channel: Channel,
    /// The signing key's thumbprint.
    pub subject: String,
    /// The subject's latest logged receipt: its id and payload hash.
    pub receipt: (ReceiptId, Sha256Digest),
    /// What the person adds in their words (at most [`MAX_DETAILS`] characters).
    pub details: Option<String>,
    /// On the hotline: the agent's id and the call.
    pub agent: Option<(String, String)>,
    /// On the hotline: the link token naming the caller.
    pub link: Option<String>,
}

impl DataRequest {
    /// The JSON value of the payload.
    pub fn to_value(&self) -> Value {
        let mut top = alloc::vec![
            ("schema_version", Value::str(REQUEST_SCHEMA)),
            ("request_id", Value::str(self.request_id.as_str())),
            ("made_at", Value::str(self.made_at.to_rfc3339())),
            ("kind", Value::str(self.kind.as_str())),
            ("channel", Value::str(self.channel.as_str())),
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
            (
                "receipt",
                Value::object([
                    ("receipt_id", Value::str(self.receipt.0.as_str())),
                    ("receipt_sha256", Value::str(self.receipt.1.to_hex())),
                ]),
            ),
        ];
        if let Some(d) = &self.details {
            top.push(("details", Value::str(d.clone())));
        }
        if let Some((id, call)) = &self.agent {
            top.push((
                "agent",
                Value::object([
                    ("agent_id", Value::str(id.clone())),
                    ("call_ref", Value::str(call.clone())),
                ]),
            ));
        }
        if let Some(l) = &self.link {
            top.push(("link", Value::str(l.clone())));
        }
        Value::object(top)
    }

    /// The canonical payload bytes: what gets signed.
    pub fn payload_bytes(&self) -> Vec<u8> {
        json::to_canonical_string(&self.to_value()).into_bytes()
    }

    /// Reads a payload strictly: every member the format defines, of its type, none other;
    /// a web request from a device key, a hotline request from an agent key with its call and
    /// the caller's link.
    pub fn from_value(v: &Value) -> Result<Self, ReceiptError> {
        let top = Obj::new(v, "request")?;
        top.only(&[
            "schema_version",
            "request_id",
            "made_at",
            "kind",
            "channel",
            "subject",
            "receipt",
            "details",
            "agent",
            "link",
        ])?;
        let schema = top.str("schema_version")?;
        if schema != REQUEST_SCHEMA {
            return Err(ReceiptError::Schema(schema.into()));
        }
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
        let receipt = top.obj("receipt")?;
        receipt.only(&["receipt_id", "receipt_sha256"])?;
        let channel = Channel::parse(top.str("channel")?)
            .filter(|c| matches!(c, Channel::WebSettings | Channel::HotlineAgent))
            .ok_or(ReceiptError::invalid(
                "channel",
                "web_settings or hotline_agent",
            ))?;
        let details = match top.opt_str("details")? {
            None => None,
            Some(d) if details_ok(d) => Some(d.into()),
            Some(_) => {
                return Err(ReceiptError::invalid(
                    "details",
                    "1 to 1000 characters, not only spaces",
                ));
            }
        };
        let agent = match top.get("agent") {
            None => None,
            Some(a) => {
                let a = Obj::new(a, "agent")?;
                a.only(&["agent_id", "call_ref"])?;
                let (id, call) = (a.str("agent_id")?, a.str("call_ref")?);
                if !agent::valid_ref(id) || !agent::valid_ref(call) {
                    return Err(ReceiptError::invalid(
                        "agent",
                        "agent_id and call_ref of 1 to 64 characters of A-Z a-z 0-9 . _ : / -",
                    ));
                }
                Some((String::from(id), String::from(call)))
            }
        };
        let link = top.opt_str("link")?.map(String::from);
        let hotline = channel == Channel::HotlineAgent;
        if by_agent != hotline || agent.is_some() != hotline || link.is_some() != hotline {
            return Err(ReceiptError::invalid(
                "channel",
                "hotline_agent exactly with an agent key, an agent member and the caller's link",
            ));
        }
        if let Some(l) = &link
            && super::link::parse(l).map_or(true, |t| t.claims.channel != Channel::HotlineAgent)
        {
            return Err(ReceiptError::invalid(
                "link",
                "a link token for the hotline_agent channel",
            ));
        }
        Ok(Self {
            request_id: ReceiptId::parse(top.str("request_id")?).map_err(ReceiptError::Id)?,
            made_at: Timestamp::parse_rfc3339(top.str("made_at")?)
                .map_err(|_| ReceiptError::invalid("made_at", "an RFC 3339 UTC timestamp"))?,
            kind: RequestKind::parse(top.str("kind")?).ok_or(ReceiptError::invalid(
                "kind",
                "access, rectification, erasure, portability or objection",
            ))?,
            channel,
            subject: subject.str("pseudonym")?.into(),
            receipt: (
                ReceiptId::parse(receipt.str("receipt_id")?).map_err(ReceiptError::Id)?,
                Sha256Digest::from_hex(receipt.str("receipt_sha256")?).ok_or(
                    ReceiptError::invalid("receipt.receipt_sha256", "64 lowercase hex digits"),
                )?,
            ),
            details,
            agent,
            link,
        })
    }
}
