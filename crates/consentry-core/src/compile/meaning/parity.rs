//! Parity of every locale with the default locale (the `P` rules), message by message:
//! numbers and durations (P001), placeables (P002), addresses, acronyms, codes and countries
//! (P003), sentences dropped or added (P004), negation (P005), and two messages that read the
//! same although the default locale says different things (P006).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use super::terms::Terms;
use super::text::{self, Lang, Quantity};
use super::{Analysed, Cx, Msg};
use crate::diagnostics::{Code, Diagnostic};

/// How official texts write some acronyms in other languages (the law's own name), so that a
/// translation without a terminology file is not faulted for using them.
const KNOWN_RENDERINGS: &[(&str, &[&str])] = &[
    (
        "GDPR",
        &[
            "RGPD",
            "DSGVO",
            "AVG",
            "RODO",
            "通用数据保护条例",
            "اللائحة العامة لحماية البيانات",
        ],
    ),
    ("PIPL", &["个人信息保护法", "個人信息保護法"]),
    ("LGPD", &["Lei Geral de Proteção de Dados"]),
    (
        "ANPD",
        &[
            "Autoridade Nacional de Proteção de Dados",
            "Autoridad Nacional de Protección de Datos",
            "Autorité nationale de protection des données",
            "国家数据保护局",
            "الهيئة الوطنية لحماية البيانات",
        ],
    ),
];

/// Messages whose default text has at least this weight set the length ratio of a locale.
const RATIO_MIN_WEIGHT: usize = 15;

pub(crate) fn check(cx: &Cx<'_>, terms: &[Terms], diags: &mut Vec<Diagnostic>) {
    let Some(def) = cx.default() else { return };
    for loc in &cx.locales {
        if core::ptr::eq(loc, def) {
            continue;
        }
        let terms = terms.iter().find(|t| t.tag == loc.locale.tag.as_str());
        let ratio = length_ratio(def, loc);
        for lm in &loc.messages {
            let Some(dm) = def.message(&lm.id) else {
                continue;
            };
            // Markup and hidden characters are M011–M013; comparing such text only adds noise.
            if has_text_problem(&dm.resolved.text) || has_text_problem(&lm.resolved.text) {
                continue;
            }
            let p = Pair { def, loc, dm, lm };
            p.numbers(diags);
            p.placeables(diags);
            p.entities(terms, diags);
            if !p.sentences(ratio, diags) {
                p.negation(diags);
            }
        }
        conflated(def, loc, diags);
    }
}

/// The median ratio of a locale's text length to the default's (0.3 for Chinese against
/// English, about 1.1 for Spanish).
fn length_ratio(def: &Analysed<'_>, loc: &Analysed<'_>) -> f64 {
    let mut ratios: Vec<f64> = loc
        .messages
        .iter()
        .filter_map(|lm| {
            let dm = def.message(&lm.id)?;
            let wd = text::weight(&dm.resolved.text);
            let wl = text::weight(&lm.resolved.text);
            (wd >= RATIO_MIN_WEIGHT && wl > 0).then(|| wl as f64 / wd as f64)
        })
        .collect();
    if ratios.is_empty() {
        return 1.0;
    }
    ratios.sort_by(|a, b| a.partial_cmp(b).unwrap_or(core::cmp::Ordering::Equal));
    ratios[ratios.len() / 2]
}

struct Pair<'x, 'a> {
    def: &'x Analysed<'a>,
    loc: &'x Analysed<'a>,
    dm: &'x Msg,
    lm: &'x Msg,
}

