//! The server's signing keys: generated with the OS random source at first start, kept in a
//! key directory, published as a JWKS, rotated without losing the old public keys.
//!
//! ```text
//! <key dir>/            mode 0700
//!   keyring.json        {"active":"<kid>","keys":[{"created":…,"kid":…,"retired":…},…]}
//!   <kid>.p256          the private scalar, 64 hex digits, mode 0600
//! ```
//!
//! A key's `kid` is the RFC 7638 thumbprint of its public key. Rotation
//! (`consentry-server keys rotate`) creates a new key, makes it active and marks the old one
//! retired; every key stays in the published set, so receipts countersigned years ago still
//! verify. A running server keeps the key it started with: restart it (or its replicas) after
//! a rotation.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use consentry_core::encoding::{b64url, hex};
use consentry_core::json::{self, Value};
use consentry_core::receipt::jws::PublicJwk;
use consentry_core::receipt::verify::{JwksEntry, KeyStatus, jwks_json};
use consentry_core::time::Timestamp;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};

/// The key that countersigns receipts and signs ledger heads.
///
/// Signing runs on `ring` (about three times faster than `p256` here, which matters because
/// every receipt is countersigned), with a nonce ring derives from the key, the message and
/// the operating system's random source. Should that source ever fail, the signature is made
/// with `p256` instead (RFC 6979, deterministic), so signing never fails. Verifiers cannot
/// tell the two apart: both are ES256 over the same bytes.
pub struct ServerSigner {
    kid: String,
    jwk: PublicJwk,
    key: SigningKey,
    fast: Option<ring::signature::EcdsaKeyPair>,
    rng: ring::rand::SystemRandom,
}

impl std::fmt::Debug for ServerSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerSigner")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl ServerSigner {
    /// A signer from a private scalar (32 bytes, big-endian).
    pub fn from_scalar(bytes: &[u8]) -> Result<Self, KeyError> {
        let key = SigningKey::from_slice(bytes).map_err(|_| KeyError::BadKey)?;
        let point = key.verifying_key().to_sec1_point(false);
        let b = point.as_bytes();
        let jwk = PublicJwk {
            x: b64url(&b[1..33]),
            y: b64url(&b[33..65]),
        };
        let rng = ring::rand::SystemRandom::new();
        let fast = ring::signature::EcdsaKeyPair::from_private_key_and_public_key(
            &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &key.to_bytes(),
            b,
            &rng,
        )
        .ok();
        Ok(Self {
            kid: jwk.thumbprint(),
            jwk,
            key,
            fast,
            rng,
        })
    }

    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self, KeyError> {
        loop {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
            match Self::from_scalar(&seed) {
                Ok(s) => return Ok(s),
                Err(_) => continue, // ≥ the group order: astronomically rare, draw again
            }
        }
    }

    /// The key id (RFC 7638 thumbprint).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key.
    pub fn jwk(&self) -> &PublicJwk {
        &self.jwk
    }

    /// ES256 over `input`: base64url of the raw 64-byte `r‖s`.
    pub fn sign(&self, input: &[u8]) -> String {
        if let Some(fast) = &self.fast
            && let Ok(sig) = fast.sign(&self.rng, input)
        {
            return b64url(sig.as_ref());
        }
        self.sign_deterministic(input)
    }

    /// ES256 over `input` with `p256` and an RFC 6979 nonce (the fallback of [`Self::sign`];
    /// the same input always gives the same signature).
    pub fn sign_deterministic(&self, input: &[u8]) -> String {
        let sig: Signature = self.key.sign(input);
        b64url(&sig.to_bytes())
    }

    fn scalar_hex(&self) -> String {
        hex(&self.key.to_bytes())
    }
}

/// Why the key directory could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// `keyring.json` is not what this server writes.
    #[error("{path}: {reason}")]
    Keyring {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A private key file does not hold a valid P-256 scalar, or not the key its name says.
    #[error("a private key file is not a valid P-256 key")]
    BadKey,
    /// The OS random source failed.
    #[error("the operating system's random source failed: {0}")]
    Random(String),
}

