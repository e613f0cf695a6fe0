//! Facts in every language (`L005`, `L006`): `locales/<tag>.facts.toml`.
//!
//! `notice.toml` holds the facts once: the controller's name and address, the person who heads
//! it, the DPO, the representatives, the service providers, the other companies and the
//! recipients abroad. Each is written in the default locale's language. A facts file says how
//! one of them reads in another language, keyed by the text exactly as `notice.toml` has it:
//!
//! ```toml
//! # zh-CN.facts.toml
//! "Lumenwave Networks Co., Ltd." = "流明波网络有限公司"
//! "Example Chat Cloud Inc. (chat platform)" = "Example Chat Cloud Inc.（在线聊天平台）"
//! ```
//!
//! Keyed by the text, not by its place, so that a fact changed in `notice.toml` (a new address)
//! never keeps showing its old translation: the old key no longer names a fact (L005, an
//! error) and the new text is untranslated (L006 where the language has its own script). The
//! same text in several places (a company that is both a processor and a transfer recipient)
//! is translated once.
//!
//! The compiled bundle keeps the facts as `notice.toml` writes them (receipts record those,
//! in every language alike) and carries the translations beside them (`names`); the widget
//! shows [`crate::bundle::LocaleBundle::shown`].

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::ops::Range;

use toml::de::{DeTable, DeValue};

use super::checks::{Script, letters_outside_addresses};
use crate::diagnostics::{Code, Diagnostic, SourceFile};
use crate::notice::{Notice, Spans};

/// Suffix of a language's facts file: `zh-CN.facts.toml`.
pub(crate) const FACTS_SUFFIX: &str = ".facts.toml";
/// Largest facts file read, in bytes.
const MAX_FACTS_BYTES: usize = 256 * 1024;

/// One human-readable fact of `notice.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fact {
    /// Where it is, as a [`Spans`] path (`controller.name`, `purposes.<id>.processors`).
    pub path: String,
    /// What it is, for findings: "the controller's address".
    pub what: String,
    /// The text as written.
    pub text: String,
}

/// Every human-readable fact of `notice`, in file order (the same text may appear more than
/// once, in different places).
pub(crate) fn facts_of(n: &Notice) -> Vec<Fact> {
    let mut out = Vec::new();
    let mut push = |path: String, what: String, text: &str| {
        if !text.trim().is_empty() {
            out.push(Fact {
                path,
                what,
                text: text.into(),
            });
        }
    };
    let c = &n.controller;
    push(
        "controller.name".into(),
        "the controller's name".into(),
        &c.name,
    );
    push(
        "controller.address".into(),
        "the controller's address".into(),
        &c.address,
    );
    if let Some(h) = &c.head {
        push(
            "controller.head".into(),
            "who heads the controller".into(),
            h,
        );
    }
    if let Some(d) = &c.dpo {
        push("controller.dpo.name".into(), "the DPO".into(), &d.name);
    }
    for (key, rep) in c.representatives() {
        if let Some(r) = rep {
            let what = key.replace('_', " ");
            push(
                format!("controller.{key}.name"),
                format!("the {what}'s name"),
                &r.name,
            );
            push(
                format!("controller.{key}.address"),
                format!("the {what}'s address"),
                &r.address,
            );
        }
    }
    for p in &n.purposes {
        for name in &p.processors {
            push(
                format!("purposes.{}.processors", p.id),
                format!("a service provider of `{}`", p.id),
                name,
            );
        }
        for name in &p.third_parties {
            push(
                format!("purposes.{}.third_parties", p.id),
                format!("a company `{}` discloses to", p.id),
                name,
            );
        }
        for t in &p.transfers {
            if let Some(r) = &t.recipient {
                push(
                    format!("purposes.{}.transfers", p.id),
                    format!("a recipient abroad of `{}`", p.id),
                    r,
                );
            }
        }
    }
    out
}

/// A read facts file.
#[derive(Clone, Debug)]
pub(crate) struct Translations {
    /// The locale tag it is for (`zh-CN`).
    pub tag: String,
    pub path: String,
    /// The file's text (for findings).
    pub text: String,
    /// Fact as in `notice.toml` → as shown, with the byte spans of the key and the value.
    pub entries: Vec<Entry>,
}

/// One line of a facts file.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub fact: String,
    pub shown: String,
    pub key_span: Range<usize>,
    pub value_span: Range<usize>,
}

impl Translations {
    fn find(&self, fact: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.fact == fact)
    }
}

