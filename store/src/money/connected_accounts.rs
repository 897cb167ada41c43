//! Each cooperative's account at the payment provider (Stripe Connect), with the
//! state Tianguis last learnt of it: created at onboarding, updated from the
//! provider's `account.updated` news. No transfer is attempted to an account that
//! cannot receive it.

use crate::StoreError;
use crate::entity::connected_account;
use domain::clock::SiteTime;
use domain::money::payout::ConnectedStatus;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// A cooperative's connected account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    pub cooperative_id: i32,
    pub account_ref: String,
    pub status: ConnectedStatus,
}

fn connected(row: connected_account::Model) -> Result<Connected, StoreError> {
    let status = ConnectedStatus::parse(&row.status)
        .ok_or_else(|| crate::rows::bad("connected_account", "status", &row.status))?;
    Ok(Connected {
        cooperative_id: row.cooperative_id,
        account_ref: row.account_ref,
        status,
    })
}

pub async fn of(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<Option<Connected>, StoreError> {
    connected_account::Entity::find()
        .filter(connected_account::Column::CooperativeId.eq(cooperative_id))
        .filter(connected_account::Column::Provider.eq("stripe"))
        .one(db)
        .await?
        .map(connected)
        .transpose()
}

/// Records cooperative `cooperative_id`'s new account (once: a second call keeps the
/// first account).
pub async fn save(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
    account_ref: &str,
    status: ConnectedStatus,
    now: SiteTime,
) -> Result<(), StoreError> {
    let now = now.naive();
    connected_account::Entity::insert(connected_account::ActiveModel {
        cooperative_id: Set(cooperative_id),
        provider: Set("stripe".to_owned()),
        account_ref: Set(account_ref.to_owned()),
        status: Set(status.code().to_owned()),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(connected_account::Column::CooperativeId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Whether `account_ref` is one of the cooperatives' accounts at the provider.
pub async fn is_ours(db: &impl ConnectionTrait, account_ref: &str) -> Result<bool, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(connected_account::Entity::find()
        .filter(connected_account::Column::AccountRef.eq(account_ref))
        .count(db)
        .await?
        > 0)
}

/// The provider says account `account_ref` is now `status`; whether it is ours.
pub async fn set_status(
    db: &impl ConnectionTrait,
    account_ref: &str,
    status: ConnectedStatus,
    now: SiteTime,
) -> Result<bool, StoreError> {
    let now = now.naive();
    let done = connected_account::Entity::update_many()
        .col_expr(connected_account::Column::Status, Expr::val(status.code()))
        .col_expr(connected_account::Column::UpdatedAt, Expr::val(now))
        .filter(connected_account::Column::AccountRef.eq(account_ref))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}
