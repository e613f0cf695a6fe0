//! The ES256 backends agree: every backend compiled in accepts and refuses exactly the same
//! (key, message, signature) triples — valid signatures, their high-S twins, bit flips, zero
//! and out-of-range scalars, off-curve and malformed keys — both through the shared parsing
//! step and on raw bytes with that step bypassed. Without the `fast-verify` feature only
//! `p256` is compiled and these tests check it alone; `cargo test -p consentry-core --features
//! fast-verify` (and the server's and CLI's builds) compare it with `ring`.

use alloc::vec::Vec;

use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature as P256Signature, SigningKey};

use super::es256::{self, Backend, Es256Error, PublicKey, Signature};
use crate::encoding::{Sha256Digest, b64url, b64url_decode};
use crate::receipt::jws::Jws;
use crate::testing::{TestSigner, sample_receipt};

/// The order n of the P-256 group, big-endian.
const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];
/// The field prime p of P-256, big-endian.
const P: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];

/// a - b for 32-byte big-endian numbers (a ≥ b).
fn sub(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    assert_eq!(borrow, 0, "a < b");
    out
}

fn add_small(a: &[u8; 32], k: u8) -> [u8; 32] {
    let mut out = *a;
    let mut carry = u16::from(k);
    for i in (0..32).rev() {
        let v = u16::from(out[i]) + carry;
        out[i] = v as u8;
        carry = v >> 8;
    }
    out
}

fn key(i: usize) -> SigningKey {
    let seed = Sha256Digest::of(alloc::format!("es256 agreement key {i}").as_bytes());
    SigningKey::from_slice(&seed.0).unwrap()
}

fn sec1(k: &SigningKey) -> [u8; 65] {
    let p = k.verifying_key().to_sec1_point(false);
    p.as_bytes().try_into().unwrap()
}

fn message(i: usize) -> Vec<u8> {
    (0..(i * 37) % 1500).map(|j| (j * 31 + i) as u8).collect()
}

fn raw(sig: &P256Signature) -> [u8; 64] {
    sig.to_bytes().as_slice().try_into().unwrap()
}

fn with_s(raw: &[u8; 64], s: &[u8; 32]) -> [u8; 64] {
    let mut out = *raw;
    out[32..].copy_from_slice(s);
    out
}

fn with_r(raw: &[u8; 64], r: &[u8; 32]) -> [u8; 64] {
    let mut out = *raw;
    out[..32].copy_from_slice(r);
    out
}

/// What every backend says about this triple through the shared parsing step: `Err` from the
/// parsing, or one verdict per backend.
fn through_parsing(
    sec1: &[u8],
    msg: &[u8],
    sig: &[u8],
) -> Result<Vec<Result<(), Es256Error>>, Es256Error> {
    let key = PublicKey::from_sec1(sec1)?;
    let sig = Signature::from_raw(sig)?;
    Ok(Backend::ALL
        .iter()
        .map(|b| es256::verify_with(*b, &key, msg, &sig))
        .collect())
}

/// The primitives alone on raw bytes: every backend's own parsing and check.
fn primitives(sec1: &[u8], msg: &[u8], sig: &[u8]) -> Vec<bool> {
    // `mut` is needed only with the second backend (`cargo clippy -p consentry-core` has none).
    #[cfg_attr(
        not(all(feature = "fast-verify", not(target_arch = "wasm32"))),
        allow(unused_mut)
    )]
    let mut out = alloc::vec![es256::p256_primitive(sec1, msg, sig)];
    #[cfg(all(feature = "fast-verify", not(target_arch = "wasm32")))]
    out.push(es256::ring_primitive(sec1, msg, sig));
    out
}

