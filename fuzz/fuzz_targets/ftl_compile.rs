//! Any bytes as a locale file beside the real notice: findings or a build (exactly when there
//! is no error), deterministic, and what it builds reads back.
#![no_main]

use consentry_core::bundle::LocaleBundle;
use consentry_core::compile::{CompileOptions, compile};
use consentry_core::diagnostics::{SourceFile, render_human};
use libfuzzer_sys::fuzz_target;

const NOTICE: &[u8] = include_bytes!("../../locales/notice.toml");

fuzz_target!(|data: &[u8]| {
    let files = [
        SourceFile::new("locales/notice.toml", NOTICE),
        SourceFile::new("locales/en.ftl", data),
        SourceFile::new("locales/ar.ftl", data),
    ];
    let c = compile("locales", &files, &CompileOptions::default());
    assert_eq!(c.build.is_some(), !c.has_errors());
    let _ = render_human(&c.diagnostics, &files);
    if let Some(b) = &c.build {
        let again = compile("locales", &files, &CompileOptions::default());
        assert_eq!(again.build.as_ref().map(|x| &x.files), Some(&b.files));
        for (bundle, file) in b.bundles.iter().zip(&b.files) {
            assert_eq!(&LocaleBundle::from_json(&file.bytes).unwrap(), bundle);
        }
    }
});
