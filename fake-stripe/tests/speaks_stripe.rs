//! The fake answers as Stripe does, in the shapes async-stripe parses: each answer is
//! read back here with the same (miniserde) parser the real client uses, over HTTP.

use fake_stripe::FakeStripe;
use stripe_shared::{Account, PaymentIntent, Transfer};

async fn post(fake: &FakeStripe, path: &str, key: &str, form: &[(&str, &str)]) -> (u16, String) {
    let res = reqwest::Client::new()
        .post(format!("{}v1{path}", fake.url()))
        .header("idempotency-key", key)
        .form(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn parse<T: miniserde::Deserialize>(body: &str) -> T {
    miniserde::json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn connect_accounts_take_transfers_of_at_most_what_their_group_was_charged() {
    let fake = FakeStripe::start("whsec_test").await;
    let (status, body) = post(
        &fake,
        "/accounts",
        "acct-1",
        &[
            ("type", "express"),
            ("country", "MX"),
            ("email", "coop@example.mx"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let account: Account = parse(&body);
    assert_eq!(account.email.as_deref(), Some("coop@example.mx"));

    let (_, body) = post(
        &fake,
        "/payment_intents",
        "pi-1",
        &[
            ("amount", "100000"),
            ("currency", "mxn"),
            ("transfer_group", "7K4M-P2QX"),
        ],
    )
    .await;
    let intent: PaymentIntent = parse(&body);
    assert_eq!(
        fake.pay_by_card(intent.id.as_str(), "pm_card_visa").await,
        200
    );

    let send = |key: &'static str, amount: &'static str| {
        let fake = fake.clone();
        let account = account.id.to_string();
        async move {
            post(
                &fake,
                "/transfers",
                key,
                &[
                    ("amount", amount),
                    ("currency", "mxn"),
                    ("destination", &account),
                    ("transfer_group", "7K4M-P2QX"),
                ],
            )
            .await
        }
    };
    let (status, body) = send("tr-1", "60000").await;
    assert_eq!(status, 200, "{body}");
    let transfer: Transfer = parse(&body);
    assert_eq!(transfer.transfer_group.as_deref(), Some("7K4M-P2QX"));
    let (again, _) = send("tr-1", "60000").await;
    assert_eq!(again, 200, "the same key answers the same");
    assert_eq!(fake.transfers().len(), 1, "and does nothing again");
    let (too_much, body) = send("tr-2", "50000").await;
    assert_eq!(too_much, 400, "only 40,000 are left: {body}");
    assert!(body.contains("balance_insufficient"));
    let (status, _) = send("tr-3", "40000").await;
    assert_eq!(status, 200);
}
