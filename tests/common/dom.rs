//! DOM helpers shared by the browser tests of both wasm modules (`tests/browser.rs` for the
//! Yew widget, `crates/consentry-first/src/browser_tests.rs` for the first module).

#![allow(dead_code)]

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen_futures::JsFuture;

pub fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

pub fn document() -> web_sys::Document {
    window().document().unwrap()
}

/// One turn of the browser's event loop (a `setTimeout(0)`).
pub async fn event_loop_turn() {
    let p = Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    JsFuture::from(p).await.unwrap();
}

/// A `blob:` URL serving `bytes` as `mime`.
pub fn blob_url(bytes: &[u8], mime: &str) -> String {
    let parts = Array::of1(&Uint8Array::from(bytes).into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).unwrap();
    web_sys::Url::create_object_url_with_blob(&blob).unwrap()
}
