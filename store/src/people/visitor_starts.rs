//! The counts behind the hourly limits (`domain::people::hourly_limits`): what
//! visitors started (`visitor_start`) and the emails written to an address (the
//! outbox keeps who each was for, even once its text is gone).

use crate::StoreError;
use crate::entity::{outbox_email, visitor_start};
use chrono::Duration;
use domain::Email;
use domain::clock::UtcTime;
use domain::people::hourly_limits::{LastHour, Started};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter,
};

/// What the hour before `now` holds for a start of `kind` by `email` from `address`.
pub async fn last_hour(
    db: &impl ConnectionTrait,
    kind: Started,
    email: &Email,
    address: &str,
    now: UtcTime,
) -> Result<LastHour, StoreError> {
    let since = (now - Duration::hours(1)).naive();
    let of_kind = || {
        visitor_start::Entity::find()
            .filter(visitor_start::Column::Kind.eq(kind.code()))
            .filter(visitor_start::Column::At.gte(since))
    };
    let by_email = of_kind()
        .filter(visitor_start::Column::Email.eq(email.as_str()))
        .count(db)
        .await?;
    let by_address = of_kind()
        .filter(visitor_start::Column::Address.eq(address))
        .count(db)
        .await?;
    let emails_to = outbox_email::Entity::find()
        .filter(outbox_email::Column::ToEmail.eq(email.as_str()))
        .filter(outbox_email::Column::CreatedAt.gte(since))
        .count(db)
        .await?;
    Ok(LastHour {
        by_email,
        by_address,
        emails_to,
    })
}

/// Records a start, and forgets this email's and this address's starts that no
/// longer count (so the table holds about an hour of them).
pub async fn record(
    db: &impl ConnectionTrait,
    kind: Started,
    email: &Email,
    address: &str,
    now: UtcTime,
) -> Result<(), StoreError> {
    let since = (now - Duration::hours(1)).naive();
    visitor_start::Entity::delete_many()
        .filter(visitor_start::Column::At.lt(since))
        .filter(
            Condition::any()
                .add(visitor_start::Column::Email.eq(email.as_str()))
                .add(visitor_start::Column::Address.eq(address)),
        )
        .exec(db)
        .await?;
    visitor_start::ActiveModel {
        kind: Set(kind.code().to_owned()),
        email: Set(email.as_str().to_owned()),
        address: Set(address.to_owned()),
        at: Set(now.naive()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
