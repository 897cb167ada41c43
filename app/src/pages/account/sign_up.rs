//! `/sign-up`: a new account (the form posts back here; `http::account::sign_up`).

use super::{PrivatePage, password_hint, query, safe_next};
use crate::components::errors::redirect_to;
use crate::forms::{Field, FormProblem, Input};
use crate::lang::use_lang;
use crate::tr;
use crate::viewer::use_viewer;
use leptos::prelude::*;

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
