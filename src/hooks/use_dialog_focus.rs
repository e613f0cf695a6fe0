//! Focus for the dialog: in on open (and on each new view), back to the opener on close.

use yew::{NodeRef, hook, use_effect_with, use_mut_ref};

use crate::platform::dom::{self, FocusMemo};
use crate::state::View;

/// On open: remember what had focus, open the `<dialog>` modally (the page behind becomes
/// inert, so focus stays inside) and focus it; on a change of view inside the open dialog,
/// focus it again so the new content is announced from its title. On close without a
/// decision: return focus to what had it (the banner's button, the privacy-settings button,
/// or the page control that called `show()`). After any decision (the banner or the dialog is
/// gone): focus the privacy-settings button.
#[hook]
pub fn use_dialog_focus(
    view: Option<View>,
    decision_seq: u32,
    dialog_ref: NodeRef,
    privacy_ref: NodeRef,
) {
    let memo = use_mut_ref(FocusMemo::default);
    let was_open = use_mut_ref(|| false);
    let seen = use_mut_ref(|| decision_seq);
    use_effect_with((view, decision_seq), move |(view, seq)| {
        let decided = *seq != *seen.borrow();
        *seen.borrow_mut() = *seq;
        let before = *was_open.borrow();
        let open = view.is_some();
        if open {
            if !before {
                *memo.borrow_mut() = FocusMemo::capture();
            }
            dom::open_modal(&dialog_ref);
        } else if decided || (before && !memo.borrow().restore()) {
            dom::focus(&privacy_ref);
        }
        *was_open.borrow_mut() = open;
    });
}
