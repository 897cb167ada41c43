//! A stateful fake of the part of Stripe's HTTP API that Tianguis uses, for tests on
//! machines that cannot reach Stripe. It answers with async-stripe's own types
//! (serialised with their `serialize` feature), so the real client parses them, and
//! it delivers webhook events signed as Stripe signs them — on request twice, late,
//! or out of order.
//!
//! Speaks: `POST /v1/payment_intents`, `GET /v1/payment_intents/{id}`,
//! `POST /v1/payment_intents/{id}/confirm` (`pm_card_visa`, `pm_card_mastercard` and
//! the foreign [`FOREIGN_CARD`] succeed, `pm_card_chargeDeclined` is declined with a
//! 402, `payment_method_data[type]=oxxo` issues a voucher),
//! `POST /v1/payment_intents/{id}/cancel`, `POST /v1/refunds` (OXXO payments are not refundable, as on Stripe), and for Stripe Connect's
//! "separate charges and transfers" (the revenue issue): `POST /v1/accounts`,
//! `GET /v1/accounts/{id}`, `POST /v1/account_links` (a link to its onboarding, which
//! [`FakeStripe::complete_onboarding`] completes, with an `account.updated` event),
//! `POST /v1/transfers` (to a known account, never more than
//! the transfer group's charges less its refunds and earlier transfers). Every POST's
//! `Idempotency-Key` is honoured: the same key gets the same answer, and does nothing
//! again.
//! A payment that succeeds makes a charge and its balance transaction, with the fee
//! Stripe charges in Mexico ([`stripe_fee`]); a PaymentIntent's answer expands them on
//! `expand[]=latest_charge.balance_transaction`. The balance transaction can be made
//! late ([`FakeStripe::delay_balance_transactions`]), as Stripe sometimes does: then
//! `charge.updated` says when it is there.
//! Events: `payment_intent.requires_action`, `payment_intent.succeeded`,
//! `payment_intent.payment_failed`, `payment_intent.canceled`, `charge.updated`,
//! `charge.refunded`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use stripe_shared::{
    Account, AccountType, ApiErrors, ApiErrorsCode, ApiErrorsType, BalanceTransaction,
    BalanceTransactionBalanceType, BalanceTransactionType, BillingDetails, Charge, ChargeStatus,
    Fee, PaymentIntent, PaymentIntentCaptureMethod, PaymentIntentConfirmationMethod,
    PaymentIntentNextAction, PaymentIntentNextActionDisplayOxxoDetails, PaymentIntentStatus,
    Refund, Transfer,
};
use stripe_types::Expandable;

/// What a test can see of a request the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub idempotency_key: Option<String>,
}

#[derive(Default)]
struct Book {
    intents: BTreeMap<String, PaymentIntent>,
    /// Charges by id; each names its balance transaction (none yet, when made late).
    charges: BTreeMap<String, Charge>,
    balance_transactions: BTreeMap<String, BalanceTransaction>,
    /// While set, a charge's balance transaction waits for
    /// [`FakeStripe::make_balance_transactions`].
    late_balance: bool,
    refunded: HashMap<String, i64>,
    refunds: Vec<Refund>,
    accounts: BTreeMap<String, Account>,
    transfers: Vec<Transfer>,
    /// The answer given to each idempotency key.
    answers: HashMap<String, (u16, String)>,
    events: Vec<Value>,
    /// Events handed to the webhook already (or held back on purpose).
    delivered: std::collections::HashSet<String>,
    seen: Vec<Seen>,
    webhook_url: Option<String>,
    /// While set, events are kept, not delivered (a test delivers them itself).
    holding: bool,
    /// How many of the next transfers fail as if Stripe could not be reached (a 503
    /// that no idempotency key remembers).
    failing_transfers: usize,
    counter: u64,
}

#[derive(Clone)]
pub struct FakeStripe {
    url: String,
    secret: String,
    book: Arc<Mutex<Book>>,
    http: reqwest::Client,
}

type Answer = (StatusCode, String);

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The `Stripe-Signature` header for `payload` at `timestamp`, as Stripe makes it.
pub fn sign(secret: &str, timestamp: i64, payload: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(payload);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={timestamp},v1={hex}")
}

fn error(status: StatusCode, type_: ApiErrorsType, code: ApiErrorsCode, message: &str) -> Answer {
    let err = stripe_shared::Error {
        error: Box::new(api_error(type_, Some(code), message)),
    };
    (
        status,
        serde_json::to_string(&err).expect("errors serialise"),
    )
}

