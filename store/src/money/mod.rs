//! Money: the double-entry ledger, the sale split by each cooperative's rule
//! (`revenue`, `split_rules`), balances read from the ledger (`finances`), payouts
//! and the cooperatives' provider accounts, and the community fund.

pub mod connected_accounts;
pub mod finances;
pub mod fund;
pub mod ledger;
pub mod payouts;
pub mod public_totals;
pub mod revenue;
pub mod split_rules;
