//! Where is the visitor, and which rules apply? Pure functions from the signals the widget has
//! to a [`Jurisdiction`] (region, regime and how it was determined), which every receipt
//! records.
//!
//! Precedence, strongest first:
//! 1. the visitor's own correction in the notice ([`RegionSource::UserSelection`]);
//! 2. the site's `region` option ([`RegionSource::SiteOption`]);
//! 3. a geolocation value from the site's edge (CDN) passed in ([`RegionSource::EdgeHeader`]);
//! 4. the browser's time zone, a hint ([`RegionSource::TimeZone`]);
//! 5. the region subtag of the browser's languages, a weak hint ([`RegionSource::Language`]);
//! 6. nothing known: the strictest rules, GDPR, with no region ([`RegionSource::Default`]).
//!
//! A region becomes a regime through the notice's own [`RegionMap`] (`[regions]` in
//! `notice.toml`, compiled into every locale bundle as `LocaleBundle::regions`): its entries
//! first, then the built-in table ([`crate::regime::default_regime_for`]), then its default.
//! There is one source of truth for region → regime; this module only decides *which* region.

use alloc::string::String;
use alloc::vec::Vec;

use crate::ids::RegionCode;
use crate::notice::RegionMap;
use crate::receipt::Jurisdiction;
use crate::regime::{Reason, Regime, RegionSource};

/// The regime of regions `map` does not name: its default, else APEC (notice and choice).
pub fn default_regime(map: &RegionMap) -> Regime {
    map.default.unwrap_or(Regime::Apec)
}

/// The regions a visitor can pick when correcting their region, sorted by code: every home
/// region of the built-in table (the EEA, GB, CH, CN, JP, KR, IN, CA, CA-QC, the US states with
/// their own law, BR), `US` for the other states, and the map's own entries.
pub fn selectable(map: &RegionMap) -> Vec<RegionCode> {
    let mut out: Vec<RegionCode> = Vec::with_capacity(48 + map.entries.len());
    let listed = crate::regime::homes()
        .map(|(c, _)| c)
        .chain(core::iter::once("US"))
        .filter_map(|c| RegionCode::parse(c).ok())
        .chain(map.entries.iter().map(|(r, _)| r.clone()));
    // Sorted insertion (a few dozen codes): no sort routine in the wasm.
    for r in listed {
        if let Err(i) = out.binary_search(&r) {
            out.insert(i, r);
        }
    }
    out
}

/// The visitor's correction of their region in the notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserRegion {
    /// A region from the list.
    Region(RegionCode),
    /// "Somewhere else": none of the listed regions; the map's default regime applies.
    Elsewhere,
}

impl UserRegion {
    /// The stored form: the region code, or `other`.
    pub fn as_str(&self) -> &str {
        match self {
            UserRegion::Region(r) => r.as_str(),
            UserRegion::Elsewhere => "other",
        }
    }

    /// Reads the stored form; anything else is `None`.
    pub fn parse(s: &str) -> Option<Self> {
        if s == "other" {
            Some(UserRegion::Elsewhere)
        } else {
            RegionCode::parse(s).ok().map(UserRegion::Region)
        }
    }
}

/// The signals known about the visitor's region; all optional.
#[derive(Clone, Copy, Debug, Default)]
pub struct RegionSignals<'a> {
    /// The visitor's correction, if they made one.
    pub user: Option<&'a UserRegion>,
    /// The site's `region` option.
    pub site: Option<&'a RegionCode>,
    /// The edge (CDN) geolocation value, already parsed (see [`parse_edge_value`]).
    pub edge: Option<&'a RegionCode>,
    /// The browser's IANA time zone, e.g. `Europe/Berlin`.
    pub time_zone: Option<&'a str>,
    /// The browser's languages, best first (BCP 47 tags).
    pub languages: &'a [String],
}

