//! Countersignatures, key sets, ledger heads and ledger exports.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::encoding::b64url;
use crate::ids::PurposeId;
use crate::receipt::DecisionState;
use crate::receipt::countersign::{COUNTERSIGN_TYP, ChainTip, GENESIS, SubjectChain};
use crate::receipt::jws::JwsSignature;
use crate::receipt::kantara::{KantaraContext, to_kantara};
use crate::receipt::ledger::{CheckReason, HistoryItem, LedgerEntry, current_state, may_process};
use crate::testing::{
    TestLedger, TestSigner, key_set, next_receipt, sample_bundle, sample_bundle_bytes,
    sample_envelope, sample_receipt, test_server,
};
use crate::time::Timestamp;

const T0: i64 = 1_795_807_900_000;

type Members = Vec<(String, Value)>;

fn registry() -> VerifyPolicy {
    let mut r = NoticeRegistry::new();
    r.add_bundle(&sample_bundle_bytes()).unwrap();
    VerifyPolicy { notices: Some(r) }
}

/// A ledger of five receipts: device A's chain of three, device B's first, and a replay of an
/// unlinked receipt by A (flagged `broken`).
fn five() -> TestLedger {
    let a = TestSigner::device();
    let b = TestSigner::other();
    let mut l = TestLedger::new(test_server(), "test-1");
    let r1 = sample_receipt(&a, 1, true);
    let r2 = next_receipt(&a, &r1, 2, false);
    let r3 = next_receipt(&a, &r2, 3, true);
    let b1 = sample_receipt(&b, 4, false);
    let stray = sample_receipt(&a, 5, true); // names no previous receipt, but A has three
    for (i, r) in [(&a, &r1), (&a, &r2), (&b, &b1), (&a, &r3), (&a, &stray)]
        .iter()
        .enumerate()
    {
        l.append(&r.0.sign_receipt(r.1), Timestamp(T0 + i as i64 * 1000));
    }
    l
}

fn line_bytes(lines: &[String]) -> Vec<u8> {
    let mut s = String::new();
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    s.into_bytes()
}

fn ledger_code(export: &[u8], head: Option<&crate::receipt::ledger::LedgerHead>) -> &'static str {
    let keys = key_set(&[&test_server()]);
    match verify_ledger_export(export, &registry(), &keys, head) {
        Ok(c) => panic!("expected a failure, got {c:?}"),
        Err(e) => {
            assert!(!e.to_string().is_empty());
            e.code()
        }
    }
}

fn countersigned(seed: u8) -> Vec<u8> {
    let mut l = TestLedger::new(test_server(), "test-1");
    let (_, jws) = l.append(&sample_envelope(seed, true), Timestamp(T0));
    jws.to_json().into_bytes()
}

fn cs_code(envelope: &[u8]) -> &'static str {
    let keys = key_set(&[&test_server()]);
    verify_countersignature(envelope, &keys).unwrap_err().code()
}

#[test]
fn countersigned_receipt_verifies_and_states_its_ledger_position() {
    let mut l = TestLedger::new(test_server(), "test-1");
    let (entry, jws) = l.append(&sample_envelope(1, true), Timestamp(T0));
    let keys = key_set(&[&test_server()]);
    let (v, cs) = verify_countersigned(jws.to_json().as_bytes(), &registry(), &keys).unwrap();
    assert_eq!(cs, entry.countersignature());
    assert_eq!(cs.position.index, 1);
    assert_eq!(cs.position.prev, GENESIS);
    assert_eq!(cs.position.subject_chain, SubjectChain::Start);
    assert_eq!(cs.kid, test_server().kid());
    assert_eq!(
        LedgerEntry::from_countersigned(v.receipt(), v.payload_sha256(), &cs),
        entry
    );
    // The device part is unchanged: payload and signature 0 are the device's bytes.
    let device = Jws::from_json(&sample_envelope(1, true)).unwrap();
    assert_eq!(jws.payload, device.payload);
    assert_eq!(jws.signatures[0], device.signatures[0]);
    // The header is canonical, typed, and marks its members critical.
    let h = json::parse(&b64url_decode(&jws.signatures[1].protected).unwrap()).unwrap();
    assert_eq!(h.get("typ").unwrap().as_str(), Some(COUNTERSIGN_TYP));
    assert_eq!(h.get("crit").unwrap().as_array().unwrap().len(), 3);
}

#[test]
fn a_device_only_envelope_has_no_countersignature() {
    assert_eq!(
        cs_code(&sample_envelope(1, true)),
        "countersignature_missing"
    );
}

#[test]
fn a_countersignature_moved_from_another_receipt_is_refused() {
    let a = Jws::from_json(&countersigned(1)).unwrap();
    let b = Jws::from_json(&countersigned(2)).unwrap();
    let mut moved = a;
    moved.signatures[1] = b.signatures[1].clone();
    assert_eq!(
        cs_code(moved.to_json().as_bytes()),
        "countersignature_binding_mismatch"
    );
}

