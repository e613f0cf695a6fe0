//! Browser tests of this module (the banner every visitor sees, without Yew), in headless
//! Chromium via wasm-bindgen-test-runner: the real module mounted into a real element with the
//! shipped stylesheet, the notice published as `consentry build` publishes it (first layer,
//! details file, manifest; ADR 0008) and served as real `Blob` URLs through the real `fetch`.
//! The receipt endpoint is a URL Chromium refuses (port 9), so nothing leaves the page.
//!
//! Unit tests of the library rather than an integration test in `tests/`: that would need
//! `crate-type = ["cdylib", "rlib"]`, and the rlib type makes the shipped cdylib 9 KB brotli
//! larger (`cargo xtask test size`, nightly: 66,755 bytes instead of 57,945).
//!
//! Waiting is by turns of the event loop (a 0 ms timeout), with a bounded number of turns;
//! nothing is timed.

// The hostile fixture is the one the full widget's browser test uses (`tests/common`).
#[path = "../../../tests/common/mod.rs"]
mod common;
#[path = "../../../tests/common/dom.rs"]
mod dom;

use crate::{MountHandle, mount};
use consentry_core::bundle::{
    DetailsRef, Direction, FirstLayer, LocaleBundle, Manifest, ManifestEntry, Span,
    read_published_locale,
};
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::LocaleTag;
use consentry_web::config::{LANGUAGE_KEY, REGION_KEY, consent_key};
use consentry_web::outbox::OUTBOX_KEY;
use dom::{blob_url, document, event_loop_turn, window};
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

/// Chromium refuses port 9 (ERR_UNSAFE_PORT): a POST there is a network error, no socket.
const DEAD_ENDPOINT: &str = "http://127.0.0.1:9/v1/receipts";

const NOTICE: &str = "t-first-inject";

/// A `mailto:` target `safe_href` lets through, whose address carries markup: it must stay an
/// attribute value, and following it must run nothing.
const MAILTO: &str = "mailto:\"><img src=x onerror=\"window.__pwned='mailto'\">@example.com";

/// The characters that must never reach the page (bidi embeddings, overrides and isolates,
/// zero-width and invisible characters), listed here rather than taken from the code under
/// test.
const HIDDEN: &[char] = &[
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200B}', '\u{2060}', '\u{2061}', '\u{2062}', '\u{2063}', '\u{2064}', '\u{180E}',
    '\u{FEFF}',
];

// ---- helpers -------------------------------------------------------------------------------

/// Waits until `cond` holds, for at most 2000 turns of the event loop.
async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..2000 {
        if cond() {
            return;
        }
        event_loop_turn().await;
    }
    panic!("never happened: {what}");
}

/// Publishes `bundles` (each with its language's name, for the switcher) as `consentry build`
/// does since the split: per locale a details file (the complete bundle's canonical JSON) and
/// a first layer cut from it by core (`FirstLayer::file_of`, naming the details file and its
/// SHA-256), and a manifest naming each first layer with its digest and listing its details
/// file. Core's reader (`read_published_locale`) must read every locale back complete from
/// these files. The first layers and the manifest are served as Blob URLs; the details files
/// are not (the first module never fetches them, and a Blob URL cannot carry the plain file
/// name a first layer points at). Returns the manifest's URL.
fn publish(default: &str, bundles: &[(&LocaleBundle, &str)]) -> String {
    let mut locales = Vec::new();
    let mut listed = Vec::new();
    for (b, name) in bundles {
        let tag = b.locale.as_str();
        let details_bytes = b.to_json().into_bytes();
        let details = DetailsRef {
            path: format!("notice.{tag}.details.json"),
            sha256: Sha256Digest::of(&details_bytes),
        };
        let first = FirstLayer::file_of(b, details.clone()).into_bytes();
        let entry = ManifestEntry {
            locale: b.locale.clone(),
            path: format!("notice.{tag}.json"),
            sha256: Sha256Digest::of(&first),
            dir: b.dir,
            name: (*name).to_owned(),
        };
        let files = [
            (entry.path.clone(), first.clone()),
            (details.path.clone(), details_bytes),
        ];
        let mut read = |p: &str| {
            files
                .iter()
                .find(|(n, _)| n == p)
                .map(|(_, bytes)| bytes.clone())
                .ok_or_else(|| format!("no file {p}"))
        };
        let back = read_published_locale(&entry, Some(&details.path), &mut read)
            .unwrap_or_else(|e| panic!("{tag}: the published files do not read back: {e}"));
        assert_eq!(&back, *b, "{tag}: the published files lose something");
        locales.push(ManifestEntry {
            path: blob_url(&first, "application/json"),
            ..entry
        });
        listed.push(Some(details));
    }
    let first = bundles[0].0;
    let manifest = Manifest {
        notice_id: first.notice_id.clone(),
        version: first.version.clone(),
        default_locale: LocaleTag::parse(default).unwrap(),
        build_time: None,
        locales,
    };
    blob_url(
        manifest.to_json_with_details(&listed).as_bytes(),
        "application/json",
    )
}

