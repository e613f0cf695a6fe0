//! Fixtures of the P, T and K rules (run by `every_rule_has_a_fixture_that_triggers_it_at_the_right_place`
//! in `compile/tests.rs`), the corpus of realistic mistakes on the shipped locales, and the
//! shipped locales' own check.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::super::tests::{
    Case, NOTICE, case, en, ftl, ftl_with, line_of, notice, pos, real_locales, run,
};
use crate::diagnostics::Code;

mod corpus;

/// A Spanish locale for the fixtures: `<Español> <id>` per message, with a Spanish word of
/// refusal where the English fixture says "reject", so that it is in step with `ftl("English")`.
fn es_base() -> String {
    ftl_with(
        "Español",
        "reject-all",
        "reject-all = Español rechazar todo",
    )
}

fn es_with(id: &str, line: &str) -> String {
    let base = es_base();
    let prefix = format!("{id} = ");
    let mut out = String::new();
    for l in base.lines() {
        if l.starts_with(&prefix) {
            out.push_str(line);
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    out
}

fn es(text: &str) -> (&'static str, Vec<u8>) {
    ("es.ftl", text.as_bytes().to_vec())
}

fn line_col(text: &str, needle: &str) -> Option<(usize, usize)> {
    pos(text, needle)
}

/// One fixture per P, T and K rule.
pub(in crate::compile) fn cases() -> Vec<Case> {
    let en_base = ftl("English");
    let close_line = line_of(&en_base, "close = ");
    let ads = "purpose-ads-description = ";
    let ads_line = |t: &str| ftl_with("English", "purpose-ads-description", &format!("{ads}{t}"));
    let mut v = Vec::new();

    let p1 = es_with("close", "close = Español cerrar en 5 años");
    v.push(case(
        "P001 number mismatch",
        vec![notice(NOTICE), en(&en_base), es(&p1)],
        Code::NumberMismatch,
        "es.ftl",
        line_col(&p1, "5 años"),
    ));
    let p2 = es_with("close", "close = Español { language-name }");
    v.push(case(
        "P002 placeable mismatch",
        vec![notice(NOTICE), en(&en_base), es(&p2)],
        Code::PlaceableMismatch,
        "es.ftl",
        line_col(&p2, "language-name }"),
    ));
    let en3 = ftl_with("English", "close", "close = English close (ANPD)");
    v.push(case(
        "P003 entity mismatch",
        vec![notice(NOTICE), en(&en3), es(&es_base())],
        Code::EntityMismatch,
        "es.ftl",
        Some((close_line, 1)),
    ));
    let en4 = ftl_with(
        "English",
        "close",
        "close = We close this window for you now. Nothing you chose here is lost when it closes.",
    );
    let es4 = es_with("close", "close = Cerramos esta ventana por ti ahora.");
    v.push(case(
        "P004 sentence dropped",
        vec![notice(NOTICE), en(&en4), es(&es4)],
        Code::SentenceMismatch,
        "es.ftl",
        Some((close_line, 1)),
    ));
    let en5 = ftl_with("English", "close", "close = Do not close");
    let es5 = es_with("close", "close = Cerrar");
    v.push(case(
        "P005 negation mismatch",
        vec![notice(NOTICE), en(&en5), es(&es5)],
        Code::NegationMismatch,
        "es.ftl",
        line_col(&es5, "Cerrar"),
    ));
    let en6 = ftl_with("English", "close", "close = Keep 2");
    let en6 = en6.replace(
        "save-choices = English save-choices",
        "save-choices = Keep 2 years",
    );
    let es6 = es_with("close", "close = Guardar 2 años").replace(
        "save-choices = Español save-choices",
        "save-choices = Guardar 2 años",
    );
    v.push(case(
        "P006 conflated messages",
        vec![notice(NOTICE), en(&en6), es(&es6)],
        Code::ConflatedMessages,
        "es.ftl",
        Some((close_line, 1)),
    ));
    v.push(case(
        "T001 required term missing",
        vec![
            notice(NOTICE),
            en(&en_base),
            es(&es_base()),
            (
                "es.terms.toml",
                b"[[term]]\nwhen = [\"close\"]\nuse = [\"cerrar\"]\n".to_vec(),
            ),
        ],
        Code::RequiredTermMissing,
        "es.ftl",
        Some((close_line, 1)),
    ));
    let es7 = es_with("close", "close = Español prohibido");
    v.push(case(
        "T002 avoided term",
        vec![
            notice(NOTICE),
            en(&en_base),
            es(&es7),
            (
                "es.terms.toml",
                b"[[term]]\navoid = [\"prohibido\"]\n".to_vec(),
            ),
        ],
        Code::AvoidedTerm,
        "es.ftl",
        line_col(&es7, "prohibido"),
    ));
    v.push(case(
        "T003 invalid terms file",
        vec![
            notice(NOTICE),
            en(&en_base),
            es(&es_base()),
            (
                "es.terms.toml",
                b"[[term]]\nwhen = [\"x\"]\nuse = [\"y\"]\ncolour = 1\n".to_vec(),
            ),
        ],
        Code::InvalidTermsFile,
        "es.terms.toml",
        Some((4, 1)),
    ));
    // `{ $retention }` outside a purpose's message: no purpose to take it from.
    let k1 = ftl_with("English", "close", "close = Close { $retention }");
    v.push(case(
        "K001 built-in unavailable",
        vec![notice(NOTICE), en(&k1)],
        Code::BuiltinUnavailable,
        "en.ftl",
        line_col(&k1, "$retention"),
    ));
    let k2 = ads_line("English about ads, kept for 90 days");
    v.push(case(
        "K002 retention mismatch",
        vec![notice(NOTICE), en(&k2)],
        Code::RetentionMismatch,
        "en.ftl",
        line_col(&k2, "90 days"),
    ));
    let k3 = ads_line("English about ads, kept for 30 days");
    v.push(case(
        "K003 retention written out",
        vec![notice(NOTICE), en(&k3)],
        Code::RetentionWrittenOut,
        "en.ftl",
        line_col(&k3, "30 days"),
    ));
    let k4 = ftl_with("English", "close", "close = Write to someone@example.org");
    v.push(case(
        "K004 unknown e-mail",
        vec![notice(NOTICE), en(&k4)],
        Code::UnknownEmail,
        "en.ftl",
        line_col(&k4, "someone@example.org"),
    ));
    let k5 = ftl_with(
        "English",
        "link-policy",
        "link-policy = www.other.example.com/p",
    );
    v.push(case(
        "K005 link label mismatch",
        vec![notice(NOTICE), en(&k5)],
        Code::LinkLabelMismatch,
        "en.ftl",
        line_col(&k5, "www.other"),
    ));
    let k6 = ads_line("English about ads, shown by our partner in Japan");
    v.push(case(
        "K006 country not in transfers",
        vec![notice(NOTICE), en(&k6)],
        Code::CountryNotInTransfers,
        "en.ftl",
        line_col(&k6, "Japan"),
    ));
    let k7 = NOTICE.replace(
        "[links]\n",
        "[links]\nretention = \"mailto:keep@example.com\"\n",
    );
    let k8 = ads_line("English about ads, shown by Other Networks Corp. on its sites");
    v.push(case(
        "K008 unknown organisation",
        vec![notice(NOTICE), en(&k8)],
        Code::UnknownOrganisation,
        "en.ftl",
        line_col(&k8, "Other Networks Corp."),
    ));
    let n9 = NOTICE.replace("eu-gdpr = \"authority\"", "eu-gdpr = \"requests\"");
    let k9 = ftl_with(
        "English",
        "complaint-eu-gdpr",
        "complaint-eu-gdpr = Complain to { $authority }.",
    );
    v.push(case(
        "K009 complaint link mismatch",
        vec![notice(&n9), en(&k9)],
        Code::ComplaintLinkMismatch,
        "notice.toml",
        line_col(&n9, "eu-gdpr = \"requests\""),
    ));
    v.push(case(
        "K007 reserved link name",
        vec![notice(&k7), en(&en_base)],
        Code::ReservedLinkName,
        "notice.toml",
        Some((line_of(&k7, "retention = \"mailto"), 1)),
    ));
    v
}

/// The findings of the P, T and K families.
fn meaning_findings(c: &super::super::Compiled) -> Vec<String> {
    c.diagnostics
        .iter()
        .filter(|d| matches!(&d.code.as_str()[..1], "P" | "T" | "K"))
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_shipped_locales_have_no_meaning_findings() {
    let c = run(&real_locales());
    assert_eq!(meaning_findings(&c), Vec::<String>::new());
}

#[test]
fn retention_is_written_out_per_language() {
    use super::text::Lang;
    use crate::notice::Retention;
    let cases: &[(&str, Lang, &str)] = &[
        ("P90D", Lang::En, "90 days"),
        ("P1Y", Lang::En, "1 year"),
        ("P1Y6M", Lang::En, "1 year and 6 months"),
        ("P3Y", Lang::Es, "3 años"),
        ("P1M", Lang::Es, "1 mes"),
        ("P13M", Lang::Fr, "13 mois"),
        ("P1Y", Lang::Fr, "1 an"),
        ("P2Y", Lang::Pt, "2 anos"),
        ("P1M", Lang::Pt, "1 mês"),
        ("P13M", Lang::Zh, "13个月"),
        ("P90D", Lang::Zh, "90天"),
        ("PT24H", Lang::Zh, "24小时"),
        ("P1Y", Lang::Ar, "سنة واحدة"),
        ("P2Y", Lang::Ar, "سنتين"),
        ("P3Y", Lang::Ar, "3 سنوات"),
        ("P13M", Lang::Ar, "13 شهرًا"),
        ("P90D", Lang::Ar, "90 يومًا"),
        ("P100D", Lang::Ar, "100 يوم"),
        ("P2W", Lang::Ar, "أسبوعين"),
    ];
    for (iso, lang, want) in cases {
        let r = Retention::parse(iso).unwrap();
        assert_eq!(
            super::format_retention(&r, *lang).as_deref(),
            Some(*want),
            "{iso} {lang:?}"
        );
    }
    assert_eq!(
        super::format_retention(&Retention::parse("P1Y").unwrap(), Lang::Other),
        None
    );
}

#[test]
fn written_out_retention_reads_back_as_the_same_duration() {
    use super::text::{self, Lang};
    use crate::notice::Retention;
    for lang in [Lang::En, Lang::Es, Lang::Fr, Lang::Pt, Lang::Zh, Lang::Ar] {
        for iso in [
            "P1D", "P2D", "P3D", "P11D", "P90D", "P100D", "P1W", "P2W", "P1M", "P2M", "P6M",
            "P13M", "P1Y", "P2Y", "P3Y", "P10Y", "P12Y", "PT1H", "PT2H", "PT48H",
        ] {
            let r = Retention::parse(iso).unwrap();
            let words = super::format_retention(&r, lang).unwrap();
            let qs = text::quantities(&words, lang, &[]);
            assert_eq!(qs.len(), 1, "{iso} {lang:?}: {words:?} → {qs:?}");
            assert_eq!(
                Some(qs[0].key()),
                super::facts_key(&r),
                "{iso} {lang:?}: {words:?}"
            );
        }
    }
}

#[test]
fn retention_placeable_is_filled_in_and_a_mailto_link_shows_its_address() {
    let n = NOTICE.replace(
        "[links]\n",
        "[links]\nwrite = \"mailto:write@example.com\"\n",
    );
    let e = ftl_with(
        "English",
        "purpose-ads-description",
        "purpose-ads-description = We keep it { $retention }; write to { $write }.",
    );
    let c = run(&[("notice.toml", n.as_bytes()), ("en.ftl", e.as_bytes())]);
    assert_eq!(c.diagnostics, Vec::new(), "{:#?}", c.diagnostics);
    let b = c.build.unwrap();
    let ads = b.bundles[0]
        .purposes
        .iter()
        .find(|p| p.id.as_str() == "ads")
        .unwrap();
    assert_eq!(
        ads.description.to_plain(),
        "We keep it 30 days; write to write@example.com."
    );
    let link = b.bundles[0]
        .links
        .iter()
        .find(|l| l.name == "write")
        .unwrap();
    assert_eq!(link.text, "write@example.com");
}

#[test]
fn retention_in_a_language_without_words_is_a_finding_not_english() {
    let e = ftl_with(
        "English",
        "purpose-ads-description",
        "purpose-ads-description = Kept { $retention }.",
    );
    let de = ftl_with(
        "Deutsch",
        "purpose-ads-description",
        "purpose-ads-description = Aufbewahrt { $retention }.",
    );
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", e.as_bytes()),
        ("de.ftl", de.as_bytes()),
    ]);
    let k: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::BuiltinUnavailable)
        .collect();
    assert_eq!(k.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(k[0].file, "loc/de.ftl");
    assert_eq!(
        k[0].location.as_ref().map(|l| (l.line, l.column)),
        line_col(&de, "$retention")
    );
    // Outside a purpose message it is a finding too.
    let e2 = ftl_with("English", "close", "close = { $retention }");
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", e2.as_bytes()),
    ]);
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.code == Code::BuiltinUnavailable),
        "{:#?}",
        c.diagnostics
    );
}