#[test]
fn a_flipped_countersignature_byte_is_refused() {
    let mut jws = Jws::from_json(&countersigned(1)).unwrap();
    let mut sig = b64url_decode(&jws.signatures[1].signature).unwrap();
    sig[5] ^= 0x40;
    jws.signatures[1].signature = b64url(&sig);
    assert_eq!(
        cs_code(jws.to_json().as_bytes()),
        "countersignature_invalid"
    );
}

#[test]
fn an_edited_server_time_is_refused() {
    let mut jws = Jws::from_json(&countersigned(1)).unwrap();
    let mut cs =
        verify_countersignature(jws.to_json().as_bytes(), &key_set(&[&test_server()])).unwrap();
    cs.received_at = Timestamp(T0 - 86_400_000); // back-dated by a day, not re-signed
    jws.signatures[1].protected = cs.protected_header();
    assert_eq!(
        cs_code(jws.to_json().as_bytes()),
        "countersignature_invalid"
    );
}

#[test]
fn a_countersignature_by_an_unknown_key_is_refused() {
    let keys = key_set(&[&TestSigner::from_label("another server")]);
    let err = verify_countersignature(&countersigned(1), &keys).unwrap_err();
    assert_eq!(err.code(), "countersignature_key_unknown");
}

#[test]
fn countersignature_headers_are_strict() {
    let jws = Jws::from_json(&countersigned(1)).unwrap();
    let h = json::parse(&b64url_decode(&jws.signatures[1].protected).unwrap()).unwrap();
    let with = |edit: &dyn Fn(&mut Members)| {
        let mut m = h.as_object().unwrap().to_vec();
        edit(&mut m);
        let mut j = jws.clone();
        j.signatures[1].protected = b64url(json::to_canonical_string(&Value::Obj(m)).as_bytes());
        cs_code(j.to_json().as_bytes())
    };
    let set = |k: &'static str, v: Value| {
        move |m: &mut Members| {
            m.retain(|(n, _)| n != k);
            m.push((k.into(), v.clone()));
        }
    };
    assert_eq!(with(&set("alg", Value::str("none"))), "alg_none");
    assert_eq!(with(&set("alg", Value::str("HS256"))), "alg_hmac");
    assert_eq!(with(&set("alg", Value::str("RS256"))), "alg_not_allowed");
    assert_eq!(
        with(&|m| m.retain(|(n, _)| n != "crit")),
        "countersignature_malformed"
    );
    assert_eq!(
        with(&set("crit", Value::Arr(vec![Value::str("ccr_cs")]))),
        "countersignature_malformed"
    );
    assert_eq!(
        with(&set("typ", Value::str("JWT"))),
        "countersignature_malformed"
    );
    assert_eq!(
        with(&set("x5u", Value::str("https://evil.example"))),
        "countersignature_malformed"
    );
    // Non-canonical bytes of the same header.
    let mut j = jws.clone();
    let text = json::to_canonical_string(&h);
    j.signatures[1].protected = b64url(alloc::format!(" {text}").as_bytes());
    assert_eq!(
        cs_code(j.to_json().as_bytes()),
        "countersignature_not_canonical"
    );
    // Two countersignatures.
    let mut j = jws.clone();
    j.signatures.push(JwsSignature {
        protected: jws.signatures[1].protected.clone(),
        signature: jws.signatures[1].signature.clone(),
    });
    assert_eq!(
        cs_code(j.to_json().as_bytes()),
        "countersignature_malformed"
    );
}

#[test]
fn jwks_round_trip_and_retired_keys_still_verify() {
    let old = test_server();
    let new = TestSigner::from_label("consentry test server key 2");
    let doc = jwks_json(&[
        JwksEntry {
            jwk: old.jwk().clone(),
            status: KeyStatus::Retired,
            created: Timestamp(T0 - 1000),
            retired: Some(Timestamp(T0 + 1000)),
        },
        JwksEntry {
            jwk: new.jwk().clone(),
            status: KeyStatus::Active,
            created: Timestamp(T0 + 1000),
            retired: None,
        },
    ]);
    let keys = KeySet::from_jwks(doc.as_bytes()).unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys.get(&old.kid()).unwrap().status, KeyStatus::Retired);
    assert_eq!(keys.get(&new.kid()).unwrap().status, KeyStatus::Active);
    // A receipt countersigned before the rotation verifies with the rotated key set.
    verify_countersignature(&countersigned(1), &keys).unwrap();
}

