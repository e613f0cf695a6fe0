use super::*;
use crate::testing::{TestSigner, sample_receipt};

/// A pack of [`SCHEMA_V1`], as servers made them before agent keys.
fn pack_v1(ledger: &str) -> Pack {
    Pack {
        agent_keys: None,
        ..pack(ledger)
    }
}

fn pack(ledger: &str) -> Pack {
    Pack {
        created_at: Timestamp(1_796_000_000_000),
        scope: Scope {
            from: Timestamp(1_795_000_000_000),
            to: Timestamp(1_797_000_000_000),
            purposes: Vec::new(),
        },
        keys: String::from("{\"keys\":[{\"kid\":\"k1\"}]}"),
        agent_keys: Some(String::from(
            "{\"keys\":[{\"agent\":\"agent-0a1b2c3d4e5f\",\"kid\":\"ak1\",\"created\":\"2026-11-01T00:00:00Z\",\"revoked\":\"2026-11-20T00:00:00Z\"},\
             {\"agent\":\"agent-<b>\",\"kid\":\"ak2\",\"created\":\"2026-11-02T00:00:00Z\"}]}",
        )),
        log: Some(LogPart {
            origin: "consentry.test/log".into(),
            verifier_key: "consentry.test/log+01234567+AAAA".into(),
            witnesses: alloc::vec!["w+1+BBBB".into()],
            checkpoint: "consentry.test/log\n1\nAAAA=\n\n— consentry.test/log sig\n".into(),
        }),
        notices: alloc::vec![NoticeFiles {
            notice_id: "n".into(),
            version: "1".into(),
            files: alloc::vec![("manifest.json".into(), "{}</script><b>".into())],
        }],
        ledger: String::from(ledger),
    }
}

#[test]
fn the_parts_come_back_from_the_file_exactly() {
    let p = pack("{\"entry\":1}\n");
    let html = render(&p, &Summary::default());
    assert_eq!(read(&html).unwrap(), p);
    // The same parts draw the same bytes.
    assert_eq!(render(&read(&html).unwrap(), &Summary::default()), html);
    // Nothing inside the data can close its block: one `</script>` after the data, none in it.
    assert_eq!(html.matches("</script>").count(), 1);
    assert!(html.contains("\\u003c/script>\\u003cb>"));
    assert!(html.contains(&alloc::format!("\"schema\":\"{SCHEMA}\"")));
}

#[test]
fn the_report_lists_the_agent_keys_and_how_to_pin_them() {
    let html = render(&pack(""), &Summary::default());
    let keys = &html[html.find("<h2>Keys and").unwrap()..html.find("<h2>Receipts").unwrap()];
    assert!(
        keys.contains("<caption>Hotline agent keys</caption>"),
        "{keys}"
    );
    assert!(keys.contains(
        "<tr><td>agent-0a1b2c3d4e5f</td><td><code>ak1</code></td><td>2026-11-01T00:00:00Z</td>\
         <td>2026-11-20T00:00:00Z</td></tr>"
    ));
    assert!(keys.contains("<td>agent-&lt;b&gt;</td><td><code>ak2</code></td><td>2026-11-02T00:00:00Z</td><td>not revoked</td>"));
    assert!(html.contains("--keys keys.json \\\n  --agent-keys agent-keys.json</pre>"));
    // A server without agents: the set is empty, and the report says so.
    let none = Pack {
        agent_keys: Some(String::from(NO_AGENT_KEYS)),
        ..pack("")
    };
    let html = render(&none, &Summary::default());
    assert!(html.contains("<p>Hotline agent keys: none registered"));
    assert_eq!(read(&html).unwrap().agent_key_set(), NO_AGENT_KEYS);
    // The receipts table stays the last table of the report.
    assert!(html.rfind("<table>").unwrap() > html.find("<h2>Receipts").unwrap());
}

