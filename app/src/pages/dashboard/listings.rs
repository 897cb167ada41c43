//! `/dashboard`: a producer's own listings (and, for a helper, those of the producers
//! entrusted to them), with their status, and the form to write a listing in Spanish
//! and English. The forms post to the server's `http::dashboard::listings` handlers, which check
//! again who may do what.

use crate::components::load::after_loading;
use crate::error::PageError;
use crate::forms::{Choice, Field, FormProblem, Input, use_form_echo};
use crate::lang::use_lang;
use crate::tr;
use domain::catalog::PhotoRef;
use domain::catalog::listing_form::ListingFields;
use domain::catalog::moderation::WorkListing;
use domain::{Lang, ListingKind, ListingStatus};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// One producer's listings, as the dashboard shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerWork {
    pub producer_id: i32,
    pub name: String,
    /// Shown to a helper: these are somebody else's listings.
    pub on_behalf: bool,
    pub listings: Vec<WorkListing>,
}

#[server]
pub async fn load_dashboard() -> Result<Vec<ProducerWork>, PageError> {
    use crate::error::ssr::{db, denied, signed_in};
    let viewer = signed_in()?;
    if !viewer.has_dashboard() {
        return Err(denied(PageError::Forbidden));
    }
    let mut producers: Vec<ProducerWork> = viewer
        .own_producers()
        .filter_map(|m| m.producer_id)
        .map(|producer_id| ProducerWork {
            producer_id,
            name: viewer.name.clone(),
            on_behalf: false,
            listings: vec![],
        })
        .collect();
    producers.extend(viewer.helps.iter().map(|h| ProducerWork {
        producer_id: h.producer_id,
        name: h.producer_name.clone(),
        on_behalf: true,
        listings: vec![],
    }));
    let ids: Vec<i32> = producers.iter().map(|p| p.producer_id).collect();
    let listings = store::catalog::listings::of_producers(&db()?, &ids)
        .await
        .map_err(PageError::internal)?;
    for listing in listings {
        if let Some(p) = producers
            .iter_mut()
            .find(|p| Some(p.producer_id) == listing.producer_id)
        {
            p.listings.push(listing);
        }
    }
    Ok(producers)
}

/// A listing's current content, for its edit form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableListing {
    pub id: i32,
    pub kind: ListingKind,
    pub status: ListingStatus,
    pub fields: ListingFields,
    /// Row id and photo, cover first.
    pub photos: Vec<(i32, PhotoRef)>,
}

#[server]
pub async fn load_listing_for_edit(id: i32) -> Result<EditableListing, PageError> {
    use crate::error::ssr::{db, denied, signed_in};
    let viewer = signed_in()?;
    let (owned, draft) = store::catalog::listings::draft_of(&db()?, id)
        .await
        .map_err(PageError::internal)?
        .filter(|(o, _)| o.status != ListingStatus::Deleted)
        .ok_or(PageError::NotFound)?;
    let producer = owned
        .producer_id
        .ok_or_else(|| denied(PageError::Forbidden))?;
    if viewer.acting_for(producer).is_none() {
        return Err(denied(PageError::Forbidden));
    }
    let photos = store::catalog::photos::of_listing(&db()?, id)
        .await
        .map_err(PageError::internal)?
        .into_iter()
        .map(|p| (p.id, p.photo))
        .collect();
    Ok(EditableListing {
        id,
        kind: owned.kind,
        status: owned.status,
        fields: ListingFields::from_draft(&draft),
        photos,
    })
}

pub fn status_label(status: ListingStatus, lang: Lang) -> String {
    match status {
        ListingStatus::Draft => tr!(lang, status_draft),
        ListingStatus::Pending => tr!(lang, status_pending),
        ListingStatus::Published => tr!(lang, status_published),
        ListingStatus::Rejected => tr!(lang, status_rejected),
        ListingStatus::Deleted => tr!(lang, status_deleted),
    }
}

pub fn kind_label(kind: ListingKind, lang: Lang) -> String {
    match kind {
        ListingKind::Craft => tr!(lang, kind_craft),
        ListingKind::Tour => tr!(lang, kind_tour),
        ListingKind::Event => tr!(lang, kind_event),
    }
}

/// A button that posts to `action`: the way to change something without JavaScript.
pub fn post_button(action: String, label: String, class: &'static str) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline">
            <button type="submit" class=class>
                {label}
            </button>
        </form>
    }
}

