use super::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// RFC 6962 reference vectors (certificate-transparency `merkle_tree_test.cc`).
#[test]
fn rfc6962_roots_and_proofs() {
    let data = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ];
    let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    let leaves: Vec<Hash> = data
        .iter()
        .map(|d| tlog_tiles::record_hash(&hex(d)))
        .collect();
    let t = MemoryTree::from_leaves(&leaves);
    for (n, r) in roots.iter().enumerate() {
        assert_eq!(
            t.root(n as u64 + 1).unwrap().0.to_vec(),
            hex(r),
            "root {}",
            n + 1
        );
    }
    // The DB path (append from a frontier) gives the same roots.
    for old in 0..8u64 {
        let frontier = MapReader(
            root_indexes(old)
                .into_iter()
                .map(|i| (i, t.reader().0[&i]))
                .collect(),
        );
        let (_, root) = append(old, &frontier, &leaves[old as usize..]).unwrap();
        assert_eq!(root.0.to_vec(), hex(roots[7]));
    }
    // Every inclusion and consistency proof checks; a wrong leaf or root does not.
    let root8 = t.root(8).unwrap();
    for i in 0..8 {
        let p = t.inclusion(i, 8).unwrap();
        check_inclusion(&p, 8, root8, i, leaves[i as usize]).unwrap();
        let err = check_inclusion(&p, 8, root8, i, leaves[(i as usize + 1) % 8]).unwrap_err();
        assert_eq!(err.code, "inclusion_invalid");
        // One proof does not fit another size (certificate-transparency-rfcs #100).
        if i < 7 {
            assert!(check_inclusion(&p, 7, t.root(7).unwrap(), i, leaves[i as usize]).is_err());
        }
    }
    for old in 1..=8 {
        let p = t.consistency(old, 8).unwrap();
        check_consistency(&p, old, t.root(old).unwrap(), 8, root8).unwrap();
        if old < 8 {
            let e = check_consistency(&p, old, Hash([9; 32]), 8, root8).unwrap_err();
            assert_eq!(e.code, "log_inconsistent");
            // An empty proof never proves m < n (certificate-transparency-rfcs #326).
            assert!(check_consistency(&[], old, t.root(old).unwrap(), 8, root8).is_err());
        }
    }
    assert!(check_consistency(&[], 5, root8, 4, root8).is_err());
}

#[test]
fn tiles_in_tree() {
    let t = parse_tile_path("0/000.p/3").unwrap();
    assert!(tile_in_tree(&t, 3));
    assert!(!tile_in_tree(&t, 2));
    assert_eq!(tile_indexes(&t).len(), 3);
    let full = parse_tile_path("1/000").unwrap();
    assert!(tile_in_tree(&full, 65536));
    assert!(!tile_in_tree(&full, 65535));
    assert!(parse_tile_path("0/000.p/0").is_none());
    assert!(parse_tile_path("0/1").is_none());
    assert!(parse_tile_path("data/000").is_none());
    assert_eq!(
        parse_tile_path("0/x001/234.p/7").map(|t| (t.level_index(), t.width())),
        Some((1234, 7))
    );
}

struct Keys {
    log: LogSigner,
    logv: StandardVerifier,
    wit: CosignatureSigner,
    witv: CosignatureVerifier,
}

fn keys() -> Keys {
    let log = LogSigner::from_private(&LogSigner::generate("example.com/log").unwrap()).unwrap();
    let logv = log_verifier(log.verifier_key()).unwrap();
    let wit = CosignatureSigner::from_private(&CosignatureSigner::generate("w1").unwrap()).unwrap();
    let witv = CosignatureVerifier::new(&wit.verifier_key()).unwrap();
    Keys {
        log,
        logv,
        wit,
        witv,
    }
}

