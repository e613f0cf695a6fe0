//! Browser tests (headless Chromium via wasm-bindgen-test-runner): the real widget mounted
//! into real elements, notices served as real `Blob` URLs through the real `fetch`, real
//! localStorage, IndexedDB and WebCrypto. The receipt endpoint is a URL that cannot be
//! reached (a port Chromium refuses), so delivery fails and the outbox must keep the envelope.
//!
//! Waiting is by turns of the event loop (a 0 ms timeout plus Yew's `scheduler::flush`), with
//! a bounded number of turns; nothing is timed.

#![cfg(target_arch = "wasm32")]

mod common;
#[path = "common/dom.rs"]
mod dom;

use std::cell::RefCell;
use std::rc::Rc;

use consentry::js_api::{MountHandle, mount};
use consentry::platform::idb;
use consentry_core::bundle::{LocaleBundle, Manifest, ManifestEntry};
use consentry_core::encoding::{Sha256Digest, b64url_decode};
use consentry_core::json::{self, Value};
use consentry_core::receipt::Receipt;
use consentry_core::receipt::jws::{Jws, PublicJwk, signing_input};
use consentry_core::regime::{Regime, RegionSource};
use consentry_core::session::StoredConsent;
use consentry_web::outbox::{EntryStatus, OUTBOX_KEY, Outbox, OutboxEntry};
use dom::{blob_url, document, event_loop_turn, window};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CryptoKey, CustomEvent, Event, HtmlElement, ShadowRoot, SubtleCrypto};

wasm_bindgen_test_configure!(run_in_browser);

/// Chromium refuses port 9 (ERR_UNSAFE_PORT): a POST there is a network error, no socket.
const DEAD_ENDPOINT: &str = "http://127.0.0.1:9/v1/receipts";

// ---- helpers -------------------------------------------------------------------------------

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

/// One turn of the event loop, then Yew's pending renders.
async fn tick() {
    event_loop_turn().await;
    yew::scheduler::flush().await;
}

/// Waits until `cond` holds, for at most 2000 turns of the event loop.
async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..2000 {
        if cond() {
            return;
        }
        tick().await;
    }
    panic!("never happened: {what}");
}

/// Serves `bundles` (each as its canonical JSON, or as `served` bytes when given, e.g.
/// tampered ones) and a manifest whose digests are those of the canonical JSON. Returns the
/// manifest's URL.
fn serve(default: &str, bundles: &[(&LocaleBundle, Option<Vec<u8>>)]) -> String {
    let first = bundles[0].0;
    let locales = bundles
        .iter()
        .map(|(b, served)| {
            let json = b.to_json();
            let bytes = served.clone().unwrap_or_else(|| json.clone().into_bytes());
            ManifestEntry {
                locale: b.locale.clone(),
                path: blob_url(&bytes, "application/json"),
                sha256: Sha256Digest::of(json.as_bytes()),
                dir: b.dir,
                name: b.locale.as_str().into(),
            }
        })
        .collect();
    let manifest = Manifest {
        notice_id: first.notice_id.clone(),
        version: first.version.clone(),
        default_locale: consentry_core::ids::LocaleTag::parse(default).unwrap(),
        build_time: None,
        locales,
    };
    blob_url(manifest.to_json().as_bytes(), "application/json")
}

/// The canonical JSON of `b` with one byte changed.
fn tampered(b: &LocaleBundle) -> Vec<u8> {
    let mut bytes = b.to_json().into_bytes();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    bytes
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
    // Germany unless the test says otherwise: the browser's own time zone and languages are
    // hints that would otherwise pick the rules.
    set("region", "DE");
    for (k, v) in extra {
        set(k, v);
    }
    o.into()
}

fn mount_ok(host: &HtmlElement, opts: JsValue) -> MountHandle {
    match mount(host.clone().into(), opts, None) {
        Ok(h) => h,
        Err(e) => panic!("mount failed: {:?}", JsValue::from(e)),
    }
}

fn mount_err(host: JsValue, opts: JsValue) -> String {
    let shown = js_sys::JSON::stringify(&opts)
        .map(String::from)
        .unwrap_or_default();
    match mount(host, opts, None) {
        Ok(_) => panic!("mount should have thrown for {shown}"),
        Err(e) => JsValue::from(e)
            .unchecked_into::<js_sys::Error>()
            .message()
            .into(),
    }
}

fn state(host: &HtmlElement) -> Option<String> {
    host.get_attribute("data-consentry-state")
}

async fn until_settled(host: &HtmlElement) {
    until("the widget leaves the loading state", || {
        state(host).as_deref() != Some("loading")
    })
    .await;
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

fn testid(host: &HtmlElement, id: &str) -> Option<HtmlElement> {
    let mut sel = String::from("[data-testid=\"");
    sel.push_str(id);
    sel.push_str("\"]");
    find(host, &sel)
}

fn click(host: &HtmlElement, id: &str) {
    testid(host, id)
        .unwrap_or_else(|| panic!("no {id} to click"))
        .click();
}

fn text(host: &HtmlElement) -> String {
    shadow(host).text_content().unwrap_or_default()
}

fn storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

fn forget_notice(notice: &str) {
    let s = storage();
    // The visitor's region and language picks are per site, not per notice: clear them too.
    s.remove_item("consentry:region").unwrap();
    s.remove_item("consentry:language").unwrap();
    s.remove_item(&format!("consentry:{notice}")).unwrap();
    s.remove_item(&format!("consentry:receipt:{notice}"))
        .unwrap();
}

fn stored(notice: &str) -> Option<StoredConsent> {
    storage()
        .get_item(&format!("consentry:{notice}"))
        .unwrap()
        .and_then(|s| StoredConsent::from_json(&s))
}

fn outbox() -> Outbox {
    Outbox::parse(storage().get_item(OUTBOX_KEY).unwrap().as_deref()).unwrap()
}

/// Empties the page's outbox, so a test sees only its own receipts (delivery is in order:
/// an older queued receipt for the same endpoint would be tried first).
fn fresh_outbox() {
    storage().remove_item(OUTBOX_KEY).unwrap();
}

/// Records the `consentry:*` events dispatched on a host.
struct Events {
    log: Rc<RefCell<Vec<(String, JsValue)>>>,
    _listeners: Vec<Closure<dyn FnMut(Event)>>,
}

impl Events {
    fn on(host: &HtmlElement) -> Self {
        let log = Rc::new(RefCell::new(Vec::new()));
        let mut listeners = Vec::new();
        for name in [
            "consentry:ready",
            "consentry:change",
            "consentry:receipt",
            "consentry:error",
        ] {
            let log = log.clone();
            let l = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                let detail = e.unchecked_ref::<CustomEvent>().detail();
                log.borrow_mut().push((e.type_(), detail));
            });
            host.add_event_listener_with_callback(name, l.as_ref().unchecked_ref())
                .unwrap();
            listeners.push(l);
        }
        Self {
            log,
            _listeners: listeners,
        }
    }
    fn all(&self, name: &str) -> Vec<JsValue> {
        self.log
            .borrow()
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, d)| d.clone())
            .collect()
    }
    fn position(&self, name: &str) -> Option<usize> {
        self.log.borrow().iter().position(|(n, _)| n == name)
    }
    fn receipt_position(&self, receipt_id: &str) -> Option<usize> {
        self.log.borrow().iter().position(|(n, d)| {
            n == "consentry:receipt"
                && get(d, "receiptId").as_string().as_deref() == Some(receipt_id)
        })
    }
    fn receipt_for(&self, receipt_id: &str) -> Option<JsValue> {
        self.all("consentry:receipt")
            .into_iter()
            .find(|d| get(d, "receiptId").as_string().as_deref() == Some(receipt_id))
    }
}

fn subtle() -> SubtleCrypto {
    window().crypto().unwrap().subtle()
}

fn obj(members: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in members {
        Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v)).unwrap();
    }
    o
}

async fn webcrypto_verify(jwk: &PublicJwk, signature: &[u8], data: &[u8]) -> bool {
    let key_data = obj(&[
        ("kty", "EC"),
        ("crv", "P-256"),
        ("x", &jwk.x),
        ("y", &jwk.y),
    ]);
    let alg = obj(&[("name", "ECDSA"), ("namedCurve", "P-256")]);
    let usages = Array::of1(&JsValue::from_str("verify"));
    let key: CryptoKey = JsFuture::from(
        subtle()
            .import_key_with_object("jwk", &key_data, &alg, true, &usages)
            .unwrap(),
    )
    .await
    .unwrap()
    .unchecked_into();
    let alg = obj(&[("name", "ECDSA"), ("hash", "SHA-256")]);
    JsFuture::from(
        subtle()
            .verify_with_object_and_u8_array_and_u8_array(&alg, &key, signature, data)
            .unwrap(),
    )
    .await
    .unwrap()
    .as_bool()
    .unwrap()
}

