//! The witness side of C2SP `tlog-witness`: `add-checkpoint` checked against the last
//! checkpoint this witness cosigned, which is persisted (atomically) before it cosigns.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use signed_note::{Note, Verifier as _, VerifierList};
use tlog_tiles::{Checkpoint, Hash};

use crate::{
    CosignatureSigner, MAX_PROOF_HASHES, StandardVerifier, check_consistency, parse_decimal,
    parse_hash_line, sha256_hex,
};

/// What the witness has cosigned last for its log.
#[derive(Clone, Debug, PartialEq)]
pub struct WitnessState {
    /// Tree size.
    pub size: u64,
    /// Root.
    pub root: Hash,
    /// The checkpoint note as received, with this witness's cosignature.
    pub note: String,
}

/// An HTTP answer: status, content type, body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WitnessAnswer {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Body.
    pub body: String,
}

impl WitnessAnswer {
    fn text(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.into(),
        }
    }
}

/// A witness of one log.
pub struct Witness {
    log: StandardVerifier,
    signer: CosignatureSigner,
    dir: PathBuf,
    state: Mutex<Option<WitnessState>>,
}

impl std::fmt::Debug for Witness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Witness")
            .field("log", &self.log.name())
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn parse_checkpoint_note(
    note: &[u8],
    log: &StandardVerifier,
) -> Result<(Checkpoint, Note), (u16, String)> {
    let n = Note::from_bytes(note).map_err(|e| (400, format!("not a signed note: {e}")))?;
    let cp =
        Checkpoint::from_bytes(n.text()).map_err(|_| (400, "not a tlog-checkpoint".to_string()))?;
    if cp.origin() != log.name() {
        return Err((404, format!("unknown log origin {:?}", cp.origin())));
    }
    let list = VerifierList::new(vec![Box::new(log.clone())]);
    n.verify(&list)
        .map_err(|e| (403, format!("no valid log signature: {e}")))?;
    Ok((cp, n))
}

impl Witness {
    /// A witness of the log with verifier `log`, keeping its state in `dir` (created 0700).
    pub fn open(
        log: StandardVerifier,
        signer: CosignatureSigner,
        dir: &Path,
    ) -> Result<Self, String> {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let w = Self {
            log,
            signer,
            dir: dir.to_path_buf(),
            state: Mutex::new(None),
        };
        let path = w.state_path();
        let state = match std::fs::read(&path) {
            Ok(bytes) => {
                let (cp, _) = parse_checkpoint_note(&bytes, &w.log).map_err(|(_, e)| {
                    format!(
                        "state file {} is not a checkpoint of the log: {e}",
                        path.display()
                    )
                })?;
                Some(WitnessState {
                    size: cp.size(),
                    root: *cp.hash(),
                    note: String::from_utf8_lossy(&bytes).into_owned(),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        *w.state.lock().map_err(|_| "poisoned")? = state;
        Ok(w)
    }

    fn state_path(&self) -> PathBuf {
        self.dir
            .join(format!("{}.checkpoint", sha256_hex(self.log.name())))
    }

    /// The origin of the log witnessed.
    pub fn origin(&self) -> &str {
        self.log.name()
    }

    /// The witness's verifier key.
    pub fn verifier_key(&self) -> String {
        self.signer.verifier_key()
    }

    /// The last checkpoint cosigned (log-signed note, as received).
    pub fn latest(&self) -> Option<WitnessState> {
        self.state.lock().ok().and_then(|s| s.clone())
    }

    /// `POST add-checkpoint` with this body at unix time `now`.
    pub fn add_checkpoint(&self, body: &[u8], now: u64) -> WitnessAnswer {
        match self.add(body, now) {
            Ok(a) => a,
            Err((status, msg)) => WitnessAnswer::text(status, format!("{msg}\n")),
        }
    }

    fn add(&self, body: &[u8], now: u64) -> Result<WitnessAnswer, (u16, String)> {
        let text = std::str::from_utf8(body).map_err(|_| (400, "not UTF-8".to_string()))?;
        let (head, note) = text
            .split_once("\n\n")
            .ok_or((400, "no blank line before the checkpoint".to_string()))?;
        let mut lines = head.split('\n');
        let old = lines
            .next()
            .and_then(|l| l.strip_prefix("old "))
            .and_then(parse_decimal)
            .ok_or((400, "the first line is not `old <size>`".to_string()))?;
        let mut proof = Vec::new();
        for l in lines {
            proof.push(parse_hash_line(l).ok_or((400, "a proof line is not a hash".to_string()))?);
            if proof.len() > MAX_PROOF_HASHES {
                return Err((400, "too many proof lines".into()));
            }
        }
        let (cp, n) = parse_checkpoint_note(note.as_bytes(), &self.log)?;
        if old > cp.size() {
            return Err((
                400,
                format!("old size {old} is above the checkpoint's {}", cp.size()),
            ));
        }
        // Check and persist under one lock: no two requests can both move from one state.
        let mut guard = self
            .state
            .lock()
            .map_err(|_| (500, "state lock poisoned".to_string()))?;
        let (last_size, last_root) = guard
            .as_ref()
            .map_or((0, tlog_tiles::EMPTY_HASH), |s| (s.size, s.root));
        if old != last_size {
            return Ok(WitnessAnswer {
                status: 409,
                content_type: "text/x.tlog.size",
                body: format!("{last_size}\n"),
            });
        }
        if let Err(e) = check_consistency(&proof, last_size, last_root, cp.size(), *cp.hash()) {
            self.keep_evidence(note, &e.message);
            return Err((422, e.message));
        }
        let line = self
            .signer
            .cosign(n.text(), now)
            .map_err(|e| (500, format!("cannot cosign: {e}")))?;
        if cp.size() > last_size || guard.is_none() {
            // Stored with our cosignature: what monitors fetch, and what we answer for.
            let cosigned = format!("{note}{line}");
            self.persist(&cosigned)
                .map_err(|e| (500, format!("cannot store the checkpoint: {e}")))?;
            *guard = Some(WitnessState {
                size: cp.size(),
                root: *cp.hash(),
                note: cosigned,
            });
        }
        drop(guard);
        Ok(WitnessAnswer::text(200, line))
    }

    /// Writes the state file atomically: a temporary file, fsync, rename, fsync the directory.
    fn persist(&self, note: &str) -> std::io::Result<()> {
        let path = self.state_path();
        let tmp = path.with_extension("tmp");
        {
            let mut o = std::fs::OpenOptions::new();
            o.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
            let mut f = o.open(&tmp)?;
            f.write_all(note.as_bytes())?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(&self.dir)?.sync_all()
    }

    /// Keeps a refused checkpoint (the log signed it: it proves the log's misbehaviour).
    fn keep_evidence(&self, note: &str, why: &str) {
        let ev = self.dir.join("refused");
        let _ = std::fs::create_dir_all(&ev);
        let name = format!("{}.txt", sha256_hex(note));
        let _ = std::fs::write(ev.join(name), format!("{why}\n\n{note}"));
    }
}
