//! Keys to order links, kept only as their SHA-256 (`rows::key_hash`): the one made
//! at checkout, and one per email that carries the order's link (`Letter::opens`).

use crate::StoreError;
use crate::entity::order_key;
use crate::outbox::OrderKey;
use domain::clock::SiteTime;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};

/// Keeps the hash of a new key, in the transaction of the order or of the email that
/// carries it.
pub async fn keep(
    db: &impl ConnectionTrait,
    key: &OrderKey,
    now: SiteTime,
) -> Result<(), StoreError> {
    order_key::ActiveModel {
        order_id: Set(key.order_id),
        key_hash: Set(key.key_hash.clone()),
        created_at: Set(now.naive()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The hashes of the keys that open order `order_id`'s link.
pub async fn hashes(db: &impl ConnectionTrait, order_id: i32) -> Result<Vec<String>, StoreError> {
    Ok(order_key::Entity::find()
        .filter(order_key::Column::OrderId.eq(order_id))
        .select_only()
        .column(order_key::Column::KeyHash)
        .into_tuple()
        .all(db)
        .await?)
}