#[test]
fn a_pack_made_before_agent_keys_reads_and_redraws_byte_for_byte() {
    // Drawn by the code before agent keys (schema 1) from the parts below: a pack an assessor
    // may hold must verify for as long as the receipts it proves.
    let golden = include_str!("../../tests/regression/evidence-v1.html");
    let device = TestSigner::device();
    let given = sample_receipt(&device, 1, true);
    let refused = sample_receipt(&device, 2, false);
    let p = pack_v1("{\"entry\":1}\n");
    let day = 86_400_000;
    let t0 = Timestamp(1_795_000_000_000 + day);
    let items = [
        Item {
            index: 1,
            received_at: t0,
            receipt: &given,
            subject_chain: SubjectChain::Start,
        },
        Item {
            index: 2,
            received_at: Timestamp(t0.0 + day),
            receipt: &refused,
            subject_chain: SubjectChain::Linked,
        },
    ];
    let s = Summary::of(&p.scope, 2, items);
    let back = read(golden).unwrap();
    assert_eq!(back, p);
    assert_eq!(back.schema(), SCHEMA_V1);
    assert_eq!(back.agent_key_set(), NO_AGENT_KEYS);
    assert_eq!(render(&back, &s), golden);
    assert!(!golden.contains("agent"));
    // Schema 1 has no agent key set, and schema 2 cannot leave it out.
    let with = golden.replace("\"created_at\"", "\"agent_keys\":\"{}\",\"created_at\"");
    assert!(
        matches!(read(&with), Err(EvidenceError::Member(m)) if m.contains("agent_keys")),
        "a schema-1 pack with agent keys is refused"
    );
    let without = golden.replace(SCHEMA_V1, SCHEMA);
    assert!(
        matches!(read(&without), Err(EvidenceError::Member(m)) if m.contains("agent_keys is missing"))
    );
}

#[test]
fn a_file_without_one_well_formed_block_is_refused() {
    let html = render(&pack(""), &Summary::default());
    assert_eq!(
        read("<html></html>").unwrap_err().code(),
        "evidence_malformed"
    );
    let twice = alloc::format!("{html}{DATA_OPEN}{{}}{DATA_CLOSE}");
    assert!(matches!(read(&twice), Err(EvidenceError::Block(_))));
    let unknown = html.replace("\"created_at\"", "\"extra\":1,\"created_at\"");
    assert!(
        matches!(read(&unknown), Err(EvidenceError::Member(m)) if m.contains("extra")),
        "an unknown member is refused, not skipped"
    );
    let schema = html.replace(SCHEMA, "consentry-evidence/9");
    assert_eq!(read(&schema).unwrap_err().code(), "evidence_schema");
    let unclosed = &html[..html.rfind(DATA_CLOSE).unwrap()];
    assert!(matches!(read(unclosed), Err(EvidenceError::Block(_))));
}

#[test]
fn the_summary_counts_only_receipts_and_purposes_in_scope() {
    let device = TestSigner::device();
    let given = sample_receipt(&device, 1, true);
    let refused = sample_receipt(&device, 2, false);
    let outside = sample_receipt(&device, 3, true);
    let day = 86_400_000;
    let t0 = Timestamp(1_795_000_000_000 + day);
    let items = [
        Item {
            index: 1,
            received_at: Timestamp(1_794_000_000_000),
            receipt: &outside,
            subject_chain: SubjectChain::Start,
        },
        Item {
            index: 2,
            received_at: t0,
            receipt: &given,
            subject_chain: SubjectChain::Start,
        },
        Item {
            index: 3,
            received_at: Timestamp(t0.0 + day),
            receipt: &refused,
            subject_chain: SubjectChain::Linked,
        },
    ];
    let consent: Vec<String> = given
        .decisions
        .iter()
        .filter(|d| d.state == DecisionState::Given)
        .map(|d| String::from(d.purpose_id.as_str()))
        .collect();
    let one = consent[0].clone();
    let mut scope = pack("").scope;
    scope.purposes = alloc::vec![one.clone()];
    let s = Summary::of(&scope, 3, items);
    assert_eq!(s.entries, 3);
    assert_eq!(
        s.receipts.iter().map(|r| r.index).collect::<Vec<_>>(),
        [2, 3],
        "entry 1 was received before the scope"
    );
    assert!(s.receipts.iter().all(|r| r.decisions.len() == 1));
    assert_eq!(s.rows.len(), 1);
    let c = s.rows.values().next().unwrap();
    assert_eq!((c.given, c.refused, c.permille()), (1, 1, Some(500)));
    assert_eq!(s.days.len(), 2, "one bucket per UTC day");
    let html = render(&pack(""), &s);
    assert!(html.contains("50.0 %"));
    assert!(html.contains(&alloc::format!("Consent rate per day: {one}")));
    assert!(html.contains("role=\"img\""));
}

/// A ledger of a web receipt and a receipt hotline agent `agent-li` recorded, with the server
/// key set and the agent key set a pack carries.
#[cfg(feature = "verify")]
mod agents {
    use super::*;
    use crate::encoding::Sha256Digest;
    use crate::ids::{PurposeId, RegionCode};
    use crate::receipt::agent::Call;
    use crate::receipt::verify::{
        AgentJwk, JwksEntry, KeySet, KeyStatus, VerifyPolicy, agent_jwks_json, jwks_json,
        verify_ledger_export,
    };
    use crate::receipt::{Channel, Jurisdiction};
    use crate::regime::{Regime, RegionSource};
    use crate::testing::{TestLedger, link_token, sample_hotline_bundle, test_server};

