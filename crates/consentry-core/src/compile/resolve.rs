//! Resolving a locale's messages to rich text.
//!
//! Term and message references are inlined; `{ $name }` becomes a link whose target comes from
//! `[links]` in `notice.toml` and whose label is the text of the message `link-<name>` (for a
//! `mailto:` link without that message, the address). The names in [`RESERVED_VARIABLES`] are
//! not links but built-in variables: `{ $retention }` in a `purpose-<id>-…` (or
//! `hotline-script-purpose-<id>`) message becomes that purpose's retention in words of the
//! locale's language; `{ $age }`, `{ $deadline }`, `{ $step }` and `{ $steps }` are kept as
//! variables the widget fills in (`bundle::RUNTIME_VARS`), and `{ $code }`, the hotline
//! receipt code the console fills in, only in `hotline-script-closing` (K001). Each message is resolved once
//! (memoised), so every problem is reported once: unknown references (M007), unknown links
//! (M005), loops (M009), unavailable built-in variables (K001) and messages without text
//! (M004).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use super::ftl::{FtlFile, Piece};
use crate::bundle::{Rich, Span};
use crate::diagnostics::{Code, Diagnostic};

/// Links as known from `notice.toml`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Links<'a> {
    /// Name → URL.
    pub known: &'a [(String, String)],
    /// Whether `known` is every link (if not, unknown names are not reported).
    pub complete: bool,
}

/// Variable names the compiler or the widget fills in; `[links]` cannot use them (K007).
pub(crate) const RESERVED_VARIABLES: &[&str] =
    &["retention", "deadline", "age", "step", "steps", "code"];

/// What the built-in variables resolve to in one locale.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Builtins<'a> {
    /// Purpose id → its retention in words in the locale's language (`None`: the language has
    /// no duration formatter). Empty when notice.toml could not be read.
    pub retention: &'a [(String, Option<String>)],
    /// The locale, for findings.
    pub locale: &'a str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Message(usize),
    Term(usize),
}

