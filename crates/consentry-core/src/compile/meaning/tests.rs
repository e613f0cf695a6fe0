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

/// A terminology entry that pins every legal label of the fixtures (T004) but `except`, to the
/// word every Spanish fixture text starts with.
pub(in crate::compile) fn pinned(except: &[&str]) -> String {
    let ids: Vec<String> = ftl("English")
        .lines()
        .filter_map(|l| l.split(" = ").next())
        .filter(|id| super::terms::is_legal_label(id) && !except.contains(id))
        .map(|id| format!("\"{id}\""))
        .collect();
    format!(
        "[[term]]\nmessages = [{}]\nuse = [\"Español\"]\n",
        ids.join(", ")
    )
}

/// Eight long messages of about the same length in English and Spanish, so that the locale
/// has a usual length (P009).
fn with_long_messages(text: &str, spanish: bool) -> String {
    let mut out = String::new();
    for l in text.lines() {
        let id = l.split(" = ").next().unwrap_or("");
        if id.starts_with("complaint-") && !id.ends_with("-ca-ccpa") {
            if spanish {
                out.push_str(&format!(
                    "{id} = Español: puede reclamar ante la autoridad de su país"
                ));
            } else {
                out.push_str(&format!(
                    "{id} = English: you may complain to the authority of your country"
                ));
            }
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    out
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
                format!(
                    "{}[[term]]\nwhen = [\"close\"]\nuse = [\"cerrar\"]\n",
                    pinned(&[])
                )
                .into_bytes(),
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
                format!("{}[[term]]\navoid = [\"prohibido\"]\n", pinned(&[])).into_bytes(),
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
    let k2 = ads_line("English about ads, if you agree, kept for 90 days");
    v.push(case(
        "K002 retention mismatch",
        vec![notice(NOTICE), en(&k2)],
        Code::RetentionMismatch,
        "en.ftl",
        line_col(&k2, "90 days"),
    ));
    let k3 = ads_line("English about ads, if you agree, kept for 30 days");
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
    let k6 = ads_line("English about ads, if you agree, shown by our partner in Japan");
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
    let k8 =
        ads_line("If you agree, English about ads, shown by Other Networks Corp. on its sites");
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
    let en_p7 = ftl_with("English", "close", "close = English close at any time");
    let es_p7 = es_with("close", "close = Español cerrar");
    v.push(case(
        "P007 promise marker missing",
        vec![notice(NOTICE), en(&en_p7), es(&es_p7)],
        Code::PromiseMarkerMissing,
        "es.ftl",
        Some((close_line, 1)),
    ));
    let en_p8 = ftl_with("English", "close", "close = English close, always on");
    let es_p8 = es_with("close", "close = Español cerrar, desactivado");
    v.push(case(
        "P008 says the opposite",
        vec![notice(NOTICE), en(&en_p8), es(&es_p8)],
        Code::SaysTheOpposite,
        "es.ftl",
        line_col(&es_p8, "desactivado"),
    ));
    let en_p10 = ftl_with(
        "English",
        "close",
        "close = English close, with your contact details",
    );
    let es_p10 = es_with("close", "close = Español cerrar, con su DNI");
    v.push(case(
        "P010 sensitive data added",
        vec![notice(NOTICE), en(&en_p10), es(&es_p10)],
        Code::SensitiveDataAdded,
        "es.ftl",
        line_col(&es_p10, "DNI"),
    ));
    let en_p11 = ftl_with(
        "English",
        "close",
        "close = English close, with your contact details",
    );
    let es_p11 = es_with("close", "close = Español cerrar, mediante pago");
    v.push(case(
        "P011 condition added",
        vec![notice(NOTICE), en(&en_p11), es(&es_p11)],
        Code::ConditionAdded,
        "es.ftl",
        line_col(&es_p11, "mediante pago"),
    ));
    let en_p9 = with_long_messages(
        &ftl_with(
            "English",
            "close",
            "close = We close this window now and remember every choice you made here exactly as you made it, for this visit and for every later visit you make to this website.",
        ),
        false,
    );
    let es_p9 = with_long_messages(
        &es_with(
            "close",
            "close = Cerramos esta ventana ahora y recordamos lo que eligió.",
        ),
        true,
    );
    v.push(case(
        "P009 length out of line",
        vec![notice(NOTICE), en(&en_p9), es(&es_p9)],
        Code::LengthOutOfLine,
        "es.ftl",
        line_col(&es_p9, "Cerramos"),
    ));
    let d6 = ftl_with(
        "English",
        "reject-all",
        "reject-all = English reject-all (not recommended)",
    );
    v.push(case(
        "D006 unequal choice labels",
        vec![notice(NOTICE), en(&d6)],
        Code::UnequalChoiceLabels,
        "en.ftl",
        line_col(&d6, "not recommended"),
    ));
    let d7 = ftl_with(
        "English",
        "open-settings",
        "open-settings = Accept and choose",
    );
    v.push(case(
        "D007 label contradicts action",
        vec![notice(NOTICE), en(&d7)],
        Code::LabelContradictsAction,
        "en.ftl",
        line_col(&d7, "Accept and"),
    ));
    let d8 = ftl_with(
        "English",
        "purpose-ads-description",
        "purpose-ads-description = We show you ads.",
    );
    v.push(case(
        "D008 consent not stated",
        vec![notice(NOTICE), en(&d8)],
        Code::ConsentNotStated,
        "en.ftl",
        Some((line_of(&d8, "purpose-ads-description"), 1)),
    ));
    let d9 = ftl_with(
        "English",
        "separate-consent-intro",
        "separate-consent-intro = If you do not agree, you cannot use the support.",
    );
    v.push(case(
        "D009 refusal penalty",
        vec![notice(NOTICE), en(&d9)],
        Code::RefusalPenalty,
        "en.ftl",
        line_col(&d9, "cannot use"),
    ));
    v.push(case(
        "T004 unpinned legal label",
        vec![
            notice(NOTICE),
            en(&en_base),
            es(&es_base()),
            (
                "es.terms.toml",
                pinned(&["controller-heading"]).into_bytes(),
            ),
        ],
        Code::UnpinnedLegalLabel,
        "es.ftl",
        Some((line_of(&en_base, "controller-heading = "), 1)),
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
        "purpose-ads-description = If you agree, we keep it { $retention }; write to { $write }.",
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
        "If you agree, we keep it 30 days; write to write@example.com."
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

// ---------------------------------------------------------------------------------------------
// Promises, opposites, clauses, lengths, the default text and the wording of the choices.

/// The findings of `c`, as (code, file name, line).
fn found(c: &super::super::Compiled) -> Vec<(Code, String, usize)> {
    c.diagnostics
        .iter()
        .map(|d| {
            (
                d.code,
                d.file.trim_start_matches("loc/").to_string(),
                d.line().unwrap_or(0),
            )
        })
        .collect()
}

/// en and es with message `id` set to the two texts.
fn pair(id: &str, en_text: &str, es_text: &str) -> super::super::Compiled {
    let e = ftl_with("English", id, &format!("{id} = {en_text}"));
    let s = es_with(id, &format!("{id} = {es_text}"));
    run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", e.as_bytes()),
        ("es.ftl", s.as_bytes()),
    ])
}

fn codes(c: &super::super::Compiled) -> Vec<Code> {
    c.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn a_promise_in_other_words_is_kept() {
    // "cuando quiera" is "at any time" too; "gratis" is "free of charge".
    let c = pair(
        "close",
        "You can close it at any time, free of charge.",
        "Puede cerrarlo cuando quiera, gratis.",
    );
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    let c = pair(
        "close",
        "You can close it at any time, free of charge.",
        "Puede cerrarlo una vez al año, gratis.",
    );
    assert_eq!(
        codes(&c),
        [Code::PromiseMarkerMissing],
        "{:#?}",
        c.diagnostics
    );
}

#[test]
fn states_swapped_within_a_sentence_are_the_opposite() {
    let c = pair(
        "close",
        "On until you switch it off",
        "Desactivado hasta que lo active",
    );
    assert_eq!(codes(&c), [Code::SaysTheOpposite], "{:#?}", c.diagnostics);
    // Both states in their order: fine.
    let c = pair(
        "close",
        "On until you switch it off",
        "Activado hasta que lo desactive",
    );
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    // A translation that says both where the default says one is not the opposite
    // (录音保存90天后删除: "kept 90 days, then deleted").
    let c = pair(
        "close",
        "Recordings are deleted after 90 days.",
        "Guardamos las grabaciones y las borramos a los 90 días.",
    );
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    // Under an age → over it.
    let c = pair(
        "close",
        "I decide for a child under 14",
        "Decido por un menor de 14 años",
    );
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    let c = pair(
        "close",
        "I decide for a child under 14",
        "Decido por un mayor de 14 años",
    );
    assert_eq!(codes(&c), [Code::SaysTheOpposite], "{:#?}", c.diagnostics);
}

#[test]
fn swapped_sentences_are_paired_by_their_anchors() {
    let en_text = "If you agree, we keep the transcript. If you say no, it is deleted when the chat ends. We keep transcripts for 30 days.";
    // The same sentences in another order: no reversal.
    let c = pair(
        "close",
        en_text,
        "Si lo acepta, conservamos la transcripción. Conservamos las transcripciones 30 días. Si no lo acepta, se borra al terminar el chat.",
    );
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    // In order, but the refusal no longer deletes: "deleted" is gone.
    let c = pair(
        "close",
        en_text,
        "Si lo acepta, conservamos la transcripción. Si no lo acepta, la conservamos igual. Conservamos las transcripciones 30 días.",
    );
    assert_eq!(
        codes(&c),
        [Code::PromiseMarkerMissing],
        "{:#?}",
        c.diagnostics
    );
    // One sentence that says "kept" where the default's says "deleted": the opposite.
    let c = pair(
        "close",
        "If you say no, the transcript is deleted when the chat ends. We keep it for 30 days.",
        "Si no lo acepta, la transcripción se conserva al terminar el chat. La borramos a los 30 días.",
    );
    assert_eq!(codes(&c), [Code::SaysTheOpposite], "{:#?}", c.diagnostics);
}

#[test]
fn clauses_that_line_up_keep_their_polarity() {
    let en_text = "If you say no, we still take your call; we just do not record it.";
    let c = pair(
        "close",
        en_text,
        "Si no acepta, atendemos su llamada igualmente, sin grabarla.",
    );
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    let c = pair(
        "close",
        en_text,
        "Si no acepta, atendemos su llamada igualmente, grabándola.",
    );
    assert_eq!(codes(&c), [Code::NegationMismatch], "{:#?}", c.diagnostics);
    // Restructured clauses (the condition moved) are not compared one by one.
    let c = pair(
        "close",
        "We need this to help you, to check your warranty, so we cannot help you without it.",
        "Necesitamos estos datos para ayudarle, si no nos los da, no podemos ayudarle.",
    );
    assert!(
        !codes(&c).contains(&Code::NegationMismatch),
        "{:#?}",
        c.diagnostics
    );
}

#[test]
fn a_but_clause_cannot_turn_a_negative_statement_around() {
    let c = pair(
        "close",
        "Not sold or shared",
        "No se venden, pero se comparten",
    );
    assert_eq!(codes(&c), [Code::NegationMismatch], "{:#?}", c.diagnostics);
    let c = pair(
        "close",
        "Not sold or shared",
        "No se venden ni se comparten",
    );
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    // A "but" clause that says "not" as well is the same statement.
    let c = pair(
        "close",
        "Not sold or shared",
        "No se venden, pero tampoco se comparten",
    );
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
}

#[test]
fn correlatives_alone_do_not_negate() {
    let en_text = "If you ask, we treat it as your request not to sell or share your data.";
    let c = pair(
        "close",
        en_text,
        "Si lo pide, lo tratamos como su solicitud de que no vendamos ni compartamos sus datos.",
    );
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    let c = pair(
        "close",
        en_text,
        "Si lo pide, lo tratamos como su solicitud de que vendamos ni compartamos sus datos.",
    );
    assert_eq!(codes(&c), [Code::NegationMismatch], "{:#?}", c.diagnostics);
}

#[test]
fn a_long_sentence_of_the_usual_length_is_fine() {
    let long_en = "We close this window now and remember every choice you made here exactly as you made it, for this visit and for every later visit you make to this website.";
    let long_es = "Cerramos esta ventana ahora y recordamos cada elección que hizo aquí exactamente como la hizo, para esta visita y para todas las visitas posteriores que haga a este sitio web.";
    let e = with_long_messages(
        &ftl_with("English", "close", &format!("close = {long_en}")),
        false,
    );
    let s = with_long_messages(&es_with("close", &format!("close = {long_es}")), true);
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", e.as_bytes()),
        ("es.ftl", s.as_bytes()),
    ]);
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
}

/// en, es and fr with message `id` set to the three texts.
fn three(id: &str, en_text: &str, es_text: &str, fr_text: &str) -> super::super::Compiled {
    let e = ftl_with("English", id, &format!("{id} = {en_text}"));
    let s = es_with(id, &format!("{id} = {es_text}"));
    let f = ftl_with(
        "Français",
        "reject-all",
        "reject-all = Français refuser tout",
    )
    .replace(
        &format!("{id} = Français {id}"),
        &format!("{id} = {fr_text}"),
    );
    run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", e.as_bytes()),
        ("es.ftl", s.as_bytes()),
        ("fr.ftl", f.as_bytes()),
    ])
}

