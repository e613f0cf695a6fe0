//! `consentry build <dir> -o <out> [--build-time <RFC3339>]`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    /// Output directory; created if needed. Earlier notice.*.json files in it are removed, so
    /// it holds exactly one build.
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
    if let Err(e) = write(&build, &args.out) {
        return exit::io_failure(e);
    }
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
    ExitCode::from(exit::CLEAN)
}

/// Writes the locale files, then the manifest, then removes locale files of earlier builds.
fn write(build: &Build, out: &Path) -> Result<(), String> {
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    // Locale files first and the manifest last: a reader never sees a manifest that points at
    // files not yet written.
    let (manifest, locales): (Vec<_>, Vec<_>) =
        build.files.iter().partition(|f| f.name == MANIFEST_FILE);
    for f in locales.iter().chain(manifest.iter()) {
        let path = out.join(&f.name);
        fs::write(&path, &f.bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let entries = fs::read_dir(out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", out.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale = name.starts_with("notice.")
            && name.ends_with(".json")
            && !build.files.iter().any(|f| f.name == name);
        if stale {
            let path = entry.path();
            fs::remove_file(&path)
                .map_err(|e| format!("cannot remove stale {}: {e}", path.display()))?;
        }
    }
    Ok(())
}
