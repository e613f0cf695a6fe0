//! Consentry's transparency log (ADR 0011): the ledger entries, in index order, are the leaves
//! of an RFC 6962 Merkle tree; the server signs C2SP `tlog-checkpoint` notes with its Ed25519
//! log key; independent witnesses cosign them (C2SP `tlog-cosignature`, `cosignature/v1`);
//! a receipt's position is a C2SP `tlog-proof@v1` text.
//!
//! Pinned spec versions: `tlog-checkpoint@v1.0.0`, `tlog-cosignature@v1.0.1`,
//! `tlog-tiles@v1`, `tlog-witness@v1`, `tlog-proof@v1`; Ed25519 only (log `0x01`, witness
//! `0x04`).
//!
//! Leaf `i - 1` is ledger entry `i`. Its leaf data is `"ccr-leaf/v1\n" ‖ entry_hash` (a hash
//! commitment: no personal data in tiles), its leaf hash `SHA-256(0x00 ‖ leaf data)`.
//!
//! Everything here is pure (no I/O except key generation): the server, the witness and the
//! `consentry verify` command share it.

use std::cell::RefCell;
use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signer as _, SigningKey, Verifier as _, VerifyingKey};
use sha2::{Digest as _, Sha256};
pub use signed_note::{Note, Signature as NoteSignature, StandardSigner, StandardVerifier};
use signed_note::{Verifier, VerifierList};
pub use tlog_tiles::{self, Checkpoint, Hash, HashReader, Tile};

mod witness;
pub use witness::{Witness, WitnessAnswer, WitnessState};

/// Prefix of every leaf's data.
pub const LEAF_PREFIX: &[u8] = b"ccr-leaf/v1\n";
/// Tile height (C2SP tlog-tiles: 256 hashes a tile).
pub const TILE_HEIGHT: u8 = 8;
/// First line of a proof text.
pub const PROOF_HEADER: &str = "c2sp.org/tlog-proof@v1";
/// Most hashes in a proof (and in a witness request) that are accepted.
pub const MAX_PROOF_HASHES: usize = 63;

/// The leaf hash of the ledger entry with this `entry_hash`.
pub fn leaf_hash(entry_hash: &[u8; 32]) -> Hash {
    let mut data = Vec::with_capacity(LEAF_PREFIX.len() + 32);
    data.extend_from_slice(LEAF_PREFIX);
    data.extend_from_slice(entry_hash);
    tlog_tiles::record_hash(&data)
}

/// A stable error code and a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlogError {
    /// `checkpoint_malformed`, `checkpoint_signature_invalid`, `checkpoint_unwitnessed`,
    /// `proof_malformed`, `inclusion_invalid`, `log_inconsistent`.
    pub code: &'static str,
    /// What was found.
    pub message: String,
}

impl TlogError {
    /// An error with this code.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for TlogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for TlogError {}

// ---------------------------------------------------------------------------------------------
// Hash storage helpers: which stored hashes an operation reads, and a reader over a map.

/// A [`HashReader`] that records the indexes asked for and answers zero hashes: running an
/// operation on it once tells which stored hashes to fetch (in one query) before running it on
/// a [`MapReader`].
#[derive(Default)]
struct Recorder(RefCell<Vec<u64>>);

impl HashReader for Recorder {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        self.0.borrow_mut().extend_from_slice(indexes);
        Ok(vec![Hash([0; 32]); indexes.len()])
    }
}

/// A [`HashReader`] over stored hashes fetched beforehand.
#[derive(Clone, Debug, Default)]
pub struct MapReader(pub HashMap<u64, Hash>);

impl HashReader for MapReader {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        indexes
            .iter()
            .map(|i| {
                self.0
                    .get(i)
                    .copied()
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)
            })
            .collect()
    }
}

fn recorded(f: impl FnOnce(&Recorder) -> Result<(), tlog_tiles::Error>) -> Vec<u64> {
    let r = Recorder::default();
    // The recorder never fails; an input error leaves the list as far as it got.
    let _ = f(&r);
    let mut v = r.0.into_inner();
    v.sort_unstable();
    v.dedup();
    v
}

