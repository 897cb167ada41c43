//! The race for the last places, over HTTP against the real server: 200 browsers
//! ask at once for 1–3 places on a 12-place slot, 20 times over, on SQLite and on
//! PostgreSQL; and the same across two server processes sharing one PostgreSQL
//! database. Afterwards held + confirmed never exceed 12, every request was either
//! held (303 to its booking) or refused with "not enough places left" (409), and
//! what the successful requests asked for is exactly what the database holds.
//!
//! The numbers (requests, successes, refusals, time) are printed for the closing
//! note of the issue; run with `--nocapture` to see them.

use crate::support;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::time::Instant;
use store::entity::booking;
use support::bookings::{TOUR, set_capacity, slot, slots_after};
use support::process::server_process;
use support::{Backend, TestApp, spawn_app};

const CAPACITY: i32 = 12;
const REQUESTS: usize = 200;
const RUNS: usize = 20;

#[derive(Debug, Default)]
struct Tally {
    requests: usize,
    held: usize,
    refused: usize,
    places_held: i32,
}

/// What each request asks for: a ticket type, and at most how many of it.
#[derive(Clone, Copy)]
struct Ask {
    ticket: &'static str,
    most: usize,
}

/// Adults: 1, 2 or 3 places each.
const ADULTS: Ask = Ask {
    ticket: "adult",
    most: 3,
};
/// Residents (4 places per date on the demo tours): 1 or 2 each.
const RESIDENTS: Ask = Ask {
    ticket: "resident",
    most: 2,
};

/// 200 requests at once for slot `id`, spread over `servers`; what they got.
async fn race(servers: &[String], id: i32, ask: Ask) -> Tally {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(REQUESTS)
        .build()
        .unwrap();
    // Spawned at once; awaited in turn.
    let requests: Vec<_> = (0..REQUESTS)
        .map(|n| {
            let client = client.clone();
            let url = format!("{}/slots/{id}/book", servers[n % servers.len()]);
            // 1, 2 or 3 places, in a fixed but mixed order.
            let places = n * 7 % 3 + 1;
            tokio::spawn(async move {
                let res = client
                    .post(url)
                    .form(&[
                        ("name", format!("Visita {n}")),
                        ("email", format!("visita{n}@example.mx")),
                        (format!("count_{}", ask.ticket).as_str(), places.to_string()),
                    ])
                    .send()
                    .await
                    .expect("the server answers");
                let status = res.status().as_u16();
                let body = res.text().await.unwrap_or_default();
                (places as i32, status, body)
            })
        })
        .collect();
    let mut tally = Tally::default();
    for request in requests {
        let (places, status, body) = request.await.unwrap();
        tally.requests += 1;
        match status {
            303 => {
                tally.held += 1;
                tally.places_held += places;
            }
            409 if body.contains("No hay suficientes lugares")
                || body.contains("De este boleto solo queda") =>
            {
                tally.refused += 1
            }
            other => panic!("a request got neither its places nor a clear refusal: {other} {body}"),
        }
    }
    tally
}

/// The bookings that hold places on slot `id`.
async fn live_bookings(app: &TestApp, id: i32) -> Vec<booking::Model> {
    booking::Entity::find()
        .filter(booking::Column::SlotId.eq(id))
        .filter(booking::Column::Status.is_in(["held", "confirmed"]))
        .all(&app.db)
        .await
        .unwrap()
}

/// The places the database holds for slot `id`, counted from its bookings.
async fn places_in_bookings(app: &TestApp, id: i32) -> i32 {
    live_bookings(app, id).await.iter().map(|b| b.places).sum()
}

async fn race_runs(app: &TestApp, servers: &[String], label: &str) {
    race_runs_of(app, servers, label, ADULTS, CAPACITY).await
}

/// The places of ticket `code` held or sold on slot `id`, counted from its bookings.
async fn ticket_places_in_bookings(app: &TestApp, id: i32, code: &str) -> i32 {
    use store::entity::booking_line;
    let ids: Vec<i32> = live_bookings(app, id).await.iter().map(|b| b.id).collect();
    booking_line::Entity::find()
        .filter(booking_line::Column::BookingId.is_in(ids))
        .filter(booking_line::Column::TicketCode.eq(code))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|l| l.count)
        .sum()
}

/// `RUNS` races of `ask` on fresh dates; `most` is what the slot (or the ticket
/// type) has to give.
async fn race_runs_of(app: &TestApp, servers: &[String], label: &str, ask: Ask, most: i32) {
    let slots = slots_after(app, TOUR, 3).await;
    assert!(slots.len() >= RUNS, "the demo tour has enough dates");
    let started = Instant::now();
    let mut total = Tally::default();
    for s in slots.iter().take(RUNS) {
        set_capacity(app, s.id, CAPACITY).await;
        let tally = race(servers, s.id, ask).await;
        let in_db = places_in_bookings(app, s.id).await;
        let taken = slot(app, s.id).await.places_taken;
        assert!(tally.places_held <= most, "{label}: oversold: {tally:?}");
        assert_eq!(
            tally.places_held, in_db,
            "{label}: what was held is in the bookings"
        );
        assert_eq!(
            taken, in_db,
            "{label}: the slot counts what its bookings hold"
        );
        let of_ticket = ticket_places_in_bookings(app, s.id, ask.ticket).await;
        assert_eq!(
            of_ticket, in_db,
            "{label}: every place held is of the ticket asked"
        );
        if ask.ticket != ADULTS.ticket {
            let counted =
                store::entity::slot_ticket::Entity::find_by_id((s.id, ask.ticket.to_owned()))
                    .one(&app.db)
                    .await
                    .unwrap()
                    .map_or(0, |t| t.taken);
            assert_eq!(
                counted, of_ticket,
                "{label}: the ticket's count matches its bookings"
            );
        }
        // With parties of up to 3, at most 2 places can be left that nobody fits.
        assert!(
            tally.places_held >= most - (ask.most as i32 - 1),
            "{label}: the places are all taken: {tally:?}"
        );
        total.requests += tally.requests;
        total.held += tally.held;
        total.refused += tally.refused;
        total.places_held += tally.places_held;
    }
    println!(
        "race over HTTP, {label}: {} runs, {} requests, {} held, {} refused (not enough places), \
         {} places held of {} offered, {:.2} s",
        RUNS,
        total.requests,
        total.held,
        total.refused,
        total.places_held,
        most as usize * RUNS,
        started.elapsed().as_secs_f64()
    );
}

async fn two_hundred_browsers_at_once_never_get_more_than_twelve_places(backend: Backend) {
    let app = spawn_app(backend).await;
    race_runs(
        &app,
        std::slice::from_ref(&app.address),
        &format!("{backend:?}, one server"),
    )
    .await;
}

/// The demo tours keep 4 places a date at the residents' price.
async fn residents_never_get_more_than_their_four_places(backend: Backend) {
    let app = spawn_app(backend).await;
    race_runs_of(
        &app,
        std::slice::from_ref(&app.address),
        &format!("{backend:?}, residents' 4 places"),
        RESIDENTS,
        4,
    )
    .await;
}

on_both_backends!(
    two_hundred_browsers_at_once_never_get_more_than_twelve_places,
    residents_never_get_more_than_their_four_places,
);

/// A `tianguis serve` process on `database_url`; its address once it answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_on_one_postgres_database_never_oversell() {
    let app = spawn_app(Backend::Postgres).await;
    let one = server_process(&app.database_url, &[]).await;
    let two = server_process(&app.database_url, &[]).await;
    race_runs(
        &app,
        &[one.address.clone(), two.address.clone()],
        "Postgres, two server processes",
    )
    .await;
}