/// Decides the jurisdiction from the signals (precedence in the module docs), with every
/// regime that applies ([`RegionMap::regimes_for`]).
pub fn resolve(signals: &RegionSignals<'_>, map: &RegionMap) -> Jurisdiction {
    let known = |region: RegionCode, source| {
        Jurisdiction::new(Some(region.clone()), source, map.regimes_for(Some(&region)))
    };
    if let Some(u) = signals.user {
        return match u {
            UserRegion::Region(r) => known(r.clone(), RegionSource::UserSelection),
            UserRegion::Elsewhere => {
                Jurisdiction::new(None, RegionSource::UserSelection, map.regimes_elsewhere())
            }
        };
    }
    if let Some(r) = signals.site {
        return known(r.clone(), RegionSource::SiteOption);
    }
    if let Some(r) = signals.edge {
        return known(r.clone(), RegionSource::EdgeHeader);
    }
    if let Some(r) = signals.time_zone.and_then(region_from_time_zone) {
        return known(r, RegionSource::TimeZone);
    }
    if let Some(r) = region_from_languages(signals.languages) {
        return known(r, RegionSource::Language);
    }
    Jurisdiction::new(None, RegionSource::Default, map.regimes_for(None))
}

/// The regimes a receipt's jurisdiction must list for `map`: what [`resolve`] gives for its
/// region (or for "somewhere else", or for an unknown region).
pub fn regimes_of(j: &Jurisdiction, map: &RegionMap) -> Vec<(Regime, Reason)> {
    match (&j.region, j.determined_by) {
        (Some(r), _) => map.regimes_for(Some(r)),
        (None, RegionSource::UserSelection) => map.regimes_elsewhere(),
        (None, _) => map.regimes_for(None),
    }
}

/// Reads a CDN geolocation header value (`CF-IPCountry: DE`, `X-Vercel-IP-Country: US` plus
/// a subdivision joined as `US-CA`, …). `Ok(None)` for the values CDNs use for "unknown":
/// empty, `XX`, `T1` (Tor), `A1`, `A2`, `O1`, `EU`, `AP`; an error for anything that is not a
/// region code.
pub fn parse_edge_value(s: &str) -> Result<Option<RegionCode>, crate::ids::IdError> {
    let t = s.trim();
    let unknown = ["XX", "T1", "A1", "A2", "O1", "EU", "AP"];
    if t.is_empty() || unknown.iter().any(|u| u.eq_ignore_ascii_case(t)) {
        return Ok(None);
    }
    RegionCode::parse(t).map(Some)
}

