//! The `[controller]`, `[links]` and `[regions]` tables.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use super::NoticeFacts;
use super::table::{Cx, Table, as_str, as_table, is_kebab, url_problem, valid_email};
use crate::diagnostics::Code;
use crate::ids::RegionCode;
use crate::notice::{
    CcpaLinks, Complaint, Controller, Dpo, Link, RegionMap, Representative, Right, Rights,
};
use crate::regime::Regime;
use toml::de::DeValue;

pub(super) fn read_controller(
    cx: &mut Cx<'_>,
    t: &Table<'_, '_>,
    facts: &mut NoticeFacts,
) -> Option<Controller> {
    // The headings of what the notice has beyond the interface's own text.
    for (key, label) in [
        ("uk_representative", "uk-representative-heading"),
        ("swiss_representative", "swiss-representative-heading"),
        ("korea_representative", "korea-representative-heading"),
        ("head", "head-label"),
    ] {
        if t.get(key).is_some() {
            facts
                .labels
                .push((label.into(), format!("[controller] has {key}")));
        }
    }
    t.check_keys(
        cx,
        &[
            "name",
            "address",
            "country",
            "email",
            "phone",
            "dpo",
            "eu_representative",
            "china_representative",
            "uk_representative",
            "swiss_representative",
            "korea_representative",
            "head",
        ],
    );
    let name = t.req_str(cx, "name", "the controller's legal name");
    let address = t.req_str(
        cx,
        "address",
        "the controller's postal address, on one line",
    );
    let country = match t.get("country") {
        None => Some(None),
        Some(_) => t
            .opt_str(cx, "country")
            .and_then(|(s, span)| region_code(cx, &s, span, "country", true).map(Some)),
    };
    let head = match t.get("head") {
        None => Some(None),
        Some(_) => t.opt_str(cx, "head").map(|(s, _)| Some(s)),
    };
    let email = t
        .req_str(cx, "email", "an e-mail address for privacy questions")
        .and_then(|(s, span)| email_value(cx, s, span, "email"));
    let phone = phone_value(cx, t);
    let dpo = match t.get("dpo") {
        None => Some(None),
        Some(v) => as_table(cx, v, "dpo", "[controller.dpo]".into()).and_then(|d| {
            let d = d.at_path(cx, "controller.dpo");
            d.check_keys(cx, &["name", "email", "phone"]);
            let name = d.req_str(cx, "name", "the data protection officer's name or role");
            let email = d
                .req_str(cx, "email", "the data protection officer's e-mail address")
                .and_then(|(s, span)| email_value(cx, s, span, "email"));
            let phone = phone_value(cx, &d);
            Some(Some(Dpo {
                name: name?.0,
                email: email?,
                phone: phone?,
            }))
        }),
    };
    let eu_representative = representative(cx, t, "eu_representative");
    let china_representative = representative(cx, t, "china_representative");
    let uk_representative = representative(cx, t, "uk_representative");
    let swiss_representative = representative(cx, t, "swiss_representative");
    let korea_representative = representative(cx, t, "korea_representative");
    Some(Controller {
        name: name?.0,
        address: address?.0,
        country: country?,
        email: email?,
        phone: phone?,
        dpo: dpo?,
        eu_representative: eu_representative?,
        china_representative: china_representative?,
        uk_representative: uk_representative?,
        swiss_representative: swiss_representative?,
        korea_representative: korea_representative?,
        head: head?,
    })
}

fn representative(cx: &mut Cx<'_>, t: &Table<'_, '_>, key: &str) -> Option<Option<Representative>> {
    let Some(v) = t.get(key) else {
        return Some(None);
    };
    let r = as_table(cx, v, key, format!("[controller.{key}]"))?;
    let r = r.at_path(cx, format!("controller.{key}"));
    r.check_keys(cx, &["name", "address", "email"]);
    let name = r.req_str(cx, "name", "the representative's legal name");
    let address = r.req_str(cx, "address", "the representative's postal address");
    let email = r
        .req_str(cx, "email", "the representative's e-mail address")
        .and_then(|(s, span)| email_value(cx, s, span, "email"));
    Some(Some(Representative {
        name: name?.0,
        address: address?.0,
        email: email?,
    }))
}

