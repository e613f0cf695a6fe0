//! The page-wide receipt retry timer and the `online` event: one of each per page, however
//! many times widgets mount, so neither timers nor listeners accumulate.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

type Pending = (i32, Closure<dyn FnMut()>);

thread_local! {
    static RETRY: RefCell<Option<Pending>> = const { RefCell::new(None) };
    static ONLINE: RefCell<Option<Closure<dyn FnMut()>>> = const { RefCell::new(None) };
}

/// Runs `f` once after `ms` milliseconds, replacing a retry already scheduled.
pub fn retry_after(ms: u32, f: impl FnOnce() + 'static) {
    cancel_retry();
    let Some(w) = web_sys::window() else { return };
    let cb = Closure::<dyn FnMut()>::once(f);
    let delay = i32::try_from(ms).unwrap_or(i32::MAX);
    if let Ok(id) =
        w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.as_ref().unchecked_ref(), delay)
    {
        RETRY.with(|r| *r.borrow_mut() = Some((id, cb)));
    }
}

/// Cancels the scheduled retry, if any.
pub fn cancel_retry() {
    if let (Some((id, _cb)), Some(w)) = (RETRY.with(|r| r.borrow_mut().take()), web_sys::window()) {
        w.clear_timeout_with_handle(id);
    }
}

/// Calls `f` on every `online` event of the window; registered once per page (later calls
/// do nothing).
pub fn on_online(f: impl Fn() + 'static) {
    ONLINE.with(|o| {
        if o.borrow().is_some() {
            return;
        }
        let Some(w) = web_sys::window() else { return };
        let cb = Closure::<dyn FnMut()>::new(f);
        if w.add_event_listener_with_callback("online", cb.as_ref().unchecked_ref())
            .is_ok()
        {
            *o.borrow_mut() = Some(cb);
        }
    });
}

/// `navigator.onLine` (`true` where the browser cannot tell).
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Resolves in a later task of the event loop (`setTimeout(0)`), so that work after it does
/// not hold up the rendering of what the current task has put on the page.
pub async fn next_task() {
    let Some(w) = web_sys::window() else { return };
    let later = js_sys::Promise::new(&mut |resolve, _| {
        let _ = w.set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(later).await;
}

/// Resolves `ms` milliseconds from now, once the browser is idle (`requestIdleCallback`, where
/// there is one): for work that may wait, so that it does not compete with the first paint or
/// a visitor's first tap.
pub async fn idle_after(ms: u32) {
    let Some(w) = web_sys::window() else { return };
    let delay = i32::try_from(ms).unwrap_or(i32::MAX);
    let later = js_sys::Promise::new(&mut |resolve, _| {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, delay);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(later).await;
    let idle = js_sys::Reflect::get(&w, &wasm_bindgen::JsValue::from_str("requestIdleCallback"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(idle) = idle {
        let when = js_sys::Promise::new(&mut |resolve, _| {
            let _ = idle.call1(&w, &resolve);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(when).await;
    }
}
