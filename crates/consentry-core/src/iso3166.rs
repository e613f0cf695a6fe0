//! Every valid region code, for linting `notice.toml`'s `[regions]` keys and
//! `[controller] country`, and a suggestion for the codes that are not valid.
//!
//! - [`is_country`]: the 249 officially assigned ISO 3166-1 alpha-2 codes (`DE`, `GB`), exact
//!   upper case.
//! - [`is_subdivision`]: every current ISO 3166-2 code (`US-CA`, `CN-GD`, `GB-ENG`, `FR-75C`),
//!   exactly as ISO writes it (upper case letters and digits, one hyphen).
//! - [`country_name`], [`subdivision_name`]: ISO's English short names for messages
//!   (`United Kingdom of Great Britain and Northern Ireland`, `Korea (Republic of)`,
//!   `Guangdong Sheng`, `California`).
//! - [`suggest`]: what an invalid code probably meant, and why ([`Suggestion`]).
//!
//! ## Data
//! The codes and names come from the [`rust_iso3166`] crate (Apache-2.0), whose 0.2.0 tables
//! were generated from Debian's `iso-codes` 4.20.1 (2026-01-01): 249 countries and 5,046
//! subdivisions, the same codes as `iso-codes`' own JSON of that release. Its lookups are
//! perfect-hash tables built at compile time, so nothing is allocated or sorted at run time.
//! The history of withdrawn subdivision codes (`CN-44` → `CN-GD`) is this crate's own generated
//! table, `iso3166/history.rs`, made by `scripts/iso3166_history.py` from three snapshots of
//! `iso-codes`; the tests check it against the current table. Aliases (`UK`, `EL`, `GER`…) and
//! common English names (`South Korea`) are small hand-written tables here, sorted for binary
//! search.
//!
//! Only the `compile` feature (the CLI's native lint and build) pulls any of this in: the
//! widget's wasm never contains it.
//!
//! ## `XK` and other user-assigned codes
//! `XK` (Kosovo, as used by the European Commission and many geolocation services) is not an
//! ISO 3166-1 code: it is in the user-assigned range (`AA`, `QM`–`QZ`, `XA`–`XZ`, `ZZ`) that
//! ISO will never give to a country. [`is_country`] is therefore `false` for it, and
//! [`suggest`] explains it with [`SuggestionKind::UserAssigned`] and no replacement code, so
//! that a lint can warn (the key only matches if the site's edge sends `XK`) rather than reject.
//!
//! ## Data currency
//! Norway de-merged Viken, Vestfold og Telemark and Troms og Finnmark on 2024-01-01; ISO 3166-2
//! (as carried by `iso-codes` 4.20.1) still lists `NO-30`, `NO-38` and `NO-54`, and so does this
//! module. Updating `rust_iso3166` updates the table; the tests pin its size so that such an
//! update is noticed and the history regenerated.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use rust_iso3166::iso3166_2::{self, Subdivision};
use rust_iso3166::iso3166_3::CountryCode3;

mod history;
#[cfg(test)]
mod tests;

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 code, exactly (`DE`; not `de`,
/// `UK`, `EU` or `XK`).
pub fn is_country(code: &str) -> bool {
    rust_iso3166::ALPHA2_MAP.contains_key(code)
}

/// Whether `code` is a current ISO 3166-2 subdivision code, exactly as ISO writes it (`US-CA`,
/// `CN-GD`, `GB-ENG`, `FR-75C`; not `us-ca`, `CN-44` or `DE-BER`).
pub fn is_subdivision(code: &str) -> bool {
    iso3166_2::SUBDIVISION_MAP.contains_key(code)
}

/// ISO's English short name of a country (`DE` → `Germany`), `None` if [`is_country`] is false.
pub fn country_name(code: &str) -> Option<&'static str> {
    rust_iso3166::from_alpha2(code).map(|c| c.name)
}

/// ISO's name of a subdivision, in the country's own language and romanisation (`US-CA` →
/// `California`, `CN-GD` → `Guangdong Sheng`, `DE-BY` → `Bayern`), `None` if
/// [`is_subdivision`] is false.
pub fn subdivision_name(code: &str) -> Option<&'static str> {
    iso3166_2::from_code(code).map(|s| s.name)
}

/// Every ISO 3166-1 alpha-2 code, sorted by the English short name.
pub fn countries() -> impl Iterator<Item = &'static str> {
    rust_iso3166::ALL.iter().map(|c| c.alpha2)
}

/// The ISO 3166-2 codes of one country (`US` → `US-AK`, `US-AL`, …); none for a country
/// without subdivisions or a code that is not a country.
pub fn subdivisions(country: &str) -> impl Iterator<Item = &'static str> {
    subdivisions_of(country).iter().map(|s| s.code)
}

