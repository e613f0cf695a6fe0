//! Receipts a hotline agent records: the script, the receipt, the agent key set.

use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::bundle::LocaleBundle;
use crate::ids::{PurposeId, ReceiptId, RegionCode};
use crate::receipt::agent::{Call, Step, script};
use crate::receipt::ledger::{CheckReason, HistoryItem, may_process};
use crate::receipt::{Channel, DecisionState, Jurisdiction};
use crate::regime::{Regime, RegionSource};
use crate::testing::{
    TestLedger, TestSigner, key_set, link_token, sample_hotline_bundle, test_server,
};
use crate::time::Timestamp;

const T0: i64 = 1_795_807_900_000;

fn pid(s: &str) -> PurposeId {
    PurposeId::parse(s).unwrap()
}

fn hotline_bundle() -> LocaleBundle {
    sample_hotline_bundle()
}

fn bytes() -> Vec<u8> {
    hotline_bundle().to_json().into_bytes()
}

fn registry() -> VerifyPolicy {
    let mut r = NoticeRegistry::new();
    r.add_bundle(&bytes()).unwrap();
    VerifyPolicy { notices: Some(r) }
}

fn cn() -> Jurisdiction {
    Jurisdiction::single(
        Regime::Pipl,
        Some(RegionCode::parse("CN").unwrap()),
        RegionSource::UserSelection,
    )
}

fn agent() -> TestSigner {
    TestSigner::from_label("agent li console key")
}

fn call<'a>(b: &'a LocaleBundle, answers: &[(&str, bool)]) -> Call<'a> {
    Call {
        bundle: b,
        bundle_sha256: Sha256Digest::of(&bytes()),
        jurisdiction: cn(),
        receipt_id: ReceiptId::from_random_bytes([9; 16]),
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
        answers: answers.iter().map(|(p, a)| (pid(p), *a)).collect(),
        granted_before: Vec::new(),
        known_caller: false,
        prev: None,
    }
}

fn keys_with(agent_id: &str, created: i64, revoked: Option<i64>) -> KeySet {
    let mut keys = key_set(&[&test_server()]);
    keys.add_agent(AgentJwk {
        jwk: agent().jwk().clone(),
        agent: agent_id.into(),
        created: Timestamp(created),
        revoked: revoked.map(Timestamp),
    })
    .unwrap();
    keys
}

fn countersigned(r: &Receipt, at: i64) -> Vec<u8> {
    let mut l = TestLedger::new(test_server(), "test-1");
    let (_, cs) = l.append(&agent().sign_receipt(r), Timestamp(at));
    cs.to_json().into_bytes()
}

#[test]
fn the_script_asks_separately_where_a_law_in_force_requires_it() {
    let b = hotline_bundle();
    let steps = |j: &Jurisdiction| {
        let applied = j.applied();
        let f = j.in_force(&applied, false, false);
        script(&b, &f)
            .into_iter()
            .map(|(p, s)| (String::from(p.id.as_str()), s))
            .collect::<Vec<_>>()
    };
    // PIPL Art. 39: a transfer abroad needs separate consent; marketing is not on the hotline.
    assert_eq!(
        steps(&cn()),
        [
            ("support-service".into(), Step::Statement),
            ("chat-transcript".into(), Step::Separate)
        ]
    );
    // The GDPR with a transfer under SCCs: an ordinary question.
    let de = Jurisdiction::single(
        Regime::Gdpr,
        Some(RegionCode::parse("DE").unwrap()),
        RegionSource::UserSelection,
    );
    assert_eq!(steps(&de)[1], ("chat-transcript".into(), Step::Question));
}

