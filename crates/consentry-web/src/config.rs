//! What a mount is configured with, and the pure rules derived from it.

use consentry_core::bundle::LocaleBundle;
use consentry_core::ids::{LocaleTag, RegionCode};
use consentry_core::notice::RegionMap;
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::{Gate, requirement};
use consentry_core::region::{RegionSignals, UserRegion, resolve};
use consentry_core::session::{ConsentSession, PurposeRule, StoredConsent};
use consentry_core::time::Timestamp;

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
    /// A link token the receipt server issued (the mailbox's auto-reply link, a chat
    /// session): every receipt of this mount carries it (ADR 0017).
    pub link: Option<String>,
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

/// The `data-consentry-regimes` attribute: every regime applied, space-separated, the
/// visitor's own first.
pub fn regimes_attribute(j: &Jurisdiction) -> String {
    let mut s = String::new();
    for (g, _) in j.applied() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(g.as_str());
    }
    s
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

/// The session for `bundle` under `j`: the `stored` decision restored (one of another
/// version, older than `expiry_ms` at `now`, or missing purposes asks again), or a fresh one;
/// then each purpose's default and gate from every regime in force (core
/// `regime::requirement`: nothing that rests on consent is on before a choice, separate steps
/// wherever a law asks for them, what is sold or shared held off by an honoured GPC signal or
/// barred for a child). `child`: a parent or guardian decides for a child.
pub fn session_for(
    bundle: &LocaleBundle,
    j: &Jurisdiction,
    gpc: bool,
    child: bool,
    stored: Option<&StoredConsent>,
    now: Timestamp,
    expiry_ms: i64,
) -> ConsentSession {
    let rules: Vec<PurposeRule> = bundle
        .purposes
        .iter()
        .map(|p| PurposeRule {
            id: p.id.clone(),
            required: p.required,
        })
        .collect();
    let mut session = match stored {
        Some(st) => ConsentSession::restore(rules, st, &bundle.version, now, Some(expiry_ms)),
        None => ConsentSession::new(rules),
    };
    apply_rules(&mut session, bundle, j, gpc, child);
    session
}

/// Sets in `session`, per purpose of `bundle`, what the regimes in force `j` require
/// ([`purpose_rule`], through `ConsentSession::set_rules`): when the session is made, and again
/// when who decides changes (`child`: a parent or guardian decides for a child). One call site
/// of `set_rules` for both, so a module carries one copy of it.
pub fn apply_rules(
    session: &mut ConsentSession,
    bundle: &LocaleBundle,
    j: &Jurisdiction,
    gpc: bool,
    child: bool,
) {
    session.set_rules(|id| purpose_rule(bundle, j, gpc, child, id));
}

