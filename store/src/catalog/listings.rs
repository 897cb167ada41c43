//! Listings as their producers and cooperatives work on them: creating and editing
//! drafts, and moving them through moderation (`domain::catalog::moderation`). Every change
//! writes a `listing_event` row in the same transaction: who did it, on whose behalf,
//! from which status to which.
//!
//! Who may do what is decided before these functions are called (`domain::people::access`);
//! what can be done to a listing in its status is decided here, in the database: a
//! status change is an UPDATE that names the status it expects, so two people acting
//! at once cannot both move the same listing.

use crate::entity::{craft, cultural_event, listing, listing_event, producer, ticket_type, tour};
use crate::{StoreError, rows};
use chrono::NaiveDateTime;
use domain::catalog::Dimensions;
use domain::catalog::listing_form::{DraftDetails, ListingDraft};
use domain::clock::SiteTime;
use domain::{
    ListingAction, ListingKind, ListingStatus, LocalizedText, Money, Slug, TransitionError,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, SqlErr,
};

/// Who makes a change: an account, and the producer it acted for when that account is
/// a helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub account_id: i32,
    pub on_behalf_of: Option<i32>,
}

/// Whose a listing is and where it stands: what permission checks need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owned {
    pub id: i32,
    pub kind: ListingKind,
    pub slug: Slug,
    pub producer_id: Option<i32>,
    pub cooperative_id: i32,
    pub status: ListingStatus,
}

pub use domain::catalog::moderation::WorkListing;

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no such listing")]
    NotFound,
    #[error(transparent)]
    NotNow(#[from] TransitionError),
    /// Somebody else changed its status in the meantime; nothing was done.
    #[error("the listing changed meanwhile")]
    Conflict,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for ChangeError {
    fn from(err: sea_orm::DbErr) -> Self {
        ChangeError::Store(err.into())
    }
}

pub async fn owner(db: &impl ConnectionTrait, id: i32) -> Result<Option<Owned>, StoreError> {
    listing::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|row| to_owned(&row))
        .transpose()
}

fn to_owned(row: &listing::Model) -> Result<Owned, StoreError> {
    Ok(Owned {
        id: row.id,
        kind: rows::kind(&row.kind)?,
        slug: rows::slug("listing", &row.slug)?,
        producer_id: row.producer_id,
        cooperative_id: row.cooperative_id,
        status: status(&row.status)?,
    })
}

fn status(code: &str) -> Result<ListingStatus, StoreError> {
    ListingStatus::parse(code).ok_or_else(|| StoreError::BadValue {
        table: "listing",
        column: "status",
        value: code.to_owned(),
    })
}

fn to_work(row: listing::Model) -> Result<WorkListing, StoreError> {
    let owned = to_owned(&row)?;
    Ok(WorkListing {
        id: row.id,
        kind: owned.kind,
        slug: owned.slug,
        title: LocalizedText {
            es: row.title_es,
            en: row.title_en,
        },
        summary: LocalizedText {
            es: row.summary_es,
            en: row.summary_en,
        },
        status: owned.status,
        rejection_reason: row.rejection_reason,
        price: Money::mxn(row.price_from_centavos),
        producer_id: row.producer_id,
        cooperative_id: row.cooperative_id,
        cover: None,
    })
}

/// The listings of these producers, newest first; deleted ones are left out.
pub async fn of_producers(
    db: &impl ConnectionTrait,
    producer_ids: &[i32],
) -> Result<Vec<WorkListing>, StoreError> {
    listing::Entity::find()
        .filter(listing::Column::ProducerId.is_in(producer_ids.iter().copied()))
        .filter(listing::Column::Status.ne(ListingStatus::Deleted.code()))
        .order_by_desc(listing::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_work)
        .collect()
}

/// A cooperative's listings in `status`, oldest first (the queue order).
pub async fn in_cooperative(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
    status: ListingStatus,
) -> Result<Vec<WorkListing>, StoreError> {
    let mut listings: Vec<WorkListing> = listing::Entity::find()
        .filter(listing::Column::CooperativeId.eq(cooperative_id))
        .filter(listing::Column::Status.eq(status.code()))
        .order_by_asc(listing::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_work)
        .collect::<Result<_, _>>()?;
    // Whoever approves sees what visitors would: the first photo.
    let mut covers = crate::catalog::photos::covers(db, listings.iter().map(|l| l.id)).await?;
    for l in &mut listings {
        l.cover = covers.remove(&l.id);
    }
    Ok(listings)
}

