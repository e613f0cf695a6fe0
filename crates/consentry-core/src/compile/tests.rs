use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::bundle::{Span, UI_MESSAGES};
use crate::diagnostics::{Code, Diagnostic, SourceFile};

/// A small notice that every regime's rules accept: two purposes, four links. Line numbers
/// matter below.
pub(super) const NOTICE: &str = r#"notice_id = "t"
version = "1"
default_locale = "en"
policy_link = "policy"

[controller]
name = "C"
address = "A"
country = "DE"
email = "p@example.com"
head = "H"

[controller.dpo]
name = "D"
email = "d@example.com"

[controller.china_representative]
name = "R"
address = "B"
email = "r@example.com"

[controller.uk_representative]
name = "U"
address = "B"
email = "u@example.com"

[controller.swiss_representative]
name = "S"
address = "B"
email = "s@example.com"

[controller.korea_representative]
name = "K"
address = "B"
email = "k@example.com"

[links]
policy = "https://example.com/p"
requests = "https://example.com/r"
authority = "https://example.com/a"
opt-out = "https://example.com/o"

[rights]
offered = ["access", "rectification", "erasure", "restriction", "objection", "portability", "withdraw-consent", "explanation", "opt-out-of-sale", "non-discrimination", "sharing-information", "anonymisation", "refusal-information", "appeal", "nominate"]
how = ["requests"]

[complaints]
eu-gdpr = "authority"
uk-gdpr = "authority"
ch-fadp = "authority"
cn-pipl = "authority"
jp-appi = "authority"
kr-pipa = "authority"
in-dpdp = "authority"
ca-pipeda = "authority"
ca-qc-law25 = "authority"
us-ca-ccpa = "authority"
us-va-vcdpa = "authority"
us-co-cpa = "authority"
us-ct-ctdpa = "authority"
us-tx-tdpsa = "authority"
us-or-ocpa = "authority"
br-lgpd = "authority"

[ccpa]
opt_out_link = "opt-out"

[[purposes]]
id = "svc"
dpv = "CustomerCare"
required = true
legal_basis = "contract"
retention = "P1Y"
data_categories = ["contact-details"]
channels = ["web"]

[[purposes]]
id = "ads"
dpv = "Marketing"
legal_basis = "consent"
retention = "P30D"
data_categories = ["usage-data"]
channels = ["web"]
"#;

/// Line of the first line containing `needle` in `text` (1-based).
pub(super) fn line_of(text: &str, needle: &str) -> usize {
    1 + text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
}

/// The messages NOTICE requires after the UI messages, in the order `ftl` writes them.
const NOTICE_MESSAGES: &[&str] = &[
    "purpose-svc-name",
    "purpose-svc-description",
    "purpose-ads-name",
    "purpose-ads-description",
    "data-category-contact-details",
    "data-category-usage-data",
    "channel-web",
    "uk-representative-heading",
    "swiss-representative-heading",
    "korea-representative-heading",
    "head-label",
    "right-access",
    "right-rectification",
    "right-erasure",
    "right-restriction",
    "right-objection",
    "right-portability",
    "right-withdraw-consent",
    "right-explanation",
    "right-opt-out-of-sale",
    "right-non-discrimination",
    "right-sharing-information",
    "right-anonymisation",
    "right-refusal-information",
    "right-appeal",
    "right-nominate",
    "complaint-eu-gdpr",
    "complaint-uk-gdpr",
    "complaint-ch-fadp",
    "complaint-cn-pipl",
    "complaint-jp-appi",
    "complaint-kr-pipa",
    "complaint-in-dpdp",
    "complaint-ca-pipeda",
    "complaint-ca-qc-law25",
    "complaint-us-ca-ccpa",
    "complaint-us-va-vcdpa",
    "complaint-us-co-cpa",
    "complaint-us-ct-ctdpa",
    "complaint-us-tx-tdpsa",
    "complaint-us-or-ocpa",
    "complaint-br-lgpd",
    "regime-eu-gdpr",
    "regime-uk-gdpr",
    "regime-ch-fadp",
    "regime-cn-pipl",
    "regime-jp-appi",
    "regime-kr-pipa",
    "regime-in-dpdp",
    "regime-ca-pipeda",
    "regime-ca-qc-law25",
    "regime-us-ca-ccpa",
    "regime-us-va-vcdpa",
    "regime-us-co-cpa",
    "regime-us-ct-ctdpa",
    "regime-us-tx-tdpsa",
    "regime-us-or-ocpa",
    "regime-br-lgpd",
    "regime-apec-cbpr",
    "gpc-statement",
    "link-requests",
    "link-authority",
    "link-opt-out",
    "link-policy",
];

/// Number of lines of [`ftl`] output; extra lines start after it.
pub(super) fn ftl_lines() -> usize {
    UI_MESSAGES.len() + NOTICE_MESSAGES.len()
}

/// Every message NOTICE requires, one per line: the UI messages in `UI_MESSAGES` order
/// (`language-name` is line 1, `banner-body` 3, `accept-all` 4, `reject-all` 5, `close` 10),
/// then [`NOTICE_MESSAGES`], ending with `link-policy = <lang> policy`. Each text starts
/// with `lang`, so locales differ; the consent purpose `ads` says ", if you agree".
pub(super) fn ftl(lang: &str) -> String {
    let mut s = String::new();
    for id in UI_MESSAGES.iter().chain(NOTICE_MESSAGES) {
        if *id == "language-name" {
            s.push_str(&format!("language-name = {lang}\n"));
        } else if let Some(name) = id.strip_prefix("link-") {
            s.push_str(&format!("{id} = {lang} {name}\n"));
        } else if let Some(p) = id
            .strip_prefix("purpose-")
            .and_then(|r| r.strip_suffix("-description"))
        {
            // The consent purpose says that it happens only with consent (D008).
            let consent = if p == "ads" { ", if you agree" } else { "" };
            s.push_str(&format!("{id} = {lang} about {p}{consent}\n"));
        } else if let Some(p) = id
            .strip_prefix("purpose-")
            .and_then(|r| r.strip_suffix("-name"))
        {
            s.push_str(&format!("{id} = {lang} {p}\n"));
        } else {
            s.push_str(&format!("{id} = {lang} {id}\n"));
        }
    }
    assert_eq!(s.lines().count(), ftl_lines());
    s
}

/// `ftl(lang)` with the message `id` given a new line (or removed when `line` is empty).
pub(super) fn ftl_with(lang: &str, id: &str, line: &str) -> String {
    let prefix = format!("{id} = ");
    let mut out = String::new();
    let mut found = false;
    for l in ftl(lang).lines() {
        if l.starts_with(&prefix) {
            found = true;
            if !line.is_empty() {
                out.push_str(line);
                out.push('\n');
            }
        } else {
            out.push_str(l);
            out.push('\n');
        }
    }
    assert!(found, "{id}");
    out
}

pub(super) fn sources(files: &[(&str, &[u8])]) -> Vec<SourceFile> {
    files
        .iter()
        .map(|(name, bytes)| SourceFile::new(format!("loc/{name}"), *bytes))
        .collect()
}

pub(super) fn run(files: &[(&str, &[u8])]) -> Compiled {
    compile("loc", &sources(files), &CompileOptions::default())
}

fn run_en(en: &str) -> Compiled {
    run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", en.as_bytes()),
    ])
}

/// The findings with `code`.
pub(super) fn with_code(c: &Compiled, code: Code) -> Vec<&Diagnostic> {
    c.diagnostics.iter().filter(|d| d.code == code).collect()
}

/// Asserts exactly one finding with `code` in `file` at `pos` (None = whole file); returns it.
fn expect_one<'a>(
    c: &'a Compiled,
    code: Code,
    file: &str,
    pos: Option<(usize, usize)>,
) -> &'a Diagnostic {
    let found = with_code(c, code);
    assert_eq!(found.len(), 1, "one {code} in {:#?}", c.diagnostics);
    let d = found[0];
    assert_eq!(d.file, format!("loc/{file}"), "{d:?}");
    let got = d.location.as_ref().map(|l| (l.line, l.column));
    assert_eq!(got, pos, "{d:?}");
    d
}

#[test]
fn fixtures_compile_clean() {
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", ftl("English").as_bytes()),
        ("de.ftl", ftl("Deutsch").as_bytes()),
    ]);
    assert_eq!(c.diagnostics, Vec::new());
    let b = c.build.unwrap();
    assert_eq!(b.bundles.len(), 2);
    assert_eq!(b.bundles[0].locale.as_str(), "de");
    assert_eq!(b.bundles[1].locale.as_str(), "en");
}

