//! Every integration test of the server, as one test binary (one link of the whole
//! server instead of one per file): each module is an area, its tests named as
//! sentences and run on SQLite and PostgreSQL (`on_both_backends!`); `support` has
//! `spawn_app()` and a named helper per request a test makes.

#[macro_use]
mod support;

// People: accounts, sign-in, cooperatives' members and producers' profiles.
mod account_flows;
mod accounts_http;
mod accounts_store;
mod members;
mod platform;
mod producer_profile;

// Catalog: listings, their photos and the producers' dashboard.
mod catalog;
mod dashboard;
mod photo_upload;
mod search;

// Booking: dates, holds, the race for the last places.
mod bookings_http;
mod bookings_race;
mod bookings_store;
mod schedules;

// Commerce: cart, checkout, payments, stock.
mod checkout_http;
mod hourly_limits;
mod payment_crash;
mod stock_race;
mod stripe_payments;
mod unpaid_bookings;

// Money: the ledger, finances, payouts, the community fund.
mod demo_history;
mod finances;
mod fund;
mod revenue;
mod stripe_payouts;

// Across the whole server.
mod authorisation;
mod claims;
mod cli;
mod cluster;
mod headers;
mod junk_input;
mod mail;
mod migrations;
mod query_counts;