struct KeyMeta {
    kid: String,
    created: Timestamp,
    retired: Option<Timestamp>,
}

/// The key directory: the active signer and every key ever used (for the JWKS).
pub struct KeyRing {
    dir: PathBuf,
    active: std::sync::Arc<ServerSigner>,
    keys: Vec<(KeyMeta, PublicJwk)>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing")
            .field("dir", &self.dir)
            .field("active", &self.active.kid)
            .field("keys", &self.keys.len())
            .finish()
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl KeyRing {
    /// Opens the key directory, creating it and a first key if it has no `keyring.json`.
    pub fn open_or_create(dir: &Path, now: Timestamp) -> Result<Self, KeyError> {
        if !dir.join("keyring.json").exists() {
            create_dir_private(dir)?;
            let signer = ServerSigner::generate()?;
            write_private_key(dir, &signer)?;
            write_keyring(
                dir,
                signer.kid(),
                &[KeyMeta {
                    kid: signer.kid.clone(),
                    created: now,
                    retired: None,
                }],
            )?;
            tracing::info!(kid = signer.kid(), dir = %dir.display(), "created a server signing key");
        }
        Self::open(dir)
    }

    /// Opens an existing key directory.
    pub fn open(dir: &Path) -> Result<Self, KeyError> {
        let path = dir.join("keyring.json");
        let bytes = fs::read(&path).map_err(io(&path))?;
        let bad = |reason: &str| KeyError::Keyring {
            path: path.clone(),
            reason: reason.into(),
        };
        let v = json::parse(&bytes).map_err(|e| bad(&e.to_string()))?;
        let active_kid = v
            .get("active")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("active must be a kid"))?;
        let mut keys = Vec::new();
        let mut active = None;
        for k in v
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("keys must be an array"))?
        {
            let kid = k
                .get("kid")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("kid must be a string"))?;
            let ts = |name: &str| -> Result<Option<Timestamp>, KeyError> {
                match k.get(name) {
                    None => Ok(None),
                    Some(t) => t
                        .as_str()
                        .and_then(|s| Timestamp::parse_rfc3339(s).ok())
                        .map(Some)
                        .ok_or_else(|| bad("created / retired must be timestamps")),
                }
            };
            let signer = read_private_key(dir, kid)?;
            let meta = KeyMeta {
                kid: kid.into(),
                created: ts("created")?.ok_or_else(|| bad("created is required"))?,
                retired: ts("retired")?,
            };
            keys.push((meta, signer.jwk.clone()));
            if kid == active_kid {
                active = Some(signer);
            }
        }
        let active = active.ok_or_else(|| bad("the active key is not listed"))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            active: std::sync::Arc::new(active),
            keys,
        })
    }

    /// Creates a new key, makes it active and retires the current one (kept and published).
    /// Returns the new key's kid.
    pub fn rotate(dir: &Path, now: Timestamp) -> Result<String, KeyError> {
        let ring = Self::open(dir)?;
        let signer = ServerSigner::generate()?;
        write_private_key(dir, &signer)?;
        let mut metas: Vec<KeyMeta> = ring
            .keys
            .into_iter()
            .map(|(mut m, _)| {
                if m.retired.is_none() {
                    m.retired = Some(now);
                }
                m
            })
            .collect();
        metas.push(KeyMeta {
            kid: signer.kid.clone(),
            created: now,
            retired: None,
        });
        write_keyring(dir, signer.kid(), &metas)?;
        Ok(signer.kid)
    }

    /// The active signer.
    pub fn signer(&self) -> std::sync::Arc<ServerSigner> {
        self.active.clone()
    }

    /// Every key, active and retired, as a JWKS document.
    pub fn jwks(&self) -> String {
        let entries: Vec<JwksEntry> = self
            .keys
            .iter()
            .map(|(m, jwk)| JwksEntry {
                jwk: jwk.clone(),
                status: if m.kid == self.active.kid {
                    KeyStatus::Active
                } else {
                    KeyStatus::Retired
                },
                created: m.created,
                retired: m.retired,
            })
            .collect();
        jwks_json(&entries)
    }

    /// `(kid, created, retired, active?)` of every key, oldest first.
    pub fn list(&self) -> Vec<(String, Timestamp, Option<Timestamp>, bool)> {
        self.keys
            .iter()
            .map(|(m, _)| {
                (
                    m.kid.clone(),
                    m.created,
                    m.retired,
                    m.kid == self.active.kid,
                )
            })
            .collect()
    }
}

