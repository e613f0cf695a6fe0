//! The server key set: the public keys that countersign receipts and sign ledger heads,
//! published as a JWKS (RFC 7517 §5) at `/.well-known/consentry/keys.json`.
//!
//! Each key's `kid` is its RFC 7638 thumbprint, so a key set cannot claim a `kid` for another
//! key. Retired keys stay in the set (`"status":"retired"`): receipts they countersigned years
//! ago still verify. Core only reads and writes the public set; the server generates and keeps
//! the private keys.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::{VerifyError, verifying_key};
use crate::json::{self, Value};
use crate::receipt::jws::PublicJwk;
use crate::time::Timestamp;

/// Whether a server key still signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyStatus {
    /// The key the server signs with now.
    Active,
    /// A former key, kept so that what it signed stays verifiable.
    Retired,
}

impl KeyStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "active",
            KeyStatus::Retired => "retired",
        }
    }
}

/// One published key.
#[derive(Clone, Debug)]
pub struct ServerKey {
    /// Its `kid` (RFC 7638 thumbprint).
    pub kid: String,
    /// The public key.
    pub jwk: PublicJwk,
    /// Active or retired.
    pub status: KeyStatus,
    /// When it began to sign, if the set says.
    pub created: Option<Timestamp>,
    /// When it stopped signing, if the set says: what it signs dated later is not valid.
    pub retired: Option<Timestamp>,
    pub(crate) key: super::es256::PublicKey,
}

impl ServerKey {
    /// Whether the key could sign at `t`: not before its creation, not after its retirement
    /// (each when the set states it).
    pub fn valid_at(&self, t: Timestamp) -> bool {
        self.created.is_none_or(|c| t >= c) && self.retired.is_none_or(|r| t <= r)
    }
}

/// A hotline agent's console key (ADR 0018): it signs the receipts that agent records, and
/// nothing else. Published in the agent key set (`/.well-known/consentry/agent-keys.json`),
/// never in the server key set, so it can neither countersign nor sign a link or a head.
#[derive(Clone, Debug)]
pub struct AgentKey {
    /// Its `kid` (RFC 7638 thumbprint).
    pub kid: String,
    /// The public key.
    pub jwk: PublicJwk,
    /// The agent who holds it (the agent id receipts carry).
    pub agent: String,
    /// When it was registered.
    pub created: Timestamp,
    /// When it was revoked: what it signed and the server received later is not valid.
    pub revoked: Option<Timestamp>,
}

impl AgentKey {
    /// Whether a receipt it signed and the server received at `t` is valid: registered by
    /// then and not yet revoked.
    pub fn valid_at(&self, t: Timestamp) -> bool {
        t >= self.created && self.revoked.is_none_or(|r| t < r)
    }
}

/// One key of an agent key set, as the server writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentJwk {
    /// The public key.
    pub jwk: PublicJwk,
    /// Its holder.
    pub agent: String,
    /// When it was registered.
    pub created: Timestamp,
    /// When it was revoked.
    pub revoked: Option<Timestamp>,
}

/// Writes an agent key set (canonical JSON) that [`KeySet::add_agent_jwks`] reads.
pub fn agent_jwks_json(entries: &[AgentJwk]) -> String {
    let keys = entries
        .iter()
        .map(|e| {
            let mut m = alloc::vec![
                ("agent", Value::str(e.agent.as_str())),
                ("alg", Value::str("ES256")),
                ("crv", Value::str("P-256")),
                ("kid", Value::str(e.jwk.thumbprint())),
                ("kty", Value::str("EC")),
                ("use", Value::str("sig")),
                ("x", Value::str(e.jwk.x.clone())),
                ("y", Value::str(e.jwk.y.clone())),
                ("created", Value::str(e.created.to_rfc3339())),
            ];
            if let Some(r) = e.revoked {
                m.push(("revoked", Value::str(r.to_rfc3339())));
            }
            Value::object(m)
        })
        .collect();
    json::to_canonical_string(&Value::object([("keys", Value::Arr(keys))]))
}

