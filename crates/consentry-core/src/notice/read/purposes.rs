//! The `[[purposes]]` tables and their transfers.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::ops::Range;

use toml::de::DeValue;

use super::NoticeFacts;
use super::table::{Cx, Table, Val, as_str, as_table, closest, is_kebab, wrong_type};
use crate::diagnostics::Code;
use crate::ids::PurposeId;
use crate::notice::{Channel, DPV_PURPOSES, LegalBasis, Purpose, Retention, Safeguard, Transfer};
use crate::regime::Regime;

/// Reads `[[purposes]]`: every purpose that could be read, and whether all could.
pub(super) fn read_purposes(
    cx: &mut Cx<'_>,
    v: &Val<'_>,
    facts: &mut NoticeFacts,
) -> (Vec<Purpose>, bool) {
    let DeValue::Array(items) = v.get_ref() else {
        wrong_type(
            cx,
            v,
            "purposes",
            "an array of [[purposes]] tables",
            v.get_ref(),
        );
        facts.purposes_complete = false;
        return (Vec::new(), false);
    };
    if items.is_empty() {
        cx.report(
            Code::InvalidValue,
            v.span(),
            "the notice must have at least one purpose".into(),
        );
        return (Vec::new(), false);
    }
    let mut seen: BTreeMap<PurposeId, Range<usize>> = BTreeMap::new();
    let mut purposes = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let name = format!("[[purposes]] number {}", i + 1);
        let Some(t) = as_table(cx, item, "purposes", name) else {
            facts.purposes_complete = false;
            ok = false;
            continue;
        };
        match read_purpose(cx, &t, facts, &mut seen, i) {
            Some(p) => purposes.push(p),
            None => ok = false,
        }
    }
    facts.bases.sort();
    (purposes, ok)
}

const PURPOSE_KEYS: &[&str] = &[
    "id",
    "dpv",
    "required",
    "on_by_default",
    "legal_basis",
    "retention",
    "processors",
    "third_parties",
    "data_categories",
    "channels",
    "transfers",
    "sensitive",
    "separate_consent",
    "sold_or_shared",
    "automated_decisions",
    "on_until_opt_out",
];

