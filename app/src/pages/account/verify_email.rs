//! `/verify-email`: the emailed link's page, whose button confirms the address
//! (`http::account::verify_email`).

use super::{PrivatePage, token_field};
use crate::forms::FormProblem;
use crate::lang::use_lang;
use crate::tr;
use leptos::prelude::*;

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
