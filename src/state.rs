//! The Yew side of the widget's one decision path: [`Consent`], a [`Reducible`] newtype over
//! `consentry_web::state::ConsentState` (the same transition the first module runs). The
//! reducer stays pure; `hooks::use_decision_effects` reacts to a new decision's sequence
//! number by persisting, dispatching `consentry:change` and issuing the receipt.

use std::ops::Deref;
use std::rc::Rc;

use yew::Reducible;

pub use consentry_web::state::{ConsentState, Decision, Effect, Surface, UiAction, View};

/// The reducer state: [`ConsentState`] as Yew's `use_reducer` holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent(pub ConsentState);

impl Deref for Consent {
    type Target = ConsentState;

    fn deref(&self) -> &ConsentState {
        &self.0
    }
}

impl Reducible for Consent {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut next = self.0.clone();
        match next.apply(action) {
            // The same value: no re-render.
            Effect::Unchanged => self,
            _ => Rc::new(Self(next)),
        }
    }
}
