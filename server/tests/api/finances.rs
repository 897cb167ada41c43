//! A cooperative's finances page, over HTTP on both databases: its admin sees an
//! artisan's share pending until the rug is delivered and then available, records
//! the SPEI payout and the payment to the artisan, downloads a statement whose rows
//! balance, and sets a new split rule; mistakes come back next to their fields; and
//! nobody else sees any of it.

// Amounts are written pesos_centavos (`100_00` is $100.00).
#![allow(clippy::inconsistent_digit_grouping)]

use crate::support;
use domain::clock::SiteTime;

use domain::money::Money;
use domain::money::ledger::{Account, AccountKind};
use support::orders::{RUG, craft_row, parts, rug_shipped_and_paid};
use support::{Backend, TestApp, browser, spawn_app};

const COOP_ADMIN: &str = "coop@tianguis.demo";
const FINANCES: &str = "/coop/tejedoras-del-picacho/finances";

/// A rug bought, shipped and paid by card: its part's id.
async fn a_rug_sold(app: &TestApp) -> i32 {
    let code = rug_shipped_and_paid(app).await;
    parts(app, &code).await[0].id
}

async fn deliver(app: &TestApp, admin: &reqwest::Client, part: i32) {
    let fulfil = format!("/dashboard/orders/parts/{part}/fulfil");
    let shipped = app
        .post_form(
            admin,
            &fulfil,
            &[
                ("action", "ship"),
                ("carrier", "Estafeta"),
                ("tracking", "EST9"),
            ],
        )
        .await;
    assert_eq!(shipped.status, 303, "{}", shipped.body);
    let delivered = app
        .post_form(admin, &fulfil, &[("action", "deliver")])
        .await;
    assert_eq!(delivered.status, 303, "{}", delivered.body);
}

async fn artisan(app: &TestApp) -> (i32, String) {
    let (listing, _) = craft_row(app, RUG).await;
    let id = listing.producer_id.expect("the rug has its artisan");
    let name = store::entity::producer::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .name;
    (id, name)
}

async fn owed(app: &TestApp, kind: AccountKind, owner: i32) -> Money {
    let account = Account::of(kind, owner);
    Money::mxn(
        account.owed(
            store::money::ledger::balance(&app.db, account)
                .await
                .unwrap(),
        ),
    )
}

/// The cells of one CSV row (quotes undone).
fn cells(row: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().unwrap().push(c),
        }
    }
    out
}

