//! WebCrypto: the device's non-extractable ECDSA P-256 key (kept in IndexedDB), signing, and
//! random receipt ids.

use std::cell::RefCell;
use std::rc::Rc;

use consentry_core::ids::ReceiptId;
use consentry_core::json::Value;
use consentry_core::receipt::jws::{JwsError, PublicJwk};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use super::idb::{self, IdbError};
use super::js_error_text;
use crate::error::RuntimeError;

/// The IndexedDB key under which the `CryptoKeyPair` is kept.
pub const DEVICE_KEY_ID: &str = "device";

/// The IndexedDB key of a hotline agent's console key (ADR 0018): apart from the device key
/// that the signing frame keeps on the same origin.
pub const AGENT_KEY_ID: &str = "agent";

/// The device key: a non-extractable private key and its public JWK.
pub struct DeviceKey {
    private: CryptoKey,
    /// The public key (its thumbprint is the receipts' pseudonymous subject).
    pub jwk: PublicJwk,
}

thread_local! {
    static CACHE: RefCell<Option<Rc<DeviceKey>>> = const { RefCell::new(None) };
}

fn subtle() -> Result<SubtleCrypto, String> {
    let c = web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(|e| js_error_text(&e))?;
    // `crypto.subtle` exists only in secure contexts (https:, localhost).
    let s = Reflect::get(&c, &JsValue::from_str("subtle")).map_err(|e| js_error_text(&e))?;
    if s.is_undefined() || s.is_null() {
        return Err("crypto.subtle is not available (the page is not a secure context)".into());
    }
    Ok(s.unchecked_into())
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn obj(members: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in members {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

/// A stored value is usable if it is `{privateKey, publicKey}` of ECDSA P-256 CryptoKeys and
/// the private key can sign.
fn usable_pair(v: &JsValue) -> Option<(CryptoKey, CryptoKey)> {
    let private = get(v, "privateKey").dyn_into::<CryptoKey>().ok()?;
    let public = get(v, "publicKey").dyn_into::<CryptoKey>().ok()?;
    let alg: JsValue = private.algorithm().ok()?.into();
    let ok = get(&alg, "name").as_string().as_deref() == Some("ECDSA")
        && get(&alg, "namedCurve").as_string().as_deref() == Some("P-256")
        && private.usages().includes(&JsValue::from_str("sign"), 0)
        // A key that can be exported was not made here (a script planted it): never used.
        && !private.extractable();
    ok.then_some((private, public))
}

async fn generate(subtle: &SubtleCrypto) -> Result<JsValue, String> {
    let alg = obj(&[("name", "ECDSA"), ("namedCurve", "P-256")]);
    let usages = Array::of2(&JsValue::from_str("sign"), &JsValue::from_str("verify"));
    let p = subtle
        .generate_key_with_object(&alg, false, &usages)
        .map_err(|e| js_error_text(&e))?;
    JsFuture::from(p).await.map_err(|e| js_error_text(&e))
}

async fn export_jwk(subtle: &SubtleCrypto, public: &CryptoKey) -> Result<PublicJwk, String> {
    let p = subtle
        .export_key("jwk", public)
        .map_err(|e| js_error_text(&e))?;
    let jwk = JsFuture::from(p).await.map_err(|e| js_error_text(&e))?;
    let s = |k: &str| Value::str(get(&jwk, k).as_string().unwrap_or_default());
    let v = Value::object([
        ("crv", s("crv")),
        ("kty", s("kty")),
        ("x", s("x")),
        ("y", s("y")),
    ]);
    // The reason as `JwsError`'s message has it, without linking that type's other messages.
    PublicJwk::from_value(&v).map_err(|e| {
        let mut m = String::from("bad JWK: ");
        m.push_str(match e {
            JwsError::BadJwk(why) => why,
            _ => "unreadable",
        });
        m
    })
}

async fn load_or_create(subtle: &SubtleCrypto, id: &str) -> Result<(CryptoKey, CryptoKey), String> {
    let db = idb::open().await.map_err(|e| e.text())?;
    let result = async {
        let existing = idb::get(&db, id).await.map_err(|e| e.text())?;
        if let Some(pair) = usable_pair(&existing) {
            return Ok(pair);
        }
        // None yet (or an unusable value, which a fresh key replaces).
        let replace = !existing.is_undefined();
        let fresh = generate(subtle).await?;
        match idb::add(&db, id, &fresh, replace).await {
            Ok(()) => usable_pair(&fresh).ok_or_else(|| "generateKey gave no key pair".to_owned()),
            Err(IdbError::Exists) => {
                // Another mount or tab stored its key first: use that one, so the device has
                // exactly one pseudonym.
                let winner = idb::get(&db, id).await.map_err(|e| e.text())?;
                usable_pair(&winner).ok_or_else(|| "the stored device key is unusable".to_owned())
            }
            Err(e) => Err(e.text()),
        }
    }
    .await;
    db.close();
    result
}

/// The device key, created on first use. Kept in IndexedDB (database `consentry`, store
/// `keys`, key `device`) as a `CryptoKeyPair` whose private key is non-extractable (the
/// structured clone keeps it so). Where IndexedDB is unavailable, a key for this page only.
pub async fn device_key() -> Result<Rc<DeviceKey>, RuntimeError> {
    if let Some(k) = CACHE.with(|c| c.borrow().clone()) {
        return Ok(k);
    }
    let subtle = subtle().map_err(RuntimeError::DeviceKey)?;
    let (private, public) = match load_or_create(&subtle, DEVICE_KEY_ID).await {
        Ok(pair) => pair,
        Err(why) => {
            let mut msg =
                String::from("Consentry: IndexedDB unavailable, using a key for this page only: ");
            msg.push_str(&why);
            web_sys::console::warn_1(&JsValue::from_str(&msg));
            let fresh = generate(&subtle).await.map_err(RuntimeError::DeviceKey)?;
            usable_pair(&fresh)
                .ok_or_else(|| RuntimeError::DeviceKey("generateKey gave no key pair".into()))?
        }
    };
    let jwk = export_jwk(&subtle, &public)
        .await
        .map_err(RuntimeError::DeviceKey)?;
    let key = Rc::new(DeviceKey { private, jwk });
    CACHE.with(|c| *c.borrow_mut() = Some(key.clone()));
    Ok(key)
}

/// A hotline agent's console key: like the device key, non-extractable in IndexedDB (key
/// [`AGENT_KEY_ID`]), but never replaced by a key for this page only: a key that vanishes
/// with the page would have to be registered again for every call.
pub async fn agent_key() -> Result<DeviceKey, RuntimeError> {
    let subtle = subtle().map_err(RuntimeError::DeviceKey)?;
    let (private, public) = load_or_create(&subtle, AGENT_KEY_ID)
        .await
        .map_err(RuntimeError::DeviceKey)?;
    let jwk = export_jwk(&subtle, &public)
        .await
        .map_err(RuntimeError::DeviceKey)?;
    Ok(DeviceKey { private, jwk })
}

impl DeviceKey {
    /// ECDSA P-256 / SHA-256 signature of `data`: the raw 64-byte `r‖s` (JWS ES256 format).
    pub async fn sign(&self, data: &[u8]) -> Result<Vec<u8>, RuntimeError> {
        let subtle = subtle().map_err(RuntimeError::Signing)?;
        let alg = obj(&[("name", "ECDSA"), ("hash", "SHA-256")]);
        let p = subtle
            .sign_with_object_and_u8_array(&alg, &self.private, data)
            .map_err(|e| RuntimeError::Signing(js_error_text(&e)))?;
        let sig = JsFuture::from(p)
            .await
            .map_err(|e| RuntimeError::Signing(js_error_text(&e)))?;
        let bytes = Uint8Array::new(&sig).to_vec();
        if bytes.len() != 64 {
            return Err(RuntimeError::Signing(
                "signature is not 64 bytes of r‖s".into(),
            ));
        }
        Ok(bytes)
    }
}

/// A fresh receipt id: `crypto.randomUUID()`, or 16 bytes of `crypto.getRandomValues()` where
/// `randomUUID` is missing (insecure contexts).
pub fn new_receipt_id() -> Result<ReceiptId, RuntimeError> {
    let c = web_sys::window()
        .ok_or_else(|| RuntimeError::ReceiptId("no window".into()))?
        .crypto()
        .map_err(|e| RuntimeError::ReceiptId(js_error_text(&e)))?;
    let has_uuid =
        Reflect::get(&c, &JsValue::from_str("randomUUID")).is_ok_and(|f| f.is_function());
    if has_uuid {
        let mut s = String::from("urn:uuid:");
        s.push_str(&c.random_uuid().to_ascii_lowercase());
        if let Ok(id) = ReceiptId::parse(&s) {
            return Ok(id);
        }
    }
    let mut bytes = [0u8; 16];
    c.get_random_values_with_u8_array(&mut bytes)
        .map_err(|e| RuntimeError::ReceiptId(js_error_text(&e)))?;
    Ok(ReceiptId::from_random_bytes(bytes))
}
