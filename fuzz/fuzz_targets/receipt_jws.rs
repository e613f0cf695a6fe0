//! Any bytes as a receipt envelope: parsed or refused with a coded error, verified or refused,
//! never a panic; an accepted envelope is written back to the same envelope.
#![no_main]

use std::sync::OnceLock;

use consentry_core::receipt::jws::Jws;
use consentry_core::receipt::verify::{NoticeRegistry, VerifyPolicy, verify};
use consentry_core::testing::sample_bundle_bytes;
use libfuzzer_sys::fuzz_target;

fn policy() -> &'static VerifyPolicy {
    static POLICY: OnceLock<VerifyPolicy> = OnceLock::new();
    POLICY.get_or_init(|| {
        let mut registry = NoticeRegistry::new();
        registry
            .add_bundle(&sample_bundle_bytes())
            .expect("the sample bundle is valid");
        VerifyPolicy {
            notices: Some(registry),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(jws) = Jws::from_json(data) {
        assert_eq!(Jws::from_json(jws.to_json().as_bytes()).as_ref(), Ok(&jws));
    }
    match verify(data, &VerifyPolicy::default()) {
        Ok(v) => assert!(!v.payload_bytes().is_empty()),
        Err(e) => assert!(!e.code().is_empty()),
    }
    if let Err(e) = verify(data, policy()) {
        assert!(!e.code().is_empty());
    }
});