#[test]
fn jwks_are_read_strictly() {
    let s = test_server();
    let good = jwks_json(&[JwksEntry {
        jwk: s.jwk().clone(),
        status: KeyStatus::Active,
        created: Timestamp(T0),
        retired: None,
    }]);
    let code = |doc: &str| KeySet::from_jwks(doc.as_bytes()).unwrap_err().code();
    let other_kid = TestSigner::other().kid();
    assert_eq!(
        code(&good.replace(&s.kid(), &other_kid)),
        "keyset_kid_mismatch"
    );
    assert_eq!(code("{\"keys\":[]}"), "keyset_malformed");
    assert_eq!(code("[]"), "keyset_malformed");
    assert_eq!(
        code(&good.replace("\"ES256\"", "\"HS256\"")),
        "keyset_key_invalid"
    );
    assert_eq!(
        code(&good.replace("\"active\"", "\"maybe\"")),
        "keyset_key_invalid"
    );
    let inner = &good["{\"keys\":[".len()..good.len() - 2];
    assert_eq!(
        code(&alloc::format!("{{\"keys\":[{inner},{inner}]}}")),
        "keyset_duplicate"
    );
}

#[test]
fn a_whole_export_verifies_and_reports_flagged_entries() {
    let l = five();
    let keys = key_set(&[&test_server()]);
    let head_bytes = l.signed_head(Timestamp(T0 + 10_000));
    let (head, kid) = verify_ledger_head(&head_bytes, &keys).unwrap();
    assert_eq!(kid, test_server().kid());
    assert_eq!(head.size, 5);
    let check =
        verify_ledger_export(l.export().as_bytes(), &registry(), &keys, Some(&head)).unwrap();
    assert_eq!(check.entries, 5);
    assert_eq!(check.head, l.seq.last_hash);
    assert!(check.head_checked);
    assert_eq!(check.log_id.as_deref(), Some("test-1"));
    assert_eq!(check.flagged.len(), 1);
    assert_eq!(check.flagged[0].0, 5);
    // An older head (a prefix) is consistent with a longer export.
    let (older, _) = verify_ledger_head(&five_head_at(3), &keys).unwrap();
    verify_ledger_export(l.export().as_bytes(), &registry(), &keys, Some(&older)).unwrap();
    // And an empty export is consistent with an empty head.
    let empty = TestLedger::new(test_server(), "test-1");
    let (h0, _) = verify_ledger_head(&empty.signed_head(Timestamp(T0)), &keys).unwrap();
    let c = verify_ledger_export(b"", &registry(), &keys, Some(&h0)).unwrap();
    assert_eq!(c.entries, 0);
}

/// The signed head of [`five`] after its first `n` entries.
fn five_head_at(n: usize) -> Vec<u8> {
    let a = TestSigner::device();
    let b = TestSigner::other();
    let mut l = TestLedger::new(test_server(), "test-1");
    let r1 = sample_receipt(&a, 1, true);
    let r2 = next_receipt(&a, &r1, 2, false);
    let b1 = sample_receipt(&b, 4, false);
    for (i, (s, r)) in [(&a, &r1), (&a, &r2), (&b, &b1)].iter().enumerate().take(n) {
        l.append(&s.sign_receipt(r), Timestamp(T0 + i as i64 * 1000));
    }
    l.signed_head(Timestamp(T0 + 5000))
}

#[test]
fn a_deleted_entry_is_a_gap() {
    let mut lines = five().lines;
    lines.remove(2);
    assert_eq!(ledger_code(&line_bytes(&lines), None), "ledger_gap");
    // Deleting the first entry too.
    let mut lines = five().lines;
    lines.remove(0);
    assert_eq!(ledger_code(&line_bytes(&lines), None), "ledger_gap");
}

#[test]
fn reordered_entries_are_detected() {
    let mut lines = five().lines;
    lines.swap(1, 2);
    assert_eq!(ledger_code(&line_bytes(&lines), None), "ledger_reordered");
    let mut lines = five().lines;
    let moved = lines.remove(1);
    lines.push(moved);
    assert_eq!(ledger_code(&line_bytes(&lines), None), "ledger_reordered");
    let mut lines = five().lines;
    let dup = lines[1].clone();
    lines.insert(3, dup);
    assert_eq!(ledger_code(&line_bytes(&lines), None), "ledger_duplicate");
}

#[test]
fn entries_that_go_backwards_are_reordered() {
    // Entries 1, 2, 3 then entry 2 of a *different* ledger build with the same index: the
    // receipt is new (no duplicate), the index goes back.
    let l = five();
    let mut other = TestLedger::new(test_server(), "test-1");
    other.append(&sample_envelope(40, true), Timestamp(T0));
    other.append(&sample_envelope(41, true), Timestamp(T0));
    let mut lines = l.lines[..3].to_vec();
    lines.push(other.lines[1].clone());
    assert_eq!(ledger_code(&line_bytes(&lines), None), "ledger_reordered");
}

