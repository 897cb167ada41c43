//! A cooperative's finances, read from the journal: balances per member, for the
//! cooperative and its community fund (sums the database makes, grouped by account),
//! the ledger lines of a period for its statement, and the public totals of where
//! the money went.

use crate::StoreError;
use crate::entity::{
    community, cooperative, fund_spending, journal_entry, journal_posting, member_payment, orders,
    payout, producer, sales_total,
};
use crate::money::public_totals;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use domain::clock::SiteTime;
use domain::money::Money;
use domain::money::finances::{
    CoopFinances, CoopStanding, FundStanding, MemberFinances, MemberPaymentLine, MemberStanding,
    MoneyTotals, PayoutLine, StatementFilter, StatementLine, Transparency,
};
use domain::money::ledger::{Account, AccountKind, EntryKind};
use domain::money::payout::PayoutStatus;
use domain::money::public_totals::{PRODUCER_KINDS, first_of_last_12_months};
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, BTreeSet};

/// The sum of postings per account among those `condition` selects.
async fn sums(
    db: &impl ConnectionTrait,
    condition: Condition,
) -> Result<BTreeMap<Account, i64>, StoreError> {
    let rows: Vec<(String, Option<i32>, Option<i64>)> = journal_posting::Entity::find()
        .select_only()
        .column(journal_posting::Column::AccountKind)
        .column(journal_posting::Column::AccountOwner)
        // PostgreSQL sums BIGINT into NUMERIC: cast back.
        .column_as(Expr::cust("CAST(SUM(centavos) AS BIGINT)"), "sum")
        .filter(condition)
        .group_by(journal_posting::Column::AccountKind)
        .group_by(journal_posting::Column::AccountOwner)
        .into_tuple()
        .all(db)
        .await?;
    let mut out = BTreeMap::new();
    for (kind, owner, sum) in rows {
        let kind = AccountKind::parse(&kind)
            .ok_or_else(|| crate::rows::bad("journal_posting", "account_kind", &kind))?;
        out.insert(Account { kind, owner }, sum.unwrap_or(0));
    }
    Ok(out)
}

/// What `account` holds or is owed, as a positive amount, in `sums`.
fn owed(sums: &BTreeMap<Account, i64>, account: Account) -> Money {
    Money::mxn(account.owed(sums.get(&account).copied().unwrap_or(0)))
}

fn total(amounts: impl IntoIterator<Item = i64>) -> Money {
    Money::mxn(amounts.into_iter().sum())
}

