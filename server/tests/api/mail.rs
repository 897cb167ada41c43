//! The outbox worker against a real SMTP conversation: a small SMTP server in the
//! test, on a loopback port, that accepts or refuses what it is sent.

use crate::support;

use chrono::Duration;
use domain::{Email, Lang};
use server::mail::{Mailer, send_due};
use std::sync::{Arc, Mutex};
use store::outbox::Letter;
use support::{Backend, fresh_database};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the SMTP server was told: each line of each conversation.
type Transcript = Arc<Mutex<Vec<String>>>;

/// An SMTP server that answers `rcpt_reply` to RCPT TO and accepts everything else.
async fn smtp_server(rcpt_reply: &'static str) -> (String, Transcript) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let transcript: Transcript = Arc::default();
    let seen = transcript.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    seen.lock().unwrap().push(line.clone());
                    let reply: &str = if in_data {
                        if line == "." {
                            in_data = false;
                            "250 queued\r\n"
                        } else {
                            continue;
                        }
                    } else {
                        let verb = line.to_ascii_uppercase();
                        if verb.starts_with("EHLO") || verb.starts_with("HELO") {
                            "250 test\r\n"
                        } else if verb.starts_with("RCPT") {
                            rcpt_reply
                        } else if verb.starts_with("DATA") {
                            in_data = true;
                            "354 go on\r\n"
                        } else if verb.starts_with("QUIT") {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            "250 ok\r\n"
                        }
                    };
                    if write.write_all(reply.as_bytes()).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (url, transcript)
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
    let mailer = Mailer::new(&url, "Tianguis <no-reply@tianguis.test>").unwrap();
    enqueue(&t.db, "ana@tejedoras.mx").await;

    let now = domain::clock::now();
    assert_eq!(send_due(&t.db, &mailer, now).await.unwrap(), 1);
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
        send_due(&t.db, &mailer, now).await.unwrap(),
        0,
        "sent once only"
    );
}

async fn a_refused_email_waits_and_is_tried_again_later(backend: Backend) {
    let t = fresh_database(backend).await;
    let (url, _) = smtp_server("450 mailbox busy, try later\r\n").await;
    let mailer = Mailer::new(&url, "Tianguis <no-reply@tianguis.test>").unwrap();
    enqueue(&t.db, "ana@tejedoras.mx").await;

    let now = domain::clock::now();
    assert_eq!(send_due(&t.db, &mailer, now).await.unwrap(), 0);
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

on_both_backends!(
    the_outbox_is_sent_over_smtp_and_marked_sent,
    with_a_mail_server_the_outbox_page_shows_no_email_text,
    a_refused_email_waits_and_is_tried_again_later,
);
