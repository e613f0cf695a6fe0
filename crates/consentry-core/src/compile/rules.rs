//! What each privacy law requires of a notice (the `R` rules, and the dark-pattern rule that
//! depends on the regimes, `D004`; the wording rules `D005`–`D009` are in `meaning::wording`), checked on the notice as far as it could be read:
//! controller details, rights, complaints, transfers and consent mechanics per regime. Only the
//! regimes a visitor can actually get ([`RegionMap::regimes_in_use`]) are checked, and a rule
//! whose input had an error of its own stays silent (that error is reported already), so one
//! run shows every law's findings even when `notice.toml` has other errors. Findings point at
//! the key in `notice.toml` that needs to change; messages a regime requires in every locale
//! are returned by [`required_by_regimes`] and checked with the other messages.
//!
//! The consent mechanics come from the same functions the widget and the receipt verifier use
//! (`crate::regime`), applied to the purposes' compiled facts.
//!
//! [`RegionMap::regimes_in_use`]: crate::notice::RegionMap::regimes_in_use

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::bundle::BundlePurpose;
use crate::diagnostics::{Code, Diagnostic};
use crate::notice::{Channel, Known, LegalBasis, Notice, Right, Safeguard, Spans};
use crate::regime::{Gate, InForce, Reason, Regime, home_regime_exact, is_eea, requirement};

/// Where findings go: `notice.toml`'s path, text and key spans.
pub(crate) struct NoticeFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub spans: &'a Spans,
}

impl NoticeFile<'_> {
    fn report(
        &self,
        diags: &mut Vec<Diagnostic>,
        code: Code,
        at: &[&str],
        message: String,
        note: &str,
    ) {
        let mut span = 0..0;
        for path in at {
            span = self.spans.find(path);
            if !span.is_empty() {
                break;
            }
        }
        diags.push(Diagnostic::at(code, self.path, self.text, span, message).with_note(note));
    }
}

const GDPR_SAFEGUARDS: [Safeguard; 4] = [
    Safeguard::Adequacy,
    Safeguard::EuScc,
    Safeguard::Bcr,
    Safeguard::ExplicitConsent,
];
const PIPL_SAFEGUARDS: [Safeguard; 3] = [
    Safeguard::PiplStandardContract,
    Safeguard::PiplCertification,
    Safeguard::PiplSecurityAssessment,
];

/// Why a regime is checked, for messages: `cn-pipl (visitors in CN; the controller is
/// established in CN)`.
fn why(n: &Notice, g: Regime) -> String {
    let mut homes: Vec<&str> = crate::regime::homes()
        .filter(|(_, r)| *r == g)
        .map(|(c, _)| c)
        .filter(|c| {
            crate::ids::RegionCode::parse(c).is_ok_and(|code| {
                n.regions
                    .regimes_for(Some(&code))
                    .iter()
                    .any(|(r, _)| *r == g)
            })
        })
        .collect();
    homes.extend(
        n.regions
            .entries
            .iter()
            .filter(|(_, r)| *r == g)
            .map(|(c, _)| c.as_str()),
    );
    let mut parts = Vec::new();
    if !homes.is_empty() {
        let shown: Vec<&str> = homes.iter().take(4).copied().collect();
        parts.push(format!(
            "visitors in {}{}",
            shown.join(", "),
            if homes.len() > 4 { ", …" } else { "" }
        ));
    }
    if n.regions.controller.contains(&g) {
        let c = n.controller.country.as_ref().map_or("", |c| c.as_str());
        parts.push(format!("the controller is established in {c}"));
    }
    if n.regions.default == Some(g) {
        parts.push("[regions] default".into());
    }
    if parts.is_empty() {
        g.as_str().into()
    } else {
        format!("{} ({})", g.as_str(), parts.join("; "))
    }
}

/// Runs the notice-level regime rules on `n`, of which `known` says which parts were read
/// without error.
pub(crate) fn check_notice(
    n: &Notice,
    known: Known,
    f: &NoticeFile<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let used = n.regions.regimes_in_use();
    let has = |g: Regime| used.contains(&g);
    let any_us = used.iter().any(|g| g.is_us_state());
    let c = &n.controller;
    let facts: Vec<BundlePurpose> = n.purposes.iter().map(super::purpose_facts).collect();

    if known.controller {
        check_controller(n, &used, f, diags);
    }
    if known.regions {
        check_regions(n, f, diags);
    }

    if known.rights {
        check_rights(n, &used, known.purposes, f, diags);
    }

    if known.complaints && known.regions {
        for &g in &used {
            if g != Regime::Apec && !n.complaints.iter().any(|c| c.regime == g) {
                f.report(
                    diags,
                    Code::ComplaintAuthority,
                    &["complaints", "rights"],
                    format!("[complaints] says nowhere to complain under {}", why(n, g)),
                    &format!(
                        "add {} = \"<link name>\" under [complaints] (the authority's page), and a complaint-{} message",
                        g.as_str(),
                        g.as_str()
                    ),
                );
            }
        }
    }
    if any_us && known.links && n.policy_link.is_none() {
        f.report(
            diags,
            Code::CcpaPolicyLink,
            &["links", ""],
            "the notice names no link to the full privacy policy".into(),
            "add policy_link = \"<link name>\" at the top of notice.toml",
        );
    }
    if known.controller && has(Regime::Appi) {
        let missing = match (&c.head, c.address.trim().is_empty()) {
            (None, true) => Some("head and address"),
            (None, false) => Some("head"),
            (Some(_), true) => Some("address"),
            _ => None,
        };
        if let Some(m) = missing {
            f.report(
                diags,
                Code::AppiPublicMatters,
                &["controller"],
                format!(
                    "[controller] lacks {m}, which {} requires the notice to give",
                    why(n, Regime::Appi)
                ),
                "add head = \"<name of the representative director or president>\" to [controller]",
            );
        }
    }

    for (p, facts) in n.purposes.iter().zip(&facts) {
        check_purpose(n, p, facts, &used, known, f, diags);
    }
    if known.controller && known.links {
        check_email_domains(n, f, diags);
    }
    if known.controller {
        check_representatives(n, f, diags);
    }
    if known.links {
        check_link_targets(n, f, diags);
    }
    check_plausible(n, known, f, diags);
}

