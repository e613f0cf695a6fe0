//! Parity of every locale with the default locale (the `P` rules), message by message:
//! numbers and durations (P001), placeables (P002), addresses, acronyms, codes and countries
//! (P003), sentences dropped or added (P004), negation (P005), and two messages that read the
//! same although the default locale says different things (P006).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use super::lexicon::{Concept, Hit, Kind};
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
/// P009: messages whose default text has at least this many characters set the usual length
/// of a locale (the median ratio of its letters to the default's) …
const LENGTH_BASE_CHARS: usize = 40;
/// … from at least this many messages; …
const LENGTH_MIN_MESSAGES: usize = 8;
/// … a sentence of at least this many letters (default, or translation at the usual ratio) …
const LENGTH_MIN_WEIGHT: f64 = 120.0;
/// … is out of line when it is this factor shorter or longer than usual. Calibrated on the
/// shipped locales: their long sentences stay within a factor of 1.4 (banner-body in Spanish
/// and Portuguese), shorter ones vary more (legal names), and a dropped clause of a long sentence
/// halves it.
const LENGTH_FACTOR: f64 = 1.65;

pub(crate) fn check(cx: &Cx<'_>, terms: &[Terms], diags: &mut Vec<Diagnostic>) {
    let Some(def) = cx.default() else { return };
    // (locale, message id, finding): collected first, so that a finding every translation
    // shares can be reported once at the default text.
    let mut found: Vec<(usize, String, Diagnostic)> = Vec::new();
    for (li, loc) in cx.locales.iter().enumerate() {
        if core::ptr::eq(loc, def) {
            continue;
        }
        let terms = terms.iter().find(|t| t.tag == loc.locale.tag.as_str());
        let ratio = length_ratio(def, loc);
        let usual = usual_length(def, loc);
        for lm in &loc.messages {
            let Some(dm) = def.message(&lm.id) else {
                continue;
            };
            // Markup and hidden characters are M011–M013; comparing such text only adds noise.
            if has_text_problem(&dm.resolved.text) || has_text_problem(&lm.resolved.text) {
                continue;
            }
            let p = Pair { def, loc, dm, lm };
            let mut out = Vec::new();
            p.numbers(&mut out);
            p.placeables(&mut out);
            p.entities(terms, &mut out);
            let counted = p.sentences(ratio, &mut out);
            if !counted {
                p.negation(&mut out);
            }
            p.promises(&mut out);
            if !counted {
                p.length(usual, &mut out);
            }
            found.extend(out.into_iter().map(|d| (li, lm.id.clone(), d)));
        }
        conflated(cx, def, loc, diags);
    }
    once_at_the_default(cx, def, found, diags);
}

/// The finding for a concept a translation has and its default text lacks, with its advice:
/// P010 for a special category of data, P011 for a charge or a deadline in business days.
fn added_code(concept: Concept) -> Option<(Code, &'static str)> {
    match concept {
        Concept::Sensitive => Some((
            Code::SensitiveDataAdded,
            "translate what the default text says; if this data is processed, declare it in notice.toml (a data category with its legal basis) and say it in every language",
        )),
        Concept::Charge | Concept::BusinessDays => Some((
            Code::ConditionAdded,
            "readers of this language get a harder deal than the default text offers: translate what it says (rights are free of charge and deadlines run in the law's days)",
        )),
        _ => None,
    }
}

/// Which findings count as the same disagreement when deciding that the default text changed.
fn family(code: Code) -> u8 {
    match code {
        Code::SentenceMismatch | Code::LengthOutOfLine => 4,
        Code::NegationMismatch | Code::SaysTheOpposite => 5,
        other => other as u8,
    }
}

