//! Presentational components: props in, callbacks out. No browser APIs here (those live in
//! [`crate::platform`]), so every component renders natively for the SSR snapshot tests.
//!
//! Markup conventions: BEM classes with the `cy-` prefix (all styling is in
//! `assets/consentry.css`; no inline `style` anywhere, for a strict CSP), stable
//! `data-testid`s, and text only as text nodes: notice strings are never parsed as HTML.

mod banner;
mod privacy_button;
mod root;
mod settings;
mod text;

pub use banner::{Banner, BannerProps};
pub use privacy_button::{PrivacyButton, PrivacyButtonProps};
pub use root::{Root, RootProps};
pub use settings::{SettingsDialog, SettingsProps};
pub use text::{message, message_plain, rich, safe_href};
