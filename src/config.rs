//! What a mount is configured with, and the pure rules derived from it.

use consentry_core::ids::{LocaleTag, RegionCode};
use consentry_core::notice::RegionMap;
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::Regime;
use consentry_core::region::{RegionSignals, UserRegion, resolve};

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
    /// The region from the site's edge (CDN geolocation header), if known.
    pub edge_region: Option<RegionCode>,
    /// A decision older than this many days is asked again (default 365).
    pub expiry_days: u32,
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

/// Default of the `expiryDays` option.
pub const DEFAULT_EXPIRY_DAYS: u32 = 365;

impl MountOptions {
    /// The expiry in milliseconds, for `ConsentSession::restore`.
    pub fn expiry_ms(&self) -> i64 {
        i64::from(self.expiry_days) * 86_400_000
    }
}

/// The regime and how it was determined, by core's precedence: the visitor's correction, the
/// `region` option, the `edgeRegion` option, the time zone, the languages, else GDPR
/// (`consentry_core::region::resolve`), mapped to a regime by the notice's own `map`.
pub fn jurisdiction(
    options: &MountOptions,
    user: Option<&UserRegion>,
    time_zone: Option<&str>,
    languages: &[String],
    map: &RegionMap,
) -> Jurisdiction {
    resolve(
        &RegionSignals {
            user,
            site: options.region.as_ref(),
            edge: options.edge_region.as_ref(),
            time_zone,
            languages,
        },
        map,
    )
}

/// The value the region corrector shows for a jurisdiction: its region code, or `other`.
pub fn region_value(j: &Jurisdiction) -> String {
    j.region
        .as_ref()
        .map_or_else(|| "other".to_owned(), |r| r.as_str().to_owned())
}

/// localStorage key of the visitor's region correction (`UserRegion`'s stored form).
pub const REGION_KEY: &str = "consentry:region";
/// localStorage key of the language the visitor picked in the switcher.
pub const LANGUAGE_KEY: &str = "consentry:language";
/// localStorage key of the server's answer to the latest stored receipt:
/// `<receipt id>` newline `<answer JSON>` (the countersignature, for "download my receipt").
pub const ACK_KEY: &str = "consentry:receipt-ack";

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
/// `consentry:receipt:<notice_id>`, holding `<receipt id>` newline `<envelope JSON>` (for
/// "download my receipt").
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

    fn options(region: Option<&str>, edge: Option<&str>) -> MountOptions {
        MountOptions {
            manifest_url: "https://example.com/notice/manifest.json".into(),
            endpoint: "https://example.com/v1/receipts".into(),
            language: None,
            region: region.map(|r| RegionCode::parse(r).unwrap()),
            edge_region: edge.map(|r| RegionCode::parse(r).unwrap()),
            expiry_days: DEFAULT_EXPIRY_DAYS,
            stylesheet_url: None,
        }
    }

    #[test]
    fn region_option_then_edge_then_hints_then_gdpr_default() {
        use consentry_core::regime::RegionSource;
        let map = RegionMap::default();
        let j = jurisdiction(&options(Some("DE"), Some("US-CA")), None, None, &[], &map);
        assert_eq!(
            (j.regime, j.determined_by, region_value(&j)),
            (Regime::Gdpr, RegionSource::SiteOption, "DE".into())
        );
        let j = jurisdiction(
            &options(None, Some("US-CA")),
            None,
            Some("Europe/Berlin"),
            &[],
            &map,
        );
        assert_eq!(
            (j.regime, j.determined_by),
            (Regime::Ccpa, RegionSource::EdgeHeader)
        );
        let j = jurisdiction(&options(None, None), None, Some("Asia/Shanghai"), &[], &map);
        assert_eq!(
            (j.regime, j.determined_by),
            (Regime::Pipl, RegionSource::TimeZone)
        );
        let j = jurisdiction(&options(None, None), None, None, &[], &map);
        assert_eq!(
            (j.regime, j.determined_by, region_value(&j)),
            (Regime::Gdpr, RegionSource::Default, "other".into())
        );
        let user = UserRegion::Region(RegionCode::parse("BR").unwrap());
        let j = jurisdiction(&options(Some("DE"), None), Some(&user), None, &[], &map);
        assert_eq!(
            (j.regime, j.determined_by),
            (Regime::Lgpd, RegionSource::UserSelection)
        );
        assert_eq!(options(None, None).expiry_ms(), 365 * 86_400_000);
    }

    #[test]
    fn the_notice_region_map_decides_the_regime() {
        // As `[regions]` in locales/notice.toml: GB follows GDPR; unlisted regions APEC.
        let gb = RegionCode::parse("GB").unwrap();
        let notice = RegionMap::new(Some(Regime::Apec), vec![(gb, Regime::Gdpr)]);
        let j = jurisdiction(&options(Some("GB"), None), None, None, &[], &notice);
        assert_eq!(j.regime, Regime::Gdpr);
        let j = jurisdiction(
            &options(Some("GB"), None),
            None,
            None,
            &[],
            &RegionMap::default(),
        );
        assert_eq!(
            j.regime,
            Regime::Apec,
            "without the entry GB is not in the EEA table"
        );
        let strict = RegionMap::new(Some(Regime::Gdpr), Vec::new());
        let j = jurisdiction(&options(Some("SG"), None), None, None, &[], &strict);
        assert_eq!(j.regime, Regime::Gdpr);
        let user = UserRegion::Elsewhere;
        let j = jurisdiction(&options(None, None), Some(&user), None, &[], &strict);
        assert_eq!(
            j.regime,
            Regime::Gdpr,
            "\"another region\" gets the notice's default"
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
