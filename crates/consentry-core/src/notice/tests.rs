use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::diagnostics::{Code, Diagnostic};

/// A small valid notice. Line numbers matter to the tests below.
const VALID: &str = r#"notice_id = "support-privacy"
version = "2026.1"
default_locale = "en"

[controller]
name = "Example Networks Ltd."
address = "1 Example Road, Example City"
email = "privacy@example.com"
phone = "+1-555-0100"

[controller.dpo]
name = "DPO"
email = "dpo@example.com"

[links]
privacy-policy = "https://example.com/privacy"
contact = "mailto:privacy@example.com?subject=Privacy"

[[purposes]]
id = "service-delivery"
required = true
legal_basis = "contract"
retention = "P2Y"
processors = ["Example Ticketing Ltd."]
data_categories = ["contact-details", "support-request"]
channels = ["hotline", "chat", "mailbox", "web"]
dpv = "CustomerCare"

[[purposes]]
id = "cross-border-transfer"
legal_basis = "consent"
separate_consent = true
retention = "P1Y6M"
data_categories = ["support-request"]
channels = ["chat"]
transfers = [{ destination = "SG", safeguard = "pipl-standard-contract" }]
dpv = "CustomerCare"

[regions]
default = "apec-cbpr"
CN = "cn-pipl"
US-CA = "ccpa"

[rights]
offered = ["access", "erasure"]
how = ["contact"]
"#;

fn read(text: &str) -> NoticeFacts {
    NoticeFacts::read("locales/notice.toml", text.as_bytes())
}

fn errors(text: &str) -> Vec<Diagnostic> {
    let facts = read(text);
    assert!(facts.notice.is_none(), "expected errors, got a notice");
    assert!(!facts.diagnostics.is_empty());
    facts.diagnostics
}

/// The one finding with `code`, asserting there is exactly one.
fn only(diags: &[Diagnostic], code: Code) -> &Diagnostic {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "one {code} in {diags:#?}");
    found[0]
}

fn at(d: &Diagnostic) -> (usize, usize) {
    (d.line().unwrap(), d.column().unwrap())
}

#[test]
fn valid_notice_reads_into_the_model() {
    let facts = read(VALID);
    assert_eq!(facts.diagnostics, Vec::new());
    let n = facts.notice.unwrap();
    assert_eq!(n.id.as_str(), "support-privacy");
    assert_eq!(n.version, "2026.1");
    assert_eq!(n.default_locale.as_str(), "en");
    assert_eq!(n.controller.name, "Example Networks Ltd.");
    assert_eq!(n.controller.phone.as_deref(), Some("+1-555-0100"));
    assert_eq!(n.controller.dpo.as_ref().unwrap().email, "dpo@example.com");
    // Links sorted by name.
    let names: Vec<&str> = n.links.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["contact", "privacy-policy"]);
    assert_eq!(
        n.link("privacy-policy").unwrap().url,
        "https://example.com/privacy"
    );
    // Purposes in file order.
    assert_eq!(n.purposes.len(), 2);
    let s = &n.purposes[0];
    assert_eq!(s.id.as_str(), "service-delivery");
    assert!(s.required);
    assert_eq!(s.legal_basis, LegalBasis::Contract);
    assert_eq!(s.retention.as_str(), "P2Y");
    assert_eq!(s.processors, ["Example Ticketing Ltd."]);
    assert_eq!(s.recipients(), ["Example Ticketing Ltd."]);
    assert_eq!(s.dpv, "CustomerCare");
    assert_eq!(n.rights.offered, [Right::Access, Right::Erasure]);
    assert_eq!(n.rights.how, ["contact"]);
    assert_eq!(s.data_categories, ["contact-details", "support-request"]);
    assert_eq!(s.channels, Channel::ALL);
    assert!(s.transfers.is_empty());
    assert!(!s.sensitive && !s.separate_consent);
    let x = n.purpose("cross-border-transfer").unwrap();
    assert!(!x.required && x.separate_consent);
    assert_eq!(x.retention.date_parts(), [1, 6, 0, 0]);
    assert_eq!(x.transfers[0].destination.as_str(), "SG");
    assert_eq!(x.transfers[0].safeguard, Safeguard::PiplStandardContract);
    // Regions: short regime names accepted, sorted.
    assert_eq!(n.regions.default, Some(Regime::Apec));
    let regions: Vec<(&str, Regime)> = n
        .regions
        .entries
        .iter()
        .map(|(r, g)| (r.as_str(), *g))
        .collect();
    assert_eq!(regions, [("CN", Regime::Pipl), ("US-CA", Regime::Ccpa)]);
    // Facts agree with the notice.
    assert_eq!(facts.default_locale.as_ref().unwrap().0.as_str(), "en");
    assert_eq!(facts.purposes.len(), 2);
    assert!(facts.purposes_complete && facts.links_complete);
    assert_eq!(facts.bases, [LegalBasis::Consent, LegalBasis::Contract]);
    assert!(Notice::from_toml("n.toml", VALID.as_bytes()).is_ok());
}

