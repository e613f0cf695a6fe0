//! What the text means: the checks that catch a mistake which changes what the notice
//! promises, in any language.
//!
//! - [`parity`] (`P`): every locale against the default, message by message: numbers and
//!   durations, placeables, addresses and names, sentences, negation, and messages that read
//!   the same although they differ in the default locale.
//! - [`terms`] (`T`): the terminology file of each language (`<tag>.terms.toml`).
//! - [`facts`] (`K`): facts that `notice.toml` holds and the text restates: retention,
//!   e-mail addresses, link labels, countries. Also the duration words behind
//!   `{ $retention }`.
//! - [`wording`] (`D005`–`D009`): what the wording says about choosing: consent stated where
//!   it is asked for and not where it is not, choice buttons plain, alike and saying what they
//!   do, refusing without a penalty.
//! - [`lexicon`]: the per-language lexicons of meaning all of these share.
//!
//! Each message is analysed once per locale ([`text`]): the resolved text (terms, messages and
//! link labels inlined) for what readers see, and the message's own literal text for facts it
//! writes out itself. Everything is linear in the size of the files.

mod facts;
pub(crate) mod lexicon;
pub(crate) mod names;
mod parity;
pub(crate) mod terms;
#[cfg(test)]
pub(crate) mod tests;
pub(crate) mod text;
mod wording;

use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use super::checks::Locale;
use super::ftl::Piece;
use crate::bundle::Rich;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::notice::{NoticeFacts, Purpose};
use lexicon::Lexicon;
pub(crate) use text::Lang;
use text::{CountryNames, Quantity};

pub(crate) use facts::format_retention;
#[cfg(test)]
pub(crate) use facts::retention_key as facts_key;

/// Everything the checks need.
pub(crate) struct Input<'a> {
    pub facts: &'a NoticeFacts,
    pub notice_file: Option<&'a SourceFile>,
    pub locales: &'a [Locale],
    pub default: Option<&'a Locale>,
    /// Resolved messages per locale, in the order of `locales`.
    pub resolved: &'a [Vec<(String, Rich)>],
    /// The `<tag>.terms.toml` files.
    pub terms: &'a [&'a SourceFile],
    /// The facts files as read (the facts of notice.toml in each language).
    pub translations: &'a [super::translated::Translations],
}

/// Runs the P, T and K checks; returns the terminology files as read.
pub(crate) fn check(input: &Input<'_>, diags: &mut Vec<Diagnostic>) -> Vec<terms::Terms> {
    let tags: Vec<String> = input
        .locales
        .iter()
        .map(|l| l.tag.as_str().into())
        .collect();
    let terms = terms::read_all(input.terms, &tags, diags);
    let cx = Cx::new(input);
    facts::check(&cx, diags);
    terms::check(&cx, &terms, diags);
    parity::check(&cx, &terms, diags);
    wording::check(&cx, diags);
    terms
}

/// The retention words of every purpose in `lang`, for `{ $retention }`.
pub(crate) fn retention_words(
    facts: &NoticeFacts,
    language: &str,
) -> Vec<(String, Option<String>)> {
    let lang = Lang::of(language);
    facts
        .notice
        .iter()
        .flat_map(|n| &n.purposes)
        .map(|p| (p.id.as_str().into(), format_retention(&p.retention, lang)))
        .collect()
}

/// The analysis of one text.
#[derive(Clone, Debug, Default)]
pub(crate) struct Analysis {
    pub text: String,
    pub quantities: Vec<Quantity>,
    pub emails: Vec<(Range<usize>, String)>,
    pub urls: Vec<(Range<usize>, String)>,
    pub acronyms: Vec<(Range<usize>, String)>,
    pub countries: Vec<(Range<usize>, String)>,
    /// Sentences (a short leading question joined to what follows).
    pub sentences: Vec<Range<usize>>,
    /// Whether each sentence says "not".
    pub negated: Vec<bool>,
    /// For each sentence that starts with a condition: whether the condition and the clause
    /// after it say "not".
    pub conditional: Vec<Option<(bool, bool)>>,
    /// Phrases of the language's lexicon, in text order.
    pub hits: Vec<lexicon::Hit>,
}

impl Analysis {
    fn full(text: String, lang: Lang, countries: &CountryNames, lexicon: &Lexicon) -> Self {
        let emails = text::emails(&text);
        let urls = text::urls(&text);
        let mut skip: Vec<Range<usize>> = emails
            .iter()
            .map(|e| e.0.clone())
            .chain(urls.iter().map(|u| u.0.clone()))
            .collect();
        skip.sort_by_key(|r| r.start);
        let quantities = text::quantities(&text, lang, &skip);
        let acronyms = text::acronyms(&text, &skip);
        let found = countries.find(&text);
        let sentences = text::units(&text);
        let negated = sentences
            .iter()
            .map(|s| text::negated(&text[s.clone()], lang))
            .collect();
        let conditional = sentences
            .iter()
            .map(|s| text::conditional_negation(&text[s.clone()], lang))
            .collect();
        let hits = lexicon.scan(&text);
        Self {
            hits,
            quantities,
            emails,
            urls,
            acronyms,
            countries: found,
            sentences,
            negated,
            conditional,
            text,
        }
    }

    fn literal(text: String, lang: Lang) -> Self {
        let emails = text::emails(&text);
        let urls = text::urls(&text);
        let mut skip: Vec<Range<usize>> = emails
            .iter()
            .map(|e| e.0.clone())
            .chain(urls.iter().map(|u| u.0.clone()))
            .collect();
        skip.sort_by_key(|r| r.start);
        let quantities = text::quantities(&text, lang, &skip);
        Self {
            quantities,
            emails,
            text,
            ..Self::default()
        }
    }
}