/// Everything on cooperative `cooperative_id`'s finances page.
pub async fn of_cooperative(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<CoopFinances, StoreError> {
    let coop = cooperative::Entity::find_by_id(cooperative_id)
        .one(db)
        .await?
        .ok_or_else(|| crate::rows::bad("cooperative", "id", &cooperative_id.to_string()))?;
    let mine = sums(
        db,
        Condition::all().add(journal_posting::Column::CooperativeId.eq(cooperative_id)),
    )
    .await?;
    let payouts = payout::Entity::find()
        .filter(payout::Column::CooperativeId.eq(cooperative_id))
        .order_by_desc(payout::Column::CreatedAt)
        .order_by_desc(payout::Column::Id)
        .all(db)
        .await?;
    let paid = payouts
        .iter()
        .filter(|p| p.status == PayoutStatus::Paid.code())
        .map(|p| p.amount_centavos);
    let of = |kind| Account::of(kind, cooperative_id);
    let standing = CoopStanding {
        pending: owed(&mine, of(AccountKind::CooperativePending)),
        available: owed(&mine, of(AccountKind::CooperativeAvailable)),
        in_transit: owed(&mine, of(AccountKind::PayoutInTransit)),
        paid_out: total(paid),
        holds_for_members: owed(&mine, of(AccountKind::CooperativeHoldsForMembers)),
    };
    let paid_to_members = member_payment::Entity::find()
        .filter(member_payment::Column::CooperativeId.eq(cooperative_id))
        .order_by_desc(member_payment::Column::PaidOn)
        .order_by_desc(member_payment::Column::Id)
        .all(db)
        .await?;
    let people = producer::Entity::find()
        .filter(producer::Column::CooperativeId.eq(cooperative_id))
        .order_by_asc(producer::Column::Name)
        .all(db)
        .await?;
    let names: BTreeMap<i32, String> = people.iter().map(|p| (p.id, p.name.clone())).collect();
    let members = people
        .iter()
        .map(|p| {
            let of = |kind| Account::of(kind, p.id);
            MemberStanding {
                producer_id: p.id,
                name: p.name.clone(),
                pending: owed(&mine, of(AccountKind::ProducerPending)),
                available: owed(&mine, of(AccountKind::ProducerAvailable)),
                held: owed(&mine, of(AccountKind::ProducerAtCooperative)),
                received: total(
                    paid_to_members
                        .iter()
                        .filter(|m| m.producer_id == p.id)
                        .map(|m| m.amount_centavos),
                ),
            }
        })
        .zip(&people)
        // A member who left, with nothing pending, available or held, is no longer listed.
        .filter(|(m, p)| {
            p.left_at.is_none()
                || m.pending.centavos() + m.available.centavos() + m.held.centavos() != 0
        })
        .map(|(m, _)| m)
        .collect();
    let place = community::Entity::find_by_id(coop.community_id)
        .one(db)
        .await?
        .ok_or_else(|| crate::rows::bad("community", "id", &coop.community_id.to_string()))?;
    let fund = fund_standing(db, &place).await?;
    let from_here = owed(&mine, Account::of(AccountKind::FundPending, place.id)).centavos()
        + owed(&mine, Account::of(AccountKind::FundAvailable, place.id)).centavos();
    Ok(CoopFinances {
        cooperative: standing,
        members,
        fund: FundStanding {
            from_this_cooperative: Money::mxn(from_here),
            ..fund
        },
        payouts: payouts
            .into_iter()
            .map(|p| PayoutLine {
                id: p.id,
                method: p.method,
                status: p.status,
                amount: Money::mxn(p.amount_centavos),
                reference: p.reference,
                paid_on: p.paid_on,
                started: p.created_at,
                last_error: p.last_error,
            })
            .collect(),
        member_payments: paid_to_members
            .into_iter()
            .map(|m| MemberPaymentLine {
                producer: names.get(&m.producer_id).cloned().unwrap_or_default(),
                amount: Money::mxn(m.amount_centavos),
                method: m.method,
                reference: m.reference,
                paid_on: m.paid_on,
            })
            .collect(),
    })
}

/// A community fund's balances and spending, from every cooperative's sales.
pub async fn fund_standing(
    db: &impl ConnectionTrait,
    place: &community::Model,
) -> Result<FundStanding, StoreError> {
    let fund = sums(
        db,
        Condition::all()
            .add(journal_posting::Column::AccountOwner.eq(place.id))
            .add(journal_posting::Column::AccountKind.is_in([
                AccountKind::FundPending.code(),
                AccountKind::FundAvailable.code(),
            ])),
    )
    .await?;
    let spent: Vec<i64> = fund_spending::Entity::find()
        .select_only()
        .column(fund_spending::Column::AmountCentavos)
        .filter(fund_spending::Column::CommunityId.eq(place.id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(FundStanding {
        community_slug: place.slug.clone(),
        community_name: place.name.clone(),
        pending: owed(&fund, Account::of(AccountKind::FundPending, place.id)),
        available: owed(&fund, Account::of(AccountKind::FundAvailable, place.id)),
        spent: total(spent),
        from_this_cooperative: Money::mxn(0),
    })
}

/// The entries `filter` selects (by date and kind), as a condition on postings.
fn entries_matching(filter: &StatementFilter) -> SimpleExpr {
    let mut q = Query::select();
    q.column(journal_entry::Column::Id)
        .from(journal_entry::Entity);
    if let Some(from) = filter.from {
        q.and_where(journal_entry::Column::At.gte(from.and_time(NaiveTime::MIN)));
    }
    if let Some(to) = filter.to {
        let next = to.succ_opt().unwrap_or(to).and_time(NaiveTime::MIN);
        q.and_where(journal_entry::Column::At.lt(next));
    }
    if let Some(kind) = filter.kind {
        q.and_where(journal_entry::Column::Kind.eq(kind.code()));
    }
    journal_posting::Column::EntryId.in_subquery(q.to_owned())
}

fn codes(kinds: &[AccountKind]) -> Vec<&'static str> {
    kinds.iter().map(|k| k.code()).collect()
}

/// The ledger lines of cooperative `cooperative_id` that `filter` selects, oldest
/// first: every posting about its sales, payouts and members.
pub async fn statement(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
    filter: &StatementFilter,
) -> Result<Vec<StatementLine>, StoreError> {
    let mut condition = Condition::all()
        .add(journal_posting::Column::CooperativeId.eq(cooperative_id))
        .add(entries_matching(filter));
    if let Some(p) = filter.producer {
        condition = condition
            .add(journal_posting::Column::AccountKind.is_in(codes(&PRODUCER_KINDS)))
            .add(journal_posting::Column::AccountOwner.eq(p));
    }
    let postings = journal_posting::Entity::find()
        .filter(condition)
        .order_by_asc(journal_posting::Column::EntryId)
        .order_by_asc(journal_posting::Column::Id)
        .all(db)
        .await?;
    let entry_ids: BTreeSet<i32> = postings.iter().map(|p| p.entry_id).collect();
    let entries: BTreeMap<i32, journal_entry::Model> = journal_entry::Entity::find()
        .filter(journal_entry::Column::Id.is_in(entry_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let order_ids: BTreeSet<i32> = postings.iter().filter_map(|p| p.order_id).collect();
    let order_codes: BTreeMap<i32, String> = orders::Entity::find()
        .select_only()
        .column(orders::Column::Id)
        .column(orders::Column::Code)
        .filter(orders::Column::Id.is_in(order_ids))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let names = holder_names(db, cooperative_id).await?;
    let mut lines = Vec::with_capacity(postings.len());
    for row in postings {
        let entry = entries
            .get(&row.entry_id)
            .ok_or_else(|| crate::rows::bad("journal_posting", "entry_id", "missing"))?;
        let posting = crate::money::ledger::posting_of(&row)?;
        let kind = EntryKind::parse(&entry.kind)
            .ok_or_else(|| crate::rows::bad("journal_entry", "kind", &entry.kind))?;
        lines.push(StatementLine {
            entry: entry.id,
            at: entry.at,
            kind,
            order_code: row.order_id.and_then(|o| order_codes.get(&o).cloned()),
            account: posting.account.kind,
            holder: posting
                .account
                .owner
                .and_then(|o| names.get(&(holder_of(posting.account.kind), o)).cloned()),
            centavos: row.centavos,
            memo: entry.memo.clone(),
        });
    }
    // Oldest first, by when the entry was written.
    lines.sort_by_key(|l| (l.at, l.entry));
    Ok(lines)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Holder {
    Producer,
    Cooperative,
    Community,
}

fn holder_of(kind: AccountKind) -> Holder {
    match kind {
        AccountKind::ProducerPending
        | AccountKind::ProducerAvailable
        | AccountKind::ProducerAtCooperative => Holder::Producer,
        AccountKind::FundPending | AccountKind::FundAvailable => Holder::Community,
        _ => Holder::Cooperative,
    }
}

/// The names of the cooperative, its members and its community, by who they are.
async fn holder_names(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<BTreeMap<(Holder, i32), String>, StoreError> {
    let mut names = BTreeMap::new();
    for p in producer::Entity::find()
        .filter(producer::Column::CooperativeId.eq(cooperative_id))
        .all(db)
        .await?
    {
        names.insert((Holder::Producer, p.id), p.name);
    }
    if let Some(c) = cooperative::Entity::find_by_id(cooperative_id)
        .one(db)
        .await?
    {
        if let Some(place) = community::Entity::find_by_id(c.community_id)
            .one(db)
            .await?
        {
            names.insert((Holder::Community, place.id), place.name);
        }
        names.insert((Holder::Cooperative, c.id), c.name);
    }
    Ok(names)
}

/// Which cooperatives' sales, for the public totals.
#[derive(Debug, Clone, Copy)]
pub enum Whose {
    Cooperative(i32),
    Community(i32),
}

impl Whose {
    /// Keeps the rows whose `column` (a cooperative id) is one of these cooperatives.
    fn sellers(self, column: impl ColumnTrait) -> SimpleExpr {
        match self {
            Whose::Cooperative(id) => column.eq(id),
            Whose::Community(id) => column.in_subquery(
                Query::select()
                    .column(cooperative::Column::Id)
                    .from(cooperative::Entity)
                    .and_where(cooperative::Column::CommunityId.eq(id))
                    .to_owned(),
            ),
        }
    }
}

/// Where the money of `whose` sales went, for all time and the last twelve months
/// (this month and the eleven before `now`'s): the shares of artisans and guides and
/// of the fund (sales less refunds), and what the fund spent on projects. Read from
/// the running sums (`public_totals`): a few rows, however long the history.
pub async fn transparency(
    db: &impl ConnectionTrait,
    whose: Whose,
    now: SiteTime,
) -> Result<Transparency, StoreError> {
    let community_id = community_of(db, whose).await?;
    transparency_in(db, whose, community_id, now).await
}

/// The same as [`transparency`], for a page that has read the community `whose`
/// sellers are in.
pub async fn transparency_in(
    db: &impl ConnectionTrait,
    whose: Whose,
    community_id: i32,
    now: SiteTime,
) -> Result<Transparency, StoreError> {
    let cooperatives = whose.sellers(sales_total::Column::CooperativeId);
    public_totals::read(db, cooperatives.into(), community_id, now.naive()).await
}

async fn community_of(db: &impl ConnectionTrait, whose: Whose) -> Result<i32, StoreError> {
    Ok(match whose {
        Whose::Community(id) => id,
        Whose::Cooperative(id) => {
            cooperative::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| crate::rows::bad("cooperative", "id", &id.to_string()))?
                .community_id
        }
    })
}

/// Every cooperative's and community's public totals (the running sums their pages
/// read) that differ from the ledger and the fund added up again, with both: none,
/// unless something wrote an entry without its sums (the tests, and the generator
/// that grows the ledger for `bench/`, check it).
pub async fn totals_off_the_ledger(
    db: &impl ConnectionTrait,
    now: SiteTime,
) -> Result<Vec<(Whose, Transparency, Transparency)>, StoreError> {
    let coops: Vec<i32> = cooperative::Entity::find()
        .select_only()
        .column(cooperative::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let places: Vec<i32> = community::Entity::find()
        .select_only()
        .column(community::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut off = Vec::new();
    let whose = coops
        .into_iter()
        .map(Whose::Cooperative)
        .chain(places.into_iter().map(Whose::Community));
    for whose in whose {
        let kept = transparency(db, whose, now).await?;
        let recounted = recounted_transparency(db, whose, now).await?;
        if kept != recounted {
            off.push((whose, kept, recounted));
        }
    }
    Ok(off)
}

/// The same as [`transparency`], added up again from every posting of the ledger and
/// every spending of the fund: what the running sums must always equal (tests).
pub async fn recounted_transparency(
    db: &impl ConnectionTrait,
    whose: Whose,
    now: SiteTime,
) -> Result<Transparency, StoreError> {
    let community_id = community_of(db, whose).await?;
    let first = first_of_last_12_months(now.naive());
    let since = NaiveDate::parse_from_str(&format!("{first}-01"), "%Y-%m-%d")
        .map_err(|_| crate::rows::bad("sales_total", "period", &first))?
        .and_time(NaiveTime::MIN);
    Ok(Transparency {
        all_time: recount(db, whose, community_id, None).await?,
        last_12_months: recount(db, whose, community_id, Some(since)).await?,
    })
}

/// The ids of the entries that say what was sold: sales, and the refunds that took
/// part of them back (what recipients got of sales, less refunds).
pub(crate) fn sold_entries() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(journal_entry::Column::Id)
        .from(journal_entry::Entity)
        .and_where(journal_entry::Column::Kind.is_in([
            EntryKind::Sale.code(),
            EntryKind::Refund.code(),
            EntryKind::RefundOwed.code(),
        ]))
        .to_owned()
}

async fn recount(
    db: &impl ConnectionTrait,
    whose: Whose,
    community_id: i32,
    since: Option<NaiveDateTime>,
) -> Result<MoneyTotals, StoreError> {
    let mut entries = sold_entries();
    if let Some(since) = since {
        entries.and_where(journal_entry::Column::At.gte(since));
    }
    let sellers = whose.sellers(journal_posting::Column::CooperativeId);
    let shares = sums(
        db,
        Condition::all()
            .add(sellers)
            .add(journal_posting::Column::EntryId.in_subquery(entries.to_owned())),
    )
    .await?;
    let owed_by = |keep: &dyn Fn(&Account) -> bool| {
        total(
            shares
                .iter()
                .filter(|(a, _)| keep(a))
                .map(|(a, sum)| a.owed(*sum)),
        )
    };
    let to_producers = owed_by(&|a| PRODUCER_KINDS.contains(&a.kind));
    let to_fund = owed_by(&|a| {
        matches!(
            a.kind,
            AccountKind::FundPending | AccountKind::FundAvailable
        ) && a.owner == Some(community_id)
    });
    let mut spent = fund_spending::Entity::find()
        .select_only()
        .column(fund_spending::Column::AmountCentavos)
        .filter(fund_spending::Column::CommunityId.eq(community_id));
    if let Some(since) = since {
        spent = spent.filter(fund_spending::Column::CreatedAt.gte(since));
    }
    let spent: Vec<i64> = spent.into_tuple().all(db).await?;
    Ok(MoneyTotals {
        to_producers,
        to_fund,
        spent_on_projects: total(spent),
    })
}

/// Producer `producer_id`'s own statement: their balances in their cooperative, the
/// postings to their accounts (newest first) and what the cooperative paid them.
pub async fn of_member(
    db: &impl ConnectionTrait,
    producer_id: i32,
) -> Result<Option<MemberFinances>, StoreError> {
    let Some(p) = producer::Entity::find_by_id(producer_id).one(db).await? else {
        return Ok(None);
    };
    let coop = cooperative::Entity::find_by_id(p.cooperative_id)
        .one(db)
        .await?
        .ok_or_else(|| crate::rows::bad("cooperative", "id", &p.cooperative_id.to_string()))?;
    let theirs = sums(
        db,
        Condition::all()
            .add(journal_posting::Column::AccountOwner.eq(p.id))
            .add(journal_posting::Column::AccountKind.is_in(codes(&PRODUCER_KINDS)))
            .add(journal_posting::Column::CooperativeId.eq(coop.id)),
    )
    .await?;
    let paid = member_payment::Entity::find()
        .filter(member_payment::Column::ProducerId.eq(p.id))
        .order_by_desc(member_payment::Column::PaidOn)
        .order_by_desc(member_payment::Column::Id)
        .all(db)
        .await?;
    let of = |kind| Account::of(kind, p.id);
    let standing = MemberStanding {
        producer_id: p.id,
        name: p.name.clone(),
        pending: owed(&theirs, of(AccountKind::ProducerPending)),
        available: owed(&theirs, of(AccountKind::ProducerAvailable)),
        held: owed(&theirs, of(AccountKind::ProducerAtCooperative)),
        received: total(paid.iter().map(|m| m.amount_centavos)),
    };
    let filter = StatementFilter {
        producer: Some(p.id),
        ..StatementFilter::default()
    };
    let mut lines = statement(db, coop.id, &filter).await?;
    lines.reverse();
    Ok(Some(MemberFinances {
        cooperative_name: coop.name,
        standing,
        lines,
        payments: paid
            .into_iter()
            .map(|m| MemberPaymentLine {
                producer: p.name.clone(),
                amount: Money::mxn(m.amount_centavos),
                method: m.method,
                reference: m.reference,
                paid_on: m.paid_on,
            })
            .collect(),
    }))
}
