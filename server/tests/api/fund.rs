//! A community fund's participatory budget, over HTTP on both databases: members of
//! the community's cooperatives propose projects and vote (a second vote replaces
//! the first, and none is taken once the vote closes); the count approves the
//! winners in vote order within what the fund has; an admin records spending with
//! its receipt photo; and the fund's balance, votes and spending are public.

// Amounts are written pesos_centavos (`100_00` is $100.00).
#![allow(clippy::inconsistent_digit_grouping)]

use crate::support;
use domain::clock::SiteTime;

use chrono::Duration;
use domain::money::Money;
use domain::money::finances::plain_amount;
use domain::money::fund::ProposalStatus;
use domain::money::ledger::{Account, AccountKind};
use support::orders::{parts, rug_shipped_and_paid};
use support::{Backend, Page, TestApp, browser, spawn_app};

const COMMUNITY: &str = "teotitlan-del-valle";
const FUND: &str = "/communities/teotitlan-del-valle/fund";
/// Members of the community's two cooperatives (Tejedoras del Picacho, Telar de Grana).
const MEMBERS: [&str; 5] = [
    "coop@tianguis.demo",
    "artesana@tianguis.demo",
    "productor@tianguis.demo",
    "guia@tianguis.demo",
    "coop2@tianguis.demo",
];

/// A rug sold and delivered: the fund's share is available. The fund's balance.
async fn fund_with_a_delivered_rug(app: &TestApp) -> Money {
    let code = rug_shipped_and_paid(app).await;
    let part = parts(app, &code).await[0].id;
    let admin = app.signed_in("coop@tianguis.demo").await;
    let fulfil = format!("/dashboard/orders/parts/{part}/fulfil");
    let shipped = [("action", "ship"), ("carrier", "DHL"), ("tracking", "D7")];
    assert_eq!(app.post_form(&admin, &fulfil, &shipped).await.status, 303);
    let delivered = app
        .post_form(&admin, &fulfil, &[("action", "deliver")])
        .await;
    assert_eq!(delivered.status, 303, "{}", delivered.body);
    let balance = available(app).await;
    assert!(balance.centavos() > 0, "the fund's share of the rug");
    balance
}

async fn community_id(app: &TestApp) -> i32 {
    store::money::fund::community_id(&app.db, COMMUNITY)
        .await
        .unwrap()
        .unwrap()
}

async fn available(app: &TestApp) -> Money {
    let account = Account::of(AccountKind::FundAvailable, community_id(app).await);
    Money::mxn(
        account.owed(
            store::money::ledger::balance(&app.db, account)
                .await
                .unwrap(),
        ),
    )
}