/// Stored-hash indexes the root of a tree of `size` leaves is computed from (its frontier:
/// the maximal complete subtrees, left to right).
pub fn root_indexes(size: u64) -> Vec<u64> {
    if size == 0 {
        return Vec::new();
    }
    recorded(|r| tlog_tiles::tree_hash(size, r).map(|_| ()))
}

/// Stored-hash indexes an inclusion proof of leaf `index` in a tree of `size` reads.
pub fn inclusion_indexes(index: u64, size: u64) -> Vec<u64> {
    if index >= size {
        return Vec::new();
    }
    recorded(|r| tlog_tiles::prove_record(size, index, r).map(|_| ()))
}

/// Stored-hash indexes a consistency proof from `old` to `size` reads.
pub fn consistency_indexes(old: u64, size: u64) -> Vec<u64> {
    if old == 0 || old > size {
        return Vec::new();
    }
    recorded(|r| tlog_tiles::prove_tree(size, old, r).map(|_| ()))
}

/// Stored-hash indexes of tile `tile` (its hashes, left to right).
pub fn tile_indexes(tile: &Tile) -> Vec<u64> {
    let w = u64::from(if tile.width() == 0 {
        1 << tile.height()
    } else {
        tile.width()
    });
    let start = tile.level_index() << tile.height();
    (0..w)
        .map(|i| tlog_tiles::stored_hash_index(tile.height() * tile.level(), start + i))
        .collect()
}

/// Parses a C2SP tlog-tiles hash tile path after `tile/`: `<L>/<N>[.p/<W>]` (height 8;
/// `None` for anything else, entry bundles included).
pub fn parse_tile_path(rest: &str) -> Option<Tile> {
    if rest.ends_with(".p/0") || rest.starts_with("data/") || rest.starts_with("entries/") {
        return None;
    }
    let t = Tile::from_path(&format!("tile/{TILE_HEIGHT}/{rest}")).ok()?;
    (t.level() < 8).then_some(t)
}

/// The C2SP path of a tile, after `tile/`.
pub fn tile_path(tile: &Tile) -> String {
    tile.path()
        .strip_prefix(&format!("tile/{TILE_HEIGHT}/"))
        .unwrap_or_default()
        .to_string()
}

/// Whether tile `tile` is complete in a tree of `size` leaves (its hashes all exist).
pub fn tile_in_tree(tile: &Tile, size: u64) -> bool {
    let w = u64::from(tile.width());
    let levels = u32::from(tile.height()) * u32::from(tile.level());
    if levels >= 64 {
        return false;
    }
    let end = tile
        .level_index()
        .checked_mul(1 << tile.height())
        .and_then(|x| x.checked_add(w));
    match end.and_then(|e| e.checked_mul(1u64 << levels)) {
        Some(leaves) => leaves <= size,
        None => false,
    }
}

/// The stored hashes that appending `leaves` to a tree of `old_size` adds, and the new root.
/// `frontier` holds the hashes of [`root_indexes`]`(old_size)`.
pub fn append(
    old_size: u64,
    frontier: &MapReader,
    leaves: &[Hash],
) -> Result<(Vec<(u64, Hash)>, Hash), tlog_tiles::Error> {
    let mut overlay = frontier.clone();
    let mut added = Vec::new();
    for (k, leaf) in leaves.iter().enumerate() {
        let n = old_size + k as u64;
        let hashes = tlog_tiles::stored_hashes_for_record_hash(n, *leaf, &overlay)?;
        let first = tlog_tiles::stored_hash_index(0, n);
        for (j, h) in hashes.into_iter().enumerate() {
            overlay.0.insert(first + j as u64, h);
            added.push((first + j as u64, h));
        }
    }
    let root = tlog_tiles::tree_hash(old_size + leaves.len() as u64, &overlay)?;
    Ok((added, root))
}

/// The inclusion proof of leaf `index` in the tree of `size` leaves, from the hashes of
/// [`inclusion_indexes`].
pub fn prove_inclusion(size: u64, index: u64, r: &MapReader) -> Result<Vec<Hash>, TlogError> {
    if index >= size {
        return Err(TlogError::new("inclusion_invalid", "index beyond the tree"));
    }
    tlog_tiles::prove_record(size, index, r)
        .map_err(|e| TlogError::new("proof_malformed", e.to_string()))
}

