//! Refunds: each is opened here (never more than what was paid and not yet given
//! back), asked of the provider by the caller under the refund's own idempotency key,
//! and closed with the provider's answer. An OXXO payment cannot be refunded by the
//! provider: its refund is opened as owed and closed by the bank transfer's reference.
//! When a refund is done (or owed), the order and its part count it, and move to
//! partly or fully refunded.

use crate::db::write_transaction;
use crate::entity::{order_part, orders, payment, refund};
use crate::outbox::Letter;
use crate::{StoreError, commerce::orders as order_moves, rows};
use chrono::NaiveDateTime;
use domain::Money;
use domain::clock::SiteTime;
use domain::commerce::order::{OrderAction, OrderStatus, PartAction, refund_leaves};
use domain::commerce::payment::{PaymentMethod, ProviderState, RefundStatus, WRONG_AMOUNT};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

/// A refund to open.
pub struct RefundAsk {
    pub order_id: i32,
    /// Refund against one cooperative's part (its money, at most).
    pub part_id: Option<i32>,
    /// A cancelled booking's refund.
    pub booking_id: Option<i32>,
    pub amount: Money,
    pub reason: String,
    pub asked_by: Option<i32>,
    /// Money that came for bookings cancelled before the order was paid: it goes
    /// back without ever having been part of the sale (see [`count`]).
    pub for_withdrawn: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    #[error("the order was not paid")]
    NotPaid,
    #[error("at most {left} can be refunded")]
    TooMuch { left: Money },
    #[error("no such order part")]
    NoSuchPart,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for RefundError {
    fn from(err: sea_orm::DbErr) -> Self {
        RefundError::Store(err.into())
    }
}

/// An opened refund: what to ask the provider (unless it is owed by hand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub id: i32,
    pub amount: Money,
    pub idempotency_key: String,
    /// The provider's payment to refund (a PaymentIntent's id).
    pub provider: String,
    pub provider_ref: Option<String>,
    /// OXXO: the provider cannot refund it; it is owed and paid by bank transfer.
    pub owed_manually: bool,
}

/// Opens a refund of `ask.amount`, checked in the same write transaction against
/// what is left of the payment (and of the part, if it names one).
pub async fn open(
    db: &DatabaseConnection,
    ask: &RefundAsk,
    now: SiteTime,
) -> Result<Opened, RefundError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    // What was refunded is summed, then the new refund inserted: on PostgreSQL the
    // order's row is locked first, so two refunds at once are checked one after the
    // other, never both against the same sum (SQLite's write transaction already
    // takes them one at a time).
    let order = orders::Entity::find_by_id(ask.order_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(RefundError::NotPaid)?;
    // The money is there when the provider said it succeeded: a paid order, or one
    // paid after it had let its goods go (refunded in full).
    let pay = payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order.id))
        .one(&txn)
        .await?
        .filter(|p| {
            // Money that was not the order's total came all the same: it goes back.
            [ProviderState::succeeded(0).code(), WRONG_AMOUNT].contains(&p.status.as_str())
        })
        .ok_or(RefundError::NotPaid)?;
    let counted: Vec<refund::Model> = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(order.id))
        .all(&txn)
        .await?
        .into_iter()
        .filter(|r| RefundStatus::parse(&r.status).is_some_and(RefundStatus::counts))
        .collect();
    // What the provider says it received; the order's total until it said.
    let paid = Money::mxn(if pay.received_centavos > 0 {
        pay.received_centavos
    } else {
        order.total_centavos
    });
    let given: i64 = counted.iter().map(|r| r.amount_centavos).sum();
    let left_of =
        |paid: Money, given: i64| paid.checked_sub(Money::mxn(given)).unwrap_or(Money::mxn(0));
    if refund_leaves(paid, Money::mxn(given), ask.amount).is_none() {
        return Err(RefundError::TooMuch {
            left: left_of(paid, given),
        });
    }
    if let Some(part_id) = ask.part_id {
        let part = order_part::Entity::find_by_id(part_id)
            .one(&txn)
            .await?
            .filter(|p| p.order_id == order.id)
            .ok_or(RefundError::NoSuchPart)?;
        let part_paid = Money::mxn(part.goods_centavos + part.shipping_centavos);
        let part_given: i64 = counted
            .iter()
            .filter(|r| r.part_id == Some(part_id))
            .map(|r| r.amount_centavos)
            .sum();
        if refund_leaves(part_paid, Money::mxn(part_given), ask.amount).is_none() {
            return Err(RefundError::TooMuch {
                left: left_of(part_paid, part_given),
            });
        }
    }
    let owed_manually = pay.method.as_deref() == Some(PaymentMethod::Oxxo.code());
    let n = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(order.id))
        .count(&txn)
        .await?;
    let key = format!("tianguis-refund-{}-{}", order.code, n + 1);
    let status = if owed_manually {
        RefundStatus::OwedManually
    } else {
        RefundStatus::Pending
    };
    let row = refund::ActiveModel {
        payment_id: Set(pay.id),
        order_id: Set(order.id),
        part_id: Set(ask.part_id),
        booking_id: Set(ask.booking_id),
        amount_centavos: Set(ask.amount.centavos()),
        currency: Set(ask.amount.currency().code().to_owned()),
        status: Set(status.code().to_owned()),
        reason: Set(ask.reason.clone()),
        provider_ref: Set(None),
        idempotency_key: Set(key.clone()),
        manual_reference: Set(None),
        asked_by: Set(ask.asked_by),
        for_withdrawn: Set(ask.for_withdrawn),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    order_moves::record(
        &txn,
        order.id,
        ask.part_id,
        "refund_opened",
        &order.status,
        &order.status,
        ask.asked_by,
        Some(format!("{} {}: {}", status.code(), ask.amount, ask.reason)),
        now,
    )
    .await?;
    if owed_manually {
        count(&txn, &row, ask.asked_by, now).await?;
    }
    txn.commit().await?;
    Ok(Opened {
        id: row.id,
        amount: ask.amount,
        idempotency_key: key,
        provider: pay.provider,
        provider_ref: pay.provider_ref,
        owed_manually,
    })
}

