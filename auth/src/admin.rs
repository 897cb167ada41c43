//! Platform admins: the first one is made from the command line
//! (`tianguis admin create`), since nobody can appoint anybody before it exists. An
//! account that already exists is made one only with its own password: running the
//! command is no way to take over somebody's account, nor to give a role to an address
//! nobody proved they own.

use crate::password::{self, PasswordHashError};
use domain::clock::UtcTime;
use domain::{Email, Lang, NewPassword, PersonName};
use store::people::accounts::{self, AccountError, NewAccount};
use store::{DatabaseConnection, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminOutcome {
    /// A new account, already verified (whoever runs the command owns the server).
    Created,
    /// The account existed, and the password given is its own; it is now a platform
    /// admin, and its address counts as verified (its owner proved it).
    Promoted,
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Password(#[from] PasswordHashError),
    /// An account uses the email, and the password given is not its password.
    #[error(
        "{0} already has an account, and the password given is not its password: give that \
         account's password, or reset it first (\"¿Olvidaste tu contraseña?\" on the sign-in page)"
    )]
    NotItsPassword(Email),
}

/// Makes the account of `email`, if there is one and `password` is its password, a
/// platform admin; `false` when there is no such account.
async fn promote(
    db: &DatabaseConnection,
    email: &Email,
    password: &NewPassword,
    now: UtcTime,
) -> Result<bool, AdminError> {
    let Some((existing, hash)) = accounts::account_for_sign_in(db, email).await? else {
        return Ok(false);
    };
    if !password::verify(&hash, password.expose()).await? {
        return Err(AdminError::NotItsPassword(email.clone()));
    }
    let txn = store::write_transaction(db)
        .await
        .map_err(StoreError::from)?;
    if !existing.email_verified {
        accounts::mark_email_verified(&txn, existing.id, now).await?;
    }
    accounts::make_platform_admin(&txn, existing.id).await?;
    txn.commit().await.map_err(StoreError::from)?;
    Ok(true)
}

/// Makes `email` a platform admin, creating its account when there is none; an
/// existing account needs its own password. Running it twice changes nothing the
/// second time.
pub async fn create_platform_admin(
    db: &DatabaseConnection,
    email: Email,
    name: PersonName,
    password: &NewPassword,
    now: UtcTime,
) -> Result<AdminOutcome, AdminError> {
    if promote(db, &email, password, now).await? {
        return Ok(AdminOutcome::Promoted);
    }
    let new = NewAccount {
        email: email.clone(),
        name,
        password_hash: password::hash(password).await?,
        lang: Lang::Es,
    };
    let account = match accounts::create_account(db, new, now).await {
        Ok(account) => account,
        // Created by someone else between the look-up and now: promote that one.
        Err(AccountError::EmailTaken) if promote(db, &email, password, now).await? => {
            return Ok(AdminOutcome::Promoted);
        }
        Err(AccountError::EmailTaken) => {
            return Err(StoreError::BadValue {
                table: "account",
                column: "email",
                value: format!("{email} (taken, then not found)"),
            }
            .into());
        }
        Err(AccountError::Store(err)) => return Err(err.into()),
    };
    let txn = store::write_transaction(db)
        .await
        .map_err(StoreError::from)?;
    accounts::mark_email_verified(&txn, account.id, now).await?;
    accounts::make_platform_admin(&txn, account.id).await?;
    txn.commit().await.map_err(StoreError::from)?;
    Ok(AdminOutcome::Created)
}
