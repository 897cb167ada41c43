//! The ticket types a tour or an event is sold in (adult, child, resident…), with
//! their prices: read by the listing's page and by the booking of one of its dates.

use crate::StoreError;
use crate::entity::ticket_type;
use domain::catalog::TicketType;
use domain::{Currency, Money};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The ticket types listing `listing_id` is sold in, in their order.
pub(crate) async fn of_listing(
    db: &impl ConnectionTrait,
    listing_id: i32,
) -> Result<Vec<TicketType>, StoreError> {
    ticket_type::Entity::find()
        .filter(ticket_type::Column::ListingId.eq(listing_id))
        .order_by_asc(ticket_type::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            let currency = Currency::parse(&t.currency).map_err(|_| StoreError::BadValue {
                table: "ticket_type",
                column: "currency",
                value: t.currency.clone(),
            })?;
            Ok(TicketType {
                code: t.code,
                price: Money::from_centavos(t.price_centavos, currency),
                limit_per_slot: t.limit_per_slot.and_then(|n| u32::try_from(n).ok()),
            })
        })
        .collect()
}
