//! Link tokens (issue 15 items 3 and 4, ADR 0017): what a page script cannot forge that ties a
//! receipt to a person across channels.
//!
//! The receipt server signs a short-lived token (a compact JWS, ES256, with its countersigning
//! key; header `{"alg":"ES256","kid":…,"typ":"consentry-link+jws"}`) whose payload names a
//! **subject reference** (`sref`: a keyed hash of a customer id, phone number, e-mail address
//! or ticket id; the key stays on the server, so the reference says nothing by itself and
//! cannot be made without it), optionally a support ticket, the channel it was issued for and
//! when it expires. The mailbox's auto-reply carries one in its link; the widget, mounted with
//! it (`link` option), puts it verbatim into the receipt the device signs (`link` member), and
//! the receipt's channel is the token's.
//!
//! Checking it needs the server's key set, so it is part of the countersignature check
//! ([`crate::receipt::verify::verify_countersigned`]): signed by a server key, and received
//! before it expired. Without keys, only its form is checked.

use alloc::string::{String, ToString};

use super::Channel;
use crate::encoding::b64url_decode;
use crate::json::{self, Value};
use crate::time::Timestamp;

/// The `typ` of a link token's protected header.
pub const LINK_TYP: &str = "consentry-link+jws";

/// Longest token accepted (a payload of a few hundred bytes, signed).
pub const MAX_LINK_LEN: usize = 2048;

/// Longest a token may live (`exp − iat`): 30 days. Checked where tokens are checked, not only
/// where they are made, so a token signed with a leaked key cannot live for decades.
pub const MAX_LINK_LIFETIME_MS: i64 = 30 * 24 * 3_600_000;

/// How far a token's `iat` may lie after the server time a receipt carrying it was received
/// (clock steps between replicas).
pub const MAX_LINK_SKEW_MS: i64 = 5 * 60 * 1000;

/// The kinds of identifier a subject reference is made of (the receipt server's
/// `subject-ref.key` HMAC; service scopes name them).
pub const IDENTIFIER_KINDS: [&str; 4] = ["customer", "email", "phone", "ticket"];

/// What a link token says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkClaims {
    /// The subject reference (`sr2:` or, made before per-identifier keys, `sr1:`, and 43
    /// base64url characters).
    pub sref: String,
    /// The support ticket it is scoped to, if any.
    pub ticket: Option<String>,
    /// The channel it was issued for; a receipt carrying it has this channel.
    pub channel: Channel,
    /// Issued at (server time).
    pub iat: Timestamp,
    /// Expires at (server time): a receipt received later is refused.
    pub exp: Timestamp,
    /// Its id (random), for the server's records.
    pub jti: String,
}

