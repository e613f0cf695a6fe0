use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::*;
use crate::regime::EEA;

/// The suggestion for `code`, which must be invalid.
fn s(code: &str) -> Suggestion {
    assert!(
        !is_country(code) && !is_subdivision(code),
        "{code} is valid"
    );
    suggest(code).unwrap_or_else(|| panic!("no suggestion for {code:?}"))
}

/// Asserts the kind and codes of `code`'s suggestion and returns its reason.
fn expect(code: &str, kind: SuggestionKind, codes: &[&str]) -> String {
    let got = s(code);
    assert_eq!(
        (got.kind, got.codes.as_slice()),
        (kind, codes),
        "{code}: {}",
        got.reason
    );
    assert!(!got.reason.is_empty());
    assert_eq!(got.to_string(), got.reason);
    got.reason
}

#[test]
fn iso3166_the_countries_the_notice_names_are_valid() {
    for code in EEA
        .iter()
        .chain(&["GB", "CH", "CN", "JP", "KR", "IN", "CA", "BR", "US"])
    {
        assert!(is_country(code), "{code}");
        assert!(!is_subdivision(code), "{code}");
        assert!(country_name(code).is_some(), "{code}");
        assert_eq!(suggest(code), None, "{code}");
    }
    assert_eq!(country_name("DE"), Some("Germany"));
    assert_eq!(country_name("JP"), Some("Japan"));
    assert_eq!(
        country_name("GB"),
        Some("United Kingdom of Great Britain and Northern Ireland")
    );
}

#[test]
fn iso3166_the_subdivisions_privacy_laws_name_are_valid() {
    for (code, name) in [
        ("US-CA", "California"),
        ("US-VA", "Virginia"),
        ("US-CO", "Colorado"),
        ("US-CT", "Connecticut"),
        ("US-TX", "Texas"),
        ("US-OR", "Oregon"),
        ("CA-QC", "Quebec"),
        ("BR-SP", "São Paulo"),
        ("CN-GD", "Guangdong Sheng"),
        ("GB-ENG", "England"),
        ("GB-SCT", "Scotland"),
        ("FR-75C", "Paris"),
        ("DE-BE", "Berlin"),
        ("IN-TS", "Telangāna"),
    ] {
        assert!(is_subdivision(code), "{code}");
        assert!(!is_country(code), "{code}");
        assert_eq!(subdivision_name(code), Some(name), "{code}");
        assert_eq!(suggest(code), None, "{code}");
    }
}

#[test]
fn iso3166_lookups_are_exact() {
    for code in [
        "de", "De", " DE", "DE ", "DEU", "UK", "EU", "XK", "", "D", "276",
    ] {
        assert!(!is_country(code), "{code:?}");
        assert_eq!(country_name(code), None, "{code:?}");
    }
    for code in [
        "us-ca", "US_CA", "US-Ca", "US CA", "CN-44", "DE-BER", "US", "US-", "-CA",
    ] {
        assert!(!is_subdivision(code), "{code:?}");
        assert_eq!(subdivision_name(code), None, "{code:?}");
    }
}

