//! A producer's public profile as they (or a helper) edit it: name, specialty and
//! story in both languages, and one photo. Each change is recorded in the
//! cooperative's record (`cooperative_event`) with who made it, so a helper's edit
//! reads "Marcos changed Rosario's profile".

use crate::entity::producer;
use crate::people::members::{CoopAction, record};
use crate::{StoreError, rows};
use chrono::NaiveDateTime;
use domain::catalog::PhotoRef;
use domain::clock::SiteTime;
use domain::people::producer_profile::{EditableProducer, ProducerProfile, ProducerProfileFields};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
};

/// The profile photo of a producer row, if it has one.
pub fn photo_of(p: &producer::Model) -> Option<PhotoRef> {
    match (&p.photo_key, p.photo_width, p.photo_height) {
        (Some(key), Some(width), Some(height)) => Some(PhotoRef {
            key: key.clone(),
            alt: domain::LocalizedText {
                es: Some(p.name.clone()),
                en: Some(p.name.clone()),
            },
            width: width.max(1) as u32,
            height: height.max(1) as u32,
        }),
        _ => None,
    }
}

/// The profile of producer `id`, for its edit form; `None` for one who left.
pub async fn editable(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<EditableProducer>, StoreError> {
    let Some(p) = producer::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if p.left_at.is_some() {
        return Ok(None);
    }
    let profile = ProducerProfile {
        name: p.name.clone(),
        specialty: rows::text(&p.specialty_es, &p.specialty_en),
        bio: rows::text(&p.bio_es, &p.bio_en),
    };
    Ok(Some(EditableProducer {
        id,
        fields: ProducerProfileFields::from_profile(&profile),
        photo: photo_of(&p),
    }))
}

/// Producer row `id`; an error if there is none (the caller checked who may).
async fn producer_row(db: &impl ConnectionTrait, id: i32) -> Result<producer::Model, StoreError> {
    producer::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| StoreError::BadValue {
            table: "producer",
            column: "id",
            value: id.to_string(),
        })
}

/// Changes producer `id` as `edit` says, and records it, in one transaction.
async fn change(
    db: &DatabaseConnection,
    id: i32,
    by: i32,
    now: NaiveDateTime,
    edit: impl FnOnce(producer::ActiveModel) -> producer::ActiveModel,
) -> Result<(), StoreError> {
    let txn = crate::write_transaction(db).await?;
    let before = producer_row(&txn, id).await?;
    let after = edit(producer::ActiveModel {
        id: Set(id),
        ..Default::default()
    })
    .update(&txn)
    .await?;
    let coop = before.cooperative_id;
    let action = CoopAction::ProducerProfileEdited;
    record(
        &txn,
        coop,
        action,
        by,
        &after.name,
        SiteTime::from_naive(now),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Saves the texts of producer `id`'s profile.
pub async fn update_profile(
    db: &DatabaseConnection,
    id: i32,
    profile: &ProducerProfile,
    by: i32,
    now: SiteTime,
) -> Result<(), StoreError> {
    let now = now.naive();
    change(db, id, by, now, |mut row| {
        row.name = Set(profile.name.clone());
        row.specialty_es = Set(profile.specialty.es.clone());
        row.specialty_en = Set(profile.specialty.en.clone());
        row.bio_es = Set(profile.bio.es.clone());
        row.bio_en = Set(profile.bio.en.clone());
        row
    })
    .await
}

/// Sets (or, with `None`, removes) producer `id`'s photo: its media key and the size
/// of its widest rendition.
pub async fn set_photo(
    db: &DatabaseConnection,
    id: i32,
    photo: Option<(&str, (u32, u32))>,
    by: i32,
    now: SiteTime,
) -> Result<(), StoreError> {
    let now = now.naive();
    let size = |n: u32| Some(i32::try_from(n).unwrap_or(i32::MAX));
    change(db, id, by, now, |mut row| {
        row.photo_key = Set(photo.map(|(key, _)| key.to_owned()));
        row.photo_width = Set(photo.and_then(|(_, (w, _))| size(w)));
        row.photo_height = Set(photo.and_then(|(_, (_, h))| size(h)));
        row
    })
    .await?;
    Ok(())
}
