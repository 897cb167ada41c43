//! The hourly limits on what visitors start (issue 19, point 7), over HTTP: holds,
//! RSVPs and unpaid orders stop at the limit of their email and of their client
//! address, asking to try again in an hour; a big RSVP waits for its emailed link;
//! the site writes one address only so many emails an hour on a visitor's say-so.
//! On both backends, with limits set low.

use crate::support;

use domain::people::hourly_limits::HourlyLimits;
use support::bookings::{
    FREE_EVENT, TOUR, book, booking, code_and_key, emails_to, open_slot, slot,
};
use support::orders::{POT, add_to_cart, checkout, stock_of};
use support::{Backend, TestApp, browser, spawn_app_with};

async fn app_with(backend: Backend, limits: HourlyLimits) -> TestApp {
    spawn_app_with(backend, |c| c.hourly_limits = limits).await
}

/// Starts per email and per client address, and emails per recipient, an hour.
fn limits(per_email: u32, per_address: u32, emails_per_recipient: u32) -> HourlyLimits {
    HourlyLimits {
        per_email,
        per_address,
        emails_per_recipient,
    }
}

fn refused_for_the_hour(page: &support::Page, says: &str) {
    assert_eq!(page.status, 429, "{}", page.body);
    assert_eq!(
        page.headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("3600")
    );
    assert!(page.has(says), "{}", page.body);
}

async fn holds_and_unpaid_orders_stop_at_the_limits_of_an_email_and_an_address(backend: Backend) {
    let app = app_with(backend, limits(2, 3, 100)).await;
    let id = open_slot(&app, TOUR).await;
    for _ in 0..2 {
        let held = book(&app, &browser(), id, "ana@example.mx", &[("adult", "1")]).await;
        assert_eq!(held.status, 303, "{}", held.body);
    }
    let taken = slot(&app, id).await.places_taken;
    let third = book(&app, &browser(), id, "ana@example.mx", &[("adult", "1")]).await;
    refused_for_the_hour(&third, "Con este correo ya se apartaron muchos lugares");
    assert_eq!(slot(&app, id).await.places_taken, taken, "nothing held");
    let other = book(&app, &browser(), id, "beto@example.mx", &[("adult", "1")]).await;
    assert_eq!(other.status, 303, "another email, the address's third");
    let fourth = book(&app, &browser(), id, "caro@example.mx", &[("adult", "1")]).await;
    refused_for_the_hour(&fourth, "Desde tu conexión ya se apartaron muchos lugares");

    // Orders count apart from holds.
    let buyer = browser();
    let cooperative = support::orders::craft_row(&app, POT).await.0.cooperative_id;
    let delivery = format!("delivery_{cooperative}");
    let fields = [
        ("name", "Ana López"),
        ("email", "ana@example.mx"),
        (delivery.as_str(), "pickup"),
    ];
    for _ in 0..2 {
        add_to_cart(&app, &buyer, POT, "1").await;
        let placed = checkout(&app, &buyer, &fields).await;
        assert_eq!(placed.status, 303, "{}", placed.body);
    }
    add_to_cart(&app, &buyer, POT, "1").await;
    let stock = stock_of(&app, POT).await;
    let third = checkout(&app, &buyer, &fields).await;
    refused_for_the_hour(
        &third,
        "Con este correo ya se apartaron muchos lugares o se hicieron muchos pedidos",
    );
    assert_eq!(stock_of(&app, POT).await, stock, "no stock kept for it");
    let english = browser()
        .post(app.url(&format!("/slots/{id}/book")))
        .header("accept-language", "en")
        .form(&[
            ("name", "Ann Lee"),
            ("email", "ann@example.com"),
            ("count_adult", "1"),
        ])
        .send()
        .await
        .unwrap();
    let english = support::Page::read(english).await;
    refused_for_the_hour(&english, "from your connection in the last hour");
}

async fn a_big_rsvp_from_an_unproved_address_waits_for_its_emailed_link(backend: Backend) {
    let app = app_with(backend, HourlyLimits::default()).await;
    let id = open_slot(&app, FREE_EVENT).await;
    let small = book(&app, &browser(), id, "ana@example.mx", &[("general", "2")]).await;
    let (code, _) = code_and_key(&small);
    assert_eq!(
        booking(&app, &code).await.status,
        "confirmed",
        "a few at once"
    );

    let big = book(&app, &browser(), id, "beto@example.mx", &[("general", "5")]).await;
    assert_eq!(big.status, 303, "{}", big.body);
    assert_eq!(big.location(), format!("/slots/{id}?done=check-email"));
    let page = app.get(big.location()).await;
    assert!(page.has("abre el enlace que te enviamos"), "{}", page.body);
    let emails = emails_to(&app, "beto@example.mx").await;
    assert_eq!(emails.len(), 1);
    assert!(emails[0].subject.starts_with("Confirma tus lugares"));
    let link = app.link_emailed_to("beto@example.mx", "/bookings/").await;
    let (code, key) = link
        .strip_prefix("/bookings/")
        .and_then(|rest| rest.split_once("?k="))
        .map(|(c, k)| (c.to_owned(), k.to_owned()))
        .expect("a booking link");
    assert_eq!(
        booking(&app, &code).await.status,
        "held",
        "held, not confirmed"
    );
    let opened = app.get(&link).await;
    assert_eq!(opened.status, 200);
    assert!(
        opened.has(&format!("/bookings/{code}/confirm")),
        "{}",
        opened.body
    );
    let confirmed = app
        .post_form(
            &browser(),
            &format!("/bookings/{code}/confirm"),
            &[("k", key.as_str())],
        )
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    assert_eq!(booking(&app, &code).await.status, "confirmed");
}

async fn the_site_writes_one_address_only_so_many_emails_an_hour_on_a_visitors_say_so(
    backend: Backend,
) {
    let app = app_with(backend, limits(100, 100, 2)).await;
    let id = open_slot(&app, FREE_EVENT).await;
    let victim = browser();
    let rsvp = || book(&app, &victim, id, "victima@example.mx", &[("general", "1")]);
    for _ in 0..2 {
        let taken = rsvp().await;
        assert_eq!(taken.status, 303, "{}", taken.body);
    }
    assert_eq!(emails_to(&app, "victima@example.mx").await.len(), 2);
    let third = rsvp().await;
    refused_for_the_hour(&third, "Ya le enviamos muchos correos a esa dirección");
    assert_eq!(emails_to(&app, "victima@example.mx").await.len(), 2);
}

on_both_backends!(
    holds_and_unpaid_orders_stop_at_the_limits_of_an_email_and_an_address,
    a_big_rsvp_from_an_unproved_address_waits_for_its_emailed_link,
    the_site_writes_one_address_only_so_many_emails_an_hour_on_a_visitors_say_so,
);
