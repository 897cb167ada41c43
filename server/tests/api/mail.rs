//! The outbox worker against a real SMTP conversation (`support::smtp`, a small SMTP
//! server on a loopback port that accepts or refuses what it is sent), alone and as
//! several servers sending one outbox.

use crate::support;

use chrono::Duration;
use domain::{Email, Lang};
use server::mail::{Mailer, send_due};
use server::tasks::claims::Worker;
use store::outbox::Letter;
use support::smtp::{delivered, smtp_server};
use support::{Backend, fresh_database};

/// A server's background worker on `db`, with a five-minute lease.
fn worker(db: &store::DatabaseConnection) -> Worker {
    Worker::new(db.clone(), Duration::minutes(5))
}

fn mailer(url: &str) -> Mailer {
    Mailer::new(url, "Tianguis <no-reply@tianguis.test>").unwrap()
}

async fn enqueue(db: &store::DatabaseConnection, to: &str) {
    let letter = Letter {
        to: Email::parse(to).unwrap(),
        lang: Lang::Es,
        subject: "Confirma tu correo en Tianguis".to_owned(),
        body: "Hola, Ana:\n\nhttp://tianguis.test/verify-email?token=abc\n".to_owned(),
        opens: Vec::new(),
    };
    store::outbox::queue(db, &letter, domain::clock::now())
        .await
        .unwrap();
}

async fn the_outbox_is_sent_over_smtp_and_marked_sent(backend: Backend) {
    let t = fresh_database(backend).await;
    let (url, transcript) = smtp_server("250 ok\r\n").await;
    let mailer = mailer(&url);
    let worker = worker(&t.db);
    enqueue(&t.db, "ana@tejedoras.mx").await;

    let now = domain::clock::now();
    assert_eq!(send_due(&worker, &mailer, now).await.unwrap(), 1);
    let lines = transcript.lock().unwrap().clone();
    assert!(
        lines.iter().any(|l| l == "RCPT TO:<ana@tejedoras.mx>"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("MAIL FROM:<no-reply@tianguis.test>"))
    );
    assert!(lines.iter().any(|l| l.starts_with("Subject: ")));

    assert!(
        lines.iter().any(|l| l.contains("verify-email?token=abc")),
        "the link went out: {lines:#?}"
    );

    let outbox = store::outbox::newest(&t.db, 10).await.unwrap();
    assert!(outbox[0].sent_at.is_some(), "marked sent");
    assert_eq!(
        (outbox[0].to.as_str(), outbox[0].subject.as_str()),
        ("ana@tejedoras.mx", "Confirma tu correo en Tianguis"),
        "who and what are kept"
    );
    assert_eq!(
        outbox[0].body, "",
        "the body, with its link, is forgotten once sent"
    );
    assert_eq!(
        send_due(&worker, &mailer, now).await.unwrap(),
        0,
        "sent once only"
    );
}

async fn a_refused_email_waits_and_is_tried_again_later(backend: Backend) {
    let t = fresh_database(backend).await;
    let (url, _) = smtp_server("450 mailbox busy, try later\r\n").await;
    let mailer = mailer(&url);
    enqueue(&t.db, "ana@tejedoras.mx").await;

    let now = domain::clock::now();
    assert_eq!(send_due(&worker(&t.db), &mailer, now).await.unwrap(), 0);
    let email = store::outbox::newest(&t.db, 1).await.unwrap().remove(0);
    assert_eq!(email.sent_at, None, "not lost, not sent");
    assert_eq!(email.attempts, 1);
    assert!(
        email
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("busy"),
        "{:?}",
        email.last_error
    );

    let due_now = store::outbox::due(&t.db, now, 10, 10).await.unwrap();
    assert!(due_now.is_empty(), "not tried again at once");
    let later = now + Duration::minutes(3);
    let due_later = store::outbox::due(&t.db, later, 10, 10).await.unwrap();
    assert_eq!(due_later.len(), 1, "tried again after the back-off");
}

