//! Facts written in the text (the `K` rules): durations that contradict a purpose's retention
//! (K002) or repeat it instead of `{ $retention }` (K003), e-mail addresses the notice does not
//! have (K004), link labels that name another address than the link opens (K005), countries a
//! purpose's data does not go to (K006) and links named like a built-in variable (K007). Also
//! the per-language duration formatter behind `{ $retention }`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::text::{self, Lang, Quantity, Unit};
use super::{Analysed, Cx};
use crate::compile::resolve::{RESERVED_VARIABLES, mailto_address};
use crate::diagnostics::{Code, Diagnostic};
use crate::notice::Retention;

// ---------------------------------------------------------------------------------------------
// Duration words

/// A retention period in words of `lang` (`3 years`, `3 años`, `3年`, `3 سنوات`), or `None`
/// for a language without a formatter.
pub(crate) fn format_retention(r: &Retention, lang: Lang) -> Option<String> {
    let [y, mo, w, d] = r.date_parts();
    let [h, mi, s] = r.time_parts();
    let parts: Vec<(u32, usize)> = [(y, 0), (mo, 1), (w, 2), (d, 3), (h, 4), (mi, 5), (s, 6)]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .collect();
    let parts = if parts.is_empty() {
        alloc::vec![(0, 3)]
    } else {
        parts
    };
    let words: Vec<String> = parts
        .iter()
        .map(|&(n, u)| amount(n, u, lang))
        .collect::<Option<_>>()?;
    Some(match lang {
        Lang::Zh => words.concat(),
        _ => {
            let and = match lang {
                Lang::En => " and ",
                Lang::Es => " y ",
                Lang::Fr => " et ",
                Lang::Pt => " e ",
                _ => " و",
            };
            match words.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
                _ => words.concat(),
            }
        }
    })
}

/// `n` of unit `u` (0 years … 6 seconds) in `lang`.
fn amount(n: u32, u: usize, lang: Lang) -> Option<String> {
    // (singular, plural) per unit.
    const EN: [(&str, &str); 7] = [
        ("year", "years"),
        ("month", "months"),
        ("week", "weeks"),
        ("day", "days"),
        ("hour", "hours"),
        ("minute", "minutes"),
        ("second", "seconds"),
    ];
    const ES: [(&str, &str); 7] = [
        ("año", "años"),
        ("mes", "meses"),
        ("semana", "semanas"),
        ("día", "días"),
        ("hora", "horas"),
        ("minuto", "minutos"),
        ("segundo", "segundos"),
    ];
    const FR: [(&str, &str); 7] = [
        ("an", "ans"),
        ("mois", "mois"),
        ("semaine", "semaines"),
        ("jour", "jours"),
        ("heure", "heures"),
        ("minute", "minutes"),
        ("seconde", "secondes"),
    ];
    const PT: [(&str, &str); 7] = [
        ("ano", "anos"),
        ("mês", "meses"),
        ("semana", "semanas"),
        ("dia", "dias"),
        ("hora", "horas"),
        ("minuto", "minutos"),
        ("segundo", "segundos"),
    ];
    const ZH: [&str; 7] = ["年", "个月", "周", "天", "小时", "分钟", "秒"];
    let latin = |t: &[(&str, &str); 7]| {
        // French: 0 and 1 take the singular; the others, 1 only.
        let one = n == 1 || (lang == Lang::Fr && n == 0);
        let (sg, pl) = t[u];
        format!("{n} {}", if one { sg } else { pl })
    };
    Some(match lang {
        Lang::En => latin(&EN),
        Lang::Es => latin(&ES),
        Lang::Fr => latin(&FR),
        Lang::Pt => latin(&PT),
        Lang::Zh => format!("{n}{}", ZH[u]),
        Lang::Ar => arabic(n, u),
        Lang::Other => return None,
    })
}

