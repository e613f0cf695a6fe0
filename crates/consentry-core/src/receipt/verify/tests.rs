use super::*;
use crate::bundle::{Direction, Manifest, ManifestEntry};
use crate::encoding::b64url;
use crate::ids::PurposeId;
use crate::receipt::jws::JwsSignature;
use crate::receipt::{DecisionState, PurposeDecision};
use crate::testing::{TestSigner, sample_bundle_bytes, sample_envelope, sample_receipt};
use alloc::vec;

fn no_registry() -> VerifyPolicy {
    VerifyPolicy::default()
}

fn with_registry() -> VerifyPolicy {
    let mut r = NoticeRegistry::new();
    r.add_bundle(&sample_bundle_bytes()).unwrap();
    VerifyPolicy { notices: Some(r) }
}

fn code(envelope: &[u8], policy: &VerifyPolicy) -> &'static str {
    match verify(envelope, policy) {
        Ok(v) => panic!("expected a failure, verified {:?}", v.receipt().receipt_id),
        Err(e) => {
            // Every failure also has a human reason.
            assert!(!e.to_string().is_empty());
            e.code()
        }
    }
}

fn bytes(jws: &Jws) -> Vec<u8> {
    jws.to_json().into_bytes()
}

/// A canonical protected header with the given members, base64url-encoded.
fn header(members: Vec<(&str, Value)>) -> String {
    b64url(json::to_canonical_string(&Value::object(members)).as_bytes())
}

fn device_members(signer: &TestSigner) -> Vec<(&'static str, Value)> {
    vec![
        ("alg", Value::str("ES256")),
        ("jwk", signer.jwk().to_value()),
        ("kid", Value::str(signer.kid())),
        ("typ", Value::str(jws::RECEIPT_TYP)),
    ]
}

fn with_member(signer: &TestSigner, key: &'static str, v: Value) -> String {
    let mut m = device_members(signer);
    m.retain(|(k, _)| *k != key);
    m.push((key, v));
    header(m)
}

/// A receipt signed by the device key, after `edit`.
fn signed_after(edit: impl FnOnce(&mut Receipt)) -> Vec<u8> {
    let s = TestSigner::device();
    let mut r = sample_receipt(&s, 1, true);
    edit(&mut r);
    s.sign_receipt(&r)
}

fn payload_of(envelope: &[u8]) -> Vec<u8> {
    b64url_decode(&Jws::from_json(envelope).unwrap().payload).unwrap()
}

#[test]
fn valid_receipt_verifies_with_and_without_registry() {
    let s = TestSigner::device();
    let receipt = sample_receipt(&s, 1, true);
    let env = s.sign_receipt(&receipt);
    for policy in [no_registry(), with_registry()] {
        let v = verify(&env, &policy).unwrap();
        assert_eq!(v.receipt(), &receipt);
        assert_eq!(v.kid(), s.kid());
        assert_eq!(v.payload_bytes(), receipt.payload_bytes().as_slice());
        assert_eq!(
            v.payload_sha256(),
            Sha256Digest::of(&receipt.payload_bytes())
        );
    }
    // A refusal of every consent purpose is just as valid.
    verify(&sample_envelope(2, false), &with_registry()).unwrap();
}

#[test]
fn the_signer_is_deterministic_and_keys_differ() {
    assert_eq!(sample_envelope(3, true), sample_envelope(3, true));
    assert_ne!(TestSigner::device().kid(), TestSigner::other().kid());
}

#[test]
fn countersignatures_after_the_device_signature_are_ignored() {
    let env = sample_envelope(1, true);
    let mut jws = Jws::from_json(&env).unwrap();
    jws.signatures.push(JwsSignature {
        protected: header(vec![
            ("alg", Value::str("ES256")),
            ("kid", Value::str("ctrl-1")),
        ]),
        signature: b64url(&[7; 64]),
    });
    verify(&bytes(&jws), &with_registry()).unwrap();
}

#[test]
fn oversized_and_malformed_envelopes() {
    let mut big = sample_envelope(1, true);
    big.resize(MAX_ENVELOPE_BYTES + 1, b' ');
    assert_eq!(code(&big, &no_registry()), "envelope_too_large");
    assert_eq!(code(b"not json", &no_registry()), "envelope_malformed");
    assert_eq!(
        code(b"{\"payload\":\"\"}", &no_registry()),
        "envelope_malformed"
    );
    assert_eq!(
        code(b"{\"payload\":\"\",\"signatures\":[]}", &no_registry()),
        "envelope_malformed"
    );
    let err = verify(b"[]", &no_registry()).unwrap_err();
    assert!(err.is_malformed_envelope());
}