#[test]
fn region_map_lookup() {
    let n = read(VALID).notice.unwrap();
    let r = |s: &str| n.regions.regime_for(&RegionCode::parse(s).unwrap());
    assert_eq!(r("CN"), Regime::Pipl);
    assert_eq!(r("US-CA"), Regime::Ccpa);
    assert_eq!(
        r("DE"),
        Regime::Gdpr,
        "built-in table for regions the map does not list"
    );
    assert_eq!(r("BR-SP"), Regime::Lgpd);
    assert_eq!(r("SG"), Regime::Apec, "map default elsewhere");
    let mut gdpr_default = n.regions.clone();
    gdpr_default.default = Some(Regime::Gdpr);
    assert_eq!(
        gdpr_default.regime_for(&RegionCode::parse("SG").unwrap()),
        Regime::Gdpr
    );
    assert_eq!(
        gdpr_default.regime_for(&RegionCode::parse("CN").unwrap()),
        Regime::Pipl
    );
    assert_eq!(
        RegionMap::default().regime_for(&RegionCode::parse("JP").unwrap()),
        Regime::Appi
    );
    assert_eq!(
        RegionMap::default().regime_for(&RegionCode::parse("SG").unwrap()),
        Regime::Apec
    );
}

#[test]
fn every_regime_that_applies_with_why() {
    use crate::regime::Reason::*;
    let rc = |s: &str| RegionCode::parse(s).unwrap();
    let map = RegionMap::new(Some(Regime::Apec), Vec::new());
    assert_eq!(
        map.regimes_for(Some(&rc("DE"))),
        [(Regime::Gdpr, VisitorRegion)]
    );
    // A subdivision with a law of its own, and its country's.
    assert_eq!(
        map.regimes_for(Some(&rc("CA-QC"))),
        [
            (Regime::QcLaw25, VisitorRegion),
            (Regime::Pipeda, VisitorCountry)
        ]
    );
    assert_eq!(
        map.regimes_for(Some(&rc("CA-ON"))),
        [(Regime::Pipeda, VisitorRegion)]
    );
    assert_eq!(
        map.regimes_for(Some(&rc("US-NY"))),
        [(Regime::Apec, UnlistedRegion)]
    );
    assert_eq!(map.regimes_for(None), [(Regime::Gdpr, UnknownRegion)]);
    assert_eq!(map.regimes_elsewhere(), [(Regime::Apec, UnlistedRegion)]);
    // The controller's establishment adds its law for every visitor.
    let cn = map.clone().with_controller_in(&rc("CN"));
    assert_eq!(
        cn.regimes_for(Some(&rc("DE"))),
        [
            (Regime::Gdpr, VisitorRegion),
            (Regime::Pipl, ControllerEstablishment)
        ]
    );
    assert_eq!(
        cn.regimes_for(Some(&rc("CN"))),
        [(Regime::Pipl, VisitorRegion)]
    );
    assert_eq!(
        cn.regimes_elsewhere(),
        [
            (Regime::Apec, UnlistedRegion),
            (Regime::Pipl, ControllerEstablishment)
        ]
    );
    // A US controller brings no law to visitors elsewhere (the state laws protect residents).
    let ca = map.clone().with_controller_in(&rc("US-CA"));
    assert_eq!(
        ca.regimes_for(Some(&rc("DE"))),
        [(Regime::Gdpr, VisitorRegion)]
    );
    let qc = map.with_controller_in(&rc("CA-QC"));
    assert_eq!(qc.controller, [Regime::Pipeda, Regime::QcLaw25]);
}

