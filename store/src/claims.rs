//! Claims on periodic background work, so that any number of servers on one database
//! run each round of a job once: a server claims a job for a lease (a conditional
//! UPDATE of the job's `background_job` row: one server's UPDATE matches, the others'
//! find the lease taken), does the round, and finishes it, saying when the next is
//! due. A server that dies mid-round holds the lease until it runs out; then another
//! claims the job again, so nothing is left undone. Outbox emails are claimed the
//! same way, by the batch (`outbox::claim_due`).

use crate::StoreError;
use crate::entity::background_job;
use chrono::Duration;
use domain::clock::UtcTime;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// When a job may be claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Once its next round is due: the periodic rounds.
    Due,
    /// Whenever no server holds it, however recently it ran: a server's first round
    /// as it starts, for what happened while it was down.
    Free,
}

/// Claims `job` for `holder` until `now + lease`; whether it was had. Nobody else
/// claims it meanwhile.
pub async fn claim(
    db: &impl ConnectionTrait,
    job: &str,
    holder: &str,
    lease: Duration,
    when: When,
    now: UtcTime,
) -> Result<bool, StoreError> {
    // The job's row, the first time it is claimed (never twice: the name is its key).
    background_job::Entity::insert(background_job::ActiveModel {
        name: Set(job.to_owned()),
        rounds: Set(0),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(background_job::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let free = Condition::any()
        .add(background_job::Column::LeaseUntil.is_null())
        .add(background_job::Column::LeaseUntil.lte(now.naive()));
    let mut claimable = Condition::all()
        .add(background_job::Column::Name.eq(job))
        .add(free);
    if when == When::Due {
        claimable = claimable.add(
            Condition::any()
                .add(background_job::Column::NextRunAt.is_null())
                .add(background_job::Column::NextRunAt.lte(now.naive())),
        );
    }
    // Conditional: only a job nobody holds (or whose holder's lease ran out) is
    // taken; of two servers claiming at once, the second finds the lease set.
    let taken = background_job::Entity::update_many()
        .col_expr(background_job::Column::HeldBy, Expr::val(holder))
        .col_expr(
            background_job::Column::LeaseUntil,
            Expr::val((now + lease).naive()),
        )
        .filter(claimable)
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Ends `holder`'s round of `job`: the lease is given back, the round counted, and the
/// next not claimed (with `When::Due`) before `next`. Whether `holder` still held it
/// (false: its lease ran out and another server may have taken the job over).
pub async fn finish(
    db: &impl ConnectionTrait,
    job: &str,
    holder: &str,
    next: UtcTime,
    now: UtcTime,
) -> Result<bool, StoreError> {
    // Conditional: a round whose lease was taken over by another server is not
    // counted twice, nor does it cut the other's lease short.
    let done = background_job::Entity::update_many()
        .col_expr(background_job::Column::HeldBy, Expr::val(None::<String>))
        .col_expr(
            background_job::Column::LeaseUntil,
            Expr::val(None::<chrono::NaiveDateTime>),
        )
        .col_expr(background_job::Column::NextRunAt, Expr::val(next.naive()))
        .col_expr(background_job::Column::LastDoneAt, Expr::val(now.naive()))
        .col_expr(background_job::Column::LastDoneBy, Expr::val(holder))
        .col_expr(
            background_job::Column::Rounds,
            Expr::col(background_job::Column::Rounds).add(1),
        )
        .filter(background_job::Column::Name.eq(job))
        .filter(background_job::Column::HeldBy.eq(holder))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Where each job stands: for the platform admin and the tests.
pub async fn jobs(db: &impl ConnectionTrait) -> Result<Vec<background_job::Model>, StoreError> {
    Ok(background_job::Entity::find().all(db).await?)
}
