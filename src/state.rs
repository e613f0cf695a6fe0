//! The widget's one reducer: a [`Reducible`] newtype over the core
//! [`ConsentSession`], plus the little interface state that goes with it (is the settings view
//! open, and the latest decision for the side-effect hooks to pick up).
//!
//! The reducer is pure: it never touches storage, events or the network. Decisions are
//! published as [`Decision`]s with a sequence number; `hooks::use_decision_effects` reacts to
//! a new sequence number by persisting, dispatching `consentry:change` and issuing the receipt.

use std::rc::Rc;

use consentry_core::ids::PurposeId;
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::Gate;
use consentry_core::session::{Action, ConsentSession, Method, Outcome, Phase};
use yew::Reducible;

pub use consentry_web::decisions::{Decision, Surface};

/// What the dialog shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    /// The settings: one switch per purpose.
    Settings,
    /// The full notice: every section of the notice model.
    Notice,
    /// A consent step for one purpose on its own (PIPL separate consent).
    Separate(PurposeId),
    /// The confirmation step that lifts a Global Privacy Control opt-out for one purpose
    /// (CCPA regs § 7025(c)(3)): says that the signal opts the visitor out, then asks.
    GpcOptIn(PurposeId),
}

/// What the components and the API can ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UiAction {
    /// A session action taken on a surface (accept all, reject all, a switch, save, …).
    Session(Action, Surface),
    /// Open the dialog on a view (opening the settings from closed resets its switches to the
    /// choices in force).
    Open(View),
    /// Close the dialog without deciding.
    Close,
    /// Ask the separate consent steps still pending, one by one, as after "accept all" (the
    /// first module's "accept all" decided; the steps follow in this widget); the steps kept
    /// when the visitor closed one first (`queue`), numbered as before.
    AskSeparate,
    /// The "I am the parent or guardian" box, with what the regimes in force then require of
    /// each purpose (on before a choice, gate), as `config::purpose_rule` gives it.
    Guardian(bool, Vec<(PurposeId, (bool, Gate))>),
    /// Replace the session and the jurisdiction (the visitor corrected their region: new
    /// rules, defaults and gates).
    Reset(ConsentSession, Jurisdiction),
}

/// The reducer state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentState {
    /// The core session.
    pub session: ConsentSession,
    /// Region, regime and how they were determined.
    pub jurisdiction: Jurisdiction,
    /// The dialog's view, if open.
    pub view: Option<View>,
    /// Separate consent steps still to show after the current one, or, with the dialog
    /// closed, the steps the visitor closed unanswered (kept for later: the settings offer to
    /// answer them).
    pub queue: Vec<PurposeId>,
    /// Every step of the current run of separate consent steps, in order ("step 2 of 3").
    pub steps: Vec<PurposeId>,
    /// The step shown is one of a run (after "accept all" or taken up again), so answering it
    /// goes on to the next; not a step opened on its own from a switch in the settings.
    pub in_run: bool,
    /// Whether decisions are made by a parent or guardian.
    pub guardian: bool,
    /// The latest decision of this mount.
    pub last_decision: Option<Rc<Decision>>,
    /// The latest refused action, with a sequence number (reported, never silently dropped).
    pub last_refusal: Option<(u32, String)>,
}

