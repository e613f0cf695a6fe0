//! Runs the side effects of each new decision, and reports refused actions.

use yew::{UseReducerHandle, hook, use_effect_with};

use crate::context::WidgetContext;
use crate::state::Consent;
use consentry_web::decisions::{record_decision, report};
use consentry_web::error::RuntimeError;

/// When the reducer publishes a new decision: store it, dispatch `consentry:change` and queue
/// its receipt ([`consentry_web::decisions::record_decision`]). When it records a refused action:
/// `consentry:error` with code `action_refused`.
#[hook]
pub fn use_decision_effects(state: &UseReducerHandle<Consent>, ctx: &WidgetContext) {
    let decision = state.last_decision.clone();
    let seq = decision.as_ref().map_or(0, |d| d.seq);
    let dctx = ctx.decision_context();
    use_effect_with(seq, move |_| {
        if let Some(d) = decision {
            record_decision(&dctx, &d);
        }
    });
    let refusal = state.last_refusal.clone();
    let host = ctx.host.clone();
    use_effect_with(refusal.as_ref().map_or(0, |r| r.0), move |_| {
        if let Some((_, msg)) = refusal {
            report(&host, &RuntimeError::Transition(msg));
        }
    });
}
