//! Booking over HTTP against the real server, as a visitor's browser and a guide's
//! phone do: hold places, confirm, see the code and its QR, cancel with the policy's
//! refund, check in at the meeting point, call a slot off, wait for places.

use crate::support;
use domain::clock::SiteTime;

use chrono::Timelike;

use support::bookings::{
    FREE_EVENT, GUIDE, STRICT_TOUR, TOUR, book, booking, code_and_key, confirmed_booking,
    emails_to, open_slot, set_capacity, slot,
};
use support::{Backend, browser, spawn_app};

async fn a_visitor_books_two_adults_and_a_child_and_the_guide_checks_them_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    let capacity = slot(&app, id).await.capacity;

    let tour = app.get(&format!("/tours/{TOUR}")).await;
    assert_eq!(tour.status, 200);
    assert!(
        tour.has(&format!("href=\"/slots/{id}\"")),
        "the calendar links the slot"
    );
    let page = app.get(&format!("/slots/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.has("name=\"count_adult\"") && page.has("name=\"count_child\""));

    let visitor = browser();
    let held = book(
        &app,
        &visitor,
        id,
        "ana@example.mx",
        &[("adult", "2"), ("child", "1")],
    )
    .await;
    assert_eq!(held.status, 303, "{}", held.body);
    let (code, key) = code_and_key(&held);
    assert_eq!(booking(&app, &code).await.status, "held");
    assert_eq!(
        slot(&app, id).await.places_taken,
        3,
        "a hold takes its places"
    );
    let hold_page = app.get(&format!("/bookings/{code}?k={key}")).await;
    assert_eq!(hold_page.status, 200);
    assert!(hold_page.has("Tus lugares están apartados"));

    // Paid places are in the visitor's cart: paying the cart confirms them.
    let (order, order_key) = support::orders::pay_cart_by_card(&app, &visitor).await;
    let page = app.get(&format!("/bookings/{code}?k={key}")).await;
    assert!(page.has(&code), "the page shows the code");
    assert!(page.has("<svg"), "and its QR code");
    assert!(page.has("Agua") || page.has("Ropa"), "and what to bring");
    let b = booking(&app, &code).await;
    assert_eq!(
        (b.status.as_str(), b.places, b.total_centavos),
        ("confirmed", 3, 2 * 120_000 + 60_000)
    );
    let mail = emails_to(&app, "ana@example.mx").await;
    assert_eq!(mail.len(), 2, "the order received, then paid: {mail:?}");
    let link = format!("/orders/{order}?k=");
    assert!(mail[1].body.contains(&code) && mail[1].body.contains(&link));
    assert!(mail[1].subject.contains(&order));
    let at = mail[1].body.find(&link).unwrap() + link.len();
    let emailed_key = &mail[1].body[at..at + 64];
    assert_ne!(emailed_key, order_key, "the email brings a key of its own");
    let paid = &mail[1].body;
    assert!(
        paid.contains(&format!("/bookings/{code}?k={emailed_key}")),
        "the paid email links the booking's page (its QR code) with its key: {paid}"
    );
    assert!(
        paid.contains("Punto de encuentro: ")
            && paid.contains("Qué llevar: ")
            && paid.contains("(hora de la Ciudad de México)"),
        "and says where, what to bring and when, in a named zone: {paid}"
    );
    let by_emailed_link = app.get(&format!("/bookings/{code}?k={emailed_key}")).await;
    assert_eq!(by_emailed_link.status, 200);
    assert!(by_emailed_link.has(&code), "{}", by_emailed_link.body);
    let by_order_link = app.get(&format!("/bookings/{code}?k={order_key}")).await;
    assert_eq!(
        by_order_link.status, 200,
        "the order's link opens its bookings"
    );
    assert_eq!(
        slot(&app, id).await.places_taken,
        3,
        "a confirmed hold keeps its places"
    );

    let guide = app.signed_in(GUIDE).await;
    let manifest = app
        .get_with(&guide, &format!("/dashboard/slots/{id}"), &[])
        .await;
    assert_eq!(manifest.status, 200);
    assert!(manifest.has("Ana López") && manifest.has(&code));
    let typed = code.replace('-', "").to_lowercase();
    let first = app
        .post_form(
            &guide,
            &format!("/dashboard/slots/{id}/check-in"),
            &[("code", &typed), ("action", "check_in")],
        )
        .await;
    assert_eq!(first.status, 303, "{}", first.body);
    assert!(first.location().contains("done=checked_in"));
    let again = app
        .post_form(
            &guide,
            &format!("/dashboard/slots/{id}/check-in"),
            &[("code", &code), ("action", "check_in")],
        )
        .await;
    assert!(
        again.location().contains("done=already"),
        "checking in twice says so"
    );
    let said = app.get_with(&guide, again.location(), &[]).await;
    assert!(said.has("ya había llegado"));
    assert_eq!(booking(&app, &code).await.status, "checked_in");
    assert_eq!(slot(&app, id).await.capacity, capacity);
}

