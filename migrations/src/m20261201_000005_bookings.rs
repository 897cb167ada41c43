//! Bookings of places on dated slots (issue 4):
//! - `tour_slot.places_taken` counts the places of live holds and confirmed bookings,
//!   so that taking places is one conditional UPDATE (`… WHERE places_taken + n <=
//!   capacity`): the database, not the server process, decides who gets the last one;
//!   `closed_at` marks a slot its producer closed;
//! - `booking` (one party on one slot: its code, who, how many, its state, until when a
//!   hold lasts), `booking_line` (how many of each ticket type, at what price) and
//!   `booking_event` (every move of a booking, with who made it). Bookings are never
//!   deleted: a slot with bookings cannot be deleted either.

use crate::helpers::{cascade, drop_tables, index, restrict};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000005_bookings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER.
        m.alter_table(
            Table::alter()
                .table(TourSlot::Table)
                .add_column(integer(TourSlot::PlacesTaken).default(0))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TourSlot::Table)
                .add_column(date_time_null(TourSlot::ClosedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Booking::Table)
                .col(pk_auto(Booking::Id))
                .col(integer(Booking::SlotId))
                // Short, human-friendly, typed at the meeting point.
                .col(string_uniq(Booking::Code))
                // SHA-256 of the secret in a guest's link.
                .col(string(Booking::SecretHash))
                .col(integer_null(Booking::AccountId))
                .col(string(Booking::Email))
                .col(string_len(Booking::Lang, 2))
                .col(string(Booking::Name))
                // held, confirmed, checked_in, no_show, expired, cancelled.
                .col(string(Booking::Status))
                .col(integer(Booking::Places))
                .col(big_integer(Booking::TotalCentavos))
                .col(string_len(Booking::Currency, 3))
                .col(date_time_null(Booking::HeldUntil))
                .col(date_time(Booking::CreatedAt))
                .col(date_time(Booking::UpdatedAt))
                .foreign_key(&mut restrict(
                    Booking::Table,
                    Booking::SlotId,
                    TourSlot::Table,
                    TourSlot::Id,
                ))
                .foreign_key(&mut restrict(
                    Booking::Table,
                    Booking::AccountId,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Booking::Table, Booking::SlotId, "idx_booking_slot"))
            .await?;
        m.create_index(index(Booking::Table, Booking::Status, "idx_booking_status"))
            .await?;
        m.create_table(
            Table::create()
                .table(BookingLine::Table)
                .col(pk_auto(BookingLine::Id))
                .col(integer(BookingLine::BookingId))
                .col(string(BookingLine::TicketCode))
                .col(integer(BookingLine::Count))
                .col(big_integer(BookingLine::UnitCentavos))
                .foreign_key(&mut cascade(
                    BookingLine::Table,
                    BookingLine::BookingId,
                    Booking::Table,
                    Booking::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            BookingLine::Table,
            BookingLine::BookingId,
            "idx_booking_line_booking",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(BookingEvent::Table)
                .col(pk_auto(BookingEvent::Id))
                .col(integer(BookingEvent::BookingId))
                .col(string(BookingEvent::Action))
                .col(string_null(BookingEvent::FromStatus))
                .col(string(BookingEvent::ToStatus))
                .col(integer_null(BookingEvent::ActorAccountId))
                .col(date_time(BookingEvent::At))
                .foreign_key(&mut cascade(
                    BookingEvent::Table,
                    BookingEvent::BookingId,
                    Booking::Table,
                    Booking::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            BookingEvent::Table,
            BookingEvent::BookingId,
            "idx_booking_event_booking",
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            vec![
                BookingEvent::Table.into_iden(),
                BookingLine::Table.into_iden(),
                Booking::Table.into_iden(),
            ],
        )
        .await?;
        for column in [TourSlot::ClosedAt, TourSlot::PlacesTaken] {
            m.alter_table(
                Table::alter()
                    .table(TourSlot::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TourSlot {
    Table,
    Id,
    PlacesTaken,
    ClosedAt,
}

#[derive(DeriveIden)]
enum Booking {
    Table,
    Id,
    SlotId,
    Code,
    SecretHash,
    AccountId,
    Email,
    Lang,
    Name,
    Status,
    Places,
    TotalCentavos,
    Currency,
    HeldUntil,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BookingLine {
    Table,
    Id,
    BookingId,
    TicketCode,
    Count,
    UnitCentavos,
}

#[derive(DeriveIden)]
enum BookingEvent {
    Table,
    Id,
    BookingId,
    Action,
    FromStatus,
    ToStatus,
    ActorAccountId,
    At,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}