/// What an invalid region code probably meant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The valid codes to use instead, best first: one for a plain fix (`UK` → `GB`), several
    /// when the code was split or the input is ambiguous (`GB-NTH` → `GB-NNH`, `GB-WNH`), none
    /// when no code replaces it (`EU`, `XK`, `US-XX`).
    pub codes: Vec<&'static str>,
    /// What kind of mistake it is.
    pub kind: SuggestionKind,
    /// One sentence for the diagnostic, naming the codes: `UK is not an ISO 3166-1 code (…): the
    /// United Kingdom is GB`.
    pub reason: String,
}

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// The kind of mistake a [`Suggestion`] corrects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuggestionKind {
    /// Only the letter case, spaces or the separator differ: `cn` → `CN`, `us_ca` → `US-CA`.
    Case,
    /// A common code that ISO does not assign, or reserves for something that has another code:
    /// `UK` → `GB`, `EL` → `GR`, `GER` → `DE`, `UK-SCT` → `GB-SCT`, `GB-UK` → `GB`, `IC` →
    /// `ES-CN`, `GB-CYM` → `GB-WLS`.
    Alias,
    /// Not a country or subdivision at all: `EU`, `EZ`, `UN`, `EEA`. No codes.
    NotARegion,
    /// A user-assigned code (`AA`, `QM`–`QZ`, `XA`–`XZ`, `ZZ`) such as `XK` for Kosovo: never an
    /// ISO 3166-1 country, but some systems send it. No codes.
    UserAssigned,
    /// An ISO 3166-1 alpha-3 code where alpha-2 is needed: `DEU` → `DE`, `USA-CA` → `US-CA`.
    Alpha3,
    /// An ISO 3166-1 numeric code: `276` → `DE`.
    Numeric,
    /// A country code deleted from ISO 3166-1 (ISO 3166-3): `BU` → `MM`, `YU` → `RS`, `ME`.
    FormerCountry,
    /// A name instead of a code: `Germany` → `DE`, `California` → `US-CA`.
    Name,
    /// A subdivision code withdrawn from ISO 3166-2, with its successors where known:
    /// `CN-44` → `CN-GD`.
    Withdrawn,
    /// A misspelling of a valid code or name: `US-CAL` → `US-CA`, `DE-BER` → `DE-BE`,
    /// `Germnay` → `DE`.
    Typo,
    /// The country is right but it has no such subdivision, and nothing close (`US-XX`). The
    /// country code itself is suggested only when the country has no subdivisions.
    UnknownSubdivision,
}

/// A suggestion for an invalid `code`; `None` if `code` is valid ([`is_country`] or
/// [`is_subdivision`]) or nothing plausible is known.
///
/// Tried in order, the first that fits wins:
/// 1. letter case, spaces and separators (`cn`, `us_ca`);
/// 2. a code-shaped country: aliases and reserved codes (`UK`, `EL`, `EU`, `GER`, `IC`),
///    user-assigned codes (`XK`), deleted countries (`BU`), alpha-3 (`DEU`) and numeric codes;
/// 3. a code-shaped subdivision: a wrong country part (`UK-SCT`, `USA-CA`), the whole country
///    written as a subdivision (`GB-UK`), ISO's alternative codes (`GB-CYM`), withdrawn codes
///    (`CN-44`), the start of a subdivision's name (`DE-BER` is Berlin, `US-CAL` California),
///    one edit within the same country (`US-AC`), else an unknown subdivision (`US-XX`);
/// 4. an English country or subdivision name (`Germany`, `South Korea`, `California`), or a
///    country code and a name (`US-California`);
/// 5. a misspelt country name (`Germnay`), and last a swapped pair of letters (`ED`).
pub fn suggest(code: &str) -> Option<Suggestion> {
    if is_country(code) || is_subdivision(code) {
        return None;
    }
    let text = code.trim();
    if text.is_empty() {
        return None;
    }
    let shape = Shape::of(text);
    if let Some(Shape::Code { country, sub }) = &shape {
        let canonical = match sub {
            Some(sub) => format!("{country}-{sub}"),
            None => country.clone(),
        };
        if let Some(valid) = valid_static(&canonical) {
            return Some(Suggestion {
                codes: alloc::vec![valid],
                kind: SuggestionKind::Case,
                reason: format!(
                    "`{code}` is not written as ISO writes it (upper case, no spaces, one \
                     hyphen before a subdivision): {}",
                    describe(valid)
                ),
            });
        }
        let found = match sub {
            None => for_country_code(text, country),
            Some(sub) => for_subdivision(text, country, Sub::Code(sub)),
        };
        if found.is_some() {
            return found;
        }
    }
    if let Some(found) = by_name(text) {
        return Some(found);
    }
    if let Some(Shape::CodeAndName { country, name }) = &shape
        && let Some(found) = for_subdivision(text, country, Sub::Name(name))
    {
        return Some(found);
    }
    by_fuzzy_name(text).or_else(|| match &shape {
        Some(Shape::Code { country, sub: None }) => swapped_letters(text, country),
        _ => None,
    })
}

/// The shapes of input that look like codes.
enum Shape<'a> {
    /// `de`, `deu`, `276`, `us-ca`, `US_CA`, `uk-sct`: upper-cased.
    Code {
        /// 2 or 3 letters, or 3 digits.
        country: String,
        /// 1 to 3 letters or digits.
        sub: Option<String>,
    },
    /// `US-California`, `DE Bayern`: a country code and a name.
    CodeAndName {
        /// 2 or 3 letters, upper-cased.
        country: String,
        /// The rest, trimmed.
        name: &'a str,
    },
}