/// A button that acts only after a second, explicit press: the first opens the
/// question (a `<details>`, so it works without JavaScript), the second posts.
pub fn confirmed_post_button(
    action: String,
    label: String,
    question: String,
    confirm: String,
) -> impl IntoView {
    view! {
        <details class="confirm">
            <summary>{label}</summary>
            <form method="post" action=action class="confirm-form">
                <p>{question}</p>
                <button type="submit" class="danger">{confirm}</button>
            </form>
        </details>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let title = tr!(lang, dashboard_title);
    let done = use_query_map().with_untracked(|q| q.get("done"));
    let notice = done.map(|d| match d.as_str() {
        "created" => tr!(lang, notice_listing_created),
        "submitted" => tr!(lang, notice_listing_submitted),
        "deleted" => tr!(lang, notice_listing_deleted),
        "unpublished" => tr!(lang, notice_listing_unpublished),
        "joined" => tr!(lang, notice_joined),
        _ => tr!(lang, notice_listing_saved),
    });
    view! {
        <Title text=format!("{title} — Tianguis") />
        <Meta name="robots" content="noindex" />
        <h1>{title}</h1>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <p>
            <a href="/dashboard/slots">{tr!(lang, my_slots_link)}</a>
            " · "
            <a href="/dashboard/earnings">{tr!(lang, earnings_link)}</a>
        </p>
        {after_loading(load_dashboard(), move |producers| producers
            .into_iter()
            .map(|p| producer_section(p, lang))
            .collect_view())}
    }
}

fn producer_section(p: ProducerWork, lang: Lang) -> impl IntoView {
    let new_link = |kind: ListingKind| {
        view! {
            <a class="button-link" href=format!("/dashboard/new?kind={}&producer={}", kind.code(), p.producer_id)>
                {tr!(lang, new_listing, kind = kind_label(kind, lang))}
            </a>
        }
    };
    let heading = if p.on_behalf {
        tr!(lang, listings_on_behalf, name = p.name.clone())
    } else {
        tr!(lang, your_listings)
    };
    let empty = p
        .listings
        .is_empty()
        .then(|| view! { <p>{tr!(lang, no_listings_yet)}</p> });
    view! {
        <section class="producer-work" data-producer=p.producer_id>
            <h2>{heading}</h2>
            <p class="actions">
                {new_link(ListingKind::Craft)} {new_link(ListingKind::Tour)}
                {new_link(ListingKind::Event)}
                <a href=format!("/dashboard/producers/{}/profile", p.producer_id)>
                    {tr!(lang, edit_producer_profile)}
                </a>
            </p>
            {empty}
            <ul class="work-list">
                {p.listings.into_iter().map(|l| work_item(l, lang)).collect_view()}
            </ul>
        </section>
    }
}

fn work_item(l: WorkListing, lang: Lang) -> impl IntoView {
    let title = crate::components::text::plain(&l.title, lang);
    let base = format!("/dashboard/listings/{}", l.id);
    let can = |action| l.status.after(action).is_ok();
    let submit = can(domain::ListingAction::Submit)
        .then(|| post_button(format!("{base}/submit"), tr!(lang, submit_listing), ""));
    let unpublish = can(domain::ListingAction::Unpublish).then(|| {
        post_button(
            format!("{base}/unpublish"),
            tr!(lang, unpublish_listing),
            "secondary",
        )
    });
    let public = l.status.is_public().then(|| {
        view! { <a href=format!("{}/{}", l.kind.path(), l.slug)>{tr!(lang, see_listing)}</a> }
    });
    view! {
        <li class="work" data-status=l.status.code() data-slug=l.slug.to_string()>
            <h3>{title}</h3>
            <p class="meta">
                {kind_label(l.kind, lang)} " · " {l.price.to_string()} " · "
                <strong class="status">{status_label(l.status, lang)}</strong>
            </p>
            {l
                .rejection_reason
                .filter(|_| l.status == ListingStatus::Rejected)
                .map(|r| {
                    view! {
                        <p class="rejection">
                            {tr!(lang, rejection_reason_label)} " " <q>{r}</q>
                        </p>
                    }
                })}
            <p class="actions">
                <a href=format!("{base}/edit")>{tr!(lang, edit_listing)}</a>
                {public}
                {submit}
                {unpublish}
                {confirmed_post_button(
                    format!("{base}/delete"),
                    tr!(lang, delete_listing),
                    tr!(lang, delete_listing_question),
                    tr!(lang, delete_listing_confirm),
                )}
            </p>
        </li>
    }
}

fn query(key: &str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(key))
}

#[component]
pub fn NewListingPage() -> impl IntoView {
    let lang = use_lang();
    let kind = query("kind").and_then(|k| ListingKind::parse(&k));
    let producer = query("producer").and_then(|p| p.parse::<i32>().ok());
    let (Some(kind), Some(producer)) = (kind, producer) else {
        return view! { <crate::components::errors::ErrorPage error=PageError::NotFound /> }
            .into_any();
    };
    let title = tr!(lang, new_listing, kind = kind_label(kind, lang));
    let action = format!("/dashboard/new?kind={}&producer={producer}", kind.code());
    view! {
        <Title text=format!("{title} — Tianguis") />
        <Meta name="robots" content="noindex" />
        <h1>{title.clone()}</h1>
        {listing_form(kind, action, ListingFields::default(), true, lang)}
    }
    .into_any()
}