/// Reads every facts file; problems are L005. `tags` are the locales that have a `.ftl` file,
/// `default` the default locale (which shows `notice.toml`'s own words and has no facts file).
pub(crate) fn read_all(
    files: &[&SourceFile],
    tags: &[String],
    default: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Translations> {
    let mut out = Vec::new();
    for f in files {
        let name = f.file_name();
        let tag = &name[..name.len() - FACTS_SUFFIX.len()];
        let whole = |message: String, note: &str| {
            Diagnostic::file_level(Code::InvalidFactsFile, f.path.as_str(), message).with_note(note)
        };
        let Ok(text) = core::str::from_utf8(&f.bytes) else {
            diags.push(whole(
                format!("{name} is not valid UTF-8"),
                "save the file with UTF-8 encoding",
            ));
            continue;
        };
        if f.bytes.len() > MAX_FACTS_BYTES {
            diags.push(whole(
                format!(
                    "{name} is {} bytes; at most {MAX_FACTS_BYTES} are read",
                    f.bytes.len()
                ),
                "a notice's facts fit in a few kilobytes per language",
            ));
            continue;
        }
        if !tags.iter().any(|t| t == tag) {
            diags.push(whole(
                format!("{name} is for `{tag}`, which has no {tag}.ftl"),
                "name facts files after a locale file: zh-CN.ftl → zh-CN.facts.toml",
            ));
            continue;
        }
        if default == Some(tag) {
            diags.push(whole(
                format!(
                    "{name} is for the default locale `{tag}`, which shows notice.toml's own words"
                ),
                "change the facts in notice.toml itself, or remove this file",
            ));
            continue;
        }
        let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let body = &text[base..];
        let mut problems = Vec::new();
        let mut bad = |code: Code, span: Range<usize>, message: String, note: &str| {
            let span = span.start + base..span.end + base;
            problems
                .push(Diagnostic::at(code, f.path.as_str(), text, span, message).with_note(note));
        };
        if let Some(at) = super::meaning::terms::too_deep(body) {
            bad(
                Code::InvalidFactsFile,
                at..at + 1,
                "tables or arrays nested too deeply for a facts file".into(),
                "write one line per fact: \"as in notice.toml\" = \"as shown in this language\"",
            );
            diags.append(&mut problems);
            continue;
        }
        let (root, errors) = DeTable::parse_recoverable(body);
        if !errors.is_empty() {
            for e in errors {
                bad(
                    Code::InvalidFactsFile,
                    e.span().unwrap_or(0..0),
                    format!("TOML syntax: {}", e.message().trim_end()),
                    "fix the syntax; the file is not used until then",
                );
            }
            diags.append(&mut problems);
            continue;
        }
        let mut entries = Vec::new();
        for (k, v) in root.get_ref().iter() {
            let fact = k.get_ref().as_ref();
            match v.get_ref() {
                // The same plain-text rules as for notice.toml's own values.
                DeValue::String(s) if let Some((code, message)) = value_problem(fact, s) => {
                    bad(
                        code,
                        v.span(),
                        message,
                        "facts are plain text, shown as written",
                    );
                }
                DeValue::String(s) if !s.trim().is_empty() => entries.push(Entry {
                    fact: fact.to_string(),
                    shown: s.trim().to_string(),
                    key_span: k.span().start + base..k.span().end + base,
                    value_span: v.span().start + base..v.span().end + base,
                }),
                DeValue::String(_) => bad(
                    Code::InvalidFactsFile,
                    v.span(),
                    format!("the translation of `{fact}` is empty"),
                    "write how the fact reads in this language, or remove the line",
                ),
                _ => bad(
                    Code::InvalidFactsFile,
                    v.span(),
                    format!("the translation of `{fact}` must be a string"),
                    "write one line per fact: \"as in notice.toml\" = \"as shown in this language\"",
                ),
            }
        }
        // A file with a problem is not used, so that a half-read file does not mislead.
        if problems.is_empty() {
            out.push(Translations {
                tag: tag.into(),
                path: f.path.clone(),
                text: text.into(),
                entries,
            });
        } else {
            diags.append(&mut problems);
        }
    }
    out
}

/// Markup, invisible or direction-changing characters, line breaks or too many characters in
/// a translation: what notice.toml's own values may not have either (N008–N010).
fn value_problem(fact: &str, s: &str) -> Option<(Code, String)> {
    use crate::diagnostics::text::{TextProblem, text_problem};
    if s.chars().any(char::is_control) {
        return Some((
            Code::InvalidFactsFile,
            format!("the translation of `{fact}` contains line breaks or control characters"),
        ));
    }
    Some(match text_problem(s, crate::notice::MAX_VALUE_CHARS)? {
        TextProblem::Markup(m) => (
            Code::MarkupInValue,
            format!("the translation of `{fact}` contains HTML markup `{m}`"),
        ),
        TextProblem::Hidden(c) | TextProblem::Bidi(c) => (
            Code::HiddenCharacterInValue,
            format!(
                "the translation of `{fact}` contains the invisible character U+{:04X}",
                u32::from(c)
            ),
        ),
        TextProblem::TooLong(n) => (
            Code::ValueTooLong,
            format!(
                "the translation of `{fact}` is {n} characters long; at most {} are allowed",
                crate::notice::MAX_VALUE_CHARS
            ),
        ),
    })
}

/// Where `notice.toml` is, for findings about its facts.
pub(crate) struct NoticeFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub spans: &'a Spans,
}

