//! Any bytes as `notice.toml`: a notice or findings (never neither, never a panic), and the
//! compile on top of it builds exactly when there is no error.
#![no_main]

use consentry_core::compile::{CompileOptions, compile};
use consentry_core::diagnostics::{SourceFile, render_human, render_json};
use consentry_core::notice::NoticeFacts;
use libfuzzer_sys::fuzz_target;

const EN: &[u8] = include_bytes!("../../locales/en.ftl");

fuzz_target!(|data: &[u8]| {
    let facts = NoticeFacts::read("notice.toml", data);
    assert!(facts.notice.is_some() || !facts.diagnostics.is_empty());
    let files = [
        SourceFile::new("locales/notice.toml", data),
        SourceFile::new("locales/en.ftl", EN),
    ];
    let c = compile("locales", &files, &CompileOptions::default());
    assert_eq!(c.build.is_some(), !c.has_errors());
    for d in &c.diagnostics {
        if let Some(l) = &d.location {
            assert!(l.line >= 1 && l.column >= 1);
        }
    }
    let _ = render_human(&c.diagnostics, &files);
    let _ = render_json(&c.diagnostics);
});