impl<'a> Shape<'a> {
    fn of(text: &'a str) -> Option<Self> {
        let (head, rest) = match text.find(['-', '_', ' ']) {
            Some(i) => (text[..i].trim(), Some(text[i + 1..].trim())),
            None => (text, None),
        };
        let letters =
            (2..=3).contains(&head.len()) && head.bytes().all(|b| b.is_ascii_alphabetic());
        let numeric = rest.is_none() && head.len() == 3 && head.bytes().all(|b| b.is_ascii_digit());
        if !letters && !numeric {
            return None;
        }
        let country = head.to_ascii_uppercase();
        match rest {
            None => Some(Shape::Code { country, sub: None }),
            // `DE-`: a country with a stray separator.
            Some("") => Some(Shape::Code { country, sub: None }),
            Some(rest) if rest.len() <= 3 && rest.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                Some(Shape::Code {
                    country,
                    sub: Some(rest.to_ascii_uppercase()),
                })
            }
            Some(name) => Some(Shape::CodeAndName { country, name }),
        }
    }
}

/// The part after the country in a subdivision-shaped input.
enum Sub<'a> {
    /// `CA` in `US-CA`: upper-cased, 1 to 3 letters or digits.
    Code(&'a str),
    /// `California` in `US-California`.
    Name(&'a str),
}

/// A country-shaped input (`UK`, `EU`, `XK`, `BU`, `DEU`, `276`), upper-cased in `cc`.
fn for_country_code(text: &str, cc: &str) -> Option<Suggestion> {
    if let Some(alias) = alias(cc) {
        return Some(Suggestion {
            codes: alias.to.to_vec(),
            kind: alias.kind,
            reason: alias.why.into(),
        });
    }
    if let Some(found) = user_assigned(cc) {
        return Some(found);
    }
    if cc.len() == 2 {
        return former_country(text, cc);
    }
    if let Some(c) = rust_iso3166::from_alpha3(cc) {
        return Some(Suggestion {
            codes: alloc::vec![c.alpha2],
            kind: SuggestionKind::Alpha3,
            reason: format!(
                "`{text}` is the ISO 3166-1 alpha-3 code of {}; region codes use alpha-2: {}",
                c.name, c.alpha2
            ),
        });
    }
    rust_iso3166::from_numeric_str(cc).map(|c| Suggestion {
        codes: alloc::vec![c.alpha2],
        kind: SuggestionKind::Numeric,
        reason: format!(
            "`{text}` is the ISO 3166-1 numeric code of {}; region codes use alpha-2: {}",
            c.name, c.alpha2
        ),
    })
}

/// ISO 3166-1's user-assigned codes: `AA`, `QM`–`QZ`, `XA`–`XZ`, `ZZ`, and the alpha-3 codes
/// that start with one of them (`XKX`).
fn user_assigned(cc: &str) -> Option<Suggestion> {
    let assigned = match cc.as_bytes() {
        [b'A', b'A'] | [b'Z', b'Z'] | [b'A', b'A', _] | [b'Z', b'Z', _] => true,
        [b'Q', c] | [b'Q', c, _] => (b'M'..=b'Z').contains(c),
        [b'X', c] | [b'X', c, _] => c.is_ascii_uppercase(),
        _ => false,
    };
    if !assigned {
        return None;
    }
    let reason = if cc.starts_with("XK") {
        format!(
            "{cc} is not an ISO 3166-1 code: it is a user-assigned code that the European \
             Commission and many geolocation services use for Kosovo, which has no ISO code; \
             a region {cc} matches only where the site's edge sends it"
        )
    } else {
        format!(
            "{cc} is a user-assigned code, never an ISO 3166-1 country: it matches only where \
             the site's own systems send it"
        )
    };
    Some(Suggestion {
        codes: Vec::new(),
        kind: SuggestionKind::UserAssigned,
        reason,
    })
}

/// A two-letter code deleted from ISO 3166-1 (ISO 3166-3), with its current successors.
fn former_country(text: &str, cc: &str) -> Option<Suggestion> {
    let mut codes = Vec::new();
    let mut what = Vec::new();
    for former in rust_iso3166::iso3166_3::ALL
        .iter()
        .filter(|f| f.former.alpha2 == cc)
    {
        what.push(format!("{} ({})", former.name, former.desc));
        successors(former, &mut codes, 0);
    }
    if what.is_empty() {
        return None;
    }
    let use_ = if codes.is_empty() {
        String::from("no single code replaces it")
    } else {
        format!("use {}", describe_all(&codes))
    };
    Some(Suggestion {
        reason: format!(
            "`{text}` was deleted from ISO 3166-1: {}; {use_}",
            what.join("; ")
        ),
        codes,
        kind: SuggestionKind::FormerCountry,
    })
}

/// Adds the current codes that replaced `former`, following codes that were themselves deleted
/// later (`YU` → `CS`, Serbia and Montenegro, not the earlier Czechoslovakia → `RS`, `ME`).
fn successors(former: &CountryCode3, out: &mut Vec<&'static str>, depth: u8) {
    let ended = former.validity.last().copied().unwrap_or(0);
    for c in former.new_countries {
        if is_country(c.alpha2) {
            if !out.contains(&c.alpha2) {
                out.push(c.alpha2);
            }
        } else if depth < 3 {
            let later = rust_iso3166::iso3166_3::ALL.iter().filter(|f| {
                f.former.alpha2 == c.alpha2 && f.validity.first().is_some_and(|&y| y >= ended)
            });
            for next in later {
                successors(next, out, depth + 1);
            }
        }
    }
}

/// A country code fixed for use as a subdivision's prefix: `UK` → `GB`, `USA` → `US`.
struct CountryFix {
    code: &'static str,
    kind: SuggestionKind,
    /// Why, when the code changed: `UK is not … GB`.
    why: Option<String>,
}

fn fix_country(cc: &str) -> Option<CountryFix> {
    if let Some(c) = rust_iso3166::from_alpha2(cc) {
        return Some(CountryFix {
            code: c.alpha2,
            kind: SuggestionKind::Case,
            why: None,
        });
    }
    if let Some(alias) = alias(cc)
        && alias.to.len() == 1
        && is_country(alias.to[0])
    {
        return Some(CountryFix {
            code: alias.to[0],
            kind: SuggestionKind::Alias,
            why: Some(alias.why.into()),
        });
    }
    let c = rust_iso3166::from_alpha3(cc)?;
    Some(CountryFix {
        code: c.alpha2,
        kind: SuggestionKind::Alpha3,
        why: Some(format!(
            "{cc} is the alpha-3 code of {}; region codes use alpha-2: {}",
            c.name, c.alpha2
        )),
    })
}

/// A subdivision-shaped input: `cc` upper-cased, `sub` a code (upper-cased) or a name.
fn for_subdivision(text: &str, cc: &str, sub: Sub<'_>) -> Option<Suggestion> {
    let Some(fix) = fix_country(cc) else {
        // `EU-DE`, `XK-01`: what is wrong is the country part.
        return match sub {
            Sub::Code(_) => for_country_code(cc, cc).map(|mut s| {
                s.reason = format!("in `{text}`: {}", s.reason);
                s
            }),
            Sub::Name(_) => None,
        };
    };
    let country = fix.code;
    // What was wrong with the country part, if anything; `lead` always says something.
    let fixed = match &fix.why {
        Some(why) => format!("`{text}`: {why}; "),
        None => String::new(),
    };
    let lead = if fixed.is_empty() {
        format!("`{text}` is not an ISO 3166-2 code; ")
    } else {
        fixed.clone()
    };
    let sub = match sub {
        Sub::Code(sub) => sub,
        Sub::Name(name) => return subdivision_by_name(&lead, country, name),
    };
    let full = format!("{country}-{sub}");
    if let Some(valid) = valid_static(&full) {
        // Only the country part was wrong: `UK-SCT`, `USA-CA`.
        return Some(Suggestion {
            codes: alloc::vec![valid],
            kind: fix.kind,
            reason: format!("{lead}the subdivision is {}", describe(valid)),
        });
    }
    let whole_country = sub == country
        || alias(sub).is_some_and(|a| a.to == [country])
        || rust_iso3166::from_alpha3(sub).is_some_and(|c| c.alpha2 == country);
    if whole_country {
        // `GB-UK`, `GB-GB`, `US-USA`.
        return Some(Suggestion {
            codes: alloc::vec![country],
            kind: SuggestionKind::Alias,
            reason: format!(
                "{lead}{sub} is not a subdivision: the whole country is {}",
                describe(country)
            ),
        });
    }
    if let Ok(i) = history::ALTERNATE.binary_search_by(|(alt, _)| (*alt).cmp(&full)) {
        let to = valid_static(history::ALTERNATE[i].1)?;
        return Some(Suggestion {
            codes: alloc::vec![to],
            kind: SuggestionKind::Alias,
            reason: format!(
                "{fixed}ISO lists {full} only as an alternative beside {}",
                describe(to)
            ),
        });
    }
    if let Ok(i) = history::WITHDRAWN.binary_search_by(|(old, _, _)| (*old).cmp(&full)) {
        let (old, name, to) = history::WITHDRAWN[i];
        let codes: Vec<&'static str> = to.iter().filter_map(|c| valid_static(c)).collect();
        let now = if codes.is_empty() {
            String::from("no single code replaces it")
        } else {
            format!("it is now {}", describe_all(&codes))
        };
        return Some(Suggestion {
            codes,
            kind: SuggestionKind::Withdrawn,
            reason: format!("{fixed}{old} ({name}) was withdrawn from ISO 3166-2: {now}"),
        });
    }
    let all = subdivisions_of(country);
    if all.is_empty() {
        return Some(Suggestion {
            codes: alloc::vec![country],
            kind: SuggestionKind::UnknownSubdivision,
            reason: format!(
                "{lead}{} has no ISO 3166-2 subdivisions: use {country}",
                country_name(country).unwrap_or(country)
            ),
        });
    }
    // `DE-BER` → Berlin, `US-CAL` → California: the start of a name.
    if sub.len() >= 3 {
        let key = fold(sub);
        let named: Vec<&'static str> = all
            .iter()
            .filter(|s| fold(s.name).starts_with(&key))
            .map(|s| s.code)
            .collect();
        if (1..=MAX_GUESSES).contains(&named.len()) {
            return Some(typo(&lead, named));
        }
    }
    // One edit away: `US-AC` → `US-CA`, `GB-EGN` → `GB-ENG` (but `US-XX` is not `US-TX`).
    let close: Vec<&'static str> = nearest(sub, all.iter().map(|s| (s.code, &s.code[3..])));
    if !close.is_empty() {
        return Some(typo(&lead, close));
    }
    Some(Suggestion {
        codes: Vec::new(),
        kind: SuggestionKind::UnknownSubdivision,
        reason: format!(
            "{lead}{sub} is not among the {} ISO 3166-2 subdivisions of {}, {} to {}; for the \
             whole country use {country}",
            all.len(),
            describe(country),
            all.iter().map(|s| s.code).min().unwrap_or(country),
            all.iter().map(|s| s.code).max().unwrap_or(country),
        ),
    })
}

/// At most this many codes are guessed from a misspelling; more means no good guess.
const MAX_GUESSES: usize = 3;

fn typo(lead: &str, codes: Vec<&'static str>) -> Suggestion {
    Suggestion {
        reason: format!("{lead}did you mean {}?", describe_all(&codes)),
        codes,
        kind: SuggestionKind::Typo,
    }
}

/// `US-California`, `DE Bayern`: a subdivision's name after a valid country code.
fn subdivision_by_name(lead: &str, country: &'static str, name: &str) -> Option<Suggestion> {
    let key = fold(name);
    if key.len() < 3 {
        return None;
    }
    let all = subdivisions_of(country);
    let exact: Vec<&'static str> = all
        .iter()
        .filter(|s| fold(s.name) == key)
        .map(|s| s.code)
        .collect();
    let found = if exact.is_empty() {
        all.iter()
            .filter(|s| fold(s.name).starts_with(&key))
            .map(|s| s.code)
            .collect()
    } else {
        exact
    };
    if !(1..=MAX_GUESSES).contains(&found.len()) {
        return None;
    }
    Some(Suggestion {
        reason: format!(
            "{lead}a subdivision is written as its code: {}",
            describe_all(&found)
        ),
        codes: found,
        kind: SuggestionKind::Name,
    })
}

/// A country or subdivision name in English (`Germany`, `South Korea`, `the Netherlands`,
/// `California`): exact, ignoring case, accents and punctuation.
fn by_name(text: &str) -> Option<Suggestion> {
    let key = name_key(text);
    if key.len() < 3 {
        return None;
    }
    if let Ok(i) = NAMES.binary_search_by(|(name, _)| (*name).cmp(key.as_str())) {
        let to = NAMES[i].1;
        return match valid_static(to) {
            Some(code) => Some(named(text, alloc::vec![code])),
            // `Kosovo`, `European Union`: explained by the code's own suggestion.
            None => for_country_code(to, to).map(|mut s| {
                s.reason = format!("`{text}`: {}", s.reason);
                s
            }),
        };
    }
    let mut codes: Vec<&'static str> = rust_iso3166::ALL
        .iter()
        .filter(|c| fold(c.name) == key)
        .map(|c| c.alpha2)
        .collect();
    if codes.is_empty() {
        // `Bolivia` for `Bolivia (Plurinational State of)`, `Korea` for both Koreas.
        codes.extend(
            rust_iso3166::ALL
                .iter()
                .filter(|c| fold(short(c.name)) == key)
                .map(|c| c.alpha2),
        );
    }
    // `California`, `Scotland`; `Georgia` is also US-GA, `Luxembourg` also a Belgian province.
    let mut subs: Vec<&'static str> = iso3166_2::SUBDIVISION_MAP
        .values()
        .filter(|s| fold(s.name) == key)
        .map(|s| s.code)
        .collect();
    subs.sort_unstable();
    subs.truncate(5);
    codes.extend(subs);
    if codes.is_empty() {
        return None;
    }
    Some(named(text, codes))
}

fn named(text: &str, codes: Vec<&'static str>) -> Suggestion {
    Suggestion {
        reason: format!("`{text}` is a name, not a code: {}", describe_all(&codes)),
        codes,
        kind: SuggestionKind::Name,
    }
}

/// A misspelt country name (`Germnay`, `Swizerland`): one edit away, two from long names.
fn by_fuzzy_name(text: &str) -> Option<Suggestion> {
    let key = name_key(text);
    if key.len() < 4 || !key.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let limit = if key.len() >= 8 { 2 } else { 1 };
    let mut best = limit + 1;
    let mut codes: Vec<&'static str> = Vec::new();
    let names = rust_iso3166::ALL
        .iter()
        .flat_map(|c| [(fold(c.name), c.alpha2), (fold(short(c.name)), c.alpha2)])
        .chain(NAMES.iter().map(|(n, c)| (String::from(*n), *c)));
    for (name, code) in names {
        let Some(code) = valid_static(code) else {
            continue;
        };
        let d = osa(key.as_bytes(), name.as_bytes());
        if d < best {
            best = d;
            codes.clear();
        }
        if d == best && !codes.contains(&code) {
            codes.push(code);
        }
    }
    if codes.is_empty() || codes.len() > MAX_GUESSES {
        return None;
    }
    Some(typo(&format!("`{text}` is not a region code; "), codes))
}

/// `ED` → `DE`: the only edit of a two-letter code worth guessing.
fn swapped_letters(text: &str, cc: &str) -> Option<Suggestion> {
    let b = cc.as_bytes();
    if b.len() != 2 {
        return None;
    }
    let swapped = [b[1], b[0]];
    let code = valid_static(core::str::from_utf8(&swapped).ok()?)?;
    Some(typo(
        &format!("`{text}` is not an ISO 3166-1 code; "),
        alloc::vec![code],
    ))
}

/// The codes whose `part` is one edit (insertion, deletion, substitution or swap of neighbours)
/// from `input`, in the best of three tiers: swapped neighbours (`EGN` → `ENG`), then a letter
/// added or dropped at the end (`CAL` → `CA`), then any other edit; none if that tier has more
/// than [`MAX_GUESSES`]. Any other edit of a one- or two-character code is no guess.
fn nearest<'a>(
    input: &str,
    candidates: impl Iterator<Item = (&'static str, &'a str)>,
) -> Vec<&'static str> {
    let a = input.as_bytes();
    let mut tiers: [Vec<&'static str>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for (code, part) in candidates {
        let b = part.as_bytes();
        if osa(a, b) != 1 {
            continue;
        }
        let swapped = a.len() == b.len() && {
            let (mut x, mut y) = (a.to_vec(), b.to_vec());
            x.sort_unstable();
            y.sort_unstable();
            x == y
        };
        let tier = if swapped {
            0
        } else if input.starts_with(part) || part.starts_with(input) {
            1
        } else if a.len() < 2 || (a.len() == 2 && b.len() == 2) {
            // `FR-A` is not `FR-2A`; `US-XX` is not `US-TX`.
            continue;
        } else {
            2
        };
        tiers[tier].push(code);
    }
    let best = tiers
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    if best.len() > MAX_GUESSES {
        return Vec::new();
    }
    best
}

