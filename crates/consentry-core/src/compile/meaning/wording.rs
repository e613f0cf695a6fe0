//! What the wording of each language says about choosing (the dark-pattern rules that read the
//! text), in every language with a lexicon, the default included:
//!
//! - D005: a purpose that runs before a choice somewhere (`on_until_opt_out`) does not say "if
//!   you agree", in its description or where another message names it.
//! - D006: the choice buttons are plain and alike (no brackets or second clause, no nudge, no
//!   label more than twice as long as its counterpart).
//! - D007: each button says what it does (accept says accept; reject, withdraw, save and
//!   settings do not).
//! - D008: the description of a purpose that rests on consent says it happens only if the
//!   visitor agrees.
//! - D009: texts about consent and refusing it (the hotline script's opening and questions
//!   too) do not say that refusing costs the service.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use super::lexicon::{Concept, Hit, Kind};
use super::text::{self, Lang};
use super::{Analysed, Cx, Msg};
use crate::diagnostics::{Code, Diagnostic};
use crate::notice::{LegalBasis, Notice, Purpose};

/// Buttons that accept.
const ACCEPTING: &[&str] = &["accept-all", "agree"];
/// Buttons that refuse or withdraw.
const REFUSING: &[&str] = &["reject-all", "disagree", "withdraw-all"];
/// Buttons that neither accept nor refuse.
const NEUTRAL: &[&str] = &["save-choices", "open-settings"];
/// The pairs of buttons shown side by side.
const PAIRS: &[(&str, &str)] = &[("accept-all", "reject-all"), ("agree", "disagree")];
/// Messages about consent and refusing it (besides the descriptions of consent purposes).
const ABOUT_REFUSING: &[&str] = &[
    "banner-body",
    "settings-intro",
    "separate-consent-intro",
    "gpc-opt-in-intro",
    "right-refusal-information",
    "right-withdraw-consent",
    // What the hotline agent says first: the caller may say no to any question.
    "hotline-script-opening",
];

/// A label longer than this many times its counterpart (and by at least
/// [`PAIR_MIN_DIFFERENCE`] letters) is unequal: "I agree" / "I do not agree" is 1.8.
const PAIR_MAX_RATIO: f64 = 2.0;
const PAIR_MIN_DIFFERENCE: usize = 4;

pub(crate) fn check(cx: &Cx<'_>, diags: &mut Vec<Diagnostic>) {
    if let Some(n) = cx.facts.partial.as_ref() {
        consent_wording(cx, n, diags);
        refusal_penalty(cx, n, diags);
    }
    for loc in &cx.locales {
        choice_labels(loc, diags);
    }
}

/// Whether a purpose rests on consent under a law a visitor can get, and asks for it before it
/// starts (it does not run until switched off anywhere).
fn asks_for_consent(n: &Notice, p: &Purpose) -> bool {
    !p.required
        && p.on_until_opt_out.is_empty()
        && n.regions
            .regimes_in_use()
            .into_iter()
            .any(|g| p.basis_for(g) == LegalBasis::Consent)
}

fn consent_hits(m: &Msg) -> impl Iterator<Item = &Hit> {
    m.resolved
        .hits
        .iter()
        .filter(|h| h.kind == Kind::Mark(Concept::Consent, true))
}

/// Where `written` (text of message `id` as readers see it) is in the file, else the id.
fn at(loc: &Analysed<'_>, id: &str, written: &str) -> Range<usize> {
    loc.locate(id, written)
        .or_else(|| loc.locale.file.message(id).map(|e| e.span.clone()))
        .unwrap_or(0..0)
}

fn id_span(loc: &Analysed<'_>, id: &str) -> Option<Range<usize>> {
    loc.locale.file.message(id).map(|e| e.span.clone())
}

