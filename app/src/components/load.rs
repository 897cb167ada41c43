//! Loading a page's data. Pages outside islands render only on the server, so their
//! data is awaited right there (the route's `SsrMode::Async` waits for it before the
//! first byte, status code included) and nothing is serialized into the HTML for a
//! browser that will never hydrate it.

use super::errors::ErrorPage;
use crate::error::PageError;
use leptos::prelude::*;
use std::future::Future;

pub fn after_loading<T, V>(
    load: impl Future<Output = Result<T, PageError>> + Send + 'static,
    content: impl FnOnce(T) -> V + Send + 'static,
) -> impl IntoView
where
    T: Send + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense>
            {Suspend::new(async move {
                match load.await {
                    Ok(data) => content(data).into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