/// Optimal string alignment distance: Levenshtein plus swaps of neighbours.
fn osa(a: &[u8], b: &[u8]) -> usize {
    let (n, m) = (a.len(), b.len());
    // Three rows: i - 2, i - 1, i.
    let mut rows = [
        alloc::vec![0usize; m + 1],
        (0..=m).collect::<Vec<_>>(),
        alloc::vec![0usize; m + 1],
    ];
    for i in 1..=n {
        rows[2][0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[1][j] + 1)
                .min(rows[2][j - 1] + 1)
                .min(rows[1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[0][j - 2] + 1);
            }
            rows[2][j] = d;
        }
        rows.rotate_left(1);
    }
    rows[1][m]
}

/// The current code equal to `code`, as a `&'static str`.
fn valid_static(code: &str) -> Option<&'static str> {
    rust_iso3166::from_alpha2(code)
        .map(|c| c.alpha2)
        .or_else(|| iso3166_2::from_code(code).map(|s| s.code))
}

fn subdivisions_of(country: &str) -> &'static [Subdivision] {
    iso3166_2::SUBDIVISION_COUNTRY_MAP
        .get(country)
        .copied()
        .unwrap_or(&[])
}

/// `DE (Germany)`, `CN-GD (Guangdong Sheng)`.
fn describe(code: &str) -> String {
    match country_name(code).or_else(|| subdivision_name(code)) {
        Some(name) => format!("{code} ({name})"),
        None => String::from(code),
    }
}