/// IANA time zones that name one region (a hint: a zone covers every place on its clock), one
/// `<zone> <region>` per line, sorted by zone. A zone shared by places under different laws is
/// read as the one with the strictest rules: `America/Los_Angeles` as California,
/// `America/New_York` as Connecticut (minors, GPC), `America/Chicago` as Texas,
/// `America/Denver` as Colorado, `America/Toronto` as Québec (Law 25 and PIPEDA). One string, not a table of `&str` pairs: the
/// widget's first module carries it without a pointer pair per entry.
const TIME_ZONES: &str = concat!(
    "Africa/Ceuta ES\n",
    "America/Araguaina BR\n",
    "America/Bahia BR\n",
    "America/Belem BR\n",
    "America/Boa_Vista BR\n",
    "America/Campo_Grande BR\n",
    "America/Chicago US-TX\n",
    "America/Cuiaba BR\n",
    "America/Denver US-CO\n",
    "America/Detroit US\n",
    "America/Eirunepe BR\n",
    "America/Fortaleza BR\n",
    "America/Los_Angeles US-CA\n",
    "America/Maceio BR\n",
    "America/Manaus BR\n",
    "America/Mexico_City MX\n",
    "America/Montreal CA-QC\n",
    "America/New_York US-CT\n",
    "America/Noronha BR\n",
    "America/Phoenix US\n",
    "America/Porto_Velho BR\n",
    "America/Recife BR\n",
    "America/Rio_Branco BR\n",
    "America/Santarem BR\n",
    "America/Sao_Paulo BR\n",
    "America/Toronto CA-QC\n",
    "America/Vancouver CA\n",
    "Asia/Calcutta IN\n",
    "Asia/Chongqing CN\n",
    "Asia/Chungking CN\n",
    "Asia/Famagusta CY\n",
    "Asia/Harbin CN\n",
    "Asia/Hong_Kong HK\n",
    "Asia/Kolkata IN\n",
    "Asia/Macau MO\n",
    "Asia/Nicosia CY\n",
    "Asia/Seoul KR\n",
    "Asia/Shanghai CN\n",
    "Asia/Singapore SG\n",
    "Asia/Taipei TW\n",
    "Asia/Tokyo JP\n",
    "Asia/Urumqi CN\n",
    "Atlantic/Azores PT\n",
    "Atlantic/Canary ES\n",
    "Atlantic/Madeira PT\n",
    "Atlantic/Reykjavik IS\n",
    "Australia/Sydney AU\n",
    "Europe/Amsterdam NL\n",
    "Europe/Athens GR\n",
    "Europe/Berlin DE\n",
    "Europe/Bratislava SK\n",
    "Europe/Brussels BE\n",
    "Europe/Bucharest RO\n",
    "Europe/Budapest HU\n",
    "Europe/Busingen DE\n",
    "Europe/Copenhagen DK\n",
    "Europe/Dublin IE\n",
    "Europe/Helsinki FI\n",
    "Europe/Lisbon PT\n",
    "Europe/Ljubljana SI\n",
    "Europe/London GB\n",
    "Europe/Luxembourg LU\n",
    "Europe/Madrid ES\n",
    "Europe/Malta MT\n",
    "Europe/Nicosia CY\n",
    "Europe/Oslo NO\n",
    "Europe/Paris FR\n",
    "Europe/Prague CZ\n",
    "Europe/Riga LV\n",
    "Europe/Rome IT\n",
    "Europe/Sofia BG\n",
    "Europe/Stockholm SE\n",
    "Europe/Tallinn EE\n",
    "Europe/Vaduz LI\n",
    "Europe/Vienna AT\n",
    "Europe/Vilnius LT\n",
    "Europe/Warsaw PL\n",
    "Europe/Zagreb HR\n",
    "Europe/Zurich CH\n",
    "PRC CN\n",
    "Pacific/Honolulu US\n",
);

/// Zone prefixes that name one country, as [`TIME_ZONES`] (`<prefix> <region>` per line).
const TIME_ZONE_PREFIXES: &str = concat!(
    "America/Indiana/ US\n",
    "America/Kentucky/ US\n",
    "America/North_Dakota/ US\n",
    "Australia/ AU\n",
    "US/ US\n",
);

/// The `(zone or prefix, region)` pairs of a table as above.
fn pairs(table: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    table.split('\n').filter_map(|l| l.split_once(' '))
}

/// The region a time zone points to, if it names one.
pub fn region_from_time_zone(tz: &str) -> Option<RegionCode> {
    let code = match pairs(TIME_ZONES).find(|(z, _)| *z == tz) {
        Some((_, code)) => code,
        None => {
            pairs(TIME_ZONE_PREFIXES)
                .find(|(p, _)| tz.starts_with(p))?
                .1
        }
    };
    RegionCode::parse(code).ok()
}

