//! Sign-up, email verification, sign-in (slowed down after repeated failures) and
//! password reset. Each flow parses what a person typed, reports every bad field at
//! once, and writes its rows and its email in one transaction.

use crate::session::SessionAuth;
use crate::{emails, password, password::PasswordHashError, token};
use chrono::Duration;
use domain::clock::UtcTime;
use domain::people::sign_in_gate::{self, SignInGate};
use domain::{Email, EmailError, Lang, NewPassword, PasswordError, PersonName, PersonNameError};
use store::outbox::{self, Letter};
use store::people::accounts::{self, Account, AccountError, NewAccount, TokenPurpose};
use store::{DatabaseConnection, StoreError};

/// How long an emailed verification link works.
pub const VERIFY_LINK_LIFETIME: Duration = Duration::hours(24);
/// How long an emailed reset link works.
pub const RESET_LINK_LIFETIME: Duration = Duration::hours(1);
/// Links of one kind an address is sent in an hour, however often anybody asks: the
/// forms cannot be used to flood somebody's inbox, and the links already sent still
/// work, so nobody who asked honestly is left without one.
pub const LINKS_PER_HOUR: u64 = 3;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Password(#[from] PasswordHashError),
}

impl From<sea_orm::DbErr> for AuthError {
    fn from(err: sea_orm::DbErr) -> Self {
        AuthError::Store(err.into())
    }
}

/// What a sign-up form holds, as typed.
#[derive(Debug, Clone, Default)]
pub struct SignUpForm {
    pub email: String,
    pub name: String,
    pub password: String,
}

/// Every field of a sign-up form that cannot be used, each with its reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignUpProblems {
    pub email: Option<EmailProblem>,
    pub name: Option<PersonNameError>,
    pub password: Option<PasswordError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailProblem {
    Invalid(EmailError),
    Taken,
}

#[derive(Debug, thiserror::Error)]
pub enum SignUpError {
    #[error("the form has problems: {0:?}")]
    Form(SignUpProblems),
    #[error(transparent)]
    Auth(#[from] AuthError),
}

/// A successful sign-in: who, and what their session is to remember.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub account: Account,
    pub session: SessionAuth,
}

/// Creates an account and emails a verification link (`link_base` + token) in
/// `lang`. The new account is signed in at once; what needs a verified email says so.
pub async fn sign_up(
    db: &DatabaseConnection,
    form: &SignUpForm,
    lang: Lang,
    link_base: &str,
    now: UtcTime,
) -> Result<SignedIn, SignUpError> {
    let email = Email::parse(&form.email);
    let name = PersonName::parse(&form.name);
    let new_password = NewPassword::parse(&form.password);
    let (Ok(email), Ok(name), Ok(new_password)) = (&email, &name, &new_password) else {
        return Err(SignUpError::Form(SignUpProblems {
            email: email.err().map(EmailProblem::Invalid),
            name: name.err(),
            password: new_password.err(),
        }));
    };
    let taken = SignUpError::Form(SignUpProblems {
        email: Some(EmailProblem::Taken),
        ..Default::default()
    });
    // Cheap before costly: a taken address is refused before any hashing.
    if accounts::account_by_email(db, email)
        .await
        .map_err(AuthError::from)?
        .is_some()
    {
        return Err(taken);
    }
    let password_hash = password::hash(new_password)
        .await
        .map_err(AuthError::from)?;
    let (link_token, token_hash) = token::new_token();

    let txn = store::write_transaction(db)
        .await
        .map_err(AuthError::from)?;
    let new = NewAccount {
        email: email.clone(),
        name: name.clone(),
        password_hash: password_hash.clone(),
        lang,
    };
    let account = match accounts::create_account(&txn, new, now).await {
        Ok(account) => account,
        // Taken meanwhile, by a sign-up racing this one.
        Err(AccountError::EmailTaken) => return Err(taken),
        Err(AccountError::Store(err)) => return Err(AuthError::from(err).into()),
    };
    accounts::issue_token(
        &txn,
        account.id,
        TokenPurpose::VerifyEmail,
        token_hash,
        now + VERIFY_LINK_LIFETIME,
        now,
    )
    .await
    .map_err(AuthError::from)?;
    let message = emails::verify_email(lang, name.as_str(), &format!("{link_base}{link_token}"));
    let letter = Letter {
        to: email.clone(),
        lang,
        subject: message.subject,
        body: message.body,
        opens: Vec::new(),
    };
    outbox::queue(&txn, &letter, now)
        .await
        .map_err(AuthError::from)?;
    txn.commit().await.map_err(AuthError::from)?;
    Ok(SignedIn {
        session: SessionAuth::new(account.id, &password_hash),
        account,
    })
}