/// The set of server public keys a verifier trusts, and apart from them the hotline agents'
/// keys ([`AgentKey`]): a lookup of one kind never finds the other.
#[derive(Clone, Debug, Default)]
pub struct KeySet {
    keys: Vec<ServerKey>,
    agents: Vec<AgentKey>,
}

impl KeySet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key; returns its `kid`. Adding the same key twice keeps one entry (with the
    /// newer status).
    pub fn add(&mut self, jwk: PublicJwk, status: KeyStatus) -> Result<String, VerifyError> {
        self.add_with_lifetime(jwk, status, None, None)
    }

    /// Adds a key with the times it began and stopped signing (as the server's JWKS states
    /// them); a signature dated outside them is refused.
    pub fn add_with_lifetime(
        &mut self,
        jwk: PublicJwk,
        status: KeyStatus,
        created: Option<Timestamp>,
        retired: Option<Timestamp>,
    ) -> Result<String, VerifyError> {
        let key = verifying_key(&jwk)?;
        let kid = jwk.thumbprint();
        if let Some(k) = self.keys.iter_mut().find(|k| k.kid == kid) {
            k.status = status;
            k.created = created;
            k.retired = retired;
        } else {
            self.keys.push(ServerKey {
                kid: kid.clone(),
                jwk,
                status,
                created,
                retired,
                key,
            });
        }
        Ok(kid)
    }

    /// The key with this `kid`.
    pub fn get(&self, kid: &str) -> Option<&ServerKey> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// All keys, in the order added.
    pub fn keys(&self) -> &[ServerKey] {
        &self.keys
    }

    /// The agent key with this `kid` (never a server key).
    pub fn agent(&self, kid: &str) -> Option<&AgentKey> {
        self.agents.iter().find(|k| k.kid == kid)
    }

    /// The agent keys, in the order added.
    pub fn agents(&self) -> &[AgentKey] {
        &self.agents
    }

    /// Adds an agent key; a key already in the set (as a server or an agent key) is refused:
    /// one key, one role.
    pub fn add_agent(&mut self, key: AgentJwk) -> Result<String, KeySetError> {
        let kid = key.jwk.thumbprint();
        if self.get(&kid).is_some() || self.agent(&kid).is_some() {
            return Err(KeySetError::Duplicate(kid));
        }
        if !crate::receipt::agent::valid_ref(&key.agent) {
            return Err(KeySetError::Malformed(alloc::format!(
                "agent {:?}: 1 to 64 characters of A-Z a-z 0-9 . _ : / -",
                key.agent
            )));
        }
        if key.revoked.is_some_and(|r| r < key.created) {
            return Err(KeySetError::Malformed(alloc::format!(
                "agent key {kid:?} revoked before it was registered"
            )));
        }
        verifying_key(&key.jwk).map_err(|e| KeySetError::Malformed(e.to_string()))?;
        self.agents.push(AgentKey {
            kid: kid.clone(),
            jwk: key.jwk,
            agent: key.agent,
            created: key.created,
            revoked: key.revoked,
        });
        Ok(kid)
    }

    /// Reads an agent key set (`{"keys":[…]}`, [`agent_jwks_json`]) strictly into this set:
    /// every key a P-256 `EC` key whose `kid` is its thumbprint, with its `agent` and
    /// `created` (and `revoked` when revoked). An empty agent key set is allowed (no agent
    /// has a key yet). Returns how many keys it added.
    pub fn add_agent_jwks(&mut self, bytes: &[u8]) -> Result<usize, KeySetError> {
        let v = json::parse(bytes).map_err(|e| KeySetError::Malformed(e.to_string()))?;
        let keys = match v.as_object() {
            Some(m) if m.len() == 1 => v.get("keys").and_then(Value::as_array),
            _ => None,
        }
        .ok_or_else(|| KeySetError::Malformed("an agent key set is {\"keys\":[…]}".into()))?;
        for (i, k) in keys.iter().enumerate() {
            let bad = |why: &str| KeySetError::Key {
                index: i,
                reason: why.into(),
            };
            let m = k.as_object().ok_or_else(|| bad("not an object"))?;
            const ALLOWED: [&str; 10] = [
                "agent", "alg", "crv", "kid", "kty", "use", "x", "y", "created", "revoked",
            ];
            if let Some((name, _)) = m.iter().find(|(n, _)| !ALLOWED.contains(&n.as_str())) {
                return Err(bad(&alloc::format!("unknown member {name:?}")));
            }
            if k.get("alg").is_some_and(|a| a.as_str() != Some("ES256")) {
                return Err(bad("alg must be ES256"));
            }
            if k.get("use").is_some_and(|a| a.as_str() != Some("sig")) {
                return Err(bad("use must be sig"));
            }
            let time = |name: &str| -> Result<Option<Timestamp>, KeySetError> {
                k.get(name)
                    .map(|t| {
                        t.as_str()
                            .and_then(|s| Timestamp::parse_rfc3339(s).ok())
                            .ok_or_else(|| bad("created / revoked must be RFC 3339 UTC timestamps"))
                    })
                    .transpose()
            };
            let created = time("created")?.ok_or_else(|| bad("created is required"))?;
            let revoked = time("revoked")?;
            let pub_only = Value::Obj(
                m.iter()
                    .filter(|(n, _)| matches!(n.as_str(), "crv" | "kty" | "x" | "y"))
                    .cloned()
                    .collect(),
            );
            let jwk = PublicJwk::from_value(&pub_only).map_err(|e| bad(&e.to_string()))?;
            let kid = k
                .get("kid")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("kid must be a string"))?;
            if kid != jwk.thumbprint() {
                return Err(KeySetError::KidMismatch(kid.into()));
            }
            let agent = k
                .get("agent")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("agent must be a string"))?;
            self.add_agent(AgentJwk {
                jwk,
                agent: agent.into(),
                created,
                revoked,
            })
            .map_err(|e| match e {
                KeySetError::Malformed(why) => bad(&why),
                other => other,
            })?;
        }
        Ok(keys.len())
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Reads a JWKS document (`{"keys":[…]}`) strictly: every key is a P-256 `EC` key whose
    /// `kid` is its thumbprint; `alg` (if present) is `ES256`, `use` (if present) is `sig`;
    /// `status` is `active` or `retired` (absent: active); `created` / `retired` are RFC 3339
    /// timestamps. An empty set is refused: it could verify nothing.
    pub fn from_jwks(bytes: &[u8]) -> Result<Self, KeySetError> {
        let v = json::parse(bytes).map_err(|e| KeySetError::Malformed(e.to_string()))?;
        let top = v
            .as_object()
            .ok_or_else(|| KeySetError::Malformed("not a JSON object".into()))?;
        if let Some((k, _)) = top.iter().find(|(k, _)| k != "keys") {
            return Err(KeySetError::Malformed(alloc::format!(
                "unknown member {k:?}"
            )));
        }
        let keys = v
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| KeySetError::Malformed("keys must be an array".into()))?;
        let mut set = KeySet::new();
        for (i, k) in keys.iter().enumerate() {
            let bad = |why: &str| KeySetError::Key {
                index: i,
                reason: why.into(),
            };
            let m = k.as_object().ok_or_else(|| bad("not an object"))?;
            const ALLOWED: [&str; 10] = [
                "alg", "crv", "kid", "kty", "use", "x", "y", "status", "created", "retired",
            ];
            if let Some((name, _)) = m.iter().find(|(n, _)| !ALLOWED.contains(&n.as_str())) {
                return Err(bad(&alloc::format!("unknown member {name:?}")));
            }
            if k.get("alg").is_some_and(|a| a.as_str() != Some("ES256")) {
                return Err(bad("alg must be ES256"));
            }
            if k.get("use").is_some_and(|a| a.as_str() != Some("sig")) {
                return Err(bad("use must be sig"));
            }
            let mut times = [None, None];
            for (slot, t) in times.iter_mut().zip(["created", "retired"]) {
                if let Some(t) = k.get(t) {
                    *slot = Some(
                        t.as_str()
                            .and_then(|s| Timestamp::parse_rfc3339(s).ok())
                            .ok_or_else(|| {
                                bad("created / retired must be RFC 3339 UTC timestamps")
                            })?,
                    );
                }
            }
            let [created, retired] = times;
            if let (Some(c), Some(r)) = (created, retired)
                && r < c
            {
                return Err(bad("retired before it was created"));
            }
            let status = match k.get("status").map(Value::as_str) {
                None | Some(Some("active")) => KeyStatus::Active,
                Some(Some("retired")) => KeyStatus::Retired,
                _ => return Err(bad("status must be active or retired")),
            };
            let pub_only = Value::Obj(
                m.iter()
                    .filter(|(n, _)| matches!(n.as_str(), "crv" | "kty" | "x" | "y"))
                    .cloned()
                    .collect(),
            );
            let jwk = PublicJwk::from_value(&pub_only).map_err(|e| bad(&e.to_string()))?;
            let kid = k
                .get("kid")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("kid must be a string"))?;
            if kid != jwk.thumbprint() {
                return Err(KeySetError::KidMismatch(kid.into()));
            }
            if set.get(kid).is_some() {
                return Err(KeySetError::Duplicate(kid.into()));
            }
            set.add_with_lifetime(jwk, status, created, retired)
                .map_err(|e| bad(&e.to_string()))?;
        }
        if set.is_empty() {
            return Err(KeySetError::Malformed("the key set has no keys".into()));
        }
        Ok(set)
    }
}