#[test]
fn n011_region_codes_as_iso_writes_them() {
    for (from, to, what) in [
        (
            "CN = \"cn-pipl\"",
            "CHN = \"cn-pipl\"",
            "did you mean `CN`?",
        ),
        ("CN = \"cn-pipl\"", "UK = \"cn-pipl\"", "did you mean `GB`?"),
        (
            "US-CA = \"ccpa\"",
            "us-ca = \"ccpa\"",
            "did you mean `US-CA`?",
        ),
        (
            "CN = \"cn-pipl\"",
            "CN-44 = \"cn-pipl\"",
            "did you mean `CN-GD`?",
        ),
        (
            "destination = \"SG\"",
            "destination = \"SGP\"",
            "did you mean `SG`?",
        ),
        (
            "destination = \"SG\"",
            "destination = \"US-CA\"",
            "write `US`",
        ),
    ] {
        let text = VALID.replacen(from, to, 1);
        let d = errors(&text);
        let d = only(&d, Code::UnknownRegionCode);
        assert!(
            d.note.as_deref().unwrap_or("").contains(what),
            "{to}: {d:?}"
        );
    }
}

#[test]
fn required_messages_follow_the_notice() {
    let n = read(VALID).notice.unwrap();
    let ids: Vec<PurposeId> = n.purposes.iter().map(|p| p.id.clone()).collect();
    let links: Vec<String> = n.links.iter().map(|l| l.name.clone()).collect();
    let req = required_messages(
        &ids,
        &links,
        &[LegalBasis::Consent, LegalBasis::VitalInterests],
        &[("right-access".into(), "listed".into())],
    );
    let names: Vec<&str> = req.iter().map(|(id, _)| id.as_str()).collect();
    for ui in crate::bundle::UI_MESSAGES {
        assert!(names.contains(ui));
    }
    for m in [
        "purpose-service-delivery-name",
        "purpose-service-delivery-description",
        "purpose-cross-border-transfer-name",
        "link-privacy-policy",
        "link-contact",
        "legal-basis-vital-interests",
        "right-access",
    ] {
        assert!(names.contains(&m), "{m}");
    }
    let mut dedup = names.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(
        dedup.len(),
        names.len(),
        "legal-basis-consent is listed once"
    );
}

#[test]
fn n001_unknown_key_points_at_the_key() {
    let text = VALID.replace("phone = \"+1-555-0100\"", "phnoe = \"+1-555-0100\"");
    let d = errors(&text);
    let u = only(&d, Code::UnknownKey);
    assert_eq!(at(u), (9, 1));
    assert!(u.message.contains("`phnoe`") && u.message.contains("[controller]"));
    assert_eq!(u.note.as_deref(), Some("did you mean `phone`?"));
    let span = &u.location.as_ref().unwrap().span;
    assert_eq!(&text[span.clone()], "phnoe");
    // Top level and inside purposes and inline tables too.
    let text = VALID
        .replace("version = ", "flavour = \"x\"\nversion = ")
        .replace(
            "id = \"service-delivery\"",
            "id = \"service-delivery\"\ncolour = 1",
        )
        .replace("safeguard = \"pipl", "why = 1, safeguard = \"pipl");
    let d = errors(&text);
    let keys: Vec<(usize, usize)> = d
        .iter()
        .filter(|x| x.code == Code::UnknownKey)
        .map(at)
        .collect();
    assert_eq!(keys, [(2, 1), (22, 1), (38, 36)]);
}

#[test]
fn n002_missing_key_points_at_the_table() {
    let text = VALID.replace("email = \"dpo@example.com\"\n", "");
    let d = errors(&text);
    let m = only(&d, Code::MissingKey);
    assert_eq!(at(m), (11, 1));
    assert!(m.message.contains("`email`") && m.message.contains("[controller.dpo]"));
    // A missing top-level key points at the start of the file.
    let text = VALID.replace("version = \"2026.1\"\n", "");
    let m = only(&errors(&text), Code::MissingKey).clone();
    assert_eq!(at(&m), (1, 1));
    assert!(m.message.contains("`version`"));
    // Second purpose lacks its retention: points at its [[purposes]] header.
    let text = VALID.replace("retention = \"P1Y6M\"\n", "");
    let m = only(&errors(&text), Code::MissingKey).clone();
    assert_eq!(at(&m), (29, 1));
}

fn invalid(text: &str) -> Diagnostic {
    only(&errors(text), Code::InvalidValue).clone()
}

