//! Checks across files: every locale has the messages it needs (M001), no more than the default
//! locale (M002), and messages named after purposes and links that exist (M003, M005).

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::ftl::{FtlFile, Piece};
use super::rules::Needed;
use crate::bundle::{Rich, Span};
use crate::diagnostics::text::{TextProblem, text_problem_at};
use crate::diagnostics::{Code, Diagnostic};
use crate::ids::LocaleTag;
use crate::notice::NoticeFacts;

/// One locale file with a valid name.
pub(crate) struct Locale {
    pub tag: LocaleTag,
    pub file: FtlFile,
    /// Consentry's built-in interface text for its language, if there is one
    /// ([`super::interface`]): it supplies the interface messages the file does not define.
    pub interface: Option<FtlFile>,
}

impl Locale {
    /// Whether message `id` is there: in the file, or built in for this language.
    pub fn has(&self, id: &str) -> bool {
        self.file.message(id).is_some()
            || (super::interface::covers(id)
                && self
                    .interface
                    .as_ref()
                    .is_some_and(|i| i.message(id).is_some()))
    }
}

/// Runs the cross-file message checks.
pub(crate) fn check_messages(
    facts: &NoticeFacts,
    by_regimes: &[Needed],
    locales: &[Locale],
    default: Option<&Locale>,
    diags: &mut Vec<Diagnostic>,
) {
    let links: Vec<String> = facts.links.iter().map(|(n, _)| n.clone()).collect();
    // A mailto: link needs no label message: without one it shows its address.
    let labelled: Vec<String> = facts
        .links
        .iter()
        .filter(|(_, url)| super::resolve::mailto_address(url).is_none())
        .map(|(n, _)| n.clone())
        .collect();
    let mut required: Vec<(String, String, Code)> =
        crate::notice::required_messages(&facts.purposes, &labelled, &facts.bases, &facts.labels)
            .into_iter()
            .map(|(id, why)| (id, why, Code::MissingMessage))
            .collect();
    for n in by_regimes {
        if !required.iter().any(|(id, _, _)| *id == n.id) {
            required.push((n.id.clone(), n.reason.clone(), n.code));
        }
    }
    for locale in locales {
        let file = &locale.file;
        let is_default = default.is_some_and(|d| d.tag == locale.tag);
        let mut flagged = BTreeSet::new();

        // M003 / M005: messages named after purposes or links that do not exist.
        for m in &file.messages {
            let purpose_part =
                m.id.strip_prefix("purpose-")
                    .or_else(|| m.id.strip_prefix(crate::messages::HOTLINE_PURPOSE));
            if let Some(rest) = purpose_part {
                if facts.purposes_complete
                    && !facts
                        .purposes
                        .iter()
                        .any(|p| super::is_purpose_text(&m.id, p.as_str()))
                {
                    let named = rest
                        .strip_suffix("-name")
                        .or_else(|| rest.strip_suffix("-description"))
                        .or_else(|| rest.strip_suffix("-separate"))
                        .unwrap_or(rest);
                    let known: Vec<&str> = facts.purposes.iter().map(|p| p.as_str()).collect();
                    let d = file.diag(
                        Code::UnknownPurpose,
                        m.span.clone(),
                        format!(
                            "`{}` is for purpose `{named}`, which notice.toml does not define",
                            m.id
                        ),
                    );
                    diags.push(
                        d.with_note(format!("purposes in notice.toml: {}", known.join(", "))),
                    );
                    flagged.insert(m.id.as_str());
                }
            } else if let Some(name) = m.id.strip_prefix("link-")
                && facts.links_complete
                && !links.iter().any(|l| l == name)
            {
                let d = file.diag(
                    Code::UnknownLink,
                    m.span.clone(),
                    format!(
                        "`{}` labels the link `{name}`, which notice.toml does not define",
                        m.id
                    ),
                );
                diags.push(d.with_note(format!(
                    "add {name} = \"https://…\" under [links] in notice.toml, or remove the message"
                )));
                flagged.insert(m.id.as_str());
            }
        }

        // M001: required messages, and (for other locales) everything the default locale has.
        // The notes are written only for what is missing (each costs a pass over the file).
        let mut expected: Vec<(&str, Option<&str>, Code)> = Vec::new();
        for (id, why, code) in &required {
            expected.push((id.as_str(), Some(why.as_str()), *code));
        }
        if let (Some(d), false) = (default, is_default) {
            let required_ids: BTreeSet<&str> =
                required.iter().map(|(id, _, _)| id.as_str()).collect();
            for m in &d.file.messages {
                if !required_ids.contains(m.id.as_str()) {
                    expected.push((m.id.as_str(), None, Code::MissingMessage));
                }
            }
        }
        for (id, why, code) in expected {
            if locale.has(id) {
                continue;
            }
            let mut note = match default.and_then(|d| d.file.message(id).map(|m| (d, m))) {
                // A law's requirement says which law, in every locale (a plain M001 only
                // where the message is).
                Some((d, m)) if !is_default && code != Code::MissingMessage => format!(
                    "defined in {}; required because {}",
                    d.file.place(m.span.start),
                    why.unwrap_or("the default locale has it")
                ),
                Some((d, m)) if !is_default => format!("defined in {}", d.file.place(m.span.start)),
                _ => format!(
                    "required because {}",
                    why.unwrap_or("the default locale has it")
                ),
            };
            if super::interface::covers(id) {
                note.push_str(&format!(
                    "; Consentry has this interface text built in for {} (not {})",
                    super::interface::language_list(),
                    locale.tag
                ));
            }
            let at = insertion_point(file, default.map(|d| &d.file), id);
            let d = file.diag(
                code,
                at..at,
                format!("message `{id}` is missing from {}", locale.tag),
            );
            diags.push(d.with_note(note));
        }

        // M002: messages the default locale does not have.
        let Some(d) = default else { continue };
        if is_default {
            continue;
        }
        for m in &file.messages {
            if flagged.contains(m.id.as_str())
                || d.file.message(&m.id).is_some()
                || required.iter().any(|(id, _, _)| *id == m.id)
            {
                continue;
            }
            let diag = file.diag(
                Code::ExtraMessage,
                m.span.clone(),
                format!(
                    "message `{}` is not in the default locale ({})",
                    m.id, d.tag
                ),
            );
            diags.push(diag.with_note(format!("add it to {}, or remove it here", d.file.path)));
        }
    }
}