fn read_purpose(
    cx: &mut Cx<'_>,
    t: &Table<'_, '_>,
    facts: &mut NoticeFacts,
    seen: &mut BTreeMap<PurposeId, Range<usize>>,
    index: usize,
) -> Option<Purpose> {
    t.check_keys(cx, PURPOSE_KEYS);
    let id = t
        .req_str(
            cx,
            "id",
            "every purpose needs an id, e.g. id = \"chat-transcript\"",
        )
        .and_then(|(s, span)| match PurposeId::parse(&s) {
            Ok(id) => Some((id, span)),
            Err(e) => {
                cx.report(Code::InvalidValue, span, e.to_string());
                None
            }
        });
    let id = match id {
        Some((id, span)) => {
            if let Some(first) = seen.get(&id) {
                let line = cx.line_of(first);
                cx.report(
                    Code::DuplicatePurpose,
                    span,
                    format!("purpose `{id}` is defined twice"),
                )
                .note = Some(format!("first defined on line {line}"));
                // Which messages belong to which purpose is uncertain until this is fixed.
                facts.purposes_complete = false;
                None
            } else {
                seen.insert(id.clone(), span.clone());
                facts.purposes.push(id.clone());
                Some((id, span))
            }
        }
        None => {
            facts.purposes_complete = false;
            None
        }
    };
    // Paths for findings about the whole notice: purposes.<id> is the id's value.
    let path = match &id {
        Some((id, span)) => {
            let path = format!("purposes.{id}");
            cx.mark(path.clone(), span.clone());
            path
        }
        None => format!("purposes.#{index}"),
    };
    let t = Table::new(t.entries, t.span.clone(), t.name.clone()).at_path(cx, path);
    let id = id.map(|(id, _)| id);
    let what = id
        .as_ref()
        .map_or_else(|| "this purpose".into(), |i| format!("purpose `{i}`"));

    let dpv = t
        .req_str(
            cx,
            "dpv",
            "the W3C DPV purpose it matches, e.g. dpv = \"CustomerCare\"",
        )
        .and_then(|(s, span)| {
            let term = s.strip_prefix("dpv:").unwrap_or(&s);
            if DPV_PURPOSES.contains(&term) {
                return Some(term.to_string());
            }
            let note = match closest(term, DPV_PURPOSES) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("known DPV purposes: {}", DPV_PURPOSES.join(", ")),
            };
            cx.report(
                Code::InvalidValue,
                span,
                format!("{s:?} is not a DPV purpose this notice format knows"),
            )
            .note = Some(note);
            None
        });
    let required = t.opt_bool(cx, "required");
    let on_by_default = t.opt_bool(cx, "on_by_default");
    let bases = read_bases(cx, &t, &what);
    if let Some((_, bases)) = &bases {
        for (_, b) in bases {
            if !facts.bases.contains(b) {
                facts.bases.push(*b);
            }
        }
    }
    let consent_somewhere = bases
        .as_ref()
        .map(|(_, all)| all.iter().any(|(_, b)| *b == LegalBasis::Consent));
    let basis_span = t.get("legal_basis").map(|v| v.span());
    if let (Some((true, req_span)), Some(true)) = (&required, consent_somewhere) {
        cx.report(
            Code::ForcedConsent,
            req_span.clone(),
            format!(
                "{what} is required but relies on consent, which people must be free to refuse"
            ),
        )
        .note = Some(
            "set required = false, or use a basis such as \"contract\" or \"legal-obligation\""
                .into(),
        );
    }
    if let (Some((true, span)), Some((false, _))) = (&on_by_default, &required) {
        cx.report(
            Code::PreselectedPurpose,
            span.clone(),
            format!("{what} is optional but switched on before the person decides"),
        )
        .note = Some("remove on_by_default; optional purposes always start off".into());
    }
    let separate_consent = t.opt_bool(cx, "separate_consent");
    if let Some((_, all)) = &bases {
        let not_consent = all.iter().find(|(_, b)| *b != LegalBasis::Consent);
        // An optional purpose on legitimate interests is a right to object, not consent.
        let not_optional = all.iter().find(|(_, b)| {
            !matches!(
                b,
                LegalBasis::Consent | LegalBasis::LegitimateInterests | LegalBasis::OptOut
            )
        });
        let optional = matches!(required, Some((false, _)));
        match (&separate_consent, not_consent) {
            (Some((true, span)), Some((g, b))) => {
                cx.report(
                    Code::ConsentWithoutConsentBasis,
                    span.clone(),
                    format!(
                        "{what} asks for separate consent but its legal basis under {} is `{b}`",
                        g.as_str()
                    ),
                )
                .note = Some("separate consent needs legal_basis = \"consent\"".into());
            }
            (_, _) if optional && let Some((g, b)) = not_optional => {
                cx.report(
                    Code::ConsentWithoutConsentBasis,
                    basis_span.unwrap_or(t.span.clone()),
                    format!(
                        "{what} can be switched off, but its legal basis under {} is `{b}`, not consent",
                        g.as_str()
                    ),
                )
                .note = Some(
                    "processing needed for a contract or by law is not optional: set required = true, or base it on consent"
                        .into(),
                );
            }
            _ => {}
        }
    }
    let sensitive = t.opt_bool(cx, "sensitive");
    let sold_or_shared = t.opt_bool(cx, "sold_or_shared");
    let automated_decisions = t.opt_bool(cx, "automated_decisions");
    let on_until_opt_out = match t.get("on_until_opt_out") {
        None => Some(Vec::new()),
        Some(_) => t
            .str_list(
                cx,
                "on_until_opt_out",
                Some("list the regimes, e.g. [\"us-ca-ccpa\"]"),
            )
            .and_then(|list| {
                let mut out = Vec::new();
                let mut ok = true;
                for (g, span) in list {
                    match Regime::parse(&g).filter(|r| r.as_str() == g) {
                        Some(r) if !out.contains(&r) => out.push(r),
                        Some(_) => {}
                        None => {
                            cx.report(Code::InvalidValue, span, format!("unknown regime {g:?}"))
                                .note = Some(format!("use {}", super::parts::regime_names()));
                            ok = false;
                        }
                    }
                }
                out.sort();
                ok.then_some(out)
            }),
    };
    let retention = t
        .req_str(
            cx,
            "retention",
            "an ISO 8601 duration such as \"P2Y\" (2 years) or \"P90D\"",
        )
        .and_then(|(s, span)| match Retention::parse(&s) {
            Ok(r) => Some(r),
            Err(e) => {
                cx.report(
                    Code::InvalidValue,
                    span,
                    format!("retention {s:?} is not an ISO 8601 duration: {e}"),
                )
                .note = Some(
                    "examples: \"P2Y\" = 2 years, \"P6M\" = 6 months, \"P90D\" = 90 days".into(),
                );
                None
            }
        });
    let processors = t.str_list(cx, "processors", None);
    let third_parties = t.str_list(cx, "third_parties", None);
    let data_categories = t
        .str_list(
            cx,
            "data_categories",
            Some("list the kinds of data, e.g. [\"contact-details\"]"),
        )
        .and_then(|list| {
            let mut ok = true;
            for (c, span) in &list {
                if is_kebab(c) {
                    facts.labels.push((
                        format!("data-category-{c}"),
                        format!("a purpose in notice.toml uses the data category `{c}`"),
                    ));
                } else {
                    cx.report(
                        Code::InvalidValue,
                        span.clone(),
                        format!("data category {c:?} is not lowercase kebab-case"),
                    );
                    ok = false;
                }
            }
            ok.then(|| list.into_iter().map(|(c, _)| c).collect::<Vec<_>>())
        });
    let channels = t
        .str_list(
            cx,
            "channels",
            Some("list where the data is collected, e.g. [\"chat\"]"),
        )
        .and_then(|list| {
            let mut out = Vec::new();
            let mut ok = true;
            for (c, span) in list {
                match Channel::parse(&c) {
                    Some(ch) => {
                        facts.labels.push((
                            format!("channel-{ch}"),
                            format!("a purpose in notice.toml uses the channel `{ch}`"),
                        ));
                        out.push(ch);
                    }
                    None => {
                        cx.report(Code::InvalidValue, span, format!("unknown channel {c:?}"))
                            .note = Some(format!("use {}", Channel::expected()));
                        ok = false;
                    }
                }
            }
            ok.then_some(out)
        });
    let transfers = match t.get("transfers") {
        None => Some(Vec::new()),
        Some(v) => read_transfers(cx, v, &t.path),
    };
    for tr in transfers.iter().flatten() {
        facts.labels.push((
            format!("safeguard-{}", tr.safeguard),
            format!("a transfer in notice.toml relies on `{}`", tr.safeguard),
        ));
        facts.labels.push((
            format!("country-{}", tr.destination),
            format!("a transfer in notice.toml goes to `{}`", tr.destination),
        ));
    }
    let (legal_basis, legal_bases) = bases?;
    Some(Purpose {
        id: id?,
        dpv: dpv?,
        required: required?.0,
        legal_basis,
        legal_bases,
        retention: retention?,
        processors: processors?.into_iter().map(|(r, _)| r).collect(),
        third_parties: third_parties?.into_iter().map(|(r, _)| r).collect(),
        data_categories: data_categories?,
        channels: channels?,
        transfers: transfers?,
        sensitive: sensitive?.0,
        separate_consent: separate_consent?.0,
        sold_or_shared: sold_or_shared?.0,
        automated_decisions: automated_decisions?.0,
        on_until_opt_out: on_until_opt_out?,
    })
}

