//! How each tour and event takes bookings (issue 4):
//! - `booking_rule`, one per bookable listing: places per slot, party size, how long
//!   before the start bookings close (cutoff), how far ahead slots open (horizon),
//!   the cancellation policy, what to bring, and the secret of its calendar feed;
//! - `schedule_rule`: the weekly opening times of a tour (`weekly`: a weekday and a
//!   time), its extra dated times and an event's sessions (`extra`: a date and a
//!   time), and the days it does not run (`closed`: a date). Dated slots
//!   (`tour_slot`) are made from these for the horizon;
//! - `waitlist_entry`: a visitor waiting for places on a full slot; when places free
//!   up the first in line is offered them through an emailed link for a while;
//! - `ticket_type.limit_per_slot` (at most so many places of this ticket type per slot,
//!   say residents' places) and `slot_ticket` (how many of a limited type each slot has
//!   held or sold, taken by the same conditional UPDATE as the slot's places);
//! - `tour_slot.cancelled_at` (a producer called the slot off: every booking in it is
//!   cancelled in full), `booking.refund_centavos` (what a cancellation gives back,
//!   recorded now and paid by the payments step), `producer.calendar_token` (the
//!   secret of a guide's calendar feed).

use crate::helpers::{cascade, drop_tables, index, restrict, unique_index};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000006_booking_rules"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(BookingRule::Table)
                .col(integer(BookingRule::ListingId).primary_key())
                .col(integer(BookingRule::Capacity))
                .col(integer(BookingRule::MinParty))
                .col(integer(BookingRule::MaxParty))
                .col(integer(BookingRule::CutoffHours))
                .col(integer(BookingRule::HorizonDays))
                // flexible, moderate, strict.
                .col(string(BookingRule::Policy))
                .col(text_null(BookingRule::BringEs))
                .col(text_null(BookingRule::BringEn))
                .col(string_uniq(BookingRule::CalendarToken))
                .foreign_key(&mut cascade(
                    BookingRule::Table,
                    BookingRule::ListingId,
                    Listing::Table,
                    Listing::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ScheduleRule::Table)
                .col(pk_auto(ScheduleRule::Id))
                .col(integer(ScheduleRule::ListingId))
                // weekly, extra, closed.
                .col(string(ScheduleRule::Kind))
                // 1 = Monday … 7 = Sunday, for weekly rules.
                .col(integer_null(ScheduleRule::Weekday))
                .col(date_null(ScheduleRule::OnDate))
                // "HH:MM", local time of the community; none for a closed day.
                .col(string_null(ScheduleRule::Starts))
                .foreign_key(&mut cascade(
                    ScheduleRule::Table,
                    ScheduleRule::ListingId,
                    Listing::Table,
                    Listing::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            ScheduleRule::Table,
            ScheduleRule::ListingId,
            "idx_schedule_rule_listing",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(WaitlistEntry::Table)
                .col(pk_auto(WaitlistEntry::Id))
                .col(integer(WaitlistEntry::SlotId))
                .col(integer_null(WaitlistEntry::AccountId))
                .col(string(WaitlistEntry::Email))
                .col(string(WaitlistEntry::Name))
                .col(string_len(WaitlistEntry::Lang, 2))
                .col(integer(WaitlistEntry::Places))
                // The party, as `adult=2,child=1`: the offer holds these tickets.
                .col(string(WaitlistEntry::Tickets))
                // waiting, offered, booked, lapsed, left.
                .col(string(WaitlistEntry::Status))
                // SHA-256 of the secret in the offer's link.
                .col(string_null(WaitlistEntry::TokenHash))
                .col(date_time_null(WaitlistEntry::OfferedUntil))
                .col(integer_null(WaitlistEntry::BookingId))
                .col(date_time(WaitlistEntry::CreatedAt))
                .col(date_time(WaitlistEntry::UpdatedAt))
                .foreign_key(&mut restrict(
                    WaitlistEntry::Table,
                    WaitlistEntry::SlotId,
                    TourSlot::Table,
                    TourSlot::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            WaitlistEntry::Table,
            WaitlistEntry::SlotId,
            "idx_waitlist_entry_slot",
        ))
        .await?;
        m.alter_table(
            Table::alter()
                .table(TourSlot::Table)
                .add_column(date_time_null(TourSlot::CancelledAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TicketType::Table)
                .add_column(integer_null(TicketType::LimitPerSlot))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SlotTicket::Table)
                .col(integer(SlotTicket::SlotId))
                .col(string(SlotTicket::TicketCode))
                .col(integer(SlotTicket::Taken).default(0))
                .primary_key(
                    Index::create()
                        .col(SlotTicket::SlotId)
                        .col(SlotTicket::TicketCode),
                )
                .foreign_key(&mut cascade(
                    SlotTicket::Table,
                    SlotTicket::SlotId,
                    TourSlot::Table,
                    TourSlot::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Booking::Table)
                .add_column(big_integer_null(Booking::RefundCentavos))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Producer::Table)
                .add_column(string_null(Producer::CalendarToken))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            Producer::Table,
            [Producer::CalendarToken],
            "idx_producer_calendar_token",
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_producer_calendar_token")
                .table(Producer::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Producer::Table)
                .drop_column(Producer::CalendarToken)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Booking::Table)
                .drop_column(Booking::RefundCentavos)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TicketType::Table)
                .drop_column(TicketType::LimitPerSlot)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TourSlot::Table)
                .drop_column(TourSlot::CancelledAt)
                .to_owned(),
        )
        .await?;
        drop_tables(
            m,
            vec![
                SlotTicket::Table.into_iden(),
                WaitlistEntry::Table.into_iden(),
                ScheduleRule::Table.into_iden(),
                BookingRule::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden)]
enum BookingRule {
    Table,
    ListingId,
    Capacity,
    MinParty,
    MaxParty,
    CutoffHours,
    HorizonDays,
    Policy,
    BringEs,
    BringEn,
    CalendarToken,
}

#[derive(DeriveIden)]
enum ScheduleRule {
    Table,
    Id,
    ListingId,
    Kind,
    Weekday,
    OnDate,
    Starts,
}

#[derive(DeriveIden)]
enum WaitlistEntry {
    Table,
    Id,
    SlotId,
    AccountId,
    Email,
    Name,
    Lang,
    Places,
    Tickets,
    Status,
    TokenHash,
    OfferedUntil,
    BookingId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TourSlot {
    Table,
    Id,
    CancelledAt,
}

#[derive(DeriveIden)]
enum TicketType {
    Table,
    LimitPerSlot,
}

#[derive(DeriveIden)]
enum SlotTicket {
    Table,
    SlotId,
    TicketCode,
    Taken,
}

#[derive(DeriveIden)]
enum Booking {
    Table,
    RefundCentavos,
}

#[derive(DeriveIden)]
enum Producer {
    Table,
    CalendarToken,
}

#[derive(DeriveIden)]
enum Listing {
    Table,
    Id,
}
