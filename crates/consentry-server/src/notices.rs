//! Loading a compiled notice build (`manifest.json` + the files it lists) from disk.

use std::path::Path;

use consentry_core::receipt::verify::{NoticeRegistry, RegistryError};

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
}

/// Reads `<dir>/manifest.json` and every locale file it lists into a registry. Blocking file
/// IO: call it at startup.
pub fn load_notice_build(dir: &Path) -> Result<NoticeRegistry, NoticesError> {
    let manifest_path = dir.join("manifest.json");
    let manifest = std::fs::read(&manifest_path).map_err(|source| NoticesError::Manifest {
        path: manifest_path.display().to_string(),
        source,
    })?;
    let mut registry = NoticeRegistry::new();
    registry
        .add_build(&manifest, |name| {
            std::fs::read(dir.join(name)).map_err(|e| e.to_string())
        })
        .map_err(|source| NoticesError::Build {
            dir: dir.display().to_string(),
            source,
        })?;
    Ok(registry)
}
