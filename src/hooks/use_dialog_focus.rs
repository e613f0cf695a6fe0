//! Focus for the settings dialog: in on open, back to the opener on close.

use yew::{NodeRef, hook, use_effect_with, use_mut_ref};

use crate::platform::dom::{self, FocusMemo};

/// On open: remember what had focus, open the `<dialog>` modally and focus it. On close
/// without a decision: return focus to what had it (the banner's settings button, the
/// privacy-settings button, or the page control that called `show()`). After any decision
/// (the banner or the dialog is gone): focus the privacy-settings button.
#[hook]
pub fn use_dialog_focus(open: bool, decision_seq: u32, dialog_ref: NodeRef, privacy_ref: NodeRef) {
    let memo = use_mut_ref(FocusMemo::default);
    let was_open = use_mut_ref(|| false);
    let seen = use_mut_ref(|| decision_seq);
    use_effect_with((open, decision_seq), move |&(open, seq)| {
        let decided = seq != *seen.borrow();
        *seen.borrow_mut() = seq;
        let before = *was_open.borrow();
        if open && !before {
            *memo.borrow_mut() = FocusMemo::capture();
            dom::open_modal(&dialog_ref);
        } else if !open && (before || decided) && (decided || !memo.borrow().restore()) {
            dom::focus(&privacy_ref);
        }
        *was_open.borrow_mut() = open;
    });
}
