//! An order's payment as last read from its provider, and the one place where news
//! about it changes the order: [`settle`], which records the provider's event (by its
//! id, unique: a second delivery does nothing) in the same transaction as its effect.

use crate::commerce::orders::FoundOrder;
use crate::db::write_transaction;
use crate::entity::{orders, payment, payment_event};
use crate::outbox::Letter;
use crate::{StoreError, commerce::orders as order_moves};
use chrono::NaiveDateTime;
use domain::Money;
use domain::clock::SiteTime;
use domain::commerce::order::{OrderAction, OrderStatus};
use domain::commerce::payment::{
    Decision, PaymentMethod, ProviderState, Voucher, WRONG_AMOUNT, decide,
};
use domain::money::Currency;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
};

/// `payment.status` until the provider has answered the creation.
pub const CREATING: &str = "creating";

pub use crate::entity::payment::Model as PaymentRow;

/// Order `order_id`'s payment.
pub async fn of_order(
    db: &impl ConnectionTrait,
    order_id: i32,
) -> Result<Option<PaymentRow>, StoreError> {
    Ok(payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order_id))
        .one(db)
        .await?)
}

/// The payment `provider` knows as `provider_ref` (a PaymentIntent's id).
pub async fn by_ref(
    db: &impl ConnectionTrait,
    provider: &str,
    provider_ref: &str,
) -> Result<Option<PaymentRow>, StoreError> {
    Ok(payment::Entity::find()
        .filter(payment::Column::Provider.eq(provider))
        .filter(payment::Column::ProviderRef.eq(provider_ref))
        .one(db)
        .await?)
}

/// Payment `id`.
pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<PaymentRow>, StoreError> {
    Ok(payment::Entity::find_by_id(id).one(db).await?)
}

/// The provider made the payment for `asked`: its id, and what the browser needs to
/// pay by card.
pub async fn created(
    db: &impl ConnectionTrait,
    id: i32,
    asked: Money,
    provider_ref: &str,
    client_secret: Option<&str>,
    now: SiteTime,
) -> Result<(), StoreError> {
    let now = now.naive();
    payment::Entity::update_many()
        .col_expr(payment::Column::AmountCentavos, Expr::val(asked.centavos()))
        .col_expr(payment::Column::ProviderRef, Expr::val(provider_ref))
        .col_expr(payment::Column::ClientSecret, Expr::val(client_secret))
        .col_expr(
            payment::Column::Status,
            Expr::val(ProviderState::NeedsMethod { last_error: None }.code()),
        )
        .col_expr(payment::Column::UpdatedAt, Expr::val(now))
        .filter(payment::Column::Id.eq(id))
        .filter(payment::Column::Status.eq(CREATING))
        .exec(db)
        .await?;
    Ok(())
}

/// What order `order_id` totals while it awaits its payment (`None` once it does
/// not).
pub async fn awaited_total(
    db: &impl ConnectionTrait,
    order_id: i32,
) -> Result<Option<i64>, StoreError> {
    Ok(orders::Entity::find_by_id(order_id)
        .one(db)
        .await?
        .filter(|o| o.status == OrderStatus::AwaitingPayment.code())
        .map(|o| o.total_centavos))
}

/// Payment `id` now asks `centavos` (bookings left its order before it was paid):
/// `made_at_provider` says whether the provider was asked (then it said yes) or the
/// payment is not made there yet. Only while the payment is as the caller read it:
/// a payment made at the provider meanwhile is asked again by the caller. Whether
/// it was recorded.
pub async fn ask_instead(
    db: &impl ConnectionTrait,
    id: i32,
    centavos: i64,
    made_at_provider: bool,
    now: SiteTime,
) -> Result<bool, StoreError> {
    let provider_ref = if made_at_provider {
        payment::Column::ProviderRef.is_not_null()
    } else {
        payment::Column::ProviderRef.is_null()
    };
    let changed = payment::Entity::update_many()
        .col_expr(payment::Column::AmountCentavos, Expr::val(centavos))
        .col_expr(payment::Column::UpdatedAt, Expr::val(now.naive()))
        .filter(payment::Column::Id.eq(id))
        .filter(provider_ref)
        .exec(db)
        .await?;
    Ok(changed.rows_affected == 1)
}