impl Pair<'_, '_> {
    fn id(&self) -> &str {
        &self.lm.id
    }
    fn default_place(&self) -> String {
        match self.def.locale.file.message(self.id()) {
            Some(e) => self.def.locale.file.place(e.span.start),
            None => String::new(),
        }
    }
    fn id_span(&self) -> Range<usize> {
        self.loc
            .locale
            .file
            .message(self.id())
            .map(|e| e.span.clone())
            .unwrap_or(0..0)
    }
    /// Where `written` (text of the resolved message) is in the locale file, else the id.
    fn at(&self, written: &str) -> Range<usize> {
        self.loc
            .locate(self.id(), written)
            .unwrap_or_else(|| self.id_span())
    }
    fn push(
        &self,
        diags: &mut Vec<Diagnostic>,
        code: Code,
        at: Range<usize>,
        message: String,
        what: &str,
    ) {
        let d = self.loc.locale.file.diag(code, at, message);
        diags.push(d.with_note(format!(
            "{what}; the default text is at {}",
            self.default_place()
        )));
    }
    fn tag(&self) -> &str {
        self.def.locale.tag.as_str()
    }

    /// P001: the same numbers and durations. A bare number matches a duration of the same
    /// value ("under 14" = "menor de 14 años").
    fn numbers(&self, diags: &mut Vec<Diagnostic>) {
        let d = &self.dm.resolved.quantities;
        let l = &self.lm.resolved.quantities;
        if d.is_empty() && l.is_empty() {
            return;
        }
        let mut dl: Vec<Option<&Quantity>> = d.iter().map(Some).collect();
        let mut ll: Vec<Option<&Quantity>> = l.iter().map(Some).collect();
        let same = |a: &Quantity, b: &Quantity| a.key() == b.key();
        let loose = |a: &Quantity, b: &Quantity| {
            (a.unit.is_none() || b.unit.is_none()) && a.value == b.value
        };
        for pass in 0..2 {
            for x in ll.iter_mut() {
                let Some(q) = *x else { continue };
                let found = dl
                    .iter_mut()
                    .find(|y| y.is_some_and(|p| if pass == 0 { same(p, q) } else { loose(p, q) }));
                if let Some(y) = found {
                    *y = None;
                    *x = None;
                }
            }
        }
        let extra: Vec<&Quantity> = ll.into_iter().flatten().collect();
        let missing: Vec<&Quantity> = dl.into_iter().flatten().collect();
        if extra.is_empty() && missing.is_empty() {
            return;
        }
        let show = |qs: &[&Quantity], t: &str| -> String {
            qs.iter()
                .map(|q| format!("\"{}\" ({})", &t[q.range.clone()], q.describe()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (at, message) = match (extra.first(), missing.is_empty()) {
            (Some(q), true) => (
                self.at(&self.lm.resolved.text[q.range.clone()]),
                format!(
                    "`{}` says {} where {} says nothing of the kind",
                    self.id(),
                    show(&extra, &self.lm.resolved.text),
                    self.tag()
                ),
            ),
            (Some(q), false) => (
                self.at(&self.lm.resolved.text[q.range.clone()]),
                format!(
                    "`{}` says {} where {} says {}",
                    self.id(),
                    show(&extra, &self.lm.resolved.text),
                    self.tag(),
                    show(&missing, &self.dm.resolved.text)
                ),
            ),
            (None, _) => (
                self.id_span(),
                format!(
                    "`{}` lacks {} that {} states",
                    self.id(),
                    show(&missing, &self.dm.resolved.text),
                    self.tag()
                ),
            ),
        };
        self.push(
            diags,
            Code::NumberMismatch,
            at,
            message,
            "numbers and durations must be the same in every language",
        );
    }

    /// P002: the same `{ message }`, `{ -term }` and built-in `{ $variable }` placeables.
    fn placeables(&self, diags: &mut Vec<Diagnostic>) {
        if self.dm.placeables == self.lm.placeables {
            return;
        }
        let missing = multiset_minus(&self.dm.placeables, &self.lm.placeables);
        let extra = multiset_minus(&self.lm.placeables, &self.dm.placeables);
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("lacks {}", missing.join(", ")));
        }
        if !extra.is_empty() {
            parts.push(format!("adds {}", extra.join(", ")));
        }
        let at = extra
            .first()
            .and_then(|e| {
                let inner = e.trim_start_matches('{').trim_end_matches('}').trim();
                self.loc.locate(self.id(), inner)
            })
            .unwrap_or_else(|| self.id_span());
        self.push(
            diags,
            Code::PlaceableMismatch,
            at,
            format!(
                "`{}` {} compared with {}",
                self.id(),
                parts.join(" and "),
                self.tag()
            ),
            "keep the { … } placeables of the default text; you may move them",
        );
    }

    /// P003: e-mail addresses, URLs, acronyms and codes of the default text, and the countries
    /// it names, in the translation.
    fn entities(&self, terms: Option<&Terms>, diags: &mut Vec<Diagnostic>) {
        let d = &self.dm.resolved;
        let l = &self.lm.resolved;
        let mut problems: Vec<(Option<Range<usize>>, String)> = Vec::new();
        for (_, e) in &d.emails {
            if !l.emails.iter().any(|(_, x)| x == e) {
                problems.push((None, format!("lacks the address {e}")));
            }
        }
        for (r, e) in &l.emails {
            if !d.emails.iter().any(|(_, x)| x == e) {
                problems.push((
                    Some(r.clone()),
                    format!("writes the address {e}, which {} does not", self.tag()),
                ));
            }
        }
        let norm = |u: &str| u.trim_end_matches('/').to_ascii_lowercase();
        for (_, u) in &d.urls {
            if !l.urls.iter().any(|(_, x)| norm(x) == norm(u)) {
                problems.push((None, format!("lacks the web address {u}")));
            }
        }
        for (r, u) in &l.urls {
            if !d.urls.iter().any(|(_, x)| norm(x) == norm(u)) {
                problems.push((
                    Some(r.clone()),
                    format!("writes the web address {u}, which {} does not", self.tag()),
                ));
            }
        }
        let mut seen: Vec<&str> = Vec::new();
        for (_, a) in &d.acronyms {
            if seen.contains(&a.as_str()) {
                continue;
            }
            seen.push(a);
            if l.acronyms.iter().any(|(_, x)| x == a) || l.text.contains(a.as_str()) {
                continue;
            }
            // The terminology file may say how the language writes it (GDPR → RGPD); T001
            // reports it then.
            if terms.and_then(|t| t.renders(a, &l.text)).is_some() {
                continue;
            }
            if KNOWN_RENDERINGS
                .iter()
                .any(|(x, names)| x == a && names.iter().any(|n| l.text.contains(n)))
            {
                continue;
            }
            problems.push((None, format!("lacks \"{a}\"")));
        }
        // Countries: one named instead of another (Singapore → Japan). A country only added or
        // only left out is usually style (la loi chinoise, 美国加利福尼亚州), not a mistake.
        let dc: Vec<&str> = dedup(d.countries.iter().map(|c| c.1.as_str()));
        let lc: Vec<&str> = dedup(l.countries.iter().map(|c| c.1.as_str()));
        let named_in = |code: &str, a: &Analysed<'_>| {
            text::country_known(code, a.lang) || a.message(&format!("country-{code}")).is_some()
        };
        let dropped: Vec<&str> = dc
            .iter()
            .copied()
            .filter(|c| !lc.contains(c) && named_in(c, self.loc))
            .collect();
        if !dropped.is_empty() {
            for (r, c) in &l.countries {
                if !dc.contains(&c.as_str()) && named_in(c, self.def) {
                    problems.push((
                        Some(r.clone()),
                        format!(
                            "names {c} (\"{}\") where {} names {}",
                            &l.text[r.clone()],
                            self.tag(),
                            dropped.join(", ")
                        ),
                    ));
                    break;
                }
            }
        }
        if problems.is_empty() {
            return;
        }
        let at = problems
            .iter()
            .find_map(|(r, _)| r.clone())
            .map(|r| self.at(&l.text[r]))
            .unwrap_or_else(|| self.id_span());
        let what: Vec<String> = problems.into_iter().map(|p| p.1).collect();
        self.push(
            diags,
            Code::EntityMismatch,
            at,
            format!(
                "`{}` {} (compared with {})",
                self.id(),
                what.join("; "),
                self.tag()
            ),
            "names, addresses and codes must survive translation",
        );
    }