/// One fixture per rule: files, then the expected code, file and position.
pub(super) struct Case {
    pub(super) name: &'static str,
    pub(super) files: Vec<(&'static str, Vec<u8>)>,
    pub(super) code: Code,
    pub(super) file: &'static str,
    pub(super) pos: Option<(usize, usize)>,
}

pub(super) fn case(
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    code: Code,
    file: &'static str,
    pos: Option<(usize, usize)>,
) -> Case {
    Case {
        name,
        files,
        code,
        file,
        pos,
    }
}

pub(super) fn notice(text: &str) -> (&'static str, Vec<u8>) {
    ("notice.toml", text.as_bytes().to_vec())
}

pub(super) fn en(text: &str) -> (&'static str, Vec<u8>) {
    ("en.ftl", text.as_bytes().to_vec())
}

fn cases() -> Vec<Case> {
    let extra = |line: &str| format!("{}{line}\n", ftl("English"));
    let next = ftl_lines() + 1;
    let mut v = vec![
        case(
            "F001 toml syntax",
            vec![
                notice(&NOTICE.replace("version = \"1\"", "version = \"1")),
                en(&ftl("English")),
            ],
            Code::TomlSyntax,
            "notice.toml",
            Some((2, 13)),
        ),
        case(
            "F002 ftl syntax",
            vec![notice(NOTICE), en(&extra("oops"))],
            Code::FtlSyntax,
            "en.ftl",
            Some((next, 5)),
        ),
        case(
            "F003 invalid utf-8",
            vec![
                notice(NOTICE),
                en(&ftl("English")),
                (
                    "de.ftl",
                    b"language-name = Deutsch\nbanner-title = \xff\n".to_vec(),
                ),
            ],
            Code::InvalidUtf8,
            "de.ftl",
            Some((2, 16)),
        ),
        case(
            "F004 missing notice.toml",
            vec![en(&ftl("English"))],
            Code::MissingNoticeFile,
            "notice.toml",
            None,
        ),
        case(
            "F005 no locale files",
            vec![notice(NOTICE)],
            Code::NoLocaleFiles,
            "",
            None,
        ),
        case(
            "N001 unknown key",
            vec![
                notice(&format!("{NOTICE}colour = 1\n")),
                en(&ftl("English")),
            ],
            Code::UnknownKey,
            "notice.toml",
            Some((NOTICE.lines().count() + 1, 1)),
        ),
        case(
            "N002 missing key",
            vec![
                notice(&NOTICE.replace("address = \"A\"\n", "")),
                en(&ftl("English")),
            ],
            Code::MissingKey,
            "notice.toml",
            Some((line_of(NOTICE, "[controller]"), 1)),
        ),
        case(
            "N003 invalid value",
            vec![
                notice(&NOTICE.replace("\"P30D\"", "\"30 days\"")),
                en(&ftl("English")),
            ],
            Code::InvalidValue,
            "notice.toml",
            Some((line_of(NOTICE, "\"P30D\""), 13)),
        ),
        case(
            "N004 duplicate purpose",
            vec![
                notice(&NOTICE.replace("id = \"ads\"", "id = \"svc\"")),
                en(&ftl("English")),
            ],
            Code::DuplicatePurpose,
            "notice.toml",
            Some((line_of(NOTICE, "id = \"ads\""), 6)),
        ),
        case(
            "M001 missing message",
            vec![
                notice(NOTICE),
                en(&ftl("English")),
                // Icelandic: a language without built-in interface text.
                (
                    "is.ftl",
                    ftl_with("Íslenska", "accept-all", "").into_bytes(),
                ),
            ],
            Code::MissingMessage,
            "is.ftl",
            Some((4, 1)),
        ),
        case(
            "M002 extra message",
            vec![
                notice(NOTICE),
                en(&ftl("English")),
                (
                    "de.ftl",
                    format!("{}extra = X\n", ftl("Deutsch")).into_bytes(),
                ),
            ],
            Code::ExtraMessage,
            "de.ftl",
            Some((next, 1)),
        ),
        case(
            "M003 unknown purpose",
            vec![notice(NOTICE), en(&extra("purpose-nope-name = Nope"))],
            Code::UnknownPurpose,
            "en.ftl",
            Some((next, 1)),
        ),
        case(
            "M004 empty message",
            vec![
                notice(NOTICE),
                en(&ftl_with("English", "accept-all", "accept-all = { \"\" }")),
            ],
            Code::EmptyMessage,
            "en.ftl",
            Some((4, 1)),
        ),
        case(
            "M005 unknown link",
            vec![
                notice(NOTICE),
                en(&ftl_with(
                    "English",
                    "banner-body",
                    "banner-body = See { $nolink }.",
                )),
            ],
            Code::UnknownLink,
            "en.ftl",
            Some((3, 21)),
        ),
        case(
            "M006 unsupported syntax",
            vec![
                notice(NOTICE),
                en(&ftl_with(
                    "English",
                    "reject-all",
                    "reject-all = { NUMBER(1) }",
                )),
            ],
            Code::UnsupportedSyntax,
            "en.ftl",
            Some((5, 16)),
        ),
        case(
            "M007 unknown reference",
            vec![
                notice(NOTICE),
                en(&ftl_with("English", "close", "close = { nosuch }")),
            ],
            Code::UnknownReference,
            "en.ftl",
            Some((10, 11)),
        ),
        case(
            "M008 duplicate message",
            vec![notice(NOTICE), en(&extra("close = Again"))],
            Code::DuplicateMessage,
            "en.ftl",
            Some((next, 1)),
        ),
        case(
            "M009 reference cycle",
            vec![
                notice(NOTICE),
                en(&extra("loop-a = { loop-b }\nloop-b = { loop-a }")),
            ],
            Code::ReferenceCycle,
            "en.ftl",
            Some((next + 1, 12)),
        ),
        case(
            "L001 invalid locale file name",
            vec![
                notice(NOTICE),
                en(&ftl("English")),
                ("english.ftl", ftl("English").into_bytes()),
            ],
            Code::InvalidLocaleFileName,
            "english.ftl",
            None,
        ),
        case(
            "L002 default locale missing",
            vec![notice(NOTICE), ("de.ftl", ftl("Deutsch").into_bytes())],
            Code::DefaultLocaleMissing,
            "notice.toml",
            Some((3, 18)),
        ),
    ];
    v.extend(more_cases());
    v.extend(meaning::tests::cases());
    v
}

/// `(line, column)` of the first `needle` in `text` (column in characters).
pub(super) fn pos(text: &str, needle: &str) -> Option<(usize, usize)> {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the fixture"));
    Some(crate::diagnostics::line_column(text, at))
}

/// The purpose `ads` (last in NOTICE) with extra keys.
fn ads_with(lines: &str) -> String {
    format!("{NOTICE}{lines}\n")
}

/// A transfer to `dest` under every mechanism a regime in NOTICE asks for, and (`SAFEGUARD_MESSAGES`)
/// their labels.
fn transfers_to(dest: &str, keep: &[&str]) -> String {
    let all = [
        "pipl-standard-contract",
        "eu-scc",
        "uk-idta",
        "lgpd-scc",
        "apec-cbpr",
    ];
    let items: Vec<String> = all
        .iter()
        .filter(|g| keep.is_empty() || keep.contains(g))
        .map(|g| {
            format!(
                "{{ destination = \"{dest}\", safeguard = \"{g}\", recipient = \"X\", contact = \"requests\" }}"
            )
        })
        .collect();
    // The recipient is the purpose's processor (R041).
    format!("transfers = [{}]\nprocessors = [\"X\"]", items.join(", "))
}

/// The labels [`transfers_to`] needs, for `dest`.
fn transfer_labels(dest: &str) -> String {
    format!(
        "safeguard-pipl-standard-contract = a\nsafeguard-eu-scc = b\nsafeguard-uk-idta = c\nsafeguard-lgpd-scc = d\nsafeguard-apec-cbpr = e\ncountry-{dest} = f"
    )
}

/// NOTICE with the regions `codes` mapped to `regime`, each acknowledged (so the regimes of
/// those regions are out of use).
fn mapped_away(text: &str, codes: &[&str], regime: &str) -> String {
    let mut s = format!("{text}\n[regions]\n");
    for c in codes {
        s.push_str(&format!(
            "{c} = {{ regime = \"{regime}\", reason = \"served under one law by contract\" }}\n"
        ));
    }
    s
}

/// `ftl("English")` with extra messages at the end.
fn en_plus(lines: &str) -> String {
    format!("{}{lines}\n", ftl("English"))
}

/// NOTICE without the line containing `needle`.
fn without_line(needle: &str) -> String {
    NOTICE
        .lines()
        .filter(|l| !l.contains(needle))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// NOTICE without the table whose header is `header` (up to the next blank line).
fn without_table(header: &str) -> String {
    let start = NOTICE.find(header).unwrap();
    let end = start + NOTICE[start..].find("\n\n").unwrap() + 2;
    format!("{}{}", &NOTICE[..start], &NOTICE[end..])
}

/// The cases of the rules added with the full notice model (files, text, regimes, dark
/// patterns).
fn more_cases() -> Vec<Case> {
    let end = (ftl_lines() + 1, 1);
    let nested = format!("{NOTICE}x = {}1{}\n", "[".repeat(17), "]".repeat(17));
    let de_with = |id: &str, line: &str| ("de.ftl", ftl_with("Deutsch", id, line).into_bytes());
    let with = |from: &str, to: &str| NOTICE.replacen(from, to, 1);
    let t = |code, file: &'static str, files, at| case(code_name(code), files, code, file, at);
    vec![
        t(
            Code::FileTooLarge,
            "en.ftl",
            vec![
                notice(NOTICE),
                en(&format!(
                    "{}# {}\n",
                    ftl("English"),
                    "x".repeat(MAX_FTL_BYTES)
                )),
            ],
            None,
        ),
        t(
            Code::NestingTooDeep,
            "notice.toml",
            vec![notice(&nested), en(&ftl("English"))],
            Some((NOTICE.lines().count() + 1, 21)),
        ),
        t(
            Code::InsecureLink,
            "notice.toml",
            vec![
                notice(&with("https://example.com/p", "javascript:alert(1)")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "\"https://example.com/p"),
        ),
        t(
            Code::MalformedLink,
            "notice.toml",
            vec![
                notice(&with("https://example.com/r", "https://exa mple.com/r")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "\"https://example.com/r"),
        ),
        t(
            Code::UnknownLinkName,
            "notice.toml",
            vec![
                notice(&with(
                    "policy_link = \"policy\"",
                    "policy_link = \"nolink\"",
                )),
                en(&ftl("English")),
            ],
            Some((4, 15)),
        ),
        t(
            Code::MarkupInValue,
            "notice.toml",
            vec![
                notice(&with("name = \"C\"", "name = \"<b onclick=x>C</b>\"")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "\"C\""),
        ),
        t(
            Code::HiddenCharacterInValue,
            "notice.toml",
            vec![
                notice(&with("name = \"C\"", "name = \"C\u{200B}orp\"")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "\"C\""),
        ),
        t(
            Code::ValueTooLong,
            "notice.toml",
            vec![
                notice(&with(
                    "name = \"C\"",
                    &format!("name = \"{}\"", "C".repeat(501)),
                )),
                en(&ftl("English")),
            ],
            pos(NOTICE, "\"C\""),
        ),
        t(
            Code::PlaceholderMismatch,
            "de.ftl",
            vec![
                notice(NOTICE),
                en(&ftl_with("English", "close", "close = See { $policy }")),
                de_with("close", "close = Siehe Richtlinie"),
            ],
            Some((10, 1)),
        ),
        t(
            Code::MarkupInText,
            "en.ftl",
            vec![
                notice(NOTICE),
                en(&ftl_with(
                    "English",
                    "close",
                    "close = <img src=x onerror=alert(1)>",
                )),
            ],
            Some((10, 9)),
        ),
        t(
            Code::HiddenCharacterInText,
            "en.ftl",
            vec![
                notice(NOTICE),
                en(&ftl_with("English", "close", "close = Clo\u{200B}se")),
            ],
            Some((10, 12)),
        ),
        t(
            Code::BidiControl,
            "en.ftl",
            vec![
                notice(NOTICE),
                en(&ftl_with("English", "close", "close = \u{202E}esolC")),
            ],
            Some((10, 9)),
        ),
        t(
            Code::MessageTooLong,
            "en.ftl",
            vec![
                notice(NOTICE),
                en(&ftl_with(
                    "English",
                    "close",
                    &format!("close = {}", "x".repeat(2001)),
                )),
            ],
            Some((10, 1)),
        ),
        t(
            Code::Untranslated,
            "de.ftl",
            vec![
                notice(NOTICE),
                en(&ftl_with("English", "close", "close = Close the dialog")),
                de_with("close", "close = Close the dialog"),
            ],
            Some((10, 1)),
        ),
        t(
            Code::UnusedTerm,
            "en.ftl",
            vec![notice(NOTICE), en(&en_plus("-unused = Nobody"))],
            Some(end),
        ),
        t(
            Code::ScriptMismatch,
            "ar.ftl",
            vec![
                notice(NOTICE),
                en(&ftl("English")),
                (
                    "ar.ftl",
                    ftl_with("عربي", "close", "close = Close the dialog").into_bytes(),
                ),
            ],
            Some((10, 1)),
        ),
        t(
            Code::RtlTextInLtrLocale,
            "en.ftl",
            vec![
                notice(NOTICE),
                en(&ftl_with("English", "close", "close = Close إغلاق")),
            ],
            Some((10, 15)),
        ),
        t(
            Code::InvalidFactsFile,
            "ar.facts.toml",
            vec![
                notice(NOTICE),
                en(&ftl("English")),
                ("ar.ftl", ftl("عربي").into_bytes()),
                (
                    "ar.facts.toml",
                    "# stale: notice.toml says \"C\"\n\"Old Name Ltd.\" = \"شركة\"\n".into(),
                ),
            ],
            Some((2, 1)),
        ),
        t(
            Code::FactInAnotherScript,
            "notice.toml",
            vec![
                notice(&with("name = \"C\"", "name = \"Example Networks\"")),
                en(&ftl("English")),
                ("ar.ftl", ftl("عربي").into_bytes()),
            ],
            pos(&with("name = \"C\"", "name = \"Example Networks\""), "name = \"Example"),
        ),
        t(
            Code::FactTranslationMismatch,
            "ar.facts.toml",
            vec![
                notice(NOTICE),
                en(&ftl("English")),
                ("ar.ftl", ftl("عربي").into_bytes()),
                ("ar.facts.toml", "\"A\" = \"العنوان 5\"\n".into()),
            ],
            Some((1, 16)),
        ),
        t(
            Code::GdprEuRepresentative,
            "notice.toml",
            vec![
                notice(&with("country = \"DE\"", "country = \"US\"")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "country"),
        ),
        t(
            Code::DpoContact,
            "notice.toml",
            vec![
                notice(&mapped_away(
                    &without_table("[controller.dpo]"),
                    &["KR", "IN", "CA", "CA-QC", "BR"],
                    "eu-gdpr",
                )),
                en(&ftl("English")),
            ],
            pos(NOTICE, "[controller]"),
        ),
        t(
            Code::PrivacyOfficer,
            "notice.toml",
            vec![
                notice(&without_table("[controller.dpo]")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "[controller]"),
        ),
        t(
            Code::LegitimateInterestsExplained,
            "en.ftl",
            vec![
                notice(&with(
                    "legal_basis = \"consent\"",
                    "legal_basis = { default = \"consent\", us-ca-ccpa = \"legitimate-interests\" }",
                )),
                en(&ftl("English")),
            ],
            Some(end),
        ),
        t(
            Code::GdprTransferSafeguard,
            "notice.toml",
            vec![
                notice(&mapped_away(
                    &ads_with(&transfers_to(
                        "US",
                        &["pipl-standard-contract", "uk-idta", "lgpd-scc", "apec-cbpr"],
                    )),
                    &["CH"],
                    "eu-gdpr",
                )),
                en(&en_plus(&transfer_labels("US").replace("safeguard-eu-scc = b\n", ""))),
            ],
            Some((NOTICE.lines().count() + 1, 1)),
        ),
        t(
            Code::TransferMechanism,
            "notice.toml",
            vec![
                notice(&ads_with(&transfers_to(
                    "SG",
                    &["pipl-standard-contract", "eu-scc", "uk-idta", "apec-cbpr"],
                ))),
                en(&en_plus(&transfer_labels("SG").replace("safeguard-lgpd-scc = d\n", ""))),
            ],
            Some((NOTICE.lines().count() + 1, 1)),
        ),
        t(
            Code::GdprRights,
            "notice.toml",
            vec![notice(&with("\"objection\", ", "")), en(&ftl("English"))],
            pos(NOTICE, "offered"),
        ),
        t(
            Code::WithdrawalRight,
            "notice.toml",
            vec![
                notice(&with("\"withdraw-consent\", ", "")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "offered"),
        ),
        t(
            Code::ComplaintAuthority,
            "notice.toml",
            vec![notice(&without_line("br-lgpd = ")), en(&ftl("English"))],
            pos(NOTICE, "[complaints]"),
        ),
        t(
            Code::AutomatedDecisionsExplained,
            "en.ftl",
            vec![
                notice(&ads_with("automated_decisions = true")),
                en(&ftl("English")),
            ],
            Some(end),
        ),
        t(
            Code::SensitiveSeparateConsent,
            "notice.toml",
            vec![
                notice(
                    &ads_with("sensitive = true")
                        .replace(
                            "opt_out_link = \"opt-out\"",
                            "opt_out_link = \"opt-out\"\nlimit_link = \"opt-out\"",
                        )
                        .replace(
                            "legal_basis = \"consent\"",
                            "legal_basis = { default = \"consent\", eu-gdpr = \"legitimate-interests\" }",
                        ),
                ),
                en(&en_plus(
                    "purpose-ads-sensitive-impact = x\npurpose-ads-legitimate-interest = y",
                )),
            ],
            Some((NOTICE.lines().count() + 2, 1)),
        ),
        t(
            Code::PiplNoLegitimateInterests,
            "notice.toml",
            vec![
                notice(&with(
                    "legal_basis = \"consent\"",
                    "legal_basis = { default = \"consent\", cn-pipl = \"legitimate-interests\" }",
                )),
                en(&en_plus("purpose-ads-legitimate-interest = x")),
            ],
            pos(&ads_with(""), "legal_basis = \"consent\""),
        ),
        t(
            Code::PiplCrossBorderConsent,
            "notice.toml",
            vec![
                notice(&with(
                    "channels = [\"web\"]",
                    &format!("channels = [\"web\"]\n{}", transfers_to("SG", &[])),
                )),
                en(&en_plus(&transfer_labels("SG"))),
            ],
            Some((line_of(NOTICE, "channels = [\"web\"]") + 1, 1)),
        ),
        t(
            Code::PiplTransferMechanism,
            "notice.toml",
            vec![
                notice(&ads_with(&transfers_to(
                    "SG",
                    &["eu-scc", "uk-idta", "lgpd-scc", "apec-cbpr"],
                ))),
                en(&en_plus(
                    &transfer_labels("SG").replace("safeguard-pipl-standard-contract = a\n", ""),
                )),
            ],
            Some((NOTICE.lines().count() + 1, 1)),
        ),
        t(
            Code::PiplOverseasRecipient,
            "notice.toml",
            vec![
                notice(&ads_with(
                    &transfers_to("SG", &[]).replacen(", recipient = \"X\"", "", 1),
                )),
                en(&en_plus(&transfer_labels("SG"))),
            ],
            Some((NOTICE.lines().count() + 1, 1)),
        ),
        t(
            Code::PiplThirdPartyConsent,
            "notice.toml",
            vec![
                notice(&with(
                    "channels = [\"web\"]",
                    "channels = [\"web\"]\nthird_parties = [\"T\"]\nsold_or_shared = false",
                )),
                en(&ftl("English")),
            ],
            Some((line_of(NOTICE, "channels = [\"web\"]") + 1, 1)),
        ),
        t(
            Code::PiplSensitiveImpact,
            "en.ftl",
            vec![
                notice(
                    &ads_with("sensitive = true\nseparate_consent = true").replace(
                        "opt_out_link = \"opt-out\"",
                        "opt_out_link = \"opt-out\"\nlimit_link = \"opt-out\"",
                    ),
                ),
                en(&ftl("English")),
            ],
            Some(end),
        ),
        t(
            Code::PiplRights,
            "notice.toml",
            vec![notice(&with("\"explanation\", ", "")), en(&ftl("English"))],
            pos(NOTICE, "offered"),
        ),
        t(
            Code::PiplChinaRepresentative,
            "notice.toml",
            vec![
                notice(&without_table("[controller.china_representative]")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "country"),
        ),
        t(
            Code::CcpaOptOutLink,
            "notice.toml",
            vec![
                notice(
                    &ads_with("sold_or_shared = true\nthird_parties = [\"T\"]")
                        .replace("opt_out_link = \"opt-out\"\n", ""),
                ),
                en(&ftl("English")),
            ],
            Some((NOTICE.lines().count(), 1)),
        ),
        t(
            Code::CcpaPolicyLink,
            "notice.toml",
            vec![notice(&without_line("policy_link")), en(&ftl("English"))],
            Some((line_of(NOTICE, "[links]") - 1, 1)),
        ),
        t(
            Code::CcpaLimitLink,
            "notice.toml",
            vec![
                notice(&ads_with("sensitive = true\nseparate_consent = true")),
                en(&en_plus("purpose-ads-sensitive-impact = x")),
            ],
            Some((NOTICE.lines().count() + 1, 1)),
        ),
        t(
            Code::CcpaRights,
            "notice.toml",
            vec![
                notice(&with("\"non-discrimination\", ", "")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "offered"),
        ),
        t(
            Code::CcpaGpcStatement,
            "en.ftl",
            vec![
                notice(NOTICE),
                en(&ftl_with("English", "gpc-statement", "")),
            ],
            Some((ftl_lines(), 1)),
        ),
        t(
            Code::LgpdRights,
            "notice.toml",
            vec![
                notice(&with("\"sharing-information\", ", "")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "offered"),
        ),
        t(
            Code::ControllerLocation,
            "notice.toml",
            vec![notice(&without_line("country = ")), en(&ftl("English"))],
            pos(NOTICE, "[controller]"),
        ),
        t(
            Code::ExplicitConsentTransfer,
            "notice.toml",
            vec![
                notice(
                    &ads_with(
                        "transfers = [{ destination = \"SG\", safeguard = \"explicit-consent\", recipient = \"X\", contact = \"requests\" }, { destination = \"SG\", safeguard = \"pipl-standard-contract\", recipient = \"X\", contact = \"requests\" }]\nprocessors = [\"X\"]",
                    )
                    .replace(
                        "legal_basis = \"consent\"",
                        "legal_basis = { default = \"consent\", us-ca-ccpa = \"opt-out\" }",
                    ),
                ),
                en(&en_plus(
                    "safeguard-explicit-consent = x\nsafeguard-pipl-standard-contract = w\ncountry-SG = z\ncountry-SG-privacy-system = y\nlegal-basis-opt-out = v",
                )),
            ],
            Some((NOTICE.lines().count() + 1, 1)),
        ),
        t(
            Code::PreselectedPurpose,
            "notice.toml",
            vec![
                notice(&ads_with("on_by_default = true")),
                en(&ftl("English")),
            ],
            Some((NOTICE.lines().count() + 1, 17)),
        ),
        t(
            Code::ConsentWithoutConsentBasis,
            "notice.toml",
            vec![
                notice(&with(
                    "legal_basis = \"consent\"",
                    "legal_basis = \"legal-obligation\"",
                )),
                en(&ftl("English")),
            ],
            Some((line_of(NOTICE, "legal_basis = \"consent\""), 15)),
        ),
        t(
            Code::ForcedConsent,
            "notice.toml",
            vec![
                notice(&with(
                    "legal_basis = \"contract\"",
                    "legal_basis = \"consent\"",
                )),
                en(&ftl("English")),
            ],
            Some((line_of(NOTICE, "required = true"), 12)),
        ),
        t(
            Code::UnknownRegionCode,
            "notice.toml",
            vec![
                notice(&format!("{NOTICE}\n[regions]\nUK = \"uk-gdpr\"\n")),
                en(&ftl("English")),
            ],
            Some((NOTICE.lines().count() + 3, 1)),
        ),
        t(
            Code::NoLegitimateInterestsBasis,
            "notice.toml",
            vec![
                notice(&with(
                    "legal_basis = \"consent\"",
                    "legal_basis = { default = \"consent\", in-dpdp = \"legitimate-interests\" }",
                )),
                en(&en_plus("purpose-ads-legitimate-interest = x")),
            ],
            pos(NOTICE, "legal_basis = \"consent\""),
        ),
        t(
            Code::UsStateRights,
            "notice.toml",
            vec![notice(&with("\"appeal\", ", "")), en(&ftl("English"))],
            pos(NOTICE, "offered"),
        ),
        t(
            Code::UkRepresentative,
            "notice.toml",
            vec![
                notice(&without_table("[controller.uk_representative]")),
                en(&ftl_with("English", "uk-representative-heading", "")),
            ],
            pos(NOTICE, "country"),
        ),
        t(
            Code::SwissRepresentative,
            "notice.toml",
            vec![
                notice(&without_table("[controller.swiss_representative]")),
                en(&ftl_with("English", "swiss-representative-heading", "")),
            ],
            pos(NOTICE, "country"),
        ),
        t(
            Code::KoreaDomesticAgent,
            "notice.toml",
            vec![
                notice(&without_table("[controller.korea_representative]")),
                en(&ftl_with("English", "korea-representative-heading", "")),
            ],
            pos(NOTICE, "country"),
        ),
        t(
            Code::AppiPublicMatters,
            "notice.toml",
            vec![
                notice(&without_line("head = ")),
                en(&ftl_with("English", "head-label", "")),
            ],
            pos(NOTICE, "[controller]"),
        ),
        t(
            Code::AppiForeignSystem,
            "en.ftl",
            vec![
                notice(&ads_with(&transfers_to(
                    "SG",
                    &["pipl-standard-contract", "eu-scc", "uk-idta", "lgpd-scc"],
                ))),
                en(&en_plus(
                    &transfer_labels("SG").replace("safeguard-apec-cbpr = e\n", ""),
                )),
            ],
            // The missing message is reported after the five labels added at the end.
            Some((ftl_lines() + 6, 1)),
        ),
        t(
            Code::PipaRights,
            "notice.toml",
            vec![
                notice(&with("\"refusal-information\", ", "").replace(
                    "[complaints]",
                    "[regions]\nBR = { regime = \"eu-gdpr\", reason = \"served under one law by contract\" }\n\n[complaints]",
                )),
                en(&ftl("English")),
            ],
            pos(NOTICE, "offered"),
        ),
        t(
            Code::DpdpRights,
            "notice.toml",
            vec![notice(&with(", \"nominate\"", "")), en(&ftl("English"))],
            pos(NOTICE, "offered"),
        ),
        t(
            Code::TexasSensitiveSaleNotice,
            "en.ftl",
            vec![
                notice(
                    &ads_with("sensitive = true\nsold_or_shared = true\nthird_parties = [\"T\"]").replace(
                        "opt_out_link = \"opt-out\"",
                        "opt_out_link = \"opt-out\"\nlimit_link = \"opt-out\"",
                    ),
                ),
                en(&en_plus("purpose-ads-sensitive-impact = x")),
            ],
            Some((ftl_lines() + 2, 1)),
        ),
        t(
            Code::OptOutBasisOutsideUs,
            "notice.toml",
            vec![
                notice(&with(
                    "legal_basis = \"consent\"",
                    "legal_basis = { default = \"consent\", eu-gdpr = \"opt-out\" }",
                )),
                en(&en_plus("legal-basis-opt-out = x")),
            ],
            pos(NOTICE, "legal_basis = \"consent\""),
        ),
        t(
            Code::RegionAwayFromOwnLaw,
            "notice.toml",
            vec![
                notice(&format!("{NOTICE}\n[regions]\nCN = \"apec-cbpr\"\n")),
                en(&ftl("English")),
            ],
            Some((NOTICE.lines().count() + 3, 1)),
        ),
        t(
            Code::ResponseDeadline,
            "notice.toml",
            vec![
                notice(NOTICE),
                en(&ftl_with(
                    "English",
                    "rights-how",
                    "rights-how = We answer within { $deadline }.",
                )),
            ],
            pos(NOTICE, "[rights]"),
        ),
        t(
            Code::OnBeforeChoiceNotAllowed,
            "notice.toml",
            vec![
                notice(&ads_with("on_until_opt_out = [\"eu-gdpr\"]")),
                // Its text says that it runs until switched off (else D005).
                en(&ftl("English").replace(
                    "English about ads, if you agree",
                    "English about ads, on until you switch it off",
                )),
            ],
            Some((NOTICE.lines().count() + 1, 1)),
        ),
        t(
            Code::ConsentWordingWithoutConsent,
            "en.ftl",
            vec![
                notice(
                    &ads_with("on_until_opt_out = [\"us-ca-ccpa\"]").replace(
                        "legal_basis = \"consent\"",
                        "legal_basis = { default = \"consent\", us-ca-ccpa = \"opt-out\" }",
                    ),
                ),
                en(&en_plus("legal-basis-opt-out = x").replace(
                    "purpose-ads-description = English about ads, if you agree",
                    "purpose-ads-description = If you agree, we count visits.",
                )),
            ],
            pos(
                &en_plus("legal-basis-opt-out = x").replace(
                    "purpose-ads-description = English about ads, if you agree",
                    "purpose-ads-description = If you agree, we count visits.",
                ),
                "If you agree",
            ),
        ),
        t(
            Code::TransferRecipientUnknown,
            "notice.toml",
            vec![
                notice(&r041_notice()),
                en(&en_plus(&transfer_labels("SG"))),
            ],
            pos(&r041_notice(), "recipient = \"Z\""),
        ),
        t(
            Code::AdequacyNotRecognised,
            "notice.toml",
            vec![
                notice(&r042_notice()),
                en(&en_plus(&format!(
                    "{}\nsafeguard-adequacy = g",
                    transfer_labels("SG")
                ))),
            ],
            pos(&r042_notice(), "safeguard = \"adequacy\""),
        ),
        t(
            Code::SensitiveRequiredBasis,
            "notice.toml",
            vec![
                notice(
                    &with("channels = [\"web\"]", "channels = [\"web\"]\nsensitive = true")
                        .replace(
                            "opt_out_link = \"opt-out\"",
                            "opt_out_link = \"opt-out\"\nlimit_link = \"opt-out\"",
                        ),
                ),
                en(&en_plus("purpose-svc-sensitive-impact = x")),
            ],
            Some((line_of(NOTICE, "channels = [\"web\"]") + 2, 1)),
        ),
        t(
            Code::SaleOrSharingUndeclared,
            "notice.toml",
            vec![
                notice(&ads_with("third_parties = [\"T\"]")),
                en(&ftl("English")),
            ],
            Some((NOTICE.lines().count() + 1, 1)),
        ),
        t(
            Code::EmailDomainTypo,
            "notice.toml",
            vec![
                notice(&with("p@example.com", "p@exmaple.com")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "email = \"p@"),
        ),
        t(
            Code::RepresentativeOutsideTerritory,
            "notice.toml",
            vec![notice(&r047_notice()), en(&ftl("English"))],
            pos(&r047_notice(), "address = \"1 Straat"),
        ),
        t(
            Code::DuplicateLinkTarget,
            "notice.toml",
            vec![
                notice(&with("https://example.com/r", "https://example.com/p")),
                en(&ftl("English")),
            ],
            pos(NOTICE, "requests = "),
        ),
        t(
            Code::ImplausibleDuration,
            "notice.toml",
            vec![notice(&with("\"P30D\"", "\"P90M\"")), en(&ftl("English"))],
            pos(NOTICE, "retention = \"P30D\""),
        ),
        // The oral hotline script: reported where the missing message belongs, at the end.
        t(
            Code::HotlineScript,
            "en.ftl",
            vec![
                notice(&hotline_notice("")),
                en(&en_plus(&hotline_script_without("hotline-script-purpose-ads"))),
            ],
            Some((ftl_lines() + 5, 1)),
        ),
        t(
            Code::HotlineSeparateQuestion,
            "en.ftl",
            vec![
                notice(&hotline_notice("")),
                en(&en_plus(&hotline_script_without(
                    "hotline-script-purpose-ads-separate",
                ))),
            ],
            Some((ftl_lines() + 5, 1)),
        ),
        t(
            Code::HotlineReceiptCode,
            "en.ftl",
            vec![
                notice(&hotline_notice("")),
                en(&en_plus(&HOTLINE_SCRIPT.replace("{ $code }", "below"))),
            ],
            Some((ftl_lines() + 5, 1)),
        ),
    ]
}

/// NOTICE with the purpose `ads` collected on the hotline as well as on the web, and `extra`
/// keys of `ads`.
pub(super) fn hotline_notice(extra: &str) -> String {
    let web = "channels = [\"web\"]";
    let at = NOTICE.rfind(web).unwrap();
    format!(
        "{}channels = [\"web\", \"hotline\"]{}{extra}\n",
        &NOTICE[..at],
        &NOTICE[at + web.len()..]
    )
}

/// The messages [`hotline_notice`] adds: the channel's label and the oral script (opening,
/// the question about `ads`, its question of its own, since Korea's PIPA asks for marketing
/// separately, and the closing), one a line.
pub(super) const HOTLINE_SCRIPT: &str = "channel-hotline = English hotline
hotline-script-opening = We will ask you about your information. You may say no, and you can change your mind at any time.
hotline-script-purpose-ads = Do you agree that we show you ads? We delete what we learn after { $retention }.
hotline-script-purpose-ads-separate = This is a separate consent: do you agree that we show you ads? If you say no, nothing else changes.
hotline-script-closing = Your receipt code is { $code }. Look it up with our { $policy }.";

/// [`HOTLINE_SCRIPT`] without the message `id`.
fn hotline_script_without(id: &str) -> String {
    HOTLINE_SCRIPT
        .lines()
        .filter(|l| !l.starts_with(&format!("{id} = ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// NOTICE with the UK representative at an address in the Netherlands.
fn r047_notice() -> String {
    NOTICE.replacen(
        "name = \"U\"\naddress = \"B\"",
        "name = \"U\"\naddress = \"1 Straat, Amsterdam, Netherlands\"",
        1,
    )
}

/// NOTICE with a transfer of `ads` whose first entry names a recipient the purpose lacks.
fn r041_notice() -> String {
    ads_with(&transfers_to("SG", &[])).replacen("recipient = \"X\"", "recipient = \"Z\"", 1)
}

/// NOTICE with `ads` sent to SG under every mechanism, and once more on \"adequacy\".
fn r042_notice() -> String {
    ads_with(&transfers_to("SG", &[]).replacen(
        "transfers = [",
        "transfers = [{ destination = \"SG\", safeguard = \"adequacy\", recipient = \"X\", contact = \"requests\" }, ",
        1,
    ))
}

/// A finding as the fixtures compare it: code, file, (line, column).
type Found = (Code, String, Option<(usize, usize)>);

fn compile_with(files: &[(&str, &[u8])], previous: Previous) -> Compiled {
    compile(
        "loc",
        &sources(files),
        &CompileOptions::default().with_previous(previous),
    )
}

fn published(notice: &str, en: &str) -> Previous {
    let b = run(&[
        ("notice.toml", notice.as_bytes()),
        ("en.ftl", en.as_bytes()),
    ])
    .build
    .unwrap();
    Previous::Build(versions::PublishedBuild::from_build(&b))
}

/// The V rules, each checked here to yield exactly its code at its place; returns them for
/// the registry coverage check.
fn version_cases() -> Vec<(Code, Option<(usize, usize)>)> {
    let en = ftl("English");
    let prev = published(NOTICE, &en);
    let edited = ftl_with("English", "close", "close = Shut");
    let mut out = Vec::new();
    let mut check = |c: Compiled, code: Code, file: &str, at: Option<(usize, usize)>| {
        let got: Vec<_> = c
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.code,
                    d.file.clone(),
                    d.location.as_ref().map(|l| (l.line, l.column)),
                )
            })
            .collect();
        assert_eq!(got, [(code, file.to_string(), at)]);
        assert_eq!(
            c.build.is_none(),
            code.rule().severity == crate::diagnostics::Severity::Error
        );
        out.push((code, at));
    };
    // V001: one sentence edited, same version: an error naming the message.
    let c = compile_with(
        &[
            ("notice.toml", NOTICE.as_bytes()),
            ("en.ftl", edited.as_bytes()),
        ],
        prev,
    );
    assert!(
        c.diagnostics[0].message.contains("en: close"),
        "{}",
        c.diagnostics[0].message
    );
    check(
        c,
        Code::ChangedWithoutVersionBump,
        "loc/notice.toml",
        Some((2, 1)),
    );
    // V002: the published build cannot be read.
    let c = compile_with(
        &[
            ("notice.toml", NOTICE.as_bytes()),
            ("en.ftl", en.as_bytes()),
        ],
        Previous::Unreadable {
            path: "out/manifest.json".into(),
            reason: "not JSON".into(),
        },
    );
    check(c, Code::PreviousBuildUnreadable, "out/manifest.json", None);
    // V003: the published build is of another notice (a warning; the build goes on).
    let other = published(
        &NOTICE.replace("notice_id = \"t\"", "notice_id = \"other\""),
        &en,
    );
    let c = compile_with(
        &[
            ("notice.toml", NOTICE.as_bytes()),
            ("en.ftl", edited.as_bytes()),
        ],
        other,
    );
    check(c, Code::DifferentNotice, "loc/notice.toml", Some((1, 1)));
    out
}

#[test]
fn versions_a_bump_passes_and_whitespace_is_not_a_change() {
    let en = ftl("English");
    let prev = published(NOTICE, &en);
    let edited = ftl_with("English", "close", "close = Shut");
    let bumped = NOTICE.replace("version = \"1\"", "version = \"2\"");
    let c = compile_with(
        &[
            ("notice.toml", bumped.as_bytes()),
            ("en.ftl", edited.as_bytes()),
        ],
        prev.clone(),
    );
    assert_eq!(c.diagnostics, Vec::new());
    assert!(c.build.is_some());
    // Same text: nothing to report, byte-identical output.
    let same = compile_with(
        &[
            ("notice.toml", NOTICE.as_bytes()),
            ("en.ftl", en.as_bytes()),
        ],
        prev.clone(),
    );
    assert_eq!(same.diagnostics, Vec::new());
    // Whitespace only (a line break inside a message) is not material.
    let spaced = ftl_with("English", "close", "close =\n    English\n    close");
    let c = compile_with(
        &[
            ("notice.toml", NOTICE.as_bytes()),
            ("en.ftl", spaced.as_bytes()),
        ],
        prev.clone(),
    );
    assert_eq!(c.diagnostics, Vec::new());
    // A structural change (retention) under the same version is material too.
    let longer = NOTICE.replace("\"P30D\"", "\"P60D\"");
    let c = compile_with(
        &[
            ("notice.toml", longer.as_bytes()),
            ("en.ftl", en.as_bytes()),
        ],
        prev.clone(),
    );
    assert_eq!(c.diagnostics.len(), 1);
    assert!(
        c.diagnostics[0].message.contains("purpose ads"),
        "{}",
        c.diagnostics[0].message
    );
    // The diff names message, old and new text.
    let Previous::Build(old) = prev else {
        unreachable!()
    };
    let new = run(&[
        ("notice.toml", bumped.as_bytes()),
        ("en.ftl", edited.as_bytes()),
    ])
    .build
    .unwrap();
    let d = versions::diff(&old, &versions::PublishedBuild::from_build(&new));
    assert_eq!(d.version, Some(("1".into(), "2".into())));
    assert_eq!(
        d.locales[0].messages,
        [versions::MessageChange::Changed {
            id: "close".into(),
            old: "English close".into(),
            new: "Shut".into()
        }]
    );
    assert!(d.structure.is_empty());
}

fn code_name(code: Code) -> &'static str {
    code.as_str()
}

#[test]
fn every_rule_has_a_fixture_that_triggers_it_at_the_right_place() {
    let mut seen = Vec::new();
    let mut failures = Vec::new();
    for c in cases() {
        let files: Vec<(&str, &[u8])> = c.files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let out = run(&files);
        let want_file = if c.file.is_empty() {
            "loc".to_string()
        } else {
            format!("loc/{}", c.file)
        };
        // Exactly its expected code, once, at the expected place, and nothing else.
        let got: Vec<Found> = out
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.code,
                    d.file.clone(),
                    d.location.as_ref().map(|l| (l.line, l.column)),
                )
            })
            .collect();
        if got != [(c.code, want_file, c.pos)] {
            failures.push(format!(
                "{}: want {:?} at {:?}, got {got:?}",
                c.name, c.code, c.pos
            ));
            continue;
        }
        let d = &out.diagnostics[0];
        assert_eq!(d.severity, c.code.rule().severity);
        // An error blocks the build; a warning alone does not.
        assert_eq!(out.build.is_none(), out.has_errors(), "{}", c.name);
        seen.push(c.code);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for (code, pos) in version_cases() {
        seen.push(code);
        let _ = pos;
    }
    // Every code in the registry is exercised, so every code the linter emits is registered
    // and documented.
    seen.sort();
    seen.dedup();
    let mut all = Code::ALL.to_vec();
    all.sort();
    assert_eq!(seen, all);
}

#[test]
fn m001_notes_where_the_message_is_defined_or_why_it_is_required() {
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", ftl("English").as_bytes()),
        // Icelandic: a language without built-in interface text.
        ("is.ftl", ftl_with("Íslenska", "accept-all", "").as_bytes()),
    ]);
    let d = expect_one(&c, Code::MissingMessage, "is.ftl", Some((4, 1)));
    assert_eq!(d.message, "message `accept-all` is missing from is");
    let note = d.note.as_deref().unwrap();
    assert!(
        note.starts_with(
            "defined in loc/en.ftl:4:1; Consentry has this interface text built in for ar, bg,"
        ) && note.ends_with("zh-TW (not is)"),
        "{note}"
    );
    // Missing from the default locale itself: points at the end, says why it is required.
    let c = run_en(&ftl_with("English", "purpose-ads-name", ""));
    let d = expect_one(&c, Code::MissingMessage, "en.ftl", Some((ftl_lines(), 1)));
    assert_eq!(
        d.note.as_deref(),
        Some("required because notice.toml has the purpose `ads`")
    );
    // A message only the default locale has is required everywhere.
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        (
            "en.ftl",
            format!("{}hotline-intro = Call us\n", ftl("English")).as_bytes(),
        ),
        ("de.ftl", ftl("Deutsch").as_bytes()),
    ]);
    let d = expect_one(
        &c,
        Code::MissingMessage,
        "de.ftl",
        Some((ftl_lines() + 1, 1)),
    );
    assert!(d.message.contains("`hotline-intro`"));
}

#[test]
fn link_labels_and_legal_basis_labels_are_required() {
    let notice = NOTICE.replace(
        "[links]\n",
        "[links]\nterms = \"https://example.com/terms\"\n",
    );
    let c = run(&[
        ("notice.toml", notice.as_bytes()),
        ("en.ftl", ftl("English").as_bytes()),
    ]);
    let d = expect_one(
        &c,
        Code::MissingMessage,
        "en.ftl",
        Some((ftl_lines() + 1, 1)),
    );
    assert!(d.message.contains("`link-terms`"), "{}", d.message);
    let notice = NOTICE.replace("\"contract\"", "\"vital-interests\"");
    let c = run(&[
        ("notice.toml", notice.as_bytes()),
        ("en.ftl", ftl("English").as_bytes()),
    ]);
    let d = expect_one(
        &c,
        Code::MissingMessage,
        "en.ftl",
        Some((ftl_lines() + 1, 1)),
    );
    assert!(d.message.contains("`legal-basis-vital-interests`"));
    // A label for a link that does not exist.
    let c = run_en(&format!("{}link-nothing = Nothing\n", ftl("English")));
    expect_one(&c, Code::UnknownLink, "en.ftl", Some((ftl_lines() + 1, 1)));
}

#[test]
fn unsupported_syntax_is_reported_never_dropped() {
    let en = format!(
        "{}{}",
        ftl("English"),
        "sel = { $n ->\n   *[other] many\n}\nattr = Text\n    .title = Title\n\
         aref = { attr.title }\n-t = T\n    .g = x\ntarg = { -t(case: \"x\") }\n"
    );
    let c = run_en(&en);
    let m006: Vec<(usize, usize)> = with_code(&c, Code::UnsupportedSyntax)
        .iter()
        .map(|d| (d.line().unwrap(), d.column().unwrap()))
        .collect();
    let n = ftl_lines();
    assert_eq!(
        m006,
        [
            (n + 1, 10), // selector on $n
            (n + 5, 6),  // .title attribute
            (n + 6, 15), // attr.title reference
            (n + 8, 6),  // .g attribute of a term
            (n + 9, 10), // term arguments
        ]
    );
    // No cascade: the messages emptied by these problems are not also "empty messages".
    assert_eq!(
        with_code(&c, Code::EmptyMessage).len(),
        0,
        "{:#?}",
        c.diagnostics
    );
    assert!(c.build.is_none());
    // A term attribute as a placeable is a Fluent syntax error, reported as such.
    let c = run_en(&format!(
        "{}-t = T\n    .g = x\ntattr = {{ -t.g }}\n",
        ftl("English")
    ));
    let d = expect_one(&c, Code::FtlSyntax, "en.ftl", Some((n + 3, 16)));
    assert!(d.message.contains("term attribute"), "{}", d.message);
}

#[test]
fn references_terms_literals_and_links_resolve() {
    let en = ftl("English")
        .replace("banner-title = English banner-title", "banner-title = Welcome to { -brand }")
        .replace(
            "banner-body = English banner-body",
            "banner-body = Read the { $policy }, { banner-title }. { \"{\" }{ 42 }{ \"\\u00E9\\\\\" }",
        )
        .replace("link-policy = English policy", "link-policy = { -brand } policy")
        .replace(
            "close = English close",
            "close =\n    Close\n      now\n\n    please",
        );
    let en = format!("-brand = Acme\n{en}");
    let c = run_en(&en);
    assert_eq!(c.diagnostics, Vec::new());
    let b = &c.build.unwrap().bundles[0];
    assert_eq!(
        b.message("banner-title").unwrap(),
        &Rich::plain("Welcome to Acme")
    );
    assert_eq!(
        b.message("banner-body").unwrap().0,
        vec![
            Span::Text("Read the ".into()),
            Span::Link {
                href: "https://example.com/p".into(),
                text: "Acme policy".into()
            },
            Span::Text(", Welcome to Acme. {42é\\".into()),
        ]
    );
    // Multi-line text keeps Fluent's line breaks and relative indentation.
    assert_eq!(
        b.message("close").unwrap().to_plain(),
        "Close\n  now\n\nplease"
    );
    // Terms are not messages.
    assert!(b.message("-brand").is_none() && b.message("brand").is_none());
    // A link inside a referenced message stays a link.
    let en2 = ftl("English").replace(
        "settings-intro = English settings-intro",
        "settings-intro = Intro: { banner-body }",
    );
    let en2 = en2.replace(
        "banner-body = English banner-body",
        "banner-body = See { $policy }",
    );
    let c = run_en(&en2);
    let b = &c.build.unwrap().bundles[0];
    assert_eq!(
        b.message("settings-intro").unwrap().0,
        vec![
            Span::Text("Intro: See ".into()),
            Span::Link {
                href: "https://example.com/p".into(),
                text: "English policy".into()
            },
        ]
    );
}

#[test]
fn unknown_references_and_cycles_through_links_are_reported() {
    let en = ftl_with("English", "close", "close = { -nobrand } and { nomsg }");
    let c = run_en(&en);
    let d: Vec<(usize, usize)> = with_code(&c, Code::UnknownReference)
        .iter()
        .map(|d| (d.line().unwrap(), d.column().unwrap()))
        .collect();
    assert_eq!(d, [(10, 11), (10, 28)]);
    // A link label that places its own link loops.
    let en = ftl_with("English", "link-policy", "link-policy = the { $policy }");
    let c = run_en(&en);
    let d = expect_one(&c, Code::ReferenceCycle, "en.ftl", Some((ftl_lines(), 21)));
    assert!(
        d.message.contains("`link-policy` → `link-policy`"),
        "{}",
        d.message
    );
    // A term that includes itself through another term.
    let en = format!("-a = x {{ -b }}\n-b = y {{ -a }}\n{}", ftl("English"));
    let c = run_en(&en);
    let d = expect_one(&c, Code::ReferenceCycle, "en.ftl", Some((2, 10)));
    assert_eq!(d.message, "reference loop: `-a` → `-b` → `-a`");
}

/// The real `locales/` directory, as the CLI would read it.
pub(super) fn real_locales() -> Vec<(&'static str, &'static [u8])> {
    vec![
        (
            "notice.toml",
            &include_bytes!("../../../../locales/notice.toml")[..],
        ),
        ("ar.ftl", &include_bytes!("../../../../locales/ar.ftl")[..]),
        ("en.ftl", &include_bytes!("../../../../locales/en.ftl")[..]),
        ("es.ftl", &include_bytes!("../../../../locales/es.ftl")[..]),
        ("fr.ftl", &include_bytes!("../../../../locales/fr.ftl")[..]),
        (
            "pt-BR.ftl",
            &include_bytes!("../../../../locales/pt-BR.ftl")[..],
        ),
        (
            "zh-CN.ftl",
            &include_bytes!("../../../../locales/zh-CN.ftl")[..],
        ),
        (
            "ar.terms.toml",
            &include_bytes!("../../../../locales/ar.terms.toml")[..],
        ),
        (
            "es.terms.toml",
            &include_bytes!("../../../../locales/es.terms.toml")[..],
        ),
        (
            "fr.terms.toml",
            &include_bytes!("../../../../locales/fr.terms.toml")[..],
        ),
        (
            "pt-BR.terms.toml",
            &include_bytes!("../../../../locales/pt-BR.terms.toml")[..],
        ),
        (
            "zh-CN.terms.toml",
            &include_bytes!("../../../../locales/zh-CN.terms.toml")[..],
        ),
        (
            "ar.facts.toml",
            &include_bytes!("../../../../locales/ar.facts.toml")[..],
        ),
        (
            "es.facts.toml",
            &include_bytes!("../../../../locales/es.facts.toml")[..],
        ),
        (
            "fr.facts.toml",
            &include_bytes!("../../../../locales/fr.facts.toml")[..],
        ),
        (
            "pt-BR.facts.toml",
            &include_bytes!("../../../../locales/pt-BR.facts.toml")[..],
        ),
        (
            "zh-CN.facts.toml",
            &include_bytes!("../../../../locales/zh-CN.facts.toml")[..],
        ),
    ]
}

#[test]
fn real_locales_is_every_file_of_the_directory_that_counts() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../locales");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| is_notice_file(n))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = real_locales().iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(listed, on_disk);
}

#[test]
fn real_locales_compile_clean() {
    let files = real_locales();
    let c = run(&files);
    assert_eq!(
        c.diagnostics,
        Vec::new(),
        "{}",
        crate::diagnostics::render_human(&c.diagnostics, &sources(&files))
    );
    let b = c.build.unwrap();
    let ids: Vec<&str> = b.notice.purposes.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "service-delivery",
            "hotline-call-recording",
            "chat-transcript",
            "cross-border-transfer",
            "service-analytics",
            "marketing"
        ]
    );
    let sd = b.notice.purpose("service-delivery").unwrap();
    assert!(sd.required && sd.legal_basis == crate::notice::LegalBasis::Contract);
    for p in &b.notice.purposes[1..] {
        assert!(
            !p.required && p.legal_basis == crate::notice::LegalBasis::Consent,
            "{}",
            p.id
        );
    }
    // Per-regime basis: analytics is notice with a right to opt out for California only.
    let analytics = b.notice.purpose("service-analytics").unwrap();
    assert_eq!(
        analytics.basis_for(crate::regime::Regime::Ccpa),
        crate::notice::LegalBasis::OptOut
    );
    assert_eq!(
        analytics.basis_for(crate::regime::Regime::Gdpr),
        crate::notice::LegalBasis::Consent
    );
    // The transfer is asked for on its own because the laws say so (PIPL Art. 39 for every
    // visitor, the controller being established in China), not because the notice flags it.
    let xb = b.notice.purpose("cross-border-transfer").unwrap();
    assert!(!xb.separate_consent && !xb.transfers.is_empty());
    assert_eq!(b.notice.regions.controller, [crate::regime::Regime::Pipl]);
    assert!(b.notice.controller.dpo.is_some());
    assert!(b.notice.controller.eu_representative.is_some());
    let tags: Vec<&str> = b
        .manifest
        .locales
        .iter()
        .map(|e| e.locale.as_str())
        .collect();
    assert_eq!(tags, ["ar", "en", "es", "fr", "pt-BR", "zh-CN"]);
    let names: Vec<&str> = b.manifest.locales.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "العربية",
            "English",
            "Español",
            "Français",
            "Português (Brasil)",
            "简体中文"
        ]
    );
    // Arabic is right to left, the others left to right.
    let dirs: Vec<Direction> = b.manifest.locales.iter().map(|e| e.dir).collect();
    assert_eq!(dirs[0], Direction::Rtl);
    assert!(dirs[1..].iter().all(|d| *d == Direction::Ltr));
    assert_eq!(b.bundles[0].dir, Direction::Rtl);
    let zh = &b.bundles[5];
    assert_eq!(zh.purposes.len(), 6);
    assert!(zh.purposes.iter().all(|p| !p.name.to_plain().is_empty()));
    assert!(
        zh.message("accept-all")
            .unwrap()
            .to_plain()
            .contains("同意")
    );
    // The full notice sections are there in every language.
    for bundle in &b.bundles {
        assert_eq!(bundle.rights.len(), 15, "{}", bundle.locale);
        assert!(bundle.rights.iter().all(|r| !r.text.0.is_empty()));
        // Every regime but APEC names where to complain.
        assert_eq!(
            bundle.complaints.len(),
            crate::regime::Regime::ALL.len() - 1
        );
        assert_eq!(bundle.ccpa_opt_out_link.as_deref(), Some("do-not-sell"));
        assert!(
            bundle
                .link("do-not-sell")
                .is_some_and(|l| !l.text.is_empty())
        );
        assert!(bundle.purpose("marketing").unwrap().sold_or_shared);
        // Guardian age and the like are filled in by the widget from the regimes in force.
        assert!(
            bundle
                .message("guardian-label")
                .unwrap()
                .0
                .contains(&Span::Var("age".into())),
            "{}",
            bundle.locale
        );
        assert!(bundle.data_category_label("call-audio").is_some());
        assert!(bundle.channel_label("hotline").is_some());
        assert!(bundle.regime_label(crate::regime::Regime::Lgpd).is_some());
        assert_eq!(
            bundle
                .regions
                .regime_for(&crate::ids::RegionCode::parse("CN").unwrap()),
            crate::regime::Regime::Pipl
        );
    }
    // The oral hotline script: in every language's complete bundle (the details file the
    // console reads for the caller's language), never in the first layer, which it does not
    // make any larger.
    let script = [
        "hotline-script-opening",
        "hotline-script-purpose-service-delivery",
        "hotline-script-purpose-hotline-call-recording",
        "hotline-script-purpose-cross-border-transfer",
        "hotline-script-purpose-cross-border-transfer-separate",
        "hotline-script-closing",
    ];
    let details = DetailsRef {
        path: "notice.xx.details.000000000000.json".into(),
        sha256: Sha256Digest::of(b""),
    };
    for bundle in &b.bundles {
        for id in script {
            assert!(
                bundle.message(id).is_some_and(|m| !m.to_plain().is_empty()),
                "{} {id}",
                bundle.locale
            );
        }
        // Call recording needs no question of its own under any law in use.
        assert!(
            bundle
                .message("hotline-script-purpose-hotline-call-recording-separate")
                .is_none()
        );
        let closing = bundle.message("hotline-script-closing").unwrap();
        assert!(
            closing.0.contains(&Span::Var("code".into())),
            "{}",
            bundle.locale
        );
        assert!(
            closing.0.iter().any(|s| matches!(
                s,
                Span::Link { href, .. } if href == "https://support.example.com/privacy/receipt"
            )),
            "{}",
            bundle.locale
        );
        let first = FirstLayer::file_of(bundle, details.clone());
        assert!(!first.contains("hotline-script"), "{}", bundle.locale);
        let mut without = bundle.clone();
        without
            .messages
            .retain(|(id, _)| !id.starts_with("hotline-script-"));
        assert_eq!(FirstLayer::file_of(&without, details.clone()), first);
    }
    // What a Chinese caller hears before the transfer to Singapore: a question of its own.
    let separate = zh
        .message("hotline-script-purpose-cross-border-transfer-separate")
        .unwrap()
        .to_plain();
    assert!(
        separate.contains("新加坡") && separate.contains("单独同意"),
        "{separate}"
    );
    // Links in every language point at the same places.
    for bundle in &b.bundles {
        let links: Vec<&str> = bundle
            .message("banner-body")
            .unwrap()
            .0
            .iter()
            .filter_map(|s| match s {
                Span::Link { href, .. } => Some(href.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            links,
            ["https://support.example.com/privacy"],
            "{}",
            bundle.locale
        );
    }
}

#[test]
fn fallback_chain_of_the_real_locales() {
    let b = run(&real_locales()).build.unwrap();
    let available = b.manifest.tags();
    let default = &b.manifest.default_locale;
    let pick = |want: &[&str]| crate::negotiate::negotiate(want, &available, default).to_string();
    // pt-BR exactly; pt and pt-PT fall back to pt-BR (same language); then the default.
    assert_eq!(pick(&["pt-BR"]), "pt-BR");
    assert_eq!(pick(&["pt"]), "pt-BR");
    assert_eq!(pick(&["pt-PT"]), "pt-BR");
    assert_eq!(pick(&["de-DE"]), "en");
    assert_eq!(pick(&["de", "fr-CA"]), "fr");
    assert_eq!(pick(&["ar-EG"]), "ar");
    assert_eq!(pick(&[]), "en");
    let chain: Vec<String> = crate::negotiate::fallback_chain(&["pt-PT"], &available, default)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(chain, ["pt-BR", "en"], "pt-PT → pt → pt-BR → default");
}

#[test]
fn output_files_match_the_manifest_and_read_back() {
    let files = [
        (
            "notice.toml",
            &include_bytes!("../../../../locales/notice.toml")[..],
        ),
        ("en.ftl", &include_bytes!("../../../../locales/en.ftl")[..]),
        (
            "zh-CN.ftl",
            &include_bytes!("../../../../locales/zh-CN.ftl")[..],
        ),
    ];
    let b = run(&files).build.unwrap();
    let names: Vec<&str> = b.files.iter().map(|f| f.name.as_str()).collect();
    // Per locale its details file, then its first layer; the manifest last.
    assert_eq!(names.len(), 5);
    assert!(names[0].starts_with("notice.en.details.") && names[1].starts_with("notice.en."));
    assert!(names[2].starts_with("notice.zh-CN.details.") && names[3].starts_with("notice.zh-CN."));
    assert_eq!(names[4], MANIFEST_FILE);
    let listed = bundle::manifest_details(&b.files[4].bytes).unwrap();
    for (i, (entry, bundle)) in b.manifest.locales.iter().zip(&b.bundles).enumerate() {
        let (details, first) = (&b.files[2 * i], &b.files[2 * i + 1]);
        // The manifest names the first layer by its digest and lists the details file.
        assert_eq!(entry.sha256, Sha256Digest::of(&first.bytes));
        assert_eq!(entry.path, first.name);
        assert_eq!(first.name, locale_file_name(&entry.locale, &entry.sha256));
        assert_eq!(
            first.name.len(),
            "notice.".len() + entry.locale.as_str().len() + 1 + 12 + ".json".len()
        );
        // The details file is the complete bundle; the first layer names it by its digest and
        // is exactly its cut.
        assert_eq!(&LocaleBundle::from_json(&details.bytes).unwrap(), bundle);
        let layer = FirstLayer::from_json(&first.bytes).unwrap();
        let d = layer.details.clone().unwrap();
        assert_eq!(d.path, details.name);
        assert_eq!(d.sha256, Sha256Digest::of(&details.bytes));
        assert_eq!(details.name, details_file_name(&entry.locale, &d.sha256));
        assert_eq!(listed[i].as_deref(), Some(d.path.as_str()));
        assert!(layer.is_layer_of(bundle));
        assert_eq!(layer.to_json().unwrap().as_bytes(), &first.bytes[..]);
        // A first layer is not a complete bundle, and says so.
        assert!(matches!(
            LocaleBundle::from_json(&first.bytes),
            Err(bundle::BundleError::Schema(_))
        ));
        assert_eq!(entry.dir, Direction::Ltr);
    }
    assert_eq!(Manifest::from_json(&b.files[4].bytes).unwrap(), b.manifest);
    // Read back as published: every locale's complete bundle, through its first layer.
    let back = versions::PublishedBuild::read(&b.files[4].bytes, |name| {
        b.files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.bytes.clone())
            .ok_or_else(|| format!("no file {name}"))
    })
    .unwrap();
    assert_eq!(back.bundles, b.bundles);
    assert_eq!(b.manifest.build_time, None);
    assert!(
        !String::from_utf8(b.files[4].bytes.clone())
            .unwrap()
            .contains("build_time")
    );
}

#[test]
fn builds_are_deterministic() {
    let files = [
        (
            "notice.toml",
            &include_bytes!("../../../../locales/notice.toml")[..],
        ),
        ("en.ftl", &include_bytes!("../../../../locales/en.ftl")[..]),
        (
            "zh-CN.ftl",
            &include_bytes!("../../../../locales/zh-CN.ftl")[..],
        ),
    ];
    let opts = CompileOptions::with_build_time(Some(Timestamp(1_795_770_000_000)));
    let first = compile("loc", &sources(&files), &opts).build.unwrap();
    let second = compile("loc", &sources(&files), &opts).build.unwrap();
    assert_eq!(first.files, second.files);
    // The order the files are handed over in does not matter.
    let mut reversed = sources(&files);
    reversed.reverse();
    let third = compile("loc", &reversed, &opts).build.unwrap();
    assert_eq!(first.files, third.files);
    let manifest = String::from_utf8(first.files[4].bytes.clone()).unwrap();
    assert!(
        manifest.contains("\"build_time\":\"2026-11-27T"),
        "{manifest}"
    );
    // The build time is only in the manifest: locale files are identical without it.
    let plain = run(&files).build.unwrap();
    assert_eq!(plain.files[..4], first.files[..4]);
    assert_ne!(plain.files[4], first.files[4]);
}

#[test]
fn bom_and_crlf_sources_give_identical_output() {
    let lf = run_en(&ftl("English")).build.unwrap();
    let crlf_en = format!("\u{feff}{}", ftl("English").replace('\n', "\r\n"));
    let crlf_notice = format!("\u{feff}{}", NOTICE.replace('\n', "\r\n"));
    let c = run(&[
        ("notice.toml", crlf_notice.as_bytes()),
        ("en.ftl", crlf_en.as_bytes()),
    ]);
    assert_eq!(c.diagnostics, Vec::new());
    assert_eq!(c.build.unwrap().files, lf.files);
    // Positions in a BOM + CRLF file are still right.
    let broken = crlf_en.replace("close = English close", "close = { nosuch }");
    let c = run(&[
        ("notice.toml", crlf_notice.as_bytes()),
        ("en.ftl", broken.as_bytes()),
    ]);
    expect_one(&c, Code::UnknownReference, "en.ftl", Some((10, 11)));
}

#[test]
fn truncated_ftl_gives_diagnostics_not_a_panic() {
    let notice = include_bytes!("../../../../locales/notice.toml");
    for full in [
        include_str!("../../../../locales/en.ftl"),
        include_str!("../../../../locales/zh-CN.ftl"),
        include_str!("../../../../locales/ar.ftl"),
    ] {
        // Cuts at every line break, `=`, `{` and `}` (where the syntax changes), and at every
        // 11th character in between: every kind of cut, at a cost linear in the file size.
        let cuts = full
            .char_indices()
            .enumerate()
            .filter(|(n, (_, c))| n % 11 == 0 || matches!(c, '\n' | '=' | '{' | '}'))
            .map(|(_, (i, _))| i);
        for i in cuts {
            let c = run(&[("notice.toml", notice), ("en.ftl", &full.as_bytes()[..i])]);
            // Either the cut left a complete file (only a text end trimmed) or it is reported.
            assert!(
                c.build.is_some() || c.has_errors(),
                "prefix {i}: no build and no error"
            );
        }
        // Truncated bytes inside a multi-byte character are invalid UTF-8, reported as such.
        if let Some((i, ch)) = full.char_indices().find(|(_, c)| c.len_utf8() > 1) {
            let c = run(&[
                ("notice.toml", notice),
                ("en.ftl", &full.as_bytes()[..i + ch.len_utf8() - 1]),
            ]);
            assert_eq!(with_code(&c, Code::InvalidUtf8).len(), 1);
        }
    }
    // Cut in the middle of a placeable: a syntax error at the end of the file.
    let en = ftl("English");
    let cut = en.find("accept-all").unwrap();
    let text = format!(
        "{}banner-body = Read {{ $pol",
        &en[..cut - "banner-body = English banner-body\n".len()]
    );
    let c = run_en(&text);
    let d = &with_code(&c, Code::FtlSyntax)[0];
    assert_eq!(d.line(), Some(3));
}

#[test]
fn unfinished_unicode_escape_before_a_multibyte_character_does_not_panic() {
    // fluent-syntax 0.12 would slice inside the character; the guard turns it into F002.
    let c = run_en(&ftl_with(
        "English",
        "accept-all",
        "accept-all = { \"\\u数\" }",
    ));
    let d = expect_one(&c, Code::FtlSyntax, "en.ftl", Some((4, 19)));
    assert!(d.message.contains("unicode escape"), "{}", d.message);
    // Outside a string literal `\u` is plain text and kept exactly.
    let c = run_en(&ftl_with("English", "close", "close = C:\\u数 and \\U1é"));
    assert_eq!(c.diagnostics, Vec::new());
    let b = &c.build.unwrap().bundles[0];
    assert_eq!(b.message("close").unwrap().to_plain(), "C:\\u数 and \\U1é");
}

#[test]
fn warnings_do_not_block_the_build_and_nothing_is_dropped() {
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", ftl("English").as_bytes()),
        (
            "de.ftl",
            format!("{}extra = Zusatz\n", ftl("Deutsch")).as_bytes(),
        ),
    ]);
    assert!(!c.has_errors());
    expect_one(&c, Code::ExtraMessage, "de.ftl", Some((ftl_lines() + 1, 1)));
    let b = c.build.unwrap();
    assert_eq!(b.bundles[0].message("extra").unwrap().to_plain(), "Zusatz");
}

#[test]
fn right_to_left_locales_are_marked() {
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", ftl("English").as_bytes()),
        ("ar.ftl", ftl("العربية").as_bytes()),
    ]);
    let b = c.build.unwrap();
    assert_eq!(b.bundles[0].locale.as_str(), "ar");
    assert_eq!(b.bundles[0].dir, Direction::Rtl);
    assert_eq!(b.manifest.locales[0].dir, Direction::Rtl);
    assert_eq!(b.manifest.locales[1].dir, Direction::Ltr);
}

