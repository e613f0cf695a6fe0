//! Native SSR markup tests: the real components rendered with `yew::LocalServerRenderer` from
//! fixture bundles, and their markup checked element by element (roles, labels, the equal
//! buttons, one switch per purpose, the required switch, links, escaping, no inline styles).

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use consentry::components::{
    Banner, CategoryRow, Dialog, PrivacyButton, PrivacyButtonProps, PurposeState, RequestModel,
    Root, SelectOption, UiModel, ViewProps,
};
use consentry::state::View;
use consentry_core::bundle::{LocaleBundle, Rich};
use consentry_core::ids::{PurposeId, RegionCode};
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::{Regime, RegionSource, requirement};
use yew::{AttrValue, Callback, Html, LocalServerRenderer, NodeRef, Properties, component, html};

// ---- a tiny reader of the rendered markup ---------------------------------------------------

#[derive(Debug)]
struct El {
    tag: String,
    attrs: Vec<(String, String)>,
    /// Byte offset just after the start tag.
    body: usize,
}

impl El {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn has(&self, name: &str) -> bool {
        self.attrs.iter().any(|(k, _)| k == name)
    }
}

/// Every start tag with its attributes (values as written, i.e. still HTML-escaped).
fn elements(html: &str) -> Vec<El> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off + 1;
        if b.get(start).is_none_or(|c| !c.is_ascii_alphabetic()) {
            i = start;
            continue;
        }
        let mut j = start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let tag = html[start..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' || b[j] == b'/' {
                break;
            }
            let n0 = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'=' && b[j] != b'>' {
                j += 1;
            }
            let name = html[n0..j].to_owned();
            let mut value = String::new();
            if b.get(j) == Some(&b'=') {
                j += 1;
                assert_eq!(b[j], b'"', "attribute values are double-quoted in {html}");
                let v0 = j + 1;
                let v1 = v0 + html[v0..].find('"').expect("closing quote");
                value = html[v0..v1].to_owned();
                j = v1 + 1;
            }
            attrs.push((name, value));
        }
        let end = j + html[j..].find('>').expect("end of start tag") + 1;
        out.push(El {
            tag,
            attrs,
            body: end,
        });
        i = end;
    }
    out
}

/// The markup inside `el` up to its matching end tag.
fn inner<'h>(html: &'h str, el: &El) -> &'h str {
    let open = format!("<{}", el.tag);
    let close = format!("</{}>", el.tag);
    let mut depth = 1;
    let mut i = el.body;
    loop {
        let next_close = i + html[i..].find(&close).expect("matching end tag");
        match html[i..next_close].find(&open) {
            Some(o) => {
                depth += 1;
                i += o + open.len();
            }
            None => {
                depth -= 1;
                if depth == 0 {
                    return &html[el.body..next_close];
                }
                i = next_close + close.len();
            }
        }
    }
}

/// Text content (tags dropped, still HTML-escaped).
fn text(markup: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn by_testid<'e>(els: &'e [El], id: &str) -> &'e El {
    els.iter()
        .find(|e| e.attr("data-testid") == Some(id))
        .unwrap_or_else(|| panic!("no element with data-testid={id}"))
}

fn by_id<'e>(els: &'e [El], id: &str) -> &'e El {
    els.iter()
        .find(|e| e.attr("id") == Some(id))
        .unwrap_or_else(|| panic!("no element with id={id}"))
}

fn msg(b: &LocaleBundle, id: &str) -> String {
    b.message(id).unwrap().to_plain()
}

/// No inline style anywhere (strict CSP), and every class is a `cy-`/`cy` BEM class.
fn assert_csp_clean(html: &str) {
    for e in elements(html) {
        assert!(!e.has("style"), "inline style on <{}> in {html}", e.tag);
        if let Some(classes) = e.attr("class") {
            for c in classes.split_whitespace() {
                assert!(
                    c == "cy" || c.starts_with("cy-"),
                    "class {c:?} lacks the cy- prefix"
                );
            }
        }
    }
}

// ---- rendering -------------------------------------------------------------------------------

fn jurisdiction(regime: Regime, region: Option<&str>) -> Jurisdiction {
    Jurisdiction::single(
        regime,
        region.map(|r| RegionCode::parse(r).unwrap()),
        RegionSource::SiteOption,
    )
}