/// `A`, `A or B`, `A, B or C`.
fn describe_all(codes: &[&str]) -> String {
    let mut out = String::new();
    for (i, code) in codes.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == codes.len() { " or " } else { ", " });
        }
        out.push_str(&describe(code));
    }
    out
}

/// A name before its parenthesis: `Bolivia (Plurinational State of)` → `Bolivia`.
fn short(name: &str) -> &str {
    name.split(" (").next().unwrap_or(name).trim_end()
}

/// [`fold`] of a typed name, without a leading `the`.
fn name_key(text: &str) -> String {
    let t = text.trim();
    let t = match t.get(..4) {
        Some(the) if the.eq_ignore_ascii_case("the ") => &t[4..],
        _ => t,
    };
    fold(t)
}

/// Upper-case ASCII letters and digits only, accents removed (`Côte d'Ivoire` →
/// `COTEDIVOIRE`, `Thüringen` → `THURINGEN`); other characters are dropped.
fn fold(s: &str) -> String {
    s.chars().filter_map(fold_char).collect()
}

fn fold_char(c: char) -> Option<char> {
    if c.is_ascii_alphanumeric() {
        return Some(c.to_ascii_uppercase());
    }
    let base = match u32::from(c) {
        cp @ 0xC0..=0x24F => FOLD_LATIN.as_bytes()[(cp - 0xC0) as usize],
        cp @ 0x1E00..=0x1EFF => FOLD_LATIN_ADDITIONAL.as_bytes()[(cp - 0x1E00) as usize],
        0x259 => b'E', // ə
        _ => b'.',
    };
    (base != b'.').then_some(char::from(base))
}

