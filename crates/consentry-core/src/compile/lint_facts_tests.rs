//! Tests of the rules on facts, names and notice.toml values that change what the notice
//! promises: L007 (facts translations), K008 (organisations in purposes' texts), K009
//! (complaint links) and R039 (placeholder reasons), R041–R046. Each rule is tested on a
//! mistake and on a harmless variant it must let pass; the fixtures of
//! `every_rule_has_a_fixture_that_triggers_it_at_the_right_place` pin their positions.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::tests::{NOTICE, ftl, ftl_with, real_locales, run};
use super::*;
use crate::diagnostics::Code;
use crate::regime::Regime;

fn found(c: &Compiled, code: Code) -> Vec<&Diagnostic> {
    c.diagnostics.iter().filter(|d| d.code == code).collect()
}

/// The shipped locales with `edits` (file, text, replacement) applied once each.
fn shipped(edits: &[(&str, &str, &str)]) -> Compiled {
    let mut files: Vec<(&str, Vec<u8>)> = real_locales()
        .iter()
        .map(|(n, b)| (*n, b.to_vec()))
        .collect();
    for (file, from, to) in edits {
        let f = files
            .iter_mut()
            .find(|(n, _)| n == file)
            .unwrap_or_else(|| panic!("no {file}"));
        let text = String::from_utf8(f.1.clone()).unwrap();
        assert!(text.contains(from), "{from:?} not in {file}");
        f.1 = text.replacen(from, to, 1).into_bytes();
    }
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    run(&refs)
}

/// NOTICE and English text.
fn en_only(notice: &str, en: &str) -> Compiled {
    run(&[
        ("notice.toml", notice.as_bytes()),
        ("en.ftl", en.as_bytes()),
    ])
}

fn line_of_file(c: &Diagnostic) -> (String, usize) {
    (c.file.clone(), c.line().unwrap_or(0))
}

// ---------------------------------------------------------------------------------------------
// L007

#[test]
fn l007_numbers_and_postcodes_survive_in_any_script() {
    // A changed postcode, in Arabic.
    let c = shipped(&[(
        "ar.facts.toml",
        "مدينة المثال 518000",
        "مدينة المثال 518800",
    )]);
    let l = found(&c, Code::FactTranslationMismatch);
    assert_eq!(l.len(), 1, "{:#?}", c.diagnostics);
    assert!(
        l[0].message.contains("518800 where notice.toml has 518000"),
        "{}",
        l[0].message
    );
    // The same postcode in Arabic-Indic digits is the same number.
    let c = shipped(&[(
        "ar.facts.toml",
        "مدينة المثال 518000",
        "مدينة المثال ٥١٨٠٠٠",
    )]);
    assert_eq!(
        found(&c, Code::FactTranslationMismatch),
        Vec::<&Diagnostic>::new()
    );
    // The house number in Chinese numerals is the same number.
    let c = shipped(&[("zh-CN.facts.toml", "示例路1号", "示例路一号")]);
    assert_eq!(
        found(&c, Code::FactTranslationMismatch),
        Vec::<&Diagnostic>::new()
    );
    // A dropped number and an added one.
    let c = shipped(&[("zh-CN.facts.toml", "，邮编518000", "")]);
    let l = found(&c, Code::FactTranslationMismatch);
    assert_eq!(l.len(), 1, "{:#?}", c.diagnostics);
    assert!(l[0].message.contains("lacks 518000"), "{}", l[0].message);
    let c = shipped(&[(
        "fr.facts.toml",
        "(plateforme de discussion en ligne)",
        "(plateforme 24 heures)",
    )]);
    let l = found(&c, Code::FactTranslationMismatch);
    assert_eq!(l.len(), 1, "{:#?}", c.diagnostics);
    assert!(l[0].message.contains("adds 24"), "{}", l[0].message);
}