/// Marks the email of the link's account verified, giving it the roles that waited
/// for that, in one transaction. `None` for a link that is unknown, used or expired.
pub async fn verify_email(
    db: &DatabaseConnection,
    link_token: &str,
    now: UtcTime,
) -> Result<Option<i32>, AuthError> {
    let hash = token::hash_token(link_token);
    let txn = store::write_transaction(db)
        .await
        .map_err(AuthError::from)?;
    let Some(account_id) = accounts::use_token(&txn, TokenPurpose::VerifyEmail, &hash, now).await?
    else {
        return Ok(None);
    };
    accounts::mark_email_verified(&txn, account_id, now).await?;
    txn.commit().await.map_err(AuthError::from)?;
    Ok(Some(account_id))
}

/// Emails a new verification link to an account whose email is not verified yet.
/// Does nothing for a verified one.
pub async fn resend_verification(
    db: &DatabaseConnection,
    account_id: i32,
    link_base: &str,
    now: UtcTime,
) -> Result<(), AuthError> {
    let Some(account) = accounts::account_by_id(db, account_id).await? else {
        return Ok(());
    };
    if account.email_verified {
        return Ok(());
    }
    email_link(db, &account, TokenPurpose::VerifyEmail, link_base, now).await
}

/// Writes an email in a language, to a name, around a link.
type WriteEmail = fn(Lang, &str, &str) -> emails::Message;