/// The base letter of U+00C0..=U+024F (Latin-1 Supplement letters, Latin Extended-A and -B),
/// `.` for none; from Unicode's compatibility decomposition, plus `Æ` → `A`, `Ø` → `O`,
/// `Ł` → `L`, `ß` → `S` and similar.
const FOLD_LATIN: &str = "AAAAAAACEEEEIIIIDNOOOOO.OUUUUYTSAAAAAAACEEEEIIIIDNOOOOO.OUUUUYTY\
AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIIIIIJJKKKLLLLLLLLLLNNNNNNNNNOOOOOOOORRRRRRSSSS\
SSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZSBB........D....E.FF.....KK......OO.............UU..YY.......\
........DDDLLLNNNAAIIOOUUUUUUUUUUEAAAA....GGKKOOOO..JDDDGG..NNAA....AAAAEEEEIIIIOOOORRRRUUUUSS\
TT..HH......AAEEOOOOOOOOYY............................";

/// The base letter of U+1E00..=U+1EFF (Latin Extended Additional: Vietnamese, `Ḩ`, `ẕ`), `.`
/// for none.
const FOLD_LATIN_ADDITIONAL: &str = "AABBBBBBCCDDDDDDDDDDEEEEEEEEEEFFGGHHHHHHHHHHIIIIKKKKKKLLLLLL\
LLMMMMMMNNNNNNNNOOOOOOOOPPPPRRRRRRRRSSSSSSSSSSTTTTTTTTUUUUUUUUUUVVVVWWWWWWWWWWXXXXYYZZZZZZHTWYAS\
....AAAAAAAAAAAAAAAAAAAAAAAAEEEEEEEEEEEEEEEEIIIIOOOOOOOOOOOOOOOOOOOOOOOOUUUUUUUUUUUUUUYYYYYYYY\
......";