#[test]
fn findings_are_ordered_by_file_then_position() {
    let c = run(&[
        (
            "zh-CN.ftl",
            ftl_with("中文", "close", "close = { x }").as_bytes(),
        ),
        (
            "notice.toml",
            NOTICE.replace("\"P30D\"", "\"x\"").as_bytes(),
        ),
        (
            "en.ftl",
            format!("{}oops\n", ftl_with("English", "close", "close = { y }")).as_bytes(),
        ),
    ]);
    let order: Vec<(String, usize)> = c
        .diagnostics
        .iter()
        .map(|d| (d.file.clone(), d.line().unwrap_or(0)))
        .collect();
    assert_eq!(
        order,
        [
            ("loc/notice.toml".to_string(), line_of(NOTICE, "\"P30D\"")),
            ("loc/en.ftl".to_string(), 10),
            ("loc/en.ftl".to_string(), ftl_lines() + 1),
            ("loc/zh-CN.ftl".to_string(), 10),
        ]
    );
}

#[test]
fn lint_is_compile_without_output() {
    let files = sources(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", b"close = x\n"),
    ]);
    let l = lint("loc", &files);
    let c = compile("loc", &files, &CompileOptions::default());
    assert_eq!(l, c.diagnostics);
    assert!(l.len() > 20, "every missing message is reported in one run");
}

