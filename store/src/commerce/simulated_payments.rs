//! The simulated provider's own book of payments: what Stripe would keep on its side,
//! kept here so the demo needs no network. Only the `payments` crate's simulated
//! provider writes it.

use crate::StoreError;
use crate::entity::{simulated_payment, simulated_refund};
use domain::clock::SiteTime;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub use crate::entity::simulated_payment::Model as SimulatedRow;

/// Makes payment `id` of `amount_centavos` unless one with `idempotency_key` exists;
/// the payment with that key either way.
pub async fn create(
    db: &impl ConnectionTrait,
    id: &str,
    amount_centavos: i64,
    idempotency_key: &str,
    now: SiteTime,
) -> Result<SimulatedRow, StoreError> {
    let now = now.naive();
    simulated_payment::Entity::insert(simulated_payment::ActiveModel {
        id: Set(id.to_owned()),
        amount_centavos: Set(amount_centavos),
        currency: Set("MXN".to_owned()),
        status: Set("requires_payment_method".to_owned()),
        method: Set(None),
        last_error: Set(None),
        voucher_number: Set(None),
        voucher_expires_at: Set(None),
        refunded_centavos: Set(0),
        idempotency_key: Set(idempotency_key.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(simulated_payment::Column::IdempotencyKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    simulated_payment::Entity::find()
        .filter(simulated_payment::Column::IdempotencyKey.eq(idempotency_key))
        .one(db)
        .await?
        .ok_or_else(|| StoreError::Db(sea_orm::DbErr::RecordNotFound(id.to_owned())))
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Option<SimulatedRow>, StoreError> {
    Ok(simulated_payment::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?)
}

/// A new state (or amount) for payment `id`, if it is in one of `from` (so a finished payment
/// never moves again); whether it moved.
pub async fn set(
    db: &impl ConnectionTrait,
    id: &str,
    from: &[&str],
    row: &SimulatedRow,
    now: SiteTime,
) -> Result<bool, StoreError> {
    let now = now.naive();
    let moved = simulated_payment::Entity::update_many()
        .col_expr(
            simulated_payment::Column::Status,
            Expr::val(row.status.as_str()),
        )
        .col_expr(
            simulated_payment::Column::Method,
            Expr::val(row.method.clone()),
        )
        .col_expr(
            simulated_payment::Column::LastError,
            Expr::val(row.last_error.clone()),
        )
        .col_expr(
            simulated_payment::Column::VoucherNumber,
            Expr::val(row.voucher_number.clone()),
        )
        .col_expr(
            simulated_payment::Column::VoucherExpiresAt,
            Expr::val(row.voucher_expires_at),
        )
        .col_expr(
            simulated_payment::Column::AmountCentavos,
            Expr::val(row.amount_centavos),
        )
        .col_expr(simulated_payment::Column::UpdatedAt, Expr::val(now))
        .filter(simulated_payment::Column::Id.eq(id))
        .filter(simulated_payment::Column::Status.is_in(from.iter().copied()))
        .exec(db)
        .await?;
    Ok(moved.rows_affected == 1)
}

/// Refunds `amount` of payment `id` if it succeeded and that much is left; a second
/// call with the same `idempotency_key` refunds nothing more and says yes again.
pub async fn refund(
    db: &impl ConnectionTrait,
    id: &str,
    amount_centavos: i64,
    idempotency_key: &str,
) -> Result<bool, StoreError> {
    let fresh = simulated_refund::Entity::insert(simulated_refund::ActiveModel {
        idempotency_key: Set(idempotency_key.to_owned()),
        payment_id: Set(id.to_owned()),
        amount_centavos: Set(amount_centavos),
    })
    .on_conflict(
        OnConflict::column(simulated_refund::Column::IdempotencyKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if fresh == 0 {
        return Ok(true);
    }
    let moved = simulated_payment::Entity::update_many()
        .col_expr(
            simulated_payment::Column::RefundedCentavos,
            Expr::col(simulated_payment::Column::RefundedCentavos).add(amount_centavos),
        )
        .filter(simulated_payment::Column::Id.eq(id))
        .filter(simulated_payment::Column::Status.eq("succeeded"))
        .filter(
            Expr::col(simulated_payment::Column::RefundedCentavos)
                .add(amount_centavos)
                .lte(Expr::col(simulated_payment::Column::AmountCentavos)),
        )
        .exec(db)
        .await?;
    if moved.rows_affected != 1 {
        simulated_refund::Entity::delete_by_id(idempotency_key.to_owned())
            .exec(db)
            .await?;
        return Ok(false);
    }
    Ok(true)
}
