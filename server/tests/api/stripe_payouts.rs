//! Paying a cooperative through Stripe Connect, against the fake Stripe, on both
//! databases: no transfer is attempted before the cooperative's Express account is
//! onboarded (Stripe's `account.updated` says when); then what is available goes in
//! one transfer per order, in the order's transfer group, with our idempotency key;
//! a transfer that fails leaves the payout failed until a retry, which sends it
//! once, with the same key.

use crate::support;

use domain::money::ledger::{Account, AccountKind};
use fake_stripe::FakeStripe;
use support::orders::{RUG, craft_row, order, parts, payment_of, pickup_order};
use support::stripe::{eventually, spawn_stripe_app};
use support::{Backend, TestApp, assert_books_balance, browser};

const FINANCES: &str = "/coop/tejedoras-del-picacho/finances";

/// A rug paid by card through Stripe and collected: the order's code.
async fn a_rug_paid_and_collected(app: &TestApp, fake: &FakeStripe) -> String {
    let (code, _) = pickup_order(app, &browser(), RUG, "1").await;
    let pi = payment_of(app, &code).await.provider_ref.unwrap();
    assert_eq!(fake.pay_by_card(&pi, "pm_card_visa").await, 200);
    eventually("the rug paid", || async {
        order(app, &code).await.status == "paid"
    })
    .await;
    let admin = admin(app).await;
    let part = parts(app, &code).await[0].id;
    let fulfil = format!("/dashboard/orders/parts/{part}/fulfil");
    for action in ["ready_for_pickup", "deliver"] {
        let moved = app.post_form(&admin, &fulfil, &[("action", action)]).await;
        assert_eq!(moved.status, 303, "{action}: {}", moved.body);
    }
    code
}

async fn admin(app: &TestApp) -> reqwest::Client {
    app.signed_in("coop@tianguis.demo").await
}

async fn owed(app: &TestApp, kind: AccountKind, owner: i32) -> i64 {
    let account = Account::of(kind, owner);
    account.owed(
        store::money::ledger::balance(&app.db, account)
            .await
            .unwrap(),
    )
}

fn transfer_posts(fake: &FakeStripe) -> Vec<Option<String>> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/transfers")
        .map(|r| r.idempotency_key)
        .collect()
}

/// The admin goes through Stripe's onboarding: the account's id.
/// `admin` records that everything available was paid by SPEI with `reference`.
async fn paid_by_spei(app: &TestApp, admin: &reqwest::Client, reference: &str) -> support::Page {
    app.post_form(
        admin,
        &format!("{FINANCES}/payouts"),
        &[
            ("payout_method", "spei"),
            ("payout_reference", reference),
            ("payout_paid_on", &app.now.date().to_string()),
        ],
    )
    .await
}

async fn onboarded(app: &TestApp, fake: &FakeStripe, admin: &reqwest::Client) -> String {
    let onboarding = app
        .post_form(admin, &format!("{FINANCES}/stripe"), &[])
        .await;
    assert_eq!(onboarding.status, 303, "{}", onboarding.body);
    let link = onboarding.headers["location"].to_str().unwrap().to_owned();
    assert!(
        link.starts_with(fake.url()) && link.contains("/connect/onboarding/acct_"),
        "{link}"
    );
    let account = link.rsplit('/').next().unwrap().to_owned();
    assert!(fake.complete_onboarding(&account).await);
    let coop = craft_row(app, RUG).await.0.cooperative_id;
    eventually("the account enabled", || async {
        store::money::connected_accounts::of(&app.db, coop)
            .await
            .unwrap()
            .is_some_and(|c| c.status.can_receive())
    })
    .await;
    account
}

/// The rug's cooperative, paid for and connected to Stripe: the app, the fake, its
/// admin, and the cooperative's id.
async fn connected_cooperative(backend: Backend) -> (TestApp, FakeStripe, reqwest::Client, i32) {
    let (app, fake) = spawn_stripe_app(backend).await;
    a_rug_paid_and_collected(&app, &fake).await;
    let admin = admin(&app).await;
    onboarded(&app, &fake, &admin).await;
    let coop = craft_row(&app, RUG).await.0.cooperative_id;
    (app, fake, admin, coop)
}

/// The cooperative's one payout.
async fn the_payout(app: &TestApp) -> store::entity::payout::Model {
    store::entity::payout::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("a payout")
}

