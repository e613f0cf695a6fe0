//! Verifying what the server signs: countersignatures and ledger heads.

use alloc::string::{String, ToString};

use super::keys::KeySet;
use super::{
    VerifiedReceipt, VerifyError, VerifyPolicy, check_alg, es256_signature, read_canonical_header,
    verify,
};
use crate::encoding::{Sha256Digest, b64url_decode};
use crate::json::{self, Value};
use crate::receipt::countersign::{
    COUNTERSIGN_TYP, CRIT, Countersignature, LedgerPosition, SubjectChain, device_commitment,
};
use crate::receipt::jws::{Jws, MAX_ENVELOPE_BYTES, signing_input};
use crate::receipt::ledger::{HEAD_TYP, LedgerHead};
use crate::time::Timestamp;

/// Checks the server's countersignature (`signatures[1]`) of an envelope against a key set:
/// the header is canonical, `alg` is ES256, members are exactly `alg`, `ccr_cs`, `ccr_log`,
/// `ccr_recv`, `crit`, `kid`, `typ` with `crit` = `["ccr_cs","ccr_log","ccr_recv"]`, the key
/// is in the set (active or retired), `ccr_cs` commits to this envelope's device signature,
/// and the signature verifies over `protected.payload`.
///
/// It does not check the device signature or the receipt: use [`verify_countersigned`] for
/// both.
pub fn verify_countersignature(
    envelope: &[u8],
    keys: &KeySet,
) -> Result<Countersignature, VerifyError> {
    if envelope.len() > MAX_ENVELOPE_BYTES {
        return Err(VerifyError::EnvelopeTooLarge {
            size: envelope.len(),
        });
    }
    let jws = Jws::from_json(envelope).map_err(VerifyError::EnvelopeMalformed)?;
    check_countersignature(&jws, keys)
}

pub(crate) fn check_countersignature(
    jws: &Jws,
    keys: &KeySet,
) -> Result<Countersignature, VerifyError> {
    let (device, cs) = match jws.signatures.as_slice() {
        [_] => return Err(VerifyError::CountersignatureMissing),
        [device, cs] => (device, cs),
        _ => {
            return Err(VerifyError::CountersignatureMalformed(
                "more than one countersignature".into(),
            ));
        }
    };
    let header = read_canonical_header(
        &cs.protected,
        VerifyError::CountersignatureMalformed,
        VerifyError::CountersignatureNotCanonical,
    )?;
    check_alg(&header, VerifyError::CountersignatureMalformed)?;
    let claims = read_claims(&header).map_err(VerifyError::CountersignatureMalformed)?;
    let key = keys
        .get(&claims.kid)
        .ok_or_else(|| VerifyError::CountersignatureKeyUnknown(claims.kid.clone()))?;
    if claims.device_commitment != device_commitment(device) {
        return Err(VerifyError::CountersignatureBindingMismatch);
    }
    let sig = es256_signature(&cs.signature)
        .map_err(|why| VerifyError::CountersignatureMalformed(why.into()))?;
    super::es256::verify(
        &key.key,
        signing_input(&cs.protected, &jws.payload).as_bytes(),
        &sig,
    )
    .map_err(|_| VerifyError::CountersignatureInvalid)?;
    // Only now, authenticated: a retired key's signature dated after its retirement is not
    // one the server could have made.
    if !key.valid_at(claims.received_at) {
        return Err(VerifyError::CountersignatureOutsideKeyLifetime {
            kid: claims.kid.clone(),
            at: claims.received_at,
        });
    }
    Ok(claims)
}

