//! The widget's one reducer: a [`Reducible`] newtype over the core
//! [`ConsentSession`], plus the little interface state that goes with it (is the settings view
//! open, and the latest decision for the side-effect hooks to pick up).
//!
//! The reducer is pure: it never touches storage, events or the network. Decisions are
//! published as [`Decision`]s with a sequence number; `hooks::use_decision_effects` reacts to
//! a new sequence number by persisting, dispatching `consentry:change` and issuing the receipt.

use std::rc::Rc;

use consentry_core::ids::PurposeId;
use consentry_core::session::{Action, ConsentSession, DecisionRecord, Outcome, Phase};
use yew::Reducible;

/// Where a decision was expressed (the receipt's `event.channel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    /// The first-layer banner.
    Banner,
    /// The settings view.
    Settings,
}

/// A decision the visitor just made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// 1 for the first decision of this mount, then +1.
    pub seq: u32,
    /// The core record (method, choices, previous choices, prior phase).
    pub record: DecisionRecord,
    /// Where it was made.
    pub surface: Surface,
}

/// What the components can ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UiAction {
    /// A session action taken on a surface (accept all, reject all, a switch, save, …).
    Session(Action, Surface),
    /// Open the settings view (resets its switches to the choices in force).
    OpenSettings,
    /// Close the settings view without deciding.
    CloseSettings,
}

/// The reducer state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentState {
    /// The core session.
    pub session: ConsentSession,
    /// Whether the settings view is open.
    pub settings_open: bool,
    /// The latest decision of this mount.
    pub last_decision: Option<Rc<Decision>>,
    /// The latest refused action, with a sequence number (reported, never silently dropped).
    pub last_refusal: Option<(u32, String)>,
}

impl ConsentState {
    /// Wraps a fresh or restored session.
    pub fn new(session: ConsentSession) -> Self {
        Self {
            session,
            settings_open: false,
            last_decision: None,
            last_refusal: None,
        }
    }

    /// Whether the first-layer banner is shown: no decision in force (never decided, or the
    /// stored one is stale).
    pub fn banner_visible(&self) -> bool {
        self.session.phase() != Phase::Decided
    }

    /// The switch positions for the settings view, in purpose order.
    pub fn draft(&self) -> Vec<(PurposeId, bool)> {
        self.session
            .purposes()
            .iter()
            .map(|p| {
                (
                    p.id.clone(),
                    self.session.draft(&p.id).unwrap_or(p.required),
                )
            })
            .collect()
    }

    fn decision_seq(&self) -> u32 {
        self.last_decision.as_ref().map_or(0, |d| d.seq)
    }
}

impl Reducible for ConsentState {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        match action {
            UiAction::OpenSettings => {
                // Already open: keep the switches the visitor is setting.
                if self.settings_open {
                    return self;
                }
                let mut next = (*self).clone();
                let _ = next.session.apply(Action::Reopen);
                next.settings_open = true;
                Rc::new(next)
            }
            UiAction::CloseSettings => {
                if !self.settings_open {
                    return self;
                }
                let mut next = (*self).clone();
                next.settings_open = false;
                Rc::new(next)
            }
            UiAction::Session(a, surface) => {
                let mut next = (*self).clone();
                match next.session.apply(a) {
                    Ok(Outcome::Decided(record)) => {
                        next.last_decision = Some(Rc::new(Decision {
                            seq: self.decision_seq() + 1,
                            record,
                            surface,
                        }));
                        next.settings_open = false;
                        Rc::new(next)
                    }
                    Ok(Outcome::Updated) => Rc::new(next),
                    Ok(Outcome::Unchanged) => self,
                    Err(e) => {
                        let seq = self.last_refusal.as_ref().map_or(0, |r| r.0) + 1;
                        let mut next = (*self).clone();
                        next.last_refusal = Some((seq, e.to_string()));
                        Rc::new(next)
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use consentry_core::session::{Method, PurposeRule};

    fn pid(s: &str) -> PurposeId {
        PurposeId::parse(s).unwrap()
    }

    fn state() -> Rc<ConsentState> {
        Rc::new(ConsentState::new(ConsentSession::new(
            vec![
                PurposeRule {
                    id: pid("service"),
                    required: true,
                },
                PurposeRule {
                    id: pid("marketing"),
                    required: false,
                },
            ],
            true,
        )))
    }

    #[test]
    fn a_banner_decision_is_published_with_a_sequence_number() {
        let s = state();
        assert!(s.banner_visible());
        let s = s.reduce(UiAction::Session(Action::RejectAll, Surface::Banner));
        let d = s.last_decision.clone().unwrap();
        assert_eq!(
            (d.seq, d.surface, d.record.method),
            (1, Surface::Banner, Method::RejectAll)
        );
        assert!(!s.banner_visible());
        let s = s.reduce(UiAction::Session(Action::AcceptAll, Surface::Settings));
        assert_eq!(s.last_decision.as_ref().unwrap().seq, 2);
    }

    #[test]
    fn settings_switches_change_the_draft_and_save_decides_and_closes() {
        let s = state().reduce(UiAction::OpenSettings);
        assert!(s.settings_open);
        let s = s.reduce(UiAction::Session(
            Action::Set(pid("marketing"), true),
            Surface::Settings,
        ));
        assert_eq!(s.draft()[1], (pid("marketing"), true));
        assert!(
            s.last_decision.is_none(),
            "a switch alone is not a decision"
        );
        let s = s.reduce(UiAction::Session(Action::Save, Surface::Settings));
        assert!(!s.settings_open);
        assert_eq!(
            s.last_decision.as_ref().unwrap().record.method,
            Method::SaveChoices
        );
        // Reopening resets the switches to what is in force.
        let s = s
            .reduce(UiAction::OpenSettings)
            .reduce(UiAction::Session(
                Action::Set(pid("marketing"), false),
                Surface::Settings,
            ))
            .reduce(UiAction::CloseSettings)
            .reduce(UiAction::OpenSettings);
        assert_eq!(s.draft()[1], (pid("marketing"), true));
    }

    #[test]
    fn a_refused_action_is_recorded_not_dropped() {
        let s = state().reduce(UiAction::Session(
            Action::Set(pid("service"), false),
            Surface::Settings,
        ));
        let (seq, msg) = s.last_refusal.clone().unwrap();
        assert_eq!(seq, 1);
        assert!(msg.contains("required"), "{msg}");
        assert_eq!(s.draft()[0], (pid("service"), true));
    }
}
