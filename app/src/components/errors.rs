//! The page a visitor sees when something is wrong, with the right HTTP status.

use crate::error::PageError;
use crate::tr;
use domain::{FilterError, Lang, catalog::filter::FilterField};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// Sets the response status (on the server; a no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Sends the browser to `path` with a 303 (on the server; a no-op in the browser).
pub fn redirect_to(path: &str) {
    #[cfg(feature = "ssr")]
    {
        leptos_axum::redirect(path);
        set_status(303);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = path;
}

/// Where the sign-in page sends someone back to: this page.
pub fn sign_in_then_back() -> String {
    let location = leptos_router::hooks::use_location();
    let here = location.pathname.get_untracked();
    let query = location.search.get_untracked();
    let back = if query.is_empty() {
        here
    } else {
        format!("{here}?{query}")
    };
    format!(
        "/sign-in?next={}",
        domain::catalog::filter::percent_encode(&back)
    )
}

#[component]
pub fn ErrorPage(error: PageError) -> impl IntoView {
    let lang = crate::lang::use_lang();
    if error == PageError::SignInRequired {
        let to = sign_in_then_back();
        redirect_to(&to);
        return view! {
            <p>
                <a href=to>{tr!(lang, sign_in_title)}</a>
            </p>
        }
        .into_any();
    }
    set_status(error.status());
    let (title, text) = match &error {
        PageError::NotFound => (tr!(lang, not_found_title), tr!(lang, not_found_text)),
        PageError::SignInRequired | PageError::Forbidden => {
            (tr!(lang, forbidden_title), tr!(lang, forbidden_text))
        }
        PageError::BadFilter(e) => (tr!(lang, bad_filter_title), filter_message(e, lang)),
        PageError::Internal => (tr!(lang, server_error_title), tr!(lang, server_error_text)),
    };
    view! {
        <Title text=title.clone() />
        <Meta name="robots" content="noindex" />
        <section class="error-page" data-status=error.status()>
            <h1>{title}</h1>
            <p class="error-message">{text}</p>
            <p>
                <a href="/">{tr!(lang, back_home)}</a>
            </p>
        </section>
    }
    .into_any()
}

pub fn field_label(field: FilterField, lang: Lang) -> String {
    match field {
        FilterField::Q => tr!(lang, filter_search),
        FilterField::Cooperative => tr!(lang, filter_cooperative),
        FilterField::Community => tr!(lang, filter_community),
        FilterField::State => tr!(lang, filter_state),
        FilterField::Category => tr!(lang, filter_category),
        FilterField::MinPrice => tr!(lang, filter_min),
        FilterField::MaxPrice => tr!(lang, filter_max),
        FilterField::From => tr!(lang, filter_from),
        FilterField::To => tr!(lang, filter_to),
        FilterField::Sort => tr!(lang, sort_label),
        FilterField::Page => tr!(lang, filter_page),
    }
}

/// A sentence a person understands, in their language, about a bad filter value.
pub fn filter_message(error: &FilterError, lang: Lang) -> String {
    match error {
        FilterError::NotAPrice { value, .. } => tr!(lang, err_not_a_price, value = value.clone()),
        FilterError::NotADate { value, .. } => tr!(lang, err_not_a_date, value = value.clone()),
        FilterError::NotAPage(value) => tr!(lang, err_not_a_page, value = value.clone()),
        FilterError::PageTooDeep { max } => tr!(lang, err_page_too_deep, max = *max),
        FilterError::NotASlug { field, value } => tr!(
            lang,
            err_not_a_slug,
            value = value.clone(),
            field = field_label(*field, lang)
        ),
        FilterError::UnknownCategory(value) => {
            tr!(lang, err_unknown_category, value = value.clone())
        }
        FilterError::PriceRangeInverted => tr!(lang, err_price_inverted),
        FilterError::DateRangeInverted => tr!(lang, err_date_inverted),
        FilterError::NoDatesForCrafts(_) => tr!(lang, err_no_dates_for_crafts),
        FilterError::QueryTooLong { max } => tr!(lang, err_query_too_long, max = *max),
        FilterError::UnknownSort(value) => tr!(lang, err_unknown_sort, value = value.clone()),
    }
}
