//! The server's HTTP answers in one shape, for every route module (`api`, `admin`, `limits`,
//! `signer`, `tlog`): an error is `{"error":{"code","message"}}` with a stable code, JSON is
//! served as `application/json`, and static files carry one of two `Cache-Control` values.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use consentry_core::json::{self, Value};

/// An error answer: status, stable code, human message.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// A 500: `err` is logged, the client learns nothing about it.
    pub fn internal(err: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error_response(self.status, self.code, &self.message)
    }
}

pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json::to_canonical_string(&Value::object([(
        "error",
        Value::object([("code", Value::str(code)), ("message", Value::str(message))]),
    )]));
    json_response(status, body.into_bytes())
}

pub fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// `Cache-Control` of content-hashed static files: they never change under their name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of every other static file (pages, the loader, the manifest): revalidate
/// each time (a cheap 304 with the ETag), so a new build is picked up at once.
pub const REVALIDATE: &str = "no-cache";