/// Records how the payer chose to pay.
pub async fn record_method(
    db: &impl ConnectionTrait,
    id: i32,
    method: PaymentMethod,
    now: SiteTime,
) -> Result<(), StoreError> {
    let now = now.naive();
    payment::Entity::update_many()
        .col_expr(payment::Column::Method, Expr::val(method.code()))
        .col_expr(payment::Column::UpdatedAt, Expr::val(now))
        .filter(payment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A provider's event, recorded with what it caused.
pub struct ProviderEvent<'a> {
    pub provider: &'a str,
    pub event_id: &'a str,
    pub kind: &'a str,
}

/// What settling a payment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// This event was recorded before: nothing was done again.
    Duplicate,
    /// The payment is gone (or never was ours).
    Unknown,
    Done {
        decision: Decision,
        order_id: i32,
        /// The slots that got places back (an expired order's bookings).
        freed: Vec<i32>,
    },
}

/// The emails a settled payment sends, made in the buyer's language from the order
/// as it now is; queued in the same transaction.
pub type Letters<'a> = &'a (dyn Fn(&Decision, &FoundOrder) -> Vec<Letter> + Send + Sync);

/// Applies the payment's current state at its provider (`state`, read just now) to
/// payment `id` and its order, by [`decide`]. `CancelThenExpire` and
/// `RefundLatePayment` are left to the caller, who must talk to the provider first.
pub async fn settle(
    db: &DatabaseConnection,
    id: i32,
    state: &ProviderState,
    event: Option<ProviderEvent<'_>>,
    letters: Letters<'_>,
    now: SiteTime,
) -> Result<Settled, StoreError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let Some(pay) = payment::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(Settled::Unknown);
    };
    if let Some(event) = &event {
        let inserted = payment_event::Entity::insert(payment_event::ActiveModel {
            provider: Set(event.provider.to_owned()),
            event_id: Set(event.event_id.to_owned()),
            kind: Set(event.kind.to_owned()),
            payment_id: Set(Some(id)),
            received_at: Set(now),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                payment_event::Column::Provider,
                payment_event::Column::EventId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        if inserted == 0 {
            txn.rollback().await?;
            return Ok(Settled::Duplicate);
        }
    }
    // Locked (PostgreSQL) as a booking's withdrawal locks it: the total read here is
    // the one the money is checked against until this commits.
    let Some(order) = orders::Entity::find_by_id(pay.order_id)
        .lock_exclusive()
        .one(&txn)
        .await?
    else {
        return Ok(Settled::Unknown);
    };
    let status = order_moves::order_status(&order)?;
    // A payment whose voucher was issued needs a method again only when the voucher
    // ran out unpaid: that is the end of it, whatever our own clock says.
    let voucher_over =
        pay.voucher_number.is_some() && matches!(state, ProviderState::NeedsMethod { .. });
    let currency = Currency::parse(&order.currency).map_err(|_| StoreError::BadValue {
        table: "orders",
        column: "currency",
        value: order.currency.clone(),
    })?;
    let total = Money::from_centavos(order.total_centavos, currency);
    // What the provider was asked for: more than the total when bookings were taken
    // out of the order after a voucher had been printed.
    let asked = Money::from_centavos(pay.amount_centavos, currency);
    let decision = decide(
        status,
        total,
        asked,
        now >= order.pay_by || voucher_over,
        state,
    );
    // Money that is neither the order's total nor the more that was asked (for
    // bookings withdrawn since) stays flagged, whatever comes later.
    let wrong_amount = state.is_not_due(total, asked) || pay.status == WRONG_AMOUNT;
    let status_code = if wrong_amount {
        WRONG_AMOUNT
    } else {
        state.code()
    };

    let mut update = payment::Entity::update_many()
        .col_expr(payment::Column::Status, Expr::val(status_code))
        .col_expr(payment::Column::CheckedAt, Expr::val(now))
        .col_expr(payment::Column::UpdatedAt, Expr::val(now))
        .filter(payment::Column::Id.eq(id));
    if let ProviderState::Succeeded {
        received_centavos, ..
    } = state
    {
        update = update.col_expr(
            payment::Column::ReceivedCentavos,
            Expr::val(*received_centavos),
        );
    }
    let mut newly_issued = false;
    match &decision {
        Decision::KeepForVoucher(v) => {
            newly_issued = pay.voucher_number.as_deref() != Some(v.number.as_str());
            update = voucher_columns(update, v);
        }
        Decision::RecordFailure(why) => {
            update = update.col_expr(payment::Column::LastError, Expr::val(why.as_str()));
        }
        Decision::RefundWrongAmount => {
            if let ProviderState::Succeeded {
                received_centavos,
                currency,
                ..
            } = state
            {
                let why = format!(
                    "received {received_centavos} centavos {currency}; the order's total is {} centavos {}",
                    total.centavos(),
                    total.currency().code()
                );
                tracing::error!(payment = id, order = order.id, %why, "a payment is not its order's total");
                update = update.col_expr(payment::Column::LastError, Expr::val(why));
            }
        }
        _ => {}
    }
    update.exec(&txn).await?;

    let note = event.as_ref().map(|n| format!("{} {}", n.kind, n.event_id));
    let mut freed = Vec::new();
    let mut mail = false;
    match &decision {
        Decision::MarkPaid | Decision::MarkPaidRefundingWithdrawn(_) => {
            let fee = match state {
                ProviderState::Succeeded { fee_centavos, .. } => *fee_centavos,
                _ => 0,
            };
            mail = order_moves::mark_paid(&txn, &order, Money::mxn(fee), note, now).await?
        }
        Decision::KeepForVoucher(v) => {
            let expires = domain::clock::site_time_of(v.expires_at);
            order_moves::extend(&txn, order.id, expires, voucher_deadline(v)).await?;
            mail = newly_issued;
        }
        Decision::Expire | Decision::RefundWrongAmount => {
            if let Some(f) =
                order_moves::release(&txn, &order, OrderAction::Expire, None, now).await?
            {
                freed = f;
                mail = true;
            }
        }
        _ => {}
    }
    if mail && let Some(mut found) = order_moves::by_id(&txn, order.id).await? {
        if decision.pays() {
            found.receipt = crate::money::revenue::receipt(&txn, order.id).await?;
        }
        for l in letters(&decision, &found) {
            crate::outbox::queue(&txn, &l, SiteTime::from_naive(now).in_utc()).await?;
        }
    }
    txn.commit().await?;
    Ok(Settled::Done {
        decision,
        order_id: order.id,
        freed,
    })
}

fn voucher_columns(
    update: sea_orm::UpdateMany<payment::Entity>,
    v: &Voucher,
) -> sea_orm::UpdateMany<payment::Entity> {
    update
        .col_expr(
            payment::Column::Method,
            Expr::val(PaymentMethod::Oxxo.code()),
        )
        .col_expr(payment::Column::VoucherNumber, Expr::val(v.number.as_str()))
        .col_expr(payment::Column::VoucherUrl, Expr::val(v.url.clone()))
        .col_expr(
            payment::Column::VoucherExpiresAt,
            Expr::val(domain::clock::site_time_of(v.expires_at)),
        )
}

fn voucher_deadline(v: &Voucher) -> NaiveDateTime {
    domain::clock::site_time_of(v.expires_at)
        + chrono::Duration::hours(domain::commerce::payment::VOUCHER_GRACE_HOURS)
}

/// Whether order `order_id` still waits for its money (for a caller about to talk to
/// the provider).
pub async fn order_awaits(db: &impl ConnectionTrait, order_id: i32) -> Result<bool, StoreError> {
    Ok(orders::Entity::find_by_id(order_id)
        .one(db)
        .await?
        .is_some_and(|o| o.status == OrderStatus::AwaitingPayment.code()))
}