#[test]
fn the_staff_readme_lists_every_code() {
    let readme = include_str!("../../../../locales/README.md");
    for rule in crate::diagnostics::RULES {
        assert!(
            readme.contains(&format!("| {} |", rule.code)),
            "locales/README.md lacks {}",
            rule.code
        );
    }
}

/// `ftl(lang)` without the messages Consentry's built-in interface text covers: what an
/// author writes when the interface text is built in for their language.
fn own_words(lang: &str) -> String {
    ftl(lang)
        .lines()
        .filter(|l| {
            let id = l.split(" = ").next().unwrap_or_default();
            !interface::covers(id)
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn every_built_in_interface_file_has_the_covered_ids_in_order_and_the_same_variables() {
    let covered: Vec<&str> = UI_MESSAGES
        .iter()
        .copied()
        .filter(|id| interface::covers(id))
        .collect();
    assert_eq!(
        covered.len(),
        UI_MESSAGES.len() - interface::NOTICE_OWN.len()
    );
    assert!(interface::LANGUAGES.len() >= 30, "at least 30 languages");
    // `{ $name }` placeables of each line, in order.
    let vars = |line: &str| -> Vec<String> {
        line.split("{ $")
            .skip(1)
            .map(|r| r.split(' ').next().unwrap_or_default().to_string())
            .collect()
    };
    let (_, en) = interface::for_locale(&LocaleTag::parse("en").unwrap()).unwrap();
    let en_lines: Vec<&str> = en.lines().filter(|l| l.contains(" = ")).collect();
    for (tag, text) in interface::LANGUAGES {
        let mut diags = Vec::new();
        let file = ftl::parse(&interface::path(tag), text.as_bytes(), &mut diags).unwrap();
        assert!(diags.is_empty(), "{tag}: {diags:?}");
        let ids: Vec<&str> = file.messages.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids, covered,
            "{tag}.ftl has the covered ids in UI_MESSAGES order"
        );
        assert!(file.terms.is_empty(), "{tag}.ftl defines no terms");
        let lines: Vec<&str> = text.lines().filter(|l| l.contains(" = ")).collect();
        for (mine, theirs) in lines.iter().zip(&en_lines) {
            assert_eq!(vars(mine), vars(theirs), "{tag}: {mine}");
            assert_eq!(mine.matches('{').count(), vars(mine).len(), "{tag}: {mine}");
        }
        // Resolves without a finding, and every text is non-empty.
        let links = Links {
            known: &[],
            complete: true,
        };
        let builtins = Builtins {
            retention: &[],
            locale: tag,
        };
        let resolved = resolve::resolve_all(&file, links, builtins, &mut diags);
        assert!(diags.is_empty(), "{tag}: {diags:?}");
        assert!(
            resolved
                .iter()
                .all(|(_, r)| !r.to_plain().trim().is_empty()),
            "{tag}"
        );
    }
}

#[test]
fn built_in_interface_text_is_found_by_tag_then_language() {
    let t = |s: &str| interface::for_locale(&LocaleTag::parse(s).unwrap()).map(|(t, _)| t);
    assert_eq!(t("en"), Some("en"));
    assert_eq!(t("en-GB"), Some("en"));
    assert_eq!(t("de-AT"), Some("de"));
    assert_eq!(t("pt-BR"), Some("pt-BR"));
    assert_eq!(t("pt-PT"), Some("pt"));
    assert_eq!(t("zh-CN"), Some("zh-CN"));
    assert_eq!(
        t("zh"),
        None,
        "simplified or traditional is the author's choice"
    );
    assert_eq!(t("is"), None);
    assert!(!interface::covers("banner-title"));
    assert!(!interface::covers("purpose-ads-name"));
    assert!(interface::covers("reject-all"));
}

#[test]
fn a_notice_in_its_own_words_only_builds_with_the_built_in_interface_text() {
    // The default locale and a second language write only the notice's own words (the
    // banner's title and summary, the settings' introduction, the full notice's title, how to
    // exercise rights, and what notice.toml makes necessary): no finding asks for more.
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", own_words("English").as_bytes()),
        ("de.ftl", own_words("Deutsch").as_bytes()),
    ]);
    let problems: Vec<&Diagnostic> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingMessage)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let b = c.build.unwrap();
    let bundle = |tag: &str| b.bundles.iter().find(|x| x.locale.as_str() == tag).unwrap();
    // The built-in text fills the interface; the author's own words stay theirs.
    assert_eq!(
        bundle("en").message("reject-all").unwrap().to_plain(),
        "Reject all"
    );
    assert_eq!(
        bundle("de").message("reject-all").unwrap().to_plain(),
        "Alle ablehnen"
    );
    assert_eq!(
        bundle("de").message("banner-title").unwrap().to_plain(),
        "Deutsch banner-title"
    );
    for id in UI_MESSAGES {
        assert!(bundle("de").message(id).is_some(), "de has {id}");
    }
    // A locale file that defines an interface message itself overrides the built-in text.
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", own_words("English").as_bytes()),
        (
            "de.ftl",
            format!("{}reject-all = Nein danke\n", own_words("Deutsch")).as_bytes(),
        ),
    ]);
    let b = c.build.unwrap();
    let de = b
        .bundles
        .iter()
        .find(|x| x.locale.as_str() == "de")
        .unwrap();
    assert_eq!(de.message("reject-all").unwrap().to_plain(), "Nein danke");
    // The notice's own words are never built in: without them, M001 as before.
    let c = run_en(&ftl_with("English", "banner-title", ""));
    expect_one(&c, Code::MissingMessage, "en.ftl", Some((ftl_lines(), 1)));
}

