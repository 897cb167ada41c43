//! The account records on both backends: unique emails, one-time tokens, throttling
//! counts, the outbox and sessions. (Hashing and the pages come on top of these.)

use crate::support;

use domain::people::sign_in_gate::RecentFailures;

use chrono::Duration;
use domain::{Email, Lang, PersonName};
use store::outbox::{self, Letter};
use store::people::accounts::{self, AccountError, NewAccount, TokenPurpose};
use support::{Backend, fresh_database};

fn now() -> domain::clock::UtcTime {
    domain::clock::now()
}

fn ana(email: &str) -> NewAccount {
    NewAccount {
        email: Email::parse(email).unwrap(),
        name: PersonName::parse("Ana López").unwrap(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".to_owned(),
        lang: Lang::Es,
    }
}

async fn one_email_makes_one_account_whatever_its_case(backend: Backend) {
    let t = fresh_database(backend).await;
    let created = accounts::create_account(&t.db, ana("ana@tejedoras.mx"), now())
        .await
        .unwrap();
    assert_eq!(created.email.as_str(), "ana@tejedoras.mx");
    assert!(!created.email_verified);

    let again = accounts::create_account(&t.db, ana("ANA@Tejedoras.mx"), now()).await;
    assert!(matches!(again, Err(AccountError::EmailTaken)), "{again:?}");

    let (found, hash) =
        accounts::account_for_sign_in(&t.db, &Email::parse("Ana@tejedoras.MX").unwrap())
            .await
            .unwrap()
            .expect("found by email in any case");
    assert_eq!(found, created);
    assert!(hash.starts_with("$argon2id$"));
}

async fn a_token_works_once_and_only_for_its_purpose_before_it_expires(backend: Backend) {
    let t = fresh_database(backend).await;
    let account = accounts::create_account(&t.db, ana("ana@tejedoras.mx"), now())
        .await
        .unwrap();
    let issued = now();
    accounts::issue_token(
        &t.db,
        account.id,
        TokenPurpose::VerifyEmail,
        "hash-of-token".to_owned(),
        issued + Duration::hours(24),
        issued,
    )
    .await
    .unwrap();

    let wrong_purpose =
        accounts::use_token(&t.db, TokenPurpose::ResetPassword, "hash-of-token", now()).await;
    assert_eq!(wrong_purpose.unwrap(), None);
    let expired = accounts::use_token(
        &t.db,
        TokenPurpose::VerifyEmail,
        "hash-of-token",
        issued + Duration::hours(25),
    )
    .await;
    assert_eq!(expired.unwrap(), None);

    let first = accounts::use_token(&t.db, TokenPurpose::VerifyEmail, "hash-of-token", now());
    assert_eq!(first.await.unwrap(), Some(account.id));
    let second = accounts::use_token(&t.db, TokenPurpose::VerifyEmail, "hash-of-token", now());
    assert_eq!(second.await.unwrap(), None, "a token is used once");

    let txn = sea_orm::TransactionTrait::begin(&t.db).await.unwrap();
    accounts::mark_email_verified(&txn, account.id, now())
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let verified = accounts::account_by_id(&t.db, account.id)
        .await
        .unwrap()
        .unwrap();
    assert!(verified.email_verified);
}

async fn failed_sign_ins_are_counted_by_account_and_address_over_two_windows(backend: Backend) {
    let t = fresh_database(backend).await;
    let start = now();
    let yesterday = start - Duration::hours(20);
    for (email, address, at) in [
        ("ana@tejedoras.mx", "10.0.0.1", start),
        ("ana@tejedoras.mx", "10.0.0.2", start),
        ("luis@cobre.mx", "10.0.0.1", start),
        ("ana@tejedoras.mx", "10.0.0.1", yesterday),
        ("ana@tejedoras.mx", "10.0.0.3", yesterday),
    ] {
        accounts::record_sign_in_failure(&t.db, email, address, at)
            .await
            .unwrap();
    }
    let counts = accounts::recent_sign_in_failures(&t.db, "ana@tejedoras.mx", "10.0.0.1", start)
        .await
        .unwrap();
    assert_eq!(
        counts,
        RecentFailures {
            account_and_address: 1,
            address: 2,
            account: 4,
            account_and_address_long: 2,
        }
    );
    let later = accounts::recent_sign_in_failures(
        &t.db,
        "ana@tejedoras.mx",
        "10.0.0.1",
        start + Duration::hours(5),
    )
    .await
    .unwrap();
    assert_eq!(
        later,
        RecentFailures {
            account: 2,
            account_and_address_long: 1,
            ..Default::default()
        },
        "the short window has passed; of the long one, only today's failures are left"
    );

    let ana_account = accounts::create_account(&t.db, ana("ana@tejedoras.mx"), now())
        .await
        .unwrap();
    accounts::forget_sign_in_failures(&t.db, ana_account.id)
        .await
        .unwrap();
    let forgotten = accounts::recent_sign_in_failures(&t.db, "ana@tejedoras.mx", "10.0.0.1", start)
        .await
        .unwrap();
    assert_eq!(
        forgotten,
        RecentFailures {
            address: 1,
            ..Default::default()
        },
        "only Luis's failure from that address is left"
    );
}

async fn the_outbox_keeps_emails_newest_first(backend: Backend) {
    let t = fresh_database(backend).await;
    let to = Email::parse("ana@tejedoras.mx").unwrap();
    let letter = Letter {
        to: to.clone(),
        lang: Lang::Es,
        subject: "Confirma tu correo".to_owned(),
        body: "Hola".to_owned(),
        opens: Vec::new(),
    };
    outbox::queue(&t.db, &letter, now()).await.unwrap();
    let letter = Letter {
        to: to.clone(),
        lang: Lang::En,
        subject: "Reset your password".to_owned(),
        body: "Hi".to_owned(),
        opens: Vec::new(),
    };
    outbox::queue(&t.db, &letter, now()).await.unwrap();
    let outbox = outbox::newest(&t.db, 10).await.unwrap();
    let subjects: Vec<_> = outbox.iter().map(|e| e.subject.as_str()).collect();
    assert_eq!(subjects, ["Reset your password", "Confirma tu correo"]);
    assert_eq!(outbox[1].lang, Lang::Es);
    assert!(
        outbox
            .iter()
            .all(|e| e.sent_at.is_none() && e.to == "ana@tejedoras.mx")
    );
}

async fn sessions_are_kept_updated_and_forgotten_when_they_expire(backend: Backend) {
    use store::sessions::DbSessionStore;
    use tower_sessions::session::{Id, Record};
    use tower_sessions::{ExpiredDeletion, SessionStore};

    let t = fresh_database(backend).await;
    let store = DbSessionStore::new(t.db.clone());
    let in_a_day = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    let mut record = Record {
        id: Id::default(),
        data: [("account".to_owned(), serde_json::json!(7))].into(),
        expiry_date: in_a_day,
    };
    store.create(&mut record).await.unwrap();
    let loaded = store.load(&record.id).await.unwrap().expect("kept");
    assert_eq!(loaded.data, record.data);
    assert_eq!(
        loaded.expiry_date.unix_timestamp(),
        in_a_day.unix_timestamp()
    );

    record
        .data
        .insert("lang".to_owned(), serde_json::json!("en"));
    store.save(&record).await.unwrap();
    let updated = store.load(&record.id).await.unwrap().unwrap();
    assert_eq!(updated.data.len(), 2);

    let mut stale = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() - time::Duration::minutes(1),
    };
    store.create(&mut stale).await.unwrap();
    assert!(store.load(&stale.id).await.unwrap().is_none(), "expired");
    store.delete_expired().await.unwrap();
    let rows = {
        use sea_orm::{EntityTrait, PaginatorTrait};
        store::entity::session::Entity::find()
            .count(&t.db)
            .await
            .unwrap()
    };
    assert_eq!(rows, 1, "the expired session is deleted, the live one kept");
    assert!(
        store.load(&record.id).await.unwrap().is_some(),
        "live one stays"
    );

    store.delete(&record.id).await.unwrap();
    assert!(
        store.load(&record.id).await.unwrap().is_none(),
        "signed out"
    );
}

on_both_backends!(
    sessions_are_kept_updated_and_forgotten_when_they_expire,
    one_email_makes_one_account_whatever_its_case,
    a_token_works_once_and_only_for_its_purpose_before_it_expires,
    failed_sign_ins_are_counted_by_account_and_address_over_two_windows,
    the_outbox_keeps_emails_newest_first,
);