/// A listing's content as the edit form shows it.
pub async fn draft_of(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(Owned, ListingDraft)>, StoreError> {
    let Some(row) = listing::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let owned = to_owned(&row)?;
    let details = match owned.kind {
        ListingKind::Craft => {
            let Some(c) = craft::Entity::find_by_id(id).one(db).await? else {
                return Ok(None);
            };
            let size = |cm: Option<i32>| cm.and_then(|n| u32::try_from(n).ok());
            DraftDetails::Craft {
                stock: c.stock.max(0) as u32,
                materials: LocalizedText {
                    es: c.materials_es,
                    en: c.materials_en,
                },
                technique: LocalizedText {
                    es: c.technique_es,
                    en: c.technique_en,
                },
                dimensions: match (size(c.width_cm), size(c.height_cm), size(c.depth_cm)) {
                    (Some(width_cm), Some(height_cm), Some(depth_cm)) => Some(Dimensions {
                        width_cm,
                        height_cm,
                        depth_cm,
                    }),
                    _ => None,
                },
                made_to_order: c.made_to_order,
                lead_days: size(c.lead_days),
            }
        }
        ListingKind::Tour => {
            let Some(t) = tour::Entity::find_by_id(id).one(db).await? else {
                return Ok(None);
            };
            DraftDetails::Tour {
                duration_minutes: t.duration_minutes.max(0) as u32,
                meeting_point: LocalizedText {
                    es: t.meeting_point_es,
                    en: t.meeting_point_en,
                },
                languages: rows::codes(&t.languages),
                max_group_size: t.max_group_size.max(0) as u32,
            }
        }
        ListingKind::Event => {
            let Some(e) = cultural_event::Entity::find_by_id(id).one(db).await? else {
                return Ok(None);
            };
            DraftDetails::Event {
                starts_at: e.starts_at,
                ends_at: e.ends_at,
                venue: LocalizedText {
                    es: e.venue_es,
                    en: e.venue_en,
                },
            }
        }
    };
    let category = rows::category(&row.category)?;
    let draft = ListingDraft {
        kind: owned.kind,
        category,
        title: LocalizedText {
            es: row.title_es,
            en: row.title_en,
        },
        summary: LocalizedText {
            es: row.summary_es,
            en: row.summary_en,
        },
        description: LocalizedText {
            es: row.description_es,
            en: row.description_en,
        },
        price: Money::mxn(row.price_from_centavos),
        details,
    };
    Ok(Some((owned, draft)))
}

/// Takes every public or waiting listing of `producer_id` back to draft, recorded as
/// unpublished by `actor`: a producer who leaves the cooperative is no longer sold
/// through it. In the caller's transaction; how many listings it took down.
pub(crate) async fn withdraw_all_of(
    db: &impl ConnectionTrait,
    producer_id: i32,
    actor: Actor,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    let shown = [ListingStatus::Pending, ListingStatus::Published].map(|s| s.code());
    let theirs = listing::Entity::find()
        .filter(listing::Column::ProducerId.eq(producer_id))
        .filter(listing::Column::Status.is_in(shown))
        .all(db)
        .await?;
    for row in &theirs {
        let from = status(&row.status)?;
        let to = from
            .after(ListingAction::Unpublish)
            .map_err(|_| StoreError::BadValue {
                table: "listing",
                column: "status",
                value: row.status.clone(),
            })?;
        listing::Entity::update_many()
            .col_expr(listing::Column::Status, Expr::val(to.code()))
            .col_expr(listing::Column::UpdatedAt, Expr::val(now))
            .filter(listing::Column::Id.eq(row.id))
            .exec(db)
            .await?;
        record(
            db,
            row.id,
            ListingAction::Unpublish,
            Some(from),
            to,
            None,
            actor,
            now,
        )
        .await?;
    }
    Ok(theirs.len())
}

/// Saves a new listing of `producer_id` as a draft; its id.
pub async fn create(
    db: &DatabaseConnection,
    producer_id: i32,
    draft: &ListingDraft,
    actor: Actor,
    now: SiteTime,
) -> Result<i32, StoreError> {
    let now = now.naive();
    let producer = producer::Entity::find_by_id(producer_id)
        .one(db)
        .await?
        .ok_or_else(|| StoreError::BadValue {
            table: "listing",
            column: "producer_id",
            value: producer_id.to_string(),
        })?;
    let base = Slug::from_name(
        draft
            .title
            .es
            .as_deref()
            .or(draft.title.en.as_deref())
            .unwrap_or("listing"),
    );
    // A title somebody else used already gets -2 … -5, then a few random letters:
    // readable, and the unique index settles a race.
    for n in 1..=12 {
        let slug = match n {
            1 => base.to_string(),
            2..=5 => format!("{base}-{n}"),
            _ => format!(
                "{base}-{:x}",
                chrono::Utc::now().timestamp_subsec_nanos() ^ (n << 24)
            ),
        };
        let txn = crate::write_transaction(db).await?;
        let inserted = listing::ActiveModel {
            kind: Set(draft.kind.code().to_owned()),
            slug: Set(slug),
            cooperative_id: Set(producer.cooperative_id),
            producer_id: Set(Some(producer_id)),
            status: Set(ListingStatus::Draft.code().to_owned()),
            created_at: Set(now),
            updated_at: Set(Some(now)),
            ..content(draft)
        }
        .insert(&txn)
        .await;
        let row = match inserted {
            Ok(row) => row,
            Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                txn.rollback().await?;
                continue;
            }
            Err(err) => return Err(err.into()),
        };
        write_details(&txn, row.id, draft, false).await?;
        record(
            &txn,
            row.id,
            ListingAction::Create,
            None,
            ListingStatus::Draft,
            None,
            actor,
            now,
        )
        .await?;
        txn.commit().await?;
        return Ok(row.id);
    }
    Err(StoreError::BadValue {
        table: "listing",
        column: "slug",
        value: format!("{base} (taken 12 times)"),
    })
}