async fn booking_more_places_than_are_left_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    set_capacity(&app, id, 4).await;
    let first = book(&app, &browser(), id, "uno@example.mx", &[("adult", "3")]).await;
    assert_eq!(first.status, 303);
    let second = book(&app, &browser(), id, "dos@example.mx", &[("adult", "2")]).await;
    assert_eq!(second.status, 409);
    assert!(second.has("solo queda 1."), "{}", second.body);
    assert!(
        second.has("value=\"dos@example.mx\""),
        "what was typed stays"
    );
    assert_eq!(slot(&app, id).await.places_taken, 3);
}

async fn residents_have_their_own_places_on_each_date(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    let page = app.get(&format!("/slots/{id}")).await;
    assert!(
        page.has("quedan 4"),
        "the form says how many residents' places are left"
    );
    let too_many = book(&app, &browser(), id, "ana@example.mx", &[("resident", "5")]).await;
    assert_eq!(too_many.status, 409);
    assert!(
        too_many.has("De este boleto solo quedan 4"),
        "{}",
        too_many.body
    );
    let (code, key) = confirmed_booking(
        &app,
        id,
        "ana@example.mx",
        &[("resident", "3"), ("adult", "1")],
    )
    .await;
    let more = book(
        &app,
        &browser(),
        id,
        "beto@example.mx",
        &[("resident", "2")],
    )
    .await;
    assert!(
        more.has("De este boleto solo queda 1 lugar"),
        "one place, in the singular: {}",
        more.body
    );
    app.post_form(
        &browser(),
        &format!("/bookings/{code}/cancel"),
        &[("k", &key)],
    )
    .await;
    let again = book(
        &app,
        &browser(),
        id,
        "beto@example.mx",
        &[("resident", "4")],
    )
    .await;
    assert_eq!(
        again.status, 303,
        "a cancellation gives the residents' places back"
    );
}