// ---- tests ---------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn banner_renders_in_the_negotiated_language() {
    forget_notice("t-lang");
    let en = common::en("t-lang");
    let zh = common::zh("t-lang");
    let url = serve("en", &[(&en, None), (&zh, None)]);
    let host = new_host();
    let handle = mount_ok(&host, options(&url, &[("language", "zh-CN")]));
    assert_eq!(state(&host).as_deref(), Some("loading"));
    until_settled(&host).await;
    assert_eq!(state(&host).as_deref(), Some("ready"));

    let banner = testid(&host, "consentry-banner").expect("the banner");
    let shown = banner.text_content().unwrap();
    assert!(shown.contains("您在支持网站上的隐私"), "{shown}");
    assert!(shown.contains("全部拒绝"), "{shown}");
    assert!(!shown.contains("Your privacy"), "{shown}");
    let root = find(&host, ".cy").unwrap();
    assert_eq!(root.get_attribute("lang").as_deref(), Some("zh-CN"));
    assert_eq!(root.get_attribute("dir").as_deref(), Some("ltr"));
    handle.unmount();
}

#[wasm_bindgen_test]
async fn a_failing_locale_falls_back_to_the_next_verified_one() {
    forget_notice("t-fallback");
    let en = common::en("t-fallback");
    let zh = common::zh("t-fallback");
    let url = serve("en", &[(&en, None), (&zh, Some(tampered(&zh)))]);
    let host = new_host();
    let handle = mount_ok(&host, options(&url, &[("language", "zh-CN")]));
    until_settled(&host).await;
    assert_eq!(state(&host).as_deref(), Some("ready"));
    let shown = text(&host);
    assert!(
        shown.contains("Your privacy on our support site"),
        "{shown}"
    );
    assert!(
        !shown.contains("隐私"),
        "tampered zh text must never show: {shown}"
    );
    assert_eq!(
        find(&host, ".cy").unwrap().get_attribute("lang").as_deref(),
        Some("en")
    );
    handle.unmount();
}

#[wasm_bindgen_test]
async fn a_digest_mismatch_renders_no_text_and_reports_an_error() {
    forget_notice("t-mismatch");
    let en = common::en("t-mismatch");
    let url = serve("en", &[(&en, Some(tampered(&en)))]);
    let host = new_host();
    let events = Events::on(&host);
    let handle = mount_ok(&host, options(&url, &[]));
    until_settled(&host).await;
    assert_eq!(state(&host).as_deref(), Some("error"));
    tick().await;
    assert_eq!(text(&host).trim(), "", "no notice text may be shown");
    assert!(testid(&host, "consentry-banner").is_none());
    let errors = events.all("consentry:error");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        get(&errors[0], "code").as_string().as_deref(),
        Some("notice_unverified")
    );
    let message = get(&errors[0], "message").as_string().unwrap();
    assert!(message.contains("SHA-256 mismatch"), "{message}");
    assert!(events.all("consentry:ready").is_empty());
    handle.unmount();
}

#[wasm_bindgen_test]
async fn reject_all_dispatches_change_at_once_and_persists_the_decision() {
    forget_notice("t-reject");
    let en = common::en("t-reject");
    let url = serve("en", &[(&en, None)]);
    let host = new_host();
    let events = Events::on(&host);
    let handle = mount_ok(&host, options(&url, &[]));
    until_settled(&host).await;
    let ready = events.all("consentry:ready");
    assert_eq!(ready.len(), 1);
    assert_eq!(get(&ready[0], "decided").as_bool(), Some(false));

    click(&host, "consentry-reject-all");
    yew::scheduler::flush().await;

    let changes = events.all("consentry:change");
    assert_eq!(changes.len(), 1, "one change event, right after the click");
    let d = &changes[0];
    let decisions = get(d, "decisions");
    assert_eq!(get(&decisions, "service-delivery").as_bool(), Some(true));
    assert_eq!(get(&decisions, "chat-transcript").as_bool(), Some(false));
    assert_eq!(get(&decisions, "marketing").as_bool(), Some(false));
    assert_eq!(get(d, "method").as_string().as_deref(), Some("reject_all"));
    assert_eq!(get(d, "noticeId").as_string().as_deref(), Some("t-reject"));
    assert_eq!(get(d, "version").as_string().as_deref(), Some("2026.11.1"));
    assert_eq!(get(d, "locale").as_string().as_deref(), Some("en"));
    assert_eq!(get(d, "regime").as_string().as_deref(), Some("eu-gdpr"));
    let receipt_id = get(d, "receiptId").as_string().unwrap();
    assert!(receipt_id.starts_with("urn:uuid:"), "{receipt_id}");

    let st = stored("t-reject").expect("the decision in localStorage");
    assert_eq!(st.version, "2026.11.1");
    let mut choices: Vec<(String, bool)> = st
        .choices
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), *v))
        .collect();
    choices.sort();
    assert_eq!(
        choices,
        [
            ("chat-transcript".to_owned(), false),
            ("marketing".to_owned(), false),
            ("service-delivery".to_owned(), true)
        ]
    );
    assert!(testid(&host, "consentry-banner").is_none());
    assert!(testid(&host, "consentry-privacy-settings").is_some());
    let status = find(&host, "[role=status]")
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(status.trim(), "Your choices have been saved.");

    // The receipt follows; the change event came first, without waiting for it.
    until("the receipt outcome", || {
        events.receipt_for(&receipt_id).is_some()
    })
    .await;
    // (Other receipts may be reported on this host too: queued ones are resent on mount.)
    assert!(
        events.position("consentry:change").unwrap()
            < events.receipt_position(&receipt_id).unwrap()
    );
    let r = events.receipt_for(&receipt_id).unwrap();
    assert_eq!(get(&r, "status").as_string().as_deref(), Some("queued"));
    assert!(get(&r, "httpStatus").is_null());
    // The chain moved on when the receipt was built, although the POST failed.
    let st = stored("t-reject").unwrap();
    assert_eq!(
        st.last_receipt_id.as_ref().map(|i| i.as_str()),
        Some(receipt_id.as_str())
    );
    assert_eq!(st.seq, 0);
    handle.unmount();
}

#[wasm_bindgen_test]
async fn a_second_mount_restores_the_decision_and_resends_the_outbox() {
    forget_notice("t-restore");
    fresh_outbox();
    let en = common::en("t-restore");
    let url = serve("en", &[(&en, None)]);
    let host = new_host();
    let events = Events::on(&host);
    let first = mount_ok(&host, options(&url, &[]));
    until_settled(&host).await;
    click(&host, "consentry-accept-all");
    yew::scheduler::flush().await;
    let receipt_id = get(&events.all("consentry:change")[0], "receiptId")
        .as_string()
        .unwrap();
    until("the first delivery attempt", || {
        events.receipt_for(&receipt_id).is_some()
    })
    .await;
    let tried = outbox().get(&receipt_id).unwrap().attempts;
    assert!(tried >= 1, "tried at once");
    first.unmount();

    // A new mount (as after a reload): no banner, the privacy-settings button instead.
    let host2 = new_host();
    let events2 = Events::on(&host2);
    let second = mount_ok(&host2, options(&url, &[]));
    until_settled(&host2).await;
    assert!(testid(&host2, "consentry-banner").is_none());
    assert!(testid(&host2, "consentry-privacy-settings").is_some());
    let ready = &events2.all("consentry:ready")[0];
    assert_eq!(get(ready, "decided").as_bool(), Some(true));
    assert_eq!(
        get(&get(ready, "decisions"), "marketing").as_bool(),
        Some(true)
    );
    // The queued envelope was sent again on this mount, and is still kept.
    until("the resend", || events2.receipt_for(&receipt_id).is_some()).await;
    let entry = outbox().get(&receipt_id).cloned().unwrap();
    assert_eq!(entry.status, EntryStatus::Queued);
    assert!(entry.attempts > tried, "tried again on this mount");

    // Mounting again on the same element replaces the earlier mount, never duplicates it.
    let third = mount_ok(&host2, options(&url, &[]));
    until_settled(&host2).await;
    assert!(!second.mounted());
    assert!(third.mounted());
    assert_eq!(
        shadow(&host2)
            .query_selector_all(".cy-mount")
            .unwrap()
            .length(),
        1
    );
    assert_eq!(
        shadow(&host2)
            .query_selector_all("[data-testid=consentry-privacy-settings]")
            .unwrap()
            .length(),
        1
    );
    third.unmount();

    // A new notice version asks again.
    let mut v2 = en.clone();
    v2.version = "2026.12.1".into();
    let url2 = serve("en", &[(&v2, None)]);
    let host3 = new_host();
    let fourth = mount_ok(&host3, options(&url2, &[]));
    until_settled(&host3).await;
    assert!(
        testid(&host3, "consentry-banner").is_some(),
        "stale consent re-prompts"
    );
    fourth.unmount();
}

