//! `/admin/outbox`: the emails the site has written, newest first, for platform
//! admins. Without `SMTP_URL` (the embedded default) this is where they wait, so a
//! demo's verification and reset links can be followed from here; with a mail server
//! their bodies (which carry those links) are never shown, and are forgotten once sent.

use crate::components::load::after_loading;
use crate::error::PageError;
use crate::lang::use_lang;
use crate::tr;
use domain::people::account::OutboxEmail;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The newest emails, and whether their bodies are shown (only without a mail server).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Outbox {
    pub emails: Vec<OutboxEmail>,
    pub bodies_shown: bool,
}

#[server]
pub async fn load_outbox() -> Result<Outbox, PageError> {
    use crate::error::ssr::{db, denied, signed_in};
    /// How many emails the page shows.
    const SHOWN: u64 = 100;
    if !signed_in()?.runs_platform() {
        return Err(denied(PageError::Forbidden));
    }
    let bodies_shown = !use_context::<crate::SiteSettings>().is_some_and(|s| s.emails_by_smtp);
    let mut emails = store::outbox::newest(&db()?, SHOWN)
        .await
        .map_err(PageError::internal)?;
    if !bodies_shown {
        for email in &mut emails {
            email.body.clear();
        }
    }
    Ok(Outbox {
        emails,
        bodies_shown,
    })
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let lang = use_lang();
    let title = tr!(lang, outbox_title);
    let list = move |outbox: Outbox| {
        let Outbox {
            emails,
            bodies_shown,
        } = outbox;
        let about_bodies = if bodies_shown {
            tr!(lang, outbox_bodies_shown)
        } else {
            tr!(lang, outbox_bodies_hidden)
        };
        if emails.is_empty() {
            return view! {
                <p>{about_bodies}</p>
                <p>{tr!(lang, outbox_empty)}</p>
            }
            .into_any();
        }
        view! {
            <p class="notice">{about_bodies}</p>
            <ol class="outbox">
                {emails
                    .into_iter()
                    .map(|e| {
                        let state = match (e.sent_at, &e.last_error) {
                            (Some(at), _) => {
                                tr!(lang, outbox_sent, at = at.format("%Y-%m-%d %H:%M UTC"))
                            }
                            (None, Some(err)) => {
                                tr!(lang, outbox_failing, attempts = e.attempts, error = err.clone())
                            }
                            (None, None) => tr!(lang, outbox_waiting),
                        };
                        view! {
                            <li class="email" data-to=e.to.clone()>
                                <h2>{e.subject}</h2>
                                <p class="meta">
                                    {tr!(lang, outbox_to, to = e.to.clone())} " · "
                                    {e.created_at.format("%Y-%m-%d %H:%M UTC").to_string()} " · "
                                    {state}
                                </p>
                                {(!e.body.is_empty()).then(|| view! { <pre>{linked(&e.body)}</pre> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
            .into_any()
    };
    view! {
        <Title text=format!("{title} — Tianguis") />
        <Meta name="robots" content="noindex" />
        <h1>{title}</h1>
        <p class="lead">{tr!(lang, outbox_lead)}</p>
        {after_loading(load_outbox(), list)}
    }
}

/// The body with its links clickable: each link sits on a line of its own.
fn linked(body: &str) -> impl IntoView + use<> {
    body.lines()
        .map(|line| {
            let link = line.trim();
            let is_link = (link.starts_with("https://") || link.starts_with("http://"))
                && !link.contains(char::is_whitespace);
            if is_link {
                view! { <a href=link.to_owned()>{link.to_owned()}</a> "\n" }.into_any()
            } else {
                format!("{line}\n").into_any()
            }
        })
        .collect_view()
}
