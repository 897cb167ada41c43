//! Carts: a guest's is found by the SHA-256 of the secret in its cookie, a signed-in
//! visitor's by that and by account. A cart only notes what the visitor wants;
//! nothing is reserved until checkout (bookings are held by the booking flow).

use crate::entity::{
    booking, cart, cart_booking, cart_item, community, cooperative, craft, listing, tour_slot,
};
use crate::{StoreError, booking::slots, commerce::shipping_rates, rows};
use chrono::NaiveDateTime;
use domain::booking::BookingStatus;
use domain::clock::SiteTime;
use domain::commerce::cart::{BookedFor, CartBooking, CartCraft, CartPart, CartView, MAX_QUANTITY};
use domain::{Currency, Lang, ListingStatus, Money};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum CartError {
    #[error("no such craft for sale")]
    NotForSale,
    #[error("only {left} left")]
    NotEnoughStock { left: u32 },
    #[error("at most {max} of one craft")]
    TooMany { max: u32 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for CartError {
    fn from(err: sea_orm::DbErr) -> Self {
        CartError::Store(err.into())
    }
}

/// The cart whose cookie secret hashes to `token_hash`, made if there is none; a
/// signed-in visitor's cart is also claimed for their account.
pub async fn open(
    db: &impl ConnectionTrait,
    token_hash: &str,
    account_id: Option<i32>,
    now: SiteTime,
) -> Result<i32, StoreError> {
    let now = now.naive();
    cart::Entity::insert(cart::ActiveModel {
        token_hash: Set(token_hash.to_owned()),
        account_id: Set(account_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(cart::Column::TokenHash)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let row = cart::Entity::find()
        .filter(cart::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
        .ok_or_else(|| StoreError::Db(sea_orm::DbErr::RecordNotFound("cart".into())))?;
    if account_id.is_some() && row.account_id != account_id {
        cart::Entity::update_many()
            .col_expr(cart::Column::AccountId, account_id.into())
            .filter(cart::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    Ok(row.id)
}

/// The cart of `token_hash`, if it was ever made.
pub async fn find(db: &impl ConnectionTrait, token_hash: &str) -> Result<Option<i32>, StoreError> {
    Ok(cart::Entity::find()
        .filter(cart::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
        .map(|c| c.id))
}

/// How many things are in the cart whose cookie hashes to `token_hash` (crafts by
/// their quantity, and bookings whose places are still held), for the header: two
/// small queries, and none for a visitor without a cart.
pub async fn count(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: SiteTime,
) -> Result<u32, StoreError> {
    use sea_orm::sea_query::Query;
    let cart_ids = || {
        Query::select()
            .column(cart::Column::Id)
            .from(cart::Entity)
            .and_where(cart::Column::TokenHash.eq(token_hash))
            .to_owned()
    };
    let crafts: Option<i64> = cart_item::Entity::find()
        .select_only()
        .column_as(cart_item::Column::Quantity.sum(), "crafts")
        .filter(cart_item::Column::CartId.in_subquery(cart_ids()))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let booked = Query::select()
        .column(booking::Column::Id)
        .from(booking::Entity)
        .and_where(booking::Column::Status.eq(BookingStatus::Held.code()))
        .and_where(booking::Column::OrderId.is_null())
        .and_where(booking::Column::HeldUntil.gt(now.naive()))
        .to_owned();
    let bookings = cart_booking::Entity::find()
        .filter(cart_booking::Column::CartId.in_subquery(cart_ids()))
        .filter(cart_booking::Column::BookingId.in_subquery(booked))
        .count(db)
        .await?;
    let total = crafts
        .unwrap_or(0)
        .saturating_add(i64::try_from(bookings).unwrap_or(0));
    Ok(u32::try_from(total.max(0)).unwrap_or(u32::MAX))
}

/// The id of craft listing `slug`, if there is one.
pub async fn craft_id(db: &impl ConnectionTrait, slug: &str) -> Result<Option<i32>, StoreError> {
    Ok(listing::Entity::find()
        .filter(listing::Column::Slug.eq(slug))
        .filter(listing::Column::Kind.eq(domain::ListingKind::Craft.code()))
        .one(db)
        .await?
        .map(|l| l.id))
}

/// A published craft with what is left of it.
async fn craft_for_sale(
    db: &impl ConnectionTrait,
    listing_id: i32,
) -> Result<(listing::Model, craft::Model), CartError> {
    let (row, details) = listing::Entity::find_by_id(listing_id)
        .find_also_related(craft::Entity)
        .one(db)
        .await?
        .ok_or(CartError::NotForSale)?;
    match details {
        Some(details) if row.status == ListingStatus::Published.code() => Ok((row, details)),
        _ => Err(CartError::NotForSale),
    }
}

fn check_quantity(details: &craft::Model, quantity: u32) -> Result<(), CartError> {
    if quantity > MAX_QUANTITY {
        return Err(CartError::TooMany { max: MAX_QUANTITY });
    }
    let left = u32::try_from(details.stock).unwrap_or(0);
    if !details.made_to_order && quantity > left {
        return Err(CartError::NotEnoughStock { left });
    }
    Ok(())
}

/// Puts `quantity` more of craft `listing_id` in cart `cart_id` (adding to what is
/// there). Refused past the stock (made-to-order crafts have none) or the cart's limit.
pub async fn add_craft(
    db: &impl ConnectionTrait,
    cart_id: i32,
    listing_id: i32,
    quantity: u32,
    now: SiteTime,
) -> Result<(), CartError> {
    let now = now.naive();
    let (_, details) = craft_for_sale(db, listing_id).await?;
    let had = cart_item::Entity::find()
        .filter(cart_item::Column::CartId.eq(cart_id))
        .filter(cart_item::Column::ListingId.eq(listing_id))
        .one(db)
        .await?;
    let total = had.as_ref().map_or(0, |i| i.quantity as u32) + quantity;
    check_quantity(&details, total)?;
    set_row(db, cart_id, listing_id, total, had, now).await
}

/// Sets how many of craft `listing_id` the cart holds; zero takes it out.
pub async fn set_quantity(
    db: &impl ConnectionTrait,
    cart_id: i32,
    listing_id: i32,
    quantity: u32,
    now: SiteTime,
) -> Result<(), CartError> {
    let now = now.naive();
    let had = cart_item::Entity::find()
        .filter(cart_item::Column::CartId.eq(cart_id))
        .filter(cart_item::Column::ListingId.eq(listing_id))
        .one(db)
        .await?;
    if quantity == 0 {
        if let Some(row) = had {
            cart_item::Entity::delete_by_id(row.id).exec(db).await?;
        }
        return Ok(());
    }
    let (_, details) = craft_for_sale(db, listing_id).await?;
    check_quantity(&details, quantity)?;
    set_row(db, cart_id, listing_id, quantity, had, now).await
}

async fn set_row(
    db: &impl ConnectionTrait,
    cart_id: i32,
    listing_id: i32,
    quantity: u32,
    had: Option<cart_item::Model>,
    now: NaiveDateTime,
) -> Result<(), CartError> {
    let quantity = i32::try_from(quantity).unwrap_or(i32::MAX);
    match had {
        Some(row) => {
            let mut row: cart_item::ActiveModel = row.into();
            row.quantity = Set(quantity);
            row.update(db).await?;
        }
        None => {
            cart_item::ActiveModel {
                cart_id: Set(cart_id),
                listing_id: Set(listing_id),
                quantity: Set(quantity),
                added_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    touch(db, cart_id, now).await?;
    Ok(())
}

async fn touch(
    db: &impl ConnectionTrait,
    cart_id: i32,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    cart::Entity::update_many()
        .col_expr(cart::Column::UpdatedAt, now.into())
        .filter(cart::Column::Id.eq(cart_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Puts held booking `booking_id` in cart `cart_id` (once: a booking is in one cart).
pub async fn add_booking(
    db: &impl ConnectionTrait,
    cart_id: i32,
    booking_id: i32,
    now: SiteTime,
) -> Result<(), StoreError> {
    let now = now.naive();
    cart_booking::Entity::insert(cart_booking::ActiveModel {
        cart_id: Set(cart_id),
        booking_id: Set(booking_id),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(cart_booking::Column::BookingId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    touch(db, cart_id, now).await
}

/// Takes booking `booking_id` out of cart `cart_id` (the caller lets its hold go).
pub async fn remove_booking(
    db: &impl ConnectionTrait,
    cart_id: i32,
    booking_id: i32,
) -> Result<bool, StoreError> {
    let gone = cart_booking::Entity::delete_many()
        .filter(cart_booking::Column::CartId.eq(cart_id))
        .filter(cart_booking::Column::BookingId.eq(booking_id))
        .exec(db)
        .await?;
    Ok(gone.rows_affected == 1)
}

/// Takes out of cart `cart_id` the bookings whose hold ran out (or that were paid in
/// another order): checkout refused them, and the visitor was told.
pub async fn drop_stale_bookings(
    db: &impl ConnectionTrait,
    cart_id: i32,
    now: SiteTime,
) -> Result<(), StoreError> {
    let now = now.naive();
    let held: Vec<i32> = held_bookings(db, cart_id, Lang::Es, now)
        .await?
        .into_iter()
        .map(|h| h.booking.id)
        .collect();
    cart_booking::Entity::delete_many()
        .filter(cart_booking::Column::CartId.eq(cart_id))
        .filter(cart_booking::Column::BookingId.is_not_in(held))
        .exec(db)
        .await?;
    Ok(())
}

/// Empties cart `cart_id` (after checkout, in its transaction).
pub(crate) async fn empty(db: &impl ConnectionTrait, cart_id: i32) -> Result<(), StoreError> {
    cart_item::Entity::delete_many()
        .filter(cart_item::Column::CartId.eq(cart_id))
        .exec(db)
        .await?;
    cart_booking::Entity::delete_many()
        .filter(cart_booking::Column::CartId.eq(cart_id))
        .exec(db)
        .await?;
    Ok(())
}

/// What cart `cart_id` holds, in `lang`, grouped by cooperative, with each part's
/// delivery prices. Bookings whose hold ran out (or that were paid elsewhere) are
/// left out; crafts no longer for sale stay, marked, so the visitor sees why.
pub async fn view(
    db: &impl ConnectionTrait,
    cart_id: i32,
    lang: Lang,
    now: SiteTime,
) -> Result<CartView, StoreError> {
    let now = now.naive();
    let items = cart_item::Entity::find()
        .filter(cart_item::Column::CartId.eq(cart_id))
        .order_by_asc(cart_item::Column::AddedAt)
        .all(db)
        .await?;
    let listing_ids: Vec<i32> = items.iter().map(|i| i.listing_id).collect();
    let crafts: BTreeMap<i32, (listing::Model, Option<craft::Model>)> = listing::Entity::find()
        .filter(listing::Column::Id.is_in(listing_ids))
        .find_also_related(craft::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(l, c)| (l.id, (l, c)))
        .collect();

    let mut parts: BTreeMap<i32, CartPart> = BTreeMap::new();
    let blank = |cooperative_id| CartPart {
        cooperative_id,
        cooperative: String::new(),
        crafts: Vec::new(),
        bookings: Vec::new(),
        goods: Money::zero(Currency::Mxn),
        deliveries: Vec::new(),
    };
    for item in items {
        let Some((row, details)) = crafts.get(&item.listing_id) else {
            continue;
        };
        let Some(details) = details else { continue };
        let quantity = u32::try_from(item.quantity).unwrap_or(0);
        let in_stock = (!details.made_to_order).then(|| u32::try_from(details.stock).unwrap_or(0));
        let unavailable = row.status != ListingStatus::Published.code()
            || in_stock.is_some_and(|left| left < quantity);
        let craft = CartCraft {
            listing_id: row.id,
            slug: rows::slug("listing", &row.slug)?,
            title: rows::text(&row.title_es, &row.title_en)
                .show(lang)
                .text
                .to_owned(),
            unit_price: Money::from_centavos(row.price_from_centavos, Currency::Mxn),
            quantity,
            in_stock,
            lead_days: details.lead_days.and_then(|d| u32::try_from(d).ok()),
            unavailable,
        };
        parts
            .entry(row.cooperative_id)
            .or_insert_with(|| blank(row.cooperative_id))
            .crafts
            .push(craft);
    }

    let mut booked_for: Option<(i32, BookedFor)> = None;
    for held in held_bookings(db, cart_id, lang, now).await? {
        let booking = held.booking;
        if booked_for.as_ref().is_none_or(|(id, _)| *id < booking.id) {
            let holder = BookedFor {
                name: booking.name.clone(),
                email: booking.email.clone(),
            };
            booked_for = Some((booking.id, holder));
        }
        parts
            .entry(held.cooperative_id)
            .or_insert_with(|| blank(held.cooperative_id))
            .bookings
            .push(CartBooking {
                code: slots::code_of(&booking)?,
                title: held.title,
                starts_at: held.starts_at,
                zone: String::new(),
                places: u32::try_from(booking.places).unwrap_or(0),
                total: Money::from_centavos(booking.total_centavos, Currency::Mxn),
                held_until: booking.held_until,
            });
    }

    let coops: BTreeMap<i32, (String, String)> = cooperative::Entity::find()
        .filter(cooperative::Column::Id.is_in(parts.keys().copied()))
        .find_also_related(community::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(c, community)| {
            let zone = community.map_or_else(
                || domain::people::platform::DEFAULT_TIMEZONE.to_owned(),
                |m| m.timezone,
            );
            (c.id, (c.name, zone))
        })
        .collect();
    let rates = shipping_rates::of_many(db, parts.keys().copied()).await?;
    for part in parts.values_mut() {
        if let Some((name, zone)) = coops.get(&part.cooperative_id) {
            part.cooperative = name.clone();
            for b in &mut part.bookings {
                b.zone = zone.clone();
            }
        }
        let goods = part
            .crafts
            .iter()
            .map(CartCraft::total)
            .chain(part.bookings.iter().map(|b| b.total));
        part.goods = Money::sum(Currency::Mxn, goods).unwrap_or(part.goods);
        if !part.crafts.is_empty() {
            let crafts_total = Money::sum(Currency::Mxn, part.crafts.iter().map(CartCraft::total))
                .unwrap_or(part.goods);
            let rates = rates
                .get(&part.cooperative_id)
                .cloned()
                .unwrap_or_else(domain::commerce::shipping::ShippingRates::standard);
            part.deliveries = rates
                .deliveries()
                .into_iter()
                .filter_map(|d| Some((d, rates.quote(d, part.craft_count(), crafts_total)?)))
                .collect();
        }
    }
    let parts: Vec<CartPart> = parts.into_values().collect();
    let goods = Money::sum(Currency::Mxn, parts.iter().map(|p| p.goods))
        .unwrap_or(Money::zero(Currency::Mxn));
    Ok(CartView {
        parts,
        goods,
        booked_for: booked_for.map(|(_, holder)| holder),
    })
}

/// A booking in a cart whose places are still held for it.
pub(crate) struct HeldBooking {
    pub booking: booking::Model,
    pub listing_id: i32,
    pub cooperative_id: i32,
    pub title: String,
    /// Local time of the community.
    pub starts_at: NaiveDateTime,
}

/// The cart's bookings whose places are still held for it.
pub(crate) async fn held_bookings(
    db: &impl ConnectionTrait,
    cart_id: i32,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<Vec<HeldBooking>, StoreError> {
    let ids: Vec<i32> = cart_booking::Entity::find()
        .filter(cart_booking::Column::CartId.eq(cart_id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| b.booking_id)
        .collect();
    let held = booking::Entity::find()
        .filter(booking::Column::Id.is_in(ids))
        .filter(booking::Column::Status.eq(BookingStatus::Held.code()))
        .filter(booking::Column::OrderId.is_null())
        .filter(booking::Column::HeldUntil.gt(now))
        .find_also_related(tour_slot::Entity)
        .all(db)
        .await?;
    let listing_ids: Vec<i32> = held
        .iter()
        .filter_map(|(_, s)| s.as_ref().map(|s| s.listing_id))
        .collect();
    let listings: BTreeMap<i32, listing::Model> = listing::Entity::find()
        .filter(listing::Column::Id.is_in(listing_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    Ok(held
        .into_iter()
        .filter_map(|(b, slot)| {
            let slot = slot?;
            let l = listings.get(&slot.listing_id)?;
            let title = rows::text(&l.title_es, &l.title_en)
                .show(lang)
                .text
                .to_owned();
            Some(HeldBooking {
                booking: b,
                listing_id: l.id,
                cooperative_id: l.cooperative_id,
                title,
                starts_at: slot.starts_at,
            })
        })
        .collect())
}
