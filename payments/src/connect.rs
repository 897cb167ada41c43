//! Stripe Connect, for paying cooperatives: an Express account per cooperative, the
//! onboarding link that takes its admin through Stripe's forms, the account's state
//! (also pushed by `account.updated` events), and transfers of what a payout sends,
//! one per order, in the order's `transfer_group` ("separate charges and transfers").
//! Every POST carries an idempotency key made from our own records, so a retry never
//! creates a second account or sends a transfer twice.

use crate::provider::ProviderError;
use crate::stripe::{Stripe, idempotent, refused};
use domain::Money;
use domain::money::payout::ConnectedStatus;
use stripe::StripeRequest;
use stripe_connect::account::{CreateAccount, CreateAccountType, RetrieveAccount};
use stripe_connect::account_link::{CreateAccountLink, CreateAccountLinkType};
use stripe_connect::transfer::{CreateTransfer, ListTransfer};
use stripe_shared::Account;

/// One transfer to send: what, to whom, from which order's charges.
#[derive(Debug, Clone)]
pub struct NewTransfer<'a> {
    pub amount: Money,
    pub destination: &'a str,
    /// The order's code, its payment's transfer group.
    pub transfer_group: Option<&'a str>,
    pub description: String,
    pub idempotency_key: &'a str,
}

/// The metadata key that names a transfer by its idempotency key, so that asking
/// Stripe later finds it.
pub const TRANSFER_KEY: &str = "tianguis_transfer";

/// A transfer Stripe made, as its list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeTransfer {
    pub id: String,
    pub amount: Money,
    /// Our idempotency key, from its metadata (transfers made before it was sent
    /// have none: they are known by their description and amount).
    pub key: Option<String>,
    pub description: Option<String>,
}

impl MadeTransfer {
    /// Whether this is the transfer `new` asked for.
    pub fn is(&self, new: &NewTransfer<'_>) -> bool {
        match &self.key {
            Some(key) => key == new.idempotency_key,
            None => {
                self.amount == new.amount
                    && self.description.as_deref() == Some(new.description.as_str())
            }
        }
    }
}

/// An account's state as Tianguis tracks it.
pub fn status_of(account: &Account) -> ConnectedStatus {
    ConnectedStatus::of_account(
        account.details_submitted.unwrap_or(false),
        account.payouts_enabled.unwrap_or(false),
    )
}

impl Stripe {
    /// Creates cooperative `cooperative`'s Express account in Mexico; its id.
    pub async fn create_account(
        &self,
        cooperative: i32,
        email: Option<&str>,
    ) -> Result<(String, ConnectedStatus), ProviderError> {
        let mut create = CreateAccount::new()
            .type_(CreateAccountType::Express)
            .country("MX")
            .metadata(
                [("cooperative".to_owned(), cooperative.to_string())]
                    .into_iter()
                    .collect::<std::collections::HashMap<_, _>>(),
            );
        if let Some(email) = email {
            create = create.email(email);
        }
        let account = create
            .customize()
            .request_strategy(idempotent(&format!("tianguis-account-{cooperative}"))?)
            .send(&self.client)
            .await
            .map_err(refused)?;
        Ok((account.id.to_string(), status_of(&account)))
    }

    /// A one-time link to Stripe's onboarding forms for `account`, coming back to
    /// `return_url` (or to `refresh_url` if the link expired).
    pub async fn onboarding_link(
        &self,
        account: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> Result<String, ProviderError> {
        let link = CreateAccountLink::new(account, CreateAccountLinkType::AccountOnboarding)
            .refresh_url(refresh_url)
            .return_url(return_url)
            .send(&self.client)
            .await
            .map_err(refused)?;
        Ok(link.url)
    }

    pub async fn account_status(&self, account: &str) -> Result<ConnectedStatus, ProviderError> {
        let account = RetrieveAccount::new(account)
            .send(&self.client)
            .await
            .map_err(refused)?;
        Ok(status_of(&account))
    }

    /// Sends `new`; the transfer's id.
    pub async fn transfer(&self, new: &NewTransfer<'_>) -> Result<String, ProviderError> {
        let mut create = CreateTransfer::new(stripe_types::Currency::MXN, new.destination)
            .amount(new.amount.centavos())
            .description(new.description.as_str());
        if let Some(group) = new.transfer_group {
            create = create.transfer_group(group);
        }
        create = create.metadata(
            [(TRANSFER_KEY.to_owned(), new.idempotency_key.to_owned())]
                .into_iter()
                .collect::<std::collections::HashMap<_, _>>(),
        );
        let transfer = create
            .customize()
            .request_strategy(idempotent(new.idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(refused)?;
        Ok(transfer.id.to_string())
    }

    /// The transfers Stripe made to `destination` in `transfer_group` (an order's
    /// code), newest first: what a failed payout is checked against before it may
    /// be cancelled.
    pub async fn transfers_made(
        &self,
        destination: &str,
        transfer_group: Option<&str>,
    ) -> Result<Vec<MadeTransfer>, ProviderError> {
        let mut list = ListTransfer::new().destination(destination).limit(100);
        if let Some(group) = transfer_group {
            list = list.transfer_group(group);
        }
        let found = list.send(&self.client).await.map_err(refused)?;
        Ok(found
            .data
            .into_iter()
            .map(|t| MadeTransfer {
                id: t.id.to_string(),
                amount: Money::mxn(t.amount),
                key: t.metadata.get(TRANSFER_KEY).cloned(),
                description: t.description,
            })
            .collect())
    }
}