/// The columns of `listing` a draft sets.
fn content(draft: &ListingDraft) -> listing::ActiveModel {
    listing::ActiveModel {
        category: Set(draft.category.code().to_owned()),
        title_es: Set(draft.title.es.clone()),
        title_en: Set(draft.title.en.clone()),
        summary_es: Set(draft.summary.es.clone()),
        summary_en: Set(draft.summary.en.clone()),
        description_es: Set(draft.description.es.clone()),
        description_en: Set(draft.description.en.clone()),
        price_from_centavos: Set(draft.price.centavos()),
        currency: Set(draft.price.currency().code().to_owned()),
        ..Default::default()
    }
}

async fn write_details(
    db: &impl ConnectionTrait,
    id: i32,
    draft: &ListingDraft,
    replace: bool,
) -> Result<(), StoreError> {
    if replace {
        craft::Entity::delete_by_id(id).exec(db).await?;
        tour::Entity::delete_by_id(id).exec(db).await?;
        cultural_event::Entity::delete_by_id(id).exec(db).await?;
        ticket_type::Entity::delete_many()
            .filter(ticket_type::Column::ListingId.eq(id))
            .exec(db)
            .await?;
    }
    let ticket = |code: &str| ticket_type::ActiveModel {
        listing_id: Set(id),
        code: Set(code.to_owned()),
        price_centavos: Set(draft.price.centavos()),
        currency: Set(draft.price.currency().code().to_owned()),
        position: Set(0),
        ..Default::default()
    };
    match &draft.details {
        DraftDetails::Craft {
            stock,
            materials,
            technique,
            dimensions,
            made_to_order,
            lead_days,
        } => {
            let cm = |n: u32| Some(i32::try_from(n).unwrap_or(i32::MAX));
            craft::ActiveModel {
                listing_id: Set(id),
                stock: Set(*stock as i32),
                materials_es: Set(materials.es.clone()),
                materials_en: Set(materials.en.clone()),
                technique_es: Set(technique.es.clone()),
                technique_en: Set(technique.en.clone()),
                width_cm: Set(dimensions.and_then(|d| cm(d.width_cm))),
                height_cm: Set(dimensions.and_then(|d| cm(d.height_cm))),
                depth_cm: Set(dimensions.and_then(|d| cm(d.depth_cm))),
                made_to_order: Set(*made_to_order),
                lead_days: Set(lead_days.and_then(cm)),
            }
            .insert(db)
            .await?;
        }
        DraftDetails::Tour {
            duration_minutes,
            meeting_point,
            languages,
            max_group_size,
        } => {
            tour::ActiveModel {
                listing_id: Set(id),
                duration_minutes: Set(*duration_minutes as i32),
                meeting_point_es: Set(meeting_point.es.clone()),
                meeting_point_en: Set(meeting_point.en.clone()),
                languages: Set(languages.join(",")),
                max_group_size: Set(*max_group_size as i32),
            }
            .insert(db)
            .await?;
            ticket("adult").insert(db).await?;
        }
        DraftDetails::Event {
            starts_at,
            ends_at,
            venue,
        } => {
            cultural_event::ActiveModel {
                listing_id: Set(id),
                starts_at: Set(*starts_at),
                ends_at: Set(*ends_at),
                venue_es: Set(venue.es.clone()),
                venue_en: Set(venue.en.clone()),
                is_free: Set(draft.price.centavos() == 0),
            }
            .insert(db)
            .await?;
            if draft.price.centavos() > 0 {
                ticket("general").insert(db).await?;
            }
        }
    }
    Ok(())
}

