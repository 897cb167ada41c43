//! What a platform admin changes: new communities, new cooperatives in them, and the
//! admins each cooperative starts with or gains. Appointments are recorded in the
//! cooperative's own record (`cooperative_event`), where its members see them.
//! Two names that would make the same address are refused by the unique index on
//! the slug, not by a look-up before the insert.

use crate::entity::{account, community, cooperative, membership, orders, payment};
use crate::people::members::{CoopAction, record};
use crate::people::waiting_roles;
use crate::{StoreError, rows};
use chrono::NaiveDateTime;
use domain::clock::SiteTime;
use domain::commerce::payment::WRONG_AMOUNT;
use domain::people::members::Given;
use domain::people::platform::{
    CommunityRow, CooperativeRow, DEFAULT_TIMEZONE, NewCommunity, NewCooperative, Platform,
    WrongPaymentRow,
};
use domain::{Email, MemberRole, Slug};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    SqlErr,
};
use std::collections::HashMap;

/// The payments flagged `WRONG_AMOUNT`, newest first (at most 50).
async fn wrong_payments(db: &impl ConnectionTrait) -> Result<Vec<WrongPaymentRow>, StoreError> {
    let flagged: Vec<(i32, Option<String>, NaiveDateTime)> = payment::Entity::find()
        .filter(payment::Column::Status.eq(WRONG_AMOUNT))
        .select_only()
        .column(payment::Column::OrderId)
        .column(payment::Column::LastError)
        .column(payment::Column::UpdatedAt)
        .order_by_desc(payment::Column::UpdatedAt)
        .limit(50)
        .into_tuple()
        .all(db)
        .await?;
    let codes: HashMap<i32, String> = orders::Entity::find()
        .filter(orders::Column::Id.is_in(flagged.iter().map(|(order, ..)| *order)))
        .select_only()
        .column(orders::Column::Id)
        .column(orders::Column::Code)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(flagged
        .into_iter()
        .map(|(order, what_came, at)| WrongPaymentRow {
            order_code: codes.get(&order).cloned().unwrap_or_default(),
            what_came: what_came.unwrap_or_default(),
            at,
        })
        .collect())
}

