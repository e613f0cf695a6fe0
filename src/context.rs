//! What the mounted widget shares with its hooks once the notice is loaded.

use std::rc::Rc;

use consentry_core::bundle::LocaleBundle;
use consentry_core::encoding::Sha256Digest;
use consentry_core::receipt::Jurisdiction;

use crate::platform::Host;
use consentry_web::config::MountOptions;
use consentry_web::decisions::DecisionContext;

pub use consentry_web::boot::Loaded;

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
    /// The first layer's exact bytes (handed with each receipt to a signer elsewhere).
    pub first_layer: Rc<[u8]>,
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
            first_layer: self.first_layer.clone(),
            jurisdiction: self.jurisdiction.clone(),
            gpc: self.gpc,
            link: self.options.link.as_deref().map(Rc::from),
        }
    }
}