#[test]
fn flipped_payload_byte_fails_the_signature() {
    let env = sample_envelope(1, true);
    let mut jws = Jws::from_json(&env).unwrap();
    let mut payload = payload_of(&env);
    let i = payload.len() / 2;
    payload[i] ^= 0x01;
    jws.payload = b64url(&payload);
    assert_eq!(code(&bytes(&jws), &no_registry()), "signature_invalid");
}

#[test]
fn flipped_signature_byte_fails_the_signature() {
    let env = sample_envelope(1, true);
    let mut jws = Jws::from_json(&env).unwrap();
    let mut sig = b64url_decode(&jws.signatures[0].signature).unwrap();
    sig[40] ^= 0x01;
    jws.signatures[0].signature = b64url(&sig);
    assert_eq!(code(&bytes(&jws), &no_registry()), "signature_invalid");
}

#[test]
fn a_signature_from_another_receipt_does_not_transfer() {
    let a = Jws::from_json(&sample_envelope(1, true)).unwrap();
    let mut b = Jws::from_json(&sample_envelope(2, true)).unwrap();
    assert_eq!(a.signatures[0].protected, b.signatures[0].protected);
    b.signatures[0].signature = a.signatures[0].signature.clone();
    assert_eq!(code(&bytes(&b), &no_registry()), "signature_invalid");
}

#[test]
fn another_key_in_the_header_fails_the_signature() {
    // Signed by the device, but the header names (consistently) another key.
    let device = TestSigner::device();
    let other = TestSigner::other();
    let env = sample_envelope(1, true);
    let mut jws = Jws::from_json(&env).unwrap();
    jws.signatures[0].protected = other.protected_header();
    assert_eq!(code(&bytes(&jws), &no_registry()), "signature_invalid");
    // And the other key signing a receipt whose subject is the device: subject mismatch.
    let r = sample_receipt(&device, 1, true);
    assert_eq!(
        code(&other.sign_receipt(&r), &no_registry()),
        "subject_mismatch"
    );
}

#[test]
fn kid_must_be_the_thumbprint() {
    let s = TestSigner::device();
    let h = with_member(&s, "kid", Value::str(TestSigner::other().kid()));
    let env = s.sign_with_header(&h, &sample_receipt(&s, 1, true).payload_bytes());
    assert_eq!(code(&bytes(&env), &no_registry()), "kid_mismatch");
}

#[test]
fn alg_none_is_refused() {
    let s = TestSigner::device();
    let payload = sample_receipt(&s, 1, true).payload_bytes();
    // A full header that says none, "signed" or not.
    let h = with_member(&s, "alg", Value::str("none"));
    let mut env = s.sign_with_header(&h, &payload);
    assert_eq!(code(&bytes(&env), &no_registry()), "alg_none");
    env.signatures[0].signature = String::new();
    assert_eq!(code(&bytes(&env), &no_registry()), "alg_none");
    // The classic minimal form.
    env.signatures[0].protected = header(vec![("alg", Value::str("none"))]);
    assert_eq!(code(&bytes(&env), &no_registry()), "alg_none");
}

#[test]
fn hmac_and_other_algs_are_refused() {
    let s = TestSigner::device();
    let payload = sample_receipt(&s, 1, true).payload_bytes();
    for (alg, want) in [
        ("HS256", "alg_hmac"),
        ("HS512", "alg_hmac"),
        ("RS256", "alg_not_allowed"),
        ("ES384", "alg_not_allowed"),
        ("EdDSA", "alg_not_allowed"),
        ("es256", "alg_not_allowed"),
        ("é", "alg_not_allowed"),
    ] {
        let h = with_member(&s, "alg", Value::str(alg));
        let env = s.sign_with_header(&h, &payload);
        assert_eq!(code(&bytes(&env), &no_registry()), want, "{alg}");
    }
}