fn create_dir_private(dir: &Path) -> Result<(), KeyError> {
    // Missing parents (the data directory) are created 0700 too.
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(io(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
    }
    Ok(())
}

fn key_path(dir: &Path, kid: &str) -> Result<PathBuf, KeyError> {
    // A kid is base64url: no separators, so it cannot leave the directory.
    if kid.is_empty()
        || !kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(KeyError::BadKey);
    }
    Ok(dir.join(format!("{kid}.p256")))
}

fn write_private_key(dir: &Path, signer: &ServerSigner) -> Result<(), KeyError> {
    let path = key_path(dir, signer.kid())?;
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts.open(&path).map_err(io(&path))?;
    f.write_all(format!("{}\n", signer.scalar_hex()).as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(io(&path))
}

fn read_private_key(dir: &Path, kid: &str) -> Result<ServerSigner, KeyError> {
    let path = key_path(dir, kid)?;
    let text = fs::read_to_string(&path).map_err(io(&path))?;
    let text = text.trim();
    let mut bytes = [0u8; 32];
    if text.len() != 64 {
        return Err(KeyError::BadKey);
    }
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| KeyError::BadKey)?;
    }
    let signer = ServerSigner::from_scalar(&bytes)?;
    if signer.kid != kid {
        return Err(KeyError::BadKey);
    }
    Ok(signer)
}

fn write_keyring(dir: &Path, active: &str, keys: &[KeyMeta]) -> Result<(), KeyError> {
    let list = keys
        .iter()
        .map(|m| {
            let mut o = vec![
                ("created", Value::str(m.created.to_rfc3339())),
                ("kid", Value::str(m.kid.clone())),
            ];
            if let Some(r) = m.retired {
                o.push(("retired", Value::str(r.to_rfc3339())));
            }
            Value::object(o)
        })
        .collect();
    let doc = json::to_canonical_string(&Value::object([
        ("active", Value::str(active)),
        ("keys", Value::Arr(list)),
    ]));
    let tmp = dir.join("keyring.json.tmp");
    let path = dir.join("keyring.json");
    {
        let mut f = fs::File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(doc.as_bytes())
            .and_then(|()| f.write_all(b"\n"))
            .and_then(|()| f.sync_all())
            .map_err(io(&tmp))?;
    }
    fs::rename(&tmp, &path).map_err(io(&path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use consentry_core::encoding::b64url_decode;
    use consentry_core::receipt::verify::es256::{self, Backend, PublicKey, Signature};

    /// Both signing paths give ES256 signatures that every verifier backend accepts over the
    /// signed bytes and refuses over others; the fast path is the one in use.
    #[test]
    fn fast_and_deterministic_signatures_verify_on_every_backend() {
        let signer = ServerSigner::from_scalar(&[7u8; 32]).unwrap();
        assert!(signer.fast.is_some(), "ring accepted the key");
        let x = b64url_decode(&signer.jwk().x).unwrap();
        let y = b64url_decode(&signer.jwk().y).unwrap();
        let key = PublicKey::from_coordinates(&x, &y).unwrap();
        let msg = b"eyJhbGciOiJFUzI1NiJ9.cGF5bG9hZA";
        let fast = signer.sign(msg);
        assert_ne!(fast, signer.sign(msg), "ring's nonce is fresh each time");
        let det = signer.sign_deterministic(msg);
        assert_eq!(det, signer.sign_deterministic(msg), "RFC 6979");
        for sig in [fast, det] {
            let sig = Signature::from_raw(&b64url_decode(&sig).unwrap()).unwrap();
            for b in Backend::ALL {
                assert_eq!(es256::verify_with(*b, &key, msg, &sig), Ok(()), "{b:?}");
                assert!(es256::verify_with(*b, &key, b"other bytes", &sig).is_err());
            }
        }
    }
}
