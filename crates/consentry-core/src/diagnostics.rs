//! Lint findings: what is wrong, where, and how bad.
//!
//! Every check in `consentry lint` / `consentry build` reports a [`Diagnostic`] instead of
//! stopping, so one run shows every problem (the fluent-rs `(partial, Vec<errors>)` style).
//! Each diagnostic carries a stable [`Code`] from the rule registry ([`RULES`]): codes are never
//! renumbered, so CI scripts, documentation and `--explain` can rely on them.
//!
//! Positions are byte spans into the file as it was read, plus a 1-based line and a 1-based
//! column counted in characters (Unicode scalar values), so `zh-CN.ftl:3:7` means the seventh
//! character of the third line, whatever the UTF-8 width of the characters before it. A leading
//! byte-order mark is not counted, and a CRLF line ending counts as one line break.
//!
//! Two renderers ship here: [`render_human`] (rustc-like, for people) and [`render_json`] (one
//! JSON array, for CI).

mod position;
mod render;
pub mod text;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

pub use position::line_column;
pub use render::{render_human, render_json};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Severity {
    /// Blocks the build; `consentry lint` exits 1.
    Error,
    /// Worth fixing but does not block the build.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One lint rule as listed in the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The rule's code.
    pub code: Code,
    /// Kebab-case name, e.g. `missing-message`.
    pub name: &'static str,
    /// Default severity of its findings.
    pub severity: Severity,
    /// One-line explanation for people editing the files.
    pub summary: &'static str,
}

macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal, $sev:ident, $summary:literal; )*) => {
        /// A stable lint code. Families: `F` files and syntax, `N` notice.toml structure,
        /// `M` messages in `.ftl` files, `L` locale set, `R` what each privacy law requires,
        /// `D` dark patterns, `V` versions of published builds, `P` parity of translations with the
        /// default locale, `T` terminology, `K` facts written in the text. Codes are never
        /// renumbered.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        /// The rule registry: every code the linter can emit, in code order.
        pub const RULES: &[Rule] = &[
            $( Rule { code: Code::$variant, name: $name, severity: Severity::$sev, summary: $summary }, )*
        ];

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &[Code] = &[ $( Code::$variant, )* ];

            /// The code as printed: `M001`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $code, )*
                }
            }
        }
    };
}