type Bases = (LegalBasis, Vec<(Regime, LegalBasis)>);

/// `legal_basis = "consent"`, or per regime: `legal_basis = { default = "consent",
/// cn-pipl = "contract" }` (every regime not listed takes `default`, which is then required
/// unless every regime is listed).
fn read_bases(cx: &mut Cx<'_>, t: &Table<'_, '_>, what: &str) -> Option<Bases> {
    let Some(v) = t.get("legal_basis") else {
        t.missing(
            cx,
            "legal_basis",
            "e.g. legal_basis = \"consent\" or \"contract\"",
        );
        return None;
    };
    let one = |cx: &mut Cx<'_>, v: &Val<'_>, key: &str| -> Option<LegalBasis> {
        let (s, span) = as_str(cx, v, key)?;
        match LegalBasis::parse(&s) {
            Some(b) => Some(b),
            None => {
                cx.report(
                    Code::InvalidValue,
                    span,
                    format!("unknown legal basis {s:?} for {what}"),
                )
                .note = Some(format!("use {}", LegalBasis::expected()));
                None
            }
        }
    };
    match v.get_ref() {
        DeValue::String(_) => {
            let b = one(cx, v, "legal_basis")?;
            Some((b, Regime::ALL.iter().map(|g| (*g, b)).collect()))
        }
        DeValue::Table(entries) => {
            let table = Table::new(entries, v.span(), format!("the legal_basis of {what}"));
            let mut default = None;
            let mut by_regime: Vec<(Regime, LegalBasis)> = Vec::new();
            let mut ok = true;
            for (k, val) in entries.iter() {
                let key = k.get_ref().as_ref();
                let regime = if key == "default" {
                    None
                } else {
                    match Regime::parse(key).filter(|g| g.as_str() == key) {
                        Some(g) => Some(g),
                        None => {
                            cx.report(
                                Code::UnknownKey,
                                k.span(),
                                format!("`{key}` is not a regime"),
                            )
                            .note = Some(format!(
                                "keys here are \"default\" and {}",
                                super::parts::regime_names()
                            ));
                            ok = false;
                            continue;
                        }
                    }
                };
                match (one(cx, val, key), regime) {
                    (Some(b), None) => default = Some(b),
                    (Some(b), Some(g)) => by_regime.push((g, b)),
                    (None, _) => ok = false,
                }
            }
            if !ok {
                return None;
            }
            let mut all = Vec::new();
            for &g in Regime::ALL {
                match by_regime.iter().find(|(r, _)| *r == g) {
                    Some(&(_, b)) => all.push((g, b)),
                    None => match default {
                        Some(b) => all.push((g, b)),
                        None => {
                            table.missing(
                                cx,
                                "default",
                                "give default = \"…\" for the regimes not listed",
                            );
                            return None;
                        }
                    },
                }
            }
            let main = default
                .or_else(|| {
                    all.iter()
                        .find(|(g, _)| *g == Regime::Gdpr)
                        .map(|(_, b)| *b)
                })
                .unwrap_or(LegalBasis::Consent);
            Some((main, all))
        }
        other => {
            wrong_type(
                cx,
                v,
                "legal_basis",
                "a string or a table of regime = basis",
                other,
            );
            None
        }
    }
}