#[test]
fn the_hotline_script_is_required_named_and_compiled_into_the_details_file_only() {
    // Nothing on the hotline: no script is asked for.
    let c = run_en(&ftl("English"));
    assert_eq!(c.diagnostics, Vec::new());
    // On the hotline, each missing line is its own finding naming the message, the purpose and
    // the law.
    let c = run(&[
        ("notice.toml", hotline_notice("").as_bytes()),
        (
            "en.ftl",
            en_plus("channel-hotline = English hotline").as_bytes(),
        ),
    ]);
    let found: Vec<(&str, Code)> = c
        .diagnostics
        .iter()
        .map(|d| (d.message.as_str(), d.code))
        .collect();
    assert_eq!(
        found,
        [
            (
                "message `hotline-script-closing` is missing from en",
                Code::HotlineScript
            ),
            (
                "message `hotline-script-opening` is missing from en",
                Code::HotlineScript
            ),
            (
                "message `hotline-script-purpose-ads` is missing from en",
                Code::HotlineScript
            ),
            (
                "message `hotline-script-purpose-ads-separate` is missing from en",
                Code::HotlineSeparateQuestion
            ),
        ]
    );
    let note = c.diagnostics[2].note.as_deref().unwrap();
    assert!(
        note.contains("purpose `ads` is collected on the hotline")
            && note.contains("yes/no question")
            && note.contains("GDPR Art. 7(1), 13(1); PIPL Arts. 14, 17"),
        "{note}"
    );
    // A required purpose on the hotline is a statement, not a question.
    let svc_on_hotline = hotline_notice("").replacen(
        "channels = [\"web\"]",
        "channels = [\"web\", \"hotline\"]",
        1,
    );
    let c = run(&[
        ("notice.toml", svc_on_hotline.as_bytes()),
        ("en.ftl", en_plus(HOTLINE_SCRIPT).as_bytes()),
    ]);
    let d = expect_one(
        &c,
        Code::HotlineScript,
        "en.ftl",
        Some((ftl_lines() + 6, 1)),
    );
    assert_eq!(
        d.message,
        "message `hotline-script-purpose-svc` is missing from en"
    );
    assert!(
        d.note
            .as_deref()
            .unwrap()
            .contains("a statement of what we do and why it is needed")
    );

    // The whole script compiles: every line is in the complete bundle (the details file the
    // console reads), `{ $retention }` is the purpose's, `{ $code }` is left for the console.
    let c = run(&[
        ("notice.toml", hotline_notice("").as_bytes()),
        ("en.ftl", en_plus(HOTLINE_SCRIPT).as_bytes()),
    ]);
    assert_eq!(c.diagnostics, Vec::new());
    let b = &c.build.unwrap().bundles[0];
    assert_eq!(
        b.message("hotline-script-purpose-ads").unwrap().to_plain(),
        "Do you agree that we show you ads? We delete what we learn after 30 days."
    );
    let closing = b.message("hotline-script-closing").unwrap();
    assert!(closing.0.contains(&Span::Var("code".into())));
    assert!(
        closing
            .0
            .iter()
            .any(|s| matches!(s, Span::Link { href, .. } if href == "https://example.com/p"))
    );
}