/// L005 for lines that translate no fact of `notice` (stale or mistyped), L006 for facts a
/// locale with its own script would show without a letter of it. `complete`: every purpose
/// and the controller of `notice` were read (otherwise a line may translate a fact that could
/// not be read, and is not reported as stale).
pub(crate) fn check(
    notice: &Notice,
    complete: bool,
    file: &NoticeFile<'_>,
    locales: &[String],
    default: Option<&str>,
    translations: &[Translations],
    diags: &mut Vec<Diagnostic>,
) {
    let facts = facts_of(notice);
    if complete {
        for t in translations {
            for e in &t.entries {
                if facts.iter().any(|f| f.text == e.fact) {
                    continue;
                }
                let mut d = Diagnostic::at(
                    Code::InvalidFactsFile,
                    t.path.as_str(),
                    &t.text,
                    e.key_span.clone(),
                    format!("`{}` is no fact of notice.toml", e.fact),
                );
                d = match closest_fact(&e.fact, &facts) {
                    Some(f) => d.with_note(format!(
                        "did you mean `{}` ({})? The key must be the text exactly as notice.toml writes it",
                        f.text, f.what
                    )),
                    None => d.with_note(
                        "the key must be the text exactly as notice.toml writes it; if the fact changed there, translate the new text and remove this line",
                    ),
                };
                diags.push(d);
            }
        }
    }
    for tag in locales {
        if default == Some(tag.as_str()) {
            continue;
        }
        let language = tag.split('-').next().unwrap_or(tag);
        let Some(script) = Script::of(language) else {
            continue;
        };
        let mine = translations.iter().find(|t| &t.tag == tag);
        let mut seen: Vec<&str> = Vec::new();
        for f in &facts {
            if seen.contains(&f.text.as_str()) {
                continue;
            }
            seen.push(&f.text);
            let entry = mine.and_then(|t| t.find(&f.text));
            let shown = entry.map_or(f.text.as_str(), |e| e.shown.as_str());
            if script.appears_in(shown) || letters_outside_addresses(shown) < 3 {
                continue;
            }
            let message = format!(
                "{tag} would show {} (`{shown}`) with no {} letters",
                f.what,
                script.name()
            );
            let d = match (entry, mine) {
                (Some(e), Some(t)) => Diagnostic::at(
                    Code::FactInAnotherScript,
                    t.path.as_str(),
                    &t.text,
                    e.value_span.clone(),
                    message,
                )
                .with_note("write it as it reads in this language"),
                _ => Diagnostic::at(
                    Code::FactInAnotherScript,
                    file.path,
                    file.text,
                    file.spans.find(&f.path),
                    message,
                )
                .with_note(format!(
                    "add to {tag}{FACTS_SUFFIX}: \"{}\" = \"…\"",
                    f.text.replace('\\', "\\\\").replace('"', "\\\"")
                )),
            };
            diags.push(d);
        }
    }
}

/// What the L007 checks of a language need besides its facts file.
pub(crate) struct Language<'a> {
    /// The locale tag (`zh-CN`).
    pub tag: &'a str,
    /// The locale's own country labels (`country-XX` messages): code, name.
    pub countries: Vec<(String, String)>,
    /// Terms its terminology file says to avoid, each with a note for the finding.
    pub avoid: Vec<(String, String)>,
}