#[test]
fn l007_countries_must_be_the_facts_own() {
    let c = shipped(&[(
        "fr.facts.toml",
        "Assistance Centre Pte. Ltd. (Singapour)",
        "Assistance Centre Pte. Ltd. (Malaisie)",
    )]);
    let l = found(&c, Code::FactTranslationMismatch);
    assert_eq!(l.len(), 1, "{:#?}", c.diagnostics);
    assert!(l[0].message.contains("Malaisie (MY)"), "{}", l[0].message);
    // The country dropped.
    let c = shipped(&[(
        "es.facts.toml",
        "Example City (Países Bajos)",
        "Example City",
    )]);
    let l = found(&c, Code::FactTranslationMismatch);
    assert_eq!(l.len(), 1, "{:#?}", c.diagnostics);
    assert!(
        l[0].message.contains("does not name NL"),
        "{}",
        l[0].message
    );
    // Harmless: the country left in English, or another name of it.
    let c = shipped(&[
        (
            "fr.facts.toml",
            "Pte. Ltd. (Singapour)",
            "Pte. Ltd. (Singapore)",
        ),
        ("es.facts.toml", "(Países Bajos)", "(Holanda)"),
    ]);
    assert_eq!(
        found(&c, Code::FactTranslationMismatch),
        Vec::<&Diagnostic>::new()
    );
    // A person named like a country, and an address shown with one of its two countries.
    let n = NOTICE
        .replace("head = \"H\"", "head = \"India Example, President\"")
        .replace(
            "address = \"A\"",
            "address = \"1 Example Road, Santa Fe, New Mexico, United States\"",
        );
    let facts = "\"India Example, President\" = \"英迪亚·伊克赛普尔（总裁）\"\n\"1 Example Road, Santa Fe, New Mexico, United States\" = \"美国圣菲市示例路1号\"\n";
    let c = run(&[
        ("notice.toml", n.as_bytes()),
        ("en.ftl", ftl("English").as_bytes()),
        ("zh-CN.ftl", ftl("中文").as_bytes()),
        ("zh-CN.facts.toml", facts.as_bytes()),
    ]);
    assert_eq!(
        found(&c, Code::FactTranslationMismatch),
        Vec::<&Diagnostic>::new()
    );
    // A country inside a registered name (`… UK Ltd.`, `(Schweiz)`) is the name's.
    let c = shipped(&[(
        "zh-CN.facts.toml",
        "Lumenwave Networks UK Ltd.（朗波网络英国公司）",
        "Lumenwave Networks UK Ltd.（朗波网络公司）",
    )]);
    assert_eq!(
        found(&c, Code::FactTranslationMismatch),
        Vec::<&Diagnostic>::new()
    );
}

#[test]
fn l007_a_registered_name_is_the_facts_own() {
    // Another fact's company.
    let c = shipped(&[(
        "es.facts.toml",
        "= \"Example Chat Cloud Inc. (plataforma de chat)\"",
        "= \"Example Voice Services Ltd. (plataforma de chat)\"",
    )]);
    let l = found(&c, Code::FactTranslationMismatch);
    assert_eq!(l.len(), 1, "{:#?}", c.diagnostics);
    assert!(
        l[0].message
            .contains("registered name of a service provider of `hotline-call-recording`"),
        "{}",
        l[0].message
    );
    // A company the notice does not have.
    let c = shipped(&[(
        "es.facts.toml",
        "= \"Example Chat Cloud Inc. (plataforma de chat)\"",
        "= \"Example Chat Europe S.L. (plataforma de chat)\"",
    )]);
    let l = found(&c, Code::FactTranslationMismatch);
    assert_eq!(l.len(), 1, "{:#?}", c.diagnostics);
    assert!(
        l[0].message.contains("which is not in the fact"),
        "{}",
        l[0].message
    );
    // A new line giving the UK representative the EU one's name: one finding, about the
    // name (the `UK` in the name is not a country to compare).
    let c = shipped(&[(
        "pt-BR.facts.toml",
        "\"Lumenwave regional support companies\"",
        "\"Lumenwave Networks UK Ltd.\" = \"Lumenwave Networks Europe B.V.\"\n\"Lumenwave regional support companies\"",
    )]);
    let l = found(&c, Code::FactTranslationMismatch);
    assert_eq!(l.len(), 1, "{:#?}", c.diagnostics);
    assert!(
        l[0].message
            .contains("the registered name of the eu representative's name"),
        "{}",
        l[0].message
    );
    // Harmless: the DPO named with the controller's registered name, spacing of the form.
    let c = shipped(&[
        (
            "fr.facts.toml",
            "Délégué à la protection des données de Lumenwave Networks\"",
            "Délégué à la protection des données de Lumenwave Networks Co., Ltd.\"",
        ),
        (
            "pt-BR.facts.toml",
            "\"Example Mailer Ltd. (envio de e-mails)\"",
            "\"Example Mailer  Ltd. (envio de e-mails)\"",
        ),
    ]);
    assert_eq!(
        found(&c, Code::FactTranslationMismatch),
        Vec::<&Diagnostic>::new()
    );
}