/// Whether `s` is a subject reference: `sr2:` (under the identifier's own key) or `sr1:`
/// (under the server's key, before per-identifier keys; ADR 0019) and 43 base64url characters
/// (32 bytes).
pub fn is_sref(s: &str) -> bool {
    let rest = s.strip_prefix("sr2:").or_else(|| s.strip_prefix("sr1:"));
    rest.is_some_and(|r| {
        r.len() == 43
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

impl LinkClaims {
    /// The canonical payload.
    pub fn to_value(&self) -> Value {
        let mut m = alloc::vec![
            ("channel", Value::str(self.channel.as_str())),
            ("exp", Value::str(self.exp.to_rfc3339())),
            ("iat", Value::str(self.iat.to_rfc3339())),
            ("jti", Value::str(self.jti.as_str())),
            ("sref", Value::str(self.sref.as_str())),
        ];
        if let Some(t) = &self.ticket {
            m.push(("ticket", Value::str(t.as_str())));
        }
        Value::object(m)
    }

    fn from_value(v: &Value) -> Result<Self, &'static str> {
        let m = v.as_object().ok_or("the payload is not an object")?;
        if m.iter().any(|(k, _)| {
            !matches!(
                k.as_str(),
                "channel" | "exp" | "iat" | "jti" | "sref" | "ticket"
            )
        }) {
            return Err("the payload has an unknown member");
        }
        let s = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .ok_or("sref, channel, iat, exp and jti must be strings")
        };
        let t = |k: &str| Timestamp::parse_rfc3339(s(k)?).map_err(|_| "iat and exp must be times");
        let sref = s("sref")?;
        if !is_sref(sref) {
            return Err("sref is not a subject reference");
        }
        let ticket = match v.get("ticket") {
            None => None,
            Some(t) => {
                let t = t.as_str().ok_or("ticket must be a string")?;
                if t.is_empty() || t.len() > 64 || t.chars().any(char::is_control) {
                    return Err("ticket must be 1 to 64 characters");
                }
                Some(t.to_string())
            }
        };
        let channel = Channel::parse(s("channel")?).ok_or("channel is not a known channel")?;
        let (iat, exp) = (t("iat")?, t("exp")?);
        if exp <= iat {
            return Err("exp must be after iat");
        }
        Ok(Self {
            sref: sref.to_string(),
            ticket,
            channel,
            iat,
            exp,
            jti: s("jti")?.to_string(),
        })
    }
}

/// The channel a token names, read without checking anything else (the widget's receipts
/// module: the server and `verify` check the whole token; this keeps the module small).
pub fn channel_of(token: &str) -> Option<Channel> {
    let mut parts = token.split('.');
    let (_, Some(p), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let v = json::parse(&b64url_decode(p)?).ok()?;
    Channel::parse(v.get("channel")?.as_str()?)
}

/// A token taken apart: its claims, its key id, the signing input and the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkToken<'a> {
    /// What it says.
    pub claims: LinkClaims,
    /// The server key that signed it.
    pub kid: String,
    /// `<header>.<payload>` as signed.
    pub signing_input: &'a str,
    /// The signature (base64url).
    pub signature: &'a str,
}

/// Reads a token's form (not its signature): three base64url parts, the header exactly
/// `alg` ES256, `kid` and `typ` [`LINK_TYP`], the payload canonical JSON claims. (Static
/// reasons: this runs in the widget's receipts module, where formatting costs bytes.)
pub fn parse(token: &str) -> Result<LinkToken<'_>, &'static str> {
    if token.len() > MAX_LINK_LEN {
        return Err("longer than 2048 characters");
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not three dot-separated parts");
    };
    let signing_input = &token[..h.len() + 1 + p.len()];
    let header = b64url_decode(h).ok_or("the header is not base64url")?;
    let header = json::parse(&header).map_err(|_| "the header is not JSON")?;
    let hm = header.as_object().ok_or("the header is not an object")?;
    if hm.len() != 3
        || header.get("alg").and_then(Value::as_str) != Some("ES256")
        || header.get("typ").and_then(Value::as_str) != Some(LINK_TYP)
    {
        return Err("the header must be exactly alg ES256, kid and typ consentry-link+jws");
    }
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or("kid must be a string")?
        .to_string();
    let payload = b64url_decode(p).ok_or("the payload is not base64url")?;
    let v = json::parse(&payload).map_err(|_| "the payload is not JSON")?;
    if json::to_canonical_string(&v).as_bytes() != payload.as_slice() {
        return Err("the payload is not canonical JSON");
    }
    if sig.is_empty() {
        return Err("no signature");
    }
    Ok(LinkToken {
        claims: LinkClaims::from_value(&v)?,
        kid,
        signing_input,
        signature: sig,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::b64url;

    fn token(header: &str, payload: &str) -> String {
        alloc::format!(
            "{}.{}.c2ln",
            b64url(header.as_bytes()),
            b64url(payload.as_bytes())
        )
    }

    const H: &str = r#"{"alg":"ES256","kid":"k1","typ":"consentry-link+jws"}"#;
    const SREF: &str = "sr1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    fn claims() -> LinkClaims {
        LinkClaims {
            sref: SREF.into(),
            ticket: Some("T-1001".into()),
            channel: Channel::SupportMailbox,
            iat: Timestamp(1_796_000_000_000),
            exp: Timestamp(1_796_604_800_000),
            jti: "j1".into(),
        }
    }

    #[test]
    fn a_token_reads_back_what_was_signed() {
        let c = claims();
        let t = token(H, &json::to_canonical_string(&c.to_value()));
        let p = parse(&t).unwrap();
        assert_eq!(p.claims, c);
        assert_eq!(p.kid, "k1");
        assert_eq!(p.signature, "c2ln");
        assert!(t.starts_with(p.signing_input));
    }

    #[test]
    fn anything_else_is_refused_with_the_reason() {
        let good = json::to_canonical_string(&claims().to_value());
        for (t, why) in [
            ("a.b".to_string(), "three"),
            (
                token(
                    r#"{"alg":"none","kid":"k1","typ":"consentry-link+jws"}"#,
                    &good,
                ),
                "ES256",
            ),
            (
                token(r#"{"alg":"ES256","kid":"k1","typ":"JWT"}"#, &good),
                "typ",
            ),
            (token(H, &good.replace("sr1:", "sr3:")), "sref"),
            (token(H, &good.replace("support_mailbox", "fax")), "channel"),
            (
                token(
                    H,
                    &alloc::format!("{},\"zzz\":1}}", &good[..good.len() - 1]),
                ),
                "unknown",
            ),
            (token(H, &good.replace('{', "{ ")), "canonical"),
            (
                token(H, &good.replace("2026-12-", "2026-11-")),
                "exp must be after",
            ),
            (alloc::format!("{}x", "a".repeat(MAX_LINK_LEN)), "longer"),
        ] {
            let e = parse(&t).unwrap_err();
            assert!(e.contains(why), "{why}: {e}");
        }
    }
}
