//! Several servers, one site (issue 22): three `tianguis serve` processes behind nginx
//! (`scripts/load-balancer.sh`) on one PostgreSQL, photos in a local S3 server (moto,
//! `scripts/s3-server.sh`), emails to an SMTP sink the test runs. Visitors book and
//! pay through the load balancer while one server is killed (SIGKILL) and started
//! again, then another; afterwards no place is oversold and every order was settled
//! once, a photo uploaded through the load balancer is served by every server, every
//! expired hold was released once, every order paid without its news was settled
//! once by the reconciliation, and every email reached the sink once (but an email a
//! killed server was handing over, sent again under its own Message-ID).
//!
//! The counts are printed for the closing note: run with `--nocapture`.

use crate::photo_upload::{draft_of_rosario, jpeg, keys, upload};
use crate::support;

use chrono::Duration;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use store::entity::{booking, booking_event, order_event, orders, outbox_email, simulated_payment};
use support::bookings::{TOUR, book, code_and_key, set_capacity, slots_after};
use support::orders::{checkout, order_code_and_key, payment_of, simulate};
use support::process::{ServerProcess, free_port, server_process_on};
use support::s3::{S3Server, s3_server};
use support::smtp::{delivered_messages, smtp_server};
use support::{Backend, TestApp, browser, seeded_app};

const SERVERS: usize = 3;
/// Servers killed (SIGKILL) and started again during the test.
const KILLS: usize = 2;
/// Visitors racing for the places of one date, each for one place.
const VISITORS: usize = 36;
const CAPACITY: i32 = 12;
/// Holds left to run out, and orders paid whose news never came.
const LEFT_TO_EXPIRE: usize = 8;
const NEWS_LOST: usize = 6;
const BUCKET: &str = "s3://tianguis-photos/media";

/// nginx in front of the servers, stopped (SIGTERM, so it cleans up) with the test.
struct LoadBalancer {
    child: Child,
    address: String,
}

