//! A visitor's cart as the cart and checkout pages show it: crafts with quantities,
//! held tour and event bookings, grouped by the cooperative that sells them, with
//! what each way of delivery would cost.

use crate::booking::code::BookingCode;
use crate::commerce::order::Delivery;
use crate::{Money, Slug};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The most of one craft a cart takes (a shop's limit, not the stock's).
pub const MAX_QUANTITY: u32 = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartCraft {
    pub listing_id: i32,
    pub slug: Slug,
    pub title: String,
    pub unit_price: Money,
    pub quantity: u32,
    /// How many are left to sell; `None` for made-to-order crafts (no limit).
    pub in_stock: Option<u32>,
    /// Days to make a made-to-order craft.
    pub lead_days: Option<u32>,
    /// No longer for sale (unpublished, or its stock ran out below the quantity).
    pub unavailable: bool,
}

impl CartCraft {
    pub fn total(&self) -> Money {
        self.unit_price
            .checked_times(self.quantity)
            .unwrap_or(self.unit_price)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartBooking {
    pub code: BookingCode,
    pub title: String,
    /// Local time of the community.
    pub starts_at: NaiveDateTime,
    /// The community's time zone (IANA name).
    pub zone: String,
    pub places: u32,
    pub total: Money,
    /// Until when its places are held (local time); past it, checkout refuses it.
    pub held_until: Option<NaiveDateTime>,
}

/// One cooperative's share of the cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartPart {
    pub cooperative_id: i32,
    pub cooperative: String,
    pub crafts: Vec<CartCraft>,
    pub bookings: Vec<CartBooking>,
    /// What the part's goods come to (crafts and bookings).
    pub goods: Money,
    /// Each way this cooperative delivers the crafts, with its price for this part
    /// (empty when the part has no crafts).
    pub deliveries: Vec<(Delivery, Money)>,
}

impl CartPart {
    pub fn craft_count(&self) -> u32 {
        self.crafts.iter().map(|c| c.quantity).sum()
    }
}

/// Who a held booking was made for, as typed on its slot's page: checkout starts
/// from it, so nothing is typed twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookedFor {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartView {
    pub parts: Vec<CartPart>,
    /// The goods of every part, before shipping.
    pub goods: Money,
    /// Who the cart's latest held booking is for (none without one).
    pub booked_for: Option<BookedFor>,
}

impl CartView {
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub fn item_count(&self) -> u32 {
        self.parts
            .iter()
            .map(|p| p.craft_count() + p.bookings.len() as u32)
            .sum()
    }
}