/// One message of one locale, analysed.
#[derive(Clone, Debug)]
pub(crate) struct Msg {
    pub id: String,
    /// What readers see.
    pub resolved: Analysis,
    /// The message's own text, placeables left out.
    pub literal: Analysis,
    /// `{ message }`, `{ -term }` and built-in `{ $variable }` placeables, as written.
    pub placeables: Vec<String>,
    /// The targets of the links it shows (`{ $name }`, resolved), in order.
    pub links: Vec<String>,
}

/// One locale, analysed.
pub(crate) struct Analysed<'a> {
    pub locale: &'a Locale,
    pub lang: Lang,
    /// The language's lexicon of meaning.
    pub lexicon: Lexicon,
    /// Sorted by id.
    pub messages: Vec<Msg>,
    /// Start of every message and term in the file, sorted (to find a message's text).
    starts: Vec<usize>,
}

impl Analysed<'_> {
    pub(crate) fn message(&self, id: &str) -> Option<&Msg> {
        self.messages
            .binary_search_by(|m| m.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.messages[i])
    }

    /// The part of the file that holds message `id`: from its id to the next entry.
    pub(crate) fn region(&self, id: &str) -> Option<Range<usize>> {
        let e = self.locale.file.message(id)?;
        let start = e.span.start;
        let next = self.starts.partition_point(|s| *s <= start);
        let end = self
            .starts
            .get(next)
            .copied()
            .unwrap_or(self.locale.file.text.len());
        Some(start..end)
    }

    /// Where `needle` is written in message `id`'s part of the file.
    pub(crate) fn locate(&self, id: &str, needle: &str) -> Option<Range<usize>> {
        let needle = needle.trim();
        if needle.is_empty() {
            return None;
        }
        let region = self.region(id)?;
        let text = self.locale.file.text.get(region.clone())?;
        // Skip the id itself.
        let from = text.find('=').map_or(0, |i| i + 1);
        let pos = text[from..].find(needle)?;
        let s = region.start + from + pos;
        Some(s..s + needle.len())
    }
}

/// The analysed locales and the facts.
pub(crate) struct Cx<'a> {
    pub facts: &'a NoticeFacts,
    pub notice_file: Option<&'a SourceFile>,
    /// The facts files as read.
    pub translations: &'a [super::translated::Translations],
    pub locales: Vec<Analysed<'a>>,
    default: Option<usize>,
}

impl<'a> Cx<'a> {
    fn new(input: &Input<'a>) -> Self {
        let mut locales = Vec::new();
        for (locale, resolved) in input.locales.iter().zip(input.resolved) {
            let lang = Lang::of(locale.tag.language());
            let labels: Vec<(String, String)> = resolved
                .iter()
                .filter_map(|(id, r)| {
                    id.strip_prefix("country-")
                        .map(|c| (c.to_ascii_uppercase(), r.to_plain()))
                })
                .collect();
            let names = CountryNames::new(lang, &labels);
            let lexicon = Lexicon::new(locale.tag.language());
            let mut messages = Vec::with_capacity(resolved.len());
            for (id, rich) in resolved {
                let Some(entry) = locale.file.message(id) else {
                    continue;
                };
                let mut literal = String::new();
                let mut placeables = Vec::new();
                for p in entry.pattern.iter().flatten() {
                    match p {
                        Piece::Text(t) => literal.push_str(t),
                        // Unknown references are M007 already.
                        Piece::Message { id, .. } => {
                            literal.push(' ');
                            if locale.file.message(id).is_some() {
                                placeables.push(alloc::format!("{{ {id} }}"));
                            }
                        }
                        Piece::Term { id, .. } => {
                            literal.push(' ');
                            if locale.file.terms.iter().any(|t| t.id == *id) {
                                placeables.push(alloc::format!("{{ -{id} }}"));
                            }
                        }
                        Piece::Var { name, .. } => {
                            literal.push(' ');
                            // Links are M010's; unknown names M005's.
                            if super::resolve::RESERVED_VARIABLES.contains(&name.as_str()) {
                                placeables.push(alloc::format!("{{ ${name} }}"));
                            }
                        }
                    }
                }
                placeables.sort();
                let links = rich
                    .0
                    .iter()
                    .filter_map(|s| match s {
                        crate::bundle::Span::Link { href, .. } => Some(href.clone()),
                        _ => None,
                    })
                    .collect();
                messages.push(Msg {
                    id: id.clone(),
                    resolved: Analysis::full(rich.to_plain(), lang, &names, &lexicon),
                    literal: Analysis::literal(literal, lang),
                    placeables,
                    links,
                });
            }
            messages.sort_by(|a, b| a.id.cmp(&b.id));
            let mut starts: Vec<usize> = locale
                .file
                .messages
                .iter()
                .chain(&locale.file.terms)
                .map(|e| e.span.start)
                .collect();
            starts.sort_unstable();
            locales.push(Analysed {
                locale,
                lang,
                lexicon,
                messages,
                starts,
            });
        }
        let default = input
            .default
            .and_then(|d| input.locales.iter().position(|l| l.tag == d.tag));
        Self {
            facts: input.facts,
            notice_file: input.notice_file,
            translations: input.translations,
            locales,
            default,
        }
    }

    pub(crate) fn default(&self) -> Option<&Analysed<'a>> {
        self.default.map(|i| &self.locales[i])
    }

    /// The purpose a `purpose-<id>-…` or `hotline-script-purpose-<id>[-…]` message belongs to
    /// (the longest matching id).
    pub(crate) fn purpose_of(&self, id: &str) -> Option<&'a Purpose> {
        self.facts
            .notice
            .as_ref()?
            .purposes
            .iter()
            .filter(|p| super::is_purpose_text(id, p.id.as_str()))
            .max_by_key(|p| p.id.as_str().len())
    }
}
