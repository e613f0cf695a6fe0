//! The console's pages. Each page is a location hash (`#/dashboard`, `#/receipts/12`, …), so
//! the browser's back and forward buttons and bookmarks work; each page loads its data from
//! the server, which checks the role again on every request.

use consentry_core::json::Value;
use consentry_core::time::Timestamp;
use yew::prelude::*;

use crate::api::{self, Me, list, n, q, s};
use crate::load::{DataProps, Load, loading_or_failed, use_load};
use crate::platform;

/// A page of the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// What the role may do.
    Home,
    /// Consent rates as tables and charts, and the evidence pack.
    Dashboard,
    /// The receipts explorer.
    Receipts,
    /// One receipt.
    Receipt(u64),
    /// The transparency log's health.
    Log,
    /// The audit trail.
    Audit,
    /// The hotline: the oral script and the caller's answers (agents).
    Hotline,
    /// Data-subject requests: the queue, and the DPO's handling of each.
    Requests,
    /// Every published notice version, what changed and what the lint found.
    Notices,
    /// One notice version (`id`, `version`): its changes message by message.
    NoticeVersion(String, String),
}

impl Page {
    /// The page a hash names (anything unknown is the home page).
    pub fn from_hash(hash: &str) -> Self {
        let path = hash.trim_start_matches('/');
        match path.split('/').collect::<Vec<_>>().as_slice() {
            ["dashboard"] => Page::Dashboard,
            ["receipts"] => Page::Receipts,
            ["receipts", i] => i.parse().map_or(Page::Receipts, Page::Receipt),
            ["log"] => Page::Log,
            ["audit"] => Page::Audit,
            ["hotline"] => Page::Hotline,
            ["requests"] => Page::Requests,
            ["notices"] => Page::Notices,
            ["notices", id, version] => {
                match (crate::notices::unq(id), crate::notices::unq(version)) {
                    (Some(id), Some(version)) => Page::NoticeVersion(id, version),
                    _ => Page::Notices,
                }
            }
            _ => Page::Home,
        }
    }
}

const DAY_MS: i64 = 86_400_000;

fn date_of(t: Timestamp) -> String {
    t.to_rfc3339()[..10].to_owned()
}

/// A `YYYY-MM-DD` form value as the start of that UTC day.
fn day_start(date: &str) -> Option<Timestamp> {
    Timestamp::parse_rfc3339(&format!("{date}T00:00:00Z")).ok()
}