#[wasm_bindgen_test]
async fn the_device_key_is_non_extractable_and_the_envelope_verifies() {
    forget_notice("t-sign");
    let en = common::en("t-sign");
    let url = serve("en", &[(&en, None)]);
    let host = new_host();
    let events = Events::on(&host);
    // California: nothing that rests on consent is on before a yes, here either.
    let handle = mount_ok(&host, options(&url, &[("region", "us-ca")]));
    until_settled(&host).await;
    click(&host, "consentry-open-settings");
    yew::scheduler::flush().await;
    let chat = testid(&host, "consentry-purpose-chat-transcript").unwrap();
    assert_eq!(chat.get_attribute("aria-checked").as_deref(), Some("false"));
    chat.click();
    yew::scheduler::flush().await;
    click(&host, "consentry-save");
    yew::scheduler::flush().await;
    let change = &events.all("consentry:change")[0];
    assert_eq!(
        get(change, "regime").as_string().as_deref(),
        Some("us-ca-ccpa")
    );
    let receipt_id = get(change, "receiptId").as_string().unwrap();
    until("the receipt outcome", || {
        events.receipt_for(&receipt_id).is_some()
    })
    .await;

    // The envelope is in the outbox (the POST failed) and is the latest receipt.
    let entry = outbox()
        .get(&receipt_id)
        .cloned()
        .expect("the envelope in the outbox");
    assert_eq!(entry.status, EntryStatus::Queued);
    // The latest receipt is kept as "<receipt id>\n<envelope>", for "download my receipt".
    let latest = storage()
        .get_item("consentry:receipt:t-sign")
        .unwrap()
        .unwrap();
    assert_eq!(
        latest.split_once('\n'),
        Some((receipt_id.as_str(), entry.envelope.as_str()))
    );
    let jws = Jws::from_json(entry.envelope.as_bytes()).unwrap();
    assert_eq!(jws.signatures.len(), 1);
    let sig = &jws.signatures[0];
    let header = json::parse(&b64url_decode(&sig.protected).unwrap()).unwrap();
    assert_eq!(header.get("alg").and_then(Value::as_str), Some("ES256"));
    assert_eq!(
        header.get("typ").and_then(Value::as_str),
        Some("consentry-receipt+jws")
    );
    let jwk = PublicJwk::from_value(header.get("jwk").unwrap()).unwrap();
    assert_eq!(
        header.get("kid").and_then(Value::as_str),
        Some(jwk.thumbprint().as_str())
    );

    // The payload: what was decided, where, under which notice text.
    let payload = b64url_decode(&jws.payload).unwrap();
    let receipt = Receipt::from_value(&json::parse(&payload).unwrap()).unwrap();
    assert_eq!(receipt.payload_bytes(), payload, "the payload is canonical");
    assert_eq!(receipt.receipt_id.as_str(), receipt_id);
    assert_eq!(receipt.subject, jwk.thumbprint());
    assert_eq!(
        receipt.notice.sha256,
        Sha256Digest::of(en.to_json().as_bytes())
    );
    assert_eq!(receipt.jurisdiction.regime, Regime::Ccpa);
    assert_eq!(receipt.jurisdiction.determined_by, RegionSource::SiteOption);
    assert_eq!(
        receipt.jurisdiction.region.as_ref().map(|r| r.as_str()),
        Some("US-CA")
    );
    assert_eq!(receipt.event.channel.as_str(), "web_settings");
    assert_eq!(receipt.event.interaction.as_str(), "save_choices");
    let states: Vec<(&str, &str)> = receipt
        .decisions
        .iter()
        .map(|d| (d.purpose_id.as_str(), d.state.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("service-delivery", "not_applicable"),
            // Legitimate interests under California's law alone (the fixture's basis there):
            // switched on, it is "not objected", not consent.
            ("chat-transcript", "not_objected"),
            ("marketing", "refused")
        ]
    );

    // The signature verifies with WebCrypto under the embedded public key, and only over the
    // exact bytes.
    let signature = b64url_decode(&sig.signature).unwrap();
    assert_eq!(signature.len(), 64);
    let input = signing_input(&sig.protected, &jws.payload);
    assert!(webcrypto_verify(&jwk, &signature, input.as_bytes()).await);
    let mut flipped = input.clone().into_bytes();
    flipped[input.len() - 3] ^= 0x01;
    assert!(!webcrypto_verify(&jwk, &signature, &flipped).await);

    // The key pair in IndexedDB: a non-extractable private key whose public half is the one
    // in the header.
    let db = idb::open().await.unwrap();
    let pair = idb::get(&db, "device").await.unwrap();
    db.close();
    let private: CryptoKey = get(&pair, "privateKey").dyn_into().unwrap();
    let public: CryptoKey = get(&pair, "publicKey").dyn_into().unwrap();
    assert!(
        !private.extractable(),
        "the device key must be non-extractable"
    );
    assert_eq!(private.type_(), "private");
    let exported = JsFuture::from(subtle().export_key("jwk", &public).unwrap())
        .await
        .unwrap();
    assert_eq!(get(&exported, "x").as_string(), Some(jwk.x.clone()));
    assert_eq!(get(&exported, "y").as_string(), Some(jwk.y.clone()));
    assert!(
        JsFuture::from(subtle().export_key("jwk", &private).unwrap())
            .await
            .is_err(),
        "exporting the private key must fail"
    );
    handle.unmount();
}

#[wasm_bindgen_test]
async fn settings_take_focus_close_on_escape_and_reopen_through_the_api() {
    forget_notice("t-focus");
    let en = common::en("t-focus");
    let url = serve("en", &[(&en, None)]);
    let host = new_host();
    let events = Events::on(&host);
    let handle = mount_ok(&host, options(&url, &[]));
    until_settled(&host).await;

    let opener = testid(&host, "consentry-open-settings").unwrap();
    opener.focus().unwrap();
    opener.click();
    yew::scheduler::flush().await;
    let dialog = testid(&host, "consentry-settings").expect("the settings dialog");
    assert!(dialog.has_attribute("open"), "opened modally");
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let active = shadow(&host)
        .active_element()
        .expect("focus inside the widget");
    assert!(
        active.is_same_node(Some(&dialog)),
        "focus moved into the dialog"
    );

    // The required switch cannot be turned off; an optional one flips.
    let required = testid(&host, "consentry-purpose-service-delivery").unwrap();
    assert!(required.has_attribute("disabled"));
    required.click();
    yew::scheduler::flush().await;
    assert_eq!(
        required.get_attribute("aria-checked").as_deref(),
        Some("true")
    );
    let chat = testid(&host, "consentry-purpose-chat-transcript").unwrap();
    assert_eq!(chat.get_attribute("aria-checked").as_deref(), Some("false"));
    chat.click();
    yew::scheduler::flush().await;
    assert_eq!(chat.get_attribute("aria-checked").as_deref(), Some("true"));

    // Esc closes without deciding; focus returns to the opener.
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let esc = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    dialog.dispatch_event(&esc).unwrap();
    yew::scheduler::flush().await;
    assert!(testid(&host, "consentry-settings").is_none());
    assert!(
        events.all("consentry:change").is_empty(),
        "closing is not a decision"
    );
    let active = shadow(&host)
        .active_element()
        .expect("focus back in the widget");
    assert!(
        active.is_same_node(Some(&opener)),
        "focus returned to the opener"
    );

    // `show()` reopens the settings, with the switches back to what is in force.
    handle.show();
    tick().await;
    assert!(testid(&host, "consentry-settings").is_some());
    assert_eq!(
        testid(&host, "consentry-purpose-chat-transcript")
            .unwrap()
            .get_attribute("aria-checked")
            .as_deref(),
        Some("false")
    );
    click(&host, "consentry-close");
    yew::scheduler::flush().await;
    assert!(testid(&host, "consentry-settings").is_none());
    handle.unmount();
}

#[wasm_bindgen_test]
async fn unmount_leaves_no_widget_dom() {
    forget_notice("t-unmount");
    let en = common::en("t-unmount");
    let url = serve("en", &[(&en, None)]);
    let host = new_host();
    let handle = mount_ok(&host, options(&url, &[]));
    until_settled(&host).await;
    assert!(testid(&host, "consentry-banner").is_some());
    handle.unmount();
    tick().await;
    assert_eq!(shadow(&host).child_element_count(), 0);
    assert_eq!(shadow(&host).inner_html(), "");
    assert_eq!(state(&host), None);
    assert!(!handle.mounted());
    handle.unmount();
    handle.show();
    tick().await;
    assert_eq!(shadow(&host).child_element_count(), 0);
}