#[test]
fn l007_two_companies_never_share_a_han_name_and_two_facts_never_one_text() {
    // The ad network given the controller's Chinese registered name.
    let c = shipped(&[(
        "zh-CN.facts.toml",
        "= \"Example Ads Network Inc.（在其他网站上展示我们的广告）\"",
        "= \"朗波网络有限公司（在其他网站上展示我们的广告）\"",
    )]);
    let l = found(&c, Code::FactTranslationMismatch);
    assert_eq!(l.len(), 1, "{:#?}", c.diagnostics);
    assert!(
        l[0].message.contains("朗波网络有限公司"),
        "{}",
        l[0].message
    );
    // The same company under two facts (with and without its country) keeps its name.
    let c = shipped(&[]);
    assert_eq!(
        found(&c, Code::FactTranslationMismatch),
        Vec::<&Diagnostic>::new()
    );
    // Two facts, one translation.
    let c = shipped(&[(
        "es.facts.toml",
        "= \"Example Mailer Ltd. (envío de correos electrónicos)\"",
        "= \"Example Analytics Ltd. (analítica web)\"",
    )]);
    let l = found(&c, Code::FactTranslationMismatch);
    assert!(
        l.iter().any(|d| d
            .message
            .contains("reads the same as that of `Example Analytics Ltd. (web analytics)`")),
        "{:#?}",
        c.diagnostics
    );
}

#[test]
fn l007_avoided_terms_apply_to_facts() {
    let c = shipped(&[(
        "zh-CN.facts.toml",
        "朗波网络个人信息保护负责人",
        "朗波网络数据保护官",
    )]);
    let l = found(&c, Code::FactTranslationMismatch);
    assert_eq!(l.len(), 1, "{:#?}", c.diagnostics);
    assert!(
        l[0].note
            .as_deref()
            .unwrap_or("")
            .contains("zh-CN.terms.toml")
    );
    assert_eq!(line_of_file(l[0]), ("loc/zh-CN.facts.toml".into(), 10));
    // Another language's avoided term is that language's business.
    let c = shipped(&[(
        "pt-BR.facts.toml",
        "(sistema de chamados)",
        "(sistema de chamados; 数据保护官)",
    )]);
    assert_eq!(
        found(&c, Code::FactTranslationMismatch),
        Vec::<&Diagnostic>::new()
    );
}

// ---------------------------------------------------------------------------------------------
// K008

