//! Each public page makes a few queries, and no more when the data grows (issue 23,
//! point 6): the server counts its own (`TIANGUIS_COUNT_QUERIES`), on the demo's
//! catalog and again after it grew tenfold and the ledger, the orders and the fund
//! got a history.

use crate::support;

use support::{Backend, TestApp, spawn_app_with};

/// The public pages, as `bench/pages.py` measures them.
const PAGES: &[&str] = &[
    "/",
    "/crafts",
    "/crafts?q=tapete",
    "/crafts?q=tapete+lana+azul&state=oaxaca&category=textiles",
    "/crafts?q=tapate",
    "/crafts?page=2",
    "/tours",
    "/events",
    "/search?q=barro",
    "/crafts/tapete-greca-de-mitla-grana",
    "/tours/taller-de-tintes-naturales-teotitlan",
    "/events/feria-nacional-del-cobre",
    "/cooperatives/tejedoras-del-picacho",
    "/communities/teotitlan-del-valle",
    "/communities/teotitlan-del-valle/fund",
];

/// The most queries any public page may make.
const MOST: u64 = 12;

/// The statements `path` took: the fewest of six asks (background work running in
/// the same moment adds its own to an answer).
async fn queries(app: &TestApp, path: &str) -> u64 {
    let mut fewest = u64::MAX;
    for _ in 0..6 {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let count: u64 = res
            .headers()
            .get("x-queries")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{path}: no x-queries header"));
        fewest = fewest.min(count);
    }
    fewest
}

/// Waits for the server's background work to be quiet: the health check's one query
/// alone, five times in a row a tenth of a second apart (a started server looks for
/// missing photo sizes, say).
async fn quiet(app: &TestApp) {
    let mut alone = 0;
    for _ in 0..300 {
        let res = app.client.get(app.url("/healthz")).send().await.unwrap();
        let count = res.headers().get("x-queries").and_then(|v| v.to_str().ok());
        alone = if count == Some("1") { alone + 1 } else { 0 };
        if alone == 5 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the server's background work never paused");
}

async fn every_page(app: &TestApp) -> Vec<u64> {
    quiet(app).await;
    let mut counts = Vec::new();
    for path in PAGES {
        counts.push(queries(app, path).await);
    }
    counts
}

async fn public_pages_make_a_few_queries_and_no_more_when_the_data_grows(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.count_queries = true).await;
    let demo = every_page(&app).await;
    let now = app.now.naive();
    let grow =
        |total| server::demo::scale::grow_catalog(&app.db, &app.config.media_dir, total, now);
    // Pages full of results: what is left to grow is the number of matches.
    grow(400).await.unwrap();
    let before = every_page(&app).await;
    // Twice the listings, and a ledger, orders and a fund with a history.
    grow(800).await.unwrap();
    server::demo::history::seed_history(&app.db, now)
        .await
        .unwrap();
    let after = every_page(&app).await;
    for (i, path) in PAGES.iter().enumerate() {
        let (demo, before, after) = (demo[i], before[i], after[i]);
        println!(
            "{path:60} {demo:3} queries on the demo, {before:3} with 400 listings, {after:3} with 800 and a history"
        );
        // A search reads its tiers of relevance until the page is full: fewer or more
        // of them as the matches are more or fewer, never more than there are tiers.
        let searched = path.contains("q=");
        assert!(
            demo.max(before).max(after) <= MOST && (searched || before == after),
            "{path}: {demo} queries on the demo, {before} with 400 listings, {after} with 800 and a history"
        );
    }
}

on_both_backends!(public_pages_make_a_few_queries_and_no_more_when_the_data_grows);
