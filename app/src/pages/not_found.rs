use crate::components::errors::ErrorPage;
use crate::error::PageError;
use leptos::prelude::*;

/// Any path no route knows: a real 404 page.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorPage error=PageError::NotFound /> }
}
