//! Facts about the browser: languages, clock, Global Privacy Control.

use consentry_core::time::Timestamp;
use wasm_bindgen::{JsCast, JsValue};

/// `<html lang>`, if set.
pub fn html_lang() -> Option<String> {
    let el = web_sys::window()?.document()?.document_element()?;
    el.get_attribute("lang")
}

/// `navigator.languages` (falls back to `navigator.language`).
pub fn navigator_languages() -> Vec<String> {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let list: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if list.is_empty() {
        nav.language().into_iter().collect()
    } else {
        list
    }
}

/// `Date.now()`.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// Whether `navigator.globalPrivacyControl` is `true`.
pub fn gpc() -> bool {
    web_sys::window()
        .and_then(|w| {
            js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("globalPrivacyControl")).ok()
        })
        .is_some_and(|v| v.as_bool() == Some(true))
}

/// The browser's IANA time zone: `Temporal.Now.timeZoneId()` where the browser has Temporal,
/// else `Intl.DateTimeFormat().resolvedOptions().timeZone` (the same name; Chromium answers
/// both from the same source). Temporal first because building a date formatter loads ICU's
/// date patterns: 45–90 ms on the bench's phone profile (4× CPU throttling), on the way to the
/// banner, against under 1 ms for Temporal (measured in Chromium 156; `docs/adr/0008`).
pub fn time_zone() -> Option<String> {
    temporal_time_zone().or_else(|| {
        let f = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
        let opts = f.resolved_options();
        js_sys::Reflect::get(&opts, &JsValue::from_str("timeZone"))
            .ok()
            .and_then(|v| v.as_string())
    })
}

/// `Temporal.Now.timeZoneId()`, or `None` where the browser has no Temporal.
pub fn temporal_time_zone() -> Option<String> {
    let get = |target: &JsValue, key: &str| {
        js_sys::Reflect::get(target, &JsValue::from_str(key))
            .ok()
            .filter(|v| v.is_object() || v.is_function())
    };
    let now = get(&get(&js_sys::global(), "Temporal")?, "Now")?;
    let zone: js_sys::Function = get(&now, "timeZoneId")?.dyn_into().ok()?;
    zone.call0(&now).ok()?.as_string()
}

/// The name of region `code` in `locale` (`Intl.DisplayNames`, type `region`), e.g.
/// "Deutschland" for `DE` in `de`; a subdivision is shown after its country
/// ("United States (CA)"). Falls back to the code.
pub fn region_name(locale: &str, code: &str) -> String {
    let (country, sub) = code
        .split_once('-')
        .map_or((code, None), |(c, s)| (c, Some(s)));
    let name = display_name(locale, country).unwrap_or_else(|| country.to_owned());
    match sub {
        Some(s) => {
            let mut n = name;
            n.push_str(" (");
            n.push_str(s);
            n.push(')');
            n
        }
        None => name,
    }
}

thread_local! {
    /// The `Intl` formatters made so far, by constructor and locale: constructing one costs
    /// about a millisecond on a phone (its locale data), and the settings' region corrector
    /// names every region the notice maps (about fifty) on each tap, so each is made once.
    static INTL: std::cell::RefCell<Vec<(&'static str, String, JsValue)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// `new Intl[ctor]([locale], {key: value})`, made once per constructor and locale.
fn intl(ctor: &'static str, locale: &str, option: (&str, &str)) -> Option<JsValue> {
    let cached = INTL.with(|c| {
        c.borrow()
            .iter()
            .find(|(k, l, _)| *k == ctor && l == locale)
            .map(|(_, _, f)| f.clone())
    });
    if cached.is_some() {
        return cached;
    }
    let intl = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    let class: js_sys::Function = js_sys::Reflect::get(&intl, &JsValue::from_str(ctor))
        .ok()?
        .dyn_into()
        .ok()?;
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(
        &opts,
        &JsValue::from_str(option.0),
        &JsValue::from_str(option.1),
    )
    .ok()?;
    let args = js_sys::Array::of2(&js_sys::Array::of1(&JsValue::from_str(locale)), &opts);
    let made = js_sys::Reflect::construct(&class, &args).ok()?;
    INTL.with(|c| c.borrow_mut().push((ctor, locale.to_owned(), made.clone())));
    Some(made)
}

/// Makes the `Intl` formatters the settings use in `locale` (region names, durations) ahead of
/// the tap that opens them: the first one loads the locale's data, about 60 ms of a phone-class
/// CPU (Chromium, 4× throttled), most of what a tap on "settings" would otherwise wait for.
pub fn prepare_intl(locale: &str) {
    let _ = intl("DisplayNames", locale, ("type", "region"));
    let _ = intl("DurationFormat", locale, ("style", "long"));
}

/// `formatter[method](arg)` as a string.
fn call_str(formatter: &JsValue, method: &str, arg: &JsValue) -> Option<String> {
    let f: js_sys::Function = js_sys::Reflect::get(formatter, &JsValue::from_str(method))
        .ok()?
        .dyn_into()
        .ok()?;
    f.call1(formatter, arg).ok()?.as_string()
}

fn display_name(locale: &str, country: &str) -> Option<String> {
    let names = intl("DisplayNames", locale, ("type", "region"))?;
    call_str(&names, "of", &JsValue::from_str(country))
}

/// The date of an RFC 3339 instant in words of `locale` (`Intl.DateTimeFormat`, `dateStyle`
/// `long`, the visitor's time zone): "6 January 2027", "٦ يناير ٢٠٢٧". The date as written
/// (`2027-01-06`) where the browser cannot format it.
pub fn date_text(locale: &str, rfc3339: &str) -> String {
    let formatted = intl("DateTimeFormat", locale, ("dateStyle", "long")).and_then(|f| {
        let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
        if date.get_time().is_nan() {
            return None;
        }
        call_str(&f, "format", &date.into())
    });
    formatted.unwrap_or_else(|| rfc3339.split('T').next().unwrap_or(rfc3339).to_owned())
}

/// An ISO 8601 duration (`P3Y`, `P13M`, `P90D`, `P1Y6M`) in words in `locale`, e.g.
/// "3 years", "3年", "٣ سنوات", with the browser's own plural rules
/// (`Intl.DurationFormat`, style `long`). The duration as written where the browser lacks
/// `Intl.DurationFormat` or the text is not a duration.
pub fn duration_text(locale: &str, iso: &str) -> String {
    duration_format(locale, iso).unwrap_or_else(|| iso.to_owned())
}

fn duration_format(locale: &str, iso: &str) -> Option<String> {
    use js_sys::{Object, Reflect};
    let r = consentry_core::notice::Retention::parse(iso).ok()?;
    let [y, mo, w, d] = r.date_parts();
    let [h, mi, s] = r.time_parts();
    let parts = Object::new();
    let mut any = false;
    for (unit, n) in [
        ("years", y),
        ("months", mo),
        ("weeks", w),
        ("days", d),
        ("hours", h),
        ("minutes", mi),
        ("seconds", s),
    ] {
        if n > 0 {
            any = true;
            Reflect::set(&parts, &JsValue::from_str(unit), &JsValue::from(n)).ok()?;
        }
    }
    if !any {
        Reflect::set(&parts, &JsValue::from_str("days"), &JsValue::from(0)).ok()?;
    }
    let f = intl("DurationFormat", locale, ("style", "long"))?;
    call_str(&f, "format", &parts)
}