fn centavos(cell: &str) -> i64 {
    if cell.is_empty() {
        return 0;
    }
    let (pesos, cents) = cell.split_once('.').expect("two decimals");
    pesos.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

async fn the_admin_sees_the_share_become_available_pays_out_and_downloads_the_statement(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let part = a_rug_sold(&app).await;
    let (producer, name) = artisan(&app).await;
    let admin = app.signed_in(COOP_ADMIN).await;
    let share = owed(&app, AccountKind::ProducerPending, producer).await;
    assert!(share.centavos() > 0);

    let page = app
        .get_with(&admin, FINANCES, &[("accept-language", "es")])
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has(&name), "the artisan is listed");
    assert!(page.has(&share.to_string()), "her share, pending");
    assert!(!page.has("action=\"/coop/tejedoras-del-picacho/finances/payouts\""));

    deliver(&app, &admin, part).await;
    assert_eq!(
        owed(&app, AccountKind::ProducerAvailable, producer).await,
        share
    );
    let page = app
        .get_with(&admin, FINANCES, &[("accept-language", "es")])
        .await;
    assert!(
        page.has("action=\"/coop/tejedoras-del-picacho/finances/payouts\""),
        "now it can be paid"
    );

    let payout = app
        .post_form(
            &admin,
            "/coop/tejedoras-del-picacho/finances/payouts",
            &[
                ("payout_method", "spei"),
                ("payout_reference", "SPEI 7781"),
                ("payout_paid_on", &app.now.date().to_string()),
            ],
        )
        .await;
    assert_eq!(payout.status, 303, "{}", payout.body);
    assert_eq!(
        owed(&app, AccountKind::ProducerAvailable, producer).await,
        Money::mxn(0)
    );
    assert_eq!(
        owed(&app, AccountKind::ProducerAtCooperative, producer).await,
        share
    );
    let page = app
        .get_with(
            &admin,
            &format!("{FINANCES}?done=payout"),
            &[("accept-language", "es")],
        )
        .await;
    assert!(page.has("Pago registrado"), "{}", page.body);
    assert!(
        page.has("SPEI 7781"),
        "the payout is listed with its reference"
    );

    let paid = app
        .post_form(
            &admin,
            "/coop/tejedoras-del-picacho/finances/member-payments",
            &[
                ("member", &producer.to_string()),
                ("member_amount", "500"),
                ("member_method", "cash"),
                ("member_reference", "recibo 12"),
                ("member_paid_on", &app.now.date().to_string()),
            ],
        )
        .await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    assert_eq!(
        owed(&app, AccountKind::ProducerAtCooperative, producer).await,
        Money::mxn(share.centavos() - 500_00)
    );

    // The rug's weaver (Juana, whose listings the demo helper keeps for her) sees what
    // she earned and received, line by line.
    let artisan = app.signed_in("ayudante@tianguis.demo").await;
    let earnings = app
        .get_with(
            &artisan,
            "/dashboard/earnings",
            &[("accept-language", "es")],
        )
        .await;
    assert_eq!(earnings.status, 200, "{}", earnings.body);
    assert!(earnings.has("Mis ganancias"));
    assert!(earnings.has(&format!("id=\"earnings-{producer}\"")));
    assert!(earnings.has("recibo 12"), "the payment she received");
    assert!(earnings.has("$500.00 MXN"));
    assert!(
        earnings.has(&Money::mxn(share.centavos() - 500_00).to_string()),
        "what the cooperative still holds for her"
    );
    let csv = app
        .get_with(
            &admin,
            "/coop/tejedoras-del-picacho/finances/statement.csv",
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
        "{:?}",
        csv.headers
    );
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let body = csv
        .body
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark, so Excel reads the names' accents");
    let rows: Vec<Vec<String>> = body.lines().map(cells).collect();
    assert_eq!(rows[0][0], "date");
    let kinds: std::collections::BTreeSet<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
    for kind in [
        "Sale",
        "Released",
        "Payout started",
        "Payout to the cooperative",
        "Payment to a member",
    ] {
        assert!(kinds.contains(kind), "{kind} in {kinds:?}");
    }
    let debits: i64 = rows[1..].iter().map(|r| centavos(&r[6])).sum();
    let credits: i64 = rows[1..].iter().map(|r| centavos(&r[7])).sum();
    assert_eq!(debits, credits, "the statement's rows balance");
    assert!(
        rows.iter()
            .any(|r| r[5] == name && r[9].contains("recibo 12"))
    );

    let only_payouts = app
        .get_with(
            &admin,
            "/coop/tejedoras-del-picacho/finances/statement.csv?kind=payout",
            &[],
        )
        .await;
    let rows: Vec<Vec<String>> = only_payouts.body.lines().skip(1).map(cells).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r[2] == "Pago a la cooperativa"),
        "{rows:?}"
    );

    let mine = app
        .get_with(
            &admin,
            &format!("{FINANCES}?producer={producer}&kind=member_payment"),
            &[("accept-language", "en")],
        )
        .await;
    assert!(mine.has("recibo 12"));
    assert!(mine.has("Download the statement"));
    assert!(mine.has(&format!(
        "statement.csv?kind=member_payment&amp;producer={producer}"
    )));
}