#[test]
fn n003_invalid_values() {
    let cases: &[(&str, &str, (usize, usize), &str)] = &[
        (
            "notice_id = \"support-privacy\"",
            "notice_id = \"Support Privacy\"",
            (1, 13),
            "notice id",
        ),
        (
            "retention = \"P2Y\"",
            "retention = \"2 years\"",
            (23, 13),
            "ISO 8601",
        ),
        (
            "legal_basis = \"contract\"",
            "legal_basis = \"agreement\"",
            (22, 15),
            "legal basis",
        ),
        ("CN = \"cn-pipl\"", "CN = \"pipl-2021\"", (41, 6), "regime"),
        (
            "email = \"privacy@example.com\"",
            "email = \"privacy at example\"",
            (8, 9),
            "e-mail",
        ),
        (
            "phone = \"+1-555-0100\"",
            "phone = \"call us\"",
            (9, 9),
            "phone",
        ),
        (
            "channels = [\"chat\"]",
            "channels = [\"chat\", \"fax\"]",
            (35, 21),
            "channel",
        ),
        (
            "\"pipl-standard-contract\"",
            "\"a handshake\"",
            (36, 48),
            "safeguard",
        ),
        (
            "required = true",
            "required = \"yes\"",
            (21, 12),
            "true or false",
        ),
        (
            "data_categories = [\"support-request\"]",
            "data_categories = [\"Support Request\"]",
            (34, 20),
            "kebab-case",
        ),
        (
            "data_categories = [\"support-request\"]",
            "data_categories = []",
            (34, 19),
            "at least one",
        ),
        (
            "\"hotline\", \"chat\"",
            "\"chat\", \"chat\"",
            (26, 21),
            "listed twice",
        ),
        (
            "version = \"2026.1\"",
            "version = \" 2026.1\"",
            (2, 11),
            "spaces",
        ),
        (
            "version = \"2026.1\"",
            "version = 2026",
            (2, 11),
            "a string, found an integer",
        ),
        (
            "[links]\n",
            "[links]\nPrivacy_Policy = \"https://example.com/\"\n",
            (16, 1),
            "kebab-case",
        ),
    ];
    for (from, to, pos, words) in cases {
        assert!(VALID.contains(from), "{from}");
        let d = invalid(&VALID.replacen(from, to, 1));
        assert_eq!(at(&d), *pos, "{to}: {}", d.message);
        assert!(
            d.message.contains(words) || d.note.as_deref().unwrap_or("").contains(words),
            "{to}: {} / {:?}",
            d.message,
            d.note
        );
    }
}

#[test]
fn links_must_be_https_or_mailto_and_well_formed() {
    for (from, to, code, pos) in [
        (
            "https://example.com/privacy",
            "http://example.com/privacy",
            Code::InsecureLink,
            (16, 18),
        ),
        (
            "https://example.com/privacy",
            "javascript:alert(1)",
            Code::InsecureLink,
            (16, 18),
        ),
        (
            "https://example.com/privacy",
            "data:text/plain;base64,SGk=",
            Code::InsecureLink,
            (16, 18),
        ),
        (
            "https://example.com/privacy",
            "https://exa mple.com/",
            Code::MalformedLink,
            (16, 18),
        ),
        (
            "https://example.com/privacy",
            "https:///privacy",
            Code::MalformedLink,
            (16, 18),
        ),
        (
            "mailto:privacy@example.com",
            "mailto:nobody",
            Code::MalformedLink,
            (17, 11),
        ),
    ] {
        let d = errors(&VALID.replacen(from, to, 1));
        assert_eq!(d.len(), 1, "{to}: {d:#?}");
        assert_eq!((d[0].code, at(&d[0])), (code, pos), "{to}");
    }
}

#[test]
fn dark_patterns_in_purposes() {
    // D003: a required purpose cannot rely on consent.
    let text = VALID.replace("legal_basis = \"contract\"", "legal_basis = \"consent\"");
    let d = only(&errors(&text), Code::ForcedConsent).clone();
    assert_eq!(at(&d), (21, 12), "points at required = true");
    assert!(d.message.contains("required") && d.message.contains("consent"));
    // D002: separate consent needs consent as the basis.
    let text = VALID.replace(
        "legal_basis = \"consent\"\nseparate_consent",
        "legal_basis = \"legitimate-interests\"\nseparate_consent",
    );
    let d = only(&errors(&text), Code::ConsentWithoutConsentBasis).clone();
    assert_eq!(at(&d), (32, 20));
    assert!(d.message.contains("separate consent"));
    // D001: an optional purpose switched on in advance.
    let text = VALID.replace(
        "separate_consent = true",
        "separate_consent = true\non_by_default = true",
    );
    let d = only(&errors(&text), Code::PreselectedPurpose).clone();
    assert_eq!(at(&d), (33, 17));
}

