//! Holding places, at the store: many parties at once never take more places than a
//! slot has, and holds that run out give their places back. On a real SQLite file
//! and on PostgreSQL. (The race over HTTP, and across two server processes, comes
//! with the booking pages.)

use crate::support;
use domain::clock::SiteTime;

use chrono::Duration;
use domain::booking::code::BookingCode;
use domain::{Email, Lang, Money};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use store::booking::bookings::{self, HoldError, Line, NewHold};
use store::entity::{booking, tour_slot};
use support::{Backend, TestApp, spawn_app};

const CAPACITY: i32 = 12;
const REQUESTS: usize = 200;
const RUNS: usize = 20;

/// Demo tour slots, each given a capacity of 12 and no places taken.
async fn fresh_slots(app: &TestApp, n: u64) -> Vec<i32> {
    let slots = tour_slot::Entity::find()
        .order_by_asc(tour_slot::Column::Id)
        .limit(n)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(slots.len() as u64, n, "the demo has enough departures");
    let ids: Vec<i32> = slots.iter().map(|s| s.id).collect();
    tour_slot::Entity::update_many()
        .col_expr(tour_slot::Column::Capacity, CAPACITY.into())
        .col_expr(tour_slot::Column::PlacesTaken, 0.into())
        .filter(tour_slot::Column::Id.is_in(ids.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    ids
}

fn party(slot_id: i32, n: usize, places: u32) -> NewHold {
    NewHold {
        slot_id,
        lines: vec![Line {
            ticket_code: "adult".into(),
            count: places,
            unit_price: Money::mxn(35_000),
        }],
        account_id: None,
        email: Email::parse(&format!("visita{n}@tianguis.test")).unwrap(),
        name: format!("Visita {n}"),
        lang: Lang::Es,
        code: BookingCode::from_random([
            (slot_id >> 8) as u8,
            slot_id as u8,
            (n >> 8) as u8,
            n as u8,
            7,
        ]),
        secret_hash: format!("secreto-{slot_id}-{n}"),
    }
}

async fn held_places(app: &TestApp, slot_id: i32) -> i32 {
    booking::Entity::find()
        .filter(booking::Column::SlotId.eq(slot_id))
        .filter(booking::Column::Status.eq("held"))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|b| b.places)
        .sum()
}

async fn two_hundred_parties_at_once_never_take_more_than_twelve_places(backend: Backend) {
    let app = spawn_app(backend).await;
    let slots = fresh_slots(&app, RUNS as u64).await;
    let started = std::time::Instant::now();
    let (mut ok, mut refused) = (0, 0);
    for slot in slots {
        let requests = (0..REQUESTS).map(|n| {
            let db = app.db.clone();
            // 1, 2 or 3 places, in a fixed but mixed order.
            let places = (n * 7 % 3 + 1) as u32;
            let hold = party(slot, n, places);
            tokio::spawn(async move {
                let result = bookings::hold(
                    &db,
                    &hold,
                    Duration::minutes(15),
                    SiteTime::from_naive(app_now()),
                )
                .await;
                (places, result)
            })
        });
        let results = futures_join(requests.collect()).await;
        let mut granted = 0;
        for (places, result) in results {
            match result {
                Ok(_) => {
                    granted += places as i32;
                    ok += 1;
                }
                Err(HoldError::NotEnoughLeft { left }) => {
                    assert!(left < places, "refused {places} with {left} left");
                    refused += 1;
                }
                Err(other) => panic!("every request is granted or told why not: {other}"),
            }
        }
        assert!(
            granted <= CAPACITY,
            "{granted} places granted of {CAPACITY}"
        );
        assert!(granted > CAPACITY - 3, "the slot fills up: {granted}");
        let taken = tour_slot::Entity::find_by_id(slot)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .places_taken;
        assert_eq!(taken, granted, "the slot counts what was granted");
        assert_eq!(
            held_places(&app, slot).await,
            granted,
            "and so do its bookings"
        );
        assert_eq!(
            bookings::places_left(&app.db, slot).await.unwrap(),
            Some((CAPACITY - granted) as u32)
        );
    }
    println!(
        "{backend:?}: {} requests in {RUNS} runs, {ok} held, {refused} refused, {:.2?}",
        RUNS * REQUESTS,
        started.elapsed()
    );
}

fn app_now() -> chrono::NaiveDateTime {
    domain::clock::now().on_site().naive()
}

async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push(handle.await.expect("the request task finishes"));
    }
    out
}

async fn holds_that_run_out_give_their_places_back(backend: Backend) {
    let app = spawn_app(backend).await;
    let slot = fresh_slots(&app, 1).await[0];
    let now = app_now();
    bookings::hold(
        &app.db,
        &party(slot, 1, 3),
        Duration::minutes(15),
        SiteTime::from_naive(now),
    )
    .await
    .unwrap();
    bookings::hold(
        &app.db,
        &party(slot, 2, 2),
        Duration::minutes(30),
        SiteTime::from_naive(now),
    )
    .await
    .unwrap();
    assert_eq!(bookings::places_left(&app.db, slot).await.unwrap(), Some(7));
    let later = now + Duration::minutes(20);
    assert_eq!(
        bookings::expire_due_holds(&app.db, SiteTime::from_naive(later))
            .await
            .unwrap(),
        [slot]
    );
    assert_eq!(
        bookings::places_left(&app.db, slot).await.unwrap(),
        Some(10)
    );
    assert_eq!(
        bookings::expire_due_holds(&app.db, SiteTime::from_naive(later))
            .await
            .unwrap(),
        Vec::<i32>::new(),
        "a hold expires once"
    );
    let full = bookings::hold(
        &app.db,
        &party(slot, 3, 11),
        Duration::minutes(15),
        SiteTime::from_naive(later),
    )
    .await;
    assert!(matches!(full, Err(HoldError::NotEnoughLeft { left: 10 })));
    assert_eq!(
        bookings::expire_due_holds(&app.db, SiteTime::from_naive(later + Duration::minutes(15)))
            .await
            .unwrap(),
        [slot]
    );
    assert_eq!(
        bookings::places_left(&app.db, slot).await.unwrap(),
        Some(12)
    );
}

on_both_backends!(
    two_hundred_parties_at_once_never_take_more_than_twelve_places,
    holds_that_run_out_give_their_places_back,
);