/// Replaces a listing's content. A published listing whose words, price or details
/// changed goes back to the cooperative for approval; a change of stock alone does
/// not. Its new status.
pub async fn update(
    db: &DatabaseConnection,
    id: i32,
    draft: &ListingDraft,
    actor: Actor,
    now: SiteTime,
) -> Result<ListingStatus, ChangeError> {
    let now = now.naive();
    let Some((owned, before)) = draft_of(db, id).await? else {
        return Err(ChangeError::NotFound);
    };
    if before.kind != draft.kind {
        return Err(ChangeError::NotFound);
    }
    let action = if only_stock_changed(&before, draft) {
        ListingAction::EditStock
    } else {
        ListingAction::Edit
    };
    let next = owned.status.after(action)?;
    let txn = crate::write_transaction(db).await?;
    let mut row = content(draft);
    row.status = Set(next.code().to_owned());
    row.updated_at = Set(Some(now));
    let changed = listing::Entity::update_many()
        .set(row)
        .filter(listing::Column::Id.eq(id))
        .filter(listing::Column::Status.eq(owned.status.code()))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(ChangeError::Conflict);
    }
    write_details(&txn, id, draft, true).await?;
    record(&txn, id, action, Some(owned.status), next, None, actor, now).await?;
    txn.commit().await?;
    Ok(next)
}

fn only_stock_changed(before: &ListingDraft, after: &ListingDraft) -> bool {
    match (&before.details, &after.details) {
        (
            DraftDetails::Craft {
                materials: m1,
                technique: t1,
                ..
            },
            DraftDetails::Craft {
                materials: m2,
                technique: t2,
                ..
            },
        ) => {
            m1 == m2
                && t1 == t2
                && before.category == after.category
                && before.title == after.title
                && before.summary == after.summary
                && before.description == after.description
                && before.price == after.price
        }
        _ => before == after,
    }
}

/// Submits, approves, rejects (with `reason`), unpublishes or deletes a listing. Its
/// new status.
pub async fn transition(
    db: &DatabaseConnection,
    id: i32,
    action: ListingAction,
    reason: Option<&str>,
    actor: Actor,
    now: SiteTime,
) -> Result<ListingStatus, ChangeError> {
    let now = now.naive();
    let Some(owned) = owner(db, id).await? else {
        return Err(ChangeError::NotFound);
    };
    let next = owned.status.after(action)?;
    let txn = crate::write_transaction(db).await?;
    let mut update = listing::Entity::update_many()
        .col_expr(listing::Column::Status, Expr::val(next.code()))
        .col_expr(listing::Column::UpdatedAt, Expr::val(now));
    // A rejection writes its reason; leaving "rejected" clears it; an edit of a
    // rejected listing keeps it, for the producer to read while fixing.
    if action == ListingAction::Reject {
        update = update.col_expr(
            listing::Column::RejectionReason,
            Expr::val(reason.unwrap_or_default()),
        );
    } else if next != ListingStatus::Rejected {
        update = update.col_expr(listing::Column::RejectionReason, Expr::val(None::<String>));
    }
    let changed = update
        .filter(listing::Column::Id.eq(id))
        .filter(listing::Column::Status.eq(owned.status.code()))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(ChangeError::Conflict);
    }
    record(
        &txn,
        id,
        action,
        Some(owned.status),
        next,
        reason,
        actor,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(next)
}

#[allow(clippy::too_many_arguments)]
async fn record(
    db: &impl ConnectionTrait,
    listing_id: i32,
    action: ListingAction,
    from: Option<ListingStatus>,
    to: ListingStatus,
    reason: Option<&str>,
    actor: Actor,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    listing_event::ActiveModel {
        listing_id: Set(listing_id),
        action: Set(action.code().to_owned()),
        from_status: Set(from.map(|s| s.code().to_owned())),
        to_status: Set(to.code().to_owned()),
        reason: Set(reason.map(str::to_owned)),
        actor_account_id: Set(actor.account_id),
        on_behalf_of_producer_id: Set(actor.on_behalf_of),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // Every change of a listing is recorded here, in its transaction: the search
    // index follows it at once.
    super::search_index::reindex(db, listing_id).await?;
    Ok(())
}

/// A listing's history, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingEvent {
    pub action: String,
    pub from: Option<ListingStatus>,
    pub to: ListingStatus,
    pub reason: Option<String>,
    pub actor_account_id: i32,
    pub on_behalf_of: Option<i32>,
}

pub async fn history(
    db: &impl ConnectionTrait,
    listing_id: i32,
) -> Result<Vec<ListingEvent>, StoreError> {
    listing_event::Entity::find()
        .filter(listing_event::Column::ListingId.eq(listing_id))
        .order_by_asc(listing_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| {
            Ok(ListingEvent {
                action: e.action,
                from: e.from_status.as_deref().map(status).transpose()?,
                to: status(&e.to_status)?,
                reason: e.reason,
                actor_account_id: e.actor_account_id,
                on_behalf_of: e.on_behalf_of_producer_id,
            })
        })
        .collect()
}