fn check_controller(n: &Notice, used: &[Regime], f: &NoticeFile<'_>, diags: &mut Vec<Diagnostic>) {
    let has = |g: Regime| used.contains(&g);
    let c = &n.controller;
    let Some(country) = &c.country else {
        f.report(
            diags,
            Code::ControllerLocation,
            &["controller"],
            "[controller] does not say in which country the controller is established".into(),
            "add country = \"XX\" (ISO 3166 code) to [controller]",
        );
        return;
    };
    let home = country.country();
    let reps: [(Regime, bool, bool, Code, &str, &str); 4] = [
        (
            Regime::Gdpr,
            is_eea(home),
            c.eu_representative.is_some(),
            Code::GdprEuRepresentative,
            "EU/EEA",
            "eu_representative",
        ),
        (
            Regime::UkGdpr,
            home == "GB",
            c.uk_representative.is_some(),
            Code::UkRepresentative,
            "UK",
            "uk_representative",
        ),
        (
            Regime::ChFadp,
            home == "CH",
            c.swiss_representative.is_some(),
            Code::SwissRepresentative,
            "Switzerland",
            "swiss_representative",
        ),
        (
            Regime::Pipa,
            home == "KR",
            c.korea_representative.is_some(),
            Code::KoreaDomesticAgent,
            "Korea",
            "korea_representative",
        ),
    ];
    for (g, inside, named, code, place, key) in reps {
        if has(g) && !inside && !named {
            f.report(
                diags,
                code,
                &["controller.country"],
                format!(
                    "the controller is established in {country}, outside {place}, but names no representative there ({} applies)",
                    why(n, g)
                ),
                &format!("add [controller.{key}] with name, address and email"),
            );
        }
    }
    if has(Regime::Pipl) && home != "CN" && c.china_representative.is_none() {
        f.report(
            diags,
            Code::PiplChinaRepresentative,
            &["controller.country"],
            format!(
                "the controller is established in {country}, outside China, but names no representative in China ({} applies)",
                why(n, Regime::Pipl)
            ),
            "add [controller.china_representative] with name, address and email",
        );
    }
    if c.dpo.is_none() {
        let officer: Vec<&str> = [
            Regime::Pipa,
            Regime::Dpdp,
            Regime::Pipeda,
            Regime::QcLaw25,
            Regime::Lgpd,
        ]
        .into_iter()
        .filter(|g| has(*g))
        .map(Regime::as_str)
        .collect();
        if !officer.is_empty() {
            f.report(
                diags,
                Code::PrivacyOfficer,
                &["controller"],
                format!(
                    "[controller] names no privacy officer, which {} require",
                    officer.join(", ")
                ),
                "add [controller.dpo] with the officer's name or title and e-mail",
            );
        } else if has(Regime::Gdpr) || has(Regime::UkGdpr) || has(Regime::Pipl) {
            f.report(
                diags,
                Code::DpoContact,
                &["controller"],
                "[controller] gives no data protection officer".into(),
                "if one is appointed, add [controller.dpo] with name and email",
            );
        }
    }
}

/// R039: a region mapped away from the law the built-in table knows for it, without a reason.
fn check_regions(n: &Notice, f: &NoticeFile<'_>, diags: &mut Vec<Diagnostic>) {
    for (region, g) in &n.regions.entries {
        let own = home_regime_exact(region.as_str()).or_else(|| {
            (region.as_str().len() == 2)
                .then(|| home_regime_exact(region.country()))
                .flatten()
        });
        let Some(own) = own.filter(|o| o != g) else {
            continue;
        };
        let reason = n
            .regions
            .acknowledged
            .iter()
            .find(|(r, _)| r == region)
            .map(|(_, why)| why.as_str());
        if let Some(why) = reason {
            if !placeholder_reason(why) {
                continue;
            }
            f.report(
                diags,
                Code::RegionAwayFromOwnLaw,
                &[&format!("regions.{region}.reason"), &format!("regions.{region}")],
                format!(
                    "[regions] maps {region} to {} instead of {}, and its reason {why:?} is a placeholder",
                    g.as_str(),
                    own.as_str()
                ),
                "say why its visitors do not get their own law, in a sentence that stays true (at least 15 characters), or map it to its own law",
            );
            continue;
        }
        f.report(
            diags,
            Code::RegionAwayFromOwnLaw,
            &[&format!("regions.{region}")],
            format!(
                "[regions] maps {region} to {}, but the law there is {}: its visitors would lose what {} requires",
                g.as_str(),
                own.as_str(),
                own.short()
            ),
            &format!(
                "write {region} = \"{}\", remove the entry, or acknowledge it: {region} = {{ regime = \"{}\", reason = \"…\" }}",
                own.as_str(),
                g.as_str()
            ),
        );
    }
}

/// Whether an acknowledgement's reason is a placeholder rather than a reason: TODO, TBD,
/// xxx, fixme, a question mark, no letters at all, or fewer than 15 characters.
pub(crate) fn placeholder_reason(reason: &str) -> bool {
    const PLACEHOLDERS: &[&str] = &[
        "todo",
        "tbd",
        "tba",
        "tbc",
        "xxx",
        "xx",
        "fixme",
        "placeholder",
        "lorem",
        "n/a",
    ];
    let r = reason.trim();
    if r.chars().count() < 15 || !r.chars().any(char::is_alphabetic) || r.ends_with('?') {
        return true;
    }
    r.split(|c: char| !(c.is_alphanumeric() || c == '/'))
        .filter(|w| !w.is_empty())
        .any(|w| {
            PLACEHOLDERS.contains(&w.to_lowercase().as_str())
                || w.chars().all(|c| c == 'x' || c == 'X') && w.len() >= 2
        })
}

