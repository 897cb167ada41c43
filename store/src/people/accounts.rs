//! Accounts, one-time email tokens and failed sign-ins (the email outbox is `outbox`).
//!
//! Times here are UTC (`domain::clock::UtcTime`): they are about security
//! (expiry, throttling), not about a community's local day.
//!
//! Password hashing and token generation are not here: this module stores what it is
//! given — a PHC hash string, the SHA-256 of a token — and never sees a secret.

use crate::StoreError;
use crate::entity::{account, email_token, sign_in_failure};
use domain::clock::UtcTime;
use domain::people::sign_in_gate::{LONG_WINDOW, RecentFailures, SHORT_WINDOW};
use domain::{Email, Lang, PersonName};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, SqlErr,
};

/// An account as the rest of the server sees it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i32,
    pub email: Email,
    pub name: PersonName,
    pub lang: Lang,
    pub email_verified: bool,
    pub platform_admin: bool,
}

/// What sign-up stores.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: Email,
    pub name: PersonName,
    /// argon2id PHC string.
    pub password_hash: String,
    pub lang: Lang,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for AccountError {
    fn from(err: sea_orm::DbErr) -> Self {
        AccountError::Store(err.into())
    }
}

/// What a one-time email token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
}

impl TokenPurpose {
    fn code(self) -> &'static str {
        match self {
            TokenPurpose::VerifyEmail => "verify",
            TokenPurpose::ResetPassword => "reset",
        }
    }
}

/// Creates an account. Two sign-ups with one email, even at the same instant, make
/// one account: the database's unique index decides, not a prior look-up.
pub async fn create_account(
    db: &impl ConnectionTrait,
    new: NewAccount,
    now: UtcTime,
) -> Result<Account, AccountError> {
    let row = account::ActiveModel {
        email: Set(new.email.as_str().to_owned()),
        name: Set(new.name.as_str().to_owned()),
        password_hash: Set(new.password_hash),
        lang: Set(new.lang.code().to_owned()),
        email_verified_at: Set(None),
        platform_admin: Set(false),
        created_at: Set(now.naive()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|err| match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AccountError::EmailTaken,
        _ => err.into(),
    })?;
    Ok(to_account(row)?)
}