/// The consistency proof from `old` to `size` leaves, from the hashes of
/// [`consistency_indexes`].
pub fn prove_consistency(old: u64, size: u64, r: &MapReader) -> Result<Vec<Hash>, TlogError> {
    if old == 0 || old > size {
        return Err(TlogError::new(
            "log_inconsistent",
            "no proof between these sizes",
        ));
    }
    tlog_tiles::prove_tree(size, old, r)
        .map_err(|e| TlogError::new("proof_malformed", e.to_string()))
}

/// The whole tree in memory (for exports and tests).
#[derive(Clone, Debug, Default)]
pub struct MemoryTree {
    hashes: MapReader,
    size: u64,
}

impl MemoryTree {
    /// A tree of these leaves.
    pub fn from_leaves(leaves: &[Hash]) -> Self {
        let mut t = Self::default();
        for l in leaves {
            t.push(*l);
        }
        t
    }

    /// Appends one leaf.
    pub fn push(&mut self, leaf: Hash) {
        if let Ok(hashes) = tlog_tiles::stored_hashes_for_record_hash(self.size, leaf, &self.hashes)
        {
            let first = tlog_tiles::stored_hash_index(0, self.size);
            for (j, h) in hashes.into_iter().enumerate() {
                self.hashes.0.insert(first + j as u64, h);
            }
            self.size += 1;
        }
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Root of the first `n` leaves (`None` beyond the size).
    pub fn root(&self, n: u64) -> Option<Hash> {
        if n > self.size {
            return None;
        }
        tlog_tiles::tree_hash(n, &self.hashes).ok()
    }

    /// Inclusion proof of leaf `index` in the tree of the first `n` leaves.
    pub fn inclusion(&self, index: u64, n: u64) -> Option<Vec<Hash>> {
        (index < n && n <= self.size)
            .then(|| tlog_tiles::prove_record(n, index, &self.hashes).ok())
            .flatten()
    }

    /// Consistency proof from `old` to `n` leaves.
    pub fn consistency(&self, old: u64, n: u64) -> Option<Vec<Hash>> {
        (old >= 1 && old <= n && n <= self.size)
            .then(|| tlog_tiles::prove_tree(n, old, &self.hashes).ok())
            .flatten()
    }

    /// The hashes behind a [`MapReader`] query.
    pub fn reader(&self) -> &MapReader {
        &self.hashes
    }
}

// ---------------------------------------------------------------------------------------------
// Proof checks.

/// Checks that leaf `index` with hash `leaf` is in the tree `(size, root)`.
pub fn check_inclusion(
    proof: &[Hash],
    size: u64,
    root: Hash,
    index: u64,
    leaf: Hash,
) -> Result<(), TlogError> {
    if index >= size {
        return Err(TlogError::new(
            "inclusion_invalid",
            format!("index {index} is not below the tree size {size}"),
        ));
    }
    if proof.len() > MAX_PROOF_HASHES {
        return Err(TlogError::new("proof_malformed", "too many proof hashes"));
    }
    tlog_tiles::check_record(&proof.to_vec(), size, root, index, leaf).map_err(|_| {
        TlogError::new(
            "inclusion_invalid",
            format!("leaf {index} is not in the tree of size {size} with this root"),
        )
    })
}

/// Checks that tree `(old_size, old_root)` is a prefix of `(size, root)`. Equal sizes need
/// equal roots and an empty proof; an empty old tree is a prefix of every tree.
pub fn check_consistency(
    proof: &[Hash],
    old_size: u64,
    old_root: Hash,
    size: u64,
    root: Hash,
) -> Result<(), TlogError> {
    let bad = |why: String| TlogError::new("log_inconsistent", why);
    if old_size > size {
        return Err(bad(format!(
            "the newer tree ({size}) is smaller than the older ({old_size})"
        )));
    }
    if proof.len() > MAX_PROOF_HASHES {
        return Err(TlogError::new("proof_malformed", "too many proof hashes"));
    }
    if old_size == 0 {
        return Ok(());
    }
    if old_size == size {
        if proof.is_empty() && old_root == root {
            return Ok(());
        }
        return Err(bad(format!("two different trees of size {size}")));
    }
    tlog_tiles::check_tree(&proof.to_vec(), size, root, old_size, old_root).map_err(|_| {
        bad(format!(
            "the tree of size {size} does not extend the tree of size {old_size}"
        ))
    })
}

// ---------------------------------------------------------------------------------------------
// Keys and notes.

fn random_seed() -> Result<[u8; 32], String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness: {e}"))?;
    Ok(seed)
}

