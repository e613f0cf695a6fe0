//! Facts per language: what the bundle carries, and each way a facts file can go wrong.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::bundle::{FirstLayer, LocaleBundle};
use crate::compile::tests::{NOTICE, ftl, run, with_code};
use crate::diagnostics::Code;

/// NOTICE with real names: a controller, a DPO and a service provider of `svc`.
fn notice() -> String {
    NOTICE
        .replacen("name = \"C\"", "name = \"Example Networks Ltd.\"", 1)
        .replacen("address = \"A\"", "address = \"1 Example Road, Berlin\"", 1)
        .replacen("name = \"D\"", "name = \"Data Protection Officer\"", 1)
        .replacen(
            "channels = [\"web\"]\n",
            "channels = [\"web\"]\nprocessors = [\"Example Tickets Ltd. (ticket system)\"]\n",
            1,
        )
}

const ZH_FACTS: &str = r#"# How the facts of notice.toml read in Chinese.
"Example Networks Ltd." = "示例网络有限公司"
"1 Example Road, Berlin" = "柏林示例路1号"
"Data Protection Officer" = "个人信息保护负责人"
"Example Tickets Ltd. (ticket system)" = "Example Tickets Ltd.（工单系统）"
"#;

fn build(notice: &str, facts: Option<&str>) -> crate::compile::Compiled {
    let en = ftl("English");
    let zh = ftl("中文");
    let mut files: Vec<(&str, &[u8])> = vec![
        ("notice.toml", notice.as_bytes()),
        ("en.ftl", en.as_bytes()),
        ("zh-CN.ftl", zh.as_bytes()),
    ];
    if let Some(f) = facts {
        files.push(("zh-CN.facts.toml", f.as_bytes()));
    }
    run(&files)
}

fn zh(c: &crate::compile::Compiled) -> &LocaleBundle {
    let b = c.build.as_ref().expect("builds");
    b.bundles
        .iter()
        .find(|b| b.locale.as_str() == "zh-CN")
        .unwrap()
}

#[test]
fn a_translated_fact_is_shown_in_its_language_and_recorded_as_written() {
    let c = build(&notice(), Some(ZH_FACTS));
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let b = zh(&c);
    assert_eq!(b.shown("Example Networks Ltd."), "示例网络有限公司");
    assert_eq!(b.shown(&b.controller.address), "柏林示例路1号");
    assert_eq!(
        b.shown(&b.purpose("svc").unwrap().processors[0]),
        "Example Tickets Ltd.（工单系统）"
    );
    // The facts themselves (what receipts record) are the same in every language.
    assert_eq!(b.controller.name, "Example Networks Ltd.");
    assert_eq!(
        b.purpose("svc").unwrap().recipients,
        ["Example Tickets Ltd. (ticket system)"]
    );
    // A fact nobody translated reads as written; the default locale carries no translations.
    assert_eq!(b.shown("Unknown Ltd."), "Unknown Ltd.");
    let en = c
        .build
        .as_ref()
        .unwrap()
        .bundles
        .iter()
        .find(|b| b.locale.as_str() == "en");
    assert!(en.unwrap().names.is_empty());
    // The translations travel in the details file, bound by its digest, not in the first layer.
    let back = LocaleBundle::from_json(b.to_json().as_bytes()).unwrap();
    assert_eq!(back.names, b.names);
    let layer = FirstLayer::of(
        b,
        crate::bundle::DetailsRef {
            path: "d.json".into(),
            sha256: crate::encoding::Sha256Digest::of(b"x"),
        },
    );
    assert!(layer.bundle.names.is_empty());
}

#[test]
fn an_untranslated_fact_in_another_script_is_a_warning_at_the_fact() {
    let c = build(&notice(), None);
    let found = with_code(&c, Code::FactInAnotherScript);
    let shown: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(found.len(), 4, "{shown:#?}");
    assert!(found.iter().all(|d| d.file == "loc/notice.toml"));
    assert!(
        shown[0].contains("the controller's name (`Example Networks Ltd.`)"),
        "{}",
        shown[0]
    );
    assert!(
        found[0]
            .note
            .as_deref()
            .unwrap()
            .contains("zh-CN.facts.toml: \"Example Networks Ltd.\" = \"…\"")
    );
    // A warning: the notice still builds.
    assert!(c.build.is_some());
}

#[test]
fn a_translation_in_the_wrong_script_is_a_warning_at_the_translation() {
    let facts = ZH_FACTS.replace("\"示例网络有限公司\"", "\"Example Networks GmbH\"");
    let c = build(&notice(), Some(&facts));
    let found = with_code(&c, Code::FactInAnotherScript);
    assert_eq!(found.len(), 1, "{:?}", c.diagnostics);
    assert_eq!(found[0].file, "loc/zh-CN.facts.toml");
    assert_eq!(found[0].location.as_ref().unwrap().line, 2);
}