/// `admin` pays everything by transfer, and it fails (as the fake was told to): the payout.
async fn failed_payout(app: &TestApp, admin: &reqwest::Client) -> store::entity::payout::Model {
    app.post_form(admin, &format!("{FINANCES}/payouts/transfer"), &[])
        .await;
    let payout = the_payout(app).await;
    assert_eq!(payout.status, "failed");
    payout
}

async fn nothing_is_transferred_before_onboarding_and_then_once_per_order(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let code = a_rug_paid_and_collected(&app, &fake).await;
    let admin = admin(&app).await;
    let coop = craft_row(&app, RUG).await.0.cooperative_id;
    let artisan = craft_row(&app, RUG).await.0.producer_id.unwrap();
    let share = owed(&app, AccountKind::ProducerAvailable, artisan).await;
    let own = owed(&app, AccountKind::CooperativeAvailable, coop).await;
    assert!(share > 0 && own > 0);

    let page = app
        .get_with(&admin, FINANCES, &[("accept-language", "es")])
        .await;
    assert!(page.has("Conectar una cuenta de Stripe"), "{}", page.body);
    let early = app
        .post_form(&admin, &format!("{FINANCES}/payouts/transfer"), &[])
        .await;
    assert_eq!(early.status, 409);
    assert!(early.has("todavía no puede recibir transferencias"));

    // Onboarding started, not finished: still no transfer.
    let started = app
        .post_form(&admin, &format!("{FINANCES}/stripe"), &[])
        .await;
    assert_eq!(started.status, 303);
    let page = app
        .get_with(&admin, FINANCES, &[("accept-language", "es")])
        .await;
    assert!(page.has("Terminar el registro en Stripe"));
    assert_eq!(
        app.post_form(&admin, &format!("{FINANCES}/payouts/transfer"), &[])
            .await
            .status,
        409
    );
    assert!(transfer_posts(&fake).is_empty(), "no transfer is attempted");

    let account = onboarded(&app, &fake, &admin).await;
    assert_eq!(
        fake.accounts().len(),
        1,
        "coming back to onboarding keeps the account"
    );
    let paid = app
        .post_form(&admin, &format!("{FINANCES}/payouts/transfer"), &[])
        .await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    assert!(
        paid.headers["location"]
            .to_str()
            .unwrap()
            .contains("done=payout#")
    );

    let transfers = fake.transfers();
    assert_eq!(transfers.len(), 1);
    let t = &transfers[0];
    assert_eq!(
        t.amount,
        share + own,
        "the artisan's share and the cooperative's"
    );
    assert_eq!(t.transfer_group.as_deref(), Some(code.as_str()));
    assert!(
        format!("{:?}", t.destination).contains(&account),
        "to the cooperative's account"
    );
    let payout = the_payout(&app).await;
    assert_eq!(payout.status, "paid");
    assert_eq!(payout.method, "transfer");
    let order_id = order(&app, &code).await.id;
    assert_eq!(
        transfer_posts(&fake),
        vec![Some(format!("tianguis-payout-{}-{order_id}", payout.id))]
    );
    assert_eq!(
        owed(&app, AccountKind::ProducerAtCooperative, artisan).await,
        share
    );
    assert_eq!(owed(&app, AccountKind::PayoutInTransit, coop).await, 0);
    assert_books_balance(&app).await;
}