/// The model the app builds, for a bundle under a regime, with the draft given (purposes not
/// named are off unless required).
fn model(bundle: &LocaleBundle, regime: Regime, draft: &[(&str, bool)], gpc: bool) -> Rc<UiModel> {
    let region = match regime {
        Regime::Gdpr => "DE",
        Regime::Pipl => "CN",
        Regime::Ccpa => "US-CA",
        Regime::Lgpd => "BR",
        _ => "SG",
    };
    let opt = |v: &str, l: &str, lang: Option<&str>| SelectOption {
        value: AttrValue::from(v.to_owned()),
        label: AttrValue::from(l.to_owned()),
        lang: lang.map(|x| AttrValue::from(x.to_owned())),
    };
    let j = jurisdiction(regime, Some(region));
    let applied = j.applied();
    let in_force = j.in_force(&applied, gpc, false);
    Rc::new(UiModel {
        bundle: Rc::new(bundle.clone()),
        gpc_honoured: in_force.gpc_honoured(),
        guardian: j.child_age().map(|_| false),
        purposes: bundle
            .purposes
            .iter()
            .map(|p| PurposeState {
                on: p.required || draft.iter().any(|(id, on)| *id == p.id.as_str() && *on),
                gate: requirement(p, &in_force).gate,
            })
            .collect(),
        categories: bundle
            .categories()
            .into_iter()
            .map(|c| CategoryRow {
                words: c.retention.clone(),
                id: c.id,
                sold_or_shared: c.sold_or_shared,
                retention: c.retention,
            })
            .collect(),
        jurisdiction: j,
        // What `Intl.DurationFormat` says in the browser.
        retention: bundle
            .purposes
            .iter()
            .map(|p| match p.retention.as_str() {
                "P1Y" => "1 year".into(),
                other => format!("{} years", &other[1..other.len() - 1]),
            })
            .collect(),
        languages: vec![
            opt("en", "English", Some("en")),
            opt("zh-CN", "简体中文", Some("zh-CN")),
            opt("ar", "العربية", Some("ar")),
        ],
        regions: vec![
            opt("BR", "Brazil", None),
            opt("CN", "China", None),
            opt("DE", "Germany", None),
            opt("US-CA", "United States (CA)", None),
            opt("other", "Another region", None),
        ],
        region_value: AttrValue::from(region),
        decided: true,
        step: None,
        steps_waiting: 0,
        request: None,
    })
}

async fn render_banner_ui(ui: Rc<UiModel>) -> String {
    LocalServerRenderer::<Banner>::with_props(ViewProps {
        ui,
        on: Callback::noop(),
        view: View::Settings,
        dialog_ref: NodeRef::default(),
    })
    .hydratable(false)
    .render()
    .await
}

async fn render_banner(bundle: &LocaleBundle) -> String {
    render_banner_ui(model(bundle, Regime::Gdpr, &[], false)).await
}

async fn render_dialog(ui: Rc<UiModel>, view: View) -> String {
    LocalServerRenderer::<Dialog>::with_props(ViewProps {
        ui,
        on: Callback::noop(),
        view,
        dialog_ref: NodeRef::default(),
    })
    .hydratable(false)
    .render()
    .await
}

async fn render_settings(bundle: &LocaleBundle, draft: &[(&str, bool)]) -> String {
    render_dialog(model(bundle, Regime::Gdpr, draft, false), View::Settings).await
}

#[derive(Properties, PartialEq)]
struct PageProps {
    ui: Rc<UiModel>,
}

/// The widget's composition as `app::Widget` renders it for an undecided visitor.
#[component]
fn Page(props: &PageProps) -> Html {
    html! {
        <Root bundle={props.ui.bundle.clone()}>
            <Banner ui={props.ui.clone()} on={Callback::noop()} />
        </Root>
    }
}

async fn render_page(bundle: &LocaleBundle) -> String {
    LocalServerRenderer::<Page>::with_props(PageProps {
        ui: model(bundle, Regime::Gdpr, &[], false),
    })
    .hydratable(false)
    .render()
    .await
}

/// The decision buttons (class `cy-button`) in document order.
fn decision_buttons(els: &[El]) -> Vec<&El> {
    els.iter()
        .filter(|e| e.tag == "button" && e.attr("class") == Some("cy-button"))
        .collect()
}

// ---- tests -----------------------------------------------------------------------------------

#[tokio::test]
async fn banner_is_a_labelled_region_with_three_equal_buttons() {
    let b = common::en("support-privacy");
    let html = render_banner(&b).await;
    let els = elements(&html);
    assert_csp_clean(&html);

    let banner = by_testid(&els, "consentry-banner");
    assert_eq!(banner.tag, "section");
    assert_eq!(banner.attr("role"), Some("region"));
    assert_eq!(banner.attr("part"), Some("banner"));
    let title_id = banner.attr("aria-labelledby").unwrap();
    assert_eq!(
        text(inner(&html, by_id(&els, title_id))),
        msg(&b, "banner-title")
    );
    let body = by_id(&els, banner.attr("aria-describedby").unwrap());
    assert!(text(inner(&html, body)).starts_with("We use your data"));

    // Accept, reject and settings: three buttons, same tag, same classes, own labels.
    let buttons = decision_buttons(&els);
    assert_eq!(buttons.len(), 3, "{html}");
    for (button, (testid, label)) in buttons.iter().zip([
        ("consentry-accept-all", "accept-all"),
        ("consentry-reject-all", "reject-all"),
        ("consentry-open-settings", "open-settings"),
    ]) {
        assert_eq!(button.attr("data-testid"), Some(testid));
        assert_eq!(button.attr("type"), Some("button"));
        assert_eq!(button.attr("part"), Some("button"), "{testid}");
        assert_eq!(text(inner(&html, button)), msg(&b, label));
    }
    // Nothing else on the first layer looks like a decision button.
    assert_eq!(
        els.iter().filter(|e| e.tag == "button").count(),
        4,
        "three decisions and the full-notice link: {html}"
    );

    // The full notice is one click away, named in the notice's language.
    let full = by_testid(&els, "consentry-open-notice");
    assert_eq!(full.attr("class"), Some("cy-link-button"));
    assert_eq!(text(inner(&html, full)), msg(&b, "open-full-notice"));

    // The language switcher: a labelled select, each language named in its own language.
    let select = by_testid(&els, "consentry-language");
    assert_eq!(select.tag, "select");
    let label = els
        .iter()
        .find(|e| e.tag == "label" && e.attr("for") == select.attr("id"))
        .expect("a label for the language select");
    assert!(text(inner(&html, label)).contains("Language"));
    let options: Vec<&El> = els.iter().filter(|e| e.tag == "option").collect();
    assert_eq!(options.len(), 3);
    assert_eq!(options[1].attr("lang"), Some("zh-CN"));
    assert!(options[0].has("selected") && !options[1].has("selected"));

    // The privacy-policy link is a real link, inside the body text.
    let links: Vec<&El> = els.iter().filter(|e| e.tag == "a").collect();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].attr("href"), Some("https://example.com/privacy"));
    assert_eq!(text(inner(&html, links[0])), "Privacy policy");
    // No GPC note under GDPR; the guardian box (Art. 8: Germany, 16).
    assert!(!html.contains("consentry-gpc"));
    let boxed = by_testid(&els, "consentry-guardian");
    assert_eq!(boxed.attr("type"), Some("checkbox"));
}