/// A code that people write for a region but ISO does not assign to it.
struct Alias {
    /// The code as written, upper case.
    code: &'static str,
    /// The valid codes to use; none for [`SuggestionKind::NotARegion`].
    to: &'static [&'static str],
    kind: SuggestionKind,
    /// The whole reason, naming `to`.
    why: &'static str,
}

const fn alias_of(
    code: &'static str,
    to: &'static [&'static str],
    kind: SuggestionKind,
    why: &'static str,
) -> Alias {
    Alias {
        code,
        to,
        kind,
        why,
    }
}

fn alias(code: &str) -> Option<&'static Alias> {
    ALIASES
        .binary_search_by(|a| a.code.cmp(code))
        .ok()
        .map(|i| &ALIASES[i])
}

use SuggestionKind::{Alias as A, NotARegion as N};

/// Codes people use that are not ISO 3166-1 codes of the place they mean: ISO's exceptionally
/// reserved codes, the EU's `EL`, sports (IOC) codes and abbreviations. Sorted by code.
static ALIASES: [Alias; 31] = [
    alias_of(
        "AC",
        &["SH-AC"],
        A,
        "AC is reserved in ISO 3166-1 for Ascension Island, which is SH-AC, a subdivision of \
         Saint Helena (SH)",
    ),
    alias_of(
        "BUL",
        &["BG"],
        A,
        "BUL is Bulgaria's sports (IOC) code, not an ISO 3166-1 code: Bulgaria is BG",
    ),
    alias_of(
        "CP",
        &["FR-CP"],
        A,
        "CP is reserved in ISO 3166-1 for Clipperton Island, which is FR-CP, a subdivision of \
         France",
    ),
    alias_of(
        "CRO",
        &["HR"],
        A,
        "CRO is Croatia's sports (IOC) code, not an ISO 3166-1 code: Croatia is HR",
    ),
    alias_of(
        "DEN",
        &["DK"],
        A,
        "DEN is Denmark's sports (IOC) code, not an ISO 3166-1 code: Denmark is DK",
    ),
    alias_of(
        "DG",
        &["IO"],
        A,
        "DG is reserved in ISO 3166-1 for Diego Garcia, part of the British Indian Ocean \
         Territory: IO",
    ),
    alias_of(
        "DRC",
        &["CD"],
        A,
        "DRC is an abbreviation, not an ISO 3166-1 code: the Democratic Republic of the Congo \
         is CD",
    ),
    alias_of(
        "EA",
        &["ES-CE", "ES-ML"],
        A,
        "EA is reserved in ISO 3166-1 for Ceuta and Melilla, which are ES-CE and ES-ML, \
         subdivisions of Spain",
    ),
    alias_of(
        "EEA",
        &[],
        N,
        "the EEA is not a country: list its member states, or leave them to the built-in \
         table, which applies the GDPR to every EEA country",
    ),
    alias_of(
        "EL",
        &["GR"],
        A,
        "EL is the European Union's abbreviation for Greece, not an ISO 3166-1 code: Greece \
         is GR",
    ),
    alias_of(
        "ENG",
        &["GB-ENG"],
        A,
        "ENG is not a country code: England is GB-ENG, a subdivision of the United Kingdom",
    ),
    alias_of(
        "EU",
        &[],
        N,
        "EU is not a country (ISO 3166-1 reserves it for the European Union): list the member \
         states, or leave them to the built-in table, which applies the GDPR to every EEA \
         country",
    ),
    alias_of(
        "EZ",
        &[],
        N,
        "EZ is reserved in ISO 3166-1 for the eurozone, not a country: list the member states",
    ),
    alias_of(
        "FX",
        &["FR"],
        A,
        "FX (metropolitan France) was deleted from ISO 3166-1: France is FR",
    ),
    alias_of(
        "GER",
        &["DE"],
        A,
        "GER is Germany's sports (IOC) code, not an ISO 3166-1 code: Germany is DE",
    ),
    alias_of(
        "GRE",
        &["GR"],
        A,
        "GRE is Greece's sports (IOC) code, not an ISO 3166-1 code: Greece is GR",
    ),
    alias_of(
        "IC",
        &["ES-CN"],
        A,
        "IC is reserved in ISO 3166-1 for the Canary Islands, which are ES-CN, a subdivision \
         of Spain",
    ),
    alias_of(
        "KSA",
        &["SA"],
        A,
        "KSA is an abbreviation, not an ISO 3166-1 code: Saudi Arabia is SA",
    ),
    alias_of(
        "LAT",
        &["LV"],
        A,
        "LAT is Latvia's sports (IOC) code, not an ISO 3166-1 code: Latvia is LV",
    ),
    alias_of(
        "NED",
        &["NL"],
        A,
        "NED is the Netherlands' sports (IOC) code, not an ISO 3166-1 code: the Netherlands \
         is NL",
    ),
    alias_of(
        "NIR",
        &["GB-NIR"],
        A,
        "NIR is not a country code: Northern Ireland is GB-NIR, a subdivision of the United \
         Kingdom",
    ),
    alias_of(
        "POR",
        &["PT"],
        A,
        "POR is Portugal's sports (IOC) code, not an ISO 3166-1 code: Portugal is PT",
    ),
    alias_of(
        "RSA",
        &["ZA"],
        A,
        "RSA is South Africa's sports (IOC) code, not an ISO 3166-1 code: South Africa is ZA",
    ),
    alias_of(
        "SCO",
        &["GB-SCT"],
        A,
        "SCO is not a country code: Scotland is GB-SCT, a subdivision of the United Kingdom",
    ),
    alias_of(
        "SLO",
        &["SI"],
        A,
        "SLO is Slovenia's sports (IOC) code, not an ISO 3166-1 code: Slovenia is SI",
    ),
    alias_of(
        "SUI",
        &["CH"],
        A,
        "SUI is Switzerland's sports (IOC) code, not an ISO 3166-1 code: Switzerland is CH",
    ),
    alias_of(
        "TA",
        &["SH-TA"],
        A,
        "TA is reserved in ISO 3166-1 for Tristan da Cunha, which is SH-TA, a subdivision of \
         Saint Helena (SH)",
    ),
    alias_of(
        "UAE",
        &["AE"],
        A,
        "UAE is an abbreviation, not an ISO 3166-1 code: the United Arab Emirates is AE",
    ),
    alias_of(
        "UK",
        &["GB"],
        A,
        "UK is not an ISO 3166-1 code (ISO reserves it at the United Kingdom's request): the \
         United Kingdom is GB",
    ),
    alias_of(
        "UN",
        &[],
        N,
        "UN is reserved in ISO 3166-1 for the United Nations, not a country",
    ),
    alias_of(
        "WAL",
        &["GB-WLS"],
        A,
        "WAL is not a country code: Wales is GB-WLS, a subdivision of the United Kingdom",
    ),
];