/// Resolves every message of `file`; returns them sorted by id.
pub(crate) fn resolve_all(
    file: &FtlFile,
    links: Links<'_>,
    builtins: Builtins<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Rich)> {
    let mut r = Resolver {
        file,
        builtins,
        messages: file
            .messages
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect(),
        terms: file
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect(),
        links,
        memo: BTreeMap::new(),
        stack: Vec::new(),
        diags,
    };
    let mut out = Vec::new();
    for (i, m) in file.messages.iter().enumerate() {
        let (spans, errored) = r.resolve(Key::Message(i));
        let rich = Rich(spans);
        let empty = rich.to_plain().trim().is_empty();
        // An entry emptied by a problem already reported is not reported again.
        if m.pattern.is_none() || (empty && !errored) {
            let d = file.diag(
                Code::EmptyMessage,
                m.span.clone(),
                format!("message `{}` has no text", m.id),
            );
            r.diags
                .push(d.with_note("write the text after `=`, or remove the message"));
        }
        out.push((m.id.clone(), rich));
    }
    // The terms are resolved too, so that problems inside unused terms are reported.
    for i in 0..file.terms.len() {
        r.resolve(Key::Term(i));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

struct Resolver<'f, 'd> {
    file: &'f FtlFile,
    messages: BTreeMap<&'f str, usize>,
    terms: BTreeMap<&'f str, usize>,
    links: Links<'f>,
    builtins: Builtins<'f>,
    /// Resolved entries, and whether resolving them (or what they include) found a problem.
    memo: BTreeMap<Key, (Vec<Span>, bool)>,
    stack: Vec<Key>,
    diags: &'d mut Vec<Diagnostic>,
}

impl Resolver<'_, '_> {
    fn name(&self, key: Key) -> String {
        match key {
            Key::Message(i) => format!("`{}`", self.file.messages[i].id),
            Key::Term(i) => format!("`-{}`", self.file.terms[i].id),
        }
    }

    fn resolve(&mut self, key: Key) -> (Vec<Span>, bool) {
        if let Some(done) = self.memo.get(&key) {
            return done.clone();
        }
        let before = self.diags.len();
        let file = self.file;
        let entry = match key {
            Key::Message(i) => &file.messages[i],
            Key::Term(i) => &file.terms[i],
        };
        self.stack.push(key);
        let mut out = Vec::new();
        let mut nested = false;
        for piece in entry.pattern.iter().flatten() {
            match piece {
                Piece::Text(t) => push_text(&mut out, t),
                Piece::Message { id, span } => match self.messages.get(id.as_str()) {
                    Some(&i) => nested |= self.inline(Key::Message(i), span, &mut out),
                    None => {
                        let d = file.diag(
                            Code::UnknownReference,
                            span.clone(),
                            format!(
                                "`{{ {id} }}` refers to a message that {} does not define",
                                file.path
                            ),
                        );
                        self.diags.push(d);
                    }
                },
                Piece::Term { id, span } => match self.terms.get(id.as_str()) {
                    Some(&i) => nested |= self.inline(Key::Term(i), span, &mut out),
                    None => {
                        let d = file.diag(
                            Code::UnknownReference,
                            span.clone(),
                            format!(
                                "`{{ -{id} }}` refers to a term that {} does not define",
                                file.path
                            ),
                        );
                        self.diags
                            .push(d.with_note(format!("define it in this file: -{id} = …")));
                    }
                },
                Piece::Var { name, span } if RESERVED_VARIABLES.contains(&name.as_str()) => {
                    nested |= self.builtin(key, name, span, &mut out);
                }
                Piece::Var { name, span } => nested |= self.link(name, span, &mut out),
            }
        }
        self.stack.pop();
        let errored = entry.had_error || self.diags.len() > before || nested;
        self.memo.insert(key, (out.clone(), errored));
        (out, errored)
    }

    /// Inlines a referenced message or term, unless that closes a loop. Returns whether the
    /// included text has a problem.
    fn inline(&mut self, key: Key, at: &Range<usize>, out: &mut Vec<Span>) -> bool {
        if let Some(pos) = self.stack.iter().position(|k| *k == key) {
            let chain: Vec<String> = self.stack[pos..]
                .iter()
                .chain(core::iter::once(&key))
                .map(|k| self.name(*k))
                .collect();
            let d = self.file.diag(
                Code::ReferenceCycle,
                at.clone(),
                format!("reference loop: {}", chain.join(" → ")),
            );
            self.diags
                .push(d.with_note("a message cannot include itself, directly or through others"));
            return true;
        }
        let (spans, errored) = self.resolve(key);
        for span in spans {
            match span {
                Span::Text(t) => push_text(out, &t),
                other => out.push(other),
            }
        }
        errored
    }

    /// Places the link `name`; returns whether there was a problem.
    fn link(&mut self, name: &str, at: &Range<usize>, out: &mut Vec<Span>) -> bool {
        let Some((_, url)) = self.links.known.iter().find(|(n, _)| n == name) else {
            if self.links.complete {
                let names: Vec<&str> = self.links.known.iter().map(|(n, _)| n.as_str()).collect();
                let note = if names.is_empty() {
                    format!("add it to notice.toml: [links] {name} = \"https://…\"")
                } else {
                    format!("[links] in notice.toml has: {}", names.join(", "))
                };
                let d = self.file.diag(
                    Code::UnknownLink,
                    at.clone(),
                    format!("`{{ ${name} }}` is not a link in notice.toml"),
                );
                self.diags.push(d.with_note(note));
            }
            return true;
        };
        // The label is the text of `link-<name>`; if that is missing, M001 reports it.
        let label_id = format!("link-{name}");
        let mut label = Vec::new();
        let errored = match self.messages.get(label_id.as_str()) {
            Some(&i) => self.inline(Key::Message(i), at, &mut label),
            // A mailto: link needs no label: it shows its address.
            None => match mailto_address(url) {
                Some(address) => {
                    label.push(Span::Text(address.into()));
                    false
                }
                None => true,
            },
        };
        out.push(Span::Link {
            href: url.clone(),
            text: Rich(label).to_plain(),
        });
        errored
    }
}

impl Resolver<'_, '_> {
    /// Places the built-in variable `name` inside the entry `key`; returns whether there was a
    /// problem (reported as K001).
    fn builtin(&mut self, key: Key, name: &str, at: &Range<usize>, out: &mut Vec<Span>) -> bool {
        let file = self.file;
        let problem = match (name, key) {
            ("retention", Key::Message(i)) => {
                let id = file.messages[i].id.as_str();
                let purpose = self
                    .builtins
                    .retention
                    .iter()
                    .filter(|(p, _)| super::is_purpose_text(id, p))
                    .max_by_key(|(p, _)| p.len());
                match purpose {
                    Some((_, Some(words))) => {
                        push_text(out, words);
                        return false;
                    }
                    Some((p, None)) => (
                        format!(
                            "`{{ $retention }}` cannot be written out in {}: there are no words for durations in this language yet",
                            self.builtins.locale
                        ),
                        format!(
                            "write the retention of `{p}` in words here (durations are written out in en, es, fr, pt, zh and ar)"
                        ),
                    ),
                    // notice.toml could not be read: already reported there.
                    None if self.builtins.retention.is_empty() => return false,
                    None => (
                        format!(
                            "`{{ $retention }}` is used in `{id}`, which is not a purpose-<id>-… message"
                        ),
                        "only purpose-<id>-… and hotline-script-purpose-<id> messages know which retention to show".into(),
                    ),
                }
            }
            ("retention", Key::Term(i)) => (
                format!(
                    "`{{ $retention }}` is used in the term `-{}`",
                    file.terms[i].id
                ),
                "place it directly in a purpose-<id>-… message".into(),
            ),
            // The hotline receipt code: the console fills it in for the call's receipt, in the
            // script's closing line only.
            ("code", Key::Message(i)) if file.messages[i].id == crate::messages::HOTLINE_CLOSING => {
                out.push(Span::Var("code".into()));
                return false;
            }
            ("code", _) => (
                format!(
                    "`{{ $code }}` is used in {}, but only `{}` places the receipt code",
                    self.name(key),
                    crate::messages::HOTLINE_CLOSING
                ),
                "the agent reads the code of the call's receipt at the end of the call; place it in hotline-script-closing".into(),
            ),
            // The widget's runtime variables: kept as a variable span, filled in from the
            // regimes in force (the receipt records them).
            (runtime, _) if crate::bundle::RUNTIME_VARS.contains(&runtime) => {
                out.push(Span::Var(runtime.into()));
                return false;
            }
            (other, _) => (
                format!(
                    "`{{ ${other} }}` is reserved for a value the widget fills in, which it does not do yet"
                ),
                "write the text without it for now".into(),
            ),
        };
        let d = file.diag(Code::BuiltinUnavailable, at.clone(), problem.0);
        self.diags.push(d.with_note(problem.1));
        true
    }
}

/// The address of a `mailto:` URL (without `?subject=…`), if it is one.
pub(crate) fn mailto_address(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("mailto:")?;
    Some(rest.split('?').next().unwrap_or(rest))
}

fn push_text(out: &mut Vec<Span>, t: &str) {
    if t.is_empty() {
        return;
    }
    if let Some(Span::Text(last)) = out.last_mut() {
        last.push_str(t);
    } else {
        out.push(Span::Text(t.into()));
    }
}
