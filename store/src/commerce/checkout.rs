//! Turning a cart into an order awaiting payment, in one write transaction: each
//! craft's stock is taken by a conditional UPDATE (`… SET stock = stock - n WHERE
//! stock >= n`, the same proof as a slot's places: the database decides who gets the
//! last one), each held booking joins the order (its hold now lasts as long as the
//! order waits for its money), the cart is emptied and the "order received" email
//! queued. Refused whole, with nothing written, if one craft has too few left or one
//! hold ran out.

use crate::commerce::orders::FoundOrder;
use crate::db::write_transaction;
use crate::entity::{
    booking, cart_booking, cart_item, craft, listing, order_line, order_part, orders, payment,
};
use crate::outbox::{self, Letter};
use crate::{
    StoreError, commerce::carts, commerce::orders as order_moves, commerce::shipping_rates, rows,
};
use chrono::{Duration, NaiveDateTime};
use domain::booking::BookingStatus;
use domain::clock::SiteTime;
use domain::commerce::checkout_form::Checkout;
use domain::commerce::order::{Delivery, OrderCode, OrderStatus, PartStatus};
use domain::{Currency, Lang, ListingStatus, Money};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};
use std::collections::BTreeMap;

/// What placing an order needs besides the cart.
pub struct NewOrder<'a> {
    pub cart_id: i32,
    pub checkout: &'a Checkout,
    pub account_id: Option<i32>,
    pub lang: Lang,
    /// Made by the caller (random; unique by the index).
    pub code: OrderCode,
    /// SHA-256 of the key in the order's link (`rows::key_hash`; the key is random,
    /// made by the caller, and kept only in the link).
    pub link_key_hash: String,
    /// `stripe` or `simulated`: who will take the money.
    pub provider: &'a str,
    /// How long the order waits for a card payment; an OXXO voucher extends it.
    pub pay_within: Duration,
    /// Writes the "order received" email from the order as placed; queued in the
    /// order's transaction, so no order exists without it (its link is a guest's only
    /// way back to the order).
    pub received: &'a (dyn Fn(&FoundOrder) -> Option<Letter> + Sync),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub order_id: i32,
    pub payment_id: i32,
    pub total: Money,
    pub pay_by: NaiveDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckoutError {
    #[error("the cart is empty")]
    Empty,
    #[error("only {left} of {title:?} left")]
    NotEnoughStock { title: String, left: u32 },
    #[error("{title:?} is no longer for sale")]
    NotForSale { title: String },
    /// A booking in the cart whose hold ran out (or that was paid elsewhere).
    #[error("the hold of booking {code} ran out")]
    HoldRanOut { code: String },
    /// The form chose no (or a wrong) delivery for a cooperative with crafts.
    #[error("no delivery chosen for cooperative {cooperative_id}")]
    Delivery { cooperative_id: i32 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for CheckoutError {
    fn from(err: sea_orm::DbErr) -> Self {
        CheckoutError::Store(err.into())
    }
}

/// One line of a part before it is written.
struct Line {
    listing_id: i32,
    booking_id: Option<i32>,
    title: String,
    quantity: u32,
    /// The line's price: a craft's unit price times its quantity, a booking's total
    /// for its whole party (as it was held).
    total: i64,
    took_stock: bool,
}

#[derive(Default)]
struct Part {
    lines: Vec<Line>,
    crafts: u32,
    crafts_total: i64,
}

/// The idempotency key of order `code`'s payment: one payment per order, so a retry
/// of its creation can never make a second one.
pub fn payment_key(code: &OrderCode) -> String {
    format!("tianguis-order-{}", code.as_str())
}

/// Places the order for cart `new.cart_id`.
pub async fn place(
    db: &DatabaseConnection,
    new: NewOrder<'_>,
    now: SiteTime,
) -> Result<Placed, CheckoutError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let mut parts: BTreeMap<i32, Part> = BTreeMap::new();

    let items = cart_item::Entity::find()
        .filter(cart_item::Column::CartId.eq(new.cart_id))
        .find_also_related(listing::Entity)
        .all(&txn)
        .await?;
    for (item, row) in items {
        let Some(row) = row else { continue };
        let title = rows::text(&row.title_es, &row.title_en)
            .show(new.lang)
            .text
            .to_owned();
        let details = craft::Entity::find_by_id(row.id).one(&txn).await?;
        let Some(details) = details.filter(|_| row.status == ListingStatus::Published.code())
        else {
            return Err(CheckoutError::NotForSale { title });
        };
        let quantity = u32::try_from(item.quantity).unwrap_or(0);
        if quantity == 0 {
            continue;
        }
        if !details.made_to_order {
            take_stock(&txn, row.id, item.quantity, &title).await?;
        }
        let part = parts.entry(row.cooperative_id).or_default();
        part.crafts += quantity;
        part.crafts_total += row.price_from_centavos * i64::from(quantity);
        part.lines.push(Line {
            listing_id: row.id,
            booking_id: None,
            title,
            quantity,
            total: row.price_from_centavos * i64::from(quantity),
            took_stock: !details.made_to_order,
        });
    }

    let held = carts::held_bookings(&txn, new.cart_id, new.lang, now).await?;
    let in_cart = cart_booking::Entity::find()
        .filter(cart_booking::Column::CartId.eq(new.cart_id))
        .all(&txn)
        .await?;
    if let Some(gone) = in_cart
        .iter()
        .find(|b| !held.iter().any(|h| h.booking.id == b.booking_id))
    {
        let code = booking::Entity::find_by_id(gone.booking_id)
            .one(&txn)
            .await?
            .map(|b| b.code)
            .unwrap_or_default();
        return Err(CheckoutError::HoldRanOut { code });
    }
    let mut bookings = Vec::new();
    for h in held {
        parts.entry(h.cooperative_id).or_default().lines.push(Line {
            listing_id: h.listing_id,
            booking_id: Some(h.booking.id),
            title: format!("{} · {}", h.title, h.starts_at.format("%Y-%m-%d %H:%M")),
            quantity: u32::try_from(h.booking.places).unwrap_or(0),
            total: h.booking.total_centavos,
            took_stock: false,
        });
        bookings.push(h.booking);
    }
    if parts.is_empty() {
        return Err(CheckoutError::Empty);
    }

    let rates = shipping_rates::of_many(&txn, parts.keys().copied()).await?;
    let mut priced = Vec::new();
    for (cooperative_id, part) in parts {
        let delivery = if part.crafts == 0 {
            Delivery::None
        } else {
            *new.checkout
                .deliveries
                .get(&cooperative_id)
                .ok_or(CheckoutError::Delivery { cooperative_id })?
        };
        let rates = rates
            .get(&cooperative_id)
            .cloned()
            .unwrap_or_else(domain::commerce::shipping::ShippingRates::standard);
        let shipping = rates
            .quote(delivery, part.crafts, Money::mxn(part.crafts_total))
            .ok_or(CheckoutError::Delivery { cooperative_id })?;
        let goods: i64 = part.lines.iter().map(|l| l.total).sum();
        priced.push((
            cooperative_id,
            delivery,
            goods,
            shipping.centavos(),
            part.lines,
        ));
    }
    let goods: i64 = priced.iter().map(|p| p.2).sum();
    let shipping: i64 = priced.iter().map(|p| p.3).sum();
    let total = goods + shipping;
    let pay_by = now + new.pay_within;
    let address = new.checkout.address.as_ref();

    let order = orders::ActiveModel {
        code: Set(new.code.as_str().to_owned()),
        account_id: Set(new.account_id),
        email: Set(new.checkout.email.as_str().to_owned()),
        name: Set(new.checkout.name.as_str().to_owned()),
        phone: Set(new.checkout.phone.clone()),
        lang: Set(new.lang.code().to_owned()),
        status: Set(OrderStatus::AwaitingPayment.code().to_owned()),
        currency: Set(Currency::Mxn.code().to_owned()),
        goods_centavos: Set(goods),
        shipping_centavos: Set(shipping),
        total_centavos: Set(total),
        refunded_centavos: Set(0),
        street: Set(address.map(|a| a.street.clone())),
        city: Set(address.map(|a| a.city.clone())),
        state: Set(address.map(|a| a.state.clone())),
        postal_code: Set(address.map(|a| a.postal_code.clone())),
        address_notes: Set(address
            .map(|a| a.references.clone())
            .filter(|r| !r.is_empty())),
        pay_by: Set(pay_by),
        created_at: Set(now),
        updated_at: Set(now),
        paid_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let key = crate::outbox::OrderKey {
        order_id: order.id,
        key_hash: new.link_key_hash.clone(),
    };
    crate::order_keys::keep(&txn, &key, SiteTime::from_naive(now)).await?;

    for (cooperative_id, delivery, goods, shipping, lines) in priced {
        let part = order_part::ActiveModel {
            order_id: Set(order.id),
            cooperative_id: Set(cooperative_id),
            status: Set(PartStatus::AwaitingPayment.code().to_owned()),
            delivery: Set(delivery.code().to_owned()),
            goods_centavos: Set(goods),
            shipping_centavos: Set(shipping),
            refunded_centavos: Set(0),
            carrier: Set(None),
            tracking: Set(None),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for line in lines {
            let quantity = i32::try_from(line.quantity).unwrap_or(i32::MAX);
            order_line::ActiveModel {
                part_id: Set(part.id),
                listing_id: Set(line.listing_id),
                booking_id: Set(line.booking_id),
                title: Set(line.title),
                quantity: Set(quantity),
                unit_centavos: Set(line.total / i64::from(Ord::max(quantity, 1))),
                total_centavos: Set(line.total),
                took_stock: Set(line.took_stock),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }

    for b in &bookings {
        let joined = booking::Entity::update_many()
            .col_expr(booking::Column::OrderId, Expr::val(order.id))
            .col_expr(booking::Column::HeldUntil, Expr::val(pay_by))
            .filter(booking::Column::Id.eq(b.id))
            .filter(booking::Column::Status.eq(BookingStatus::Held.code()))
            .filter(booking::Column::OrderId.is_null())
            .exec(&txn)
            .await?;
        if joined.rows_affected != 1 {
            return Err(CheckoutError::HoldRanOut {
                code: b.code.clone(),
            });
        }
    }

    let payment = payment::ActiveModel {
        order_id: Set(order.id),
        provider: Set(new.provider.to_owned()),
        provider_ref: Set(None),
        idempotency_key: Set(payment_key(&new.code)),
        status: Set(crate::commerce::payments::CREATING.to_owned()),
        method: Set(None),
        amount_centavos: Set(total),
        currency: Set(Currency::Mxn.code().to_owned()),
        received_centavos: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    order_moves::record(
        &txn,
        order.id,
        None,
        "place",
        "",
        OrderStatus::AwaitingPayment.code(),
        new.account_id,
        None,
        now,
    )
    .await?;
    carts::empty(&txn, new.cart_id).await?;
    let placed = crate::commerce::orders::by_id(&txn, order.id)
        .await?
        .ok_or_else(|| rows::missing("orders", order.id))?;
    if let Some(letter) = (new.received)(&placed) {
        outbox::queue(&txn, &letter, SiteTime::from_naive(now).in_utc()).await?;
    }
    txn.commit().await?;
    Ok(Placed {
        order_id: order.id,
        payment_id: payment.id,
        total: Money::mxn(total),
        pay_by,
    })
}

/// Takes `quantity` of craft `listing_id`'s stock, or says how many are left.
async fn take_stock(
    txn: &impl ConnectionTrait,
    listing_id: i32,
    quantity: i32,
    title: &str,
) -> Result<(), CheckoutError> {
    let taken = craft::Entity::update_many()
        .col_expr(
            craft::Column::Stock,
            Expr::col(craft::Column::Stock).sub(quantity),
        )
        .filter(craft::Column::ListingId.eq(listing_id))
        .filter(Expr::col(craft::Column::Stock).gte(quantity))
        .exec(txn)
        .await?;
    if taken.rows_affected == 1 {
        return Ok(());
    }
    let left = craft::Entity::find_by_id(listing_id)
        .one(txn)
        .await?
        .map_or(0, |c| u32::try_from(c.stock).unwrap_or(0));
    Err(CheckoutError::NotEnoughStock {
        title: title.to_owned(),
        left,
    })
}
