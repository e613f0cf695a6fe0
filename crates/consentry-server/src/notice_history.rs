//! The console's page of published notice versions (issue 15 item 6), for roles `auditor` and
//! `dpo`: every version in the `--notices` archive, what changed from the version before, and
//! what the lint found when it was built. Every read is a row of the audit trail.
//!
//! ```text
//! GET /console/api/notices
//!     {"notices":[{"notice_id","versions":[{version,build_time,current,locales,
//!      manifest_sha256,previous,material,changes,added_locales,removed_locales,
//!      lint:{recorded,errors,warnings,problem}}]}],"problems":[{dir,problem}]}
//! GET /console/api/notices/{notice id}/{version}
//!     {"notice_id","version","previous","structure","added_locales","removed_locales",
//!      "locales":[{"locale","dir","messages":[{"id","change","old","new"}]}],
//!      "lint":{"recorded","findings":[…]}}
//! ```
//!
//! Each version is read whole and checked as the receipt server checks it (every file the
//! manifest lists, by its SHA-256: core `PublishedBuild::read`); one that does not check out
//! is listed under `problems`, never shown as if it were fine. Versions are ordered as people
//! write them (core `compare_versions`) and each is compared with the one before by core
//! `versions::diff`, the comparison `consentry diff` and `consentry build` make. The lint
//! findings are the build's own record (`lint.json` in the version's archive directory,
//! written by `consentry build`): versions published before builds kept one say so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use consentry_core::bundle::archive::{LINT_RECORD, LINT_RECORD_SCHEMA};
use consentry_core::compile::versions::{
    self, BuildDiff, MessageChange, PublishedBuild, compare_versions,
};
use consentry_core::encoding::Sha256Digest;
use consentry_core::json::{self, Value};

use crate::AppState;
use crate::console::{ClientIp, no_store};
use crate::http::{ApiError, json_response};

/// The routes of the notice versions page's data.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/api/notices", get(list))
        .route("/console/api/notices/{id}/{version}", get(one))
}

/// What the build recorded of its lint.
#[derive(Clone, Debug, PartialEq)]
pub enum Lint {
    /// The version was published without a lint record (before builds kept one).
    NotRecorded,
    /// The findings, as `consentry lint --format json` prints them.
    Recorded(Vec<Value>),
    /// A record is there but is not one: what is wrong with it.
    Unreadable(String),
}

impl Lint {
    fn count(&self, severity: &str) -> i64 {
        match self {
            Lint::Recorded(f) => f
                .iter()
                .filter(|d| d.get("severity").and_then(Value::as_str) == Some(severity))
                .count()
                .try_into()
                .unwrap_or(i64::MAX),
            _ => 0,
        }
    }

    fn summary(&self) -> Value {
        let problem = match self {
            Lint::Unreadable(p) => Value::str(p.clone()),
            _ => Value::Null,
        };
        Value::object([
            ("recorded", Value::Bool(matches!(self, Lint::Recorded(_)))),
            ("errors", Value::Int(self.count("error"))),
            ("warnings", Value::Int(self.count("warning"))),
            ("problem", problem),
        ])
    }
}

/// One published version, read and checked.
#[derive(Clone, Debug)]
pub struct Version {
    /// The build.
    pub build: PublishedBuild,
    /// SHA-256 of its `manifest.json`.
    pub manifest_sha256: Sha256Digest,
    /// Whether a `--notices` directory serves it as its current version.
    pub current: bool,
    /// Its lint record.
    pub lint: Lint,
}

impl Version {
    fn id(&self) -> &str {
        self.build.manifest.notice_id.as_str()
    }
    fn version(&self) -> &str {
        &self.build.manifest.version
    }
}

/// Every version under some `--notices` directories.
#[derive(Clone, Debug, Default)]
pub struct Archive {
    /// By notice id, in version order.
    pub by_id: BTreeMap<String, Vec<Version>>,
    /// The directories that could not be read, with why.
    pub problems: Vec<(PathBuf, String)>,
}

