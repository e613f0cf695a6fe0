//! Locale negotiation: which of the published locales to show.
//!
//! For each requested tag in order of preference, try the tag itself, then its parents
//! (`pt-BR` → `pt`), then any published locale of the same language (`pt` → `pt-BR`,
//! `zh` → `zh-CN`). If no requested tag matches, the notice's default locale is used. The
//! chain is what compliance staff expect: a Brazilian visitor never gets European Portuguese
//! silently replaced by English while a Portuguese text exists.

use alloc::vec::Vec;

use crate::ids::LocaleTag;

/// Picks the locale to show. `requested` holds raw tags in order of preference (the site's
/// `language` option, `<html lang>`, `navigator.languages`); malformed ones are skipped.
pub fn negotiate(requested: &[&str], available: &[LocaleTag], default: &LocaleTag) -> LocaleTag {
    fallback_chain(requested, available, default)
        .into_iter()
        .next()
        .unwrap_or_else(|| default.clone())
}

/// Every published locale that could serve `requested`, best first, ending with the default.
/// The widget walks this list when a locale file fails to load or to verify.
pub fn fallback_chain(
    requested: &[&str],
    available: &[LocaleTag],
    default: &LocaleTag,
) -> Vec<LocaleTag> {
    let mut out: Vec<LocaleTag> = Vec::new();
    let push = |t: &LocaleTag, out: &mut Vec<LocaleTag>| {
        if available.contains(t) && !out.contains(t) {
            out.push(t.clone());
        }
    };
    for raw in requested {
        let Ok(tag) = LocaleTag::parse(raw.trim()) else {
            continue;
        };
        let mut cur = Some(tag.clone());
        while let Some(t) = cur {
            push(&t, &mut out);
            cur = t.parent();
        }
        // Same language, another region or script: `pt` → `pt-BR`, `zh-TW` → `zh-CN`.
        for a in available {
            if a.language() == tag.language() {
                push(a, &mut out);
            }
        }
    }
    push(default, &mut out);
    if out.is_empty() {
        out.push(default.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn tags(s: &[&str]) -> Vec<LocaleTag> {
        s.iter().map(|t| LocaleTag::parse(t).unwrap()).collect()
    }

    #[test]
    fn exact_parent_sibling_default() {
        let avail = tags(&["en", "zh-CN", "pt", "pt-BR", "ar"]);
        let en = LocaleTag::parse("en").unwrap();
        let pick = |req: &[&str]| negotiate(req, &avail, &en).as_str().to_owned();
        assert_eq!(pick(&["zh-CN"]), "zh-CN");
        assert_eq!(pick(&["zh"]), "zh-CN");
        assert_eq!(pick(&["zh-Hans-CN"]), "zh-CN");
        assert_eq!(pick(&["pt-PT"]), "pt");
        assert_eq!(pick(&["pt-BR"]), "pt-BR");
        assert_eq!(pick(&["de-DE", "ar-EG"]), "ar");
        assert_eq!(pick(&["de"]), "en");
        assert_eq!(pick(&[]), "en");
        assert_eq!(pick(&["not a tag", "zh_cn"]), "zh-CN");
    }

    #[test]
    fn pt_br_falls_back_to_pt_then_default() {
        let en = LocaleTag::parse("en").unwrap();
        let chain = fallback_chain(&["pt-BR"], &tags(&["en", "pt-BR", "pt"]), &en);
        assert_eq!(chain, tags(&["pt-BR", "pt", "en"]));
        let chain = fallback_chain(&["pt-BR"], &tags(&["en", "pt"]), &en);
        assert_eq!(chain, tags(&["pt", "en"]));
        let chain = fallback_chain(&["pt-BR"], &tags(&["en"]), &en);
        assert_eq!(chain, vec![en]);
    }
}