fn read_claims(header: &Value) -> Result<Countersignature, String> {
    let m = header.as_object().unwrap_or_default();
    const MEMBERS: [&str; 7] = ["alg", "ccr_cs", "ccr_log", "ccr_recv", "crit", "kid", "typ"];
    if let Some((k, _)) = m.iter().find(|(k, _)| !MEMBERS.contains(&k.as_str())) {
        return Err(alloc::format!("unexpected member {k:?}"));
    }
    if let Some(k) = MEMBERS.iter().find(|k| header.get(k).is_none()) {
        return Err(alloc::format!("missing member {k:?}"));
    }
    let s = |v: &Value, k: &str| -> Result<String, String> {
        v.get(k)
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| alloc::format!("{k} must be a string"))
    };
    if s(header, "typ")? != COUNTERSIGN_TYP {
        return Err(alloc::format!("typ must be {COUNTERSIGN_TYP:?}"));
    }
    let crit_ok = header
        .get("crit")
        .and_then(Value::as_array)
        .is_some_and(|c| {
            c.len() == CRIT.len() && c.iter().zip(CRIT).all(|(v, want)| v.as_str() == Some(want))
        });
    if !crit_ok {
        return Err("crit must be [\"ccr_cs\",\"ccr_log\",\"ccr_recv\"]".into());
    }
    let log = header.get("ccr_log").unwrap_or(&Value::Null);
    let lm = log.as_object().ok_or("ccr_log must be an object")?;
    if let Some((k, _)) = lm
        .iter()
        .find(|(k, _)| !matches!(k.as_str(), "index" | "log_id" | "prev" | "subject_chain"))
    {
        return Err(alloc::format!("unexpected ccr_log member {k:?}"));
    }
    let index = log
        .get("index")
        .and_then(Value::as_i64)
        .and_then(|i| u64::try_from(i).ok())
        .filter(|i| *i >= 1)
        .ok_or("ccr_log.index must be an integer ≥ 1")?;
    Ok(Countersignature {
        kid: s(header, "kid")?,
        device_commitment: Sha256Digest::from_hex(&s(header, "ccr_cs")?)
            .ok_or("ccr_cs must be 64 lowercase hex digits")?,
        received_at: Timestamp::parse_rfc3339(&s(header, "ccr_recv")?)
            .map_err(|_| String::from("ccr_recv must be an RFC 3339 UTC timestamp"))?,
        position: LedgerPosition {
            log_id: s(log, "log_id")?,
            index,
            prev: Sha256Digest::from_hex(&s(log, "prev")?)
                .ok_or("ccr_log.prev must be 64 lowercase hex digits")?,
            subject_chain: SubjectChain::parse(&s(log, "subject_chain")?)
                .ok_or("ccr_log.subject_chain must be start, linked or broken")?,
        },
    })
}

/// The full check of a countersigned receipt: [`verify`] (device signature, canonical form,
/// receipt, policy), then [`verify_countersignature`] against `keys`.
pub fn verify_countersigned(
    envelope: &[u8],
    policy: &VerifyPolicy,
    keys: &KeySet,
) -> Result<(VerifiedReceipt, Countersignature), VerifyError> {
    let verified = verify(envelope, policy)?;
    let jws = Jws::from_json(envelope).map_err(VerifyError::EnvelopeMalformed)?;
    let cs = check_countersignature(&jws, keys)?;
    if let Some(token) = &verified.receipt().link {
        check_receipt_link(verified.receipt(), token, keys, cs.received_at)?;
    }
    check_agent(verified.receipt(), keys, cs.received_at)?;
    Ok((verified, cs))
}

/// The agent rule for a receipt an agent recorded (no-op for any other): its key is in the
/// agent key set, held by the agent the receipt names, and was registered and not yet revoked
/// at `received`. A revoked key's receipts from before the revocation stay valid. The one rule
/// for the server at ingest, `consentry verify` and the evidence pack.
pub fn check_agent(
    receipt: &crate::receipt::Receipt,
    keys: &KeySet,
    received: Timestamp,
) -> Result<(), VerifyError> {
    let Some(a) = &receipt.agent else {
        return Ok(());
    };
    check_agent_key(&receipt.subject, &a.agent_id, keys, received)
}

