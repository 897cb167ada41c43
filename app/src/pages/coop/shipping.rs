//! `/coop/{slug}/shipping`: how the cooperative sends its crafts — a flat amount plus
//! so much per item, free above an amount — and whether buyers may collect at the
//! cooperative. Its admin edits it; the form posts to the server's `order_admin`.

use crate::components::load::after_loading;
use crate::error::PageError;
use crate::forms::{Field, FormProblem, use_form_echo};
use crate::lang::use_lang;
use crate::pages::coop::listings::CoopNav;
use crate::tr;
use domain::commerce::shipping::ShippingFields;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[server]
pub async fn load_coop_shipping(slug: String) -> Result<(String, ShippingFields), PageError> {
    use crate::error::ssr::db;
    let coop = crate::pages::coop::listings::ssr::administered(&slug)?;
    let rates = store::commerce::shipping_rates::of(&db()?, coop.cooperative_id)
        .await
        .map_err(PageError::internal)?;
    Ok((coop.cooperative_name, ShippingFields::of(&rates)))
}

#[component]
pub fn ShippingPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let saved = use_query_map().with_untracked(|q| q.get("done").is_some());
    after_loading(load_coop_shipping(slug.clone()), move |(name, f)| {
        let echo = use_form_echo();
        // A refused form keeps what was ticked; an untouched one shows what is saved.
        let (ships, pickup) = if echo.has_errors() {
            (
                echo.typed("ships").is_some(),
                echo.typed("pickup").is_some(),
            )
        } else {
            (f.ships, f.pickup)
        };
        let title = tr!(lang, shipping_title, name = name);
        view! {
            <Title text=format!("{title} — Tianguis") />
            <Meta name="robots" content="noindex" />
            <h1>{title}</h1>
            <CoopNav slug=slug.clone() />
            {saved.then(|| view! { <p class="notice" role="status">{tr!(lang, saved)}</p> })}
            <form method="post" action=format!("/coop/{slug}/shipping") class="stacked narrow">
                <FormProblem />
                {echo.error_of("ships").map(|e| view! { <p class="field-error" role="alert">{e.message(lang)}</p> })}
                <label class="choice"><input type="checkbox" name="ships" value="1" checked=ships /> {tr!(lang, shipping_ships)}</label>
                <Field name="flat" label=tr!(lang, shipping_flat) value=f.flat />
                <Field name="per_item" label=tr!(lang, shipping_per_item) value=f.per_item />
                <Field name="free_above" label=tr!(lang, shipping_free_above) value=f.free_above required=false
                    hint=tr!(lang, shipping_free_above_hint) />
                <label class="choice"><input type="checkbox" name="pickup" value="1" checked=pickup /> {tr!(lang, shipping_pickup)}</label>
                <button type="submit">{tr!(lang, save)}</button>
            </form>
        }
    })
}
