//! The published-notice archive: where `consentry build` keeps every version it published,
//! and where the receipt server and `consentry verify` read them from (ADR 0010).
//!
//! ```text
//! <out>/manifest.json                      the current version (what the site loads)
//! <out>/notice.<tag>.<hash>.json           first layers and details files of every version
//! <out>/notice.<tag>.details.<hash>.json   built here (content-addressed, never rewritten)
//! <out>/archive/<notice id>/<version>/     one complete build per published version:
//!     manifest.json, notice.<tag>.<hash>.json, notice.<tag>.details.<hash>.json,
//!     lint.json (the build's lint findings; not in the manifest)
//! ```
//!
//! A version directory is created complete under a temporary name that begins with `.` and
//! then renamed, so a directory without a leading dot is always a whole build; readers skip
//! names that begin with `.`. Nothing in `archive/` is ever changed or removed.
//!
//! Core does no file IO: this module only names things.

use alloc::string::String;

/// The archive's directory inside a build output directory.
pub const ARCHIVE_DIR: &str = "archive";

/// The file beside a version's `manifest.json` in `archive/<notice id>/<version>/` that
/// records the lint findings of its build (`consentry build` writes it; the console shows it
/// with the version). Not listed in the manifest: it says what the lint found, not what the
/// notice says, so no receipt depends on it. Schema [`LINT_RECORD_SCHEMA`]: `{"schema",
/// "findings": [...]}`, the findings as `consentry lint --format json` prints them.
pub const LINT_RECORD: &str = "lint.json";

/// The `schema` of a [`LINT_RECORD`].
pub const LINT_RECORD_SCHEMA: &str = "consentry-lint-record/1";

/// The directory name of a version inside `archive/<notice id>/`: the version itself when it
/// is made of ASCII letters, digits, `-`, `_` and `.` (not first), else the same with every
/// other byte written `%XX` (uppercase hex of its UTF-8 bytes), so any version names exactly
/// one directory, is never `.`, `..` or hidden, and holds no `/`. `None` for an empty version.
///
/// ```
/// use consentry_core::bundle::archive::version_dir_name;
/// assert_eq!(version_dir_name("2026-11.1").as_deref(), Some("2026-11.1"));
/// assert_eq!(version_dir_name("../x").as_deref(), Some("%2E.%2Fx"));
/// assert_eq!(version_dir_name("v 2").as_deref(), Some("v%202"));
/// assert_eq!(version_dir_name(""), None);
/// ```
pub fn version_dir_name(version: &str) -> Option<String> {
    if version.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(version.len());
    for (i, b) in version.bytes().enumerate() {
        let plain = b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || (b == b'.' && i > 0);
        if plain {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    Some(out)
}

/// Whether an entry of `archive/` or `archive/<notice id>/` is a publishing in progress (or
/// one a crash left behind) that readers must skip: its name begins with `.`.
pub fn is_in_progress(name: &str) -> bool {
    name.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_names_one_plain_directory() {
        for v in ["1", "2026-11", "v1.2_rc", "a.b.c"] {
            assert_eq!(version_dir_name(v).as_deref(), Some(v));
        }
        assert_eq!(version_dir_name(".").as_deref(), Some("%2E"));
        assert_eq!(version_dir_name("..").as_deref(), Some("%2E."));
        assert_eq!(version_dir_name("a/b\\c").as_deref(), Some("a%2Fb%5Cc"));
        assert_eq!(version_dir_name("100%").as_deref(), Some("100%25"));
        assert_eq!(version_dir_name("é").as_deref(), Some("%C3%A9"));
        // Distinct versions, distinct names (the escape character is itself escaped).
        assert_ne!(version_dir_name("%41"), version_dir_name("A"));
        assert!(!is_in_progress(&version_dir_name(".hidden").unwrap()));
    }
}
