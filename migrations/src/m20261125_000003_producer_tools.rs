//! What producers and cooperatives need to run their own shop window:
//! - a listing's moderation status (draft → waiting for approval → published or
//!   rejected with a reason; unpublished goes back to draft; deleted is kept, hidden)
//!   replaces the old `published` flag, and every change of status or content is
//!   recorded in `listing_event` with who made it and, for a helper, on whose behalf;
//! - invitations of producers by email;
//! - a producer's profile photo;
//! - when the outbox should next try to send a failed email.

use crate::helpers::{cascade, index, restrict};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000003_producer_tools"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Listings loaded before moderation existed were all public.
        m.alter_table(
            Table::alter()
                .table(Listing::Table)
                .add_column(string(Listing::Status).default("published"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Listing::Table)
                .add_column(text_null(Listing::RejectionReason))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Listing::Table)
                .add_column(date_time_null(Listing::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared("UPDATE listing SET status = 'draft' WHERE NOT published")
            .await?;
        m.drop_index(
            Index::drop()
                .name("idx_listing_kind_published")
                .table(Listing::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Listing::Table)
                .drop_column(Listing::Published)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_listing_kind_status")
                .table(Listing::Table)
                .col(Listing::Kind)
                .col(Listing::Status)
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Listing::Table,
            Listing::ProducerId,
            "idx_listing_producer",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ListingEvent::Table)
                .col(pk_auto(ListingEvent::Id))
                .col(integer(ListingEvent::ListingId))
                // created, edited, submitted, approved, rejected, unpublished, deleted.
                .col(string(ListingEvent::Action))
                .col(string_null(ListingEvent::FromStatus))
                .col(string(ListingEvent::ToStatus))
                // A rejection's reason, as the cooperative wrote it.
                .col(text_null(ListingEvent::Reason))
                .col(integer(ListingEvent::ActorAccountId))
                // Set when a helper acted for a producer.
                .col(integer_null(ListingEvent::OnBehalfOfProducerId))
                .col(date_time(ListingEvent::At))
                .foreign_key(&mut restrict(
                    ListingEvent::Table,
                    ListingEvent::ListingId,
                    Listing::Table,
                    Listing::Id,
                ))
                .foreign_key(&mut restrict(
                    ListingEvent::Table,
                    ListingEvent::ActorAccountId,
                    Account::Table,
                    Account::Id,
                ))
                .foreign_key(&mut restrict(
                    ListingEvent::Table,
                    ListingEvent::OnBehalfOfProducerId,
                    Producer::Table,
                    Producer::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            ListingEvent::Table,
            ListingEvent::ListingId,
            "idx_listing_event_listing",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Invitation::Table)
                .col(pk_auto(Invitation::Id))
                .col(integer(Invitation::CooperativeId))
                .col(string(Invitation::Email))
                // `artisan` or `guide`: the producer profile made on acceptance.
                .col(string(Invitation::ProducerRole))
                .col(string_uniq(Invitation::TokenHash))
                .col(integer(Invitation::InvitedBy))
                .col(date_time(Invitation::CreatedAt))
                .col(date_time(Invitation::ExpiresAt))
                .col(date_time_null(Invitation::AcceptedAt))
                .col(integer_null(Invitation::AcceptedBy))
                .col(date_time_null(Invitation::RevokedAt))
                .foreign_key(&mut cascade(
                    Invitation::Table,
                    Invitation::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .foreign_key(&mut restrict(
                    Invitation::Table,
                    Invitation::InvitedBy,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Invitation::Table,
            Invitation::CooperativeId,
            "idx_invitation_cooperative",
        ))
        .await?;

        for col in [Producer::PhotoKey] {
            m.alter_table(
                Table::alter()
                    .table(Producer::Table)
                    .add_column(string_null(col))
                    .to_owned(),
            )
            .await?;
        }
        for col in [Producer::PhotoWidth, Producer::PhotoHeight] {
            m.alter_table(
                Table::alter()
                    .table(Producer::Table)
                    .add_column(integer_null(col))
                    .to_owned(),
            )
            .await?;
        }

        m.alter_table(
            Table::alter()
                .table(OutboxEmail::Table)
                .add_column(date_time_null(OutboxEmail::NextAttemptAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OutboxEmail::Table)
                .drop_column(OutboxEmail::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        for col in [
            Producer::PhotoKey,
            Producer::PhotoWidth,
            Producer::PhotoHeight,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Producer::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(Invitation::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ListingEvent::Table).to_owned())
            .await?;
        for name in ["idx_listing_kind_status", "idx_listing_producer"] {
            m.drop_index(Index::drop().name(name).table(Listing::Table).to_owned())
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Listing::Table)
                .add_column(boolean(Listing::Published).default(true))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared("UPDATE listing SET published = (status = 'published')")
            .await?;
        for col in [
            Listing::Status,
            Listing::RejectionReason,
            Listing::UpdatedAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Listing::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_listing_kind_published")
                .table(Listing::Table)
                .col(Listing::Kind)
                .col(Listing::Published)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Listing {
    Table,
    Id,
    Kind,
    ProducerId,
    Published,
    Status,
    RejectionReason,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ListingEvent {
    Table,
    Id,
    ListingId,
    Action,
    FromStatus,
    ToStatus,
    Reason,
    ActorAccountId,
    OnBehalfOfProducerId,
    At,
}

#[derive(DeriveIden)]
enum Invitation {
    Table,
    Id,
    CooperativeId,
    Email,
    ProducerRole,
    TokenHash,
    InvitedBy,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
    AcceptedBy,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Producer {
    Table,
    Id,
    PhotoKey,
    PhotoWidth,
    PhotoHeight,
}

#[derive(DeriveIden)]
enum OutboxEmail {
    Table,
    NextAttemptAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Cooperative {
    Table,
    Id,
}
