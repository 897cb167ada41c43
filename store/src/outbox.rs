//! The outbox: every email the site sends is first a row here, written in the same
//! transaction as the change it tells of; the mail worker (`server::mail`) sends it.

use crate::StoreError;
use crate::entity::outbox_email;
use domain::clock::UtcTime;
use domain::{Email, Lang};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
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

/// Emails to hand to the mail server now: not sent, not given up on, and not
/// waiting for a retry. Oldest first.
pub async fn due(
    db: &impl ConnectionTrait,
    now: UtcTime,
    max_attempts: i32,
    limit: u64,
) -> Result<Vec<OutboxEmail>, StoreError> {
    Ok(outbox_email::Entity::find()
        .filter(outbox_email::Column::SentAt.is_null())
        .filter(outbox_email::Column::Attempts.lt(max_attempts))
        .filter(
            outbox_email::Column::NextAttemptAt
                .is_null()
                .or(outbox_email::Column::NextAttemptAt.lte(now.naive())),
        )
        .order_by_asc(outbox_email::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(email_of)
        .collect())
}

/// Marks an email sent and forgets its body: it is in the recipient's mailbox now,
/// and its links (reset, verification, invitation, order) are keys to an account or
/// a purchase that nobody else should read. Who, what, when and how it went stay.
pub async fn mark_sent(db: &impl ConnectionTrait, id: i32, now: UtcTime) -> Result<(), StoreError> {
    outbox_email::Entity::update_many()
        .col_expr(outbox_email::Column::SentAt, Expr::val(now.naive()))
        .col_expr(outbox_email::Column::Body, Expr::val(""))
        .filter(outbox_email::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Counts a failed try, keeps what the mail server said, and when to try again.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    id: i32,
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
        .filter(outbox_email::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The newest emails first, sent or not, for the outbox page.
pub async fn newest(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<OutboxEmail>, StoreError> {
    Ok(outbox_email::Entity::find()
        .order_by_desc(outbox_email::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(email_of)
        .collect())
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
