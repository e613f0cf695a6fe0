//! The published notices the server accepts receipts for: every complete version in the
//! `--notices` directories (a `consentry build` output with its `archive/`, or a single build),
//! loaded at start and picked up while running (ADR 0010).
//!
//! - [`NoticeArchive`] reads the directories: the build at the top (`manifest.json`, the
//!   current version) and every `archive/<notice id>/<version>/`. A version is added to the
//!   registry whole or not at all: its manifest, every file it lists and their SHA-256 must
//!   all check out. A version that does not (being copied, or broken) is logged and tried
//!   again at the next scan; names that begin with `.` (a `consentry build` still publishing,
//!   or one that crashed) are never read. Versions only ever get added: one that disappears
//!   from the disk stays accepted until the server restarts.
//! - [`SharedPolicy`] holds the current [`VerifyPolicy`]; each receipt takes a reference to it
//!   (a read lock held for one `Arc` clone), and [`watch`] swaps in a new one when a scan
//!   added versions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use consentry_core::bundle::Manifest;
use consentry_core::bundle::archive::{ARCHIVE_DIR, is_in_progress, version_dir_name};
use consentry_core::encoding::Sha256Digest;
use consentry_core::receipt::verify::{NoticeRegistry, RegistryError, VerifyPolicy};

/// How often [`watch`] looks for newly published versions by default.
pub const DEFAULT_POLL: Duration = Duration::from_secs(1);

/// Why `--notices` could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NoticesError {
    /// `manifest.json` could not be read.
    #[error("cannot read {path}: {source}")]
    Manifest {
        /// The manifest path.
        path: String,
        /// The IO error.
        source: std::io::Error,
    },
    /// The build is inconsistent (bad manifest, digest mismatch, unreadable file, …).
    #[error("notice build {dir}: {source}")]
    Build {
        /// The build directory.
        dir: String,
        /// What is wrong.
        source: RegistryError,
    },
    /// A `--notices` directory cannot be read.
    #[error("cannot read {dir}: {source}")]
    Dir {
        /// The directory.
        dir: String,
        /// The IO error.
        source: std::io::Error,
    },
    /// The directories hold no complete notice version.
    #[error(
        "{dirs} holds no complete notice version (a manifest.json, or archive/<notice id>/<version>/manifest.json, with every file it lists){problems}"
    )]
    Empty {
        /// The directories, as given.
        dirs: String,
        /// What was found wrong, one `; `-separated item each (empty if nothing was found).
        problems: String,
    },
}

/// Reads `<dir>/manifest.json` and every locale file it lists into a registry. Blocking file
/// IO.
pub fn load_notice_build(dir: &Path) -> Result<NoticeRegistry, NoticesError> {
    let mut registry = NoticeRegistry::new();
    add_build(&mut registry, dir)?;
    Ok(registry)
}

/// Adds the build in `dir` to `registry`, whole or (on error) not at all. Returns the manifest
/// and its digest.
fn add_build(
    registry: &mut NoticeRegistry,
    dir: &Path,
) -> Result<(Manifest, Sha256Digest), NoticesError> {
    let manifest_path = dir.join("manifest.json");
    let manifest = std::fs::read(&manifest_path).map_err(|source| NoticesError::Manifest {
        path: manifest_path.display().to_string(),
        source,
    })?;
    let build = |source| NoticesError::Build {
        dir: dir.display().to_string(),
        source,
    };
    let m = Manifest::from_json(&manifest).map_err(|e| build(RegistryError::Manifest(e)))?;
    registry
        .add_build(&manifest, |name| {
            std::fs::read(dir.join(name)).map_err(|e| e.to_string())
        })
        .map_err(build)?;
    Ok((m, Sha256Digest::of(&manifest)))
}

/// A version a scan added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The build directory it was read from.
    pub dir: PathBuf,
    /// Its notice id.
    pub notice_id: String,
    /// Its version.
    pub version: String,
    /// How many locales it has.
    pub locales: usize,
}

/// What one [`NoticeArchive::scan`] found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Versions added to the registry.
    pub added: Vec<Published>,
    /// Build directories that could not be loaded (yet), with the reason, reported once per
    /// distinct reason.
    pub new_problems: Vec<(PathBuf, String)>,
}