#[component]
pub fn EditListingPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .and_then(|id| id.parse::<i32>().ok())
        .unwrap_or(0);
    let done = query("done");
    after_loading(load_listing_for_edit(id), move |l: EditableListing| {
        let title = tr!(lang, edit_listing);
        let notice = done.as_deref().and_then(|d| match d {
            "created" => Some(tr!(lang, notice_listing_created_add_photos)),
            "photo" => Some(tr!(lang, notice_photo_added)),
            _ => None,
        });
        let notice = notice.map(|n| view! { <p class="notice" role="status">{n}</p> });
        let action = format!("/dashboard/listings/{}/edit", l.id);
        let warning = (l.status == ListingStatus::Published)
            .then(|| view! { <p class="notice">{tr!(lang, edit_published_warning)}</p> });
        view! {
            <Title text=format!("{title} — Tianguis") />
            <Meta name="robots" content="noindex" />
            {notice}
            <h1>{title}</h1>
            <p class="meta">{status_label(l.status, lang)}</p>
            {warning}
            {photo_section(l.id, l.photos, lang)}
            {listing_form(l.kind, action, l.fields, false, lang)}
        }
    })
}

/// The listing form: common texts in both languages, then the kind's own fields.
/// `with_photo`: the new-listing form, which also takes a first photo (so it is sent
/// as `multipart/form-data`).
fn listing_form(
    kind: ListingKind,
    action: String,
    f: ListingFields,
    with_photo: bool,
    lang: Lang,
) -> impl IntoView {
    let categories: Vec<(String, String)> = kind
        .categories()
        .iter()
        .map(|c| {
            (
                c.code().to_owned(),
                crate::components::card::category_label(*c, lang),
            )
        })
        .collect();
    let pair = |base: &'static str, es: String, en: String, long: bool, required: bool| {
        let input = if long { Input::LongText } else { Input::Text };
        let (name_es, name_en) = match base {
            "title" => ("title_es", "title_en"),
            "summary" => ("summary_es", "summary_en"),
            "description" => ("description_es", "description_en"),
            "materials" => ("materials_es", "materials_en"),
            "technique" => ("technique_es", "technique_en"),
            "meeting_point" => ("meeting_point_es", "meeting_point_en"),
            _ => ("venue_es", "venue_en"),
        };
        let label = field_label(base, lang);
        view! {
            <fieldset class="pair">
                <legend>{label.clone()}</legend>
                <Field
                    name=name_es
                    label=format!("{label} — {}", tr!(lang, in_spanish))
                    input=input
                    value=es
                    required=false
                    text_lang="es"
                />
                <Field
                    name=name_en
                    label=format!("{label} — {}", tr!(lang, in_english))
                    input=input
                    value=en
                    required=false
                    text_lang="en"
                />
                {required.then(|| view! { <p class="hint">{tr!(lang, one_language_needed)}</p> })}
            </fieldset>
        }
    };
    let details = match kind {
        ListingKind::Craft => {
            // A form drawn again after a mistake shows the box as it was sent.
            let echo = use_form_echo();
            let made_to_order = if echo.has_errors() {
                echo.typed("made_to_order").is_some()
            } else {
                !f.made_to_order.is_empty()
            };
            view! {
                <Field name="stock" label=tr!(lang, field_stock) input=Input::Number value=f.stock.clone() />
                <div class="field">
                    <label class="choice">
                        <input type="checkbox" name="made_to_order" value="on" checked=made_to_order />
                        " " {tr!(lang, field_made_to_order)}
                    </label>
                    <p class="hint">{tr!(lang, field_made_to_order_hint)}</p>
                </div>
                <Field name="lead_days" label=tr!(lang, field_lead_days) input=Input::Number
                    hint=tr!(lang, field_lead_days_hint) value=f.lead_days.clone() required=false />
                <fieldset class="sizes">
                    <legend>{tr!(lang, field_size)}</legend>
                    <p class="hint">{tr!(lang, field_size_hint)}</p>
                    <Field name="width_cm" label=tr!(lang, field_width_cm) input=Input::Number value=f.width_cm.clone() required=false />
                    <Field name="height_cm" label=tr!(lang, field_height_cm) input=Input::Number value=f.height_cm.clone() required=false />
                    <Field name="depth_cm" label=tr!(lang, field_depth_cm) input=Input::Number value=f.depth_cm.clone() required=false />
                </fieldset>
                {pair("materials", f.materials_es.clone(), f.materials_en.clone(), false, false)}
                {pair("technique", f.technique_es.clone(), f.technique_en.clone(), false, false)}
            }
            .into_any()
        }
        ListingKind::Tour => view! {
            <Field
                name="duration_minutes"
                label=tr!(lang, field_duration)
                input=Input::Number
                value=f.duration_minutes.clone()
            />
            <Field
                name="max_group_size"
                label=tr!(lang, field_group_size)
                input=Input::Number
                value=f.max_group_size.clone()
            />
            <Field
                name="languages"
                label=tr!(lang, field_languages)
                hint=tr!(lang, field_languages_hint)
                value=f.languages.clone()
            />
            {pair("meeting_point", f.meeting_point_es.clone(), f.meeting_point_en.clone(), false, true)}
        }
        .into_any(),
        ListingKind::Event => view! {
            <Field name="starts_at" label=tr!(lang, field_starts) input=Input::DateTime value=f.starts_at.clone() />
            <Field name="ends_at" label=tr!(lang, field_ends) input=Input::DateTime value=f.ends_at.clone() />
            {pair("venue", f.venue_es.clone(), f.venue_en.clone(), false, true)}
        }
        .into_any(),
    };
    let price_label = match kind {
        ListingKind::Craft => tr!(lang, field_price),
        ListingKind::Tour => tr!(lang, field_price_per_person),
        ListingKind::Event => tr!(lang, field_price_ticket),
    };
    view! {
        <form
            method="post"
            action=action
            class="stacked listing-form"
            enctype=with_photo.then_some("multipart/form-data")
        >
            <FormProblem />
            <Choice name="category" label=tr!(lang, filter_category) options=categories value=f.category.clone() />
            {pair("title", f.title_es.clone(), f.title_en.clone(), false, true)}
            {pair("summary", f.summary_es.clone(), f.summary_en.clone(), true, true)}
            {pair("description", f.description_es.clone(), f.description_en.clone(), true, false)}
            <Field name="price" label=price_label hint=tr!(lang, field_price_hint) value=f.price.clone() />
            {details}
            {with_photo.then(|| view! {
                <fieldset>
                    <legend>{tr!(lang, first_photo)}</legend>
                    {photo_fields(false, lang)}
                </fieldset>
            })}
            <button type="submit">{tr!(lang, save_listing)}</button>
        </form>
    }
}