#[test]
fn what_every_translation_lacks_is_reported_once_at_the_default() {
    let c = three(
        "close",
        "Close it at any time",
        "Español cerrar",
        "Français fermer",
    );
    assert_eq!(
        found(&c),
        [(
            Code::PromiseMarkerMissing,
            "en.ftl".to_string(),
            line_of(&ftl("English"), "close = ")
        )],
        "{:#?}",
        c.diagnostics
    );
    assert!(
        c.diagnostics[0]
            .message
            .contains("the default text changed")
    );
    // One translation says it: the other is wrong, not the default.
    let c = three(
        "close",
        "Close it at any time",
        "Español cerrar en cualquier momento",
        "Français fermer",
    );
    assert_eq!(
        found(&c),
        [(
            Code::PromiseMarkerMissing,
            "fr.ftl".to_string(),
            line_of(&ftl("English"), "close = ")
        )],
        "{:#?}",
        c.diagnostics
    );
}

#[test]
fn link_labels_that_read_the_same_for_different_links() {
    let e = ftl("English");
    // link-policy reads like link-requests ("Español requests").
    let s = es_with("link-policy", "link-policy = Español requests");
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", e.as_bytes()),
        ("es.ftl", s.as_bytes()),
    ]);
    assert_eq!(codes(&c), [Code::ConflatedMessages], "{:#?}", c.diagnostics);
    // The same link target: one place, one label.
    let n = NOTICE.replace(
        "policy = \"https://example.com/p\"",
        "policy = \"https://example.com/r\"",
    );
    let c = run(&[
        ("notice.toml", n.as_bytes()),
        ("en.ftl", e.as_bytes()),
        ("es.ftl", s.as_bytes()),
    ]);
    // (Two links to one page are a finding of their own, R048, but not a conflation.)
    assert_eq!(
        codes(&c),
        [Code::DuplicateLinkTarget],
        "{:#?}",
        c.diagnostics
    );
}