/// Every complete notice version under some directories, and what could not be loaded.
#[derive(Debug)]
pub struct NoticeArchive {
    roots: Vec<PathBuf>,
    registry: NoticeRegistry,
    /// `archive/<id>/<version>/` directories loaded (immutable once published: never re-read).
    loaded_dirs: BTreeSet<PathBuf>,
    /// Each root's `manifest.json` last loaded (it changes when a new version is built).
    loaded_roots: BTreeMap<PathBuf, Sha256Digest>,
    /// The last problem reported per build directory (so each is logged once, not per scan).
    problems: BTreeMap<PathBuf, String>,
    versions: usize,
}

impl NoticeArchive {
    /// Reads every complete version under `roots` (each a directory). Refused when a root is
    /// not a readable directory, or when there is no complete version at all; incomplete
    /// versions beside complete ones are only reported (in [`NoticeArchive::problems`]) and
    /// tried again at the next [`NoticeArchive::scan`].
    pub fn open(roots: Vec<PathBuf>) -> Result<(Self, Scan), NoticesError> {
        for root in &roots {
            std::fs::read_dir(root).map_err(|source| NoticesError::Dir {
                dir: root.display().to_string(),
                source,
            })?;
        }
        let mut archive = Self {
            roots,
            registry: NoticeRegistry::new(),
            loaded_dirs: BTreeSet::new(),
            loaded_roots: BTreeMap::new(),
            problems: BTreeMap::new(),
            versions: 0,
        };
        let scan = archive.scan();
        if archive.registry.is_empty() {
            let problems: Vec<String> = scan
                .new_problems
                .iter()
                .map(|(d, p)| format!("{}: {p}", d.display()))
                .collect();
            return Err(NoticesError::Empty {
                dirs: archive
                    .roots
                    .iter()
                    .map(|r| r.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                problems: if problems.is_empty() {
                    String::new()
                } else {
                    format!(": {}", problems.join("; "))
                },
            });
        }
        Ok((archive, scan))
    }

    /// Every locale of every version loaded so far.
    pub fn registry(&self) -> &NoticeRegistry {
        &self.registry
    }

    /// How many versions (builds) are loaded.
    pub fn versions(&self) -> usize {
        self.versions
    }

    /// The build directories that could not be loaded at the last scan, with the reason.
    pub fn problems(&self) -> &BTreeMap<PathBuf, String> {
        &self.problems
    }

    /// Loads the versions published since the last scan. Blocking file IO.
    pub fn scan(&mut self) -> Scan {
        let mut scan = Scan::default();
        let mut failing = BTreeMap::new();
        for root in self.roots.clone() {
            // The build at the top: the current version of a `consentry build` output, or a
            // single build.
            if root.join("manifest.json").exists() {
                self.scan_root(&root, &mut scan, &mut failing);
            }
            for dir in archive_dirs(&root, &mut failing) {
                if !self.loaded_dirs.contains(&dir) {
                    self.scan_version(&dir, &mut scan, &mut failing);
                }
            }
        }
        for (dir, problem) in &failing {
            if self.problems.get(dir) != Some(problem) {
                scan.new_problems.push((dir.clone(), problem.clone()));
            }
        }
        self.problems = failing;
        scan
    }

    fn scan_root(&mut self, root: &Path, scan: &mut Scan, failing: &mut BTreeMap<PathBuf, String>) {
        let digest = std::fs::read(root.join("manifest.json"))
            .ok()
            .map(|m| Sha256Digest::of(&m));
        if digest.is_some() && self.loaded_roots.get(root) == digest.as_ref() {
            return;
        }
        match add_build(&mut self.registry, root) {
            Ok((m, digest)) => {
                self.loaded_roots.insert(root.to_path_buf(), digest);
                self.note_added(root, &m, scan);
            }
            Err(e) => {
                failing.insert(root.to_path_buf(), e.to_string());
            }
        }
    }

    fn scan_version(
        &mut self,
        dir: &Path,
        scan: &mut Scan,
        failing: &mut BTreeMap<PathBuf, String>,
    ) {
        // The directory must be the one its manifest names: archive/<notice id>/<version>/.
        let named = std::fs::read(dir.join("manifest.json"))
            .ok()
            .and_then(|m| Manifest::from_json(&m).ok())
            .map(|m| {
                let id = dir
                    .parent()
                    .and_then(Path::file_name)
                    .is_some_and(|n| n == m.notice_id.as_str());
                let version = dir
                    .file_name()
                    .zip(version_dir_name(&m.version))
                    .is_some_and(|(n, want)| n == want.as_str());
                (id && version, m)
            });
        if let Some((false, m)) = &named {
            failing.insert(
                dir.to_path_buf(),
                format!(
                    "holds {} version {:?}, which belongs in {ARCHIVE_DIR}/{}/{}",
                    m.notice_id.as_str(),
                    m.version,
                    m.notice_id.as_str(),
                    version_dir_name(&m.version).unwrap_or_default()
                ),
            );
            return;
        }
        match add_build(&mut self.registry, dir) {
            Ok((m, _)) => {
                self.loaded_dirs.insert(dir.to_path_buf());
                self.note_added(dir, &m, scan);
            }
            Err(e) => {
                failing.insert(dir.to_path_buf(), e.to_string());
            }
        }
    }

    fn note_added(&mut self, dir: &Path, m: &Manifest, scan: &mut Scan) {
        self.versions += 1;
        scan.added.push(Published {
            dir: dir.to_path_buf(),
            notice_id: m.notice_id.as_str().to_owned(),
            version: m.version.clone(),
            locales: m.locales.len(),
        });
    }
}

/// The version directories `<root>/archive/<id>/<version>/`, skipping names that begin with
/// `.` (publishing in progress). An archive that cannot be listed is a problem of its own.
pub(crate) fn archive_dirs(root: &Path, failing: &mut BTreeMap<PathBuf, String>) -> Vec<PathBuf> {
    let archive = root.join(ARCHIVE_DIR);
    let mut out = Vec::new();
    if !archive.is_dir() {
        return out;
    }
    let mut list = |dir: &Path| -> Vec<PathBuf> {
        match std::fs::read_dir(dir) {
            Ok(entries) => {
                let mut dirs: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .filter(|e| !is_in_progress(&e.file_name().to_string_lossy()))
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect();
                dirs.sort();
                dirs
            }
            Err(e) => {
                failing.insert(dir.to_path_buf(), format!("cannot list: {e}"));
                Vec::new()
            }
        }
    };
    for id in list(&archive) {
        out.extend(list(&id));
    }
    out
}

/// The [`VerifyPolicy`] receipts are verified against, replaced whole when notices are
/// published. Reading it costs one uncontended read lock and an `Arc` clone per receipt.
#[derive(Debug, Default)]
pub struct SharedPolicy {
    current: RwLock<Arc<VerifyPolicy>>,
}

impl SharedPolicy {
    /// Starts with `policy`.
    pub fn new(policy: VerifyPolicy) -> Self {
        Self {
            current: RwLock::new(Arc::new(policy)),
        }
    }

