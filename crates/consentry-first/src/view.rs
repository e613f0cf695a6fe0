//! The first layer's markup, built with the DOM directly: the same elements, classes, parts,
//! ids and test ids as the full widget's `Banner`, `PrivacyButton`, `Root` and `Dialog` on its
//! settings and consent-step views (each purpose's details once the details file is there), so
//! one stylesheet styles both and the full widget can take over without a visible change.
//! `tests/e2e/takeover.test.mjs` proves the two banners, settings and consent steps the same
//! for every shipped locale.
//!
//! Notice text only ever becomes text nodes (after `consentry_web::text::clean`); links keep
//! only `https:` and `mailto:` targets (`safe_href`), anything else shows as its label.

use consentry_core::bundle::{
    BundleLink, BundlePurpose, LocaleBundle, Manifest, Rich, Span, Transfer,
};
use consentry_core::regime::Gate;
use consentry_web::text::{clean, latin_runs, safe_href};
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

/// What the first layer shows.
pub struct View<'a> {
    /// The locale shown (its first layer).
    pub bundle: &'a LocaleBundle,
    /// The manifest (the language switcher's options).
    pub manifest: &'a Manifest,
    /// A decision is in force: the privacy-settings button instead of the banner.
    pub decided: bool,
    /// Say that the Global Privacy Control signal is honoured.
    pub gpc_honoured: bool,
    /// `Some(ticked)`: the guardian box (a regime in force sets a guardian age).
    pub guardian: Option<bool>,
    /// The values of the variables the notice places (`consentry_web::text::variables`; a
    /// first layer only ever has `age`: `first_layer_variables`).
    pub vars: &'a [(&'static str, String)],
    /// The links the banner itself shows (`consentry_core::regime::banner_links`: the US
    /// "Do Not Sell or Share" and "Limit the Use" links, where a US state law applies).
    pub links: &'a [(&'static str, &'a BundleLink)],
    /// Announce `decision-saved` in the status line.
    pub saved: bool,
    /// The dialog, when it is open.
    pub dialog: Option<Open<'a>>,
}

/// What the dialog shows.
pub enum Open<'a> {
    /// The settings.
    Settings(Settings<'a>),
    /// A consent step of one purpose.
    Step(Step<'a>),
}

/// A consent step of one purpose, with its details (it is drawn only once they are there):
/// PIPL separate consent (Arts. 23, 29, 39) or the confirmation that lifts a Global Privacy
/// Control opt-out (CCPA regs § 7025(c)(3)), as the full widget's `consent_step`.
pub struct Step<'a> {
    /// The purpose, its gate and basis, and its details.
    pub row: Row<'a>,
    /// The GPC confirmation (else a separate consent step).
    pub gpc: bool,
    /// (its number from 1, how many steps the run has), for a run of more than one.
    pub count: Option<(usize, usize)>,
    /// A US state law applies.
    pub us: bool,
}

/// The settings as they show at once: the purposes' names and switches, the three decisions.
pub struct Settings<'a> {
    /// Each purpose with its switch, in notice order.
    pub rows: Vec<Row<'a>>,
    /// A purpose whose consent step was asked for and is on its way (its switch is busy).
    pub waiting: Option<&'a str>,
    /// A US state law applies (the "sold or shared" flag links to the opt-out page).
    pub us: bool,
    /// The region corrector: (value, name) of each region the visitor can pick, by name, and
    /// the value selected; empty before the details (the names of "other") are there.
    pub regions: Vec<(String, String)>,
    /// The region selected.
    pub region: String,
    /// Separate consent steps were closed unanswered: say so, with a way to take them up.
    pub steps_waiting: bool,
    /// A decision is in force: its receipt can be downloaded.
    pub decided: bool,
    /// The data-subject request form, once the details (the rights offered, the form's
    /// labels) are there and the notice offers a kind of request.
    pub request: Option<Request<'a>>,
}

/// The data-subject request form of the settings (ADR 0019): what the visitor picked and typed
/// (kept across redraws) and what became of the last try.
pub struct Request<'a> {
    /// The kinds the notice's `[rights]` offers, in core's order (their labels are
    /// `right-<kind>`).
    pub kinds: Vec<&'static str>,
    /// The kind picked.
    pub kind: Option<&'a str>,
    /// What was typed.
    pub details: &'a str,
    /// A decision is in force (else the form says to decide first).
    pub decided: bool,
    /// What the status line says (`consentry_web::requests::Form::shown`: without a decision,
    /// that a choice comes first).
    pub status: &'a RequestStatus,
}

/// What the request form's status line says (an `aria-live` region, updated in place): the
/// rule is `consentry_web::requests`'s, shared with the full widget.
pub use consentry_web::requests::Status as RequestStatus;

/// One purpose's row of the settings.
pub struct Row<'a> {
    /// The purpose (its name from the first layer).
    pub purpose: &'a BundlePurpose,
    /// The switch position (the draft; the choice in force for a separate purpose).
    pub on: bool,
    /// How it may be decided.
    pub gate: Gate,
    /// The legal basis a receipt records for it under the regimes in force.
    pub basis: &'a str,
    /// Its details, once the complete notice is there: the retention in words of the notice's
    /// language, and the transfers to show (of the laws that apply to this visitor).
    pub details: Option<(String, Vec<&'a Transfer>)>,
}

