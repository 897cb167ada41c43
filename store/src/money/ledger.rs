//! The ledger's tables: journal entries are written here, once each, inside the
//! transaction of the event that causes them, and never changed; balances are always
//! sums of postings (no cached balance to drift).

use crate::StoreError;
use crate::entity::{journal_entry, journal_posting};
use crate::rows;
use chrono::NaiveDateTime;
use domain::money::ledger::{Account, AccountKind, Balances, Entry, Item, Posting};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

/// What a journal entry is about, beside its postings.
#[derive(Debug, Clone, Default)]
pub struct About {
    /// What caused it, unique: the same cause never posts twice.
    pub source: String,
    pub order: Option<i32>,
    pub cooperative: Option<i32>,
    pub community: Option<i32>,
    pub memo: Option<String>,
    pub actor: Option<i32>,
}

/// Writes `entry`; `None` (and nothing written) if its source was posted before.
pub(crate) async fn post(
    txn: &impl ConnectionTrait,
    entry: &Entry,
    about: About,
    now: NaiveDateTime,
) -> Result<Option<i32>, StoreError> {
    let inserted = journal_entry::Entity::insert(journal_entry::ActiveModel {
        kind: Set(entry.kind().code().to_owned()),
        source: Set(about.source.clone()),
        order_id: Set(about.order),
        cooperative_id: Set(about.cooperative),
        community_id: Set(about.community),
        memo: Set(about.memo),
        actor_account_id: Set(about.actor),
        at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(journal_entry::Column::Source)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if inserted == 0 {
        return Ok(None);
    }
    let id = journal_entry::Entity::find()
        .filter(journal_entry::Column::Source.eq(&about.source))
        .one(txn)
        .await?
        .ok_or_else(|| rows::bad("journal_entry", "source", &about.source))?
        .id;
    let rows = entry.postings().iter().map(|p| {
        let (item_kind, item_id) = match p.item {
            Some(Item::Line(id)) => (Some("line"), Some(id)),
            Some(Item::Shipping(id)) => (Some("shipping"), Some(id)),
            None => (None, None),
        };
        journal_posting::ActiveModel {
            entry_id: Set(id),
            account_kind: Set(p.account.kind.code().to_owned()),
            account_owner: Set(p.account.owner),
            centavos: Set(p.centavos),
            currency: Set("MXN".to_owned()),
            order_id: Set(p.order),
            item_kind: Set(item_kind.map(str::to_owned)),
            item_id: Set(item_id),
            cooperative_id: Set(p.cooperative),
            ..Default::default()
        }
    });
    journal_posting::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await?;
    crate::money::public_totals::add_entry(txn, entry.kind(), entry.postings(), now).await?;
    Ok(Some(id))
}

/// Whether an entry with this source was posted.
pub(crate) async fn posted(txn: &impl ConnectionTrait, source: &str) -> Result<bool, StoreError> {
    Ok(journal_entry::Entity::find()
        .filter(journal_entry::Column::Source.eq(source))
        .one(txn)
        .await?
        .is_some())
}

pub(crate) fn posting_of(row: &journal_posting::Model) -> Result<Posting, StoreError> {
    let kind = AccountKind::parse(&row.account_kind)
        .ok_or_else(|| rows::bad("journal_posting", "account_kind", &row.account_kind))?;
    let item = match (row.item_kind.as_deref(), row.item_id) {
        (Some("line"), Some(id)) => Some(Item::Line(id)),
        (Some("shipping"), Some(id)) => Some(Item::Shipping(id)),
        (None, None) => None,
        (k, _) => {
            return Err(rows::bad(
                "journal_posting",
                "item_kind",
                k.unwrap_or("(none)"),
            ));
        }
    };
    Ok(Posting {
        account: Account {
            kind,
            owner: row.account_owner,
        },
        centavos: row.centavos,
        order: row.order_id,
        item,
        cooperative: row.cooperative_id,
    })
}

/// The balances of the postings that `condition` selects.
pub(crate) async fn balances(
    db: &impl ConnectionTrait,
    condition: Condition,
) -> Result<Balances, StoreError> {
    let rows = journal_posting::Entity::find()
        .filter(condition)
        .all(db)
        .await?;
    let mut b = Balances::default();
    for row in &rows {
        b.add(&posting_of(row)?);
    }
    Ok(b)
}

/// Selects the postings of one account.
pub(crate) fn of_account(account: Account) -> Condition {
    let owner = match account.owner {
        Some(o) => journal_posting::Column::AccountOwner.eq(o),
        None => journal_posting::Column::AccountOwner.is_null(),
    };
    Condition::all()
        .add(journal_posting::Column::AccountKind.eq(account.kind.code()))
        .add(owner)
}

/// The balance of `account` (debits positive), summed by the database.
pub async fn balance(db: &impl ConnectionTrait, account: Account) -> Result<i64, StoreError> {
    let sum: Option<Option<i64>> = journal_posting::Entity::find()
        .select_only()
        // PostgreSQL sums BIGINT into NUMERIC: cast back.
        .column_as(Expr::cust("CAST(SUM(centavos) AS BIGINT)"), "sum")
        .filter(of_account(account))
        .into_tuple()
        .one(db)
        .await?;
    Ok(sum.flatten().unwrap_or(0))
}

/// Every entry with its postings, oldest first, that `condition` selects among
/// postings (an entry is listed with all of its postings if any one matches).
pub async fn entries(
    db: &impl ConnectionTrait,
    condition: Condition,
) -> Result<Vec<(journal_entry::Model, Vec<Posting>)>, StoreError> {
    let ids: Vec<i32> = journal_posting::Entity::find()
        .select_only()
        .column(journal_posting::Column::EntryId)
        .distinct()
        .filter(condition)
        .into_tuple()
        .all(db)
        .await?;
    let heads = journal_entry::Entity::find()
        .filter(journal_entry::Column::Id.is_in(ids.clone()))
        .order_by_asc(journal_entry::Column::At)
        .order_by_asc(journal_entry::Column::Id)
        .all(db)
        .await?;
    let postings = journal_posting::Entity::find()
        .filter(journal_posting::Column::EntryId.is_in(ids))
        .order_by_asc(journal_posting::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(heads.len());
    for head in heads {
        let mine = postings
            .iter()
            .filter(|p| p.entry_id == head.id)
            .map(posting_of)
            .collect::<Result<Vec<_>, _>>()?;
        out.push((head, mine));
    }
    Ok(out)
}

/// Checks the whole ledger: every entry's postings add up to zero. The entries that
/// do not (there should be none: the ledger is written only through balanced
/// entries).
pub async fn unbalanced_entries(db: &impl ConnectionTrait) -> Result<Vec<i32>, StoreError> {
    let sums: Vec<(i32, Option<i64>)> = journal_posting::Entity::find()
        .select_only()
        .column(journal_posting::Column::EntryId)
        .column_as(Expr::cust("CAST(SUM(centavos) AS BIGINT)"), "sum")
        .group_by(journal_posting::Column::EntryId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(sums
        .into_iter()
        .filter(|(_, s)| s.unwrap_or(0) != 0)
        .map(|(id, _)| id)
        .collect())
}
