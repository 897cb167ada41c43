//! `/order-links`: a guest who lost an order's email asks for its link again; the
//! server (`http::visit::order_links`) emails the address the links of its newest
//! orders, each with a key of its own, and says the same whether or not it has any.

use crate::forms::{Field, FormProblem, Input};
use crate::lang::use_lang;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn OrderLinksPage() -> impl IntoView {
    let lang = use_lang();
    let sent = use_query_map().with_untracked(|q| q.get("sent").is_some());
    let title = tr!(lang, order_links_title);
    view! {
        <Title text=format!("{title} — Tianguis") />
        <Meta name="robots" content="noindex" />
        <section class="narrow">
            <h1>{title}</h1>
            {if sent {
                view! { <p class="notice" role="status">{tr!(lang, notice_order_links_sent)}</p> }
                    .into_any()
            } else {
                view! {
                    <p class="lead">{tr!(lang, order_links_lead)}</p>
                    <form method="post" action="/order-links" class="stacked">
                        <FormProblem />
                        <Field name="email" label=tr!(lang, field_email) input=Input::Email />
                        <button type="submit">{tr!(lang, order_links_button)}</button>
                    </form>
                }
                    .into_any()
            }}
        </section>
    }
}