fn en_only(id: &str, text: &str) -> super::super::Compiled {
    let e = ftl_with("English", id, &format!("{id} = {text}"));
    run(&[("notice.toml", NOTICE.as_bytes()), ("en.ftl", e.as_bytes())])
}

#[test]
fn choice_buttons_are_plain_alike_and_say_what_they_do() {
    // Plain labels of different length within twice: fine.
    let e = ftl("English")
        .replace("agree = English agree", "agree = I agree")
        .replace("disagree = English disagree", "disagree = I do not agree");
    let c = run(&[("notice.toml", NOTICE.as_bytes()), ("en.ftl", e.as_bytes())]);
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    // A second clause, a nudge, a long refusal.
    for (id, text) in [
        ("disagree", "No thanks, I like slow support"),
        ("accept-all", "Accept all (recommended)"),
        ("accept-all", "Accept all as recommended"),
        (
            "reject-all",
            "Reject all and get the slowest possible support experience",
        ),
    ] {
        let c = en_only(id, text);
        assert_eq!(
            codes(&c),
            [Code::UnequalChoiceLabels],
            "{text}: {:#?}",
            c.diagnostics
        );
    }
    // A hyphen inside a word is no second clause.
    let c = en_only("reject-all", "Reject all e-mail");
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    // Accept says accept; the others do not.
    let c = en_only("accept-all", "Continue");
    assert_eq!(
        codes(&c),
        [Code::LabelContradictsAction],
        "{:#?}",
        c.diagnostics
    );
    let c = en_only("save-choices", "Accept and save");
    assert_eq!(
        codes(&c),
        [Code::LabelContradictsAction],
        "{:#?}",
        c.diagnostics
    );
    // "do not agree", "without accepting" and what is withdrawn are not a yes.
    let c = en_only("reject-all", "Continue without accepting");
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    let c = en_only("withdraw-all", "Withdraw every agreement");
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    let z = ftl_with("中文", "withdraw-all", "withdraw-all = 撤回全部同意")
        .replace("disagree = 中文 disagree", "disagree = 我不同意")
        .replace("agree = 中文 agree", "agree = 我同意");
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", ftl("English").as_bytes()),
        ("zh-CN.ftl", z.as_bytes()),
    ]);
    assert!(
        !codes(&c).contains(&Code::LabelContradictsAction),
        "{:#?}",
        c.diagnostics
    );
    let z = z.replace(
        "disagree = 我不同意",
        "disagree = 全部拒绝（可能影响服务质量）",
    );
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", ftl("English").as_bytes()),
        ("zh-CN.ftl", z.as_bytes()),
    ]);
    assert!(
        codes(&c).contains(&Code::UnequalChoiceLabels),
        "{:#?}",
        c.diagnostics
    );
}

