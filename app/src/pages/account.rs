//! Signing up, in and out, verifying an email and resetting a password, and
//! `/account`. Each form posts to its own page's address; the server's
//! `http::accounts` handlers do the work and either move on (303) or draw the page
//! again with what was typed and what was wrong (see `forms`).

use crate::components::errors::{redirect_to, sign_in_then_back};
use crate::components::seo::Seo;
use crate::forms::{Field, FormProblem, Input, use_form_echo};
use crate::lang::use_lang;
use crate::tr;
use crate::viewer::use_viewer;
use domain::{Lang, NewPassword};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

fn query(key: &str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(key))
}

/// Private pages stay out of search engines.
#[component]
fn PrivatePage(title: String, path: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Seo title=format!("{title} — Tianguis") description=tr!(lang, tagline) path=path.to_owned() />
        <Meta name="robots" content="noindex" />
    }
}

/// Where to go after signing in: a path on this site only, never another site.
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/account".to_owned())
}

fn password_hint(lang: Lang) -> String {
    tr!(lang, password_hint, min = NewPassword::MIN_CHARS)
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let lang = use_lang();
    let next = query("next").map(|n| safe_next(Some(n)));
    if use_viewer().is_some() {
        redirect_to(next.as_deref().unwrap_or("/account"));
    }
    let title = tr!(lang, sign_up_title);
    let with_next = |path: &str| match &next {
        Some(next) => format!(
            "{path}?next={}",
            domain::catalog::filter::percent_encode(next)
        ),
        None => path.to_owned(),
    };
    let (sign_in, action) = (with_next("/sign-in"), with_next("/sign-up"));
    view! {
        <PrivatePage title=title.clone() path="/sign-up" />
        <section class="narrow">
            <h1>{title}</h1>
            <p class="lead">{tr!(lang, sign_up_lead)}</p>
            <form method="post" action=action class="stacked">
                <FormProblem />
                <Field name="name" label=tr!(lang, field_name) autocomplete="name" />
                <Field name="email" label=tr!(lang, field_email) input=Input::Email />
                <Field
                    name="password"
                    label=tr!(lang, field_password)
                    input=Input::NewPassword
                    hint=password_hint(lang)
                />
                {next.map(|n| view! { <input type="hidden" name="next" value=n /> })}
                <button type="submit">{tr!(lang, sign_up_button)}</button>
            </form>
            <p>
                {tr!(lang, have_account)} " " <a href=sign_in>{tr!(lang, sign_in_title)}</a>
            </p>
        </section>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let next = safe_next(query("next"));
    if use_viewer().is_some() {
        redirect_to(&next);
    }
    let notice = match query("done").as_deref() {
        Some("reset") => Some(tr!(lang, notice_password_reset)),
        Some("signed-out") => Some(tr!(lang, notice_signed_out)),
        _ => None,
    };
    let title = tr!(lang, sign_in_title);
    let next_for_sign_up = next.clone();
    // The address keeps `next`, so a page drawn again after a mistake still has it.
    let action = format!(
        "/sign-in?next={}",
        domain::catalog::filter::percent_encode(&next)
    );
    view! {
        <PrivatePage title=title.clone() path="/sign-in" />
        <section class="narrow">
            <h1>{title}</h1>
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <form method="post" action=action class="stacked">
                <FormProblem />
                <input type="hidden" name="next" value=next />
                <Field name="email" label=tr!(lang, field_email) input=Input::Email />
                <Field name="password" label=tr!(lang, field_password) input=Input::CurrentPassword />
                <button type="submit">{tr!(lang, sign_in_button)}</button>
            </form>
            <p>
                <a href="/forgot-password">{tr!(lang, forgot_password_link)}</a>
            </p>
            <p>
                {tr!(lang, no_account)} " "
                <a href=format!(
                    "/sign-up?next={}",
                    domain::catalog::filter::percent_encode(&next_for_sign_up),
                )>{tr!(lang, sign_up_title)}</a>
            </p>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let sent = query("sent").is_some();
    let title = tr!(lang, forgot_password_title);
    view! {
        <PrivatePage title=title.clone() path="/forgot-password" />
        <section class="narrow">
            <h1>{title}</h1>
            {if sent {
                view! {
                    <p class="notice" role="status">
                        {tr!(lang, notice_reset_sent)}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <p class="lead">{tr!(lang, forgot_password_lead)}</p>
                    <form method="post" action="/forgot-password" class="stacked">
                        <FormProblem />
                        <Field name="email" label=tr!(lang, field_email) input=Input::Email />
                        <button type="submit">{tr!(lang, forgot_password_button)}</button>
                    </form>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The token travels in a hidden field, so it is posted back with the new password.
fn token_field() -> impl IntoView {
    let echo = use_form_echo();
    let token = query("token").or_else(|| echo.typed("token").map(str::to_owned));
    view! { <input type="hidden" name="token" value=token /> }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let title = tr!(lang, reset_password_title);
    view! {
        <PrivatePage title=title.clone() path="/reset-password" />
        <section class="narrow">
            <h1>{title}</h1>
            <form method="post" action="/reset-password" class="stacked">
                <FormProblem />
                {token_field()}
                <Field
                    name="password"
                    label=tr!(lang, field_new_password)
                    input=Input::NewPassword
                    hint=password_hint(lang)
                />
                <button type="submit">{tr!(lang, reset_password_button)}</button>
            </form>
        </section>
    }
}

/// The emailed link opens this page; the button confirms. A link that changed
/// something on a plain visit would be used up by mail scanners that open links.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let lang = use_lang();
    let title = tr!(lang, verify_email_title);
    view! {
        <PrivatePage title=title.clone() path="/verify-email" />
        <section class="narrow">
            <h1>{title}</h1>
            <form method="post" action="/verify-email" class="stacked">
                <FormProblem />
                {token_field()}
                <button type="submit">{tr!(lang, verify_email_button)}</button>
            </form>
        </section>
    }
}

/// The signed-in person's own page: who they are, and where their work is.
#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let Some(viewer) = use_viewer() else {
        redirect_to(&sign_in_then_back());
        return ().into_any();
    };
    let notice = match query("done").as_deref() {
        Some("welcome") => Some(tr!(lang, notice_welcome, email = viewer.email.clone())),
        Some("verified") => Some(tr!(lang, notice_verified)),
        Some("verification-sent") => Some(tr!(
            lang,
            notice_verification_sent,
            email = viewer.email.clone()
        )),
        _ => None,
    };
    let title = tr!(lang, account_title);
    let verification = if viewer.email_verified {
        view! { <p>{tr!(lang, email_verified)}</p> }.into_any()
    } else {
        view! {
            <form method="post" action="/account/verification" class="inline">
                <p>{tr!(lang, email_not_verified)}</p>
                <button type="submit">{tr!(lang, resend_verification)}</button>
            </form>
        }
        .into_any()
    };
    let coops = viewer
        .administered()
        .map(|m| {
            let href = format!("/coop/{}", m.cooperative_slug);
            view! {
                <li>
                    <a href=href>{tr!(lang, manage_cooperative, name = m.cooperative_name.clone())}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <PrivatePage title=title.clone() path="/account" />
        <section class="narrow">
            <h1>{title}</h1>
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <dl class="facts">
                <dt>{tr!(lang, field_name)}</dt>
                <dd>{viewer.name.clone()}</dd>
                <dt>{tr!(lang, field_email)}</dt>
                <dd>{viewer.email.clone()}</dd>
            </dl>
            {verification}
            <ul class="plain-list">
                {viewer
                    .has_dashboard()
                    .then(|| {
                        view! {
                            <li>
                                <a href="/dashboard">{tr!(lang, dashboard_title)}</a>
                            </li>
                        }
                    })}
                {coops}
                {viewer
                    .runs_platform()
                    .then(|| {
                        view! {
                            <li>
                                <a href="/admin">{tr!(lang, platform_title)}</a>
                            </li>
                            <li>
                                <a href="/admin/outbox">{tr!(lang, outbox_title)}</a>
                            </li>
                        }
                    })}
            </ul>
            <form method="post" action="/sign-out" class="inline">
                <button type="submit">{tr!(lang, sign_out_button)}</button>
            </form>
        </section>
    }
    .into_any()
}
