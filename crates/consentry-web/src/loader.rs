//! The pure half of booting: which locales to try, and whether fetched bytes may be shown.
//!
//! The fetching half lives in [`crate::boot`]; everything that decides is here so it is tested
//! natively.

use consentry_core::bundle::{FirstLayer, LocaleBundle, Manifest, ManifestEntry};
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::LocaleTag;
use consentry_core::negotiate::fallback_chain;

use crate::error::LocaleRejection;

/// The languages to negotiate with, best first: the visitor's pick in the language switcher
/// (kept in storage), the site's `language` option, `<html lang>`, then `navigator.languages`.
pub fn requested_languages(
    picked: Option<String>,
    option: Option<&LocaleTag>,
    html_lang: Option<String>,
    navigator: Vec<String>,
) -> Vec<String> {
    let mut out = Vec::with_capacity(3 + navigator.len());
    out.extend(picked);
    if let Some(t) = option {
        out.push(t.as_str().to_owned());
    }
    if let Some(l) = html_lang.filter(|l| !l.trim().is_empty()) {
        out.push(l);
    }
    out.extend(navigator);
    out
}

/// The manifest entries to try, best first (the core fallback chain, ending with the default).
pub fn locale_plan<'m>(manifest: &'m Manifest, requested: &[String]) -> Vec<&'m ManifestEntry> {
    let req: Vec<&str> = requested.iter().map(String::as_str).collect();
    fallback_chain(&req, &manifest.tags(), &manifest.default_locale)
        .iter()
        .filter_map(|t| manifest.entry(t))
        .collect()
}

/// Checks a locale's fetched bytes (the file its manifest entry names) and only then parses
/// them: the SHA-256 of the exact bytes must equal the manifest's, and the file must be the
/// notice, version and locale the manifest says. Parses only what a first layer has (see
/// [`FirstLayer`]; a complete file from a build before the split reads as its own first
/// layer). Returns it and its digest (which goes into receipts).
pub fn verify_first(
    manifest: &Manifest,
    entry: &ManifestEntry,
    bytes: &[u8],
) -> Result<(FirstLayer, Sha256Digest), LocaleRejection> {
    let actual = Sha256Digest::of(bytes);
    if actual != entry.sha256 {
        return Err(LocaleRejection::DigestMismatch {
            expected: entry.sha256,
            actual,
        });
    }
    let first = FirstLayer::from_json(bytes).map_err(LocaleRejection::Invalid)?;
    let b = &first.bundle;
    if b.notice_id != manifest.notice_id {
        return Err(LocaleRejection::WrongNotice("notice id"));
    }
    if b.version != manifest.version {
        return Err(LocaleRejection::WrongNotice("version"));
    }
    if b.locale != entry.locale {
        return Err(LocaleRejection::WrongNotice("locale"));
    }
    Ok((first, actual))
}

/// The complete bundle of a verified first layer: `bytes` are its details file, whose SHA-256
/// must be the one the first layer names and of which the first layer must be the exact cut.
/// For a first layer without a details file (a complete file from a build before the split),
/// `bytes` are that file itself (already checked by [`verify_first`]).
pub fn verify_details(first: &FirstLayer, bytes: &[u8]) -> Result<LocaleBundle, LocaleRejection> {
    let Some(details) = &first.details else {
        return LocaleBundle::from_json(bytes).map_err(LocaleRejection::Invalid);
    };
    let actual = Sha256Digest::of(bytes);
    if actual != details.sha256 {
        return Err(LocaleRejection::DigestMismatch {
            expected: details.sha256,
            actual,
        });
    }
    let full = LocaleBundle::from_json(bytes).map_err(LocaleRejection::Invalid)?;
    if !first.is_layer_of(&full) {
        return Err(LocaleRejection::NotItsLayer);
    }
    Ok(full)
}

#[cfg(test)]
mod tests {
    use super::*;
    use consentry_core::bundle::{DetailsRef, Direction, Rich};
    use consentry_core::ids::NoticeId;

    fn bundle(locale: &str, version: &str) -> LocaleBundle {
        LocaleBundle {
            messages: vec![("banner-title".into(), Rich::plain("Privacy"))],
            ..LocaleBundle::new(
                NoticeId::parse("support-privacy").unwrap(),
                version,
                LocaleTag::parse(locale).unwrap(),
                Direction::Ltr,
            )
        }
    }

