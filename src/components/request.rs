//! The data-subject request form at the end of the settings (ADR 0019): the same markup, ids,
//! classes and ARIA as the first module's (`crates/consentry-first/src/view.rs`, `request`),
//! over the same form state and rules (`consentry_web::requests::Form`).

use consentry_core::receipt::request::MAX_DETAILS;
use consentry_web::requests::Status;
use yew::{Callback, Html, html};

use super::text::{cat, message, text};
use super::{Msg, RequestModel, UiModel, send};
use crate::platform::dom::target_value;

/// "Ask about your information": one kind of those the notice offers (radio buttons in a
/// fieldset with its legend, labelled by the notice's `right-<kind>`, none picked for the
/// visitor), optional details (a labelled text box, `dir="auto"`, at most core's
/// `MAX_DETAILS` characters), send (`aria-disabled` while a request is on its way), and a
/// status line screen readers announce. Without a decision in force it only says that a
/// choice comes first.
pub fn request_form(ui: &UiModel, r: &RequestModel, on: &Callback<Msg>) -> Html {
    let b = &ui.bundle;
    let f = &r.form;
    let sending = f.status == Status::Sending;
    let controls = if ui.decided {
        let kinds = r.kinds.iter().map(|k| {
            let id = cat("cy-request-kind-", k, "");
            let kind = (*k).to_owned();
            let onchange = on.reform(move |_: yew::Event| Msg::RequestKind(kind.clone()));
            html! {
                <div class="cy-check">
                    <input type="radio" class="cy-check__box" name="cy-request-kind" value={*k}
                        id={id.clone()} data-testid={cat("consentry-request-kind-", k, "")}
                        checked={f.kind.as_deref() == Some(*k)} {onchange} />
                    <label for={id} class="cy-check__label">{ message(b, &cat("right-", k, "")) }</label>
                </div>
            }
        });
        let oninput = on.reform(|e: yew::InputEvent| Msg::RequestDetails(target_value(&e)));
        html! {
            <>
                <fieldset class="cy-request__kinds">
                    <legend class="cy-field__label">{ message(b, "request-kind-label") }</legend>
                    { for kinds }
                </fieldset>
                <div class="cy-field">
                    <label for="cy-request-details" class="cy-field__label">
                        { message(b, "request-details-label") }
                    </label>
                    <textarea id="cy-request-details" class="cy-textarea" rows="3"
                        maxlength={MAX_DETAILS.to_string()} dir="auto"
                        data-testid="consentry-request-details" value={f.details.clone()}
                        {oninput} />
                </div>
                <button type="button" class="cy-button" part="button"
                    data-testid="consentry-request-send"
                    aria-disabled={sending.then_some("true")}
                    onclick={send(on, Msg::RequestSend)}>{ message(b, "request-send") }</button>
            </>
        }
    } else {
        Html::default()
    };
    html! {
        <section class="cy-request" aria-labelledby="cy-request-title" data-testid="consentry-request">
            <h3 id="cy-request-title" class="cy-section__heading">{ message(b, "request-heading") }</h3>
            { controls }
            { status_line(ui, f.shown(ui.decided)) }
        </section>
    }
}

/// The status line (`role="status"`, `aria-live="polite"`): its `data-state` and opening
/// message are `Status::line`'s; a sent request's number and deadline (a `<time>`, the date in
/// the notice's language) follow, or a failure's code.
fn status_line(ui: &UiModel, s: &Status) -> Html {
    let b = &ui.bundle;
    let line = s.line();
    let said = match (s, line) {
        (_, None) => Html::default(),
        (
            Status::Sent {
                request_id,
                deadline,
                date,
            },
            Some((_, id)),
        ) => html! {
            <>
                <p>{ message(b, id) }</p>
                <dl class="cy-facts">
                    <dt>{ message(b, "request-id-label") }</dt>
                    <dd data-testid="consentry-request-id"><bdi dir="ltr">{ text(request_id) }</bdi></dd>
                    <dt>{ message(b, "request-deadline-label") }</dt>
                    <dd>
                        <time datetime={deadline.clone()} data-testid="consentry-request-deadline">
                            { text(date) }
                        </time>
                    </dd>
                </dl>
            </>
        },
        (Status::Failed(code), Some((_, id))) => html! {
            <>{ message(b, id) }{ " (" }<bdi dir="ltr">{ text(code) }</bdi>{ ")" }</>
        },
        (_, Some((_, id))) => message(b, id),
    };
    html! {
        <div class="cy-request__status" role="status" aria-live="polite"
            data-testid="consentry-request-status" data-state={line.map(|(state, _)| state)}>
            { said }
        </div>
    }
}
