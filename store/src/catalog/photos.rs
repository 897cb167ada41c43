//! A listing's photos as its producer manages them: added (up to [`MAX_PER_LISTING`]),
//! described in both languages, reordered and removed. The files themselves are written
//! by the server (`photos::ingest` makes them); this module keeps their rows.

use crate::StoreError;
use crate::entity::photo;
use domain::LocalizedText;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, SqlErr,
};

/// Photos a listing may have.
pub const MAX_PER_LISTING: u64 = 10;

/// A photo of a listing, with its row id (to move or remove it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListingPhoto {
    pub id: i32,
    pub photo: domain::catalog::PhotoRef,
}

#[derive(Debug, thiserror::Error)]
pub enum PhotoRowError {
    #[error("the listing has {MAX_PER_LISTING} photos already")]
    Full,
    /// The same picture is on this listing already (keys hash the content and the
    /// listing).
    #[error("this photo was uploaded before")]
    Duplicate,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for PhotoRowError {
    fn from(err: sea_orm::DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => PhotoRowError::Duplicate,
            _ => PhotoRowError::Store(err.into()),
        }
    }
}

pub async fn of_listing(
    db: &impl ConnectionTrait,
    listing_id: i32,
) -> Result<Vec<ListingPhoto>, StoreError> {
    Ok(photo::Entity::find()
        .filter(photo::Column::ListingId.eq(listing_id))
        .order_by_asc(photo::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|p| ListingPhoto {
            id: p.id,
            photo: photo_ref(p),
        })
        .collect())
}

/// What pages show of a stored photo.
fn photo_ref(p: photo::Model) -> domain::catalog::PhotoRef {
    domain::catalog::PhotoRef {
        key: p.media_key,
        alt: LocalizedText {
            es: p.alt_es,
            en: p.alt_en,
        },
        width: p.width.max(1) as u32,
        height: p.height.max(1) as u32,
    }
}

/// The first photo of each of these listings that has one.
pub async fn covers(
    db: &impl ConnectionTrait,
    listing_ids: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashMap<i32, domain::catalog::PhotoRef>, StoreError> {
    let mut covers = std::collections::HashMap::new();
    let rows = photo::Entity::find()
        .filter(photo::Column::ListingId.is_in(listing_ids))
        .order_by_asc(photo::Column::Position)
        .all(db)
        .await?;
    for p in rows {
        // The first by position: a later one finds its listing's place taken.
        covers.entry(p.listing_id).or_insert_with(|| photo_ref(p));
    }
    Ok(covers)
}

/// Adds a photo after the others.
pub async fn add(
    db: &DatabaseConnection,
    listing_id: i32,
    key: &str,
    (width, height): (u32, u32),
    alt: &LocalizedText,
) -> Result<i32, PhotoRowError> {
    let txn = crate::write_transaction(db).await?;
    let rows = photo::Entity::find()
        .filter(photo::Column::ListingId.eq(listing_id))
        .order_by_desc(photo::Column::Position)
        .all(&txn)
        .await?;
    if rows.len() as u64 >= MAX_PER_LISTING {
        return Err(PhotoRowError::Full);
    }
    let position = rows.first().map(|p| p.position + 1).unwrap_or(0);
    let row = photo::ActiveModel {
        listing_id: Set(listing_id),
        position: Set(position),
        media_key: Set(key.to_owned()),
        width: Set(width as i32),
        height: Set(height as i32),
        alt_es: Set(alt.es.clone()),
        alt_en: Set(alt.en.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

pub async fn count(db: &impl ConnectionTrait, listing_id: i32) -> Result<u64, StoreError> {
    Ok(photo::Entity::find()
        .filter(photo::Column::ListingId.eq(listing_id))
        .count(db)
        .await?)
}

/// Removes a photo of `listing_id`; false when it is not one of its photos. The others
/// close up from position 0: the first is the cover the catalog shows.
pub async fn remove(
    db: &DatabaseConnection,
    listing_id: i32,
    photo_id: i32,
) -> Result<bool, StoreError> {
    let txn = crate::write_transaction(db).await?;
    let deleted = photo::Entity::delete_many()
        .filter(photo::Column::Id.eq(photo_id))
        .filter(photo::Column::ListingId.eq(listing_id))
        .exec(&txn)
        .await?;
    if deleted.rows_affected != 1 {
        return Ok(false);
    }
    let rest = photo::Entity::find()
        .filter(photo::Column::ListingId.eq(listing_id))
        .order_by_asc(photo::Column::Position)
        .all(&txn)
        .await?;
    for (position, row) in rest.into_iter().enumerate() {
        if row.position != position as i32 {
            photo::ActiveModel {
                id: Set(row.id),
                position: Set(position as i32),
                ..Default::default()
            }
            .update(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(true)
}

/// Swaps a photo with the one before it (`earlier`) or after it; the first photo is
/// the listing's cover. False when there is nothing to swap with.
pub async fn shift(
    db: &DatabaseConnection,
    listing_id: i32,
    photo_id: i32,
    earlier: bool,
) -> Result<bool, StoreError> {
    let txn = crate::write_transaction(db).await?;
    let rows = photo::Entity::find()
        .filter(photo::Column::ListingId.eq(listing_id))
        .order_by_asc(photo::Column::Position)
        .all(&txn)
        .await?;
    let Some(i) = rows.iter().position(|p| p.id == photo_id) else {
        return Ok(false);
    };
    let j = if earlier {
        i.checked_sub(1)
    } else {
        Some(i + 1)
    };
    let Some(other) = j.and_then(|j| rows.get(j)) else {
        return Ok(false);
    };
    let this = &rows[i];
    for (row, position) in [(this, other.position), (other, this.position)] {
        photo::ActiveModel {
            id: Set(row.id),
            position: Set(position),
            ..Default::default()
        }
        .update(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(true)
}
