//! `tianguis seed --demo` also gives the demo site a past, so that its finances and
//! fund pages have something to show: orders paid over the last months (and one over
//! a year ago) through the simulated provider, collected at their cooperatives, two
//! payouts, a payment to an artisan, and the Teotitlán fund's proposals — one voted,
//! approved and spent, one turned down, one still open to votes.
//!
//! Everything goes through the store's own operations, dated in the past, so the
//! ledger holds exactly the entries the real flows write. Tests seed the catalog
//! without this history (their amounts stay their own); `demo_history` runs it.

// Amounts are written pesos_centavos (`3_500_00` is $3,500.00).
#![allow(clippy::inconsistent_digit_grouping)]

use super::SeedError;
use chrono::{Duration, NaiveDateTime};
use domain::Money;
use domain::clock::SiteTime;
use domain::commerce::checkout_form::Checkout;
use domain::commerce::order::{Delivery, OrderCode, PartAction};
use domain::money::fund::NewProposal;
use domain::money::payout::PayoutMethod;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use store::entity::{account, community, cooperative, listing, order_part, producer};

/// What the history added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct History {
    pub orders: usize,
    pub payouts: usize,
    pub proposals: usize,
}

pub(super) fn bad(e: impl std::fmt::Display) -> SeedError {
    SeedError::Invalid(format!("demo history: {e}"))
}

/// Demo craft `slug`'s listing id. The history buys made-to-order crafts and ones
/// with much stock, none that the tests buy, so that what visitors find (and the
/// tests expect) in stock stays as the catalog says.
async fn craft(db: &DatabaseConnection, slug: &str) -> Result<i32, SeedError> {
    store::commerce::carts::craft_id(db, slug)
        .await
        .map_err(bad)?
        .ok_or_else(|| bad(format!("no craft {slug}")))
}

async fn cooperative_id(db: &DatabaseConnection, slug: &str) -> Result<i32, SeedError> {
    Ok(cooperative::Entity::find()
        .filter(cooperative::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or_else(|| bad(format!("no cooperative {slug}")))?
        .id)
}

async fn account_id(db: &DatabaseConnection, email: &str) -> Result<i32, SeedError> {
    Ok(account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(db)
        .await?
        .ok_or_else(|| bad(format!("no account {email}")))?
        .id)
}

type PastOrder<'a> = ((&'a str, &'a str), Vec<(i32, u32)>, i64, Option<i64>);

/// One past order: `crafts` (listing id, quantity) collected at their cooperatives,
/// paid by the simulated card at `at` and handed over `collected_after` later (or
/// not yet). Its id; its cart is named by `n`, unique among the past orders.
pub(super) async fn past_order(
    db: &DatabaseConnection,
    payments: &payments::Payments,
    buyer: (&str, &str),
    crafts: &[(i32, u32)],
    at: NaiveDateTime,
    collected_after: Option<Duration>,
    n: usize,
) -> Result<i32, SeedError> {
    let cart = store::commerce::carts::open(
        db,
        &format!("demo-history-{n}"),
        None,
        SiteTime::from_naive(at),
    )
    .await
    .map_err(bad)?;
    let mut coops = Vec::new();
    for &(id, quantity) in crafts {
        store::commerce::carts::add_craft(db, cart, id, quantity, SiteTime::from_naive(at))
            .await
            .map_err(bad)?;
        let l = listing::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| bad("craft gone"))?;
        coops.push(l.cooperative_id);
    }
    let checkout = Checkout {
        name: domain::PersonName::parse(buyer.0).map_err(bad)?,
        email: domain::Email::parse(buyer.1).map_err(bad)?,
        phone: None,
        deliveries: coops.iter().map(|c| (*c, Delivery::Pickup)).collect(),
        address: None,
    };
    let code = OrderCode::from_random(auth::token::random_bytes());
    let placed = store::commerce::checkout::place(
        db,
        store::commerce::checkout::NewOrder {
            cart_id: cart,
            checkout: &checkout,
            account_id: None,
            lang: domain::Lang::Es,
            code,
            link_key_hash: auth::token::new_token().1,
            provider: "simulated",
            pay_within: Duration::minutes(30),
            received: &|_| None,
        },
        SiteTime::from_naive(at),
    )
    .await
    .map_err(bad)?;
    payments
        .simulate(
            placed.payment_id,
            payments::simulated::Choice::CardSucceeds,
            &|_, _| Vec::new(),
            SiteTime::from_naive(at + Duration::minutes(3)),
        )
        .await
        .map_err(bad)?;
    let Some(after) = collected_after else {
        return Ok(placed.order_id);
    };
    let parts = order_part::Entity::find()
        .filter(order_part::Column::OrderId.eq(placed.order_id))
        .all(db)
        .await?;
    for part in parts {
        for (action, when) in [
            (PartAction::ReadyForPickup, at + after / 2),
            (PartAction::Deliver, at + after),
        ] {
            store::commerce::orders::fulfil(
                db,
                part.id,
                action,
                None,
                None,
                None,
                SiteTime::from_naive(when),
            )
            .await
            .map_err(bad)?;
        }
    }
    Ok(placed.order_id)
}

