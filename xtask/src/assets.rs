//! Shipped-file helpers: content hashes for immutable names, precompression (brotli q11 and
//! gzip -9, as the server serves them) and size measurement.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The first 12 hex digits of the SHA-256 of `bytes`: the content hash in immutable file
/// names (`consentry_bg.<hash>.wasm`), the same length `consentry build` uses for locales.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(12);
    for b in &digest[..6] {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// `bytes` compressed with brotli at quality 11 (window 22), as `brotli -q 11`.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(bytes).expect("writing to a Vec cannot fail");
    }
    out
}

/// `bytes` compressed with gzip at level 9, as `gzip -9`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(bytes).expect("writing to a Vec cannot fail");
    w.finish().expect("writing to a Vec cannot fail")
}

/// Raw, gzip -9 and brotli q11 byte counts of one file's content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Uncompressed bytes.
    pub raw: u64,
    /// gzip -9 bytes.
    pub gzip: u64,
    /// brotli q11 bytes.
    pub br: u64,
}

impl Sizes {
    /// Measures `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self {
            raw: bytes.len() as u64,
            gzip: gzip(bytes).len() as u64,
            br: brotli(bytes).len() as u64,
        }
    }

    /// Measures the file at `path`.
    pub fn of_file(path: &Path) -> Result<Self, String> {
        Ok(Self::of(&read(path)?))
    }
}

impl std::ops::Add for Sizes {
    type Output = Sizes;
    fn add(self, o: Sizes) -> Sizes {
        Sizes {
            raw: self.raw + o.raw,
            gzip: self.gzip + o.gzip,
            br: self.br + o.br,
        }
    }
}

/// Reads a file, with its path in the error.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

/// Writes a file, with its path in the error.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Extensions worth precompressing (text and wasm; images such as PNG are compressed already).
const COMPRESSIBLE: [&str; 7] = ["html", "css", "js", "mjs", "json", "wasm", "svg"];

/// Writes `<file>.br` and `<file>.gz` beside every compressible file under `dir` (recursively)
/// whenever the compressed form is smaller, and removes stale ones. Returns how many files
/// were precompressed.
pub fn precompress_dir(dir: &Path) -> Result<usize, String> {
    let mut n = 0;
    for path in files_under(dir)? {
        let name = path.to_string_lossy();
        if name.ends_with(".br") || name.ends_with(".gz") {
            // Stale siblings of a removed file are removed; live ones are rewritten below.
            let original = PathBuf::from(&name[..name.len() - 3]);
            if !original.exists() {
                std::fs::remove_file(&path)
                    .map_err(|e| format!("removing {}: {e}", path.display()))?;
            }
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let bytes = read(&path)?;
        for (suffix, packed) in [("br", brotli(&bytes)), ("gz", gzip(&bytes))] {
            let sibling = PathBuf::from(format!("{name}.{suffix}"));
            if packed.len() < bytes.len() {
                write(&sibling, &packed)?;
            } else if sibling.exists() {
                std::fs::remove_file(&sibling)
                    .map_err(|e| format!("removing {}: {e}", sibling.display()))?;
            }
        }
        n += 1;
    }
    Ok(n)
}

/// Every file under `dir`, sorted.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("reading {}: {e}", d.display()))?;
        for entry in entries {
            let p = entry
                .map_err(|e| format!("reading {}: {e}", d.display()))?
                .path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Replaces the one occurrence of `from` in `text` by `to`; an error names `what` when `from`
/// occurs zero or several times (the build must not silently ship a stale reference).
pub fn replace_once(text: &str, from: &str, to: &str, what: &str) -> Result<String, String> {
    match text.matches(from).count() {
        1 => Ok(text.replacen(from, to, 1)),
        0 => Err(format!("{what}: expected one {from:?}, found none")),
        n => Err(format!("{what}: expected one {from:?}, found {n}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_12_hex_of_sha256() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223…
        assert_eq!(content_hash(b"abc"), "ba7816bf8f01");
    }

    #[test]
    fn compressors_round_trip() {
        let text = "consentry ".repeat(200);
        let br = brotli(text.as_bytes());
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
        let gz = gzip(text.as_bytes());
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
        assert!(br.len() < text.len() && gz.len() < text.len());
    }

    #[test]
    fn replace_once_refuses_missing_or_repeated() {
        assert_eq!(replace_once("a b", "a", "c", "t").unwrap(), "c b");
        assert!(
            replace_once("b", "a", "c", "t")
                .unwrap_err()
                .contains("found none")
        );
        assert!(
            replace_once("a a", "a", "c", "t")
                .unwrap_err()
                .contains("found 2")
        );
    }

    #[test]
    fn precompress_writes_smaller_siblings_and_drops_stale_ones() {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/a.js"), "let x = 1;\n".repeat(100)).unwrap();
        std::fs::write(dir.join("tiny.json"), "{}").unwrap();
        std::fs::write(dir.join("gone.css.br"), "stale").unwrap();
        assert_eq!(precompress_dir(&dir).unwrap(), 2);
        assert!(dir.join("sub/a.js.br").exists() && dir.join("sub/a.js.gz").exists());
        // Compressing two bytes makes them larger: no sibling.
        assert!(!dir.join("tiny.json.br").exists());
        assert!(!dir.join("gone.css.br").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