#[wasm_bindgen_test]
async fn bad_mount_input_throws_clear_errors() {
    let url = serve("en", &[(&common::en("t-bad"), None)]);
    let host: JsValue = new_host().into();
    let msg = mount_err(JsValue::NULL, options(&url, &[]));
    assert!(msg.contains("HTMLElement"), "{msg}");
    let msg = mount_err(host.clone(), JsValue::from_str("manifest.json"));
    assert!(msg.contains("options must be an object"), "{msg}");
    let msg = mount_err(host.clone(), obj(&[("endpoint", "/v1/receipts")]).into());
    assert!(msg.contains("`manifestUrl` is required"), "{msg}");
    let msg = mount_err(
        host.clone(),
        options(&url, &[("endpoint", "javascript:alert(1)")]),
    );
    assert!(msg.contains("must be an http: or https: URL"), "{msg}");
    let msg = mount_err(
        host.clone(),
        options(&url, &[("endpoint", "http://[::1/receipts")]),
    );
    assert!(msg.contains("is not a valid URL"), "{msg}");
    let msg = mount_err(host.clone(), options("data:application/json,{}", &[]));
    assert!(msg.contains("manifestUrl"), "{msg}");
    let msg = mount_err(host.clone(), options(&url, &[("manifestURL", "/x")]));
    assert!(msg.contains("unknown option `manifestURL`"), "{msg}");
    let msg = mount_err(host.clone(), options(&url, &[("region", "Germany")]));
    assert!(msg.contains("region"), "{msg}");
    let msg = mount_err(
        host.clone(),
        options(&url, &[("language", "english please")]),
    );
    assert!(msg.contains("language"), "{msg}");
    let bad_type = options(&url, &[]);
    Reflect::set(
        &bad_type,
        &JsValue::from_str("language"),
        &JsValue::from_f64(5.0),
    )
    .unwrap();
    let msg = mount_err(host.clone(), bad_type);
    assert!(msg.contains("`language` must be a string"), "{msg}");
    let msg = mount_err(host.clone(), options(&url, &[("edgeRegion", "Germany")]));
    assert!(msg.contains("`edgeRegion`"), "{msg}");
    for bad in [0.0, 1.5, 4000.0, f64::NAN] {
        let o = options(&url, &[]);
        Reflect::set(
            &o,
            &JsValue::from_str("expiryDays"),
            &JsValue::from_f64(bad),
        )
        .unwrap();
        let msg = mount_err(host.clone(), o);
        assert!(
            msg.contains("`expiryDays` must be a whole number"),
            "{bad}: {msg}"
        );
    }
    // Nothing was mounted by the failures.
    let el: HtmlElement = host.unchecked_into();
    assert!(el.shadow_root().is_none());
    assert_eq!(state(&el), None);

    // A relative URL resolves against document.baseURI and mounts.
    let relative = options("notice/manifest.json", &[("endpoint", "/v1/receipts")]);
    let handle = mount_ok(&el, relative);
    assert_eq!(state(&el).as_deref(), Some("loading"));
    handle.unmount();
    // A CDN's "unknown country" value is not an error, just no information.
    mount_ok(&el, options(&url, &[("edgeRegion", "XX")])).unmount();
}

#[wasm_bindgen_test]
async fn a_4xx_answer_marks_the_receipt_rejected_and_keeps_it() {
    forget_notice("t-rejected");
    let en = common::en("t-rejected");
    let url = serve("en", &[(&en, None)]);
    let host = new_host();
    let events = Events::on(&host);
    // A real HTTP answer from the test page's own server: no receipt service at this path.
    let opts = options(&url, &[("endpoint", "/__consentry_no_receipt_service__")]);
    let handle = mount_ok(&host, opts);
    until_settled(&host).await;
    click(&host, "consentry-accept-all");
    yew::scheduler::flush().await;
    let receipt_id = get(&events.all("consentry:change")[0], "receiptId")
        .as_string()
        .unwrap();
    until("the receipt outcome", || {
        events.receipt_for(&receipt_id).is_some()
    })
    .await;
    let r = events.receipt_for(&receipt_id).unwrap();
    let status = get(&r, "httpStatus").as_f64().unwrap() as u16;
    assert!((400..500).contains(&status), "expected a 4xx, got {status}");
    assert_eq!(get(&r, "status").as_string().as_deref(), Some("rejected"));
    assert_eq!(
        get(&r, "code").as_string(),
        Some(format!("http_{status}")),
        "no JSON error body: the status stands in for the code"
    );
    let entry = outbox()
        .get(&receipt_id)
        .cloned()
        .expect("a rejected receipt is kept");
    assert_eq!(entry.status, EntryStatus::Rejected);
    assert_eq!(entry.http_status, Some(status));
    handle.unmount();

    // A later mount resends queued receipts only. A queued marker entry placed after the
    // rejected one shows when the resend pass has gone past it.
    let marker = "urn:uuid:00000000-0000-4000-8000-0000000000aa";
    let mut o = outbox();
    o.upsert(OutboxEntry {
        receipt_id: marker.into(),
        envelope: "{}".into(),
        status: EntryStatus::Queued,
        queued_at: 0,
        attempts: 0,
        http_status: None,
        code: None,
        // An endpoint stored with an entry is never used (storage is the page's to
        // rewrite): the entry goes where the mount says.
        endpoint: Some("https://elsewhere.example/v1/receipts".into()),
    });
    storage().set_item(OUTBOX_KEY, &o.to_json()).unwrap();
    let host2 = new_host();
    let events2 = Events::on(&host2);
    // Its own endpoint (a real 4xx from the test page's server), so no queued receipt of
    // another test for a dead endpoint holds it back.
    let again = mount_ok(
        &host2,
        options(&url, &[("endpoint", "/__consentry_marker__")]),
    );
    until("the resend pass reaches the marker", || {
        events2.receipt_for(marker).is_some()
    })
    .await;
    assert!(
        events2.receipt_for(&receipt_id).is_none(),
        "rejected receipts are not resent"
    );
    let kept = outbox().get(&receipt_id).cloned().unwrap();
    assert_eq!((kept.status, kept.attempts), (EntryStatus::Rejected, 1));
    again.unmount();
}

fn num(v: &JsValue, key: &str) -> Option<f64> {
    get(v, key).as_f64()
}