#[test]
fn the_separate_question_follows_the_rule_of_the_consent_steps() {
    let without = hotline_script_without("hotline-script-purpose-ads-separate");
    let separate_note = |notice: &str, en: &str| -> String {
        let c = run(&[
            ("notice.toml", notice.as_bytes()),
            ("en.ftl", en.as_bytes()),
        ]);
        // The only finding: the transfer's labels are there, so nothing else is missing.
        assert_eq!(c.diagnostics.len(), 1, "{:#?}", c.diagnostics);
        let d = &c.diagnostics[0];
        assert_eq!(d.code, Code::HotlineSeparateQuestion);
        assert_eq!(
            d.message,
            "message `hotline-script-purpose-ads-separate` is missing from en"
        );
        d.note.clone().unwrap()
    };
    // Marketing: Korea's PIPA asks for it separately (Art. 22(1)(7)), no other law in use.
    let note = separate_note(&hotline_notice(""), &en_plus(&without));
    assert!(
        note.contains("under kr-pipa (PIPA Art. 22(1)(7))"),
        "{note}"
    );
    assert!(!note.contains("cn-pipl"), "{note}");
    // A transfer abroad as well: PIPL Art. 39 (CN visitors) and PIPA Art. 28-8; the GDPR's
    // standard contractual clauses cover it, so the GDPR asks nothing of its own.
    let note = separate_note(
        &hotline_notice(&transfers_to("SG", &[])),
        &en_plus(&format!("{without}\n{}", transfer_labels("SG"))),
    );
    assert!(
        note.contains("cn-pipl (PIPL Art. 39)") && note.contains("kr-pipa (PIPA Art. 28-8(1)(1))"),
        "{note}"
    );
    assert!(!note.contains("eu-gdpr"), "{note}");
    // Neither: no question of its own is asked for.
    let customer_care = hotline_notice("").replace("dpv = \"Marketing\"", "dpv = \"CustomerCare\"");
    let c = run(&[
        ("notice.toml", customer_care.as_bytes()),
        ("en.ftl", en_plus(&without).as_bytes()),
    ]);
    assert_eq!(c.diagnostics, Vec::new());
    // …unless the notice asks for it separately everywhere.
    let note = separate_note(
        &hotline_notice("separate_consent = true")
            .replace("dpv = \"Marketing\"", "dpv = \"CustomerCare\""),
        &en_plus(&without),
    );
    assert!(
        note.contains("separate_consent = true (every law)"),
        "{note}"
    );
    // The same purpose on the web only needs no script at all.
    let c = run(&[
        ("notice.toml", ads_with(&transfers_to("SG", &[])).as_bytes()),
        ("en.ftl", en_plus(&transfer_labels("SG")).as_bytes()),
    ]);
    assert_eq!(c.diagnostics, Vec::new());
}

