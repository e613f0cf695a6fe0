//! Any bytes as a manifest or a compiled locale file: refused with an error or read, and what
//! is read is written back to bytes that read as the same value.
#![no_main]

use consentry_core::bundle::{LocaleBundle, Manifest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = Manifest::from_json(data) {
        let again = Manifest::from_json(m.to_json().as_bytes());
        assert_eq!(again.as_ref(), Ok(&m));
    }
    if let Ok(b) = LocaleBundle::from_json(data) {
        let again = LocaleBundle::from_json(b.to_json().as_bytes());
        assert_eq!(again.as_ref(), Ok(&b));
    }
});
