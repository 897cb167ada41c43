//! "← Anterior · Página 2 de 9 · Siguiente →": the links between the pages of a list.

use crate::tr;
use domain::Lang;
use leptos::prelude::*;

/// The pager of page `page` of `pages`, each page's address from `link`; nothing
/// when everything fits on one page.
pub fn pager(
    page: u32,
    pages: u32,
    link: &dyn Fn(u32) -> String,
    lang: Lang,
) -> Option<impl IntoView + use<>> {
    if pages <= 1 {
        return None;
    }
    let prev = (page > 1).then(|| {
        view! { <a rel="prev" href=link(page - 1)>"← " {tr!(lang, page_prev)}</a> }
    });
    let next = (page < pages).then(|| {
        view! { <a rel="next" href=link(page + 1)>{tr!(lang, page_next)} " →"</a> }
    });
    Some(view! {
        <nav class="pagination" aria-label=tr!(lang, filter_page)>
            {prev}
            <span>{tr!(lang, page_of, page = page, pages = pages)}</span>
            {next}
        </nav>
    })
}
