use super::jws::{Jws, JwsSignature, PublicJwk, device_protected_header, signing_input};
use super::*;
use crate::bundle::{Controller, Direction, Rich};
use crate::encoding::{b64url, b64url_decode};
use crate::session::{Action, ConsentSession, Outcome, PurposeRule};
use alloc::vec;

fn pid(s: &str) -> PurposeId {
    PurposeId::parse(s).unwrap()
}

fn purpose(id: &str, required: bool, basis: &str) -> BundlePurpose {
    BundlePurpose {
        retention: "P1Y".into(),
        ..BundlePurpose::new(pid(id), required, basis, Rich::plain(id), Rich::plain(id))
    }
}

fn bundle() -> LocaleBundle {
    LocaleBundle {
        controller: Controller::default(),
        purposes: vec![
            purpose("service-delivery", true, "contract"),
            purpose("chat-transcript", false, "consent"),
            purpose("marketing", false, "consent"),
        ],
        ..LocaleBundle::new(
            NoticeId::parse("support-privacy").unwrap(),
            "2026.11.1",
            LocaleTag::parse("en").unwrap(),
            Direction::Ltr,
        )
    }
}

fn jwk() -> PublicJwk {
    PublicJwk {
        x: b64url(&[1; 32]),
        y: b64url(&[2; 32]),
    }
}

fn ctx(b: &LocaleBundle) -> ReceiptContext<'_> {
    ReceiptContext {
        receipt_id: ReceiptId::from_random_bytes([9; 16]),
        now: Timestamp(1_795_807_800_123),
        subject: jwk().thumbprint(),
        jurisdiction: Jurisdiction::single(
            Regime::Gdpr,
            Some(RegionCode::parse("DE").unwrap()),
            RegionSource::SiteOption,
        ),
        bundle: b,
        bundle_sha256: Sha256Digest::of(b"bundle bytes"),
        on_banner: true,
        gpc: false,
        prev: None,
    }
}

fn session() -> ConsentSession {
    let rules = bundle()
        .purposes
        .iter()
        .map(|p| PurposeRule {
            id: p.id.clone(),
            required: p.required,
        })
        .collect();
    ConsentSession::new(rules)
}

fn decide(s: &mut ConsentSession, a: Action) -> DecisionRecord {
    match s.apply(a).unwrap() {
        Outcome::Decided(r) => r,
        o => panic!("{o:?}"),
    }
}

#[test]
fn reject_all_receipt_states() {
    let b = bundle();
    let mut s = session();
    let r = Receipt::for_decision(&decide(&mut s, Action::RejectAll), &ctx(&b));
    assert_eq!(
        r.event,
        Event {
            kind: EventType::Decision,
            channel: Channel::WebBanner,
            interaction: Interaction::RejectAll
        }
    );
    let states: Vec<_> = r.decisions.iter().map(|d| d.state).collect();
    assert_eq!(
        states,
        vec![
            DecisionState::NotApplicable,
            DecisionState::Refused,
            DecisionState::Refused
        ]
    );
    assert_eq!(
        r.chain,
        Chain {
            subject_seq: 0,
            prev: None,
            resumed: false
        }
    );
}

#[test]
fn withdrawal_after_consent_is_withdrawn_not_refused() {
    let b = bundle();
    let mut s = session();
    let _ = decide(&mut s, Action::AcceptAll);
    let rec = decide(&mut s, Action::Withdraw(pid("marketing")));
    let mut c = ctx(&b);
    c.on_banner = false;
    c.prev = Some((
        ReceiptId::from_random_bytes([1; 16]),
        Sha256Digest::of(b"prev"),
        4,
    ));
    let r = Receipt::for_decision(&rec, &c);
    assert_eq!(r.event.kind, EventType::Withdrawal);
    assert_eq!(r.decisions[1].state, DecisionState::Given);
    assert_eq!(r.decisions[2].state, DecisionState::Withdrawn);
    assert_eq!(r.chain.subject_seq, 5);
}

#[test]
fn payload_is_canonical_and_round_trips() {
    let b = bundle();
    let mut s = session();
    let mut c = ctx(&b);
    c.prev = Some((
        ReceiptId::from_random_bytes([1; 16]),
        Sha256Digest::of(b"prev"),
        0,
    ));
    let r = Receipt::for_decision(&decide(&mut s, Action::AcceptAll), &c);
    let bytes = r.payload_bytes();
    let v = json::parse(&bytes).unwrap();
    assert_eq!(json::to_canonical_string(&v).as_bytes(), bytes.as_slice());
    assert_eq!(Receipt::from_value(&v).unwrap(), r);
}

