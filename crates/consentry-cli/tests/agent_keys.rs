//! `consentry verify` on receipts hotline agents recorded (ADR 0018): a receipt, a ledger
//! export and an evidence pack each verify with the server's agent key set (`--agent-keys`,
//! or the pack's own), and fail closed without it or with another one. Run as the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use consentry_core::bundle::{Direction, Manifest, ManifestEntry};
use consentry_core::encoding::Sha256Digest;
use consentry_core::evidence::{self, Item, NO_AGENT_KEYS, NoticeFiles, Pack, Scope, Summary};
use consentry_core::ids::{PurposeId, ReceiptId, RegionCode};
use consentry_core::json;
use consentry_core::receipt::agent::Call;
use consentry_core::receipt::countersign::SubjectChain;
use consentry_core::receipt::verify::{AgentJwk, JwksEntry, KeyStatus, agent_jwks_json, jwks_json};
use consentry_core::receipt::{Channel, Jurisdiction, Receipt};
use consentry_core::regime::{Regime, RegionSource};
use consentry_core::testing::{
    TestLedger, TestSigner, link_token, sample_hotline_bundle, sample_receipt, test_server,
};
use consentry_core::time::Timestamp;

const T0: i64 = 1_795_807_900_000;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn verify(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consentry"))
        .arg("verify")
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .expect("run consentry")
}

fn agent() -> TestSigner {
    TestSigner::from_label("agent li console key")
}

fn bundle_bytes() -> Vec<u8> {
    sample_hotline_bundle().to_json().into_bytes()
}

/// What agent `agent-li` recorded on call `call_ref`, signed with [`agent`].
fn agent_receipt(seed: u8, call_ref: &str) -> Receipt {
    let b = sample_hotline_bundle();
    Receipt::for_call(&Call {
        bundle: &b,
        bundle_sha256: Sha256Digest::of(&bundle_bytes()),
        jurisdiction: Jurisdiction::single(
            Regime::Pipl,
            Some(RegionCode::parse("CN").unwrap()),
            RegionSource::UserSelection,
        ),
        receipt_id: ReceiptId::from_random_bytes([seed; 16]),
        now: Timestamp(T0 - 1000),
        agent_key: agent().kid(),
        agent_id: "agent-li".into(),
        call_ref: call_ref.into(),
        link: link_token(
            &test_server(),
            Channel::HotlineAgent,
            Timestamp(T0 - 60_000),
            Timestamp(T0 + 3_600_000),
        ),
        answers: vec![(PurposeId::parse("chat-transcript").unwrap(), true)],
        granted_before: Vec::new(),
        known_caller: false,
        prev: None,
    })
    .unwrap()
}

/// The server key set of the tests.
fn server_keys() -> String {
    jwks_json(&[JwksEntry {
        jwk: test_server().jwk().clone(),
        status: KeyStatus::Active,
        created: Timestamp(0),
        retired: None,
    }])
}

/// An agent key set: `key` held by `agent_id` since a day before the calls.
fn agent_keys(agent_id: &str, key: &TestSigner) -> String {
    agent_jwks_json(&[AgentJwk {
        jwk: key.jwk().clone(),
        agent: agent_id.into(),
        created: Timestamp(T0 - 86_400_000),
        revoked: None,
    }])
}

struct Files {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    keys: PathBuf,
    agents: PathBuf,
    /// Another agent's key under the same agent id.
    other: PathBuf,
    /// The right key, held by another agent.
    wang: PathBuf,
}

fn files() -> Files {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let write = |name: &str, body: String| {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p
    };
    Files {
        keys: write("keys.json", server_keys()),
        agents: write("agent-keys.json", agent_keys("agent-li", &agent())),
        other: write(
            "other-agent-keys.json",
            agent_keys(
                "agent-li",
                &TestSigner::from_label("agent wang console key"),
            ),
        ),
        wang: write("wang-agent-keys.json", agent_keys("agent-wang", &agent())),
        dir,
        _tmp: tmp,
    }
}