fn check_rights(
    n: &Notice,
    used: &[Regime],
    purposes_known: bool,
    f: &NoticeFile<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let has = |g: Regime| used.contains(&g);
    let offered = &n.rights.offered;
    let mut rule = |code: Code, applies: bool, want: &[Right], law: String| {
        if !applies {
            return;
        }
        let m: Vec<&'static str> = want
            .iter()
            .filter(|r| !offered.contains(r))
            .map(|r| r.as_str())
            .collect();
        if !m.is_empty() {
            f.report(
                diags,
                code,
                &["rights.offered", "rights"],
                format!("[rights] offered lacks {} ({law})", m.join(", ")),
                "add them to offered, and a right-<id> message for each to every .ftl file",
            );
        }
    };
    use Right::*;
    let gdpr = [Regime::Gdpr, Regime::UkGdpr]
        .into_iter()
        .filter(|g| has(*g))
        .map(|g| why(n, g))
        .collect::<Vec<_>>();
    rule(
        Code::GdprRights,
        !gdpr.is_empty(),
        &[
            Access,
            Rectification,
            Erasure,
            Restriction,
            Objection,
            Portability,
        ],
        format!("GDPR Art. 13(2)(b): {}", gdpr.join(", ")),
    );
    rule(
        Code::PiplRights,
        has(Regime::Pipl),
        &[Access, Rectification, Erasure, Portability, Explanation],
        format!("PIPL Arts. 44–50: {}", why(n, Regime::Pipl)),
    );
    let sold = n.purposes.iter().any(|p| p.sold_or_shared);
    let mut ccpa = alloc::vec![Access, Erasure, Rectification, NonDiscrimination];
    if sold {
        ccpa.push(OptOutOfSale);
    }
    rule(
        Code::CcpaRights,
        has(Regime::Ccpa),
        &ccpa,
        format!("CCPA 1798.100–.125: {}", why(n, Regime::Ccpa)),
    );
    let states: Vec<String> = used
        .iter()
        .filter(|g| g.is_us_state() && **g != Regime::Ccpa)
        .map(|g| g.as_str().into())
        .collect();
    rule(
        Code::UsStateRights,
        !states.is_empty(),
        &[
            Access,
            Rectification,
            Erasure,
            Portability,
            OptOutOfSale,
            Appeal,
        ],
        states.join(", "),
    );
    rule(
        Code::LgpdRights,
        has(Regime::Lgpd),
        &[
            Access,
            Rectification,
            Erasure,
            Anonymisation,
            Portability,
            SharingInformation,
            RefusalInformation,
        ],
        format!("LGPD Art. 18: {}", why(n, Regime::Lgpd)),
    );
    rule(
        Code::PipaRights,
        has(Regime::Pipa),
        &[
            Access,
            Rectification,
            Erasure,
            Restriction,
            RefusalInformation,
        ],
        format!("PIPA Arts. 15, 35–37: {}", why(n, Regime::Pipa)),
    );
    rule(
        Code::DpdpRights,
        has(Regime::Dpdp),
        &[Access, Rectification, Erasure, Nominate],
        format!("DPDP ss.11–14: {}", why(n, Regime::Dpdp)),
    );
    // nFADP (Arts. 25, 28, 32), APPI (Arts. 33–35), PIPEDA and Québec give access,
    // rectification, erasure and portability, all on GDPR's list, which always applies (to
    // visitors whose region is unknown): R005 covers them.
    let consent_used = n
        .purposes
        .iter()
        .any(|p| used.iter().any(|g| p.basis_for(*g) == LegalBasis::Consent));
    let _ = purposes_known;
    rule(
        Code::WithdrawalRight,
        consent_used,
        &[WithdrawConsent],
        "GDPR Art. 7(3); PIPL Art. 15; LGPD Art. 8 §5".into(),
    );
}