fn check_name(name: &str) -> Result<(), String> {
    if signed_note::is_key_name_valid(name) {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a valid key name (non-empty, no spaces or '+')"
        ))
    }
}

/// The log's checkpoint signer (Ed25519, signed-note type `0x01`). Its key name is the log's
/// origin.
pub struct LogSigner {
    signer: StandardSigner,
    verifier_key: String,
}

impl std::fmt::Debug for LogSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogSigner")
            .field("verifier_key", &self.verifier_key)
            .finish_non_exhaustive()
    }
}

impl LogSigner {
    /// A new key for `origin`: the private key text (`PRIVATE+KEY+<origin>+…`) to store.
    pub fn generate(origin: &str) -> Result<String, String> {
        check_name(origin)?;
        let sk = SigningKey::from_bytes(&random_seed()?);
        let pubkey = [&[1u8][..], sk.verifying_key().as_bytes()].concat();
        let mut privkey = vec![1u8];
        privkey.extend_from_slice(&sk.to_bytes());
        Ok(format!(
            "PRIVATE+KEY+{origin}+{:08x}+{}\n",
            signed_note::key_id(origin, &pubkey),
            B64.encode(privkey)
        ))
    }

    /// The signer of a stored private key text.
    pub fn from_private(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let signer = StandardSigner::new(text).map_err(|e| format!("log key: {e}"))?;
        let b64 = text.splitn(5, '+').nth(4).unwrap_or_default();
        let raw = B64
            .decode(b64)
            .map_err(|_| "log key: not base64".to_string())?;
        let seed: [u8; 32] = raw
            .get(1..)
            .and_then(|s| s.try_into().ok())
            .ok_or("log key: not an Ed25519 key")?;
        let vk = SigningKey::from_bytes(&seed).verifying_key();
        let verifier_key =
            signed_note::new_ed25519_verifier_key(signed_note::Signer::name(&signer), &vk);
        Ok(Self {
            signer,
            verifier_key,
        })
    }

    /// The log's origin (its key name).
    pub fn origin(&self) -> &str {
        signed_note::Signer::name(&self.signer)
    }

    /// The verifier key (`<origin>+<hex id>+<base64>`), to publish.
    pub fn verifier_key(&self) -> &str {
        &self.verifier_key
    }

    /// The signed checkpoint note of the tree `(size, root)`.
    pub fn sign(&self, size: u64, root: Hash) -> Result<String, String> {
        let cp = Checkpoint::new(self.origin(), size, root, "")
            .map_err(|_| "malformed checkpoint".to_string())?;
        let mut note = Note::new(&cp.to_bytes(), &[]).map_err(|e| e.to_string())?;
        note.add_sigs(&[&self.signer]).map_err(|e| e.to_string())?;
        String::from_utf8(note.to_bytes()).map_err(|e| e.to_string())
    }
}

/// A log verifier key (`<origin>+<hex id>+<base64 0x01‖key>`).
pub fn log_verifier(vkey: &str) -> Result<StandardVerifier, TlogError> {
    StandardVerifier::new(vkey.trim()).map_err(|e| {
        TlogError::new(
            "key_malformed",
            format!("not an Ed25519 log verifier key: {e}"),
        )
    })
}

/// Signed-note type of an Ed25519 `cosignature/v1`.
const COSIG_V1: u8 = 0x04;

/// A witness's `cosignature/v1` key (Ed25519, signed-note type `0x04`).
pub struct CosignatureSigner {
    name: String,
    key: SigningKey,
    id: u32,
}