/// When every translation disagrees with the default text of a message in the same way, the
/// default text is what changed (an English edit that the translations did not follow): one
/// finding at the default message instead of one per translation.
fn once_at_the_default(
    cx: &Cx<'_>,
    def: &Analysed<'_>,
    found: Vec<(usize, String, Diagnostic)>,
    diags: &mut Vec<Diagnostic>,
) {
    // (id, family) → the locales with such a finding.
    let mut groups: BTreeMap<(String, u8), Vec<usize>> = BTreeMap::new();
    for (li, id, d) in &found {
        let v = groups.entry((id.clone(), family(d.code))).or_default();
        if !v.contains(li) {
            v.push(*li);
        }
    }
    let mut moved: BTreeMap<(String, u8), bool> = BTreeMap::new();
    for ((id, fam), locs) in &groups {
        let lexical = *fam == 5
            || *fam == Code::PromiseMarkerMissing as u8
            || *fam == Code::SensitiveDataAdded as u8
            || *fam == Code::ConditionAdded as u8;
        let eligible: Vec<usize> = cx
            .locales
            .iter()
            .enumerate()
            .filter(|(_, l)| !core::ptr::eq(*l, def))
            .filter(|(_, l)| l.message(id).is_some())
            .filter(|(_, l)| !lexical || l.lang != Lang::Other)
            .map(|(i, _)| i)
            .collect();
        let mut all = eligible.len() >= 2 && eligible.iter().all(|i| locs.contains(i));
        // A sentence dropped or added: found in some translations only (the others within
        // the tolerance of their length), but every translation has as many sentences as the
        // others and a different count from the default: the default text changed.
        if *fam == 4 && !all && eligible.len() >= 2 {
            let n = |l: &Analysed<'_>| l.message(id).map_or(0, |m| m.resolved.sentences.len());
            let d = n(def);
            let counts: Vec<usize> = eligible.iter().map(|i| n(&cx.locales[*i])).collect();
            all = counts.iter().all(|c| *c == counts[0] && *c != d);
        }
        moved.insert((id.clone(), *fam), all);
    }
    let mut done: BTreeSet<(String, u8)> = BTreeSet::new();
    for (_, id, d) in found {
        let key = (id.clone(), family(d.code));
        if !moved.get(&key).copied().unwrap_or(false) {
            diags.push(d);
            continue;
        }
        if done.contains(&key) {
            continue;
        }
        let Some(e) = def.locale.file.message(&id) else {
            continue;
        };
        let n = groups.get(&key).map_or(0, Vec::len);
        let first = d.note.as_deref().map_or(String::new(), |_| {
            format!(" (in {}: {})", d.file, d.message)
        });
        let moved = def
            .locale
            .file
            .diag(
                d.code,
                e.span.clone(),
                format!(
                    "`{id}`: the default text changed: every translation now disagrees with it ({n} of {n}){first}"
                ),
            )
            .with_note(
                "fix the default text if the change was a mistake; otherwise update every translation",
            );
        diags.push(moved);
        done.insert(key);
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
    /// does. Sentences are paired by what anchors them (numbers, names, a condition), so that
    /// two sentences swapped are not a reversal; within a pair, a condition and what follows
    /// it, and clauses that line up, keep their polarity too.
    fn negation(&self, diags: &mut Vec<Diagnostic>) {
        let d = &self.dm.resolved;
        let l = &self.lm.resolved;
        if d.sentences.len() != l.sentences.len()
            || self.loc.lang == Lang::Other
            || self.def.lang == Lang::Other
        {
            return;
        }
        let pairs = align(d, l, self.def.lang, self.loc.lang);
        for (k, j) in pairs {
            let (dn, ln) = (d.negated[k], l.negated[j]);
            let ls = &l.text[l.sentences[j].clone()];
            let ds = &d.text[d.sentences[k].clone()];
            if dn == ln {
                if let Some(why) = self.clause_reversal(k, j) {
                    let message = format!(
                        "`{}`: \"{}\" reverses {} \"{}\": {why}",
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
            // A negation word of the one language written verbatim in the other (an id, a
            // quoted English phrase) is the same word in both: it does not decide.
            let shared = if dn {
                text::negated(ls, self.def.lang)
            } else {
                text::negated(ds, self.loc.lang)
            };
            if shared {
                continue;
            }
            let message = if dn {
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

    /// Within two paired sentences of the same overall polarity: why a part of the translation
    /// reverses its counterpart, if one does.
    fn clause_reversal(&self, k: usize, j: usize) -> Option<&'static str> {
        let d = &self.dm.resolved;
        let l = &self.lm.resolved;
        let (dl, ll) = (self.def.lang, self.loc.lang);
        // A condition and its consequence ("If you say no, we still take your call" ≠ "…,
        // não atendemos").
        if let (Some(Some(dc)), Some(Some(lc))) = (d.conditional.get(k), l.conditional.get(j))
            && dc != lc
        {
            return Some("the condition or what follows it says \"not\" in one language only");
        }
        let ds = &d.text[d.sentences[k].clone()];
        let ls = &l.text[l.sentences[j].clone()];
        let dc = text::clauses(ds, dl);
        let lc = text::clauses(ls, ll);
        // Clauses that line up (as many, the same conditions, numbers and names in each): each
        // keeps its polarity.
        if dc.len() == lc.len() && dc.len() > 1 {
            let sig = |s: &str, c: &[Range<usize>], a: &super::Analysis, off: usize, lang| {
                let ranges: Vec<Range<usize>> =
                    c.iter().map(|r| off + r.start..off + r.end).collect();
                c.iter()
                    .map(|r| text::is_condition(&s[r.clone()], lang))
                    .zip(anchors_by_range(a, &ranges))
                    .collect::<Vec<_>>()
            };
            let doff = d.sentences[k].start;
            let loff = l.sentences[j].start;
            if sig(ds, &dc, d, doff, dl) == sig(ls, &lc, l, loff, ll) {
                for (a, b) in dc.iter().zip(&lc) {
                    let (x, y) = (&ds[a.clone()], &ls[b.clone()]);
                    let (nx, ny) = (text::negated(x, dl), text::negated(y, ll));
                    if nx != ny && !(nx && text::negated(y, dl)) && !(ny && text::negated(x, ll)) {
                        return Some("one of its clauses says \"not\" in one language only");
                    }
                }
            }
        }
        // A negative statement that the translation turns around with "but" ("Not sold or
        // shared" → "Não são vendidos, mas são compartilhados").
        let all_negative = !dc.is_empty()
            && dc.iter().all(|r| text::negated(&ds[r.clone()], dl))
            && !dc.iter().any(|r| text::is_contrast(&ds[r.clone()], dl));
        if all_negative
            && lc.iter().any(|r| {
                let c = &ls[r.clone()];
                text::is_contrast(c, ll) && !text::negated(c, ll)
            })
        {
            return Some(
                "a \"but\" clause says the contrary of the default text's negative statement",
            );
        }
        None
    }

    /// P007 and P008: the promises of the default text (a consent condition, "separately", "at
    /// any time", "free of charge", "whatever you choose", selling) are in the translation, and
    /// none of the states it names (on, under an age, deleted, the strictest rules) is turned
    /// into its opposite.
    fn promises(&self, diags: &mut Vec<Diagnostic>) {
        let d = &self.dm.resolved;
        let l = &self.lm.resolved;
        let (dlex, llex) = (&self.def.lexicon, &self.loc.lexicon);
        let mut missing: Vec<(Concept, bool, Range<usize>)> = Vec::new();
        let mut opposite: Option<(Concept, bool, Range<usize>, Range<usize>)> = None;
        let mut seen: Vec<Concept> = Vec::new();
        let mut added: Vec<(Concept, Range<usize>)> = Vec::new();
        for concept in Concept::ALL {
            if !dlex.has_concept(concept) || !llex.has_concept(concept) {
                continue;
            }
            let dh = sides(&d.hits, concept, None);
            if dh.is_empty() {
                // P010, P011: a special category, a charge or business days the default
                // text does not have.
                if added_code(concept).is_some()
                    && let Some((_, r)) = sides(&l.hits, concept, None).first()
                {
                    added.push((concept, r.clone()));
                }
                continue;
            }
            let lh = sides(&l.hits, concept, None);
            for plus in [true, false] {
                let Some(dr) = first_of(&dh, plus) else {
                    continue;
                };
                if first_of(&lh, plus).is_some() {
                    continue;
                }
                seen.push(concept);
                match first_of(&lh, !plus) {
                    Some(lr) if first_of(&dh, !plus).is_none() => {
                        if opposite.is_none() {
                            opposite = Some((concept, plus, dr, lr));
                        }
                    }
                    _ => missing.push((concept, plus, dr)),
                }
                break;
            }
        }
        // Sentence by sentence, for the states: "On until you switch it off" ≠ "Desactivado
        // hasta que lo active".
        if opposite.is_none() && d.sentences.len() == l.sentences.len() {
            'pairs: for (k, j) in align(d, l, self.def.lang, self.loc.lang) {
                for concept in Concept::ALL {
                    if !concept.paired()
                        || seen.contains(&concept)
                        || !dlex.has_concept(concept)
                        || !llex.has_concept(concept)
                    {
                        continue;
                    }
                    let dh = sides(&d.hits, concept, Some(&d.sentences[k]));
                    let lh = sides(&l.hits, concept, Some(&l.sentences[j]));
                    if dh.is_empty() || lh.is_empty() {
                        continue;
                    }
                    let (druns, lruns) = (runs(&dh), runs(&lh));
                    let swapped = druns.len() == 1 && lruns.len() == 1 && druns[0] != lruns[0];
                    let reversed = druns.len() == 2
                        && lruns.len() == 2
                        && druns[0] == lruns[1]
                        && druns[1] == lruns[0];
                    if swapped || reversed {
                        let plus = druns[0];
                        opposite = Some((concept, plus, dh[0].1.clone(), lh[0].1.clone()));
                        break 'pairs;
                    }
                }
            }
        }
        if let Some((concept, plus, dr, lr)) = opposite {
            let written = &l.text[lr];
            self.push(
                diags,
                Code::SaysTheOpposite,
                self.at(written),
                format!(
                    "`{}` says \"{written}\" ({}) where {} says \"{}\" ({})",
                    self.id(),
                    concept.name(!plus),
                    self.tag(),
                    &d.text[dr],
                    concept.name(plus)
                ),
                "the translation promises the opposite of the default text",
            );
        }
        for (concept, lr) in added {
            let Some((code, what)) = added_code(concept) else {
                continue;
            };
            let written = &l.text[lr];
            self.push(
                diags,
                code,
                self.at(written),
                format!(
                    "`{}` says \"{written}\" ({}), which {} does not",
                    self.id(),
                    concept.name(true),
                    self.tag()
                ),
                what,
            );
        }
        if !missing.is_empty() {
            let what: Vec<String> = missing
                .iter()
                .map(|(c, plus, r)| format!("{} (\"{}\")", c.name(*plus), &d.text[r.clone()]))
                .collect();
            self.push(
                diags,
                Code::PromiseMarkerMissing,
                self.id_span(),
                format!(
                    "`{}` does not say {} as {} does",
                    self.id(),
                    what.join(", "),
                    self.tag()
                ),
                "every promise of the default text must be in the translation, in the language's own words",
            );
        }
    }

    /// P009: a long sentence much shorter or longer than the locale's usual length for it
    /// (sentences paired as for P005): a clause was probably dropped or added.
    fn length(&self, usual: Option<f64>, diags: &mut Vec<Diagnostic>) {
        let Some(usual) = usual else { return };
        let d = &self.dm.resolved;
        let l = &self.lm.resolved;
        if d.sentences.len() != l.sentences.len() || usual <= 0.0 {
            return;
        }
        for (k, j) in align(d, l, self.def.lang, self.loc.lang) {
            let (ds, ls) = (
                &d.text[d.sentences[k].clone()],
                &l.text[l.sentences[j].clone()],
            );
            let (wd, wl) = (text::weight(ds) as f64, text::weight(ls) as f64);
            // Long enough for its length to say something (in letters of the default text, or
            // the translation's letters at the locale's usual ratio).
            if wd <= 0.0 || wl <= 0.0 || wd.max(wl / usual) < LENGTH_MIN_WEIGHT {
                continue;
            }
            let r = wl / wd / usual;
            let (short, long) = (r < 1.0 / LENGTH_FACTOR, r > LENGTH_FACTOR);
            if !short && !long {
                continue;
            }
            self.push(
                diags,
                Code::LengthOutOfLine,
                self.at(first_words(ls)),
                format!(
                    "`{}`: \"{}\" is {:.0} % of the length {} \"{}\" leads to expect in {}: a clause was probably {}",
                    self.id(),
                    clip(ls),
                    r * 100.0,
                    self.tag(),
                    clip(ds),
                    self.loc.locale.tag,
                    if short { "dropped" } else { "added" }
                ),
                "compare the sentence with the default text clause by clause",
            );
            return;
        }
    }
}

/// The sides of `concept` among `hits` (optionally only those inside `within`), in text
/// order.
fn sides(
    hits: &[Hit],
    concept: Concept,
    within: Option<&Range<usize>>,
) -> Vec<(bool, Range<usize>)> {
    // Hits are in text order: the ones inside `within` are one slice of them.
    let hits = match within {
        Some(w) => {
            let from = hits.partition_point(|h| h.range.start < w.start);
            let to = hits.partition_point(|h| h.range.start < w.end);
            &hits[from..to.max(from)]
        }
        None => hits,
    };
    hits.iter()
        .filter_map(|h| match h.kind {
            Kind::Mark(c, plus) if c == concept => Some((plus, h.range.clone())),
            _ => None,
        })
        .collect()
}

fn first_of(v: &[(bool, Range<usize>)], plus: bool) -> Option<Range<usize>> {
    v.iter().find(|(p, _)| *p == plus).map(|(_, r)| r.clone())
}

/// The sides in order with repeats merged: on, on, off → [on, off].
fn runs(v: &[(bool, Range<usize>)]) -> Vec<bool> {
    let mut out: Vec<bool> = Vec::new();
    for (p, _) in v {
        if out.last() != Some(p) {
            out.push(*p);
        }
    }
    out
}

/// The anchors (numbers, addresses, codes, countries) of each of `ranges` (sorted, not
/// overlapping), sorted: one pass over the text's findings, each placed by binary search.
fn anchors_by_range(a: &super::Analysis, ranges: &[Range<usize>]) -> Vec<Vec<String>> {
    let mut per: Vec<Vec<String>> = alloc::vec![Vec::new(); ranges.len()];
    let mut put = |at: usize, key: String| {
        let k = ranges.partition_point(|s| s.end <= at);
        if let Some(v) = per.get_mut(k)
            && ranges[k].start <= at
        {
            v.push(key);
        }
    };
    // Only the findings between the first range's start and the last one's end (each list is
    // in text order), so a sentence's clauses cost what the sentence holds.
    let (lo, hi) = match (ranges.first(), ranges.last()) {
        (Some(f), Some(l)) => (f.start, l.end),
        _ => return per,
    };
    fn within<T>(v: &[T], lo: usize, hi: usize, start: impl Fn(&T) -> usize) -> &[T] {
        let from = v.partition_point(|x| start(x) < lo);
        let to = v.partition_point(|x| start(x) < hi).max(from);
        &v[from..to]
    }
    for q in within(&a.quantities, lo, hi, |q| q.range.start) {
        put(q.range.start, q.key());
    }
    for (r, e) in within(&a.emails, lo, hi, |e| e.0.start) {
        put(r.start, e.clone());
    }
    for (r, u) in within(&a.urls, lo, hi, |e| e.0.start) {
        put(r.start, u.to_lowercase());
    }
    for (r, x) in within(&a.acronyms, lo, hi, |e| e.0.start) {
        put(r.start, x.clone());
    }
    for (r, c) in within(&a.countries, lo, hi, |e| e.0.start) {
        put(r.start, c.clone());
    }
    for v in &mut per {
        v.sort();
    }
    per
}

/// Pairs the sentences of two texts with as many sentences: a sentence whose anchors (numbers,
/// names, a condition and whether it says "not") no other sentence of its text shares goes
/// with the sentence of the other text that has the same; the rest in order. Returns
/// (default index, translation index) pairs in default order.
fn align(d: &super::Analysis, l: &super::Analysis, dl: Lang, ll: Lang) -> Vec<(usize, usize)> {
    let n = d.sentences.len().min(l.sentences.len());
    let sigs = |a: &super::Analysis, lang: Lang| -> Vec<String> {
        let per = anchors_by_range(a, &a.sentences[..n]);
        (0..n)
            .map(|k| {
                let s = &a.text[a.sentences[k].clone()];
                let cond = match a.conditional.get(k).copied().flatten() {
                    Some((true, _)) => "if-not|",
                    Some((false, _)) => "if|",
                    None if text::is_condition(s, lang) => "if?|",
                    None => "",
                };
                format!("{cond}{}", per[k].join("|"))
            })
            .collect()
    };
    let (ds, ls) = (sigs(d, dl), sigs(l, ll));
    let (dc, lc) = (count_by_key(&ds), count_by_key(&ls));
    let mut to: Vec<Option<usize>> = alloc::vec![None; n];
    let mut used: Vec<bool> = alloc::vec![false; n];
    for (k, s) in ds.iter().enumerate() {
        if s.is_empty() {
            continue;
        }
        if let (Some((1, _)), Some((1, j))) = (dc.get(s.as_str()), lc.get(s.as_str())) {
            to[k] = Some(*j);
            used[*j] = true;
        }
    }
    let mut free = (0..n).filter(|j| !used[*j]);
    let mut out = Vec::with_capacity(n);
    for (k, t) in to.into_iter().enumerate() {
        match t.or_else(|| free.next()) {
            Some(j) => out.push((k, j)),
            None => break,
        }
    }
    out
}

/// How often each key occurs, and where first.
fn count_by_key(v: &[String]) -> BTreeMap<&str, (usize, usize)> {
    let mut m: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, s) in v.iter().enumerate() {
        let e = m.entry(s.as_str()).or_insert((0, i));
        e.0 += 1;
    }
    m
}

/// The usual length of a locale's messages against the default's: the median ratio over the
/// messages whose default text has at least [`LENGTH_BASE_CHARS`] characters.
fn usual_length(def: &Analysed<'_>, loc: &Analysed<'_>) -> Option<f64> {
    let mut ratios: Vec<f64> = loc
        .messages
        .iter()
        .filter_map(|lm| {
            let dm = def.message(&lm.id)?;
            let dt = dm.resolved.text.trim();
            if dt.chars().count() < LENGTH_BASE_CHARS {
                return None;
            }
            let (wd, wl) = (text::weight(dt), text::weight(&lm.resolved.text));
            (wd > 0 && wl > 0).then(|| wl as f64 / wd as f64)
        })
        .collect();
    if ratios.len() < LENGTH_MIN_MESSAGES {
        return None;
    }
    ratios.sort_by(|a, b| a.partial_cmp(b).unwrap_or(core::cmp::Ordering::Equal));
    Some(ratios[ratios.len() / 2])
}

/// P006: messages identical in the locale whose default texts say different things.
///
/// Two link labels (`link-<name>`) that read the same although the links go to different
/// places, and the default labels differ, are conflated too: people cannot tell where each
/// goes (a privacy policy labelled as the request form).
fn conflated(cx: &Cx<'_>, def: &Analysed<'_>, loc: &Analysed<'_>, diags: &mut Vec<Diagnostic>) {
    let target = |id: &str| -> Option<&str> {
        let name = id.strip_prefix("link-")?;
        cx.facts
            .links
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| cx.facts.links[i].1.as_str())
    };
    let mut groups: BTreeMap<String, Vec<&Msg>> = BTreeMap::new();
    for m in &loc.messages {
        let t = m.resolved.text.trim();
        if t.is_empty() {
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
            let differ = match (target(&first.id), target(&m.id)) {
                (Some(a), Some(b)) => a != b,
                (None, None) => {
                    neg(md) != neg(fd) || keys(md) != keys(fd) || md.placeables != fd.placeables
                }
                // A label that reads like another message is not a choice to tell apart.
                _ => false,
            };
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
