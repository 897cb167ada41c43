//! The outbox: every email the site sends is first a row here, written in the same
//! transaction as the change it tells of; the mail worker (`server::mail`) sends it.

use crate::StoreError;
use crate::entity::outbox_email;
use domain::clock::UtcTime;
use domain::{Email, Lang};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
};

/// An email to queue with a move, in the same transaction.
pub struct Letter {
    pub to: Email,
    pub lang: Lang,
    pub subject: String,
    pub body: String,
    /// The orders whose links the letter carries, each with a key made for this
    /// letter: queuing the letter keeps the keys' hashes, so the links open the
    /// orders, and never the keys themselves.
    pub opens: Vec<OrderKey>,
}

impl Letter {
    /// A letter that carries no order's link.
    pub fn new(to: Email, lang: Lang, subject: String, body: String) -> Letter {
        Letter {
            to,
            lang,
            subject,
            body,
            opens: Vec::new(),
        }
    }

    /// The letter, carrying a link to an order with `key` as well.
    pub fn opening(mut self, key: OrderKey) -> Letter {
        self.opens.push(key);
        self
    }
}

/// A key to an order's link: the order and the SHA-256 of the key (`rows::key_hash`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderKey {
    pub order_id: i32,
    pub key_hash: String,
}

pub use domain::people::account::OutboxEmail;

