//! The `[[purposes]]` tables and their transfers.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::ops::Range;

use toml::de::DeValue;

use super::NoticeFacts;
use super::table::{Cx, Table, Val, as_table, is_kebab, wrong_type};
use crate::diagnostics::Code;
use crate::ids::{PurposeId, RegionCode};
use crate::notice::{Channel, LegalBasis, Purpose, Retention, Safeguard, Transfer};

pub(super) fn read_purposes(
    cx: &mut Cx<'_>,
    v: &Val<'_>,
    facts: &mut NoticeFacts,
) -> Option<Vec<Purpose>> {
    let DeValue::Array(items) = v.get_ref() else {
        wrong_type(
            cx,
            v,
            "purposes",
            "an array of [[purposes]] tables",
            v.get_ref(),
        );
        facts.purposes_complete = false;
        return None;
    };
    if items.is_empty() {
        cx.report(
            Code::InvalidValue,
            v.span(),
            "the notice must have at least one purpose".into(),
        );
        return None;
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
        match read_purpose(cx, &t, facts, &mut seen) {
            Some(p) => purposes.push(p),
            None => ok = false,
        }
    }
    facts.bases.sort();
    ok.then_some(purposes)
}

const PURPOSE_KEYS: &[&str] = &[
    "id",
    "required",
    "legal_basis",
    "retention",
    "recipients",
    "data_categories",
    "channels",
    "transfers",
    "sensitive",
    "separate_consent",
];

fn read_purpose(
    cx: &mut Cx<'_>,
    t: &Table<'_, '_>,
    facts: &mut NoticeFacts,
    seen: &mut BTreeMap<PurposeId, Range<usize>>,
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
                None
            } else {
                seen.insert(id.clone(), span);
                facts.purposes.push(id.clone());
                Some(id)
            }
        }
        None => {
            facts.purposes_complete = false;
            None
        }
    };
    let what = id
        .as_ref()
        .map_or_else(|| "this purpose".into(), |i| format!("purpose `{i}`"));

    let required = t.opt_bool(cx, "required");
    let legal_basis = t
        .req_str(
            cx,
            "legal_basis",
            "e.g. legal_basis = \"consent\" or \"contract\"",
        )
        .and_then(|(s, span)| match LegalBasis::parse(&s) {
            Some(b) => Some((b, span)),
            None => {
                cx.report(
                    Code::InvalidValue,
                    span,
                    format!("unknown legal basis {s:?} for {what}"),
                )
                .note = Some(format!("use {}", LegalBasis::expected()));
                None
            }
        });
    if let Some((b, _)) = &legal_basis
        && !facts.bases.contains(b)
    {
        facts.bases.push(*b);
    }
    if let (Some((true, req_span)), Some((LegalBasis::Consent, _))) = (&required, &legal_basis) {
        cx.report(
            Code::InvalidValue,
            req_span.clone(),
            format!("{what} is required but relies on consent, which people may refuse"),
        )
        .note = Some(
            "set required = false, or use a basis such as \"contract\" or \"legal-obligation\""
                .into(),
        );
    }
    let separate_consent = t.opt_bool(cx, "separate_consent");
    if let (Some((true, span)), Some((b, _))) = (&separate_consent, &legal_basis)
        && *b != LegalBasis::Consent
    {
        cx.report(
            Code::InvalidValue,
            span.clone(),
            format!("{what} asks for separate consent but its legal basis is `{b}`"),
        )
        .note = Some("separate_consent = true needs legal_basis = \"consent\"".into());
    }
    let sensitive = t.opt_bool(cx, "sensitive");
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
    let recipients = t.str_list(cx, "recipients", None);
    let data_categories = t
        .str_list(
            cx,
            "data_categories",
            Some("list the kinds of data, e.g. [\"contact-details\"]"),
        )
        .and_then(|list| {
            let mut ok = true;
            for (c, span) in &list {
                if !is_kebab(c) {
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
                    Some(ch) => out.push(ch),
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
        Some(v) => read_transfers(cx, v),
    };
    Some(Purpose {
        id: id?,
        required: required?.0,
        legal_basis: legal_basis?.0,
        retention: retention?,
        recipients: recipients?.into_iter().map(|(r, _)| r).collect(),
        data_categories: data_categories?,
        channels: channels?,
        transfers: transfers?,
        sensitive: sensitive?.0,
        separate_consent: separate_consent?.0,
    })
}

fn read_transfers(cx: &mut Cx<'_>, v: &Val<'_>) -> Option<Vec<Transfer>> {
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
        t.check_keys(cx, &["destination", "safeguard"]);
        let destination = t
            .req_str(
                cx,
                "destination",
                "the destination country, e.g. destination = \"SG\"",
            )
            .and_then(|(s, span)| match RegionCode::parse(&s) {
                Ok(r) if !r.as_str().contains('-') => Some(r),
                Ok(_) => {
                    cx.report(
                        Code::InvalidValue,
                        span,
                        format!("destination {s:?} must be a country code, without subdivision"),
                    );
                    None
                }
                Err(e) => {
                    cx.report(Code::InvalidValue, span, e.to_string());
                    None
                }
            });
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
        match (destination, safeguard) {
            (Some(destination), Some(safeguard)) => out.push(Transfer {
                destination,
                safeguard,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}