rules! {
    /// `notice.toml` is not valid TOML.
    TomlSyntax = "F001", "toml-syntax", Error,
        "notice.toml is not valid TOML.";
    /// A `.ftl` file is not valid Fluent; the broken entry is skipped.
    FtlSyntax = "F002", "ftl-syntax", Error,
        "A locale file is not valid Fluent syntax; the broken entry is skipped.";
    /// A source file is not valid UTF-8.
    InvalidUtf8 = "F003", "invalid-utf8", Error,
        "A source file is not valid UTF-8 text; save it as UTF-8.";
    /// The directory has no `notice.toml`.
    MissingNoticeFile = "F004", "missing-notice-file", Error,
        "The locales directory has no notice.toml.";
    /// The directory has no `<tag>.ftl` file.
    NoLocaleFiles = "F005", "no-locale-files", Error,
        "The locales directory has no <language-tag>.ftl file.";
    /// A source file is too large to be a notice; it is not read.
    FileTooLarge = "F006", "file-too-large", Error,
        "A source file is larger than a notice can be (notice.toml 256 KiB, a .ftl file 1 MiB); it is not read.";
    /// A file nests too deeply to be parsed safely; it is not parsed.
    NestingTooDeep = "F007", "nesting-too-deep", Error,
        "notice.toml nests tables or arrays, or a .ftl file nests placeables ({ … }), more than 16 levels deep; the file is not parsed.";
    /// A key that the notice format does not define (often a typo).
    UnknownKey = "N001", "unknown-key", Error,
        "notice.toml has a key that the notice format does not define (often a typo).";
    /// A required key is missing.
    MissingKey = "N002", "missing-key", Error,
        "A key that the notice format requires is missing from notice.toml.";
    /// A value has the wrong type or is outside its allowed set.
    InvalidValue = "N003", "invalid-value", Error,
        "A value in notice.toml has the wrong type or is not one of the allowed values (id, duration, legal basis, region, regime, DPV purpose, e-mail, …).";
    /// Two purposes share an id.
    DuplicatePurpose = "N004", "duplicate-purpose", Error,
        "Two purposes in notice.toml have the same id.";
    /// A link that is not `https:` or `mailto:`.
    InsecureLink = "N005", "insecure-link", Error,
        "A link is not https: or mailto: (http:, javascript:, data: and other schemes are refused).";
    /// A link that cannot be reached as written.
    MalformedLink = "N006", "malformed-link", Error,
        "A link cannot be reached as written: no valid host name, spaces or quotes in it, or no valid e-mail address.";
    /// A reference to a link name that `[links]` does not define.
    UnknownLinkName = "N007", "unknown-link-name", Error,
        "notice.toml names a link (policy_link, rights.how, complaints, ccpa, a transfer's contact) that [links] does not define.";
    /// HTML markup in a `notice.toml` value.
    MarkupInValue = "N008", "markup-in-value", Error,
        "A value in notice.toml (or its translation in a facts file) contains HTML markup or an HTML entity; values are plain text and are never interpreted as HTML.";
    /// Invisible or direction-changing characters in a `notice.toml` value.
    HiddenCharacterInValue = "N009", "hidden-character-in-value", Error,
        "A value in notice.toml (or its translation in a facts file) contains invisible or direction-changing characters (zero-width, bidi controls) that can hide or reorder text.";
    /// A `notice.toml` value that is too long.
    ValueTooLong = "N010", "value-too-long", Error,
        "A value in notice.toml (or its translation in a facts file) is longer than 500 characters; long text belongs in the .ftl files.";
    /// A region code that ISO 3166 does not assign.
    UnknownRegionCode = "N011", "unknown-region-code", Error,
        "A region in notice.toml ([regions] key, [controller] country, a transfer's destination) is not an ISO 3166-1 alpha-2 country or ISO 3166-2 subdivision code as ISO writes it (UK is GB, EL is GR); the finding suggests the code meant.";
    /// A locale lacks a message the default locale has or notice.toml requires.
    MissingMessage = "M001", "missing-message", Error,
        "A locale lacks a message that the default locale has or that notice.toml requires. The widget's interface text (buttons, labels, headings, consent steps) is built into Consentry for 37 languages (compile::interface::LANGUAGES) and fills what a locale file leaves out, so for those languages only the notice's own words are required: banner-title, banner-body, settings-intro, full-notice-title, rights-how and what notice.toml makes necessary; a locale file may still override any interface message.";
    /// A locale has a message the default locale does not have.
    ExtraMessage = "M002", "extra-message", Warning,
        "A locale has a message that the default locale does not have.";
    /// `purpose-<id>-…` for an id that notice.toml does not define.
    UnknownPurpose = "M003", "unknown-purpose", Error,
        "A purpose-<id>-… or hotline-script-purpose-<id> message names a purpose that notice.toml does not define.";
    /// A message without text.
    EmptyMessage = "M004", "empty-message", Error,
        "A message has no text.";
    /// `{ $x }` or `link-x` with no `[links]` entry `x`.
    UnknownLink = "M005", "unknown-link", Error,
        "A { $name } placeable or link-<name> label names a link that [links] does not define.";
    /// Fluent syntax the compiler does not support.
    UnsupportedSyntax = "M006", "unsupported-syntax", Error,
        "A message uses Fluent syntax the notice compiler does not support (selectors, functions, attributes, term arguments).";
    /// A reference to a message or term the file does not define.
    UnknownReference = "M007", "unknown-reference", Error,
        "A message refers to a message or term that the same file does not define.";
    /// A message or term defined twice in one file.
    DuplicateMessage = "M008", "duplicate-message", Error,
        "A message or term is defined twice in one file.";
    /// Messages or terms that refer to each other in a loop.
    ReferenceCycle = "M009", "reference-cycle", Error,
        "Messages or terms refer to each other in a loop.";
    /// A message places other links than the default locale's.
    PlaceholderMismatch = "M010", "placeholder-mismatch", Error,
        "A message places different links ({ $name }) than the same message in the default locale, so readers of one language would miss a link.";
    /// HTML markup in locale text.
    MarkupInText = "M011", "markup-in-text", Error,
        "A message contains HTML markup or an HTML entity; locale text is plain text (links come from { $name }) and is never interpreted as HTML.";
    /// Invisible characters in locale text.
    HiddenCharacterInText = "M012", "hidden-character-in-text", Error,
        "A message contains invisible characters (zero-width space, joiner, word joiner, BOM, soft hyphen) that can hide text from readers or reviewers.";
    /// Bidirectional control characters in locale text.
    BidiControl = "M013", "bidi-control", Error,
        "A message contains bidirectional override, embedding or isolate characters; the widget sets the text direction from the locale, and these can reorder what readers see.";
    /// A message that is too long to read.
    MessageTooLong = "M014", "message-too-long", Error,
        "A message is longer than 2,000 characters; split it so people can read it (GDPR Art. 12: concise and intelligible).";
    /// A message identical to the default locale's.
    Untranslated = "M015", "untranslated", Warning,
        "A message has exactly the default locale's text, so it was probably not translated (EDPB 03/2022: language discontinuity).";
    /// A term that nothing uses.
    UnusedTerm = "M016", "unused-term", Warning,
        "A term (-name) is defined but no message uses it.";
    /// A `.ftl` file whose name is not a canonical language tag.
    InvalidLocaleFileName = "L001", "invalid-locale-file-name", Error,
        "A .ftl file name is not <language-tag>.ftl in canonical case (en.ftl, zh-CN.ftl).";
    /// No `.ftl` file for the default locale.
    DefaultLocaleMissing = "L002", "default-locale-missing", Error,
        "There is no .ftl file for the default_locale named in notice.toml.";
    /// Text not written in the locale's script.
    ScriptMismatch = "L003", "script-mismatch", Warning,
        "A message of a locale with its own script (Arabic, Chinese, …) has no letter of that script, so it is probably untranslated and would show in the wrong direction.";
    /// Right-to-left letters in a left-to-right locale.
    RtlTextInLtrLocale = "L004", "rtl-text-in-ltr-locale", Warning,
        "A message of a left-to-right locale contains right-to-left letters (Arabic, Hebrew), which reorder the text around them.";
    /// A facts file cannot be read or translates no fact of notice.toml.
    InvalidFactsFile = "L005", "invalid-facts-file", Error,
        "A facts file (<tag>.facts.toml) is not valid TOML, has a value that is not a non-empty string, is for a language that has no .ftl file (or for the default one), or translates a text that is no fact of notice.toml (mistyped, or the fact changed there and the old translation would stay).";
    /// A fact shown in a locale would have no letter of the locale's script.
    FactInAnotherScript = "L006", "fact-in-another-script", Warning,
        "A locale with its own script (Arabic, Chinese, …) would show a fact of notice.toml (the controller's name or address, the DPO, a representative, a service provider, a recipient) with no letter of that script: give it in <tag>.facts.toml (GDPR Art. 12(1) intelligible form; PIPL Art. 17 clear and understandable language).";
    /// A facts-file translation that changes the fact.
    FactTranslationMismatch = "L007", "fact-translation-mismatch", Error,
        "A translation in a facts file (<tag>.facts.toml) changes its fact: a number or postcode is lost or changed (518000 → 518800; Arabic-Indic digits and Chinese numerals count as digits), it names other countries (Singapore → Malaisie), it gives a registered company name (… Ltd., Inc., B.V., GmbH, 有限公司) that is not the fact's own or is another fact's, two different facts read the same, or it uses a term the language's terminology file says to avoid: readers of that language are told of another company, place or role (GDPR Art. 13(1)(a), (e), (f); PIPL Art. 17, 39; LGPD Art. 9).";
    /// GDPR Art. 27: a controller outside the EU needs an EU representative.
    GdprEuRepresentative = "R001", "gdpr-eu-representative", Error,
        "GDPR Art. 13(1)(a), 27: a controller established outside the EU/EEA that serves EU visitors must name its EU representative ([controller.eu_representative]).";
    /// GDPR Art. 13(1)(b) / PIPL Art. 52: no DPO contact.
    DpoContact = "R002", "dpo-contact", Warning,
        "GDPR and UK GDPR Art. 13(1)(b), 37; PIPL Art. 52; nFADP Art. 10: give the contact of the data protection officer / personal information protection officer ([controller.dpo]) if one is appointed (where a law requires an officer, R032 applies).";
    /// GDPR Art. 13(1)(d): legitimate interests must be spelled out.
    LegitimateInterestsExplained = "R003", "legitimate-interests-explained", Error,
        "GDPR and UK GDPR Art. 13(1)(d); LGPD Art. 10 §2; nFADP Art. 31: a purpose based on legitimate interests needs the message purpose-<id>-legitimate-interest saying what the interest is.";
    /// GDPR Arts. 44–49: a transfer without a GDPR safeguard.
    GdprTransferSafeguard = "R004", "gdpr-transfer-safeguard", Error,
        "GDPR Art. 13(1)(f), 44–49: every destination outside the EU/EEA needs adequacy, SCCs (eu-scc), BCRs or explicit consent as its safeguard.";
    /// GDPR Art. 13(2)(b): rights missing.
    GdprRights = "R005", "gdpr-rights", Error,
        "GDPR and UK GDPR Art. 13(2)(b), 15–21: [rights] offered must list access, rectification, erasure, restriction, objection and portability when eu-gdpr or uk-gdpr applies.";
    /// The right to withdraw consent is not explained.
    WithdrawalRight = "R006", "withdrawal-right", Error,
        "GDPR Art. 7(3), 13(2)(c); PIPL Art. 15; LGPD Art. 8 §5; APPI Q&A; PIPA Art. 37; DPDP s.6(4); PIPEDA Principle 4.3.8; Québec s.9.1: when a purpose relies on consent, [rights] offered must list withdraw-consent.";
    /// No complaint authority for a regime that requires one.
    ComplaintAuthority = "R007", "complaint-authority", Error,
        "Every law in use names an authority people can complain to, and notices must say so (GDPR and UK GDPR Art. 13(2)(d); nFADP Art. 49; PIPL Art. 65; APPI Art. 32(1)(4) and PPC; PIPA Art. 62 (PIPC); DPDP s.5(1)(iii) (Data Protection Board); PIPEDA s.11 (OPC); Québec s.81 (CAI); CCPA 1798.199.10 (CPPA); the US state attorneys general; LGPD Art. 18 §1 (ANPD)): [complaints] must name a [links] entry for each regime a visitor can get, except apec-cbpr.";
    /// Automated decisions must be explained.
    AutomatedDecisionsExplained = "R008", "automated-decisions-explained", Error,
        "GDPR Art. 13(2)(f), 22; PIPL Art. 24: a purpose with automated_decisions = true needs the message purpose-<id>-automated-decision (logic, significance, consequences).";
    /// Sensitive data needs its own consent act.
    SensitiveSeparateConsent = "R009", "sensitive-separate-consent", Error,
        "GDPR and UK GDPR Art. 9(2)(a); nFADP Art. 6(7); PIPL Art. 29; APPI Art. 20(2); PIPA Art. 23; PIPEDA Principle 4.3.6; Québec s.12; Va. Code § 59.1-578(A)(5) and the other US state laws except California; LGPD Art. 11 I: a purpose with sensitive = true must rest on consent under each of these regimes in use (it is then asked for in a step of its own).";
    /// PIPL has no legitimate-interests basis.
    PiplNoLegitimateInterests = "R010", "pipl-no-legitimate-interests", Error,
        "PIPL Art. 13: Chinese law has no legitimate-interests basis; give the purpose another basis for cn-pipl.";
    /// PIPL Art. 39: cross-border transfers need separate consent.
    PiplCrossBorderConsent = "R011", "pipl-cross-border-consent", Error,
        "PIPL Art. 39: a purpose that sends personal information abroad must rest on consent under cn-pipl (it is then asked for in a step of its own) when cn-pipl applies.";
    /// PIPL Art. 38: no outbound transfer mechanism.
    PiplTransferMechanism = "R012", "pipl-transfer-mechanism", Error,
        "PIPL Art. 38: a purpose with transfers needs a Chinese mechanism (pipl-standard-contract, pipl-certification or pipl-security-assessment) when cn-pipl applies.";
    /// PIPL Art. 39: the overseas recipient must be named with a contact.
    PiplOverseasRecipient = "R013", "pipl-overseas-recipient", Error,
        "PIPL Art. 39: every transfer must name the overseas recipient (recipient) and how to contact it (contact, a [links] entry) when cn-pipl applies.";
    /// PIPL Art. 23: third-party recipients need separate consent.
    PiplThirdPartyConsent = "R014", "pipl-third-party-consent", Error,
        "PIPL Art. 23: a purpose that gives data to other handlers (third_parties) must rest on consent under cn-pipl (it is then asked for in a step of its own) when cn-pipl applies.";
    /// PIPL Art. 30: necessity and impact of sensitive processing.
    PiplSensitiveImpact = "R015", "pipl-sensitive-impact", Error,
        "PIPL Art. 30: a sensitive purpose needs the message purpose-<id>-sensitive-impact (why it is necessary, how it affects the person) when cn-pipl applies.";
    /// PIPL rights missing.
    PiplRights = "R016", "pipl-rights", Error,
        "PIPL Art. 17(1)(3), 44–50: [rights] offered must list access, rectification, erasure, portability and explanation when cn-pipl applies.";
    /// PIPL Art. 53: a controller outside China needs a representative there.
    PiplChinaRepresentative = "R017", "pipl-china-representative", Error,
        "PIPL Art. 53: a controller established outside China ([controller] country is not CN) must name its representative there ([controller.china_representative]) when cn-pipl applies: when [regions] maps a region the notice serves to cn-pipl (CN does by default) or makes it the default. Give the directory (consentry lint DIR --explain R017) to see which regions make it apply.";
    /// CCPA: selling or sharing needs the opt-out link.
    CcpaOptOutLink = "R018", "ccpa-opt-out-link", Error,
        "CCPA 1798.135; 11 CCR §7013; Va. Code § 59.1-578(D); Colo. 6-1-1308(1)(a); Conn. 42-520(d); Tex. § 541.055; Or. 646A.578(4)(e): when a purpose has sold_or_shared = true and a US state law applies, [ccpa] opt_out_link must name the \"Do Not Sell or Share My Personal Information\" link (shown on the banner).";
    /// CCPA: notice at collection links to the privacy policy.
    CcpaPolicyLink = "R019", "ccpa-policy-link", Error,
        "11 CCR §7012(e)(7); Va. Code § 59.1-578(C) and the other US state laws: the notice at collection must link to the full privacy policy (policy_link) when a US state law applies.";
    /// CCPA: sensitive data and the limit link.
    CcpaLimitLink = "R020", "ccpa-limit-link", Warning,
        "CCPA 1798.121; 11 CCR §7014: a sensitive purpose may need the \"Limit the Use of My Sensitive Personal Information\" link ([ccpa] limit_link).";
    /// CCPA rights missing.
    CcpaRights = "R021", "ccpa-rights", Error,
        "CCPA 1798.100–.125: [rights] offered must list access, erasure, rectification and non-discrimination, and opt-out-of-sale when something is sold or shared.";
    /// CCPA: how the GPC signal is handled.
    CcpaGpcStatement = "R022", "ccpa-gpc-statement", Error,
        "11 CCR §7025; Colo. Rule 5.08; Conn. 42-520(e); Tex. § 541.055(e); Or. 646A.574: when a regime that must honour the Global Privacy Control signal applies (California, Colorado, Connecticut, Texas, Oregon), every locale needs the message gpc-statement saying how it is honoured.";
    /// LGPD rights missing.
    LgpdRights = "R023", "lgpd-rights", Error,
        "LGPD Art. 9 VII, 18: [rights] offered must list access, rectification, erasure, anonymisation, portability, sharing-information, refusal-information and withdraw-consent when br-lgpd applies.";
    /// The controller's location is not given.
    ControllerLocation = "R024", "controller-location", Error,
        "APEC Privacy Framework (Notice); ISO/IEC 29184 5.3.4: [controller] needs country, the country where the controller is established.";
    /// Explicit consent as a transfer mechanism must be its own act.
    ExplicitConsentTransfer = "R025", "explicit-consent-transfer", Error,
        "GDPR and UK GDPR Art. 49(1)(a); nFADP Art. 17(1)(a); LGPD Art. 33 VIII: a transfer relying on explicit-consent needs a purpose that rests on consent (it is then asked for in a step of its own).";
    /// A transfer without a mechanism of a law other than GDPR and PIPL.
    TransferMechanism = "R026", "transfer-mechanism", Error,
        "UK GDPR Art. 44–49 (adequacy, uk-idta, bcr); nFADP Art. 16–17, 19(4) (adequacy, eu-scc, bcr); LGPD Art. 33 (adequacy, lgpd-scc, bcr): a destination not covered by one of the law's safeguards needs a transfer entry with explicit-consent (and a purpose that rests on consent there).";
    /// A legal basis the law does not have.
    NoLegitimateInterestsBasis = "R027", "no-legitimate-interests-basis", Error,
        "DPDP s.4, 7; PIPEDA s.7 and Principle 4.3; Québec ss.12–14: these laws have no legitimate-interests basis; give the purpose consent (or a basis the law has) under in-dpdp, ca-pipeda and ca-qc-law25.";
    /// The US state laws' rights.
    UsStateRights = "R028", "us-state-rights", Error,
        "Va. Code § 59.1-577; Colo. 6-1-1306; Conn. 42-518; Tex. § 541.051; Or. 646A.574: [rights] offered must list access, rectification, erasure, portability, opt-out-of-sale and appeal when one of these laws applies.";
    /// UK GDPR Art. 27: a UK representative.
    UkRepresentative = "R029", "uk-representative", Error,
        "UK GDPR Art. 13(1)(a), 27: a controller established outside the UK that serves UK visitors must name its UK representative ([controller.uk_representative]).";
    /// nFADP Art. 14: a Swiss representative.
    SwissRepresentative = "R030", "swiss-representative", Warning,
        "nFADP Art. 14, 19(2): a controller established abroad that regularly processes, on a large scale and with high risk, data of people in Switzerland must name a Swiss representative ([controller.swiss_representative]).";
    /// PIPA Art. 31-2: a domestic agent in Korea.
    KoreaDomesticAgent = "R031", "korea-domestic-agent", Warning,
        "PIPA Art. 31-2, 30(1): a controller without an address or place of business in Korea that meets the Decree's thresholds must designate a domestic agent and name it in the privacy policy ([controller.korea_representative]).";
    /// An officer a law requires.
    PrivacyOfficer = "R032", "privacy-officer", Error,
        "PIPA Art. 31 (privacy officer); DPDP s.8(9) and Rules r.9 (a person who answers questions); PIPEDA Principle 4.1 (accountable individual); Québec s.3.1 (person in charge); LGPD Art. 41 §1 (encarregado): [controller.dpo] must give that person's contact when one of these laws applies.";
    /// APPI Art. 32: the matters a business operator must make public.
    AppiPublicMatters = "R033", "appi-public-matters", Error,
        "APPI Art. 32(1)(1): the notice must give the controller's address and the name of its representative (head), [controller] address and head, when jp-appi applies.";
    /// APPI Art. 28(2): information on the foreign country's system.
    AppiForeignSystem = "R034", "appi-foreign-system", Error,
        "APPI Art. 28(2), Enforcement Rules Art. 17: a transfer abroad that rests on consent needs, in every locale, the message country-<CODE>-privacy-system describing the destination's personal information protection system and the recipient's measures, when jp-appi applies.";
    /// Korea PIPA rights.
    PipaRights = "R035", "pipa-rights", Error,
        "PIPA Arts. 15(2)(4), 35–37: [rights] offered must list access, rectification, erasure, restriction, withdraw-consent and refusal-information (the right to refuse and what refusing means) when kr-pipa applies.";
    /// India DPDP rights.
    DpdpRights = "R036", "dpdp-rights", Error,
        "DPDP ss.5, 11–14; Rules r.3: [rights] offered must list access, rectification, erasure, withdraw-consent and nominate when in-dpdp applies.";
    /// Texas: the sale of sensitive data must be announced verbatim.
    TexasSensitiveSaleNotice = "R037", "texas-sensitive-sale-notice", Error,
        "Tex. Bus. & Com. Code § 541.102(b): a controller that sells sensitive personal data must show \"NOTICE: We may sell your sensitive personal data.\": every locale needs the message texas-sensitive-sale-notice when us-tx-tdpsa applies and a sensitive purpose is sold or shared.";
    /// The opt-out basis exists only under the US state laws (and APEC).
    OptOutBasisOutsideUs = "R038", "opt-out-basis-outside-us", Error,
        "The basis opt-out (notice at collection with a right to opt out) exists under the US state laws and APEC's notice and choice only; elsewhere processing that is not needed rests on consent or another basis the law has (GDPR Art. 6, PIPL Art. 13, LGPD Art. 7 …).";
    /// A region mapped away from its own law without a reason.
    RegionAwayFromOwnLaw = "R039", "region-away-from-own-law", Error,
        "A [regions] entry maps a region whose law the built-in table knows (CN: cn-pipl, US-CA: us-ca-ccpa, GB: uk-gdpr, …) to another regime, so its visitors lose that law's protections; map it to its own law, remove the entry, or acknowledge it: CODE = { regime = \"…\", reason = \"…\" }, with a real reason (TODO, TBD, xxx, ? or fewer than 15 characters are none).";
    /// No deadline to tell a visitor whose law sets none.
    ResponseDeadline = "R040", "response-deadline", Error,
        "APPI Art. 33 (\"without delay\"), the APEC Framework and other laws set no number of days: when a message places { $deadline } and such a regime can apply, [rights] needs deadline = \"P…\" (the longest you take to answer; visitors are told the shorter of it and their law's: GDPR Art. 12(3) one month, LGPD Art. 19 15 days, PIPA 10 days, …).";
    /// A transfer's recipient that is none of the purpose's processors or third parties.
    TransferRecipientUnknown = "R041", "transfer-recipient-unknown", Error,
        "GDPR Art. 13(1)(e), (f), 44; PIPL Art. 39; LGPD Art. 33: a transfer's recipient must be one of the purpose's processors or third parties (the same name, or a name one of them contains), so that the company abroad is one the notice says receives the data.";
    /// `safeguard = "adequacy"` for a destination the law in use does not recognise.
    AdequacyNotRecognised = "R042", "adequacy-not-recognised", Error,
        "safeguard = \"adequacy\" only for a destination each law in use recognises as adequate (or its own territory): GDPR Art. 45 Commission decisions (EEA; Andorra, Argentina, Brazil, Canada (PIPEDA), Faroe Islands, Guernsey, Israel, Isle of Man, Japan, Jersey, New Zealand, Republic of Korea, Switzerland, UK, Uruguay; the US only for DPF-certified recipients, which a notice cannot show, so not accepted); UK GDPR Art. 45 and DPA 2018 Sch. 21 para. 5 (EEA, Gibraltar, the EU's pre-2021 list but the Faroe Islands, Japan, Korea); nFADP Art. 16(1) and FADP Ordinance Annex 1 (EEA, Andorra, Argentina, Canada, Faroe Islands, Gibraltar, Guernsey, Isle of Man, Israel, Jersey, Monaco, New Zealand, UK, Uruguay); APPI Art. 28 and PPC Rules Art. 15 (EEA, UK); LGPD Art. 33 I and Res. CD/ANPD 32/2026 (EEA).";
    /// A required purpose with sensitive data on a basis that does not allow it.
    SensitiveRequiredBasis = "R043", "sensitive-required-basis", Error,
        "GDPR and UK GDPR Art. 9(2)(b), (c), (g); nFADP Art. 6(7), 31; PIPL Art. 13, 29; APPI Art. 20(2); PIPA Art. 23; LGPD Art. 11 II (a), (b), (e); the other laws R009 lists: a required purpose (which cannot ask for consent) with sensitive = true must rest on legal-obligation, vital-interests or public-task under each of them in use; contract and legitimate interests are no condition for sensitive data.";
    /// Disclosure to third parties under a US state law without saying whether it is a sale.
    SaleOrSharingUndeclared = "R044", "sale-or-sharing-undeclared", Warning,
        "CCPA 1798.100(a)(1), 1798.140(ad), (ah), 1798.120; Va. Code § 59.1-578(D) and the other US state laws' opt-outs of sale and targeted advertising: a purpose with third_parties, while a US state law applies, must say whether it sells or shares the data (sold_or_shared = true, or false when it does not); sold_or_shared = true with no third_parties names no one it is sold to or shared with.";
    /// Two e-mail domains of the notice one or two letters apart.
    EmailDomainTypo = "R045", "email-domain-typo", Warning,
        "GDPR Art. 13(1)(a), (b); PIPL Art. 17(1)(1); LGPD Art. 9 III: an e-mail domain of notice.toml (controller, DPO, representatives, mailto: links) is one or two letters away from another one it uses (exmaple.com next to example.com): probably a typo that sends people's requests to a stranger.";
    /// A retention or deadline no notice would mean.
    ImplausibleDuration = "R046", "implausible-duration", Warning,
        "GDPR Art. 5(1)(e), 12(3), 13(2)(a); ISO/IEC 29184 5.3: a purpose that rests on consent keeps data longer than 5 years, or [rights] deadline is longer than the longest answer time of the laws in use (GDPR one month, DPDP 90 days, …), so it is never shown as written: probably a typo (P90M for P90D).";
    /// A representative whose address is outside the territory it represents the controller in.
    RepresentativeOutsideTerritory = "R047", "representative-outside-territory", Error,
        "GDPR Art. 27(3) (in a member state); UK GDPR Art. 27(3) (in the UK); nFADP Art. 14(1) (in Switzerland); PIPL Art. 53 (in China); PIPA Art. 31-2(1) (an address in Korea): a representative's address names only countries outside the territory it represents the controller in (often another representative's address copied).";
    /// Two links that open the same web address.
    DuplicateLinkTarget = "R048", "duplicate-link-target", Warning,
        "GDPR Art. 12(2), 13(2)(b), (d); CCPA 1798.130(a)(1); LGPD Art. 18 §3: two [links] entries open the same web address (the request form and the privacy policy, two authorities), so one of them probably does not go where its label says.";
    /// A message of the oral hotline script is missing.
    HotlineScript = "R049", "hotline-script", Error,
        "GDPR Art. 4(11), 7(1), 12(1), 13(1)(a), (c) and Recital 32 (consent by an oral statement, informed when it is given); PIPL Arts. 14, 17: when a purpose has \"hotline\" in channels, the agent reads the caller an oral script from the compiled notice, so every locale needs hotline-script-opening (who we are, that the caller will be asked about the use of their information, that they may say no to any question without it affecting the support, and that they can change their mind at any time), hotline-script-closing (the receipt code and where to look it up, R051) and, for every purpose with \"hotline\" in channels, hotline-script-purpose-<id> (a statement of what is done and why it is needed for a required purpose, else a yes/no question). Read strictly: consent is collected on every channel a purpose lists, and a caller may be answered in any language the notice ships.";
    /// A hotline purpose that can need separate consent has no question of its own.
    HotlineSeparateQuestion = "R050", "hotline-separate-question", Error,
        "PIPL Arts. 14, 23, 29, 39 (单独同意) and 16; GDPR and UK GDPR Art. 7(2), (4), 9(2)(a), 22(2)(c), 49(1)(a); nFADP Arts. 6(7), 17(1)(a); APPI Arts. 20(2), 27, 28; PIPA Arts. 17, 22(1), 23, 28-8; LGPD Arts. 11 I, 33 VIII; the other laws regime::needs_separate lists: a purpose with \"hotline\" in channels for which separate consent can apply under a regime a visitor can get (the widget asks it in a step of its own, regime::requirement's Gate::Separate, or separate_consent = true) needs hotline-script-purpose-<id>-separate in every locale: the question asked on its own, apart from the others, saying that it is a separate consent and that refusing it changes nothing else. Read strictly: the laws say nothing of the telephone, and a yes given among other answers is not read as separate consent.";
    /// The closing line of the hotline script does not place the receipt code.
    HotlineReceiptCode = "R051", "hotline-receipt-code", Error,
        "GDPR Art. 7(1) (the controller must be able to demonstrate consent), 7(3), 12(1); PIPL Arts. 14, 15, 17: hotline-script-closing must place { $code }, the short receipt code the agent reads out (filled in by the console for the call's receipt; no other message may place it, K001), and a link ({ $name } of [links]) where the caller can look the receipt up, so that a consent given on the phone can be checked and changed like one given on the website.";
    /// Dark pattern: an optional purpose switched on before the person decides.
    PreselectedPurpose = "D001", "preselected-purpose", Error,
        "GDPR Recital 32 (Planet49); EDPB 05/2020 §3.4; PIPL Art. 14; LGPD Art. 8: optional purposes must start off (on_by_default = true is a pre-ticked box).";
    /// Dark pattern: consent asked for processing that does not rely on it.
    ConsentWithoutConsentBasis = "D002", "consent-without-consent-basis", Error,
        "GDPR Art. 6, 7; ISO/IEC 29184 5.4.2: a switch (optional purpose) or separate consent for a purpose whose legal basis is not consent misleads people about their choice.";
    /// Dark pattern: consent that cannot be refused.
    ForcedConsent = "D003", "forced-consent", Error,
        "GDPR Art. 7(4); PIPL Art. 16; EDPB 05/2020 §3.1.2: a required purpose cannot rely on consent, because consent that cannot be refused is not freely given.";
    /// On before a choice where the law does not allow it.
    OnBeforeChoiceNotAllowed = "D004", "on-before-choice-not-allowed", Error,
        "GDPR Recital 32 and ePrivacy Art. 5(3); PECR reg. 6 (UK: statistics only); PIPL Art. 14; PIPA Art. 22; DPDP s.6; Québec s.8.1; CCPA 1798.120 (opt-out only for what is not sensitive): on_until_opt_out lists a regime under which this purpose may not run before the visitor chooses (its basis there is consent, it is sensitive, it is collected on the website under GDPR, or the law has no such route).";
    /// "If you agree" in the text of a purpose that runs before a choice.
    ConsentWordingWithoutConsent = "D005", "consent-wording-without-consent", Error,
        "GDPR Art. 12(1), 13; ISO/IEC 29184 5.4.2: a purpose that runs before the visitor chooses somewhere (on_until_opt_out) must not say \"if you agree\" in its description: the visitors it runs for were not asked; say that it runs unless they switch it off.";
    /// Dark pattern: the choice buttons are not equal.
    UnequalChoiceLabels = "D006", "unequal-choice-labels", Error,
        "GDPR Art. 7(2), 4(11); EDPB Guidelines 03/2022 on deceptive design patterns (skipping, stirring, confirmshaming); 11 CCR §7004(a)(2)–(4) (symmetry in choice, no confirmshaming); PIPL Art. 14: the accept and reject (agree and disagree) buttons must be plain and alike: no brackets or second clause, no word that recommends or discourages a choice (\"recommended\", \"déconseillé\", \"可能影响\"), and neither label more than twice as long as the other.";
    /// Dark pattern: a button's label says another action than the button does.
    LabelContradictsAction = "D007", "label-contradicts-action", Error,
        "GDPR Art. 4(11), 7(2); EDPB Guidelines 03/2022 (misleading action); 11 CCR §7004(a)(2), (4); PIPL Art. 14: an accept or agree button must say accept or agree; a reject, disagree or withdraw button, and the buttons that open the settings or save the choices, must not say accept (\"Accepter et enregistrer\" saves as if accepting).";
    /// A consent purpose's description does not say it depends on consent.
    ConsentNotStated = "D008", "consent-not-stated", Error,
        "GDPR Art. 6(1)(a), 7(2), 13(1)(c); PIPL Arts. 14, 17(1); LGPD Art. 8, 9: the description of a purpose that rests on consent under a law in use (and does not run before a choice) must say that it happens only if the visitor agrees (\"If you agree, …\", \"Si lo acepta, …\", \"经您同意，…\"), in every language with a lexicon, the default included.";
    /// Refusing is said to cost the service.
    RefusalPenalty = "D009", "refusal-penalty", Error,
        "GDPR Art. 7(4) and Recital 42–43; EDPB Guidelines 05/2020 §3.1.1–3.1.2 (detriment); PIPL Art. 16; LGPD Art. 9 §3, 18 VIII; CCPA 1798.125: texts about consent and refusing it (a consent purpose's description, separate-consent-intro, settings-intro, right-refusal-information, gpc-opt-in-intro, hotline-script-opening and a consent purpose's hotline-script-purpose-<id> questions) must not say that refusing denies or degrades the service (\"you cannot use\", \"no podrá\", \"ne pourrez pas\", \"não poderá\", \"无法\", \"لن تتمكن\").";
    /// Text changed but the version did not.
    ChangedWithoutVersionBump = "V001", "changed-without-version-bump", Error,
        "The notice changed materially since the previously published build but version is the same; bump version so visitors are asked again (ISO/IEC 29184 5.5; GDPR Art. 13(3); PIPL Art. 14, 17; LGPD Art. 8 §6).";
    /// The previous build cannot be compared.
    PreviousBuildUnreadable = "V002", "previous-build-unreadable", Error,
        "The previously published build (manifest.json and its locale files) cannot be read, so changes cannot be checked; restore it or point --previous elsewhere.";
    /// The previous build is of another notice.
    DifferentNotice = "V003", "different-notice", Warning,
        "The previously published build is of another notice_id, so it was not compared.";
    /// A translation states other numbers or durations than the default locale.
    NumberMismatch = "P001", "number-mismatch", Error,
        "A message states other numbers or durations than the same message in the default locale (90 días → 5 años, ٩٠ → ٥, 九十天 → 五年): readers of one language are promised something else (GDPR Art. 12(1); PIPL Art. 17; LGPD Art. 9).";
    /// A translation places other messages, terms or variables than the default locale.
    PlaceableMismatch = "P002", "placeable-mismatch", Error,
        "A message places other { message }, { -term } or { $variable } placeables than the same message in the default locale, so a fact or name written once is missing or doubled in one language (links: M010).";
    /// A translation lost or changed an e-mail address, URL, acronym, code or country name.
    EntityMismatch = "P003", "entity-mismatch", Error,
        "A message lacks an e-mail address, URL, acronym or code (GDPR, ANPD, 4G) or names other countries than the same message in the default locale; names and addresses must survive translation (GDPR Art. 13(1)(a), (e), (f)).";
    /// A translation dropped or added a sentence.
    SentenceMismatch = "P004", "sentence-mismatch", Error,
        "A message has fewer or more sentences than the same message in the default locale, and its length says a sentence was dropped or added rather than joined or split: readers of one language get other promises (GDPR Art. 12(1); EDPB 03/2022).";
    /// A translation says the opposite of the default locale.
    NegationMismatch = "P005", "negation-mismatch", Error,
        "A sentence of a message says \"not\" (or refuses) in one language and not in the other (\"I do not agree\" → \"Concordo\"): the translation reverses what the sentence means.";
    /// Two different messages read the same in a translation.
    ConflatedMessages = "P006", "conflated-messages", Error,
        "Two messages that differ in the default locale in what they say (negation, numbers, placeables; accept-all / reject-all, agree / disagree), or two link labels whose links go to different places, read the same in a translation, so people cannot tell the choices or links apart (GDPR Art. 7(2); EDPB 03/2022 dark patterns).";
    /// A promise of the default text is missing from a translation.
    PromiseMarkerMissing = "P007", "promise-marker-missing", Error,
        "A message of the default locale states a promise the built-in lexicon knows (a consent condition \"if you agree\", \"separately\", \"at any time\", \"free of charge\", \"whatever you choose\", selling, on/off, under/over an age, deleted/kept, the strictest rules) and the translation does not say it in its own words (GDPR Art. 7(2), 12(1); PIPL Arts. 14, 17, 29; LGPD Art. 9).";
    /// A translation says the opposite state or condition.
    SaysTheOpposite = "P008", "says-the-opposite", Error,
        "A translation says the opposite of a state the default text names (on → off, under an age → over it, deleted → kept, the strictest rules → the least strict), or swaps the two (\"On until you switch it off\" → \"Desactivado hasta que lo active\"): readers of one language are promised the contrary (GDPR Art. 12(1); PIPL Art. 17; LGPD Art. 9).";
    /// A long message much shorter or longer than the locale's usual length.
    LengthOutOfLine = "P009", "length-out-of-line", Warning,
        "A long sentence of a translation (120 letters or more) is more than 1.65 times shorter or longer than the locale's usual length against the default text (the median ratio over its messages of 40 characters or more; sentences paired by their numbers, names and conditions): a clause was probably dropped or added (GDPR Art. 12(1); EDPB 03/2022 language discontinuity).";
    /// A translation names a special category of personal data its default text does not.
    SensitiveDataAdded = "P010", "sensitive-data-added", Error,
        "A translation names a special category of personal data (biometric data such as a voice print, an identity card or passport number, health, religion, ethnic origin, sex life, criminal records, precise location) that the same message of the default locale does not: its readers are told of processing the notice does not declare, and a sensitive category needs its own legal basis and often separate or explicit consent (GDPR Art. 9(1), 10; PIPL Art. 28–29; LGPD Art. 5 II, 11; CPRA §1798.140(ae)).";
    /// A translation adds a charge or a deadline in business days.
    ConditionAdded = "P011", "condition-added", Error,
        "A translation adds a condition the same message of the default locale does not have: a charge (\"for a fee\", \"mediante pagamento de taxa\") or a deadline counted in business days (\"15 dias úteis\") where the default text counts days: readers of that language are offered a harder deal than the notice gives (GDPR Art. 12(3), 12(5); LGPD Art. 18 §5, 19; PIPL Art. 50; CCPA §1798.130(a)(2)).";
    /// The required term of a language is missing from a translation.
    RequiredTermMissing = "T001", "required-term-missing", Error,
        "The default locale's message uses a concept the language's terminology file (<tag>.terms.toml) pins to a term (separate consent → 单独同意, data protection officer → encarregado), and the translation does not use it (the law's own words: PIPL Art. 29, 39, 52; LGPD Art. 5, 41; GDPR official language versions).";
    /// A translation uses a term its terminology file says to avoid.
    AvoidedTerm = "T002", "avoided-term", Error,
        "A message uses a term the language's terminology file (<tag>.terms.toml) says to avoid (数据保护官 instead of 个人信息保护负责人): it is not the law's word and misnames a role or right.";
    /// A terminology file cannot be read.
    InvalidTermsFile = "T003", "invalid-terms-file", Error,
        "A terminology file (<tag>.terms.toml) is not valid TOML, has an unknown key or a value of the wrong type, or is for a language that has no .ftl file.";
    /// A legal label a terminology file pins no term for.
    UnpinnedLegalLabel = "T004", "unpinned-legal-label", Warning,
        "A language has a terminology file, but no [[term]] entry covers one of the labels that name a role, right, legal basis, complaint authority, law or collection channel (controller-heading, processors-label, third-parties-label, dpo-heading, right-*, legal-basis-*, complaint-*, regime-* but regime-reason-* and regime-label, channel-*) by its `messages` or a `when` phrase: pin the law's own words of its official language version (or, for a law with no official version in that language, the name the notice gives it), so a wrong role, right, law or channel cannot pass (GDPR Art. 12(1), 13(1)(c); PIPL Art. 17; LGPD Art. 9).";
    /// A built-in variable cannot be filled in here.
    BuiltinUnavailable = "K001", "builtin-unavailable", Error,
        "A built-in variable cannot be filled in where it is used: { $retention } outside a purpose-<id>-… or hotline-script-purpose-<id> message or in a language without words for durations; { $code } (the hotline receipt code, filled in by the console) outside hotline-script-closing. ({ $age } and { $deadline } are filled in by the widget from the regimes in force, see R040; { $step } and { $steps } by the consent steps).";
    /// A duration in a purpose's text contradicts its retention.
    RetentionMismatch = "K002", "retention-mismatch", Error,
        "A purpose's text states a duration that is not the purpose's retention in notice.toml (text says 90 days, retention = \"P5Y\"): the notice promises two things (GDPR Art. 13(2)(a); PIPL Art. 17(1)(2); LGPD Art. 9 II).";
    /// A purpose's text writes its retention out instead of using `{ $retention }`.
    RetentionWrittenOut = "K003", "retention-written-out", Warning,
        "A purpose's text writes out its retention period; use { $retention } so the text follows notice.toml when the retention changes (facts written once).";
    /// An e-mail address in the text that the notice does not have.
    UnknownEmail = "K004", "unknown-email", Error,
        "A message writes an e-mail address that is not a mailto: link or contact address in notice.toml, so people may write to the wrong place; place the link with { $name } instead.";
    /// A link label that names another address than the link opens.
    LinkLabelMismatch = "K005", "link-label-mismatch", Error,
        "A link label looks like an e-mail address, web address or phone number that is not where the link goes (label privacy@example.com, link mailto:other@example.com).";
    /// A country in a purpose's text that the data does not go to.
    CountryNotInTransfers = "K006", "country-not-in-transfers", Error,
        "A purpose's text names a country that is neither one of its transfer destinations nor the controller's country in notice.toml (GDPR Art. 13(1)(f); PIPL Art. 39; LGPD Art. 33).";
    /// A link named like a built-in variable.
    ReservedLinkName = "K007", "reserved-link-name", Error,
        "A [links] entry is named like a built-in variable (retention, deadline, age, step, steps, code), so { $name } could not tell the link from the value.";
    /// A registered company in a purpose's text that the purpose does not have.
    UnknownOrganisation = "K008", "unknown-organisation", Error,
        "A purpose's text names a registered company (… Ltd., Inc., GmbH, B.V., 有限公司) that is none of that purpose's processors, third parties or transfer recipients (as notice.toml or the language's facts file writes them) nor the controller, so people are told another company gets their data (GDPR Art. 13(1)(e); PIPL Art. 23, 39; LGPD Art. 9 V).";
    /// A complaint message that sends people to another authority than [complaints] names.
    ComplaintLinkMismatch = "K009", "complaint-link-mismatch", Error,
        "The message complaint-<law> places another authority's link than the one [complaints] names for that law, or a second authority's link beside it, so people are sent to the wrong authority (GDPR Art. 13(2)(d); PIPL Art. 65; LGPD Art. 18 §1).";
}