#[test]
fn a_megabyte_of_text_is_linted_in_linear_time() {
    // 1 MiB of messages in two locales: every check runs once per message (no pairwise
    // comparison), so this takes well under a second in a debug build.
    let mut big_en = ftl("English");
    let mut big_es = es_base();
    let mut i = 0;
    while big_es.len() < super::super::MAX_FTL_BYTES - 400 {
        let line = format!(
            "extra-{i} = Si no aceptas, guardamos 90 días tus datos. Escribe a p@example.com. La CCPA aplica en Singapur.\n"
        );
        big_es.push_str(&line);
        big_en.push_str(&format!(
            "extra-{i} = If you do not agree, we keep your data for 90 days. Write to p@example.com. The CCPA applies in Singapore.\n"
        ));
        i += 1;
    }
    let start = std::time::Instant::now();
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", big_en.as_bytes()),
        ("es.ftl", big_es.as_bytes()),
    ]);
    let took = start.elapsed();
    let found = meaning_findings(&c);
    assert!(
        found.is_empty(),
        "{} findings, first {:?}",
        found.len(),
        found.first()
    );
    assert!(took.as_secs() < 30, "{took:?} for {i} messages");
}

/// Every mistake of the corpus is caught: its expected code in its file, on its line.
#[test]
fn the_corpus_of_mistakes_is_caught() {
    let base = real_locales();
    let mut missed = Vec::new();
    for m in corpus::MISTAKES {
        let mut files: Vec<(&str, Vec<u8>)> = base.iter().map(|(n, b)| (*n, b.to_vec())).collect();
        let mut edited_line = 0;
        for (file, from, to) in m.edits {
            let f = files
                .iter_mut()
                .find(|(n, _)| n == file)
                .unwrap_or_else(|| panic!("{}: no file {file}", m.name));
            let text = String::from_utf8(f.1.clone()).unwrap();
            let at = text
                .find(from)
                .unwrap_or_else(|| panic!("{}: {from:?} not in {file}", m.name));
            if edited_line == 0 && *file == m.file {
                edited_line = 1 + text[..at].matches('\n').count();
            }
            f.1 = text.replacen(from, to, 1).into_bytes();
        }
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let c = run(&refs);
        let want_file = format!("loc/{}", m.file);
        let hit = c.diagnostics.iter().any(|d| {
            d.code == m.code
                && d.file == want_file
                && match m.line {
                    Line::Any => true,
                    Line::Edited => d.line() == Some(edited_line),
                }
        });
        if !hit {
            missed.push(format!(
                "{}: want {} in {} (line {edited_line}), got {:#?}",
                m.name,
                m.code,
                m.file,
                meaning_findings(&c)
            ));
        }
    }
    assert!(
        missed.is_empty(),
        "{} of {} missed:\n{}",
        missed.len(),
        corpus::MISTAKES.len(),
        missed.join("\n")
    );
    assert!(corpus::MISTAKES.len() >= 40);
}

/// Where a corpus finding must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Line {
    /// On the line of the first edit in the file.
    Edited,
    /// Anywhere in the file.
    Any,
}

/// One realistic mistake: edits to the shipped files and the finding it must produce.
pub(super) struct Mistake {
    pub name: &'static str,
    /// (file, text, replacement), applied once each.
    pub edits: &'static [(&'static str, &'static str, &'static str)],
    pub code: Code,
    pub file: &'static str,
    pub line: Line,
}