#[test]
fn a_fact_changed_in_notice_toml_never_keeps_its_old_translation() {
    // The address moved; the Chinese file still has the old one.
    let moved = notice().replacen("1 Example Road, Berlin", "2 Example Road, Berlin", 1);
    let c = build(&moved, Some(ZH_FACTS));
    let stale = with_code(&c, Code::InvalidFactsFile);
    assert_eq!(stale.len(), 1, "{:?}", c.diagnostics);
    assert!(
        stale[0]
            .message
            .contains("`1 Example Road, Berlin` is no fact of notice.toml")
    );
    assert!(
        stale[0]
            .note
            .as_deref()
            .unwrap()
            .contains("did you mean `2 Example Road, Berlin`")
    );
    // … and the new address, untranslated, is flagged too; nothing is built.
    let untranslated = with_code(&c, Code::FactInAnotherScript);
    assert_eq!(untranslated.len(), 1);
    assert!(untranslated[0].message.contains("2 Example Road"));
    assert!(c.build.is_none());
}

#[test]
fn a_broken_facts_file_is_an_error_and_is_not_used() {
    for (name, text, want) in [
        (
            "syntax",
            "\"Example Networks Ltd.\" = \"示例\n",
            "TOML syntax",
        ),
        (
            "number",
            "\"Example Networks Ltd.\" = 3\n",
            "must be a string",
        ),
        ("empty", "\"Example Networks Ltd.\" = \"  \"\n", "is empty"),
        (
            "table",
            "[controller]\nname = \"示例\"\n",
            "must be a string",
        ),
        (
            "duplicate",
            "\"Example Networks Ltd.\" = \"甲\"\n\"Example Networks Ltd.\" = \"乙\"\n",
            "TOML syntax",
        ),
        ("deep", "a = [[[[[[[[[[1]]]]]]]]]]\n", "nested too deeply"),
        (
            "control",
            "\"Example Networks Ltd.\" = \"示例\\u0007\"\n",
            "control characters",
        ),
    ] {
        let c = build(&notice(), Some(text));
        let found = with_code(&c, Code::InvalidFactsFile);
        assert!(!found.is_empty(), "{name}: {:?}", c.diagnostics);
        assert!(
            found[0].message.contains(want),
            "{name}: {}",
            found[0].message
        );
        assert!(c.build.is_none(), "{name}");
    }
}

#[test]
fn facts_files_are_for_translated_locales_only() {
    let en = ftl("English");
    let n = notice();
    for (file, want) in [
        ("en.facts.toml", "for the default locale `en`"),
        ("de.facts.toml", "which has no de.ftl"),
    ] {
        let files: Vec<(&str, &[u8])> = vec![
            ("notice.toml", n.as_bytes()),
            ("en.ftl", en.as_bytes()),
            (file, b"\"Example Networks Ltd.\" = \"X\"\n".as_slice()),
        ];
        let c = run(&files);
        let found = with_code(&c, Code::InvalidFactsFile);
        assert_eq!(found.len(), 1, "{file}: {:?}", c.diagnostics);
        assert!(found[0].message.contains(want), "{}", found[0].message);
        assert!(found[0].location.is_none());
    }
}

#[test]
fn facts_are_checked_while_notice_toml_has_other_errors() {
    // A bad retention elsewhere: the facts rules still run on what could be read.
    let broken = notice().replacen("retention = \"P30D\"", "retention = \"30 days\"", 1);
    let c = build(&broken, None);
    assert!(c.has_errors());
    assert_eq!(
        with_code(&c, Code::FactInAnotherScript).len(),
        4,
        "{:?}",
        c.diagnostics
    );
}

#[test]
fn mixed_script_names_and_short_codes_are_fine() {
    let facts = ZH_FACTS.replace(
        "\"示例网络有限公司\"",
        "\"示例网络有限公司（Example Networks Ltd.）\"",
    );
    let c = build(&notice(), Some(&facts));
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
}

#[test]
fn a_changed_translation_is_a_change_that_needs_a_new_version() {
    use crate::compile::versions::{PublishedBuild, diff};
    let old = build(&notice(), Some(ZH_FACTS));
    let facts = ZH_FACTS.replace("柏林示例路1号", "柏林示例大道1号");
    let new = build(&notice(), Some(&facts));
    let d = diff(
        &PublishedBuild::from_build(old.build.as_ref().unwrap()),
        &PublishedBuild::from_build(new.build.as_ref().unwrap()),
    );
    assert!(d.is_material());
    assert_eq!(d.locales.len(), 1);
    assert_eq!(
        d.locales[0].messages[0].id(),
        "fact `1 Example Road, Berlin`"
    );
}

#[test]
fn a_translation_follows_the_plain_text_rules_of_notice_toml() {
    for (value, code) in [
        ("示例<b>网络</b>", Code::MarkupInValue),
        ("示例\u{202E}络网", Code::HiddenCharacterInValue),
        ("示例\u{200B}网络", Code::HiddenCharacterInValue),
    ] {
        let facts = format!("\"Example Networks Ltd.\" = \"{value}\"\n");
        let c = build(&notice(), Some(&facts));
        let found = with_code(&c, code);
        assert_eq!(found.len(), 1, "{value}: {:?}", c.diagnostics);
        assert_eq!(found[0].file, "loc/zh-CN.facts.toml");
        assert!(c.build.is_none());
    }
    let long = "长".repeat(501);
    let c = build(
        &notice(),
        Some(&format!("\"Example Networks Ltd.\" = \"{long}\"\n")),
    );
    assert_eq!(
        with_code(&c, Code::ValueTooLong).len(),
        1,
        "{:?}",
        c.diagnostics
    );
}
