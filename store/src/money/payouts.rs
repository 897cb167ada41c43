//! Paying cooperatives and their members. A payout pays everything available to a
//! cooperative and its members (netting what refunds after an earlier payout took
//! back); a cash or SPEI payout is recorded by the cooperative's admin with its
//! reference, and settles the same ledger accounts as a transfer. A member payment
//! records what the cooperative passed on to one of its artisans or guides.

use crate::StoreError;
use crate::db::write_transaction;
use crate::entity::{
    journal_posting, member_payment, payout, payout_event, payout_transfer, producer,
};
use crate::money::ledger::{self as books, About};
use chrono::{NaiveDate, NaiveDateTime};
use domain::clock::SiteTime;
use domain::money::ledger::{self, Account, AccountKind, LedgerError};
use domain::money::payout::{PayoutMethod, PayoutStatus};
use domain::money::{Currency, Money};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

#[derive(Debug, thiserror::Error)]
pub enum PayoutError {
    #[error("there is nothing available to pay")]
    NothingToPay,
    #[error("a payout to this cooperative is already under way")]
    AlreadyUnderWay,
    #[error("not a member of this cooperative")]
    NotAMember,
    #[error("the cooperative's Stripe account cannot receive transfers yet")]
    NotConnected,
    #[error("the payout cannot be moved so now")]
    NotNow,
    #[error("the provider made some of the payout's transfers after all")]
    WentThrough,
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

/// What a new payout to `cooperative` would pay, inside `txn`: refused while another
/// is under way (one at a time, so the same balance is never sent twice), or when
/// nothing is available.
async fn plan(txn: &impl ConnectionTrait, cooperative: i32) -> Result<ledger::Payout, PayoutError> {
    crate::entity::cooperative::Entity::find_by_id(cooperative)
        .lock_exclusive()
        .one(txn)
        .await?;
    let open = payout::Entity::find()
        .filter(payout::Column::CooperativeId.eq(cooperative))
        .filter(
            payout::Column::Status
                .is_in([PayoutStatus::Sending.code(), PayoutStatus::Failed.code()]),
        )
        .one(txn)
        .await?;
    if open.is_some() {
        return Err(PayoutError::AlreadyUnderWay);
    }
    let balances = books::balances(
        txn,
        Condition::all().add(journal_posting::Column::CooperativeId.eq(cooperative)),
    )
    .await?;
    ledger::payout(cooperative, &balances, Currency::Mxn).map_err(|e| match e {
        LedgerError::NothingToPay => PayoutError::NothingToPay,
        other => PayoutError::Store(crate::rows::bad("payout", "amount", &other.to_string())),
    })
}

impl Manual {
    /// A payment as its form recorded it, by `actor`.
    pub fn of(how: domain::money::finance_forms::ManualPayment, actor: Option<i32>) -> Manual {
        Manual {
            method: how.method,
            reference: how.reference,
            paid_on: how.paid_on,
            actor,
        }
    }
}

/// Records that everything available to `cooperative` was paid to it by `how` (cash
/// or SPEI): the payout, its move to paid, and its two entries (set aside, sent), in
/// one transaction. The payout's id and amount.
pub async fn record_manual(
    db: &DatabaseConnection,
    cooperative: i32,
    how: &Manual,
    now: SiteTime,
) -> Result<(i32, Money), PayoutError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let plan = plan(&txn, cooperative).await?;
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
    now: SiteTime,
) -> Result<i32, PayoutError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    // What the cooperative holds for the member is read, then paid: the member's row
    // is locked first, so two payments at once are checked one after the other (on
    // PostgreSQL; SQLite's write transaction already does so).
    let member = producer::Entity::find_by_id(producer_id)
        .lock_exclusive()
        .one(&txn)
        .await?;
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

/// A transfer of a payout still to be sent (or sent again, with the same key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferToSend {
    pub id: i32,
    pub payout_id: i32,
    pub amount: Money,
    /// The order's code: its payment's transfer group.
    pub transfer_group: Option<String>,
    pub idempotency_key: String,
    pub destination: String,
}

/// Transfers' states.
const PENDING: &str = "pending";
const SENT: &str = "sent";
const FAILED: &str = "failed";