fn api_error(type_: ApiErrorsType, code: Option<ApiErrorsCode>, message: &str) -> ApiErrors {
    ApiErrors {
        advice_code: None,
        charge: None,
        code,
        decline_code: None,
        doc_url: None,
        message: Some(message.to_owned()),
        network_advice_code: None,
        network_decline_code: None,
        param: None,
        payment_intent: None,
        payment_method: None,
        payment_method_type: None,
        request_log_url: None,
        setup_intent: None,
        source: None,
        type_,
    }
}

fn no_such(id: &str) -> Answer {
    error(
        StatusCode::NOT_FOUND,
        ApiErrorsType::InvalidRequestError,
        ApiErrorsCode::ResourceMissing,
        &format!("No such payment_intent: '{id}'"),
    )
}

fn new_intent(
    id: &str,
    amount: i64,
    form: &HashMap<String, String>,
    types: Vec<String>,
) -> PaymentIntent {
    PaymentIntent {
        allowed_payment_method_types: None,
        amount,
        amount_capturable: 0,
        amount_details: None,
        amount_received: 0,
        application: None,
        application_fee_amount: None,
        automatic_payment_methods: None,
        canceled_at: None,
        cancellation_reason: None,
        capture_method: PaymentIntentCaptureMethod::Automatic,
        client_secret: Some(format!("{id}_secret_fake")),
        confirmation_method: PaymentIntentConfirmationMethod::Automatic,
        created: now(),
        currency: stripe_types::Currency::MXN,
        customer: None,
        customer_account: None,
        description: form.get("description").cloned(),
        excluded_payment_method_types: None,
        hooks: None,
        id: id.into(),
        last_payment_error: None,
        latest_charge: None,
        livemode: false,
        managed_payments: None,
        metadata: form
            .iter()
            .filter_map(|(k, v)| {
                Some((
                    k.strip_prefix("metadata[")?.strip_suffix(']')?.to_owned(),
                    v.clone(),
                ))
            })
            .collect(),
        next_action: None,
        on_behalf_of: None,
        payment_details: None,
        payment_method: None,
        payment_method_configuration_details: None,
        payment_method_options: None,
        payment_method_types: types,
        payment_record: None,
        presentment_details: None,
        processing: None,
        receipt_email: form.get("receipt_email").cloned(),
        review: None,
        setup_future_usage: None,
        shipping: None,
        source: None,
        statement_descriptor: None,
        statement_descriptor_suffix: None,
        status: PaymentIntentStatus::RequiresPaymentMethod,
        transfer_data: None,
        transfer_group: form.get("transfer_group").cloned(),
    }
}

/// A test card from abroad (the United States): Stripe's fee on it is higher.
pub const FOREIGN_CARD: &str = "pm_card_us";

/// What Stripe keeps of a payment of `amount` centavos in Mexico, as its balance
/// transaction itemises it: 3.6 % + $3.00 (0.5 % more for a card from abroad), and
/// 16 % IVA on that; each part rounded to the centavo, half up.
pub fn stripe_fee(amount: i64, foreign: bool) -> Vec<Fee> {
    let points = if foreign { 410 } else { 360 };
    let stripe = (amount * points + 5_000) / 10_000 + 3_00;
    let tax = (stripe * 16 + 50) / 100;
    let fee = |amount: i64, type_: &str, description: &str| Fee {
        amount,
        application: None,
        currency: stripe_types::Currency::MXN,
        description: Some(description.to_owned()),
        type_: type_.to_owned(),
    };
    vec![
        fee(stripe, "stripe_fee", "Stripe processing fees"),
        fee(tax, "tax", "IVA"),
    ]
}