impl std::fmt::Debug for CosignatureSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CosignatureSigner")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

fn cosig_message(time: u64, body: &[u8]) -> Vec<u8> {
    let mut m = format!("cosignature/v1\ntime {time}\n").into_bytes();
    m.extend_from_slice(body);
    m
}

impl CosignatureSigner {
    /// A new key named `name`: the private key text to store
    /// (`PRIVATE+KEY+<name>+<hex id>+<base64 0x04‖seed>`).
    pub fn generate(name: &str) -> Result<String, String> {
        check_name(name)?;
        let sk = SigningKey::from_bytes(&random_seed()?);
        let s = Self::from_key(name, sk);
        let mut privkey = vec![COSIG_V1];
        privkey.extend_from_slice(&s.key.to_bytes());
        Ok(format!(
            "PRIVATE+KEY+{name}+{:08x}+{}\n",
            s.id,
            B64.encode(privkey)
        ))
    }

    fn from_key(name: &str, key: SigningKey) -> Self {
        let pubkey = [&[COSIG_V1][..], key.verifying_key().as_bytes()].concat();
        Self {
            name: name.to_string(),
            id: signed_note::key_id(name, &pubkey),
            key,
        }
    }

    /// The signer of a stored private key text.
    pub fn from_private(text: &str) -> Result<Self, String> {
        let bad = || "witness key: malformed".to_string();
        let parts: Vec<&str> = text.trim().splitn(5, '+').collect();
        let [p1, p2, name, id, b64] = parts[..] else {
            return Err(bad());
        };
        if p1 != "PRIVATE" || p2 != "KEY" {
            return Err(bad());
        }
        check_name(name)?;
        let raw = B64.decode(b64).map_err(|_| bad())?;
        if raw.first() != Some(&COSIG_V1) {
            return Err("witness key: not a cosignature/v1 key".into());
        }
        let seed: [u8; 32] = raw[1..].try_into().map_err(|_| bad())?;
        let s = Self::from_key(name, SigningKey::from_bytes(&seed));
        if format!("{:08x}", s.id) != id {
            return Err("witness key: key id does not match".into());
        }
        Ok(s)
    }

    /// The verifier key (`<name>+<hex id>+<base64 0x04‖key>`), to publish.
    pub fn verifier_key(&self) -> String {
        let pubkey = [&[COSIG_V1][..], self.key.verifying_key().as_bytes()].concat();
        format!("{}+{:08x}+{}", self.name, self.id, B64.encode(pubkey))
    }

    /// The cosignature line (`— <name> <base64>\n`) over the checkpoint body `body` at `time`.
    pub fn cosign(&self, body: &[u8], time: u64) -> Result<String, String> {
        let sig = self.key.sign(&cosig_message(time, body));
        let mut field = time.to_be_bytes().to_vec();
        field.extend_from_slice(&sig.to_bytes());
        let s = NoteSignature::new(self.name.clone(), self.id, field).map_err(|e| e.to_string())?;
        String::from_utf8(s.to_bytes()).map_err(|e| e.to_string())
    }
}

/// A witness's `cosignature/v1` verifier.
#[derive(Clone, Debug)]
pub struct CosignatureVerifier {
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl CosignatureVerifier {
    /// Parses `<name>+<hex id>+<base64 0x04‖key>`.
    pub fn new(vkey: &str) -> Result<Self, TlogError> {
        let bad = |why: &str| TlogError::new("key_malformed", format!("witness key: {why}"));
        let parts: Vec<&str> = vkey.trim().splitn(3, '+').collect();
        let [name, id, b64] = parts[..] else {
            return Err(bad("expected <name>+<id>+<key>"));
        };
        let raw = B64.decode(b64).map_err(|_| bad("not base64"))?;
        if raw.first() != Some(&COSIG_V1) || raw.len() != 33 {
            return Err(bad("not an Ed25519 cosignature/v1 key"));
        }
        let id = u32::from_str_radix(id, 16).map_err(|_| bad("key id"))?;
        if id != signed_note::key_id(name, &raw) || !signed_note::is_key_name_valid(name) {
            return Err(bad("key id does not match"));
        }
        let key = VerifyingKey::try_from(&raw[1..]).map_err(|_| bad("not a curve point"))?;
        Ok(Self {
            name: name.to_string(),
            id,
            key,
        })
    }

    /// The witness's name.
    pub fn witness_name(&self) -> &str {
        &self.name
    }

    /// The time in a valid cosignature `sig` of note text `msg`.
    pub fn cosigned_at(&self, msg: &[u8], sig: &[u8]) -> Option<u64> {
        if sig.len() != 72 {
            return None;
        }
        let time = u64::from_be_bytes(sig[..8].try_into().ok()?);
        let s = ed25519_dalek::Signature::from_slice(&sig[8..]).ok()?;
        self.key
            .verify(&cosig_message(time, msg), &s)
            .ok()
            .map(|()| time)
    }
}

impl Verifier for CosignatureVerifier {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> u32 {
        self.id
    }
    fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        self.cosigned_at(msg, sig).is_some()
    }
}