/// Every version under `roots`, by notice id and in version order, and the directories that
/// could not be read (with why). Blocking file IO.
pub fn read_all(roots: &[PathBuf]) -> Archive {
    let mut problems: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut found: BTreeMap<(String, String), Version> = BTreeMap::new();
    // The versions served at the top of a root, with their manifest's digest.
    let mut current: Vec<((String, String), Sha256Digest)> = Vec::new();
    for root in roots {
        // The archive first: it holds every version with its lint record.
        let mut dirs = crate::notices::archive_dirs(root, &mut problems);
        if root.join("manifest.json").exists() {
            dirs.push(root.clone());
        }
        for dir in dirs {
            let v = match read_version(&dir) {
                Ok(v) => v,
                Err(why) => {
                    problems.insert(dir, why);
                    continue;
                }
            };
            let key = (v.id().to_owned(), v.version().to_owned());
            if dir == *root {
                current.push((key.clone(), v.manifest_sha256));
            }
            match found.get(&key) {
                Some(seen) if seen.manifest_sha256 != v.manifest_sha256 => {
                    problems.insert(
                        dir,
                        format!(
                            "{} version {} is published twice with different manifests ({} and {}): \
                             a published version never changes",
                            key.0,
                            key.1,
                            seen.manifest_sha256.to_hex(),
                            v.manifest_sha256.to_hex()
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    found.insert(key, v);
                }
            }
        }
    }
    let mut by_id: BTreeMap<String, Vec<Version>> = BTreeMap::new();
    for ((id, version), mut v) in found {
        // Current only if what is served is this very build (not another with its version).
        v.current = current.contains(&((id.clone(), version), v.manifest_sha256));
        by_id.entry(id).or_default().push(v);
    }
    for list in by_id.values_mut() {
        list.sort_by(|a, b| compare_versions(a.version(), b.version()));
    }
    Archive {
        by_id,
        problems: problems.into_iter().collect(),
    }
}

fn read_version(dir: &Path) -> Result<Version, String> {
    let manifest = std::fs::read(dir.join("manifest.json"))
        .map_err(|e| format!("cannot read manifest.json: {e}"))?;
    let build = PublishedBuild::read(&manifest, |name| {
        std::fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"))
    })?;
    Ok(Version {
        build,
        manifest_sha256: Sha256Digest::of(&manifest),
        current: false,
        lint: read_lint(dir),
    })
}

/// The lint record beside a version's manifest, if the build kept one.
pub fn read_lint(dir: &Path) -> Lint {
    let bytes = match std::fs::read(dir.join(LINT_RECORD)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Lint::NotRecorded,
        Err(e) => return Lint::Unreadable(format!("cannot read {LINT_RECORD}: {e}")),
    };
    let record = match json::parse(&bytes) {
        Ok(v) => v,
        Err(e) => return Lint::Unreadable(format!("{LINT_RECORD}: {e}")),
    };
    if record.get("schema").and_then(Value::as_str) != Some(LINT_RECORD_SCHEMA) {
        return Lint::Unreadable(format!("{LINT_RECORD}: schema is not {LINT_RECORD_SCHEMA}"));
    }
    let Some(findings) = record.get("findings").and_then(Value::as_array) else {
        return Lint::Unreadable(format!("{LINT_RECORD}: findings is not a list"));
    };
    let well_formed = |f: &Value| {
        ["code", "severity", "message", "file"]
            .iter()
            .all(|k| f.get(k).and_then(Value::as_str).is_some())
    };
    if let Some(i) = findings.iter().position(|f| !well_formed(f)) {
        return Lint::Unreadable(format!(
            "{LINT_RECORD}: finding {} lacks a code, severity, file or message",
            i + 1
        ));
    }
    Lint::Recorded(findings.to_vec())
}

fn strs<T: ToString>(items: &[T]) -> Value {
    Value::Arr(items.iter().map(|t| Value::str(t.to_string())).collect())
}

fn version_row(v: &Version, previous: Option<&Version>) -> Value {
    let m = &v.build.manifest;
    let diff = previous.map(|p| versions::diff(&p.build, &v.build));
    let opt = |s: Option<String>| s.map_or(Value::Null, Value::str);
    Value::object([
        ("version", Value::str(m.version.clone())),
        ("build_time", opt(m.build_time.clone())),
        ("current", Value::Bool(v.current)),
        ("locales", strs(&m.tags())),
        ("manifest_sha256", Value::str(v.manifest_sha256.to_hex())),
        ("previous", opt(previous.map(|p| p.version().to_owned()))),
        (
            "material",
            Value::Bool(diff.as_ref().is_some_and(BuildDiff::is_material)),
        ),
        ("changes", opt(diff.as_ref().map(versions::summary))),
        (
            "added_locales",
            strs(diff.as_ref().map_or(&[][..], |d| &d.added_locales)),
        ),
        (
            "removed_locales",
            strs(diff.as_ref().map_or(&[][..], |d| &d.removed_locales)),
        ),
        ("lint", v.lint.summary()),
    ])
}

/// The list: every notice id with its versions, newest first, and what could not be read.
pub fn list_json(archive: &Archive) -> Value {
    let notices = archive
        .by_id
        .iter()
        .map(|(id, list)| {
            let rows = (0..list.len())
                .rev()
                .map(|i| version_row(&list[i], i.checked_sub(1).map(|p| &list[p])))
                .collect();
            Value::object([
                ("notice_id", Value::str(id.clone())),
                ("versions", Value::Arr(rows)),
            ])
        })
        .collect();
    let problems = archive
        .problems
        .iter()
        .map(|(dir, p)| {
            Value::object([
                ("dir", Value::str(dir.display().to_string())),
                ("problem", Value::str(p.clone())),
            ])
        })
        .collect();
    Value::object([
        ("notices", Value::Arr(notices)),
        ("problems", Value::Arr(problems)),
    ])
}

/// One version: its changes from the one before, message by message, and its lint findings.
pub fn version_json(list: &[Version], i: usize) -> Value {
    let v = &list[i];
    let previous = i.checked_sub(1).map(|p| &list[p]);
    let diff = previous.map(|p| versions::diff(&p.build, &v.build));
    let d = diff.unwrap_or_default();
    let locales = d
        .locales
        .iter()
        .map(|l| {
            let dir = v
                .build
                .manifest
                .entry(&l.locale)
                .map_or("ltr", |e| e.dir.as_str());
            let messages = l
                .messages
                .iter()
                .map(|c| {
                    let (change, old, new) = match c {
                        MessageChange::Added { new, .. } => ("added", None, Some(new)),
                        MessageChange::Removed { old, .. } => ("removed", Some(old), None),
                        MessageChange::Changed { old, new, .. } => {
                            ("changed", Some(old), Some(new))
                        }
                    };
                    let text =
                        |t: Option<&String>| t.map_or(Value::Null, |t| Value::str(t.clone()));
                    Value::object([
                        ("id", Value::str(c.id())),
                        ("change", Value::str(change)),
                        ("old", text(old)),
                        ("new", text(new)),
                    ])
                })
                .collect();
            Value::object([
                ("locale", Value::str(l.locale.to_string())),
                ("dir", Value::str(dir)),
                ("messages", Value::Arr(messages)),
            ])
        })
        .collect();
    let lint = match &v.lint {
        Lint::Recorded(f) => Value::object([
            ("recorded", Value::Bool(true)),
            ("findings", Value::Arr(f.clone())),
        ]),
        Lint::NotRecorded => Value::object([("recorded", Value::Bool(false))]),
        Lint::Unreadable(p) => Value::object([
            ("recorded", Value::Bool(false)),
            ("problem", Value::str(p.clone())),
        ]),
    };
    Value::object([
        ("notice_id", Value::str(v.id())),
        ("version", Value::str(v.version())),
        (
            "previous",
            previous.map_or(Value::Null, |p| Value::str(p.version())),
        ),
        ("structure", strs(&d.structure)),
        ("added_locales", strs(&d.added_locales)),
        ("removed_locales", strs(&d.removed_locales)),
        ("locales", Value::Arr(locales)),
        ("lint", lint),
    ])
}

fn answer(body: &Value) -> Response {
    no_store(json_response(
        StatusCode::OK,
        json::to_canonical_string(body).into_bytes(),
    ))
}

async fn read_archive(st: &AppState) -> Result<Archive, Response> {
    let roots = st.notice_dirs.clone();
    tokio::task::spawn_blocking(move || read_all(&roots))
        .await
        .map_err(|e| ApiError::internal(&e).into_response())
}

async fn list(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let route = "/console/api/notices";
    crate::dashboard::read(&st, &headers, &ip, route, route.to_owned()).await?;
    Ok(answer(&list_json(&read_archive(&st).await?)))
}

async fn one(
    State(st): State<AppState>,
    ClientIp(ip, _): ClientIp,
    headers: HeaderMap,
    UrlPath((id, version)): UrlPath<(String, String)>,
) -> Result<Response, Response> {
    let route = "/console/api/notices/{id}/{version}";
    // The names are looked up among the versions read, never joined into a path.
    let detail = format!("/console/api/notices/{id}/{version}");
    crate::dashboard::read(&st, &headers, &ip, route, detail).await?;
    let archive = read_archive(&st).await?;
    let Some((list, i)) = archive.by_id.get(&id).and_then(|list| {
        list.iter()
            .position(|v| v.version() == version)
            .map(|i| (list, i))
    }) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_version",
            format!("notice {id:?} has no published version {version:?} in the archive"),
        )
        .into_response());
    };
    Ok(answer(&version_json(list, i)))
}