/// Arabic counted nouns, in the genitive/accusative that follows لمدة / بعد / خلال: 1 = noun +
/// واحد, 2 = dual, 3–10 = plural, 11–99 = accusative singular, 100+ by the last two digits.
fn arabic(n: u32, u: usize) -> String {
    // (one, dual, plural 3–10, singular after 11–99, singular after 100, 200, …)
    const T: [(&str, &str, &str, &str, &str); 7] = [
        ("سنة واحدة", "سنتين", "سنوات", "سنة", "سنة"),
        ("شهر واحد", "شهرين", "أشهر", "شهرًا", "شهر"),
        ("أسبوع واحد", "أسبوعين", "أسابيع", "أسبوعًا", "أسبوع"),
        ("يوم واحد", "يومين", "أيام", "يومًا", "يوم"),
        ("ساعة واحدة", "ساعتين", "ساعات", "ساعة", "ساعة"),
        ("دقيقة واحدة", "دقيقتين", "دقائق", "دقيقة", "دقيقة"),
        ("ثانية واحدة", "ثانيتين", "ثوانٍ", "ثانية", "ثانية"),
    ];
    let (one, two, few, many, hundreds) = T[u];
    let last = n % 100;
    match n {
        1 => one.into(),
        2 => two.into(),
        _ if (3..=10).contains(&last) => format!("{n} {few}"),
        _ if n >= 100 && last <= 2 => format!("{n} {hundreds}"),
        _ => format!("{n} {many}"),
    }
}

/// The key a duration written in text has when it equals `r` (see [`Quantity::key`]).
pub(crate) fn retention_key(r: &Retention) -> Option<String> {
    let [y, mo, w, d] = r.date_parts();
    let [h, mi, s] = r.time_parts();
    let months = y * 12 + mo;
    let days = w * 7 + d;
    match (months, days, h, mi + s) {
        (m, 0, 0, 0) if m > 0 => Some(format!("M{m}")),
        (0, d, 0, 0) => Some(format!("D{d}")),
        (0, 0, h, 0) if h > 0 => Some(format!("H{h}")),
        _ => None,
    }
}

/// Sum of durations as a key (to compare "1 year and 6 months" with `P1Y6M`).
fn sum_key(qs: &[&Quantity]) -> Option<String> {
    let (mut months, mut days, mut hours) = (0u64, 0u64, 0u64);
    for q in qs {
        let n: u64 = q.value.parse().ok()?;
        match q.unit? {
            Unit::Year => months += n * 12,
            Unit::Month => months += n,
            Unit::Week => days += n * 7,
            Unit::Day => days += n,
            Unit::Hour => hours += n,
        }
    }
    Some(format!("{months}/{days}/{hours}"))
}

fn retention_sum_key(r: &Retention) -> String {
    let [y, mo, w, d] = r.date_parts();
    let [h, _, _] = r.time_parts();
    format!("{}/{}/{}", y * 12 + mo, w * 7 + d, h)
}

// ---------------------------------------------------------------------------------------------
// Rules