fn new_host() -> HtmlElement {
    let el: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

fn options(manifest_url: &str, extra: &[(&str, &str)]) -> JsValue {
    let o = Object::new();
    let set = |k: &str, v: &str| {
        Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v)).unwrap();
    };
    set("manifestUrl", manifest_url);
    set("endpoint", DEAD_ENDPOINT);
    for (k, v) in extra {
        set(k, v);
    }
    o.into()
}

/// Mounts the first module without the full widget and the receipts module (`load` /
/// `take` / `receipts` absent: nothing here opens the one or decides for the other).
fn mount_ok(host: &HtmlElement, opts: JsValue) -> MountHandle {
    match mount(
        host.clone().into(),
        opts,
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    ) {
        Ok(h) => h,
        Err(e) => panic!("mount failed: {:?}", JsValue::from(e)),
    }
}

fn state(host: &HtmlElement) -> Option<String> {
    host.get_attribute("data-consentry-state")
}

fn shadow(host: &HtmlElement) -> ShadowRoot {
    host.shadow_root().expect("an open shadow root")
}

fn find(host: &HtmlElement, selector: &str) -> Option<HtmlElement> {
    shadow(host)
        .query_selector(selector)
        .unwrap()
        .map(JsCast::unchecked_into)
}

/// Every element of the shadow root matching `selector`.
fn all(host: &HtmlElement, selector: &str) -> Vec<Element> {
    let list = shadow(host).query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect()
}

fn testid(host: &HtmlElement, id: &str) -> Option<HtmlElement> {
    find(host, &format!("[data-testid=\"{id}\"]"))
}

fn click(host: &HtmlElement, id: &str) {
    testid(host, id)
        .unwrap_or_else(|| panic!("no {id} to click"))
        .click();
}

