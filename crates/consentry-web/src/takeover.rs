//! What the first module hands the full widget when the full widget takes a mount over: one
//! typed value, written by the first module ([`Takeover::to_json`]) and read by the full widget
//! ([`Takeover::from_json`]), both from this file, so the two sides cannot disagree.
//!
//! The first module draws the banner, the settings and the consent steps; the full widget is
//! fetched for the full notice. By the time it is ready the visitor may have moved switches,
//! be in a consent step (of a run after "accept all", or opened from a switch), or have closed
//! steps unanswered: all of it is carried over, nothing is asked twice and nothing is dropped.

use consentry_core::ids::PurposeId;
use consentry_core::json::{self, Value};

/// What the full widget opens when it takes over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Nothing (another mount of the page asked; this one only follows).
    Nothing,
    /// The settings, with [`Takeover::draft`] and then [`Takeover::step`].
    Settings,
    /// The full notice.
    Notice,
    /// Carry on with the run of separate consent steps (PIPL Arts. 23, 29, 39) where it is:
    /// [`Takeover::waiting`] holds the step shown first, then the rest, numbered by
    /// [`Takeover::steps`].
    Steps,
}

impl Start {
    fn as_str(self) -> &'static str {
        match self {
            Start::Nothing => "",
            Start::Settings => "settings",
            Start::Notice => "notice",
            Start::Steps => "steps",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "" => Start::Nothing,
            "settings" => Start::Settings,
            "notice" => Start::Notice,
            "steps" => Start::Steps,
            _ => return None,
        })
    }
}

/// What the visitor had open over the settings when the full widget took over: a consent step
/// of one purpose (opened from its switch), or the full notice (asked for).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The full notice ("read the full privacy notice" in the settings).
    Notice,
    /// PIPL separate consent for this purpose.
    Separate(PurposeId),
    /// Lifting a Global Privacy Control opt-out for this purpose (CCPA regs § 7025(c)(3)).
    GpcOptIn(PurposeId),
}

/// The hand-over of one mount (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Takeover {
    /// What to open.
    pub start: Start,
    /// The guardian box as the visitor left it.
    pub guardian: bool,
    /// The settings' switches the visitor moved and has not saved, in notice order.
    pub draft: Vec<(PurposeId, bool)>,
    /// A consent step or the full notice, asked for from the settings.
    pub step: Option<Step>,
    /// The test id of the control that opened the dialog: focus returns there when it closes.
    pub opener: Option<String>,
    /// Separate consent steps still to ask, in order: those the visitor closed unanswered, kept
    /// for later, or (with [`Start::Steps`]) the rest of the run, the step shown first.
    pub waiting: Vec<PurposeId>,
    /// The run they belong to ("step 2 of 3" stays numbered as it was).
    pub steps: Vec<PurposeId>,
}

impl Takeover {
    /// A hand-over that opens `start` and carries nothing else.
    pub fn new(start: Start, guardian: bool) -> Self {
        Self {
            start,
            guardian,
            draft: Vec::new(),
            step: None,
            opener: None,
            waiting: Vec::new(),
            steps: Vec::new(),
        }
    }

    /// Canonical JSON: `{"draft":[[id,on],…],"guardian":b,"opener":id?,"start":s,
    /// "step":[kind,id]?,"steps":[id,…]?,"waiting":[id,…]?}`.
    pub fn to_json(&self) -> String {
        let mut m = vec![
            ("start", Value::str(self.start.as_str())),
            ("guardian", Value::Bool(self.guardian)),
            (
                "draft",
                Value::Arr(
                    self.draft
                        .iter()
                        .map(|(id, on)| Value::Arr(vec![Value::str(id.as_str()), Value::Bool(*on)]))
                        .collect(),
                ),
            ),
        ];
        if let Some(step) = &self.step {
            let step = match step {
                Step::Notice => vec![Value::str("notice")],
                Step::Separate(id) => vec![Value::str("separate"), Value::str(id.as_str())],
                Step::GpcOptIn(id) => vec![Value::str("gpc_opt_in"), Value::str(id.as_str())],
            };
            m.push(("step", Value::Arr(step)));
        }
        if let Some(o) = &self.opener {
            m.push(("opener", Value::str(o.as_str())));
        }
        let ids =
            |v: &[PurposeId]| Value::Arr(v.iter().map(|id| Value::str(id.as_str())).collect());
        if !self.waiting.is_empty() || !self.steps.is_empty() {
            m.push(("waiting", ids(&self.waiting)));
            m.push(("steps", ids(&self.steps)));
        }
        json::to_canonical_string(&Value::object(m))
    }

