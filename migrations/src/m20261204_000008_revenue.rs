//! Revenue routing (issue 6):
//! - `split_rule`, each cooperative's split rule in numbered versions (a sale keeps the
//!   version it was paid under: `order_part.split_rule_id`);
//! - the double-entry ledger: `journal_entry` (what happened, once: `source` is unique)
//!   and `journal_posting` (its postings, adding up to zero; never updated or deleted);
//! - `connected_account`, a cooperative's payout account at the provider (Stripe
//!   Connect, or the simulated one) and whether it can receive transfers yet;
//! - `payout`, each payout to a cooperative (by transfer, or cash / SPEI recorded by
//!   its admin), `payout_transfer` its transfers, one per order, and `payout_event`
//!   every move of a payout;
//! - `member_payment`, what a cooperative paid one of its members;
//! - the community fund's participatory budget: `fund_proposal`, `fund_vote` (one per
//!   member and proposal, changeable while the vote is open) and `fund_spending` (with
//!   its receipt photo).

use crate::helpers::{cascade, drop_tables, index, restrict, unique_index};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000008_revenue"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SplitRule::Table)
                .col(pk_auto(SplitRule::Id))
                .col(integer(SplitRule::CooperativeId))
                .col(integer(SplitRule::Version))
                // Basis points: 10 000 is 100 %; the four add up to 10 000.
                .col(integer(SplitRule::ProducerPoints))
                .col(integer(SplitRule::CooperativePoints))
                .col(integer(SplitRule::FundPoints))
                .col(integer(SplitRule::PlatformPoints))
                // domain::money::split::Recipient::code.
                .col(string(SplitRule::FeesCarriedBy))
                .col(integer(SplitRule::AdvancePoints))
                // A shipped part's shares become available this many days after
                // shipping if nobody marks it delivered.
                .col(integer(SplitRule::ReleaseDaysAfterShipping))
                .col(integer_null(SplitRule::CreatedBy))
                .col(date_time(SplitRule::CreatedAt))
                .foreign_key(&mut cascade(
                    SplitRule::Table,
                    SplitRule::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            SplitRule::Table,
            [SplitRule::CooperativeId, SplitRule::Version],
            "idx_split_rule_version",
        ))
        .await?;
        m.alter_table(
            Table::alter()
                .table(OrderPart::Table)
                .add_column(integer_null(OrderPart::SplitRuleId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(JournalEntry::Table)
                .col(pk_auto(JournalEntry::Id))
                // domain::money::ledger::EntryKind::code.
                .col(string(JournalEntry::Kind))
                // What caused it, once: `sale:order:12`, `release:part:7`, `refund:3`…
                .col(string_uniq(JournalEntry::Source))
                .col(integer_null(JournalEntry::OrderId))
                .col(integer_null(JournalEntry::CooperativeId))
                .col(integer_null(JournalEntry::CommunityId))
                .col(text_null(JournalEntry::Memo))
                .col(integer_null(JournalEntry::ActorAccountId))
                .col(date_time(JournalEntry::At))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            JournalEntry::Table,
            JournalEntry::At,
            "idx_journal_entry_at",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(JournalPosting::Table)
                .col(pk_auto(JournalPosting::Id))
                .col(integer(JournalPosting::EntryId))
                // domain::money::ledger::AccountKind::code, and the owner for those that have one.
                .col(string(JournalPosting::AccountKind))
                .col(integer_null(JournalPosting::AccountOwner))
                // Signed: debits positive, credits negative.
                .col(big_integer(JournalPosting::Centavos))
                .col(string(JournalPosting::Currency))
                .col(integer_null(JournalPosting::OrderId))
                // line or shipping, and the order line's or the part's id.
                .col(string_null(JournalPosting::ItemKind))
                .col(integer_null(JournalPosting::ItemId))
                .col(integer_null(JournalPosting::CooperativeId))
                .foreign_key(&mut restrict(
                    JournalPosting::Table,
                    JournalPosting::EntryId,
                    JournalEntry::Table,
                    JournalEntry::Id,
                ))
                .to_owned(),
        )
        .await?;
        for (col, name) in [
            (JournalPosting::EntryId, "idx_journal_posting_entry"),
            (JournalPosting::OrderId, "idx_journal_posting_order"),
            (
                JournalPosting::CooperativeId,
                "idx_journal_posting_cooperative",
            ),
        ] {
            m.create_index(index(JournalPosting::Table, col, name))
                .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_journal_posting_account")
                .table(JournalPosting::Table)
                .col(JournalPosting::AccountKind)
                .col(JournalPosting::AccountOwner)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ConnectedAccount::Table)
                .col(integer(ConnectedAccount::CooperativeId).primary_key())
                .col(string(ConnectedAccount::Provider))
                .col(string_uniq(ConnectedAccount::AccountRef))
                // onboarding, enabled, restricted.
                .col(string(ConnectedAccount::Status))
                .col(date_time(ConnectedAccount::UpdatedAt))
                .foreign_key(&mut cascade(
                    ConnectedAccount::Table,
                    ConnectedAccount::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Payout::Table)
                .col(pk_auto(Payout::Id))
                .col(integer(Payout::CooperativeId))
                // transfer, cash, spei.
                .col(string(Payout::Method))
                // domain::money::payout::PayoutStatus::code.
                .col(string(Payout::Status))
                .col(big_integer(Payout::AmountCentavos))
                .col(string(Payout::Currency))
                .col(string_null(Payout::Reference))
                .col(date_null(Payout::PaidOn))
                .col(text_null(Payout::LastError))
                .col(integer_null(Payout::EntryId))
                .col(integer_null(Payout::CreatedBy))
                .col(date_time(Payout::CreatedAt))
                .col(date_time(Payout::UpdatedAt))
                .foreign_key(&mut restrict(
                    Payout::Table,
                    Payout::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Payout::Table,
            Payout::CooperativeId,
            "idx_payout_cooperative",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(PayoutTransfer::Table)
                .col(pk_auto(PayoutTransfer::Id))
                .col(integer(PayoutTransfer::PayoutId))
                .col(integer_null(PayoutTransfer::OrderId))
                .col(big_integer(PayoutTransfer::AmountCentavos))
                .col(string_uniq(PayoutTransfer::IdempotencyKey))
                .col(string_null(PayoutTransfer::ProviderRef))
                // sending, sent, failed.
                .col(string(PayoutTransfer::Status))
                .col(text_null(PayoutTransfer::LastError))
                .col(date_time(PayoutTransfer::UpdatedAt))
                .foreign_key(&mut cascade(
                    PayoutTransfer::Table,
                    PayoutTransfer::PayoutId,
                    Payout::Table,
                    Payout::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            PayoutTransfer::Table,
            PayoutTransfer::PayoutId,
            "idx_payout_transfer_payout",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(PayoutEvent::Table)
                .col(pk_auto(PayoutEvent::Id))
                .col(integer(PayoutEvent::PayoutId))
                .col(string(PayoutEvent::Action))
                .col(string(PayoutEvent::FromStatus))
                .col(string(PayoutEvent::ToStatus))
                .col(integer_null(PayoutEvent::ActorAccountId))
                .col(text_null(PayoutEvent::Note))
                .col(date_time(PayoutEvent::At))
                .foreign_key(&mut cascade(
                    PayoutEvent::Table,
                    PayoutEvent::PayoutId,
                    Payout::Table,
                    Payout::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(MemberPayment::Table)
                .col(pk_auto(MemberPayment::Id))
                .col(integer(MemberPayment::CooperativeId))
                .col(integer(MemberPayment::ProducerId))
                .col(big_integer(MemberPayment::AmountCentavos))
                .col(string(MemberPayment::Currency))
                // cash, spei.
                .col(string(MemberPayment::Method))
                .col(string_null(MemberPayment::Reference))
                .col(date(MemberPayment::PaidOn))
                .col(integer(MemberPayment::EntryId))
                .col(integer_null(MemberPayment::RecordedBy))
                .col(date_time(MemberPayment::CreatedAt))
                .foreign_key(&mut restrict(
                    MemberPayment::Table,
                    MemberPayment::ProducerId,
                    Producer::Table,
                    Producer::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            MemberPayment::Table,
            MemberPayment::CooperativeId,
            "idx_member_payment_cooperative",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(FundProposal::Table)
                .col(pk_auto(FundProposal::Id))
                .col(integer(FundProposal::CommunityId))
                .col(integer(FundProposal::ProposedBy))
                .col(string(FundProposal::TitleEs))
                .col(string(FundProposal::TitleEn))
                .col(text(FundProposal::DescriptionEs))
                .col(text(FundProposal::DescriptionEn))
                .col(big_integer(FundProposal::AmountCentavos))
                .col(string(FundProposal::Currency))
                // domain::money::fund::ProposalStatus::code.
                .col(string(FundProposal::Status))
                .col(date_time(FundProposal::VotingOpens))
                .col(date_time(FundProposal::VotingCloses))
                .col(date_time_null(FundProposal::DecidedAt))
                .col(date_time(FundProposal::CreatedAt))
                .foreign_key(&mut restrict(
                    FundProposal::Table,
                    FundProposal::CommunityId,
                    Community::Table,
                    Community::Id,
                ))
                .foreign_key(&mut restrict(
                    FundProposal::Table,
                    FundProposal::ProposedBy,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            FundProposal::Table,
            FundProposal::CommunityId,
            "idx_fund_proposal_community",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(FundVote::Table)
                .col(pk_auto(FundVote::Id))
                .col(integer(FundVote::ProposalId))
                .col(integer(FundVote::AccountId))
                .col(boolean(FundVote::InFavour))
                .col(date_time(FundVote::At))
                .foreign_key(&mut cascade(
                    FundVote::Table,
                    FundVote::ProposalId,
                    FundProposal::Table,
                    FundProposal::Id,
                ))
                .foreign_key(&mut cascade(
                    FundVote::Table,
                    FundVote::AccountId,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            FundVote::Table,
            [FundVote::ProposalId, FundVote::AccountId],
            "idx_fund_vote_once",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(FundSpending::Table)
                .col(pk_auto(FundSpending::Id))
                .col(integer(FundSpending::ProposalId))
                .col(integer(FundSpending::CommunityId))
                .col(big_integer(FundSpending::AmountCentavos))
                .col(string(FundSpending::Currency))
                .col(text(FundSpending::Note))
                // The receipt's photo (WebP, under the photo store), if one was given.
                .col(string_null(FundSpending::ReceiptPhoto))
                .col(date(FundSpending::SpentOn))
                .col(integer(FundSpending::EntryId))
                .col(integer_null(FundSpending::RecordedBy))
                .col(date_time(FundSpending::CreatedAt))
                .foreign_key(&mut restrict(
                    FundSpending::Table,
                    FundSpending::ProposalId,
                    FundProposal::Table,
                    FundProposal::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            FundSpending::Table,
            FundSpending::CommunityId,
            "idx_fund_spending_community",
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            vec![
                FundSpending::Table.into_iden(),
                FundVote::Table.into_iden(),
                FundProposal::Table.into_iden(),
                MemberPayment::Table.into_iden(),
                PayoutEvent::Table.into_iden(),
                PayoutTransfer::Table.into_iden(),
                Payout::Table.into_iden(),
                ConnectedAccount::Table.into_iden(),
                JournalPosting::Table.into_iden(),
                JournalEntry::Table.into_iden(),
            ],
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OrderPart::Table)
                .drop_column(OrderPart::SplitRuleId)
                .to_owned(),
        )
        .await?;
        drop_tables(m, vec![SplitRule::Table.into_iden()]).await
    }
}

#[derive(DeriveIden)]
enum SplitRule {
    Table,
    Id,
    CooperativeId,
    Version,
    ProducerPoints,
    CooperativePoints,
    FundPoints,
    PlatformPoints,
    FeesCarriedBy,
    AdvancePoints,
    ReleaseDaysAfterShipping,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrderPart {
    Table,
    SplitRuleId,
}

#[derive(DeriveIden)]
enum JournalEntry {
    Table,
    Id,
    Kind,
    Source,
    OrderId,
    CooperativeId,
    CommunityId,
    Memo,
    ActorAccountId,
    At,
}

#[derive(DeriveIden)]
enum JournalPosting {
    Table,
    Id,
    EntryId,
    AccountKind,
    AccountOwner,
    Centavos,
    Currency,
    OrderId,
    ItemKind,
    ItemId,
    CooperativeId,
}

#[derive(DeriveIden)]
enum ConnectedAccount {
    Table,
    CooperativeId,
    Provider,
    AccountRef,
    Status,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Payout {
    Table,
    Id,
    CooperativeId,
    Method,
    Status,
    AmountCentavos,
    Currency,
    Reference,
    PaidOn,
    LastError,
    EntryId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PayoutTransfer {
    Table,
    Id,
    PayoutId,
    OrderId,
    AmountCentavos,
    IdempotencyKey,
    ProviderRef,
    Status,
    LastError,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PayoutEvent {
    Table,
    Id,
    PayoutId,
    Action,
    FromStatus,
    ToStatus,
    ActorAccountId,
    Note,
    At,
}

#[derive(DeriveIden)]
enum MemberPayment {
    Table,
    Id,
    CooperativeId,
    ProducerId,
    AmountCentavos,
    Currency,
    Method,
    Reference,
    PaidOn,
    EntryId,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FundProposal {
    Table,
    Id,
    CommunityId,
    ProposedBy,
    TitleEs,
    TitleEn,
    DescriptionEs,
    DescriptionEn,
    AmountCentavos,
    Currency,
    Status,
    VotingOpens,
    VotingCloses,
    DecidedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FundVote {
    Table,
    Id,
    ProposalId,
    AccountId,
    InFavour,
    At,
}

#[derive(DeriveIden)]
enum FundSpending {
    Table,
    Id,
    ProposalId,
    CommunityId,
    AmountCentavos,
    Currency,
    Note,
    ReceiptPhoto,
    SpentOn,
    EntryId,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Cooperative {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Community {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Producer {
    Table,
    Id,
}
