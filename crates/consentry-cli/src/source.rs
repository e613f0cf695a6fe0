//! Reading a locales directory into the files core needs.

use std::fs;
use std::io;
use std::path::Path;

use consentry_core::compile::versions::PublishedBuild;
use consentry_core::compile::{MANIFEST_FILE, Previous, is_notice_file};
use consentry_core::diagnostics::SourceFile;

/// Reads `notice.toml`, every `*.ftl` file, every `<tag>.terms.toml` terminology file and
/// every `<tag>.facts.toml` facts file directly inside `dir` (sorted by name). Other files and subdirectories are not part of the
/// notice and are skipped. Paths in the result are
/// `dir` joined with the file name, as the user will see them in findings.
pub fn read_locales(dir: &Path) -> Result<Vec<SourceFile>, String> {
    let entries = fs::read_dir(dir)
        .map_err(|e| format!("cannot read directory {}: {}", dir.display(), describe(&e)))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry
            .map_err(|e| format!("cannot read directory {}: {}", dir.display(), describe(&e)))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_notice_file(&name) {
            continue;
        }
        let path = dir.join(&name);
        // Follow symlinks: a linked notice.toml is still the notice.
        let meta = fs::metadata(&path)
            .map_err(|e| format!("cannot read {}: {}", path.display(), describe(&e)))?;
        if !meta.is_file() {
            continue;
        }
        let bytes = fs::read(&path)
            .map_err(|e| format!("cannot read {}: {}", path.display(), describe(&e)))?;
        files.push(SourceFile::new(path.display().to_string(), bytes));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The directory as the user wrote it, for messages.
pub fn dir_label(dir: &Path) -> String {
    dir.display().to_string()
}

fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads the published build in `dir` (its manifest.json and every file it lists, checked
/// against their SHA-256) for comparison.
pub fn read_published(dir: &Path) -> Previous {
    let path = dir.join(MANIFEST_FILE);
    let result = fs::read(&path).map_err(|e| describe(&e)).and_then(|m| {
        PublishedBuild::read(&m, |name| {
            fs::read(dir.join(name)).map_err(|e| describe(&e))
        })
    });
    match result {
        Ok(b) => Previous::Build(b),
        Err(reason) => Previous::Unreadable {
            path: path.display().to_string(),
            reason,
        },
    }
}

/// Reads a published build for `consentry diff`; an error names what could not be read.
pub fn read_build(dir: &Path) -> Result<PublishedBuild, String> {
    match read_published(dir) {
        Previous::Build(b) => Ok(b),
        Previous::Unreadable { path, reason } => Err(format!("{path}: {reason}")),
        _ => Err(format!("{}: cannot be read", dir.display())),
    }
}
