//! Terminology files (the `T` rules): `locales/<tag>.terms.toml`, one per language, kept by
//! compliance staff.
//!
//! ```toml
//! [[term]]
//! when = ["separate consent", "separately"]   # phrases of the default locale's text
//! messages = ["separate-consent-title"]       # and/or message ids (optional)
//! use = ["单独同意", "单独"]                   # one of these must appear in the translation
//! avoid = ["数据保护官"]                       # never in any message of this language
//! note = "PIPL Art. 29, 39"                   # shown with every finding
//! ```
//!
//! T001: a default message contains a `when` phrase (whole words, any case) or is one of
//! `messages`, and the translation contains none of `use` (any case). T002: a message contains
//! an `avoid` term. T003: the file cannot be read. T004: a label that names a role, right,
//! legal basis, complaint authority, law (`regime-*`) or collection channel (`channel-*`) is
//! covered by no entry. An entry whose `when` is an acronym
//! (`GDPR`) also tells the parity check (P003) how the acronym is rendered (`RGPD`).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::ops::Range;

use toml::de::{DeTable, DeValue};

use super::text::is_han;
use super::{Analysed, Cx};
use crate::diagnostics::{Code, Diagnostic, SourceFile};

/// Suffix of a terminology file: `zh-CN.terms.toml`.
pub(crate) const TERMS_SUFFIX: &str = ".terms.toml";
/// Largest terminology file read, in bytes.
const MAX_TERMS_BYTES: usize = 256 * 1024;

/// One entry of a terminology file.
#[derive(Clone, Debug, Default)]
pub(crate) struct Term {
    pub when: Vec<String>,
    pub messages: Vec<String>,
    pub use_: Vec<String>,
    pub avoid: Vec<String>,
    pub note: Option<String>,
    /// Span of the entry (its `when` or first key) in the file, for notes.
    pub line: usize,
}

/// A read terminology file.
#[derive(Clone, Debug)]
pub(crate) struct Terms {
    /// The locale tag it is for (`zh-CN`).
    pub tag: String,
    pub path: String,
    pub entries: Vec<Term>,
}

impl Terms {
    /// Whether an entry renders the acronym `word` of the default text in this language, and
    /// whether `text` uses that rendering. `None`: no entry is about `word`.
    pub(crate) fn renders(&self, word: &str, text: &str) -> Option<bool> {
        let lower = text.to_lowercase();
        let mut about = false;
        for t in &self.entries {
            if t.when.iter().any(|w| w == word) {
                about = true;
                if t.use_.iter().any(|u| lower.contains(&u.to_lowercase())) {
                    return Some(true);
                }
            }
        }
        about.then_some(false)
    }
}