/// Reads `transfers`; each entry's keys are recorded at `<path>.transfers.<index>.<key>`.
fn read_transfers(cx: &mut Cx<'_>, v: &Val<'_>, path: &str) -> Option<Vec<Transfer>> {
    let DeValue::Array(items) = v.get_ref() else {
        wrong_type(
            cx,
            v,
            "transfers",
            "an array of { destination, safeguard } tables",
            v.get_ref(),
        );
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let Some(t) = as_table(cx, item, "transfers", format!("transfer number {}", i + 1)) else {
            ok = false;
            continue;
        };
        let t = t.at_path(cx, format!("{path}.transfers.{i}"));
        t.check_keys(cx, &["destination", "safeguard", "recipient", "contact"]);
        let destination = t
            .req_str(
                cx,
                "destination",
                "the destination country, e.g. destination = \"SG\"",
            )
            .and_then(|(s, span)| super::parts::region_code(cx, &s, span, "destination", false));
        let safeguard = t
            .req_str(
                cx,
                "safeguard",
                "the legal mechanism, e.g. safeguard = \"eu-scc\"",
            )
            .and_then(|(s, span)| match Safeguard::parse(&s) {
                Some(g) => Some(g),
                None => {
                    cx.report(Code::InvalidValue, span, format!("unknown safeguard {s:?}"))
                        .note = Some(format!("use {}", Safeguard::expected()));
                    None
                }
            });
        let recipient = match t.get("recipient") {
            None => Some(None),
            Some(_) => t.opt_str(cx, "recipient").map(|(s, _)| Some(s)),
        };
        let contact = match t.get("contact") {
            None => Some(None),
            Some(_) => t.opt_str(cx, "contact").map(|(name, span)| {
                cx.link_refs.push((name.clone(), span));
                Some(name)
            }),
        };
        match (destination, safeguard, recipient, contact) {
            (Some(destination), Some(safeguard), Some(recipient), Some(contact)) => {
                out.push(Transfer {
                    destination,
                    safeguard,
                    recipient,
                    contact,
                })
            }
            _ => ok = false,
        }
    }
    ok.then_some(out)
}