#[test]
fn edits_are_detected() {
    let lines = five().lines;
    let edit = |i: usize, f: &dyn Fn(&mut Value)| {
        let mut ls = lines.clone();
        let mut v = json::parse(ls[i].as_bytes()).unwrap();
        f(&mut v);
        ls[i] = json::to_canonical_string(&v);
        line_bytes(&ls)
    };
    fn member<'a>(v: &'a mut Value, path: &[&str]) -> &'a mut Value {
        let mut cur = v;
        for p in path {
            let Value::Obj(m) = cur else { panic!() };
            cur = &mut m.iter_mut().find(|(k, _)| k == p).unwrap().1;
        }
        cur
    }
    // The entry's server time, changed in the entry only.
    let e = edit(2, &|v| {
        *member(v, &["entry", "recv"]) = Value::str("2020-01-01T00:00:00.000Z");
    });
    assert_eq!(ledger_code(&e, None), "ledger_entry_mismatch");
    // entry_hash replaced.
    let e = edit(2, &|v| {
        *member(v, &["entry_hash"]) = Value::str(GENESIS.to_hex());
    });
    assert_eq!(ledger_code(&e, None), "ledger_entry_hash_mismatch");
    // One payload byte of a receipt.
    let e = edit(1, &|v| {
        let p = member(v, &["receipt", "payload"]);
        let mut bytes = b64url_decode(p.as_str().unwrap()).unwrap();
        let i = bytes.len() / 3;
        bytes[i] ^= 0x02;
        *p = Value::str(b64url(&bytes));
    });
    assert_eq!(ledger_code(&e, None), "signature_invalid");
    // Not JSON.
    let mut ls = lines.clone();
    ls[0] = "{not json".into();
    assert_eq!(ledger_code(&line_bytes(&ls), None), "ledger_line_malformed");
}

#[test]
fn chain_links_and_subject_flags_are_checked_even_when_the_server_key_signed_them() {
    // An insider with the server key re-signs entry 3 with a wrong `prev`.
    let a = TestSigner::device();
    let mut l = TestLedger::new(test_server(), "test-1");
    l.append(&sample_envelope(1, true), Timestamp(T0));
    l.append(&sample_envelope(2, true), Timestamp(T0));
    l.seq.last_hash = GENESIS;
    l.append(&sample_envelope(3, true), Timestamp(T0));
    assert_eq!(
        ledger_code(l.export().as_bytes(), None),
        "ledger_chain_broken"
    );

    // … or flags a linked receipt as `broken` by forgetting the subject's earlier receipt.
    let r1 = sample_receipt(&a, 1, true);
    let r2 = next_receipt(&a, &r1, 2, true);
    let mut forged = TestLedger::new(test_server(), "test-1");
    forged.append(&a.sign_receipt(&r1), Timestamp(T0));
    let mut fresh = TestLedger::new(test_server(), "test-1");
    fresh.seq = forged.seq.clone();
    let (_, _) = fresh.append(&a.sign_receipt(&r2), Timestamp(T0 + 1));
    let lines = vec![forged.lines[0].clone(), fresh.lines[0].clone()];
    assert_eq!(
        ledger_code(&line_bytes(&lines), None),
        "ledger_subject_chain_mismatch"
    );
}

#[test]
fn a_truncated_export_or_a_foreign_head_is_detected() {
    let l = five();
    let keys = key_set(&[&test_server()]);
    let (head, _) = verify_ledger_head(&l.signed_head(Timestamp(T0 + 9000)), &keys).unwrap();
    let mut lines = l.lines.clone();
    lines.pop();
    assert_eq!(
        ledger_code(&line_bytes(&lines), Some(&head)),
        "ledger_truncated"
    );
    // A head of another history of the same size.
    let mut other = TestLedger::new(test_server(), "test-1");
    for s in 50..55 {
        other.append(&sample_envelope(s, true), Timestamp(T0));
    }
    let (foreign, _) = verify_ledger_head(&other.signed_head(Timestamp(T0 + 9000)), &keys).unwrap();
    assert_eq!(
        ledger_code(l.export().as_bytes(), Some(&foreign)),
        "ledger_head_mismatch"
    );
}

#[test]
fn ledger_heads_are_checked() {
    let l = five();
    let head = l.signed_head(Timestamp(T0));
    let stranger = key_set(&[&TestSigner::from_label("stranger")]);
    assert_eq!(
        verify_ledger_head(&head, &stranger).unwrap_err().code(),
        "head_key_unknown"
    );
    let mut jws = Jws::from_json(&head).unwrap();
    let mut p = b64url_decode(&jws.payload).unwrap();
    let i = p.iter().position(|b| *b == b'5').unwrap(); // "size":5
    p[i] = b'9';
    jws.payload = b64url(&p);
    assert_eq!(
        verify_ledger_head(jws.to_json().as_bytes(), &key_set(&[&test_server()]))
            .unwrap_err()
            .code(),
        "head_signature_invalid"
    );
    assert_eq!(
        verify_ledger_head(b"{}", &key_set(&[&test_server()]))
            .unwrap_err()
            .code(),
        "head_malformed"
    );
}

