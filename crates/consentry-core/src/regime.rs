//! Legal regimes and how a visitor's region maps to one.
//!
//! Behaviour is code (what each regime switches on lives in the session and the widget); the
//! region → regime map is data that a notice may override (`[regions]` in `notice.toml`).
//! [`default_regime_for`] is the fallback table used when the notice says nothing.

use crate::ids::RegionCode;

/// A privacy regime whose rules decide defaults, layering and receipt contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Regime {
    /// EU / EEA General Data Protection Regulation (with ePrivacy for device storage).
    Gdpr,
    /// China's Personal Information Protection Law.
    Pipl,
    /// California Consumer Privacy Act as amended by CPRA.
    Ccpa,
    /// Brazil's Lei Geral de Proteção de Dados.
    Lgpd,
    /// APEC Privacy Framework: notice plus choice; the default elsewhere.
    Apec,
}

impl Regime {
    /// Every regime, in a fixed order.
    pub const ALL: [Regime; 5] = [
        Regime::Gdpr,
        Regime::Pipl,
        Regime::Ccpa,
        Regime::Lgpd,
        Regime::Apec,
    ];

    /// The wire name used in receipts and notice files.
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Gdpr => "eu-gdpr",
            Regime::Pipl => "cn-pipl",
            Regime::Ccpa => "us-ca-ccpa",
            Regime::Lgpd => "br-lgpd",
            Regime::Apec => "apec-cbpr",
        }
    }

    /// Parses a wire name; short forms (`gdpr`, `pipl`, `ccpa`, `lgpd`, `apec`) are accepted.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "eu-gdpr" | "gdpr" => Regime::Gdpr,
            "cn-pipl" | "pipl" => Regime::Pipl,
            "us-ca-ccpa" | "ccpa" | "cpra" => Regime::Ccpa,
            "br-lgpd" | "lgpd" => Regime::Lgpd,
            "apec-cbpr" | "apec" => Regime::Apec,
            _ => return None,
        })
    }

    /// Whether optional purposes start off and need an affirmative act (opt-in).
    pub fn is_opt_in(self) -> bool {
        !matches!(self, Regime::Ccpa | Regime::Apec)
    }
}

/// How the region (and so the regime) was determined; recorded in every receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RegionSource {
    /// The embedding site passed `region` explicitly.
    SiteOption,
    /// A geolocation header set by the site's edge (CDN) and passed in.
    EdgeHeader,
    /// Inferred from the browser's time zone (a hint only).
    TimeZone,
    /// Inferred from the browser's language (a weak hint only).
    Language,
    /// The visitor chose their region in the notice.
    UserSelection,
    /// Nothing was known; the notice's default applies.
    Default,
}

impl RegionSource {
    /// Every source, in documentation order.
    pub const ALL: [RegionSource; 6] = [
        RegionSource::SiteOption,
        RegionSource::EdgeHeader,
        RegionSource::TimeZone,
        RegionSource::Language,
        RegionSource::UserSelection,
        RegionSource::Default,
    ];

    /// The wire name used in receipts.
    pub fn as_str(self) -> &'static str {
        match self {
            RegionSource::SiteOption => "site_option",
            RegionSource::EdgeHeader => "edge_header",
            RegionSource::TimeZone => "time_zone",
            RegionSource::Language => "language",
            RegionSource::UserSelection => "user_selection",
            RegionSource::Default => "default",
        }
    }
    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "site_option" => RegionSource::SiteOption,
            "edge_header" => RegionSource::EdgeHeader,
            "time_zone" => RegionSource::TimeZone,
            "language" => RegionSource::Language,
            "user_selection" => RegionSource::UserSelection,
            "default" => RegionSource::Default,
            _ => return None,
        })
    }
}

/// EU member states plus the EEA (IS, LI, NO), where the GDPR applies.
pub const EEA: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// The built-in region → regime table: EEA → GDPR, CN → PIPL, US-CA → CCPA, BR → LGPD,
/// anything else → APEC (notice and choice).
pub fn default_regime_for(region: &RegionCode) -> Regime {
    let country = region.country();
    if EEA.contains(&country) {
        Regime::Gdpr
    } else if country == "CN" {
        Regime::Pipl
    } else if region.as_str() == "US-CA" {
        Regime::Ccpa
    } else if country == "BR" {
        Regime::Lgpd
    } else {
        Regime::Apec
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Regime {
        default_regime_for(&RegionCode::parse(s).unwrap())
    }

    #[test]
    fn default_table() {
        assert_eq!(r("DE"), Regime::Gdpr);
        assert_eq!(r("NO"), Regime::Gdpr);
        assert_eq!(r("CN"), Regime::Pipl);
        assert_eq!(r("US-CA"), Regime::Ccpa);
        assert_eq!(r("US-NY"), Regime::Apec);
        assert_eq!(r("BR-SP"), Regime::Lgpd);
        assert_eq!(r("SG"), Regime::Apec);
    }

    #[test]
    fn wire_names_round_trip() {
        for g in Regime::ALL {
            assert_eq!(Regime::parse(g.as_str()), Some(g));
        }
        assert_eq!(Regime::parse("nope"), None);
    }
}