#[test]
fn checkpoints_cosignatures_and_proof_texts() {
    let k = keys();
    let leaves: Vec<Hash> = (0u8..5).map(|i| leaf_hash(&[i; 32])).collect();
    let t = MemoryTree::from_leaves(&leaves);
    let note = k.log.sign(5, t.root(5).unwrap()).unwrap();
    let v = verify_checkpoint(note.as_bytes(), &k.logv, &[]).unwrap();
    assert_eq!(v.checkpoint.size(), 5);
    // A required witness that did not cosign.
    let e = verify_checkpoint(note.as_bytes(), &k.logv, std::slice::from_ref(&k.witv)).unwrap_err();
    assert_eq!(e.code, "checkpoint_unwitnessed");
    let cosigned = format!("{note}{}", k.wit.cosign(&v.text, 1_700_000_000).unwrap());
    let v = verify_checkpoint(cosigned.as_bytes(), &k.logv, std::slice::from_ref(&k.witv)).unwrap();
    assert_eq!(v.witnessed, vec![("w1".to_string(), 1_700_000_000)]);
    // Another log key: refused.
    let other = keys();
    let e = verify_checkpoint(cosigned.as_bytes(), &other.logv, &[]).unwrap_err();
    assert_eq!(e.code, "checkpoint_signature_invalid");
    // Proof text round trip and check.
    let p = Proof {
        index: 3,
        hashes: t.inclusion(3, 5).unwrap(),
        checkpoint: cosigned.into_bytes(),
    };
    let parsed = Proof::parse(&p.to_text()).unwrap();
    assert_eq!(parsed, p);
    parsed
        .verify(leaves[3], &k.logv, std::slice::from_ref(&k.witv))
        .unwrap();
    assert_eq!(
        parsed.verify(leaves[2], &k.logv, &[]).unwrap_err().code,
        "inclusion_invalid"
    );
    assert!(Proof::parse("c2sp.org/tlog-proof@v1\nindex 01\n\nx").is_err());
    assert!(Proof::parse("garbage").is_err());
}

#[test]
fn witness_cosigns_consistent_checkpoints_only() {
    let k = keys();
    let dir =
        std::env::temp_dir().join(format!("ccr-witness-{}", sha256_hex(k.log.verifier_key())));
    let w = Witness::open(k.logv.clone(), k.wit, &dir).unwrap();
    let leaves: Vec<Hash> = (0u8..9).map(|i| leaf_hash(&[i; 32])).collect();
    let t = MemoryTree::from_leaves(&leaves);
    let cp = |n: u64| k.log.sign(n, t.root(n).unwrap()).unwrap();
    let req =
        |old: u64, proof: &[Hash], note: &str| format!("old {old}\n{}\n{note}", hash_lines(proof));
    let a = w.add_checkpoint(req(0, &[], &cp(4)).as_bytes(), 1);
    assert_eq!(a.status, 200, "{}", a.body);
    let line = a.body;
    assert!(line.starts_with("— w1 "));
    assert!(
        verify_checkpoint(
            format!("{}{line}", cp(4)).as_bytes(),
            &k.logv,
            std::slice::from_ref(&k.witv)
        )
        .is_ok()
    );
    // Stale `old`: 409 with the size it has.
    let a = w.add_checkpoint(req(0, &[], &cp(6)).as_bytes(), 2);
    assert_eq!((a.status, a.body.as_str()), (409, "4\n"));
    // A bad proof: 422.
    let a = w.add_checkpoint(
        req(4, &t.consistency(4, 6).unwrap()[1..], &cp(6)).as_bytes(),
        2,
    );
    assert_eq!(a.status, 422);
    // A rewritten tree of the same size: 422.
    let forged = MemoryTree::from_leaves(&leaves[1..5]);
    let a = w.add_checkpoint(
        req(4, &[], &k.log.sign(4, forged.root(4).unwrap()).unwrap()).as_bytes(),
        2,
    );
    assert_eq!(a.status, 422);
    // Consistent: 200, persisted across a restart.
    let a = w.add_checkpoint(req(4, &t.consistency(4, 9).unwrap(), &cp(9)).as_bytes(), 3);
    assert_eq!(a.status, 200, "{}", a.body);
    let again = Witness::open(
        k.logv.clone(),
        CosignatureSigner::from_private(&CosignatureSigner::generate("w1").unwrap()).unwrap(),
        &dir,
    )
    .unwrap();
    assert_eq!(again.latest().unwrap().size, 9);
    // Another key for the origin: 403; malformed: 400.
    let other = keys();
    let a = w.add_checkpoint(
        req(9, &[], &other.log.sign(10, t.root(9).unwrap()).unwrap()).as_bytes(),
        3,
    );
    assert_eq!(a.status, 403);
    assert_eq!(w.add_checkpoint(b"junk", 3).status, 400);
    let _ = std::fs::remove_dir_all(&dir);
}