/// K002–K007.
pub(crate) fn check(cx: &Cx<'_>, diags: &mut Vec<Diagnostic>) {
    reserved_link_names(cx, diags);
    let Some(notice) = cx.facts.notice.as_ref() else {
        return;
    };
    // Addresses the notice has.
    let mut known: Vec<String> = notice
        .links
        .iter()
        .filter_map(|l| mailto_address(&l.url))
        .map(str::to_ascii_lowercase)
        .collect();
    let c = &notice.controller;
    known.push(c.email.to_ascii_lowercase());
    known.extend(c.dpo.iter().map(|d| d.email.to_ascii_lowercase()));
    known.extend(
        c.eu_representative
            .iter()
            .map(|r| r.email.to_ascii_lowercase()),
    );
    known.extend(
        c.china_representative
            .iter()
            .map(|r| r.email.to_ascii_lowercase()),
    );

    for loc in &cx.locales {
        let file = &loc.locale.file;
        for m in &loc.messages {
            let Some(entry) = file.message(&m.id) else {
                continue;
            };
            let purpose = cx.purpose_of(&m.id);

            // K002 / K003: durations written in a purpose's own text.
            if let Some(p) = purpose {
                let literal = &m.literal;
                let durations: Vec<&Quantity> = literal
                    .quantities
                    .iter()
                    .filter(|q| q.unit.is_some())
                    .collect();
                if !durations.is_empty() {
                    let want = retention_key(&p.retention);
                    let all_equal = durations.iter().all(|q| Some(q.key()) == want);
                    let sum_equal = sum_key(&durations).as_deref()
                        == Some(retention_sum_key(&p.retention).as_str());
                    for q in &durations {
                        let written = &literal.text[q.range.clone()];
                        let at = loc.locate(&m.id, written).unwrap_or(entry.span.clone());
                        if all_equal || sum_equal {
                            diags.push(
                                file.diag(
                                    Code::RetentionWrittenOut,
                                    at,
                                    format!(
                                        "`{}` writes out the retention of `{}` (\"{written}\", {})",
                                        m.id, p.id, p.retention
                                    ),
                                )
                                .with_note(
                                    "write { $retention } instead, so the text follows notice.toml",
                                ),
                            );
                            if sum_equal && !all_equal {
                                break;
                            }
                        } else {
                            diags.push(
                                file.diag(
                                    Code::RetentionMismatch,
                                    at,
                                    format!(
                                        "`{}` says \"{written}\" ({}), but purpose `{}` keeps data for {} in notice.toml",
                                        m.id,
                                        q.describe(),
                                        p.id,
                                        p.retention
                                    ),
                                )
                                .with_note(format!(
                                    "write {{ $retention }} instead, or correct retention = \"{}\" in notice.toml",
                                    p.retention
                                )),
                            );
                        }
                    }
                }
            }

            // K004: e-mail addresses written in the text (labels are checked by K005).
            if !m.id.starts_with("link-") {
                for (range, address) in &m.literal.emails {
                    if known.contains(address) {
                        continue;
                    }
                    let written = &m.literal.text[range.clone()];
                    let at = loc.locate(&m.id, written).unwrap_or(entry.span.clone());
                    let mailtos: Vec<&str> = notice
                        .links
                        .iter()
                        .filter(|l| l.url.starts_with("mailto:"))
                        .map(|l| l.name.as_str())
                        .collect();
                    diags.push(
                        file.diag(
                            Code::UnknownEmail,
                            at,
                            format!("`{}` writes the address {written}, which is not an address of notice.toml", m.id),
                        )
                        .with_note(if mailtos.is_empty() {
                            "add it to [links] as mailto:… and place it with { $name }".to_string()
                        } else {
                            format!("place the right address with {{ ${} }}", mailtos.join(" }, { $"))
                        }),
                    );
                }
            }

            // K006: countries a purpose's text names.
            if let Some(p) = purpose {
                for (range, code) in &m.resolved.countries {
                    // Other languages: the countries the locale itself labels (country-XX).
                    if loc.lang != Lang::En && loc.message(&format!("country-{code}")).is_none() {
                        continue;
                    }
                    let ok = p.transfers.iter().any(|t| t.destination.as_str() == code)
                        || c.country.as_ref().is_some_and(|cc| cc.as_str() == code);
                    if ok {
                        continue;
                    }
                    let written = &m.resolved.text[range.clone()];
                    let at = loc.locate(&m.id, written).unwrap_or(entry.span.clone());
                    let mut dests: Vec<&str> =
                        p.transfers.iter().map(|t| t.destination.as_str()).collect();
                    dests.dedup();
                    diags.push(
                        file.diag(
                            Code::CountryNotInTransfers,
                            at,
                            format!(
                                "`{}` names {written} ({code}), but purpose `{}` sends no data there",
                                m.id, p.id
                            ),
                        )
                        .with_note(format!(
                            "its transfers go to {}; the controller is in {}",
                            if dests.is_empty() { "no other country".to_string() } else { dests.join(", ") },
                            c.country.as_ref().map_or("an unknown country", |cc| cc.as_str())
                        )),
                    );
                }
            }
        }
        link_labels(cx, loc, diags);
        organisations(cx, loc, diags);
    }
    complaint_links(cx, diags);
}

