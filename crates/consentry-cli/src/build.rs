//! `consentry build <dir> -o <out> [--build-time <RFC3339>]`.
//!
//! Publishes the build into `<out>` (ADR 0010): the version goes into
//! `<out>/archive/<notice id>/<version>/`, written under a temporary name beginning with `.`
//! and renamed when complete, and is never changed or removed afterwards; then its files and
//! (last, by an atomic rename) its `manifest.json` become the current version at the top of
//! `<out>`, where the site loads them. Nothing is ever deleted.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use consentry_core::bundle::archive::{
    ARCHIVE_DIR, LINT_RECORD, LINT_RECORD_SCHEMA, version_dir_name,
};
use consentry_core::compile::{self, Build, CompileOptions, MANIFEST_FILE};
use consentry_core::diagnostics;
use consentry_core::time::Timestamp;

use crate::exit;
use crate::lint::human_report;
use crate::source;

/// Arguments of `consentry build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The locales directory (notice.toml and <language-tag>.ftl files).
    pub dir: PathBuf,
    /// Output directory; created if needed. Its manifest.json becomes this build; every
    /// version ever built into it stays in its archive/ directory (nothing is removed).
    #[arg(short, long)]
    pub out: PathBuf,
    /// Build time to record in the manifest (UTC, e.g. 2026-11-27T09:00:00Z). Never taken
    /// from the clock, so builds are reproducible.
    #[arg(long, value_parser = parse_time)]
    pub build_time: Option<Timestamp>,
    /// The previously published build to compare with (default: the output directory, if it
    /// holds a manifest.json). Text that changed without a new version is an error (V001).
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
}

fn parse_time(s: &str) -> Result<Timestamp, String> {
    Timestamp::parse_rfc3339(s).map_err(|e| e.to_string())
}