#[test]
fn n004_duplicate_purpose() {
    let text = VALID.replace(
        "id = \"cross-border-transfer\"",
        "id = \"service-delivery\"",
    );
    let d = errors(&text);
    let dup = only(&d, Code::DuplicatePurpose);
    assert_eq!(at(dup), (30, 6));
    assert_eq!(dup.note.as_deref(), Some("first defined on line 20"));
    // The first one is still known.
    let facts = read(&text);
    assert_eq!(facts.purposes.len(), 1);
}

#[test]
fn f001_toml_syntax_error_has_a_position() {
    let text = "notice_id = \"a\"\nversion = \"1\nx = 2\n";
    let d = errors(text);
    assert!(d.iter().all(|x| x.code == Code::TomlSyntax), "{d:#?}");
    assert_eq!(at(&d[0]), (2, 13), "{:?}", d[0].message);
    assert!(d[0].message.contains("string"), "{}", d[0].message);
    assert!(d[0].message.starts_with("TOML syntax:"));
    // Duplicate keys are a TOML error, not a silent overwrite.
    let d = errors("version = \"1\"\nversion = \"2\"\n");
    assert_eq!(d[0].code, Code::TomlSyntax);
    assert_eq!(d[0].line(), Some(2));
}

#[test]
fn f003_invalid_utf8_in_notice() {
    let mut bytes = b"notice_id = \"a\"\nname = \"caf".to_vec();
    bytes.push(0xE9); // Latin-1 é
    bytes.extend_from_slice(b"\"\n");
    let facts = NoticeFacts::read("n.toml", &bytes);
    assert!(facts.notice.is_none());
    let d = only(&facts.diagnostics, Code::InvalidUtf8);
    assert_eq!(at(d), (2, 12));
    assert_eq!(d.location.as_ref().unwrap().span, 27..28);
}

#[test]
fn bom_and_crlf_keep_positions_right() {
    let text = alloc::format!("\u{feff}{}", VALID.replace('\n', "\r\n"));
    let facts = read(&text);
    assert_eq!(facts.diagnostics, Vec::new());
    assert!(facts.notice.is_some());
    let broken = text.replace("retention = \"P2Y\"", "retention = \"2Y\"");
    let d = invalid(&broken);
    assert_eq!(at(&d), (23, 13));
    let span = d.location.unwrap().span;
    assert_eq!(&broken[span], "\"2Y\"");
    // The default locale span indexes the file with its BOM.
    let (tag, span) = read(&text).default_locale.unwrap();
    assert_eq!(tag.as_str(), "en");
    assert_eq!(&text[span], "\"en\"");
}

#[test]
fn many_problems_in_one_run() {
    let text = VALID
        .replace("phone = ", "phnoe = ")
        .replace("retention = \"P2Y\"", "retention = \"forever\"")
        .replace(
            "id = \"cross-border-transfer\"",
            "id = \"service-delivery\"",
        )
        .replace("email = \"dpo@example.com\"\n", "");
    let d = errors(&text);
    let codes: Vec<Code> = d.iter().map(|x| x.code).collect();
    assert_eq!(
        codes,
        [
            Code::UnknownKey,
            Code::MissingKey,
            Code::InvalidValue,
            Code::DuplicatePurpose
        ],
        "sorted by position: {d:#?}"
    );
}

#[test]
fn malformed_and_truncated_notice_never_panics() {
    // Every prefix of a valid file: either valid or reported, never a panic, never silent.
    for (i, _) in VALID.char_indices() {
        let facts = read(&VALID[..i]);
        assert!(
            facts.notice.is_some() || !facts.diagnostics.is_empty(),
            "prefix {i} gave neither a notice nor a finding"
        );
    }
    for text in [
        "",
        "[[purposes]]",
        "purposes = 3",
        "purposes = [1, \"x\"]",
        "[controller]\ndpo = \"x\"",
        "[regions]\ndefault = 5",
        "links = [1]",
        "regions = \"CN\"",
        "[[purposes]]\ntransfers = [\"SG\"]",
        "[[purposes]]\ntransfers = 1",
        "= 1",
        "\u{feff}",
        "a = \"\u{0}\"",
    ] {
        let facts = read(text);
        assert!(facts.notice.is_none(), "{text:?}");
        assert!(!facts.diagnostics.is_empty(), "{text:?}");
    }
}