/// What the regimes in force `j` require of the purpose `id` of `bundle`: on before a choice,
/// and its gate (for `ConsentSession::with_rules` and `set_rules`).
pub fn purpose_rule(
    bundle: &LocaleBundle,
    j: &Jurisdiction,
    gpc: bool,
    child: bool,
    id: &consentry_core::ids::PurposeId,
) -> (bool, Gate) {
    let applied = j.applied();
    let in_force = j.in_force(&applied, gpc, child);
    bundle
        .purpose(id.as_str())
        .map_or((false, Gate::Open), |p| {
            let r = requirement(p, &in_force);
            (r.default_on, r.gate)
        })
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

/// The region corrector's regions: those the notice maps (and `current`, when it maps none of
/// them), as (code, name) by `name` (the region's name in the notice's language), sorted by
/// name. Sorted by insertion: no sort routine in the wasm. Both modules draw it from here.
pub fn region_options(
    map: &RegionMap,
    current: Option<&RegionCode>,
    name: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let mut codes = consentry_core::region::selectable(map);
    if let Some(r) = current.filter(|r| !codes.contains(r)) {
        codes.push(r.clone());
    }
    let mut v: Vec<(String, String)> = Vec::with_capacity(codes.len() + 1);
    for r in &codes {
        let n = name(r.as_str());
        let at = v.partition_point(|(_, o)| o.as_str() < n.as_str());
        v.insert(at, (r.as_str().to_owned(), n));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use consentry_core::regime::Regime;

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
            link: None,
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
        // A notice that maps GB to the EU GDPR (acknowledged); unlisted regions APEC.
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
            Regime::UkGdpr,
            "without the entry GB follows its own law"
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

    fn notice() -> LocaleBundle {
        use consentry_core::bundle::{BundlePurpose, Direction, Rich};
        use consentry_core::ids::{NoticeId, PurposeId};
        let p = |id: &str, required: bool, basis: &str| {
            BundlePurpose::new(
                PurposeId::parse(id).unwrap(),
                required,
                basis,
                Rich::plain(id),
                Rich::plain(id),
            )
        };
        LocaleBundle {
            purposes: vec![
                p("service-delivery", true, "contract"),
                p("chat-transcript", false, "consent"),
                BundlePurpose {
                    sold_or_shared: true,
                    ..p("marketing", false, "consent")
                },
                // Notice with a right to opt out in California, consent everywhere else.
                BundlePurpose {
                    legal_bases: vec![(Regime::Ccpa, "opt-out".into())],
                    on_until_opt_out: vec![Regime::Ccpa],
                    sold_or_shared: true,
                    ..p("ad-measurement", false, "consent")
                },
            ],
            ..LocaleBundle::new(
                NoticeId::parse("support-privacy").unwrap(),
                "1",
                LocaleTag::parse("en").unwrap(),
                Direction::Ltr,
            )
        }
    }

    fn granted(s: &ConsentSession) -> Vec<bool> {
        s.effective().iter().map(|(_, on)| *on).collect()
    }

    #[test]
    fn nothing_on_consent_before_a_choice_anywhere_and_gpc_holds_what_is_sold_or_shared() {
        let b = notice();
        let j = |r: Option<&str>| jurisdiction(&options(r, None), None, None, &[], &b.regions);
        let now = Timestamp(1_000);
        let day = 86_400_000;
        for region in [
            Some("DE"),
            Some("US-CA"),
            Some("JP"),
            Some("IN"),
            Some("NG"),
            None,
        ] {
            let s = session_for(&b, &j(region), false, false, None, now, day);
            let on = granted(&s);
            assert_eq!(on[..3], [true, false, false], "{region:?}: consent is off");
            // Only California lets the opt-out purpose run before a choice.
            assert_eq!(on[3], region == Some("US-CA"), "{region:?}");
        }
        let s = session_for(&b, &j(Some("US-CA")), true, false, None, now, day);
        assert_eq!(
            granted(&s),
            [true, false, false, false],
            "CCPA with GPC: what is sold or shared is held off"
        );
        assert_eq!(
            s.gate(&consentry_core::ids::PurposeId::parse("marketing").unwrap()),
            Some(Gate::SignalOptOut)
        );
        // A child: nothing on before a choice.
        let s = session_for(&b, &j(Some("US-CA")), false, true, None, now, day);
        assert_eq!(granted(&s), [true, false, false, false]);
        let s = session_for(&b, &j(Some("SG")), true, false, None, now, day);
        assert_eq!(
            granted(&s),
            [true, false, false, false],
            "APEC: GPC recorded, not binding; consent still off"
        );
        // A stored decision is restored; an expired one asks again.
        let st = StoredConsent {
            version: "1".into(),
            decided_at: Timestamp(0),
            choices: vec![
                (
                    consentry_core::ids::PurposeId::parse("service-delivery").unwrap(),
                    true,
                ),
                (
                    consentry_core::ids::PurposeId::parse("chat-transcript").unwrap(),
                    true,
                ),
                (
                    consentry_core::ids::PurposeId::parse("marketing").unwrap(),
                    true,
                ),
                (
                    consentry_core::ids::PurposeId::parse("ad-measurement").unwrap(),
                    true,
                ),
            ],
            last_receipt_id: None,
            last_receipt_sha256: None,
            seq: 0,
            signal_opt_ins: Vec::new(),
            separately: Vec::new(),
            guardian: false,
        };
        let s = session_for(&b, &j(Some("DE")), false, false, Some(&st), now, day);
        assert_eq!(granted(&s), [true, true, true, true]);
        let s = session_for(
            &b,
            &j(Some("DE")),
            false,
            false,
            Some(&st),
            Timestamp(2 * day),
            day,
        );
        assert_eq!(
            granted(&s),
            [true, false, false, false],
            "expired: off until a yes again"
        );
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
