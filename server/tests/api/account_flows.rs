//! Sign-up → verification email in the outbox → verified; sign-in and its slowing
//! down; password reset by emailed link. On both backends, through `auth::flows`
//! (the pages come on top of these).

use crate::support;

use auth::flows::{
    self, EmailProblem, ResetError, SignInError, SignUpError, SignUpForm, SignUpProblems,
};
use domain::people::sign_in_gate;
use domain::{EmailError, Lang, PasswordError, PersonNameError};
use store::people::accounts::Account;
use support::{Backend, fresh_database};

const VERIFY: &str = "http://tianguis.test/verify?token=";
const RESET: &str = "http://tianguis.test/reset?token=";

fn now() -> domain::clock::UtcTime {
    domain::clock::now()
}

fn form(email: &str, password: &str) -> SignUpForm {
    SignUpForm {
        email: email.to_owned(),
        name: "Ana López".to_owned(),
        password: password.to_owned(),
    }
}

/// Ana signs up with her usual password.
async fn sign_up_ana(db: &store::DatabaseConnection, email: &str, lang: Lang) -> Account {
    flows::sign_up(db, &form(email, "grana cochinilla 1"), lang, VERIFY, now())
        .await
        .unwrap()
        .account
}

/// The token of the last link in the newest email.
async fn token_from_newest_email(db: &store::DatabaseConnection, base: &str) -> String {
    let newest = store::outbox::newest(db, 1).await.unwrap().remove(0);
    let start = newest.body.rfind(base).expect("the email has the link") + base.len();
    newest.body[start..start + 64].to_owned()
}

async fn signing_up_emails_a_link_that_verifies_the_email_once(backend: Backend) {
    let t = fresh_database(backend).await;
    let account = sign_up_ana(&t.db, "Ana@Tejedoras.mx", Lang::Es).await;
    assert!(!account.email_verified);

    let outbox = store::outbox::newest(&t.db, 10).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].to, "ana@tejedoras.mx");
    assert_eq!(outbox[0].subject, "Confirma tu correo en Tianguis");
    assert!(outbox[0].body.starts_with("Hola, Ana López:"));

    let token = token_from_newest_email(&t.db, VERIFY).await;
    assert_eq!(
        flows::verify_email(&t.db, &token, now()).await.unwrap(),
        Some(account.id)
    );
    assert_eq!(
        flows::verify_email(&t.db, &token, now()).await.unwrap(),
        None,
        "once"
    );
    assert_eq!(
        flows::verify_email(&t.db, "forged", now()).await.unwrap(),
        None
    );
    let verified = store::people::accounts::account_by_id(&t.db, account.id)
        .await
        .unwrap()
        .unwrap();
    assert!(verified.email_verified);
}

async fn a_bad_sign_up_form_names_every_bad_field(backend: Backend) {
    let t = fresh_database(backend).await;
    let bad = SignUpForm {
        email: "ana".to_owned(),
        name: "   ".to_owned(),
        password: "corta".to_owned(),
    };
    let err = flows::sign_up(&t.db, &bad, Lang::En, VERIFY, now()).await;
    let Err(SignUpError::Form(problems)) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        problems,
        SignUpProblems {
            email: Some(EmailProblem::Invalid(EmailError::Malformed)),
            name: Some(PersonNameError::Empty),
            password: Some(PasswordError::TooShort { min: 10 }),
        }
    );

    sign_up_ana(&t.db, "ana@tejedoras.mx", Lang::Es).await;
    let twice = flows::sign_up(
        &t.db,
        &form("ANA@tejedoras.mx", "otra contraseña 1"),
        Lang::Es,
        VERIFY,
        now(),
    )
    .await;
    let Err(SignUpError::Form(problems)) = twice else {
        panic!("{twice:?}")
    };
    assert_eq!(problems.email, Some(EmailProblem::Taken));
    assert_eq!(
        store::outbox::newest(&t.db, 10).await.unwrap().len(),
        1,
        "no email for a refused sign-up"
    );
}