    /// P004: as many sentences as the default text, unless the length shows that sentences
    /// were only joined or split. Returns whether it reported.
    fn sentences(&self, ratio: f64, diags: &mut Vec<Diagnostic>) -> bool {
        let d = &self.dm.resolved;
        let l = &self.lm.resolved;
        let (nd, nl) = (d.sentences.len(), l.sentences.len());
        if nd == nl || nd == 0 || nl == 0 {
            return false;
        }
        let wd: Vec<f64> = d
            .sentences
            .iter()
            .map(|s| text::weight(&d.text[s.clone()]) as f64)
            .collect();
        let wl: Vec<f64> = l
            .sentences
            .iter()
            .map(|s| text::weight(&l.text[s.clone()]) as f64 / ratio)
            .collect();
        let (sd, sl): (f64, f64) = (wd.iter().sum(), wl.iter().sum());
        if sd <= 0.0 || sl <= 0.0 {
            return false;
        }
        let r = sl / sd;
        let smallest = |w: &[f64], k: usize| -> f64 {
            let mut v = w.to_vec();
            v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(core::cmp::Ordering::Equal));
            v.iter().take(k).sum()
        };
        let (dropped, how) = if nl < nd {
            let share = smallest(&wd, nd - nl) / sd;
            // Joined: about the expected length; dropped: shorter by at least `share`.
            (r < 1.0 - share / 2.0 && r < 0.9, "dropped")
        } else {
            let share = smallest(&wl, nl - nd) / sl;
            (
                r > (1.0 + 1.0 / (1.0 - share).max(0.05)) / 2.0 && r > 1.12,
                "added",
            )
        };
        if !dropped {
            return false;
        }
        let at = if nl > nd {
            // Point at the sentence that is most likely new: the last one without a
            // counterpart by position.
            self.at(first_words(&l.text[l.sentences[nl - 1].clone()]))
        } else {
            self.id_span()
        };
        self.push(
            diags,
            Code::SentenceMismatch,
            at,
            format!(
                "`{}` has {nl} sentence{} where {} has {nd}, and is {:.0} % of the length expected: a sentence was probably {how}",
                self.id(),
                if nl == 1 { "" } else { "s" },
                self.tag(),
                r * 100.0
            ),
            "every sentence of the default text must be translated, and nothing added",
        );
        true
    }

    /// P005: with as many sentences as the default text, each says "not" where the default's
    /// does.
    fn negation(&self, diags: &mut Vec<Diagnostic>) {
        let d = &self.dm.resolved;
        let l = &self.lm.resolved;
        if d.sentences.len() != l.sentences.len()
            || self.loc.lang == Lang::Other
            || self.def.lang == Lang::Other
        {
            return;
        }
        for (k, (dn, ln)) in d.negated.iter().zip(&l.negated).enumerate() {
            if dn == ln {
                // Same polarity overall; a condition and its consequence must keep theirs
                // ("If you say no, we still take your call" ≠ "…, não atendemos").
                if let (Some(Some(dc)), Some(Some(lc))) =
                    (d.conditional.get(k), l.conditional.get(k))
                    && dc != lc
                {
                    let ls = &l.text[l.sentences[k].clone()];
                    let ds = &d.text[d.sentences[k].clone()];
                    let message = format!(
                        "`{}`: \"{}\" reverses {} \"{}\": the condition or what follows it says \"not\" in one language only",
                        self.id(),
                        clip(ls),
                        self.tag(),
                        clip(ds)
                    );
                    self.push(
                        diags,
                        Code::NegationMismatch,
                        self.at(first_words(ls)),
                        message,
                        "the translation reverses what the sentence means",
                    );
                    return;
                }
                continue;
            }
            let ls = &l.text[l.sentences[k].clone()];
            let ds = &d.text[d.sentences[k].clone()];
            // A negation word of the one language written verbatim in the other (an id, a
            // quoted English phrase) is the same word in both: it does not decide.
            let shared = if *dn {
                text::negated(ls, self.def.lang)
            } else {
                text::negated(ds, self.loc.lang)
            };
            if shared {
                continue;
            }
            let message = if *dn {
                format!(
                    "`{}`: \"{}\" does not say \"not\", but {} does: \"{}\"",
                    self.id(),
                    clip(ls),
                    self.tag(),
                    clip(ds)
                )
            } else {
                format!(
                    "`{}`: \"{}\" says \"not\", but {} does not: \"{}\"",
                    self.id(),
                    clip(ls),
                    self.tag(),
                    clip(ds)
                )
            };
            self.push(
                diags,
                Code::NegationMismatch,
                self.at(first_words(ls)),
                message,
                "the translation reverses what the sentence means",
            );
            return;
        }
    }
}