#[test]
fn the_receipt_code_is_placed_by_the_closing_line_only() {
    // Anywhere else it is K001 (and the closing still places it).
    let en = en_plus(&HOTLINE_SCRIPT.replace("at any time.", "at any time, quoting { $code }."));
    let c = run(&[
        ("notice.toml", hotline_notice("").as_bytes()),
        ("en.ftl", en.as_bytes()),
    ]);
    let d = expect_one(
        &c,
        Code::BuiltinUnavailable,
        "en.ftl",
        Some((ftl_lines() + 2, 134)),
    );
    assert!(
        d.message
            .contains("`{ $code }` is used in `hotline-script-opening`"),
        "{}",
        d.message
    );
    // In a term, too.
    let en = format!(
        "-x = {{ $code }}\n{}",
        en_plus(&HOTLINE_SCRIPT.replace("{ $code }", "{ $code } { -x }"))
    );
    let c = run(&[
        ("notice.toml", hotline_notice("").as_bytes()),
        ("en.ftl", en.as_bytes()),
    ]);
    assert_eq!(
        with_code(&c, Code::BuiltinUnavailable).len(),
        1,
        "{:#?}",
        c.diagnostics
    );
    // A closing without the code, or without a link to look it up, is R051.
    for (closing, lacks) in [
        ("Your receipt code is { $code }.", "a link ({ $name })"),
        ("See our { $policy }.", "the receipt code { $code }"),
    ] {
        let en = en_plus(&HOTLINE_SCRIPT.replace(
            "Your receipt code is { $code }. Look it up with our { $policy }.",
            closing,
        ));
        let c = run(&[
            ("notice.toml", hotline_notice("").as_bytes()),
            ("en.ftl", en.as_bytes()),
        ]);
        let d = expect_one(
            &c,
            Code::HotlineReceiptCode,
            "en.ftl",
            Some((ftl_lines() + 5, 1)),
        );
        assert!(d.message.contains(lacks), "{}", d.message);
    }
    // `code` cannot name a link either (K007).
    let notice =
        hotline_notice("").replace("[links]\n", "[links]\ncode = \"https://example.com/c\"\n");
    let c = run(&[
        ("notice.toml", notice.as_bytes()),
        (
            "en.ftl",
            en_plus(&format!("{HOTLINE_SCRIPT}\nlink-code = c")).as_bytes(),
        ),
    ]);
    assert_eq!(
        with_code(&c, Code::ReservedLinkName).len(),
        1,
        "{:#?}",
        c.diagnostics
    );
}

