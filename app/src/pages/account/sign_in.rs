//! `/sign-in`: signing in, then back to where the person was (`http::account::sign_in`).

use super::{PrivatePage, query, safe_next};
use crate::components::errors::redirect_to;
use crate::forms::{Field, FormProblem, Input};
use crate::lang::use_lang;
use crate::tr;
use crate::viewer::use_viewer;
use leptos::prelude::*;

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