/// Exit 0 after writing the build, 1 (writing nothing) if the sources have errors, 2 on
/// IO failure.
pub fn run(args: Args) -> ExitCode {
    let files = match source::read_locales(&args.dir) {
        Ok(f) => f,
        Err(e) => return exit::io_failure(e),
    };
    let dir = source::dir_label(&args.dir);
    let mut options = CompileOptions::with_build_time(args.build_time);
    let previous_dir = args.previous.as_deref().unwrap_or(&args.out);
    let has_manifest = previous_dir.join(MANIFEST_FILE).is_file();
    if args.previous.is_some() && !has_manifest {
        return exit::io_failure(format!(
            "--previous {}: there is no {MANIFEST_FILE} there",
            previous_dir.display()
        ));
    }
    if has_manifest {
        options = options.with_previous(source::read_published(previous_dir));
    }
    let compiled = compile::compile(&dir, &files, &options);
    if !compiled.diagnostics.is_empty() {
        eprint!("{}", human_report(&dir, &compiled.diagnostics, &files));
    }
    let Some(build) = compiled.build else {
        eprintln!(
            "build failed: nothing was written to {}",
            args.out.display()
        );
        return ExitCode::from(exit::FINDINGS);
    };
    let lint = lint_record(&dir, &compiled.diagnostics);
    let archived = match publish(&build, &args.out, &lint) {
        Ok(a) => a,
        Err(Refusal::Changed(msg)) => {
            eprintln!("error: {msg}");
            eprintln!(
                "build failed: nothing was written to {}",
                args.out.display()
            );
            return ExitCode::from(exit::FINDINGS);
        }
        Err(Refusal::Io(msg)) => return exit::io_failure(msg),
    };
    let (_, warnings) = diagnostics::count(&compiled.diagnostics);
    println!(
        "built {} version {}: {} locale{} ({}) in {}{}",
        build.manifest.notice_id,
        build.manifest.version,
        build.bundles.len(),
        if build.bundles.len() == 1 { "" } else { "s" },
        build
            .manifest
            .locales
            .iter()
            .map(|e| e.locale.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        args.out.display(),
        if warnings > 0 {
            format!(
                " ({warnings} warning{})",
                if warnings == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        }
    );
    for f in &build.files {
        println!("  {}", f.name);
    }
    match archived {
        Archived::New(dir) => println!("published in {}", dir.display()),
        Archived::Unchanged(dir) => println!(
            "already published in {} with the same bytes: unchanged",
            dir.display()
        ),
    }
    ExitCode::from(exit::CLEAN)
}

/// Where the version went in the archive.
enum Archived {
    /// Published now, into this directory.
    New(PathBuf),
    /// This directory already held exactly these bytes.
    Unchanged(PathBuf),
}

/// Why a build was not published.
enum Refusal {
    /// The version is already published with other bytes, or a published file would change.
    Changed(String),
    /// A file or directory could not be read or written.
    Io(String),
}

impl From<String> for Refusal {
    fn from(s: String) -> Self {
        Refusal::Io(s)
    }
}

/// The version's lint record ([`LINT_RECORD`]): what the lint found in the sources it was
/// built from (warnings only: a finding of severity error stops the build), each file named
/// as in the locales directory (`fr.ftl`), not where that directory happened to be.
fn lint_record(dir: &str, found: &[diagnostics::Diagnostic]) -> String {
    let prefix = format!("{}/", dir.trim_end_matches('/'));
    let found: Vec<diagnostics::Diagnostic> = found
        .iter()
        .cloned()
        .map(|mut d| {
            if let Some(name) = d.file.strip_prefix(&prefix) {
                d.file = name.to_owned();
            }
            d
        })
        .collect();
    format!(
        "{{\"findings\":{},\"schema\":\"{LINT_RECORD_SCHEMA}\"}}",
        diagnostics::render_json(&found)
    )
}

/// Publishes `build` into `out`: its version into the archive with its lint record (unless
/// there already, byte-identical), then its files and manifest at the top. Never deletes or
/// rewrites a published file.
fn publish(build: &Build, out: &Path, lint: &str) -> Result<Archived, Refusal> {
    let m = &build.manifest;
    let version_dir = version_dir_name(&m.version).ok_or_else(|| {
        Refusal::Changed("the notice's version is empty: give it a version in notice.toml".into())
    })?;
    let notice_dir = out.join(ARCHIVE_DIR).join(m.notice_id.as_str());
    let dir = notice_dir.join(&version_dir);
    // The current version's files at the top are content-addressed: one already there must be
    // these bytes (checked before anything is written).
    let (manifest, locales): (Vec<_>, Vec<_>) =
        build.files.iter().partition(|f| f.name == MANIFEST_FILE);
    let mut missing = Vec::new();
    for f in locales {
        let path = out.join(&f.name);
        match fs::read(&path) {
            Ok(bytes) if bytes == f.bytes => {}
            Ok(_) => {
                return Err(Refusal::Changed(format!(
                    "{} exists with other bytes; a published file is never overwritten",
                    path.display()
                )));
            }
            Err(_) => missing.push(f),
        }
    }
    fs::create_dir_all(&notice_dir)
        .map_err(|e| format!("cannot create {}: {e}", notice_dir.display()))?;
    let archived = if dir.exists() {
        same_as_published(build, &dir)?;
        Archived::Unchanged(dir)
    } else {
        // Complete under a name readers skip, then renamed: the version appears whole or not
        // at all, even if this process dies half-way (a `.…tmp-<pid>` directory is left).
        let tmp = notice_dir.join(format!(".{version_dir}.tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| format!("cannot clear {}: {e}", tmp.display()))?;
        }
        fs::create_dir(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
        for f in &build.files {
            write_synced(&tmp.join(&f.name), &f.bytes)?;
        }
        write_synced(&tmp.join(LINT_RECORD), lint.as_bytes())?;
        sync_dir(&tmp)?;
        match fs::rename(&tmp, &dir) {
            Ok(()) => {
                sync_dir(&notice_dir)?;
                Archived::New(dir)
            }
            // Another build published this version first.
            Err(_) if dir.exists() => {
                let _ = fs::remove_dir_all(&tmp);
                same_as_published(build, &dir)?;
                Archived::Unchanged(dir)
            }
            Err(e) => {
                return Err(Refusal::Io(format!(
                    "cannot publish {} as {}: {e}",
                    tmp.display(),
                    dir.display()
                )));
            }
        }
    };
    // The current version at the top, where the site loads it: the content-addressed files
    // first (they never change under their name), the manifest last.
    for f in missing.into_iter().chain(manifest) {
        write_atomic(out, &f.name, &f.bytes)?;
    }
    Ok(archived)
}

/// Whether the published version in `dir` holds exactly the files of `build`.
fn same_as_published(build: &Build, dir: &Path) -> Result<(), Refusal> {
    for f in &build.files {
        let path = dir.join(&f.name);
        let same = fs::read(&path).is_ok_and(|b| b == f.bytes);
        if !same {
            return Err(Refusal::Changed(format!(
                "{} version {:?} is already published in {} with other bytes ({} differs); \
                 a published version never changes: give the notice a new version in notice.toml",
                build.manifest.notice_id.as_str(),
                build.manifest.version,
                dir.display(),
                f.name
            )));
        }
    }
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut f =
        fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn sync_dir(dir: &Path) -> Result<(), String> {
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| format!("cannot sync {}: {e}", dir.display()))
}

/// Writes `dir/name` through a temporary file and a rename: a reader sees the old file or the
/// whole new one.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    write_synced(&tmp, bytes)?;
    let path = dir.join(name);
    fs::rename(&tmp, &path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}
