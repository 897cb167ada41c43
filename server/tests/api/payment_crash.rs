//! Nothing is lost when the server dies mid-payment: the `tianguis` binary, on
//! Stripe's fake, makes an order's PaymentIntent and is killed (SIGKILL) before the
//! webhook can arrive; the payer pays meanwhile; the server starts again and its
//! reconciliation (run before the first request is served) settles the order. The
//! same holds when the crash came even earlier, between Stripe making the
//! PaymentIntent and our recording it: the idempotency key gets the same one back.

use crate::support;

use fake_stripe::FakeStripe;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use support::orders::{BUYER, RUG, craft_row, order, order_code_and_key, payment_of};
use support::process::server_process;
use support::stripe::{SECRET_KEY, WEBHOOK_SECRET};
use support::{Backend, Page, browser, spawn_app};

fn stripe_env(fake: &FakeStripe) -> Vec<(&'static str, String)> {
    vec![
        ("STRIPE_SECRET_KEY", SECRET_KEY.to_owned()),
        ("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET.to_owned()),
        ("STRIPE_API_BASE", fake.url().to_owned()),
    ]
}

fn as_env<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Orders one rug from the server at `address`, collected at its cooperative.
async fn order_one_rug(address: &str, app: &support::TestApp) -> (String, String) {
    let visitor = browser();
    let post = |path: &str, fields: Vec<(String, String)>| {
        let visitor = visitor.clone();
        let url = format!("{address}{path}");
        async move { Page::read(visitor.post(url).form(&fields).send().await.unwrap()).await }
    };
    let added = post(
        "/cart/items",
        vec![
            ("craft".into(), RUG.into()),
            ("quantity".into(), "1".into()),
        ],
    )
    .await;
    assert_eq!(added.status, 303);
    let (rug, _) = craft_row(app, RUG).await;
    let mut fields: Vec<(String, String)> = BUYER
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    fields.push((format!("delivery_{}", rug.cooperative_id), "pickup".into()));
    let placed = post("/checkout", fields).await;
    order_code_and_key(&placed)
}

async fn a_killed_server_settles_its_orders_when_it_starts_again(backend: Backend) {
    // The database and demo data come from a test app; the server under test is the
    // binary, in its own process, so that it can be killed.
    let app = spawn_app(backend).await;
    let fake = FakeStripe::start(WEBHOOK_SECRET).await;
    let env = stripe_env(&fake);
    let mut server = server_process(&app.database_url, &as_env(&env)).await;
    fake.deliver_to(&format!("{}/webhooks/stripe", server.address));

    let (paid_while_down, _) = order_one_rug(&server.address, &app).await;
    let (recorded_late, _) = order_one_rug(&server.address, &app).await;
    let first = payment_of(&app, &paid_while_down)
        .await
        .provider_ref
        .unwrap();
    let second = payment_of(&app, &recorded_late).await.provider_ref.unwrap();

    server.crash();
    // As if the second crash had come between Stripe making its PaymentIntent and
    // our writing its id down: the row has no id yet.
    store::entity::payment::Entity::update_many()
        .col_expr(
            store::entity::payment::Column::ProviderRef,
            Expr::val(Option::<String>::None),
        )
        .col_expr(
            store::entity::payment::Column::Status,
            Expr::val("creating"),
        )
        .filter(store::entity::payment::Column::ProviderRef.eq(second.as_str()))
        .exec(&app.db)
        .await
        .unwrap();
    // Both payers pay while the server is down: the webhooks reach nobody.
    assert_eq!(fake.pay_by_card(&first, "pm_card_visa").await, 200);
    assert_eq!(fake.pay_by_card(&second, "pm_card_visa").await, 200);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        order(&app, &paid_while_down).await.status,
        "awaiting_payment"
    );

    let restarted = server_process(&app.database_url, &as_env(&env)).await;
    // Reconciliation ran before the first answer.
    assert_eq!(order(&app, &paid_while_down).await.status, "paid");
    assert_eq!(order(&app, &recorded_late).await.status, "paid");
    assert_eq!(
        payment_of(&app, &recorded_late)
            .await
            .provider_ref
            .as_deref(),
        Some(second.as_str()),
        "the same idempotency key got the same PaymentIntent back"
    );
    assert_eq!(fake.intents().len(), 2, "nothing was charged twice");
    drop(restarted);
}

on_both_backends!(a_killed_server_settles_its_orders_when_it_starts_again);
