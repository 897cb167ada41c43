//! Roles that wait for an address to be proved: appointing a cooperative admin or
//! entrusting a helper to an account whose email is not verified writes a
//! `waiting_role` row; the transaction that verifies the address (the emailed
//! verification link, a password reset link, an accepted invitation) takes it up:
//! the membership or grant is made then, recorded as given by whoever gave it.

use crate::entity::{account, producer, waiting_role};
use crate::people::members::{self, CoopAction, GrantError, record};
use crate::{StoreError, people::platform};
use chrono::NaiveDateTime;
use domain::clock::SiteTime;
use domain::people::members::WaitingRole;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use std::collections::HashMap;

const ADMIN: &str = "admin";
const HELPER: &str = "helper";

/// A role that can wait: admin of a cooperative, or helper of one of its producers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Admin,
    Helper { producer_id: i32 },
}

impl Role {
    fn code(self) -> &'static str {
        match self {
            Role::Admin => ADMIN,
            Role::Helper { .. } => HELPER,
        }
    }

    /// The role a row records.
    fn of(row: &waiting_role::Model) -> Result<Role, StoreError> {
        match (row.role.as_str(), row.producer_id) {
            (ADMIN, None) => Ok(Role::Admin),
            (HELPER, Some(producer_id)) => Ok(Role::Helper { producer_id }),
            _ => Err(StoreError::BadValue {
                table: "waiting_role",
                column: "role",
                value: row.role.clone(),
            }),
        }
    }

    fn producer_id(self) -> Option<i32> {
        match self {
            Role::Admin => None,
            Role::Helper { producer_id } => Some(producer_id),
        }
    }
}

/// Makes `role` in `cooperative_id` wait for `account` to verify its email, and
/// records that it waits; `false` when the same role already waits.
pub(crate) async fn wait(
    db: &impl ConnectionTrait,
    account: &account::Model,
    cooperative_id: i32,
    role: Role,
    subject: &str,
    by: i32,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let mut same = waiting_role::Entity::find()
        .filter(waiting_role::Column::AccountId.eq(account.id))
        .filter(waiting_role::Column::CooperativeId.eq(cooperative_id))
        .filter(waiting_role::Column::Role.eq(role.code()));
    same = match role.producer_id() {
        Some(id) => same.filter(waiting_role::Column::ProducerId.eq(id)),
        None => same.filter(waiting_role::Column::ProducerId.is_null()),
    };
    if same.count(db).await? > 0 {
        return Ok(false);
    }
    waiting_role::ActiveModel {
        account_id: Set(account.id),
        cooperative_id: Set(cooperative_id),
        role: Set(role.code().to_owned()),
        producer_id: Set(role.producer_id()),
        granted_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let action = match role {
        Role::Admin => CoopAction::AdminWaits,
        Role::Helper { .. } => CoopAction::HelperWaits,
    };
    record(
        db,
        cooperative_id,
        action,
        by,
        subject,
        SiteTime::from_naive(now),
    )
    .await?;
    Ok(true)
}

/// Gives `account_id` the roles that waited for its address, in the transaction
/// that marks it verified, and forgets them. A role it holds by now is not given
/// twice; a helper role for a producer who has left the cooperative lapses.
pub(crate) async fn take_up(
    txn: &DatabaseTransaction,
    account_id: i32,
    now: SiteTime,
) -> Result<(), StoreError> {
    let now = now.naive();
    let waiting = waiting_role::Entity::find()
        .filter(waiting_role::Column::AccountId.eq(account_id))
        .order_by_asc(waiting_role::Column::Id)
        .all(txn)
        .await?;
    if waiting.is_empty() {
        return Ok(());
    }
    let Some(account) = account::Entity::find_by_id(account_id).one(txn).await? else {
        return Ok(());
    };
    for row in &waiting {
        let by = row.granted_by;
        // Already held by now: `add_*` say so with `false`, and nothing is given twice.
        match Role::of(row)? {
            Role::Admin => {
                platform::add_admin(txn, row.cooperative_id, &account, by, now)
                    .await
                    .map_err(|err| match err {
                        platform::AppointError::Store(err) => err,
                        other => StoreError::Db(sea_orm::DbErr::Custom(other.to_string())),
                    })?;
            }
            Role::Helper { producer_id } => {
                let Some(producer) = producer::Entity::find_by_id(producer_id)
                    .filter(producer::Column::LeftAt.is_null())
                    .one(txn)
                    .await?
                else {
                    continue;
                };
                members::add_helper(txn, row.cooperative_id, &account, &producer, by, now)
                    .await
                    .map_err(|err| match err {
                        GrantError::Store(err) => err,
                        other => StoreError::Db(sea_orm::DbErr::Custom(other.to_string())),
                    })?;
            }
        }
    }
    waiting_role::Entity::delete_many()
        .filter(waiting_role::Column::AccountId.eq(account_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The roles waiting in `cooperative_id`, oldest first.
pub async fn of_cooperative(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<Vec<WaitingRole>, StoreError> {
    let rows = waiting_role::Entity::find()
        .filter(waiting_role::Column::CooperativeId.eq(cooperative_id))
        .order_by_asc(waiting_role::Column::Id)
        .all(db)
        .await?;
    let accounts: HashMap<i32, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(rows.iter().map(|r| r.account_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let producers: HashMap<i32, String> = producer::Entity::find()
        .filter(producer::Column::Id.is_in(rows.iter().filter_map(|r| r.producer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let account = accounts.get(&r.account_id)?;
            Some(WaitingRole {
                id: r.id,
                name: account.name.clone(),
                email: account.email.clone(),
                helps: r.producer_id.and_then(|id| producers.get(&id).cloned()),
                since: r.created_at,
            })
        })
        .collect())
}

/// The names of the admins waiting for their address, by cooperative id.
pub(crate) async fn admins_by_cooperative(
    db: &impl ConnectionTrait,
) -> Result<HashMap<i32, Vec<String>>, StoreError> {
    let rows = waiting_role::Entity::find()
        .filter(waiting_role::Column::Role.eq(ADMIN))
        .order_by_asc(waiting_role::Column::Id)
        .find_also_related(account::Entity)
        .all(db)
        .await?;
    let mut by_cooperative: HashMap<i32, Vec<String>> = HashMap::new();
    for (role, account) in rows {
        if let Some(account) = account {
            by_cooperative
                .entry(role.cooperative_id)
                .or_default()
                .push(account.name);
        }
    }
    Ok(by_cooperative)
}

/// Withdraws waiting role `id` of `cooperative_id` and records it; `false` when
/// there was none.
pub async fn withdraw(
    db: &sea_orm::DatabaseConnection,
    cooperative_id: i32,
    id: i32,
    by: i32,
    now: SiteTime,
) -> Result<bool, StoreError> {
    let txn = crate::write_transaction(db).await?;
    let Some((role, Some(account))) = waiting_role::Entity::find_by_id(id)
        .filter(waiting_role::Column::CooperativeId.eq(cooperative_id))
        .find_also_related(account::Entity)
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let gone = waiting_role::Entity::delete_many()
        .filter(waiting_role::Column::Id.eq(role.id))
        .exec(&txn)
        .await?;
    if gone.rows_affected != 1 {
        return Ok(false);
    }
    record(
        &txn,
        cooperative_id,
        CoopAction::WaitingWithdrawn,
        by,
        &account.name,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}
