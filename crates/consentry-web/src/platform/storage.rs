//! localStorage, with every failure (disabled storage, sandboxed frames, quota) as an error.

use crate::error::RuntimeError;

use super::js_error_text;

fn storage() -> Result<web_sys::Storage, RuntimeError> {
    let w = web_sys::window().ok_or_else(|| RuntimeError::Storage("no window".into()))?;
    w.local_storage()
        .map_err(|e| RuntimeError::Storage(js_error_text(&e)))?
        .ok_or_else(|| RuntimeError::Storage("localStorage is not available".into()))
}

/// The value under `key`, if any.
pub fn get(key: &str) -> Result<Option<String>, RuntimeError> {
    storage()?
        .get_item(key)
        .map_err(|e| RuntimeError::Storage(js_error_text(&e)))
}

/// Stores `value` under `key`.
pub fn set(key: &str, value: &str) -> Result<(), RuntimeError> {
    storage()?
        .set_item(key, value)
        .map_err(|e| RuntimeError::Storage(js_error_text(&e)))
}

/// Removes `key`.
pub fn remove(key: &str) -> Result<(), RuntimeError> {
    storage()?
        .remove_item(key)
        .map_err(|e| RuntimeError::Storage(js_error_text(&e)))
}