async fn a_booking_form_with_mistakes_says_what_is_wrong(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    let page = book(&app, &browser(), id, "no-es-correo", &[("adult", "dos")]).await;
    assert_eq!(page.status, 422);
    assert!(page.has("número entero"), "{}", page.body);
    let none = book(&app, &browser(), id, "ana@example.mx", &[("adult", "0")]).await;
    assert_eq!(none.status, 422);
    assert!(none.has("al menos un lugar"));
    let too_many = book(&app, &browser(), id, "ana@example.mx", &[("adult", "9")]).await;
    assert!(too_many.has("hasta 8 personas"), "{}", too_many.body);
    let english = browser()
        .post(app.url(&format!("/slots/{id}/book")))
        .header("accept-language", "en")
        .form(&[
            ("name", "Ann"),
            ("email", "ann@example.com"),
            ("count_adult", "0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(english.status().as_u16(), 422);
    assert!(
        english
            .text()
            .await
            .unwrap()
            .contains("Choose at least one place")
    );
    assert_eq!(slot(&app, id).await.places_taken, 0, "nothing was held");
}

async fn a_guest_booking_opens_only_with_its_link(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    let (code, key) = confirmed_booking(&app, id, "ana@example.mx", &[("adult", "1")]).await;
    assert_eq!(
        app.get(&format!("/bookings/{code}?k={key}")).await.status,
        200
    );
    assert_eq!(app.get(&format!("/bookings/{code}")).await.status, 404);
    assert_eq!(
        app.get(&format!("/bookings/{code}?k=0000")).await.status,
        404
    );
    let stranger = app.signed_in("visita@tianguis.demo").await;
    let cancel = app
        .post_form(
            &stranger,
            &format!("/bookings/{code}/cancel"),
            &[("k", "0000")],
        )
        .await;
    assert_eq!(cancel.status, 404);
    assert_eq!(booking(&app, &code).await.status, "confirmed");
    // The guide sees it (from the manifest), without the secret.
    let guide = app.signed_in(GUIDE).await;
    assert_eq!(
        app.get_with(&guide, &format!("/bookings/{code}"), &[])
            .await
            .status,
        200
    );
}

async fn cancelling_shows_then_records_the_refund_of_the_policy(backend: Backend) {
    let app = spawn_app(backend).await;
    // Flexible, days ahead: everything back.
    let id = open_slot(&app, TOUR).await;
    let (code, key) = confirmed_booking(&app, id, "ana@example.mx", &[("adult", "2")]).await;
    let asked = app.get(&format!("/bookings/{code}?k={key}&cancel=1")).await;
    assert!(
        asked.has("se te devuelven $2,400.00 MXN de $2,400.00 MXN"),
        "{}",
        asked.body
    );
    let visitor = browser();
    let done = app
        .post_form(
            &visitor,
            &format!("/bookings/{code}/cancel"),
            &[("k", &key)],
        )
        .await;
    assert_eq!(done.status, 303);
    let b = booking(&app, &code).await;
    assert_eq!(
        (b.status.as_str(), b.refund_centavos),
        ("cancelled", Some(240_000))
    );
    assert_eq!(slot(&app, id).await.places_taken, 0, "its places went back");
    let twice = app
        .post_form(
            &visitor,
            &format!("/bookings/{code}/cancel"),
            &[("k", &key)],
        )
        .await;
    assert_eq!(twice.status, 303, "cancelling twice changes nothing");
    assert_eq!(booking(&app, &code).await.refund_centavos, Some(240_000));

    // Strict: nothing back, and the page says so first.
    let strict = open_slot(&app, STRICT_TOUR).await;
    let (code, key) = confirmed_booking(&app, strict, "beto@example.mx", &[("adult", "1")]).await;
    let asked = app.get(&format!("/bookings/{code}?k={key}&cancel=1")).await;
    assert!(asked.has("se te devuelven $0.00 MXN"), "{}", asked.body);
    app.post_form(
        &browser(),
        &format!("/bookings/{code}/cancel"),
        &[("k", &key)],
    )
    .await;
    assert_eq!(booking(&app, &code).await.refund_centavos, Some(0));
}

async fn an_unpublished_tour_s_bookings_still_open_cancel_and_get_called_off(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    let (ana, ana_key) = confirmed_booking(&app, id, "ana@example.mx", &[("adult", "1")]).await;
    let (beto, _) = confirmed_booking(&app, id, "beto@example.mx", &[("adult", "1")]).await;
    let listing = support::bookings::listing_id(&app, TOUR).await;
    let guide = app.signed_in(GUIDE).await;
    let off = app
        .post_form(
            &guide,
            &format!("/dashboard/listings/{listing}/unpublish"),
            &[],
        )
        .await;
    assert_eq!(off.status, 303, "{}", off.body);
    assert_eq!(app.get(&format!("/tours/{TOUR}")).await.status, 404);
    let full = book(&app, &browser(), id, "otra@example.mx", &[("adult", "1")]).await;
    assert_ne!(full.status, 303, "no new booking on an unpublished tour");

    // The visitor's booking still opens, and cancels.
    let page = app.get(&format!("/bookings/{ana}?k={ana_key}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let cancelled = app
        .post_form(
            &browser(),
            &format!("/bookings/{ana}/cancel"),
            &[("k", &ana_key)],
        )
        .await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    assert_eq!(booking(&app, &ana).await.status, "cancelled");

    // The guide still sees the date, opens its list and calls it off.
    let mine = app.get_with(&guide, "/dashboard/slots", &[]).await;
    assert!(mine.has(&format!("/dashboard/slots/{id}")), "{}", mine.body);
    let manifest = app
        .get_with(&guide, &format!("/dashboard/slots/{id}"), &[])
        .await;
    assert_eq!(manifest.status, 200, "{}", manifest.body);
    let called_off = support::bookings::call_off(&app, &guide, id).await;
    assert_eq!(called_off.status, 303, "{}", called_off.body);
    assert_eq!(booking(&app, &beto).await.status, "cancelled");
}

async fn a_free_event_takes_an_rsvp_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, FREE_EVENT).await;
    let event = app.get(&format!("/events/{FREE_EVENT}")).await;
    assert!(event.has(&format!("href=\"/slots/{id}\"")));
    let page = book(&app, &browser(), id, "ana@example.mx", &[("general", "2")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let (code, _) = code_and_key(&page);
    let b = booking(&app, &code).await;
    assert_eq!((b.status.as_str(), b.total_centavos), ("confirmed", 0));
    assert_eq!(emails_to(&app, "ana@example.mx").await.len(), 1);
}

async fn calling_a_slot_off_cancels_every_booking_and_tells_each_visitor(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    let (es, _) = confirmed_booking(&app, id, "ana@example.mx", &[("adult", "1")]).await;
    let english = browser();
    let held = english
        .post(app.url(&format!("/slots/{id}/book")))
        .header("accept-language", "en")
        .form(&[
            ("name", "Ann Lee"),
            ("email", "ann@example.com"),
            ("count_adult", "2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(held.status().as_u16(), 303);
    let guide = app.signed_in(GUIDE).await;
    let unsure = app
        .post_form(&guide, &format!("/dashboard/slots/{id}/cancel"), &[])
        .await;
    assert_eq!(unsure.status, 422, "the box must be ticked");
    let done = support::bookings::call_off(&app, &guide, id).await;
    assert_eq!(done.status, 303);
    assert!(done.location().contains("done=cancelled&who=2"));
    let b = booking(&app, &es).await;
    assert_eq!(
        (b.status.as_str(), b.refund_centavos),
        ("cancelled", Some(120_000))
    );
    let to_ana = emails_to(&app, "ana@example.mx").await;
    assert!(to_ana.iter().any(|m| m.subject.starts_with("Cancelado")));
    assert!(
        to_ana
            .iter()
            .any(|m| m.subject.contains("te devolvimos $1,200.00")),
        "the refund went back through the provider, and she is told"
    );
    let to_ann = emails_to(&app, "ann@example.com").await;
    assert!(to_ann.iter().any(|m| m.subject.starts_with("Cancelled")));
    assert_eq!(slot(&app, id).await.places_taken, 0);
    let late = book(&app, &browser(), id, "otra@example.mx", &[("adult", "1")]).await;
    assert_eq!(late.status, 409);
    assert!(late.has("se canceló"));
}

async fn a_full_slot_offers_freed_places_to_the_first_in_line(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    set_capacity(&app, id, 3).await;
    let (code, key) = confirmed_booking(&app, id, "ana@example.mx", &[("adult", "3")]).await;
    let full = app.get(&format!("/slots/{id}")).await;
    assert!(
        full.has("lista de espera"),
        "a full slot offers its waiting list"
    );
    let waiting = |email: &'static str, n: &'static str| {
        let app = &app;
        async move {
            app.post_form(
                &browser(),
                &format!("/slots/{id}/waitlist"),
                &[("name", "Espera"), ("email", email), ("count_adult", n)],
            )
            .await
        }
    };
    let first = waiting("beto@example.mx", "2").await;
    assert_eq!(first.status, 303, "{}", first.body);
    assert!(first.location().contains("place=1"));
    assert!(
        waiting("caro@example.mx", "1")
            .await
            .location()
            .contains("place=2")
    );
    assert!(
        emails_to(&app, "beto@example.mx").await.is_empty(),
        "nothing is free yet"
    );

    app.post_form(
        &browser(),
        &format!("/bookings/{code}/cancel"),
        &[("k", &key)],
    )
    .await;
    let offer = emails_to(&app, "beto@example.mx").await;
    assert_eq!(offer.len(), 1, "the first in line is offered the places");
    let link = offer[0]
        .body
        .split_whitespace()
        .find(|w| w.contains("/bookings/"))
        .unwrap()
        .to_owned();
    let path = link.trim_start_matches("http://tianguis.test");
    let (code, key) = path
        .trim_start_matches("/bookings/")
        .split_once("?k=")
        .map(|(c, k)| (c.to_owned(), k.to_owned()))
        .unwrap();
    assert_eq!(
        booking(&app, &code).await.status,
        "held",
        "the places are held for him"
    );
    let later = emails_to(&app, "caro@example.mx").await;
    assert_eq!(later.len(), 1, "the next in line fits in the place left");
    assert_eq!(slot(&app, id).await.places_taken, 3);
    // Opening the offer and paying for it: the offer's link carries the secret.
    let him = browser();
    let to_cart = app
        .post_form(&him, &format!("/bookings/{code}/confirm"), &[("k", &key)])
        .await;
    assert_eq!(to_cart.status, 303);
    assert_eq!(
        to_cart.location(),
        format!("/checkout?done=booked&booking={code}&k={key}"),
        "paid places go to the cart and on to checkout"
    );
    support::orders::pay_cart_by_card(&app, &him).await;
    assert_eq!(booking(&app, &code).await.status, "confirmed");
}

async fn holds_that_ran_out_while_the_server_was_down_free_their_places_at_start(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    let page = book(&app, &browser(), id, "ana@example.mx", &[("adult", "2")]).await;
    let (code, _) = code_and_key(&page);
    assert_eq!(slot(&app, id).await.places_taken, 2);
    // The hold ran out an hour ago, as if the server had been down since.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    store::entity::booking::Entity::update_many()
        .col_expr(
            store::entity::booking::Column::HeldUntil,
            Expr::val((app.now - chrono::Duration::hours(1)).naive()),
        )
        .filter(store::entity::booking::Column::Code.eq(code.as_str()))
        .exec(&app.db)
        .await
        .unwrap();
    let restarted = support::spawn_server_on(&app).await;
    // Serving starts only after the sweep at start-up: the first answer already
    // counts the places as free.
    let res = reqwest::get(format!("{restarted}/slots/{id}"))
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(booking(&app, &code).await.status, "expired");
    assert_eq!(slot(&app, id).await.places_taken, 0);
}

async fn bookings_close_at_the_cutoff_before_the_start(backend: Backend) {
    let app = spawn_app(backend).await;
    // The demo tours close bookings 12 hours before: a date 11 hours away is too late.
    let listing = support::bookings::listing_id(&app, TOUR).await;
    // Slot times are whole minutes, as a guide writes them.
    let soon = (app.now + chrono::Duration::hours(11))
        .naive()
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap();
    let rule = domain::booking::schedule::OpeningRule::Extra { at: soon };
    store::booking::schedules::add_opening(
        &app.db,
        listing,
        &rule,
        SiteTime::from_naive(app.now.naive()),
    )
    .await
    .unwrap();
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let id = store::entity::tour_slot::Entity::find()
        .filter(store::entity::tour_slot::Column::ListingId.eq(listing))
        .filter(store::entity::tour_slot::Column::StartsAt.eq(soon))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the extra date is made")
        .id;
    let page = app.get(&format!("/slots/{id}")).await;
    assert!(page.has("ya cerraron") && !page.has("name=\"count_adult\""));
    let late = book(&app, &browser(), id, "ana@example.mx", &[("adult", "1")]).await;
    assert_eq!(late.status, 409);
    assert!(late.has("ya cerraron"));
    assert_eq!(slot(&app, id).await.places_taken, 0);
}

/// From the tour's page to paid: the slot's page (the party, a name, an email), then
/// checkout filled in with what was typed, then the order's page to pay: two pages
/// after choosing the party, nothing typed twice.
async fn a_paid_booking_goes_straight_to_checkout_filled_in_with_what_was_typed(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    let visitor = browser();
    let held = book(&app, &visitor, id, "ana@example.mx", &[("adult", "2")]).await;
    assert_eq!(held.status, 303, "{}", held.body);
    assert!(
        held.location().starts_with("/checkout?done=booked&"),
        "{}",
        held.location()
    );
    let (code, key) = code_and_key(&held);
    let checkout = app.get_with(&visitor, held.location(), &[]).await;
    assert_eq!(checkout.status, 200);
    assert!(
        checkout.has("value=\"Ana López\"") && checkout.has("value=\"ana@example.mx\""),
        "checkout starts from the name and email typed for the booking: {}",
        checkout.body
    );
    assert!(
        checkout.has("hora de la Ciudad de México"),
        "until when the places are held, in a named zone"
    );
    assert!(
        checkout.has(&format!("href=\"/bookings/{code}?k={key}\"")),
        "and a link to see or release them"
    );
    let placed = support::orders::checkout(
        &app,
        &visitor,
        &[("name", "Ana López"), ("email", "ana@example.mx")],
    )
    .await;
    let (order, order_key) = support::orders::order_code_and_key(&placed);
    let pay = app.get(&format!("/orders/{order}?k={order_key}")).await;
    assert!(pay.has("/simulate"), "the order's page is where to pay");
    support::orders::simulate(&app, &order, &order_key, "card_succeeds").await;
    assert_eq!(booking(&app, &code).await.status, "confirmed");
}

/// A refused form is drawn again at its POST address; reloading it there (a GET)
/// leads back to the page the form is on, keeping a link's key; other methods are
/// told, in words, that the address does not take them.
async fn reloading_a_refused_form_s_address_leads_back_to_its_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    let refused = book(&app, &browser(), id, "not-an-email", &[("adult", "1")]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let reload = app.get(&format!("/slots/{id}/book")).await;
    assert_eq!(
        (reload.status, reload.location()),
        (303, format!("/slots/{id}").as_str())
    );
    let keyed = app.get("/orders/7K4M-P2QX/oxxo?k=abc").await;
    assert_eq!(
        (keyed.status, keyed.location()),
        (303, "/orders/7K4M-P2QX?k=abc")
    );
    let put = browser()
        .put(app.url(&format!("/slots/{id}/book")))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 405);
    assert!(
        !put.text().await.unwrap().is_empty(),
        "never an empty reply"
    );
}

on_both_backends!(
    reloading_a_refused_form_s_address_leads_back_to_its_page,
    a_paid_booking_goes_straight_to_checkout_filled_in_with_what_was_typed,
    residents_have_their_own_places_on_each_date,
    bookings_close_at_the_cutoff_before_the_start,
    a_visitor_books_two_adults_and_a_child_and_the_guide_checks_them_in,
    booking_more_places_than_are_left_is_refused,
    a_booking_form_with_mistakes_says_what_is_wrong,
    a_guest_booking_opens_only_with_its_link,
    cancelling_shows_then_records_the_refund_of_the_policy,
    an_unpublished_tour_s_bookings_still_open_cancel_and_get_called_off,
    a_free_event_takes_an_rsvp_at_once,
    calling_a_slot_off_cancels_every_booking_and_tells_each_visitor,
    a_full_slot_offers_freed_places_to_the_first_in_line,
    holds_that_ran_out_while_the_server_was_down_free_their_places_at_start,
);