#[test]
fn header_members_typ_and_jwk_are_checked() {
    let s = TestSigner::device();
    let payload = sample_receipt(&s, 1, true).payload_bytes();
    let run = |h: String| code(&bytes(&s.sign_with_header(&h, &payload)), &no_registry());

    let mut extra = device_members(&s);
    extra.push(("crit", Value::Arr(vec![Value::str("b64")])));
    assert_eq!(run(header(extra)), "header_malformed");
    let mut missing = device_members(&s);
    missing.retain(|(k, _)| *k != "typ");
    assert_eq!(run(header(missing)), "header_malformed");
    assert_eq!(
        run(with_member(&s, "alg", Value::Int(1))),
        "header_malformed"
    );
    assert_eq!(run(b64url(b"[1]")), "header_malformed");
    assert_eq!(run(b64url(b"{\"alg\":")), "header_malformed");
    assert_eq!(run("!!".into()), "header_malformed");

    assert_eq!(
        run(with_member(&s, "typ", Value::str("JWT"))),
        "typ_mismatch"
    );

    let mut wrong_curve = s.jwk().to_value();
    if let Value::Obj(m) = &mut wrong_curve {
        m.retain(|(k, _)| k != "crv");
        m.push(("crv".into(), Value::str("P-384")));
    }
    assert_eq!(run(with_member(&s, "jwk", wrong_curve)), "jwk_invalid");
    // Well-formed coordinates that are not a point on the curve (kid consistent with them).
    let off_curve = PublicJwk {
        x: b64url(&[1; 32]),
        y: b64url(&[2; 32]),
    };
    let mut m = device_members(&s);
    m.retain(|(k, _)| *k != "jwk" && *k != "kid");
    m.push(("jwk", off_curve.to_value()));
    m.push(("kid", Value::str(off_curve.thumbprint())));
    assert_eq!(run(header(m)), "jwk_invalid");
}

#[test]
fn non_canonical_header_is_refused_even_when_signed() {
    let s = TestSigner::device();
    let payload = sample_receipt(&s, 1, true).payload_bytes();
    let canonical = String::from_utf8(b64url_decode(&s.protected_header()).unwrap()).unwrap();
    // Same members, with a space after the first colon.
    let spaced = canonical.replacen("\"alg\":", "\"alg\": ", 1);
    let env = s.sign_with_header(&b64url(spaced.as_bytes()), &payload);
    assert_eq!(code(&bytes(&env), &no_registry()), "header_not_canonical");
}

#[test]
fn malformed_signatures() {
    let env = sample_envelope(1, true);
    let jws = Jws::from_json(&env).unwrap();
    let with_sig = |sig: String| {
        let mut j = jws.clone();
        j.signatures[0].signature = sig;
        code(&bytes(&j), &no_registry())
    };
    let good = b64url_decode(&jws.signatures[0].signature).unwrap();
    assert_eq!(with_sig(b64url(&good[..63])), "signature_malformed");
    assert_eq!(
        with_sig(b64url(&[good.as_slice(), &[0]].concat())),
        "signature_malformed"
    );
    assert_eq!(with_sig(b64url(&[0; 64])), "signature_malformed");
    assert_eq!(with_sig(b64url(&[0xff; 64])), "signature_malformed");
    assert_eq!(with_sig("not base64!".into()), "signature_malformed");
    assert_eq!(
        with_sig(jws.signatures[0].signature.clone() + "="),
        "signature_malformed"
    );
}

#[test]
fn non_canonical_payload_is_refused_even_when_signed() {
    let s = TestSigner::device();
    let canonical = String::from_utf8(sample_receipt(&s, 1, true).payload_bytes()).unwrap();
    let pretty = canonical.replacen(',', ", ", 1);
    let env = s.sign_payload(pretty.as_bytes());
    assert_eq!(code(&bytes(&env), &no_registry()), "payload_not_canonical");
}

#[test]
fn malformed_and_invalid_payloads_signed_by_the_device() {
    let s = TestSigner::device();
    let run = |p: &[u8]| code(&bytes(&s.sign_payload(p)), &no_registry());
    assert_eq!(run(b"{\"a\":1,\"a\":2}"), "payload_malformed");
    assert_eq!(run(b"\xff"), "payload_malformed");
    assert_eq!(run(b"{\"a\":1.5}"), "payload_malformed");
    assert_eq!(run(b"{}"), "receipt_invalid");
    let mut env = s.sign_payload(b"{}");
    env.payload.push('=');
    assert_eq!(code(&bytes(&env), &no_registry()), "signature_invalid");
}