#[test]
fn payload_golden_prefix() {
    // Guards the wire format: key order is canonical, names are the documented ones.
    let b = bundle();
    let mut s = session();
    let r = Receipt::for_decision(&decide(&mut s, Action::RejectAll), &ctx(&b));
    let text = String::from_utf8(r.payload_bytes()).unwrap();
    assert!(text.starts_with("{\"chain\":{\"subject_seq\":0},\"collected_at\":\"2026-11-27T19:30:00.123Z\",\"decisions\":[{\"legal_basis\":\"contract\",\"purpose_id\":\"service-delivery\""), "{text}");
    let tail = alloc::format!(
        "\"schema_version\":\"consentry-receipt/1\",\"subject\":{{\"pseudonym\":\"{}\",\"pseudonym_type\":\"device_key_thumbprint\"}}}}",
        jwk().thumbprint()
    );
    assert!(text.ends_with(&tail), "{text}");
}

#[test]
fn strict_reader_rejects_unknown_and_missing_members() {
    let b = bundle();
    let mut s = session();
    let r = Receipt::for_decision(&decide(&mut s, Action::RejectAll), &ctx(&b));
    let Value::Obj(mut m) = r.to_value() else {
        unreachable!()
    };
    m.push(("extra".into(), Value::Null));
    assert!(matches!(
        Receipt::from_value(&Value::Obj(m.clone())),
        Err(ReceiptError::UnknownMember(_))
    ));
    m.retain(|(k, _)| k != "extra" && k != "notice");
    assert!(matches!(
        Receipt::from_value(&Value::Obj(m)),
        Err(ReceiptError::Missing(_))
    ));
    assert!(Receipt::from_value(&Value::Arr(vec![])).is_err());
}

#[test]
fn thumbprint_matches_rfc7638_example() {
    // RFC 7638 §3.1 uses an RSA key; for EC we check against an independently computed value:
    // SHA-256 of {"crv":"P-256","kty":"EC","x":"AQEB…","y":"AgIC…"}.
    let j = jwk();
    let canon = json::to_canonical_string(&j.to_value());
    assert_eq!(
        canon,
        alloc::format!(
            "{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{}\",\"y\":\"{}\"}}",
            j.x,
            j.y
        )
    );
    assert_eq!(
        j.thumbprint(),
        b64url(&Sha256Digest::of(canon.as_bytes()).0)
    );
    assert_eq!(j.thumbprint().len(), 43);
}

#[test]
fn envelope_round_trips_and_is_strict() {
    let protected = device_protected_header(&jwk());
    let header = b64url_decode(&protected).unwrap();
    let hv = json::parse(&header).unwrap();
    assert_eq!(hv.get("alg").and_then(Value::as_str), Some("ES256"));
    assert_eq!(
        PublicJwk::from_value(hv.get("jwk").unwrap()).unwrap(),
        jwk()
    );
    let jws = Jws {
        payload: b64url(b"{}"),
        signatures: vec![JwsSignature {
            protected,
            signature: b64url(&[0; 64]),
        }],
    };
    assert_eq!(Jws::from_json(jws.to_json().as_bytes()).unwrap(), jws);
    assert_eq!(signing_input("a", "b"), "a.b");
    assert!(Jws::from_json(b"{\"payload\":\"\",\"signatures\":[]}").is_err());
    assert!(matches!(
        Jws::from_json(b"{\"payload\":\"\",\"signatures\":[{\"protected\":\"\",\"signature\":\"\",\"header\":{}}]}"),
        Err(jws::JwsError::UnknownMember(_))
    ));
    assert!(matches!(
        Jws::from_json(&vec![b' '; 70_000]),
        Err(jws::JwsError::TooLarge)
    ));
}

