//! Each cooperative's shipping rates; one that has set none ships at
//! [`ShippingRates::standard`].

use crate::StoreError;
use crate::entity::shipping_rate;
use domain::Money;
use domain::commerce::shipping::ShippingRates;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::BTreeMap;

fn rates_of(row: shipping_rate::Model) -> ShippingRates {
    ShippingRates {
        ships: row.ships,
        flat: Money::mxn(row.flat_centavos),
        per_item: Money::mxn(row.per_item_centavos),
        free_above: row.free_above_centavos.map(Money::mxn),
        pickup: row.pickup,
    }
}

/// Cooperative `cooperative_id`'s rates.
pub async fn of(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<ShippingRates, StoreError> {
    Ok(shipping_rate::Entity::find_by_id(cooperative_id)
        .one(db)
        .await?
        .map_or_else(ShippingRates::standard, rates_of))
}

/// The rates of the cooperatives that set their own, by cooperative.
pub async fn of_many(
    db: &impl ConnectionTrait,
    cooperatives: impl IntoIterator<Item = i32>,
) -> Result<BTreeMap<i32, ShippingRates>, StoreError> {
    Ok(shipping_rate::Entity::find()
        .filter(shipping_rate::Column::CooperativeId.is_in(cooperatives))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.cooperative_id, rates_of(row)))
        .collect())
}

/// Sets cooperative `cooperative_id`'s rates.
pub async fn save(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
    rates: &ShippingRates,
) -> Result<(), StoreError> {
    shipping_rate::Entity::insert(shipping_rate::ActiveModel {
        cooperative_id: Set(cooperative_id),
        ships: Set(rates.ships),
        flat_centavos: Set(rates.flat.centavos()),
        per_item_centavos: Set(rates.per_item.centavos()),
        free_above_centavos: Set(rates.free_above.map(Money::centavos)),
        pickup: Set(rates.pickup),
    })
    .on_conflict(
        OnConflict::column(shipping_rate::Column::CooperativeId)
            .update_columns([
                shipping_rate::Column::Ships,
                shipping_rate::Column::FlatCentavos,
                shipping_rate::Column::PerItemCentavos,
                shipping_rate::Column::FreeAboveCentavos,
                shipping_rate::Column::Pickup,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
