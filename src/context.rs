//! What the mounted widget shares with its hooks once the notice is loaded.

use std::rc::Rc;

use consentry_core::bundle::{LocaleBundle, Manifest};
use consentry_core::encoding::Sha256Digest;
use consentry_core::receipt::Jurisdiction;

use crate::config::MountOptions;
use crate::decisions::DecisionContext;
use crate::platform::Host;

/// A notice that loaded and verified.
#[derive(Debug, PartialEq, Eq)]
pub struct Loaded {
    /// The manifest.
    pub manifest: Rc<Manifest>,
    /// The locale bundle shown first (its bytes matched the manifest digest).
    pub bundle: Rc<LocaleBundle>,
    /// The SHA-256 of the bundle's bytes (goes into every receipt).
    pub digest: Sha256Digest,
    /// Regime, region and how they were determined.
    pub jurisdiction: Jurisdiction,
    /// Whether the browser sent a Global Privacy Control signal.
    pub gpc: bool,
}

/// The mount (host element and options) plus what is shown now: the bundle (the language
/// switcher may change it) and the jurisdiction (the visitor may correct it).
#[derive(Clone, Debug, PartialEq)]
pub struct WidgetContext {
    /// The host element.
    pub host: Host,
    /// The validated options.
    pub options: Rc<MountOptions>,
    /// The bundle shown and its digest.
    pub bundle: Rc<LocaleBundle>,
    /// Its digest, as verified against the manifest.
    pub digest: Sha256Digest,
    /// Regime and region in force.
    pub jurisdiction: Jurisdiction,
    /// Global Privacy Control signal present.
    pub gpc: bool,
}

impl WidgetContext {
    /// What decision side effects need.
    pub fn decision_context(&self) -> DecisionContext {
        DecisionContext {
            host: self.host.clone(),
            endpoint: Rc::from(self.options.endpoint.as_str()),
            bundle: self.bundle.clone(),
            digest: self.digest,
            jurisdiction: self.jurisdiction.clone(),
            gpc: self.gpc,
        }
    }
}