async fn mistakes_in_the_forms_are_shown_next_to_their_fields(backend: Backend) {
    let app = spawn_app(backend).await;
    let part = a_rug_sold(&app).await;
    let admin = app.signed_in(COOP_ADMIN).await;
    let payouts = "/coop/tejedoras-del-picacho/finances/payouts";
    let early = app
        .post_form(
            &admin,
            payouts,
            &[
                ("payout_method", "cash"),
                ("payout_reference", "recibo 1"),
                ("payout_paid_on", &app.now.date().to_string()),
            ],
        )
        .await;
    assert_eq!(early.status, 409, "{}", early.body);
    assert!(early.has("No hay nada disponible"), "{}", early.body);

    deliver(&app, &admin, part).await;
    let tomorrow = app.now.date().succ_opt().unwrap().to_string();
    let wrong = app
        .post_form(
            &admin,
            payouts,
            &[
                ("payout_method", "bitcoin"),
                ("payout_reference", " "),
                ("payout_paid_on", &tomorrow),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.has("Elige efectivo o transferencia SPEI."));
    assert!(wrong.has("Este dato hace falta."));
    assert!(wrong.has("Esa fecha todavía no llega."));
    assert!(
        wrong.has(&format!("value=\"{tomorrow}\"")),
        "what was typed stays"
    );

    let (producer, _) = artisan(&app).await;
    let member = app
        .post_form(
            &admin,
            "/coop/tejedoras-del-picacho/finances/member-payments",
            &[
                ("member", &producer.to_string()),
                ("member_amount", "1"),
                ("member_method", "cash"),
                ("member_reference", "recibo 2"),
                ("member_paid_on", &app.now.date().to_string()),
            ],
        )
        .await;
    assert_eq!(
        member.status, 422,
        "nothing was paid out to the cooperative yet"
    );
    assert!(member.has("guarda $0.00 MXN"), "{}", member.body);
    let stranger = app
        .post_form(
            &admin,
            "/coop/tejedoras-del-picacho/finances/member-payments",
            &[
                ("member", "999999"),
                ("member_amount", "dos"),
                ("member_method", "cash"),
                ("member_reference", "recibo 3"),
                ("member_paid_on", &app.now.date().to_string()),
            ],
        )
        .await;
    assert_eq!(stranger.status, 422);
    assert!(stranger.has("Escribe una cantidad en pesos"));

    let rule = app
        .post_form(
            &admin,
            "/coop/tejedoras-del-picacho/finances/split-rule",
            &[
                ("producer_share", "80"),
                ("cooperative_share", "5"),
                ("fund_share", "5"),
                ("advance_share", "0"),
                ("fees_carried_by", "platform"),
                ("release_days", "14"),
            ],
        )
        .await;
    assert_eq!(rule.status, 422);
    assert!(
        rule.has("Las partes suman 90 %; deben sumar 95 %"),
        "{}",
        rule.body
    );

    let filter = app
        .get_with(
            &admin,
            &format!("{FINANCES}?from=ayer"),
            &[("accept-language", "es")],
        )
        .await;
    assert_eq!(filter.status, 200);
    assert!(filter.has("AAAA-MM-DD"));
    let csv = app
        .get_with(
            &admin,
            "/coop/tejedoras-del-picacho/finances/statement.csv?to=pronto",
            &[],
        )
        .await;
    assert_eq!(csv.status, 400);
    assert!(csv.has("AAAA-MM-DD"));
}

async fn a_new_split_rule_applies_to_sales_paid_after_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.signed_in(COOP_ADMIN).await;
    let before = a_rug_sold(&app).await;
    let set = app
        .post_form(
            &admin,
            "/coop/tejedoras-del-picacho/finances/split-rule",
            &[
                ("producer_share", "85"),
                ("cooperative_share", "7.5"),
                ("fund_share", "2.5"),
                ("advance_share", "50"),
                ("fees_carried_by", "platform"),
                ("release_days", "10"),
            ],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    let coop = craft_row(&app, RUG).await.0.cooperative_id;
    let rule =
        store::money::split_rules::in_force(&app.db, coop, SiteTime::from_naive(app.now.naive()))
            .await
            .unwrap();
    assert_eq!(rule.version, 2);
    assert_eq!(rule.rule.producer_points, 8_500);
    assert_eq!(rule.release_days_after_shipping, 10);
    let page = app
        .get_with(&admin, FINANCES, &[("accept-language", "en")])
        .await;
    assert!(page.has("85 % / 7.5 % / 2.5 % / 5 %"), "{}", page.body);
    assert!(
        page.has("80 % / 10 % / 5 % / 5 %"),
        "the first version stays listed"
    );

    let after = a_rug_sold(&app).await;
    let version_of = |part: i32| {
        let db = app.db.clone();
        async move {
            store::entity::order_part::Entity::find_by_id(part)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .split_rule_id
        }
    };
    assert_ne!(version_of(before).await, version_of(after).await);
    assert_eq!(version_of(after).await, Some(rule.id));
}

async fn only_the_cooperatives_admin_downloads_its_statement(backend: Backend) {
    let app = spawn_app(backend).await;
    let csv = "/coop/tejedoras-del-picacho/finances/statement.csv";
    let anonymous = app.get_with(&browser(), csv, &[]).await;
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous.headers["location"]
            .to_str()
            .unwrap()
            .starts_with("/sign-in?next=")
    );
    for email in [
        "coop2@tianguis.demo",
        "visita@tianguis.demo",
        "artesana@tianguis.demo",
    ] {
        let other = app.signed_in(email).await;
        let page = app.get_with(&other, csv, &[]).await;
        assert_eq!(page.status, 403, "{email}");
        let finances = app.get_with(&other, FINANCES, &[]).await;
        assert_eq!(finances.status, 403, "{email}");
        if email != "artesana@tianguis.demo" {
            let earnings = app.get_with(&other, "/dashboard/earnings", &[]).await;
            assert_eq!(earnings.status, 403, "{email} has no earnings");
        }
    }
}

use sea_orm::EntityTrait;

on_both_backends!(
    the_admin_sees_the_share_become_available_pays_out_and_downloads_the_statement,
    mistakes_in_the_forms_are_shown_next_to_their_fields,
    a_new_split_rule_applies_to_sales_paid_after_it,
    only_the_cooperatives_admin_downloads_its_statement,
);