/// L007: every translation against its fact. `default` is the default locale's language
/// and country labels (the language notice.toml is written in).
pub(crate) fn check_translations(
    notice: &Notice,
    translations: &[Translations],
    default: &Language<'_>,
    languages: &[Language<'_>],
    diags: &mut Vec<Diagnostic>,
) {
    use super::meaning::names::{self, registered_names};
    use super::meaning::text::{CountryNames, Lang};
    use alloc::collections::BTreeMap;

    let facts = facts_of(notice);
    // Fact text → fact (the first place it is written), and registered name → fact.
    let mut by_text: BTreeMap<&str, &Fact> = BTreeMap::new();
    let mut by_name: BTreeMap<String, &Fact> = BTreeMap::new();
    for f in &facts {
        by_text.entry(f.text.as_str()).or_insert(f);
        for n in registered_names(&f.text).into_iter().filter(|n| n.latin) {
            by_name.entry(names::key(&n.text)).or_insert(f);
        }
    }
    let key_lang = Lang::of(default.tag.split('-').next().unwrap_or(default.tag));
    let key_countries = CountryNames::new(key_lang, &default.countries);
    for t in translations {
        let Some(language) = languages.iter().find(|l| l.tag == t.tag) else {
            continue;
        };
        let lang = Lang::of(t.tag.split('-').next().unwrap_or(&t.tag));
        let own_countries = CountryNames::new(lang, &language.countries);
        // Earlier entries: their translation (normalised) and their Han or Arabic names.
        let mut texts: BTreeMap<String, usize> = BTreeMap::new();
        let mut others: BTreeMap<String, usize> = BTreeMap::new();
        let companies: Vec<Vec<String>> = t
            .entries
            .iter()
            .map(|e| {
                registered_names(&e.fact)
                    .into_iter()
                    .filter(|n| n.latin)
                    .map(|n| names::key(&n.text))
                    .collect()
            })
            .collect();
        // Findings of this file (beyond MAX_FINDINGS, counted only: each finding's position
        // costs a pass over the file).
        let mut count = 0usize;
        for (i, e) in t.entries.iter().enumerate() {
            let Some(&fact) = by_text.get(e.fact.as_str()) else {
                continue; // L005
            };
            let line_of =
                |j: usize| crate::diagnostics::line_column(&t.text, t.entries[j].key_span.start).0;
            let mut report = |needle: Option<&str>, message: String, note: String| {
                count += 1;
                if count > MAX_FINDINGS {
                    return;
                }
                let at = needle
                    .and_then(|n| find_in(&t.text, e.value_span.clone(), n))
                    .unwrap_or(e.value_span.clone());
                diags.push(
                    Diagnostic::at(
                        Code::FactTranslationMismatch,
                        t.path.as_str(),
                        &t.text,
                        at,
                        message,
                    )
                    .with_note(note),
                );
            };
            let shown = e.shown.as_str();

            // Numbers and postcodes.
            let (want, got) = (numbers(&e.fact), numbers(shown));
            let (missing, extra) = multiset_diff(&want, &got);
            if !missing.is_empty() || !extra.is_empty() {
                let list = |v: &[&(String, String)]| {
                    v.iter()
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let message = match (missing.is_empty(), extra.is_empty()) {
                    (false, false) => format!(
                        "the translation of {} has {} where notice.toml has {}",
                        fact.what,
                        list(&extra),
                        list(&missing)
                    ),
                    (true, false) => format!(
                        "the translation of {} adds {}, which notice.toml does not have",
                        fact.what,
                        list(&extra)
                    ),
                    _ => format!(
                        "the translation of {} lacks {}, which notice.toml has",
                        fact.what,
                        list(&missing)
                    ),
                };
                report(
                    extra.first().map(|(_, w)| w.as_str()),
                    message,
                    format!("notice.toml: `{}`", e.fact),
                );
            }

            // Countries (when the fact names one; a company name may hold a country in
            // another language, `(Schweiz)`, that only its translation spells out).
            // Countries inside a registered name (`… UK Ltd.`) are the name's, checked with it.
            let blank = |s: &str| -> String {
                let mut out = String::from(s);
                for n in registered_names(s).iter().filter(|n| n.latin) {
                    out.replace_range(n.range.clone(), &" ".repeat(n.range.len()));
                }
                out
            };
            let (fact_text, shown_text) = (blank(&e.fact), blank(shown));
            // People (the head, the DPO) may bear a country's name (Chad, India, Jordan).
            let person = matches!(
                fact.path.as_str(),
                "controller.head" | "controller.dpo.name"
            );
            let want: Vec<String> = key_countries
                .find(&fact_text)
                .into_iter()
                .map(|x| x.1)
                .collect();
            if !want.is_empty() && !person {
                let mut found = own_countries.find(&shown_text);
                found.extend(key_countries.find(&shown_text));
                let extra: Vec<&(Range<usize>, String)> =
                    found.iter().filter(|(_, c)| !want.contains(c)).collect();
                let missing: Vec<&String> = want
                    .iter()
                    .filter(|c| !found.iter().any(|(_, x)| x == *c))
                    .collect();
                // Another country, or none at all (a fact naming several may be shown with
                // fewer where a name is ambiguous in the language: Georgia, 佐治亚).
                if !extra.is_empty() || missing.len() == want.len() {
                    let mut want_codes: Vec<&str> = want.iter().map(String::as_str).collect();
                    want_codes.sort_unstable();
                    want_codes.dedup();
                    let named: Vec<String> = extra
                        .iter()
                        .map(|(r, c)| format!("{} ({c})", &shown[r.clone()]))
                        .collect();
                    report(
                        extra.first().map(|(r, _)| &shown[r.clone()]),
                        if named.is_empty() {
                            format!(
                                "the translation of {} does not name {}, which notice.toml names",
                                fact.what,
                                want_codes.join(", ")
                            )
                        } else {
                            format!(
                                "the translation of {} names {}, but notice.toml names {}",
                                fact.what,
                                named.join(", "),
                                want_codes.join(", ")
                            )
                        },
                        format!("notice.toml: `{}`", e.fact),
                    );
                }
            }

            // Registered names: the fact's own, never another fact's.
            let names_here = registered_names(shown);
            for n in names_here.iter().filter(|n| n.latin) {
                if names::latin_in(&n.text, &e.fact) {
                    continue;
                }
                // The DPO or the head may be named with the controller they work for.
                if companies[i].is_empty() && names::latin_in(&n.text, &notice.controller.name) {
                    continue;
                }
                let whose = by_name
                    .get(&names::key(&n.text))
                    .filter(|f| f.text != e.fact);
                report(
                    Some(&n.text),
                    match whose {
                        Some(f) => format!(
                            "the translation of {} names {}, the registered name of {}",
                            fact.what, n.text, f.what
                        ),
                        None => format!(
                            "the translation of {} names {}, which is not in the fact",
                            fact.what, n.text
                        ),
                    },
                    format!(
                        "registered names are not translated; notice.toml: `{}`",
                        e.fact
                    ),
                );
                break;
            }
            for n in names_here.iter().filter(|n| !n.latin) {
                match others.get(&n.text) {
                    Some(&j)
                        if !companies[i].is_empty()
                            && !companies[j].is_empty()
                            && !companies[i].iter().any(|c| companies[j].contains(c)) =>
                    {
                        report(
                            Some(&n.text),
                            format!(
                                "the translation of {} names {}, which line {} gives to `{}`",
                                fact.what,
                                n.text,
                                line_of(j),
                                t.entries[j].fact
                            ),
                            format!(
                                "two companies cannot share one registered name; notice.toml: `{}`",
                                e.fact
                            ),
                        );
                    }
                    Some(_) => {}
                    None => {
                        others.insert(n.text.clone(), i);
                    }
                }
            }

            // Two facts, one translation.
            let norm = names::key(shown);
            match texts.get(&norm) {
                Some(&j) if t.entries[j].fact != e.fact => report(
                    None,
                    format!(
                        "the translation of {} reads the same as that of `{}` (line {})",
                        fact.what,
                        t.entries[j].fact,
                        line_of(j)
                    ),
                    "two different facts need two different translations".into(),
                ),
                Some(_) => {}
                None => {
                    texts.insert(norm, i);
                }
            }

            // Terms the language avoids.
            for (avoid, note) in &language.avoid {
                if let Some(r) = find_term(shown, avoid) {
                    report(
                        Some(&shown[r]),
                        format!("the translation of {} uses \"{avoid}\"", fact.what),
                        note.clone(),
                    );
                    break;
                }
            }
        }
        if count > MAX_FINDINGS {
            diags.push(
                Diagnostic::file_level(
                    Code::FactTranslationMismatch,
                    t.path.as_str(),
                    format!(
                        "{} more translations of {} do not match their facts",
                        count - MAX_FINDINGS,
                        t.tag
                    ),
                )
                .with_note("fix the ones above and run lint again"),
            );
        }
    }
}

/// Most L007 findings reported per facts file.
const MAX_FINDINGS: usize = 100;

/// Numbers in `s` (digits of any script, Chinese numerals before 号, 楼, 层 …), normalised
/// (ASCII digits, no leading zeros), each with the text as written.
fn numbers(s: &str) -> Vec<(String, String)> {
    use super::meaning::text::{digit_value, is_zh_numeral, zh_numeral};
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let (start, c) = chars[k];
        if digit_value(c).is_some() {
            let mut v = String::new();
            let mut j = k;
            while let Some(d) = chars.get(j).and_then(|x| digit_value(x.1)) {
                v.push(char::from(b'0' + d as u8));
                j += 1;
            }
            let end = chars.get(j).map_or(s.len(), |x| x.0);
            let trimmed = v.trim_start_matches('0');
            out.push((
                if trimmed.is_empty() {
                    "0".into()
                } else {
                    trimmed.into()
                },
                s[start..end].into(),
            ));
            k = j;
            continue;
        }
        if is_zh_numeral(c) {
            let mut j = k;
            while chars.get(j).is_some_and(|x| is_zh_numeral(x.1)) {
                j += 1;
            }
            let counter = chars
                .get(j)
                .is_some_and(|x| "号號楼樓层層室栋棟座幢弄".contains(x.1));
            let run: Vec<char> = chars[k..j].iter().map(|x| x.1).collect();
            if counter && let Some(v) = zh_numeral(&run) {
                let end = chars.get(j).map_or(s.len(), |x| x.0);
                out.push((v.to_string(), s[start..end].into()));
            }
            k = j;
            continue;
        }
        k += 1;
    }
    out
}

/// A number: normalised value, as written.
type Number = (String, String);

/// What `want` has and `got` lacks, and the other way round (as multisets, by value).
fn multiset_diff<'a>(want: &'a [Number], got: &'a [Number]) -> (Vec<&'a Number>, Vec<&'a Number>) {
    let mut used = alloc::vec![false; got.len()];
    let mut missing = Vec::new();
    for w in want {
        match (0..got.len()).find(|&j| !used[j] && got[j].0 == w.0) {
            Some(j) => used[j] = true,
            None => missing.push(w),
        }
    }
    let extra = got
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(g, _)| g)
        .collect();
    (missing, extra)
}