/// Puts `letter` in the outbox. Call it in the same transaction as the change the
/// email is about, so neither exists without the other.
pub async fn queue(
    db: &impl ConnectionTrait,
    letter: &Letter,
    now: UtcTime,
) -> Result<(), StoreError> {
    outbox_email::ActiveModel {
        to_email: Set(letter.to.as_str().to_owned()),
        lang: Set(letter.lang.code().to_owned()),
        subject: Set(letter.subject.clone()),
        body: Set(letter.body.clone()),
        created_at: Set(now.naive()),
        sent_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for key in &letter.opens {
        crate::order_keys::keep(db, key, now.on_site()).await?;
    }
    Ok(())
}

/// What makes an email due now: not sent, not given up on, not waiting for a retry,
/// and not claimed by a server whose lease is still running.
fn due_now(now: UtcTime, max_attempts: i32) -> Condition {
    Condition::all()
        .add(outbox_email::Column::SentAt.is_null())
        .add(outbox_email::Column::Attempts.lt(max_attempts))
        .add(
            Condition::any()
                .add(outbox_email::Column::NextAttemptAt.is_null())
                .add(outbox_email::Column::NextAttemptAt.lte(now.naive())),
        )
        .add(
            Condition::any()
                .add(outbox_email::Column::ClaimedUntil.is_null())
                .add(outbox_email::Column::ClaimedUntil.lte(now.naive())),
        )
}

/// Emails to hand to the mail server now, oldest first (without claiming them).
pub async fn due(
    db: &impl ConnectionTrait,
    now: UtcTime,
    max_attempts: i32,
    limit: u64,
) -> Result<Vec<OutboxEmail>, StoreError> {
    emails(
        db,
        outbox_email::Entity::find()
            .filter(due_now(now, max_attempts))
            .order_by_asc(outbox_email::Column::Id)
            .limit(limit),
    )
    .await
}

/// Claims up to `limit` of the emails due now, oldest first, for `claim` (a name
/// this round of this server alone uses) until `until`, and returns them. Of several
/// servers claiming at once, each gets other emails: on PostgreSQL the rows one is
/// claiming are skipped by the others (`FOR UPDATE SKIP LOCKED`); SQLite has one
/// writer at a time. A server that dies with emails claimed leaves them to be claimed
/// again once `until` has passed.
pub async fn claim_due(
    db: &impl ConnectionTrait,
    claim: &str,
    until: UtcTime,
    now: UtcTime,
    max_attempts: i32,
    limit: u64,
) -> Result<Vec<OutboxEmail>, StoreError> {
    let mut oldest_due = outbox_email::Entity::find()
        .select_only()
        .column(outbox_email::Column::Id)
        .filter(due_now(now, max_attempts))
        .order_by_asc(outbox_email::Column::Id)
        .limit(limit)
        .into_query();
    // SQLite's builder leaves the lock out: it has no row locks, nor needs them.
    oldest_due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    outbox_email::Entity::update_many()
        .col_expr(outbox_email::Column::ClaimedBy, Expr::val(claim))
        .col_expr(outbox_email::Column::ClaimedUntil, Expr::val(until.naive()))
        .filter(outbox_email::Column::Id.in_subquery(oldest_due))
        .exec(db)
        .await?;
    emails(
        db,
        outbox_email::Entity::find()
            .filter(outbox_email::Column::ClaimedBy.eq(claim))
            .filter(outbox_email::Column::SentAt.is_null())
            .order_by_asc(outbox_email::Column::Id),
    )
    .await
}

/// Gives back the emails `claim` holds and did not send (its round ran short of
/// time): any server may claim them at once.
pub async fn release(db: &impl ConnectionTrait, claim: &str) -> Result<u64, StoreError> {
    Ok(outbox_email::Entity::update_many()
        .col_expr(
            outbox_email::Column::ClaimedUntil,
            Expr::val(None::<chrono::NaiveDateTime>),
        )
        .filter(outbox_email::Column::ClaimedBy.eq(claim))
        .filter(outbox_email::Column::SentAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// Marks an email sent and forgets its body: it is in the recipient's mailbox now,
/// and its links (reset, verification, invitation, order) are keys to an account or
/// a purchase that nobody else should read. Who, what, when and how it went stay.
/// Whether this marked it (false: it was already marked, by a server that took the
/// claim over after this one's lease ran out and sent it too).
pub async fn mark_sent(
    db: &impl ConnectionTrait,
    id: i32,
    now: UtcTime,
) -> Result<bool, StoreError> {
    // Conditional: the first sending is the one recorded.
    let marked = outbox_email::Entity::update_many()
        .col_expr(outbox_email::Column::SentAt, Expr::val(now.naive()))
        .col_expr(outbox_email::Column::Body, Expr::val(""))
        .col_expr(
            outbox_email::Column::ClaimedUntil,
            Expr::val(None::<chrono::NaiveDateTime>),
        )
        .filter(outbox_email::Column::Id.eq(id))
        .filter(outbox_email::Column::SentAt.is_null())
        .exec(db)
        .await?;
    Ok(marked.rows_affected == 1)
}

/// Counts a failed try of `claim`'s, keeps what the mail server said, and when to
/// try again; the claim is given back.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    id: i32,
    claim: &str,
    error: &str,
    retry_at: UtcTime,
) -> Result<(), StoreError> {
    outbox_email::Entity::update_many()
        .col_expr(
            outbox_email::Column::Attempts,
            Expr::col(outbox_email::Column::Attempts).add(1),
        )
        .col_expr(outbox_email::Column::LastError, Expr::val(error))
        .col_expr(
            outbox_email::Column::NextAttemptAt,
            Expr::val(retry_at.naive()),
        )
        .col_expr(
            outbox_email::Column::ClaimedUntil,
            Expr::val(None::<chrono::NaiveDateTime>),
        )
        .filter(outbox_email::Column::Id.eq(id))
        // Conditional: a try counts once, by the server that still holds the email.
        .filter(outbox_email::Column::ClaimedBy.eq(claim))
        .filter(outbox_email::Column::SentAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The newest emails first, sent or not, for the outbox page.
pub async fn newest(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<OutboxEmail>, StoreError> {
    emails(
        db,
        outbox_email::Entity::find()
            .order_by_desc(outbox_email::Column::Id)
            .limit(limit),
    )
    .await
}

/// The emails `query` finds.
async fn emails(
    db: &impl ConnectionTrait,
    query: sea_orm::Select<outbox_email::Entity>,
) -> Result<Vec<OutboxEmail>, StoreError> {
    Ok(query.all(db).await?.into_iter().map(email_of).collect())
}

fn email_of(e: outbox_email::Model) -> OutboxEmail {
    OutboxEmail {
        id: e.id,
        to: e.to_email,
        lang: Lang::parse(&e.lang).unwrap_or_default(),
        subject: e.subject,
        body: e.body,
        created_at: e.created_at,
        sent_at: e.sent_at,
        attempts: e.attempts,
        last_error: e.last_error,
    }
}
