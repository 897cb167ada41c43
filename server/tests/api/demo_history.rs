//! The demo's past (`server::demo::history`), on both databases: it goes through the
//! store's real operations, its ledger balances, and the pages it is for have
//! something to show — the cooperative's finances, the fund's votes and spending,
//! and the public totals.

use crate::support;
use domain::clock::SiteTime;

use support::{Backend, browser, spawn_app};

async fn the_demo_history_fills_the_finances_and_fund_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let history = server::demo::history::seed_history(&app.db, app.now.naive())
        .await
        .expect("the history loads");
    assert_eq!(history.orders, 6);
    assert_eq!(
        store::money::ledger::unbalanced_entries(&app.db)
            .await
            .unwrap(),
        Vec::<i32>::new(),
        "every entry balances"
    );

    let admin = browser();
    app.sign_in(
        &admin,
        "coop@tianguis.demo",
        server::demo::accounts::DEMO_PASSWORD,
    )
    .await;
    let finances = app
        .get_with(
            &admin,
            "/coop/tejedoras-del-picacho/finances",
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(finances.status, 200);
    assert!(finances.has("SPEI 7401 2210 0094"), "the past payout");
    assert!(finances.has("Recibo 0112"), "the payment to Rosario");
    assert!(finances.has("Sale"), "the ledger's lines");

    let fund = app
        .get_in("en", "/communities/teotitlan-del-valle/fund")
        .await;
    assert_eq!(fund.status, 200);
    assert!(fund.has("Natural dyes for the school"));
    assert!(fund.has("Done"), "the dyes were bought");
    assert!(fund.has("Not approved"), "the party was turned down");
    assert!(fund.has("Vote open until"), "the roof is still voted on");
    // What each cooperative gave the fund: the running sums, as the ledger adds up.
    let view = store::money::fund::page(&app.db, "teotitlan-del-valle", None)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !view.inflows.is_empty(),
        "the history's sales gave the fund"
    );
    for (name, given) in &view.inflows {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let coop = store::entity::cooperative::Entity::find()
            .filter(store::entity::cooperative::Column::Name.eq(name.as_str()))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let recounted = store::money::finances::recounted_transparency(
            &app.db,
            store::money::finances::Whose::Cooperative(coop.id),
            app.now,
        )
        .await
        .unwrap();
        assert_eq!(*given, recounted.all_time.to_fund, "{name}");
    }

    let community = app.get_in("en", "/communities/teotitlan-del-valle").await;
    assert!(community.has("Where the money went"));
    let place = store::money::fund::community_id(&app.db, "teotitlan-del-valle")
        .await
        .unwrap()
        .unwrap();
    let totals = store::money::finances::transparency(
        &app.db,
        store::money::finances::Whose::Community(place),
        SiteTime::from_naive(app.now.naive()),
    )
    .await
    .unwrap();
    let (all, year) = (totals.all_time, totals.last_12_months);
    assert!(year.to_producers.centavos() > 0 && year.spent_on_projects.centavos() > 0);
    assert!(
        all.to_producers.centavos() > year.to_producers.centavos(),
        "the order of 400 days ago counts for all time only"
    );
    assert!(community.has(&all.to_producers.to_string()));
    assert!(community.has(&year.spent_on_projects.to_string()));
    support::assert_public_totals_agree(&app.db, app.now).await;
}

/// The migration that made the running sums of the public totals added up the
/// ledger and fund already there: a database with history, migrated again from
/// before it, shows the same totals.
async fn the_public_totals_of_an_existing_ledger_are_summed_when_migrating(backend: Backend) {
    let app = spawn_app(backend).await;
    server::demo::history::seed_history(&app.db, app.now.naive())
        .await
        .expect("the history loads");
    let place = store::money::fund::community_id(&app.db, "teotitlan-del-valle")
        .await
        .unwrap()
        .unwrap();
    let whose = store::money::finances::Whose::Community(place);
    let now = SiteTime::from_naive(app.now.naive());
    let before = store::money::finances::transparency(&app.db, whose, now)
        .await
        .unwrap();
    assert!(before.all_time.to_producers.centavos() > 0);
    store::redo_migrations_from(&app.db, "m20261209_000014_public_totals")
        .await
        .unwrap();
    assert_eq!(
        store::money::finances::transparency(&app.db, whose, now)
            .await
            .unwrap(),
        before
    );
    support::assert_public_totals_agree(&app.db, app.now).await;
}

/// `tianguis seed --demo --postings N` (bench/): years of orders through the store's
/// own operations, refunds and quarterly payouts, until the ledger holds N postings;
/// its entries balance and every public total is what the ledger adds up to again.
async fn the_ledger_grown_for_the_benchmarks_balances_and_agrees_with_its_totals(backend: Backend) {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = spawn_app(backend).await;
    let grown = server::demo::ledger_scale::grow_ledger(&app.db, 1_500, app.now.naive())
        .await
        .expect("the ledger grows");
    let postings = store::entity::journal_posting::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    assert!(
        postings >= 1_500 && grown.postings == postings && grown.orders > 20,
        "{grown:?}, {postings} postings"
    );
    assert!(grown.refunds > 0 && grown.payouts > 0, "{grown:?}");
    // The orders are spread over the three years before now.
    let first = store::entity::orders::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.created_at)
        .min()
        .unwrap();
    assert!(
        first < app.now.naive() - chrono::Duration::days(2 * 365),
        "{first}"
    );
    support::assert_books_balance(&app).await;
}

on_both_backends!(
    the_ledger_grown_for_the_benchmarks_balances_and_agrees_with_its_totals,
    the_demo_history_fills_the_finances_and_fund_pages,
    the_public_totals_of_an_existing_ledger_are_summed_when_migrating
);
