//! What a mount is configured with, and the pure rules derived from it.

use consentry_core::ids::{LocaleTag, RegionCode};
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::{Regime, RegionSource, default_regime_for};

/// The validated `mount` options (URLs already resolved against `document.baseURI`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountOptions {
    /// Absolute URL of `manifest.json`.
    pub manifest_url: String,
    /// Absolute URL receipts are POSTed to.
    pub endpoint: String,
    /// The site's language choice, tried first.
    pub language: Option<LocaleTag>,
    /// The visitor's region as the site knows it.
    pub region: Option<RegionCode>,
    /// Absolute URL of `consentry.css`, linked inside the shadow root.
    pub stylesheet_url: Option<String>,
}

/// Which URL schemes an option accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlUse {
    /// Something the widget fetches (manifest, locale files, stylesheet): `http:`, `https:`,
    /// and `blob:` (same-origin by construction; used by tests and by pages that build the
    /// files in memory).
    Fetch,
    /// The receipt endpoint: `http:` or `https:` only.
    Endpoint,
}

/// Whether a resolved URL's `protocol` (as the URL API gives it, e.g. `"https:"`) is allowed.
pub fn scheme_allowed(protocol: &str, use_: UrlUse) -> bool {
    match protocol {
        "http:" | "https:" => true,
        "blob:" => use_ == UrlUse::Fetch,
        _ => false,
    }
}

/// The regime and how it was determined: the `region` option picks it from the built-in table
/// (`RegionSource::SiteOption`); without a region the strictest rules apply (GDPR,
/// `RegionSource::Default`).
pub fn jurisdiction(region: Option<&RegionCode>) -> Jurisdiction {
    match region {
        Some(r) => Jurisdiction {
            region: Some(r.clone()),
            regime: default_regime_for(r),
            determined_by: RegionSource::SiteOption,
        },
        None => Jurisdiction {
            region: None,
            regime: Regime::Gdpr,
            determined_by: RegionSource::Default,
        },
    }
}

/// Whether optional purposes start off. Opt-in regimes (GDPR, PIPL, LGPD) always; opt-out
/// regimes (CCPA, APEC) too when the browser sends a Global Privacy Control signal, which
/// counts as an opt-out of sale and sharing (CCPA regs § 7025).
pub fn starts_opt_in(regime: Regime, gpc: bool) -> bool {
    regime.is_opt_in() || gpc
}

/// The localStorage key of the decision for a notice: `consentry:<notice_id>`.
pub fn consent_key(notice_id: &str) -> String {
    let mut k = String::with_capacity(10 + notice_id.len());
    k.push_str("consentry:");
    k.push_str(notice_id);
    k
}

/// The localStorage key of the latest signed receipt for a notice:
/// `consentry:receipt:<notice_id>` (the envelope JSON, for a later "download my receipt").
pub fn latest_receipt_key(notice_id: &str) -> String {
    let mut k = String::with_capacity(18 + notice_id.len());
    k.push_str("consentry:receipt:");
    k.push_str(notice_id);
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(scheme_allowed("https:", UrlUse::Endpoint));
        assert!(scheme_allowed("http:", UrlUse::Fetch));
        assert!(scheme_allowed("blob:", UrlUse::Fetch));
        assert!(!scheme_allowed("blob:", UrlUse::Endpoint));
        for bad in ["javascript:", "data:", "file:", "ftp:", ""] {
            assert!(!scheme_allowed(bad, UrlUse::Fetch), "{bad}");
            assert!(!scheme_allowed(bad, UrlUse::Endpoint), "{bad}");
        }
    }

    #[test]
    fn region_picks_the_regime_and_no_region_means_gdpr_default() {
        let de = RegionCode::parse("DE").unwrap();
        let j = jurisdiction(Some(&de));
        assert_eq!(j.regime, Regime::Gdpr);
        assert_eq!(j.determined_by, RegionSource::SiteOption);
        assert_eq!(j.region, Some(de));
        let j = jurisdiction(Some(&RegionCode::parse("US-CA").unwrap()));
        assert_eq!(j.regime, Regime::Ccpa);
        let j = jurisdiction(None);
        assert_eq!(
            (j.regime, j.determined_by, j.region),
            (Regime::Gdpr, RegionSource::Default, None)
        );
    }

    #[test]
    fn opt_in_unless_an_opt_out_regime_without_gpc() {
        assert!(starts_opt_in(Regime::Gdpr, false));
        assert!(starts_opt_in(Regime::Pipl, false));
        assert!(!starts_opt_in(Regime::Ccpa, false));
        assert!(starts_opt_in(Regime::Ccpa, true));
        assert!(!starts_opt_in(Regime::Apec, false));
    }

    #[test]
    fn storage_keys() {
        assert_eq!(consent_key("support-privacy"), "consentry:support-privacy");
        assert_eq!(
            latest_receipt_key("support-privacy"),
            "consentry:receipt:support-privacy"
        );
    }
}
