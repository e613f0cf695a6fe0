//! Backend services and their tokens (`--service-tokens FILE`, `consentry-server
//! service-token add`): who may ask `POST /v1/consent/check` about which purposes, and who may
//! ask `POST /v1/links` for which channels. The file holds each token's SHA-256 only.

use std::collections::HashMap;
use std::path::Path;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use consentry_core::encoding::{Sha256Digest, b64url};
use consentry_core::ids::PurposeId;
use consentry_core::json::{self, Value};

use crate::http::ApiError;

/// A backend system allowed to ask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    /// Its name, in every answer and log line (e.g. `transcript-store`).
    pub name: String,
    /// The purposes it may ask about.
    pub purposes: Vec<String>,
    /// The channels it may issue link tokens for (`POST /v1/links`; e.g. the mailbox's
    /// auto-responder: `support_mailbox`). Empty for most services.
    pub links: Vec<String>,
    /// The kinds of identifier it may issue link tokens for (`ticket`, `email`, `phone`,
    /// `customer`): a mailbox that knows tickets and addresses cannot mint a token for a
    /// phone number. Required with `links`.
    pub link_kinds: Vec<String>,
    /// SHA-256 of its token, hex.
    pub token_sha256: String,
}

/// The service tokens the server accepts, by the SHA-256 of the token.
#[derive(Clone, Debug, Default)]
pub struct ServiceTokens {
    services: Vec<Service>,
    by_hash: HashMap<String, usize>,
}

/// A new token's prefix (so that a leaked one is recognisable in logs and secret scanners).
pub const TOKEN_PREFIX: &str = "cst_";

impl ServiceTokens {
    /// Reads the file: `{"services": [{"name", "token_sha256", "purposes": [...]}]}`. A missing
    /// file is an error; a malformed entry names itself.
    pub fn parse(text: &str) -> Result<Self, String> {
        let v = json::parse(text.as_bytes()).map_err(|e| format!("not JSON: {e}"))?;
        let list = v
            .get("services")
            .and_then(Value::as_array)
            .ok_or("expected {\"services\": [...]}")?;
        let mut out = Self::default();
        for (i, s) in list.iter().enumerate() {
            let field = |k: &str| {
                s.get(k)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or(format!("services[{i}]: {k} must be a string"))
            };
            let name = field("name")?;
            let token_sha256 = field("token_sha256")?;
            if Sha256Digest::from_hex(&token_sha256).is_none() {
                return Err(format!(
                    "services[{i}] ({name}): token_sha256 must be 64 hex digits"
                ));
            }
            let purposes = s
                .get("purposes")
                .map_or(Some(&[][..]), Value::as_array)
                .ok_or(format!("services[{i}] ({name}): purposes must be a list"))?
                .iter()
                .map(|p| {
                    p.as_str()
                        .and_then(|p| PurposeId::parse(p).ok())
                        .map(|p| p.as_str().to_owned())
                        .ok_or(format!(
                            "services[{i}] ({name}): each purpose must be a purpose id"
                        ))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let links = match s.get("links") {
                None => Vec::new(),
                Some(l) => l
                    .as_array()
                    .ok_or(format!("services[{i}] ({name}): links must be a list"))?
                    .iter()
                    .map(|c| {
                        c.as_str()
                            .filter(|c| consentry_core::receipt::Channel::parse(c).is_some())
                            .map(str::to_owned)
                            .ok_or(format!(
                                "services[{i}] ({name}): each link must be a channel such as support_mailbox"
                            ))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            };
            let link_kinds = match s.get("link_kinds") {
                None => Vec::new(),
                Some(l) => l
                    .as_array()
                    .ok_or(format!("services[{i}] ({name}): link_kinds must be a list"))?
                    .iter()
                    .map(|k| {
                        k.as_str()
                            .filter(|k| consentry_core::receipt::link::IDENTIFIER_KINDS.contains(k))
                            .map(str::to_owned)
                            .ok_or(format!(
                                "services[{i}] ({name}): each link kind must be one of {}",
                                consentry_core::receipt::link::IDENTIFIER_KINDS.join(", ")
                            ))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            };
            if purposes.is_empty() && links.is_empty() {
                return Err(format!("services[{i}] ({name}): no purpose or link listed"));
            }
            if links.is_empty() != link_kinds.is_empty() {
                return Err(format!(
                    "services[{i}] ({name}): links and link_kinds go together"
                ));
            }
            out.add(Service {
                name,
                purposes,
                links,
                link_kinds,
                token_sha256,
            })?;
        }
        Ok(out)
    }

    /// Reads `path` ([`Self::parse`]).
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Adds a service; its name and token must be new.
    pub fn add(&mut self, s: Service) -> Result<(), String> {
        if self.services.iter().any(|o| o.name == s.name) {
            return Err(format!("a service named {:?} exists already", s.name));
        }
        if self.by_hash.contains_key(&s.token_sha256) {
            return Err(format!("{:?}: the token is another service's", s.name));
        }
        self.by_hash
            .insert(s.token_sha256.clone(), self.services.len());
        self.services.push(s);
        Ok(())
    }

    /// Removes the service `name`; whether there was one.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.services.len();
        self.services.retain(|s| s.name != name);
        self.by_hash = self
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.token_sha256.clone(), i))
            .collect();
        before != self.services.len()
    }

    /// The services, in file order.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// The file's text (canonical JSON).
    pub fn to_json(&self) -> String {
        json::to_canonical_string(&Value::object([(
            "services",
            Value::Arr(
                self.services
                    .iter()
                    .map(|s| {
                        let mut m = vec![
                            ("name", Value::str(s.name.clone())),
                            ("token_sha256", Value::str(s.token_sha256.clone())),
                            (
                                "purposes",
                                Value::Arr(
                                    s.purposes.iter().map(|p| Value::str(p.clone())).collect(),
                                ),
                            ),
                        ];
                        if !s.links.is_empty() {
                            m.push((
                                "links",
                                Value::Arr(s.links.iter().map(|c| Value::str(c.clone())).collect()),
                            ));
                            m.push((
                                "link_kinds",
                                Value::Arr(
                                    s.link_kinds.iter().map(|k| Value::str(k.clone())).collect(),
                                ),
                            ));
                        }
                        Value::object(m)
                    })
                    .collect(),
            ),
        )]))
    }

    /// The service whose token this is.
    pub fn authorize(&self, token: &str) -> Option<&Service> {
        let hash = Sha256Digest::of(token.as_bytes()).to_hex();
        self.by_hash.get(&hash).map(|&i| &self.services[i])
    }
}

/// A fresh token (`cst_` and 32 random bytes, base64url) and its SHA-256 (hex).
pub fn new_token() -> Result<(String, String), String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random source: {e}"))?;
    let token = format!("{TOKEN_PREFIX}{}", b64url(&bytes));
    let hash = Sha256Digest::of(token.as_bytes()).to_hex();
    Ok((token, hash))
}

/// `401` for a request without a valid service token.
pub(crate) fn unauthorized() -> Response {
    let mut res = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "a valid service token is required (Authorization: Bearer cst_…)",
    )
    .into_response();
    res.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    res
}

/// The service whose `Authorization: Bearer` token this request carries.
pub(crate) fn from_headers<'a>(
    tokens: &'a ServiceTokens,
    headers: &HeaderMap,
) -> Option<&'a Service> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|t| tokens.authorize(t.trim()))
}
