//! schema.org data (JSON-LD) for the pages search engines show richly: a craft as a
//! `Product` with its `Offer`, a tour as a `TouristTrip` with its `Offer`, an event as
//! an `Event` with its place, date and `Offer`, a cooperative as an `Organization`.

use crate::components::seo::absolute;
use crate::components::text::plain;
use domain::catalog::{CooperativeProfile, KindDetails, ListingDetail};
use domain::{Lang, Money};
use leptos::prelude::*;
use serde_json::{Value, json};

/// `money` as schema.org writes a price: `9800.00`.
fn price(money: Money) -> String {
    let c = money.centavos();
    format!("{}.{:02}", c / 100, c % 100)
}

fn organization(name: &str, slug: &str) -> Value {
    json!({
        "@type": "Organization",
        "name": name,
        "url": absolute(&format!("/cooperatives/{slug}")),
    })
}

/// A listing's data, in `lang`.
pub fn listing(d: &ListingDetail, lang: Lang) -> Value {
    let card = &d.card;
    let url = absolute(&card.href());
    let seller = organization(&card.cooperative.name, card.cooperative.slug.as_str());
    let place = json!({
        "@type": "PostalAddress",
        "addressLocality": d.municipality,
        "addressRegion": card.state,
        "addressCountry": "MX",
    });
    let offer = |available: bool| {
        json!({
            "@type": "Offer",
            "price": card.price_from.map(price).unwrap_or_else(|| "0.00".to_owned()),
            "priceCurrency": card.price_from.map_or("MXN", |m| m.currency().code()),
            "availability": if available { "https://schema.org/InStock" } else { "https://schema.org/SoldOut" },
            "url": url,
            "seller": seller,
        })
    };
    let mut data = json!({
        "@context": "https://schema.org",
        "name": plain(&card.title, lang),
        "description": plain(&card.summary, lang),
        "url": url,
        "image": d.photos.iter().map(|p| absolute(&p.jpeg_url(1280))).collect::<Vec<_>>(),
    });
    let more = match &d.details {
        KindDetails::Craft {
            stock,
            made_to_order,
            ..
        } => json!({
            "@type": "Product",
            "category": card.category.code(),
            "brand": seller,
            "offers": offer(*stock > 0 || *made_to_order),
        }),
        KindDetails::Tour { slots, .. } => json!({
            "@type": "TouristTrip",
            "provider": seller,
            "touristType": "cultural",
            "itinerary": { "@type": "Place", "address": place },
            "offers": offer(!slots.is_empty()),
        }),
        KindDetails::Event {
            starts_at,
            ends_at,
            venue,
            sessions,
            ..
        } => json!({
            "@type": "Event",
            "startDate": starts_at.format("%Y-%m-%dT%H:%M").to_string(),
            "endDate": ends_at.format("%Y-%m-%dT%H:%M").to_string(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": { "@type": "Place", "name": plain(venue, lang), "address": place },
            "organizer": seller,
            "offers": offer(!sessions.is_empty()),
        }),
    };
    if let (Some(data), Value::Object(more)) = (data.as_object_mut(), more) {
        data.extend(more);
    }
    data
}

/// A cooperative's data, in `lang`.
pub fn cooperative(p: &CooperativeProfile, lang: Lang) -> Value {
    let s = &p.summary;
    let mut data = organization(&s.name, s.slug.as_str());
    if let Some(data) = data.as_object_mut() {
        data.insert("@context".into(), json!("https://schema.org"));
        data.insert("description".into(), json!(plain(&p.story, lang)));
        data.insert(
            "address".into(),
            json!({
                "@type": "PostalAddress",
                "addressLocality": s.community.name,
                "addressRegion": s.state,
                "addressCountry": "MX",
            }),
        );
        if let Some(year) = s.year_founded {
            data.insert("foundingDate".into(), json!(year.to_string()));
        }
        if let Some(email) = &p.contact_email {
            data.insert("email".into(), json!(email));
        }
    }
    data
}

/// The data in the page, as a `<script type="application/ld+json">` (not run: CSP
/// leaves data blocks alone). `</` is escaped so no text can close the element.
#[component]
pub fn JsonLd(data: Value) -> impl IntoView {
    let text = data.to_string().replace("</", "<\\/");
    view! { <script type="application/ld+json" inner_html=text></script> }
}