fn set_online(on: bool) {
    let desc = Object::new();
    Reflect::set(&desc, &JsValue::from_str("value"), &JsValue::from_bool(on)).unwrap();
    Reflect::set(&desc, &JsValue::from_str("configurable"), &JsValue::TRUE).unwrap();
    Reflect::define_property(
        window().navigator().unchecked_ref::<Object>(),
        &JsValue::from_str("onLine"),
        &desc,
    )
    .unwrap();
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_retried_with_growing_jittered_backoff_while_the_page_stays_open()
{
    forget_notice("t-retry");
    fresh_outbox();
    let en = common::en("t-retry");
    let url = serve("en", &[(&en, None)]);
    let host = new_host();
    let events = Events::on(&host);
    // Its own (dead) endpoint: receipts of other tests for the shared one go first in order.
    let endpoint = [("endpoint", "http://127.0.0.1:9/t-retry")];
    let handle = mount_ok(&host, options(&url, &endpoint));
    until_settled(&host).await;
    click(&host, "consentry-reject-all");
    yew::scheduler::flush().await;
    let receipt_id = get(&events.all("consentry:change")[0], "receiptId")
        .as_string()
        .unwrap();
    let outcomes = || -> Vec<JsValue> {
        events
            .all("consentry:receipt")
            .into_iter()
            .filter(|d| get(d, "receiptId").as_string().as_deref() == Some(&receipt_id))
            .collect()
    };
    // Without any further mount or click, the page tries again, and again.
    until("three delivery attempts", || outcomes().len() >= 3).await;
    let seen = outcomes();
    for (i, d) in seen.iter().take(3).enumerate() {
        assert_eq!(get(d, "status").as_string().as_deref(), Some("queued"));
        assert_eq!(get(d, "httpStatus"), JsValue::NULL, "no answer at all");
        assert_eq!(get(d, "offline").as_bool(), Some(false));
        let attempts = num(d, "attempts").unwrap();
        assert!(attempts >= (i + 1) as f64, "attempt {i}: {attempts}");
        // Full jitter within a window that doubles: ≤ 1 s, ≤ 2 s, ≤ 4 s, … (60 s cap).
        let retry = num(d, "retryInMs").expect("a retry is scheduled");
        let window = f64::from(consentry_web::outbox::retry_delay(
            i as u32 + 1,
            0.999_999_9,
        )) + 1.0;
        assert!(
            (0.0..=window).contains(&retry),
            "attempt {i}: {retry} ms > {window}"
        );
    }
    assert!(num(&seen[2], "attempts") > num(&seen[0], "attempts"));
    let entry = outbox().get(&receipt_id).cloned().unwrap();
    assert_eq!(entry.status, EntryStatus::Queued, "kept for later");
    assert!(entry.attempts >= 3);
    handle.unmount();
    fresh_outbox();
}

#[wasm_bindgen_test]
async fn offline_pauses_delivery_until_the_online_event() {
    forget_notice("t-offline");
    fresh_outbox();
    let en = common::en("t-offline");
    let url = serve("en", &[(&en, None)]);
    let host = new_host();
    let events = Events::on(&host);
    set_online(false);
    let endpoint = [("endpoint", "http://127.0.0.1:9/t-offline")];
    let handle = mount_ok(&host, options(&url, &endpoint));
    until_settled(&host).await;
    click(&host, "consentry-accept-all");
    yew::scheduler::flush().await;
    let receipt_id = get(&events.all("consentry:change")[0], "receiptId")
        .as_string()
        .unwrap();
    until("the queued outcome", || {
        events.receipt_for(&receipt_id).is_some()
    })
    .await;
    let d = events.receipt_for(&receipt_id).unwrap();
    assert_eq!(get(&d, "status").as_string().as_deref(), Some("queued"));
    assert_eq!(get(&d, "offline").as_bool(), Some(true));
    assert_eq!(
        get(&d, "retryInMs"),
        JsValue::NULL,
        "no timer while offline"
    );
    assert_eq!(num(&d, "attempts"), Some(0.0), "nothing was sent");
    // Many turns of the event loop later, still nothing sent.
    for _ in 0..50 {
        tick().await;
    }
    assert_eq!(outbox().get(&receipt_id).unwrap().attempts, 0);

    // Back online: delivery resumes at once.
    set_online(true);
    window()
        .dispatch_event(&Event::new("online").unwrap())
        .unwrap();
    until("an attempt after the online event", || {
        outbox().get(&receipt_id).is_some_and(|e| e.attempts >= 1)
    })
    .await;
    handle.unmount();
    Reflect::delete_property(
        window().navigator().unchecked_ref::<Object>(),
        &JsValue::from_str("onLine"),
    )
    .unwrap();
    fresh_outbox();
}

// ---- regimes, layers, languages ------------------------------------------------------------

/// The receipt payload of an envelope kept in the outbox.
fn outbox_receipt(receipt_id: &str) -> Receipt {
    let entry = outbox()
        .get(receipt_id)
        .cloned()
        .expect("the envelope in the outbox");
    let jws = Jws::from_json(entry.envelope.as_bytes()).unwrap();
    let payload = b64url_decode(&jws.payload).unwrap();
    Receipt::from_value(&json::parse(&payload).unwrap()).unwrap()
}

/// The receipt of the change event `change`, once it has been built and queued.
async fn receipt_of(events: &Events, change: &JsValue) -> Receipt {
    let receipt_id = get(change, "receiptId").as_string().unwrap();
    until("the receipt outcome", || {
        events.receipt_for(&receipt_id).is_some()
    })
    .await;
    outbox_receipt(&receipt_id)
}

fn set_select(host: &HtmlElement, id: &str, value: &str) {
    let el = testid(host, id).unwrap_or_else(|| panic!("no {id}"));
    Reflect::set(&el, &JsValue::from_str("value"), &JsValue::from_str(value)).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

fn optional_decisions(d: &JsValue) -> Vec<(String, bool)> {
    let decisions = get(d, "decisions");
    ["chat-transcript", "marketing"]
        .iter()
        .map(|k| ((*k).to_owned(), get(&decisions, k).as_bool().unwrap()))
        .collect()
}

#[wasm_bindgen_test]
async fn the_edge_region_picks_the_rules_and_the_visitor_can_correct_them() {
    forget_notice("t-region");
    let en = common::en("t-region");
    let url = serve("en", &[(&en, None)]);
    let host = new_host();
    let events = Events::on(&host);
    let o = options(&url, &[("edgeRegion", "US-CA")]);
    Reflect::delete_property(o.unchecked_ref::<Object>(), &JsValue::from_str("region")).unwrap();
    let handle = mount_ok(&host, o);
    until_settled(&host).await;
    let ready = &events.all("consentry:ready")[0];
    assert_eq!(
        get(ready, "regime").as_string().as_deref(),
        Some("us-ca-ccpa")
    );
    assert_eq!(get(ready, "region").as_string().as_deref(), Some("US-CA"));
    assert_eq!(
        get(ready, "determinedBy").as_string().as_deref(),
        Some("edge_header")
    );
    assert_eq!(
        host.get_attribute("data-consentry-regime").as_deref(),
        Some("us-ca-ccpa")
    );
    // Under CCPA too, nothing that rests on consent is on before a decision.
    assert_eq!(
        optional_decisions(ready),
        [
            ("chat-transcript".to_owned(), false),
            ("marketing".to_owned(), false)
        ]
    );

    // The visitor says they are in Germany: the rules, defaults and record follow.
    click(&host, "consentry-open-notice");
    yew::scheduler::flush().await;
    assert!(testid(&host, "consentry-notice").is_some());
    set_select(&host, "consentry-region", "DE");
    until("ready again under the corrected rules", || {
        events.all("consentry:ready").len() == 2
    })
    .await;
    let ready = &events.all("consentry:ready")[1];
    assert_eq!(get(ready, "regime").as_string().as_deref(), Some("eu-gdpr"));
    assert_eq!(
        get(ready, "determinedBy").as_string().as_deref(),
        Some("user_selection")
    );
    assert_eq!(
        optional_decisions(ready),
        [
            ("chat-transcript".to_owned(), false),
            ("marketing".to_owned(), false)
        ]
    );
    assert_eq!(
        storage().get_item("consentry:region").unwrap().as_deref(),
        Some("DE")
    );
    assert!(text(&host).contains("chosen by you"), "{}", text(&host));
    click(&host, "consentry-close");
    yew::scheduler::flush().await;
    click(&host, "consentry-reject-all");
    yew::scheduler::flush().await;
    let r = receipt_of(&events, &events.all("consentry:change")[0]).await;
    assert_eq!(r.jurisdiction.regime, Regime::Gdpr);
    assert_eq!(r.jurisdiction.determined_by, RegionSource::UserSelection);
    assert_eq!(
        r.jurisdiction.region.as_ref().map(|x| x.as_str()),
        Some("DE")
    );
    handle.unmount();

    // The correction is remembered by the next mount, over the edge value.
    let host = new_host();
    let events = Events::on(&host);
    let handle = mount_ok(&host, options(&url, &[("edgeRegion", "US-CA")]));
    until_settled(&host).await;
    let ready = &events.all("consentry:ready")[0];
    assert_eq!(
        get(ready, "determinedBy").as_string().as_deref(),
        Some("user_selection")
    );
    handle.unmount();
    forget_notice("t-region");
}

#[wasm_bindgen_test]
async fn pipl_asks_for_cross_border_transfer_in_a_separate_act_with_its_own_receipt() {
    forget_notice("t-pipl");
    let mut zh = common::zh("t-pipl");
    zh.purposes[1].separate_consent = true; // chat-transcript stands in for the transfer
    let url = serve("zh-CN", &[(&zh, None)]);
    let host = new_host();
    let events = Events::on(&host);
    let handle = mount_ok(&host, options(&url, &[("region", "CN")]));
    until_settled(&host).await;

    // A parent decides for a child under 14.
    let guardian = testid(&host, "consentry-guardian").expect("the guardian box under PIPL");
    guardian.click();
    yew::scheduler::flush().await;
    click(&host, "consentry-accept-all");
    yew::scheduler::flush().await;

    // "Accept all" did not include the purposes that need separate consent (the transcript,
    // flagged, and marketing, which is sent abroad); their own steps open one by one.
    let first = &events.all("consentry:change")[0];
    assert_eq!(
        optional_decisions(first),
        [
            ("chat-transcript".to_owned(), false),
            ("marketing".to_owned(), false)
        ]
    );
    let step = testid(&host, "consentry-separate").expect("the separate consent step");
    assert!(step.has_attribute("open"));
    assert!(
        shadow(&host)
            .active_element()
            .unwrap()
            .is_same_node(Some(&step)),
        "focus moved into the step"
    );
    assert!(
        testid(&host, "consentry-separate-purpose")
            .unwrap()
            .text_content()
            .unwrap()
            .contains("保存聊天记录")
    );
    click(&host, "consentry-agree");
    yew::scheduler::flush().await;
    let second = &events.all("consentry:change")[1];
    assert_eq!(
        get(second, "method").as_string().as_deref(),
        Some("separate_consent")
    );
    assert_eq!(
        optional_decisions(second),
        [
            ("chat-transcript".to_owned(), true),
            ("marketing".to_owned(), false)
        ]
    );
    // The next step asks about marketing; "I do not agree" is a recorded refusal.
    assert!(
        testid(&host, "consentry-separate-purpose")
            .unwrap()
            .text_content()
            .unwrap()
            .contains("通过电子邮件发送产品资讯")
    );
    click(&host, "consentry-disagree");
    yew::scheduler::flush().await;
    assert!(testid(&host, "consentry-separate").is_none());
    let third = &events.all("consentry:change")[2];
    assert_eq!(
        optional_decisions(third),
        [
            ("chat-transcript".to_owned(), true),
            ("marketing".to_owned(), false)
        ]
    );

    let r1 = receipt_of(&events, first).await;
    let r2 = receipt_of(&events, second).await;
    let r3 = receipt_of(&events, third).await;
    assert_eq!(r1.jurisdiction.regime, Regime::Pipl);
    for r in [&r1, &r2, &r3] {
        assert_eq!(
            r.indicated_by,
            consentry_core::receipt::IndicatedBy::Guardian
        );
    }
    assert_eq!(
        r2.event.interaction,
        consentry_core::receipt::Interaction::SeparateConsent
    );
    assert_eq!(
        r2.decisions[1].state,
        consentry_core::receipt::DecisionState::Given
    );
    assert!(r2.decisions[1].separate_consent);
    assert_eq!(r2.chain.prev.as_ref().map(|p| &p.0), Some(&r1.receipt_id));
    assert_eq!(
        r3.decisions[2].state,
        consentry_core::receipt::DecisionState::Refused
    );

    // In settings the separate purpose is withdrawn on its own, at once.
    click(&host, "consentry-privacy-settings");
    yew::scheduler::flush().await;
    let sw = testid(&host, "consentry-purpose-chat-transcript").unwrap();
    assert_eq!(sw.get_attribute("aria-checked").as_deref(), Some("true"));
    sw.click();
    yew::scheduler::flush().await;
    let fourth = &events.all("consentry:change")[3];
    assert_eq!(
        get(fourth, "method").as_string().as_deref(),
        Some("withdraw")
    );
    assert_eq!(
        optional_decisions(fourth),
        [
            ("chat-transcript".to_owned(), false),
            ("marketing".to_owned(), false)
        ]
    );
    handle.unmount();
}

#[wasm_bindgen_test]
async fn gpc_in_california_holds_what_is_sold_and_only_a_two_step_opt_in_lifts_it() {
    forget_notice("t-gpc");
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
    let en = common::en("t-gpc");
    let url = serve("en", &[(&en, None)]);
    let host = new_host();
    let events = Events::on(&host);
    let handle = mount_ok(&host, options(&url, &[("region", "US-CA")]));
    until_settled(&host).await;
    let ready = &events.all("consentry:ready")[0];
    assert_eq!(get(ready, "gpc").as_bool(), Some(true));
    assert_eq!(
        optional_decisions(ready),
        [
            ("chat-transcript".to_owned(), false),
            ("marketing".to_owned(), false)
        ],
        "nothing on before a click; what is sold or shared is held off by the signal"
    );
    assert!(
        testid(&host, "consentry-gpc").is_some(),
        "shown as honoured"
    );

    click(&host, "consentry-accept-all");
    yew::scheduler::flush().await;
    let change = &events.all("consentry:change")[0];
    assert_eq!(
        optional_decisions(change),
        [
            ("chat-transcript".to_owned(), true),
            ("marketing".to_owned(), false)
        ],
        "accept all does not undo the signal"
    );
    let r = receipt_of(&events, change).await;
    assert!(r.gpc && r.gpc_honoured && r.gpc_opt_ins.is_empty());
    assert_eq!(r.jurisdiction.regime, Regime::Ccpa);

    // Step 1: the held switch leads to the explanation; "I do not agree" decides nothing.
    click(&host, "consentry-privacy-settings");
    yew::scheduler::flush().await;
    let marketing = testid(&host, "consentry-purpose-marketing").unwrap();
    assert_eq!(
        marketing.get_attribute("aria-checked").as_deref(),
        Some("false")
    );
    marketing.click();
    yew::scheduler::flush().await;
    assert!(
        testid(&host, "consentry-gpc-opt-in").is_some(),
        "the opt-in step"
    );
    click(&host, "consentry-disagree");
    yew::scheduler::flush().await;
    assert!(
        testid(&host, "consentry-settings").is_some(),
        "back in the settings"
    );
    assert_eq!(events.all("consentry:change").len(), 1, "nothing decided");

    // Step 2: "I agree" grants it, as its own recorded act, and returns to the settings.
    click(&host, "consentry-purpose-marketing");
    yew::scheduler::flush().await;
    click(&host, "consentry-agree");
    yew::scheduler::flush().await;
    let change = &events.all("consentry:change")[1];
    assert_eq!(
        get(change, "method").as_string().as_deref(),
        Some("gpc_opt_in")
    );
    assert_eq!(
        optional_decisions(change),
        [
            ("chat-transcript".to_owned(), true),
            ("marketing".to_owned(), true)
        ]
    );
    assert_eq!(
        testid(&host, "consentry-purpose-marketing")
            .unwrap()
            .get_attribute("aria-checked")
            .as_deref(),
        Some("true")
    );
    let r = receipt_of(&events, change).await;
    assert_eq!(
        r.event.interaction,
        consentry_core::receipt::Interaction::GpcOptIn
    );
    assert_eq!(
        r.gpc_opt_ins,
        [consentry_core::ids::PurposeId::parse("marketing").unwrap()]
    );
    assert!(r.gpc_honoured);
    handle.unmount();

    // The opt-in is remembered on this device ...
    let host = new_host();
    let events = Events::on(&host);
    let handle = mount_ok(&host, options(&url, &[("region", "US-CA")]));
    until_settled(&host).await;
    assert_eq!(
        optional_decisions(&events.all("consentry:ready")[0]),
        [
            ("chat-transcript".to_owned(), true),
            ("marketing".to_owned(), true)
        ]
    );
    // ... until it is turned off; then accept all cannot bring it back.
    handle.withdraw(Some("marketing".into())).unwrap();
    tick().await;
    click(&host, "consentry-privacy-settings");
    yew::scheduler::flush().await;
    click(&host, "consentry-accept-all");
    yew::scheduler::flush().await;
    let changes = events.all("consentry:change");
    assert_eq!(
        optional_decisions(&changes[1]),
        [
            ("chat-transcript".to_owned(), true),
            ("marketing".to_owned(), false)
        ]
    );
    handle.unmount();
    Reflect::delete_property(
        nav.unchecked_ref::<Object>(),
        &JsValue::from_str("globalPrivacyControl"),
    )
    .unwrap();
}

#[wasm_bindgen_test]
async fn the_language_switcher_loads_a_verified_locale_and_remembers_it() {
    forget_notice("t-switch");
    let en = common::en("t-switch");
    let zh = common::zh("t-switch");
    let url = serve("en", &[(&en, None), (&zh, None)]);
    let host = new_host();
    let events = Events::on(&host);
    let handle = mount_ok(&host, options(&url, &[("language", "en")]));
    until_settled(&host).await;
    assert!(text(&host).contains("Your privacy on our support site"));
    set_select(&host, "consentry-language", "zh-CN");
    until("the Chinese text", || {
        text(&host).contains("您在支持网站上的隐私")
    })
    .await;
    assert_eq!(
        find(&host, ".cy").unwrap().get_attribute("lang").as_deref(),
        Some("zh-CN")
    );
    assert_eq!(
        storage().get_item("consentry:language").unwrap().as_deref(),
        Some("zh-CN")
    );
    // A decision now records the language shown.
    click(&host, "consentry-reject-all");
    yew::scheduler::flush().await;
    let change = &events.all("consentry:change")[0];
    assert_eq!(get(change, "locale").as_string().as_deref(), Some("zh-CN"));
    assert_eq!(
        receipt_of(&events, change).await.notice.locale.as_str(),
        "zh-CN"
    );
    handle.unmount();

    // A language whose file does not verify is refused; the notice stays as it is.
    let url = serve("en", &[(&en, None), (&zh, Some(tampered(&zh)))]);
    storage().remove_item("consentry:language").unwrap();
    forget_notice("t-switch");
    let host = new_host();
    let events = Events::on(&host);
    let handle = mount_ok(&host, options(&url, &[("language", "en")]));
    until_settled(&host).await;
    set_select(&host, "consentry-language", "zh-CN");
    until("the refusal", || !events.all("consentry:error").is_empty()).await;
    let e = &events.all("consentry:error")[0];
    assert_eq!(
        get(e, "code").as_string().as_deref(),
        Some("locale_unverified")
    );
    assert!(text(&host).contains("Your privacy on our support site"));
    assert!(!text(&host).contains("您在支持网站上的隐私"));
    handle.unmount();
    forget_notice("t-switch");
}

#[wasm_bindgen_test]
async fn withdrawal_through_the_api_and_expiry_ask_again() {
    forget_notice("t-withdraw");
    let en = common::en("t-withdraw");
    let url = serve("en", &[(&en, None)]);
    let host = new_host();
    let events = Events::on(&host);
    let handle = mount_ok(&host, options(&url, &[]));
    until_settled(&host).await;
    click(&host, "consentry-accept-all");
    yew::scheduler::flush().await;
    handle.withdraw(Some("marketing".into())).unwrap();
    tick().await;
    let changes = events.all("consentry:change");
    assert_eq!(changes.len(), 2);
    assert_eq!(
        get(&changes[1], "method").as_string().as_deref(),
        Some("withdraw")
    );
    assert_eq!(
        optional_decisions(&changes[1]),
        [
            ("chat-transcript".to_owned(), true),
            ("marketing".to_owned(), false)
        ]
    );
    let r = receipt_of(&events, &changes[1]).await;
    assert_eq!(r.event.kind, consentry_core::receipt::EventType::Withdrawal);
    assert_eq!(
        r.decisions[2].state,
        consentry_core::receipt::DecisionState::Withdrawn
    );
    handle.withdraw(None).unwrap();
    tick().await;
    let changes = events.all("consentry:change");
    assert_eq!(
        optional_decisions(&changes[2]),
        [
            ("chat-transcript".to_owned(), false),
            ("marketing".to_owned(), false)
        ]
    );
    // A malformed id throws; an unknown one is reported, not silently ignored.
    assert!(handle.withdraw(Some("Not An Id".into())).is_err());
    handle.withdraw(Some("no-such-purpose".into())).unwrap();
    tick().await;
    let e = events.all("consentry:error");
    assert_eq!(
        get(&e[0], "code").as_string().as_deref(),
        Some("action_refused")
    );

    // "Download my receipt" offers the latest signed envelope.
    let (name, doc) = consentry_web::decisions::receipt_download("t-withdraw").unwrap();
    let receipt_id = get(&changes[2], "receiptId").as_string().unwrap();
    until("the last receipt", || {
        events.receipt_for(&receipt_id).is_some()
    })
    .await;
    let (name2, doc2) = consentry_web::decisions::receipt_download("t-withdraw").unwrap();
    assert!(
        name2.starts_with("consentry-receipt-") && name2.ends_with(".json"),
        "{name}"
    );
    let v = json::parse_str(&doc2).unwrap();
    let env = v.get("receipt").unwrap();
    assert!(env.get("payload").is_some() && env.get("signatures").is_some());
    assert!(
        v.get("server").is_none(),
        "the dead endpoint never answered"
    );
    assert!(doc.starts_with("{\"receipt\":"));
    handle.unmount();

    // A decision older than `expiryDays` no longer counts: the banner is back.
    let mut st = stored("t-withdraw").unwrap();
    st.decided_at = consentry_core::time::Timestamp(st.decided_at.0 - 3 * 86_400_000);
    storage()
        .set_item("consentry:t-withdraw", &st.to_json())
        .unwrap();
    let host = new_host();
    let o = options(&url, &[]);
    Reflect::set(
        &o,
        &JsValue::from_str("expiryDays"),
        &JsValue::from_f64(2.0),
    )
    .unwrap();
    let handle = mount_ok(&host, o);
    until_settled(&host).await;
    assert!(
        testid(&host, "consentry-banner").is_some(),
        "expired: asked again"
    );
    handle.unmount();
    let host = new_host();
    let o = options(&url, &[]);
    Reflect::set(
        &o,
        &JsValue::from_str("expiryDays"),
        &JsValue::from_f64(4.0),
    )
    .unwrap();
    let handle = mount_ok(&host, o);
    until_settled(&host).await;
    assert!(testid(&host, "consentry-banner").is_none(), "still valid");
    handle.unmount();
    forget_notice("t-withdraw");
}

// ---- hostile notice text -------------------------------------------------------------------

fn pwned() -> JsValue {
    get(&window(), "__pwned")
}

/// Every element of the shadow root matching `selector`.
fn all(host: &HtmlElement, selector: &str) -> Vec<web_sys::Element> {
    let list = shadow(host).query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect()
}

/// The checks every view must pass with the hostile notice: nothing parsed as markup, no
/// link but `https:` / `mailto:`, the markup shown as text, no bidi controls or zero-width
/// characters left, the 100 KB string all there and wrapped inside `view`.
fn assert_inert_and_legible(host: &HtmlElement, view: &str, what: &str) {
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
    for shown in [common::SCRIPT, common::IMG, common::SVG, common::BIDI_SHOWN] {
        assert!(t.contains(shown), "{what}: {shown:?} is not shown as text");
    }
    for c in t.chars() {
        assert!(
            !consentry::components::is_hidden(c),
            "{what}: U+{:04X} was left in",
            c as u32
        );
    }
    assert!(
        t.contains(&common::big()),
        "{what}: the 100 KB string is cut"
    );
    let el = find(host, view).unwrap_or_else(|| panic!("{what}: no {view}"));
    assert!(
        el.scroll_width() <= el.client_width() + 1,
        "{what}: {view} scrolls sideways ({} > {})",
        el.scroll_width(),
        el.client_width()
    );
}

#[wasm_bindgen_test]
async fn hostile_notice_text_is_inert_and_legible_and_no_handler_fires() {
    forget_notice("t-inject");
    Reflect::delete_property(
        window().unchecked_ref::<Object>(),
        &JsValue::from_str("__pwned"),
    )
    .unwrap();
    let b = common::injection("t-inject");
    let url = serve("en", &[(&b, None)]);
    // The shipped stylesheet, so that wrapping is checked with the real CSS.
    let css = blob_url(include_bytes!("../assets/consentry.css"), "text/css");
    let host = new_host();
    let handle = mount_ok(&host, options(&url, &[("stylesheetUrl", &css)]));
    until_settled(&host).await;
    assert_eq!(state(&host).as_deref(), Some("ready"));
    until("the stylesheet applies", || {
        find(&host, ".cy-mount").is_some_and(|m| {
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
    assert_inert_and_legible(&host, ".cy-banner", "banner");

    click(&host, "consentry-open-settings");
    yew::scheduler::flush().await;
    for d in all(&host, "details") {
        d.set_attribute("open", "").unwrap();
    }
    tick().await;
    assert_inert_and_legible(&host, ".cy-dialog__body", "settings");

    click(&host, "consentry-open-notice");
    yew::scheduler::flush().await;
    tick().await;
    assert!(testid(&host, "consentry-notice").is_some());
    assert_inert_and_legible(&host, ".cy-dialog__body", "full notice");

    // Following the links that are there runs nothing (none but mailto: are clickable here
    // without leaving the test page).
    for a in all(&host, "a[href^='mailto:']") {
        a.unchecked_into::<HtmlElement>().click();
    }
    for _ in 0..20 {
        tick().await;
    }
    assert_eq!(
        pwned(),
        JsValue::UNDEFINED,
        "a script ran or a handler fired"
    );
    handle.unmount();
}

/// The time zone comes from `Temporal.Now.timeZoneId()` (no date formatter on the way to the
/// banner) and names the zone `Intl.DateTimeFormat` names. (`tests/e2e/regimes.test.mjs` shows a
/// non-UTC zone deciding the region through it.)
#[wasm_bindgen_test]
fn the_time_zone_comes_from_temporal_and_matches_intl() {
    use consentry_web::platform::env;
    let f = js_sys::Intl::DateTimeFormat::new(&Array::new(), &Object::new());
    let intl = get(&f.resolved_options(), "timeZone").as_string();
    assert!(intl.is_some(), "Intl names a time zone");
    assert_eq!(
        env::temporal_time_zone(),
        intl,
        "this Chromium has Temporal"
    );
    assert_eq!(env::time_zone(), intl);
}

/// Step 2 of a decision crosses from the first module to the receipts module as JSON beside
/// the exact first-layer bytes (`consentry_web::handoff`): every field arrives as it left, for
/// every method, prior phase, regime and region source, and first-layer bytes that are not the
/// ones the decision was made on, or a malformed field, are refused with what is wrong.
#[wasm_bindgen_test]
fn a_receipt_job_crosses_modules_intact_and_only_with_its_own_first_layer() {
    use consentry_core::encoding::Sha256Digest;
    use consentry_core::ids::{PurposeId, ReceiptId, RegionCode};
    use consentry_core::receipt::Jurisdiction;
    use consentry_core::session::{DecisionRecord, Method, Phase, StaleReason};
    use consentry_core::time::Timestamp;
    use consentry_web::handoff::IssueJob;
    use consentry_web::handoff::{decode, encode};
    use consentry_web::platform::Host;

    let bytes = common::en("t-handoff").to_json().into_bytes();
    // What the first module shows and builds receipts from: the first layer of those bytes.
    let b = consentry_core::bundle::FirstLayer::from_json(&bytes)
        .unwrap()
        .bundle;
    let host = new_host();
    let p = |s: &str| PurposeId::parse(s).unwrap();
    let methods = [
        Method::AcceptAll,
        Method::RejectAll,
        Method::SaveChoices,
        Method::Withdraw,
        Method::SeparateConsent,
        Method::SignalOptIn,
    ];
    let phases = [
        Phase::Undecided,
        Phase::Stale(StaleReason::NewVersion),
        Phase::Stale(StaleReason::Expired),
        Phase::Stale(StaleReason::NewPurposes),
        Phase::Decided,
    ];
    // Regions whose regimes differ (the regimes are derived from the region and the notice's
    // map on the other side, not carried).
    let regions = [
        Some("DE"),
        Some("CN"),
        Some("US-CA"),
        Some("BR"),
        Some("SG"),
        None,
    ];
    let sources = [
        RegionSource::SiteOption,
        RegionSource::EdgeHeader,
        RegionSource::TimeZone,
        RegionSource::Language,
        RegionSource::UserSelection,
        RegionSource::Default,
    ];
    let mut last = String::new();
    for (i, method) in methods.into_iter().enumerate() {
        let job = IssueJob {
            host: Host::new(host.clone()),
            endpoint: Rc::from("/v1/receipts"),
            receipt_id: ReceiptId::parse("urn:uuid:3f2c1d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f").unwrap(),
            now: Timestamp(1_764_300_000_123 + i as i64),
            record: DecisionRecord {
                method,
                choices: vec![(p("service-delivery"), true), (p("marketing"), i % 2 == 0)],
                previous: (i % 2 == 1).then(|| vec![(p("marketing"), true)]),
                prior_phase: phases[i % phases.len()],
                separately: if i % 2 == 1 {
                    vec![p("marketing")]
                } else {
                    vec![]
                },
            },
            on_banner: i % 2 == 0,
            bundle: Rc::new(b.clone()),
            digest: Sha256Digest::of(&bytes),
            jurisdiction: {
                let region = regions[i % regions.len()].map(|r| RegionCode::parse(r).unwrap());
                let source = sources[i % sources.len()];
                let mut j = Jurisdiction::new(region, source, vec![]);
                j.regimes = consentry_core::region::regimes_of(&j, &b.regions);
                j.regime = j.regimes[0].0;
                j
            },
            gpc: i % 2 == 1,
            gpc_honoured: i % 3 == 1,
            guardian: i % 2 == 0,
            signal_opt_ins: if i % 2 == 0 {
                vec![p("marketing")]
            } else {
                vec![]
            },
            // A mailbox link on every third job (its text travels as it is).
            link: (i % 3 == 0).then(|| Rc::from("eyJh.eyJj.c2ln")),
        };
        let text = encode(&job);
        let back = decode(
            &text,
            Host::new(host.clone()),
            Rc::from("/v1/receipts"),
            &bytes,
            job.now,
        )
        .unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(
            encode(&back),
            text,
            "every encoded field arrives as it left"
        );
        assert_eq!(
            *back.bundle, b,
            "the notice comes from the first layer handed over"
        );
        assert_eq!(&*back.endpoint, "/v1/receipts");
        assert!(back.host.element().is_same_node(Some(&host)));
        last = text;
    }
    // The last region source round trips too (the loop covers each value once).
    for s in sources {
        assert_eq!(RegionSource::parse(s.as_str()), Some(s));
    }

    let mut other = bytes.clone();
    other[20] ^= 1;
    let made = Timestamp(1_764_300_000_123 + 5);
    let err = decode(
        &last,
        Host::new(host.clone()),
        Rc::from("/v1/receipts"),
        &other,
        made,
    )
    .err()
    .expect("other bytes are refused");
    assert!(
        err.contains("not the one the decision was made on"),
        "{err}"
    );
    let broken = last.replace(
        "\"method\":\"gpc_opt_in\"",
        "\"method\":\"accept_everything\"",
    );
    assert_ne!(broken, last);
    let err = decode(
        &broken,
        Host::new(host.clone()),
        Rc::from("/v1/receipts"),
        &bytes,
        made,
    )
    .err()
    .expect("an unknown method is refused");
    assert!(err.contains("method"), "{err}");
    let err = decode(
        "{}",
        Host::new(host.clone()),
        Rc::from("/v1/receipts"),
        &bytes,
        made,
    )
    .err()
    .expect("an empty job is refused");
    assert!(err.contains("receipt job: no"), "{err}");
    // A job dated long before (or after) this page's clock is not one a visitor just made.
    let day = 24 * 3600 * 1000;
    for (now, ok) in [
        (made.0 + 29 * day, true),
        (made.0 + 31 * day, false),
        (made.0 - 60 * 1000, true),
        (made.0 - 10 * 60 * 1000, false),
    ] {
        let got = decode(
            &last,
            Host::new(host.clone()),
            Rc::from("/v1/receipts"),
            &bytes,
            Timestamp(now),
        );
        assert_eq!(got.is_ok(), ok, "{:?}", got.err());
        if let Err(e) = got {
            assert!(e.contains("last 30 days"), "{e}");
        }
    }
}

/// A hand-off list that cannot be read is moved aside, never deleted, and the decision being
/// handed off is still stored (the error says what happened); the next reader sees only it.
#[wasm_bindgen_test]
fn an_unreadable_hand_off_list_is_moved_aside_and_the_new_job_still_stored() {
    use consentry_core::encoding::Sha256Digest;
    use consentry_core::ids::ReceiptId;
    use consentry_core::receipt::Jurisdiction;
    use consentry_core::session::{DecisionRecord, Method, Phase};
    use consentry_core::time::Timestamp;
    use consentry_web::handoff::IssueJob;
    use consentry_web::handoff::{HANDOFF_KEY, HANDOFF_UNREADABLE_KEY, pending, push};
    use consentry_web::platform::Host;

    let s = storage();
    s.set_item(HANDOFF_KEY, "[[\"not\", \"a\", \"job\"")
        .unwrap();
    s.remove_item(HANDOFF_UNREADABLE_KEY).unwrap();
    let bytes = common::en("t-handoff-bad").to_json().into_bytes();
    let bundle = consentry_core::bundle::FirstLayer::from_json(&bytes)
        .unwrap()
        .bundle;
    let id = "urn:uuid:7d3c2b1a-0f9e-4d8c-a7b6-5a4f3e2d1c0b";
    let job = IssueJob {
        host: Host::new(new_host()),
        endpoint: Rc::from("/v1/receipts"),
        receipt_id: ReceiptId::parse(id).unwrap(),
        now: Timestamp(1_764_300_000_000),
        record: DecisionRecord {
            method: Method::RejectAll,
            choices: vec![],
            previous: None,
            prior_phase: Phase::Undecided,
            separately: vec![],
        },
        on_banner: true,
        bundle: Rc::new(bundle),
        digest: Sha256Digest::of(&bytes),
        jurisdiction: Jurisdiction::single(Regime::Gdpr, None, RegionSource::Default),
        gpc: false,
        gpc_honoured: false,
        guardian: false,
        signal_opt_ins: vec![],
        link: None,
    };
    let err = push(&job, &bytes).expect_err("the unreadable list is reported");
    assert_eq!(err.code(), "receipts_unavailable");
    assert!(err.to_string().contains("moved aside"), "{err}");
    assert_eq!(
        s.get_item(HANDOFF_UNREADABLE_KEY).unwrap().as_deref(),
        Some("[[\"not\", \"a\", \"job\""),
        "kept as it was"
    );
    let list = pending().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].receipt_id, id);
    s.remove_item(HANDOFF_KEY).unwrap();
    s.remove_item(HANDOFF_UNREADABLE_KEY).unwrap();
}

/// Region names and durations come from `Intl` formatters made once per locale: asking in
/// another locale gets that locale's words, not the cached formatter's.
#[wasm_bindgen_test]
fn intl_names_follow_the_locale_asked_for() {
    use consentry_web::platform::env::{duration_text, region_name};
    assert_eq!(region_name("de", "DE"), "Deutschland");
    assert_eq!(region_name("fr", "DE"), "Allemagne");
    assert_eq!(region_name("de", "FR"), "Frankreich");
    assert_eq!(region_name("en", "US-CA"), "United States (CA)");
    let (de, en) = (duration_text("de", "P3Y"), duration_text("en", "P3Y"));
    assert_ne!(de, en, "{de} / {en}");
    assert_eq!(duration_text("en", "P3Y"), en);
}