/// The charge that paid `intent` (by card `card`, or OXXO without one).
fn new_charge(id: &str, intent: &PaymentIntent, card: Option<&str>) -> Charge {
    Charge {
        amount: intent.amount,
        amount_captured: intent.amount,
        amount_refunded: 0,
        application: None,
        application_fee: None,
        application_fee_amount: None,
        authorization_code: None,
        balance_transaction: None,
        billing_details: BillingDetails {
            address: None,
            email: intent.receipt_email.clone(),
            name: None,
            phone: None,
            tax_id: None,
        },
        calculated_statement_descriptor: Some("TIANGUIS".to_owned()),
        captured: true,
        created: now(),
        currency: stripe_types::Currency::MXN,
        customer: None,
        description: intent.description.clone(),
        disputed: false,
        failure_balance_transaction: None,
        failure_code: None,
        failure_message: None,
        fraud_details: None,
        id: id.into(),
        level3: None,
        livemode: false,
        metadata: intent.metadata.clone(),
        on_behalf_of: None,
        outcome: None,
        paid: true,
        payment_intent: Some(Expandable::Id(intent.id.clone())),
        payment_method: card.map(str::to_owned),
        payment_method_details: None,
        presentment_details: None,
        radar_options: None,
        receipt_email: intent.receipt_email.clone(),
        receipt_number: None,
        receipt_url: None,
        refunded: false,
        refunds: None,
        review: None,
        shipping: None,
        source: None,
        source_transfer: None,
        statement_descriptor: None,
        statement_descriptor_suffix: None,
        status: ChargeStatus::Succeeded,
        transfer: None,
        transfer_data: None,
        transfer_group: intent.transfer_group.clone(),
    }
}

fn oxxo_action(number: String, expires_after: i64, url: String) -> PaymentIntentNextAction {
    PaymentIntentNextAction {
        alipay_handle_redirect: None,
        blik_authorize: None,
        boleto_display_details: None,
        card_await_notification: None,
        cashapp_handle_redirect_or_display_qr_code: None,
        display_bank_transfer_instructions: None,
        klarna_display_qr_code: None,
        konbini_display_details: None,
        multibanco_display_details: None,
        oxxo_display_details: Some(PaymentIntentNextActionDisplayOxxoDetails {
            expires_after: Some(expires_after),
            hosted_voucher_url: Some(url),
            number: Some(number),
        }),
        paynow_display_qr_code: None,
        pix_display_qr_code: None,
        promptpay_display_qr_code: None,
        redirect_to_url: None,
        swish_handle_redirect_or_display_qr_code: None,
        type_: "oxxo_display_details".to_owned(),
        upi_handle_redirect_or_display_qr_code: None,
        use_stripe_sdk: None,
        verify_with_microdeposits: None,
        wechat_pay_display_qr_code: None,
        wechat_pay_redirect_to_android_app: None,
        wechat_pay_redirect_to_ios_app: None,
    }
}

fn body_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("async-stripe types serialise")
}

fn form_of(body: &[u8]) -> HashMap<String, String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

/// `payment_method_types[0]=card&payment_method_types[1]=oxxo` → `["card", "oxxo"]`.
fn list_of(form: &HashMap<String, String>, name: &str) -> Vec<String> {
    let mut items: Vec<(usize, String)> = form
        .iter()
        .filter_map(|(k, v)| {
            let i = k.strip_prefix(name)?.strip_prefix('[')?.strip_suffix(']')?;
            Some((i.parse().unwrap_or(0), v.clone()))
        })
        .collect();
    items.sort();
    items.into_iter().map(|(_, v)| v).collect()
}