#[allow(clippy::too_many_arguments)]
fn check_purpose(
    n: &Notice,
    p: &crate::notice::Purpose,
    facts: &BundlePurpose,
    used: &[Regime],
    known: Known,
    f: &NoticeFile<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let has = |g: Regime| used.contains(&g);
    let at = |key: &str| format!("purposes.{}.{key}", p.id);
    let id = p.id.as_str();
    let basis = |g: Regime| p.basis_for(g);

    // Sensitive data rests on (explicit) consent wherever the law asks for it.
    if p.sensitive {
        let bad: Vec<&str> = used
            .iter()
            .filter(|g| {
                **g != Regime::Ccpa
                    && **g != Regime::Dpdp
                    && **g != Regime::Apec
                    && basis(**g) != LegalBasis::Consent
            })
            .map(|g| g.as_str())
            .collect();
        if !bad.is_empty() && !p.required {
            f.report(
                diags,
                Code::SensitiveSeparateConsent,
                &[&at("sensitive")],
                format!(
                    "purpose `{id}` involves sensitive data but does not rest on consent under {}",
                    bad.join(", ")
                ),
                "use legal_basis = \"consent\" there; the widget then asks for it in a step of its own",
            );
        }
    }
    // R043: a required purpose cannot ask for consent, so its sensitive data needs another
    // condition the law has (GDPR Art. 9(2)(b), (c), (g); LGPD Art. 11 II …).
    if p.sensitive && p.required {
        let bad: Vec<&str> = used
            .iter()
            .filter(|g| {
                **g != Regime::Ccpa
                    && **g != Regime::Dpdp
                    && **g != Regime::Apec
                    && !matches!(
                        basis(**g),
                        LegalBasis::LegalObligation
                            | LegalBasis::VitalInterests
                            | LegalBasis::PublicTask
                    )
            })
            .map(|g| g.as_str())
            .collect();
        if !bad.is_empty() {
            f.report(
                diags,
                Code::SensitiveRequiredBasis,
                &[&at("sensitive")],
                format!(
                    "purpose `{id}` is required and involves sensitive data, but rests on {} under {}, which is no condition for sensitive data there",
                    basis(used.iter().copied().find(|g| bad.contains(&g.as_str())).unwrap_or(Regime::Gdpr)).as_str(),
                    bad.join(", ")
                ),
                "move the sensitive data to an optional purpose on consent, or give the legal obligation, vital interest or public task that requires it (legal_basis = \"legal-obligation\")",
            );
        }
    }
    // Legal bases the laws do not have.
    if has(Regime::Pipl) && basis(Regime::Pipl) == LegalBasis::LegitimateInterests {
        f.report(
            diags,
            Code::PiplNoLegitimateInterests,
            &[&at("legal_basis")],
            format!(
                "purpose `{id}` relies on legitimate interests under {}",
                why(n, Regime::Pipl)
            ),
            "PIPL Art. 13 has no such basis: use legal_basis = { default = \"…\", cn-pipl = \"consent\" }",
        );
    }
    let no_li: Vec<&str> = [Regime::Dpdp, Regime::Pipeda, Regime::QcLaw25]
        .into_iter()
        .filter(|g| has(*g) && basis(*g) == LegalBasis::LegitimateInterests)
        .map(Regime::as_str)
        .collect();
    if !no_li.is_empty() {
        f.report(
            diags,
            Code::NoLegitimateInterestsBasis,
            &[&at("legal_basis")],
            format!(
                "purpose `{id}` relies on legitimate interests under {}, which have no such basis",
                no_li.join(", ")
            ),
            "give those regimes \"consent\" (or a basis the law has) in legal_basis = { … }",
        );
    }
    let opt_out: Vec<&str> = used
        .iter()
        .filter(|g| !g.is_us_state() && **g != Regime::Apec && basis(**g) == LegalBasis::OptOut)
        .map(|g| g.as_str())
        .collect();
    if !opt_out.is_empty() {
        f.report(
            diags,
            Code::OptOutBasisOutsideUs,
            &[&at("legal_basis")],
            format!(
                "purpose `{id}` rests on opt-out under {}, where that is no legal basis",
                opt_out.join(", ")
            ),
            "give opt-out only for the US state laws: legal_basis = { default = \"consent\", us-ca-ccpa = \"opt-out\" }",
        );
    }
    // PIPL Arts. 23 and 39: disclosure and transfers rest on separate consent, whatever else
    // the purpose is needed for (a required purpose cannot ask for it).
    if has(Regime::Pipl) && (p.required || basis(Regime::Pipl) != LegalBasis::Consent) {
        let fix = if p.required {
            "a required purpose cannot ask for consent: move this to an optional purpose on consent"
        } else {
            "use consent under cn-pipl; the widget asks for it in a step of its own"
        };
        if !p.third_parties.is_empty() {
            f.report(
                diags,
                Code::PiplThirdPartyConsent,
                &[&at("third_parties")],
                format!(
                    "purpose `{id}` gives data to other handlers without separate consent under {}",
                    why(n, Regime::Pipl)
                ),
                &format!("{fix}, or list them as processors if they only work for you"),
            );
        }
        if !p.transfers.is_empty() {
            f.report(
                diags,
                Code::PiplCrossBorderConsent,
                &[&at("transfers")],
                format!(
                    "purpose `{id}` sends personal information abroad without separate consent under {}",
                    why(n, Regime::Pipl)
                ),
                fix,
            );
        }
    }
    // US: sale and sharing.
    if p.sold_or_shared
        && known.ccpa
        && used.iter().any(|g| g.is_us_state())
        && n.ccpa.opt_out_link.is_none()
    {
        f.report(
            diags,
            Code::CcpaOptOutLink,
            &[&at("sold_or_shared")],
            format!("purpose `{id}` is sold or shared, but [ccpa] names no opt-out link"),
            "add [ccpa] opt_out_link = \"<link name>\" (\"Do Not Sell or Share My Personal Information\")",
        );
    }
    // R044: whether disclosure to third parties under a US state law is a sale or sharing.
    if used.iter().any(|g| g.is_us_state()) {
        let declared = f.spans.exact(&at("sold_or_shared")).is_some();
        if !p.third_parties.is_empty() && !declared {
            f.report(
                diags,
                Code::SaleOrSharingUndeclared,
                &[&at("third_parties")],
                format!(
                    "purpose `{id}` gives data to third parties but does not say whether that is a sale or sharing under the US state laws in use"
                ),
                "add sold_or_shared = true if they use it for their own purposes or cross-context advertising (the opt-out link then applies), or sold_or_shared = false if it is neither",
            );
        }
        if p.sold_or_shared && p.third_parties.is_empty() && known.purposes {
            f.report(
                diags,
                Code::SaleOrSharingUndeclared,
                &[&at("sold_or_shared")],
                format!("purpose `{id}` is sold or shared, but names no third party it goes to"),
                "list the companies in third_parties (service providers that only work for you are no sale)",
            );
        }
    }
    if has(Regime::Ccpa) && known.ccpa && p.sensitive && n.ccpa.limit_link.is_none() {
        f.report(
            diags,
            Code::CcpaLimitLink,
            &[&at("sensitive")],
            format!("purpose `{id}` uses sensitive data, but [ccpa] names no limit link"),
            "if it is used beyond what 11 CCR §7027(m) allows, add [ccpa] limit_link",
        );
    }
    // Before a choice only where every listed law allows it.
    for g in &p.on_until_opt_out {
        if !g.permits_on_before_choice(facts, basis(*g).as_str()) {
            let reason = if basis(*g) == LegalBasis::Consent {
                "its basis there is consent"
            } else if p.sensitive {
                "it involves sensitive data"
            } else if matches!(g, Regime::Gdpr | Regime::Lgpd | Regime::UkGdpr)
                && facts.channels.iter().any(|c| c == "web")
            {
                "it is collected on the website, where device storage and access need consent"
            } else {
                "that law has no such route for its basis"
            };
            f.report(
                diags,
                Code::OnBeforeChoiceNotAllowed,
                &[&at("on_until_opt_out")],
                format!(
                    "purpose `{id}` may not run before the visitor chooses under {}: {reason}",
                    g.as_str()
                ),
                "remove it from on_until_opt_out; it then starts off until the visitor agrees",
            );
        }
    }

    if p.transfers.is_empty() {
        return;
    }
    check_transfer_entries(p, used, f, diags);
    let transfers = [at("transfers")];
    let transfers: Vec<&str> = transfers.iter().map(String::as_str).collect();
    if has(Regime::Gdpr) {
        let mut bad: Vec<&str> = Vec::new();
        for t in &p.transfers {
            let dest = t.destination.as_str();
            let covered = is_eea(dest)
                || p.transfers.iter().any(|u| {
                    u.destination.as_str() == dest && GDPR_SAFEGUARDS.contains(&u.safeguard)
                });
            if !covered && !bad.contains(&dest) {
                bad.push(dest);
            }
        }
        if !bad.is_empty() {
            f.report(
                diags,
                Code::GdprTransferSafeguard,
                &transfers,
                format!(
                    "purpose `{id}` sends data to {} without a GDPR safeguard",
                    bad.join(", ")
                ),
                "add a transfer to the same destination with safeguard adequacy, eu-scc, bcr or explicit-consent",
            );
        }
    }
    // Other laws with transfer mechanisms (UK, CH, BR). APPI's route without one is consent
    // with information on the destination's system (R034), which the widget asks for.
    for (g, ok) in [
        (
            Regime::UkGdpr,
            &["adequacy", "uk-idta", "bcr", "explicit-consent"][..],
        ),
        (
            Regime::ChFadp,
            &["adequacy", "eu-scc", "bcr", "explicit-consent"][..],
        ),
        (
            Regime::Lgpd,
            &["adequacy", "lgpd-scc", "bcr", "explicit-consent"][..],
        ),
    ] {
        if !has(g) {
            continue;
        }
        let mut bad: Vec<&str> = Vec::new();
        for t in &p.transfers {
            let dest = t.destination.as_str();
            let covered = p
                .transfers
                .iter()
                .any(|u| u.destination.as_str() == dest && ok.contains(&u.safeguard.as_str()));
            if !covered && !bad.contains(&dest) {
                bad.push(dest);
            }
        }
        if !bad.is_empty() {
            f.report(
                diags,
                Code::TransferMechanism,
                &transfers,
                format!(
                    "purpose `{id}` sends data to {} without a mechanism of {}",
                    bad.join(", "),
                    why(n, g)
                ),
                &format!(
                    "add a transfer to the same destination with safeguard {}",
                    ok.join(", ")
                ),
            );
        }
    }
    if p.transfers
        .iter()
        .any(|t| t.safeguard == Safeguard::ExplicitConsent)
        && (p.required || used.iter().any(|g| basis(*g) != LegalBasis::Consent))
    {
        f.report(
            diags,
            Code::ExplicitConsentTransfer,
            &transfers,
            format!("purpose `{id}` relies on explicit consent for a transfer but does not rest on consent everywhere"),
            "set legal_basis = \"consent\" (the widget then asks for it in a step of its own)",
        );
    }
    if has(Regime::Pipl) {
        if !p
            .transfers
            .iter()
            .any(|t| PIPL_SAFEGUARDS.contains(&t.safeguard))
        {
            f.report(
                diags,
                Code::PiplTransferMechanism,
                &transfers,
                format!(
                    "purpose `{id}` has no Chinese mechanism for its transfers ({} applies)",
                    why(n, Regime::Pipl)
                ),
                "add a transfer with safeguard pipl-standard-contract, pipl-certification or pipl-security-assessment",
            );
        }
        if p.transfers
            .iter()
            .any(|t| t.recipient.is_none() || t.contact.is_none())
        {
            f.report(
                diags,
                Code::PiplOverseasRecipient,
                &transfers,
                format!(
                    "a transfer of purpose `{id}` does not name its overseas recipient and contact"
                ),
                "give every transfer recipient = \"…\" and contact = \"<link name>\"",
            );
        }
    }
}