/// Every community and cooperative, by name, with each cooperative's admins.
pub async fn overview(db: &impl ConnectionTrait) -> Result<Platform, StoreError> {
    let communities = community::Entity::find()
        .order_by_asc(community::Column::Name)
        .all(db)
        .await?;
    let community_names: HashMap<i32, String> =
        communities.iter().map(|c| (c.id, c.name.clone())).collect();
    let admins = membership::Entity::find()
        .filter(membership::Column::Role.eq(MemberRole::Admin.code()))
        .all(db)
        .await?;
    let names: HashMap<i32, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(admins.iter().map(|m| m.account_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let mut admins_of: HashMap<i32, Vec<String>> = HashMap::new();
    for m in admins {
        if let Some(name) = names.get(&m.account_id) {
            admins_of
                .entry(m.cooperative_id)
                .or_default()
                .push(name.clone());
        }
    }
    let mut waiting = waiting_roles::admins_by_cooperative(db).await?;
    let cooperatives = cooperative::Entity::find()
        .order_by_asc(cooperative::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            Ok(CooperativeRow {
                slug: rows::slug("cooperative", &c.slug)?,
                community: community_names
                    .get(&c.community_id)
                    .cloned()
                    .unwrap_or_default(),
                admins: admins_of.remove(&c.id).unwrap_or_default(),
                waiting_admins: waiting.remove(&c.id).unwrap_or_default(),
                name: c.name,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let communities = communities
        .into_iter()
        .map(|c| {
            Ok(CommunityRow {
                slug: rows::slug("community", &c.slug)?,
                name: c.name,
                state: c.state,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Platform {
        communities,
        cooperatives,
        wrong_payments: wrong_payments(db).await?,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// Another one has this name's address.
    #[error("the name is taken")]
    NameTaken,
    #[error("no such community")]
    NoSuchCommunity,
    /// The admin to appoint has no account.
    #[error("no account uses this email")]
    NoSuchAccount,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<DbErr> for CreateError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => CreateError::NameTaken,
            _ => CreateError::Store(err.into()),
        }
    }
}

/// Adds a community; its slug.
pub async fn create_community(
    db: &DatabaseConnection,
    new: &NewCommunity,
) -> Result<Slug, CreateError> {
    community::ActiveModel {
        slug: Set(new.slug.to_string()),
        name: Set(new.name.clone()),
        municipality: Set(new.municipality.clone()),
        state: Set(new.state.clone()),
        state_slug: Set(new.state_slug.to_string()),
        timezone: Set(DEFAULT_TIMEZONE.to_owned()),
        languages: Set(new.languages.join(",")),
        description_es: Set(new.description.es.clone()),
        description_en: Set(new.description.en.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(new.slug.clone())
}

/// Adds a cooperative to its community and, when one is named, appoints its first
/// admin (who waits for a verified address: `Given::Waits`), in one transaction: a
/// cooperative is never left half made.
pub async fn create_cooperative(
    db: &DatabaseConnection,
    new: &NewCooperative,
    by: i32,
    now: SiteTime,
) -> Result<(Slug, Option<Given>), CreateError> {
    let now = now.naive();
    let txn = crate::write_transaction(db).await?;
    let community = community::Entity::find()
        .filter(community::Column::Slug.eq(new.community.as_str()))
        .one(&txn)
        .await?
        .ok_or(CreateError::NoSuchCommunity)?;
    let admin = match &new.admin {
        Some(email) => Some(
            account_with(&txn, email)
                .await?
                .ok_or(CreateError::NoSuchAccount)?,
        ),
        None => None,
    };
    let coop = cooperative::ActiveModel {
        community_id: Set(community.id),
        slug: Set(new.slug.to_string()),
        name: Set(new.name.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        coop.id,
        CoopAction::Created,
        by,
        &coop.name,
        SiteTime::from_naive(now),
    )
    .await?;
    let given = match admin {
        Some(admin) => Some(
            // A cooperative made a moment ago has no admin yet: only the store can fail here.
            give_admin(&txn, coop.id, &admin, by, now)
                .await
                .map_err(|err| match err {
                    AppointError::Store(err) => CreateError::Store(err),
                    other => CreateError::Store(DbErr::Custom(other.to_string()).into()),
                })?,
        ),
        None => None,
    };
    txn.commit().await?;
    Ok((new.slug.clone(), given))
}

/// Makes `admin` an admin of `cooperative_id` now if its email is verified, or
/// once it is.
async fn give_admin(
    txn: &DatabaseTransaction,
    cooperative_id: i32,
    admin: &account::Model,
    by: i32,
    now: NaiveDateTime,
) -> Result<Given, AppointError> {
    if admin.email_verified_at.is_some() {
        if !add_admin(txn, cooperative_id, admin, by, now).await? {
            return Err(AppointError::AlreadyAdmin);
        }
        return Ok(Given::Now);
    }
    let role = waiting_roles::Role::Admin;
    if waiting_roles::wait(txn, admin, cooperative_id, role, &admin.name, by, now).await? {
        Ok(Given::Waits)
    } else {
        Err(AppointError::AlreadyWaiting)
    }
}

async fn account_with(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<account::Model>, StoreError> {
    Ok(account::Entity::find()
        .filter(account::Column::Email.eq(email.as_str()))
        .one(db)
        .await?)
}

/// An admin membership and its record; `false` when `admin` is one already. Looked
/// up first: on PostgreSQL a refused insert spoils the transaction it is in (the
/// unique index on memberships stays the backstop for two appointments at once).
pub(crate) async fn add_admin(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
    admin: &account::Model,
    by: i32,
    now: NaiveDateTime,
) -> Result<bool, AppointError> {
    let holds = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(admin.id))
        .filter(membership::Column::CooperativeId.eq(cooperative_id))
        .filter(membership::Column::Role.eq(MemberRole::Admin.code()))
        .count(db)
        .await?;
    if holds > 0 {
        return Ok(false);
    }
    membership::ActiveModel {
        account_id: Set(admin.id),
        cooperative_id: Set(cooperative_id),
        role: Set(MemberRole::Admin.code().to_owned()),
        producer_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    record(
        db,
        cooperative_id,
        CoopAction::AdminAppointed,
        by,
        &admin.name,
        SiteTime::from_naive(now),
    )
    .await?;
    Ok(true)
}

#[derive(Debug, thiserror::Error)]
pub enum AppointError {
    #[error("no such cooperative")]
    NoSuchCooperative,
    #[error("no account uses this email")]
    NoSuchAccount,
    #[error("already an admin of this cooperative")]
    AlreadyAdmin,
    #[error("already waits to be an admin of this cooperative")]
    AlreadyWaiting,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<DbErr> for AppointError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppointError::AlreadyAdmin,
            _ => AppointError::Store(err.into()),
        }
    }
}

/// Makes the account that uses `email` an admin of the cooperative `slug`, now if
/// its email is verified, or once it is (`Given::Waits`).
pub async fn appoint_admin(
    db: &DatabaseConnection,
    slug: &str,
    email: &Email,
    by: i32,
    now: SiteTime,
) -> Result<Given, AppointError> {
    let now = now.naive();
    let txn = crate::write_transaction(db).await?;
    let coop = cooperative::Entity::find()
        .filter(cooperative::Column::Slug.eq(slug))
        .one(&txn)
        .await?
        .ok_or(AppointError::NoSuchCooperative)?;
    let admin = account_with(&txn, email)
        .await?
        .ok_or(AppointError::NoSuchAccount)?;
    let given = give_admin(&txn, coop.id, &admin, by, now).await?;
    txn.commit().await?;
    Ok(given)
}
