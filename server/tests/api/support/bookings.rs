//! Helpers for booking tests: finding a bookable slot, booking it over HTTP as a
//! browser does, and reading what the database says.

use super::{Page, TestApp};
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use store::entity::{booking, listing, outbox_email, tour_slot};

/// The demo tour the booking tests book: guided by the demo guide (Isaac), in the
/// cooperative the second demo admin runs; flexible cancellation.
pub const TOUR: &str = "taller-de-tintes-naturales-teotitlan";
/// A demo tour with the strict policy (no refund).
pub const STRICT_TOUR: &str = "clase-de-barro-negro-san-bartolo";
/// A free demo event (an RSVP).
pub const FREE_EVENT: &str = "noche-de-barro-negro";
pub const GUIDE: &str = "guia@tianguis.demo";

pub async fn listing_id(app: &TestApp, slug: &str) -> i32 {
    listing::Entity::find()
        .filter(listing::Column::Slug.eq(slug))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("demo listing {slug}"))
        .id
}

/// The slots of listing `slug` starting at least `days` days from now, soonest first.
pub async fn slots_after(app: &TestApp, slug: &str, days: i64) -> Vec<tour_slot::Model> {
    let id = listing_id(app, slug).await;
    tour_slot::Entity::find()
        .filter(tour_slot::Column::ListingId.eq(id))
        .filter(tour_slot::Column::StartsAt.gt((app.now + Duration::days(days)).naive()))
        .order_by_asc(tour_slot::Column::StartsAt)
        .all(&app.db)
        .await
        .unwrap()
}

/// A slot of `slug` a few days ahead (well past any cutoff, within any refund notice
/// of a day).
pub async fn open_slot(app: &TestApp, slug: &str) -> i32 {
    slots_after(app, slug, 3).await[0].id
}

pub async fn slot(app: &TestApp, id: i32) -> tour_slot::Model {
    tour_slot::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Gives slot `id` `capacity` places and none taken.
pub async fn set_capacity(app: &TestApp, id: i32, capacity: i32) {
    use sea_orm::sea_query::Expr;
    tour_slot::Entity::update_many()
        .col_expr(tour_slot::Column::Capacity, Expr::val(capacity))
        .filter(tour_slot::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

/// Posts the booking form of slot `id` with `counts` (ticket code, how many).
pub async fn book(
    app: &TestApp,
    client: &reqwest::Client,
    id: i32,
    email: &str,
    counts: &[(&str, &str)],
) -> Page {
    let mut fields: Vec<(String, String)> = vec![
        ("name".into(), "Ana López".into()),
        ("email".into(), email.into()),
    ];
    fields.extend(
        counts
            .iter()
            .map(|(code, n)| (format!("count_{code}"), (*n).to_owned())),
    );
    let res = client
        .post(app.url(&format!("/slots/{id}/book")))
        .form(&fields)
        .send()
        .await
        .expect("request reaches the server");
    Page::read(res).await
}

/// The code and secret of the booking a successful booking redirects with: to its
/// page (a free RSVP), or to checkout (paid places).
pub fn code_and_key(page: &Page) -> (String, String) {
    let location = page.location();
    if let Some(query) = location.strip_prefix("/checkout?") {
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|p| p.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("checkout is told the booking's {name}: {location}"))
                .to_owned()
        };
        return (param("booking"), param("k"));
    }
    let rest = location
        .strip_prefix("/bookings/")
        .unwrap_or_else(|| panic!("a booking redirects to its page or checkout, not {location:?}"));
    let (code, query) = rest.split_once("?k=").expect("the link has its secret");
    let key = query.split('&').next().unwrap_or_default();
    (code.to_owned(), key.to_owned())
}

pub async fn booking(app: &TestApp, code: &str) -> booking::Model {
    booking::Entity::find()
        .filter(booking::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("booking {code}"))
}

/// The emails queued for `to`, oldest first.
pub async fn emails_to(app: &TestApp, to: &str) -> Vec<outbox_email::Model> {
    outbox_email::Entity::find()
        .filter(outbox_email::Column::ToEmail.eq(to))
        .order_by_asc(outbox_email::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// Books `counts` on slot `id` and pays it (checkout, then the simulated card), as a
/// guest: the booking's code and secret. A free event's RSVP is confirmed at once.
pub async fn confirmed_booking(
    app: &TestApp,
    id: i32,
    email: &str,
    counts: &[(&str, &str)],
) -> (String, String) {
    let client = super::browser();
    let held = book(app, &client, id, email, counts).await;
    assert_eq!(held.status, 303, "booking is held: {}", held.body);
    let (code, key) = code_and_key(&held);
    if booking(app, &code).await.status == "confirmed" {
        return (code, key);
    }
    let placed =
        super::orders::checkout(app, &client, &[("name", "Ana López"), ("email", email)]).await;
    assert_eq!(placed.status, 303, "checkout: {}", placed.body);
    let (order, order_key) = super::orders::order_code_and_key(&placed);
    let paid = super::orders::simulate(app, &order, &order_key, "card_succeeds").await;
    assert_eq!(paid.status, 303, "paid: {}", paid.body);
    assert_eq!(booking(app, &code).await.status, "confirmed");
    (code, key)
}

/// The guide (a producer's id) of demo listing `slug`.
pub async fn guide_of(app: &TestApp, slug: &str) -> i32 {
    let id = listing_id(app, slug).await;
    listing::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .producer_id
        .expect("the listing's guide")
}

/// `runner` calls slot `id` off, the box ticked.
pub async fn call_off(app: &TestApp, runner: &reqwest::Client, id: i32) -> Page {
    app.post_form(
        runner,
        &format!("/dashboard/slots/{id}/cancel"),
        &[("sure", "yes")],
    )
    .await
}

/// The holder of booking `code` (with its link's `key`) cancels it; it is cancelled.
pub async fn cancel_booking(app: &TestApp, code: &str, key: &str) {
    let cancelled = app
        .post_form(
            &super::browser(),
            &format!("/bookings/{code}/cancel"),
            &[("k", key)],
        )
        .await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    assert_eq!(booking(app, code).await.status, "cancelled");
}

/// A guest books a place on the tour far enough ahead for OXXO, adds a pot to
/// collect, and checks out: (the booking's code and key, the order's code and key).
pub async fn tour_and_pot_ordered(
    app: &TestApp,
    visitor: &reqwest::Client,
) -> ((String, String), (String, String)) {
    let id = slots_after(app, TOUR, 10).await[0].id;
    let held = book(app, visitor, id, "ana@example.mx", &[("adult", "1")]).await;
    assert_eq!(held.status, 303, "{}", held.body);
    let booked = code_and_key(&held);
    let ordered = super::orders::pickup_order(app, visitor, super::orders::POT, "1").await;
    assert_eq!(
        booking(app, &booked.0).await.order_id,
        Some(super::orders::order(app, &ordered.0).await.id),
        "the booking is in the order"
    );
    (booked, ordered)
}