async fn move_payout(
    txn: &impl ConnectionTrait,
    row: &payout::Model,
    action: domain::money::payout::PayoutAction,
    note: Option<String>,
    actor: Option<i32>,
    now: NaiveDateTime,
) -> Result<PayoutStatus, PayoutError> {
    let from = PayoutStatus::parse(&row.status)
        .ok_or_else(|| crate::rows::bad("payout", "status", &row.status))?;
    let to = from.after(action).map_err(|_| PayoutError::NotNow)?;
    let moved = payout::Entity::update_many()
        .col_expr(payout::Column::Status, Expr::val(to.code()))
        .col_expr(payout::Column::LastError, Expr::val(note.clone()))
        .col_expr(payout::Column::UpdatedAt, Expr::val(now))
        .filter(payout::Column::Id.eq(row.id))
        .filter(payout::Column::Status.eq(from.code()))
        .exec(txn)
        .await?;
    if moved.rows_affected == 0 {
        return Err(PayoutError::NotNow);
    }
    payout_event::ActiveModel {
        payout_id: Set(row.id),
        action: Set(action.code().to_owned()),
        from_status: Set(from.code().to_owned()),
        to_status: Set(to.code().to_owned()),
        actor_account_id: Set(actor),
        note: Set(note),
        at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(to)
}

/// Starts paying everything available to `cooperative` by transfers to its
/// connected account: the payout (sending), the entry that sets its money aside,
/// and one transfer per order with money to send, each with its idempotency key
/// (`tianguis-payout-{payout}-{order}`), in one transaction. Nothing is sent here.
pub async fn start_transfer(
    db: &DatabaseConnection,
    cooperative: i32,
    actor: Option<i32>,
    now: SiteTime,
) -> Result<i32, PayoutError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    match crate::money::connected_accounts::of(&txn, cooperative).await? {
        Some(c) if c.status.can_receive() => {}
        _ => return Err(PayoutError::NotConnected),
    }
    let plan = plan(&txn, cooperative).await?;
    let row = payout::ActiveModel {
        cooperative_id: Set(cooperative),
        method: Set(PayoutMethod::Transfer.code().to_owned()),
        status: Set(PayoutStatus::Sending.code().to_owned()),
        amount_centavos: Set(plan.total.centavos()),
        currency: Set(plan.total.currency().code().to_owned()),
        reference: Set(None),
        paid_on: Set(None),
        last_error: Set(None),
        entry_id: Set(None),
        created_by: Set(actor),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let about = About {
        source: format!("payout-start:{}", row.id),
        cooperative: Some(cooperative),
        memo: Some("transfer".to_owned()),
        actor,
        ..About::default()
    };
    books::post(&txn, &plan.entry, about, now).await?;
    for t in &plan.transfers {
        let order = t.order.map_or("none".to_owned(), |o| o.to_string());
        payout_transfer::ActiveModel {
            payout_id: Set(row.id),
            order_id: Set(t.order),
            amount_centavos: Set(t.centavos),
            idempotency_key: Set(format!("tianguis-payout-{}-{order}", row.id)),
            provider_ref: Set(None),
            status: Set(PENDING.to_owned()),
            last_error: Set(None),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    payout_event::ActiveModel {
        payout_id: Set(row.id),
        action: Set("start".to_owned()),
        from_status: Set("none".to_owned()),
        to_status: Set(PayoutStatus::Sending.code().to_owned()),
        actor_account_id: Set(actor),
        note: Set(None),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Payout `payout_id`'s transfers not yet confirmed, to send while it is sending.
pub async fn transfers_to_send(
    db: &impl ConnectionTrait,
    payout_id: i32,
) -> Result<Vec<TransferToSend>, PayoutError> {
    let Some(row) = payout::Entity::find_by_id(payout_id).one(db).await? else {
        return Ok(Vec::new());
    };
    if row.status != PayoutStatus::Sending.code() {
        return Ok(Vec::new());
    }
    not_confirmed(db, &row).await
}

/// Failed payout `payout_id`'s (of `cooperative`) transfers by the provider that are
/// not confirmed: before it may be cancelled, the provider is asked whether it made
/// them all the same (a timeout or a 5xx can hide a transfer that went through).
pub async fn transfers_to_check(
    db: &impl ConnectionTrait,
    cooperative: i32,
    payout_id: i32,
) -> Result<Vec<TransferToSend>, PayoutError> {
    let row = payout_of(db, cooperative, payout_id).await?;
    if row.status != PayoutStatus::Failed.code() || row.method != PayoutMethod::Transfer.code() {
        return Ok(Vec::new());
    }
    not_confirmed(db, &row).await
}

async fn not_confirmed(
    db: &impl ConnectionTrait,
    row: &payout::Model,
) -> Result<Vec<TransferToSend>, PayoutError> {
    let payout_id = row.id;
    let destination = crate::money::connected_accounts::of(db, row.cooperative_id)
        .await?
        .ok_or(PayoutError::NotConnected)?
        .account_ref;
    let transfers = payout_transfer::Entity::find()
        .filter(payout_transfer::Column::PayoutId.eq(payout_id))
        .filter(payout_transfer::Column::Status.ne(SENT))
        .all(db)
        .await?;
    let orders: Vec<i32> = transfers.iter().filter_map(|t| t.order_id).collect();
    let codes: std::collections::BTreeMap<i32, String> = crate::entity::orders::Entity::find()
        .filter(crate::entity::orders::Column::Id.is_in(orders))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.code))
        .collect();
    Ok(transfers
        .into_iter()
        .map(|t| TransferToSend {
            id: t.id,
            payout_id,
            amount: Money::mxn(t.amount_centavos),
            transfer_group: t.order_id.and_then(|o| codes.get(&o).cloned()),
            idempotency_key: t.idempotency_key,
            destination: destination.clone(),
        })
        .collect())
}

/// The provider confirmed transfer `transfer_id` as `provider_ref`. Once every
/// transfer of its payout is confirmed, the payout is paid: its entry moves the
/// money from in transit to the cooperative (and what is its members' to their
/// accounts there). Whether the payout is now paid.
pub async fn transfer_sent(
    db: &DatabaseConnection,
    transfer_id: i32,
    provider_ref: &str,
    now: SiteTime,
) -> Result<bool, PayoutError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let Some(t) = payout_transfer::Entity::find_by_id(transfer_id)
        .one(&txn)
        .await?
    else {
        return Err(PayoutError::NotNow);
    };
    payout_transfer::Entity::update_many()
        .col_expr(payout_transfer::Column::Status, Expr::val(SENT))
        .col_expr(
            payout_transfer::Column::ProviderRef,
            Expr::val(provider_ref),
        )
        .col_expr(
            payout_transfer::Column::LastError,
            Expr::val(None::<String>),
        )
        .col_expr(payout_transfer::Column::UpdatedAt, Expr::val(now))
        .filter(payout_transfer::Column::Id.eq(transfer_id))
        .exec(&txn)
        .await?;
    let left = payout_transfer::Entity::find()
        .filter(payout_transfer::Column::PayoutId.eq(t.payout_id))
        .filter(payout_transfer::Column::Status.ne(SENT))
        .count(&txn)
        .await?;
    let row = payout::Entity::find_by_id(t.payout_id)
        .one(&txn)
        .await?
        .ok_or(PayoutError::NotNow)?;
    // Sending, or failed when the provider made the transfers after all.
    let open = [PayoutStatus::Sending.code(), PayoutStatus::Failed.code()];
    if left > 0 || !open.contains(&row.status.as_str()) {
        txn.commit().await?;
        return Ok(false);
    }
    let started = journal_entry_postings(&txn, &format!("payout-start:{}", row.id)).await?;
    let sent = ledger::payout_sent(row.cooperative_id, &started)
        .map_err(|e| crate::rows::bad("payout", "amount", &e.to_string()))?;
    let about = About {
        source: format!("payout:{}", row.id),
        cooperative: Some(row.cooperative_id),
        memo: Some("transfer".to_owned()),
        ..About::default()
    };
    let entry = books::post(&txn, &sent, about, now).await?;
    payout::Entity::update_many()
        .col_expr(payout::Column::EntryId, Expr::val(entry))
        .col_expr(payout::Column::PaidOn, Expr::val(now.date()))
        .filter(payout::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    move_payout(
        &txn,
        &row,
        domain::money::payout::PayoutAction::Sent,
        None,
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// The postings of the entry with this source.
async fn journal_entry_postings(
    txn: &impl ConnectionTrait,
    source: &str,
) -> Result<Vec<ledger::Posting>, StoreError> {
    let Some(entry) = crate::entity::journal_entry::Entity::find()
        .filter(crate::entity::journal_entry::Column::Source.eq(source))
        .one(txn)
        .await?
    else {
        return Err(crate::rows::bad("journal_entry", "source", source));
    };
    journal_posting::Entity::find()
        .filter(journal_posting::Column::EntryId.eq(entry.id))
        .all(txn)
        .await?
        .iter()
        .map(books::posting_of)
        .collect()
}

/// The provider refused or could not take transfer `transfer_id`: it and its payout
/// are failed, with the reason, until an admin retries (with the same keys).
pub async fn transfer_failed(
    db: &DatabaseConnection,
    transfer_id: i32,
    reason: &str,
    now: SiteTime,
) -> Result<(), PayoutError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let Some(t) = payout_transfer::Entity::find_by_id(transfer_id)
        .one(&txn)
        .await?
    else {
        return Err(PayoutError::NotNow);
    };
    payout_transfer::Entity::update_many()
        .col_expr(payout_transfer::Column::Status, Expr::val(FAILED))
        .col_expr(payout_transfer::Column::LastError, Expr::val(reason))
        .col_expr(payout_transfer::Column::UpdatedAt, Expr::val(now))
        .filter(payout_transfer::Column::Id.eq(transfer_id))
        .exec(&txn)
        .await?;
    let row = payout::Entity::find_by_id(t.payout_id)
        .one(&txn)
        .await?
        .ok_or(PayoutError::NotNow)?;
    if row.status == PayoutStatus::Sending.code() {
        let action = domain::money::payout::PayoutAction::Fail;
        move_payout(&txn, &row, action, Some(reason.to_owned()), None, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Payout `payout_id`, if it is `cooperative`'s.
async fn payout_of(
    txn: &impl ConnectionTrait,
    cooperative: i32,
    payout_id: i32,
) -> Result<payout::Model, PayoutError> {
    payout::Entity::find_by_id(payout_id)
        .one(txn)
        .await?
        .filter(|p| p.cooperative_id == cooperative)
        .ok_or(PayoutError::NotNow)
}

/// An admin sends failed payout `payout_id` again: it is sending, and its transfers
/// not yet confirmed go again with their own keys.
pub async fn retry(
    db: &DatabaseConnection,
    cooperative: i32,
    payout_id: i32,
    actor: Option<i32>,
    now: SiteTime,
) -> Result<(), PayoutError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let row = payout_of(&txn, cooperative, payout_id).await?;
    match crate::money::connected_accounts::of(&txn, cooperative).await? {
        Some(c) if c.status.can_receive() => {}
        _ => return Err(PayoutError::NotConnected),
    }
    let action = domain::money::payout::PayoutAction::Retry;
    move_payout(&txn, &row, action, None, actor, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Payouts still sending (a crash, or a provider that did not answer, left them so):
/// the background task sends their transfers again, with the same keys.
pub async fn sending(db: &impl ConnectionTrait) -> Result<Vec<i32>, StoreError> {
    Ok(payout::Entity::find()
        .select_only()
        .column(payout::Column::Id)
        .filter(payout::Column::Status.eq(PayoutStatus::Sending.code()))
        .filter(payout::Column::Method.eq(PayoutMethod::Transfer.code()))
        .into_tuple()
        .all(db)
        .await?)
}

/// An admin gives up on failed payout `payout_id` (say, to pay by SPEI instead): its
/// money is available again (`payout-cancel:N` reverses what it set aside). Only a
/// payout none of whose transfers went through can be cancelled.
pub async fn cancel(
    db: &DatabaseConnection,
    cooperative: i32,
    payout_id: i32,
    actor: Option<i32>,
    now: SiteTime,
) -> Result<(), PayoutError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let row = payout_of(&txn, cooperative, payout_id).await?;
    let sent = payout_transfer::Entity::find()
        .filter(payout_transfer::Column::PayoutId.eq(payout_id))
        .filter(payout_transfer::Column::Status.eq(SENT))
        .count(&txn)
        .await?;
    if sent > 0 {
        return Err(PayoutError::WentThrough);
    }
    let action = domain::money::payout::PayoutAction::Cancel;
    move_payout(&txn, &row, action, None, actor, now).await?;
    let started = journal_entry_postings(&txn, &format!("payout-start:{}", row.id)).await?;
    let back = ledger::payout_cancelled(&started)
        .map_err(|e| crate::rows::bad("payout", "amount", &e.to_string()))?;
    let about = About {
        source: format!("payout-cancel:{}", row.id),
        cooperative: Some(cooperative),
        memo: Some("cancelled".to_owned()),
        actor,
        ..About::default()
    };
    books::post(&txn, &back, about, now).await?;
    txn.commit().await?;
    Ok(())
}