/// `by` proposes `title` for `amount`: the proposal's id.
async fn propose(app: &TestApp, by: &reqwest::Client, title: &str, amount: Money) -> i32 {
    let amount = plain_amount(amount.centavos());
    let page = app
        .post_form(
            by,
            &format!("{FUND}/proposals"),
            &[
                ("title_es", title),
                ("title_en", title),
                ("description_es", "Para el taller de la comunidad."),
                ("description_en", "For the community's workshop."),
                ("amount", &amount),
                ("days", "7"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let location = page.headers["location"].to_str().unwrap();
    location
        .rsplit("#proposal-")
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn vote(app: &TestApp, by: &reqwest::Client, proposal: i32, how: &str) -> Page {
    app.post_form(
        by,
        &format!("{FUND}/proposals/{proposal}/vote"),
        &[("vote", how)],
    )
    .await
}

async fn status_of(app: &TestApp, proposal: i32) -> ProposalStatus {
    let row = store::money::fund::proposal(&app.db, proposal)
        .await
        .unwrap()
        .unwrap();
    ProposalStatus::parse(&row.status).unwrap()
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(900, 1200, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn spend(
    app: &TestApp,
    by: &reqwest::Client,
    proposal: i32,
    amount: &str,
    photo: Option<Vec<u8>>,
) -> Page {
    let mut form = reqwest::multipart::Form::new()
        .text("proposal", proposal.to_string())
        .text("spend_amount", amount.to_owned())
        .text("spend_note", "Láminas y tornillos, Ferretería Zapoteca")
        .text("spend_on", app.now.date().to_string());
    if let Some(bytes) = photo {
        form = form.part(
            "photo",
            reqwest::multipart::Part::bytes(bytes).file_name("recibo.png"),
        );
    }
    let res = by
        .post(app.url(&format!("{FUND}/proposals/{proposal}/spending")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    Page::read(res).await
}

async fn members_vote_and_the_count_approves_the_winners_within_the_balance(backend: Backend) {
    let app = spawn_app(backend).await;
    let balance = fund_with_a_delivered_rug(&app).await;
    let voters: Vec<reqwest::Client> = {
        let mut v = Vec::new();
        for email in MEMBERS {
            v.push(app.signed_in(email).await);
        }
        v
    };
    let part = |n: i64| Money::mxn(balance.centavos() * n / 10);
    let roof = propose(&app, &voters[1], "Techo del taller", part(6)).await;
    let looms = propose(&app, &voters[2], "Telares nuevos", part(6)).await;
    let paint = propose(&app, &voters[3], "Pintura del mural", part(1)).await;
    let party = propose(&app, &voters[4], "Fiesta", part(1)).await;

    // The roof: four for. The looms: three for (fewer votes, and too large once the
    // roof is approved). The paint: two for, one against. The party: more against.
    for v in &voters[..4] {
        assert_eq!(vote(&app, v, roof, "for").await.status, 303);
    }
    for v in &voters[..3] {
        assert_eq!(vote(&app, v, looms, "for").await.status, 303);
    }
    vote(&app, &voters[0], paint, "for").await;
    vote(&app, &voters[1], paint, "for").await;
    vote(&app, &voters[2], paint, "against").await;
    vote(&app, &voters[0], party, "for").await;
    vote(&app, &voters[1], party, "against").await;
    // A change of mind: the guide votes for the party, then against it.
    vote(&app, &voters[3], party, "for").await;
    vote(&app, &voters[3], party, "against").await;

    let page = app
        .get_with(&voters[3], FUND, &[("accept-language", "en")])
        .await;
    assert_eq!(page.status, 200);
    assert!(page.has("4 for, 0 against"), "{}", page.body);
    assert!(page.has("1 for, 2 against"), "the changed vote counts once");
    assert!(page.has("Your vote: Against"));

    let visitor = app.signed_in("visita@tianguis.demo").await;
    assert_eq!(
        vote(&app, &visitor, roof, "for").await.status,
        403,
        "not a member"
    );
    let helper = app.signed_in("ayudante@tianguis.demo").await;
    assert_eq!(
        vote(&app, &helper, roof, "for").await.status,
        403,
        "a helper is not a member"
    );
    let anonymous = vote(&app, &browser(), roof, "for").await;
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous.headers["location"]
            .to_str()
            .unwrap()
            .starts_with("/sign-in")
    );

    let account = store::entity::account::Entity::find()
        .filter(store::entity::account::Column::Email.eq("artesana@tianguis.demo"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store::money::fund::count_due(&app.db, SiteTime::from_naive(app.now.naive()))
            .await
            .unwrap(),
        0,
        "nothing is counted while the votes are open"
    );
    let closed = app.now + Duration::days(8);
    let late = store::money::fund::vote(
        &app.db,
        looms,
        account.id,
        true,
        SiteTime::from_naive(closed.naive()),
    )
    .await;
    assert!(matches!(
        late,
        Err(store::money::fund::FundError::VoteClosed)
    ));
    assert_eq!(
        store::money::fund::count_due(&app.db, SiteTime::from_naive(closed.naive()))
            .await
            .unwrap(),
        4
    );
    assert_eq!(status_of(&app, roof).await, ProposalStatus::Approved);
    assert_eq!(
        status_of(&app, looms).await,
        ProposalStatus::NotApproved,
        "won, but the roof took the money"
    );
    assert_eq!(status_of(&app, paint).await, ProposalStatus::Approved);
    assert_eq!(status_of(&app, party).await, ProposalStatus::NotApproved);
    assert_eq!(
        store::money::fund::count_due(&app.db, SiteTime::from_naive(closed.naive()))
            .await
            .unwrap(),
        0,
        "counted once"
    );

    let page = app.get_in("es", FUND).await;
    assert!(page.has("Aprobada") && page.has("No aprobada"));
    let promised = part(6).centavos() + part(1).centavos();
    assert!(
        page.has(&Money::mxn(promised).to_string()),
        "what approval promised"
    );
}

async fn an_approved_project_is_paid_with_its_receipt_for_all_to_see(backend: Backend) {
    let app = spawn_app(backend).await;
    let balance = fund_with_a_delivered_rug(&app).await;
    let member = app.signed_in("artesana@tianguis.demo").await;
    let admin = app.signed_in("coop2@tianguis.demo").await;
    let amount = Money::mxn(balance.centavos() / 2);
    let roof = propose(&app, &member, "Techo del taller", amount).await;
    vote(&app, &member, roof, "for").await;

    let early = spend(&app, &admin, roof, "10", Some(png())).await;
    assert_eq!(early.status, 409, "not approved yet");
    assert!(
        early.has("Solo se gasta en propuestas aprobadas."),
        "{}",
        early.body
    );

    store::money::fund::count_due(
        &app.db,
        SiteTime::from_naive((app.now + Duration::days(8)).naive()),
    )
    .await
    .unwrap();
    assert_eq!(status_of(&app, roof).await, ProposalStatus::Approved);

    assert_eq!(
        spend(&app, &member, roof, "10", Some(png())).await.status,
        403,
        "a member who is no admin does not record spending"
    );
    let no_photo = spend(&app, &admin, roof, "10", None).await;
    assert_eq!(no_photo.status, 422);
    let too_much = plain_amount(amount.centavos() + 1);
    let over = spend(&app, &admin, roof, &too_much, Some(png())).await;
    assert_eq!(over.status, 422, "{}", over.body);
    assert!(over.has("quedan"), "{}", over.body);

    let first = Money::mxn(amount.centavos() - 100_00.min(amount.centavos() / 2));
    let paid = spend(
        &app,
        &admin,
        roof,
        &plain_amount(first.centavos()),
        Some(png()),
    )
    .await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    assert_eq!(
        available(&app).await,
        Money::mxn(balance.centavos() - first.centavos())
    );
    assert_eq!(
        status_of(&app, roof).await,
        ProposalStatus::Approved,
        "not all spent"
    );
    let rest = Money::mxn(amount.centavos() - first.centavos());
    let paid = spend(
        &app,
        &admin,
        roof,
        &plain_amount(rest.centavos()),
        Some(png()),
    )
    .await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    assert_eq!(status_of(&app, roof).await, ProposalStatus::Done);
    assert_eq!(
        store::money::ledger::unbalanced_entries(&app.db)
            .await
            .unwrap(),
        Vec::<i32>::new()
    );

    // Everyone sees it: the fund's page with the receipts, and the community's totals.
    let page = app.get_in("en", FUND).await;
    assert_eq!(page.status, 200);
    assert!(page.has("Ferretería Zapoteca"));
    assert_eq!(page.body.matches("-320.webp").count(), 2, "both receipts");
    assert!(page.has("Done"));
    let receipt = page
        .body
        .split("src=\"/media/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let photo = app.get(&format!("/media/{receipt}")).await;
    assert_eq!(photo.status, 200, "the receipt photo is served");
    let community = app.get_in("en", "/communities/teotitlan-del-valle").await;
    assert!(community.has("Where the money went"));
    assert!(
        community.has(&amount.to_string()),
        "spent on projects, for all to see"
    );
}

async fn a_proposal_needs_both_languages_and_a_member(backend: Backend) {
    let app = spawn_app(backend).await;
    let member = app.signed_in("productor@tianguis.demo").await;
    let page = app
        .post_form(
            &member,
            &format!("{FUND}/proposals"),
            &[
                ("title_es", "Bodega"),
                ("title_en", ""),
                ("description_es", "Una bodega"),
                ("description_en", "A store room"),
                ("amount", "cien"),
                ("days", "61"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.has("Este dato hace falta."));
    assert!(page.has("Escribe una cantidad en pesos"));
    assert!(page.has("La votación dura de 1 a 60 días."));
    assert!(page.has("value=\"Bodega\""), "what was typed stays");

    let visitor = app.signed_in("visita@tianguis.demo").await;
    let refused = app
        .post_form(&visitor, &format!("{FUND}/proposals"), &[("title_es", "x")])
        .await;
    assert_eq!(refused.status, 403);
    let page = app.get_with(&visitor, FUND, &[]).await;
    assert!(!page.has("id=\"propose\""), "no form for outsiders");
    let page = app.get_with(&member, FUND, &[]).await;
    assert!(page.has("id=\"propose\""));
    assert_eq!(app.get("/communities/nowhere/fund").await.status, 404);
}

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

on_both_backends!(
    members_vote_and_the_count_approves_the_winners_within_the_balance,
    an_approved_project_is_paid_with_its_receipt_for_all_to_see,
    a_proposal_needs_both_languages_and_a_member,
);
