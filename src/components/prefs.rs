//! Small controls shared by the banner and the dialog: the GPC note, the guardian box, the
//! language switcher and the region corrector.

use yew::{Callback, Html, html};

use super::text::message;
use super::{Msg, SelectOption, UiModel};
use crate::platform::dom::{target_checked, target_value};

/// "Global Privacy Control is honoured", when it is; `id` lets switches point at it.
pub fn gpc_note(ui: &UiModel, id: &'static str) -> Html {
    if !ui.gpc_honoured {
        return Html::default();
    }
    html! {
        <p {id} class="cy-note" data-testid="consentry-gpc">{ message(&ui.bundle, "gpc-honoured") }</p>
    }
}

/// The "I am the parent or guardian of a child" box, where the regime has a guardian age.
pub fn guardian_box(
    ui: &UiModel,
    on: &Callback<Msg>,
    id: &'static str,
    testid: &'static str,
) -> Html {
    let Some(ticked) = ui.guardian else {
        return Html::default();
    };
    let onchange = on.reform(|e: yew::Event| Msg::Guardian(target_checked(&e)));
    html! {
        <div class="cy-check">
            <input type="checkbox" class="cy-check__box" {id} data-testid={testid}
                checked={ticked} {onchange} />
            <label for={id} class="cy-check__label">{ message(&ui.bundle, "guardian-label") }</label>
        </div>
    }
}

fn select(
    id: &'static str,
    testid: &'static str,
    label: Html,
    options: &[SelectOption],
    current: &str,
    onchange: Callback<yew::Event>,
) -> Html {
    html! {
        <div class="cy-field">
            <label for={id} class="cy-field__label">{ label }</label>
            <select {id} class="cy-select" data-testid={testid} {onchange}>
                { for options.iter().map(|o| html! {
                    <option value={o.value.clone()} lang={o.lang.clone()}
                        selected={o.value == current}>{ o.label.clone() }</option>
                }) }
            </select>
        </div>
    }
}

/// The language switcher (only when the notice has more than one language).
pub fn language_select(
    ui: &UiModel,
    on: &Callback<Msg>,
    id: &'static str,
    testid: &'static str,
) -> Html {
    if ui.languages.len() < 2 {
        return Html::default();
    }
    select(
        id,
        testid,
        message(&ui.bundle, "language-label"),
        &ui.languages,
        ui.bundle.locale.as_str(),
        on.reform(|e: yew::Event| Msg::Language(target_value(&e))),
    )
}

/// The region corrector.
pub fn region_select(ui: &UiModel, on: &Callback<Msg>) -> Html {
    if ui.regions.is_empty() {
        return Html::default();
    }
    select(
        "cy-region",
        "consentry-region",
        message(&ui.bundle, "region-label"),
        &ui.regions,
        &ui.region_value,
        on.reform(|e: yew::Event| Msg::Region(target_value(&e))),
    )
}