impl ConsentState {
    /// Wraps a fresh or restored session made under `jurisdiction`.
    pub fn new(session: ConsentSession, jurisdiction: Jurisdiction) -> Self {
        Self {
            session,
            jurisdiction,
            view: None,
            queue: Vec::new(),
            steps: Vec::new(),
            in_run: false,
            guardian: false,
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

    /// The step shown, as (its number from 1, how many steps the run has), when the view is a
    /// separate consent step of a run of more than one.
    pub fn step(&self) -> Option<(usize, usize)> {
        let Some(View::Separate(id)) = self.view.as_ref().filter(|_| self.in_run) else {
            return None;
        };
        let n = self.steps.iter().position(|s| s == id)?;
        (self.steps.len() > 1).then_some((n + 1, self.steps.len()))
    }

    /// Separate consent steps the visitor closed unanswered and can take up again.
    pub fn steps_waiting(&self) -> usize {
        if self.view.is_none() || self.view == Some(View::Settings) {
            self.queue.len()
        } else {
            0
        }
    }

    fn start_steps(&mut self) {
        self.queue = self.session.pending_separate();
        self.steps = self.queue.clone();
    }

    /// The decision sequence number (0 before the first decision of this mount).
    pub fn decision_seq(&self) -> u32 {
        self.last_decision.as_ref().map_or(0, |d| d.seq)
    }

    fn with(self: Rc<Self>, f: impl FnOnce(&mut Self)) -> Rc<Self> {
        let mut next = (*self).clone();
        f(&mut next);
        if next == *self { self } else { Rc::new(next) }
    }
}

impl Reducible for ConsentState {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        match action {
            UiAction::Open(view) => self.with(|next| {
                // Opening the settings from closed shows the choices in force; switching views
                // inside the open dialog keeps the switches the visitor is setting.
                if view == View::Settings && next.view.is_none() {
                    let _ = next.session.apply(Action::Reopen);
                }
                next.view = Some(view);
                next.in_run = false;
            }),
            // Closing a consent step decides nothing and drops nothing: that step and the
            // ones after it stay queued, offered again from the settings.
            UiAction::Close => self.with(|next| {
                if let Some(View::Separate(id)) = next.view.take()
                    && next.in_run
                {
                    next.queue.insert(0, id);
                }
                next.in_run = false;
            }),
            UiAction::AskSeparate => self.with(|next| {
                // Only what is still pending: a step answered elsewhere meanwhile is gone.
                let pending = next.session.pending_separate();
                next.queue.retain(|id| pending.contains(id));
                if next.queue.is_empty() {
                    next.start_steps();
                }
                if !next.queue.is_empty() {
                    next.view = Some(View::Separate(next.queue.remove(0)));
                    next.in_run = true;
                }
            }),
            UiAction::Guardian(on, rules) => self.with(|next| {
                next.guardian = on;
                next.session.set_rules(|id| {
                    rules
                        .iter()
                        .find(|(p, _)| p == id)
                        .map_or((false, Gate::Open), |(_, r)| *r)
                });
            }),
            UiAction::Reset(session, jurisdiction) => self.with(|next| {
                next.session = session;
                next.jurisdiction = jurisdiction;
                next.queue.clear();
                next.steps.clear();
                next.in_run = false;
                if matches!(next.view, Some(View::Separate(_) | View::GpcOptIn(_))) {
                    next.view = None;
                }
            }),
            UiAction::Session(a, surface) => {
                let mut next = (*self).clone();
                match next.session.apply(a) {
                    Ok(Outcome::Decided(record)) => {
                        // After "accept all", the purposes that need their own consent are asked
                        // one by one; after a separate step, the next one; else the dialog closes.
                        // Refusing or withdrawing everything ends the run; saving the other
                        // switches keeps the steps still waiting.
                        match record.method {
                            Method::AcceptAll => next.start_steps(),
                            Method::SeparateConsent | Method::SaveChoices => {
                                let pending = next.session.pending_separate();
                                next.queue.retain(|id| pending.contains(id));
                            }
                            _ => next.queue.clear(),
                        }
                        // The next step follows one of the run (not a step opened on its own
                        // from a switch in the settings).
                        let in_step = self.in_run && matches!(self.view, Some(View::Separate(_)));
                        next.view = if record.method == Method::SignalOptIn {
                            // Back to the settings the step was opened from, switch now on.
                            Some(View::Settings)
                        } else if next.queue.is_empty()
                            || !(in_step || record.method == Method::AcceptAll)
                        {
                            None
                        } else {
                            Some(View::Separate(next.queue.remove(0)))
                        };
                        next.in_run = matches!(next.view, Some(View::Separate(_)));
                        next.last_decision = Some(Rc::new(Decision {
                            seq: self.decision_seq() + 1,
                            record,
                            surface,
                            guardian: self.guardian,
                            signal_opt_ins: next.session.signal_opt_ins(),
                        }));
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
    use consentry_core::session::PurposeRule;

    fn pid(s: &str) -> PurposeId {
        PurposeId::parse(s).unwrap()
    }

    fn gdpr() -> Jurisdiction {
        Jurisdiction::single(
            consentry_core::regime::Regime::Gdpr,
            None,
            consentry_core::regime::RegionSource::Default,
        )
    }

    fn state() -> Rc<ConsentState> {
        Rc::new(ConsentState::new(
            ConsentSession::new(vec![
                PurposeRule {
                    id: pid("service"),
                    required: true,
                },
                PurposeRule {
                    id: pid("marketing"),
                    required: false,
                },
            ]),
            gdpr(),
        ))
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
        let s = state().reduce(UiAction::Open(View::Settings));
        assert_eq!(s.view, Some(View::Settings));
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
        assert_eq!(s.view, None);
        assert_eq!(
            s.last_decision.as_ref().unwrap().record.method,
            Method::SaveChoices
        );
        // Reopening resets the switches to what is in force.
        let s = s
            .reduce(UiAction::Open(View::Settings))
            .reduce(UiAction::Session(
                Action::Set(pid("marketing"), false),
                Surface::Settings,
            ))
            .reduce(UiAction::Close)
            .reduce(UiAction::Open(View::Settings));
        assert_eq!(s.draft()[1], (pid("marketing"), true));
        // Switching views inside the open dialog keeps the unsaved switches.
        let s = s
            .reduce(UiAction::Session(
                Action::Set(pid("marketing"), false),
                Surface::Settings,
            ))
            .reduce(UiAction::Open(View::Notice))
            .reduce(UiAction::Open(View::Settings));
        assert_eq!(s.draft()[1], (pid("marketing"), false));
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

    #[test]
    fn accept_all_queues_each_separate_consent_step_and_records_the_guardian() {
        let s = Rc::new(ConsentState::new(
            ConsentSession::new(vec![
                PurposeRule {
                    id: pid("service"),
                    required: true,
                },
                PurposeRule {
                    id: pid("abroad"),
                    required: false,
                },
                PurposeRule {
                    id: pid("health"),
                    required: false,
                },
            ])
            .with_rules(|_| (false, Gate::Separate)),
            gdpr(),
        ));
        let s = s.reduce(UiAction::Guardian(
            true,
            vec![
                (pid("abroad"), (false, Gate::Separate)),
                (pid("health"), (false, Gate::Separate)),
            ],
        ));
        let s = s.reduce(UiAction::Session(Action::AcceptAll, Surface::Banner));
        assert!(s.last_decision.as_ref().unwrap().guardian);
        assert_eq!(s.view, Some(View::Separate(pid("abroad"))));
        assert_eq!(s.step(), Some((1, 2)), "numbered: step 1 of 2");
        let s = s.reduce(UiAction::Session(
            Action::Separate(pid("abroad"), true),
            Surface::Settings,
        ));
        let d = s.last_decision.clone().unwrap();
        assert_eq!((d.seq, d.record.method), (2, Method::SeparateConsent));
        assert!(
            d.guardian,
            "the guardian's answer holds for every step, asked once"
        );
        assert_eq!(s.view, Some(View::Separate(pid("health"))));
        assert_eq!(s.step(), Some((2, 2)));
        // Closing decides nothing and keeps the step for later.
        let s = s.reduce(UiAction::Close);
        assert_eq!(s.view, None);
        assert_eq!(s.steps_waiting(), 1);
        assert!(!s.session.is_granted(&pid("health")));
        assert!(s.session.is_granted(&pid("abroad")));
        // The settings offer it; taking it up shows it with its number.
        let s = s.reduce(UiAction::Open(View::Settings));
        assert_eq!(s.steps_waiting(), 1);
        let s = s.reduce(UiAction::AskSeparate);
        assert_eq!(s.view, Some(View::Separate(pid("health"))));
        assert_eq!(s.step(), Some((2, 2)));
        let s = s.reduce(UiAction::Session(
            Action::Separate(pid("health"), false),
            Surface::Settings,
        ));
        assert_eq!((s.view.clone(), s.steps_waiting()), (None, 0));
        // Reject all never opens a separate step.
        let s = s.reduce(UiAction::Session(Action::RejectAll, Surface::Banner));
        assert_eq!(s.view, None);
    }

    #[test]
    fn closing_the_first_step_keeps_every_step_and_reject_all_ends_them() {
        let s = Rc::new(ConsentState::new(
            ConsentSession::new(vec![
                PurposeRule {
                    id: pid("abroad"),
                    required: false,
                },
                PurposeRule {
                    id: pid("ads"),
                    required: false,
                },
            ])
            .with_rules(|_| (false, Gate::Separate)),
            gdpr(),
        ));
        let s = s.reduce(UiAction::Session(Action::AcceptAll, Surface::Banner));
        let s = s.reduce(UiAction::Close);
        assert_eq!(
            s.queue,
            vec![pid("abroad"), pid("ads")],
            "both kept, in order"
        );
        // A step opened on its own from a switch does not run on into the kept ones.
        let s = s.reduce(UiAction::Open(View::Settings));
        let s = s.reduce(UiAction::Open(View::Separate(pid("ads"))));
        let s = s.reduce(UiAction::Session(
            Action::Separate(pid("ads"), true),
            Surface::Settings,
        ));
        assert_eq!(s.view, None);
        assert_eq!(
            s.queue,
            vec![pid("abroad")],
            "answered, so no longer waiting"
        );
        let s = s.reduce(UiAction::Session(Action::RejectAll, Surface::Settings));
        assert_eq!(s.steps_waiting(), 0, "refusing everything ends the run");
    }
}