impl Row<'_> {
    /// The badge beside the name (as the full widget's settings give it).
    fn badge(&self) -> &'static str {
        let on = self.purpose.required || self.on;
        if self.purpose.required {
            "required-purpose"
        } else if self.gate == Gate::Barred {
            "barred-for-child-label"
        } else if self.gate == Gate::Separate {
            "separate-consent-label"
        } else if self.gate == Gate::SignalOptOut && !on {
            "gpc-held-label"
        } else if self.basis != "consent" {
            // Runs on notice with a right to opt out or object: said as such, not as consent.
            "opt-out-label"
        } else {
            ""
        }
    }
}

type R<T> = Result<T, JsValue>;

struct Builder<'v> {
    doc: Document,
    vars: &'v [(&'static str, String)],
}

impl Builder<'_> {
    /// `<tag class attr=value…>`.
    fn el(&self, tag: &str, class: &str, attrs: &[(&str, &str)]) -> R<Element> {
        let e = self.doc.create_element(tag)?;
        if !class.is_empty() {
            e.set_attribute("class", class)?;
        }
        for (k, v) in attrs {
            e.set_attribute(k, v)?;
        }
        Ok(e)
    }

    /// Appends notice text as one text node, cleaned.
    fn text(&self, parent: &Element, s: &str) -> R<()> {
        parent.append_child(&self.doc.create_text_node(&clean(s)))?;
        Ok(())
    }

    /// Appends the message `id` as rich text; a message the locale lacks shows its id.
    fn message(&self, parent: &Element, b: &LocaleBundle, id: &str) -> R<()> {
        let Some(r) = b.message(id) else {
            return self.text(parent, id);
        };
        // A variable with no value (a notice `consentry lint` would refuse) shows its name.
        self.rich(parent, &consentry_web::text::fill(r, self.vars))
    }

    /// Appends rich notice text (a purpose's name): text nodes and safe links.
    fn rich(&self, parent: &Element, r: &Rich) -> R<()> {
        for span in &r.0 {
            match span {
                Span::Text(t) => self.text(parent, t)?,
                Span::Link { href, text } if safe_href(href) => {
                    let a = self.el("a", "cy-link", &[("href", href), ("dir", "auto")])?;
                    self.text(&a, text)?;
                    parent.append_child(&a)?;
                }
                Span::Link { text, .. } => self.text(parent, text)?,
                Span::Var(name) => self.text(parent, name)?,
            }
        }
        Ok(())
    }

    /// `<tag class attrs>` holding the message `id`, appended to `parent`.
    fn child(
        &self,
        parent: &Element,
        tag: &str,
        class: &str,
        attrs: &[(&str, &str)],
        b: &LocaleBundle,
        id: &str,
    ) -> R<Element> {
        let e = self.el(tag, class, attrs)?;
        self.message(&e, b, id)?;
        parent.append_child(&e)?;
        Ok(e)
    }

    /// The "I am the parent or guardian" box.
    fn guardian(
        &self,
        parent: &Element,
        b: &LocaleBundle,
        ticked: bool,
        id: &str,
        testid: &str,
    ) -> R<()> {
        let row = self.el("div", "cy-check", &[])?;
        let input = self.el(
            "input",
            "cy-check__box",
            &[("type", "checkbox"), ("id", id), ("data-testid", testid)],
        )?;
        if ticked {
            input.set_attribute("checked", "")?;
        }
        row.append_child(&input)?;
        self.child(
            &row,
            "label",
            "cy-check__label",
            &[("for", id)],
            b,
            "guardian-label",
        )?;
        parent.append_child(&row)?;
        Ok(())
    }

    /// A row of decision buttons of one class and part (equal weight): (test id, message id).
    fn actions(&self, b: &LocaleBundle, buttons: &[(&str, &str)]) -> R<Element> {
        let actions = self.el("div", "cy-actions", &[])?;
        for (testid, id) in buttons {
            self.child(
                &actions,
                "button",
                "cy-button",
                &[
                    ("type", "button"),
                    ("part", "button"),
                    ("data-testid", testid),
                ],
                b,
                id,
            )?;
        }
        Ok(actions)
    }

    /// The language switcher (only when the notice has more than one language).
    fn language(
        &self,
        parent: &Element,
        b: &LocaleBundle,
        manifest: &Manifest,
        id: &str,
        testid: &str,
    ) -> R<()> {
        if manifest.locales.len() < 2 {
            return Ok(());
        }
        let field = self.el("div", "cy-field", &[])?;
        self.child(
            &field,
            "label",
            "cy-field__label",
            &[("for", id)],
            b,
            "language-label",
        )?;
        let select = self.el(
            "select",
            "cy-select",
            &[("id", id), ("data-testid", testid)],
        )?;
        for e in &manifest.locales {
            let tag = e.locale.as_str();
            let option = self.el("option", "", &[("value", tag), ("lang", tag)])?;
            if e.locale == b.locale {
                option.set_attribute("selected", "")?;
            }
            self.text(&option, &e.name)?;
            select.append_child(&option)?;
        }
        field.append_child(&select)?;
        parent.append_child(&field)?;
        Ok(())
    }

    /// The `<dialog>` with its header (title, close button) and an empty body, as the full
    /// widget's `Dialog` has them: (dialog, body).
    fn shell(&self, b: &LocaleBundle, testid: &str, title: &str) -> R<(Element, Element)> {
        let dialog = self.el(
            "dialog",
            "cy-dialog",
            &[
                ("role", "dialog"),
                ("aria-modal", "true"),
                ("aria-labelledby", "cy-dialog-title"),
                ("aria-describedby", "cy-dialog-intro"),
                ("tabindex", "-1"),
                ("data-testid", testid),
                ("part", "dialog"),
            ],
        )?;
        let header = self.el("div", "cy-dialog__header", &[])?;
        self.child(
            &header,
            "h2",
            "cy-dialog__title",
            &[("id", "cy-dialog-title")],
            b,
            title,
        )?;
        self.child(
            &header,
            "button",
            "cy-dialog__close",
            &[("type", "button"), ("data-testid", "consentry-close")],
            b,
            "close",
        )?;
        dialog.append_child(&header)?;
        let body = self.el("div", "cy-dialog__body", &[])?;
        Ok((dialog, body))
    }

    /// A consent step (see [`Step`]): why this use is asked on its own, what it is, who
    /// receives the data and where it goes, and "I agree" / "I do not agree" of equal weight.
    fn step(&self, root: &Element, v: &View<'_>, s: &Step<'_>) -> R<()> {
        let b = v.bundle;
        let (testid, title, intro) = if s.gpc {
            (
                "consentry-gpc-opt-in",
                "gpc-opt-in-title",
                "gpc-opt-in-intro",
            )
        } else {
            (
                "consentry-separate",
                "separate-consent-title",
                "separate-consent-intro",
            )
        };
        let (dialog, body) = self.shell(b, testid, title)?;
        if let Some((r, (n, of))) = b.message("separate-consent-step").zip(s.count) {
            let p = self.el("p", "cy-step", &[("data-testid", "consentry-step")])?;
            let vars = [("step", n.to_string()), ("steps", of.to_string())];
            self.rich(&p, &consentry_web::text::fill(r, &vars))?;
            body.append_child(&p)?;
        }
        self.child(
            &body,
            "p",
            "cy-dialog__intro",
            &[("id", "cy-dialog-intro")],
            b,
            intro,
        )?;
        if s.gpc && v.gpc_honoured {
            self.child(
                &body,
                "p",
                "cy-note",
                &[("id", "cy-gpc-step"), ("data-testid", "consentry-gpc")],
                b,
                "gpc-honoured",
            )?;
        }
        let p = s.row.purpose;
        let h = self.el(
            "h3",
            "cy-section__heading",
            &[("data-testid", "consentry-separate-purpose")],
        )?;
        self.rich(&h, &p.name)?;
        body.append_child(&h)?;
        let text = self.el("p", "cy-section__text", &[])?;
        self.rich(&text, &p.description)?;
        body.append_child(&text)?;
        if let Some((retention, shown)) = &s.row.details {
            self.facts(&body, b, &s.row, s.us, retention, shown)?;
        }
        dialog.append_child(&body)?;
        let actions = self.actions(
            b,
            &[
                ("consentry-agree", "agree"),
                ("consentry-disagree", "disagree"),
            ],
        )?;
        dialog.append_child(&actions)?;
        root.append_child(&dialog)?;
        Ok(())
    }

    /// The open dialog, if any.
    fn dialog(&self, root: &Element, v: &View<'_>) -> R<()> {
        match &v.dialog {
            Some(Open::Settings(s)) => self.settings(root, v, s),
            Some(Open::Step(s)) => self.step(root, v, s),
            None => Ok(()),
        }
    }

    /// The settings dialog as it shows at once (see the module docs): the full widget's
    /// `Dialog` on its settings view, each purpose's disclosure of details once they are there.
    fn settings(&self, root: &Element, v: &View<'_>, s: &Settings<'_>) -> R<()> {
        let b = v.bundle;
        let (dialog, body) = self.shell(b, "consentry-settings", "settings-title")?;
        self.child(
            &body,
            "p",
            "cy-dialog__intro",
            &[("id", "cy-dialog-intro")],
            b,
            "settings-intro",
        )?;
        if s.steps_waiting {
            let note = self.el(
                "p",
                "cy-note",
                &[("data-testid", "consentry-steps-waiting")],
            )?;
            self.message(&note, b, "separate-consent-waiting")?;
            self.text(&note, " ")?;
            self.child(
                &note,
                "button",
                "cy-link-button",
                &[
                    ("type", "button"),
                    ("data-testid", "consentry-resume-steps"),
                ],
                b,
                "separate-consent-resume",
            )?;
            body.append_child(&note)?;
        }
        if v.gpc_honoured {
            self.child(
                &body,
                "p",
                "cy-note",
                &[("id", "cy-gpc-dialog"), ("data-testid", "consentry-gpc")],
                b,
                "gpc-honoured",
            )?;
        }
        if let Some(ticked) = v.guardian {
            self.guardian(
                &body,
                b,
                ticked,
                "cy-guardian-dialog",
                "consentry-dialog-guardian",
            )?;
        }
        let list = self.el("ul", "cy-purposes", &[])?;
        for row in &s.rows {
            let li = self.row(b, row, s.waiting, s.us)?;
            list.append_child(&li)?;
        }
        body.append_child(&list)?;
        let more = self.el("div", "cy-more", &[])?;
        self.child(
            &more,
            "button",
            "cy-link-button",
            &[("type", "button"), ("data-testid", "consentry-open-notice")],
            b,
            "open-full-notice",
        )?;
        if s.decided {
            self.child(
                &more,
                "button",
                "cy-link-button",
                &[("type", "button"), ("data-testid", "consentry-download")],
                b,
                "download-receipt",
            )?;
        }
        body.append_child(&more)?;
        let prefs = self.el("div", "cy-prefs", &[])?;
        self.language(
            &prefs,
            b,
            v.manifest,
            "cy-language-dialog",
            "consentry-dialog-language",
        )?;
        if !s.regions.is_empty() {
            let field = self.el("div", "cy-field", &[])?;
            self.child(
                &field,
                "label",
                "cy-field__label",
                &[("for", "cy-region")],
                b,
                "region-label",
            )?;
            let select = self.el(
                "select",
                "cy-select",
                &[("id", "cy-region"), ("data-testid", "consentry-region")],
            )?;
            for (value, name) in &s.regions {
                let option = self.el("option", "", &[("value", value)])?;
                if *value == s.region {
                    option.set_attribute("selected", "")?;
                }
                self.text(&option, name)?;
                select.append_child(&option)?;
            }
            field.append_child(&select)?;
            prefs.append_child(&field)?;
        }
        body.append_child(&prefs)?;
        if let Some(r) = &s.request {
            self.request(&body, b, r)?;
        }
        dialog.append_child(&body)?;
        let actions = self.actions(
            b,
            &[
                ("consentry-save", "save-choices"),
                ("consentry-accept-all", "accept-all"),
                ("consentry-reject-all", "reject-all"),
            ],
        )?;
        dialog.append_child(&actions)?;
        root.append_child(&dialog)?;
        Ok(())
    }

    /// The data-subject request form (see [`Request`]): one kind of those the notice offers
    /// (radio buttons in a fieldset with its legend), optional details, send, and a status line
    /// that screen readers announce. Without a decision in force it says to decide first.
    fn request(&self, parent: &Element, b: &LocaleBundle, r: &Request<'_>) -> R<()> {
        let section = self.el(
            "section",
            "cy-request",
            &[
                ("aria-labelledby", "cy-request-title"),
                ("data-testid", "consentry-request"),
            ],
        )?;
        self.child(
            &section,
            "h3",
            "cy-section__heading",
            &[("id", "cy-request-title")],
            b,
            "request-heading",
        )?;
        if r.decided {
            let kinds = self.el("fieldset", "cy-request__kinds", &[])?;
            self.child(
                &kinds,
                "legend",
                "cy-field__label",
                &[],
                b,
                "request-kind-label",
            )?;
            for k in &r.kinds {
                let row = self.el("div", "cy-check", &[])?;
                let id = ["cy-request-kind-", k].concat();
                let testid = ["consentry-request-kind-", k].concat();
                let input = self.el(
                    "input",
                    "cy-check__box",
                    &[
                        ("type", "radio"),
                        ("name", "cy-request-kind"),
                        ("value", k),
                        ("id", &id),
                        ("data-testid", &testid),
                    ],
                )?;
                if r.kind == Some(*k) {
                    input.set_attribute("checked", "")?;
                }
                row.append_child(&input)?;
                let label = ["right-", k].concat();
                self.child(&row, "label", "cy-check__label", &[("for", &id)], b, &label)?;
                kinds.append_child(&row)?;
            }
            section.append_child(&kinds)?;
            let field = self.el("div", "cy-field", &[])?;
            self.child(
                &field,
                "label",
                "cy-field__label",
                &[("for", "cy-request-details")],
                b,
                "request-details-label",
            )?;
            let max = consentry_core::receipt::request::MAX_DETAILS.to_string();
            let area = self.el(
                "textarea",
                "cy-textarea",
                &[
                    ("id", "cy-request-details"),
                    ("rows", "3"),
                    ("maxlength", &max),
                    ("dir", "auto"),
                    ("data-testid", "consentry-request-details"),
                ],
            )?;
            area.append_child(&self.doc.create_text_node(r.details))?;
            field.append_child(&area)?;
            section.append_child(&field)?;
            self.child(
                &section,
                "button",
                "cy-button",
                &[
                    ("type", "button"),
                    ("part", "button"),
                    ("data-testid", "consentry-request-send"),
                ],
                b,
                "request-send",
            )?;
        }
        let status = self.el(
            "div",
            "cy-request__status",
            &[
                ("role", "status"),
                ("aria-live", "polite"),
                ("data-testid", "consentry-request-status"),
            ],
        )?;
        self.request_status(&status, b, r.status)?;
        section.append_child(&status)?;
        parent.append_child(&section)?;
        Ok(())
    }

    /// What the request form's status line says (see [`RequestStatus`]; its `data-state` and
    /// opening message are `RequestStatus::line`'s).
    fn request_status(&self, status: &Element, b: &LocaleBundle, s: &RequestStatus) -> R<()> {
        status.set_text_content(None);
        let Some((state, said)) = s.line() else {
            return status.remove_attribute("data-state");
        };
        match s {
            RequestStatus::Sent {
                request_id,
                deadline,
                date,
            } => {
                self.child(status, "p", "", &[], b, said)?;
                let dl = self.el("dl", "cy-facts", &[])?;
                self.child(&dl, "dt", "", &[], b, "request-id-label")?;
                let dd = self.el("dd", "", &[("data-testid", "consentry-request-id")])?;
                let id = self.el("bdi", "", &[("dir", "ltr")])?;
                self.text(&id, request_id)?;
                dd.append_child(&id)?;
                dl.append_child(&dd)?;
                self.child(&dl, "dt", "", &[], b, "request-deadline-label")?;
                let dd = self.el("dd", "", &[])?;
                let time = self.el(
                    "time",
                    "",
                    &[
                        ("datetime", deadline),
                        ("data-testid", "consentry-request-deadline"),
                    ],
                )?;
                self.text(&time, date)?;
                dd.append_child(&time)?;
                dl.append_child(&dd)?;
                status.append_child(&dl)?;
            }
            RequestStatus::Failed(code) => {
                self.message(status, b, said)?;
                self.text(status, " (")?;
                let c = self.el("bdi", "", &[("dir", "ltr")])?;
                self.text(&c, code)?;
                status.append_child(&c)?;
                self.text(status, ")")?;
            }
            _ => self.message(status, b, said)?,
        }
        status.set_attribute("data-state", state)
    }

    /// A fact's value that is a name: isolated (`<bdi>`), each Latin run inside right-to-left
    /// text isolated left to right (`consentry_web::text::latin_runs`).
    fn name(&self, parent: &Element, s: &str) -> R<()> {
        let s = clean(s);
        let bdi = self.el("bdi", "", &[])?;
        let runs = latin_runs(&s);
        if runs.len() < 2 {
            bdi.append_child(&self.doc.create_text_node(&s))?;
        } else {
            for (latin, t) in runs {
                if latin {
                    let inner = self.el("bdi", "", &[("dir", "ltr")])?;
                    inner.append_child(&self.doc.create_text_node(t))?;
                    bdi.append_child(&inner)?;
                } else {
                    bdi.append_child(&self.doc.create_text_node(t))?;
                }
            }
        }
        parent.append_child(&bdi)?;
        Ok(())
    }

    /// A label from the bundle's label helpers, else the id itself.
    fn label(&self, parent: &Element, found: Option<&Rich>, id: &str) -> R<()> {
        match found {
            Some(r) => self.rich(parent, r),
            None => self.text(parent, id),
        }
    }

    /// A link, when its target is safe; else its label as text.
    fn link(&self, parent: &Element, href: &str, label: &str) -> R<()> {
        if safe_href(href) {
            let a = self.el("a", "cy-link", &[("href", href), ("dir", "auto")])?;
            self.text(&a, label)?;
            parent.append_child(&a)?;
            Ok(())
        } else {
            self.text(parent, label)
        }
    }

    /// `<ul class="cy-list">` of items, each filled by `fill` (nothing when there are none).
    fn list<T>(
        &self,
        parent: &Element,
        items: &[T],
        fill: &dyn Fn(&Element, &T) -> R<()>,
    ) -> R<()> {
        if items.is_empty() {
            return Ok(());
        }
        let ul = self.el("ul", "cy-list", &[])?;
        for i in items {
            let li = self.el("li", "", &[])?;
            fill(&li, i)?;
            ul.append_child(&li)?;
        }
        parent.append_child(&ul)?;
        Ok(())
    }

    /// One fact: `<dt>` label, `<dd>` value.
    fn fact(
        &self,
        dl: &Element,
        b: &LocaleBundle,
        label: &str,
        value: &dyn Fn(&Element) -> R<()>,
    ) -> R<()> {
        self.child(dl, "dt", "", &[], b, label)?;
        let dd = self.el("dd", "", &[])?;
        value(&dd)?;
        dl.append_child(&dd)?;
        Ok(())
    }

    /// The facts of a purpose under the regimes in force (as the full widget's settings give
    /// them; not inlined: one copy, whatever calls it): flags for sensitive data, separate consent, sale or sharing (with the opt-out
    /// link where a US state law applies); legal basis (and the legitimate interest pursued),
    /// the data used, where it is collected, how long it is kept, the processors and third
    /// parties, transfers abroad with their safeguards, recipients and contacts, why sensitive
    /// data is needed, how automated decisions work.
    #[inline(never)]
    fn facts(
        &self,
        parent: &Element,
        b: &LocaleBundle,
        r: &Row<'_>,
        us: bool,
        retention: &str,
        shown: &[&Transfer],
    ) -> R<()> {
        let p = r.purpose;
        let opt_out = b
            .ccpa_opt_out_link
            .as_deref()
            .and_then(|n| b.link(n))
            .filter(|_| us);
        let flags: Vec<&str> = [
            (p.sensitive, "sensitive-label"),
            (r.gate == Gate::Separate, "separate-consent-label"),
            (p.sold_or_shared, "sold-or-shared-label"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, id)| id)
        .collect();
        if !flags.is_empty() {
            let ul = self.el("ul", "cy-flags", &[])?;
            for id in flags {
                let li = self.el("li", "", &[])?;
                self.message(&li, b, id)?;
                if let (Some(l), "sold-or-shared-label") = (opt_out, id) {
                    self.text(&li, " ")?;
                    self.link(&li, &l.href, &l.text)?;
                }
                ul.append_child(&li)?;
            }
            parent.append_child(&ul)?;
        }
        let dl = self.el("dl", "cy-facts", &[])?;
        let basis = r.basis;
        self.fact(&dl, b, "legal-basis-label", &|dd| {
            self.label(dd, b.legal_basis_label(basis), basis)
        })?;
        if let (true, Some(li)) = (basis == "legitimate-interests", &p.legitimate_interest) {
            self.fact(&dl, b, "legitimate-interest-label", &|dd| self.rich(dd, li))?;
        }
        if !p.data_categories.is_empty() {
            self.fact(&dl, b, "data-categories-label", &|dd| {
                self.list(dd, &p.data_categories, &|li, c| {
                    self.label(li, b.data_category_label(c), c)
                })
            })?;
        }
        if !p.channels.is_empty() {
            self.fact(&dl, b, "channels-label", &|dd| {
                self.list(dd, &p.channels, &|li, c| {
                    self.label(li, b.channel_label(c), c)
                })
            })?;
        }
        self.fact(&dl, b, "retention-label", &|dd| {
            let data = self.el("data", "", &[("value", &p.retention)])?;
            self.text(&data, retention)?;
            dd.append_child(&data)?;
            Ok(())
        })?;
        if !p.processors.is_empty() {
            self.fact(&dl, b, "processors-label", &|dd| {
                self.list(dd, &p.processors, &|li, n| self.name(li, b.shown(n)))
            })?;
        }
        let third: Vec<&String> = p
            .recipients
            .iter()
            .filter(|r| !p.processors.contains(r))
            .collect();
        if !third.is_empty() {
            self.fact(&dl, b, "third-parties-label", &|dd| {
                self.list(dd, &third, &|li, n| self.name(li, b.shown(n)))
            })?;
        }
        if !shown.is_empty() {
            // Each destination once, then its safeguards, recipients and contacts on their own
            // lines (no punctuation to localize).
            let mut dests: Vec<(&str, Vec<&Transfer>)> = Vec::new();
            for t in shown {
                match dests.iter_mut().find(|(d, _)| *d == t.destination.as_str()) {
                    Some((_, ts)) => ts.push(t),
                    None => dests.push((t.destination.as_str(), vec![t])),
                }
            }
            self.fact(&dl, b, "transfers-label", &|dd| {
                self.list(dd, &dests, &|li, (dest, ts)| {
                    let mut key = String::from("country-");
                    key.push_str(dest);
                    self.label(li, b.message(&key), dest)?;
                    // Safeguards, then recipients, then contacts, each once.
                    let mut lines: Vec<(u8, &str)> = Vec::new();
                    let all = ts
                        .iter()
                        .map(|t| (0u8, t.safeguard.as_str()))
                        .chain(
                            ts.iter()
                                .filter_map(|t| t.recipient.as_deref().map(|r| (1u8, r))),
                        )
                        .chain(
                            ts.iter()
                                .filter_map(|t| t.contact.as_deref().map(|c| (2u8, c))),
                        );
                    for line in all {
                        if !lines.contains(&line) {
                            lines.push(line);
                        }
                    }
                    lines.retain(|(k, n)| *k != 2 || b.link(n).is_some());
                    self.list(li, &lines, &|li, (kind, v)| match kind {
                        0 => {
                            let mut key = String::from("safeguard-");
                            key.push_str(v);
                            self.label(li, b.message(&key), v)
                        }
                        1 => self.name(li, b.shown(v)),
                        _ => match b.link(v) {
                            Some(l) => self.link(li, &l.href, &l.text),
                            None => Ok(()),
                        },
                    })
                })
            })?;
        }
        if let Some(t) = &p.sensitive_impact {
            self.fact(&dl, b, "sensitive-impact-label", &|dd| self.rich(dd, t))?;
        }
        if let Some(t) = &p.automated_decision {
            self.fact(&dl, b, "automated-decision-label", &|dd| self.rich(dd, t))?;
        }
        parent.append_child(&dl)?;
        Ok(())
    }

    /// One purpose: its name and badge, and its switch in the fixed column.
    fn row(&self, b: &LocaleBundle, r: &Row<'_>, waiting: Option<&str>, us: bool) -> R<Element> {
        let pid = r.purpose.id.as_str();
        let id = |suffix: &str| {
            let mut s = String::from("cy-purpose-");
            s.push_str(pid);
            s.push_str(suffix);
            s
        };
        let (name_id, badge_id, desc_id) = (id("-name"), id("-badge"), id("-desc"));
        let badge = r.badge();
        let li = self.el("li", "cy-purpose", &[])?;
        let header = self.el("div", "cy-purpose__header", &[])?;
        let label = self.el("span", "cy-purpose__label", &[])?;
        let name = self.el("span", "cy-purpose__name", &[("id", &name_id)])?;
        self.rich(&name, &r.purpose.name)?;
        label.append_child(&name)?;
        if !badge.is_empty() {
            self.text(&label, " ")?;
            self.child(&label, "span", "cy-badge", &[("id", &badge_id)], b, badge)?;
        }
        header.append_child(&label)?;
        let on = r.purpose.required || r.on;
        let mut described_by = String::new();
        if r.details.is_some() {
            described_by.push_str(&desc_id);
        }
        if !badge.is_empty() {
            if !described_by.is_empty() {
                described_by.push(' ');
            }
            described_by.push_str(&badge_id);
        }
        if r.gate == Gate::SignalOptOut {
            if !described_by.is_empty() {
                described_by.push(' ');
            }
            described_by.push_str("cy-gpc-dialog");
        }
        let mut testid = String::from("consentry-purpose-");
        testid.push_str(pid);
        let switch = self.el(
            "button",
            "cy-switch",
            &[
                ("type", "button"),
                ("role", "switch"),
                ("part", "switch"),
                ("aria-checked", if on { "true" } else { "false" }),
                ("aria-labelledby", &name_id),
                ("data-testid", &testid),
            ],
        )?;
        if !described_by.is_empty() {
            switch.set_attribute("aria-describedby", &described_by)?;
        }
        if r.purpose.required || r.gate == Gate::Barred {
            switch.set_attribute("disabled", "")?;
        }
        if waiting == Some(pid) {
            switch.set_attribute("aria-busy", "true")?;
        }
        let track = self.el("span", "cy-switch__track", &[("aria-hidden", "true")])?;
        let thumb = self.el("span", "cy-switch__thumb", &[])?;
        track.append_child(&thumb)?;
        switch.append_child(&track)?;
        header.append_child(&switch)?;
        li.append_child(&header)?;
        if let Some((retention, shown)) = &r.details {
            let details = self.el("details", "cy-details", &[])?;
            self.child(
                &details,
                "summary",
                "cy-details__summary",
                &[],
                b,
                "show-details",
            )?;
            let desc = self.el("p", "cy-purpose__description", &[("id", &desc_id)])?;
            self.rich(&desc, &r.purpose.description)?;
            details.append_child(&desc)?;
            self.facts(&details, b, r, us, retention, shown)?;
            li.append_child(&details)?;
        }
        Ok(li)
    }
}