    /// The policy now (receipts being verified keep the one they took).
    pub fn load(&self) -> Arc<VerifyPolicy> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the policy for the receipts that arrive from now on.
    pub fn store(&self, policy: VerifyPolicy) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(policy);
    }
}

fn log_scan(scan: &Scan) {
    for p in &scan.added {
        tracing::info!(
            dir = %p.dir.display(),
            notice_id = %p.notice_id,
            version = %p.version,
            locales = p.locales,
            "notice version published: receipts for it are accepted"
        );
    }
    for (dir, problem) in &scan.new_problems {
        tracing::warn!(
            dir = %dir.display(),
            problem = %problem,
            "notice version not loaded (tried again every scan)"
        );
    }
}

/// Logs what [`NoticeArchive::open`] found.
pub fn log_opened(archive: &NoticeArchive, scan: &Scan) {
    log_scan(scan);
    tracing::info!(
        versions = archive.versions(),
        locales = archive.registry().len(),
        "notices loaded: receipts must name a published notice"
    );
}

/// Scans `archive` every `every` and publishes what it added into `policy`; runs until the
/// runtime stops. Spawn it on a Tokio runtime.
pub async fn watch(mut archive: NoticeArchive, policy: Arc<SharedPolicy>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await; // the first tick is immediate; `open` has just scanned
    loop {
        tick.tick().await;
        let done = tokio::task::spawn_blocking(move || {
            let scan = archive.scan();
            (archive, scan)
        })
        .await;
        let Ok((a, scan)) = done else {
            tracing::error!("the notice scan panicked; newly published notices are not loaded");
            return;
        };
        archive = a;
        log_scan(&scan);
        if !scan.added.is_empty() {
            policy.store(VerifyPolicy {
                notices: Some(archive.registry().clone()),
            });
        }
    }
}