/// The settings with the data-subject request form (ADR 0019), `decided` or not, its form as
/// given.
async fn render_request(
    b: &LocaleBundle,
    decided: bool,
    form: consentry_web::requests::Form,
) -> String {
    let mut ui = (*model(b, Regime::Gdpr, &[], false)).clone();
    ui.decided = decided;
    ui.request = Some(RequestModel {
        kinds: consentry_web::requests::offered(b),
        form,
    });
    render_dialog(Rc::new(ui), View::Settings).await
}

#[tokio::test]
async fn the_request_form_is_the_first_modules_markup_and_says_what_became_of_a_request() {
    use consentry_web::requests::{Form, Status};
    let b = common::en("support-privacy");
    let kinds = consentry_web::requests::offered(&b);
    assert!(!kinds.is_empty(), "the fixture offers kinds of request");

    let html = render_request(&b, true, Form::default()).await;
    assert_csp_clean(&html);
    let els = elements(&html);
    let section = by_testid(&els, "consentry-request");
    assert_eq!(section.tag, "section");
    assert_eq!(section.attr("class"), Some("cy-request"));
    let title = by_id(&els, section.attr("aria-labelledby").unwrap());
    assert_eq!(title.tag, "h3");
    assert_eq!(text(inner(&html, title)), msg(&b, "request-heading"));
    let legend = els.iter().find(|e| e.tag == "legend").expect("a legend");
    assert_eq!(text(inner(&html, legend)), msg(&b, "request-kind-label"));
    let radios: Vec<&El> = els
        .iter()
        .filter(|e| e.tag == "input" && e.attr("type") == Some("radio"))
        .collect();
    assert_eq!(
        radios
            .iter()
            .map(|r| r.attr("value").unwrap())
            .collect::<Vec<_>>(),
        kinds
    );
    for r in &radios {
        assert_eq!(r.attr("name"), Some("cy-request-kind"));
        assert!(!r.has("checked"), "nothing picked for the visitor");
        let id = r.attr("id").unwrap();
        let label = els
            .iter()
            .find(|e| e.tag == "label" && e.attr("for") == Some(id))
            .expect("each kind labelled");
        let kind = r.attr("value").unwrap();
        assert_eq!(text(inner(&html, label)), msg(&b, &format!("right-{kind}")));
    }
    let area = by_testid(&els, "consentry-request-details");
    assert_eq!(area.tag, "textarea");
    assert_eq!(area.attr("id"), Some("cy-request-details"));
    assert_eq!(area.attr("dir"), Some("auto"));
    assert_eq!(area.attr("maxlength"), Some("1000"));
    let label = els
        .iter()
        .find(|e| e.tag == "label" && e.attr("for") == Some("cy-request-details"))
        .expect("the text box labelled");
    assert_eq!(text(inner(&html, label)), msg(&b, "request-details-label"));
    let button = by_testid(&els, "consentry-request-send");
    assert_eq!(button.attr("type"), Some("button"));
    assert!(!button.has("aria-disabled"));
    let status = by_testid(&els, "consentry-request-status");
    assert_eq!(status.attr("role"), Some("status"));
    assert_eq!(status.attr("aria-live"), Some("polite"));
    assert!(!status.has("data-state"));

    // Without a decision: only that a choice comes first.
    let html = render_request(&b, false, Form::default()).await;
    let els = elements(&html);
    assert!(
        !els.iter()
            .any(|e| e.tag == "fieldset" || e.tag == "textarea")
    );
    let status = by_testid(&els, "consentry-request-status");
    assert_eq!(status.attr("data-state"), Some("no-receipt"));
    assert_eq!(text(inner(&html, status)), msg(&b, "request-needs-receipt"));

    // On its way: the button cannot send again.
    let sending = Form {
        kind: Some("erasure".into()),
        details: "x".into(),
        status: Status::Sending,
    };
    let html = render_request(&b, true, sending).await;
    let els = elements(&html);
    assert_eq!(
        by_testid(&els, "consentry-request-send").attr("aria-disabled"),
        Some("true")
    );
    assert_eq!(
        by_testid(&els, "consentry-request-status").attr("data-state"),
        Some("sending")
    );

    // Sent: the number, and the deadline as a <time>.
    let sent = Form {
        status: Status::Sent {
            request_id: "urn:uuid:1".into(),
            deadline: "2027-01-06T10:00:00Z".into(),
            date: "6 January 2027".into(),
        },
        ..Form::default()
    };
    let html = render_request(&b, true, sent).await;
    let els = elements(&html);
    assert_eq!(
        by_testid(&els, "consentry-request-status").attr("data-state"),
        Some("sent")
    );
    assert_eq!(
        text(inner(&html, by_testid(&els, "consentry-request-id"))),
        "urn:uuid:1"
    );
    let time = by_testid(&els, "consentry-request-deadline");
    assert_eq!(time.tag, "time");
    assert_eq!(time.attr("datetime"), Some("2027-01-06T10:00:00Z"));
    assert_eq!(text(inner(&html, time)), "6 January 2027");

    // Failed: said, with its code.
    let failed = Form {
        status: Status::Failed("overloaded".into()),
        ..Form::default()
    };
    let html = render_request(&b, true, failed).await;
    let els = elements(&html);
    let status = by_testid(&els, "consentry-request-status");
    assert_eq!(status.attr("data-state"), Some("failed"));
    assert!(text(inner(&html, status)).ends_with("(overloaded)"));
}

