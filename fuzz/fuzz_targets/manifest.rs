//! Any bytes as a manifest, a compiled locale file or a locale's first layer: refused with an
//! error or read, and what is read is written back to bytes that read as the same value.
#![no_main]

use consentry_core::bundle::{FirstLayer, LocaleBundle, Manifest, manifest_details};
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
    if let Ok(f) = FirstLayer::from_json(data) {
        // A complete bundle read as its own first layer has no first-layer form (None).
        if let Some(json) = f.to_json() {
            let again = FirstLayer::from_json(json.as_bytes());
            assert_eq!(again.as_ref(), Ok(&f));
        }
    }
    let _ = manifest_details(data);
});