/// How the provider answered a refund, or how an owed one was settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Succeeded {
        provider_ref: String,
    },
    Failed {
        why: String,
    },
    /// An owed refund was paid by bank transfer with this reference.
    SettledManually {
        reference: String,
    },
}

/// Closes refund `id` with `outcome`; `letter` (the buyer's notice) is queued with
/// it. `false` if the refund was not in a state that outcome closes.
pub async fn close(
    db: &DatabaseConnection,
    id: i32,
    outcome: &Outcome,
    actor: Option<i32>,
    letter: Option<Letter>,
    now: SiteTime,
) -> Result<bool, StoreError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let Some(row) = refund::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(false);
    };
    let (from, to, reference) = match outcome {
        Outcome::Succeeded { provider_ref } => {
            (RefundStatus::Pending, RefundStatus::Succeeded, provider_ref)
        }
        Outcome::Failed { why } => (RefundStatus::Pending, RefundStatus::Failed, why),
        Outcome::SettledManually { reference } => (
            RefundStatus::OwedManually,
            RefundStatus::SettledManually,
            reference,
        ),
    };
    let mut update = refund::Entity::update_many()
        .col_expr(refund::Column::Status, Expr::val(to.code()))
        .col_expr(refund::Column::UpdatedAt, Expr::val(now))
        .filter(refund::Column::Id.eq(id))
        .filter(refund::Column::Status.eq(from.code()));
    update = match outcome {
        Outcome::Succeeded { .. } => {
            update.col_expr(refund::Column::ProviderRef, Expr::val(reference))
        }
        Outcome::SettledManually { .. } => {
            update.col_expr(refund::Column::ManualReference, Expr::val(reference))
        }
        Outcome::Failed { .. } => update,
    };
    if update.exec(&txn).await?.rows_affected != 1 {
        return Ok(false);
    }
    order_moves::record(
        &txn,
        row.order_id,
        row.part_id,
        &format!("refund_{}", to.code()),
        from.code(),
        to.code(),
        actor,
        Some(format!("{} {reference}", Money::mxn(row.amount_centavos))),
        now,
    )
    .await?;
    if to == RefundStatus::Succeeded {
        count(&txn, &row, actor, now).await?;
    }
    if to == RefundStatus::SettledManually {
        crate::money::revenue::record_refund_paid(&txn, &row, reference, now).await?;
    }
    if let Some(l) = letter.filter(|_| to != RefundStatus::Failed) {
        crate::outbox::queue(&txn, &l, SiteTime::from_naive(now).in_utc()).await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// Counts refund `row` as given back: the order's and the part's refunded amounts
/// grow, and each moves to refunded when nothing is left. Money that came for
/// withdrawn bookings was never the order's: it came and went, and counts for nothing.
async fn count(
    txn: &impl ConnectionTrait,
    row: &refund::Model,
    actor: Option<i32>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if row.for_withdrawn {
        return Ok(());
    }
    let owed = row.status == RefundStatus::OwedManually.code();
    crate::money::revenue::record_refund(txn, row, owed, now).await?;
    orders::Entity::update_many()
        .col_expr(
            orders::Column::RefundedCentavos,
            Expr::col(orders::Column::RefundedCentavos).add(row.amount_centavos),
        )
        .filter(orders::Column::Id.eq(row.order_id))
        .exec(txn)
        .await?;
    let order = orders::Entity::find_by_id(row.order_id)
        .one(txn)
        .await?
        .ok_or_else(|| rows::bad("refund", "order_id", &row.order_id.to_string()))?;
    let action = if order.refunded_centavos >= order.total_centavos {
        OrderAction::RefundAll
    } else {
        OrderAction::RefundSome
    };
    if order_moves::order_status(&order)? != OrderStatus::Refunded {
        order_moves::move_order(txn, &order, action, actor, None, now).await?;
    }
    if let Some(part_id) = row.part_id {
        order_part::Entity::update_many()
            .col_expr(
                order_part::Column::RefundedCentavos,
                Expr::col(order_part::Column::RefundedCentavos).add(row.amount_centavos),
            )
            .filter(order_part::Column::Id.eq(part_id))
            .exec(txn)
            .await?;
        if let Some(part) = order_part::Entity::find_by_id(part_id).one(txn).await?
            && part.refunded_centavos >= part.goods_centavos + part.shipping_centavos
        {
            order_moves::move_part_by(txn, &part, PartAction::RefundAll, actor, now).await?;
        }
    }
    Ok(())
}

/// Refunds still waiting for the provider's answer (a crash between asking and
/// hearing back): the reconciliation asks again, under the same idempotency key.
pub async fn pending(db: &impl ConnectionTrait) -> Result<Vec<refund::Model>, StoreError> {
    Ok(refund::Entity::find()
        .filter(refund::Column::Status.eq(RefundStatus::Pending.code()))
        .all(db)
        .await?)
}

/// Refund `id`'s order and part (none: a refund of the whole order).
pub async fn order_of(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(i32, Option<i32>)>, StoreError> {
    Ok(refund::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|r| (r.order_id, r.part_id)))
}