#[tokio::test]
async fn settings_dialog_has_one_labelled_switch_per_purpose() {
    let b = common::en("support-privacy");
    let html = render_settings(
        &b,
        &[
            ("service-delivery", true),
            ("chat-transcript", true),
            ("marketing", false),
        ],
    )
    .await;
    let els = elements(&html);
    assert_csp_clean(&html);

    let dialog = by_testid(&els, "consentry-settings");
    assert_eq!(dialog.tag, "dialog");
    assert_eq!(dialog.attr("role"), Some("dialog"));
    assert_eq!(dialog.attr("aria-modal"), Some("true"));
    assert_eq!(dialog.attr("part"), Some("dialog"));
    let title = by_id(&els, dialog.attr("aria-labelledby").unwrap());
    assert_eq!(text(inner(&html, title)), msg(&b, "settings-title"));
    let intro = by_id(&els, dialog.attr("aria-describedby").unwrap());
    assert_eq!(text(inner(&html, intro)), msg(&b, "settings-intro"));

    let switches: Vec<&El> = els
        .iter()
        .filter(|e| e.attr("role") == Some("switch"))
        .collect();
    assert_eq!(switches.len(), b.purposes.len());
    for (sw, p) in switches.iter().zip(&b.purposes) {
        assert_eq!(sw.tag, "button");
        assert_eq!(sw.attr("part"), Some("switch"));
        assert_eq!(
            sw.attr("data-testid"),
            Some(format!("consentry-purpose-{}", p.id).as_str())
        );
        // Labelled by the purpose name, described by its description.
        let label = by_id(&els, sw.attr("aria-labelledby").unwrap());
        assert_eq!(text(inner(&html, label)), p.name.to_plain());
        let described: Vec<&str> = sw.attr("aria-describedby").unwrap().split(' ').collect();
        assert_eq!(
            text(inner(&html, by_id(&els, described[0]))),
            p.description.to_plain()
        );
    }
    // The required purpose: on, disabled, and labelled "required" (also in its description).
    let required = switches[0];
    assert_eq!(required.attr("aria-checked"), Some("true"));
    assert!(required.has("disabled"), "{html}");
    let described: Vec<&str> = required
        .attr("aria-describedby")
        .unwrap()
        .split(' ')
        .collect();
    assert_eq!(
        text(inner(&html, by_id(&els, described[1]))),
        msg(&b, "required-purpose")
    );
    // Optional purposes follow the draft and are enabled.
    assert_eq!(switches[1].attr("aria-checked"), Some("true"));
    assert_eq!(switches[2].attr("aria-checked"), Some("false"));
    assert!(!switches[1].has("disabled") && !switches[2].has("disabled"));

    // Save, accept all, reject all: same class; the close button is separate.
    let buttons = decision_buttons(&els);
    assert_eq!(buttons.len(), 3);
    for (button, (testid, label)) in buttons.iter().zip([
        ("consentry-save", "save-choices"),
        ("consentry-accept-all", "accept-all"),
        ("consentry-reject-all", "reject-all"),
    ]) {
        assert_eq!(button.attr("data-testid"), Some(testid));
        assert_eq!(text(inner(&html, button)), msg(&b, label));
    }
    assert_eq!(
        text(inner(&html, by_testid(&els, "consentry-close"))),
        msg(&b, "close")
    );
    // Per-purpose details (data, recipients, transfers, retention) one disclosure away.
    let details: Vec<&El> = els.iter().filter(|e| e.tag == "details").collect();
    assert_eq!(details.len(), b.purposes.len());
    let t = text(&html);
    assert!(t.contains("Mailer Ltd"));
    assert!(t.contains("SingaporeStandard contractual clauses"), "{t}");
    assert!(t.contains("Your consent"));
    assert!(
        t.contains("2 years") && !t.contains(">P2Y<"),
        "retention in words"
    );
    // Full notice, the receipt download (a decision is in force), language and region.
    by_testid(&els, "consentry-open-notice");
    by_testid(&els, "consentry-download");
    assert_eq!(by_testid(&els, "consentry-dialog-language").tag, "select");
    let region = by_testid(&els, "consentry-region");
    let selected: Vec<String> = elements(inner(&html, region))
        .iter()
        .filter(|e| e.has("selected"))
        .map(|e| e.attr("value").unwrap().to_owned())
        .collect();
    assert_eq!(selected, ["DE"]);
}