/// A checkpoint whose log signature was checked.
#[derive(Debug)]
pub struct VerifiedCheckpoint {
    /// The checkpoint body.
    pub checkpoint: Checkpoint,
    /// The note's text (the body, as signed).
    pub text: Vec<u8>,
    /// Names of the required witnesses that cosigned it, with the cosignature times.
    pub witnessed: Vec<(String, u64)>,
}

/// Parses a signed checkpoint note, checks the log's signature, and requires a valid
/// cosignature of every witness in `witnesses` (`checkpoint_unwitnessed` otherwise).
pub fn verify_checkpoint(
    note: &[u8],
    log: &StandardVerifier,
    witnesses: &[CosignatureVerifier],
) -> Result<VerifiedCheckpoint, TlogError> {
    let malformed = |why: String| TlogError::new("checkpoint_malformed", why);
    let n = Note::from_bytes(note).map_err(|e| malformed(format!("not a signed note: {e}")))?;
    let list = VerifierList::new(vec![Box::new(log.clone())]);
    n.verify(&list).map_err(|e| {
        TlogError::new(
            "checkpoint_signature_invalid",
            format!("no valid signature of log {}: {e}", Verifier::name(log)),
        )
    })?;
    let checkpoint = Checkpoint::from_bytes(n.text())
        .map_err(|_| malformed("not a tlog-checkpoint body".into()))?;
    if checkpoint.origin() != Verifier::name(log) {
        return Err(malformed(format!(
            "origin {:?} is not the log key's name {:?}",
            checkpoint.origin(),
            Verifier::name(log)
        )));
    }
    let mut witnessed = Vec::new();
    for w in witnesses {
        let list = VerifierList::new(vec![Box::new(w.clone())]);
        match n.verify(&list) {
            Ok((sigs, _)) => {
                let time = sigs
                    .first()
                    .and_then(|s| w.cosigned_at(n.text(), s.signature()))
                    .unwrap_or_default();
                witnessed.push((w.name.clone(), time));
            }
            Err(signed_note::NoteError::UnverifiedNote) => {
                return Err(TlogError::new(
                    "checkpoint_unwitnessed",
                    format!(
                        "the checkpoint of size {} has no cosignature of witness {}",
                        checkpoint.size(),
                        w.name
                    ),
                ));
            }
            Err(e) => {
                return Err(TlogError::new(
                    "checkpoint_signature_invalid",
                    format!("cosignature of witness {}: {e}", w.name),
                ));
            }
        }
    }
    Ok(VerifiedCheckpoint {
        checkpoint,
        text: n.text().to_vec(),
        witnessed,
    })
}

// ---------------------------------------------------------------------------------------------
// tlog-proof@v1.

/// A parsed `c2sp.org/tlog-proof@v1` text.
#[derive(Clone, Debug, PartialEq)]
pub struct Proof {
    /// The leaf index.
    pub index: u64,
    /// The inclusion proof, leaf to root.
    pub hashes: Vec<Hash>,
    /// The signed (and maybe cosigned) checkpoint note.
    pub checkpoint: Vec<u8>,
}