/// P006: messages identical in the locale whose default texts say different things.
fn conflated(def: &Analysed<'_>, loc: &Analysed<'_>, diags: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<String, Vec<&Msg>> = BTreeMap::new();
    for m in &loc.messages {
        let t = m.resolved.text.trim();
        if t.is_empty() || m.id.starts_with("link-") {
            continue;
        }
        groups.entry(t.to_lowercase()).or_default().push(m);
    }
    let file = &loc.locale.file;
    for (_, ms) in groups {
        if ms.len() < 2 {
            continue;
        }
        // In file order.
        let mut ms: Vec<(&Msg, usize)> = ms
            .into_iter()
            .filter_map(|m| file.message(&m.id).map(|e| (m, e.span.start)))
            .collect();
        ms.sort_by_key(|x| x.1);
        let first = ms[0].0;
        let Some(fd) = def.message(&first.id) else {
            continue;
        };
        for (m, _) in ms.iter().skip(1) {
            let Some(md) = def.message(&m.id) else {
                continue;
            };
            if md.resolved.text.trim() == fd.resolved.text.trim() {
                continue;
            }
            let neg = |a: &Msg| a.resolved.negated.iter().any(|x| *x);
            let keys = |a: &Msg| {
                let mut v: Vec<String> = a.resolved.quantities.iter().map(Quantity::key).collect();
                v.sort();
                v
            };
            let differ =
                neg(md) != neg(fd) || keys(md) != keys(fd) || md.placeables != fd.placeables;
            if !differ {
                continue;
            }
            let Some(e) = file.message(&m.id) else {
                continue;
            };
            let first_at = file
                .message(&first.id)
                .map(|x| file.place(x.span.start))
                .unwrap_or_default();
            let d = file.diag(
                Code::ConflatedMessages,
                e.span.clone(),
                format!(
                    "`{}` reads the same as `{}` (\"{}\"), but in {} they differ: \"{}\" / \"{}\"",
                    m.id,
                    first.id,
                    clip(first.resolved.text.trim()),
                    def.locale.tag,
                    clip(fd.resolved.text.trim()),
                    clip(md.resolved.text.trim())
                ),
            );
            diags.push(d.with_note(format!(
                "`{}` is at {first_at}; translate each so people can tell them apart",
                first.id
            )));
        }
    }
}

fn has_text_problem(t: &str) -> bool {
    crate::diagnostics::text::text_problem_at(t, usize::MAX).is_some()
}

fn multiset_minus(a: &[String], b: &[String]) -> Vec<String> {
    let mut rest: Vec<&String> = b.iter().collect();
    let mut out = Vec::new();
    for x in a {
        if let Some(i) = rest.iter().position(|y| *y == x) {
            rest.remove(i);
        } else {
            out.push(x.clone());
        }
    }
    out
}

fn dedup<'s>(it: impl Iterator<Item = &'s str>) -> Vec<&'s str> {
    let mut v: Vec<&str> = Vec::new();
    for x in it {
        if !v.contains(&x) {
            v.push(x);
        }
    }
    v
}

/// At most 60 characters of a sentence, for messages.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// The start of a sentence to find it in the file (up to a placeable or 12 characters).
fn first_words(s: &str) -> &str {
    let end = s.char_indices().nth(12).map_or(s.len(), |(i, _)| i);
    &s[..end]
}