    /// Reads [`Takeover::to_json`]'s form; `None` for anything else (a malformed id, an unknown
    /// start or step, a missing member).
    pub fn from_json(text: &str) -> Option<Self> {
        let v = json::parse_str(text).ok()?;
        let draft = v
            .get("draft")?
            .as_array()?
            .iter()
            .map(|e| match e.as_array()? {
                [id, on] => Some((PurposeId::parse(id.as_str()?).ok()?, on.as_bool()?)),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        let step = match v.get("step") {
            None => None,
            Some(s) => match s.as_array()? {
                [kind] if kind.as_str()? == "notice" => Some(Step::Notice),
                [kind, id] => {
                    let id = PurposeId::parse(id.as_str()?).ok()?;
                    Some(match kind.as_str()? {
                        "separate" => Step::Separate(id),
                        "gpc_opt_in" => Step::GpcOptIn(id),
                        _ => return None,
                    })
                }
                _ => return None,
            },
        };
        let opener = match v.get("opener") {
            None => None,
            Some(o) => Some(o.as_str()?.to_owned()),
        };
        let ids = |key: &str| match v.get(key) {
            None => Some(Vec::new()),
            Some(a) => a
                .as_array()?
                .iter()
                .map(|id| PurposeId::parse(id.as_str()?).ok())
                .collect::<Option<Vec<_>>>(),
        };
        Some(Self {
            start: Start::parse(v.get("start")?.as_str()?)?,
            guardian: v.get("guardian")?.as_bool()?,
            draft,
            step,
            opener,
            waiting: ids("waiting")?,
            steps: ids("steps")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pid(s: &str) -> PurposeId {
        PurposeId::parse(s).unwrap()
    }

    #[test]
    fn every_hand_over_reads_back_as_written() {
        let all = [
            Takeover::new(Start::Nothing, false),
            Takeover::new(Start::Notice, true),
            Takeover {
                start: Start::Settings,
                guardian: true,
                draft: vec![(pid("marketing"), true), (pid("chat-transcript"), false)],
                step: Some(Step::Separate(pid("cross-border-transfer"))),
                opener: Some("consentry-open-settings".into()),
                waiting: vec![pid("health")],
                steps: vec![pid("cross-border-transfer"), pid("health")],
            },
            Takeover {
                waiting: vec![pid("abroad"), pid("ads")],
                steps: vec![pid("abroad"), pid("ads")],
                ..Takeover::new(Start::Notice, false)
            },
            Takeover {
                waiting: vec![pid("ads")],
                steps: vec![pid("abroad"), pid("ads")],
                ..Takeover::new(Start::Steps, true)
            },
            Takeover {
                step: Some(Step::GpcOptIn(pid("marketing"))),
                ..Takeover::new(Start::Settings, false)
            },
            Takeover {
                draft: vec![(pid("marketing"), false)],
                step: Some(Step::Notice),
                ..Takeover::new(Start::Settings, true)
            },
        ];
        for t in all {
            assert_eq!(Takeover::from_json(&t.to_json()), Some(t));
        }
    }

    #[test]
    fn a_malformed_hand_over_is_refused_not_guessed() {
        for bad in [
            "",
            "[]",
            r#"{"start":"settings","guardian":false}"#,
            r#"{"start":"elsewhere","guardian":false,"draft":[]}"#,
            r#"{"start":"settings","guardian":"yes","draft":[]}"#,
            r#"{"start":"settings","guardian":false,"draft":[["Not An Id",true]]}"#,
            r#"{"start":"settings","guardian":false,"draft":[["marketing"]]}"#,
            r#"{"start":"settings","guardian":false,"draft":[],"step":["other","marketing"]}"#,
            r#"{"start":"settings","guardian":false,"draft":[],"opener":3}"#,
            r#"{"start":"settings","guardian":false,"draft":[],"step":["separate"]}"#,
            r#"{"start":"settings","guardian":false,"draft":[],"step":["notice","marketing"]}"#,
            r#"{"start":"notice","guardian":false,"draft":[],"waiting":["Bad Id"],"steps":[]}"#,
            r#"{"start":"notice","guardian":false,"draft":[],"waiting":"abroad","steps":[]}"#,
        ] {
            assert_eq!(Takeover::from_json(bad), None, "{bad}");
        }
    }
}