/// Replaces `container`'s content with the first layer: `<div class="cy" lang dir>` holding
/// the banner (a labelled region: title, summary, the GPC note or the guardian box where the
/// rules call for them, three buttons of one class, the way to the full notice and the language
/// switcher) or, once a decision is in force, the privacy-settings button; and the polite
/// status line.
pub fn render(container: &Element, v: &View<'_>) -> R<()> {
    let d = Builder {
        doc: container
            .owner_document()
            .ok_or_else(|| JsValue::from_str("no document"))?,
        vars: v.vars,
    };
    let b = v.bundle;
    let root = d.el(
        "div",
        "cy",
        &[
            ("part", "root"),
            ("lang", b.locale.as_str()),
            ("dir", b.dir.as_str()),
        ],
    )?;
    if v.decided {
        d.child(
            &root,
            "button",
            "cy-privacy-button",
            &[
                ("type", "button"),
                ("part", "privacy-button"),
                ("data-testid", "consentry-privacy-settings"),
            ],
            b,
            "privacy-settings",
        )?;
    } else {
        let banner = d.el(
            "section",
            "cy-banner",
            &[
                ("role", "region"),
                ("aria-labelledby", "cy-banner-title"),
                ("aria-describedby", "cy-banner-body"),
                ("data-testid", "consentry-banner"),
                ("part", "banner"),
            ],
        )?;
        d.child(
            &banner,
            "h2",
            "cy-banner__title",
            &[("id", "cy-banner-title")],
            b,
            "banner-title",
        )?;
        d.child(
            &banner,
            "p",
            "cy-banner__body",
            &[("id", "cy-banner-body")],
            b,
            "banner-body",
        )?;
        if v.gpc_honoured {
            d.child(
                &banner,
                "p",
                "cy-note",
                &[("id", "cy-gpc-banner"), ("data-testid", "consentry-gpc")],
                b,
                "gpc-honoured",
            )?;
        }
        if let Some(ticked) = v.guardian {
            d.guardian(
                &banner,
                b,
                ticked,
                "cy-guardian-banner",
                "consentry-guardian",
            )?;
        }
        let actions = d.actions(
            b,
            &[
                ("consentry-accept-all", "accept-all"),
                ("consentry-reject-all", "reject-all"),
                ("consentry-open-settings", "open-settings"),
            ],
        )?;
        banner.append_child(&actions)?;
        let more = d.el("div", "cy-more", &[])?;
        // California and the other US state laws: the opt-out link on the banner itself
        // (CCPA 1798.135(a)(1); 11 CCR §7013(b)).
        for (kind, l) in v.links {
            if safe_href(&l.href) {
                let testid = if *kind == "limit" {
                    "consentry-limit-link"
                } else {
                    "consentry-opt-out-link"
                };
                let a = d.el(
                    "a",
                    "cy-link",
                    &[
                        ("href", &l.href),
                        ("data-testid", testid),
                        ("part", "opt-out-link"),
                    ],
                )?;
                d.text(&a, &l.text)?;
                more.append_child(&a)?;
            }
        }
        d.child(
            &more,
            "button",
            "cy-link-button",
            &[("type", "button"), ("data-testid", "consentry-open-notice")],
            b,
            "open-full-notice",
        )?;
        d.language(
            &more,
            b,
            v.manifest,
            "cy-language-banner",
            "consentry-language",
        )?;
        banner.append_child(&more)?;
        root.append_child(&banner)?;
    }
    d.dialog(&root, v)?;
    let status = d.el("p", "cy-visually-hidden", &[("role", "status")])?;
    if v.saved {
        d.message(&status, b, "decision-saved")?;
    }
    root.append_child(&status)?;
    container.set_text_content(None);
    container.append_child(&root)?;
    Ok(())
}