/// K008: registered company names in a purpose's text must be companies of that purpose
/// (processors, third parties, transfer recipients, as notice.toml or the locale's facts file
/// writes them) or the controller.
fn organisations(cx: &Cx<'_>, loc: &Analysed<'_>, diags: &mut Vec<Diagnostic>) {
    use super::names::{registered_names, same_other};
    let Some(notice) = cx.facts.notice.as_ref() else {
        return;
    };
    let file = &loc.locale.file;
    let facts = cx
        .translations
        .iter()
        .find(|t| t.tag == loc.locale.tag.as_str());
    // `-brand` as written (text only).
    let brand: Option<String> = file.terms.iter().find(|t| t.id == "brand").and_then(|t| {
        let mut s = String::new();
        for p in t.pattern.as_ref()? {
            match p {
                super::super::ftl::Piece::Text(x) => s.push_str(x),
                _ => return None,
            }
        }
        let s = s.trim().to_string();
        (!s.is_empty()).then_some(s)
    });
    for m in &loc.messages {
        let Some(p) = cx.purpose_of(&m.id) else {
            continue;
        };
        let found = registered_names(&m.resolved.text);
        if found.is_empty() {
            continue;
        }
        let mut known: Vec<&str> = p
            .processors
            .iter()
            .chain(&p.third_parties)
            .map(String::as_str)
            .chain(p.transfers.iter().filter_map(|t| t.recipient.as_deref()))
            .collect();
        known.push(&notice.controller.name);
        let wanted: alloc::collections::BTreeSet<&str> = known.iter().copied().collect();
        let shown: Vec<&str> = facts
            .map(|t| {
                t.entries
                    .iter()
                    .filter(|e| wanted.contains(e.fact.as_str()))
                    .map(|e| e.shown.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let other_known: Vec<String> = shown
            .iter()
            .flat_map(|s| registered_names(s))
            .filter(|n| !n.latin)
            .map(|n| n.text)
            .collect();
        let keys: Vec<String> = known
            .iter()
            .chain(&shown)
            .map(|k| super::names::key(k))
            .collect();
        // Each name once, and a handful per message (a message is short; more is noise).
        let mut reported: Vec<&str> = Vec::new();
        for n in &found {
            if reported.len() >= 5 || reported.contains(&n.text.as_str()) {
                continue;
            }
            let ok = if n.latin {
                let k = super::names::key(&n.text);
                keys.iter().any(|known| known.contains(&k))
                    || brand.as_deref().is_some_and(|b| {
                        n.text.strip_prefix(b).is_some_and(|rest| {
                            !rest.trim().is_empty()
                                && rest.split_whitespace().all(super::names::is_form)
                        })
                    })
            } else {
                other_known.iter().any(|k| same_other(&n.text, k))
            };
            if ok {
                continue;
            }
            let Some(entry) = file.message(&m.id) else {
                continue;
            };
            reported.push(&n.text);
            let at = loc.locate(&m.id, &n.text).unwrap_or(entry.span.clone());
            let mut companies: Vec<&str> = p
                .processors
                .iter()
                .chain(&p.third_parties)
                .map(String::as_str)
                .collect();
            companies.dedup();
            diags.push(
                file.diag(
                    Code::UnknownOrganisation,
                    at,
                    format!(
                        "`{}` names {}, which is none of the companies of purpose `{}`",
                        m.id, n.text, p.id
                    ),
                )
                .with_note(if companies.is_empty() {
                    format!(
                        "purpose `{}` lists no processors or third parties in notice.toml",
                        p.id
                    )
                } else {
                    format!(
                        "its companies in notice.toml: {}",
                        companies
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
            );
        }
    }
}

/// K009: `complaint-<law>` shows the link `[complaints]` names for the law, and no other
/// authority's. When every locale places the same other link, notice.toml is what is wrong
/// (one finding there); otherwise each locale that differs is.
fn complaint_links(cx: &Cx<'_>, diags: &mut Vec<Diagnostic>) {
    let Some(notice) = cx.facts.notice.as_ref() else {
        return;
    };
    let url = |name: &str| notice.link(name).map(|l| l.url.as_str());
    // Links that are the notice's own contacts, not an authority's.
    let mut own: Vec<&str> = notice.rights.how.iter().filter_map(|h| url(h)).collect();
    own.extend(notice.policy_link.as_deref().and_then(url));
    own.extend(notice.ccpa.opt_out_link.as_deref().and_then(url));
    own.extend(notice.ccpa.limit_link.as_deref().and_then(url));
    own.extend(
        notice
            .purposes
            .iter()
            .flat_map(|p| &p.transfers)
            .filter_map(|t| t.contact.as_deref().and_then(url)),
    );
    own.extend(
        notice
            .links
            .iter()
            .filter(|l| l.url.starts_with("mailto:"))
            .map(|l| l.url.as_str()),
    );
    for c in &notice.complaints {
        let Some(target) = url(&c.link) else { continue };
        let others: Vec<&str> = notice
            .complaints
            .iter()
            .filter_map(|o| url(&o.link))
            .filter(|u| *u != target)
            .collect();
        let id = format!("complaint-{}", c.regime.as_str());
        // (locale, the other link it places, whether it places the right one too)
        let mut wrong: Vec<(&Analysed<'_>, &str, bool)> = Vec::new();
        let mut seen = 0;
        for loc in &cx.locales {
            let Some(m) = loc.message(&id) else { continue };
            seen += 1;
            let placed = &m.links;
            let has_target = placed.iter().any(|h| h == target);
            let other = placed.iter().find(|h| others.contains(&h.as_str()));
            let instead = (!has_target)
                .then(|| placed.iter().find(|h| !own.contains(&h.as_str())))
                .flatten();
            if let Some(h) = other.or(instead) {
                wrong.push((loc, h.as_str(), has_target));
            }
        }
        if wrong.is_empty() {
            continue;
        }
        let name_of = |href: &str| {
            notice
                .links
                .iter()
                .find(|l| l.url == href)
                .map_or(href.to_string(), |l| format!("{{ ${} }}", l.name))
        };
        // Every language sends people to the same other authority: [complaints] is wrong.
        let everywhere =
            wrong.len() == seen && wrong.iter().all(|(_, h, with)| *h == wrong[0].1 && !with);
        if everywhere && let Some(nf) = cx.notice_file {
            let text = core::str::from_utf8(&nf.bytes).unwrap_or_default();
            let span = cx
                .facts
                .spans
                .exact(&format!("complaints.{}", c.regime.as_str()))
                .unwrap_or_else(|| cx.facts.spans.find("complaints"));
            diags.push(
                Diagnostic::at(
                    Code::ComplaintLinkMismatch,
                    nf.path.as_str(),
                    text,
                    span,
                    format!(
                        "[complaints] {} = \"{}\", but `{id}` sends people to {} in every language",
                        c.regime.as_str(),
                        c.link,
                        name_of(wrong[0].1)
                    ),
                )
                .with_note("name the authority the text describes, or correct the text"),
            );
            continue;
        }
        for (loc, h, _) in wrong {
            let file = &loc.locale.file;
            let Some(entry) = file.message(&id) else {
                continue;
            };
            let shown = name_of(h);
            let needle = shown.trim_start_matches("{ $").trim_end_matches(" }");
            let at = loc
                .locate(&id, &format!("${needle}"))
                .unwrap_or(entry.span.clone());
            diags.push(
                file.diag(
                    Code::ComplaintLinkMismatch,
                    at,
                    format!(
                        "`{id}` sends people to {shown}, but [complaints] {} names {{ ${} }}",
                        c.regime.as_str(),
                        c.link
                    ),
                )
                .with_note(format!(
                    "place {{ ${} }} (the authority for {})",
                    c.link,
                    c.regime.as_str()
                )),
            );
        }
    }
}

/// K005: labels that look like an address must name the link's own target.
fn link_labels(cx: &Cx<'_>, loc: &Analysed<'_>, diags: &mut Vec<Diagnostic>) {
    let file = &loc.locale.file;
    for (name, url) in &cx.facts.links {
        let id = format!("link-{name}");
        let Some(m) = loc.message(&id) else { continue };
        let Some(entry) = file.message(&id) else {
            continue;
        };
        let label = m.resolved.text.trim();
        let target_mail = mailto_address(url).map(str::to_ascii_lowercase);
        let mut problem: Option<(String, String)> = None;
        for (r, address) in &m.resolved.emails {
            if target_mail.as_deref() != Some(address.as_str()) {
                problem = Some((
                    m.resolved.text[r.clone()].to_string(),
                    format!("an e-mail address, but the link opens {url}"),
                ));
                break;
            }
        }
        if problem.is_none() && m.resolved.emails.is_empty() {
            for (r, u) in &m.resolved.urls {
                if !same_web_address(u, url) {
                    problem = Some((
                        m.resolved.text[r.clone()].to_string(),
                        format!("a web address, but the link opens {url}"),
                    ));
                    break;
                }
            }
        }
        if problem.is_none() && text::looks_like_phone(label) {
            problem = Some((
                label.to_string(),
                format!("a phone number, but the link opens {url}"),
            ));
        }
        if let Some((written, why)) = problem {
            let at = loc.locate(&id, &written).unwrap_or(entry.span.clone());
            diags.push(
                file.diag(Code::LinkLabelMismatch, at, format!("the label of `{name}` is {why}"))
                    .with_note(if target_mail.is_some() {
                        format!("remove `{id}` (a mailto: link shows its address), or correct [links] {name} in notice.toml")
                    } else {
                        format!("make the label say what the link is, or correct [links] {name} in notice.toml")
                    }),
            );
        }
    }
}

/// Whether a web address written in a label is the link's target: same host (ignoring
/// `www.`), and the same path if the label gives one.
fn same_web_address(label: &str, url: &str) -> bool {
    if !url.starts_with("https://") {
        return false;
    }
    let norm = |s: &str| -> (String, String) {
        let s = s
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        let s = s.strip_prefix("www.").unwrap_or(s);
        let (host, path) = s.split_once('/').unwrap_or((s, ""));
        (
            host.to_ascii_lowercase(),
            path.trim_end_matches('/').to_string(),
        )
    };
    let (lh, lp) = norm(label);
    let (uh, up) = norm(url);
    lh == uh && (lp.is_empty() || lp == up)
}

/// K007: a link named like a built-in variable.
fn reserved_link_names(cx: &Cx<'_>, diags: &mut Vec<Diagnostic>) {
    let Some(nf) = cx.notice_file else { return };
    let text = core::str::from_utf8(&nf.bytes).unwrap_or_default();
    for (name, _) in &cx.facts.links {
        if RESERVED_VARIABLES.contains(&name.as_str()) {
            diags.push(
                Diagnostic::at(
                    Code::ReservedLinkName,
                    nf.path.as_str(),
                    text,
                    cx.facts.spans.find(&format!("links.{name}")),
                    format!("the link `{name}` is named like the built-in variable {{ ${name} }}"),
                )
                .with_note(
                    "rename the link; retention, deadline, age, step, steps and code are filled in by consentry",
                ),
            );
        }
    }
}