async fn sign_in_checks_the_password_and_slows_down_guessing(backend: Backend) {
    let t = fresh_database(backend).await;
    let ana = sign_up_ana(&t.db, "ana@tejedoras.mx", Lang::Es).await;
    let signed_in = flows::sign_in(
        &t.db,
        "ANA@tejedoras.mx ",
        "grana cochinilla 1",
        "10.0.0.1",
        now(),
    )
    .await
    .unwrap();
    assert_eq!(signed_in.account.id, ana.id);

    let unknown = flows::sign_in(
        &t.db,
        "nadie@tejedoras.mx",
        "grana cochinilla 1",
        "10.0.0.1",
        now(),
    )
    .await;
    assert!(
        matches!(unknown, Err(SignInError::WrongCredentials)),
        "{unknown:?}"
    );

    let sign_in = |email: &'static str, password: &'static str, address: &'static str, at| {
        let db = t.db.clone();
        async move { flows::sign_in(&db, email, password, address, at).await }
    };
    for _ in 0..sign_in_gate::MAX_PER_ACCOUNT_AND_ADDRESS {
        let wrong = sign_in("ana@tejedoras.mx", "adivinanza 123", "10.0.0.2", now()).await;
        assert!(
            matches!(wrong, Err(SignInError::WrongCredentials)),
            "{wrong:?}"
        );
    }
    let guesser_right_too_late =
        sign_in("Ana@Tejedoras.mx", "grana cochinilla 1", "10.0.0.2", now()).await;
    assert!(
        matches!(guesser_right_too_late, Err(SignInError::Throttled { .. })),
        "the guessing address waits, even with the right password: {guesser_right_too_late:?}"
    );
    let owner = sign_in("Ana@Tejedoras.mx", "grana cochinilla 1", "10.0.0.3", now()).await;
    assert!(
        owner.is_ok(),
        "the owner, from an address that did not fail, is not kept out: {owner:?}"
    );
    let after_the_window = now() + sign_in_gate::SHORT_WINDOW + chrono::Duration::seconds(1);
    let later = sign_in(
        "ana@tejedoras.mx",
        "grana cochinilla 1",
        "10.0.0.2",
        after_the_window,
    )
    .await;
    assert!(later.is_ok(), "{later:?}");
}

/// Guesses spread over many addresses (a botnet) get one try per address once the
/// account has suffered many failures; the owner at home still signs in; a password
/// reset forgets every failure.
async fn a_guesser_on_many_addresses_cannot_lock_the_owner_out(backend: Backend) {
    let t = fresh_database(backend).await;
    sign_up_ana(&t.db, "ana@tejedoras.mx", Lang::Es).await;
    for n in 0..sign_in_gate::MAX_PER_ACCOUNT {
        let address = format!("10.1.{}.{}", n / 200, n % 200);
        let wrong = flows::sign_in(&t.db, "ana@tejedoras.mx", "adivinanza", &address, now()).await;
        assert!(
            matches!(wrong, Err(SignInError::WrongCredentials)),
            "{wrong:?}"
        );
    }
    let second_try =
        flows::sign_in(&t.db, "ana@tejedoras.mx", "adivinanza 2", "10.1.0.0", now()).await;
    assert!(
        matches!(second_try, Err(SignInError::Throttled { .. })),
        "an address that failed waits while the account is under attack: {second_try:?}"
    );
    let owner = flows::sign_in(
        &t.db,
        "ana@tejedoras.mx",
        "grana cochinilla 1",
        "192.0.2.7",
        now(),
    )
    .await;
    assert!(owner.is_ok(), "{owner:?}");

    flows::request_password_reset(&t.db, "ana@tejedoras.mx", RESET, now())
        .await
        .unwrap();
    let token = token_from_newest_email(&t.db, RESET).await;
    flows::reset_password(&t.db, &token, "obsidiana negra 2", now())
        .await
        .unwrap();
    let after_reset = flows::sign_in(
        &t.db,
        "ana@tejedoras.mx",
        "obsidiana negra 2",
        "10.1.0.0",
        now(),
    )
    .await;
    assert!(
        after_reset.is_ok(),
        "a reset forgets the failures, so even a failed address may sign in: {after_reset:?}"
    );
}