impl Book {
    fn next_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}_fake{:08}", self.counter)
    }

    fn event(&mut self, kind: &str, object: Value) -> String {
        let id = self.next_id("evt");
        self.events.push(json!({
            "id": id,
            "object": "event",
            "api_version": stripe_shared::version::VERSION.as_str(),
            "created": now(),
            "data": { "object": object },
            "livemode": false,
            "pending_webhooks": 1,
            "request": { "id": null, "idempotency_key": null },
            "type": kind,
        }));
        id
    }

    fn intent_event(&mut self, kind: &str, id: &str) -> String {
        let object = serde_json::to_value(&self.intents[id]).expect("serialises");
        self.event(kind, object)
    }

    /// Intent `id` is paid in full (by card `card`; by OXXO without one): its charge is
    /// made, with its balance transaction unless those come late.
    fn succeed(&mut self, id: &str, card: Option<&str>) {
        let charge_id = self.next_id("ch");
        let intent = self.intents.get_mut(id).expect("a known intent");
        intent.status = PaymentIntentStatus::Succeeded;
        intent.amount_received = intent.amount;
        intent.last_payment_error = None;
        intent.next_action = None;
        intent.latest_charge = Some(Expandable::Id(charge_id.as_str().into()));
        let charge = new_charge(&charge_id, intent, card);
        self.charges.insert(charge_id.clone(), charge);
        if !self.late_balance {
            self.balance_for(&charge_id);
        }
        self.intent_event("payment_intent.succeeded", id);
    }

    /// Makes charge `charge_id`'s balance transaction: the amount, less Stripe's fee.
    fn balance_for(&mut self, charge_id: &str) {
        let bt_id = self.next_id("txn");
        let charge = self.charges.get_mut(charge_id).expect("a known charge");
        let foreign = charge.payment_method.as_deref() == Some(FOREIGN_CARD);
        let fee_details = stripe_fee(charge.amount, foreign);
        let fee: i64 = fee_details.iter().map(|f| f.amount).sum();
        let balance = BalanceTransaction {
            amount: charge.amount,
            available_on: now() + 2 * 86_400,
            balance_type: BalanceTransactionBalanceType::Payments,
            created: now(),
            currency: stripe_types::Currency::MXN,
            description: charge.description.clone(),
            exchange_rate: None,
            fee,
            fee_details,
            id: bt_id.as_str().into(),
            net: charge.amount - fee,
            reporting_category: "charge".to_owned(),
            source: Some(Expandable::Id(charge_id.into())),
            status: "pending".to_owned(),
            type_: BalanceTransactionType::Charge,
        };
        charge.balance_transaction = Some(Expandable::Id(bt_id.as_str().into()));
        self.balance_transactions.insert(bt_id, balance);
    }

    /// Intent `id` as its answer shows it: `latest_charge` expanded (and its
    /// `balance_transaction`) when `expand` asks for it.
    fn intent_view(&self, id: &str, expand: &[String]) -> Option<PaymentIntent> {
        let mut intent = self.intents.get(id)?.clone();
        let wants = |field: &str| expand.iter().any(|e| e == field);
        let charge_id = intent.latest_charge.as_ref().map(|c| c.id().to_string());
        if let Some(mut charge) = charge_id.and_then(|c| self.charges.get(&c).cloned())
            && (wants("latest_charge") || wants("latest_charge.balance_transaction"))
        {
            if wants("latest_charge.balance_transaction")
                && let Some(bt) = charge
                    .balance_transaction
                    .as_ref()
                    .and_then(|b| self.balance_transactions.get(b.id().as_str()))
            {
                charge.balance_transaction = Some(Expandable::Object(Box::new(bt.clone())));
            }
            intent.latest_charge = Some(Expandable::Object(Box::new(charge)));
        }
        Some(intent)
    }

    /// The answer about intent `id`, as `form`'s `expand[]` asks for it.
    fn intent_answer(&self, id: &str, form: &HashMap<String, String>) -> Answer {
        match self.intent_view(id, &list_of(form, "expand")) {
            Some(intent) => (StatusCode::OK, body_of(&intent)),
            None => no_such(id),
        }
    }

    fn create_intent(&mut self, form: &HashMap<String, String>) -> Answer {
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
        if form.get("currency").map(String::as_str) != Some("mxn") {
            return error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::ParameterInvalidEmpty,
                "This fake speaks MXN only.",
            );
        }
        let id = self.next_id("pi");
        let mut types = list_of(form, "allowed_payment_method_types");
        if types.is_empty() {
            types = vec!["card".to_owned()];
        }
        let intent = new_intent(&id, amount, form, types);
        self.intents.insert(id.clone(), intent);
        self.intent_answer(&id, form)
    }

    /// Confirms intent `id` as Stripe.js (a card) or the server (OXXO) would.
    fn confirm(&mut self, id: &str, form: &HashMap<String, String>, base: &str) -> Answer {
        let Some(intent) = self.intents.get(id) else {
            return no_such(id);
        };
        use PaymentIntentStatus as S;
        if !matches!(
            intent.status,
            S::RequiresPaymentMethod | S::RequiresConfirmation | S::RequiresAction
        ) {
            return error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::PaymentIntentUnexpectedState,
                "You cannot confirm this PaymentIntent because it has a status of succeeded or canceled.",
            );
        }
        let oxxo = form.get("payment_method_data[type]").map(String::as_str) == Some("oxxo");
        let method = form.get("payment_method").cloned().unwrap_or_default();
        if oxxo {
            let days: i64 = form
                .get("payment_method_options[oxxo][expires_after_days]")
                .and_then(|d| d.parse().ok())
                .unwrap_or(3);
            let number: String = format!("{:014}", 93_000_000_000_000u64 + self.counter);
            let url = format!("{base}vouchers/{id}");
            let intent = self.intents.get_mut(id).expect("read above");
            intent.status = S::RequiresAction;
            intent.payment_method_types = vec!["oxxo".to_owned()];
            intent.next_action = Some(oxxo_action(number, now() + days * 86_400, url));
            intent.last_payment_error = None;
            let body = body_of(intent);
            self.intent_event("payment_intent.requires_action", id);
            return (StatusCode::OK, body);
        }
        match method.as_str() {
            "pm_card_visa" | "pm_card_mastercard" | FOREIGN_CARD => {
                self.succeed(id, Some(method.as_str()));
                self.intent_answer(id, form)
            }
            "pm_card_chargeDeclined" => {
                let intent = self.intents.get_mut(id).expect("read above");
                let mut declined = api_error(
                    ApiErrorsType::CardError,
                    Some(ApiErrorsCode::CardDeclined),
                    "Your card was declined.",
                );
                declined.decline_code = Some("generic_decline".to_owned());
                intent.status = S::RequiresPaymentMethod;
                intent.last_payment_error = Some(Box::new(declined.clone()));
                declined.payment_intent = Some(intent.clone());
                self.intent_event("payment_intent.payment_failed", id);
                let err = stripe_shared::Error {
                    error: Box::new(declined),
                };
                (StatusCode::PAYMENT_REQUIRED, body_of(&err))
            }
            _ => error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::ResourceMissing,
                &format!("No such PaymentMethod: '{method}'"),
            ),
        }
    }

    fn cancel(&mut self, id: &str) -> Answer {
        let Some(intent) = self.intents.get_mut(id) else {
            return no_such(id);
        };
        if matches!(
            intent.status,
            PaymentIntentStatus::Succeeded | PaymentIntentStatus::Canceled
        ) {
            return error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::PaymentIntentUnexpectedState,
                "You cannot cancel this PaymentIntent because it has a status of succeeded.",
            );
        }
        intent.status = PaymentIntentStatus::Canceled;
        intent.canceled_at = Some(now());
        intent.next_action = None;
        let body = body_of(intent);
        self.intent_event("payment_intent.canceled", id);
        (StatusCode::OK, body)
    }

    fn refund(&mut self, form: &HashMap<String, String>) -> Answer {
        let id = form.get("payment_intent").cloned().unwrap_or_default();
        let Some(intent) = self.intents.get(&id) else {
            return no_such(&id);
        };
        if intent.status != PaymentIntentStatus::Succeeded {
            return error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::ChargeNotRefundable,
                "This PaymentIntent has not succeeded.",
            );
        }
        if intent.payment_method_types == ["oxxo"] {
            return error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::ChargeNotRefundable,
                "OXXO payments cannot be refunded.",
            );
        }
        let done = self.refunded.get(&id).copied().unwrap_or(0);
        let amount = form
            .get("amount")
            .and_then(|a| a.parse::<i64>().ok())
            .unwrap_or(intent.amount_received - done);
        if amount <= 0 || done + amount > intent.amount_received {
            let code = if done >= intent.amount_received {
                ApiErrorsCode::ChargeAlreadyRefunded
            } else {
                ApiErrorsCode::AmountTooLarge
            };
            return error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                code,
                "Refund amount is greater than what is left.",
            );
        }
        self.refunded.insert(id.clone(), done + amount);
        let refund_id = self.next_id("re");
        let refund = Refund {
            amount,
            balance_transaction: None,
            charge: None,
            created: now(),
            currency: stripe_types::Currency::MXN,
            customer: None,
            customer_account: None,
            description: None,
            destination_details: None,
            failure_balance_transaction: None,
            failure_reason: None,
            id: refund_id.as_str().into(),
            instructions_email: None,
            metadata: Some(HashMap::new()),
            next_action: None,
            payment_intent: Some(stripe_types::Expandable::Id(id.as_str().into())),
            payment_method: None,
            pending_reason: None,
            presentment_details: None,
            reason: None,
            receipt_number: None,
            source_transfer_reversal: None,
            status: Some("succeeded".to_owned()),
            transfer_reversal: None,
        };
        let body = body_of(&refund);
        let object = serde_json::to_value(&refund).expect("serialises");
        self.refunds.push(refund);
        self.event("charge.refunded", object);
        (StatusCode::OK, body)
    }
}