/// Where a term is in `text`, matched as T002 matches it: any case; a Latin term starts at a
/// word start (Arabic and Chinese words take prefixes).
fn find_term(text: &str, term: &str) -> Option<Range<usize>> {
    let lt = text.to_lowercase();
    let lp = term.to_lowercase();
    if lp.is_empty() || lt.len() != text.len() {
        return None;
    }
    let first = lp.chars().next()?;
    let latin = first.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&first);
    let mut from = 0;
    while let Some(pos) = lt[from..].find(&lp) {
        let s = from + pos;
        let before = lt[..s].chars().next_back();
        if !latin || before.is_none_or(|c| !c.is_alphanumeric() || super::meaning::text::is_han(c))
        {
            return Some(s..s + lp.len());
        }
        from = s + first.len_utf8();
    }
    None
}

/// The span of `needle` inside `span` of `text`, if it is written there as is.
fn find_in(text: &str, span: Range<usize>, needle: &str) -> Option<Range<usize>> {
    let hay = text.get(span.clone())?;
    let at = hay.find(needle)?;
    Some(span.start + at..span.start + at + needle.len())
}

/// The fact closest to a mistyped key: within a fifth of its length in edits.
fn closest_fact<'a>(key: &str, facts: &'a [Fact]) -> Option<&'a Fact> {
    let limit = (key.chars().count() / 5).max(2);
    facts
        .iter()
        .map(|f| (crate::notice::edit_distance(key, &f.text), f))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, f)| f)
}

/// The translations of `tag` that a bundle carries: fact → as shown, sorted by fact, only the
/// facts `notice` has and only where the words differ.
pub(crate) fn names_for(
    notice: &Notice,
    tag: &str,
    translations: &[Translations],
) -> Vec<(String, String)> {
    let Some(t) = translations.iter().find(|t| t.tag == tag) else {
        return Vec::new();
    };
    let facts = facts_of(notice);
    let mut out: Vec<(String, String)> = t
        .entries
        .iter()
        .filter(|e| e.shown != e.fact && facts.iter().any(|f| f.text == e.fact))
        .map(|e| (e.fact.clone(), e.shown.clone()))
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

#[cfg(test)]
mod tests;
