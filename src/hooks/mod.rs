//! Side effects, each in its own hook: booting (fetch + verify), what follows a decision,
//! and focus management for the settings dialog.

mod use_boot;
mod use_decision_effects;
mod use_dialog_focus;

pub use use_boot::{BootState, fetch_verified, load, stored_user_region, use_boot};
pub use use_decision_effects::use_decision_effects;
pub use use_dialog_focus::use_dialog_focus;
