//! Platform admins: the first one is made from the command line
//! (`tianguis admin create`), since nobody can appoint anybody before it exists.

use crate::password::{self, PasswordHashError};
use domain::clock::UtcTime;
use domain::{Email, Lang, NewPassword, PersonName};
use store::people::accounts::{self, AccountError, NewAccount};
use store::{DatabaseConnection, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminOutcome {
    /// A new account, already verified (whoever runs the command owns the server).
    Created,
    /// The account existed; it is now a platform admin. Its password is unchanged.
    Promoted,
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Password(#[from] PasswordHashError),
}

/// Makes the account of `email`, if there is one, a platform admin.
async fn promote(db: &DatabaseConnection, email: &Email) -> Result<bool, StoreError> {
    let Some(existing) = accounts::account_by_email(db, email).await? else {
        return Ok(false);
    };
    accounts::make_platform_admin(db, existing.id).await?;
    Ok(true)
}

/// Makes `email` a platform admin, creating its account when there is none.
/// Running it twice changes nothing the second time.
pub async fn create_platform_admin(
    db: &DatabaseConnection,
    email: Email,
    name: PersonName,
    password: &NewPassword,
    now: UtcTime,
) -> Result<AdminOutcome, AdminError> {
    if promote(db, &email).await? {
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
        Err(AccountError::EmailTaken) if promote(db, &email).await? => {
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
    accounts::mark_email_verified(db, account.id, now).await?;
    accounts::make_platform_admin(db, account.id).await?;
    Ok(AdminOutcome::Created)
}