#[tokio::test]
async fn full_notice_shows_every_section_and_the_rules_applied() {
    let b = common::en("support-privacy");
    let html = render_dialog(model(&b, Regime::Gdpr, &[], false), View::Notice).await;
    let els = elements(&html);
    assert_csp_clean(&html);
    let dialog = by_testid(&els, "consentry-notice");
    assert_eq!(dialog.attr("role"), Some("dialog"));
    let title = by_id(&els, dialog.attr("aria-labelledby").unwrap());
    assert_eq!(text(inner(&html, title)), msg(&b, "full-notice-title"));
    let t = text(&html);
    assert!(!t.contains("[en]"), "every label has its text: {t}");
    for p in &b.purposes {
        assert!(t.contains(&p.name.to_plain()), "{}", p.id);
        assert!(t.contains(&p.description.to_plain()), "{}", p.id);
    }
    // Every section of the notice model, each a <section> labelled by its heading.
    let headings: Vec<String> = els
        .iter()
        .filter(|e| e.tag == "section")
        .map(|s| {
            text(inner(
                &html,
                by_id(&els, s.attr("aria-labelledby").unwrap()),
            ))
        })
        .collect();
    let want: Vec<String> = [
        "purposes-heading",
        "controller-heading",
        "eu-representative-heading",
        "rights-heading",
        "complaints-heading",
        "notice-region-heading",
    ]
    .iter()
    .map(|id| msg(&b, id))
    .collect();
    assert_eq!(headings, want);
    for needle in [
        // version and policy
        "Version",
        "2026.11.1",
        // per purpose: data, channels, retention in words, processors vs third parties,
        // transfers with safeguard, recipient and contact, sale or sharing
        "Name, e-mail address and phone number",
        "Your chat messages",
        "Online chat",
        "This website",
        "3 years",
        "Service providers working for us",
        "Example Ticketing Ltd",
        "Other companies that receive it",
        "Ads Network Inc",
        "Singapore",
        "Standard contractual clauses",
        "Example Support Centre Pte. Ltd.",
        "Shared for advertising (California: you can opt out)",
        // controller, DPO phone, EU representative
        "Example Telecom Ltd",
        "+1-555-0101",
        "Example Telecom Europe B.V.",
        "Examplestraat 1, Amsterdam",
        // rights and how, complaints, the rules applied
        "See the information we hold about you.",
        "Have your information deleted.",
        "To use any of these rights",
        "You may complain to your data protection authority",
        "Germany",
        "set by this site",
        "EU General Data Protection Regulation (GDPR)",
        "the law where you are",
    ] {
        assert!(t.contains(needle), "{needle} missing in {t}");
    }
    // Only what applies to this visitor: no GPC paragraph and no US categories under GDPR.
    assert!(
        !t.contains("We treat a Global Privacy Control signal"),
        "{t}"
    );
    assert!(!html.contains("consentry-categories"));
    // Under GDPR every consent purpose rests on consent; the legitimate interest is not shown.
    assert!(!t.contains("In California we keep transcripts"));
    // Links: policy, rights form, complaint authority, transfer contact, e-mails; the US
    // opt-out link only where a US state law applies.
    let hrefs: Vec<&str> = els
        .iter()
        .filter(|e| e.tag == "a")
        .map(|e| e.attr("href").unwrap())
        .collect();
    for href in [
        "https://example.com/privacy",
        "https://example.com/privacy/requests",
        "https://example.net/eu-authorities",
        "mailto:gtac-privacy@example.com",
        "mailto:dpo@example.com",
        "mailto:eu-rep@example.com",
    ] {
        assert!(hrefs.contains(&href), "{href} missing in {hrefs:?}");
    }
    assert!(!hrefs.contains(&"https://example.com/privacy/do-not-sell"));
    let ca = render_dialog(model(&b, Regime::Ccpa, &[], false), View::Notice).await;
    assert!(ca.contains("https://example.com/privacy/do-not-sell"));
    assert!(
        ca.contains("consentry-categories"),
        "the US notice at collection per category"
    );
    assert!(text(&ca).contains("We treat a Global Privacy Control signal"));
    let retention: Vec<&El> = els.iter().filter(|e| e.tag == "data").collect();
    assert_eq!(
        retention[0].attr("value"),
        Some("P3Y"),
        "machine-readable too"
    );
    by_testid(&els, "consentry-region");
    by_testid(&els, "consentry-notice-settings");

    // Under CCPA: the legal basis in force there, and the legitimate interest pursued.
    let html = render_dialog(model(&b, Regime::Ccpa, &[], false), View::Notice).await;
    let t = text(&html);
    assert!(t.contains("Our legitimate interests"), "{t}");
    assert!(t.contains("In California we keep transcripts"), "{t}");
}