#[test]
fn random_garbage_in_an_export_never_panics() {
    let export = five().export().into_bytes();
    let keys = key_set(&[&test_server()]);
    let policy = registry();
    let mut x: u32 = 12345;
    for _ in 0..300 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let mut b = export.clone();
        let i = (x as usize) % b.len();
        b[i] ^= (x >> 16) as u8 | 1;
        let cut = (x as usize >> 3) % b.len();
        let _ = verify_ledger_export(&b, &policy, &keys, None);
        let _ = verify_ledger_export(&b[..cut], &policy, &keys, None);
    }
}

#[test]
fn sequencer_links_entries() {
    let l = five();
    let entries: Vec<LedgerEntry> = l
        .lines
        .iter()
        .map(|line| {
            let v = json::parse(line.as_bytes()).unwrap();
            LedgerEntry::from_value(v.get("entry").unwrap()).unwrap()
        })
        .collect();
    assert_eq!(entries[0].prev, GENESIS);
    for w in entries.windows(2) {
        assert_eq!(w[1].index, w[0].index + 1);
        assert_eq!(w[1].prev, w[0].hash());
    }
    let flags: Vec<_> = entries.iter().map(|e| e.subject_chain).collect();
    assert_eq!(
        flags,
        [
            SubjectChain::Start,
            SubjectChain::Linked,
            SubjectChain::Start,
            SubjectChain::Linked,
            SubjectChain::Broken
        ]
    );
}

#[test]
fn a_seq_game_an_older_server_flagged_linked_is_caught_in_the_export() {
    let a = TestSigner::device();
    let r1 = sample_receipt(&a, 1, true);
    let mut r2 = next_receipt(&a, &r1, 2, false);
    r2.chain.subject_seq = (1 << 53) - 1;
    let keys = key_set(&[&test_server()]);
    for (blind, expect) in [(false, Ok(1)), (true, Err("ledger_subject_chain_mismatch"))] {
        let mut l = TestLedger::new(test_server(), "test-1");
        l.seq_blind = blind;
        l.append(&a.sign_receipt(&r1), Timestamp(T0));
        let (e, _) = l.append(&a.sign_receipt(&r2), Timestamp(T0 + 1));
        assert_eq!(
            e.subject_chain,
            if blind {
                SubjectChain::Linked
            } else {
                SubjectChain::Broken
            }
        );
        let got = verify_ledger_export(l.export().as_bytes(), &registry(), &keys, None)
            .map(|c| c.flagged.len())
            .map_err(|e| e.code());
        assert_eq!(got, expect, "seq_blind {blind}");
    }
    // The rule itself: id, hash and seq + 1 all needed.
    let tip = ChainTip::of(&r1, Sha256Digest::of(&r1.payload_bytes()));
    let ok = next_receipt(&a, &r1, 3, true);
    assert_eq!(
        SubjectChain::classify(&ok.chain, Some(&tip)),
        SubjectChain::Linked
    );
    assert_eq!(SubjectChain::classify(&r1.chain, None), SubjectChain::Start);
    assert_eq!(
        SubjectChain::classify(&r1.chain, Some(&tip)),
        SubjectChain::Broken
    );
    assert_eq!(
        SubjectChain::classify(&ok.chain, None),
        SubjectChain::Broken
    );
    let mut first_big = r1;
    first_big.chain.subject_seq = 5;
    assert_eq!(
        SubjectChain::classify(&first_big.chain, None),
        SubjectChain::Broken
    );
    let mut other_id = ok.clone();
    other_id.chain.prev = Some((ok.receipt_id, tip.payload_sha256));
    assert_eq!(
        SubjectChain::classify(&other_id.chain, Some(&tip)),
        SubjectChain::Broken
    );
    let full = ChainTip {
        subject_seq: (1 << 53) - 1,
        ..tip.clone()
    };
    assert_eq!(full.next_seq(), None);
    assert_eq!(tip.next_seq(), Some(1));
}