#[test]
fn iso3166_aliases_and_reserved_codes() {
    let uk = expect("UK", SuggestionKind::Alias, &["GB"]);
    assert!(uk.contains("GB"), "{uk}");
    expect("uk", SuggestionKind::Alias, &["GB"]);
    expect("EL", SuggestionKind::Alias, &["GR"]);
    let eu = expect("EU", SuggestionKind::NotARegion, &[]);
    assert!(
        eu.contains("member states") && eu.contains("built-in table"),
        "{eu}"
    );
    expect("EEA", SuggestionKind::NotARegion, &[]);
    expect("UN", SuggestionKind::NotARegion, &[]);
    expect("GER", SuggestionKind::Alias, &["DE"]);
    expect("UAE", SuggestionKind::Alias, &["AE"]);
    expect("IC", SuggestionKind::Alias, &["ES-CN"]);
    expect("EA", SuggestionKind::Alias, &["ES-CE", "ES-ML"]);
    expect("ENG", SuggestionKind::Alias, &["GB-ENG"]);
    // the whole country written as a subdivision
    expect("GB-UK", SuggestionKind::Alias, &["GB"]);
    expect("GB-GB", SuggestionKind::Alias, &["GB"]);
    expect("US-USA", SuggestionKind::Alias, &["US"]);
    // a wrong country part
    expect("UK-SCT", SuggestionKind::Alias, &["GB-SCT"]);
    expect("uk-eng", SuggestionKind::Alias, &["GB-ENG"]);
    expect("EL-I", SuggestionKind::Alias, &["GR-I"]);
    // ISO's alternative codes beside a name
    expect("GB-CYM", SuggestionKind::Alias, &["GB-WLS"]);
    expect("SE-01", SuggestionKind::Alias, &["SE-AB"]);
    // an alias of the country part, and then a misspelt subdivision
    let r = expect("UK-SCO", SuggestionKind::Typo, &["GB-SCB", "GB-SCT"]);
    assert!(r.contains("UK is not"), "{r}");
    // a reserved code as the country part
    expect("EU-DE", SuggestionKind::NotARegion, &[]);
}

#[test]
fn iso3166_xk_is_user_assigned_not_a_country() {
    assert!(!is_country("XK"));
    let r = expect("XK", SuggestionKind::UserAssigned, &[]);
    assert!(r.contains("Kosovo"), "{r}");
    expect("xk", SuggestionKind::UserAssigned, &[]);
    expect("Kosovo", SuggestionKind::UserAssigned, &[]);
    expect("XK-01", SuggestionKind::UserAssigned, &[]);
    expect("XKX", SuggestionKind::UserAssigned, &[]);
    for code in [
        "AA", "QM", "QZ", "XA", "XZ", "ZZ", "AAA", "QMX", "XXX", "ZZZ",
    ] {
        expect(code, SuggestionKind::UserAssigned, &[]);
    }
    // next to the range, but not in it
    assert_eq!(suggest("QL"), None);
}

#[test]
fn iso3166_letter_case_and_separators() {
    expect("cn", SuggestionKind::Case, &["CN"]);
    expect("Cn", SuggestionKind::Case, &["CN"]);
    expect(" DE ", SuggestionKind::Case, &["DE"]);
    expect("us-ca", SuggestionKind::Case, &["US-CA"]);
    expect("US_CA", SuggestionKind::Case, &["US-CA"]);
    expect("US CA", SuggestionKind::Case, &["US-CA"]);
    expect("fr-75c", SuggestionKind::Case, &["FR-75C"]);
    expect("DE-", SuggestionKind::Case, &["DE"]);
}

#[test]
fn iso3166_alpha3_and_numeric_codes() {
    expect("DEU", SuggestionKind::Alpha3, &["DE"]);
    expect("deu", SuggestionKind::Alpha3, &["DE"]);
    expect("USA", SuggestionKind::Alpha3, &["US"]);
    expect("CHN", SuggestionKind::Alpha3, &["CN"]);
    expect("GBR", SuggestionKind::Alpha3, &["GB"]);
    expect("USA-CA", SuggestionKind::Alpha3, &["US-CA"]);
    expect("276", SuggestionKind::Numeric, &["DE"]);
    expect("840", SuggestionKind::Numeric, &["US"]);
    // every alpha-3 code of every country
    for c in rust_iso3166::ALL {
        expect(c.alpha3, SuggestionKind::Alpha3, &[c.alpha2]);
    }
}

#[test]
fn iso3166_deleted_countries() {
    expect("BU", SuggestionKind::FormerCountry, &["MM"]);
    expect("TP", SuggestionKind::FormerCountry, &["TL"]);
    expect("ZR", SuggestionKind::FormerCountry, &["CD"]);
    expect("DD", SuggestionKind::FormerCountry, &["DE"]);
    let an = s("AN");
    assert_eq!(an.kind, SuggestionKind::FormerCountry);
    for code in ["BQ", "CW", "SX"] {
        assert!(an.codes.contains(&code), "{an:?}");
    }
    // Yugoslavia → Serbia and Montenegro → both
    let yu = s("YU");
    assert_eq!(yu.codes, ["ME", "RS"], "{yu:?}");
    // `CS` itself was two countries
    let cs = s("CS");
    assert_eq!(cs.codes, ["CZ", "SK", "ME", "RS"], "{cs:?}");
}

