//! `/coop/{slug}/profile`: the cooperative's public profile — its name, its story in
//! Spanish and English, how to reach it, when it was founded — as its admin edits
//! it. The form posts to the server's `http::coop::profile` handler.

use crate::components::load::after_loading;
use crate::error::PageError;
use crate::forms::{Field, FormProblem, Input};
use crate::lang::use_lang;
use crate::pages::coop::listings::CoopNav;
use crate::tr;
use domain::people::members::CoopProfileFields;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[server]
pub async fn load_coop_profile(slug: String) -> Result<CoopProfileFields, PageError> {
    use crate::error::ssr::db;
    let coop = crate::pages::coop::listings::ssr::administered(&slug)?;
    store::people::members::profile(&db()?, coop.cooperative_id)
        .await
        .map_err(PageError::internal)?
        .map(|p| CoopProfileFields::from_profile(&p))
        .ok_or(PageError::NotFound)
}

#[component]
pub fn CoopProfilePage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let saved = use_query_map().with_untracked(|q| q.get("done").is_some());
    after_loading(
        load_coop_profile(slug.clone()),
        move |f: CoopProfileFields| {
            let title = tr!(lang, coop_profile_title, name = f.name.clone());
            view! {
                <Title text=format!("{title} — Tianguis") />
                <Meta name="robots" content="noindex" />
                <h1>{title}</h1>
                <CoopNav slug=slug.clone() />
                {saved
                    .then(|| {
                        view! {
                            <p class="notice" role="status">
                                {tr!(lang, notice_profile_saved)}
                            </p>
                        }
                    })}
                <form method="post" action=format!("/coop/{slug}/profile") class="stacked">
                    <FormProblem />
                    <Field name="name" label=tr!(lang, field_coop_name) value=f.name />
                    <Field
                        name="story_es"
                        label=tr!(lang, field_story_es)
                        input=Input::LongText
                        value=f.story_es
                        required=false
                        text_lang="es"
                    />
                    <Field
                        name="story_en"
                        label=tr!(lang, field_story_en)
                        input=Input::LongText
                        value=f.story_en
                        required=false
                        text_lang="en"
                    />
                    <Field
                        name="contact_email"
                        label=tr!(lang, field_contact_email)
                        input=Input::Email
                        value=f.contact_email
                        required=false
                    />
                    <Field
                        name="contact_phone"
                        label=tr!(lang, field_contact_phone)
                        value=f.contact_phone
                        required=false
                        autocomplete="tel"
                    />
                    <Field
                        name="year_founded"
                        label=tr!(lang, field_year_founded)
                        input=Input::Number
                        value=f.year_founded
                        required=false
                    />
                    <button type="submit">{tr!(lang, save_profile)}</button>
                </form>
            }
        },
    )
}
