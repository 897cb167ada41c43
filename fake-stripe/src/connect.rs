//! Stripe Connect: Express accounts, their onboarding links, and transfers of at most what a transfer group was charged.

use super::*;

pub(crate) fn new_account(id: &str, form: &HashMap<String, String>) -> Account {
    Account {
        business_profile: None,
        business_type: None,
        capabilities: None,
        charges_enabled: Some(false),
        company: None,
        controller: None,
        country: Some(
            form.get("country")
                .cloned()
                .unwrap_or_else(|| "MX".to_owned()),
        ),
        created: Some(now()),
        default_currency: Some(stripe_types::Currency::MXN),
        details_submitted: Some(false),
        email: form.get("email").cloned(),
        external_accounts: None,
        future_requirements: None,
        groups: None,
        id: id.into(),
        individual: None,
        metadata: Some(HashMap::new()),
        payouts_enabled: Some(false),
        requirements: None,
        settings: None,
        tos_acceptance: None,
        type_: Some(match form.get("type").map(String::as_str) {
            Some("standard") => AccountType::Standard,
            Some("custom") => AccountType::Custom,
            _ => AccountType::Express,
        }),
    }
}

impl StripeState {
    pub(crate) fn create_account(&mut self, form: &HashMap<String, String>) -> Answer {
        let id = self.next_id("acct");
        let account = new_account(&id, form);
        let body = body_of(&account);
        self.accounts.insert(id, account);
        (StatusCode::OK, body)
    }

    pub(crate) fn account_link(&mut self, form: &HashMap<String, String>, base: &str) -> Answer {
        let account = form.get("account").cloned().unwrap_or_default();
        if !self.accounts.contains_key(&account) {
            return error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::ResourceMissing,
                &format!("No such account: '{account}'"),
            );
        }
        let link = json!({
            "object": "account_link",
            "created": now(),
            "expires_at": now() + 300,
            "url": format!("{base}connect/onboarding/{account}"),
        });
        (StatusCode::OK, link.to_string())
    }

    /// What a transfer group may still send: its charges, less their refunds and the
    /// transfers made from it.
    pub(crate) fn available(&self, group: &str) -> i64 {
        let charged: i64 = self
            .intents
            .values()
            .filter(|i| i.transfer_group.as_deref() == Some(group))
            .filter(|i| i.status == PaymentIntentStatus::Succeeded)
            .map(|i| i.amount_received - self.refunded.get(i.id.as_str()).copied().unwrap_or(0))
            .sum();
        let sent: i64 = self
            .transfers
            .iter()
            .filter(|t| t.transfer_group.as_deref() == Some(group))
            .map(|t| t.amount)
            .sum();
        charged - sent
    }

    pub(crate) fn transfer(&mut self, form: &HashMap<String, String>) -> Answer {
        let destination = form.get("destination").cloned().unwrap_or_default();
        if !self.accounts.contains_key(&destination) {
            return error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::ResourceMissing,
                &format!("No such destination: '{destination}'"),
            );
        }
        let Some(amount) = form
            .get("amount")
            .and_then(|a| a.parse::<i64>().ok())
            .filter(|a| *a > 0)
        else {
            return error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::ParameterMissing,
                "Missing required param: amount.",
            );
        };
        let group = form.get("transfer_group").cloned();
        if group.as_deref().is_none_or(|g| self.available(g) < amount) {
            return error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::BalanceInsufficient,
                "Insufficient funds in the transfer group.",
            );
        }
        let id = self.next_id("tr");
        let transfer = Transfer {
            amount,
            amount_reversed: 0,
            balance_transaction: None,
            created: now(),
            currency: stripe_types::Currency::MXN,
            description: form.get("description").cloned(),
            destination: Some(stripe_types::Expandable::Id(destination.as_str().into())),
            destination_payment: None,
            id: id.as_str().into(),
            livemode: false,
            metadata: form
                .iter()
                .filter_map(|(k, v)| {
                    let key = k.strip_prefix("metadata[")?.strip_suffix(']')?;
                    Some((key.to_owned(), v.clone()))
                })
                .collect(),
            reversals: stripe_types::List {
                data: Vec::new(),
                has_more: false,
                url: format!("/v1/transfers/{id}/reversals"),
            },
            reversed: false,
            source_transaction: None,
            source_type: Some("card".to_owned()),
            transfer_group: group,
        };
        let body = body_of(&transfer);
        let object = serde_json::to_value(&transfer).expect("serialises");
        self.transfers.push(transfer);
        self.event("transfer.created", object);
        (StatusCode::OK, body)
    }

    /// The transfers made, newest first, as `GET /v1/transfers` filters them by
    /// `destination` and `transfer_group`.
    pub(crate) fn list_transfers(&self, query: &HashMap<String, String>) -> Answer {
        let wanted = |t: &&Transfer| {
            let destination = match &t.destination {
                Some(stripe_types::Expandable::Id(id)) => id.as_str().to_owned(),
                Some(stripe_types::Expandable::Object(a)) => a.id.as_str().to_owned(),
                None => String::new(),
            };
            query.get("destination").is_none_or(|d| *d == destination)
                && query
                    .get("transfer_group")
                    .is_none_or(|g| t.transfer_group.as_deref() == Some(g.as_str()))
        };
        let data: Vec<&Transfer> = self.transfers.iter().rev().filter(wanted).collect();
        let list = serde_json::json!({
            "object": "list",
            "data": data,
            "has_more": false,
            "url": "/v1/transfers",
        });
        (StatusCode::OK, list.to_string())
    }
}