/// The app: sign-in, then the pages the role may open.
#[function_component(App)]
pub fn app() -> Html {
    let me = use_state(|| None::<Me>);
    let checked = use_state(|| false);
    let page = use_state(|| Page::from_hash(&platform::hash()));
    {
        let (me, checked, page) = (me.clone(), checked.clone(), page.clone());
        use_effect_with((), move |_| {
            platform::on_hash_change(move |h| page.set(Page::from_hash(&h)));
            wasm_bindgen_futures::spawn_local(async move {
                me.set(api::me().await);
                checked.set(true);
            });
        });
    }
    // A new page: focus its heading, so a screen reader says where the person now is.
    use_effect_with((*page).clone(), |_| platform::focus("page-title"));
    let signed_out = {
        let me = me.clone();
        Callback::from(move |()| me.set(None))
    };
    if !*checked {
        return html! { <main id="main"><p role="status">{ "Loading…" }</p></main> };
    }
    let Some(who) = (*me).clone() else {
        return html! { <SignIn on_signed_in={Callback::from(move |m| me.set(Some(m)))} /> };
    };
    let sign_out = {
        let who = who.clone();
        Callback::from(move |_| {
            let (who, me) = (who.clone(), me.clone());
            wasm_bindgen_futures::spawn_local(async move {
                api::logout(&who).await;
                me.set(None);
            });
        })
    };
    let link = |href: &'static str, label: &'static str, here: bool| {
        html! {
            <li><a href={href} aria-current={here.then_some("page")}>{ label }</a></li>
        }
    };
    let p = (*page).clone();
    html! {
        <>
            <header class="bar">
                <p class="brand">{ "Consentry console" }</p>
                <nav aria-label="Console">
                    <ul>
                        { link("#/", "Home", p == Page::Home) }
                        if who.reads_evidence() {
                            { link("#/dashboard", "Dashboard", p == Page::Dashboard) }
                            { link("#/receipts", "Receipts", matches!(p, Page::Receipts | Page::Receipt(_))) }
                            { link("#/log", "Log health", p == Page::Log) }
                            { link("#/notices", "Notice versions", matches!(p, Page::Notices | Page::NoticeVersion(..))) }
                        }
                        if who.role == "agent" {
                            { link("#/hotline", "Hotline call", p == Page::Hotline) }
                        }
                        if matches!(who.role.as_str(), "auditor" | "dpo" | "admin") {
                            { link("#/requests", "Requests", p == Page::Requests) }
                        }
                        if who.reads_audit() {
                            { link("#/audit", "Audit trail", p == Page::Audit) }
                        }
                    </ul>
                </nav>
                <p class="who">
                    { format!("{} ({})", who.username, who.role) }
                    <button type="button" onclick={sign_out}>{ "Sign out" }</button>
                </p>
            </header>
            <main id="main">
                { match p {
                    Page::Home => html! { <Home who={who.clone()} /> },
                    Page::Dashboard => html! { <Dashboard on_signed_out={signed_out.clone()} /> },
                    Page::Receipts => html! { <Receipts on_signed_out={signed_out.clone()} /> },
                    Page::Receipt(i) => html! { <ReceiptView index={i} on_signed_out={signed_out.clone()} /> },
                    Page::Log => html! { <LogHealth on_signed_out={signed_out.clone()} /> },
                    Page::Audit => html! { <Audit on_signed_out={signed_out.clone()} /> },
                    Page::Hotline => html! { <crate::hotline::Hotline who={who.clone()} on_signed_out={signed_out.clone()} /> },
                    Page::Requests => html! { <crate::requests::Requests who={who.clone()} on_signed_out={signed_out.clone()} /> },
                    Page::Notices => html! { <crate::notices::Notices on_signed_out={signed_out.clone()} /> },
                    Page::NoticeVersion(id, version) => html! { <crate::notices::NoticeVersion {id} {version} on_signed_out={signed_out.clone()} /> },
                } }
            </main>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SignInProps {
    on_signed_in: Callback<Me>,
}

#[function_component(SignIn)]
fn sign_in(props: &SignInProps) -> Html {
    let user = use_node_ref();
    let pass = use_node_ref();
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let submit = {
        let (user, pass, error, busy, done) = (
            user.clone(),
            pass.clone(),
            error.clone(),
            busy.clone(),
            props.on_signed_in.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (u, p) = (platform::value(&user), platform::value(&pass));
            let (error, busy, done) = (error.clone(), busy.clone(), done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::login(u.trim(), &p).await {
                    Ok(me) => done.emit(me),
                    Err(m) => {
                        error.set(Some(m));
                        busy.set(false);
                        platform::focus("signin-error");
                    }
                }
            });
        })
    };
    html! {
        <main id="main" class="signin">
            <h1>{ "Sign in to the Consentry console" }</h1>
            <form onsubmit={submit} novalidate=true>
                if let Some(m) = &*error {
                    <p id="signin-error" class="error" role="alert" tabindex="-1">{ m }</p>
                }
                <label for="username">{ "Name" }</label>
                <input id="username" name="username" ref={user} autocomplete="username" required=true
                    autocapitalize="none" spellcheck="false" />
                <label for="password">{ "Password" }</label>
                <input id="password" name="password" type="password" ref={pass}
                    autocomplete="current-password" required=true />
                <button type="submit" disabled={*busy}>{ if *busy { "Signing in…" } else { "Sign in" } }</button>
            </form>
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct HomeProps {
    who: Me,
}

#[function_component(Home)]
fn home(props: &HomeProps) -> Html {
    let what = match props.who.role.as_str() {
        "auditor" | "dpo" => {
            "You can see consent rates per purpose, region, channel and notice version, every receipt with the text the person saw, the transparency log's health, every notice version with what changed and what the lint found, and the audit trail, and take evidence packs for an assessor. “Requests” lists what people asked about their data and by when it is due; the DPO records each step there."
        }
        "admin" => {
            "You can read the audit trail and the queue of data-subject requests. Accounts are made and changed with the server's `account` command, not here."
        }
        _ => {
            "Your role records callers' answers on the hotline: open “Hotline call”, pick the caller's language and region, read the script and record each answer. The caller gets a receipt code to look the receipt up on the web."
        }
    };
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ format!("Signed in as {}", props.who.username) }</h1>
            <p>{ what }</p>
        </>
    }
}

