//! Paying cooperatives and their members. A payout pays everything available to a
//! cooperative and its members (netting what refunds after an earlier payout took
//! back); a cash or SPEI payout is recorded by the cooperative's admin with its
//! reference, and settles the same ledger accounts as a transfer. A member payment
//! records what the cooperative passed on to one of its artisans or guides.

use crate::StoreError;
use crate::bookings::write_transaction;
use crate::entity::{journal_posting, member_payment, payout, payout_event, producer};
use crate::ledger::{self as books, About};
use chrono::{NaiveDate, NaiveDateTime};
use domain::ledger::{self, Account, AccountKind, LedgerError};
use domain::money::{Currency, Money};
use domain::payout::{PayoutMethod, PayoutStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter,
};

#[derive(Debug, thiserror::Error)]
pub enum PayoutError {
    #[error("there is nothing available to pay")]
    NothingToPay,
    #[error("a payout to this cooperative is already under way")]
    AlreadyUnderWay,
    #[error("not a member of this cooperative")]
    NotAMember,
    #[error("only {0} is held for this member")]
    MoreThanHeld(Money),
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for PayoutError {
    fn from(err: sea_orm::DbErr) -> Self {
        PayoutError::Store(err.into())
    }
}

/// A cash or bank transfer an admin made to their cooperative's account, or to a member.
#[derive(Debug, Clone)]
pub struct Manual {
    pub method: PayoutMethod,
    pub reference: String,
    pub paid_on: NaiveDate,
    pub actor: Option<i32>,
}

/// Records that everything available to `cooperative` was paid to it by `how` (cash
/// or SPEI): the payout, its move to paid, and its two entries (set aside, sent), in
/// one transaction. The payout's id and amount.
pub async fn record_manual(
    db: &DatabaseConnection,
    cooperative: i32,
    how: &Manual,
    now: NaiveDateTime,
) -> Result<(i32, Money), PayoutError> {
    let txn = write_transaction(db).await?;
    let open = payout::Entity::find()
        .filter(payout::Column::CooperativeId.eq(cooperative))
        .filter(
            payout::Column::Status
                .is_in([PayoutStatus::Sending.code(), PayoutStatus::Failed.code()]),
        )
        .one(&txn)
        .await?;
    if open.is_some() {
        return Err(PayoutError::AlreadyUnderWay);
    }
    let balances = books::balances(
        &txn,
        Condition::all().add(journal_posting::Column::CooperativeId.eq(cooperative)),
    )
    .await?;
    let plan = ledger::payout(cooperative, &balances, Currency::Mxn).map_err(|e| match e {
        LedgerError::NothingToPay => PayoutError::NothingToPay,
        other => PayoutError::Store(crate::rows::bad("payout", "amount", &other.to_string())),
    })?;
    let row = payout::ActiveModel {
        cooperative_id: Set(cooperative),
        method: Set(how.method.code().to_owned()),
        status: Set(PayoutStatus::Paid.code().to_owned()),
        amount_centavos: Set(plan.total.centavos()),
        currency: Set(plan.total.currency().code().to_owned()),
        reference: Set(Some(how.reference.clone())),
        paid_on: Set(Some(how.paid_on)),
        last_error: Set(None),
        entry_id: Set(None),
        created_by: Set(how.actor),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let about = |source: String| About {
        source,
        cooperative: Some(cooperative),
        memo: Some(format!("{} {}", how.method.code(), how.reference)),
        actor: how.actor,
        ..About::default()
    };
    books::post(
        &txn,
        &plan.entry,
        about(format!("payout-start:{}", row.id)),
        now,
    )
    .await?;
    let sent = ledger::payout_sent(cooperative, plan.entry.postings())
        .map_err(|e| crate::rows::bad("payout", "amount", &e.to_string()))?;
    let entry = books::post(&txn, &sent, about(format!("payout:{}", row.id)), now).await?;
    payout::Entity::update_many()
        .col_expr(payout::Column::EntryId, Expr::val(entry))
        .filter(payout::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    payout_event::ActiveModel {
        payout_id: Set(row.id),
        action: Set("record".to_owned()),
        from_status: Set("none".to_owned()),
        to_status: Set(PayoutStatus::Paid.code().to_owned()),
        actor_account_id: Set(how.actor),
        note: Set(Some(how.reference.clone())),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok((row.id, plan.total))
}

/// What `cooperative` holds for its member `producer`: paid out to it, not yet
/// passed on.
pub async fn held_for(db: &impl ConnectionTrait, producer: i32) -> Result<Money, StoreError> {
    let account = Account::of(AccountKind::ProducerAtCooperative, producer);
    Ok(Money::mxn(account.owed(books::balance(db, account).await?)))
}

/// Records that `cooperative` paid its member `producer` `amount` (at most what it
/// holds for them). The member payment's id.
pub async fn pay_member(
    db: &DatabaseConnection,
    cooperative: i32,
    producer_id: i32,
    amount: Money,
    how: &Manual,
    now: NaiveDateTime,
) -> Result<i32, PayoutError> {
    let txn = write_transaction(db).await?;
    let member = producer::Entity::find_by_id(producer_id).one(&txn).await?;
    if member.is_none_or(|p| p.cooperative_id != cooperative) {
        return Err(PayoutError::NotAMember);
    }
    let held = held_for(&txn, producer_id).await?;
    let entry =
        ledger::member_payment(cooperative, producer_id, amount, held).map_err(|e| match e {
            LedgerError::MoreThanAvailable { available } => PayoutError::MoreThanHeld(available),
            _ => PayoutError::NotPositive,
        })?;
    let row = member_payment::ActiveModel {
        cooperative_id: Set(cooperative),
        producer_id: Set(producer_id),
        amount_centavos: Set(amount.centavos()),
        currency: Set(amount.currency().code().to_owned()),
        method: Set(how.method.code().to_owned()),
        reference: Set(Some(how.reference.clone())),
        paid_on: Set(how.paid_on),
        // Set just below, once the entry has its id.
        entry_id: Set(0),
        recorded_by: Set(how.actor),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let about = About {
        source: format!("member-payment:{}", row.id),
        cooperative: Some(cooperative),
        memo: Some(format!("{} {}", how.method.code(), how.reference)),
        actor: how.actor,
        ..About::default()
    };
    let entry_id = books::post(&txn, &entry, about, now).await?;
    member_payment::Entity::update_many()
        .col_expr(member_payment::Column::EntryId, Expr::val(entry_id))
        .filter(member_payment::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(row.id)
}