/// Reads every terminology file; problems are T003.
pub(crate) fn read_all(
    files: &[&SourceFile],
    tags: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Terms> {
    let mut out = Vec::new();
    for f in files {
        let name = f.file_name();
        let tag = &name[..name.len() - TERMS_SUFFIX.len()];
        let Ok(text) = core::str::from_utf8(&f.bytes) else {
            diags.push(
                Diagnostic::file_level(
                    Code::InvalidTermsFile,
                    f.path.as_str(),
                    format!("{name} is not valid UTF-8"),
                )
                .with_note("save the file with UTF-8 encoding"),
            );
            continue;
        };
        if f.bytes.len() > MAX_TERMS_BYTES {
            diags.push(Diagnostic::file_level(
                Code::InvalidTermsFile,
                f.path.as_str(),
                format!(
                    "{name} is {} bytes; at most {MAX_TERMS_BYTES} are read",
                    f.bytes.len()
                ),
            ));
            continue;
        }
        if !tags.iter().any(|t| t == tag) {
            diags.push(
                Diagnostic::file_level(
                    Code::InvalidTermsFile,
                    f.path.as_str(),
                    format!("{name} is for `{tag}`, which has no {tag}.ftl"),
                )
                .with_note(
                    "name terminology files after a locale file: zh-CN.ftl → zh-CN.terms.toml",
                ),
            );
            continue;
        }
        let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let body = &text[base..];
        let mut bad = |span: Range<usize>, message: String, note: &str| {
            let span = span.start + base..span.end + base;
            diags.push(
                Diagnostic::at(Code::InvalidTermsFile, f.path.as_str(), text, span, message)
                    .with_note(note),
            );
        };
        if let Some(at) = too_deep(body) {
            bad(
                at..at + 1,
                "tables or arrays nested too deeply for a terminology file".into(),
                "write [[term]] entries with arrays of strings",
            );
            continue;
        }
        let (root, errors) = DeTable::parse_recoverable(body);
        if !errors.is_empty() {
            for e in errors {
                bad(
                    e.span().unwrap_or(0..0),
                    format!("TOML syntax: {}", e.message().trim_end()),
                    "fix the syntax; the file is not used until then",
                );
            }
            continue;
        }
        let mut entries = Vec::new();
        let mut ok = true;
        for (k, v) in root.get_ref().iter() {
            let key = k.get_ref().as_ref();
            if key != "term" {
                bad(
                    k.span(),
                    format!("unknown key `{key}` in a terminology file"),
                    "entries are written [[term]] with when, messages, use, avoid and note",
                );
                ok = false;
                continue;
            }
            let DeValue::Array(items) = v.get_ref() else {
                bad(
                    v.span(),
                    "`term` must be a list of [[term]] tables".into(),
                    "write each entry as [[term]]",
                );
                ok = false;
                continue;
            };
            for item in items.iter() {
                let DeValue::Table(t) = item.get_ref() else {
                    bad(
                        item.span(),
                        "a term must be a table".into(),
                        "write each entry as [[term]]",
                    );
                    ok = false;
                    continue;
                };
                let mut term = Term {
                    line: crate::diagnostics::line_column(text, item.span().start + base).0,
                    ..Term::default()
                };
                for (k, v) in t.iter() {
                    let key = k.get_ref().as_ref();
                    let list =
                        |v: &toml::Spanned<DeValue<'_>>| -> Result<Vec<String>, Range<usize>> {
                            match v.get_ref() {
                                DeValue::String(s) => Ok(alloc::vec![s.to_string()]),
                                DeValue::Array(a) => a
                                    .iter()
                                    .map(|x| match x.get_ref() {
                                        DeValue::String(s) if !s.trim().is_empty() => {
                                            Ok(s.trim().to_string())
                                        }
                                        _ => Err(x.span()),
                                    })
                                    .collect(),
                                _ => Err(v.span()),
                            }
                        };
                    let slot = match key {
                        "when" => &mut term.when,
                        "messages" => &mut term.messages,
                        "use" => &mut term.use_,
                        "avoid" => &mut term.avoid,
                        "note" => {
                            match v.get_ref() {
                                DeValue::String(s) => term.note = Some(s.to_string()),
                                _ => {
                                    bad(
                                        v.span(),
                                        "`note` must be a string".into(),
                                        "note = \"PIPL Art. 52\"",
                                    );
                                    ok = false;
                                }
                            }
                            continue;
                        }
                        other => {
                            bad(
                                k.span(),
                                format!("unknown key `{other}` in a term"),
                                "a term has when, messages, use, avoid and note",
                            );
                            ok = false;
                            continue;
                        }
                    };
                    match list(v) {
                        Ok(l) => *slot = l,
                        Err(span) => {
                            bad(
                                span,
                                format!("`{key}` must be a list of non-empty strings"),
                                "e.g. use = [\"单独同意\", \"单独\"]",
                            );
                            ok = false;
                        }
                    }
                }
                let has_trigger = !term.when.is_empty() || !term.messages.is_empty();
                if has_trigger && term.use_.is_empty() {
                    bad(
                        item.span(),
                        "a term with `when` or `messages` needs `use`".into(),
                        "say which words the translation must use",
                    );
                    ok = false;
                    continue;
                }
                if !has_trigger && term.avoid.is_empty() {
                    bad(
                        item.span(),
                        "a term needs `when`/`messages` and `use`, or `avoid`".into(),
                        "see locales/README.md",
                    );
                    ok = false;
                    continue;
                }
                entries.push(term);
            }
        }
        // A file with a problem is not used, so that a half-read entry does not mislead.
        if ok {
            out.push(Terms {
                tag: tag.into(),
                path: f.path.clone(),
                entries,
            });
        }
    }
    out
}

