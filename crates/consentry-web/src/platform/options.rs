//! Reading the `mount` options object (camelCase) with `js_sys::Reflect`.

use consentry_core::ids::{LocaleTag, RegionCode};
use consentry_core::region::parse_edge_value;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::dom;
use crate::config::{DEFAULT_EXPIRY_DAYS, MountOptions, UrlUse, scheme_allowed};
use crate::error::MountError;

/// The option names `mount` understands.
pub const KNOWN_OPTIONS: [&str; 8] = [
    "manifestUrl",
    "endpoint",
    "language",
    "region",
    "edgeRegion",
    "expiryDays",
    "stylesheetUrl",
    "link",
];

fn string_option(o: &JsValue, name: &'static str) -> Result<Option<String>, MountError> {
    let v =
        Reflect::get(o, &JsValue::from_str(name)).map_err(|_| MountError::OptionsNotAnObject)?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or(MountError::OptionType {
        option: name,
        expected: "a string",
    })
}

fn url_option(
    o: &JsValue,
    name: &'static str,
    use_: UrlUse,
    base: &str,
) -> Result<Option<String>, MountError> {
    let Some(raw) = string_option(o, name)? else {
        return Ok(None);
    };
    let bad = |reason| MountError::BadUrl {
        option: name,
        value: raw.clone(),
        reason,
    };
    if raw.trim().is_empty() {
        return Err(bad("is empty"));
    }
    let (href, protocol) =
        dom::resolve_url(raw.trim(), base).ok_or_else(|| bad("is not a valid URL"))?;
    if !scheme_allowed(&protocol, use_) {
        return Err(bad(match use_ {
            UrlUse::Fetch => "must be an http:, https: or blob: URL",
            UrlUse::Endpoint => "must be an http: or https: URL",
        }));
    }
    Ok(Some(href))
}

/// Validates the options object; relative URLs are resolved against `document.baseURI`.
pub fn read(options: &JsValue) -> Result<MountOptions, MountError> {
    if !options.is_object() || options.is_function() || Array::is_array(options) {
        return Err(MountError::OptionsNotAnObject);
    }
    for k in Object::keys(options.unchecked_ref::<Object>()).iter() {
        let k = k.as_string().unwrap_or_default();
        if !KNOWN_OPTIONS.contains(&k.as_str()) {
            return Err(MountError::UnknownOption(k));
        }
    }
    let base = dom::base_uri().ok_or(MountError::NoDocument)?;
    let manifest_url = url_option(options, "manifestUrl", UrlUse::Fetch, &base)?
        .ok_or(MountError::MissingOption("manifestUrl"))?;
    let endpoint = url_option(options, "endpoint", UrlUse::Endpoint, &base)?
        .ok_or(MountError::MissingOption("endpoint"))?;
    let stylesheet_url = url_option(options, "stylesheetUrl", UrlUse::Fetch, &base)?;
    let language = string_option(options, "language")?
        .map(|l| LocaleTag::parse(l.trim()))
        .transpose()
        .map_err(MountError::BadLanguage)?;
    let region = string_option(options, "region")?
        .map(|r| RegionCode::parse(r.trim()))
        .transpose()
        .map_err(MountError::BadRegion)?;
    let edge_region = match string_option(options, "edgeRegion")? {
        Some(v) => parse_edge_value(&v).map_err(MountError::BadEdgeRegion)?,
        None => None,
    };
    let expiry = Reflect::get(options, &JsValue::from_str("expiryDays"))
        .map_err(|_| MountError::OptionsNotAnObject)?;
    let expiry_days = if expiry.is_undefined() || expiry.is_null() {
        DEFAULT_EXPIRY_DAYS
    } else {
        match expiry.as_f64() {
            Some(d) if d.fract() == 0.0 && (1.0..=3650.0).contains(&d) => d as u32,
            _ => {
                return Err(MountError::OptionType {
                    option: "expiryDays",
                    expected: "a whole number of days from 1 to 3650",
                });
            }
        }
    };
    // Its form and signature are checked where the receipt is built and by the server; here
    // only that it looks like one (three base64url parts), so a wrong value fails the mount.
    let link = string_option(options, "link")?;
    if link.as_deref().is_some_and(|l| {
        l.len() > 2048
            || l.split('.').count() != 3
            || !l
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    }) {
        return Err(MountError::OptionType {
            option: "link",
            expected: "a link token the receipt server issued (three base64url parts)",
        });
    }
    Ok(MountOptions {
        link,
        manifest_url,
        endpoint,
        language,
        region,
        edge_region,
        expiry_days,
        stylesheet_url,
    })
}