impl Code {
    /// This code's registry entry.
    pub fn rule(self) -> &'static Rule {
        // RULES and Code are generated from one list by `rules!`, in the same order.
        &RULES[self as usize]
    }
    /// The rule name, e.g. `missing-message`.
    pub fn name(self) -> &'static str {
        self.rule().name
    }
    /// Finds a rule by code (`M001`) or name (`missing-message`), for `--explain`.
    pub fn lookup(s: &str) -> Option<Code> {
        RULES
            .iter()
            .find(|r| r.code.as_str().eq_ignore_ascii_case(s) || r.name == s)
            .map(|r| r.code)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in a file a finding is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte span in the file as read (a leading BOM included).
    pub span: Range<usize>,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code.
    pub code: Code,
    /// Error or warning (the rule's default severity).
    pub severity: Severity,
    /// The file's path as given to the linter (or the directory, for directory-level findings).
    pub file: String,
    /// Position in the file; `None` when the problem is the file as a whole (a missing file, a
    /// file name).
    pub location: Option<Location>,
    /// What is wrong, in plain words.
    pub message: String,
    /// Extra help: where something is defined, how to fix it.
    pub note: Option<String>,
}

impl Diagnostic {
    /// A finding about a whole file or directory, without a position.
    pub fn file_level(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.rule().severity,
            file: file.into(),
            location: None,
            message: message.into(),
            note: None,
        }
    }

    /// A finding at byte span `span` of `text`, the content of `file`. Line and column are
    /// computed from `text`; a span past the end is clamped.
    pub fn at(
        code: Code,
        file: impl Into<String>,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_column(text, span.start);
        let mut d = Self::file_level(code, file, message);
        d.location = Some(Location { line, column, span });
        d
    }

    /// Adds a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Line, if the finding has a position.
    pub fn line(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.line)
    }

    /// Column, if the finding has a position.
    pub fn column(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.column)
    }

    /// Whether this finding blocks a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `locales/en.ftl:3:1: error[M004]: message …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(l) = &self.location {
            write!(f, ":{}:{}", l.line, l.column)?;
        }
        write!(f, ": {}[{}]: {}", self.severity, self.code, self.message)
    }
}

/// A file handed to the linter: its path as given (used verbatim in findings) and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Path as given, e.g. `locales/zh-CN.ftl`.
    pub path: String,
    /// Exact bytes.
    pub bytes: Vec<u8>,
}

impl SourceFile {
    /// A file from its path and bytes.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }

    /// The last path component (`zh-CN.ftl`), for `/` and `\` separators.
    pub fn file_name(&self) -> &str {
        self.path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(self.path.as_str())
    }
}

/// Counts of errors and warnings.
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

#[cfg(test)]
mod tests;