/// With a mail server set, the outbox page shows who was written to, what about and
/// how it went, never the text: it carries links that sign in or pay (here the mail
/// server refuses, so the email is still waiting, link and all, in the database).
async fn with_a_mail_server_the_outbox_page_shows_no_email_text(backend: Backend) {
    let (url, _) = smtp_server("450 mailbox busy, try later\r\n").await;
    let app = support::spawn_app_with(backend, |config| config.smtp_url = Some(url)).await;
    let ana = support::browser();
    let signed_up = app
        .sign_up(&ana, "Ana López", "ana@tejedoras.mx", "grana cochinilla 1")
        .await;
    assert_eq!(signed_up.status, 303, "{}", signed_up.body);
    let waiting = store::outbox::newest(&app.db, 1).await.unwrap().remove(0);
    assert!(
        waiting.body.contains("/verify-email?token="),
        "queued with its link"
    );

    auth::admin::create_platform_admin(
        &app.db,
        Email::parse("raiz@tianguis.test").unwrap(),
        domain::PersonName::parse("Raíz").unwrap(),
        &domain::NewPassword::parse("raíz de la plataforma").unwrap(),
        domain::clock::now(),
    )
    .await
    .unwrap();
    let admin = support::browser();
    app.sign_in(&admin, "raiz@tianguis.test", "raíz de la plataforma")
        .await;
    let outbox = app.get_with(&admin, "/admin/outbox", &[]).await;
    assert_eq!(outbox.status, 200);
    assert!(
        outbox.has("data-to=\"ana@tejedoras.mx\""),
        "{}",
        outbox.body
    );
    assert!(outbox.has("Confirma tu correo en Tianguis"));
    assert!(!outbox.has("token="), "no link is shown: {}", outbox.body);
    assert!(outbox.has("Su texto no se muestra aquí"));
}

/// Three servers send one outbox at once, each claiming its batches: every email
/// reaches the mail server once, none twice, none never.
async fn three_servers_sending_one_outbox_send_each_email_once(backend: Backend) {
    let t = fresh_database(backend).await;
    let (url, transcript) = smtp_server("250 ok\r\n").await;
    const EMAILS: usize = 60;
    for n in 0..EMAILS {
        enqueue(&t.db, &format!("visitante{n}@tejedoras.mx")).await;
    }
    let servers = (0..3).map(|_| {
        let (worker, mailer) = (worker(&t.db), mailer(&url));
        tokio::spawn(async move {
            let mut sent = 0;
            // Rounds until the outbox has nothing left for anyone.
            loop {
                let now = domain::clock::now();
                sent += send_due(&worker, &mailer, now).await.unwrap();
                if store::outbox::due(&worker.db, now, 10, 1)
                    .await
                    .unwrap()
                    .is_empty()
                {
                    return sent;
                }
            }
        })
    });
    let mut sent_by = Vec::new();
    for server in servers.collect::<Vec<_>>() {
        sent_by.push(server.await.unwrap());
    }
    assert_eq!(sent_by.iter().sum::<usize>(), EMAILS, "{sent_by:?}");
    let mut to = delivered(&transcript);
    assert_eq!(to.len(), EMAILS, "each handed over once");
    to.sort();
    to.dedup();
    assert_eq!(to.len(), EMAILS, "none twice");
    let outbox = store::outbox::newest(&t.db, 100).await.unwrap();
    assert!(
        outbox.iter().all(|e| e.sent_at.is_some()),
        "every one marked sent"
    );
}

/// A server that claimed emails and died (it never sends them) holds them until its
/// lease runs out; then another server sends them.
async fn emails_claimed_by_a_server_that_died_are_sent_by_another_after_its_lease(
    backend: Backend,
) {
    let t = fresh_database(backend).await;
    let (url, transcript) = smtp_server("250 ok\r\n").await;
    enqueue(&t.db, "ana@tejedoras.mx").await;
    enqueue(&t.db, "luz@tejedoras.mx").await;
    let now = domain::clock::now();
    let lease = Duration::minutes(5);
    let died = Worker::new(t.db.clone(), lease);
    let claimed = store::outbox::claim_due(&t.db, &died.batch_name(), now + lease, now, 10, 20)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);

    let other = worker(&t.db);
    let mailer = mailer(&url);
    assert_eq!(
        send_due(&other, &mailer, now + Duration::minutes(1))
            .await
            .unwrap(),
        0,
        "not while the lease runs"
    );
    assert!(delivered(&transcript).is_empty());
    assert_eq!(
        send_due(&other, &mailer, now + lease + Duration::seconds(1))
            .await
            .unwrap(),
        2,
        "sent once the lease has run out"
    );
    assert_eq!(delivered(&transcript).len(), 2);
}

on_both_backends!(
    three_servers_sending_one_outbox_send_each_email_once,
    emails_claimed_by_a_server_that_died_are_sent_by_another_after_its_lease,
    the_outbox_is_sent_over_smtp_and_marked_sent,
    with_a_mail_server_the_outbox_page_shows_no_email_text,
    a_refused_email_waits_and_is_tried_again_later,
);