#[test]
fn hotline_lines_are_a_purposes_text() {
    // For a purpose that does not exist: M003.
    let c = run_en(&en_plus(
        "hotline-script-purpose-nothing-separate = Do you agree?",
    ));
    let d = expect_one(
        &c,
        Code::UnknownPurpose,
        "en.ftl",
        Some((ftl_lines() + 1, 1)),
    );
    assert!(d.message.contains("purpose `nothing`"), "{}", d.message);
    // Its durations are the purpose's retention (K002), its countries its destinations (K006).
    let en = en_plus(&HOTLINE_SCRIPT.replace("after { $retention }", "after 5 years, in Japan"));
    let c = run(&[
        ("notice.toml", hotline_notice("").as_bytes()),
        ("en.ftl", en.as_bytes()),
    ]);
    assert_eq!(
        with_code(&c, Code::RetentionMismatch).len(),
        1,
        "{:#?}",
        c.diagnostics
    );
    assert_eq!(
        with_code(&c, Code::CountryNotInTransfers).len(),
        1,
        "{:#?}",
        c.diagnostics
    );
    // Refusing must not cost the service, on the phone either (D009).
    let en =
        en_plus(&HOTLINE_SCRIPT.replace("You may say no,", "If you say no, we cannot help you,"));
    let c = run(&[
        ("notice.toml", hotline_notice("").as_bytes()),
        ("en.ftl", en.as_bytes()),
    ]);
    let d = expect_one(
        &c,
        Code::RefusalPenalty,
        "en.ftl",
        Some((ftl_lines() + 2, 84)),
    );
    assert!(
        d.message.contains("`hotline-script-opening`"),
        "{}",
        d.message
    );
}