/// Adds the demo site's past (see the module's notes), as if it had happened
/// before `now`.
pub async fn seed_history(
    db: &DatabaseConnection,
    now: NaiveDateTime,
) -> Result<History, SeedError> {
    let provider =
        payments::Provider::Simulated(payments::simulated::Simulated::new(db.clone(), 3));
    let payments = payments::Payments::new(provider, db.clone(), 3);
    let days = Duration::days;
    // Tejedoras del Picacho's large rug is made to order: it is never out of stock.
    let big_rug = craft(db, "tapete-ojo-de-dios-gran-formato").await?;
    let grana = craft(db, "tapete-rayas-pericon-y-nogal").await?;
    let barro = craft(db, "silbato-tecolote-barro-negro").await?;
    // (buyer, crafts and quantities, days ago, collected so many days later).
    let orders: [PastOrder; 6] = [
        (
            ("Hannah Weber", "hannah@example.de"),
            vec![(big_rug, 1)],
            400,
            Some(6),
        ),
        (
            ("Ana López", "ana@example.mx"),
            vec![(big_rug, 1), (grana, 1)],
            120,
            Some(8),
        ),
        (
            ("Jorge Ramírez", "jorge@example.mx"),
            vec![(big_rug, 1), (barro, 2)],
            62,
            Some(4),
        ),
        (
            ("Emily Carter", "emily@example.com"),
            vec![(barro, 1), (grana, 1)],
            35,
            Some(3),
        ),
        (
            ("Sofía Hernández", "sofia@example.mx"),
            vec![(big_rug, 1)],
            20,
            Some(2),
        ),
        (
            ("Luis Pérez", "luis@example.mx"),
            vec![(big_rug, 1)],
            4,
            None,
        ),
    ];
    for (n, (buyer, crafts, ago, collected)) in orders.iter().enumerate() {
        past_order(
            db,
            &payments,
            *buyer,
            crafts,
            now - days(*ago),
            collected.map(days),
            n,
        )
        .await?;
    }

    let admin = account_id(db, "coop@tianguis.demo").await?;
    let admin2 = account_id(db, "coop2@tianguis.demo").await?;
    let manual = |method, reference: &str, ago: i64, actor| store::money::payouts::Manual {
        method,
        reference: reference.to_owned(),
        paid_on: (now - days(ago)).date(),
        actor: Some(actor),
    };
    let picacho_id = cooperative_id(db, "tejedoras-del-picacho").await?;
    let grana_id = cooperative_id(db, "telar-de-grana").await?;
    store::money::payouts::record_manual(
        db,
        picacho_id,
        &manual(PayoutMethod::Spei, "SPEI 7401 2210 0094", 50, admin),
        SiteTime::from_naive(now - days(50)),
    )
    .await
    .map_err(bad)?;
    store::money::payouts::record_manual(
        db,
        grana_id,
        &manual(PayoutMethod::Cash, "Recibo 0031", 100, admin2),
        SiteTime::from_naive(now - days(100)),
    )
    .await
    .map_err(bad)?;
    let rosario = producer::Entity::find()
        .filter(producer::Column::Slug.eq("rosario-bautista-ruiz"))
        .one(db)
        .await?
        .ok_or_else(|| bad("no Rosario"))?;
    let held = store::money::payouts::held_for(db, rosario.id)
        .await
        .map_err(bad)?;
    if held.centavos() > 0 {
        store::money::payouts::pay_member(
            db,
            picacho_id,
            rosario.id,
            Money::mxn(held.centavos() / 2),
            &manual(PayoutMethod::Cash, "Recibo 0112", 45, admin),
            SiteTime::from_naive(now - days(45)),
        )
        .await
        .map_err(bad)?;
    }

    let proposals = fund_history(db, now).await?;
    Ok(History {
        orders: orders.len(),
        payouts: 2,
        proposals,
    })
}