fn rate(v: &Value) -> String {
    match v.get("rate_permille").and_then(Value::as_i64) {
        Some(p) => format!("{}.{} %", p / 10, p % 10),
        None => "–".into(),
    }
}

#[function_component(Dashboard)]
fn dashboard(props: &DataProps) -> Html {
    let today = day_start(&date_of(Timestamp(platform::now_ms()))).unwrap_or(Timestamp(0));
    let range = use_state(|| (date_of(Timestamp(today.0 - 29 * DAY_MS)), date_of(today)));
    let from_ref = use_node_ref();
    let to_ref = use_node_ref();
    let (from_day, to_day) = (*range).clone();
    let from = day_start(&from_day).unwrap_or(today);
    let to = Timestamp(day_start(&to_day).unwrap_or(today).0 + DAY_MS);
    let query = format!("from={}&to={}", q(&from.to_rfc3339()), q(&to.to_rfc3339()));
    let data = use_load(
        format!("/console/api/dashboard?{query}"),
        props.on_signed_out.clone(),
    );
    let apply = {
        let (range, from_ref, to_ref) = (range, from_ref.clone(), to_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            range.set((platform::value(&from_ref), platform::value(&to_ref)));
        })
    };
    let body = loading_or_failed(&data).unwrap_or_else(|| {
        let Load::Done(v) = &*data else {
            return html! {};
        };
        let rows = list(v, "rows");
        let charts = list(v, "charts");
        html! {
            <>
                <p>{ format!("{} receipts received from {} to {} (UTC days, inclusive).", n(v, "receipts"), from_day, to_day) }</p>
                <h2>{ "Consent per purpose, region, channel and notice version" }</h2>
                if rows.is_empty() {
                    <p>{ "No receipt in this range." }</p>
                } else {
                    <div class="scroll" tabindex="0" role="region" aria-label="Consent per purpose, region, channel and notice version">
                    <table>
                        <thead><tr>
                            { for ["Purpose", "Region", "Channel", "Notice version", "Given", "Refused", "Withdrawn", "Expired", "Objected", "Not objected", "Required", "Rate"].iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                        </tr></thead>
                        <tbody>
                            { for rows.iter().map(|r| html! {
                                <tr>
                                    <td>{ s(r, "purpose") }</td>
                                    <td>{ if s(r, "region").is_empty() { "unknown" } else { s(r, "region") } }</td>
                                    <td>{ s(r, "channel") }</td>
                                    <td>{ s(r, "version") }</td>
                                    <td class="n">{ n(r, "given") }</td>
                                    <td class="n">{ n(r, "refused") }</td>
                                    <td class="n">{ n(r, "withdrawn") }</td>
                                    <td class="n">{ n(r, "expired") }</td>
                                    <td class="n">{ n(r, "objected") }</td>
                                    <td class="n">{ n(r, "not_objected") }</td>
                                    <td class="n">{ n(r, "required") }</td>
                                    <td class="n">{ rate(r) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    </div>
                }
                <h2>{ "Consent rate per day" }</h2>
                { for charts.iter().map(|c| html! {
                    <figure class="chart">
                        <figcaption>{ s(c, "title") }</figcaption>
                        // Drawn by the server with core's evidence::daily_chart; every text in
                        // it is escaped there.
                        <div class="scroll">{ Html::from_html_unchecked(AttrValue::from(s(c, "svg").to_owned())) }</div>
                        <table>
                            <caption>{ s(c, "title") }</caption>
                            <thead><tr><th scope="col">{ "Day (UTC)" }</th><th scope="col">{ "Given" }</th><th scope="col">{ "Asked" }</th></tr></thead>
                            <tbody>
                                { for list(c, "days").iter().map(|d| html! {
                                    <tr><td>{ s(d, "day") }</td><td class="n">{ n(d, "given") }</td><td class="n">{ n(d, "asked") }</td></tr>
                                }) }
                            </tbody>
                        </table>
                    </figure>
                }) }
                <h2>{ "Evidence pack" }</h2>
                <p>
                    { "One file for an external assessor: this range's receipts with every proof, the notices, keys and the witnessed checkpoint, and a report its proofs must redraw. Check it with " }
                    <code>{ "consentry verify --evidence" }</code>{ "." }
                </p>
                <p><a class="button" href={format!("/console/api/evidence?{query}")} download="">{ "Download the evidence pack" }</a></p>
            </>
        }
    });
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ "Dashboard" }</h1>
            <form class="range" onsubmit={apply}>
                <label for="from">{ "From (UTC day)" }</label>
                <input id="from" type="date" ref={from_ref} value={from_day.clone()} />
                <label for="to">{ "To (UTC day, inclusive)" }</label>
                <input id="to" type="date" ref={to_ref} value={to_day.clone()} />
                <button type="submit">{ "Show" }</button>
            </form>
            { body }
        </>
    }
}

fn decisions(v: &Value) -> String {
    list(v, "decisions")
        .iter()
        .map(|d| format!("{}: {}", s(d, "purpose"), s(d, "state")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn verified(v: &Value) -> Html {
    if v.get("verified").and_then(Value::as_bool) == Some(true) {
        html! { <span class="ok">{ "verified" }</span> }
    } else {
        html! { <span class="bad">{ format!("NOT verified: {}", s(v, "problem")) }</span> }
    }
}

#[function_component(Receipts)]
fn receipts(props: &DataProps) -> Html {
    let after = use_state(|| 0u64);
    let subject = use_state(String::new);
    let subject_ref = use_node_ref();
    let mut url = format!("/console/api/receipts?limit=50&after={}", *after);
    if !subject.is_empty() {
        url.push_str(&format!("&subject={}", q(&subject)));
    }
    let data = use_load(url, props.on_signed_out.clone());
    let filter = {
        let (subject, after, r) = (subject.clone(), after.clone(), subject_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            subject.set(platform::value(&r).trim().to_owned());
            after.set(0);
        })
    };
    let body = loading_or_failed(&data).unwrap_or_else(|| {
        let Load::Done(v) = &*data else {
            return html! {};
        };
        let rows = list(v, "receipts");
        let next = v.get("next_after").and_then(Value::as_i64);
        let more = {
            let after = after.clone();
            Callback::from(move |_| after.set(next.and_then(|n| u64::try_from(n).ok()).unwrap_or(0)))
        };
        html! {
            <>
                if rows.is_empty() {
                    <p>{ "No receipt." }</p>
                } else {
                    <div class="scroll" tabindex="0" role="region" aria-label="Receipts">
                    <table>
                        <thead><tr>
                            { for ["Entry", "Received (UTC)", "Region", "Laws applied", "Channel", "Notice", "Decisions", "Subject chain", "Verification"].iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                        </tr></thead>
                        <tbody>
                            { for rows.iter().map(|r| html! {
                                <tr>
                                    <td class="n"><a href={format!("#/receipts/{}", n(r, "index"))}>{ n(r, "index") }</a></td>
                                    <td>{ s(r, "received_at") }</td>
                                    <td>{ s(r, "region") }</td>
                                    <td>{ s(r, "regimes") }</td>
                                    <td>{ s(r, "channel") }</td>
                                    <td>{ s(r, "notice") }</td>
                                    <td>{ decisions(r) }</td>
                                    <td>{ s(r, "chain") }</td>
                                    <td>{ verified(r) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    </div>
                }
                if next.is_some() {
                    <p><button type="button" onclick={more}>{ "Next 50" }</button></p>
                }
            </>
        }
    });
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ "Receipts" }</h1>
            <form class="range" onsubmit={filter}>
                <label for="subject">{ "Subject (device pseudonym)" }</label>
                <input id="subject" ref={subject_ref} value={(*subject).clone()} spellcheck="false" />
                <button type="submit">{ "Filter" }</button>
            </form>
            { body }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ReceiptProps {
    index: u64,
    on_signed_out: Callback<()>,
}

#[function_component(ReceiptView)]
fn receipt_view(props: &ReceiptProps) -> Html {
    let data = use_load(
        format!("/console/api/receipts/{}", props.index),
        props.on_signed_out.clone(),
    );
    let body = loading_or_failed(&data).unwrap_or_else(|| {
        let Load::Done(v) = &*data else {
            return html! {};
        };
        let r = v.get("receipt").cloned().unwrap_or(Value::Null);
        let included = v.get("log_included").and_then(Value::as_bool) == Some(true);
        html! {
            <>
                <dl class="facts">
                    <dt>{ "Receipt" }</dt><dd><code>{ s(&r, "receipt_id") }</code></dd>
                    <dt>{ "Received (UTC, server time)" }</dt><dd>{ s(&r, "received_at") }</dd>
                    <dt>{ "Subject" }</dt><dd><code>{ s(&r, "subject") }</code></dd>
                    <dt>{ "Region and laws applied" }</dt><dd>{ format!("{} — {}", s(&r, "region"), s(&r, "regimes")) }</dd>
                    <dt>{ "Channel" }</dt><dd>{ s(&r, "channel") }</dd>
                    <dt>{ "Notice" }</dt><dd>{ s(&r, "notice") }<br /><code>{ s(v, "notice_sha256") }</code></dd>
                    <dt>{ "Decisions" }</dt><dd>{ decisions(&r) }</dd>
                    <dt>{ "Verification now" }</dt><dd>{ verified(&r) }</dd>
                    <dt>{ "Transparency log" }</dt>
                    <dd class={if included { "ok" } else { "bad" }}>{ s(v, "log") }</dd>
                </dl>
                <h2>{ "The notice as the person saw it" }</h2>
                if v.get("notice_text").and_then(Value::as_str).is_some() {
                    <pre class="notice" lang={s(v, "notice_lang").to_owned()} dir={s(v, "notice_dir").to_owned()}>{ s(v, "notice_text") }</pre>
                } else {
                    <p class="bad">{ "This notice version is not among the published ones the server holds." }</p>
                }
                <h2>{ "The subject's chain for this notice" }</h2>
                <div class="scroll" tabindex="0" role="region" aria-label="Subject chain">
                <table>
                    <thead><tr>
                        { for ["Entry", "Received (UTC)", "Channel", "Decisions", "Subject chain", "Verification"].iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for list(v, "chain").iter().map(|c| html! {
                            <tr aria-current={(n(c, "index") == n(&r, "index")).then_some("true")}>
                                <td class="n"><a href={format!("#/receipts/{}", n(c, "index"))}>{ n(c, "index") }</a></td>
                                <td>{ s(c, "received_at") }</td>
                                <td>{ s(c, "channel") }</td>
                                <td>{ decisions(c) }</td>
                                <td>{ s(c, "chain") }</td>
                                <td>{ verified(c) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                </div>
            </>
        }
    });
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ format!("Receipt, ledger entry {}", props.index) }</h1>
            <p><a href="#/receipts">{ "All receipts" }</a></p>
            { body }
        </>
    }
}

#[function_component(LogHealth)]
fn log_health(props: &DataProps) -> Html {
    let data = use_load("/console/api/log".into(), props.on_signed_out.clone());
    let body = loading_or_failed(&data).unwrap_or_else(|| {
        let Load::Done(v) = &*data else {
            return html! {};
        };
        if v.get("kept").and_then(Value::as_bool) != Some(true) {
            return html! { <p>{ "This server keeps no transparency log." }</p> };
        }
        let cosigned = v.get("cosigned").cloned().unwrap_or(Value::Null);
        html! {
            <>
                <dl class="facts">
                    <dt>{ "Log" }</dt><dd><code>{ s(v, "origin") }</code></dd>
                    <dt>{ "Log key" }</dt><dd><code>{ s(v, "log_key") }</code></dd>
                    <dt>{ "Entries in the latest checkpoint" }</dt><dd>{ n(v, "size") }</dd>
                    <dt>{ "Witnesses configured" }</dt><dd>{ n(v, "witnesses_configured") }</dd>
                    <dt>{ "Latest cosigned checkpoint" }</dt>
                    <dd>
                        if cosigned == Value::Null {
                            { "none yet" }
                        } else if !s(&cosigned, "problem").is_empty() {
                            <span class="bad">{ format!("size {}: {}", n(&cosigned, "size"), s(&cosigned, "problem")) }</span>
                        } else {
                            { format!("size {}, cosigned by {}", n(&cosigned, "size"),
                                list(&cosigned, "witnesses").iter().map(|w| format!("{} at {}", s(w, "name"), s(w, "at"))).collect::<Vec<_>>().join(", ")) }
                        }
                    </dd>
                </dl>
                <h2>{ "Latest checkpoint" }</h2>
                <pre>{ s(v, "checkpoint") }</pre>
            </>
        }
    });
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ "Log health" }</h1>
            { body }
        </>
    }
}

#[function_component(Audit)]
fn audit(props: &DataProps) -> Html {
    let data = use_load("/console/api/audit".into(), props.on_signed_out.clone());
    let body = loading_or_failed(&data).unwrap_or_else(|| {
        let Load::Done(v) = &*data else {
            return html! {};
        };
        let intact = v.get("intact").and_then(Value::as_bool) == Some(true);
        html! {
            <>
                if intact {
                    <p class="ok">{ "The trail's hash chain is intact." }</p>
                } else {
                    <p class="bad" role="alert">{ "The trail's hash chain is BROKEN: a row was changed or removed." }</p>
                }
                <div class="scroll" tabindex="0" role="region" aria-label="Audit trail">
                <table>
                    <thead><tr>
                        { for ["#", "When (UTC)", "Who", "What", "Detail", "From"].iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for list(v, "entries").iter().rev().map(|e| html! {
                            <tr>
                                <td class="n">{ n(e, "seq") }</td>
                                <td>{ s(e, "at") }</td>
                                <td>{ s(e, "actor") }</td>
                                <td>{ s(e, "action") }</td>
                                <td>{ s(e, "detail") }</td>
                                <td>{ s(e, "ip") }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                </div>
            </>
        }
    });
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ "Audit trail" }</h1>
            { body }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hash_names_one_page() {
        assert_eq!(Page::from_hash(""), Page::Home);
        assert_eq!(Page::from_hash("/dashboard"), Page::Dashboard);
        assert_eq!(Page::from_hash("/receipts/12"), Page::Receipt(12));
        assert_eq!(Page::from_hash("/receipts/x"), Page::Receipts);
        assert_eq!(Page::from_hash("/requests"), Page::Requests);
        assert_eq!(Page::from_hash("/notices"), Page::Notices);
        assert_eq!(
            Page::from_hash("/notices/support-privacy/v%202%2F%CE%B2"),
            Page::NoticeVersion("support-privacy".into(), "v 2/β".into())
        );
        assert_eq!(Page::from_hash("/notices/x/%FF"), Page::Notices);
        assert_eq!(Page::from_hash("/nothing"), Page::Home);
    }

    #[test]
    fn a_form_day_is_the_start_of_that_utc_day() {
        assert_eq!(
            day_start("2026-12-06").map(|t| t.to_rfc3339()),
            Some("2026-12-06T00:00:00.000Z".into())
        );
        assert_eq!(day_start("not a day"), None);
    }
}