/// Where brackets, braces or dotted keys first nest more than 8 deep (a terminology file
/// needs 2), so the TOML parser never recurses on hostile input.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_str: Option<u8> = None;
    let mut in_comment = false;
    let mut dots = 0usize;
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' {
            in_comment = false;
            dots = 0;
            if in_str == Some(b'"') || in_str == Some(b'\'') {
                in_str = None;
            }
            continue;
        }
        if in_comment {
            continue;
        }
        if let Some(q) = in_str {
            if c == q && (q == b'\'' || i == 0 || b[i - 1] != b'\\') {
                in_str = None;
            }
            continue;
        }
        match c {
            b'"' | b'\'' => in_str = Some(c),
            b'#' => in_comment = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'.' => dots += 1,
            _ => {}
        }
        if depth + dots > 8 {
            return Some(i);
        }
    }
    None
}

/// Whole-word, any-case search of `phrase` in `text` (substring for Han text).
pub(crate) fn contains_phrase(text: &str, phrase: &str) -> bool {
    find_phrase(text, phrase).is_some()
}

/// Byte range of the first whole-word, any-case match of `phrase` in `text`.
pub(crate) fn find_phrase(text: &str, phrase: &str) -> Option<Range<usize>> {
    if phrase.is_empty() {
        return None;
    }
    let lt = text.to_lowercase();
    let lp = phrase.to_lowercase();
    // Lower-casing can change lengths (rare); fall back to exact search then.
    let (hay, same) = if lt.len() == text.len() {
        (lt.as_str(), true)
    } else {
        (text, false)
    };
    let needle = if same { lp.as_str() } else { phrase };
    let mut from = 0;
    while let Some(pos) = hay[from..].find(needle) {
        let s = from + pos;
        let e = s + needle.len();
        let before = text[..s].chars().next_back();
        let after = text[e..].chars().next();
        let first = needle.chars().next().unwrap_or(' ');
        let last = needle.chars().next_back().unwrap_or(' ');
        let ok_before = is_han(first) || before.is_none_or(|c| !c.is_alphanumeric() || is_han(c));
        let ok_after = is_han(last) || after.is_none_or(|c| !c.is_alphanumeric() || is_han(c));
        if ok_before && ok_after {
            return Some(s..e);
        }
        from = s + needle.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Whether message `id` names a role, a right, a legal basis, a complaint authority, a law or
/// a collection channel: the labels whose words a terminology file should pin (T004). A law
/// named as another law (China's Data Security Law for the PIPL) or a channel named as one we
/// do not use changes what the notice says, in words no other rule can judge.
pub(crate) fn is_legal_label(id: &str) -> bool {
    matches!(
        id,
        "controller-heading" | "processors-label" | "third-parties-label" | "dpo-heading"
    ) || id.starts_with("right-")
        || id.starts_with("complaint-")
        || id.starts_with("channel-")
        || (id.starts_with("regime-") && !id.starts_with("regime-reason-") && id != "regime-label")
        || (id.starts_with("legal-basis-") && id != "legal-basis-label")
}

/// T004: the legal labels of a language with a terminology file that no entry covers, by id
/// or by a `when` phrase of the default text.
fn unpinned(t: &Terms, def: &Analysed<'_>, loc: &Analysed<'_>, diags: &mut Vec<Diagnostic>) {
    for dm in def.messages.iter().filter(|m| is_legal_label(&m.id)) {
        let covered = t.entries.iter().any(|e| {
            !e.use_.is_empty()
                && (e.messages.contains(&dm.id)
                    || e.when.iter().any(|w| contains_phrase(&dm.resolved.text, w)))
        });
        if covered {
            continue;
        }
        let Some(entry) = loc.locale.file.message(&dm.id) else {
            continue;
        };
        diags.push(
            loc.locale
                .file
                .diag(
                    Code::UnpinnedLegalLabel,
                    entry.span.clone(),
                    format!(
                        "`{}` names a role, right, legal basis or authority, but {} pins no term for it",
                        dm.id, t.path
                    ),
                )
                .with_note(format!(
                    "add [[term]] messages = [\"{}\"] with use = the law's own words in its official {} version, and a note citing it",
                    dm.id, t.tag
                )),
        );
    }
}

/// T001, T002 and T004 for every locale with a terminology file.
pub(crate) fn check(cx: &Cx<'_>, terms: &[Terms], diags: &mut Vec<Diagnostic>) {
    let Some(def) = cx.default() else { return };
    for t in terms {
        let Some(loc) = cx.locales.iter().find(|l| l.locale.tag.as_str() == t.tag) else {
            continue;
        };
        let is_default = core::ptr::eq(loc, def);
        if !is_default {
            unpinned(t, def, loc, diags);
        }
        for term in &t.entries {
            let cite = |d: Diagnostic, what: &str| -> Diagnostic {
                let mut note = format!("{what} ({}:{})", t.path, term.line);
                if let Some(n) = &term.note {
                    note = format!("{note}: {n}");
                }
                d.with_note(note)
            };
            // T001: where the default text has the concept.
            if !term.use_.is_empty() && !is_default {
                for dm in &def.messages {
                    let by_id = term.messages.contains(&dm.id);
                    let trigger = term
                        .when
                        .iter()
                        .find(|w| contains_phrase(&dm.resolved.text, w));
                    if !by_id && trigger.is_none() {
                        continue;
                    }
                    let Some(lm) = loc.message(&dm.id) else {
                        continue;
                    };
                    if term
                        .use_
                        .iter()
                        .any(|u| contains_substring(&lm.resolved.text, u))
                    {
                        continue;
                    }
                    let Some(entry) = loc.locale.file.message(&dm.id) else {
                        continue;
                    };
                    let why = match trigger {
                        Some(w) => format!("{} says \"{w}\"", def.locale.tag),
                        None => "the terminology file names this message".into(),
                    };
                    let d = loc.locale.file.diag(
                        Code::RequiredTermMissing,
                        entry.span.clone(),
                        format!("`{}` does not use {} ({why})", dm.id, quote_all(&term.use_)),
                    );
                    diags.push(cite(d, "required by"));
                }
            }
            // T002: avoided terms anywhere in the language.
            for avoid in &term.avoid {
                for m in &loc.messages {
                    if !contains_substring(&m.resolved.text, avoid) {
                        continue;
                    }
                    let Some(entry) = loc.locale.file.message(&m.id) else {
                        continue;
                    };
                    let at = locate_any_case(loc, &m.id, avoid).unwrap_or(entry.span.clone());
                    let instead = if term.use_.is_empty() {
                        String::new()
                    } else {
                        format!("; use {}", quote_all(&term.use_))
                    };
                    let d = loc.locale.file.diag(
                        Code::AvoidedTerm,
                        at,
                        format!("`{}` uses \"{avoid}\"{instead}", m.id),
                    );
                    diags.push(cite(d, "to avoid by"));
                }
            }
        }
    }
}

fn quote_all(v: &[String]) -> String {
    v.iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Any-case substring (terms are phrases: `encarregado` matches `Encarregado pelo`); a Latin
/// term starts at a word start (Arabic and Chinese words take prefixes: الموافقة).
fn contains_substring(text: &str, term: &str) -> bool {
    let lt = text.to_lowercase();
    let lp = term.to_lowercase();
    let mut from = 0;
    while let Some(pos) = lt[from..].find(&lp) {
        let s = from + pos;
        let before = lt[..s].chars().next_back();
        let first = lp.chars().next().unwrap_or(' ');
        let latin = first.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&first);
        if !latin || before.is_none_or(|c| !c.is_alphanumeric() || is_han(c)) {
            return true;
        }
        from = s + first.len_utf8();
    }
    false
}

fn locate_any_case(loc: &Analysed<'_>, id: &str, needle: &str) -> Option<Range<usize>> {
    loc.locate(id, needle).or_else(|| {
        let region = loc.region(id)?;
        let text = &loc.locale.file.text[region.clone()];
        find_phrase(text, needle).map(|r| r.start + region.start..r.end + region.start)
    })
}