#[test]
fn alias_spellings_do_not_round_trip() {
    // "gdpr" is an accepted alias when reading, but the writer says "eu-gdpr": a signature
    // over the alias form is not a signature over the receipt the verifier would store.
    let s = TestSigner::device();
    let text = String::from_utf8(sample_receipt(&s, 1, true).payload_bytes()).unwrap();
    let alias = text.replacen("\"regime\":\"eu-gdpr\"", "\"regime\":\"gdpr\"", 1);
    assert_ne!(alias, text);
    assert_eq!(
        code(&bytes(&s.sign_payload(alias.as_bytes())), &no_registry()),
        "receipt_not_round_trip"
    );
}

#[test]
fn subject_must_be_the_signing_key() {
    let env = signed_after(|r| r.subject = TestSigner::other().kid());
    assert_eq!(code(&env, &no_registry()), "subject_mismatch");
}

#[test]
fn unknown_notice_digest_is_refused_only_with_a_registry() {
    let env = signed_after(|r| r.notice.sha256 = Sha256Digest::of(b"another build"));
    verify(&env, &no_registry()).unwrap();
    assert_eq!(code(&env, &with_registry()), "notice_unknown");
    // An empty registry publishes nothing: no version of the notice is known.
    let empty = VerifyPolicy {
        notices: Some(NoticeRegistry::new()),
    };
    assert_eq!(
        code(&sample_envelope(1, true), &empty),
        "notice_version_unknown"
    );
}

#[test]
fn an_unknown_digest_is_final_only_for_a_published_version() {
    // Another text under the published id and version: never publishable.
    let env = signed_after(|r| r.notice.sha256 = Sha256Digest::of(b"swapped text"));
    assert_eq!(code(&env, &with_registry()), "notice_unknown");
    // A version (or a notice) the registry does not have: it may be published later.
    let env = signed_after(|r| {
        r.notice.sha256 = Sha256Digest::of(b"next version");
        r.notice.version = "9999.1".into();
    });
    let err = verify(&env, &with_registry()).unwrap_err();
    assert_eq!(err.code(), "notice_version_unknown");
    assert!(err.to_string().contains("\"9999.1\""), "{err}");
    let env = signed_after(|r| {
        r.notice.sha256 = Sha256Digest::of(b"another notice");
        r.notice.notice_id = crate::ids::NoticeId::parse("other-notice").unwrap();
    });
    assert_eq!(code(&env, &with_registry()), "notice_version_unknown");
}

#[test]
fn published_digest_with_another_version_is_a_mismatch() {
    let env = signed_after(|r| r.notice.version = "2027.01.1".into());
    assert_eq!(code(&env, &with_registry()), "notice_mismatch");
    let env = signed_after(|r| r.notice.locale = crate::ids::LocaleTag::parse("de").unwrap());
    assert_eq!(code(&env, &with_registry()), "notice_mismatch");
}

#[test]
fn missing_purpose() {
    let env = signed_after(|r| {
        r.decisions.retain(|d| d.purpose_id.as_str() != "marketing");
    });
    verify(&env, &no_registry()).unwrap();
    assert_eq!(code(&env, &with_registry()), "purpose_missing");
}

#[test]
fn extra_purpose() {
    let env = signed_after(|r| {
        let mut extra: PurposeDecision = r.decisions[2].clone();
        extra.purpose_id = PurposeId::parse("profiling").unwrap();
        r.decisions.push(extra);
    });
    verify(&env, &no_registry()).unwrap();
    assert_eq!(code(&env, &with_registry()), "purpose_unknown");
}

#[test]
fn duplicate_purpose() {
    let env = signed_after(|r| {
        let dup = r.decisions[2].clone();
        r.decisions.push(dup);
    });
    assert_eq!(code(&env, &no_registry()), "purpose_duplicate");
    assert_eq!(code(&env, &with_registry()), "purpose_duplicate");
}

#[test]
fn decisions_out_of_notice_order() {
    let env = signed_after(|r| r.decisions.swap(1, 2));
    verify(&env, &no_registry()).unwrap();
    assert_eq!(code(&env, &with_registry()), "purpose_order");
    // In order, each purpose once: accepted.
    verify(&signed_after(|_| {}), &with_registry()).unwrap();
}