    const T0: i64 = 1_795_807_900_000;

    fn agent() -> TestSigner {
        TestSigner::from_label("agent li console key")
    }

    fn agent_set(agent_id: &str, key: &TestSigner) -> String {
        agent_jwks_json(&[AgentJwk {
            jwk: key.jwk().clone(),
            agent: agent_id.into(),
            created: Timestamp(T0 - 86_400_000),
            revoked: None,
        }])
    }

    fn agent_pack() -> (Pack, Summary) {
        let b = sample_hotline_bundle();
        let r = Receipt::for_call(&Call {
            bundle: &b,
            bundle_sha256: Sha256Digest::of(b.to_json().as_bytes()),
            jurisdiction: Jurisdiction::single(
                Regime::Pipl,
                Some(RegionCode::parse("CN").unwrap()),
                RegionSource::UserSelection,
            ),
            receipt_id: crate::ids::ReceiptId::from_random_bytes([9; 16]),
            now: Timestamp(T0 - 1000),
            agent_key: agent().kid(),
            agent_id: "agent-li".into(),
            call_ref: "CALL-2026-0001".into(),
            link: link_token(
                &test_server(),
                Channel::HotlineAgent,
                Timestamp(T0 - 60_000),
                Timestamp(T0 + 3_600_000),
            ),
            answers: alloc::vec![(PurposeId::parse("chat-transcript").unwrap(), true)],
            granted_before: Vec::new(),
            known_caller: false,
            prev: None,
        })
        .unwrap();
        let device = TestSigner::device();
        let web = sample_receipt(&device, 1, true);
        let mut l = TestLedger::new(test_server(), "test-1");
        l.append(&device.sign_receipt(&web), Timestamp(T0 - 5000));
        l.append(&agent().sign_receipt(&r), Timestamp(T0));
        let p = Pack {
            keys: jwks_json(&[JwksEntry {
                jwk: test_server().jwk().clone(),
                status: KeyStatus::Active,
                created: Timestamp(0),
                retired: None,
            }]),
            agent_keys: Some(agent_set("agent-li", &agent())),
            log: None,
            notices: Vec::new(),
            ..pack(&l.export())
        };
        let items = [(1, T0 - 5000, &web), (2, T0, &r)].map(|(index, at, receipt)| Item {
            index,
            received_at: Timestamp(at),
            receipt,
            subject_chain: SubjectChain::Start,
        });
        let s = Summary::of(&p.scope, 2, items);
        (p, s)
    }

    /// Verifies the pack's ledger with its server keys and the agent key set `agents`.
    fn check(p: &Pack, agents: &str) -> Result<(), &'static str> {
        let mut keys = KeySet::from_jwks(p.keys.as_bytes()).unwrap();
        keys.add_agent_jwks(agents.as_bytes()).unwrap();
        verify_ledger_export(p.ledger.as_bytes(), &VerifyPolicy::default(), &keys, None)
            .map(|_| ())
            .map_err(|e| e.code())
    }

    #[test]
    fn a_pack_with_an_agent_receipt_verifies_with_its_agent_key_set_only() {
        let (p, s) = agent_pack();
        // The call counts for what was read out, never for what the caller was not asked.
        let on_hotline: Vec<&str> = s
            .rows
            .keys()
            .filter(|k| k.2 == "hotline_agent")
            .map(|k| k.0.as_str())
            .collect();
        assert_eq!(on_hotline, ["chat-transcript", "support-service"]);
        assert_eq!(s.receipts[1].decisions.len(), 2);
        let html = render(&p, &s);
        let back = read(&html).unwrap();
        assert_eq!(back, p);
        assert_eq!(render(&back, &s), html);
        assert!(html.contains(&alloc::format!(
            "<td>agent-li</td><td><code>{}</code></td>",
            agent().kid()
        )));
        assert!(html.contains("<td>hotline_agent</td>"));

        check(&back, back.agent_key_set()).unwrap();
        // Without agent keys (as a pack made before them), with another agent's key, or with
        // the same key held by another agent: the agent's receipt does not verify.
        assert_eq!(check(&back, NO_AGENT_KEYS), Err("agent_key_unknown"));
        let other = agent_set(
            "agent-li",
            &TestSigner::from_label("agent wang console key"),
        );
        assert_eq!(check(&back, &other), Err("agent_key_unknown"));
        assert_eq!(
            check(&back, &agent_set("agent-wang", &agent())),
            Err("agent_key_mismatch")
        );
    }
}