/// One key of a published JWKS, with its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwksEntry {
    /// The public key.
    pub jwk: PublicJwk,
    /// Active or retired.
    pub status: KeyStatus,
    /// When it was created.
    pub created: Timestamp,
    /// When it was retired.
    pub retired: Option<Timestamp>,
}

/// Writes a JWKS document (canonical JSON) that [`KeySet::from_jwks`] reads.
pub fn jwks_json(entries: &[JwksEntry]) -> String {
    let keys = entries
        .iter()
        .map(|e| {
            let mut m = alloc::vec![
                ("alg", Value::str("ES256")),
                ("crv", Value::str("P-256")),
                ("kid", Value::str(e.jwk.thumbprint())),
                ("kty", Value::str("EC")),
                ("use", Value::str("sig")),
                ("x", Value::str(e.jwk.x.clone())),
                ("y", Value::str(e.jwk.y.clone())),
                ("status", Value::str(e.status.as_str())),
                ("created", Value::str(e.created.to_rfc3339())),
            ];
            if let Some(r) = e.retired {
                m.push(("retired", Value::str(r.to_rfc3339())));
            }
            Value::object(m)
        })
        .collect();
    json::to_canonical_string(&Value::object([("keys", Value::Arr(keys))]))
}

/// Why a JWKS document was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySetError {
    /// Not a JSON object of the form `{"keys":[…]}`, or no keys.
    Malformed(String),
    /// Key number `index` is not a usable P-256 signing key description.
    Key {
        /// Position in `keys`.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// A `kid` is not the thumbprint of its key.
    KidMismatch(String),
    /// The same key is listed twice.
    Duplicate(String),
}

impl KeySetError {
    /// Stable machine code: `keyset_malformed`, `keyset_key_invalid`, `keyset_kid_mismatch`,
    /// `keyset_duplicate`.
    pub fn code(&self) -> &'static str {
        match self {
            KeySetError::Malformed(_) => "keyset_malformed",
            KeySetError::Key { .. } => "keyset_key_invalid",
            KeySetError::KidMismatch(_) => "keyset_kid_mismatch",
            KeySetError::Duplicate(_) => "keyset_duplicate",
        }
    }
}

impl fmt::Display for KeySetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySetError::Malformed(why) => write!(f, "malformed key set: {why}"),
            KeySetError::Key { index, reason } => write!(f, "key set: keys[{index}]: {reason}"),
            KeySetError::KidMismatch(kid) => {
                write!(f, "key set: kid {kid:?} is not the thumbprint of its key")
            }
            KeySetError::Duplicate(kid) => write!(f, "key set: key {kid:?} is listed twice"),
        }
    }
}

impl core::error::Error for KeySetError {}