/// A decimal number without sign or leading zeros.
pub fn parse_decimal(s: &str) -> Option<u64> {
    let n = s.parse::<u64>().ok()?;
    (n.to_string() == s).then_some(n)
}

/// Base64 lines of hashes.
pub fn hash_lines(hashes: &[Hash]) -> String {
    let mut out = String::new();
    for h in hashes {
        out.push_str(&B64.encode(h.0));
        out.push('\n');
    }
    out
}

/// Parses one base64 hash line.
pub fn parse_hash_line(line: &str) -> Option<Hash> {
    let raw = B64.decode(line.trim_end_matches('\r')).ok()?;
    Some(Hash(raw.try_into().ok()?))
}

impl Proof {
    /// The proof text.
    pub fn to_text(&self) -> String {
        let mut out = format!("{PROOF_HEADER}\nindex {}\n", self.index);
        out.push_str(&hash_lines(&self.hashes));
        out.push('\n');
        out.push_str(&String::from_utf8_lossy(&self.checkpoint));
        out
    }

    /// Parses a proof text (`extra` lines are skipped).
    pub fn parse(text: &str) -> Result<Self, TlogError> {
        let bad = |why: &str| TlogError::new("proof_malformed", why.to_string());
        let (head, checkpoint) = text
            .split_once("\n\n")
            .ok_or_else(|| bad("no blank line before the checkpoint"))?;
        let mut lines = head.lines();
        if lines.next() != Some(PROOF_HEADER) {
            return Err(bad("the first line is not c2sp.org/tlog-proof@v1"));
        }
        let mut line = lines.next().ok_or_else(|| bad("no index line"))?;
        if line.starts_with("extra ") {
            line = lines.next().ok_or_else(|| bad("no index line"))?;
        }
        let index = line
            .strip_prefix("index ")
            .and_then(parse_decimal)
            .ok_or_else(|| bad("bad index line"))?;
        let mut hashes = Vec::new();
        for l in lines {
            hashes.push(parse_hash_line(l).ok_or_else(|| bad("a proof line is not a hash"))?);
            if hashes.len() > MAX_PROOF_HASHES {
                return Err(bad("too many proof hashes"));
            }
        }
        Ok(Self {
            index,
            hashes,
            checkpoint: checkpoint.as_bytes().to_vec(),
        })
    }

    /// Checks this proof for a leaf: the log signature and witness policy of its checkpoint,
    /// then inclusion.
    pub fn verify(
        &self,
        leaf: Hash,
        log: &StandardVerifier,
        witnesses: &[CosignatureVerifier],
    ) -> Result<VerifiedCheckpoint, TlogError> {
        let cp = verify_checkpoint(&self.checkpoint, log, witnesses)?;
        check_inclusion(
            &self.hashes,
            cp.checkpoint.size(),
            *cp.checkpoint.hash(),
            self.index,
            leaf,
        )?;
        Ok(cp)
    }
}

/// Checks that the first `checkpoint.size()` of these ledger entries (their `entry_hash`es,
/// in index order) make exactly the checkpoint's tree: an export that lost, changed or
/// reordered an entry a checkpoint covers fails with `log_inconsistent`.
pub fn check_entries(entry_hashes: &[[u8; 32]], checkpoint: &Checkpoint) -> Result<(), TlogError> {
    let size = checkpoint.size();
    if (entry_hashes.len() as u64) < size {
        return Err(TlogError::new(
            "log_inconsistent",
            format!(
                "the export has {} entries but the checkpoint covers {size}: entries are missing",
                entry_hashes.len()
            ),
        ));
    }
    let leaves: Vec<Hash> = entry_hashes[..size as usize]
        .iter()
        .map(leaf_hash)
        .collect();
    let tree = MemoryTree::from_leaves(&leaves);
    if tree.root(size) != Some(*checkpoint.hash()) {
        return Err(TlogError::new(
            "log_inconsistent",
            format!(
                "the export's first {size} entries do not make the checkpoint's tree: history was rewritten"
            ),
        ));
    }
    Ok(())
}

/// SHA-256 hex of a string (the witness serves `/<hex sha256(origin)>/checkpoint`).
pub fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests;