#[tokio::test]
async fn pipl_asks_separately_and_offers_the_guardian_box() {
    let mut b = common::zh("support-privacy");
    b.purposes[1].separate_consent = true;
    let ui = model(&b, Regime::Pipl, &[], false);
    // The banner carries the guardian box.
    let html = render_banner_ui(ui.clone()).await;
    let els = elements(&html);
    let boxed = by_testid(&els, "consentry-guardian");
    assert_eq!(boxed.attr("type"), Some("checkbox"));
    let label = els
        .iter()
        .find(|e| e.tag == "label" && e.attr("for") == boxed.attr("id"))
        .expect("the guardian box is labelled");
    assert_eq!(text(inner(&html, label)), msg(&b, "guardian-label"));

    // In settings, the separate purpose is marked and its switch shows the consent in force.
    let html = render_dialog(ui.clone(), View::Settings).await;
    let els = elements(&html);
    let sw = by_testid(&els, "consentry-purpose-chat-transcript");
    assert_eq!(sw.attr("aria-checked"), Some("false"));
    assert!(!sw.has("disabled"));
    let described: Vec<&str> = sw.attr("aria-describedby").unwrap().split(' ').collect();
    assert_eq!(
        text(inner(&html, by_id(&els, described[1]))),
        msg(&b, "separate-consent-label")
    );

    // The separate step: the purpose, its facts and two equal answers.
    let id = PurposeId::parse("chat-transcript").unwrap();
    let html = render_dialog(ui, View::Separate(id)).await;
    let els = elements(&html);
    assert_csp_clean(&html);
    let dialog = by_testid(&els, "consentry-separate");
    assert_eq!(dialog.attr("aria-modal"), Some("true"));
    assert_eq!(
        text(inner(&html, by_testid(&els, "consentry-separate-purpose"))),
        "保存聊天记录"
    );
    let buttons = decision_buttons(&els);
    let ids: Vec<_> = buttons
        .iter()
        .map(|b| b.attr("data-testid").unwrap())
        .collect();
    assert_eq!(ids, ["consentry-agree", "consentry-disagree"]);
    // Asked once: the guardian question is on the banner and in the settings, not again here.
    assert!(!html.contains("consentry-dialog-guardian"));
}

#[tokio::test]
async fn ccpa_with_gpc_holds_what_is_sold_or_shared_and_offers_a_two_step_opt_in() {
    let b = common::en("support-privacy");
    let ui = model(&b, Regime::Ccpa, &[("chat-transcript", true)], true);
    let html = render_banner_ui(ui.clone()).await;
    let els = elements(&html);
    let note = by_testid(&els, "consentry-gpc");
    assert!(text(inner(&html, note)).contains("Global Privacy Control"));
    assert_eq!(
        decision_buttons(&els).len(),
        3,
        "reject stays as easy as accept"
    );

    let html = render_dialog(ui.clone(), View::Settings).await;
    let els = elements(&html);
    // The purpose sold or shared is off and says why; its switch leads to the opt-in step.
    let sw = by_testid(&els, "consentry-purpose-marketing");
    assert_eq!(sw.attr("aria-checked"), Some("false"));
    assert!(!sw.has("disabled"), "the visitor may still opt back in");
    let described: Vec<&str> = sw.attr("aria-describedby").unwrap().split(' ').collect();
    assert_eq!(
        text(inner(&html, by_id(&els, described[1]))),
        msg(&b, "gpc-held-label")
    );
    assert!(
        described.contains(&"cy-gpc-dialog"),
        "points at the GPC note"
    );
    assert_eq!(
        by_id(&els, "cy-gpc-dialog").attr("data-testid"),
        Some("consentry-gpc")
    );
    // Purposes that are not sold or shared follow the draft, untouched by the signal.
    let chat = by_testid(&els, "consentry-purpose-chat-transcript");
    assert_eq!(chat.attr("aria-checked"), Some("true"));
    assert!(!chat.attr("aria-describedby").unwrap().contains("cy-gpc"));

    // The opt-in step: what the signal means, the purpose, two equal answers.
    let id = PurposeId::parse("marketing").unwrap();
    let html = render_dialog(ui, View::GpcOptIn(id)).await;
    let els = elements(&html);
    assert_csp_clean(&html);
    let dialog = by_testid(&els, "consentry-gpc-opt-in");
    assert_eq!(dialog.attr("aria-modal"), Some("true"));
    let title = by_id(&els, dialog.attr("aria-labelledby").unwrap());
    assert_eq!(text(inner(&html, title)), msg(&b, "gpc-opt-in-title"));
    let intro = by_id(&els, dialog.attr("aria-describedby").unwrap());
    assert_eq!(text(inner(&html, intro)), msg(&b, "gpc-opt-in-intro"));
    by_testid(&els, "consentry-gpc");
    assert_eq!(
        text(inner(&html, by_testid(&els, "consentry-separate-purpose"))),
        msg(&b, "purpose-marketing-name")
    );
    let ids: Vec<_> = decision_buttons(&els)
        .iter()
        .map(|b| b.attr("data-testid").unwrap())
        .collect();
    assert_eq!(ids, ["consentry-agree", "consentry-disagree"]);

    // Without the signal (or outside CCPA) nothing is held.
    for ui in [
        model(&b, Regime::Ccpa, &[], false),
        model(&b, Regime::Gdpr, &[], true),
    ] {
        let html = render_dialog(ui, View::Settings).await;
        assert!(!html.contains("consentry-gpc") && !html.contains("gpc-held"));
    }
}