/// Whether `part` names the same company as `whole`: equal, or contained in it at word
/// boundaries (any case, spaces collapsed): `X Pte. Ltd.` in `X Pte. Ltd., Singapore`.
fn names_same_company(whole: &str, part: &str) -> bool {
    let norm = |s: &str| -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let (w, p) = (norm(whole), norm(part));
    if p.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(i) = w[from..].find(&p) {
        let s = from + i;
        let e = s + p.len();
        let before = w[..s].chars().next_back();
        let after = w[e..].chars().next();
        if before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
        {
            return true;
        }
        from = s + p.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// R041 and R042, per transfer entry: the recipient is a company of the purpose, and
/// `adequacy` is what every law in use that has adequacy decisions recognises.
fn check_transfer_entries(
    p: &crate::notice::Purpose,
    used: &[Regime],
    f: &NoticeFile<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let id = p.id.as_str();
    for (i, t) in p.transfers.iter().enumerate() {
        let at = |key: &str| format!("purposes.{id}.transfers.{i}.{key}");
        if let Some(r) = &t.recipient
            && !r.trim().is_empty()
            && !p
                .processors
                .iter()
                .chain(&p.third_parties)
                .any(|e| names_same_company(e, r) || names_same_company(r, e))
        {
            let listed: Vec<&str> = p
                .processors
                .iter()
                .chain(&p.third_parties)
                .map(String::as_str)
                .collect();
            f.report(
                diags,
                Code::TransferRecipientUnknown,
                &[&at("recipient"), &format!("purposes.{id}.transfers")],
                format!(
                    "the transfer of purpose `{id}` to {} names the recipient {r:?}, which is none of the purpose's processors or third parties",
                    t.destination
                ),
                &if listed.is_empty() {
                    "add the recipient to processors (or third_parties if it uses the data for its own purposes)".into()
                } else {
                    format!(
                        "the purpose's companies are {}; correct the recipient, or add it to processors or third_parties",
                        listed.iter().map(|l| format!("{l:?}")).collect::<Vec<_>>().join(", ")
                    )
                },
            );
        }
        if t.safeguard == Safeguard::Adequacy {
            let dest = t.destination.country();
            let bad: Vec<&str> = used
                .iter()
                .filter(|g| g.adequate_destination(dest) == Some(false))
                .map(|g| g.as_str())
                .collect();
            if !bad.is_empty() {
                f.report(
                    diags,
                    Code::AdequacyNotRecognised,
                    &[&at("safeguard"), &format!("purposes.{id}.transfers")],
                    format!(
                        "the transfer of purpose `{id}` to {dest} relies on adequacy, but {} recognise no adequacy of {dest}",
                        bad.join(", ")
                    ),
                    "use the mechanism each law has for it (eu-scc, uk-idta, lgpd-scc, bcr, or explicit-consent); docs/regimes.md lists the adequate destinations per law",
                );
            }
        }
    }
}

/// R045: e-mail domains of notice.toml one or two letters apart (example.com, exmaple.com):
/// the rarer is reported wherever it is used.
pub(crate) fn check_email_domains(n: &Notice, f: &NoticeFile<'_>, diags: &mut Vec<Diagnostic>) {
    /// Distinct domains compared, at most (a notice has a handful; this bounds the pairs).
    const MAX_DOMAINS: usize = 64;
    const TLDS: &[&str] = &[
        "com", "org", "net", "edu", "gov", "int", "eu", "uk", "cn", "jp", "kr", "in", "ca", "us",
        "br", "de", "fr", "es", "pt", "it", "nl", "be", "ch", "at", "se", "sg", "hk", "tw", "au",
        "nz", "mx", "ar", "io", "co", "info", "biz",
    ];
    let c = &n.controller;
    let mut uses: Vec<(String, String)> = Vec::new();
    let mut add = |path: String, address: &str| {
        if let Some((_, d)) = address.rsplit_once('@') {
            uses.push((d.trim().to_ascii_lowercase(), path));
        }
    };
    add("controller.email".into(), &c.email);
    if let Some(d) = &c.dpo {
        add("controller.dpo.email".into(), &d.email);
    }
    for (key, rep) in c.representatives() {
        if let Some(r) = rep {
            add(format!("controller.{key}.email"), &r.email);
        }
    }
    for l in &n.links {
        if let Some(a) = super::resolve::mailto_address(&l.url) {
            add(format!("links.{}", l.name), a);
        }
    }
    let mut domains: Vec<(&str, usize, usize)> = Vec::new(); // (domain, uses, first span start)
    for (d, path) in &uses {
        let start = f.spans.find(path).start;
        if let Some(e) = domains.iter_mut().find(|(x, _, _)| x == d) {
            e.1 += 1;
            e.2 = e.2.min(start);
        } else if domains.len() < MAX_DOMAINS {
            domains.push((d, 1, start));
        }
    }
    let tld_only = |a: &str, b: &str| match (a.rsplit_once('.'), b.rsplit_once('.')) {
        (Some((ha, ta)), Some((hb, tb))) => ha == hb && TLDS.contains(&ta) && TLDS.contains(&tb),
        _ => false,
    };
    let mut blamed: Vec<(&str, &str)> = Vec::new(); // (typo, the domain it is close to)
    for (i, a) in domains.iter().enumerate() {
        for b in &domains[i + 1..] {
            if a.0.len().abs_diff(b.0.len()) > 2
                || a.0.len().min(b.0.len()) < 6
                || tld_only(a.0, b.0)
            {
                continue;
            }
            if crate::notice::edit_distance(a.0, b.0) > 2 {
                continue;
            }
            // The rarer one is the typo; if both are used as often, the later one.
            let a_typo = a.1 < b.1 || (a.1 == b.1 && a.2 > b.2);
            let (typo, other) = if a_typo { (a.0, b.0) } else { (b.0, a.0) };
            if !blamed.iter().any(|(t, _)| *t == typo) {
                blamed.push((typo, other));
            }
        }
    }
    for (typo, other) in blamed {
        let count = uses.iter().filter(|(d, _)| d == other).count();
        for (d, path) in &uses {
            if d == typo {
                f.report(
                    diags,
                    Code::EmailDomainTypo,
                    &[path],
                    format!("the e-mail domain {typo} ({path}) is one or two letters away from {other}, which notice.toml uses {count} time(s)"),
                    &format!("if it is a typo, write {other}; people's requests would go to whoever owns {typo}"),
                );
            }
        }
    }
}

/// A representative's key, the representative, its territory and who is in it.
type Territory<'a> = (
    &'static str,
    &'a Option<crate::notice::Representative>,
    &'static str,
    fn(&str) -> bool,
);

/// R047: each representative's address, where it names a country, names one in the
/// territory the representative is for.
fn check_representatives(n: &Notice, f: &NoticeFile<'_>, diags: &mut Vec<Diagnostic>) {
    use super::meaning::text::{CountryNames, Lang};
    let c = &n.controller;
    let own = Lang::of(n.default_locale.language());
    let tables = [
        CountryNames::new(own, &[]),
        CountryNames::new(Lang::En, &[]),
    ];
    let reps: [Territory<'_>; 5] = [
        (
            "eu_representative",
            &c.eu_representative,
            "the EU/EEA",
            is_eea,
        ),
        ("uk_representative", &c.uk_representative, "the UK", |x| {
            x == "GB"
        }),
        (
            "swiss_representative",
            &c.swiss_representative,
            "Switzerland",
            |x| x == "CH",
        ),
        (
            "china_representative",
            &c.china_representative,
            "China",
            |x| x == "CN",
        ),
        (
            "korea_representative",
            &c.korea_representative,
            "Korea",
            |x| x == "KR",
        ),
    ];
    for (key, rep, place, inside) in reps {
        let Some(r) = rep else { continue };
        let mut named: Vec<String> = tables
            .iter()
            .flat_map(|t| t.find(&r.address))
            .map(|(_, code)| code)
            .collect();
        named.sort();
        named.dedup();
        if named.is_empty() || named.iter().any(|code| inside(code)) {
            continue;
        }
        f.report(
            diags,
            Code::RepresentativeOutsideTerritory,
            &[&format!("controller.{key}.address"), &format!("controller.{key}")],
            format!(
                "[controller.{key}] has an address in {}, but represents the controller in {place}",
                named.join(", ")
            ),
            "give the representative's own address there (a copied address sends people's letters abroad)",
        );
    }
}

/// R048: two `https:` links with the same address; the later is reported.
fn check_link_targets(n: &Notice, f: &NoticeFile<'_>, diags: &mut Vec<Diagnostic>) {
    let norm = |u: &str| u.trim_end_matches('/').to_ascii_lowercase();
    let mut links: Vec<(&crate::notice::Link, usize)> = n
        .links
        .iter()
        .filter(|l| l.url.starts_with("https:"))
        .map(|l| (l, f.spans.find(&format!("links.{}", l.name)).start))
        .collect();
    links.sort_by_key(|(_, at)| *at);
    let mut seen: alloc::collections::BTreeMap<String, &str> = Default::default();
    for (l, _) in links {
        match seen.get(&norm(&l.url)) {
            Some(first) => f.report(
                diags,
                Code::DuplicateLinkTarget,
                &[&format!("links.{}", l.name)],
                format!("[links] {} opens {}, as {first} does", l.name, l.url),
                &format!("if `{}` is another page, give its own address", l.name),
            ),
            None => {
                seen.insert(norm(&l.url), &l.name);
            }
        }
    }
}

/// ISO 8601 duration in thousandths of a mean day (a month 30.437 days, a year 365.25), to
/// compare calendar and day counts: P3M is longer than P90D.
fn mean_millidays(r: &crate::notice::Retention) -> u64 {
    let [y, mo, w, d] = r.date_parts();
    let [h, _, _] = r.time_parts();
    u64::from(y) * 365_250
        + u64::from(mo) * 30_437
        + u64::from(w) * 7_000
        + u64::from(d) * 1_000
        + u64::from(h) * 1_000 / 24
}

/// R046: a consent purpose kept longer than 5 years; a deadline longer than every law's.
pub(crate) fn check_plausible(
    n: &Notice,
    known: Known,
    f: &NoticeFile<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    use crate::notice::Retention;
    let used = n.regions.regimes_in_use();
    const FIVE_YEARS: u64 = 5 * 365_250;
    for p in &n.purposes {
        let consent = used.iter().any(|g| p.basis_for(*g) == LegalBasis::Consent)
            || (used.is_empty() && p.legal_basis == LegalBasis::Consent);
        if consent && mean_millidays(&p.retention) > FIVE_YEARS {
            f.report(
                diags,
                Code::ImplausibleDuration,
                &[&format!("purposes.{}.retention", p.id)],
                format!(
                    "purpose `{}` rests on consent and keeps data for {}, more than 5 years",
                    p.id, p.retention
                ),
                "check the unit (P90M is 90 months, P90D 90 days); data kept on consent is kept no longer than the purpose needs (GDPR Art. 5(1)(e))",
            );
        }
    }
    if !known.rights || !known.regions {
        return;
    }
    let Some(deadline) = &n.rights.deadline else {
        return;
    };
    let statutory = |gs: &mut dyn Iterator<Item = Regime>| -> Option<(u64, Regime)> {
        gs.filter_map(|g| {
            let r = Retention::parse(g.response_deadline()?).ok()?;
            Some((mean_millidays(&r), g))
        })
        .max_by_key(|(m, _)| *m)
    };
    let longest = statutory(&mut used.iter().copied())
        .or_else(|| statutory(&mut Regime::ALL.iter().copied()));
    if let Some((max, g)) = longest
        && mean_millidays(deadline) > max
    {
        f.report(
            diags,
            Code::ImplausibleDuration,
            &["rights.deadline", "rights"],
            format!(
                "[rights] deadline is {deadline}, longer than the longest answer time of the laws in use ({} under {})",
                g.response_deadline().unwrap_or_default(),
                g.as_str()
            ),
            "visitors are told the shorter of it and their law's, so it is never shown as written; check the value (P1M is a month)",
        );
    }
}

use crate::messages::{HOTLINE_CLOSING, HOTLINE_OPENING, HOTLINE_PURPOSE};

/// The articles of `g` that ask for consent of its own ([`Regime::needs_separate`]) and fit
/// `p`'s facts (sensitive data, a transfer, another handler, automated decisions, marketing),
/// for the reason of an R050 finding: `PIPL Art. 39`. Words only: whether separate consent
/// applies is [`requirement`]'s alone.
fn separate_articles(g: Regime, p: &BundlePurpose) -> String {
    let third = crate::regime::has_third_parties(p);
    let abroad = !p.transfers.is_empty();
    let unsafe_transfer = g.transfer_needs_consent(p);
    let sensitive = p.sensitive;
    // (the law, its articles with whether each fits, what fits when none does)
    let (law, arts, otherwise): (&str, &[(bool, &str)], &str) = match g {
        Regime::Gdpr => (
            "GDPR",
            &[
                (sensitive, "9(2)(a)"),
                (p.automated_decisions, "22(2)(c)"),
                (unsafe_transfer, "49(1)(a)"),
            ],
            "",
        ),
        Regime::UkGdpr => (
            "UK GDPR",
            &[
                (sensitive, "9(2)(a)"),
                (p.automated_decisions, "22(2)(c)"),
                (unsafe_transfer, "49(1)(a)"),
            ],
            "",
        ),
        Regime::ChFadp => (
            "nFADP",
            &[(sensitive, "6(7)(a)"), (unsafe_transfer, "17(1)(a)")],
            "",
        ),
        Regime::Pipl => (
            "PIPL",
            &[(sensitive, "29"), (third, "23"), (abroad, "39")],
            "",
        ),
        Regime::Appi => (
            "APPI",
            &[
                (sensitive, "20(2)"),
                (third, "27(1)"),
                (unsafe_transfer, "28(1)"),
            ],
            "",
        ),
        // What is left under PIPA is marketing.
        Regime::Pipa => (
            "PIPA",
            &[(sensitive, "23"), (third, "17"), (abroad, "28-8(1)(1)")],
            "22(1)(7)",
        ),
        Regime::Lgpd => (
            "LGPD",
            &[(sensitive, "11 I"), (unsafe_transfer, "33 VIII")],
            "",
        ),
        Regime::Pipeda => ("PIPEDA", &[], "Principle 4.3.6"),
        Regime::QcLaw25 => ("Québec", &[], "s.12"),
        Regime::Vcdpa => ("Va. Code", &[], "§ 59.1-578(A)(5)"),
        Regime::Cpa => ("C.R.S.", &[], "6-1-1308(7)"),
        Regime::Ctdpa => ("Conn. Gen. Stat.", &[], "42-520(a)(4)"),
        Regime::Tdpsa => ("Tex. Bus. & Com. Code", &[], "§ 541.101(b)(4)"),
        Regime::Ocpa => ("Or. Rev. Stat.", &[], "646A.578"),
        _ => (g.as_str(), &[], ""),
    };
    let mut fits: Vec<&str> = arts.iter().filter(|(on, _)| *on).map(|(_, a)| *a).collect();
    if fits.is_empty() && !otherwise.is_empty() {
        fits.push(otherwise);
    }
    let numbered = fits
        .first()
        .is_some_and(|a| a.starts_with(|c: char| c.is_ascii_digit()));
    match fits.len() {
        0 => law.into(),
        1 if numbered => format!("{law} Art. {}", fits[0]),
        _ if numbered => format!("{law} Arts. {}", fits.join(", ")),
        _ => format!("{law} {}", fits.join(", ")),
    }
}

/// The regimes a visitor can get under which `p` (its compiled facts) is asked for in a step
/// of its own: exactly [`requirement`]'s [`Gate::Separate`], one regime at a time (a purpose
/// with `separate_consent = true` under every one). Empty when separate consent cannot apply.
fn separate_under(facts: &BundlePurpose, used: &[Regime]) -> Vec<Regime> {
    used.iter()
        .copied()
        .filter(|g| {
            let regimes = [(*g, Reason::VisitorRegion)];
            let f = InForce {
                regimes: &regimes,
                region: None,
                gpc: false,
                child: false,
            };
            requirement(facts, &f).gate == Gate::Separate
        })
        .collect()
}

/// The oral hotline script (R049, R050): when a purpose is collected on the hotline, the
/// opening and closing lines, one line per hotline purpose (a statement for a required one,
/// else a yes/no question), and a question of its own for each hotline purpose for which
/// separate consent can apply under a regime a visitor can get.
fn hotline_script(n: &Notice, used: &[Regime], out: &mut Vec<Needed>) {
    const INFORMED: &str = "consent must be informed on every channel it is collected on: GDPR Art. 7(1), 13(1); PIPL Arts. 14, 17";
    let hotline: Vec<&crate::notice::Purpose> = n
        .purposes
        .iter()
        .filter(|p| p.channels.contains(&Channel::Hotline))
        .collect();
    if hotline.is_empty() {
        return;
    }
    let ids: Vec<String> = hotline.iter().map(|p| format!("`{}`", p.id)).collect();
    let on_hotline = if ids.len() == 1 {
        format!(
            "purpose {} is collected on the hotline, where the agent reads this script",
            ids[0]
        )
    } else {
        format!(
            "purposes {} are collected on the hotline, where the agent reads this script",
            ids.join(", ")
        )
    };
    out.push(Needed {
        id: HOTLINE_OPENING.into(),
        reason: format!(
            "{on_hotline}: who we are, what the caller will be asked, that they may say no and change their mind ({INFORMED})"
        ),
        code: Code::HotlineScript,
    });
    for p in &hotline {
        let (what, law) = if p.required {
            (
                "a statement of what we do and why it is needed",
                "GDPR Art. 13(1)(c); PIPL Art. 17(1)",
            )
        } else {
            ("a yes/no question the caller answers", INFORMED)
        };
        out.push(Needed {
            id: format!("{HOTLINE_PURPOSE}{}", p.id),
            reason: format!(
                "purpose `{}` is collected on the hotline: the agent reads {what} ({law})",
                p.id
            ),
            code: Code::HotlineScript,
        });
        let facts = super::purpose_facts(p);
        let under = separate_under(&facts, used);
        if under.is_empty() {
            continue;
        }
        let why_separate = if p.separate_consent {
            String::from("separate_consent = true (every law)")
        } else {
            under
                .iter()
                .map(|g| format!("{} ({})", g.as_str(), separate_articles(*g, &facts)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(Needed {
            id: format!("{HOTLINE_PURPOSE}{}-separate", p.id),
            reason: format!(
                "purpose `{}` is collected on the hotline and needs consent of its own under {why_separate}: the agent asks it on its own, apart from the other questions (PIPL Arts. 14, 39; GDPR Art. 7(2))",
                p.id
            ),
            code: Code::HotlineSeparateQuestion,
        });
    }
    out.push(Needed {
        id: HOTLINE_CLOSING.into(),
        reason: format!(
            "{on_hotline}: the receipt code {{ $code }} and where to look it up (GDPR Art. 7(1); PIPL Art. 15)"
        ),
        code: Code::HotlineScript,
    });
}

/// A message a regime requires in every locale.
pub(crate) struct Needed {
    pub id: String,
    pub reason: String,
    pub code: Code,
}

/// The messages the regimes require: explanations of legitimate interests, automated decisions
/// and sensitive processing, the GPC statement, the information APPI Art. 28(2) asks for on a
/// destination's system, Texas' notice on selling sensitive data, and the oral hotline script
/// of a notice that collects on the hotline.
pub(crate) fn required_by_regimes(n: &Notice) -> Vec<Needed> {
    let used = n.regions.regimes_in_use();
    let mut out = Vec::new();
    for p in &n.purposes {
        if let Some(g) = used
            .iter()
            .find(|g| p.basis_for(**g) == LegalBasis::LegitimateInterests)
        {
            out.push(Needed {
                id: format!("purpose-{}-legitimate-interest", p.id),
                reason: format!(
                    "purpose `{}` relies on legitimate interests under {} (GDPR Art. 13(1)(d))",
                    p.id,
                    g.as_str()
                ),
                code: Code::LegitimateInterestsExplained,
            });
        }
        if p.automated_decisions {
            out.push(Needed {
                id: format!("purpose-{}-automated-decision", p.id),
                reason: format!(
                    "purpose `{}` has automated_decisions = true (GDPR Art. 13(2)(f))",
                    p.id
                ),
                code: Code::AutomatedDecisionsExplained,
            });
        }
        if p.sensitive && used.contains(&Regime::Pipl) {
            out.push(Needed {
                id: format!("purpose-{}-sensitive-impact", p.id),
                reason: format!(
                    "purpose `{}` is sensitive and cn-pipl applies (PIPL Art. 30)",
                    p.id
                ),
                code: Code::PiplSensitiveImpact,
            });
        }
        if used.contains(&Regime::Appi) {
            let facts = super::purpose_facts(p);
            if Regime::Appi.transfer_needs_consent(&facts) {
                for t in &p.transfers {
                    let id = format!("country-{}-privacy-system", t.destination);
                    if !out.iter().any(|n: &Needed| n.id == id) {
                        out.push(Needed {
                            id,
                            reason: format!(
                                "purpose `{}` sends data to {} on consent and jp-appi applies (APPI Art. 28(2))",
                                p.id, t.destination
                            ),
                            code: Code::AppiForeignSystem,
                        });
                    }
                }
            }
        }
    }
    if used.contains(&Regime::Tdpsa) && n.purposes.iter().any(|p| p.sensitive && p.sold_or_shared) {
        out.push(Needed {
            id: "texas-sensitive-sale-notice".into(),
            reason: "us-tx-tdpsa applies and a sensitive purpose is sold or shared (§ 541.102(b))"
                .into(),
            code: Code::TexasSensitiveSaleNotice,
        });
    }
    if let Some(g) = used.iter().find(|g| g.honours_gpc()) {
        out.push(Needed {
            id: "gpc-statement".into(),
            reason: format!(
                "{} applies (11 CCR §7025 and the other GPC laws)",
                g.as_str()
            ),
            code: Code::CcpaGpcStatement,
        });
    }
    hotline_script(n, &used, &mut out);
    out
}

/// R040: `{ $deadline }` is placed (`placed`: the message and file where, first) but a regime a
/// visitor can get sets no number of days and `[rights]` gives no deadline of its own.
pub(crate) fn check_deadline(
    n: &Notice,
    known: Known,
    f: &NoticeFile<'_>,
    placed: bool,
    diags: &mut Vec<Diagnostic>,
) {
    if !placed || !known.rights || n.rights.deadline.is_some() {
        return;
    }
    let without: Vec<&str> = n
        .regions
        .regimes_in_use()
        .into_iter()
        .filter(|g| g.response_deadline().is_none())
        .map(Regime::as_str)
        .collect();
    if !without.is_empty() {
        f.report(
            diags,
            Code::ResponseDeadline,
            &["rights"],
            format!(
                "the text places {{ $deadline }}, but {} set no number of days and [rights] gives no deadline",
                without.join(", ")
            ),
            "add deadline = \"P1M\" (or your own) to [rights]",
        );
    }
}
