//! The first layer's markup, built with the DOM directly: the same elements, classes, parts,
//! ids and test ids as the full widget's `Banner`, `PrivacyButton` and `Root` components, so
//! one stylesheet styles both and the full widget can take over without a visible change.
//!
//! Notice text only ever becomes text nodes (after `consentry_web::text::clean`); links keep
//! only `https:` and `mailto:` targets (`safe_href`), anything else shows as its label.

use consentry_core::bundle::{BundleLink, LocaleBundle, Manifest, Span};
use consentry_web::text::{clean, safe_href};
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
        let r = consentry_web::text::fill(r, self.vars);
        for span in &r.0 {
            match span {
                Span::Text(t) => self.text(parent, t)?,
                Span::Link { href, text } if safe_href(href) => {
                    let a = self.el("a", "cy-link", &[("href", href), ("dir", "auto")])?;
                    self.text(&a, text)?;
                    parent.append_child(&a)?;
                }
                Span::Link { text, .. } => self.text(parent, text)?,
                // A variable with no value (a notice `consentry lint` would refuse).
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
            let row = d.el("div", "cy-check", &[])?;
            let input = d.el(
                "input",
                "cy-check__box",
                &[
                    ("type", "checkbox"),
                    ("id", "cy-guardian-banner"),
                    ("data-testid", "consentry-guardian"),
                ],
            )?;
            if ticked {
                input.set_attribute("checked", "")?;
            }
            row.append_child(&input)?;
            d.child(
                &row,
                "label",
                "cy-check__label",
                &[("for", "cy-guardian-banner")],
                b,
                "guardian-label",
            )?;
            banner.append_child(&row)?;
        }
        let actions = d.el("div", "cy-actions", &[])?;
        for (testid, id) in [
            ("consentry-accept-all", "accept-all"),
            ("consentry-reject-all", "reject-all"),
            ("consentry-open-settings", "open-settings"),
        ] {
            d.child(
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
        if v.manifest.locales.len() > 1 {
            let field = d.el("div", "cy-field", &[])?;
            d.child(
                &field,
                "label",
                "cy-field__label",
                &[("for", "cy-language-banner")],
                b,
                "language-label",
            )?;
            let select = d.el(
                "select",
                "cy-select",
                &[
                    ("id", "cy-language-banner"),
                    ("data-testid", "consentry-language"),
                ],
            )?;
            for e in &v.manifest.locales {
                let tag = e.locale.as_str();
                let option = d.el("option", "", &[("value", tag), ("lang", tag)])?;
                if e.locale == b.locale {
                    option.set_attribute("selected", "")?;
                }
                d.text(&option, &e.name)?;
                select.append_child(&option)?;
            }
            field.append_child(&select)?;
            more.append_child(&field)?;
        }
        banner.append_child(&more)?;
        root.append_child(&banner)?;
    }
    let status = d.el("p", "cy-visually-hidden", &[("role", "status")])?;
    if v.saved {
        d.message(&status, b, "decision-saved")?;
    }
    root.append_child(&status)?;
    container.set_text_content(None);
    container.append_child(&root)?;
    Ok(())
}
