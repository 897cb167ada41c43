//! Nothing is lost when the server dies mid-payment: the `tianguis` binary, on
//! Stripe's fake, makes an order's PaymentIntent and is killed (SIGKILL) before the
//! webhook can arrive; the payer pays meanwhile; the server starts again and its
//! reconciliation (run before the first request is served) settles the order. The
//! same holds when the crash came even earlier, between Stripe making the
//! PaymentIntent and our recording it: the idempotency key gets the same one back.
//! And a server killed during a checkout leaves no order without its email.

use crate::support;

use fake_stripe::FakeStripe;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use support::orders::{
    BUYER, MADE_TO_ORDER, RUG, craft_row, order, order_code_and_key, payment_of,
};
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

/// A server killed (SIGKILL) 0 to 40 ms (or 1 s) into a checkout leaves either no order or an
/// order with its "order received" email, whose link is a guest's only way back to
/// it: the email is queued in the order's transaction.
async fn a_server_killed_during_checkout_leaves_no_order_without_its_email(backend: Backend) {
    use store::entity::orders;
    let app = spawn_app(backend).await;
    let cooperative = craft_row(&app, MADE_TO_ORDER).await.0.cooperative_id;
    let delivery = format!("delivery_{cooperative}");
    let mut orders_made = 0;
    // Killed 0 to 40 ms in, and once a whole second in (an order is surely made).
    for round in 0..13u64 {
        let mut server = server_process(&app.database_url, &[]).await;
        let visitor = browser();
        let added = visitor
            .post(format!("{}/cart/items", server.address))
            .form(&[
                ("craft", MADE_TO_ORDER),
                ("quantity", "1"),
                ("from", "/crafts"),
            ])
            .send()
            .await
            .unwrap();
        assert!(added.status().is_redirection(), "{}", added.status());
        let email = format!("corte{round}@example.mx");
        let fields = vec![
            ("name".to_owned(), "Ana López".to_owned()),
            ("email".to_owned(), email.clone()),
            (delivery.clone(), "pickup".to_owned()),
        ];
        let checkout = visitor
            .post(format!("{}/checkout", server.address))
            .form(&fields)
            .send();
        let request = tokio::spawn(checkout);
        let delay = if round == 12 { 1000 } else { round * 40 / 11 };
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
        server.crash();
        let _ = request.await;
        let placed = orders::Entity::find()
            .filter(orders::Column::Email.eq(email.as_str()))
            .all(&app.db)
            .await
            .unwrap();
        let emails = support::bookings::emails_to(&app, &email).await;
        for order in &placed {
            orders_made += 1;
            assert!(
                emails.iter().any(|e| e.body.contains(&order.code)),
                "round {round}: order {} has no email: {emails:?}",
                order.code
            );
        }
    }
    println!("{orders_made} of 13 checkouts made their order before the kill");
    assert!(orders_made >= 1, "the test saw an order at all");
}

on_both_backends!(
    a_killed_server_settles_its_orders_when_it_starts_again,
    a_server_killed_during_checkout_leaves_no_order_without_its_email
);
