//! Just enough IndexedDB for the device key: database `consentry`, object store `keys`.

use js_sys::Promise;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, IdbDatabase, IdbRequest, IdbTransactionMode};

use super::js_error_text;

/// Database name.
pub const DB_NAME: &str = "consentry";
/// Object store name.
pub const STORE: &str = "keys";

/// Why an IndexedDB step failed.
#[derive(Debug)]
pub enum IdbError {
    /// `add` found the key already present (another tab or mount created it first).
    Exists,
    /// Anything else, as text.
    Other(String),
}

impl IdbError {
    /// The error as text.
    pub fn text(&self) -> String {
        match self {
            IdbError::Exists => "the key already exists".into(),
            IdbError::Other(s) => s.clone(),
        }
    }
}

type Handler = Closure<dyn FnMut(Event)>;

fn other(e: &JsValue) -> IdbError {
    IdbError::Other(js_error_text(e))
}

/// Waits for a request's `success` (its `result`) or `error` (its `error`), then removes
/// and frees both handlers.
async fn wait(req: &IdbRequest) -> Result<JsValue, JsValue> {
    let mut handlers: Option<(Handler, Handler)> = None;
    let promise = Promise::new(&mut |resolve, reject| {
        let r = req.clone();
        let ok = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            let v = r.result().unwrap_or(JsValue::UNDEFINED);
            let _ = resolve.call1(&JsValue::UNDEFINED, &v);
        });
        let r = req.clone();
        let err = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
            // Handled here: keep the error from also surfacing as an uncaught page error.
            e.prevent_default();
            let v = r
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::UNDEFINED, JsValue::from);
            let _ = reject.call1(&JsValue::UNDEFINED, &v);
        });
        req.set_onsuccess(Some(ok.as_ref().unchecked_ref()));
        req.set_onerror(Some(err.as_ref().unchecked_ref()));
        handlers = Some((ok, err));
    });
    let out = JsFuture::from(promise).await;
    req.set_onsuccess(None);
    req.set_onerror(None);
    drop(handlers);
    out
}

/// Opens (creating on first use) the database.
pub async fn open() -> Result<IdbDatabase, IdbError> {
    let factory = web_sys::window()
        .ok_or_else(|| IdbError::Other("no window".into()))?
        .indexed_db()
        .map_err(|e| other(&e))?
        .ok_or_else(|| IdbError::Other("IndexedDB is not available".into()))?;
    let req = factory.open_with_u32(DB_NAME, 1).map_err(|e| other(&e))?;
    let r = req.clone();
    let upgrade = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        if let Ok(db) = r.result() {
            let db: IdbDatabase = db.unchecked_into();
            // Version 1 is created exactly once; a store that exists is not an error.
            let _ = db.create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = wait(&req).await;
    req.set_onupgradeneeded(None);
    drop(upgrade);
    db.map(JsCast::unchecked_into).map_err(|e| other(&e))
}

/// The value under `key` (`undefined` if none).
pub async fn get(db: &IdbDatabase, key: &str) -> Result<JsValue, IdbError> {
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readonly)
        .map_err(|e| other(&e))?;
    let store = tx.object_store(STORE).map_err(|e| other(&e))?;
    let req = store.get(&JsValue::from_str(key)).map_err(|e| other(&e))?;
    wait(&req).await.map_err(|e| other(&e))
}

/// Adds `value` under `key`; [`IdbError::Exists`] if the key is taken. With `replace`, puts
/// it whatever is there.
pub async fn add(
    db: &IdbDatabase,
    key: &str,
    value: &JsValue,
    replace: bool,
) -> Result<(), IdbError> {
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(|e| other(&e))?;
    let store = tx.object_store(STORE).map_err(|e| other(&e))?;
    let k = JsValue::from_str(key);
    let req = if replace {
        store.put_with_key(value, &k)
    } else {
        store.add_with_key(value, &k)
    }
    .map_err(|e| other(&e))?;
    match wait(&req).await {
        Ok(_) => Ok(()),
        Err(e) => {
            let name = e
                .dyn_ref::<js_sys::Error>()
                .map(|err| String::from(err.name()));
            if name.as_deref() == Some("ConstraintError") {
                Err(IdbError::Exists)
            } else {
                Err(other(&e))
            }
        }
    }
}
