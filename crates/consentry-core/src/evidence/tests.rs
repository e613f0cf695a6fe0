use super::*;
use crate::testing::{TestSigner, sample_receipt};

fn pack(ledger: &str) -> Pack {
    Pack {
        created_at: Timestamp(1_796_000_000_000),
        scope: Scope {
            from: Timestamp(1_795_000_000_000),
            to: Timestamp(1_797_000_000_000),
            purposes: Vec::new(),
        },
        keys: String::from("{\"keys\":[{\"kid\":\"k1\"}]}"),
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
