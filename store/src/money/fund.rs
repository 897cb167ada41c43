//! A community fund's participatory budget: proposals by members of the
//! community's cooperatives, their votes (one per member and proposal, changeable
//! while the vote is open), the count once a vote closes (`domain::money::fund::count`,
//! within what the fund has and has not already promised), and the spending on
//! approved projects, each with its ledger entry and receipt photo.
//!
//! Every change to one community's fund takes a lock on its community row first
//! (PostgreSQL; SQLite's write transactions take the whole database), so two
//! spendings, or a count and a spending, never both rely on the same balance.

use crate::StoreError;
use crate::db::write_transaction;
use crate::entity::{
    account, community, cooperative, fund_proposal, fund_spending, fund_vote, membership,
    sales_total,
};
use crate::money::ledger::{self as books, About};
use crate::money::public_totals;
use chrono::NaiveDate;
use domain::LocalizedText;
use domain::Viewer;
use domain::clock::SiteTime;
use domain::money::Money;
use domain::money::finances::FundStanding;
use domain::money::fund::{
    Counted, FundView, NewProposal, ProposalStatus, ProposalView, SpendingView, count,
    free_to_approve, vote_is_open,
};
use domain::money::ledger::{self, Account, AccountKind, LedgerError};
use domain::money::public_totals::ALL_TIME;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum FundError {
    #[error("only members of the community's cooperatives take part")]
    NotAMember,
    #[error("only the community's cooperative admins record spending")]
    NotAnAdmin,
    #[error("no such proposal")]
    NoSuchProposal,
    #[error("the vote is not open")]
    VoteClosed,
    #[error("the proposal was not approved")]
    NotApproved,
    #[error("only {left} of the proposal is left to spend")]
    MoreThanProposed { left: Money },
    #[error("the fund has only {available}")]
    MoreThanAvailable { available: Money },
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for FundError {
    fn from(err: sea_orm::DbErr) -> Self {
        FundError::Store(err.into())
    }
}

/// The ids of community `community_id`'s cooperatives, as a subquery.
fn cooperatives_of(community_id: i32) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(cooperative::Column::Id)
        .from(cooperative::Entity)
        .and_where(cooperative::Column::CommunityId.eq(community_id))
        .to_owned()
}

/// Whether `account_id` belongs to one of the community's cooperatives, as a
/// producer or an admin: a helper keeps listings for others, and has no vote.
pub async fn is_member(
    db: &impl ConnectionTrait,
    community_id: i32,
    account_id: i32,
) -> Result<bool, StoreError> {
    Ok(membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .filter(membership::Column::Role.ne(domain::MemberRole::Helper.code()))
        .filter(membership::Column::CooperativeId.in_subquery(cooperatives_of(community_id)))
        .count(db)
        .await?
        > 0)
}

