//! Whether a sign-in is even checked: refused for a while after too many recent
//! failures, counted so that a guesser cannot lock the real owner out.

use chrono::Duration;

/// Failures are counted over this window for one account from one address, and for
/// one address whatever the account.
pub const SHORT_WINDOW: Duration = Duration::minutes(15);
/// The slow limit per account, from anywhere, counts over this window.
pub const LONG_WINDOW: Duration = Duration::hours(24);
/// Failures for one account from one address before that pair waits.
pub const MAX_PER_ACCOUNT_AND_ADDRESS: u64 = 5;
/// Failures from one address, for any account, before the address waits (higher than
/// the pair's: a family or a cooperative's office may share one address).
pub const MAX_PER_ADDRESS: u64 = 20;
/// Failures for one account from everywhere before only addresses that never failed
/// for it are still heard (a guesser spread over many addresses gets one try each).
pub const MAX_PER_ACCOUNT: u64 = 50;

/// Recent failed sign-ins that bear on one attempt (account as typed, from one address).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecentFailures {
    /// For this account from this address, within `SHORT_WINDOW`.
    pub account_and_address: u64,
    /// From this address for any account, within `SHORT_WINDOW`.
    pub address: u64,
    /// For this account from anywhere, within `LONG_WINDOW`.
    pub account: u64,
    /// For this account from this address, within `LONG_WINDOW`.
    pub account_and_address_long: u64,
}

/// What to do with a sign-in attempt before its password is looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInGate {
    /// Check the password.
    Check,
    /// Refuse without checking; the person may try again after `retry_after`.
    Wait { retry_after: Duration },
}

/// The gate for an attempt with these failures behind it. An address that has not
/// failed for an account is never kept out by that account's failures elsewhere, so
/// the owner, at home, can always sign in while someone guesses from other addresses.
pub fn gate(failures: RecentFailures) -> SignInGate {
    if failures.account_and_address >= MAX_PER_ACCOUNT_AND_ADDRESS
        || failures.address >= MAX_PER_ADDRESS
    {
        return SignInGate::Wait {
            retry_after: SHORT_WINDOW,
        };
    }
    if failures.account >= MAX_PER_ACCOUNT && failures.account_and_address_long > 0 {
        return SignInGate::Wait {
            retry_after: LONG_WINDOW,
        };
    }
    SignInGate::Check
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(retry_after: Duration) -> SignInGate {
        SignInGate::Wait { retry_after }
    }

    #[test]
    fn an_address_that_never_failed_is_always_checked_whatever_the_account_suffered() {
        let besieged = RecentFailures {
            account_and_address: 0,
            address: 0,
            account: 10_000,
            account_and_address_long: 0,
        };
        assert_eq!(gate(besieged), SignInGate::Check);
    }

    #[test]
    fn one_address_gets_five_tries_at_one_account() {
        let mut failures = RecentFailures::default();
        for _ in 0..MAX_PER_ACCOUNT_AND_ADDRESS {
            assert_eq!(gate(failures), SignInGate::Check);
            failures.account_and_address += 1;
            failures.address += 1;
            failures.account += 1;
            failures.account_and_address_long += 1;
        }
        assert_eq!(gate(failures), wait(SHORT_WINDOW));
    }

    #[test]
    fn one_address_gets_twenty_tries_across_accounts() {
        let spread = RecentFailures {
            account_and_address: 0,
            address: MAX_PER_ADDRESS - 1,
            ..Default::default()
        };
        assert_eq!(gate(spread), SignInGate::Check);
        let more = RecentFailures {
            address: MAX_PER_ADDRESS,
            ..spread
        };
        assert_eq!(gate(more), wait(SHORT_WINDOW));
    }

    #[test]
    fn under_a_spread_out_attack_an_address_that_failed_once_waits_a_day() {
        let attacked = RecentFailures {
            account_and_address: 0,
            address: 1,
            account: MAX_PER_ACCOUNT,
            account_and_address_long: 1,
        };
        assert_eq!(gate(attacked), wait(LONG_WINDOW));
        let quiet = RecentFailures {
            account: MAX_PER_ACCOUNT - 1,
            ..attacked
        };
        assert_eq!(gate(quiet), SignInGate::Check);
    }
}