/// Asserts the backends agree on this triple and returns the common verdict.
fn agreed(sec1: &[u8], msg: &[u8], sig: &[u8], what: &str) -> bool {
    let prim = primitives(sec1, msg, sig);
    assert!(
        prim.iter().all(|v| *v == prim[0]),
        "{what}: the primitives disagree: {prim:?} for {:?}",
        Backend::ALL
    );
    let parsed = through_parsing(sec1, msg, sig);
    let verdict = match &parsed {
        Err(_) => false,
        Ok(v) => {
            assert!(
                v.iter().all(|x| *x == v[0]),
                "{what}: the backends disagree: {v:?} for {:?}",
                Backend::ALL
            );
            v[0].is_ok()
        }
    };
    assert_eq!(
        verdict, prim[0],
        "{what}: the parsing step changes the verdict"
    );
    verdict
}

#[test]
fn the_active_backend_is_the_fast_one_when_the_feature_is_on() {
    #[cfg(all(feature = "fast-verify", not(target_arch = "wasm32")))]
    {
        assert_eq!(Backend::active(), Backend::Ring);
        assert_eq!(Backend::ALL, &[Backend::P256, Backend::Ring]);
    }
    #[cfg(not(all(feature = "fast-verify", not(target_arch = "wasm32"))))]
    assert_eq!(Backend::ALL, &[Backend::P256]);
    assert!(Backend::ALL.contains(&Backend::active()));
}

#[test]
fn backends_agree_on_valid_high_s_and_mutated_signatures() {
    let mut high_s_seen = 0;
    for i in 0..48 {
        let k = key(i);
        let pk = sec1(&k);
        let msg = message(i);
        let sig: P256Signature = k.sign(&msg);
        let low = raw(&sig);
        let s: [u8; 32] = low[32..].try_into().unwrap();
        let twin = with_s(&low, &sub(&N, &s));
        assert!(agreed(&pk, &msg, &low, "valid"), "valid signature {i}");
        // n - s: the other valid signature for the same (r, message); one of the two is
        // high-S. WebCrypto emits either, so both are accepted.
        assert!(agreed(&pk, &msg, &twin, "high-S twin"), "n - s of {i}");
        high_s_seen += 1;

        for bit in [0usize, 7, 100, 255, 256, 300, 511] {
            let mut flipped = low;
            flipped[bit / 8] ^= 1 << (bit % 8);
            assert!(!agreed(&pk, &msg, &flipped, "flipped signature bit"));
        }
        let mut other_msg = msg.clone();
        other_msg.push(0);
        assert!(!agreed(&pk, &other_msg, &low, "longer message"));
        if !msg.is_empty() {
            let mut m = msg.clone();
            m[msg.len() / 2] ^= 0x20;
            assert!(!agreed(&pk, &m, &low, "flipped message byte"));
        }
        let other_key = sec1(&key(i + 1000));
        assert!(!agreed(&other_key, &msg, &low, "another key"));
        // r and s swapped.
        let mut swapped = [0u8; 64];
        swapped[..32].copy_from_slice(&low[32..]);
        swapped[32..].copy_from_slice(&low[..32]);
        assert!(!agreed(&pk, &msg, &swapped, "r and s swapped"));
    }
    assert_eq!(high_s_seen, 48);
}

#[test]
fn backends_agree_on_zero_and_out_of_range_scalars() {
    let k = key(1);
    let pk = sec1(&k);
    let msg = message(5);
    let good = raw(&k.sign(&msg));
    let zero = [0u8; 32];
    let one = add_small(&zero, 1);
    let n_minus_1 = sub(&N, &one);
    let n_plus_1 = add_small(&N, 1);
    let max = [0xffu8; 32];
    for (name, v) in [
        ("zero", zero),
        ("one", one),
        ("n - 1", n_minus_1),
        ("n", N),
        ("n + 1", n_plus_1),
        ("2^256 - 1", max),
    ] {
        for (which, sig) in [("r", with_r(&good, &v)), ("s", with_s(&good, &v))] {
            assert!(
                !agreed(&pk, &msg, &sig, &alloc::format!("{which} = {name}")),
                "{which} = {name} must be refused"
            );
            let parsed = Signature::from_raw(&sig);
            if matches!(name, "zero" | "n" | "n + 1" | "2^256 - 1") {
                assert!(
                    matches!(parsed, Err(Es256Error::SignatureMalformed(_))),
                    "{which} = {name}: {parsed:?}"
                );
            } else {
                assert!(parsed.is_ok(), "{which} = {name} is in range");
            }
        }
    }
    assert!(!agreed(&pk, &msg, &[0u8; 64], "all zero"));
    for len in [0usize, 63, 65, 72] {
        let mut v = good.to_vec();
        v.resize(len, 0x30);
        assert!(!agreed(&pk, &msg, &v, "wrong length"));
        assert!(matches!(
            Signature::from_raw(&v),
            Err(Es256Error::SignatureMalformed(_))
        ));
    }
}