/// Where a missing message `id` belongs in `file`: just before the message that follows it in
/// the default locale's order (so the caret shows where to add it), else at the end.
fn insertion_point(file: &FtlFile, default: Option<&FtlFile>, id: &str) -> usize {
    let end = file.text.len();
    let Some(order) = default else { return end };
    let Some(pos) = order.messages.iter().position(|m| m.id == id) else {
        return end;
    };
    // The nearest earlier message (in the default's order) that this file has.
    let anchor = order.messages[..pos]
        .iter()
        .rev()
        .find_map(|m| file.messages.iter().position(|x| x.id == m.id));
    let next = match anchor {
        Some(i) => file
            .messages
            .iter()
            .filter(|m| m.span.start > file.messages[i].span.start)
            .map(|m| m.span.start)
            .min(),
        None => file.messages.iter().map(|m| m.span.start).min(),
    };
    next.unwrap_or(end)
}

/// R051: the hotline script's closing line places `{ $code }`, the receipt code the agent
/// reads out, and a link where the caller can look the receipt up. (That `{ $code }` is placed
/// nowhere else is K001's, when the text is resolved.)
pub(crate) fn check_hotline_closing(
    locales: &[Locale],
    resolved: &[Vec<(String, Rich)>],
    diags: &mut Vec<Diagnostic>,
) {
    let id = crate::messages::HOTLINE_CLOSING;
    for (locale, messages) in locales.iter().zip(resolved) {
        // Only the file's own text: a closing missing is R049's.
        let Some(entry) = locale.file.message(id) else {
            continue;
        };
        let Some(rich) = messages
            .binary_search_by(|(k, _)| k.as_str().cmp(id))
            .ok()
            .map(|i| &messages[i].1)
        else {
            continue;
        };
        let code = rich
            .0
            .iter()
            .any(|s| matches!(s, Span::Var(v) if v == "code"));
        let link = rich.0.iter().any(|s| matches!(s, Span::Link { .. }));
        let lacks = match (code, link) {
            (true, true) => continue,
            (false, true) => "the receipt code { $code }",
            (true, false) => "a link ({ $name }) where the caller can look the receipt up",
            (false, false) => {
                "the receipt code { $code } and a link ({ $name }) where the caller can look the receipt up"
            }
        };
        diags.push(
            locale
                .file
                .diag(
                    Code::HotlineReceiptCode,
                    entry.span.clone(),
                    format!("`{id}` of {} does not place {lacks}", locale.tag),
                )
                .with_note(
                    "the agent reads the caller the code of the call's receipt and where to look it up, e.g. \"Your receipt code is { $code }. You can check your answers at { $receipt-lookup }.\"",
                ),
        );
    }
}

/// Longest message accepted, in characters.
pub(crate) const MAX_MESSAGE_CHARS: usize = 2000;

