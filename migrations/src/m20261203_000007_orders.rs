//! Carts, orders and payments (issue 5):
//! - `cart` (a guest's by the secret in its cookie, kept as SHA-256; a signed-in
//!   visitor's by account too), its crafts (`cart_item`) and its held bookings
//!   (`cart_booking`);
//! - `shipping_rate`, one per cooperative that set its own: flat + per item, free
//!   above an amount, pickup at the cooperative;
//! - `orders` (`order` is an SQL keyword): what is paid at once, with the buyer, the
//!   address and the deadline to pay (`pay_by`); `order_part`, one per cooperative,
//!   with its delivery and fulfilment (carrier, tracking); `order_line`, a craft or a
//!   booking at the price it was sold for; `order_event`, every move of an order or a
//!   part with when and who;
//! - `payment`, one per order: the provider's PaymentIntent (or the simulated one),
//!   its state as last read, the OXXO voucher; `payment_event`, every provider event
//!   by its id (unique: a second delivery does nothing); `refund`, each refund with the
//!   provider's id or, for OXXO, the bank transfer that settled it;
//! - `simulated_payment` and `simulated_refund`: the demo provider's own record of
//!   its payments and refunds;
//! - `booking.order_id`: a booking paid inside an order lives and dies with it.

use crate::helpers::{cascade, drop_tables, index, restrict, unique_index};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000007_orders"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Cart::Table)
                .col(pk_auto(Cart::Id))
                .col(string_uniq(Cart::TokenHash))
                .col(integer_null(Cart::AccountId))
                .col(date_time(Cart::CreatedAt))
                .col(date_time(Cart::UpdatedAt))
                .foreign_key(&mut cascade(
                    Cart::Table,
                    Cart::AccountId,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Cart::Table, Cart::AccountId, "idx_cart_account"))
            .await?;
        m.create_table(
            Table::create()
                .table(CartItem::Table)
                .col(pk_auto(CartItem::Id))
                .col(integer(CartItem::CartId))
                .col(integer(CartItem::ListingId))
                .col(integer(CartItem::Quantity))
                .col(date_time(CartItem::AddedAt))
                .foreign_key(&mut cascade(
                    CartItem::Table,
                    CartItem::CartId,
                    Cart::Table,
                    Cart::Id,
                ))
                .foreign_key(&mut cascade(
                    CartItem::Table,
                    CartItem::ListingId,
                    Listing::Table,
                    Listing::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            CartItem::Table,
            [CartItem::CartId, CartItem::ListingId],
            "idx_cart_item_listing",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(CartBooking::Table)
                .col(pk_auto(CartBooking::Id))
                .col(integer(CartBooking::CartId))
                .col(integer_uniq(CartBooking::BookingId))
                .foreign_key(&mut cascade(
                    CartBooking::Table,
                    CartBooking::CartId,
                    Cart::Table,
                    Cart::Id,
                ))
                .foreign_key(&mut cascade(
                    CartBooking::Table,
                    CartBooking::BookingId,
                    Booking::Table,
                    Booking::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            CartBooking::Table,
            CartBooking::CartId,
            "idx_cart_booking_cart",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ShippingRate::Table)
                .col(integer(ShippingRate::CooperativeId).primary_key())
                .col(boolean(ShippingRate::Ships))
                .col(big_integer(ShippingRate::FlatCentavos))
                .col(big_integer(ShippingRate::PerItemCentavos))
                .col(big_integer_null(ShippingRate::FreeAboveCentavos))
                .col(boolean(ShippingRate::Pickup))
                .foreign_key(&mut cascade(
                    ShippingRate::Table,
                    ShippingRate::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Orders::Table)
                .col(pk_auto(Orders::Id))
                .col(string_uniq(Orders::Code))
                // The secret of the order's link; moved to `order_key` as hashes by
                // m20261206_000010_order_keys.
                .col(string(Orders::LinkSecret))
                .col(integer_null(Orders::AccountId))
                .col(string(Orders::Email))
                .col(string(Orders::Name))
                .col(string_null(Orders::Phone))
                .col(string(Orders::Lang))
                // domain::commerce::order::OrderStatus::code.
                .col(string(Orders::Status))
                .col(string(Orders::Currency))
                .col(big_integer(Orders::GoodsCentavos))
                .col(big_integer(Orders::ShippingCentavos))
                .col(big_integer(Orders::TotalCentavos))
                .col(big_integer(Orders::RefundedCentavos).default(0))
                .col(string_null(Orders::Street))
                .col(string_null(Orders::City))
                .col(string_null(Orders::State))
                .col(string_null(Orders::PostalCode))
                .col(string_null(Orders::AddressNotes))
                // Until when the payment may arrive: the card window, or the voucher's
                // expiry. The goods are kept until then. Like every time the site
                // keeps, in the communities' local time.
                .col(date_time(Orders::PayBy))
                .col(date_time(Orders::CreatedAt))
                .col(date_time(Orders::UpdatedAt))
                .col(date_time_null(Orders::PaidAt))
                .foreign_key(&mut restrict(
                    Orders::Table,
                    Orders::AccountId,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Orders::Table, Orders::Status, "idx_orders_status"))
            .await?;
        m.create_index(index(
            Orders::Table,
            Orders::AccountId,
            "idx_orders_account",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(OrderPart::Table)
                .col(pk_auto(OrderPart::Id))
                .col(integer(OrderPart::OrderId))
                .col(integer(OrderPart::CooperativeId))
                // domain::commerce::order::PartStatus::code.
                .col(string(OrderPart::Status))
                // ship, pickup, none.
                .col(string(OrderPart::Delivery))
                .col(big_integer(OrderPart::GoodsCentavos))
                .col(big_integer(OrderPart::ShippingCentavos))
                .col(big_integer(OrderPart::RefundedCentavos).default(0))
                .col(string_null(OrderPart::Carrier))
                .col(string_null(OrderPart::Tracking))
                .col(date_time(OrderPart::UpdatedAt))
                .foreign_key(&mut cascade(
                    OrderPart::Table,
                    OrderPart::OrderId,
                    Orders::Table,
                    Orders::Id,
                ))
                .foreign_key(&mut restrict(
                    OrderPart::Table,
                    OrderPart::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            OrderPart::Table,
            [OrderPart::OrderId, OrderPart::CooperativeId],
            "idx_order_part_cooperative",
        ))
        .await?;
        m.create_index(index(
            OrderPart::Table,
            OrderPart::CooperativeId,
            "idx_order_part_by_cooperative",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(OrderLine::Table)
                .col(pk_auto(OrderLine::Id))
                .col(integer(OrderLine::PartId))
                .col(integer(OrderLine::ListingId))
                // A tour or event booking; none for a craft.
                .col(integer_null(OrderLine::BookingId))
                // The title when sold, in the buyer's language.
                .col(string(OrderLine::Title))
                .col(integer(OrderLine::Quantity))
                .col(big_integer(OrderLine::UnitCentavos))
                .col(big_integer(OrderLine::TotalCentavos))
                // Whether the craft's stock was taken for it (made-to-order has none).
                .col(boolean(OrderLine::TookStock))
                .foreign_key(&mut cascade(
                    OrderLine::Table,
                    OrderLine::PartId,
                    OrderPart::Table,
                    OrderPart::Id,
                ))
                .foreign_key(&mut restrict(
                    OrderLine::Table,
                    OrderLine::ListingId,
                    Listing::Table,
                    Listing::Id,
                ))
                .foreign_key(&mut restrict(
                    OrderLine::Table,
                    OrderLine::BookingId,
                    Booking::Table,
                    Booking::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            OrderLine::Table,
            OrderLine::PartId,
            "idx_order_line_part",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(OrderEvent::Table)
                .col(pk_auto(OrderEvent::Id))
                .col(integer(OrderEvent::OrderId))
                // None: a move of the whole order.
                .col(integer_null(OrderEvent::PartId))
                .col(string(OrderEvent::Action))
                .col(string(OrderEvent::FromStatus))
                .col(string(OrderEvent::ToStatus))
                // None: the payment provider or a background job.
                .col(integer_null(OrderEvent::ActorAccountId))
                // A carrier and tracking number, a refund's reason, an event id.
                .col(text_null(OrderEvent::Note))
                .col(date_time(OrderEvent::At))
                .foreign_key(&mut cascade(
                    OrderEvent::Table,
                    OrderEvent::OrderId,
                    Orders::Table,
                    Orders::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            OrderEvent::Table,
            OrderEvent::OrderId,
            "idx_order_event_order",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Payment::Table)
                .col(pk_auto(Payment::Id))
                .col(integer_uniq(Payment::OrderId))
                // stripe, simulated.
                .col(string(Payment::Provider))
                // The PaymentIntent's id, once created.
                .col(string_null(Payment::ProviderRef))
                .col(string_uniq(Payment::IdempotencyKey))
                // domain::commerce::payment::ProviderState::code, as last read; `creating`
                // until the provider answered.
                .col(string(Payment::Status))
                .col(string_null(Payment::Method))
                .col(big_integer(Payment::AmountCentavos))
                .col(string(Payment::Currency))
                .col(big_integer(Payment::ReceivedCentavos).default(0))
                .col(string_null(Payment::LastError))
                .col(string_null(Payment::VoucherNumber))
                .col(text_null(Payment::VoucherUrl))
                .col(date_time_null(Payment::VoucherExpiresAt))
                // What the browser needs to confirm a card payment (Stripe.js).
                .col(text_null(Payment::ClientSecret))
                .col(date_time(Payment::CreatedAt))
                .col(date_time(Payment::UpdatedAt))
                .col(date_time_null(Payment::CheckedAt))
                .foreign_key(&mut cascade(
                    Payment::Table,
                    Payment::OrderId,
                    Orders::Table,
                    Orders::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            Payment::Table,
            [Payment::Provider, Payment::ProviderRef],
            "idx_payment_provider_ref",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(PaymentEvent::Table)
                .col(pk_auto(PaymentEvent::Id))
                .col(string(PaymentEvent::Provider))
                .col(string(PaymentEvent::EventId))
                .col(string(PaymentEvent::Kind))
                .col(integer_null(PaymentEvent::PaymentId))
                .col(date_time(PaymentEvent::ReceivedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            PaymentEvent::Table,
            [PaymentEvent::Provider, PaymentEvent::EventId],
            "idx_payment_event_id",
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Refund::Table)
                .col(pk_auto(Refund::Id))
                .col(integer(Refund::PaymentId))
                .col(integer(Refund::OrderId))
                .col(integer_null(Refund::PartId))
                .col(integer_null(Refund::BookingId))
                .col(big_integer(Refund::AmountCentavos))
                .col(string(Refund::Currency))
                // domain::commerce::payment::RefundStatus::code.
                .col(string(Refund::Status))
                .col(text(Refund::Reason))
                .col(string_null(Refund::ProviderRef))
                .col(string_uniq(Refund::IdempotencyKey))
                // The bank transfer that settled an owed (OXXO) refund.
                .col(string_null(Refund::ManualReference))
                .col(integer_null(Refund::AskedBy))
                .col(date_time(Refund::CreatedAt))
                .col(date_time(Refund::UpdatedAt))
                .foreign_key(&mut restrict(
                    Refund::Table,
                    Refund::PaymentId,
                    Payment::Table,
                    Payment::Id,
                ))
                .foreign_key(&mut cascade(
                    Refund::Table,
                    Refund::OrderId,
                    Orders::Table,
                    Orders::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Refund::Table, Refund::OrderId, "idx_refund_order"))
            .await?;
        m.create_table(
            Table::create()
                .table(SimulatedPayment::Table)
                .col(string(SimulatedPayment::Id).primary_key())
                .col(big_integer(SimulatedPayment::AmountCentavos))
                .col(string(SimulatedPayment::Currency))
                .col(string(SimulatedPayment::Status))
                .col(string_null(SimulatedPayment::Method))
                .col(string_null(SimulatedPayment::LastError))
                .col(string_null(SimulatedPayment::VoucherNumber))
                .col(date_time_null(SimulatedPayment::VoucherExpiresAt))
                .col(big_integer(SimulatedPayment::RefundedCentavos).default(0))
                .col(string_uniq(SimulatedPayment::IdempotencyKey))
                .col(date_time(SimulatedPayment::CreatedAt))
                .col(date_time(SimulatedPayment::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SimulatedRefund::Table)
                .col(string(SimulatedRefund::IdempotencyKey).primary_key())
                .col(string(SimulatedRefund::PaymentId))
                .col(big_integer(SimulatedRefund::AmountCentavos))
                .to_owned(),
        )
        .await?;

        m.alter_table(
            Table::alter()
                .table(Booking::Table)
                .add_column(integer_null(Booking::OrderId))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Booking::Table, Booking::OrderId, "idx_booking_order"))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_booking_order")
                .table(Booking::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Booking::Table)
                .drop_column(Booking::OrderId)
                .to_owned(),
        )
        .await?;
        drop_tables(
            m,
            vec![
                SimulatedRefund::Table.into_iden(),
                SimulatedPayment::Table.into_iden(),
                Refund::Table.into_iden(),
                PaymentEvent::Table.into_iden(),
                Payment::Table.into_iden(),
                OrderEvent::Table.into_iden(),
                OrderLine::Table.into_iden(),
                OrderPart::Table.into_iden(),
                Orders::Table.into_iden(),
                ShippingRate::Table.into_iden(),
                CartBooking::Table.into_iden(),
                CartItem::Table.into_iden(),
                Cart::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Cart {
    Table,
    Id,
    TokenHash,
    AccountId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CartItem {
    Table,
    Id,
    CartId,
    ListingId,
    Quantity,
    AddedAt,
}

#[derive(DeriveIden)]
enum CartBooking {
    Table,
    Id,
    CartId,
    BookingId,
}

#[derive(DeriveIden)]
enum ShippingRate {
    Table,
    CooperativeId,
    Ships,
    FlatCentavos,
    PerItemCentavos,
    FreeAboveCentavos,
    Pickup,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    Code,
    LinkSecret,
    AccountId,
    Email,
    Name,
    Phone,
    Lang,
    Status,
    Currency,
    GoodsCentavos,
    ShippingCentavos,
    TotalCentavos,
    RefundedCentavos,
    Street,
    City,
    State,
    PostalCode,
    AddressNotes,
    PayBy,
    CreatedAt,
    UpdatedAt,
    PaidAt,
}

#[derive(DeriveIden)]
enum OrderPart {
    Table,
    Id,
    OrderId,
    CooperativeId,
    Status,
    Delivery,
    GoodsCentavos,
    ShippingCentavos,
    RefundedCentavos,
    Carrier,
    Tracking,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrderLine {
    Table,
    Id,
    PartId,
    ListingId,
    BookingId,
    Title,
    Quantity,
    UnitCentavos,
    TotalCentavos,
    TookStock,
}

#[derive(DeriveIden)]
enum OrderEvent {
    Table,
    Id,
    OrderId,
    PartId,
    Action,
    FromStatus,
    ToStatus,
    ActorAccountId,
    Note,
    At,
}

#[derive(DeriveIden)]
enum Payment {
    Table,
    Id,
    OrderId,
    Provider,
    ProviderRef,
    IdempotencyKey,
    Status,
    Method,
    AmountCentavos,
    Currency,
    ReceivedCentavos,
    LastError,
    VoucherNumber,
    VoucherUrl,
    VoucherExpiresAt,
    ClientSecret,
    CreatedAt,
    UpdatedAt,
    CheckedAt,
}

#[derive(DeriveIden)]
enum PaymentEvent {
    Table,
    Id,
    Provider,
    EventId,
    Kind,
    PaymentId,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum Refund {
    Table,
    Id,
    PaymentId,
    OrderId,
    PartId,
    BookingId,
    AmountCentavos,
    Currency,
    Status,
    Reason,
    ProviderRef,
    IdempotencyKey,
    ManualReference,
    AskedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SimulatedPayment {
    Table,
    Id,
    AmountCentavos,
    Currency,
    Status,
    Method,
    LastError,
    VoucherNumber,
    VoucherExpiresAt,
    RefundedCentavos,
    IdempotencyKey,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SimulatedRefund {
    Table,
    IdempotencyKey,
    PaymentId,
    AmountCentavos,
}

#[derive(DeriveIden)]
enum Booking {
    Table,
    Id,
    OrderId,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Listing {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Cooperative {
    Table,
    Id,
}