async fn a_reset_link_sets_a_new_password_once(backend: Backend) {
    let t = fresh_database(backend).await;
    let ana = sign_up_ana(&t.db, "ana@tejedoras.mx", Lang::En).await;
    flows::request_password_reset(&t.db, "nadie@tejedoras.mx", RESET, now())
        .await
        .unwrap();
    assert_eq!(
        store::outbox::newest(&t.db, 10).await.unwrap().len(),
        1,
        "no email to strangers"
    );

    flows::request_password_reset(&t.db, "Ana@tejedoras.mx", RESET, now())
        .await
        .unwrap();
    let email = store::outbox::newest(&t.db, 1).await.unwrap().remove(0);
    assert_eq!(
        email.subject, "Change your Tianguis password",
        "in the account's language"
    );
    let older_token = token_from_newest_email(&t.db, RESET).await;
    flows::request_password_reset(&t.db, "ana@tejedoras.mx", RESET, now())
        .await
        .unwrap();
    let token = token_from_newest_email(&t.db, RESET).await;
    assert_ne!(older_token, token);

    let short = flows::reset_password(&t.db, &token, "corta", now()).await;
    assert!(matches!(short, Err(ResetError::Password(_))), "{short:?}");
    let id = flows::reset_password(&t.db, &token, "añil y cochinilla 2", now())
        .await
        .unwrap();
    assert_eq!(id, ana.id, "a refused password left the link usable");
    let again = flows::reset_password(&t.db, &token, "añil y cochinilla 3", now()).await;
    assert!(matches!(again, Err(ResetError::BadLink)), "{again:?}");
    let older = flows::reset_password(&t.db, &older_token, "añil y cochinilla 4", now()).await;
    assert!(
        matches!(older, Err(ResetError::BadLink)),
        "an older reset link dies with the reset: {older:?}"
    );

    assert!(
        flows::sign_in(
            &t.db,
            "ana@tejedoras.mx",
            "añil y cochinilla 2",
            "10.0.0.1",
            now()
        )
        .await
        .is_ok()
    );
    let old = flows::sign_in(
        &t.db,
        "ana@tejedoras.mx",
        "grana cochinilla 1",
        "10.0.0.1",
        now(),
    )
    .await;
    assert!(matches!(old, Err(SignInError::WrongCredentials)), "{old:?}");
}

async fn asking_again_and_again_sends_an_address_three_reset_links_an_hour(backend: Backend) {
    let t = fresh_database(backend).await;
    sign_up_ana(&t.db, "ana@tejedoras.mx", Lang::Es).await;
    let to_ana = |emails: Vec<store::outbox::OutboxEmail>| {
        emails
            .into_iter()
            .filter(|e| e.to == "ana@tejedoras.mx" && e.subject.contains("contraseña"))
            .count()
    };
    let start = now();
    for _ in 0..10 {
        flows::request_password_reset(&t.db, "ana@tejedoras.mx", RESET, start)
            .await
            .unwrap();
    }
    let sent = to_ana(store::outbox::newest(&t.db, 50).await.unwrap());
    assert_eq!(sent as u64, flows::LINKS_PER_HOUR, "ten asks, three emails");
    // The links sent still work: the newest one sets a password.
    let token = token_from_newest_email(&t.db, RESET).await;
    let later = start + chrono::Duration::minutes(61);
    flows::request_password_reset(&t.db, "ana@tejedoras.mx", RESET, later)
        .await
        .unwrap();
    let sent = to_ana(store::outbox::newest(&t.db, 50).await.unwrap());
    assert_eq!(
        sent as u64,
        flows::LINKS_PER_HOUR + 1,
        "an hour on, one more"
    );
    assert!(
        flows::reset_password(&t.db, &token, "añil y cochinilla 2", start)
            .await
            .is_ok()
    );
}

on_both_backends!(
    asking_again_and_again_sends_an_address_three_reset_links_an_hour,
    a_guesser_on_many_addresses_cannot_lock_the_owner_out,
    signing_up_emails_a_link_that_verifies_the_email_once,
    a_bad_sign_up_form_names_every_bad_field,
    sign_in_checks_the_password_and_slows_down_guessing,
    a_reset_link_sets_a_new_password_once,
);
