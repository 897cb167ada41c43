//! `/crafts/{slug}`, `/tours/{slug}`, `/events/{slug}`: a listing with its photos,
//! price, who made or guides it, the cooperative and the community.

use crate::components::structured::JsonLd;
use crate::components::{
    calendar::SlotCalendar,
    card::{category_label, duration_label, format_date, price_label},
    gallery::gallery,
    load::after_loading,
    seo::Seo,
    text::{localized, paragraphs, plain},
};
use crate::error::PageError;
use crate::lang::use_lang;
use crate::{tr, tr_n};
use domain::catalog::{KindDetails, ListingDetail, ProducerRole, TicketType, language_name};
use domain::dates::zone_name;
use domain::{Lang, ListingKind};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server]
pub async fn load_listing(
    kind: ListingKind,
    slug: String,
    calendar_from: Option<chrono::NaiveDate>,
) -> Result<ListingDetail, PageError> {
    use crate::error::ssr::db;
    let now = domain::clock::now().on_site();
    store::catalog::browse::listing(&db()?, kind, &slug, now, calendar_from)
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)
}

#[component]
pub fn ListingPage(kind: ListingKind) -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    // A tour's calendar from another week (its "earlier" and "later" links).
    let from = use_query_map().with_untracked(|q| {
        q.get("from")
            .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
    });
    after_loading(load_listing(kind, slug, from), listing_view)
}

fn listing_view(d: ListingDetail) -> impl IntoView {
    let lang = use_lang();
    let card = &d.card;
    let title = plain(&card.title, lang);
    let og_image = d.photos.first().map(|p| p.jpeg_url(1280));
    let producer = d.producer.as_ref().map(|p| {
        let label = match p.role {
            ProducerRole::Artisan => tr!(lang, made_by),
            ProducerRole::Guide => tr!(lang, guided_by),
        };
        view! {
            <div class="producer">
                <dt>{label}</dt>
                <dd>
                    {p.photo.as_ref().map(|photo| crate::components::photo::avatar(photo, lang))}
                    <strong>{p.name.clone()}</strong>
                    ", "
                    {localized(&p.specialty, lang)}
                    <p class="bio">{localized(&p.bio, lang)}</p>
                </dd>
            </div>
        }
    });
    view! {
        <Seo
            title=format!("{title} — {} — Tianguis", card.community.name)
            description=plain(&card.summary, lang)
            path=card.href()
            image=og_image
        />
        <JsonLd data=crate::components::structured::listing(&d, lang) />
        <article class="listing">
            <nav class="crumbs" aria-label=tr!(lang, crumbs_label)>
                <a href=card.kind.path()>{kind_label(card.kind, lang)}</a>
                " › "
                <span>{category_label(card.category, lang)}</span>
            </nav>
            <h1>{localized(&card.title, lang)}</h1>
            <p class="summary">{localized(&card.summary, lang)}</p>
            <div class="listing-grid">
                <div class="media">
                    {gallery(&d.photos, lang)}
                </div>
                <div class="facts">
                    <p class="price big">{price_label(card.kind, card.price_from, lang)}</p>
                    {details(&d.details, &d.card.href(), lang)}
                    {add_to_cart(&d, lang)}
                    <dl class="provenance">
                        {producer}
                        <div>
                            <dt>{tr!(lang, cooperative)}</dt>
                            <dd>
                                <a href=format!("/cooperatives/{}", card.cooperative.slug)>
                                    {card.cooperative.name.clone()}
                                </a>
                            </dd>
                        </div>
                        <div>
                            <dt>{tr!(lang, provenance)}</dt>
                            <dd>
                                <a href=format!("/communities/{}", card.community.slug)>
                                    {card.community.name.clone()}
                                </a>
                                {format!(", {}, {}", d.municipality, card.state)}
                            </dd>
                        </div>
                    </dl>
                </div>
            </div>
            <section class="description">{paragraphs(&d.description, lang)}</section>
            <section class="about-coop">
                <h2>{tr!(lang, about_cooperative)}</h2>
                {paragraphs(&d.cooperative_story, lang)}
            </section>
        </article>
    }
}