/// D005 and D008.
fn consent_wording(cx: &Cx<'_>, n: &Notice, diags: &mut Vec<Diagnostic>) {
    let def = cx.default();
    for p in &n.purposes {
        let id = format!("purpose-{}-description", p.id);
        let name_id = format!("purpose-{}-name", p.id);
        let runs_first = !p.on_until_opt_out.is_empty();
        let regimes: Vec<&str> = p.on_until_opt_out.iter().map(|g| g.as_str()).collect();
        for loc in &cx.locales {
            if !loc.lexicon.has_concept(Concept::Consent) {
                continue;
            }
            let is_default = def.is_some_and(|d| core::ptr::eq(d, loc));
            if runs_first {
                // D005: its description, and any sentence that names it.
                let place = format!("{{ {name_id} }}");
                let name = loc.message(&name_id).map(|m| m.resolved.text.trim());
                for m in &loc.messages {
                    let hit = if m.id == id {
                        consent_hits(m).next()
                    } else if m.placeables.contains(&place)
                        && let Some(name) = name.filter(|x| !x.is_empty())
                        && let Some(pos) = m.resolved.text.find(name)
                    {
                        let r = &m.resolved;
                        r.sentences
                            .iter()
                            .find(|s| s.start <= pos && pos < s.end)
                            .and_then(|s| {
                                consent_hits(m)
                                    .find(|h| s.start <= h.range.start && h.range.start < s.end)
                            })
                    } else {
                        None
                    };
                    let Some(hit) = hit else { continue };
                    let phrase = &m.resolved.text[hit.range.clone()];
                    let where_ = if m.id == id {
                        String::new()
                    } else {
                        format!(" where it names purpose `{}`", p.id)
                    };
                    diags.push(
                        loc.locale
                            .file
                            .diag(
                                Code::ConsentWordingWithoutConsent,
                                at(loc, &m.id, phrase),
                                format!(
                                    "`{}` says \"{phrase}\"{where_}, but purpose `{}` runs before the visitor chooses under {}",
                                    m.id,
                                    p.id,
                                    regimes.join(", ")
                                ),
                            )
                            .with_note(
                                "say that it runs unless they switch it off, in words that are true for every visitor",
                            ),
                    );
                }
                continue;
            }
            if !asks_for_consent(n, p) {
                continue;
            }
            // D008: the description says it happens only with consent. In a translation, only
            // where the default text does not say it either (else P007 reports it there).
            let Some(m) = loc.message(&id) else { continue };
            if consent_hits(m).next().is_some() {
                continue;
            }
            if !is_default
                && let Some(dm) = def.and_then(|d| d.message(&id))
                && consent_hits(dm).next().is_some()
            {
                continue;
            }
            let Some(span) = id_span(loc, &id) else {
                continue;
            };
            diags.push(
                loc.locale
                    .file
                    .diag(
                        Code::ConsentNotStated,
                        span,
                        format!(
                            "`{id}` does not say that purpose `{}` happens only if the visitor agrees, but it rests on consent",
                            p.id
                        ),
                    )
                    .with_note(
                        "begin with the language's consent condition (\"If you agree, …\", \"Si lo acepta, …\", \"经您同意，…\")",
                    ),
            );
        }
    }
}

/// D009.
fn refusal_penalty(cx: &Cx<'_>, n: &Notice, diags: &mut Vec<Diagnostic>) {
    let mut ids: Vec<String> = ABOUT_REFUSING.iter().map(|s| String::from(*s)).collect();
    for p in &n.purposes {
        if asks_for_consent(n, p) || (!p.on_until_opt_out.is_empty() && !p.required) {
            ids.push(format!("purpose-{}-description", p.id));
            // The questions the hotline agent asks about it.
            ids.push(format!("hotline-script-purpose-{}", p.id));
            ids.push(format!("hotline-script-purpose-{}-separate", p.id));
        }
    }
    for loc in &cx.locales {
        if !loc.lexicon.has(Kind::Penalty) {
            continue;
        }
        for id in &ids {
            let Some(m) = loc.message(id) else { continue };
            let Some(hit) = m.resolved.hits.iter().find(|h| h.kind == Kind::Penalty) else {
                continue;
            };
            let phrase = &m.resolved.text[hit.range.clone()];
            diags.push(
                loc.locale
                    .file
                    .diag(
                        Code::RefusalPenalty,
                        at(loc, id, phrase),
                        format!(
                            "`{id}` says \"{phrase}\": refusing consent must not cost the visitor the service"
                        ),
                    )
                    .with_note(
                        "consent is free only if saying no changes nothing else; if the service really needs this, it is not consent but another legal basis",
                    ),
            );
        }
    }
}

/// Whether an accept verb at `hit` says yes: not negated ("No acepto", "我不同意") and not
/// what is withdrawn ("撤回全部同意", "سحب جميع الموافقات"). Only the words just before it
/// decide (the same clause, at most [`YES_WINDOW`] bytes), so a long label costs no more than
/// a short one per verb.
fn says_yes(m: &Msg, hit: &Hit, lang: Lang) -> bool {
    let t = &m.resolved.text;
    let mut from = hit.range.start.saturating_sub(YES_WINDOW);
    while !t.is_char_boundary(from) {
        from += 1;
    }
    let clause_start = t[from..hit.range.start]
        .rfind([',', ';', ':', '，', '；', '：', '،', '؛'])
        .map_or(from, |i| from + i + 1);
    let before = &t[clause_start..hit.range.start];
    let negated =
        text::negated(before, lang) || (lang != Lang::En && text::negated(before, Lang::En));
    let hits = &m.resolved.hits;
    let first = hits.partition_point(|h| h.range.start < clause_start);
    let revoked = hits[first..]
        .iter()
        .take_while(|h| h.range.start < hit.range.start)
        .any(|h| h.kind == Kind::Revoke && h.range.end <= hit.range.start);
    !negated && !revoked
}

/// How far before an accept verb its negation or a verb of withdrawing is looked for.
const YES_WINDOW: usize = 64;