#[test]
fn strings_must_be_nfc() {
    // "é" as e + U+0301 (NFD): the same text as U+00E9, in another byte form.
    let env = signed_after(|r| r.notice.version = "2026.11.1-e\u{301}".into());
    assert_eq!(code(&env, &no_registry()), "payload_not_nfc");
    let env = signed_after(|r| r.notice.version = "2026.11.1-\u{e9}".into());
    verify(&env, &no_registry()).unwrap();
}

#[test]
fn decisions_must_copy_the_notice_terms() {
    let env = signed_after(|r| r.decisions[2].legal_basis = "legitimate-interests".into());
    assert_eq!(code(&env, &with_registry()), "purpose_mismatch");
    let env = signed_after(|r| r.decisions[1].required = true);
    let err = verify(&env, &with_registry()).unwrap_err();
    assert_eq!(
        err,
        VerifyError::PurposeMismatch {
            purpose: "chat-transcript".into(),
            field: "required"
        }
    );
    let env = signed_after(|r| r.decisions[1].transfers.clear());
    assert_eq!(code(&env, &with_registry()), "purpose_mismatch");
}

#[test]
fn required_purpose_cannot_be_refused() {
    for state in [DecisionState::Refused, DecisionState::Withdrawn] {
        let env = signed_after(|r| r.decisions[0].state = state);
        assert_eq!(code(&env, &with_registry()), "required_refused");
        assert_eq!(code(&env, &no_registry()), "required_refused");
    }
}

#[test]
fn states_must_fit_the_legal_basis() {
    // Contract purpose recorded as "given".
    let env = signed_after(|r| r.decisions[0].state = DecisionState::Given);
    assert_eq!(code(&env, &with_registry()), "state_mismatch");
    // Consent purpose recorded as not applicable.
    let env = signed_after(|r| r.decisions[2].state = DecisionState::NotApplicable);
    assert_eq!(code(&env, &no_registry()), "state_mismatch");
}

#[test]
fn registry_loads_a_build_and_checks_it() {
    let bundle = sample_bundle_bytes();
    let b = crate::testing::sample_bundle();
    let manifest = Manifest {
        notice_id: b.notice_id.clone(),
        version: b.version.clone(),
        default_locale: b.locale.clone(),
        build_time: None,
        locales: vec![ManifestEntry {
            locale: b.locale,
            path: "notice.en.json".into(),
            sha256: Sha256Digest::of(&bundle),
            dir: Direction::Ltr,
            name: "English".into(),
        }],
    };
    let read_ok = |p: &str| {
        assert_eq!(p, "notice.en.json");
        Ok(bundle.clone())
    };
    let mut reg = NoticeRegistry::new();
    assert_eq!(
        reg.add_build(manifest.to_json().as_bytes(), read_ok)
            .unwrap(),
        1
    );
    assert_eq!(reg.len(), 1);
    assert!(reg.get(&Sha256Digest::of(&bundle)).is_some());
    let policy = VerifyPolicy { notices: Some(reg) };
    verify(&sample_envelope(1, true), &policy).unwrap();

    // Tampered file: digest mismatch, nothing added.
    let mut reg = NoticeRegistry::new();
    let tampered = |_: &str| Ok(bundle.iter().map(|b| b ^ u8::from(*b == b'P')).collect());
    assert!(matches!(
        reg.add_build(manifest.to_json().as_bytes(), tampered),
        Err(RegistryError::DigestMismatch { .. })
    ));
    assert!(reg.is_empty());
    // Unreadable file.
    assert!(matches!(
        reg.add_build(manifest.to_json().as_bytes(), |_| Err("gone".into())),
        Err(RegistryError::Read { .. })
    ));
    // Path traversal is refused before anything is read.
    for bad in ["../secret.json", "a/b.json", "", ".hidden", "C:x"] {
        let mut m = manifest.clone();
        m.locales[0].path = bad.into();
        assert!(matches!(
            reg.add_build(m.to_json().as_bytes(), |p| panic!("read {p}")),
            Err(RegistryError::UnsafePath(_))
        ));
    }
    // A file whose digest matches but which belongs to another version.
    let mut m = manifest;
    m.version = "2027.01.1".into();
    assert!(matches!(
        reg.add_build(m.to_json().as_bytes(), |_| Ok(bundle.clone())),
        Err(RegistryError::ManifestMismatch { .. })
    ));
    assert!(matches!(
        reg.add_build(b"{}", |_| Ok(Vec::new())),
        Err(RegistryError::Manifest(_))
    ));
    assert!(matches!(
        reg.add_bundle(b"{\"schema\":1}"),
        Err(RegistryError::Bundle { .. })
    ));
}

