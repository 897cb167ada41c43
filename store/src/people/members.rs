//! A cooperative's people and profile, as its admin manages them: inviting producers
//! by email, their accepting, withdrawing an invitation, removing a member,
//! entrusting a producer's listings to a helper, and editing the public profile.
//! Each change is one transaction that also writes a `cooperative_event` row: who
//! did what to whom, and when.
//!
//! Who may is decided before these are called (`domain::people::access`); what makes sense
//! (a member invited twice, the last admin leaving) is decided here.

use crate::booking::calendar_feeds::{self, FreshToken, Rotation};
use crate::catalog::listings::{self, Actor};
use crate::entity::{
    account, cooperative, cooperative_event, helper_grant, invitation, membership, producer,
};
use crate::outbox::{self, Letter};
use crate::people::waiting_roles;
use crate::{StoreError, people::accounts, rows};
use chrono::{Duration, NaiveDateTime};
use domain::catalog::ProducerRole;
use domain::clock::SiteTime;
use domain::people::members::{
    CoopEvent, CoopProfile, Given, Helper, INVITATION_DAYS, Invitation, InvitationState, Member,
    NewInvitation, PendingInvitation, ProducerRef,
};
use domain::{Email, MemberRole, Slug};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use std::collections::HashMap;

/// What was done, as `cooperative_event.action` records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoopAction {
    Invited,
    InvitationWithdrawn,
    Joined,
    MemberRemoved,
    HelperGranted,
    HelperRevoked,
    ProfileEdited,
    AdminAppointed,
    AdminRemoved,
    /// The platform admin made the cooperative.
    Created,
    /// A producer's public profile (texts or photo) changed.
    ProducerProfileEdited,
    /// Appointed admin, waiting for the account to verify its email.
    AdminWaits,
    /// Entrusted as a helper, waiting for the account to verify its email.
    HelperWaits,
    /// A role that waited for an address was withdrawn.
    WaitingWithdrawn,
}

impl CoopAction {
    pub fn code(self) -> &'static str {
        match self {
            CoopAction::Invited => "invited",
            CoopAction::InvitationWithdrawn => "invitation_withdrawn",
            CoopAction::Joined => "joined",
            CoopAction::MemberRemoved => "member_removed",
            CoopAction::HelperGranted => "helper_granted",
            CoopAction::HelperRevoked => "helper_revoked",
            CoopAction::ProfileEdited => "profile_edited",
            CoopAction::AdminAppointed => "admin_appointed",
            CoopAction::AdminRemoved => "admin_removed",
            CoopAction::Created => "created",
            CoopAction::ProducerProfileEdited => "producer_profile_edited",
            CoopAction::AdminWaits => "admin_waits",
            CoopAction::HelperWaits => "helper_waits",
            CoopAction::WaitingWithdrawn => "waiting_withdrawn",
        }
    }
}

/// Writes the record of a change to cooperative `cooperative_id`, in the change's
/// transaction.
pub async fn record(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
    action: CoopAction,
    actor_account_id: i32,
    subject: &str,
    at: SiteTime,
) -> Result<(), StoreError> {
    let at = at.naive();
    cooperative_event::ActiveModel {
        cooperative_id: Set(cooperative_id),
        action: Set(action.code().to_owned()),
        actor_account_id: Set(actor_account_id),
        subject: Set(subject.to_owned()),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A cooperative's latest changes, newest first.
pub async fn history(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
    limit: u64,
) -> Result<Vec<CoopEvent>, StoreError> {
    use sea_orm::QuerySelect;
    let events = cooperative_event::Entity::find()
        .filter(cooperative_event::Column::CooperativeId.eq(cooperative_id))
        .order_by_desc(cooperative_event::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let names = names_of(db, events.iter().map(|e| e.actor_account_id)).await?;
    Ok(events
        .into_iter()
        .map(|e| {
            let by = names
                .get(&e.actor_account_id)
                .map(|(name, _)| name.clone())
                .unwrap_or_default();
            CoopEvent {
                action: e.action,
                by,
                subject: e.subject,
                at: e.at,
            }
        })
        .collect())
}

/// Names and emails of accounts, by id.
async fn names_of(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
) -> Result<HashMap<i32, (String, String)>, StoreError> {
    let ids: Vec<i32> = ids.collect();
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, (a.name, a.email)))
        .collect())
}