/// A ledger of a web receipt and two calls agent-li recorded.
fn ledger() -> (TestLedger, Vec<Receipt>) {
    let device = TestSigner::device();
    let web = sample_receipt(&device, 1, true);
    let calls = vec![agent_receipt(7, "CALL-1"), agent_receipt(8, "CALL-2")];
    let mut l = TestLedger::new(test_server(), "test-1");
    l.append(&device.sign_receipt(&web), Timestamp(T0 - 5000));
    for (i, r) in calls.iter().enumerate() {
        l.append(&agent().sign_receipt(r), Timestamp(T0 + i as i64 * 1000));
    }
    (l, calls)
}

fn assert_fails(out: &Output, code: &str, says: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}{err}", text(&out.stdout));
    assert!(err.contains(&format!("[{code}]")), "{err}");
    assert!(err.contains(says), "{err}");
}

#[test]
fn an_agents_receipt_verifies_with_the_agent_key_set_and_fails_closed_without() {
    let f = files();
    let (l, _) = ledger();
    let line = json::parse(l.lines[1].as_bytes()).unwrap();
    let receipt = f.dir.join("receipt.json");
    std::fs::write(
        &receipt,
        json::to_canonical_string(line.get("receipt").unwrap()),
    )
    .unwrap();

    let ok = verify(&[&receipt, &"--keys", &f.keys, &"--agent-keys", &f.agents]);
    let stdout = text(&ok.stdout);
    assert_eq!(ok.status.code(), Some(0), "{stdout}{}", text(&ok.stderr));
    assert!(
        stdout.contains(&format!(
            "agent:       agent-li on call CALL-1, key {} (registered",
            agent().kid()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("read out:    support-service, chat-transcript"),
        "{stdout}"
    );

    // Without the agent key set, with another agent's key, with the key held by another
    // agent, and without the server's keys at all: never valid.
    let out = verify(&[&receipt, &"--keys", &f.keys]);
    assert_fails(
        &out,
        "agent_key_unknown",
        "give the server's agent key set with --agent-keys",
    );
    let out = verify(&[&receipt, &"--keys", &f.keys, &"--agent-keys", &f.other]);
    assert_fails(&out, "agent_key_unknown", "not in the agent key set");
    let out = verify(&[&receipt, &"--keys", &f.keys, &"--agent-keys", &f.wang]);
    assert_fails(&out, "agent_key_mismatch", "agent-wang");
    let out = verify(&[&receipt]);
    assert_fails(&out, "agent_key_unknown", "--agent-keys");

    // --agent-keys alone is a usage error; a broken agent key set an input error.
    let out = verify(&[&receipt, &"--agent-keys", &f.agents]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let bad = f.dir.join("bad.json");
    std::fs::write(&bad, "{\"keys\":{}}").unwrap();
    let out = verify(&[&receipt, &"--keys", &f.keys, &"--agent-keys", &bad]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("[keyset_malformed]"));

    // A web receipt needs no agent key set, and is not disturbed by one.
    let web = json::parse(l.lines[0].as_bytes()).unwrap();
    let web_path = f.dir.join("web.json");
    std::fs::write(
        &web_path,
        json::to_canonical_string(web.get("receipt").unwrap()),
    )
    .unwrap();
    for args in [
        vec![&web_path as &dyn AsRef<std::ffi::OsStr>, &"--keys", &f.keys],
        vec![&web_path, &"--keys", &f.keys, &"--agent-keys", &f.agents],
    ] {
        let out = verify(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(!text(&out.stdout).contains("agent:"));
    }
}

#[test]
fn a_ledger_with_agents_receipts_needs_the_agent_key_set() {
    let f = files();
    let (l, _) = ledger();
    let export = f.dir.join("export.ndjson");
    std::fs::write(&export, l.export()).unwrap();

    let ok = verify(&[
        &"--ledger",
        &export,
        &"--keys",
        &f.keys,
        &"--agent-keys",
        &f.agents,
    ]);
    let stdout = text(&ok.stdout);
    assert_eq!(ok.status.code(), Some(0), "{stdout}{}", text(&ok.stderr));
    assert!(
        stdout.contains("valid ledger test-1: 3 entries"),
        "{stdout}"
    );

    let out = verify(&[&"--ledger", &export, &"--keys", &f.keys]);
    assert_fails(&out, "agent_key_unknown", "--agent-keys");
    assert!(text(&out.stderr).starts_with("invalid ledger: "));
    let out = verify(&[
        &"--ledger",
        &export,
        &"--keys",
        &f.keys,
        &"--agent-keys",
        &f.other,
    ]);
    assert_fails(&out, "agent_key_unknown", "not in the agent key set");
}

/// The notice build of the hotline notice, as the pack holds it.
fn hotline_build() -> NoticeFiles {
    let b = sample_hotline_bundle();
    let bytes = bundle_bytes();
    let digest = Sha256Digest::of(&bytes);
    let file = format!("notice.en.{}.json", &digest.to_hex()[..8]);
    let manifest = Manifest {
        notice_id: b.notice_id.clone(),
        version: b.version.clone(),
        default_locale: b.locale.clone(),
        build_time: None,
        locales: vec![ManifestEntry {
            locale: b.locale.clone(),
            path: file.clone(),
            sha256: digest,
            dir: Direction::Ltr,
            name: "English".into(),
        }],
    };
    let mut files = vec![
        ("manifest.json".to_string(), manifest.to_json()),
        (file, String::from_utf8(bytes).unwrap()),
    ];
    files.sort();
    NoticeFiles {
        notice_id: b.notice_id.as_str().into(),
        version: b.version,
        files,
    }
}

/// A pack of the two calls (no log) holding `agents` as its agent key set (`None`: a pack
/// made before agent keys), written to `name`.
fn write_pack(dir: &Path, name: &str, agents: Option<String>) -> PathBuf {
    let mut l = TestLedger::new(test_server(), "test-1");
    let calls = [agent_receipt(7, "CALL-1"), agent_receipt(8, "CALL-2")];
    let mut entries = Vec::new();
    for (i, r) in calls.iter().enumerate() {
        let (e, _) = l.append(&agent().sign_receipt(r), Timestamp(T0 + i as i64 * 1000));
        entries.push(e);
    }
    let pack = Pack {
        created_at: Timestamp(T0 + 60_000),
        scope: Scope {
            from: Timestamp(T0 - 86_400_000),
            to: Timestamp(T0 + 86_400_000),
            purposes: Vec::new(),
        },
        keys: server_keys(),
        agent_keys: agents,
        log: None,
        notices: vec![hotline_build()],
        ledger: l.export(),
    };
    let summary = Summary::of(
        &pack.scope,
        2,
        entries.iter().zip(&calls).map(|(e, r)| Item {
            index: e.index,
            received_at: e.received_at,
            receipt: r,
            subject_chain: e.subject_chain,
        }),
    );
    assert!(
        summary.receipts[1].chain != SubjectChain::Linked,
        "two calls without prev: the second is flagged, and kept"
    );
    let p = dir.join(name);
    std::fs::write(&p, evidence::render(&pack, &summary)).unwrap();
    p
}

#[test]
fn an_evidence_pack_verifies_agents_receipts_with_its_agent_key_set() {
    let f = files();
    let pack = write_pack(&f.dir, "pack.html", Some(agent_keys("agent-li", &agent())));

    // The pack's own agent keys, said so; pinned with --agent-keys.
    let ok = verify(&[&"--evidence", &pack, &"--keys", &f.keys]);
    let stdout = text(&ok.stdout);
    assert_eq!(ok.status.code(), Some(0), "{stdout}{}", text(&ok.stderr));
    assert!(
        stdout.contains("agents:   2 receipts recorded by hotline agents"),
        "{stdout}"
    );
    assert!(
        stdout.contains("trusted:  agent keys: the pack's own (give --agent-keys to pin them)"),
        "{stdout}"
    );
    let pinned = verify(&[
        &"--evidence",
        &pack,
        &"--keys",
        &f.keys,
        &"--agent-keys",
        &f.agents,
    ]);
    assert_eq!(pinned.status.code(), Some(0), "{}", text(&pinned.stderr));
    assert!(text(&pinned.stdout).contains("trusted:  agent keys: given with --agent-keys"));

    // Another agent key set given: not the pack's (the report lists the pack's).
    for other in [&f.other, &f.wang] {
        let out = verify(&[&"--evidence", &pack, &"--agent-keys", other]);
        assert_fails(&out, "evidence_key_mismatch", "--agent-keys");
    }

    // A pack whose agent key set lacks the key, or holds it for another agent: the receipts
    // do not verify, whatever the report says.
    let empty = write_pack(&f.dir, "empty.html", Some(NO_AGENT_KEYS.into()));
    let out = verify(&[&"--evidence", &empty, &"--keys", &f.keys]);
    assert_fails(
        &out,
        "agent_key_unknown",
        "the pack's agent key set does not hold",
    );
    let wang = write_pack(
        &f.dir,
        "wang.html",
        Some(agent_keys("agent-wang", &agent())),
    );
    assert_fails(
        &verify(&[&"--evidence", &wang]),
        "agent_key_mismatch",
        "agent-wang",
    );
    // Pinning the right set does not rescue a pack that lacks it: the sets differ.
    let out = verify(&[&"--evidence", &empty, &"--agent-keys", &f.agents]);
    assert_fails(&out, "evidence_key_mismatch", "--agent-keys");

    // A key edited in the data block (the report still drawn from the old one): caught.
    let html = std::fs::read_to_string(&pack).unwrap();
    let at = html.find(evidence::DATA_OPEN).unwrap();
    let edited = format!(
        "{}{}",
        &html[..at],
        html[at..].replace(
            "\\\"agent\\\":\\\"agent-li\\\"",
            "\\\"agent\\\":\\\"agent-wu\\\""
        )
    );
    assert_ne!(edited, html);
    let p = f.dir.join("edited.html");
    std::fs::write(&p, edited).unwrap();
    assert_fails(
        &verify(&[&"--evidence", &p]),
        "agent_key_mismatch",
        "agent-wu",
    );
}

#[test]
fn a_pack_made_before_agent_keys_still_verifies_and_has_none() {
    let f = files();
    // Its report and data are schema 1, exactly as servers made them; agents' receipts in it
    // cannot verify (it carries no agent key), a pack of web receipts does.
    let old = write_pack(&f.dir, "old.html", None);
    let html = std::fs::read_to_string(&old).unwrap();
    assert!(html.contains("\"schema\":\"consentry-evidence/1\""));
    assert!(!html.contains("agent_keys") && !html.contains("--agent-keys"));
    let out = verify(&[&"--evidence", &old, &"--keys", &f.keys]);
    assert_fails(
        &out,
        "agent_key_unknown",
        "the pack was made before agent keys",
    );

    let device = TestSigner::device();
    let web = sample_receipt(&device, 1, true);
    let mut l = TestLedger::new(test_server(), "test-1");
    let (e, _) = l.append(&device.sign_receipt(&web), Timestamp(T0));
    let bytes = consentry_core::testing::sample_bundle_bytes();
    let b = consentry_core::testing::sample_bundle();
    let digest = Sha256Digest::of(&bytes);
    let file = format!("notice.en.{}.json", &digest.to_hex()[..8]);
    let manifest = Manifest {
        notice_id: b.notice_id.clone(),
        version: b.version.clone(),
        default_locale: b.locale.clone(),
        build_time: None,
        locales: vec![ManifestEntry {
            locale: b.locale.clone(),
            path: file.clone(),
            sha256: digest,
            dir: Direction::Ltr,
            name: "English".into(),
        }],
    };
    let pack = Pack {
        created_at: Timestamp(T0 + 60_000),
        scope: Scope {
            from: Timestamp(T0 - 86_400_000),
            to: Timestamp(T0 + 86_400_000),
            purposes: Vec::new(),
        },
        keys: server_keys(),
        agent_keys: None,
        log: None,
        notices: vec![NoticeFiles {
            notice_id: b.notice_id.as_str().into(),
            version: b.version.clone(),
            files: vec![
                ("manifest.json".into(), manifest.to_json()),
                (file, String::from_utf8(bytes).unwrap()),
            ],
        }],
        ledger: l.export(),
    };
    let summary = Summary::of(
        &pack.scope,
        1,
        [Item {
            index: e.index,
            received_at: e.received_at,
            receipt: &web,
            subject_chain: e.subject_chain,
        }],
    );
    let p = f.dir.join("old-web.html");
    std::fs::write(&p, evidence::render(&pack, &summary)).unwrap();
    let ok = verify(&[&"--evidence", &p, &"--keys", &f.keys]);
    let stdout = text(&ok.stdout);
    assert_eq!(ok.status.code(), Some(0), "{stdout}{}", text(&ok.stderr));
    assert!(
        stdout.contains("trusted:  agent keys: none (a pack made before agent keys)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("agents:   no receipt recorded by a hotline agent (0 agent keys)"),
        "{stdout}"
    );
    // Pinning an agent key set against it: only the empty one matches.
    let empty = f.dir.join("empty-agent-keys.json");
    std::fs::write(&empty, NO_AGENT_KEYS).unwrap();
    let out = verify(&[&"--evidence", &p, &"--agent-keys", &empty]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = verify(&[&"--evidence", &p, &"--agent-keys", &f.agents]);
    assert_fails(&out, "evidence_key_mismatch", "--agent-keys");
}

/// An assessor verifies a pack years later with the key sets the server publishes then: keys
/// retired or revoked since the pack was made, and keys made since, still pin it; a key set
/// that changes what the pack showed at the time does not.
#[test]
fn a_pack_verifies_with_the_servers_key_sets_as_published_later() {
    let f = files();
    let pack = write_pack(&f.dir, "pack.html", Some(agent_keys("agent-li", &agent())));
    let made = T0 + 60_000;
    let day = 86_400_000;
    let write = |name: &str, body: String| {
        let p = f.dir.join(name);
        std::fs::write(&p, body).unwrap();
        p
    };
    let li = |revoked: Option<i64>| AgentJwk {
        jwk: agent().jwk().clone(),
        agent: "agent-li".into(),
        created: Timestamp(T0 - day),
        revoked: revoked.map(Timestamp),
    };
    let new_agent = |created: i64| AgentJwk {
        jwk: TestSigner::from_label("agent zhao console key")
            .jwk()
            .clone(),
        agent: "agent-zhao".into(),
        created: Timestamp(created),
        revoked: None,
    };
    let server = |retired: Option<i64>, next: Option<i64>| {
        let mut v = vec![JwksEntry {
            jwk: test_server().jwk().clone(),
            status: if retired.is_some() {
                KeyStatus::Retired
            } else {
                KeyStatus::Active
            },
            created: Timestamp(0),
            retired: retired.map(Timestamp),
        }];
        if let Some(c) = next {
            v.push(JwksEntry {
                jwk: TestSigner::from_label("the server's next key")
                    .jwk()
                    .clone(),
                status: KeyStatus::Active,
                created: Timestamp(c),
                retired: None,
            });
        }
        jwks_json(&v)
    };
    let run = |keys: &Path, agents: &Path| {
        verify(&[
            &"--evidence",
            &pack,
            &"--keys",
            &keys,
            &"--agent-keys",
            &agents,
        ])
    };

    // A year on: li's key revoked, a new agent, the server's key rotated. Still the pack's.
    let later_agents = write(
        "later-agents.json",
        agent_jwks_json(&[li(Some(made + 365 * day)), new_agent(made + 30 * day)]),
    );
    let later_keys = write(
        "later-keys.json",
        server(Some(made + 200 * day), Some(made + 200 * day)),
    );
    let ok = run(&later_keys, &later_agents);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}{}",
        text(&ok.stdout),
        text(&ok.stderr)
    );

    // A revocation dated before the pack was made: the pack showed the key in use then.
    let early = write(
        "early-revoked.json",
        agent_jwks_json(&[li(Some(made - 1000))]),
    );
    assert_fails(
        &run(&f.keys, &early),
        "evidence_key_mismatch",
        "ends at another time",
    );
    // A key from before the pack that the pack does not list.
    let hidden = write(
        "hidden-agent.json",
        agent_jwks_json(&[li(None), new_agent(made - day)]),
    );
    assert_fails(
        &run(&f.keys, &hidden),
        "evidence_key_mismatch",
        "from before the pack",
    );
    // The server's key retired before the pack was made, or a second key of the server's
    // from before it: not the pack's set.
    let retired = write("retired-early.json", server(Some(made - 1000), None));
    assert_fails(
        &run(&retired, &f.agents),
        "evidence_key_mismatch",
        "given with --keys",
    );
    let second = write("second-early.json", server(None, Some(made - day)));
    assert_fails(
        &run(&second, &f.agents),
        "evidence_key_mismatch",
        "from before the pack",
    );
}
