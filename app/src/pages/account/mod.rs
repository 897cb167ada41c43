//! Signing up, in and out, verifying an email and resetting a password, and
//! `/account`. Each form posts to its own page's address; the server's
//! `http::account` handlers of the same names do the work and either move on (303) or draw the page
//! again with what was typed and what was wrong (see `forms`).

pub mod invitation;
pub mod overview;
pub mod password;
pub mod sign_in;
pub mod sign_up;
pub mod verify_email;

use crate::components::seo::Seo;
use crate::forms::use_form_echo;
use crate::lang::use_lang;
use crate::tr;
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

/// Where to go after signing in: the page asked for when it is a page of this site
/// (`domain::people::return_path`), the home page when `next` is anything else, the
/// account page when there is no `next`.
pub fn safe_next(next: Option<String>) -> String {
    match next {
        None => "/account".to_owned(),
        Some(next) => domain::people::return_path::local_path(&next)
            .unwrap_or("/")
            .to_owned(),
    }
}

fn password_hint(lang: Lang) -> String {
    tr!(lang, password_hint, min = NewPassword::MIN_CHARS)
}

/// The token travels in a hidden field, so it is posted back with the new password.
fn token_field() -> impl IntoView {
    let echo = use_form_echo();
    let token = query("token").or_else(|| echo.typed("token").map(str::to_owned));
    view! { <input type="hidden" name="token" value=token /> }
}
