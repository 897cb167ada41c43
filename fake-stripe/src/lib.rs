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

mod charges;
mod connect;
mod events;
mod http;
mod payment_intents;
mod refunds;

pub use charges::{FOREIGN_CARD, stripe_fee};
pub use events::sign;
// The wire helpers every resource answers with; the handlers the router names.
use http::{
    act, api_error, body_of, create, error, list_of, list_transfers, no_such, retrieve,
    retrieve_account,
};

/// What a test can see of a request the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub idempotency_key: Option<String>,
}

#[derive(Default)]
struct StripeState {
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
    /// How many of the next transfers are made, but their answer is lost (a 503, as
    /// a timeout after Stripe did the work); the idempotency key remembers the
    /// transfer.
    lost_transfer_answers: usize,
    counter: u64,
}

#[derive(Clone)]
pub struct FakeStripe {
    url: String,
    secret: String,
    objects: Arc<Mutex<StripeState>>,
    http: reqwest::Client,
}

type Answer = (StatusCode, String);

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl StripeState {
    fn next_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}_fake{:08}", self.counter)
    }
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
            objects: Arc::default(),
            http: reqwest::Client::new(),
        };
        let app = Router::new()
            .route("/v1/payment_intents", post(create))
            .route("/v1/payment_intents/{id}", get(retrieve).post(create))
            .route("/v1/payment_intents/{id}/{action}", post(act))
            .route("/v1/refunds", post(create))
            .route("/v1/accounts", post(create))
            .route("/v1/accounts/{id}", get(retrieve_account))
            .route("/v1/transfers", post(create).get(list_transfers))
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
        self.objects.lock().expect("not poisoned").webhook_url = Some(url.to_owned());
    }

    /// While on, events are kept and not delivered; a test delivers them with
    /// [`FakeStripe::deliver`], in any order, any number of times.
    pub fn hold_events(&self, on: bool) {
        let mut objects = self.objects.lock().expect("not poisoned");
        objects.holding = on;
        // What was made while holding stays for the test to deliver.
        let made: Vec<String> = objects
            .events
            .iter()
            .filter_map(|e| e["id"].as_str().map(str::to_owned))
            .collect();
        objects.delivered.extend(made);
    }

    /// Every event so far, oldest first.
    pub fn events(&self) -> Vec<Value> {
        self.objects.lock().expect("not poisoned").events.clone()
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
        self.objects.lock().expect("not poisoned").seen.clone()
    }

    pub fn intent(&self, id: &str) -> Option<PaymentIntent> {
        self.objects
            .lock()
            .expect("not poisoned")
            .intents
            .get(id)
            .cloned()
    }

    /// The Connect accounts made so far.
    pub fn accounts(&self) -> Vec<Account> {
        self.objects
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
            let mut objects = self.objects.lock().expect("not poisoned");
            let Some(a) = objects.accounts.get_mut(account) else {
                return false;
            };
            a.details_submitted = Some(true);
            a.charges_enabled = Some(true);
            a.payouts_enabled = Some(true);
            let object = serde_json::to_value(&*a).expect("serialises");
            objects.event("account.updated", object);
        }
        self.deliver_new().await;
        true
    }

    /// The next `n` transfers fail as if Stripe could not be reached.
    pub fn fail_transfers(&self, n: usize) {
        self.objects.lock().expect("not poisoned").failing_transfers = n;
    }

    /// The next `n` transfers are made, but answered as if Stripe could not be
    /// reached.
    pub fn lose_transfer_answers(&self, n: usize) {
        self.objects
            .lock()
            .expect("not poisoned")
            .lost_transfer_answers = n;
    }

    /// The transfers made so far, oldest first.
    pub fn transfers(&self) -> Vec<Transfer> {
        self.objects.lock().expect("not poisoned").transfers.clone()
    }

    /// From now on (`on`) or no longer, a charge's balance transaction is made only
    /// by [`FakeStripe::make_balance_transactions`], as Stripe sometimes makes it a
    /// little after the payment succeeded.
    pub fn delay_balance_transactions(&self, on: bool) {
        self.objects.lock().expect("not poisoned").late_balance = on;
    }

    /// Makes the balance transactions still missing, each announced by
    /// `charge.updated`; how many.
    pub async fn make_balance_transactions(&self) -> usize {
        let made = {
            let mut objects = self.objects.lock().expect("not poisoned");
            let missing: Vec<String> = objects
                .charges
                .values()
                .filter(|c| c.balance_transaction.is_none())
                .map(|c| c.id.to_string())
                .collect();
            for id in &missing {
                objects.balance_for(id);
                let object = serde_json::to_value(&objects.charges[id]).expect("serialises");
                objects.event("charge.updated", object);
            }
            missing.len()
        };
        self.deliver_new().await;
        made
    }

    /// The balance transaction of the charge that paid intent `id`, once there is one
    /// (as an answer expanding it shows it).
    pub fn balance_transaction(&self, id: &str) -> Option<BalanceTransaction> {
        let objects = self.objects.lock().expect("not poisoned");
        let expand = ["latest_charge.balance_transaction".to_owned()];
        let charge = objects
            .intent_view(id, &expand)?
            .latest_charge?
            .into_object()?;
        charge.balance_transaction?.into_object()
    }

    pub fn intents(&self) -> Vec<PaymentIntent> {
        self.objects
            .lock()
            .expect("not poisoned")
            .intents
            .values()
            .cloned()
            .collect()
    }

    /// The body and `Stripe-Signature` of event `event_id`, signed now.
    pub fn signed(&self, event_id: &str) -> Option<(String, String)> {
        let objects = self.objects.lock().expect("not poisoned");
        let event = objects.events.iter().find(|e| e["id"] == event_id)?;
        let body = event.to_string();
        let header = sign(&self.secret, now(), body.as_bytes());
        Some((body, header))
    }

    /// Delivers event `event_id` `times` times, one after the other; the HTTP status
    /// of each delivery.
    pub async fn deliver(&self, event_id: &str, times: usize) -> Vec<u16> {
        let url = self
            .objects
            .lock()
            .expect("not poisoned")
            .webhook_url
            .clone();
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
            let mut objects = self.objects.lock().expect("not poisoned");
            if objects.holding || objects.webhook_url.is_none() {
                return;
            }
            let fresh: Vec<String> = objects
                .events
                .iter()
                .filter_map(|e| e["id"].as_str().map(str::to_owned))
                .filter(|id| !objects.delivered.contains(id))
                .collect();
            objects.delivered.extend(fresh.iter().cloned());
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
            let mut objects = self.objects.lock().expect("not poisoned");
            let base = self.url.clone();
            objects.confirm(id, &form, &base).0.as_u16()
        };
        self.deliver_new().await;
        status
    }

    /// The payer pays OXXO voucher of intent `id` at the store.
    pub async fn pay_voucher(&self, id: &str) -> bool {
        let paid = {
            let mut objects = self.objects.lock().expect("not poisoned");
            match objects.intents.get_mut(id) {
                Some(intent) if intent.status == PaymentIntentStatus::RequiresAction => {
                    objects.succeed(id, None);
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
            let mut objects = self.objects.lock().expect("not poisoned");
            match objects.intents.get_mut(id) {
                Some(intent) if intent.status == PaymentIntentStatus::RequiresAction => {
                    intent.status = PaymentIntentStatus::RequiresPaymentMethod;
                    intent.next_action = None;
                    intent.last_payment_error = Some(Box::new(api_error(
                        ApiErrorsType::InvalidRequestError,
                        Some(ApiErrorsCode::PaymentIntentPaymentAttemptExpired),
                        "The OXXO voucher expired.",
                    )));
                    objects.intent_event("payment_intent.payment_failed", id);
                    true
                }
                _ => false,
            }
        };
        self.deliver_new().await;
        expired
    }
}
