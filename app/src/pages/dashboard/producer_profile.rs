//! `/dashboard/producers/{id}/profile`: a producer's public profile — the name
//! visitors see, what they make or guide and their story in both languages, and one
//! photo — as they or their helper edit it. The forms post to the server's
//! `http::dashboard::producer_profile` handlers, which check again who may.

use crate::components::load::after_loading;
use crate::components::photo::picture;
use crate::error::PageError;
use crate::forms::{Field, FormProblem, Input};
use crate::lang::use_lang;
use crate::pages::dashboard::listings::confirmed_post_button;
use crate::tr;
use domain::people::producer_profile::EditableProducer;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[server]
pub async fn load_producer_profile(id: i32) -> Result<EditableProducer, PageError> {
    use crate::error::ssr::{db, denied, signed_in};
    if signed_in()?.acting_for(id).is_none() {
        return Err(denied(PageError::Forbidden));
    }
    store::people::producers::editable(&db()?, id)
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)
}

#[component]
pub fn ProducerProfilePage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().with_untracked(|p| {
        p.get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or_default()
    });
    let done = use_query_map().with_untracked(|q| q.get("done"));
    after_loading(load_producer_profile(id), move |p: EditableProducer| {
        let title = tr!(lang, producer_profile_title, name = p.fields.name.clone());
        let notice = done.as_deref().map(|d| match d {
            "photo" => tr!(lang, notice_photo_added),
            _ => tr!(lang, notice_profile_saved),
        });
        let base = format!("/dashboard/producers/{}", p.id);
        let f = p.fields;
        let photo = p.photo.map(|photo| {
            view! {
                <div class="profile-photo">
                    {picture(&photo, lang, "160px", true)}
                    {confirmed_post_button(
                        format!("{base}/photo/delete"),
                        tr!(lang, photo_delete),
                        tr!(lang, photo_delete_question),
                        tr!(lang, photo_delete_confirm),
                    )}
                </div>
            }
        });
        view! {
            <Title text=format!("{title} — Tianguis") />
            <Meta name="robots" content="noindex" />
            <h1>{title}</h1>
            <p><a href="/dashboard">{tr!(lang, dashboard_title)}</a></p>
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <form method="post" action=format!("{base}/profile") class="stacked">
                <FormProblem />
                <Field name="name" label=tr!(lang, field_public_name) value=f.name />
                <Field
                    name="specialty_es"
                    label=format!("{} — {}", tr!(lang, field_specialty), tr!(lang, in_spanish))
                    value=f.specialty_es
                    required=false
                    text_lang="es"
                />
                <Field
                    name="specialty_en"
                    label=format!("{} — {}", tr!(lang, field_specialty), tr!(lang, in_english))
                    value=f.specialty_en
                    required=false
                    text_lang="en"
                />
                <Field
                    name="bio_es"
                    label=format!("{} — {}", tr!(lang, field_bio), tr!(lang, in_spanish))
                    input=Input::LongText
                    value=f.bio_es
                    required=false
                    text_lang="es"
                />
                <Field
                    name="bio_en"
                    label=format!("{} — {}", tr!(lang, field_bio), tr!(lang, in_english))
                    input=Input::LongText
                    value=f.bio_en
                    required=false
                    text_lang="en"
                />
                <button type="submit">{tr!(lang, save_profile)}</button>
            </form>
            <section class="photos-edit">
                <h2>{tr!(lang, profile_photo_title)}</h2>
                {photo}
                <form
                    method="post"
                    action=format!("{base}/photo")
                    enctype="multipart/form-data"
                    class="stacked"
                >
                    <Field
                        name="photo"
                        label=tr!(lang, field_photo)
                        input=Input::Photo
                        hint=tr!(lang, profile_photo_hint)
                    />
                    <button type="submit">{tr!(lang, upload_photo)}</button>
                </form>
            </section>
        }
    })
}
