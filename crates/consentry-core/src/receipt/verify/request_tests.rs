//! Data-subject requests: signed like receipts, under their own type.

use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::ids::ReceiptId;
use crate::receipt::Channel;
use crate::receipt::jws::typed_protected_header;
use crate::receipt::request::{DataRequest, REQUEST_TYP, RequestKind};
use crate::testing::{TestSigner, key_set, link_token, test_server};
use crate::time::Timestamp;

const T0: i64 = 1_795_807_900_000;

fn web(signer: &TestSigner) -> DataRequest {
    DataRequest {
        request_id: ReceiptId::from_random_bytes([4; 16]),
        made_at: Timestamp(T0 - 500),
        kind: RequestKind::Erasure,
        channel: Channel::WebSettings,
        subject: signer.kid(),
        receipt: (
            ReceiptId::from_random_bytes([1; 16]),
            Sha256Digest::of(b"the subject's latest receipt"),
        ),
        details: Some("Bitte löschen Sie meine Chat-Protokolle.".into()),
        agent: None,
        link: None,
    }
}

fn signed(signer: &TestSigner, r: &DataRequest) -> Vec<u8> {
    signer
        .sign_with_header(
            &typed_protected_header(signer.jwk(), REQUEST_TYP),
            &r.payload_bytes(),
        )
        .to_json()
        .into_bytes()
}

#[test]
fn a_request_verifies_under_its_own_type_and_no_other() {
    let device = TestSigner::device();
    let keys = key_set(&[&test_server()]);
    let r = web(&device);
    let (back, payload) = verify_request(&signed(&device, &r), &keys, Timestamp(T0)).unwrap();
    assert_eq!(back, r);
    assert_eq!(payload, r.payload_bytes());
    // Signed as a receipt, it is no request; a request is no receipt.
    let as_receipt = device
        .sign_payload(&r.payload_bytes())
        .to_json()
        .into_bytes();
    assert_eq!(
        verify_request(&as_receipt, &keys, Timestamp(T0))
            .unwrap_err()
            .code(),
        "typ_mismatch"
    );
    assert_eq!(
        verify(&signed(&device, &r), &VerifyPolicy::default())
            .unwrap_err()
            .code(),
        "typ_mismatch"
    );
    // Someone else's subject, too much text, an unknown kind.
    let mut other = r.clone();
    other.subject = TestSigner::other().kid();
    assert_eq!(
        verify_request(&signed(&device, &other), &keys, Timestamp(T0))
            .unwrap_err()
            .code(),
        "subject_mismatch"
    );
    let mut long = r.clone();
    long.details = Some(String::from("x").repeat(1001));
    assert_eq!(
        verify_request(&signed(&device, &long), &keys, Timestamp(T0))
            .unwrap_err()
            .code(),
        "receipt_invalid"
    );
    let odd = String::from_utf8(r.payload_bytes())
        .unwrap()
        .replace("\"erasure\"", "\"forget-me\"");
    let e = verify_request(
        &device
            .sign_with_header(
                &typed_protected_header(device.jwk(), REQUEST_TYP),
                odd.as_bytes(),
            )
            .to_json()
            .into_bytes(),
        &keys,
        Timestamp(T0),
    )
    .unwrap_err();
    assert_eq!(e.code(), "receipt_invalid");
}

#[test]
fn a_hotline_request_needs_the_agents_key_and_the_callers_link() {
    let agent = TestSigner::from_label("agent li console key");
    let link = link_token(
        &test_server(),
        Channel::HotlineAgent,
        Timestamp(T0 - 60_000),
        Timestamp(T0 + 3_600_000),
    );
    let r = DataRequest {
        channel: Channel::HotlineAgent,
        subject: agent.kid(),
        agent: Some(("agent-li".into(), "CALL-1".into())),
        link: Some(link),
        details: None,
        ..web(&agent)
    };
    let env = signed(&agent, &r);
    let mut keys = key_set(&[&test_server()]);
    assert_eq!(
        verify_request(&env, &keys, Timestamp(T0))
            .unwrap_err()
            .code(),
        "agent_key_unknown"
    );
    keys.add_agent(AgentJwk {
        jwk: agent.jwk().clone(),
        agent: "agent-li".into(),
        created: Timestamp(T0 - 1000),
        revoked: None,
    })
    .unwrap();
    verify_request(&env, &keys, Timestamp(T0)).unwrap();
    assert_eq!(
        verify_request(&env, &keys, Timestamp(T0 + 3_600_001))
            .unwrap_err()
            .code(),
        "link_expired"
    );
    // A hotline request without the caller's link, or a web one with an agent, is not one.
    let mut no_link = r;
    no_link.link = None;
    assert_eq!(
        verify_request(&signed(&agent, &no_link), &keys, Timestamp(T0))
            .unwrap_err()
            .code(),
        "receipt_invalid"
    );
}