#[test]
fn truncations_and_byte_flips_never_panic_or_verify() {
    let env = sample_envelope(1, true);
    let policy = with_registry();
    assert!(verify(&env, &policy).is_ok());
    for len in 0..env.len() {
        assert!(verify(&env[..len], &policy).is_err(), "truncated to {len}");
    }
    // Every byte flipped one way; every 13th byte flipped three more ways.
    for i in 0..env.len() {
        let masks: &[u8] = if i % 13 == 0 {
            &[0x01, 0x20, 0x80, 0xff]
        } else {
            &[0x01]
        };
        for &m in masks {
            let mut e = env.clone();
            e[i] ^= m;
            assert!(
                verify(&e, &policy).is_err(),
                "byte {i} ^ {m:#x} still verified"
            );
        }
    }
}

#[test]
fn random_garbage_never_panics() {
    // xorshift64*: deterministic, no RNG dependency.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let alphabet = b"{}[]\":,0123456789abcdefABCDEF-_ tnrul\\";
    for round in 0..2000 {
        let len = usize::try_from(next() % 300).unwrap();
        let garbage: Vec<u8> = (0..len)
            .map(|_| {
                let r = next();
                if round % 2 == 0 {
                    r.to_le_bytes()[0]
                } else {
                    alphabet[usize::try_from(r % alphabet.len() as u64).unwrap()]
                }
            })
            .collect();
        assert!(verify(&garbage, &no_registry()).is_err());
    }
    // Structurally valid envelopes with garbage inside.
    for round in 0..200u32 {
        let p: Vec<u8> = (0..round % 97).map(|_| next().to_le_bytes()[0]).collect();
        let jws = Jws {
            payload: b64url(&p),
            signatures: vec![JwsSignature {
                protected: b64url(&p[..p.len() / 2]),
                signature: b64url(&p[p.len() / 2..]),
            }],
        };
        assert!(verify(&bytes(&jws), &no_registry()).is_err());
    }
}

#[test]
fn a_transfer_with_a_named_recipient_and_contact_verifies_against_its_notice() {
    // notice.toml may name who receives a transfer and how to reach them; the receipt records
    // where to and under which safeguard, and that is what must match.
    use crate::receipt::ReceiptContext;
    use crate::session::{DecisionRecord, Method, Phase};
    let mut b = crate::testing::sample_bundle();
    for p in &mut b.purposes {
        for t in &mut p.transfers {
            t.recipient = Some("Example Support Centre Pte. Ltd.".into());
            t.contact = Some("privacy-policy".into());
        }
    }
    let bytes = b.to_json().into_bytes();
    let mut r = NoticeRegistry::new();
    r.add_bundle(&bytes).unwrap();
    let policy = VerifyPolicy { notices: Some(r) };
    let s = TestSigner::device();
    let record = DecisionRecord {
        method: Method::AcceptAll,
        choices: b.purposes.iter().map(|p| (p.id.clone(), true)).collect(),
        previous: None,
        prior_phase: Phase::Undecided,
        separately: Vec::new(),
    };
    let receipt = Receipt::for_decision(
        &record,
        &ReceiptContext {
            receipt_id: crate::ids::ReceiptId::from_random_bytes([7; 16]),
            now: Timestamp(1_795_807_800_123),
            subject: s.kid(),
            jurisdiction: sample_receipt(&s, 1, true).jurisdiction,
            bundle: &b,
            bundle_sha256: Sha256Digest::of(&bytes),
            on_banner: true,
            gpc: false,
            prev: None,
        },
    );
    assert!(receipt.decisions.iter().any(|d| !d.transfers.is_empty()));
    verify(&s.sign_receipt(&receipt), &policy).unwrap();
    // Another safeguard than the published one still fails.
    let env = signed_after(|r| {
        for d in &mut r.decisions {
            for t in &mut d.transfers {
                t.safeguard = "adequacy".into();
            }
        }
    });
    assert_eq!(code(&env, &with_registry()), "purpose_mismatch");
}