impl Drop for LoadBalancer {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

async fn load_balancer(ports: &[u16]) -> LoadBalancer {
    let port = free_port();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/load-balancer.sh");
    let child = Command::new(script)
        .arg(port.to_string())
        .args(ports.iter().map(|p| format!("127.0.0.1:{p}")))
        .stdout(Stdio::null())
        .spawn()
        .expect("scripts/load-balancer.sh starts (make test installs nginx)");
    let lb = LoadBalancer {
        child,
        address: format!("http://127.0.0.1:{port}"),
    };
    let health = format!("{}/healthz", lb.address);
    support::within(
        std::time::Duration::from_secs(10),
        "nginx answering",
        || {
            let health = health.clone();
            async move {
                reqwest::get(health)
                    .await
                    .is_ok_and(|res| res.status().is_success())
            }
        },
    )
    .await;
    lb
}

/// What every server is started with: the bucket, the sink, short leases.
fn cluster_env(s3: &S3Server, smtp_url: &str, n: usize) -> Vec<(&'static str, String)> {
    let own_folder = support::scratch_dir().join(format!("cluster-{}-{n}", std::process::id()));
    let mut env = s3.env();
    env.extend([
        ("TIANGUIS_MEDIA_URL", BUCKET.to_owned()),
        // A folder of its own, empty: what it serves comes from the bucket.
        ("TIANGUIS_MEDIA_DIR", own_folder.display().to_string()),
        ("SMTP_URL", smtp_url.to_owned()),
        // Short, so work a killed server held is taken over within the test.
        ("TIANGUIS_LEASE_SECONDS", "5".to_owned()),
        ("TIANGUIS_RECONCILE_SECONDS", "1".to_owned()),
        ("TIANGUIS_TRUSTED_PROXIES", "127.0.0.1".to_owned()),
    ]);
    env
}

async fn start(app: &TestApp, port: u16, env: &[(&'static str, String)]) -> ServerProcess {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    server_process_on(port, &app.database_url, &env).await
}

/// How a visitor's try went.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    paid: usize,
    no_places: usize,
    /// A request that met the server being killed (nginx's 502, a cut connection).
    cut_short: usize,
}

/// Visitor `n` books one place on `slot`, checks out and pays by card, all through
/// the load balancer; what happened.
async fn visit(app: &TestApp, slot: i32, n: usize) -> (Tally, Option<String>) {
    let mut tally = Tally::default();
    let visitor = browser();
    let email = format!("visitante{n}@example.mx");
    let held = book(app, &visitor, slot, &email, &[("adult", "1")]).await;
    match held.status {
        303 => {}
        409 => {
            tally.no_places += 1;
            return (tally, None);
        }
        other => {
            eprintln!("visitor {n}: booking answered {other}");
            tally.cut_short += 1;
            return (tally, None);
        }
    }
    let placed = checkout(app, &visitor, &[("name", "Ana López"), ("email", &email)]).await;
    if placed.status != 303 {
        eprintln!("visitor {n}: checkout answered {}", placed.status);
        tally.cut_short += 1;
        return (tally, None);
    }
    let (order, key) = order_code_and_key(&placed);
    let paid = simulate(app, &order, &key, "card_succeeds").await;
    if paid.status == 303 {
        tally.paid += 1;
    } else {
        eprintln!("visitor {n}: paying answered {}", paid.status);
        tally.cut_short += 1;
    }
    (tally, Some(order))
}

/// Waits up to a minute for `done`: a lease of 5 s, rounds every 20 s at the most.
async fn until<F, Fut>(what: &str, done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    support::within(std::time::Duration::from_secs(60), what, done).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_servers_behind_nginx_do_every_piece_of_work_once_while_servers_are_killed() {
    let s3 = s3_server("tianguis-photos").await;
    let (smtp_url, transcript) = smtp_server("250 ok\r\n").await;
    let mut app = seeded_app(Backend::Postgres, |_| {}).await;
    // As `tianguis seed --demo` does with a bucket: the drawn photos are copied in.
    let copied = s3
        .photo_store(BUCKET)
        .take_in(&app.config.media_dir)
        .await
        .unwrap();
    assert!(copied > 0);
    let ports: Vec<u16> = (0..SERVERS).map(|_| free_port()).collect();
    let envs: Vec<_> = (0..SERVERS)
        .map(|n| cluster_env(&s3, &smtp_url, n))
        .collect();
    let mut servers = Vec::new();
    for (port, env) in ports.iter().zip(&envs) {
        servers.push(start(&app, *port, env).await);
    }
    let lb = load_balancer(&ports).await;
    app.address = lb.address.clone();

    // 1. Visitors race for 12 places; server 1 is killed and started again meanwhile.
    let slots = slots_after(&app, TOUR, 3).await;
    let (race_slot, expiry_slot, lost_news_slot) = (slots[0].id, slots[1].id, slots[2].id);
    for slot in [race_slot, expiry_slot, lost_news_slot] {
        set_capacity(&app, slot, CAPACITY).await;
    }
    let app = std::sync::Arc::new(app);
    let visitors: Vec<_> = (0..VISITORS)
        .map(|n| {
            let app = app.clone();
            tokio::spawn(async move { visit(&app, race_slot, n).await })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    servers[1].crash();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    servers[1] = start(&app, ports[1], &envs[1]).await;
    let mut tally = Tally::default();
    let mut orders_placed = Vec::new();
    for visitor in visitors {
        let (t, order) = visitor.await.unwrap();
        tally.paid += t.paid;
        tally.no_places += t.no_places;
        tally.cut_short += t.cut_short;
        orders_placed.extend(order);
    }
    let taken: i32 = booking::Entity::find()
        .filter(booking::Column::SlotId.eq(race_slot))
        .filter(booking::Column::Status.is_in(["held", "confirmed"]))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|b| b.places)
        .sum();
    assert!(taken <= CAPACITY, "oversold: {taken} of {CAPACITY}");
    assert!(tally.paid >= 1 && tally.no_places >= 1, "{tally:?}");

    // 2. A photo uploaded through the load balancer is served by every server.
    let artesana = app.signed_in("artesana@tianguis.demo").await;
    let listing = draft_of_rosario(&app).await;
    let uploaded = upload(&app, &artesana, listing, "huipil.jpg", jpeg(1600, 1200)).await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let edit = app
        .get_with(
            &artesana,
            &format!("/dashboard/listings/{listing}/edit"),
            &[],
        )
        .await;
    let key = keys(&edit).remove(0);
    let mut served = Vec::new();
    for port in &ports {
        let res = reqwest::get(format!("http://127.0.0.1:{port}/media/{key}-1280.webp"))
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "server on {port}");
        served.push(res.bytes().await.unwrap());
    }
    assert!(served.windows(2).all(|w| w[0] == w[1]), "the same photo");

    // 3. Holds left to run out, and orders paid whose news never came; server 2 is
    // killed as their time runs out, and started again.
    let mut holds = Vec::new();
    for n in 0..LEFT_TO_EXPIRE {
        let email = format!("se-le-olvido{n}@example.mx");
        let held = book(&app, &browser(), expiry_slot, &email, &[("adult", "1")]).await;
        assert_eq!(held.status, 303, "{}", held.body);
        holds.push(
            support::bookings::booking(&app, &code_and_key(&held).0)
                .await
                .id,
        );
    }
    let mut unnoticed = Vec::new();
    for n in 0..NEWS_LOST {
        let visitor = browser();
        let email = format!("sin-noticia{n}@example.mx");
        let held = book(&app, &visitor, lost_news_slot, &email, &[("adult", "1")]).await;
        assert_eq!(held.status, 303, "{}", held.body);
        let placed = checkout(&app, &visitor, &[("name", "Luz"), ("email", &email)]).await;
        assert_eq!(placed.status, 303, "{}", placed.body);
        unnoticed.push(order_code_and_key(&placed).0);
    }
    let past = (domain::clock::now().on_site() - Duration::minutes(1)).naive();
    booking::Entity::update_many()
        .col_expr(booking::Column::HeldUntil, Expr::val(past))
        .filter(booking::Column::Id.is_in(holds.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    for code in &unnoticed {
        // The payer paid; the provider's news was lost; the order's time is up.
        let provider_ref = payment_of(&app, code).await.provider_ref.unwrap();
        simulated_payment::Entity::update_many()
            .col_expr(simulated_payment::Column::Status, Expr::val("succeeded"))
            .col_expr(simulated_payment::Column::Method, Expr::val("card"))
            .filter(simulated_payment::Column::Id.eq(provider_ref))
            .exec(&app.db)
            .await
            .unwrap();
        orders::Entity::update_many()
            .col_expr(orders::Column::PayBy, Expr::val(past))
            .filter(orders::Column::Code.eq(code.as_str()))
            .exec(&app.db)
            .await
            .unwrap();
    }
    servers[2].crash();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    servers[2] = start(&app, ports[2], &envs[2]).await;

    until("every hold that ran out is released", || async {
        booking::Entity::find()
            .filter(booking::Column::Id.is_in(holds.clone()))
            .all(&app.db)
            .await
            .unwrap()
            .iter()
            .all(|b| b.status == "expired")
    })
    .await;
    let expiries = booking_event::Entity::find()
        .filter(booking_event::Column::BookingId.is_in(holds.clone()))
        .filter(booking_event::Column::ToStatus.eq("expired"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(expiries.len(), LEFT_TO_EXPIRE, "each released once");

    until("every order paid without its news is settled", || async {
        orders::Entity::find()
            .filter(orders::Column::Code.is_in(unnoticed.clone()))
            .all(&app.db)
            .await
            .unwrap()
            .iter()
            .all(|o| o.status == "paid")
    })
    .await;

    // Every order settled once: one move to paid each.
    orders_placed.extend(unnoticed.iter().cloned());
    let ids: Vec<i32> = orders::Entity::find()
        .filter(orders::Column::Code.is_in(orders_placed.clone()))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    let mut paid_moves: BTreeMap<i32, usize> = BTreeMap::new();
    for event in order_event::Entity::find()
        .filter(order_event::Column::OrderId.is_in(ids.clone()))
        .filter(order_event::Column::PartId.is_null())
        .filter(order_event::Column::ToStatus.eq("paid"))
        .all(&app.db)
        .await
        .unwrap()
    {
        *paid_moves.entry(event.order_id).or_default() += 1;
    }
    assert!(paid_moves.values().all(|n| *n == 1), "{paid_moves:?}");
    // Paid: exactly the orders whose money the provider took. (A visitor whose
    // answer a kill cut short may have paid all the same: the server had committed.)
    let mut took_money = std::collections::BTreeSet::new();
    for id in &ids {
        let payment = store::entity::payment::Entity::find()
            .filter(store::entity::payment::Column::OrderId.eq(*id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let at_provider = simulated_payment::Entity::find_by_id(payment.provider_ref.unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        if at_provider.status == "succeeded" {
            took_money.insert(*id);
        }
    }
    let settled: std::collections::BTreeSet<i32> = paid_moves.keys().copied().collect();
    assert_eq!(
        settled, took_money,
        "every order the provider was paid for is paid, once"
    );
    assert!(settled.len() >= tally.paid + NEWS_LOST, "{tally:?}");
    support::assert_books_balance(&app).await;

    // 4. Every email reaches the sink once.
    until("every email is sent", || async {
        outbox_email::Entity::find()
            .filter(outbox_email::Column::SentAt.is_null())
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    // Each queued email reached its recipient, as the message it is (its Message-ID
    // names its outbox row). A server killed between the sink's accepting an email
    // and the database's recording it leaves it for another, which sends it again
    // under the same Message-ID (the recipient's mail system shows it once): at most
    // one such email per kill, and no other repeat.
    let queued: BTreeMap<i32, String> = outbox_email::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|email| (email.id, email.to_email))
        .collect();
    let mut received: BTreeMap<i32, (String, usize)> = BTreeMap::new();
    for (to, message_id) in delivered_messages(&transcript) {
        let id = message_id
            .strip_prefix("<outbox-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("an email to {to} with Message-ID {message_id:?}"));
        let (_, times) = received.entry(id).or_insert((to, 0));
        *times += 1;
    }
    let differ: Vec<_> = queued
        .keys()
        .chain(received.keys())
        .filter(|id| queued.get(*id) != received.get(*id).map(|(to, _)| to))
        .map(|id| (id, queued.get(id), received.get(id)))
        .collect();
    assert!(
        differ.is_empty(),
        "each email to its recipient: (outbox id, queued to, received) {differ:?}"
    );
    let repeated: Vec<_> = received.iter().filter(|(_, (_, n))| *n > 1).collect();
    assert!(
        repeated.len() <= KILLS && repeated.iter().all(|(_, (_, n))| *n == 2),
        "an email sent again only when a server was killed handing it over: {repeated:?}"
    );
    let jobs = store::claims::jobs(&app.db).await.unwrap();
    println!(
        "cluster: {SERVERS} servers behind nginx, {KILLS} killed and restarted; {} visitors: {} paid, \
         {} told no places, {} requests cut short by a kill; {taken} of {CAPACITY} places taken; \
         {} orders paid, each once ({NEWS_LOST} of them by the reconciliation); \
         {LEFT_TO_EXPIRE} holds released once; \
         {} emails sent, each once but {} sent again under its Message-ID after a kill; \
         rounds: {}",
        VISITORS,
        tally.paid,
        tally.no_places,
        tally.cut_short,
        settled.len(),
        queued.len(),
        repeated.len(),
        jobs.iter()
            .map(|j| format!("{} {}", j.name, j.rounds))
            .collect::<Vec<_>>()
            .join(", ")
    );
    drop(servers);
}