fn new_account(id: &str, form: &HashMap<String, String>) -> Account {
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

impl Book {
    fn create_account(&mut self, form: &HashMap<String, String>) -> Answer {
        let id = self.next_id("acct");
        let account = new_account(&id, form);
        let body = body_of(&account);
        self.accounts.insert(id, account);
        (StatusCode::OK, body)
    }

    fn account_link(&mut self, form: &HashMap<String, String>, base: &str) -> Answer {
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
    fn available(&self, group: &str) -> i64 {
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

    fn transfer(&mut self, form: &HashMap<String, String>) -> Answer {
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
            metadata: HashMap::new(),
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
}

async fn retrieve_account(State(fake): State<FakeStripe>, Path(id): Path<String>) -> Response {
    let book = fake.book.lock().expect("not poisoned");
    reply(match book.accounts.get(&id) {
        Some(account) => (StatusCode::OK, body_of(account)),
        None => error(
            StatusCode::NOT_FOUND,
            ApiErrorsType::InvalidRequestError,
            ApiErrorsCode::ResourceMissing,
            &format!("No such account: '{id}'"),
        ),
    })
}

fn reply((status, body): Answer) -> Response {
    (status, [("content-type", "application/json")], body).into_response()
}

async fn posted(
    State(fake): State<FakeStripe>,
    headers: HeaderMap,
    path: Option<Path<(String, String)>>,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    let key = headers
        .get("idempotency-key")
        .and_then(|k| k.to_str().ok())
        .map(str::to_owned);
    let form = form_of(&body);
    let answer = {
        let mut book = fake.book.lock().expect("not poisoned");
        book.seen.push(Seen {
            method: "POST".into(),
            path: uri.path().to_owned(),
            idempotency_key: key.clone(),
        });
        if uri.path() == "/v1/transfers" && book.failing_transfers > 0 {
            book.failing_transfers -= 1;
            return reply(error(
                StatusCode::SERVICE_UNAVAILABLE,
                ApiErrorsType::ApiError,
                ApiErrorsCode::Unknown(String::new()),
                "Stripe is having trouble; try again.",
            ));
        }
        if let Some(answer) = key.as_ref().and_then(|k| book.answers.get(k)) {
            let (status, body) = answer.clone();
            return reply((StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body));
        }
        let base = fake.url.clone();
        let answer = match (uri.path(), path) {
            ("/v1/payment_intents", _) => book.create_intent(&form),
            ("/v1/refunds", _) => book.refund(&form),
            ("/v1/accounts", _) => book.create_account(&form),
            ("/v1/account_links", _) => book.account_link(&form, &base),
            ("/v1/transfers", _) => book.transfer(&form),
            (_, Some(Path((id, action)))) if action == "confirm" => book.confirm(&id, &form, &base),
            (_, Some(Path((id, action)))) if action == "cancel" => book.cancel(&id),
            _ => error(
                StatusCode::NOT_FOUND,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::ResourceMissing,
                "Unrecognized request URL.",
            ),
        };
        if let Some(k) = key {
            book.answers
                .insert(k, (answer.0.as_u16(), answer.1.clone()));
        }
        answer
    };
    fake.deliver_new().await;
    reply(answer)
}

async fn create(
    state: State<FakeStripe>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    posted(state, headers, None, uri, body).await
}

async fn act(
    state: State<FakeStripe>,
    headers: HeaderMap,
    path: Path<(String, String)>,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    posted(state, headers, Some(path), uri, body).await
}

async fn retrieve(
    State(fake): State<FakeStripe>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let mut book = fake.book.lock().expect("not poisoned");
    book.seen.push(Seen {
        method: "GET".into(),
        path: format!("/v1/payment_intents/{id}"),
        idempotency_key: None,
    });
    let query = form_of(query.unwrap_or_default().as_bytes());
    reply(book.intent_answer(&id, &query))
}

impl FakeStripe {
    /// Starts the fake on a free port of 127.0.0.1; webhooks are signed with `secret`.
    pub async fn start(secret: &str) -> FakeStripe {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!("http://{}/", listener.local_addr().expect("bound"));
        let fake = FakeStripe {
            url,
            secret: secret.to_owned(),
            book: Arc::default(),
            http: reqwest::Client::new(),
        };
        let app = Router::new()
            .route("/v1/payment_intents", post(create))
            .route("/v1/payment_intents/{id}", get(retrieve))
            .route("/v1/payment_intents/{id}/{action}", post(act))
            .route("/v1/refunds", post(create))
            .route("/v1/accounts", post(create))
            .route("/v1/accounts/{id}", get(retrieve_account))
            .route("/v1/transfers", post(create))
            .route("/v1/account_links", post(create))
            .with_state(fake.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        fake
    }

    /// What `STRIPE_API_BASE` should say.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where events go (the server's `/webhooks/stripe`).
    pub fn deliver_to(&self, url: &str) {
        self.book.lock().expect("not poisoned").webhook_url = Some(url.to_owned());
    }

    /// While on, events are kept and not delivered; a test delivers them with
    /// [`FakeStripe::deliver`], in any order, any number of times.
    pub fn hold_events(&self, on: bool) {
        let mut book = self.book.lock().expect("not poisoned");
        book.holding = on;
        // What was made while holding stays for the test to deliver.
        let made: Vec<String> = book
            .events
            .iter()
            .filter_map(|e| e["id"].as_str().map(str::to_owned))
            .collect();
        book.delivered.extend(made);
    }

    /// Every event so far, oldest first.
    pub fn events(&self) -> Vec<Value> {
        self.book.lock().expect("not poisoned").events.clone()
    }

    /// The ids of the events of `kind` about object `object_id`.
    pub fn events_about(&self, kind: &str, object_id: &str) -> Vec<String> {
        self.events()
            .into_iter()
            .filter(|e| e["type"] == kind && e["data"]["object"]["id"] == object_id)
            .filter_map(|e| e["id"].as_str().map(str::to_owned))
            .collect()
    }

    /// Every request the fake received.
    pub fn requests(&self) -> Vec<Seen> {
        self.book.lock().expect("not poisoned").seen.clone()
    }

    pub fn intent(&self, id: &str) -> Option<PaymentIntent> {
        self.book
            .lock()
            .expect("not poisoned")
            .intents
            .get(id)
            .cloned()
    }

    /// The Connect accounts made so far.
    pub fn accounts(&self) -> Vec<Account> {
        self.book
            .lock()
            .expect("not poisoned")
            .accounts
            .values()
            .cloned()
            .collect()
    }

    /// The cooperative finishes Stripe's onboarding forms for `account`: it can be
    /// paid, and `account.updated` says so. Whether there is such an account.
    pub async fn complete_onboarding(&self, account: &str) -> bool {
        {
            let mut book = self.book.lock().expect("not poisoned");
            let Some(a) = book.accounts.get_mut(account) else {
                return false;
            };
            a.details_submitted = Some(true);
            a.charges_enabled = Some(true);
            a.payouts_enabled = Some(true);
            let object = serde_json::to_value(&*a).expect("serialises");
            book.event("account.updated", object);
        }
        self.deliver_new().await;
        true
    }

    /// The next `n` transfers fail as if Stripe could not be reached.
    pub fn fail_transfers(&self, n: usize) {
        self.book.lock().expect("not poisoned").failing_transfers = n;
    }

    /// The transfers made so far, oldest first.
    pub fn transfers(&self) -> Vec<Transfer> {
        self.book.lock().expect("not poisoned").transfers.clone()
    }

    /// From now on (`on`) or no longer, a charge's balance transaction is made only
    /// by [`FakeStripe::make_balance_transactions`], as Stripe sometimes makes it a
    /// little after the payment succeeded.
    pub fn delay_balance_transactions(&self, on: bool) {
        self.book.lock().expect("not poisoned").late_balance = on;
    }

    /// Makes the balance transactions still missing, each announced by
    /// `charge.updated`; how many.
    pub async fn make_balance_transactions(&self) -> usize {
        let made = {
            let mut book = self.book.lock().expect("not poisoned");
            let missing: Vec<String> = book
                .charges
                .values()
                .filter(|c| c.balance_transaction.is_none())
                .map(|c| c.id.to_string())
                .collect();
            for id in &missing {
                book.balance_for(id);
                let object = serde_json::to_value(&book.charges[id]).expect("serialises");
                book.event("charge.updated", object);
            }
            missing.len()
        };
        self.deliver_new().await;
        made
    }

    /// The balance transaction of the charge that paid intent `id`, once there is one
    /// (as an answer expanding it shows it).
    pub fn balance_transaction(&self, id: &str) -> Option<BalanceTransaction> {
        let book = self.book.lock().expect("not poisoned");
        let expand = ["latest_charge.balance_transaction".to_owned()];
        let charge = book
            .intent_view(id, &expand)?
            .latest_charge?
            .into_object()?;
        charge.balance_transaction?.into_object()
    }

    pub fn intents(&self) -> Vec<PaymentIntent> {
        self.book
            .lock()
            .expect("not poisoned")
            .intents
            .values()
            .cloned()
            .collect()
    }

    /// The body and `Stripe-Signature` of event `event_id`, signed now.
    pub fn signed(&self, event_id: &str) -> Option<(String, String)> {
        let book = self.book.lock().expect("not poisoned");
        let event = book.events.iter().find(|e| e["id"] == event_id)?;
        let body = event.to_string();
        let header = sign(&self.secret, now(), body.as_bytes());
        Some((body, header))
    }

    /// Delivers event `event_id` `times` times, one after the other; the HTTP status
    /// of each delivery.
    pub async fn deliver(&self, event_id: &str, times: usize) -> Vec<u16> {
        let url = self.book.lock().expect("not poisoned").webhook_url.clone();
        let (Some(url), Some((body, _))) = (url, self.signed(event_id)) else {
            return Vec::new();
        };
        let mut statuses = Vec::new();
        for _ in 0..times {
            let header = sign(&self.secret, now(), body.as_bytes());
            let status = self
                .http
                .post(&url)
                .header("content-type", "application/json")
                .header("stripe-signature", header)
                .body(body.clone())
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0);
            statuses.push(status);
        }
        statuses
    }

    /// Delivers the events not delivered yet, unless holding.
    async fn deliver_new(&self) {
        let pending: Vec<String> = {
            let mut book = self.book.lock().expect("not poisoned");
            if book.holding || book.webhook_url.is_none() {
                return;
            }
            let fresh: Vec<String> = book
                .events
                .iter()
                .filter_map(|e| e["id"].as_str().map(str::to_owned))
                .filter(|id| !book.delivered.contains(id))
                .collect();
            book.delivered.extend(fresh.iter().cloned());
            fresh
        };
        for id in pending {
            let fake = self.clone();
            // As Stripe does: after the API call has answered, not within it.
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                fake.deliver(&id, 1).await;
            });
        }
    }

    /// The payer confirms intent `id` with a test card in the browser (what Stripe.js
    /// does with the client secret): `pm_card_visa` or `pm_card_chargeDeclined`.
    pub async fn pay_by_card(&self, id: &str, payment_method: &str) -> u16 {
        let form: HashMap<String, String> =
            [("payment_method".to_owned(), payment_method.to_owned())].into();
        let status = {
            let mut book = self.book.lock().expect("not poisoned");
            let base = self.url.clone();
            book.confirm(id, &form, &base).0.as_u16()
        };
        self.deliver_new().await;
        status
    }

    /// The payer pays OXXO voucher of intent `id` at the store.
    pub async fn pay_voucher(&self, id: &str) -> bool {
        let paid = {
            let mut book = self.book.lock().expect("not poisoned");
            match book.intents.get_mut(id) {
                Some(intent) if intent.status == PaymentIntentStatus::RequiresAction => {
                    book.succeed(id, None);
                    true
                }
                _ => false,
            }
        };
        self.deliver_new().await;
        paid
    }

    /// The OXXO voucher of intent `id` runs out unpaid: as on Stripe, the intent needs
    /// a payment method again and `payment_intent.payment_failed` is sent.
    pub async fn expire_voucher(&self, id: &str) -> bool {
        let expired = {
            let mut book = self.book.lock().expect("not poisoned");
            match book.intents.get_mut(id) {
                Some(intent) if intent.status == PaymentIntentStatus::RequiresAction => {
                    intent.status = PaymentIntentStatus::RequiresPaymentMethod;
                    intent.next_action = None;
                    intent.last_payment_error = Some(Box::new(api_error(
                        ApiErrorsType::InvalidRequestError,
                        Some(ApiErrorsCode::PaymentIntentPaymentAttemptExpired),
                        "The OXXO voucher expired.",
                    )));
                    book.intent_event("payment_intent.payment_failed", id);
                    true
                }
                _ => false,
            }
        };
        self.deliver_new().await;
        expired
    }
}