fn set_select(host: &HtmlElement, id: &str, value: &str) {
    let el = testid(host, id).unwrap_or_else(|| panic!("no {id}"));
    Reflect::set(&el, &JsValue::from_str("value"), &JsValue::from_str(value)).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

fn text(host: &HtmlElement) -> String {
    shadow(host).text_content().unwrap_or_default()
}

/// Waits until the shipped stylesheet applies (wrapping is checked with the real CSS).
async fn until_styled(host: &HtmlElement) {
    until("the stylesheet applies", || {
        find(host, ".cy-mount").is_some_and(|m| {
            window()
                .get_computed_style(&m)
                .ok()
                .flatten()
                .and_then(|s| s.get_property_value("display").ok())
                .as_deref()
                == Some("block")
        })
    })
    .await;
}

fn root_attr(host: &HtmlElement, name: &str) -> Option<String> {
    find(host, ".cy").and_then(|e| e.get_attribute(name))
}

fn pwned() -> JsValue {
    Reflect::get(&window(), &JsValue::from_str("__pwned")).unwrap()
}

fn storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

fn forget() {
    let s = storage();
    for key in [
        consent_key(NOTICE),
        format!("consentry:receipt:{NOTICE}"),
        LANGUAGE_KEY.into(),
        REGION_KEY.into(),
        OUTBOX_KEY.into(),
    ] {
        s.remove_item(&key).unwrap();
    }
}

/// The injection fixture of `tests/common` (every message, link label and target hostile; the
/// banner title the 100 KB string) as locale `tag`, plus a `mailto:` link in the banner body
/// whose target ([`MAILTO`]) and label carry markup.
fn hostile(tag: &str, dir: Direction) -> LocaleBundle {
    let mut b = common::injection(NOTICE);
    b.locale = LocaleTag::parse(tag).unwrap();
    b.dir = dir;
    let body = b
        .messages
        .iter_mut()
        .find(|(id, _)| id == "banner-body")
        .expect("a banner body");
    body.1.0.push(Span::Text(" ".into()));
    body.1.0.push(Span::Link {
        href: MAILTO.into(),
        text: common::SVG.into(),
    });
    b
}

/// The language names the manifest gives the switcher: markup and bidi controls too.
fn language_name(tag: &str) -> String {
    match tag {
        "ar" => format!("{} {}", common::IMG, common::BIDI),
        _ => format!("{} {}", common::SCRIPT, common::SVG),
    }
}

/// The same name as it must be shown.
fn language_name_shown(tag: &str) -> String {
    match tag {
        "ar" => format!("{} {}", common::IMG, common::BIDI_SHOWN),
        _ => format!("{} {}", common::SCRIPT, common::SVG),
    }
}

/// Nothing parsed as markup, no link but `https:` / `mailto:`, no bidi control or zero-width
/// character left anywhere in the shadow root.
fn assert_inert(host: &HtmlElement, what: &str) {
    for tag in ["script", "img", "svg", "iframe", "object", "embed"] {
        assert!(all(host, tag).is_empty(), "{what}: a <{tag}> was created");
    }
    for a in all(host, "a") {
        let href = a.get_attribute("href").unwrap_or_default();
        assert!(
            href.starts_with("https://") || href.starts_with("mailto:"),
            "{what}: link to {href:?}"
        );
    }
    let t = text(host);
    if let Some(c) = t.chars().find(|c| HIDDEN.contains(c)) {
        panic!("{what}: U+{:04X} was left in", c as u32);
    }
}

/// [`assert_inert`], and the banner legible: the markup shown as text, the bidi text as it
/// must read, the 100 KB title all there and wrapped inside the banner, the language
/// switcher's labels as plain text.
fn assert_inert_and_legible(host: &HtmlElement, what: &str) {
    assert_inert(host, what);
    let t = text(host);
    for shown in [common::SCRIPT, common::IMG, common::SVG, common::BIDI_SHOWN] {
        assert!(t.contains(shown), "{what}: {shown:?} is not shown as text");
    }
    let title = find(host, ".cy-banner__title").unwrap_or_else(|| panic!("{what}: no title"));
    assert_eq!(
        title.text_content().unwrap_or_default(),
        common::big(),
        "{what}: the 100 KB title is cut or changed"
    );
    let banner = find(host, ".cy-banner").unwrap_or_else(|| panic!("{what}: no banner"));
    assert!(
        banner.scroll_width() <= banner.client_width() + 1,
        "{what}: the banner scrolls sideways ({} > {})",
        banner.scroll_width(),
        banner.client_width()
    );
    let options = all(host, "[data-testid=\"consentry-language\"] option");
    assert_eq!(options.len(), 2, "{what}: the switcher offers both locales");
    for o in options {
        let tag = o.get_attribute("value").unwrap_or_default();
        assert_eq!(o.child_element_count(), 0, "{what}: markup in option {tag}");
        assert_eq!(
            o.text_content().unwrap_or_default(),
            language_name_shown(&tag),
            "{what}: the switcher's label for {tag}"
        );
    }
}

// ---- hostile notice text -------------------------------------------------------------------

#[wasm_bindgen_test]
async fn hostile_first_layer_text_is_inert_and_legible_and_no_handler_fires() {
    forget();
    Reflect::delete_property(
        window().unchecked_ref::<Object>(),
        &JsValue::from_str("__pwned"),
    )
    .unwrap();
    let en = hostile("en", Direction::Ltr);
    let ar = hostile("ar", Direction::Rtl);
    // Sorted by tag, as a build writes them.
    let url = publish(
        "en",
        &[(&ar, &language_name("ar")), (&en, &language_name("en"))],
    );
    // The shipped stylesheet, so that wrapping is checked with the real CSS.
    let css = blob_url(include_bytes!("../../../assets/consentry.css"), "text/css");
    let host = new_host();
    // China: PIPL's rules add the guardian box to the banner, whose label is notice text too.
    let handle = mount_ok(
        &host,
        options(
            &url,
            &[
                ("stylesheetUrl", &css),
                ("language", "en"),
                ("region", "CN"),
            ],
        ),
    );
    until("the first layer leaves the loading state", || {
        state(&host).as_deref() != Some("loading")
    })
    .await;
    assert_eq!(state(&host).as_deref(), Some("ready"));
    until_styled(&host).await;
    assert_eq!(root_attr(&host, "lang").as_deref(), Some("en"));
    assert!(
        testid(&host, "consentry-guardian").is_some(),
        "the guardian box under PIPL"
    );
    assert_inert_and_legible(&host, "banner (en)");
    let mailto = all(&host, "a[href^='mailto:']");
    assert_eq!(mailto.len(), 1, "the mailto: link stays a link");
    assert_eq!(mailto[0].get_attribute("href").as_deref(), Some(MAILTO));

    // The language switcher: the Arabic first layer, fetched and verified, right to left.
    set_select(&host, "consentry-language", "ar");
    until("the Arabic first layer", || {
        root_attr(&host, "lang").as_deref() == Some("ar")
    })
    .await;
    assert_eq!(root_attr(&host, "dir").as_deref(), Some("rtl"));
    assert_inert_and_legible(&host, "banner (ar)");

    // Following the links that are there runs nothing (only mailto: ones can be followed
    // without leaving the test page).
    for a in all(&host, "a[href^='mailto:']") {
        a.unchecked_into::<HtmlElement>().click();
    }
    // A decision: the privacy-settings button that replaces the banner is notice text too.
    click(&host, "consentry-reject-all");
    until("the privacy-settings button", || {
        testid(&host, "consentry-privacy-settings").is_some()
    })
    .await;
    assert!(testid(&host, "consentry-banner").is_none());
    assert_inert(&host, "privacy-settings button");
    // The decision is stored at once (its receipt is the receipts module's, which this test
    // does not load: nothing writes the decision after `forget` below, and the next mount
    // starts undecided).
    until("the decision is stored", || {
        storage().get_item(&consent_key(NOTICE)).unwrap().is_some()
    })
    .await;
    for _ in 0..20 {
        event_loop_turn().await;
    }
    assert_eq!(
        pwned(),
        JsValue::UNDEFINED,
        "a script ran or a handler fired"
    );
    handle.unmount();

    // California with a Global Privacy Control signal: the banner's GPC note is notice text
    // too.
    forget();
    let nav = window().navigator();
    let desc = Object::new();
    Reflect::set(&desc, &JsValue::from_str("value"), &JsValue::TRUE).unwrap();
    Reflect::set(&desc, &JsValue::from_str("configurable"), &JsValue::TRUE).unwrap();
    Reflect::define_property(
        nav.unchecked_ref::<Object>(),
        &JsValue::from_str("globalPrivacyControl"),
        &desc,
    )
    .unwrap();
    let host = new_host();
    let handle = mount_ok(
        &host,
        options(
            &url,
            &[
                ("stylesheetUrl", &css),
                ("language", "en"),
                ("region", "US-CA"),
            ],
        ),
    );
    until("the first layer is ready again", || {
        state(&host).as_deref() == Some("ready")
    })
    .await;
    until_styled(&host).await;
    assert!(
        testid(&host, "consentry-gpc").is_some(),
        "the GPC note in California (regime {:?})",
        host.get_attribute("data-consentry-regime")
    );
    assert_inert_and_legible(&host, "banner (en, GPC)");
    for _ in 0..20 {
        event_loop_turn().await;
    }
    assert_eq!(
        pwned(),
        JsValue::UNDEFINED,
        "a script ran or a handler fired"
    );
    handle.unmount();
    Reflect::delete_property(
        nav.unchecked_ref::<Object>(),
        &JsValue::from_str("globalPrivacyControl"),
    )
    .unwrap();
    forget();
}
