//! The race for the last crafts, over HTTP against the real server, as for a slot's
//! last places: 100 carts, each with 1 or 2 of a rug that has 7 left, check out at
//! once, 10 times over, on SQLite and on PostgreSQL. Afterwards the stock is never
//! below zero, every checkout either placed its order (303) or was refused with "only
//! so many left" (409), and what the placed orders took is exactly what the stock
//! lost.
//!
//! The numbers are printed for the closing note; run with `--nocapture` to see them.

use crate::support;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::time::Instant;
use store::entity::{order_line, orders};
use support::orders::{BUYER, RUG, add_to_cart, craft_row, set_stock, stock_of};
use support::{Backend, browser, spawn_app};

const STOCK: i32 = 7;
const CARTS: usize = 100;
const RUNS: usize = 10;

async fn a_hundred_checkouts_at_once_never_sell_more_than_the_stock(backend: Backend) {
    let app = spawn_app(backend).await;
    let (rug, _) = craft_row(&app, RUG).await;
    let delivery = format!("delivery_{}", rug.cooperative_id);
    let started = Instant::now();
    let (mut placed, mut refused, mut sold) = (0, 0, 0);
    for run in 0..RUNS {
        set_stock(&app, RUG, STOCK).await;
        // Every cart may hold what is left (the cart reserves nothing).
        let mut buyers = Vec::new();
        for n in 0..CARTS {
            let client = browser();
            let quantity = if n % 3 == 0 { "2" } else { "1" };
            let added = add_to_cart(&app, &client, RUG, quantity).await;
            assert_eq!(added.status, 303, "run {run} cart {n}: {}", added.body);
            buyers.push((client, quantity.parse::<i32>().unwrap()));
        }
        let tasks: Vec<_> = buyers
            .into_iter()
            .map(|(client, quantity)| {
                let url = app.url("/checkout");
                let mut fields: Vec<(String, String)> = BUYER
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                fields.push((delivery.clone(), "pickup".into()));
                tokio::spawn(async move {
                    let res = client.post(url).form(&fields).send().await.unwrap();
                    let status = res.status().as_u16();
                    let body = res.text().await.unwrap_or_default();
                    (status, body, quantity)
                })
            })
            .collect();
        let mut took = 0;
        for task in tasks {
            let (status, body, quantity) = task.await.unwrap();
            match status {
                303 => {
                    placed += 1;
                    took += quantity;
                }
                409 => {
                    // "solo quedan 3", "solo queda 1": in the singular for one.
                    assert!(body.contains("solo qued"), "refused for stock: {body}");
                    refused += 1;
                }
                other => panic!("run {run}: a checkout answered {other}: {body}"),
            }
        }
        let left = stock_of(&app, RUG).await;
        assert!(left >= 0, "run {run}: stock below zero ({left})");
        assert_eq!(
            took + left,
            STOCK,
            "run {run}: what was sold is what the stock lost"
        );
        sold += took;
    }
    // What the orders say they took, all runs together, is what was sold.
    let awaiting = orders::Entity::find()
        .filter(orders::Column::Status.eq("awaiting_payment"))
        .all(&app.db)
        .await
        .unwrap();
    let lines = order_line::Entity::find()
        .filter(order_line::Column::ListingId.eq(rug.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(awaiting.len(), placed);
    assert_eq!(lines.iter().map(|l| l.quantity).sum::<i32>(), sold);
    println!(
        "{backend:?}: {} checkouts for {STOCK} rugs x {RUNS} runs: {placed} placed, {refused} refused, {sold} of {} rugs sold, {:.1} s",
        CARTS * RUNS,
        STOCK as usize * RUNS,
        started.elapsed().as_secs_f64()
    );
}

on_both_backends!(a_hundred_checkouts_at_once_never_sell_more_than_the_stock);
