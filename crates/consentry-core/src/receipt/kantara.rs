//! Export of a receipt as a Kantara Initiative Consent Receipt v1.1 (`KI-CR-v1.1.0`) JSON
//! object, for partners and data subjects who want that format.
//!
//! The mapping is lossy and documented in `docs/receipt-format.md` ("Kantara CR v1.1"):
//! Kantara records what was authorised, so purposes that were refused, withdrawn or expired,
//! and purposes that do not rest on consent, are omitted from `services[].purposes`. The
//! device-signed receipt remains the evidence; the export names it in `consentReceiptID`.

use alloc::string::String;
use alloc::vec::Vec;

use super::{DecisionState, Receipt};
use crate::bundle::{LocaleBundle, Span};
use crate::json::Value;
use crate::time::Timestamp;

/// The Kantara version string.
pub const KANTARA_VERSION: &str = "KI-CR-v1.1.0";

/// Everything the Kantara object needs beyond the receipt itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct KantaraContext<'a> {
    /// Server time of receipt (authoritative); the device's `collected_at` when absent.
    pub received_at: Option<Timestamp>,
    /// The notice the receipt names, for the controller's contact details and policy link.
    pub notice: Option<&'a LocaleBundle>,
    /// The `kid` of the server key that countersigned the receipt (Kantara `publicKey`).
    pub countersigned_by: Option<&'a str>,
}

/// RFC 3966 `tel:` URI from a free-form phone number (`+353 1 555 0100` →
/// `tel:+353-1-555-0100`).
fn tel_uri(phone: &str) -> String {
    let mut out = String::from("tel:");
    let mut pending_sep = false;
    for c in phone.chars() {
        if c.is_ascii_digit() || (c == '+' && out.len() == 4) {
            if pending_sep && out.len() > 4 {
                out.push('-');
            }
            pending_sep = false;
            out.push(c);
        } else if matches!(c, ' ' | '-' | '.' | '(' | ')') {
            pending_sep = true;
        }
    }
    out
}

/// The privacy-policy link of a notice: the link whose text is the `link-privacy-policy`
/// label, else the first link in any message.
fn policy_url(b: &LocaleBundle) -> Option<String> {
    let label = b.message("link-privacy-policy").map(|r| r.to_plain());
    let mut first = None;
    for (_, rich) in &b.messages {
        for span in &rich.0 {
            if let Span::Link { href, text } = span {
                if label.as_deref() == Some(text.as_str()) {
                    return Some(href.clone());
                }
                if first.is_none() {
                    first = Some(href.clone());
                }
            }
        }
    }
    first
}

/// The receipt as a Kantara CR v1.1 JSON object.
pub fn to_kantara(r: &Receipt, ctx: &KantaraContext<'_>) -> Value {
    let at = ctx.received_at.unwrap_or(r.collected_at);
    let j = &r.jurisdiction;
    let jurisdiction = alloc::format!(
        "{}; regimes: {}",
        j.region.as_ref().map_or("unknown", |c| c.as_str()),
        j.regime.as_str()
    );
    let controller = match ctx.notice {
        Some(b) => {
            let c = &b.controller;
            let mut m = alloc::vec![
                ("piiController", Value::str(c.name.clone())),
                ("onBehalf", Value::Bool(false)),
                (
                    "contact",
                    Value::str(c.dpo_name.clone().unwrap_or_else(|| c.name.clone()))
                ),
                (
                    "address",
                    Value::object([
                        ("@type", Value::str("PostalAddress")),
                        ("streetAddress", Value::str(c.address.clone())),
                    ]),
                ),
                (
                    "email",
                    Value::str(c.dpo_email.clone().unwrap_or_else(|| c.email.clone()))
                ),
            ];
            if let Some(p) = &c.phone {
                m.push(("phone", Value::str(tel_uri(p))));
            }
            Value::object(m)
        }
        None => Value::object([
            (
                "piiController",
                Value::str("unknown (notice build not given)"),
            ),
            ("contact", Value::str("unknown")),
            (
                "address",
                Value::object([("@type", Value::str("PostalAddress"))]),
            ),
            ("email", Value::str("unknown")),
            ("phone", Value::str("unknown")),
        ]),
    };
    let policy = ctx.notice.and_then(policy_url).unwrap_or_else(|| {
        alloc::format!(
            "urn:consentry:notice:{}:{}:{}",
            r.notice.notice_id,
            r.notice.version,
            r.notice.locale
        )
    });
    let purposes: Vec<Value> = r
        .decisions
        .iter()
        .filter(|d| d.state == DecisionState::Given)
        .map(|d| {
            let name = ctx
                .notice
                .and_then(|b| b.purpose(d.purpose_id.as_str()))
                .map_or_else(
                    || String::from(d.purpose_id.as_str()),
                    |p| p.name.to_plain(),
                );
            let mut m = alloc::vec![
                ("purpose", Value::str(name)),
                (
                    "purposeCategory",
                    Value::Arr(alloc::vec![Value::str(d.purpose_id.as_str())])
                ),
                ("consentType", Value::str("EXPLICIT")),
                ("piiCategory", Value::Arr(Vec::new())),
                ("primaryPurpose", Value::Bool(d.required)),
                (
                    "termination",
                    Value::str(alloc::format!(
                        "retention {}; consent can be withdrawn at any time in the privacy \
                         settings",
                        d.retention
                    ))
                ),
                (
                    "thirdPartyDisclosure",
                    Value::Bool(!d.recipients.is_empty())
                ),
            ];
            if !d.recipients.is_empty() {
                m.push(("thirdPartyName", Value::str(d.recipients.join(", "))));
            }
            Value::object(m)
        })
        .collect();
    let sensitive = r
        .decisions
        .iter()
        .any(|d| d.sensitive && d.state == DecisionState::Given);
    let id = r.receipt_id.as_str();
    let mut top = alloc::vec![
        ("version", Value::str(KANTARA_VERSION)),
        ("jurisdiction", Value::str(jurisdiction)),
        ("consentTimestamp", Value::Int(at.0.div_euclid(1000))),
        (
            "collectionMethod",
            Value::str(alloc::format!(
                "{} / {}",
                r.event.channel.as_str(),
                r.event.interaction.as_str()
            ))
        ),
        (
            "consentReceiptID",
            Value::str(id.strip_prefix("urn:uuid:").unwrap_or(id))
        ),
        ("language", Value::str(r.notice.locale.as_str())),
        ("piiPrincipalId", Value::str(r.subject.clone())),
        ("piiControllers", Value::Arr(alloc::vec![controller])),
        ("policyUrl", Value::str(policy)),
        (
            "services",
            Value::Arr(alloc::vec![Value::object([
                ("service", Value::str(r.notice.notice_id.as_str())),
                ("purposes", Value::Arr(purposes)),
            ])])
        ),
        ("sensitive", Value::Bool(sensitive)),
        ("spiCat", Value::Arr(Vec::new())),
    ];
    if let Some(kid) = ctx.countersigned_by {
        top.push(("publicKey", Value::str(kid)));
    }
    Value::object(top)
}