/// Whether `viewer` may record the fund's spending: an admin of one of the
/// community's cooperatives, or of the platform.
pub async fn may_record_spending(
    db: &impl ConnectionTrait,
    community_id: i32,
    viewer: &Viewer,
) -> Result<bool, StoreError> {
    if viewer.runs_platform() {
        return Ok(true);
    }
    let coops: Vec<i32> = cooperative::Entity::find()
        .select_only()
        .column(cooperative::Column::Id)
        .filter(cooperative::Column::CommunityId.eq(community_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(coops.into_iter().any(|c| viewer.administers(c)))
}

/// Locks the community's row for the rest of `txn` (see the module's notes).
async fn lock_fund(txn: &impl ConnectionTrait, community_id: i32) -> Result<(), FundError> {
    community::Entity::find_by_id(community_id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(FundError::NoSuchProposal)?;
    Ok(())
}

/// Member `account_id` proposes `new` to community `community_id`'s fund; its id.
pub async fn propose(
    db: &DatabaseConnection,
    community_id: i32,
    account_id: i32,
    new: &NewProposal,
    now: SiteTime,
) -> Result<i32, FundError> {
    let now = now.naive();
    if !is_member(db, community_id, account_id).await? {
        return Err(FundError::NotAMember);
    }
    let row = fund_proposal::ActiveModel {
        community_id: Set(community_id),
        proposed_by: Set(account_id),
        title_es: Set(new.title_es.clone()),
        title_en: Set(new.title_en.clone()),
        description_es: Set(new.description_es.clone()),
        description_en: Set(new.description_en.clone()),
        amount_centavos: Set(new.amount.centavos()),
        currency: Set(new.amount.currency().code().to_owned()),
        status: Set(ProposalStatus::Voting.code().to_owned()),
        voting_opens: Set(new.voting_opens),
        voting_closes: Set(new.voting_closes),
        decided_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// The proposal `id`, with its community.
pub async fn proposal(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<fund_proposal::Model>, StoreError> {
    Ok(fund_proposal::Entity::find_by_id(id).one(db).await?)
}

/// Member `account_id` votes for (or against) proposal `proposal_id`; a second vote
/// replaces the first, for as long as the vote is open.
pub async fn vote(
    db: &DatabaseConnection,
    proposal_id: i32,
    account_id: i32,
    in_favour: bool,
    now: SiteTime,
) -> Result<(), FundError> {
    let now = now.naive();
    let p = proposal(db, proposal_id)
        .await?
        .ok_or(FundError::NoSuchProposal)?;
    if !is_member(db, p.community_id, account_id).await? {
        return Err(FundError::NotAMember);
    }
    if p.status != ProposalStatus::Voting.code()
        || !vote_is_open(p.voting_opens, p.voting_closes, now)
    {
        return Err(FundError::VoteClosed);
    }
    fund_vote::Entity::insert(fund_vote::ActiveModel {
        proposal_id: Set(proposal_id),
        account_id: Set(account_id),
        in_favour: Set(in_favour),
        at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([fund_vote::Column::ProposalId, fund_vote::Column::AccountId])
            .update_columns([fund_vote::Column::InFavour, fund_vote::Column::At])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Votes for and against each of `proposals`.
async fn tallies(
    db: &impl ConnectionTrait,
    proposals: Vec<i32>,
) -> Result<BTreeMap<i32, (u32, u32)>, StoreError> {
    let votes: Vec<(i32, bool)> = fund_vote::Entity::find()
        .select_only()
        .column(fund_vote::Column::ProposalId)
        .column(fund_vote::Column::InFavour)
        .filter(fund_vote::Column::ProposalId.is_in(proposals))
        .into_tuple()
        .all(db)
        .await?;
    let mut out: BTreeMap<i32, (u32, u32)> = BTreeMap::new();
    for (p, yes) in votes {
        let t = out.entry(p).or_default();
        if yes {
            t.0 += 1;
        } else {
            t.1 += 1;
        }
    }
    Ok(out)
}

/// What each of community `community_id`'s proposals has spent.
async fn spent_per_proposal(
    db: &impl ConnectionTrait,
    community_id: i32,
) -> Result<BTreeMap<i32, i64>, StoreError> {
    let rows: Vec<(i32, i64)> = fund_spending::Entity::find()
        .select_only()
        .column(fund_spending::Column::ProposalId)
        .column(fund_spending::Column::AmountCentavos)
        .filter(fund_spending::Column::CommunityId.eq(community_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut out = BTreeMap::new();
    for (p, c) in rows {
        *out.entry(p).or_default() += c;
    }
    Ok(out)
}

/// Approved and not yet spent, over community `community_id`'s proposals.
async fn promised(db: &impl ConnectionTrait, community_id: i32) -> Result<Money, StoreError> {
    let approved = fund_proposal::Entity::find()
        .filter(fund_proposal::Column::CommunityId.eq(community_id))
        .filter(fund_proposal::Column::Status.eq(ProposalStatus::Approved.code()))
        .all(db)
        .await?;
    let spent = spent_per_proposal(db, community_id).await?;
    Ok(left_to_spend(&approved, &spent))
}

/// What the approved ones among `proposals` still have to spend, given `spent` on each.
fn left_to_spend(proposals: &[fund_proposal::Model], spent: &BTreeMap<i32, i64>) -> Money {
    Money::mxn(
        proposals
            .iter()
            .filter(|p| p.status == ProposalStatus::Approved.code())
            .map(|p| (p.amount_centavos - spent.get(&p.id).copied().unwrap_or(0)).max(0))
            .sum(),
    )
}

async fn fund_available(db: &impl ConnectionTrait, community_id: i32) -> Result<Money, StoreError> {
    let account = Account::of(AccountKind::FundAvailable, community_id);
    Ok(Money::mxn(account.owed(books::balance(db, account).await?)))
}

/// Decides every proposal whose vote has closed by `now`, community by community:
/// the winners in vote order while the fund's free balance covers them. How many
/// proposals were decided.
pub async fn count_due(db: &DatabaseConnection, now: SiteTime) -> Result<usize, StoreError> {
    let now = now.naive();
    let communities: Vec<i32> = fund_proposal::Entity::find()
        .select_only()
        .column(fund_proposal::Column::CommunityId)
        .distinct()
        .filter(fund_proposal::Column::Status.eq(ProposalStatus::Voting.code()))
        .filter(fund_proposal::Column::VotingCloses.lte(now))
        .into_tuple()
        .all(db)
        .await?;
    let mut decided = 0;
    for community_id in communities {
        let txn = write_transaction(db).await?;
        lock_fund(&txn, community_id).await.map_err(|e| match e {
            FundError::Store(s) => s,
            other => crate::rows::bad("community", "id", &other.to_string()),
        })?;
        let due = fund_proposal::Entity::find()
            .filter(fund_proposal::Column::CommunityId.eq(community_id))
            .filter(fund_proposal::Column::Status.eq(ProposalStatus::Voting.code()))
            .filter(fund_proposal::Column::VotingCloses.lte(now))
            .all(&txn)
            .await?;
        let votes = tallies(&txn, due.iter().map(|p| p.id).collect()).await?;
        let counted: Vec<Counted> = due
            .iter()
            .map(|p| {
                let (votes_for, votes_against) = votes.get(&p.id).copied().unwrap_or_default();
                Counted {
                    id: p.id,
                    amount: Money::mxn(p.amount_centavos),
                    votes_for,
                    votes_against,
                }
            })
            .collect();
        let free = free_to_approve(
            fund_available(&txn, community_id).await?,
            promised(&txn, community_id).await?,
        );
        for (id, approved) in count(&counted, free) {
            let status = if approved {
                ProposalStatus::Approved
            } else {
                ProposalStatus::NotApproved
            };
            fund_proposal::Entity::update_many()
                .col_expr(fund_proposal::Column::Status, Expr::val(status.code()))
                .col_expr(fund_proposal::Column::DecidedAt, Expr::val(now))
                .filter(fund_proposal::Column::Id.eq(id))
                .filter(fund_proposal::Column::Status.eq(ProposalStatus::Voting.code()))
                .exec(&txn)
                .await?;
            decided += 1;
        }
        txn.commit().await?;
    }
    Ok(decided)
}

/// A payment for an approved project, as its admin records it.
#[derive(Debug, Clone)]
pub struct Spending {
    pub amount: Money,
    pub note: String,
    pub receipt_photo: Option<String>,
    pub spent_on: NaiveDate,
}

/// Records `spending` on approved proposal `proposal_id`, by an admin of one of the
/// community's cooperatives: at most what is left of the proposal and what the fund
/// has. The fund's entry is written in the same transaction. A proposal spent in
/// full is done. The spending's id.
pub async fn spend(
    db: &DatabaseConnection,
    proposal_id: i32,
    spending: &Spending,
    by: &Viewer,
    now: SiteTime,
) -> Result<i32, FundError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let p = proposal(&txn, proposal_id)
        .await?
        .ok_or(FundError::NoSuchProposal)?;
    if !may_record_spending(&txn, p.community_id, by).await? {
        return Err(FundError::NotAnAdmin);
    }
    lock_fund(&txn, p.community_id).await?;
    if p.status != ProposalStatus::Approved.code() {
        return Err(FundError::NotApproved);
    }
    if spending.amount.centavos() <= 0 {
        return Err(FundError::NotPositive);
    }
    let spent = spent_per_proposal(&txn, p.community_id)
        .await?
        .get(&p.id)
        .copied()
        .unwrap_or(0);
    let left = p.amount_centavos - spent;
    if spending.amount.centavos() > left {
        return Err(FundError::MoreThanProposed {
            left: Money::mxn(left),
        });
    }
    let available = fund_available(&txn, p.community_id).await?;
    let entry =
        ledger::fund_spending(p.community_id, spending.amount, available).map_err(|e| match e {
            LedgerError::MoreThanAvailable { available } => {
                FundError::MoreThanAvailable { available }
            }
            _ => FundError::NotPositive,
        })?;
    let row = fund_spending::ActiveModel {
        proposal_id: Set(p.id),
        community_id: Set(p.community_id),
        amount_centavos: Set(spending.amount.centavos()),
        currency: Set(spending.amount.currency().code().to_owned()),
        note: Set(spending.note.clone()),
        receipt_photo: Set(spending.receipt_photo.clone()),
        spent_on: Set(spending.spent_on),
        // Set just below, once the entry has its id.
        entry_id: Set(0),
        recorded_by: Set(Some(by.account_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    public_totals::add_spending(&txn, p.community_id, row.amount_centavos, now).await?;
    let about = About {
        source: format!("fund-spending:{}", row.id),
        community: Some(p.community_id),
        memo: Some(spending.note.clone()),
        actor: Some(by.account_id),
        ..About::default()
    };
    let entry_id = books::post(&txn, &entry, about, now).await?;
    fund_spending::Entity::update_many()
        .col_expr(fund_spending::Column::EntryId, Expr::val(entry_id))
        .filter(fund_spending::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    if spending.amount.centavos() == left {
        fund_proposal::Entity::update_many()
            .col_expr(
                fund_proposal::Column::Status,
                Expr::val(ProposalStatus::Done.code()),
            )
            .filter(fund_proposal::Column::Id.eq(p.id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(row.id)
}

/// Community `place`'s fund page, for `viewer` (anyone: everything here is public,
/// except how the person looking voted).
pub async fn view(
    db: &impl ConnectionTrait,
    place: &community::Model,
    viewer: Option<&Viewer>,
) -> Result<FundView, StoreError> {
    let standing: FundStanding = crate::money::finances::fund_standing(db, place).await?;
    let proposals = fund_proposal::Entity::find()
        .filter(fund_proposal::Column::CommunityId.eq(place.id))
        .order_by_desc(fund_proposal::Column::CreatedAt)
        .order_by_desc(fund_proposal::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = proposals.iter().map(|p| p.id).collect();
    let votes = tallies(db, ids.clone()).await?;
    let mine: BTreeMap<i32, bool> = match viewer {
        Some(v) => fund_vote::Entity::find()
            .select_only()
            .column(fund_vote::Column::ProposalId)
            .column(fund_vote::Column::InFavour)
            .filter(fund_vote::Column::AccountId.eq(v.account_id))
            .filter(fund_vote::Column::ProposalId.is_in(ids))
            .into_tuple::<(i32, bool)>()
            .all(db)
            .await?
            .into_iter()
            .collect(),
        None => BTreeMap::new(),
    };
    let spent = spent_per_proposal(db, place.id).await?;
    // From the rows at hand: the same rule as the count's, without reading them again.
    let promised = left_to_spend(&proposals, &spent);
    let proposers: BTreeMap<i32, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(proposals.iter().map(|p| p.proposed_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let titles: BTreeMap<i32, LocalizedText> = proposals
        .iter()
        .map(|p| (p.id, both(&p.title_es, &p.title_en)))
        .collect();
    let spending = fund_spending::Entity::find()
        .filter(fund_spending::Column::CommunityId.eq(place.id))
        .order_by_desc(fund_spending::Column::SpentOn)
        .order_by_desc(fund_spending::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SpendingView {
            proposal_id: s.proposal_id,
            proposal: titles.get(&s.proposal_id).cloned().unwrap_or_default(),
            amount: Money::mxn(s.amount_centavos),
            note: s.note,
            receipt_photo: s.receipt_photo,
            spent_on: s.spent_on,
        })
        .collect();
    let proposal_views = proposals
        .into_iter()
        .map(|p| {
            let status = ProposalStatus::parse(&p.status).unwrap_or(ProposalStatus::Voting);
            let (votes_for, votes_against) = votes.get(&p.id).copied().unwrap_or_default();
            ProposalView {
                id: p.id,
                title: both(&p.title_es, &p.title_en),
                description: both(&p.description_es, &p.description_en),
                amount: Money::mxn(p.amount_centavos),
                status,
                voting_opens: p.voting_opens,
                voting_closes: p.voting_closes,
                votes_for,
                votes_against,
                my_vote: mine.get(&p.id).copied(),
                spent: Money::mxn(spent.get(&p.id).copied().unwrap_or(0)),
                proposed_by: proposers.get(&p.proposed_by).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let (can_vote, can_record_spending) = match viewer {
        Some(v) => (
            is_member(db, place.id, v.account_id).await?,
            may_record_spending(db, place.id, v).await?,
        ),
        None => (false, false),
    };
    Ok(FundView {
        standing,
        promised,
        inflows: inflows(db, place.id).await?,
        proposals: proposal_views,
        spending,
        can_vote,
        can_record_spending,
    })
}

fn both(es: &str, en: &str) -> LocalizedText {
    LocalizedText {
        es: Some(es.to_owned()),
        en: Some(en.to_owned()),
    }
}

/// What each cooperative's sales (less their refunds) gave the fund, most first: read
/// from the public totals' running sums (`sales_total`, all time), a row a
/// cooperative, not from the ledger's history.
async fn inflows(
    db: &impl ConnectionTrait,
    community_id: i32,
) -> Result<Vec<(String, Money)>, StoreError> {
    let gave = sales_total::Entity::belongs_to(cooperative::Entity)
        .from(sales_total::Column::CooperativeId)
        .to(cooperative::Column::Id)
        .into();
    let mut out: Vec<(String, Money)> = sales_total::Entity::find()
        .select_only()
        .column(cooperative::Column::Name)
        .column(sales_total::Column::ToFundCentavos)
        .join(JoinType::InnerJoin, gave)
        .filter(cooperative::Column::CommunityId.eq(community_id))
        .filter(sales_total::Column::Period.eq(ALL_TIME))
        .filter(sales_total::Column::ToFundCentavos.ne(0))
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(name, centavos)| (name, Money::mxn(centavos)))
        .collect();
    out.sort_by_key(|(name, m)| (-m.centavos(), name.clone()));
    Ok(out)
}

/// Community `slug`'s fund page, if there is such a community.
pub async fn page(
    db: &impl ConnectionTrait,
    slug: &str,
    viewer: Option<&Viewer>,
) -> Result<Option<FundView>, StoreError> {
    let Some(place) = community::Entity::find()
        .filter(community::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(view(db, &place, viewer).await?))
}

/// Community `slug`'s id.
pub async fn community_id(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<i32>, StoreError> {
    Ok(community::Entity::find()
        .select_only()
        .column(community::Column::Id)
        .filter(community::Column::Slug.eq(slug))
        .into_tuple()
        .one(db)
        .await?)
}
