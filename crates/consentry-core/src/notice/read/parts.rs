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
use crate::notice::{Controller, Dpo, Link, RegionMap};
use crate::regime::Regime;

pub(super) fn read_controller(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> Option<Controller> {
    t.check_keys(cx, &["name", "address", "email", "phone", "dpo"]);
    let name = t.req_str(cx, "name", "the controller's legal name");
    let address = t.req_str(
        cx,
        "address",
        "the controller's postal address, on one line",
    );
    let email = t
        .req_str(cx, "email", "an e-mail address for privacy questions")
        .and_then(|(s, span)| email_value(cx, s, span, "email"));
    let phone = match t.get("phone") {
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
    };
    let dpo = match t.get("dpo") {
        None => Some(None),
        Some(v) => as_table(cx, v, "dpo", "[controller.dpo]".into()).and_then(|d| {
            d.check_keys(cx, &["name", "email"]);
            let name = d.req_str(cx, "name", "the data protection officer's name or role");
            let email = d
                .req_str(cx, "email", "the data protection officer's e-mail address")
                .and_then(|(s, span)| email_value(cx, s, span, "email"));
            Some(Some(Dpo {
                name: name?.0,
                email: email?,
            }))
        }),
    };
    Some(Controller {
        name: name?.0,
        address: address?.0,
        email: email?,
        phone: phone?,
        dpo: dpo?,
    })
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
        if let Some(problem) = url_problem(&url) {
            cx.report(
                Code::InvalidValue,
                span,
                format!("link `{name}` = {url:?}: {problem}"),
            );
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