#[test]
fn an_agent_receipt_verifies_with_the_agent_key_set_and_speaks_only_for_what_was_read_out() {
    let b = hotline_bundle();
    let r = Receipt::for_call(&call(&b, &[("chat-transcript", true)])).unwrap();
    let a = r.agent.as_ref().unwrap();
    assert_eq!(a.read_out, [pid("support-service"), pid("chat-transcript")]);
    let state = |id: &str| {
        r.decisions
            .iter()
            .find(|d| d.purpose_id == pid(id))
            .unwrap()
    };
    assert_eq!(state("chat-transcript").state, DecisionState::Given);
    assert!(state("chat-transcript").separate_consent);
    assert_eq!(state("marketing").state, DecisionState::Refused);
    let payload = String::from_utf8(r.payload_bytes()).unwrap();
    assert!(payload.contains(r#""pseudonym_type":"agent_key_thumbprint""#));
    assert!(payload.contains(r#""channel":"hotline_agent","interaction":"agent_recorded""#));

    let env = countersigned(&r, T0);
    let keys = keys_with("agent-li", T0 - 86_400_000, None);
    let (v, cs) = verify_countersigned(&env, &registry(), &keys).unwrap();
    assert_eq!(v.receipt(), &r);

    // A web "yes" to marketing earlier stays the answer: the caller was not asked about it.
    let web = crate::testing::sample_receipt(&TestSigner::device(), 3, true);
    let history = [
        HistoryItem {
            index: 1,
            received_at: Timestamp(T0 - 5000),
            subject_chain: crate::receipt::countersign::SubjectChain::Start,
            receipt: &web,
        },
        HistoryItem {
            index: 2,
            received_at: cs.received_at,
            subject_chain: cs.position.subject_chain,
            receipt: v.receipt(),
        },
    ];
    assert_eq!(
        may_process(&history, &pid("marketing"), None).reason,
        CheckReason::Given
    );
    let ans = may_process(&history, &pid("chat-transcript"), None);
    assert_eq!(ans.reason, CheckReason::Given);
    assert_eq!(ans.current.unwrap().index, 2);

    // A "no" to what the caller had granted before is a withdrawal.
    let mut c = call(&b, &[("chat-transcript", false)]);
    c.granted_before = alloc::vec![pid("chat-transcript")];
    c.known_caller = true;
    let w = Receipt::for_call(&c).unwrap();
    assert_eq!(w.event.kind, crate::receipt::EventType::Withdrawal);
    assert_eq!(w.decisions[1].state, DecisionState::Withdrawn);
}

#[test]
fn an_agent_receipt_needs_the_agents_own_registered_unrevoked_key() {
    let b = hotline_bundle();
    let r = Receipt::for_call(&call(&b, &[("chat-transcript", true)])).unwrap();
    let env = countersigned(&r, T0);
    let code = |keys: &KeySet| {
        verify_countersigned(&env, &registry(), keys)
            .unwrap_err()
            .code()
    };
    // Not in the agent key set (a device key the page made itself is no agent key).
    assert_eq!(code(&key_set(&[&test_server()])), "agent_key_unknown");
    // Registered to another agent.
    assert_eq!(
        code(&keys_with("agent-wang", T0 - 1000, None)),
        "agent_key_mismatch"
    );
    // Revoked before the receipt arrived, or registered after it.
    assert_eq!(
        code(&keys_with("agent-li", T0 - 9000, Some(T0 - 1))),
        "agent_key_revoked"
    );
    assert_eq!(
        code(&keys_with("agent-li", T0 + 1, None)),
        "agent_key_revoked"
    );
    // Revoked later: what it signed before stays valid, years on.
    verify_countersigned(
        &env,
        &registry(),
        &keys_with("agent-li", T0 - 9000, Some(T0 + 1)),
    )
    .unwrap();
    // A server key is no agent key, and an agent key is no server key: it cannot countersign.
    let mut l = TestLedger::new(agent(), "test-1");
    let (_, forged) = l.append(&agent().sign_receipt(&r), Timestamp(T0));
    let keys = keys_with("agent-li", T0 - 9000, None);
    let e = verify_countersigned(&forged.to_json().into_bytes(), &registry(), &keys).unwrap_err();
    assert_eq!(e.code(), "countersignature_key_unknown");
    let mut both = key_set(&[&test_server()]);
    let e = both
        .add_agent(AgentJwk {
            jwk: test_server().jwk().clone(),
            agent: "agent-li".into(),
            created: Timestamp(0),
            revoked: None,
        })
        .unwrap_err();
    assert_eq!(e.code(), "keyset_duplicate");
}

#[test]
fn an_agent_receipt_must_say_what_it_is_and_read_the_whole_script() {
    let b = hotline_bundle();
    let good = Receipt::for_call(&call(&b, &[("chat-transcript", true)])).unwrap();
    let code = |r: &Receipt| {
        verify(&agent().sign_receipt(r), &registry())
            .map(|_| ())
            .unwrap_err()
            .code()
    };
    // Without the caller's link; on another channel; granting what was not read out.
    let mut r = good.clone();
    r.link = None;
    assert_eq!(code(&r), "receipt_invalid");
    let mut r = good.clone();
    r.event.interaction = crate::receipt::Interaction::SaveChoices;
    assert_eq!(code(&r), "receipt_invalid");
    let mut r = good.clone();
    r.decisions[2].state = DecisionState::Given;
    assert_eq!(code(&r), "receipt_invalid");
    // A device's receipt cannot pass for the hotline's.
    let mut r = crate::testing::sample_receipt(&agent(), 4, false);
    r.event.channel = Channel::HotlineAgent;
    r.event.interaction = crate::receipt::Interaction::AgentRecorded;
    assert_eq!(code(&r), "receipt_invalid");
    // A line left out of the script.
    let mut r = good;
    r.agent.as_mut().unwrap().read_out = alloc::vec![pid("chat-transcript")];
    assert_eq!(code(&r), "agent_script_mismatch");
    // The caller's answer to every question, and only to questions.
    assert_eq!(
        Receipt::for_call(&call(&b, &[])).unwrap_err(),
        crate::receipt::agent::CallError::Unanswered(pid("chat-transcript"))
    );
    assert_eq!(
        Receipt::for_call(&call(&b, &[("chat-transcript", true), ("marketing", true)]))
            .unwrap_err(),
        crate::receipt::agent::CallError::NotAsked(pid("marketing"))
    );
    let mut c = call(&b, &[("chat-transcript", true)]);
    c.call_ref = "call 1; DROP".into();
    assert!(Receipt::for_call(&c).is_err());
}

#[test]
fn the_agent_key_set_reads_back_and_is_never_a_server_key_set() {
    let doc = agent_jwks_json(&[AgentJwk {
        jwk: agent().jwk().clone(),
        agent: "agent-li".into(),
        created: Timestamp(T0),
        revoked: Some(Timestamp(T0 + 5)),
    }]);
    let mut set = KeySet::new();
    assert_eq!(set.add_agent_jwks(doc.as_bytes()).unwrap(), 1);
    let k = set.agent(&agent().kid()).unwrap();
    assert_eq!(
        (k.agent.as_str(), k.revoked),
        ("agent-li", Some(Timestamp(T0 + 5)))
    );
    assert!(set.get(&agent().kid()).is_none());
    assert_eq!(
        KeySet::from_jwks(doc.as_bytes()).unwrap_err().code(),
        "keyset_key_invalid"
    );
    assert_eq!(set.add_agent_jwks(br#"{"keys":[]}"#).unwrap(), 0);
    assert!(set.add_agent_jwks(br#"{"keys":[],"x":1}"#).is_err());
    let no_created = doc.replace(r#","created":"#, r#","made":"#);
    assert!(KeySet::new().add_agent_jwks(no_created.as_bytes()).is_err());
}