#[tokio::test]
async fn each_pill_only_where_its_gate_is_and_each_destination_once() {
    let mut b = common::en("support-privacy");
    let m = b
        .purposes
        .iter_mut()
        .find(|p| p.id.as_str() == "marketing")
        .unwrap();
    m.separate_consent = true;
    let mut second = m.transfers[0].clone();
    second.safeguard = "pipl-standard-contract".into();
    m.transfers.push(second);
    let separately = msg(&b, "separate-consent-label");
    let id = PurposeId::parse("marketing").unwrap();
    // The GPC opt-in step under the CCPA: the signal's gate comes first, so no "asked
    // separately" pill (the notice asks separately only where that gate is the one in force).
    let html = render_dialog(
        model(&b, Regime::Ccpa, &[], true),
        View::GpcOptIn(id.clone()),
    )
    .await;
    assert!(!text(&html).contains(&separately), "{}", text(&html));
    // Where it is asked separately, it says so.
    let html = render_dialog(model(&b, Regime::Gdpr, &[], false), View::Separate(id)).await;
    assert!(text(&html).contains(&separately));
    // Two safeguards for one destination (neither of the LGPD, so both are shown): Singapore
    // once, with both safeguards under it.
    let html = render_dialog(model(&b, Regime::Lgpd, &[], false), View::Notice).await;
    let shown = text(&html);
    let country = msg(&b, "country-SG");
    let marketing = &shown[shown.find(&msg(&b, "purpose-marketing-name")).unwrap()..];
    assert_eq!(marketing.matches(&country).count(), 1, "{marketing}");
    assert!(marketing.contains(&msg(&b, "safeguard-eu-scc")));
    // (This fixture has no label for it: it shows its id.)
    assert!(marketing.contains("pipl-standard-contract"));
}

#[tokio::test]
async fn chinese_and_arabic_render_in_their_language_and_direction() {
    let zh = common::zh("support-privacy");
    let html = render_page(&zh).await;
    let els = elements(&html);
    let root = els.iter().find(|e| e.attr("class") == Some("cy")).unwrap();
    assert_eq!(root.attr("lang"), Some("zh-CN"));
    assert_eq!(root.attr("dir"), Some("ltr"));
    assert!(text(&html).contains("您在支持网站上的隐私"));
    assert_eq!(
        text(inner(&html, by_testid(&els, "consentry-reject-all"))),
        "全部拒绝"
    );
    // The status line exists (empty) before anything is announced.
    let status = els
        .iter()
        .find(|e| e.attr("role") == Some("status"))
        .unwrap();
    assert_eq!(text(inner(&html, status)), "");

    let ar = common::ar("support-privacy");
    let html = render_page(&ar).await;
    let els = elements(&html);
    let root = els.iter().find(|e| e.attr("class") == Some("cy")).unwrap();
    assert_eq!(root.attr("lang"), Some("ar"));
    assert_eq!(root.attr("dir"), Some("rtl"));
    assert!(text(&html).contains("خصوصيتك على موقع الدعم"));
    let html = render_settings(&ar, &[]).await;
    assert!(text(&html).contains("مفعّل دائمًا"));
    assert_csp_clean(&html);
}

#[tokio::test]
async fn facts_show_in_the_visitors_language_where_translated() {
    let mut zh = common::zh("support-privacy");
    let names = [
        ("Example Telecom Ltd", "示例电信有限公司"),
        ("1 Example Road, Dublin", "都柏林示例路1号"),
        ("Data Protection Officer", "个人信息保护负责人"),
        (
            "Example Telecom Europe B.V.",
            "Example Telecom Europe B.V.（示例电信欧洲公司）",
        ),
        ("Examplestraat 1, Amsterdam", "阿姆斯特丹 Examplestraat 1号"),
        ("Example Ticketing Ltd", "Example Ticketing Ltd（工单系统）"),
        ("Mailer Ltd", "Mailer Ltd（邮件发送）"),
        ("Ads Network Inc", "Ads Network Inc（广告网络）"),
        (
            "Example Support Centre Pte. Ltd.",
            "示例支持中心私人有限公司",
        ),
    ];
    zh.names = names
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    zh.names.sort();
    let notice = text(&render_dialog(model(&zh, Regime::Gdpr, &[], false), View::Notice).await);
    let settings = text(&render_settings(&zh, &[]).await);
    let shown = format!("{notice}\n{settings}");
    for (fact, translated) in names {
        assert!(shown.contains(translated), "{translated} shown");
        // Every occurrence is the translation (some keep the registered name inside).
        assert_eq!(
            shown.matches(fact).count(),
            shown.matches(translated).count() * usize::from(translated.contains(fact)),
            "{fact} only inside its translation"
        );
    }
    // Receipts and every other language keep the facts as notice.toml writes them.
    assert_eq!(zh.controller.name, "Example Telecom Ltd");
    let en = common::en("support-privacy");
    let html = text(&render_dialog(model(&en, Regime::Gdpr, &[], false), View::Notice).await);
    assert!(html.contains("Example Telecom Ltd") && !html.contains("示例电信"));
}