/// The Teotitlán fund's proposals: the school's dyes (approved and spent), a party
/// (turned down) and the community hall's roof (open to votes).
async fn fund_history(db: &DatabaseConnection, now: NaiveDateTime) -> Result<usize, SeedError> {
    let days = Duration::days;
    let place = community::Entity::find()
        .filter(community::Column::Slug.eq("teotitlan-del-valle"))
        .one(db)
        .await?
        .ok_or_else(|| bad("no Teotitlán"))?;
    let mut voters = Vec::new();
    for email in [
        "coop@tianguis.demo",
        "artesana@tianguis.demo",
        "productor@tianguis.demo",
        "guia@tianguis.demo",
        "coop2@tianguis.demo",
    ] {
        voters.push(account_id(db, email).await?);
    }
    let fund = {
        let account = domain::money::ledger::Account::of(
            domain::money::ledger::AccountKind::FundAvailable,
            place.id,
        );
        Money::mxn(
            account.owed(
                store::money::ledger::balance(db, account)
                    .await
                    .map_err(bad)?,
            ),
        )
    };
    // The dyes ask for less than the fund holds, so that they are approved.
    let dyes = Money::mxn((fund.centavos() * 6 / 10).max(1_00));
    let proposals = [
        (
            "Tintes naturales para el taller de la escuela",
            "Natural dyes for the school's workshop",
            "Grana cochinilla, añil y pericón para que las niñas y niños de la primaria aprendan a teñir lana.",
            "Cochineal, indigo and marigold so that the primary school's children learn to dye wool.",
            dyes,
            40,
            [true, true, true, true, false],
        ),
        (
            "Fiesta de fin de año de las cooperativas",
            "The cooperatives' end-of-year party",
            "Comida y música para las familias de las dos cooperativas.",
            "Food and music for the families of both cooperatives.",
            Money::mxn(dyes.centavos()),
            40,
            [false, false, true, false, false],
        ),
        (
            "Techo del salón comunitario",
            "The community hall's roof",
            "Láminas nuevas para el salón donde se reúnen las cooperativas y se hacen las asambleas.",
            "New sheets for the hall where the cooperatives meet and the assemblies are held.",
            Money::mxn(3_500_00),
            3,
            [true, true, false, true, true],
        ),
    ];
    for (i, (title_es, title_en, desc_es, desc_en, amount, ago, votes)) in
        proposals.iter().enumerate()
    {
        let opened = now - days(*ago);
        let new = NewProposal {
            title_es: (*title_es).to_owned(),
            title_en: (*title_en).to_owned(),
            description_es: (*desc_es).to_owned(),
            description_en: (*desc_en).to_owned(),
            amount: *amount,
            voting_opens: opened,
            voting_closes: opened + days(14),
        };
        let by = voters[i % voters.len()];
        let id = store::money::fund::propose(db, place.id, by, &new, SiteTime::from_naive(opened))
            .await
            .map_err(bad)?;
        // The open proposal has only some of its votes yet.
        let cast = if i == 2 { 3 } else { votes.len() };
        for (voter, yes) in voters.iter().zip(votes).take(cast) {
            store::money::fund::vote(db, id, *voter, *yes, SiteTime::from_naive(opened + days(1)))
                .await
                .map_err(bad)?;
        }
    }
    store::money::fund::count_due(db, SiteTime::from_naive(now - days(25)))
        .await
        .map_err(bad)?;
    let approved = store::entity::fund_proposal::Entity::find()
        .filter(store::entity::fund_proposal::Column::CommunityId.eq(place.id))
        .filter(store::entity::fund_proposal::Column::Status.eq("approved"))
        .one(db)
        .await?;
    if let Some(p) = approved {
        let treasurer = store::people::access::viewer(db, voters[0])
            .await
            .map_err(bad)?
            .ok_or_else(|| bad("no treasurer"))?
            .0;
        let spending = store::money::fund::Spending {
            amount: Money::mxn(p.amount_centavos),
            note: "Tintes de la Casa de los Tintes, factura A-2231".to_owned(),
            receipt_photo: None,
            spent_on: (now - days(20)).date(),
        };
        store::money::fund::spend(
            db,
            p.id,
            &spending,
            &treasurer,
            SiteTime::from_naive(now - days(20)),
        )
        .await
        .map_err(bad)?;
    }
    Ok(proposals.len())
}