#[test]
fn current_state_follows_the_chain() {
    let a = TestSigner::device();
    // A ledger written before the server enforced the chain: an "accept all" claiming the
    // largest sequence number, then a withdrawal (seq 1) linked to it.
    let mut r1 = sample_receipt(&a, 1, true);
    r1.chain.subject_seq = (1 << 53) - 1;
    let mut r2 = next_receipt(&a, &r1, 2, false);
    r2.chain.subject_seq = 1;
    let history = [
        HistoryItem {
            receipt: &r2,
            index: 9,
            received_at: Timestamp(T0 + 5),
            subject_chain: SubjectChain::Broken,
        },
        HistoryItem {
            receipt: &r1,
            index: 7,
            received_at: Timestamp(T0),
            subject_chain: SubjectChain::Broken,
        },
    ];
    let state = current_state(&history);
    assert_eq!(state.len(), 1);
    let s = &state[0];
    assert_eq!(
        s.receipt_id, r2.receipt_id,
        "the later ledger entry holds the decision, whatever number the client wrote"
    );
    assert_eq!(s.receipts, 2);
    assert!(!s.chain_intact);
    let marketing = s
        .decisions
        .iter()
        .find(|(p, _)| p.as_str() == "marketing")
        .unwrap();
    assert_eq!(marketing.1, DecisionState::Refused);
    assert_eq!(
        s.to_value().get("purposes").unwrap().get("marketing"),
        Some(&Value::str("refused"))
    );
}

#[test]
fn kantara_export_has_the_required_fields_and_only_what_was_authorised() {
    let a = TestSigner::device();
    let r = sample_receipt(&a, 1, false);
    let bundle = sample_bundle();
    let v = to_kantara(
        &r,
        &KantaraContext {
            received_at: Some(Timestamp(1_795_807_800_999)),
            notice: Some(&bundle),
            countersigned_by: Some("kid-1"),
        },
    );
    for k in [
        "version",
        "jurisdiction",
        "consentTimestamp",
        "collectionMethod",
        "consentReceiptID",
        "publicKey",
        "language",
        "piiPrincipalId",
        "piiControllers",
        "policyUrl",
        "services",
        "sensitive",
        "spiCat",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert_eq!(v.get("version").unwrap().as_str(), Some("KI-CR-v1.1.0"));
    assert_eq!(
        v.get("consentTimestamp").unwrap().as_i64(),
        Some(1_795_807_800)
    );
    assert_eq!(
        v.get("policyUrl").unwrap().as_str(),
        Some("https://support.example.com/privacy")
    );
    let c = &v.get("piiControllers").unwrap().as_array().unwrap()[0];
    assert_eq!(
        c.get("phone").unwrap().as_str(),
        Some("tel:+353-1-555-0100")
    );
    // Everything was refused: no purpose is listed as authorised.
    let services = v.get("services").unwrap().as_array().unwrap();
    assert!(
        services[0]
            .get("purposes")
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty()
    );
    let accepted = to_kantara(&sample_receipt(&a, 2, true), &KantaraContext::default());
    let ps = accepted.get("services").unwrap().as_array().unwrap()[0]
        .get("purposes")
        .unwrap()
        .as_array()
        .unwrap()
        .len();
    assert_eq!(ps, 2, "the two consent purposes, not the contract purpose");
}

#[test]
fn expired_consent_verifies_but_a_required_purpose_cannot_expire() {
    let s = TestSigner::device();
    let mut r = sample_receipt(&s, 1, true);
    r.event.kind = crate::receipt::EventType::Expiry;
    r = r.with_collection(
        crate::receipt::Channel::WebBanner,
        crate::receipt::Interaction::Expiry,
    );
    for d in &mut r.decisions {
        if d.legal_basis == "consent" {
            d.state = DecisionState::Expired;
        }
    }
    verify(&s.sign_receipt(&r), &registry()).unwrap();
    let mut bad = r.clone();
    bad.decisions[0].legal_basis = "consent".into();
    bad.decisions[0].state = DecisionState::Expired;
    assert_eq!(
        verify(&s.sign_receipt(&bad), &VerifyPolicy::default())
            .unwrap_err()
            .code(),
        "required_refused"
    );
}

/// The server key set with the test server's key, created and retired as given.
fn keys_living(created: Option<i64>, retired: Option<i64>) -> KeySet {
    let mut keys = KeySet::new();
    keys.add_with_lifetime(
        test_server().jwk().clone(),
        KeyStatus::Retired,
        created.map(Timestamp),
        retired.map(Timestamp),
    )
    .unwrap();
    keys
}

#[test]
fn a_signature_dated_outside_its_keys_lifetime_is_refused() {
    // Countersigned at T0.
    let env = countersigned(1);
    let code = |keys: &KeySet| verify_countersignature(&env, keys).map_err(|e| e.code());
    assert_eq!(
        code(&keys_living(None, Some(T0 - 1))),
        Err("countersignature_outside_key_lifetime"),
        "dated after the key's retirement"
    );
    assert_eq!(
        code(&keys_living(Some(T0 + 1), None)),
        Err("countersignature_outside_key_lifetime"),
        "dated before the key existed"
    );
    // Its harmless neighbours: within the lifetime, at its edges, or with none stated.
    assert!(code(&keys_living(Some(T0), Some(T0))).is_ok());
    assert!(code(&keys_living(None, None)).is_ok());

    // A ledger head signed at T0 + 5000 likewise.
    let head = five_head_at(3);
    assert_eq!(
        verify_ledger_head(&head, &keys_living(None, Some(T0 + 4999)))
            .unwrap_err()
            .code(),
        "head_outside_key_lifetime"
    );
    assert!(verify_ledger_head(&head, &keys_living(None, Some(T0 + 5000))).is_ok());
}

#[test]
fn key_lifetimes_survive_the_published_key_set() {
    let jwks = jwks_json(&[JwksEntry {
        jwk: test_server().jwk().clone(),
        status: KeyStatus::Retired,
        created: Timestamp(T0 - 1000),
        retired: Some(Timestamp(T0 - 1)),
    }]);
    let keys = KeySet::from_jwks(jwks.as_bytes()).unwrap();
    let k = &keys.keys()[0];
    assert_eq!(k.created, Some(Timestamp(T0 - 1000)));
    assert_eq!(k.retired, Some(Timestamp(T0 - 1)));
    assert_eq!(
        verify_countersignature(&countersigned(1), &keys)
            .unwrap_err()
            .code(),
        "countersignature_outside_key_lifetime"
    );
    // A key retired before it was created is a broken set.
    let broken = jwks_json(&[JwksEntry {
        jwk: test_server().jwk().clone(),
        status: KeyStatus::Retired,
        created: Timestamp(T0),
        retired: Some(Timestamp(T0 - 1)),
    }]);
    assert!(KeySet::from_jwks(broken.as_bytes()).is_err());
}

fn item(r: &Receipt, index: u64, chain: SubjectChain) -> HistoryItem<'_> {
    HistoryItem {
        receipt: r,
        index,
        received_at: Timestamp(T0 + i64::try_from(index).unwrap() * 1000),
        subject_chain: chain,
    }
}