/// The cooperative's members: admins first, then producers, by name.
pub async fn members(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<Vec<Member>, StoreError> {
    let rows = membership::Entity::find()
        .filter(membership::Column::CooperativeId.eq(cooperative_id))
        .all(db)
        .await?;
    let names = names_of(db, rows.iter().map(|m| m.account_id)).await?;
    let producers: HashMap<i32, producer::Model> = producer::Entity::find()
        .filter(producer::Column::CooperativeId.eq(cooperative_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut members = rows
        .into_iter()
        .map(|m| {
            let (name, email) = names.get(&m.account_id).cloned().unwrap_or_default();
            let producer = match m.producer_id.and_then(|id| producers.get(&id)) {
                Some(p) => Some(producer_ref(p)?),
                None => None,
            };
            Ok(Member {
                membership_id: m.id,
                account_id: m.account_id,
                name,
                email,
                role: MemberRole::parse(&m.role).ok_or_else(|| StoreError::BadValue {
                    table: "membership",
                    column: "role",
                    value: m.role.clone(),
                })?,
                producer,
                since: m.created_at,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    members.sort_by_key(|m| (m.role != MemberRole::Admin, m.name.to_lowercase()));
    Ok(members)
}

/// The cooperative's current producer profiles, by name.
pub async fn producers(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<Vec<ProducerRef>, StoreError> {
    producer::Entity::find()
        .filter(producer::Column::CooperativeId.eq(cooperative_id))
        .filter(producer::Column::LeftAt.is_null())
        .order_by_asc(producer::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| producer_ref(&p))
        .collect()
}

fn producer_ref(p: &producer::Model) -> Result<ProducerRef, StoreError> {
    Ok(ProducerRef {
        id: p.id,
        slug: rows::slug("producer", &p.slug)?,
        name: p.name.clone(),
        role: rows::role(&p.role)?,
    })
}

/// Invitations nobody has accepted or withdrawn, newest first (expired ones too, so
/// the admin sees they need sending again).
pub async fn pending_invitations(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<Vec<PendingInvitation>, StoreError> {
    let rows = invitation::Entity::find()
        .filter(invitation::Column::CooperativeId.eq(cooperative_id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .order_by_desc(invitation::Column::Id)
        .all(db)
        .await?;
    let names = names_of(db, rows.iter().map(|i| i.invited_by)).await?;
    rows.into_iter()
        .map(|i| {
            Ok(PendingInvitation {
                id: i.id,
                role: rows::role(&i.producer_role)?,
                invited_by: names
                    .get(&i.invited_by)
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default(),
                email: i.email,
                sent_at: i.created_at,
                expires_at: i.expires_at,
            })
        })
        .collect()
}

/// The helpers entrusted with the cooperative's producers.
pub async fn helpers(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<Vec<Helper>, StoreError> {
    let grants = helper_grant::Entity::find()
        .find_also_related(producer::Entity)
        .filter(producer::Column::CooperativeId.eq(cooperative_id))
        .order_by_asc(helper_grant::Column::Id)
        .all(db)
        .await?;
    let names = names_of(db, grants.iter().map(|(g, _)| g.helper_account_id)).await?;
    Ok(grants
        .into_iter()
        .filter_map(|(g, p)| p.map(|p| (g, p)))
        .map(|(g, p)| {
            let (name, email) = names.get(&g.helper_account_id).cloned().unwrap_or_default();
            Helper {
                grant_id: g.id,
                name,
                email,
                producer_id: p.id,
                producer_name: p.name,
            }
        })
        .collect())
}

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("already a producer of this cooperative")]
    AlreadyMember,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for InviteError {
    fn from(err: sea_orm::DbErr) -> Self {
        InviteError::Store(err.into())
    }
}

/// An emailed invitation: the subject and body of its email (with the link in it).
pub struct InvitationEmail<'a> {
    pub token_hash: String,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Invites `new.email` to cooperative `cooperative_id` as a producer, writing the
/// invitation and its email in one transaction. An earlier invitation of the same
/// address that is still open is withdrawn: only the newest link works.
pub async fn invite(
    db: &DatabaseConnection,
    cooperative_id: i32,
    new: &NewInvitation,
    email: InvitationEmail<'_>,
    invited_by: i32,
    now: SiteTime,
) -> Result<(), InviteError> {
    let now = now.naive();
    let txn = crate::write_transaction(db).await?;
    if producer_membership_of(&txn, &new.email, cooperative_id)
        .await?
        .is_some()
    {
        return Err(InviteError::AlreadyMember);
    }
    invitation::Entity::update_many()
        .col_expr(invitation::Column::RevokedAt, Expr::val(now))
        .filter(invitation::Column::CooperativeId.eq(cooperative_id))
        .filter(invitation::Column::Email.eq(new.email.as_str()))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    invitation::ActiveModel {
        cooperative_id: Set(cooperative_id),
        email: Set(new.email.as_str().to_owned()),
        producer_role: Set(new.role.code().to_owned()),
        token_hash: Set(email.token_hash),
        invited_by: Set(invited_by),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(INVITATION_DAYS)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let letter = Letter {
        to: new.email.clone(),
        lang: new.lang,
        subject: email.subject.to_owned(),
        body: email.body.to_owned(),
        opens: Vec::new(),
    };
    outbox::queue(&txn, &letter, SiteTime::from_naive(now).in_utc()).await?;
    record(
        &txn,
        cooperative_id,
        CoopAction::Invited,
        invited_by,
        new.email.as_str(),
        SiteTime::from_naive(now),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The producer membership in `cooperative_id` of the account that uses `email`.
async fn producer_membership_of(
    db: &impl ConnectionTrait,
    email: &Email,
    cooperative_id: i32,
) -> Result<Option<membership::Model>, StoreError> {
    let Some(account) = account::Entity::find()
        .filter(account::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account.id))
        .filter(membership::Column::CooperativeId.eq(cooperative_id))
        .filter(membership::Column::Role.eq(MemberRole::Producer.code()))
        .one(db)
        .await?)
}

/// What the invitation link with this token opens, if it exists.
pub async fn invitation(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: SiteTime,
) -> Result<Option<Invitation>, StoreError> {
    let now = now.naive();
    let Some((row, coop)) = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_hash))
        .find_also_related(cooperative::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(coop) = coop else {
        return Ok(None);
    };
    let invited_by = names_of(db, std::iter::once(row.invited_by))
        .await?
        .remove(&row.invited_by)
        .map(|(name, _)| name)
        .unwrap_or_default();
    Ok(Some(Invitation {
        cooperative_slug: rows::slug("cooperative", &coop.slug)?,
        cooperative_name: coop.name,
        role: rows::role(&row.producer_role)?,
        state: InvitationState::at(
            now,
            row.expires_at,
            row.accepted_at.is_some(),
            row.revoked_at.is_some(),
        ),
        email: row.email,
        invited_by,
    }))
}

#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    #[error("the invitation is not open")]
    NotOpen,
    /// The link was sent to another address than the signed-in account's.
    #[error("the invitation is for {invited}")]
    WrongAccount { invited: String },
    #[error("already a producer of this cooperative")]
    AlreadyMember,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for AcceptError {
    fn from(err: sea_orm::DbErr) -> Self {
        AcceptError::Store(err.into())
    }
}

/// Where an accepted invitation led.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub cooperative_slug: Slug,
}

/// `account_id` accepts the invitation with this token: a producer profile in its
/// name and a producer membership, in one transaction. The link reached the
/// account's address, so the address counts as verified.
pub async fn accept(
    db: &DatabaseConnection,
    token_hash: &str,
    account_id: i32,
    now: SiteTime,
) -> Result<Joined, AcceptError> {
    let now = now.naive();
    let txn = crate::write_transaction(db).await?;
    let Some((row, Some(coop))) = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_hash))
        .find_also_related(cooperative::Entity)
        .one(&txn)
        .await?
    else {
        return Err(AcceptError::NotOpen);
    };
    let state = InvitationState::at(
        now,
        row.expires_at,
        row.accepted_at.is_some(),
        row.revoked_at.is_some(),
    );
    if state != InvitationState::Open {
        return Err(AcceptError::NotOpen);
    }
    let account = account::Entity::find_by_id(account_id)
        .one(&txn)
        .await?
        .ok_or(AcceptError::NotOpen)?;
    if !account.email.eq_ignore_ascii_case(&row.email) {
        return Err(AcceptError::WrongAccount { invited: row.email });
    }
    let email = Email::parse(&account.email).map_err(|_| StoreError::BadValue {
        table: "account",
        column: "email",
        value: account.email.clone(),
    })?;
    if producer_membership_of(&txn, &email, coop.id)
        .await?
        .is_some()
    {
        return Err(AcceptError::AlreadyMember);
    }
    // Only one person can take an invitation, even when two click at once.
    let taken = invitation::Entity::update_many()
        .col_expr(invitation::Column::AcceptedAt, Expr::val(now))
        .col_expr(invitation::Column::AcceptedBy, Expr::val(account_id))
        .filter(invitation::Column::Id.eq(row.id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        return Err(AcceptError::NotOpen);
    }
    let role = rows::role(&row.producer_role)?;
    let producer_id = new_producer(&txn, coop.id, &account.name, role).await?;
    membership::ActiveModel {
        account_id: Set(account_id),
        cooperative_id: Set(coop.id),
        role: Set(MemberRole::Producer.code().to_owned()),
        producer_id: Set(Some(producer_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    accounts::mark_email_verified(&txn, account_id, SiteTime::from_naive(now).in_utc()).await?;
    record(
        &txn,
        coop.id,
        CoopAction::Joined,
        account_id,
        &account.name,
        SiteTime::from_naive(now),
    )
    .await?;
    txn.commit().await?;
    Ok(Joined {
        cooperative_slug: rows::slug("cooperative", &coop.slug)?,
    })
}

/// A producer profile named `name`, under a slug nobody has: the name's, or with -2,
/// -3 … after it.
async fn new_producer(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
    name: &str,
    role: ProducerRole,
) -> Result<i32, StoreError> {
    let base = Slug::from_name(name);
    let taken: Vec<String> = producer::Entity::find()
        .filter(producer::Column::Slug.starts_with(base.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.slug)
        .collect();
    let slug = std::iter::once(base.to_string())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|s| !taken.contains(s))
        .expect("an unused number");
    let inserted = producer::ActiveModel {
        cooperative_id: Set(cooperative_id),
        slug: Set(slug),
        name: Set(name.to_owned()),
        role: Set(role.code().to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(inserted.id)
}

/// Withdraws an open invitation; `false` when there was none to withdraw.
pub async fn withdraw_invitation(
    db: &DatabaseConnection,
    cooperative_id: i32,
    invitation_id: i32,
    by: i32,
    now: SiteTime,
) -> Result<bool, StoreError> {
    let now = now.naive();
    let txn = crate::write_transaction(db).await?;
    let Some(row) = invitation::Entity::find_by_id(invitation_id)
        .filter(invitation::Column::CooperativeId.eq(cooperative_id))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let withdrawn = invitation::Entity::update_many()
        .col_expr(invitation::Column::RevokedAt, Expr::val(now))
        .filter(invitation::Column::Id.eq(row.id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if withdrawn.rows_affected != 1 {
        return Ok(false);
    }
    record(
        &txn,
        cooperative_id,
        CoopAction::InvitationWithdrawn,
        by,
        &row.email,
        SiteTime::from_naive(now),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

#[derive(Debug, thiserror::Error)]
pub enum RemoveError {
    #[error("no such member")]
    NotFound,
    /// A cooperative always keeps one admin.
    #[error("the last admin cannot be removed")]
    LastAdmin,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for RemoveError {
    fn from(err: sea_orm::DbErr) -> Self {
        RemoveError::Store(err.into())
    }
}

/// Who left, and how many of their listings were taken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub account_id: i32,
    pub taken_down: usize,
}

/// Ends membership `membership_id` of the cooperative. A producer who leaves keeps
/// their profile and listings (sales refer to them), but the listings go back to
/// draft, the profile is no longer shown as a member, and their helpers' grants end;
/// so do the grants the leaver held as a helper of the cooperative's producers.
pub async fn remove(
    db: &DatabaseConnection,
    cooperative_id: i32,
    membership_id: i32,
    by: i32,
    now: SiteTime,
    fresh: FreshToken<'_>,
) -> Result<Removed, RemoveError> {
    let now = now.naive();
    let txn = crate::write_transaction(db).await?;
    let Some(member) = membership::Entity::find_by_id(membership_id)
        .filter(membership::Column::CooperativeId.eq(cooperative_id))
        .one(&txn)
        .await?
    else {
        return Err(RemoveError::NotFound);
    };
    let role = MemberRole::parse(&member.role);
    if role == Some(MemberRole::Admin) {
        let admins = membership::Entity::find()
            .filter(membership::Column::CooperativeId.eq(cooperative_id))
            .filter(membership::Column::Role.eq(MemberRole::Admin.code()))
            .all(&txn)
            .await?;
        if admins.len() <= 1 {
            return Err(RemoveError::LastAdmin);
        }
    }
    // Only one of two admins removing the same member at once does it.
    let gone = membership::Entity::delete_many()
        .filter(membership::Column::Id.eq(member.id))
        .exec(&txn)
        .await?;
    if gone.rows_affected != 1 {
        return Err(RemoveError::NotFound);
    }
    let mut taken_down = 0;
    if let Some(producer_id) = member.producer_id {
        let actor = Actor {
            account_id: by,
            on_behalf_of: None,
        };
        taken_down = listings::withdraw_all_of(&txn, producer_id, actor, now).await?;
        producer::Entity::update_many()
            .col_expr(producer::Column::LeftAt, Expr::val(now))
            .filter(producer::Column::Id.eq(producer_id))
            .exec(&txn)
            .await?;
        helper_grant::Entity::delete_many()
            .filter(helper_grant::Column::ProducerId.eq(producer_id))
            .exec(&txn)
            .await?;
    }
    // Nor does the leaver go on helping the cooperative's producers, nor read the
    // calendar feeds they saw: those get new addresses.
    let helped: Vec<i32> = helper_grant::Entity::find()
        .filter(helper_grant::Column::HelperAccountId.eq(member.account_id))
        .filter(
            helper_grant::Column::ProducerId.in_subquery(
                Query::select()
                    .column(producer::Column::Id)
                    .from(producer::Entity)
                    .and_where(producer::Column::CooperativeId.eq(cooperative_id))
                    .to_owned(),
            ),
        )
        .select_only()
        .column(helper_grant::Column::ProducerId)
        .into_tuple()
        .all(&txn)
        .await?;
    let rotation = Rotation {
        cooperatives: if role == Some(MemberRole::Admin) {
            vec![cooperative_id]
        } else {
            Vec::new()
        },
        listings_of: helped.iter().copied().chain(member.producer_id).collect(),
        guides: member.producer_id.into_iter().collect(),
    };
    calendar_feeds::rotate(&txn, &rotation, fresh).await?;
    helper_grant::Entity::delete_many()
        .filter(helper_grant::Column::HelperAccountId.eq(member.account_id))
        .filter(helper_grant::Column::ProducerId.is_in(helped))
        .exec(&txn)
        .await?;
    let name = names_of(&txn, std::iter::once(member.account_id))
        .await?
        .remove(&member.account_id)
        .map(|(name, _)| name)
        .unwrap_or_default();
    let action = if role == Some(MemberRole::Admin) {
        CoopAction::AdminRemoved
    } else {
        CoopAction::MemberRemoved
    };
    record(
        &txn,
        cooperative_id,
        action,
        by,
        &name,
        SiteTime::from_naive(now),
    )
    .await?;
    txn.commit().await?;
    Ok(Removed {
        account_id: member.account_id,
        taken_down,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum GrantError {
    #[error("no account uses this email")]
    NoSuchAccount,
    #[error("not a producer of this cooperative")]
    NotOurProducer,
    #[error("already helps this producer")]
    AlreadyHelps,
    #[error("already waits to help this producer")]
    AlreadyWaiting,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for GrantError {
    fn from(err: sea_orm::DbErr) -> Self {
        GrantError::Store(err.into())
    }
}

/// Lets the account that uses `helper` manage the listings of `producer_id`, who
/// must be a current producer of the cooperative. An account whose email is not
/// verified gets the role when it is (`Given::Waits`).
pub async fn grant_helper(
    db: &DatabaseConnection,
    cooperative_id: i32,
    helper: &Email,
    producer_id: i32,
    by: i32,
    now: SiteTime,
) -> Result<Given, GrantError> {
    let now = now.naive();
    let txn = crate::write_transaction(db).await?;
    let producer = producer::Entity::find_by_id(producer_id)
        .filter(producer::Column::CooperativeId.eq(cooperative_id))
        .filter(producer::Column::LeftAt.is_null())
        .one(&txn)
        .await?
        .ok_or(GrantError::NotOurProducer)?;
    let account = account::Entity::find()
        .filter(account::Column::Email.eq(helper.as_str()))
        .one(&txn)
        .await?
        .ok_or(GrantError::NoSuchAccount)?;
    let given = if account.email_verified_at.is_some() {
        if !add_helper(&txn, cooperative_id, &account, &producer, by, now).await? {
            return Err(GrantError::AlreadyHelps);
        }
        Given::Now
    } else {
        let role = waiting_roles::Role::Helper {
            producer_id: producer.id,
        };
        let subject = helper_subject(&account, &producer);
        if !waiting_roles::wait(&txn, &account, cooperative_id, role, &subject, by, now).await? {
            return Err(GrantError::AlreadyWaiting);
        }
        Given::Waits
    };
    txn.commit().await?;
    Ok(given)
}

/// The grant letting `account` manage `producer`'s listings, and its record; `false`
/// when `account` helps `producer` already.
pub(crate) async fn add_helper(
    txn: &DatabaseTransaction,
    cooperative_id: i32,
    account: &account::Model,
    producer: &producer::Model,
    by: i32,
    now: NaiveDateTime,
) -> Result<bool, GrantError> {
    // The unique index refuses a second grant; on PostgreSQL a failed statement
    // spoils the transaction, so the look-up comes first and the index is the
    // backstop for two admins at once.
    let helps = helper_grant::Entity::find()
        .filter(helper_grant::Column::HelperAccountId.eq(account.id))
        .filter(helper_grant::Column::ProducerId.eq(producer.id))
        .count(txn)
        .await?;
    if helps > 0 {
        return Ok(false);
    }
    let inserted = helper_grant::ActiveModel {
        helper_account_id: Set(account.id),
        producer_id: Set(producer.id),
        granted_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await;
    match inserted {
        Ok(_) => {}
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(GrantError::AlreadyHelps);
        }
        Err(err) => return Err(err.into()),
    }
    record(
        txn,
        cooperative_id,
        CoopAction::HelperGranted,
        by,
        &helper_subject(account, producer),
        SiteTime::from_naive(now),
    )
    .await?;
    Ok(true)
}

/// Whom a helper grant is about, as the cooperative's record shows it.
pub(crate) fn helper_subject(account: &account::Model, producer: &producer::Model) -> String {
    format!("{} → {}", account.name, producer.name)
}

/// Ends helper grant `grant_id` of one of the cooperative's producers; `false` when
/// there was none.
pub async fn revoke_helper(
    db: &DatabaseConnection,
    cooperative_id: i32,
    grant_id: i32,
    by: i32,
    now: SiteTime,
    fresh: FreshToken<'_>,
) -> Result<bool, StoreError> {
    let txn = crate::write_transaction(db).await?;
    let Some((grant, Some(producer))) = helper_grant::Entity::find_by_id(grant_id)
        .find_also_related(producer::Entity)
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    if producer.cooperative_id != cooperative_id {
        return Ok(false);
    }
    let gone = helper_grant::Entity::delete_many()
        .filter(helper_grant::Column::Id.eq(grant.id))
        .exec(&txn)
        .await?;
    if gone.rows_affected != 1 {
        return Ok(false);
    }
    // The feeds of the listings the helper ran get new addresses.
    let rotation = Rotation {
        listings_of: vec![producer.id],
        ..Rotation::default()
    };
    calendar_feeds::rotate(&txn, &rotation, fresh).await?;
    let helper = names_of(&txn, std::iter::once(grant.helper_account_id))
        .await?
        .remove(&grant.helper_account_id)
        .map(|(name, _)| name)
        .unwrap_or_default();
    let subject = format!("{helper} → {}", producer.name);
    record(
        &txn,
        cooperative_id,
        CoopAction::HelperRevoked,
        by,
        &subject,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// The cooperative's public profile, as its admin edits it.
pub async fn profile(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<Option<CoopProfile>, StoreError> {
    let Some(coop) = cooperative::Entity::find_by_id(cooperative_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(CoopProfile {
        name: coop.name,
        story: rows::text(&coop.story_es, &coop.story_en),
        // An address stored before it was checked is shown for correcting.
        contact_email: coop.contact_email.and_then(|e| Email::parse(&e).ok()),
        contact_phone: coop.contact_phone,
        year_founded: coop.year_founded,
    }))
}

/// Saves the cooperative's profile; a new name or story is also what its listings are
/// found by from now on.
pub async fn update_profile(
    db: &DatabaseConnection,
    cooperative_id: i32,
    profile: &CoopProfile,
    by: i32,
    now: SiteTime,
) -> Result<(), StoreError> {
    let txn = crate::write_transaction(db).await?;
    let Some(before) = cooperative::Entity::find_by_id(cooperative_id)
        .one(&txn)
        .await?
    else {
        return Err(StoreError::BadValue {
            table: "cooperative",
            column: "id",
            value: cooperative_id.to_string(),
        });
    };
    let searched_changed = before.name != profile.name
        || before.story_es != profile.story.es
        || before.story_en != profile.story.en;
    cooperative::ActiveModel {
        id: Set(cooperative_id),
        name: Set(profile.name.clone()),
        story_es: Set(profile.story.es.clone()),
        story_en: Set(profile.story.en.clone()),
        contact_email: Set(profile
            .contact_email
            .as_ref()
            .map(|e| e.as_str().to_owned())),
        contact_phone: Set(profile.contact_phone.clone()),
        year_founded: Set(profile.year_founded),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    if searched_changed {
        crate::catalog::search_index::reindex_cooperative(&txn, cooperative_id).await?;
    }
    record(
        &txn,
        cooperative_id,
        CoopAction::ProfileEdited,
        by,
        &profile.name,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
