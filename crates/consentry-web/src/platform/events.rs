//! `CustomEvent`s on the host element, with plain-object details.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// A plain JavaScript object built member by member (the `detail` of an event).
pub struct Detail(Object);

impl Default for Detail {
    fn default() -> Self {
        Self::new()
    }
}

impl Detail {
    /// `{}`.
    pub fn new() -> Self {
        Self(Object::new())
    }
    fn set(self, key: &str, value: &JsValue) -> Self {
        // Setting a data property on a fresh plain object cannot fail.
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), value);
        self
    }
    /// A string member.
    pub fn str(self, key: &str, value: &str) -> Self {
        self.set(key, &JsValue::from_str(value))
    }
    /// A boolean member.
    pub fn bool(self, key: &str, value: bool) -> Self {
        self.set(key, &JsValue::from_bool(value))
    }
    /// A number member, or `null`.
    pub fn num(self, key: &str, value: Option<u32>) -> Self {
        match value {
            Some(n) => self.set(key, &JsValue::from_f64(f64::from(n))),
            None => self.set(key, &JsValue::NULL),
        }
    }
    /// A string member, or `null`.
    pub fn opt_str(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(s) => self.str(key, s),
            None => self.set(key, &JsValue::NULL),
        }
    }
    /// An array-of-strings member.
    pub fn strs<'a>(self, key: &str, values: impl IntoIterator<Item = &'a str>) -> Self {
        let a = js_sys::Array::new();
        for v in values {
            a.push(&JsValue::from_str(v));
        }
        self.set(key, &a)
    }
    /// A nested object member.
    pub fn obj(self, key: &str, value: Detail) -> Self {
        let v: JsValue = value.0.into();
        self.set(key, &v)
    }
    /// The object.
    pub fn into_js(self) -> JsValue {
        self.0.into()
    }
}

/// Dispatches `new CustomEvent(name, { detail, bubbles: true, composed: true })` on `target`.
pub fn dispatch(target: &web_sys::EventTarget, name: &str, detail: Detail) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail.into_js());
    if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        // The return value only says whether a listener called preventDefault().
        let _ = target.dispatch_event(&ev);
    }
}