/// The agent key `kid` is in the agent key set, held by `agent_id`, and was registered and
/// not revoked at `received`.
pub(crate) fn check_agent_key(
    kid: &str,
    agent_id: &str,
    keys: &KeySet,
    received: Timestamp,
) -> Result<(), VerifyError> {
    let key = keys
        .agent(kid)
        .ok_or_else(|| VerifyError::AgentKeyUnknown(kid.into()))?;
    if key.agent != agent_id {
        return Err(VerifyError::AgentKeyMismatch {
            claimed: agent_id.into(),
            holder: key.agent.clone(),
        });
    }
    if !key.valid_at(received) {
        return Err(VerifyError::AgentKeyNotValid {
            kid: key.kid.clone(),
            at: received,
        });
    }
    Ok(())
}

/// The link rule for a receipt: [`check_link`], except that an expired token never stops a
/// receipt that grants nothing. Expiry keeps a stale link from saying yes; a withdrawal or a
/// refusal made on the link before it expired and delivered after (an offline outbox, retries)
/// is always taken (GDPR Art. 7(3): withdrawing as easy as giving). The one rule for the
/// server at ingest, `consentry verify` and the evidence pack.
pub fn check_receipt_link(
    receipt: &crate::receipt::Receipt,
    token: &str,
    keys: &KeySet,
    received: Timestamp,
) -> Result<(), VerifyError> {
    use crate::receipt::DecisionState::{Given, NotObjected};
    match check_link(token, keys, received) {
        Ok(_) => Ok(()),
        Err(VerifyError::LinkExpired { .. })
            if !receipt
                .decisions
                .iter()
                .any(|d| !d.required && matches!(d.state, Given | NotObjected)) =>
        {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// A link token: signed by a key of the server's key set (valid when the token was issued),
/// issued no later than `received` (a little clock skew allowed) for at most
/// [`MAX_LINK_LIFETIME_MS`], and not expired at `received` (`link_expired`).
///
/// [`MAX_LINK_LIFETIME_MS`]: crate::receipt::link::MAX_LINK_LIFETIME_MS
pub fn check_link(
    token: &str,
    keys: &KeySet,
    received: Timestamp,
) -> Result<crate::receipt::link::LinkClaims, VerifyError> {
    use crate::receipt::link::{MAX_LINK_LIFETIME_MS, MAX_LINK_SKEW_MS};
    let t = crate::receipt::link::parse(token).map_err(|w| VerifyError::LinkInvalid(w.into()))?;
    let key = keys.get(&t.kid).ok_or_else(|| {
        VerifyError::LinkInvalid(alloc::format!(
            "server key {:?} is not in the key set",
            t.kid
        ))
    })?;
    if !key.valid_at(t.claims.iat) {
        return Err(VerifyError::LinkInvalid(alloc::format!(
            "issued outside the lifetime of server key {:?}",
            t.kid
        )));
    }
    let s = es256_signature(t.signature).map_err(|w| VerifyError::LinkInvalid(w.into()))?;
    super::es256::verify(&key.key, t.signing_input.as_bytes(), &s)
        .map_err(|_| VerifyError::LinkInvalid("the signature does not verify".into()))?;
    if t.claims.exp.0.saturating_sub(t.claims.iat.0) > MAX_LINK_LIFETIME_MS {
        return Err(VerifyError::LinkInvalid(
            "it lives longer than 30 days".into(),
        ));
    }
    if t.claims.iat.0 > received.0.saturating_add(MAX_LINK_SKEW_MS) {
        return Err(VerifyError::LinkInvalid(
            "it was issued after the receipt was received".into(),
        ));
    }
    if received > t.claims.exp {
        return Err(VerifyError::LinkExpired {
            exp: t.claims.exp,
            received,
        });
    }
    Ok(t.claims)
}

/// Checks a signed ledger head (a JWS general JSON envelope with one signature, header
/// `{"alg":"ES256","kid":…,"typ":"consentry-ledger-head+jws"}`, payload the canonical
/// [`LedgerHead`]) against a key set.
pub fn verify_ledger_head(
    bytes: &[u8],
    keys: &KeySet,
) -> Result<(LedgerHead, String), VerifyError> {
    let jws = Jws::from_json(bytes).map_err(|e| VerifyError::HeadMalformed(e.to_string()))?;
    let [sig] = jws.signatures.as_slice() else {
        return Err(VerifyError::HeadMalformed(
            "a ledger head has exactly one signature".into(),
        ));
    };
    let header = read_canonical_header(
        &sig.protected,
        VerifyError::HeadMalformed,
        VerifyError::HeadMalformed("the protected header is not canonical".into()),
    )?;
    check_alg(&header, VerifyError::HeadMalformed)?;
    let m = header.as_object().unwrap_or_default();
    if m.len() != 3 || header.get("typ").and_then(Value::as_str) != Some(HEAD_TYP) {
        return Err(VerifyError::HeadMalformed(alloc::format!(
            "the header must be exactly alg, kid and typ {HEAD_TYP:?}"
        )));
    }
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or_else(|| VerifyError::HeadMalformed("kid must be a string".into()))?;
    let key = keys
        .get(kid)
        .ok_or_else(|| VerifyError::HeadKeyUnknown(kid.into()))?;
    let s = es256_signature(&sig.signature).map_err(|w| VerifyError::HeadMalformed(w.into()))?;
    super::es256::verify(
        &key.key,
        signing_input(&sig.protected, &jws.payload).as_bytes(),
        &s,
    )
    .map_err(|_| VerifyError::HeadSignatureInvalid)?;
    let payload = b64url_decode(&jws.payload)
        .ok_or_else(|| VerifyError::HeadMalformed("payload is not base64url".into()))?;
    let v = json::parse(&payload).map_err(|e| VerifyError::HeadMalformed(e.to_string()))?;
    if json::to_canonical_string(&v).as_bytes() != payload.as_slice() {
        return Err(VerifyError::HeadMalformed(
            "the payload is not canonical".into(),
        ));
    }
    let head = LedgerHead::from_value(&v).map_err(VerifyError::HeadMalformed)?;
    if !key.valid_at(head.time) {
        return Err(VerifyError::HeadOutsideKeyLifetime {
            kid: kid.into(),
            at: head.time,
        });
    }
    Ok((head, kid.into()))
}

/// A data-subject request ([`crate::receipt::request`]), checked as the server takes it and
/// as a verifier reads it later: the signature of its key under the request `typ`, the payload
/// read strictly and canonical, the subject its signing key, the device signature alone; on
/// the hotline the agent's key (registered, not revoked at `received`) and the caller's link
/// (signed by the server, not expired at `received`). Whether the receipt it names is the
/// subject's is the server's ledger to say.
pub fn verify_request(
    envelope: &[u8],
    keys: &KeySet,
    received: Timestamp,
) -> Result<(crate::receipt::request::DataRequest, Vec<u8>), VerifyError> {
    use crate::receipt::request::{DataRequest, REQUEST_TYP};
    let opened = super::open(envelope, REQUEST_TYP)?;
    let request = DataRequest::from_value(&opened.value).map_err(VerifyError::ReceiptInvalid)?;
    if request.payload_bytes() != opened.payload {
        return Err(VerifyError::ReceiptNotRoundTrip);
    }
    if request.subject != opened.kid {
        return Err(VerifyError::SubjectMismatch);
    }
    if opened.jws.signatures.len() != 1 {
        return Err(VerifyError::EnvelopeMalformed(
            crate::receipt::jws::JwsError::Shape("a request carries its own signature alone"),
        ));
    }
    if let Some((agent_id, _)) = &request.agent {
        check_agent_key(&request.subject, agent_id, keys, received)?;
    }
    if let Some(token) = &request.link {
        check_link(token, keys, received)?;
    }
    Ok((request, opened.payload))
}