/// Emails `account` a one-time link for `purpose` (`link_base` + a new token), the token
/// and the email in one transaction.
async fn email_link(
    db: &DatabaseConnection,
    account: &Account,
    purpose: TokenPurpose,
    link_base: &str,
    now: UtcTime,
) -> Result<(), AuthError> {
    let sent =
        accounts::links_sent_since(db, account.id, purpose, now - Duration::hours(1)).await?;
    if sent >= LINKS_PER_HOUR {
        tracing::info!(
            account = account.id,
            ?purpose,
            "enough links sent this hour"
        );
        return Ok(());
    }
    let (link_token, token_hash) = token::new_token();
    let (lifetime, write): (Duration, WriteEmail) = match purpose {
        TokenPurpose::VerifyEmail => (VERIFY_LINK_LIFETIME, emails::verify_email),
        TokenPurpose::ResetPassword => (RESET_LINK_LIFETIME, emails::reset_password),
    };
    let txn = store::write_transaction(db).await?;
    accounts::issue_token(&txn, account.id, purpose, token_hash, now + lifetime, now).await?;
    let message = write(
        account.lang,
        account.name.as_str(),
        &format!("{link_base}{link_token}"),
    );
    let letter = Letter {
        to: account.email.clone(),
        lang: account.lang,
        subject: message.subject,
        body: message.body,
        opens: Vec::new(),
    };
    outbox::queue(&txn, &letter, now).await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Wrong email or password: one message for both, so it tells nobody which
    /// emails have accounts.
    #[error("wrong email or password")]
    WrongCredentials,
    /// Too many recent failures for this email from this address, or from this
    /// address (`domain::people::sign_in_gate`).
    #[error("too many failed sign-ins; try again in {} minutes", retry_after.num_minutes())]
    Throttled { retry_after: Duration },
    #[error(transparent)]
    Auth(#[from] AuthError),
}

/// Checks an email and password typed from `address`.
pub async fn sign_in(
    db: &DatabaseConnection,
    typed_email: &str,
    attempt: &str,
    address: &str,
    now: UtcTime,
) -> Result<SignedIn, SignInError> {
    let email = Email::parse(typed_email);
    // Failures are counted under what was typed, normalised when it parses, so that
    // case changes do not earn extra tries.
    // What does not parse is counted by its first characters: no email is longer, and
    // an index row must stay small (PostgreSQL refuses one over ~2.7 KB).
    let key = match &email {
        Ok(email) => email.as_str().to_owned(),
        Err(_) => typed_email
            .trim()
            .to_lowercase()
            .chars()
            .take(Email::MAX_LEN)
            .collect(),
    };
    let failures = accounts::recent_sign_in_failures(db, &key, address, now)
        .await
        .map_err(AuthError::from)?;
    if let SignInGate::Wait { retry_after } = sign_in_gate::gate(failures) {
        return Err(SignInError::Throttled { retry_after });
    }
    let found = match &email {
        Ok(email) => accounts::account_for_sign_in(db, email)
            .await
            .map_err(AuthError::from)?,
        Err(_) => None,
    };
    let signed_in = match &found {
        Some((account, hash)) => password::verify(hash, attempt)
            .await
            .map_err(AuthError::from)?
            .then(|| SignedIn {
                account: account.clone(),
                session: SessionAuth::new(account.id, hash),
            }),
        None => {
            password::verify_against_nothing(attempt)
                .await
                .map_err(AuthError::from)?;
            None
        }
    };
    match signed_in {
        Some(signed_in) => Ok(signed_in),
        None => {
            accounts::record_sign_in_failure(db, &key, address, now)
                .await
                .map_err(AuthError::from)?;
            Err(SignInError::WrongCredentials)
        }
    }
}

/// Emails a reset link to `email` if it has an account. Says nothing either way, so
/// the form tells nobody who has an account.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    email: &str,
    link_base: &str,
    now: UtcTime,
) -> Result<(), AuthError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(());
    };
    let Some(account) = accounts::account_by_email(db, &email).await? else {
        return Ok(());
    };
    email_link(db, &account, TokenPurpose::ResetPassword, link_base, now).await
}

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error("this link is unknown, used or expired")]
    BadLink,
    #[error(transparent)]
    Password(PasswordError),
    #[error(transparent)]
    Auth(#[from] AuthError),
}

/// Sets a new password through a reset link; the link (and any older one) then works
/// no more, and the account's failed sign-ins are forgotten (its owner just proved who
/// they are, and that the address is theirs: it counts as verified). A bad new
/// password leaves the link unused, so the person can try again.
pub async fn reset_password(
    db: &DatabaseConnection,
    link_token: &str,
    new_password: &str,
    now: UtcTime,
) -> Result<i32, ResetError> {
    let new_password = NewPassword::parse(new_password).map_err(ResetError::Password)?;
    let hash = token::hash_token(link_token);
    // Cheap before costly: a forged or spent link is refused before any hashing.
    if !accounts::token_is_usable(db, TokenPurpose::ResetPassword, &hash, now)
        .await
        .map_err(AuthError::from)?
    {
        return Err(ResetError::BadLink);
    }
    let password_hash = password::hash(&new_password)
        .await
        .map_err(AuthError::from)?;
    let txn = store::write_transaction(db)
        .await
        .map_err(AuthError::from)?;
    let Some(account_id) = accounts::use_token(&txn, TokenPurpose::ResetPassword, &hash, now)
        .await
        .map_err(AuthError::from)?
    else {
        return Err(ResetError::BadLink);
    };
    accounts::set_password_hash(&txn, account_id, password_hash)
        .await
        .map_err(AuthError::from)?;
    accounts::retire_tokens(&txn, account_id, TokenPurpose::ResetPassword, now)
        .await
        .map_err(AuthError::from)?;
    accounts::forget_sign_in_failures(&txn, account_id)
        .await
        .map_err(AuthError::from)?;
    // The link reached the address: it is proved as much as by a verification link.
    accounts::mark_email_verified(&txn, account_id, now)
        .await
        .map_err(AuthError::from)?;
    txn.commit().await.map_err(AuthError::from)?;
    Ok(account_id)
}