#[test]
fn backends_agree_on_off_curve_and_malformed_keys() {
    let k = key(2);
    let pk = sec1(&k);
    let msg = message(9);
    let sig = raw(&k.sign(&msg));
    assert!(agreed(&pk, &msg, &sig, "the genuine key"));

    let mut off_curve = pk;
    off_curve[64] ^= 0x01;
    let mut x_is_p = pk;
    x_is_p[1..33].copy_from_slice(&P);
    let mut y_is_p = pk;
    y_is_p[33..].copy_from_slice(&P);
    let mut compressed_prefix = pk;
    compressed_prefix[0] = 0x02;
    let mut hybrid_prefix = pk;
    hybrid_prefix[0] = 0x06;
    let mut infinity = [0u8; 65];
    infinity[0] = 0x04;
    // The negated point (x, p - y) is on the curve but is another key.
    let y: [u8; 32] = pk[33..].try_into().unwrap();
    let mut negated = pk;
    negated[33..].copy_from_slice(&sub(&P, &y));

    for (name, key_bytes) in [
        ("off the curve (y ^ 1)", &off_curve[..]),
        ("x = p", &x_is_p[..]),
        ("y = p", &y_is_p[..]),
        ("compressed prefix on 65 bytes", &compressed_prefix[..]),
        ("hybrid prefix", &hybrid_prefix[..]),
        ("all-zero point", &infinity[..]),
        ("the single byte 0x00 (infinity)", &[0u8][..]),
        ("64 bytes without prefix", &pk[1..]),
        ("empty", &[][..]),
    ] {
        assert!(!agreed(key_bytes, &msg, &sig, name), "{name}");
        assert_eq!(
            PublicKey::from_sec1(key_bytes).map(|_| ()),
            Err(Es256Error::KeyInvalid),
            "{name}"
        );
    }
    assert!(PublicKey::from_sec1(&negated).is_ok(), "(x, -y) is a point");
    assert!(!agreed(&negated, &msg, &sig, "the negated key"));
}

/// The high-S twin of a real device signature verifies through core `verify` (on the active
/// backend), and a flipped bit in it does not.
#[test]
fn verify_accepts_a_high_s_device_signature() {
    let signer = TestSigner::device();
    let env = signer.sign_receipt(&sample_receipt(&signer, 3, true));
    let mut jws = Jws::from_json(&env).unwrap();
    let sig: [u8; 64] = b64url_decode(&jws.signatures[0].signature)
        .unwrap()
        .try_into()
        .unwrap();
    let s: [u8; 32] = sig[32..].try_into().unwrap();
    jws.signatures[0].signature = b64url(&with_s(&sig, &sub(&N, &s)));
    let policy = super::VerifyPolicy::default();
    super::verify(jws.to_json().as_bytes(), &policy).expect("the n - s twin verifies");
    let mut bad = with_s(&sig, &sub(&N, &s));
    bad[40] ^= 0x10;
    jws.signatures[0].signature = b64url(&bad);
    assert_eq!(
        super::verify(jws.to_json().as_bytes(), &policy)
            .unwrap_err()
            .code(),
        "signature_invalid"
    );
}
