//! The widget's one decision path: the consent session of a mount, the dialog's view and the
//! run of separate consent steps, and one function from (state, action) to (state, effect),
//! [`ConsentState::apply`]. Both the first module (web-sys) and the full widget (Yew, through
//! a `Reducible` newtype) drive their views with it.
//!
//! It is pure: it never touches storage, events or the network. A decision comes back as
//! [`Effect::Decided`] (and is kept as `last_decision`, with a sequence number); each module
//! then persists it, announces it and issues its receipt through [`crate::decisions`].

use std::rc::Rc;

use consentry_core::ids::PurposeId;
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::Gate;
use consentry_core::session::{Action, ConsentSession, Method, Outcome, Phase};

pub use crate::decisions::{Decision, Surface};

/// What one action did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing changed.
    Unchanged,
    /// The view or the switches changed; nothing was decided.
    Updated,
    /// A decision: to be stored, announced and receipted.
    Decided(Rc<Decision>),
    /// The action was refused (reported to the page, never silently dropped).
    Refused(String),
}

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
    /// Ask the separate consent steps still pending, one by one, as after "accept all": the
    /// steps kept when the visitor closed one (`queue`) first, numbered as before ("take them
    /// up again" in the settings, or the run carried on after a hand-over).
    AskSeparate,
    /// The "I am the parent or guardian" box, with what the regimes in force then require of
    /// each purpose (on before a choice, gate), as `config::purpose_rule` gives it.
    Guardian(bool, Vec<(PurposeId, (bool, Gate))>),
    /// "I agree" (`true`) or "I do not agree" on the consent step shown: a separate consent
    /// step decides either way; the GPC confirmation decides on "I agree" and otherwise goes
    /// back to the settings, nothing decided.
    Answer(bool),
    /// The separate consent steps another module of this page kept for later (closed
    /// unanswered), and the run they belong to, carried over when the full widget takes over.
    Kept(Vec<PurposeId>, Vec<PurposeId>),
    /// A tap on a purpose's switch in the settings: what it asks for is
    /// [`ConsentState::switch`] (a step, a withdrawal, or moving the draft).
    Switch(PurposeId),
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

    /// A purpose's switch as the settings show it: the choice in force for a purpose asked for
    /// separately (granted only in its own step), else the draft (a required purpose is on).
    pub fn switch_on(&self, id: &PurposeId) -> bool {
        let required = self
            .session
            .purposes()
            .iter()
            .any(|p| p.id == *id && p.required);
        if required {
            true
        } else if self.session.gate(id) == Some(Gate::Separate) {
            self.session.is_granted(id)
        } else {
            self.session.draft(id).unwrap_or(false)
        }
    }

    /// What a tap on a purpose's switch in the settings asks for: a purpose asked for
    /// separately is withdrawn at once when on, else asked in its own step (PIPL Arts. 23, 29,
    /// 39); a purpose held off by Global Privacy Control is turned on only through its
    /// confirmation step (CCPA regs § 7025(c)(3)); the others move the draft until "save".
    /// `None` for a switch that cannot move (required, or barred for a child).
    pub fn switch(&self, id: &PurposeId) -> Option<UiAction> {
        let gate = self.session.gate(id)?;
        let required = self
            .session
            .purposes()
            .iter()
            .any(|p| p.id == *id && p.required);
        if required || gate == Gate::Barred {
            return None;
        }
        let on = self.switch_on(id);
        Some(match (gate, on) {
            (Gate::Separate, true) => {
                UiAction::Session(Action::Withdraw(id.clone()), Surface::Settings)
            }
            (Gate::Separate, false) => UiAction::Open(View::Separate(id.clone())),
            (Gate::SignalOptOut, false) => UiAction::Open(View::GpcOptIn(id.clone())),
            _ => UiAction::Session(Action::Set(id.clone(), !on), Surface::Settings),
        })
    }

    /// The one transition: applies `action` and says what it did. Pure (no storage, events or
    /// network): the caller carries out a [`Effect::Decided`].
    pub fn apply(&mut self, action: UiAction) -> Effect {
        // What the interface actions below can change besides the session (which only
        // `Guardian`, `Kept` and `Reset` touch, and those always count as a change).
        let before = (
            self.view.clone(),
            self.in_run,
            self.queue.clone(),
            self.steps.len(),
        );
        let mut changed = false;
        match action {
            UiAction::Open(view) => {
                // Something else opened over a step of a run (the page's `show()`): the step
                // is kept for later, as on Close, not dropped.
                if let Some(View::Separate(id)) = self.view.clone().filter(|_| self.in_run)
                    && view != View::Separate(id.clone())
                {
                    self.queue.insert(0, id);
                    self.view = None;
                }
                // Opening the settings from closed shows the choices in force; switching views
                // inside the open dialog keeps the switches the visitor is setting.
                if view == View::Settings && self.view.is_none() {
                    let _ = self.session.apply(Action::Reopen);
                }
                self.view = Some(view);
                self.in_run = false;
            }
            // Closing a consent step decides nothing and drops nothing: that step and the
            // ones after it stay queued, offered again from the settings.
            UiAction::Close => {
                if let Some(View::Separate(id)) = self.view.take()
                    && self.in_run
                {
                    self.queue.insert(0, id);
                }
                self.in_run = false;
            }
            UiAction::AskSeparate => {
                // Only what is still pending: a step answered elsewhere meanwhile is gone.
                let pending = self.session.pending_separate();
                self.queue.retain(|id| pending.contains(id));
                if self.queue.is_empty() {
                    self.start_steps();
                }
                if !self.queue.is_empty() {
                    self.view = Some(View::Separate(self.queue.remove(0)));
                    self.in_run = true;
                }
            }
            UiAction::Guardian(on, rules) => {
                changed = true;
                self.guardian = on;
                self.session.set_rules(|id| {
                    rules
                        .iter()
                        .find(|(p, _)| p == id)
                        .map_or((false, Gate::Open), |(_, r)| *r)
                });
            }
            UiAction::Reset(session, jurisdiction) => {
                changed = true;
                self.session = session;
                self.jurisdiction = jurisdiction;
                self.queue.clear();
                self.steps.clear();
                self.in_run = false;
                if matches!(self.view, Some(View::Separate(_) | View::GpcOptIn(_))) {
                    self.view = None;
                }
            }
            UiAction::Session(a, surface) => return self.decide(a, surface),
            UiAction::Answer(yes) => {
                let a = match self.view.clone() {
                    Some(View::Separate(id)) => Action::Separate(id, yes),
                    Some(View::GpcOptIn(id)) if yes => Action::SignalOptIn(id),
                    Some(View::GpcOptIn(_)) => return self.apply(UiAction::Open(View::Settings)),
                    _ => return Effect::Unchanged,
                };
                return self.decide(a, Surface::Settings);
            }
            UiAction::Kept(waiting, steps) => {
                changed = true;
                let pending = self.session.pending_separate();
                self.queue = waiting;
                self.queue.retain(|id| pending.contains(id));
                self.steps = steps;
            }
            UiAction::Switch(id) => {
                if let Some(a) = self.switch(&id) {
                    return self.apply(a);
                }
            }
        }
        let after = (
            self.view.clone(),
            self.in_run,
            self.queue.clone(),
            self.steps.len(),
        );
        if changed || after != before {
            Effect::Updated
        } else {
            Effect::Unchanged
        }
    }

    fn decide(&mut self, a: Action, surface: Surface) -> Effect {
        let (was_in_run, was_view) = (self.in_run, self.view.clone());
        match self.session.apply(a) {
            Ok(Outcome::Decided(record)) => {
                // After "accept all", the purposes that need their own consent are asked one
                // by one; after a separate step, the next one; else the dialog closes.
                // Refusing or withdrawing everything ends the run; saving the other switches
                // keeps the steps still waiting.
                match record.method {
                    Method::AcceptAll => self.start_steps(),
                    Method::SeparateConsent | Method::SaveChoices => {
                        let pending = self.session.pending_separate();
                        self.queue.retain(|id| pending.contains(id));
                    }
                    _ => self.queue.clear(),
                }
                // The next step follows one of the run (not a step opened on its own from a
                // switch in the settings).
                let in_step = was_in_run && matches!(was_view, Some(View::Separate(_)));
                self.view = if record.method == Method::SignalOptIn {
                    // Back to the settings the step was opened from, switch now on.
                    Some(View::Settings)
                } else if self.queue.is_empty() || !(in_step || record.method == Method::AcceptAll)
                {
                    None
                } else {
                    Some(View::Separate(self.queue.remove(0)))
                };
                self.in_run = matches!(self.view, Some(View::Separate(_)));
                let d = Rc::new(Decision {
                    seq: self.decision_seq() + 1,
                    record,
                    surface,
                    guardian: self.guardian,
                    signal_opt_ins: self.session.signal_opt_ins(),
                });
                self.last_decision = Some(d.clone());
                Effect::Decided(d)
            }
            Ok(Outcome::Updated) => Effect::Updated,
            Ok(Outcome::Unchanged) => Effect::Unchanged,
            Err(e) => {
                let why = e.to_string();
                let seq = self.last_refusal.as_ref().map_or(0, |r| r.0) + 1;
                self.last_refusal = Some((seq, why.clone()));
                Effect::Refused(why)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `apply` as a value-to-value function, for chaining.
    trait Then {
        fn reduce(self, a: UiAction) -> Self;
    }
    impl Then for ConsentState {
        fn reduce(mut self, a: UiAction) -> Self {
            self.apply(a);
            self
        }
    }
    use consentry_core::session::PurposeRule;

    fn pid(s: &str) -> PurposeId {
        PurposeId::parse(s).unwrap()
    }

    /// A session over `(purpose, required)`, in that order.
    fn session(purposes: &[(&str, bool)]) -> ConsentSession {
        ConsentSession::new(
            purposes
                .iter()
                .map(|(id, required)| PurposeRule {
                    id: pid(id),
                    required: *required,
                })
                .collect(),
        )
    }

    fn gdpr() -> Jurisdiction {
        Jurisdiction::single(
            consentry_core::regime::Regime::Gdpr,
            None,
            consentry_core::regime::RegionSource::Default,
        )
    }

    fn state() -> ConsentState {
        ConsentState::new(session(&[("service", true), ("marketing", false)]), gdpr())
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
        let s = ConsentState::new(
            session(&[("service", true), ("abroad", false), ("health", false)])
                .with_rules(|_| (false, Gate::Separate)),
            gdpr(),
        );
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
        let s = ConsentState::new(
            session(&[("abroad", false), ("ads", false)]).with_rules(|_| (false, Gate::Separate)),
            gdpr(),
        );
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

    #[test]
    fn a_switch_asks_for_what_its_gate_allows() {
        let s = ConsentState::new(
            session(&[
                ("service", true),
                ("abroad", false),
                ("ads", false),
                ("stats", false),
                ("kids", false),
            ])
            .with_rules(|id| match id.as_str() {
                "abroad" => (false, Gate::Separate),
                "ads" => (false, Gate::SignalOptOut),
                "kids" => (false, Gate::Barred),
                _ => (false, Gate::Open),
            }),
            gdpr(),
        )
        .reduce(UiAction::Open(View::Settings));
        assert_eq!(s.switch(&pid("service")), None, "required: cannot move");
        assert_eq!(
            s.clone().apply(UiAction::Switch(pid("kids"))),
            Effect::Unchanged
        );
        assert_eq!(
            s.clone().reduce(UiAction::Switch(pid("ads"))).view,
            Some(View::GpcOptIn(pid("ads")))
        );
        assert_eq!(s.switch(&pid("kids")), None, "barred for a child");
        assert_eq!(s.switch(&pid("nope")), None, "not a purpose");
        assert_eq!(
            s.switch(&pid("abroad")),
            Some(UiAction::Open(View::Separate(pid("abroad")))),
            "off: asked in its own step"
        );
        assert_eq!(
            s.switch(&pid("ads")),
            Some(UiAction::Open(View::GpcOptIn(pid("ads")))),
            "held by GPC: only through the confirmation step"
        );
        assert_eq!(
            s.switch(&pid("stats")),
            Some(UiAction::Session(
                Action::Set(pid("stats"), true),
                Surface::Settings
            ))
        );
        let s = s
            .reduce(UiAction::Open(View::Separate(pid("abroad"))))
            .reduce(UiAction::Session(
                Action::Separate(pid("abroad"), true),
                Surface::Settings,
            ));
        assert!(s.switch_on(&pid("abroad")) && s.switch_on(&pid("service")));
        assert_eq!(
            s.switch(&pid("abroad")),
            Some(UiAction::Session(
                Action::Withdraw(pid("abroad")),
                Surface::Settings
            )),
            "on: withdrawn at once"
        );
    }

    #[test]
    fn apply_says_what_it_did() {
        let mut s = state();
        assert_eq!(s.apply(UiAction::Close), Effect::Unchanged);
        assert_eq!(s.apply(UiAction::Open(View::Settings)), Effect::Updated);
        assert!(matches!(
            s.apply(UiAction::Session(
                Action::Set(pid("service"), false),
                Surface::Settings
            )),
            Effect::Refused(_)
        ));
        match s.apply(UiAction::Session(Action::RejectAll, Surface::Settings)) {
            Effect::Decided(d) => assert_eq!((d.seq, d.record.method), (1, Method::RejectAll)),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn an_answer_decides_the_step_shown_and_nothing_else() {
        let s = ConsentState::new(
            session(&[("abroad", false), ("ads", false)]).with_rules(|id| match id.as_str() {
                "abroad" => (false, Gate::Separate),
                _ => (false, Gate::SignalOptOut),
            }),
            gdpr(),
        );
        // No step shown: an answer does nothing.
        assert_eq!(s.clone().apply(UiAction::Answer(true)), Effect::Unchanged);
        // The GPC confirmation: "I do not agree" goes back to the settings, nothing decided.
        let mut g = s
            .clone()
            .reduce(UiAction::Open(View::Settings))
            .reduce(UiAction::Switch(pid("ads")));
        assert_eq!(g.apply(UiAction::Answer(false)), Effect::Updated);
        assert_eq!(
            (g.view.clone(), g.decision_seq()),
            (Some(View::Settings), 0)
        );
        // "I agree" lifts the opt-out and returns to the settings, switch on.
        let g = g
            .reduce(UiAction::Switch(pid("ads")))
            .reduce(UiAction::Answer(true));
        assert_eq!(
            g.last_decision.as_ref().unwrap().record.method,
            Method::SignalOptIn
        );
        assert!(g.switch_on(&pid("ads")) && g.view == Some(View::Settings));
        // A separate step: "I do not agree" decides (the purpose stays refused).
        let s = s
            .reduce(UiAction::Open(View::Settings))
            .reduce(UiAction::Switch(pid("abroad")))
            .reduce(UiAction::Answer(false));
        let d = s.last_decision.clone().unwrap();
        assert_eq!(d.record.method, Method::SeparateConsent);
        assert!(!s.switch_on(&pid("abroad")));
    }

    #[test]
    fn steps_kept_by_another_module_carry_over_but_only_if_still_pending() {
        let s = ConsentState::new(
            session(&[("abroad", false), ("health", false)])
                .with_rules(|_| (false, Gate::Separate)),
            gdpr(),
        )
        .reduce(UiAction::Session(Action::AcceptAll, Surface::Banner))
        .reduce(UiAction::Session(
            Action::Separate(pid("abroad"), true),
            Surface::Settings,
        ))
        .reduce(UiAction::Close);
        // A second state over the same session (the full widget taking over) hears of the
        // kept step and its run: "abroad" was answered, so only "health" waits, still step 2.
        let mut t = ConsentState::new(s.session, gdpr());
        t.apply(UiAction::Kept(
            vec![pid("abroad"), pid("health")],
            vec![pid("abroad"), pid("health")],
        ));
        assert_eq!(t.steps_waiting(), 1);
        let t = t.reduce(UiAction::AskSeparate);
        assert_eq!(
            (t.view.clone(), t.step()),
            (Some(View::Separate(pid("health"))), Some((2, 2)))
        );
    }

    #[test]
    fn opening_the_settings_over_a_step_of_a_run_keeps_the_step() {
        let s = ConsentState::new(
            session(&[("abroad", false), ("health", false)])
                .with_rules(|_| (false, Gate::Separate)),
            gdpr(),
        )
        .reduce(UiAction::Session(Action::AcceptAll, Surface::Banner));
        assert_eq!(s.view, Some(View::Separate(pid("abroad"))));
        // The page calls `show()` while step 1 is up.
        let s = s.reduce(UiAction::Open(View::Settings));
        assert_eq!(s.view, Some(View::Settings));
        assert_eq!(s.steps_waiting(), 2, "both steps kept, none dropped");
        let s = s.reduce(UiAction::AskSeparate);
        assert_eq!(
            (s.view.clone(), s.step()),
            (Some(View::Separate(pid("abroad"))), Some((1, 2)))
        );
    }
}