#[test]
fn may_process_answers_from_the_latest_receipt_and_says_since_when() {
    let a = TestSigner::device();
    let purpose = |id: &str| PurposeId::parse(id).unwrap();
    let r1 = sample_receipt(&a, 1, true);
    let r2 = next_receipt(&a, &r1, 2, true);
    let r3 = next_receipt(&a, &r2, 3, false);
    let r4 = next_receipt(&a, &r3, 4, true);
    let r5 = next_receipt(&a, &r4, 5, true);
    // Any order in, ledger order decides.
    let history = [
        item(&r5, 5, SubjectChain::Linked),
        item(&r1, 1, SubjectChain::Start),
        item(&r3, 3, SubjectChain::Linked),
        item(&r2, 2, SubjectChain::Linked),
        item(&r4, 4, SubjectChain::Linked),
    ];
    let ans = may_process(&history, &purpose("marketing"), None);
    assert_eq!(ans.reason, CheckReason::Given);
    assert!(ans.reason.allowed());
    assert_eq!(ans.current.unwrap().receipt.receipt_id, r5.receipt_id);
    assert_eq!(
        ans.since.unwrap().receipt.receipt_id,
        r4.receipt_id,
        "given again at r4 after the refusal at r3: since r4, not r1"
    );
    // Up to the refusal: refused since r3; the required purpose runs throughout, since r1.
    let upto3 = &history[1..4];
    let ans = may_process(upto3, &purpose("marketing"), None);
    assert_eq!(ans.reason, CheckReason::Refused);
    assert!(!ans.reason.allowed());
    assert_eq!(ans.since.unwrap().receipt.receipt_id, r3.receipt_id);
    let req = may_process(upto3, &purpose("support-service"), None);
    assert_eq!(req.reason, CheckReason::Required);
    assert!(req.reason.allowed());
    assert_eq!(req.since.unwrap().receipt.receipt_id, r1.receipt_id);
    // A purpose the notice does not have, a notice the subject never saw, no receipts.
    assert_eq!(
        may_process(&history, &purpose("telemetry"), None).reason,
        CheckReason::NotInNotice
    );
    assert_eq!(
        may_process(&history, &purpose("marketing"), Some("other-notice")).reason,
        CheckReason::NoReceipt
    );
    assert_eq!(
        may_process(&[], &purpose("marketing"), None).reason,
        CheckReason::NoReceipt
    );
    // The notice named explicitly is the one the receipts carry: the same answer.
    let notice = r5.notice.notice_id.as_str().to_owned();
    assert_eq!(
        may_process(&history, &purpose("marketing"), Some(&notice)).reason,
        CheckReason::Given
    );
}