#[test]
fn consent_is_stated_where_it_is_asked_for_and_only_there() {
    // The default says it, the translation does not: P007 there, not D008 as well.
    let c = pair(
        "purpose-ads-description",
        "If you agree, we show you ads.",
        "Le mostramos anuncios.",
    );
    assert_eq!(
        codes(&c),
        [Code::PromiseMarkerMissing],
        "{:#?}",
        c.diagnostics
    );
    // A purpose that runs until switched off must not say it (D005), in Spanish too, and not
    // where another message names it.
    let n = NOTICE.replace(
        "legal_basis = \"consent\"\nretention = \"P30D\"",
        "legal_basis = { default = \"consent\", us-ca-ccpa = \"opt-out\" }\non_until_opt_out = [\"us-ca-ccpa\"]\nretention = \"P30D\"",
    );
    let e = ftl("English")
        .replace(
            "English about ads, if you agree",
            "We show you ads until you switch them off",
        )
        .replace(
            "legal-basis-consent = English legal-basis-consent",
            "legal-basis-consent = English legal-basis-consent\nlegal-basis-opt-out = x",
        );
    let s = es_base()
        .replace(
            "Español about ads, if you agree",
            "Si lo acepta, le mostramos anuncios hasta que lo desactive",
        )
        .replace(
            "legal-basis-consent = Español legal-basis-consent",
            "legal-basis-consent = Español legal-basis-consent\nlegal-basis-opt-out = x",
        );
    let c = run(&[
        ("notice.toml", n.as_bytes()),
        ("en.ftl", e.as_bytes()),
        ("es.ftl", s.as_bytes()),
    ]);
    assert_eq!(
        codes(&c),
        [Code::ConsentWordingWithoutConsent],
        "{:#?}",
        c.diagnostics
    );
    let e2 = e.replace(
        "banner-body = English banner-body",
        "banner-body = If you agree, we also show { purpose-ads-name }.",
    );
    let s2 = s
        .replace(
            "Si lo acepta, le mostramos anuncios hasta que lo desactive",
            "Le mostramos anuncios hasta que lo desactive",
        )
        .replace(
            "banner-body = Español banner-body",
            "banner-body = Si lo acepta, también mostramos { purpose-ads-name }.",
        );
    let c = run(&[
        ("notice.toml", n.as_bytes()),
        ("en.ftl", e2.as_bytes()),
        ("es.ftl", s2.as_bytes()),
    ]);
    assert_eq!(
        found(&c),
        [
            (
                Code::ConsentWordingWithoutConsent,
                "en.ftl".to_string(),
                line_of(&e2, "banner-body")
            ),
            (
                Code::ConsentWordingWithoutConsent,
                "es.ftl".to_string(),
                line_of(&s2, "banner-body")
            ),
        ],
        "{:#?}",
        c.diagnostics
    );
}