/// The region subtag of the first language tag that has one (`zh-CN` → `CN`,
/// `zh-Hans-CN` → `CN`, `pt-BR` → `BR`; `en` has none).
pub fn region_from_languages(languages: &[String]) -> Option<RegionCode> {
    languages.iter().find_map(|tag| {
        tag.split(['-', '_'])
            .skip(1)
            .take_while(|s| s.len() != 1) // a singleton starts extensions / private use
            .find(|s| s.len() == 2 && s.bytes().all(|c| c.is_ascii_alphabetic()))
            .and_then(|s| RegionCode::parse(s).ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    fn notice_map() -> RegionMap {
        // As in locales/notice.toml: everything unlisted APEC, the controller in China.
        RegionMap::new(Some(Regime::Apec), vec![]).with_controller_in(&rc("CN"))
    }

    #[test]
    fn the_notice_map_prefers_its_entries_then_the_builtin_table_then_its_default() {
        let m = RegionMap::new(
            Some(Regime::Apec),
            vec![(rc("GB"), Regime::Gdpr), (rc("CH"), Regime::Gdpr)],
        );
        assert_eq!(m.regime_for(&rc("GB")), Regime::Gdpr);
        assert_eq!(
            m.regime_for(&rc("GB-ENG")),
            Regime::Gdpr,
            "country entry covers it"
        );
        assert_eq!(m.regime_for(&rc("DE")), Regime::Gdpr);
        assert_eq!(m.regime_for(&rc("CN")), Regime::Pipl);
        assert_eq!(m.regime_for(&rc("US-CA")), Regime::Ccpa);
        assert_eq!(m.regime_for(&rc("US-NY")), Regime::Apec);
        assert_eq!(m.regime_for(&rc("BR-SP")), Regime::Lgpd);
        assert_eq!(m.regime_for(&rc("JP")), Regime::Appi);
        let strict = RegionMap::new(Some(Regime::Gdpr), vec![(rc("US-CA"), Regime::Gdpr)]);
        assert_eq!(strict.regime_for(&rc("US-CA")), Regime::Gdpr);
        assert_eq!(strict.regime_for(&rc("SG")), Regime::Gdpr);
        // A country-wide entry does not silence a state's own law.
        let us = RegionMap::new(None, vec![(rc("US"), Regime::Apec)]);
        assert_eq!(us.regime_for(&rc("US-CA")), Regime::Ccpa);
        assert_eq!(us.regime_for(&rc("US-NY")), Regime::Apec);
        assert_eq!(RegionMap::default().regime_for(&rc("SG")), Regime::Apec);
        assert_eq!(default_regime(&strict), Regime::Gdpr);
        assert_eq!(default_regime(&RegionMap::default()), Regime::Apec);
    }

    #[test]
    fn precedence_user_then_site_then_edge_then_time_zone_then_language() {
        let m = notice_map();
        let langs = vec!["pt-BR".to_string()];
        let user = UserRegion::Region(rc("CN"));
        let (site, edge) = (rc("DE"), rc("US-CA"));
        let all = RegionSignals {
            user: Some(&user),
            site: Some(&site),
            edge: Some(&edge),
            time_zone: Some("Asia/Tokyo"),
            languages: &langs,
        };
        let j = resolve(&all, &m);
        assert_eq!(
            (j.region.as_ref(), j.regime, j.determined_by),
            (Some(&rc("CN")), Regime::Pipl, RegionSource::UserSelection)
        );
        assert_eq!(j.regimes, [(Regime::Pipl, Reason::VisitorRegion)]);
        let j = resolve(&RegionSignals { user: None, ..all }, &m);
        assert_eq!(
            (j.regime, j.determined_by),
            (Regime::Gdpr, RegionSource::SiteOption)
        );
        assert_eq!(
            j.regimes,
            [
                (Regime::Gdpr, Reason::VisitorRegion),
                (Regime::Pipl, Reason::ControllerEstablishment)
            ],
            "the controller's law applies with the visitor's"
        );
        let j = resolve(
            &RegionSignals {
                user: None,
                site: None,
                ..all
            },
            &m,
        );
        assert_eq!(
            (j.regime, j.determined_by),
            (Regime::Ccpa, RegionSource::EdgeHeader)
        );
        let hints = RegionSignals {
            time_zone: Some("Asia/Tokyo"),
            languages: &langs,
            ..Default::default()
        };
        let j = resolve(&hints, &m);
        assert_eq!(
            (j.region, j.regime, j.determined_by),
            (Some(rc("JP")), Regime::Appi, RegionSource::TimeZone)
        );
        let j = resolve(
            &RegionSignals {
                time_zone: Some("Etc/UTC"),
                ..hints
            },
            &m,
        );
        assert_eq!(
            (j.region, j.regime, j.determined_by),
            (Some(rc("BR")), Regime::Lgpd, RegionSource::Language)
        );
    }

    #[test]
    fn nothing_known_is_gdpr_and_elsewhere_is_the_map_default() {
        let m = notice_map();
        let none = vec!["en".to_string()];
        let j = resolve(
            &RegionSignals {
                time_zone: Some("Etc/UTC"),
                languages: &none,
                ..Default::default()
            },
            &m,
        );
        assert_eq!(
            (j.region, j.regime, j.determined_by),
            (None, Regime::Gdpr, RegionSource::Default)
        );
        let other = UserRegion::Elsewhere;
        let j = resolve(
            &RegionSignals {
                user: Some(&other),
                ..Default::default()
            },
            &m,
        );
        assert_eq!(
            (j.region, j.regime, j.determined_by),
            (None, Regime::Apec, RegionSource::UserSelection)
        );
    }

    #[test]
    fn time_zones_and_languages() {
        let zones: Vec<_> = pairs(TIME_ZONES).collect();
        assert_eq!(zones.len(), TIME_ZONES.lines().count(), "one pair per line");
        assert!(
            zones.windows(2).all(|w| w[0].0 < w[1].0),
            "TIME_ZONES stays sorted (one entry per zone)"
        );
        assert_eq!(pairs(TIME_ZONE_PREFIXES).count(), 5);
        for (zone, code) in zones {
            assert_eq!(region_from_time_zone(zone), Some(rc(code)), "{zone}");
        }
        assert_eq!(
            region_from_time_zone("America/Indiana/Knox"),
            Some(rc("US"))
        );
        assert_eq!(region_from_time_zone("Australia/Perth"), Some(rc("AU")));
        assert_eq!(region_from_time_zone("Europe/Berlin"), Some(rc("DE")));
        assert_eq!(region_from_time_zone("Etc/UTC"), None);
        assert_eq!(region_from_time_zone(""), None);
        let l = |v: &[&str]| {
            region_from_languages(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(l(&["en", "zh-Hans-CN"]), Some(rc("CN")));
        assert_eq!(l(&["pt_BR"]), Some(rc("BR")));
        assert_eq!(l(&["en", "fr"]), None);
        assert_eq!(l(&["en-x-us"]), None, "private use is not a region");
        assert_eq!(l(&["es-419"]), None, "numeric areas are not regions");
        assert_eq!(l(&[]), None);
    }

    #[test]
    fn edge_values() {
        assert_eq!(parse_edge_value(" de ").unwrap(), Some(rc("DE")));
        assert_eq!(parse_edge_value("US-CA").unwrap(), Some(rc("US-CA")));
        for unknown in ["", "  ", "XX", "T1", "xx", "EU"] {
            assert_eq!(parse_edge_value(unknown).unwrap(), None, "{unknown:?}");
        }
        for bad in ["Germany", "1", "DE-TOOLONG", "<script>"] {
            assert!(parse_edge_value(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn user_region_round_trips_and_selectable_regions() {
        for u in [UserRegion::Region(rc("US-CA")), UserRegion::Elsewhere] {
            assert_eq!(UserRegion::parse(u.as_str()), Some(u));
        }
        assert_eq!(UserRegion::parse("not a region"), None);
        let s = selectable(&notice_map());
        assert!(s.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
        for code in [
            "DE", "GB", "CH", "CN", "US", "US-CA", "BR", "NO", "JP", "KR", "IN", "CA", "CA-QC",
            "US-TX",
        ] {
            assert!(s.contains(&rc(code)), "{code}");
        }
        assert_eq!(s.len(), 30 + 15 + 1);
    }
}