/// Redraws one purpose's row of the open settings in place (a switch moved): the dialog, its
/// scroll position and focus stay as they are.
pub fn redraw_row(
    container: &Element,
    b: &LocaleBundle,
    r: &Row<'_>,
    waiting: Option<&str>,
    us: bool,
) -> R<()> {
    let d = Builder {
        doc: container
            .owner_document()
            .ok_or_else(|| JsValue::from_str("no document"))?,
        vars: &[],
    };
    let mut sel = String::from("[data-testid=\"consentry-purpose-");
    sel.push_str(r.purpose.id.as_str());
    sel.push_str("\"]");
    let Some(old) = container
        .query_selector(&sel)?
        .and_then(|s| s.closest("li").ok().flatten())
    else {
        return Ok(());
    };
    let new = d.row(b, r, waiting, us)?;
    old.replace_with_with_node_1(&new)?;
    Ok(())
}

/// Updates the open settings' request form in place (its status line, which screen readers
/// announce, and whether the send button is busy), so focus and what was typed stay; with
/// `clear` (the request was sent) the kind and details are emptied too.
pub fn redraw_request(
    container: &Element,
    b: &LocaleBundle,
    status: &RequestStatus,
    clear: bool,
) -> R<()> {
    let d = Builder {
        doc: container
            .owner_document()
            .ok_or_else(|| JsValue::from_str("no document"))?,
        vars: &[],
    };
    if let Some(line) = container.query_selector("[data-testid=\"consentry-request-status\"]")? {
        d.request_status(&line, b, status)?;
    }
    if let Some(send) = container.query_selector("[data-testid=\"consentry-request-send\"]")? {
        if *status == RequestStatus::Sending {
            send.set_attribute("aria-disabled", "true")?;
        } else {
            send.remove_attribute("aria-disabled")?;
        }
    }
    if clear {
        for (sel, key, v) in [
            (
                "[name=\"cy-request-kind\"]:checked",
                "checked",
                JsValue::FALSE,
            ),
            ("#cy-request-details", "value", JsValue::from_str("")),
        ] {
            if let Some(e) = container.query_selector(sel)? {
                js_sys::Reflect::set(&e, &JsValue::from_str(key), &v)?;
            }
        }
    }
    Ok(())
}

/// Opens the settings over what is shown (the banner or the privacy-settings button stay as
/// they are): builds only the dialog and puts it where [`render`] would, before the status
/// line. The quicker way to the switches on a tap.
pub fn render_dialog(container: &Element, v: &View<'_>) -> R<()> {
    if v.dialog.is_none() {
        return Ok(());
    }
    let Some(root) = container.query_selector(".cy")? else {
        return render(container, v);
    };
    let d = Builder {
        doc: container
            .owner_document()
            .ok_or_else(|| JsValue::from_str("no document"))?,
        vars: v.vars,
    };
    if let Some(old) = root.query_selector("dialog")? {
        old.remove();
    }
    let scratch = d.el("div", "", &[])?;
    d.dialog(&scratch, v)?;
    if let Some(dialog) = scratch.first_element_child() {
        let status = root.query_selector(":scope > [role=status]")?;
        root.insert_before(&dialog, status.as_ref().map(|s| s.as_ref()))?;
    }
    Ok(())
}