#[test]
fn iso3166_names() {
    expect("Germany", SuggestionKind::Name, &["DE"]);
    expect("germany", SuggestionKind::Name, &["DE"]);
    expect("GERMANY", SuggestionKind::Name, &["DE"]);
    expect("the Netherlands", SuggestionKind::Name, &["NL"]);
    expect("United States", SuggestionKind::Name, &["US"]);
    expect("United Kingdom", SuggestionKind::Name, &["GB"]);
    expect("South Korea", SuggestionKind::Name, &["KR"]);
    expect("Bolivia", SuggestionKind::Name, &["BO"]);
    expect("Cote d'Ivoire", SuggestionKind::Name, &["CI"]);
    expect("Turkiye", SuggestionKind::Name, &["TR"]);
    expect("Turkey", SuggestionKind::Name, &["TR"]);
    expect("Congo", SuggestionKind::Name, &["CG"]);
    expect("New Zealand", SuggestionKind::Name, &["NZ"]);
    expect("El Salvador", SuggestionKind::Name, &["SV"]);
    expect("European Union", SuggestionKind::NotARegion, &[]);
    let korea = s("Korea");
    assert_eq!(korea.kind, SuggestionKind::Name);
    assert!(korea.codes.starts_with(&["KP", "KR"]) || korea.codes.starts_with(&["KR", "KP"]));
    // subdivision names
    expect("California", SuggestionKind::Name, &["US-CA"]);
    expect("Scotland", SuggestionKind::Name, &["GB-SCT"]);
    expect("Quebec", SuggestionKind::Name, &["CA-QC"]);
    let georgia = s("Georgia");
    assert_eq!(georgia.codes, ["GE", "US-GA"]);
    expect("US-California", SuggestionKind::Name, &["US-CA"]);
    expect("DE Bayern", SuggestionKind::Name, &["DE-BY"]);
    expect("de-thüringen", SuggestionKind::Name, &["DE-TH"]);
    expect("DE-Thuringen", SuggestionKind::Name, &["DE-TH"]);
    // every country's own name
    for c in rust_iso3166::ALL {
        let got = s(c.name);
        assert_eq!(got.kind, SuggestionKind::Name, "{}", c.name);
        assert_eq!(got.codes.first(), Some(&c.alpha2), "{}", c.name);
    }
}

#[test]
fn iso3166_withdrawn_subdivisions() {
    let r = expect("CN-44", SuggestionKind::Withdrawn, &["CN-GD"]);
    assert_eq!(
        r,
        "CN-44 (Guangdong) was withdrawn from ISO 3166-2: it is now CN-GD (Guangdong Sheng)"
    );
    expect("cn-44", SuggestionKind::Withdrawn, &["CN-GD"]);
    expect("CN-11", SuggestionKind::Withdrawn, &["CN-BJ"]);
    expect("IN-TG", SuggestionKind::Withdrawn, &["IN-TS"]);
    expect("IN-OR", SuggestionKind::Withdrawn, &["IN-OD"]);
    expect("FR-75", SuggestionKind::Withdrawn, &["FR-75C"]);
    expect("MX-DIF", SuggestionKind::Withdrawn, &["MX-CMX"]);
    expect("GB-NTH", SuggestionKind::Withdrawn, &["GB-NNH", "GB-WNH"]);
    expect("GB-UKM", SuggestionKind::Withdrawn, &["GB"]);
    expect("NO-01", SuggestionKind::Withdrawn, &["NO-30"]);
    // withdrawn with no single successor
    expect("LV-001", SuggestionKind::Withdrawn, &[]);
}