/// Text checks: markup, invisible and bidi characters (M011–M013), length (M014), links in step
/// with the default locale (M010), untranslated text (M015), unused terms (M016), and script and
/// direction (L003, L004).
pub(crate) fn check_texts(
    locales: &[Locale],
    default: Option<&Locale>,
    resolved: &[Vec<(String, Rich)>],
    diags: &mut Vec<Diagnostic>,
) {
    let default_resolved = default.and_then(|d| {
        locales
            .iter()
            .position(|l| l.tag == d.tag)
            .map(|i| &resolved[i])
    });
    for (locale, messages) in locales.iter().zip(resolved) {
        let file = &locale.file;
        scan_characters(locale, diags);
        let is_default = default.is_some_and(|d| d.tag == locale.tag);
        let script = Script::of(locale.tag.language());
        for m in &file.messages {
            // `messages` is sorted by id.
            let Some(rich) = messages
                .binary_search_by(|(k, _)| k.as_str().cmp(m.id.as_str()))
                .ok()
                .map(|i| &messages[i].1)
            else {
                continue;
            };
            let plain = rich.to_plain();
            let chars = plain.chars().count();
            if chars > MAX_MESSAGE_CHARS {
                diags.push(
                    file.diag(
                        Code::MessageTooLong,
                        m.span.clone(),
                        format!(
                            "message `{}` is {chars} characters long; at most {MAX_MESSAGE_CHARS} are allowed",
                            m.id
                        ),
                    )
                    .with_note("split it into shorter messages"),
                );
            }
            if let Some(script) = script
                && !plain.trim().is_empty()
                && !script.appears_in(&plain)
                && letters_outside_addresses(&plain) >= 3
            {
                diags.push(
                    file.diag(
                        Code::ScriptMismatch,
                        m.span.clone(),
                        format!(
                            "message `{}` of {} has no {} letters",
                            m.id,
                            locale.tag,
                            script.name()
                        ),
                    )
                    .with_note("it is probably not translated yet"),
                );
            }
            let (Some(d), Some(dres), false) = (default, default_resolved, is_default) else {
                continue;
            };
            let Some(theirs) = dres
                .binary_search_by(|(k, _)| k.as_str().cmp(m.id.as_str()))
                .ok()
                .map(|i| &dres[i].1)
            else {
                continue;
            };
            let (mine, other) = (links_of(rich), links_of(theirs));
            if mine != other {
                diags.push(
                    file.diag(
                        Code::PlaceholderMismatch,
                        m.span.clone(),
                        format!(
                            "message `{}` places {} but in {} it places {}",
                            m.id,
                            describe(&mine),
                            d.tag,
                            describe(&other)
                        ),
                    )
                    .with_note(match d.file.message(&m.id) {
                        Some(dm) => format!("see {}", d.file.place(dm.span.start)),
                        None => String::new(),
                    }),
                );
            }
            if locale.tag.language() != d.tag.language()
                && plain == theirs.to_plain()
                && plain
                    .split_whitespace()
                    .filter(|w| w.chars().any(char::is_alphabetic))
                    .count()
                    >= 2
            {
                diags.push(
                    file.diag(
                        Code::Untranslated,
                        m.span.clone(),
                        format!("message `{}` has the same text as in {}", m.id, d.tag),
                    )
                    .with_note("translate it, or keep it on purpose if it is a name"),
                );
            }
        }
        // M016: terms nothing refers to.
        let mut used = BTreeSet::new();
        for e in file.messages.iter().chain(&file.terms) {
            for p in e.pattern.iter().flatten() {
                if let Piece::Term { id, .. } = p {
                    used.insert(id.as_str());
                }
            }
        }
        for t in &file.terms {
            if !used.contains(t.id.as_str()) {
                diags.push(
                    file.diag(
                        Code::UnusedTerm,
                        t.span.clone(),
                        format!("term `-{}` is not used by any message", t.id),
                    )
                    .with_note("use it with { -name }, or remove it"),
                );
            }
        }
    }
}

/// The hrefs of a text's links and the names of its variables (`$age`), sorted.
fn links_of(r: &Rich) -> Vec<String> {
    let mut v: Vec<String> =
        r.0.iter()
            .filter_map(|s| match s {
                Span::Link { href, .. } => Some(href.clone()),
                Span::Var(name) => Some(format!("${name}")),
                Span::Text(_) => None,
            })
            .collect();
    v.sort_unstable();
    v
}

fn describe(links: &[String]) -> String {
    if links.is_empty() {
        "no link".into()
    } else {
        format!("the links {}", links.join(", "))
    }
}