    fn manifest(files: &[(&str, &[u8])]) -> Manifest {
        Manifest {
            notice_id: NoticeId::parse("support-privacy").unwrap(),
            version: "1".into(),
            default_locale: LocaleTag::parse("en").unwrap(),
            build_time: None,
            locales: files
                .iter()
                .map(|(tag, bytes)| ManifestEntry {
                    locale: LocaleTag::parse(tag).unwrap(),
                    path: format!("notice.{tag}.json"),
                    sha256: Sha256Digest::of(bytes),
                    dir: Direction::Ltr,
                    name: (*tag).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn requested_order_is_option_then_html_then_navigator() {
        let zh = LocaleTag::parse("zh-CN").unwrap();
        assert_eq!(
            requested_languages(
                None,
                Some(&zh),
                Some("de".into()),
                vec!["fr-FR".into(), "en".into()]
            ),
            vec!["zh-CN", "de", "fr-FR", "en"]
        );
        assert_eq!(
            requested_languages(None, None, Some("  ".into()), vec!["en".into()]),
            vec!["en"]
        );
        assert_eq!(
            requested_languages(Some("ar".into()), Some(&zh), None, vec![]),
            vec!["ar", "zh-CN"]
        );
    }

    #[test]
    fn plan_follows_the_fallback_chain() {
        let en = bundle("en", "1").to_json();
        let pt = bundle("pt", "1").to_json();
        let m = manifest(&[("en", en.as_bytes()), ("pt", pt.as_bytes())]);
        let plan = locale_plan(&m, &["pt-BR".into()]);
        let tags: Vec<&str> = plan.iter().map(|e| e.locale.as_str()).collect();
        assert_eq!(tags, ["pt", "en"]);
        let plan = locale_plan(&m, &[]);
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].locale.as_str(), "en");
    }

    #[test]
    fn matching_bytes_verify_and_parse() {
        let en = bundle("en", "1").to_json();
        let m = manifest(&[("en", en.as_bytes())]);
        let (first, digest) = verify_first(&m, &m.locales[0], en.as_bytes()).unwrap();
        assert_eq!(first.bundle.locale.as_str(), "en");
        assert_eq!(digest, Sha256Digest::of(en.as_bytes()));
        // A complete file (a build from before the split) is its own details.
        assert_eq!(first.details, None);
        assert_eq!(
            verify_details(&first, en.as_bytes()).unwrap(),
            bundle("en", "1")
        );
    }

    /// A split locale: `(first layer bytes, details bytes)`.
    fn split(b: &LocaleBundle) -> (String, String) {
        let full = b.to_json();
        let d = DetailsRef {
            path: "notice.en.details.0123456789ab.json".into(),
            sha256: Sha256Digest::of(full.as_bytes()),
        };
        (FirstLayer::file_of(b, d), full)
    }

    #[test]
    fn a_first_layer_and_its_details_file_verify_in_two_steps() {
        let b = bundle("en", "1");
        let (first_bytes, full) = split(&b);
        let m = manifest(&[("en", first_bytes.as_bytes())]);
        let (first, digest) = verify_first(&m, &m.locales[0], first_bytes.as_bytes()).unwrap();
        // The receipt's digest is the first layer's, which names the details file's.
        assert_eq!(digest, Sha256Digest::of(first_bytes.as_bytes()));
        assert_eq!(
            first.details.as_ref().map(|d| d.sha256),
            Some(Sha256Digest::of(full.as_bytes()))
        );
        assert_eq!(verify_details(&first, full.as_bytes()).unwrap(), b);
        // One changed byte in the details file: refused before it is parsed.
        let tampered = full.replace("Privacy", "Privacz");
        assert!(matches!(
            verify_details(&first, tampered.as_bytes()),
            Err(LocaleRejection::DigestMismatch { .. })
        ));
        // A details file that hashes right but is not what this first layer was cut from.
        let other = LocaleBundle {
            messages: vec![("banner-title".into(), Rich::plain("Other"))],
            ..b
        };
        let other_full = other.to_json();
        let mut first2 = first;
        first2.details = Some(DetailsRef {
            path: "x.json".into(),
            sha256: Sha256Digest::of(other_full.as_bytes()),
        });
        assert_eq!(
            verify_details(&first2, other_full.as_bytes()),
            Err(LocaleRejection::NotItsLayer)
        );
    }

    #[test]
    fn one_changed_byte_is_a_digest_mismatch_before_parsing() {
        let en = bundle("en", "1").to_json();
        let m = manifest(&[("en", en.as_bytes())]);
        let tampered = en.replace("Privacy", "Privacz");
        match verify_first(&m, &m.locales[0], tampered.as_bytes()) {
            Err(LocaleRejection::DigestMismatch { expected, actual }) => {
                assert_eq!(expected, m.locales[0].sha256);
                assert_eq!(actual, Sha256Digest::of(tampered.as_bytes()));
            }
            other => panic!("expected a digest mismatch, got {other:?}"),
        }
        // Garbage whose digest matches is still refused, as invalid, not shown.
        let m = manifest(&[("en", b"not json")]);
        assert!(matches!(
            verify_first(&m, &m.locales[0], b"not json"),
            Err(LocaleRejection::Invalid(_))
        ));
    }

    #[test]
    fn a_file_of_another_version_or_locale_is_refused() {
        let old = bundle("en", "0").to_json();
        let m = manifest(&[("en", old.as_bytes())]);
        assert_eq!(
            verify_first(&m, &m.locales[0], old.as_bytes()).unwrap_err(),
            LocaleRejection::WrongNotice("version")
        );
        let fr = bundle("fr", "1").to_json();
        let m = manifest(&[("en", fr.as_bytes())]);
        assert_eq!(
            verify_first(&m, &m.locales[0], fr.as_bytes()).unwrap_err(),
            LocaleRejection::WrongNotice("locale")
        );
        let (first_fr, _) = split(&bundle("fr", "1"));
        let m = manifest(&[("en", first_fr.as_bytes())]);
        assert_eq!(
            verify_first(&m, &m.locales[0], first_fr.as_bytes()).unwrap_err(),
            LocaleRejection::WrongNotice("locale")
        );
    }
}