#[test]
fn iso3166_misspelt_subdivisions() {
    expect("US-CAL", SuggestionKind::Typo, &["US-CA"]);
    expect("US-Cal", SuggestionKind::Typo, &["US-CA"]);
    expect("US-CALIF", SuggestionKind::Name, &["US-CA"]);
    expect("DE-BER", SuggestionKind::Typo, &["DE-BE"]);
    expect("DE-BAY", SuggestionKind::Typo, &["DE-BY"]);
    expect("CA-QUE", SuggestionKind::Typo, &["CA-QC"]);
    expect("US-AC", SuggestionKind::Typo, &["US-CA"]);
    expect("GB-EGN", SuggestionKind::Typo, &["GB-ENG"]);
    expect("US-NYC", SuggestionKind::Typo, &["US-NY"]);
}

#[test]
fn iso3166_unknown_subdivisions() {
    // One letter of two changed is no guess: US-TX is not suggested for US-XX.
    let r = expect("US-XX", SuggestionKind::UnknownSubdivision, &[]);
    assert!(
        r.contains("United States of America") && r.contains("use US"),
        "{r}"
    );
    expect("DE-ZZ", SuggestionKind::UnknownSubdivision, &[]);
    // too many codes one edit away
    expect("US-M", SuggestionKind::UnknownSubdivision, &[]);
    // one character: only codes that start with it
    expect("US-C", SuggestionKind::Typo, &["US-CA", "US-CO", "US-CT"]);
    expect("FR-A", SuggestionKind::UnknownSubdivision, &[]);
    // a country without subdivisions
    expect("VA-01", SuggestionKind::UnknownSubdivision, &["VA"]);
}

#[test]
fn iso3166_misspelt_countries() {
    expect("Germnay", SuggestionKind::Typo, &["DE"]);
    expect("Swizerland", SuggestionKind::Typo, &["CH"]);
    expect("Frnace", SuggestionKind::Typo, &["FR"]);
    expect("ED", SuggestionKind::Typo, &["DE"]);
}

#[test]
fn iso3166_nothing_to_suggest() {
    for code in [
        "",
        "   ",
        "-",
        "1234",
        "foo",
        "Atlantis",
        "Ελλάδα",
        "日本",
        "XYZ-123",
        "US-",
    ] {
        assert!(!is_country(code) && !is_subdivision(code));
        let got = suggest(code);
        assert!(
            got.as_ref()
                .is_none_or(|g| g.codes.iter().all(|c| is_country(c) || is_subdivision(c))),
            "{code:?}: {got:?}"
        );
    }
    assert_eq!(suggest("1234"), None);
    assert_eq!(suggest("Atlantis"), None);
    assert_eq!(suggest("日本"), None);
}

#[test]
fn iso3166_every_code_round_trips() {
    let countries: Vec<&str> = countries().collect();
    assert_eq!(
        countries.len(),
        249,
        "ISO 3166-1 has 249 officially assigned codes"
    );
    let mut seen = countries.clone();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 249);
    let mut subdivision_count = 0;
    for cc in countries {
        assert!(
            cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_uppercase()),
            "{cc}"
        );
        assert!(is_country(cc) && !is_subdivision(cc), "{cc}");
        assert!(country_name(cc).is_some_and(|n| !n.is_empty()), "{cc}");
        assert_eq!(suggest(cc), None);
        assert_eq!(s(&cc.to_ascii_lowercase()).codes, [cc]);
        for code in subdivisions(cc) {
            subdivision_count += 1;
            let (country, sub) = code.split_once('-').expect(code);
            assert_eq!(country, cc, "{code}");
            assert!(is_country(country), "{code}");
            assert!(
                (1..=3).contains(&sub.len())
                    && sub
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
                "{code}"
            );
            assert!(is_subdivision(code) && !is_country(code), "{code}");
            let name = subdivision_name(code).expect(code);
            assert!(!name.is_empty() && name.trim() == name, "{code}: {name:?}");
            assert_eq!(suggest(code), None);
            let lower = code.to_ascii_lowercase();
            if lower != code {
                let got = s(&lower);
                assert_eq!(
                    (got.kind, got.codes.as_slice()),
                    (SuggestionKind::Case, &[code][..])
                );
            }
        }
    }
    // Every subdivision belongs to a country, so the per-country lists cover the table. A
    // new `rust_iso3166` changes this number: regenerate `history.rs` (see the script).
    assert_eq!(subdivision_count, 5046);
    assert_eq!(iso3166_2::SUBDIVISION_MAP.len(), subdivision_count);
    for sub in iso3166_2::SUBDIVISION_MAP.values() {
        assert!(is_country(&sub.code[..2]), "{}", sub.code);
    }
    assert_eq!(subdivisions("XK").count(), 0);
    assert_eq!(subdivisions("us").count(), 0);
}

