//! Byte encodings used on the wire: lowercase hex SHA-256 digests and unpadded base64url.

use alloc::string::String;
use alloc::vec::Vec;
use sha2::{Digest as _, Sha256};

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Digest(pub [u8; 32]);

impl Sha256Digest {
    /// Hashes `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        let out = Sha256::digest(bytes);
        let mut d = [0u8; 32];
        d.copy_from_slice(&out);
        Self(d)
    }
    /// Lowercase hex, 64 characters.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }
    /// Parses 64 lowercase hex characters; anything else is `None`.
    pub fn from_hex(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 64 {
            return None;
        }
        let mut d = [0u8; 32];
        for (i, pair) in b.chunks_exact(2).enumerate() {
            d[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
        }
        Some(Self(d))
    }
}

impl core::fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Sha256Digest({})", self.to_hex())
    }
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xF)]));
    }
    s
}

/// The base64url alphabet (RFC 4648 §5).
const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url (RFC 4648 §5), as JWS uses it.
///
/// Hand-written rather than the `base64` crate: the same output in a fraction of its code,
/// which matters in the widget's wasm (see `BENCHMARKS.md`); the tests compare both.
pub fn b64url(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        // 1 byte → 2 characters, 2 → 3, 3 → 4.
        for i in 0..=chunk.len() {
            s.push(char::from(B64URL[((n >> (18 - 6 * i)) & 0x3F) as usize]));
        }
    }
    s
}

fn b64url_value(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes unpadded base64url. Padding, whitespace, the standard alphabet and non-canonical
/// trailing bits are all refused, so each byte string has exactly one accepted encoding.
pub fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.as_bytes();
    if s.len() % 4 == 1 {
        return None; // no byte count encodes to this length
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 2);
    for chunk in s.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= b64url_value(c)? << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let keep = chunk.len() - 1; // 2 chars → 1 byte, 3 → 2, 4 → 3
        // The bits past the last byte must be zero (canonical encoding).
        if keep < 3 && n & (0x00FF_FFFF >> (8 * keep)) != 0 {
            return None;
        }
        out.extend_from_slice(&bytes[..keep]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_known_answer() {
        assert_eq!(
            Sha256Digest::of(b"abc").to_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hex_round_trip_and_strictness() {
        let d = Sha256Digest::of(b"x");
        assert_eq!(Sha256Digest::from_hex(&d.to_hex()), Some(d));
        assert_eq!(Sha256Digest::from_hex(&d.to_hex().to_uppercase()), None);
        assert_eq!(Sha256Digest::from_hex("00"), None);
    }

    #[test]
    fn b64url_is_strict() {
        assert_eq!(b64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(b64url_decode("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(b64url_decode("-_8="), None);
        assert_eq!(b64url_decode("+/8"), None);
        // "-_9" has non-zero trailing bits: a second encoding of the same bytes.
        assert_eq!(b64url_decode("-_9"), None);
        assert_eq!(b64url_decode("A"), None);
        assert_eq!(b64url_decode("QQ"), Some(b"A".to_vec()));
        assert_eq!(b64url_decode("QR"), None);
        assert_eq!(b64url_decode("QUI"), Some(b"AB".to_vec()));
        assert_eq!(b64url_decode("QUJ"), None);
        assert_eq!(b64url_decode("QUJD"), Some(b"ABC".to_vec()));
        assert_eq!(b64url_decode("QUJD QQ"), None);
        assert_eq!(b64url_decode(""), Some(vec![]));
        assert_eq!(b64url(b""), "");
    }

    /// The hand-written codec against the `base64` crate (URL-safe, no padding, canonical),
    /// over every length up to 70 with varied bytes, and over every 2- and 3-character input.
    #[test]
    fn b64url_matches_the_base64_crate() {
        use base64::Engine as _;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut x: u32 = 0x1234_5678;
        for len in 0..70 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    (x >> 24) as u8
                })
                .collect();
            let enc = b64url(&bytes);
            assert_eq!(enc, URL_SAFE_NO_PAD.encode(&bytes), "len {len}");
            assert_eq!(b64url_decode(&enc), Some(bytes));
        }
        let chars: Vec<char> = (0u8..=127).map(char::from).collect();
        for &a in &chars {
            for &b in &chars {
                let two: String = [a, b].iter().collect();
                assert_eq!(
                    b64url_decode(&two),
                    URL_SAFE_NO_PAD.decode(&two).ok(),
                    "{two:?}"
                );
                for c in ['A', 'g', '-', '_', '=', '+'] {
                    let three: String = [a, b, c].iter().collect();
                    assert_eq!(
                        b64url_decode(&three),
                        URL_SAFE_NO_PAD.decode(&three).ok(),
                        "{three:?}"
                    );
                }
            }
        }
    }
}