#[tokio::test]
async fn notice_text_is_escaped_and_unsafe_links_are_not_links() {
    let b = common::hostile("support-privacy");
    let html = render_banner(&b).await;
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    let els = elements(&html);
    assert!(
        els.iter()
            .all(|e| e.tag != "a" && e.tag != "script" && e.tag != "b")
    );
    assert!(!html.contains("javascript:"), "{html}");
    let body = by_id(&els, "cy-banner-body");
    assert_eq!(text(inner(&html, body)), "Click here");

    // Bidi overrides and zero-width characters are dropped from notice text.
    let mut b = common::en("support-privacy");
    for (k, v) in &mut b.messages {
        if k == "banner-title" {
            *v = Rich::plain("Privacy\u{202E}txt.exe\u{202C} note\u{200B}\u{2066}!\u{2069}");
        }
    }
    let html = render_banner(&b).await;
    let els = elements(&html);
    assert_eq!(
        text(inner(&html, by_id(&els, "cy-banner-title"))),
        "Privacytxt.exe note!"
    );
}

#[tokio::test]
async fn privacy_button_is_labelled_and_stable() {
    let b = common::en("support-privacy");
    let html = LocalServerRenderer::<PrivacyButton>::with_props(PrivacyButtonProps {
        bundle: Rc::new(b.clone()),
        on_click: Callback::noop(),
        button_ref: NodeRef::default(),
    })
    .hydratable(false)
    .render()
    .await;
    let els = elements(&html);
    let button = by_testid(&els, "consentry-privacy-settings");
    assert_eq!(button.tag, "button");
    assert_eq!(button.attr("part"), Some("privacy-button"));
    assert_eq!(text(inner(&html, button)), msg(&b, "privacy-settings"));
    assert_csp_clean(&html);
}

// ---- snapshots -------------------------------------------------------------------------------
//
// The full markup of each view, reviewed like code: any change to structure, roles, labels or
// classes shows up as a diff in `tests/snapshots/`. Update deliberately with
// `INSTA_UPDATE=always cargo test -p consentry --test ssr` and review the diff.

/// One tag per line, so snapshot diffs point at the element that changed.
fn pretty(html: &str) -> String {
    html.replace("><", ">\n<")
}

#[tokio::test]
async fn snapshot_banner_en() {
    insta::assert_snapshot!(
        "banner_en",
        pretty(&render_page(&common::en("support-privacy")).await)
    );
}

#[tokio::test]
async fn snapshot_settings_zh() {
    let b = common::zh("support-privacy");
    let draft: Vec<(String, bool)> = b
        .purposes
        .iter()
        .map(|p| (p.id.as_str().to_owned(), p.required))
        .collect();
    let draft: Vec<(&str, bool)> = draft.iter().map(|(id, on)| (id.as_str(), *on)).collect();
    insta::assert_snapshot!("settings_zh", pretty(&render_settings(&b, &draft).await));
}

#[tokio::test]
async fn snapshot_notice_en() {
    let b = common::en("support-privacy");
    insta::assert_snapshot!(
        "notice_en",
        pretty(&render_dialog(model(&b, Regime::Gdpr, &[], false), View::Notice).await)
    );
}

#[tokio::test]
async fn snapshot_separate_zh() {
    let mut b = common::zh("support-privacy");
    b.purposes[1].separate_consent = true;
    let id = PurposeId::parse("chat-transcript").unwrap();
    insta::assert_snapshot!(
        "separate_zh",
        pretty(&render_dialog(model(&b, Regime::Pipl, &[], false), View::Separate(id)).await)
    );
}

#[tokio::test]
async fn snapshot_banner_ar_rtl() {
    insta::assert_snapshot!(
        "banner_ar",
        pretty(&render_page(&common::ar("support-privacy")).await)
    );
}

#[tokio::test]
async fn every_view_of_a_hostile_notice_is_text_only() {
    let b = common::injection("support-privacy");
    let ui = model(&b, Regime::Ccpa, &[], true);
    let id = PurposeId::parse("marketing").unwrap();
    for html in [
        render_banner_ui(ui.clone()).await,
        render_dialog(ui.clone(), View::Settings).await,
        render_dialog(ui.clone(), View::Notice).await,
        render_dialog(ui.clone(), View::GpcOptIn(id.clone())).await,
        render_dialog(model(&b, Regime::Pipl, &[], false), View::Separate(id)).await,
    ] {
        assert_csp_clean(&html);
        for e in elements(&html) {
            assert!(
                !["script", "img", "svg", "iframe", "object"].contains(&e.tag.as_str()),
                "<{}> in the markup",
                e.tag
            );
            assert!(
                e.attrs.iter().all(|(k, _)| !k.starts_with("on")),
                "an inline handler on <{}>",
                e.tag
            );
            if let Some(href) = e.attr("href") {
                assert!(
                    href.starts_with("https://") || href.starts_with("mailto:"),
                    "{href}"
                );
            }
        }
        assert!(
            html.contains("&lt;script&gt;"),
            "the markup is shown as text"
        );
        assert!(!html.contains('\u{202E}') && !html.contains('\u{200B}'));
    }
}