#[test]
fn guardian_gpc_and_separate_consent_are_recorded_and_read_back() {
    let b = bundle();
    let mut s = session().with_rules(|id| {
        if id.as_str() == "chat-transcript" {
            (false, crate::regime::Gate::Separate)
        } else {
            (false, crate::regime::Gate::Open)
        }
    });
    let _ = decide(&mut s, Action::AcceptAll);
    let rec = decide(&mut s, Action::Separate(pid("chat-transcript"), true));
    let mut c = ctx(&b);
    c.gpc = true;
    c.on_banner = false;
    let r = Receipt::for_decision(&rec, &c)
        .by_guardian()
        .honouring_gpc();
    assert_eq!(r.event.interaction, Interaction::SeparateConsent);
    assert_eq!(r.event.kind, EventType::Update);
    assert_eq!(r.decisions[1].state, DecisionState::Given);
    let text = String::from_utf8(r.payload_bytes()).unwrap();
    assert!(text.contains("\"indicated_by\":\"guardian\""), "{text}");
    assert!(
        text.contains("\"gpc\":{\"honoured\":true,\"signal_present\":true}"),
        "{text}"
    );
    assert!(
        text.contains("\"interaction\":\"separate_consent\""),
        "{text}"
    );
    let back = Receipt::from_value(&json::parse(&r.payload_bytes()).unwrap()).unwrap();
    assert_eq!(back, r);

    // The defaults are not written, so earlier receipts keep their exact bytes.
    let plain = Receipt::for_decision(&rec, &ctx(&b)).honouring_gpc();
    assert!(!plain.gpc_honoured, "no signal, nothing honoured");
    let text = String::from_utf8(plain.payload_bytes()).unwrap();
    assert!(
        !text.contains("indicated_by") && !text.contains("honoured"),
        "{text}"
    );

    // Redundant or contradictory spellings are refused.
    for (from, to) in [
        (
            "\"indicated_by\":\"guardian\"",
            "\"indicated_by\":\"subject\"",
        ),
        ("\"honoured\":true", "\"honoured\":false"),
        ("\"signal_present\":true", "\"signal_present\":false"),
    ] {
        let bad = String::from_utf8(r.payload_bytes())
            .unwrap()
            .replace(from, to);
        assert!(
            Receipt::from_value(&json::parse_str(&bad).unwrap()).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn a_gpc_opt_in_is_recorded_with_its_own_interaction_and_read_back() {
    let b = bundle();
    let mut s = session().with_rules(|id| {
        if id.as_str() == "marketing" {
            (false, crate::regime::Gate::SignalOptOut)
        } else {
            (false, crate::regime::Gate::Open)
        }
    });
    let _ = decide(&mut s, Action::AcceptAll);
    let rec = decide(&mut s, Action::SignalOptIn(pid("marketing")));
    let mut c = ctx(&b);
    c.gpc = true;
    c.on_banner = false;
    let r = Receipt::for_decision(&rec, &c)
        .honouring_gpc()
        .with_gpc_opt_ins(s.signal_opt_ins());
    assert_eq!(r.event.interaction, Interaction::GpcOptIn);
    assert_eq!(r.decisions[2].state, DecisionState::Given);
    let text = String::from_utf8(r.payload_bytes()).unwrap();
    assert!(
        text.contains(
            "\"gpc\":{\"honoured\":true,\"opted_in\":[\"marketing\"],\"signal_present\":true}"
        ),
        "{text}"
    );
    assert!(text.contains("\"interaction\":\"gpc_opt_in\""), "{text}");
    let back = Receipt::from_value(&json::parse(&r.payload_bytes()).unwrap()).unwrap();
    assert_eq!(back, r);

    // Without an honoured signal there is nothing to opt back into.
    let unhonoured = Receipt::for_decision(&rec, &ctx(&b)).with_gpc_opt_ins(vec![pid("marketing")]);
    assert!(unhonoured.gpc_opt_ins.is_empty());
    // Contradictions are refused: an opt-in for a refused purpose, or without `honoured`.
    let good = String::from_utf8(r.payload_bytes()).unwrap();
    for bad in [
        good.replace("\"opted_in\":[\"marketing\"]", "\"opted_in\":[\"chat-transcript\"]")
            .replace(
                "\"purpose_id\":\"chat-transcript\",\"recipients\":[],\"required\":false,\"retention\":\"P1Y\",\"sensitive\":false,\"separate_consent\":false,\"state\":\"given\"",
                "\"purpose_id\":\"chat-transcript\",\"recipients\":[],\"required\":false,\"retention\":\"P1Y\",\"sensitive\":false,\"separate_consent\":false,\"state\":\"refused\"",
            ),
        good.replace("\"honoured\":true,", ""),
        good.replace("[\"marketing\"]", "[]"),
        good.replace("[\"marketing\"]", "[\"Marketing!\"]"),
    ] {
        assert_ne!(bad, good);
        assert!(
            Receipt::from_value(&json::parse_str(&bad).unwrap()).is_err(),
            "{bad}"
        );
    }
}