async fn a_failed_transfer_waits_for_a_retry_that_sends_it_once(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    a_rug_paid_and_collected(&app, &fake).await;
    let admin = admin(&app).await;
    onboarded(&app, &fake, &admin).await;
    let coop = craft_row(&app, RUG).await.0.cooperative_id;

    fake.fail_transfers(1);
    let failed = app
        .post_form(&admin, &format!("{FINANCES}/payouts/transfer"), &[])
        .await;
    assert_eq!(failed.status, 303);
    assert!(
        failed.headers["location"]
            .to_str()
            .unwrap()
            .contains("done=payout-failed")
    );
    let payout = the_payout(&app).await;
    assert_eq!(payout.status, "failed");
    assert!(payout.last_error.is_some());
    assert!(fake.transfers().is_empty());
    assert!(
        owed(&app, AccountKind::PayoutInTransit, coop).await > 0,
        "the money waits in transit, not available to pay twice"
    );
    let page = app
        .get_with(&admin, FINANCES, &[("accept-language", "es")])
        .await;
    assert!(page.has("Intentar de nuevo"));
    let again = app
        .post_form(&admin, &format!("{FINANCES}/payouts/transfer"), &[])
        .await;
    assert_eq!(again.status, 409, "one payout at a time");

    let retry = format!("{FINANCES}/payouts/{}/retry", payout.id);
    let retried = app.post_form(&admin, &retry, &[]).await;
    assert_eq!(retried.status, 303, "{}", retried.body);
    assert_eq!(fake.transfers().len(), 1);
    let keys = transfer_posts(&fake);
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1], "the retry sends the same key");
    let payout = the_payout(&app).await;
    assert_eq!(payout.status, "paid");
    assert_eq!(
        app.post_form(&admin, &retry, &[]).await.status,
        409,
        "paid is paid"
    );

    // The background round finds nothing left to send.
    let payments = server::payments_of(&app.config, &app.db).unwrap();
    let sent = server::tasks::payouts::send(&payments, &app.db, payout.id, app.now.naive())
        .await
        .unwrap();
    assert_eq!(sent, server::tasks::payouts::Sent::Nothing);
    assert_eq!(fake.transfers().len(), 1);
    let events: Vec<String> = store::entity::payout_event::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{}:{}", e.action, e.to_status))
        .collect();
    assert_eq!(
        events,
        ["start:sending", "fail:failed", "retry:sending", "sent:paid"]
    );
    assert_books_balance(&app).await;
}

async fn a_failed_payout_can_be_cancelled_and_paid_by_spei_instead(backend: Backend) {
    let (app, fake, admin, coop) = connected_cooperative(backend).await;
    let available = owed(&app, AccountKind::CooperativeAvailable, coop).await;
    fake.fail_transfers(1);
    let payout = failed_payout(&app, &admin).await;
    let cancel = format!("{FINANCES}/payouts/{}/cancel", payout.id);
    let cancelled = app.post_form(&admin, &cancel, &[]).await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    assert_eq!(
        owed(&app, AccountKind::CooperativeAvailable, coop).await,
        available
    );
    assert_eq!(owed(&app, AccountKind::PayoutInTransit, coop).await, 0);
    let retry = format!("{FINANCES}/payouts/{}/retry", payout.id);
    let again = app.post_form(&admin, &retry, &[]).await;
    assert_eq!(again.status, 409, "cancelled is final");
    assert!(again.has("ya no se puede cambiar"), "{}", again.body);
    let spei = paid_by_spei(&app, &admin, "SPEI 55").await;
    assert_eq!(spei.status, 303, "{}", spei.body);
    assert!(fake.transfers().is_empty(), "nothing went through Stripe");
    assert_eq!(owed(&app, AccountKind::CooperativeAvailable, coop).await, 0);
    assert_books_balance(&app).await;
}

async fn a_payout_whose_transfer_went_through_despite_a_timeout_is_found_paid_not_cancelled(
    backend: Backend,
) {
    let (app, fake, admin, coop) = connected_cooperative(backend).await;
    assert!(owed(&app, AccountKind::CooperativeAvailable, coop).await > 0);
    // Stripe makes the transfer, but its answer is lost (a timeout, a 503).
    fake.lose_transfer_answers(1);
    let payout = failed_payout(&app, &admin).await;
    assert_eq!(fake.transfers().len(), 1, "the money went all the same");

    let cancel = format!("{FINANCES}/payouts/{}/cancel", payout.id);
    let refused = app.post_form(&admin, &cancel, &[]).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.has("Stripe sí hizo"), "{}", refused.body);
    let payout = store::entity::payout::Entity::find_by_id(payout.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(payout.status, "paid", "Stripe's word settles it");
    assert_eq!(
        owed(&app, AccountKind::CooperativeAvailable, coop).await,
        0,
        "the money is not available to pay again by SPEI"
    );
    assert_eq!(owed(&app, AccountKind::PayoutInTransit, coop).await, 0);
    let spei = paid_by_spei(&app, &admin, "SPEI 56").await;
    assert_eq!(spei.status, 409, "nothing is left to pay: {}", spei.body);
    assert_eq!(fake.transfers().len(), 1);
    assert_books_balance(&app).await;
}

use sea_orm::EntityTrait;

on_both_backends!(
    nothing_is_transferred_before_onboarding_and_then_once_per_order,
    a_failed_transfer_waits_for_a_retry_that_sends_it_once,
    a_failed_payout_can_be_cancelled_and_paid_by_spei_instead,
    a_payout_whose_transfer_went_through_despite_a_timeout_is_found_paid_not_cancelled,
);