fn phone_value(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> Option<Option<String>> {
    match t.get("phone") {
        None => Some(None),
        Some(_) => t.opt_str(cx, "phone").and_then(|(s, span)| {
            let ok = s.chars().any(|c| c.is_ascii_digit())
                && s.chars()
                    .all(|c| c.is_ascii_digit() || " +-()./".contains(c));
            if ok {
                Some(Some(s))
            } else {
                cx.report(
                    Code::InvalidValue,
                    span,
                    format!("`phone` {s:?} is not a phone number"),
                )
                .note =
                    Some("use digits, spaces and + - ( ) . / only, e.g. \"+1-555-0100\"".into());
                None
            }
        }),
    }
}

/// An ISO 3166-1 alpha-2 country code (no subdivision).
/// A region code as ISO 3166 writes it: an alpha-2 country (`GB`), or with `subdivision` an
/// ISO 3166-2 code (`US-CA`); anything else is N011 with what was probably meant (`UK` → `GB`,
/// `CN-44` → `CN-GD`).
pub(super) fn region_code(
    cx: &mut Cx<'_>,
    s: &str,
    span: Range<usize>,
    what: &str,
    subdivision: bool,
) -> Option<RegionCode> {
    let valid = crate::iso3166::is_country(s) || (subdivision && crate::iso3166::is_subdivision(s));
    if valid && let Ok(r) = RegionCode::parse(s) {
        return Some(r);
    }
    let kind = if subdivision {
        "an ISO 3166-1 country or ISO 3166-2 subdivision code"
    } else {
        "an ISO 3166-1 country code"
    };
    let (message, note) = if crate::iso3166::is_subdivision(s) {
        (
            format!("{what} `{s}` is a subdivision; a country code is needed here"),
            format!("write `{}`", &s[..2]),
        )
    } else {
        let note = match crate::iso3166::suggest(s) {
            Some(sg) => match sg.codes.as_slice() {
                [] => sg.reason,
                [one] => format!("did you mean `{one}`? {}", sg.reason),
                many => format!("did you mean one of {}? {}", many.join(", "), sg.reason),
            },
            None => "use codes such as CN, DE, GB or US-CA (ISO 3166)".into(),
        };
        (format!("{what} `{s}` is not {kind}"), note)
    };
    cx.report(Code::UnknownRegionCode, span, message).note = Some(note);
    None
}

fn email_value(cx: &mut Cx<'_>, s: String, span: Range<usize>, key: &str) -> Option<String> {
    if valid_email(&s) {
        Some(s)
    } else {
        cx.report(
            Code::InvalidValue,
            span,
            format!("`{key}` {s:?} is not an e-mail address"),
        );
        None
    }
}

pub(super) fn read_links(
    cx: &mut Cx<'_>,
    t: &Table<'_, '_>,
    facts: &mut NoticeFacts,
) -> Option<Vec<Link>> {
    let mut links = Vec::new();
    let mut ok = true;
    for (k, v) in t.entries.iter() {
        let name = k.get_ref().as_ref();
        if !is_kebab(name) {
            cx.report(
                Code::InvalidValue,
                k.span(),
                format!("link name `{name}` is not lowercase kebab-case"),
            )
            .note = Some(
                "link names look like `privacy-policy`; the text uses { $privacy-policy }".into(),
            );
            facts.links_complete = false;
            ok = false;
            continue;
        }
        let Some((url, span)) = as_str(cx, v, name) else {
            facts.links.push((name.into(), String::new()));
            ok = false;
            continue;
        };
        facts.links.push((name.into(), url.clone()));
        if let Some((code, problem)) = url_problem(&url) {
            cx.report(code, span, format!("link `{name}` = {url:?}: {problem}"));
            ok = false;
            continue;
        }
        links.push(Link {
            name: name.into(),
            url,
        });
    }
    facts.links.sort();
    links.sort_by(|a, b| a.name.cmp(&b.name));
    ok.then_some(links)
}

/// Reads `[regions]`: the map with every entry that could be read, and whether all could.
pub(super) fn read_regions(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> (RegionMap, bool) {
    let mut map = RegionMap::default();
    let mut ok = true;
    for (k, v) in t.entries.iter() {
        let key = k.get_ref().as_ref();
        // `CODE = "regime"`, or `CODE = { regime = "…", reason = "…" }` to acknowledge a mapping
        // away from the region's own law.
        let (regime_value, reason) = match v.get_ref() {
            DeValue::Table(entries) if key != "default" => {
                let e = Table::new(entries, v.span(), format!("[regions] {key}"))
                    .at_path(cx, format!("regions.{key}"));
                e.check_keys(cx, &["regime", "reason"]);
                let reason = e.req_str(
                    cx,
                    "reason",
                    "why this region does not follow its own law, for the record",
                );
                match e.get("regime") {
                    Some(r) => (r, reason),
                    None => {
                        e.missing(cx, "regime", "the regime that applies there");
                        ok = false;
                        continue;
                    }
                }
            }
            _ => (v, None),
        };
        let regime = as_str(cx, regime_value, key).and_then(|(s, span)| match Regime::parse(&s) {
            Some(g) => Some(g),
            None => {
                cx.report(Code::InvalidValue, span, format!("unknown regime {s:?}"))
                    .note = Some(format!("use {}", regime_names()));
                None
            }
        });
        if key == "default" {
            match regime {
                Some(g) => map.default = Some(g),
                None => ok = false,
            }
            continue;
        }
        let Some(region) = region_code(cx, key, k.span(), "[regions] key", true) else {
            ok = false;
            continue;
        };
        // Keys are exact ISO codes, so TOML's own duplicate-key check keeps each region once.
        cx.mark(format!("regions.{region}"), k.span());
        if let Some((reason, _)) = reason {
            map.acknowledged.push((region.clone(), reason));
        }
        match regime {
            Some(g) => map.entries.push((region, g)),
            None => ok = false,
        }
    }
    map.entries.sort();
    map.acknowledged.sort();
    (map, ok)
}

/// Every regime's wire name, for notes: `"eu-gdpr", "uk-gdpr", … or "apec-cbpr"`.
pub(super) fn regime_names() -> String {
    let names: Vec<String> = Regime::ALL
        .iter()
        .map(|g| format!("\"{}\"", g.as_str()))
        .collect();
    let (last, rest) = names
        .split_last()
        .map_or(("", &[][..]), |(l, r)| (l.as_str(), r));
    format!("{} or {last}", rest.join(", "))
}

pub(super) fn read_rights(
    cx: &mut Cx<'_>,
    t: &Table<'_, '_>,
    facts: &mut NoticeFacts,
) -> Option<Rights> {
    t.check_keys(cx, &["offered", "how", "deadline"]);
    let deadline = match t.get("deadline") {
        None => Some(None),
        Some(_) => t.opt_str(cx, "deadline").and_then(|(s, span)| {
            match crate::notice::Retention::parse(&s) {
                Ok(r) => Some(Some(r)),
                Err(e) => {
                    cx.report(
                        Code::InvalidValue,
                        span,
                        format!("deadline {s:?} is not an ISO 8601 duration: {e}"),
                    )
                    .note = Some("e.g. \"P1M\" = one month, \"P30D\" = 30 days".into());
                    None
                }
            }
        }),
    };
    let offered = t
        .str_list(
            cx,
            "offered",
            Some("list the rights the notice explains, e.g. [\"access\", \"erasure\"]"),
        )
        .and_then(|list| {
            let mut out = Vec::new();
            let mut ok = true;
            for (r, span) in list {
                match Right::parse(&r) {
                    Some(right) => {
                        facts.labels.push((
                            format!("right-{right}"),
                            format!("[rights] offered lists `{right}`"),
                        ));
                        out.push(right);
                    }
                    None => {
                        cx.report(Code::InvalidValue, span, format!("unknown right {r:?}"))
                            .note = Some(format!("use {}", Right::expected()));
                        ok = false;
                    }
                }
            }
            ok.then_some(out)
        });
    let how = t
        .str_list(
            cx,
            "how",
            Some("list the links (names from [links]) where people make requests"),
        )
        .map(|list| {
            list.into_iter()
                .map(|(name, span)| {
                    cx.link_refs.push((name.clone(), span));
                    name
                })
                .collect::<Vec<_>>()
        });
    Some(Rights {
        offered: offered?,
        how: how?,
        deadline: deadline?,
    })
}

pub(super) fn read_complaints(
    cx: &mut Cx<'_>,
    t: &Table<'_, '_>,
    facts: &mut NoticeFacts,
) -> Option<Vec<Complaint>> {
    let mut out = Vec::new();
    let mut ok = true;
    for (k, v) in t.entries.iter() {
        let key = k.get_ref().as_ref();
        let Some(regime) = Regime::parse(key).filter(|g| g.as_str() == key) else {
            cx.report(
                Code::InvalidValue,
                k.span(),
                format!("`{key}` is not a regime"),
            )
            .note = Some(format!("keys here are {}", regime_names()));
            ok = false;
            continue;
        };
        let Some((link, span)) = as_str(cx, v, key) else {
            ok = false;
            continue;
        };
        cx.link_refs.push((link.clone(), span));
        facts.labels.push((
            format!("complaint-{key}"),
            format!("[complaints] has `{key}`"),
        ));
        out.push(Complaint { regime, link });
    }
    out.sort_by_key(|c| c.regime);
    ok.then_some(out)
}

pub(super) fn read_ccpa(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> Option<CcpaLinks> {
    t.check_keys(cx, &["opt_out_link", "limit_link"]);
    let mut link = |key: &str| match t.get(key) {
        None => Some(None),
        Some(_) => t.opt_str(cx, key).map(|(name, span)| {
            cx.link_refs.push((name.clone(), span));
            Some(name)
        }),
    };
    let opt_out_link = link("opt_out_link");
    let limit_link = link("limit_link");
    Some(CcpaLinks {
        opt_out_link: opt_out_link?,
        limit_link: limit_link?,
    })
}
