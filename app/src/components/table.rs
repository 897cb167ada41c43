//! A table that may be wider than a phone: it scrolls sideways inside its box, which a
//! keyboard can reach (its arrows scroll it), rather than widening the page.

use leptos::prelude::*;

pub fn scrolling(table: impl IntoView) -> impl IntoView {
    view! { <div class="table-scroll" tabindex="0">{table}</div> }
}