/// Letters in words that are not e-mail addresses, URLs or domain names.
pub(super) fn letters_outside_addresses(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| !w.contains('@') && !w.contains("://") && !w.contains('.'))
        .flat_map(str::chars)
        .filter(|c| c.is_alphabetic())
        .count()
}

/// Scripts the linter can recognise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Script {
    Arabic,
    Hebrew,
    Han,
    Hangul,
}

impl Script {
    pub(super) fn of(language: &str) -> Option<Self> {
        match language {
            "ar" | "fa" | "ur" | "ps" | "ckb" => Some(Script::Arabic),
            "he" | "yi" => Some(Script::Hebrew),
            "zh" | "ja" => Some(Script::Han),
            "ko" => Some(Script::Hangul),
            _ => None,
        }
    }
    pub(super) fn name(self) -> &'static str {
        match self {
            Script::Arabic => "Arabic",
            Script::Hebrew => "Hebrew",
            Script::Han => "Chinese (Han)",
            Script::Hangul => "Hangul",
        }
    }
    fn contains(self, c: char) -> bool {
        let u = c as u32;
        match self {
            Script::Arabic => is_arabic(c),
            Script::Hebrew => (0x0590..=0x05FF).contains(&u) || (0xFB1D..=0xFB4F).contains(&u),
            Script::Han => {
                (0x4E00..=0x9FFF).contains(&u)
                    || (0x3400..=0x4DBF).contains(&u)
                    || (0x3040..=0x30FF).contains(&u)
                    || (0x20000..=0x2FA1F).contains(&u)
            }
            Script::Hangul => (0xAC00..=0xD7A3).contains(&u) || (0x1100..=0x11FF).contains(&u),
        }
    }
    pub(super) fn appears_in(self, s: &str) -> bool {
        s.chars().any(|c| self.contains(c))
    }
}

fn is_arabic(c: char) -> bool {
    let u = c as u32;
    (0x0600..=0x06FF).contains(&u)
        || (0x0750..=0x077F).contains(&u)
        || (0x08A0..=0x08FF).contains(&u)
        || (0xFB50..=0xFDFF).contains(&u)
        || (0xFE70..=0xFEFF).contains(&u) && u != 0xFEFF
}

fn is_rtl_letter(c: char) -> bool {
    c.is_alphabetic() && (is_arabic(c) || Script::Hebrew.contains(c))
}

/// Character-level findings at their exact place: markup (M011), invisible characters (M012),
/// bidi controls (M013) anywhere outside comments, and right-to-left letters in a
/// left-to-right locale (L004).
fn scan_characters(locale: &Locale, diags: &mut Vec<Diagnostic>) {
    let file = &locale.file;
    let text = file.text.as_str();
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let ltr = !locale.tag.is_rtl();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset.max(body_start);
        offset += line.len();
        let content = &text[start..offset];
        if content.trim_start().starts_with('#') {
            continue;
        }
        let owner = |at: usize| {
            file.messages
                .iter()
                .chain(&file.terms)
                .filter(|m| m.span.start <= at)
                .max_by_key(|m| m.span.start)
                .map_or_else(|| String::from("this line"), |m| format!("`{}`", m.id))
        };
        if let Some((i, problem)) = text_problem_at(content, usize::MAX) {
            let at = start + i;
            let (code, message, note) = match problem {
                TextProblem::Markup(m) => (
                    Code::MarkupInText,
                    format!("{} contains HTML markup `{m}`", owner(at)),
                    "write plain text; place links with { $name }",
                ),
                TextProblem::Hidden(c) => (
                    Code::HiddenCharacterInText,
                    format!(
                        "{} contains the invisible character U+{:04X}",
                        owner(at),
                        u32::from(c)
                    ),
                    "delete it; it can hide text from readers and reviewers",
                ),
                TextProblem::Bidi(c) => (
                    Code::BidiControl,
                    format!(
                        "{} contains the bidirectional control U+{:04X}",
                        owner(at),
                        u32::from(c)
                    ),
                    "delete it; the widget sets the direction from the locale",
                ),
                TextProblem::TooLong(_) => continue,
            };
            let end = at + text[at..].chars().next().map_or(1, char::len_utf8);
            diags.push(file.diag(code, at..end, message).with_note(note));
            continue;
        }
        if ltr && let Some((i, c)) = content.char_indices().find(|(_, c)| is_rtl_letter(*c)) {
            let at = start + i;
            diags.push(
                file.diag(
                    Code::RtlTextInLtrLocale,
                    at..at + c.len_utf8(),
                    format!(
                        "{} of the left-to-right locale {} contains right-to-left letters",
                        owner(at),
                        locale.tag
                    ),
                )
                .with_note("move the text to the locale it belongs to"),
            );
        }
    }
}