fn field_label(base: &str, lang: Lang) -> String {
    match base {
        "title" => tr!(lang, field_title),
        "summary" => tr!(lang, field_summary),
        "description" => tr!(lang, field_description),
        "materials" => tr!(lang, field_materials),
        "technique" => tr!(lang, field_technique),
        "meeting_point" => tr!(lang, field_meeting_point),
        _ => tr!(lang, field_venue),
    }
}

/// The listing's photos, each with buttons to move it or remove it, and the upload
/// form (a plain multipart form: it works without JavaScript, and a phone offers its
/// camera for the file field).
fn photo_section(id: i32, photos: Vec<(i32, PhotoRef)>, lang: Lang) -> impl IntoView {
    let base = format!("/dashboard/listings/{id}/photos");
    let items = photos
        .into_iter()
        .map(|(photo_id, photo)| {
            let here = format!("{base}/{photo_id}");
            view! {
                <li class="photo-item" data-key=photo.key.clone()>
                    {crate::components::photo::picture(&photo, lang, "160px", false)}
                    <p class="meta">{crate::components::text::plain(&photo.alt, lang)}</p>
                    <p class="actions">
                        {post_button(format!("{here}/earlier"), tr!(lang, photo_earlier), "secondary")}
                        {post_button(format!("{here}/later"), tr!(lang, photo_later), "secondary")}
                        {confirmed_post_button(
                            format!("{here}/delete"),
                            tr!(lang, photo_delete),
                            tr!(lang, photo_delete_question),
                            tr!(lang, photo_delete_confirm),
                        )}
                    </p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="photos-edit" id="photos">
            <h2>{tr!(lang, photos_title)}</h2>
            <ul class="photo-list">{items}</ul>
            <form method="post" action=base enctype="multipart/form-data" class="stacked">
                {photo_fields(true, lang)}
                <button type="submit">{tr!(lang, upload_photo)}</button>
            </form>
        </section>
    }
}

/// A photo's file and its descriptions; the new-listing form's first photo is not
/// required (more come on the next page).
fn photo_fields(required: bool, lang: Lang) -> impl IntoView {
    view! {
        <Field
            name="photo"
            label=tr!(lang, field_photo)
            input=Input::Photo
            hint=tr!(lang, photos_hint)
            required=required
        />
        <Field
            name="alt_es"
            label=format!("{} — {}", tr!(lang, field_alt), tr!(lang, in_spanish))
            required=false
            text_lang="es"
        />
        <Field
            name="alt_en"
            label=format!("{} — {}", tr!(lang, field_alt), tr!(lang, in_english))
            required=false
            text_lang="en"
        />
    }
}