#[test]
fn k008_a_purpose_names_only_its_own_companies() {
    // Another purpose's processor, in Chinese text.
    let c = shipped(&[(
        "zh-CN.ftl",
        "并允许一家广告网络识别",
        "并允许 Example Analytics Ltd. 识别",
    )]);
    let k = found(&c, Code::UnknownOrganisation);
    assert_eq!(k.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(k[0].file, "loc/zh-CN.ftl");
    // Its own third party, its facts-file translation, the controller, the brand: fine.
    let c = shipped(&[
        (
            "zh-CN.ftl",
            "并允许一家广告网络识别",
            "并允许 Example Ads Network Inc. 识别",
        ),
        (
            "zh-CN.ftl",
            "需要由位于新加坡的",
            "需要由朗波全球技术支持中心私人有限公司（位于新加坡的",
        ),
        (
            "en.ftl",
            "we let an advertising network recognise",
            "we let Example Ads Network Inc. recognise",
        ),
        (
            "en.ftl",
            "we use your contact details,",
            "Lumenwave Networks Co., Ltd. and Lumenwave Ltd. use your contact details,",
        ),
    ]);
    let k = found(&c, Code::UnknownOrganisation);
    assert_eq!(k, Vec::<&Diagnostic>::new());
    // A Chinese registered name the purpose does not have.
    let c = shipped(&[(
        "zh-CN.ftl",
        "并允许一家广告网络识别",
        "并允许示例广告有限公司识别",
    )]);
    assert_eq!(
        found(&c, Code::UnknownOrganisation).len(),
        1,
        "{:#?}",
        c.diagnostics
    );
}

// ---------------------------------------------------------------------------------------------
// K009

#[test]
fn k009_the_complaint_message_places_the_authority_complaints_names() {
    // notice.toml names another authority than every text: one finding, in notice.toml.
    let c = shipped(&[("notice.toml", "cn-pipl = \"cac\"", "cn-pipl = \"ico\"")]);
    let k = found(&c, Code::ComplaintLinkMismatch);
    assert_eq!(k.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(k[0].file, "loc/notice.toml");
    // One language sends people elsewhere: that language.
    let c = shipped(&[(
        "fr.ftl",
        "de Chine\u{a0}: { $cac }",
        "de Chine\u{a0}: { $ico }",
    )]);
    let k = found(&c, Code::ComplaintLinkMismatch);
    assert_eq!(k.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(k[0].file, "loc/fr.ftl");
    // A second authority beside the right one.
    let n = NOTICE.replace("eu-gdpr = \"authority\"", "eu-gdpr = \"policy\"");
    let en = ftl_with(
        "English",
        "complaint-eu-gdpr",
        "complaint-eu-gdpr = Complain at { $policy } or { $authority }.",
    );
    let c = en_only(&n, &en);
    let k = found(&c, Code::ComplaintLinkMismatch);
    assert_eq!(k.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(k[0].file, "loc/en.ftl");
    // Harmless: the right link, or our own request form beside it, or no link at all.
    let en = ftl_with(
        "English",
        "complaint-eu-gdpr",
        "complaint-eu-gdpr = Ask us first with { $requests }, then complain at { $authority }.",
    );
    assert_eq!(
        found(&en_only(NOTICE, &en), Code::ComplaintLinkMismatch),
        Vec::<&Diagnostic>::new()
    );
    let en = ftl_with(
        "English",
        "complaint-eu-gdpr",
        "complaint-eu-gdpr = Tell us first with { $requests }; you can also complain.",
    );
    assert_eq!(
        found(&en_only(NOTICE, &en), Code::ComplaintLinkMismatch),
        Vec::<&Diagnostic>::new()
    );
    assert_eq!(
        found(&shipped(&[]), Code::ComplaintLinkMismatch),
        Vec::<&Diagnostic>::new()
    );
}

// ---------------------------------------------------------------------------------------------
// R039, R041–R046

fn regions(lines: &str) -> String {
    format!("{NOTICE}\n[regions]\n{lines}\n")
}

#[test]
fn r039_a_placeholder_is_no_reason() {
    for reason in [
        "TODO",
        "tbd",
        "xxx",
        "?",
        "fixme",
        "see ticket",
        "TODO: ask legal about it",
        "Why not this one?",
    ] {
        let n = regions(&format!(
            "CN = {{ regime = \"apec-cbpr\", reason = \"{reason}\" }}"
        ));
        let c = en_only(&n, &ftl("English"));
        let r = found(&c, Code::RegionAwayFromOwnLaw);
        assert_eq!(r.len(), 1, "{reason}: {:#?}", c.diagnostics);
        assert!(r[0].message.contains("placeholder"), "{}", r[0].message);
    }
    let n = regions(
        "CN = { regime = \"apec-cbpr\", reason = \"no visitors from mainland China: the site is blocked there\" }",
    );
    let c = en_only(&n, &ftl("English"));
    assert_eq!(
        found(&c, Code::RegionAwayFromOwnLaw),
        Vec::<&Diagnostic>::new()
    );
    assert!(rules::placeholder_reason("  "));
    assert!(!rules::placeholder_reason(
        "the regulator agreed in writing (letter of 2 May)"
    ));
}

fn ads_transfers(entries: &str, extra: &str) -> String {
    format!("{NOTICE}transfers = [{entries}]\n{extra}\n")
}

fn entry(dest: &str, safeguard: &str, recipient: &str) -> String {
    format!(
        "{{ destination = \"{dest}\", safeguard = \"{safeguard}\", recipient = \"{recipient}\", contact = \"requests\" }}"
    )
}

fn all_mechanisms(dest: &str, recipient: &str) -> String {
    [
        "pipl-standard-contract",
        "eu-scc",
        "uk-idta",
        "lgpd-scc",
        "apec-cbpr",
    ]
    .iter()
    .map(|g| entry(dest, g, recipient))
    .collect::<Vec<_>>()
    .join(", ")
}

fn labels(dest: &str) -> String {
    format!(
        "{}safeguard-pipl-standard-contract = a\nsafeguard-eu-scc = b\nsafeguard-uk-idta = c\nsafeguard-lgpd-scc = d\nsafeguard-apec-cbpr = e\nsafeguard-adequacy = f\ncountry-{dest} = g\n",
        ftl("English")
    )
}

#[test]
fn r041_a_recipient_is_one_of_the_purposes_companies() {
    let ok = [
        (
            "Centre Pte. Ltd.",
            "processors = [\"Centre Pte. Ltd., Singapore\"]",
        ),
        ("centre  pte. ltd.", "processors = [\"Centre Pte. Ltd.\"]"),
        (
            "Ads Inc.",
            "third_parties = [\"Ads Inc. (ads)\"]\nsold_or_shared = true",
        ),
        (
            "Centre Pte. Ltd., Singapore",
            "processors = [\"Centre Pte. Ltd.\"]",
        ),
    ];
    for (recipient, companies) in ok {
        let n = ads_transfers(&all_mechanisms("SG", recipient), companies);
        let c = en_only(&n, &labels("SG"));
        assert_eq!(
            found(&c, Code::TransferRecipientUnknown),
            Vec::<&Diagnostic>::new(),
            "{recipient}"
        );
    }
    for (recipient, companies) in [
        ("Europe B.V.", "processors = [\"Centre Pte. Ltd.\"]"),
        ("Centre", "processors = [\"Centreline Ltd.\"]"),
        ("Centre Pte. Ltd.", ""),
    ] {
        let n = ads_transfers(&entry("SG", "eu-scc", recipient), companies);
        let c = en_only(&n, &labels("SG"));
        assert_eq!(
            found(&c, Code::TransferRecipientUnknown).len(),
            1,
            "{recipient}: {:#?}",
            c.diagnostics
        );
    }
}

#[test]
fn r042_adequacy_only_where_the_law_recognises_it() {
    assert_eq!(Regime::Gdpr.adequate_destination("BR"), Some(true));
    assert_eq!(Regime::Gdpr.adequate_destination("DE"), Some(true));
    assert_eq!(Regime::Gdpr.adequate_destination("SG"), Some(false));
    assert_eq!(Regime::Gdpr.adequate_destination("US"), Some(false));
    assert_eq!(Regime::UkGdpr.adequate_destination("KR"), Some(true));
    assert_eq!(Regime::UkGdpr.adequate_destination("FO"), Some(false));
    assert_eq!(Regime::ChFadp.adequate_destination("MC"), Some(true));
    assert_eq!(Regime::ChFadp.adequate_destination("JP"), Some(false));
    assert_eq!(Regime::Appi.adequate_destination("GB"), Some(true));
    assert_eq!(Regime::Appi.adequate_destination("CH"), Some(false));
    assert_eq!(Regime::Lgpd.adequate_destination("FR"), Some(true));
    assert_eq!(Regime::Lgpd.adequate_destination("GB"), Some(false));
    assert_eq!(Regime::Pipl.adequate_destination("DE"), None);
    // Japan: adequate for the EU, the UK and Japan itself, not for Switzerland or Brazil.
    let n = ads_transfers(
        &format!(
            "{}, {}",
            entry("JP", "adequacy", "X"),
            all_mechanisms("JP", "X")
        ),
        "processors = [\"X\"]",
    );
    let c = en_only(&n, &labels("JP"));
    let r = found(&c, Code::AdequacyNotRecognised);
    assert_eq!(r.len(), 1, "{:#?}", c.diagnostics);
    assert!(
        r[0].message.contains("ch-fadp, br-lgpd recognise"),
        "{}",
        r[0].message
    );
    // Within the EEA every law with adequacy decisions agrees.
    let n = ads_transfers(
        &format!(
            "{}, {}",
            entry("IE", "adequacy", "X"),
            all_mechanisms("IE", "X")
        ),
        "processors = [\"X\"]",
    );
    let c = en_only(&n, &labels("IE"));
    assert_eq!(
        found(&c, Code::AdequacyNotRecognised),
        Vec::<&Diagnostic>::new()
    );
}

#[test]
fn r043_required_sensitive_data_needs_a_condition_other_than_contract() {
    let sensitive = |basis: &str| {
        NOTICE
            .replacen(
                "legal_basis = \"contract\"",
                &format!("legal_basis = \"{basis}\""),
                1,
            )
            .replacen(
                "channels = [\"web\"]",
                "channels = [\"web\"]\nsensitive = true",
                1,
            )
            .replace(
                "opt_out_link = \"opt-out\"",
                "opt_out_link = \"opt-out\"\nlimit_link = \"opt-out\"",
            )
    };
    let en = format!("{}purpose-svc-sensitive-impact = x\n", ftl("English"));
    let c = en_only(&sensitive("contract"), &en);
    let r = found(&c, Code::SensitiveRequiredBasis);
    assert_eq!(r.len(), 1, "{:#?}", c.diagnostics);
    assert!(
        r[0].message.contains("rests on contract"),
        "{}",
        r[0].message
    );
    let c = en_only(&sensitive("legal-obligation"), &en);
    assert_eq!(
        found(&c, Code::SensitiveRequiredBasis),
        Vec::<&Diagnostic>::new()
    );
    // An optional sensitive purpose is R009's (consent), not R043's.
    let n = format!("{NOTICE}sensitive = true\nseparate_consent = true\n").replace(
        "opt_out_link = \"opt-out\"",
        "opt_out_link = \"opt-out\"\nlimit_link = \"opt-out\"",
    );
    let c = en_only(
        &n,
        &format!("{}purpose-ads-sensitive-impact = x\n", ftl("English")),
    );
    assert_eq!(
        found(&c, Code::SensitiveRequiredBasis),
        Vec::<&Diagnostic>::new()
    );
}

#[test]
fn r044_disclosure_under_us_law_says_whether_it_is_sold() {
    let en = ftl("English");
    let c = en_only(&format!("{NOTICE}third_parties = [\"T\"]\n"), &en);
    assert_eq!(found(&c, Code::SaleOrSharingUndeclared).len(), 1);
    for ok in [
        "third_parties = [\"T\"]\nsold_or_shared = false",
        "third_parties = [\"T\"]\nsold_or_shared = true",
    ] {
        let c = en_only(&format!("{NOTICE}{ok}\n"), &en);
        assert_eq!(
            found(&c, Code::SaleOrSharingUndeclared),
            Vec::<&Diagnostic>::new(),
            "{ok}"
        );
    }
    // Sold, but to no one.
    let c = en_only(&format!("{NOTICE}sold_or_shared = true\n"), &en);
    let r = found(&c, Code::SaleOrSharingUndeclared);
    assert_eq!(r.len(), 1, "{:#?}", c.diagnostics);
    assert!(r[0].message.contains("names no third party"));
    // No US state law in use: nothing to say.
    let away: String = ["US-CA", "US-VA", "US-CO", "US-CT", "US-TX", "US-OR"]
        .iter()
        .map(|r| {
            format!(
                "{r} = {{ regime = \"apec-cbpr\", reason = \"no sales to US consumers at all\" }}\n"
            )
        })
        .collect();
    let n = format!("{NOTICE}third_parties = [\"T\"]\n\n[regions]\n{away}");
    let c = en_only(&n, &en);
    assert_eq!(
        found(&c, Code::SaleOrSharingUndeclared),
        Vec::<&Diagnostic>::new()
    );
}

#[test]
fn r045_near_identical_email_domains() {
    let en = ftl("English");
    // The rarer domain is the typo, wherever it is used.
    let n = NOTICE.replace("d@example.com", "d@exmaple.com");
    let c = en_only(&n, &en);
    let r = found(&c, Code::EmailDomainTypo);
    assert_eq!(r.len(), 1, "{:#?}", c.diagnostics);
    assert!(
        r[0].message.contains("exmaple.com (controller.dpo.email)"),
        "{}",
        r[0].message
    );
    let n = NOTICE.replace("[links]\n", "[links]\nwrite = \"mailto:p@exampel.com\"\n");
    let c = run(&[
        ("notice.toml", n.as_bytes()),
        ("en.ftl", format!("{en}link-write = Write\n").as_bytes()),
    ]);
    assert_eq!(
        found(&c, Code::EmailDomainTypo).len(),
        1,
        "{:#?}",
        c.diagnostics
    );
    // Other organisations, other top-level domains, short domains: not typos.
    for (from, to) in [
        ("d@example.com", "d@example.org"),
        ("d@example.com", "d@example.cn"),
        ("d@example.com", "d@lumenwave.com"),
        ("p@example.com", "p@ab.io"),
    ] {
        let c = en_only(&NOTICE.replace(from, to), &en);
        assert_eq!(
            found(&c, Code::EmailDomainTypo),
            Vec::<&Diagnostic>::new(),
            "{to}"
        );
    }
    // Two short domains a letter apart are as likely two organisations.
    let c = en_only(
        &NOTICE
            .replace("d@example.com", "d@ab.io")
            .replace("p@example.com", "p@ac.io"),
        &en,
    );
    assert_eq!(found(&c, Code::EmailDomainTypo), Vec::<&Diagnostic>::new());
}

#[test]
fn r046_implausible_retention_and_deadline() {
    let en = ftl("English");
    let c = en_only(&NOTICE.replace("\"P30D\"", "\"P90M\""), &en);
    assert_eq!(found(&c, Code::ImplausibleDuration).len(), 1);
    for ok in ["\"P5Y\"", "\"P60M\"", "\"P90D\""] {
        let c = en_only(&NOTICE.replace("\"P30D\"", ok), &en);
        assert_eq!(
            found(&c, Code::ImplausibleDuration),
            Vec::<&Diagnostic>::new(),
            "{ok}"
        );
    }
    // Not on consent: a legal duty may keep data for ten years.
    let c = en_only(&NOTICE.replacen("\"P1Y\"", "\"P10Y\"", 1), &en);
    assert_eq!(
        found(&c, Code::ImplausibleDuration),
        Vec::<&Diagnostic>::new()
    );
    // The deadline: longer than every law's (DPDP 90 days is the longest here).
    let deadline = |d: &str| {
        NOTICE.replace(
            "how = [\"requests\"]",
            &format!("how = [\"requests\"]\ndeadline = \"{d}\""),
        )
    };
    let c = en_only(&deadline("P3M"), &en);
    let r = found(&c, Code::ImplausibleDuration);
    assert_eq!(r.len(), 1, "{:#?}", c.diagnostics);
    assert!(
        r[0].message.contains("P90D under in-dpdp"),
        "{}",
        r[0].message
    );
    for ok in ["P1M", "P90D", "P30D"] {
        let c = en_only(&deadline(ok), &en);
        assert_eq!(
            found(&c, Code::ImplausibleDuration),
            Vec::<&Diagnostic>::new(),
            "{ok}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile input

#[test]
fn hostile_facts_files_and_texts_stay_linear() {
    // 2,000 processors, each translated with the next one's name, a number it lacks, a
    // country and the same text: every check fires on every line, in linear time.
    let n = 2_000;
    let processors: Vec<String> = (0..n)
        .map(|i| format!("\"Example{i} Ltd. (Singapore)\""))
        .collect();
    let notice = format!("{NOTICE}processors = [{}]\n", processors.join(", "));
    let mut facts = String::new();
    for i in 0..n {
        facts.push_str(&format!(
            "\"Example{i} Ltd. (Singapore)\" = \"مزود Example{} Ltd. ٥١٨ 一号 (Malaisie) 有限公司\"\n",
            (i + 1) % n
        ));
    }
    let en = ftl_with(
        "English",
        "purpose-ads-description",
        &format!(
            "purpose-ads-description = {}",
            "Acme Ltd. 有限公司 (Inc.) ".repeat(60)
        ),
    );
    let start = std::time::Instant::now();
    let c = run(&[
        ("notice.toml", notice.as_bytes()),
        ("en.ftl", en.as_bytes()),
        ("ar.ftl", ftl("عربي").as_bytes()),
        ("ar.facts.toml", facts.as_bytes()),
    ]);
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
    // The first hundred findings of the file, and how many more there are.
    let l = found(&c, Code::FactTranslationMismatch);
    assert_eq!(l.len(), 101, "{:?}", c.diagnostics.first());
    let more: Vec<&&Diagnostic> = l.iter().filter(|d| d.location.is_none()).collect();
    assert_eq!(more.len(), 1);
    assert!(
        more[0]
            .message
            .ends_with("more translations of ar do not match their facts"),
        "{}",
        more[0].message
    );
    // A name repeated sixty times in a purpose's text is one finding.
    assert_eq!(found(&c, Code::UnknownOrganisation).len(), 1);
    // Degenerate values.
    for v in ["", "(", "有限公司", "Ltd.", "٠", "〇号", "Co.,", "\\u0000"] {
        let facts = format!("\"A\" = \"{v}\"\n\"H\" = \"{v}\"\n");
        let _ = run(&[
            ("notice.toml", NOTICE.as_bytes()),
            ("en.ftl", ftl("English").as_bytes()),
            ("ar.ftl", ftl("عربي").as_bytes()),
            ("ar.facts.toml", facts.as_bytes()),
        ]);
    }
}

#[test]
fn r047_a_representative_is_where_it_represents() {
    let en = ftl("English");
    let rep = |key: &str, address: &str| {
        let at = NOTICE.find(&format!("[controller.{key}]")).unwrap();
        let b = at + NOTICE[at..].find("address = \"B\"").unwrap();
        format!(
            "{}address = \"{address}\"{}",
            &NOTICE[..b],
            &NOTICE[b + "address = \"B\"".len()..]
        )
    };
    for (key, address) in [
        (
            "uk_representative",
            "Examplestraat 1, 1000 AA Example City, Netherlands",
        ),
        ("swiss_representative", "Via Esempio 1, Milano, Italy"),
        ("china_representative", "1 Example Road, Singapore"),
        ("korea_representative", "1 Example Street, Tokyo, Japan"),
    ] {
        let c = en_only(&rep(key, address), &en);
        let r = found(&c, Code::RepresentativeOutsideTerritory);
        assert_eq!(r.len(), 1, "{key}: {:#?}", c.diagnostics);
        assert!(r[0].message.contains(key), "{}", r[0].message);
    }
    // In the territory, or no country named: fine.
    for (key, address) in [
        (
            "uk_representative",
            "1 Example Street, London EC1A 1AA, United Kingdom",
        ),
        (
            "swiss_representative",
            "Beispielstrasse 1, 8001 Zürich, Switzerland",
        ),
        (
            "china_representative",
            "1 Example Road, Shenzhen 518000, China",
        ),
        (
            "korea_representative",
            "1 Example-ro, Seoul 04500, Republic of Korea",
        ),
        ("uk_representative", "1 Example Street, London EC1A 1AA"),
    ] {
        let c = en_only(&rep(key, address), &en);
        assert_eq!(
            found(&c, Code::RepresentativeOutsideTerritory),
            Vec::<&Diagnostic>::new(),
            "{address}"
        );
    }
    // The EU representative may sit in any EEA state.
    let n = NOTICE.replace(
        "[controller.dpo]",
        "[controller.eu_representative]\nname = \"E\"\naddress = \"1 Rue Exemple, Paris, France\"\nemail = \"e@example.com\"\n\n[controller.dpo]",
    );
    let c = en_only(&n, &en);
    assert_eq!(
        found(&c, Code::RepresentativeOutsideTerritory),
        Vec::<&Diagnostic>::new()
    );
    let c = en_only(&n.replace("Paris, France", "Bern, Switzerland"), &en);
    assert_eq!(found(&c, Code::RepresentativeOutsideTerritory).len(), 1);
}

#[test]
fn r048_two_links_to_one_page() {
    let en = ftl("English");
    let c = en_only(
        &NOTICE.replace("https://example.com/r", "https://example.com/p/"),
        &en,
    );
    let r = found(&c, Code::DuplicateLinkTarget);
    assert_eq!(r.len(), 1, "{:#?}", c.diagnostics);
    assert!(r[0].message.contains("as policy does"), "{}", r[0].message);
    // Two mailto: links to one mailbox, and different pages of one site, are fine.
    let n = NOTICE.replace(
        "[links]\n",
        "[links]\nwrite = \"mailto:p@example.com\"\ndpo-mail = \"mailto:p@example.com\"\n",
    );
    let en2 = format!("{en}link-write = w\nlink-dpo-mail = d\n");
    let c = run(&[("notice.toml", n.as_bytes()), ("en.ftl", en2.as_bytes())]);
    assert_eq!(
        found(&c, Code::DuplicateLinkTarget),
        Vec::<&Diagnostic>::new()
    );
    assert_eq!(
        found(&shipped(&[]), Code::DuplicateLinkTarget),
        Vec::<&Diagnostic>::new()
    );
}