#[test]
fn iso3166_history_agrees_with_the_current_table() {
    for w in history::WITHDRAWN.windows(2) {
        assert!(w[0].0 < w[1].0, "WITHDRAWN is not sorted at {}", w[1].0);
    }
    for (code, name, to) in history::WITHDRAWN {
        assert!(
            !is_subdivision(code),
            "{code} is current again: regenerate history.rs"
        );
        assert!(!name.is_empty(), "{code}");
        assert!(is_country(&code[..2]), "{code}");
        for t in to {
            assert!(is_subdivision(t) || is_country(t), "{code} → {t}");
            assert_eq!(&t[..2], &code[..2], "{code} → {t}");
        }
        let got = s(code);
        assert_eq!(got.kind, SuggestionKind::Withdrawn, "{code}");
        assert_eq!(got.codes, to, "{code}");
    }
    for w in history::ALTERNATE.windows(2) {
        assert!(w[0].0 < w[1].0, "ALTERNATE is not sorted at {}", w[1].0);
    }
    for (alt, code) in history::ALTERNATE {
        assert!(!is_subdivision(alt), "{alt}");
        assert!(is_subdivision(code), "{code}");
        assert_eq!(s(alt).codes, [code]);
    }
}

#[test]
fn iso3166_hand_tables_are_sorted_and_consistent() {
    for w in ALIASES.windows(2) {
        assert!(
            w[0].code < w[1].code,
            "ALIASES is not sorted at {}",
            w[1].code
        );
    }
    for a in &ALIASES {
        assert!(!is_country(a.code) && !is_subdivision(a.code), "{}", a.code);
        assert!(
            rust_iso3166::from_alpha3(a.code).is_none(),
            "{} is alpha-3",
            a.code
        );
        assert_eq!(a.code, a.code.to_ascii_uppercase());
        assert!(
            a.to.iter().all(|c| is_country(c) || is_subdivision(c)),
            "{}",
            a.code
        );
        assert_eq!(
            a.to.is_empty(),
            a.kind == SuggestionKind::NotARegion,
            "{}",
            a.code
        );
        assert_eq!(s(a.code).codes, a.to, "{}", a.code);
    }
    for w in NAMES.windows(2) {
        assert!(w[0].0 < w[1].0, "NAMES is not sorted at {}", w[1].0);
    }
    for (name, code) in &NAMES {
        assert_eq!(fold(name), *name, "{name} is not folded");
        assert!(
            is_country(code) || alias(code).is_some() || user_assigned(code).is_some(),
            "{name} → {code}"
        );
    }
    assert_eq!(FOLD_LATIN.len(), 0x250 - 0xC0);
    assert_eq!(FOLD_LATIN_ADDITIONAL.len(), 0x100);
    assert_eq!(fold("Côte d'Ivoire"), "COTEDIVOIRE");
    assert_eq!(
        fold("Åland Ærø Łódź ẞ Şəki Hà Nội"),
        "ALANDAROLODZSEKIHANOI"
    );
}

#[test]
fn iso3166_osa_distance() {
    assert_eq!(osa(b"", b""), 0);
    assert_eq!(osa(b"", b"ABC"), 3);
    assert_eq!(osa(b"ABC", b""), 3);
    assert_eq!(osa(b"CAL", b"CA"), 1);
    assert_eq!(osa(b"AC", b"CA"), 1);
    assert_eq!(osa(b"GERMNAY", b"GERMANY"), 1);
    assert_eq!(osa(b"KITTEN", b"SITTING"), 3);
    assert_eq!(osa(b"CA", b"ABC"), 3);
}