/// English names that are not ISO's short name (nor its part before a parenthesis), folded as
/// [`fold`] does, with the code they mean. Sorted by name. A code that is not valid (`EU`, `XK`)
/// is explained by its own suggestion.
static NAMES: [(&str, &str); 37] = [
    ("AMERICA", "US"),
    ("BOSNIA", "BA"),
    ("BRITAIN", "GB"),
    ("BRITISHVIRGINISLANDS", "VG"),
    ("BRUNEI", "BN"),
    ("BURMA", "MM"),
    ("CAPEVERDE", "CV"),
    ("CONGOBRAZZAVILLE", "CG"),
    ("CONGOKINSHASA", "CD"),
    ("CZECHREPUBLIC", "CZ"),
    ("DEMOCRATICREPUBLICOFTHECONGO", "CD"),
    ("DRCONGO", "CD"),
    ("EASTTIMOR", "TL"),
    ("EUROPE", "EU"),
    ("EUROPEANECONOMICAREA", "EEA"),
    ("EUROPEANUNION", "EU"),
    ("FALKLANDS", "FK"),
    ("GREATBRITAIN", "GB"),
    ("HOLLAND", "NL"),
    ("IVORYCOAST", "CI"),
    ("KOSOVO", "XK"),
    ("LAOS", "LA"),
    ("MACAU", "MO"),
    ("MACEDONIA", "MK"),
    ("NORTHKOREA", "KP"),
    ("REPUBLICOFTHECONGO", "CG"),
    ("RUSSIA", "RU"),
    ("SOUTHKOREA", "KR"),
    ("SWAZILAND", "SZ"),
    ("SYRIA", "SY"),
    ("TURKEY", "TR"),
    ("UNITEDKINGDOM", "GB"),
    ("UNITEDSTATES", "US"),
    ("USVIRGINISLANDS", "VI"),
    ("VATICAN", "VA"),
    ("VATICANCITY", "VA"),
    ("VIETNAM", "VN"),
];
