//! Communities, cooperatives, producers and the three kinds of listing, with photos,
//! ticket types and tour departures. Every human-written text has a Spanish and an
//! English column; either may be empty until someone translates it. Money columns hold
//! integer centavos next to a currency code.

use crate::helpers::{cascade, drop_tables, index, restrict};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_catalog"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Community::Table)
                .col(pk_auto(Community::Id))
                .col(string_uniq(Community::Slug))
                .col(string(Community::Name))
                .col(string(Community::Municipality))
                .col(string(Community::State))
                .col(string(Community::StateSlug))
                .col(string(Community::Timezone))
                .col(string(Community::Languages))
                .col(text_null(Community::DescriptionEs))
                .col(text_null(Community::DescriptionEn))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Community::Table,
            Community::StateSlug,
            "idx_community_state",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Cooperative::Table)
                .col(pk_auto(Cooperative::Id))
                .col(integer(Cooperative::CommunityId))
                .col(string_uniq(Cooperative::Slug))
                .col(string(Cooperative::Name))
                .col(text_null(Cooperative::StoryEs))
                .col(text_null(Cooperative::StoryEn))
                .col(string_null(Cooperative::ContactEmail))
                .col(string_null(Cooperative::ContactPhone))
                .col(integer_null(Cooperative::YearFounded))
                .foreign_key(&mut restrict(
                    Cooperative::Table,
                    Cooperative::CommunityId,
                    Community::Table,
                    Community::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Cooperative::Table,
            Cooperative::CommunityId,
            "idx_cooperative_community",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Producer::Table)
                .col(pk_auto(Producer::Id))
                .col(integer(Producer::CooperativeId))
                .col(string_uniq(Producer::Slug))
                .col(string(Producer::Name))
                .col(string(Producer::Role))
                .col(text_null(Producer::BioEs))
                .col(text_null(Producer::BioEn))
                .col(string_null(Producer::SpecialtyEs))
                .col(string_null(Producer::SpecialtyEn))
                .foreign_key(&mut restrict(
                    Producer::Table,
                    Producer::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Producer::Table,
            Producer::CooperativeId,
            "idx_producer_cooperative",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Listing::Table)
                .col(pk_auto(Listing::Id))
                .col(string(Listing::Kind))
                .col(string_uniq(Listing::Slug))
                .col(integer(Listing::CooperativeId))
                .col(integer_null(Listing::ProducerId))
                .col(string(Listing::Category))
                .col(string_null(Listing::TitleEs))
                .col(string_null(Listing::TitleEn))
                .col(text_null(Listing::SummaryEs))
                .col(text_null(Listing::SummaryEn))
                .col(text_null(Listing::DescriptionEs))
                .col(text_null(Listing::DescriptionEn))
                // The lowest price a visitor can pay (0 for free events), for the price filter.
                .col(big_integer(Listing::PriceFromCentavos))
                .col(string_len(Listing::Currency, 3))
                // Folded (lowercase, no accents) text of both languages, for LIKE search
                // that behaves the same on SQLite and PostgreSQL.
                .col(text(Listing::SearchText))
                .col(boolean(Listing::Published).default(true))
                .col(date_time(Listing::CreatedAt))
                .foreign_key(&mut restrict(
                    Listing::Table,
                    Listing::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .foreign_key(&mut restrict(
                    Listing::Table,
                    Listing::ProducerId,
                    Producer::Table,
                    Producer::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_listing_kind_published")
                .table(Listing::Table)
                .col(Listing::Kind)
                .col(Listing::Published)
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Listing::Table,
            Listing::CooperativeId,
            "idx_listing_cooperative",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Craft::Table)
                .col(integer(Craft::ListingId).primary_key())
                .col(integer(Craft::Stock))
                .col(text_null(Craft::MaterialsEs))
                .col(text_null(Craft::MaterialsEn))
                .col(text_null(Craft::TechniqueEs))
                .col(text_null(Craft::TechniqueEn))
                .col(integer_null(Craft::WidthCm))
                .col(integer_null(Craft::HeightCm))
                .col(integer_null(Craft::DepthCm))
                .col(boolean(Craft::MadeToOrder))
                .col(integer_null(Craft::LeadDays))
                .foreign_key(&mut owned(Craft::Table, Craft::ListingId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Tour::Table)
                .col(integer(Tour::ListingId).primary_key())
                .col(integer(Tour::DurationMinutes))
                .col(text_null(Tour::MeetingPointEs))
                .col(text_null(Tour::MeetingPointEn))
                .col(string(Tour::Languages))
                .col(integer(Tour::MaxGroupSize))
                .foreign_key(&mut owned(Tour::Table, Tour::ListingId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CulturalEvent::Table)
                .col(integer(CulturalEvent::ListingId).primary_key())
                // Local time of the community where it happens.
                .col(date_time(CulturalEvent::StartsAt))
                .col(date_time(CulturalEvent::EndsAt))
                .col(text_null(CulturalEvent::VenueEs))
                .col(text_null(CulturalEvent::VenueEn))
                .col(boolean(CulturalEvent::IsFree))
                .foreign_key(&mut owned(CulturalEvent::Table, CulturalEvent::ListingId))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            CulturalEvent::Table,
            CulturalEvent::StartsAt,
            "idx_event_starts_at",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(TicketType::Table)
                .col(pk_auto(TicketType::Id))
                .col(integer(TicketType::ListingId))
                .col(string(TicketType::Code))
                .col(big_integer(TicketType::PriceCentavos))
                .col(string_len(TicketType::Currency, 3))
                .col(integer(TicketType::Position))
                .foreign_key(&mut owned(TicketType::Table, TicketType::ListingId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_ticket_type_listing_code")
                .table(TicketType::Table)
                .col(TicketType::ListingId)
                .col(TicketType::Code)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TourSlot::Table)
                .col(pk_auto(TourSlot::Id))
                .col(integer(TourSlot::ListingId))
                // Local time of the community where the tour starts.
                .col(date_time(TourSlot::StartsAt))
                .col(integer(TourSlot::Capacity))
                .foreign_key(&mut owned(TourSlot::Table, TourSlot::ListingId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_tour_slot_listing_starts")
                .table(TourSlot::Table)
                .col(TourSlot::ListingId)
                .col(TourSlot::StartsAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Photo::Table)
                .col(pk_auto(Photo::Id))
                .col(integer(Photo::ListingId))
                .col(integer(Photo::Position))
                .col(string_uniq(Photo::MediaKey))
                .col(integer(Photo::Width))
                .col(integer(Photo::Height))
                .col(string_null(Photo::AltEs))
                .col(string_null(Photo::AltEn))
                .foreign_key(&mut owned(Photo::Table, Photo::ListingId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_photo_listing_position")
                .table(Photo::Table)
                .col(Photo::ListingId)
                .col(Photo::Position)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            vec![
                Photo::Table.into_iden(),
                TourSlot::Table.into_iden(),
                TicketType::Table.into_iden(),
                CulturalEvent::Table.into_iden(),
                Tour::Table.into_iden(),
                Craft::Table.into_iden(),
                Listing::Table.into_iden(),
                Producer::Table.into_iden(),
                Cooperative::Table.into_iden(),
                Community::Table.into_iden(),
            ],
        )
        .await
    }
}

/// Rows that belong to a listing go with it.
fn owned(from: impl IntoIden, from_col: impl IntoIden) -> ForeignKeyCreateStatement {
    cascade(from, from_col, Listing::Table, Listing::Id)
}

#[derive(DeriveIden)]
enum Community {
    Table,
    Id,
    Slug,
    Name,
    Municipality,
    State,
    StateSlug,
    Timezone,
    Languages,
    DescriptionEs,
    DescriptionEn,
}

#[derive(DeriveIden)]
enum Cooperative {
    Table,
    Id,
    CommunityId,
    Slug,
    Name,
    StoryEs,
    StoryEn,
    ContactEmail,
    ContactPhone,
    YearFounded,
}

#[derive(DeriveIden)]
enum Producer {
    Table,
    Id,
    CooperativeId,
    Slug,
    Name,
    Role,
    BioEs,
    BioEn,
    SpecialtyEs,
    SpecialtyEn,
}

#[derive(DeriveIden)]
enum Listing {
    Table,
    Id,
    Kind,
    Slug,
    CooperativeId,
    ProducerId,
    Category,
    TitleEs,
    TitleEn,
    SummaryEs,
    SummaryEn,
    DescriptionEs,
    DescriptionEn,
    PriceFromCentavos,
    Currency,
    SearchText,
    Published,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Craft {
    Table,
    ListingId,
    Stock,
    MaterialsEs,
    MaterialsEn,
    TechniqueEs,
    TechniqueEn,
    WidthCm,
    HeightCm,
    DepthCm,
    MadeToOrder,
    LeadDays,
}

#[derive(DeriveIden)]
enum Tour {
    Table,
    ListingId,
    DurationMinutes,
    MeetingPointEs,
    MeetingPointEn,
    Languages,
    MaxGroupSize,
}

#[derive(DeriveIden)]
enum CulturalEvent {
    Table,
    ListingId,
    StartsAt,
    EndsAt,
    VenueEs,
    VenueEn,
    IsFree,
}

#[derive(DeriveIden)]
enum TicketType {
    Table,
    Id,
    ListingId,
    Code,
    PriceCentavos,
    Currency,
    Position,
}

#[derive(DeriveIden)]
enum TourSlot {
    Table,
    Id,
    ListingId,
    StartsAt,
    Capacity,
}

#[derive(DeriveIden)]
enum Photo {
    Table,
    Id,
    ListingId,
    Position,
    MediaKey,
    Width,
    Height,
    AltEs,
    AltEn,
}
