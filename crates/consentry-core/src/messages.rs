//! The widget's interface text by id ([`UI_MESSAGES`]: what every locale must define), and
//! the small stable sort the notice's lists use ([`sort_small`]). A leaf: the notice model, the
//! bundle and the compiler read it, and it imports nothing of theirs.

/// Messages every locale must define; the widget's interface text. Messages derived from
/// `notice.toml` are required on top of these: `purpose-<id>-name`, `purpose-<id>-description`,
/// `link-<name>`, `legal-basis-<basis>`, `data-category-<id>`, `channel-<id>`,
/// `safeguard-<id>`, `country-<CODE>` (transfer destinations), `right-<id>`,
/// `complaint-<regime>`, `regime-<id>`, and where a regime asks for them
/// `purpose-<id>-legitimate-interest`, `purpose-<id>-automated-decision`,
/// `purpose-<id>-sensitive-impact` and `gpc-statement`; where a purpose is collected on the
/// hotline, the oral script its agent reads (`hotline-script-opening`,
/// `hotline-script-purpose-<id>`, `hotline-script-purpose-<id>-separate`,
/// `hotline-script-closing`: details file only, never the first layer).
pub const UI_MESSAGES: &[&str] = &[
    "language-name",
    "banner-title",
    "banner-body",
    "accept-all",
    "reject-all",
    "open-settings",
    "settings-title",
    "settings-intro",
    "save-choices",
    "close",
    "required-purpose",
    "privacy-settings",
    "decision-saved",
    "controller-heading",
    "dpo-heading",
    "legal-basis-label",
    "retention-label",
    "recipients-label",
    "transfers-label",
    "legal-basis-consent",
    "legal-basis-contract",
    "legal-basis-legal-obligation",
    "legal-basis-legitimate-interests",
    // The full notice (added with the full notice model; all are plain labels except
    // `rights-how`, which places the links of `[rights] how`).
    "full-notice-title",
    "open-full-notice",
    "notice-version-label",
    "purposes-heading",
    "data-categories-label",
    "channels-label",
    "processors-label",
    "third-parties-label",
    "sensitive-label",
    "separate-consent-label",
    "sold-or-shared-label",
    "legitimate-interest-label",
    "automated-decision-label",
    "sensitive-impact-label",
    "eu-representative-heading",
    "china-representative-heading",
    "address-label",
    "email-label",
    "phone-label",
    "rights-heading",
    "rights-how",
    "complaints-heading",
    "regime-label",
    "gpc-honoured",
    "download-receipt",
    "language-label",
    "withdraw-all",
    // The widget's own controls: consent steps, the region and rules applied, details.
    "agree",
    "disagree",
    "guardian-label",
    "show-details",
    "separate-consent-title",
    "separate-consent-intro",
    "separate-consent-step",
    "separate-consent-waiting",
    "separate-consent-resume",
    "gpc-opt-in-title",
    "gpc-opt-in-intro",
    "gpc-held-label",
    "notice-region-heading",
    "region-label",
    "region-other",
    "region-source-site-option",
    "region-source-edge-header",
    "region-source-time-zone",
    "region-source-language",
    "region-source-user-selection",
    "region-source-default",
    // The rules of several laws at once: why each applies, what runs until switched off,
    // what a child is not offered, the other regions' notes, and the US categories.
    "opt-out-label",
    "barred-for-child-label",
    "other-regions-heading",
    "regime-reason-visitor-region",
    "regime-reason-visitor-country",
    "regime-reason-controller-establishment",
    "regime-reason-unlisted-region",
    "regime-reason-unknown-region",
    "categories-heading",
    "category-sold",
    "category-not-sold",
    // The data-subject request form of the settings (ADR 0019; details file only: the form is
    // drawn once the details are there). Its kinds are labelled by `right-<kind>`.
    "request-heading",
    "request-kind-label",
    "request-details-label",
    "request-send",
    "request-sending",
    "request-sent",
    "request-id-label",
    "request-deadline-label",
    "request-failed",
    "request-needs-receipt",
    "request-pick-kind",
];

/// Sorts `v` stably by `less` (insertion sort). The lists a notice has (messages, links, legal
/// bases, locales, region entries) are a few dozen items, mostly in order already; this keeps
/// the standard library's merge sort, one copy per element type, out of the wasm modules. The
/// result is the one `sort_by` gives: equal items keep their order.
pub(crate) fn sort_small<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

// The hotline's oral script (ADR 0018): what the console reads out, required by the lint
// (R049-R051) for every purpose offered on the hotline.
/// The oral hotline script's first line (R049).
pub const HOTLINE_OPENING: &str = "hotline-script-opening";
/// The oral hotline script's last line, the only message that places `{ $code }` (R049, R051).
pub const HOTLINE_CLOSING: &str = "hotline-script-closing";
/// The prefix of a hotline purpose's line, `hotline-script-purpose-<id>` (R049), and of its
/// separate question, `hotline-script-purpose-<id>-separate` (R050).
pub const HOTLINE_PURPOSE: &str = "hotline-script-purpose-";