#[test]
fn may_process_allows_nothing_while_the_latest_receipt_breaks_the_chain() {
    let a = TestSigner::device();
    let r1 = sample_receipt(&a, 1, true);
    let r2 = next_receipt(&a, &r1, 2, true);
    let history = [
        item(&r1, 1, SubjectChain::Start),
        item(&r2, 2, SubjectChain::Broken),
    ];
    let ans = may_process(&history, &PurposeId::parse("marketing").unwrap(), None);
    assert_eq!(ans.reason, CheckReason::ChainBroken);
    assert!(!ans.reason.allowed());
    assert_eq!(ans.state, Some(DecisionState::Given));
    // A new receipt that continues the chain is the person's latest act again: the old
    // break further back no longer decides.
    let r3 = next_receipt(&a, &r2, 3, true);
    let history = [
        item(&r1, 1, SubjectChain::Start),
        item(&r2, 2, SubjectChain::Broken),
        item(&r3, 3, SubjectChain::Linked),
    ];
    let ans = may_process(&history, &PurposeId::parse("marketing").unwrap(), None);
    assert_eq!(ans.reason, CheckReason::Given);
    assert_eq!(ans.current.unwrap().receipt.receipt_id, r3.receipt_id);
}

/// A link token signed by `server` (as the receipt server issues them), issued a minute
/// before `T0`.
fn link_token(server: &TestSigner, channel: crate::receipt::Channel, exp: i64) -> String {
    link_token_at(server, channel, T0 - 60_000, exp)
}

fn link_token_at(
    server: &TestSigner,
    channel: crate::receipt::Channel,
    iat: i64,
    exp: i64,
) -> String {
    crate::testing::link_token(server, channel, Timestamp(iat), Timestamp(exp))
}

#[test]
fn a_link_token_binds_a_receipt_only_when_the_server_signed_it_and_it_had_not_expired() {
    use crate::receipt::Channel;
    let device = TestSigner::device();
    let keys = key_set(&[&test_server()]);
    let countersigned_as = |token: &str, received: i64, accept: bool| {
        let r = sample_receipt(&device, 7, accept).with_link(token).unwrap();
        assert_eq!(
            r.event.channel,
            Channel::SupportMailbox,
            "the channel is the token's"
        );
        let mut l = TestLedger::new(test_server(), "test-1");
        let (_, cs) = l.append(&device.sign_receipt(&r), Timestamp(received));
        cs.to_json().into_bytes()
    };
    let countersigned = |token: &str, received: i64| countersigned_as(token, received, true);
    let good = link_token(&test_server(), Channel::SupportMailbox, T0 + 3_600_000);
    let (v, _) = verify_countersigned(&countersigned(&good, T0), &registry(), &keys).unwrap();
    assert_eq!(v.receipt().link.as_deref(), Some(good.as_str()));

    // Received after it expired.
    let e = verify_countersigned(&countersigned(&good, T0 + 3_600_001), &registry(), &keys)
        .unwrap_err();
    assert_eq!(e.code(), "link_expired");
    // … but a "no" made on it is never lost to its expiry (withdrawing as easy as giving).
    verify_countersigned(
        &countersigned_as(&good, T0 + 3_600_001, false),
        &registry(),
        &keys,
    )
    .unwrap();
    // A token that lives over 30 days, or was issued after the receipt arrived, is not one
    // this server issues (a leaked key's long-lived or back-dated token).
    let long = link_token(
        &test_server(),
        Channel::SupportMailbox,
        T0 + 31 * 86_400_000,
    );
    let e = verify_countersigned(&countersigned(&long, T0), &registry(), &keys).unwrap_err();
    assert_eq!(e.code(), "link_invalid");
    let later = link_token_at(
        &test_server(),
        Channel::SupportMailbox,
        T0 + 600_000,
        T0 + 3_600_000,
    );
    let e = verify_countersigned(&countersigned(&later, T0), &registry(), &keys).unwrap_err();
    assert_eq!(e.code(), "link_invalid");
    // Signed by another key (a page script's own), or altered after signing.
    let forged = link_token(
        &TestSigner::other(),
        Channel::SupportMailbox,
        T0 + 3_600_000,
    );
    let e = verify_countersigned(&countersigned(&forged, T0), &registry(), &keys).unwrap_err();
    assert_eq!(e.code(), "link_invalid");
    let (head, rest) = good.split_at(good.len() - 3);
    let altered = alloc::format!("{head}{}", if rest == "AAA" { "BBB" } else { "AAA" });
    let e = verify_countersigned(&countersigned(&altered, T0), &registry(), &keys).unwrap_err();
    assert_eq!(e.code(), "link_invalid");

    // A receipt that claims another channel than its token's is not a receipt.
    let mut r = sample_receipt(&device, 8, true).with_link(&good).unwrap();
    r.event.channel = Channel::WebBanner;
    let e = verify(&device.sign_receipt(&r), &registry()).unwrap_err();
    assert_eq!(e.code(), "receipt_invalid");
}