#[test]
fn a_required_purpose_may_say_it_cannot_help_without_the_data() {
    let c = en_only(
        "purpose-svc-description",
        "We need your details to answer, so we cannot help you without them.",
    );
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
    let c = en_only(
        "purpose-ads-description",
        "If you agree, we show you ads. If you say no, you will not be able to use the site.",
    );
    assert_eq!(codes(&c), [Code::RefusalPenalty], "{:#?}", c.diagnostics);
    // A longer wait is no penalty.
    let c = en_only(
        "purpose-ads-description",
        "If you agree, we show you ads. If you say no, answers can take longer.",
    );
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
}

#[test]
fn a_when_phrase_pins_a_legal_label() {
    let terms = format!(
        "{}[[term]]\nwhen = [\"controller-heading\"]\nuse = [\"Español\"]\n",
        pinned(&["controller-heading"])
    );
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", ftl("English").as_bytes()),
        ("es.ftl", es_base().as_bytes()),
        ("es.terms.toml", terms.as_bytes()),
    ]);
    assert_eq!(codes(&c), [], "{:#?}", c.diagnostics);
}

#[test]
fn a_sentence_every_translation_lacks_was_added_to_the_default() {
    let en_text = "We close this window for you now. Nothing you chose here is lost when it closes. We never sell what you chose.";
    let c = three(
        "close",
        en_text,
        "Cerramos esta ventana ahora. No se pierde nada de lo que eligió al cerrarla.",
        "Nous fermons cette fenêtre maintenant. Rien de ce que vous avez choisi ne se perd quand elle se ferme.",
    );
    assert_eq!(
        found(&c)
            .into_iter()
            .filter(|f| f.0 == Code::SentenceMismatch)
            .collect::<Vec<_>>(),
        [(
            Code::SentenceMismatch,
            "en.ftl".to_string(),
            line_of(&ftl("English"), "close = ")
        )],
        "{:#?}",
        c.diagnostics
    );
}
