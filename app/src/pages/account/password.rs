//! `/forgot-password` and `/reset-password`: a reset link by email, then a new password
//! (`http::account::password`).

use super::{PrivatePage, password_hint, query, token_field};
use crate::forms::{Field, FormProblem, Input};
use crate::lang::use_lang;
use crate::tr;
use leptos::prelude::*;

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