/// The account with this email, and its password hash, for signing in.
pub async fn account_for_sign_in(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<(Account, String)>, StoreError> {
    let Some(row) = account::Entity::find()
        .filter(account::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let hash = row.password_hash.clone();
    Ok(Some((to_account(row)?, hash)))
}

pub async fn account_by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<Account>, StoreError> {
    account::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_account)
        .transpose()
}

pub async fn account_by_email(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<Account>, StoreError> {
    Ok(account_for_sign_in(db, email).await?.map(|(a, _)| a))
}

pub async fn set_password_hash(
    db: &impl ConnectionTrait,
    account_id: i32,
    password_hash: String,
) -> Result<(), StoreError> {
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::val(password_hash))
        .filter(account::Column::Id.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn make_platform_admin(
    db: &impl ConnectionTrait,
    account_id: i32,
) -> Result<(), StoreError> {
    account::Entity::update_many()
        .col_expr(account::Column::PlatformAdmin, Expr::val(true))
        .filter(account::Column::Id.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Stores a token (by its hash) that `purpose` will accept until `expires_at`.
pub async fn issue_token(
    db: &impl ConnectionTrait,
    account_id: i32,
    purpose: TokenPurpose,
    token_hash: String,
    expires_at: UtcTime,
    now: UtcTime,
) -> Result<(), StoreError> {
    email_token::ActiveModel {
        account_id: Set(account_id),
        purpose: Set(purpose.code().to_owned()),
        token_hash: Set(token_hash),
        expires_at: Set(expires_at.naive()),
        used_at: Set(None),
        created_at: Set(now.naive()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// How many `purpose` links account `account_id` was sent since `since`.
pub async fn links_sent_since(
    db: &impl ConnectionTrait,
    account_id: i32,
    purpose: TokenPurpose,
    since: UtcTime,
) -> Result<u64, StoreError> {
    Ok(email_token::Entity::find()
        .filter(email_token::Column::AccountId.eq(account_id))
        .filter(email_token::Column::Purpose.eq(purpose.code()))
        .filter(email_token::Column::CreatedAt.gt(since.naive()))
        .count(db)
        .await?)
}

/// Whether a token would be taken by [`use_token`] now (exists, is for `purpose`, not
/// expired, not used), without using it: checked before costly work such as hashing
/// a new password, which a forged link must not get for free.
pub async fn token_is_usable(
    db: &impl ConnectionTrait,
    purpose: TokenPurpose,
    token_hash: &str,
    now: UtcTime,
) -> Result<bool, StoreError> {
    let found = email_token::Entity::find()
        .filter(usable(purpose, token_hash, now))
        .count(db)
        .await?;
    Ok(found > 0)
}

/// A token that exists, is for `purpose`, has not expired and was not used.
fn usable(purpose: TokenPurpose, token_hash: &str, now: UtcTime) -> Condition {
    Condition::all()
        .add(email_token::Column::TokenHash.eq(token_hash))
        .add(email_token::Column::Purpose.eq(purpose.code()))
        .add(email_token::Column::UsedAt.is_null())
        .add(email_token::Column::ExpiresAt.gt(now.naive()))
}

/// Uses up a token: the account it was issued to, if the token exists, is for
/// `purpose`, has not expired and was not used before. One update decides, so a
/// link clicked twice at once works once.
pub async fn use_token(
    db: &impl ConnectionTrait,
    purpose: TokenPurpose,
    token_hash: &str,
    now: UtcTime,
) -> Result<Option<i32>, StoreError> {
    let used = email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, Expr::val(now.naive()))
        .filter(usable(purpose, token_hash, now))
        .exec(db)
        .await?;
    if used.rows_affected != 1 {
        return Ok(None);
    }
    Ok(email_token::Entity::find()
        .filter(email_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
        .map(|t| t.account_id))
}

/// Retires every unused token of `purpose` of the account: once a password is reset,
/// older reset links (perhaps in a mailbox someone else reads) must not work.
pub async fn retire_tokens(
    db: &impl ConnectionTrait,
    account_id: i32,
    purpose: TokenPurpose,
    now: UtcTime,
) -> Result<(), StoreError> {
    email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, Expr::val(now.naive()))
        .filter(email_token::Column::AccountId.eq(account_id))
        .filter(email_token::Column::Purpose.eq(purpose.code()))
        .filter(email_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Marks the account's email verified, in the transaction of whatever proved it
/// (a link that reached the address), and gives the account the roles that waited
/// for that (`waiting_roles`).
pub async fn mark_email_verified(
    txn: &DatabaseTransaction,
    account_id: i32,
    now: UtcTime,
) -> Result<(), StoreError> {
    let marked = account::Entity::update_many()
        .col_expr(account::Column::EmailVerifiedAt, Expr::val(now.naive()))
        .filter(account::Column::Id.eq(account_id))
        .filter(account::Column::EmailVerifiedAt.is_null())
        .exec(txn)
        .await?;
    if marked.rows_affected == 1 {
        crate::people::waiting_roles::take_up(txn, account_id, now.on_site()).await?;
    }
    Ok(())
}

/// Remembers a failed sign-in, to slow down whoever guesses passwords.
pub async fn record_sign_in_failure(
    db: &impl ConnectionTrait,
    email: &str,
    address: &str,
    now: UtcTime,
) -> Result<(), StoreError> {
    sign_in_failure::ActiveModel {
        email: Set(email.to_owned()),
        address: Set(address.to_owned()),
        at: Set(now.naive()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The four sums of [`recent_sign_in_failures`] (NULL when no row counts).
type FailureSums = (Option<i64>, Option<i64>, Option<i64>, Option<i64>);

/// The failed sign-ins that bear on an attempt at `email` from `address` at `now`
/// (what `domain::people::sign_in_gate` decides on), counted in one query over the
/// rows of that account or that address within the long window.
pub async fn recent_sign_in_failures(
    db: &impl ConnectionTrait,
    email: &str,
    address: &str,
    now: UtcTime,
) -> Result<RecentFailures, StoreError> {
    use sea_orm::sea_query::{ExprTrait, Func, SimpleExpr};
    let of_account = || sign_in_failure::Column::Email.eq(email);
    let from_address = || sign_in_failure::Column::Address.eq(address);
    let lately = || sign_in_failure::Column::At.gte((now - SHORT_WINDOW).naive());
    let count = |rows: SimpleExpr| Expr::expr(Func::sum(Expr::case(rows, 1).finally(0)));
    let counts: Option<FailureSums> = sign_in_failure::Entity::find()
        .select_only()
        .column_as(
            count(of_account().and(from_address()).and(lately())),
            "pair",
        )
        .column_as(count(from_address().and(lately())), "address")
        .column_as(count(of_account()), "account")
        .column_as(count(of_account().and(from_address())), "pair_long")
        .filter(sign_in_failure::Column::At.gte((now - LONG_WINDOW).naive()))
        .filter(of_account().or(from_address()))
        .into_tuple()
        .one(db)
        .await?;
    let (pair, by_address, account, pair_long) = counts.unwrap_or_default();
    let n = |sum: Option<i64>| u64::try_from(sum.unwrap_or(0)).unwrap_or(0);
    Ok(RecentFailures {
        account_and_address: n(pair),
        address: n(by_address),
        account: n(account),
        account_and_address_long: n(pair_long),
    })
}

/// Forgets the failed sign-ins at the account's email: its owner has just proved who
/// they are by resetting the password. One statement (the email is looked up inside).
pub async fn forget_sign_in_failures(
    db: &impl ConnectionTrait,
    account_id: i32,
) -> Result<(), StoreError> {
    use sea_orm::sea_query::Query;
    let email_of_account = Query::select()
        .column(account::Column::Email)
        .from(account::Entity)
        .and_where(account::Column::Id.eq(account_id))
        .to_owned();
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::Email.in_subquery(email_of_account))
        .exec(db)
        .await?;
    Ok(())
}

fn to_account(row: account::Model) -> Result<Account, StoreError> {
    let bad = |column: &'static str, value: &str| StoreError::BadValue {
        table: "account",
        column,
        value: value.to_owned(),
    };
    Ok(Account {
        id: row.id,
        email: Email::parse(&row.email).map_err(|_| bad("email", &row.email))?,
        name: PersonName::parse(&row.name).map_err(|_| bad("name", &row.name))?,
        lang: Lang::parse(&row.lang).ok_or_else(|| bad("lang", &row.lang))?,
        email_verified: row.email_verified_at.is_some(),
        platform_admin: row.platform_admin,
    })
}
