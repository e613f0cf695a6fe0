//! The `[controller]`, `[links]` and `[regions]` tables.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
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

pub(super) fn read_controller(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> Option<Controller> {
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
            .and_then(|(s, span)| country_value(cx, &s, span, "country").map(Some)),
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
    Some(Controller {
        name: name?.0,
        address: address?.0,
        country: country?,
        email: email?,
        phone: phone?,
        dpo: dpo?,
        eu_representative: eu_representative?,
        china_representative: china_representative?,
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
pub(super) fn country_value(
    cx: &mut Cx<'_>,
    s: &str,
    span: Range<usize>,
    key: &str,
) -> Option<RegionCode> {
    match RegionCode::parse(s) {
        Ok(r) if !r.as_str().contains('-') => Some(r),
        Ok(_) => {
            cx.report(
                Code::InvalidValue,
                span,
                format!("`{key}` {s:?} must be a country code, without subdivision"),
            );
            None
        }
        Err(e) => {
            cx.report(Code::InvalidValue, span, e.to_string()).note =
                Some("use an ISO 3166 country code such as \"CN\", \"DE\" or \"SG\"".into());
            None
        }
    }
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

pub(super) fn read_regions(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> Option<RegionMap> {
    let mut map = RegionMap::default();
    let mut ok = true;
    let mut seen: BTreeMap<RegionCode, Range<usize>> = BTreeMap::new();
    for (k, v) in t.entries.iter() {
        let key = k.get_ref().as_ref();
        let regime = as_str(cx, v, key).and_then(|(s, span)| match Regime::parse(&s) {
            Some(g) => Some(g),
            None => {
                cx.report(Code::InvalidValue, span, format!("unknown regime {s:?}"))
                    .note = Some(
                    "use \"eu-gdpr\", \"cn-pipl\", \"us-ca-ccpa\", \"br-lgpd\" or \"apec-cbpr\""
                        .into(),
                );
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
        let region = match RegionCode::parse(key) {
            Ok(r) => r,
            Err(e) => {
                cx.report(Code::InvalidValue, k.span(), e.to_string()).note = Some(
                    "region keys are ISO 3166 codes such as CN, DE or US-CA, or `default`".into(),
                );
                ok = false;
                continue;
            }
        };
        if let Some(first) = seen.get(&region) {
            let line = cx.line_of(first);
            cx.report(
                Code::InvalidValue,
                k.span(),
                format!("region `{region}` is listed twice"),
            )
            .note = Some(format!("first listed on line {line}"));
            ok = false;
            continue;
        }
        seen.insert(region.clone(), k.span());
        match regime {
            Some(g) => map.entries.push((region, g)),
            None => ok = false,
        }
    }
    map.entries.sort();
    ok.then_some(map)
}

pub(super) fn read_rights(
    cx: &mut Cx<'_>,
    t: &Table<'_, '_>,
    facts: &mut NoticeFacts,
) -> Option<Rights> {
    t.check_keys(cx, &["offered", "how"]);
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
            .note = Some(
                "keys here are \"eu-gdpr\", \"cn-pipl\", \"us-ca-ccpa\", \"br-lgpd\" or \"apec-cbpr\""
                    .into(),
            );
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