/// Brackets, and the marks that start a second clause.
fn second_clause(t: &str) -> Option<(usize, char)> {
    let trimmed = t.trim_end_matches(['.', '。', '!', '！']);
    for (i, c) in trimmed.char_indices() {
        let spaced_dash =
            c == '-' && trimmed[..i].ends_with(' ') && trimmed[i + 1..].starts_with(' ');
        if matches!(
            c,
            '(' | ')'
                | '['
                | ']'
                | '（'
                | '）'
                | '【'
                | '】'
                | '〔'
                | '〕'
                | ','
                | ';'
                | ':'
                | '，'
                | '；'
                | '：'
                | '、'
                | '،'
                | '؛'
                | '—'
                | '–'
        ) || spaced_dash
        {
            return Some((i, c));
        }
    }
    // A second sentence.
    (text::sentences(trimmed).len() > 1).then_some((trimmed.len(), '.'))
}

/// D006 and D007 for one locale.
fn choice_labels(loc: &Analysed<'_>, diags: &mut Vec<Diagnostic>) {
    let lex = &loc.lexicon;
    let file = &loc.locale.file;
    let mut unequal: Vec<&str> = Vec::new();
    let report =
        |diags: &mut Vec<Diagnostic>, code: Code, at: Range<usize>, message: String, note: &str| {
            diags.push(file.diag(code, at, message).with_note(note));
        };
    for id in ACCEPTING.iter().chain(REFUSING).chain(NEUTRAL) {
        let Some(m) = loc.message(id) else { continue };
        let t = m.resolved.text.trim();
        if t.is_empty() {
            continue;
        }
        // D006: plain labels.
        let paired = PAIRS.iter().any(|(a, b)| a == id || b == id);
        let nudge = m.resolved.hits.iter().find(|h| h.kind == Kind::Nudge);
        let shape = if paired { second_clause(t) } else { None };
        if let Some(h) = nudge.filter(|_| lex.has(Kind::Nudge)) {
            let w = &m.resolved.text[h.range.clone()];
            report(
                diags,
                Code::UnequalChoiceLabels,
                at(loc, id, w),
                format!("`{id}` (\"{t}\") says \"{w}\", which steers the choice"),
                "a choice button names its action and nothing else; say nothing that recommends or discourages it",
            );
            unequal.push(id);
        } else if let Some((i, c)) = shape {
            let rest = t[i..].trim();
            report(
                diags,
                Code::UnequalChoiceLabels,
                at(loc, id, if rest.is_empty() { t } else { rest }),
                format!("`{id}` (\"{t}\") adds a second clause or a remark after \"{c}\""),
                "a choice button names its action and nothing else (\"Accept all\" / \"Reject all\")",
            );
            unequal.push(id);
        }
        // D007: the label says the button's action.
        if !lex.has(Kind::Accept) {
            continue;
        }
        let yes = m
            .resolved
            .hits
            .iter()
            .find(|h| h.kind == Kind::Accept && says_yes(m, h, loc.lang));
        if ACCEPTING.contains(id) {
            if yes.is_none()
                && let Some(span) = id_span(loc, id)
            {
                report(
                    diags,
                    Code::LabelContradictsAction,
                    span,
                    format!(
                        "`{id}` (\"{t}\") does not say accept or agree, but the button accepts"
                    ),
                    "an accept button says what it does, in the language's verb of accepting",
                );
            }
        } else if let Some(h) = yes {
            let w = &m.resolved.text[h.range.clone()];
            let does = match *id {
                "save-choices" => "saves the choices as made",
                "open-settings" => "opens the settings",
                "withdraw-all" => "withdraws consent",
                _ => "refuses",
            };
            report(
                diags,
                Code::LabelContradictsAction,
                at(loc, id, w),
                format!("`{id}` (\"{t}\") says \"{w}\", but the button {does}"),
                "only the accept buttons may say accept or agree",
            );
        }
    }
    // D006: a pair's labels about as long as each other.
    for (a, b) in PAIRS {
        let (Some(ma), Some(mb)) = (loc.message(a), loc.message(b)) else {
            continue;
        };
        if unequal.contains(a) || unequal.contains(b) {
            continue;
        }
        let (wa, wb) = (
            text::weight(&ma.resolved.text),
            text::weight(&mb.resolved.text),
        );
        let (long, short, wl, ws) = if wa >= wb {
            (a, b, wa, wb)
        } else {
            (b, a, wb, wa)
        };
        if ws == 0 || (wl as f64) <= PAIR_MAX_RATIO * ws as f64 || wl - ws < PAIR_MIN_DIFFERENCE {
            continue;
        }
        let Some(span) = id_span(loc, long) else {
            continue;
        };
        report(
            diags,
            Code::UnequalChoiceLabels,
            span,
            format!(
                "`{long}` is {wl} letters long and `{short}` {ws}: the two choices do not look alike"
            ),
            "give both buttons labels of about the same length",
        );
    }
}