/// A craft in stock (or made to order) goes to the cart with a plain form.
fn add_to_cart(d: &ListingDetail, lang: Lang) -> Option<impl IntoView + use<>> {
    let KindDetails::Craft {
        stock,
        made_to_order,
        ..
    } = &d.details
    else {
        return None;
    };
    if !made_to_order && *stock == 0 {
        return None;
    }
    let echo = crate::forms::use_form_echo();
    let error = echo.error_of("quantity").map(|e| e.message(lang));
    let max = if *made_to_order {
        domain::commerce::cart::MAX_QUANTITY
    } else {
        (*stock).min(domain::commerce::cart::MAX_QUANTITY)
    };
    let slug = d.card.slug.to_string();
    let here = format!("/crafts/{slug}");
    Some(view! {
        <form method="post" action="/cart/items" class="add-to-cart">
            <input type="hidden" name="craft" value=slug />
            <input type="hidden" name="from" value=here />
            {error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <label for="quantity">{tr!(lang, quantity)}</label>
            <input id="quantity" name="quantity" type="number" min="1" max=max value=echo.typed("quantity").unwrap_or("1").to_owned() inputmode="numeric" />
            <button type="submit">{tr!(lang, add_to_cart)}</button>
        </form>
    })
}

fn kind_label(kind: ListingKind, lang: Lang) -> String {
    match kind {
        ListingKind::Craft => tr!(lang, nav_crafts),
        ListingKind::Tour => tr!(lang, nav_tours),
        ListingKind::Event => tr!(lang, nav_events),
    }
}

fn details(details: &KindDetails, href: &str, lang: Lang) -> impl IntoView + use<> {
    match details {
        KindDetails::Craft {
            stock,
            materials,
            technique,
            dimensions,
            made_to_order,
            lead_days,
        } => {
            let availability = if *made_to_order {
                tr_n!(
                    lang,
                    lead_days.unwrap_or_default(),
                    made_to_order_one | made_to_order,
                    days = lead_days.unwrap_or_default()
                )
            } else if *stock == 0 {
                tr!(lang, out_of_stock)
            } else {
                tr_n!(lang, *stock, in_stock_one | in_stock, count = *stock)
            };
            let dims = dimensions.as_ref().map(|d| {
                view! {
                    <dt>{tr!(lang, dimensions)}</dt>
                    <dd>{tr!(lang, dimensions_value, w = d.width_cm, h = d.height_cm, d = d.depth_cm)}</dd>
                }
            });
            view! {
                <p class="availability">{availability}</p>
                <dl class="details">
                    <dt>{tr!(lang, materials)}</dt>
                    <dd>{localized(materials, lang)}</dd>
                    <dt>{tr!(lang, technique)}</dt>
                    <dd>{localized(technique, lang)}</dd>
                    {dims}
                </dl>
            }
            .into_any()
        }
        KindDetails::Tour {
            duration_minutes,
            meeting_point,
            languages,
            max_group_size,
            tickets,
            slots,
            calendar,
            zone,
        } => {
            let langs = languages
                .iter()
                .map(|c| language_name(c, lang))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <dl class="details">
                    <dt>{tr!(lang, duration)}</dt>
                    <dd>{duration_label(*duration_minutes)}</dd>
                    <dt>{tr!(lang, meeting_point)}</dt>
                    <dd>{localized(meeting_point, lang)}</dd>
                    <dt>{tr!(lang, tour_languages)}</dt>
                    <dd>{langs}</dd>
                    <dt>{tr!(lang, group_size)}</dt>
                    <dd>{tr_n!(lang, *max_group_size, group_size_value_one | group_size_value, count = *max_group_size)}</dd>
                </dl>
                {ticket_table(tickets, lang)}
                <section class="availability-calendar" id="dates">
                    <h2>{tr!(lang, next_departures)}</h2>
                    <p class="hint">{tr!(lang, pick_a_date)}</p>
                    <SlotCalendar
                        slots=slots.clone()
                        zone=zone.clone()
                        weeks=Some((*calendar, href.to_owned()))
                    />
                </section>
            }
            .into_any()
        }
        KindDetails::Event {
            starts_at,
            ends_at,
            venue,
            free,
            tickets,
            sessions,
            zone,
        } => view! {
            <dl class="details">
                <dt>{tr!(lang, when)}</dt>
                <dd>
                    {format!(
                        "{} – {} ({})",
                        format_date(*starts_at, lang),
                        format_date(*ends_at, lang),
                        zone_name(zone, lang)
                    )}
                </dd>
                <dt>{tr!(lang, venue)}</dt>
                <dd>{localized(venue, lang)}</dd>
                <dt>{tr!(lang, admission)}</dt>
                <dd>{if *free { tr!(lang, free) } else { String::new() }}</dd>
            </dl>
            {(!*free).then(|| ticket_table(tickets, lang))}
            <section class="availability-calendar" id="dates">
                <h2>{if *free { tr!(lang, event_rsvp) } else { tr!(lang, event_sessions) }}</h2>
                <SlotCalendar slots=sessions.clone() zone=zone.clone() weeks=None />
            </section>
        }
        .into_any(),
    }
}

fn ticket_table(tickets: &[TicketType], lang: Lang) -> impl IntoView + use<> {
    let rows = tickets
        .iter()
        .map(|t| {
            view! {
                <tr>
                    <th scope="row">{ticket_label(&t.code, lang)}</th>
                    <td>{t.price.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="tickets">
            <caption>{tr!(lang, prices)}</caption>
            <tbody>{rows}</tbody>
        </table>
    }
}

pub(crate) fn ticket_label(code: &str, lang: Lang) -> String {
    match code {
        "adult" => tr!(lang, ticket_adult),
        "child" => tr!(lang, ticket_child),
        "resident" => tr!(lang, ticket_resident),
        "general" => tr!(lang, ticket_general),
        other => other.to_owned(),
    }
}
