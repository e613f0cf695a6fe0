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
    pub manifest: Manifest,
    /// The locale bundle shown (its bytes matched the manifest digest).
    pub bundle: Rc<LocaleBundle>,
    /// The SHA-256 of the bundle's bytes (goes into every receipt).
    pub digest: Sha256Digest,
    /// Regime, region and how it was determined.
    pub jurisdiction: Jurisdiction,
    /// Whether the browser sent a Global Privacy Control signal.
    pub gpc: bool,
}

/// The mount (host element and options) plus the loaded notice.
#[derive(Clone, Debug, PartialEq)]
pub struct WidgetContext {
    /// The host element.
    pub host: Host,
    /// The validated options.
    pub options: Rc<MountOptions>,
    /// The loaded notice.
    pub loaded: Rc<Loaded>,
}

impl WidgetContext {
    /// What decision side effects need.
    pub fn decision_context(&self) -> DecisionContext {
        DecisionContext {
            host: self.host.clone(),
            endpoint: Rc::from(self.options.endpoint.as_str()),
            bundle: self.loaded.bundle.clone(),
            digest: self.loaded.digest,
            jurisdiction: self.loaded.jurisdiction.clone(),
            gpc: self.loaded.gpc,
        }
    }
}
