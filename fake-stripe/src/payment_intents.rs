//! PaymentIntents: created, confirmed by card or OXXO, cancelled, read back (expanded on request).

use super::*;
use crate::charges::new_charge;

pub(crate) fn new_intent(
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

pub(crate) fn oxxo_action(
    number: String,
    expires_after: i64,
    url: String,
) -> PaymentIntentNextAction {
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

impl StripeState {
    /// Intent `id` is paid in full (by card `card`; by OXXO without one): its charge is
    /// made, with its balance transaction unless those come late.
    pub(crate) fn succeed(&mut self, id: &str, card: Option<&str>) {
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

    /// Intent `id` as its answer shows it: `latest_charge` expanded (and its
    /// `balance_transaction`) when `expand` asks for it.
    pub(crate) fn intent_view(&self, id: &str, expand: &[String]) -> Option<PaymentIntent> {
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
    pub(crate) fn intent_answer(&self, id: &str, form: &HashMap<String, String>) -> Answer {
        match self.intent_view(id, &list_of(form, "expand")) {
            Some(intent) => (StatusCode::OK, body_of(&intent)),
            None => no_such(id),
        }
    }

    pub(crate) fn create_intent(&mut self, form: &HashMap<String, String>) -> Answer {
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

    /// Updates intent `id`'s amount, as long as it waits for a payment method.
    pub(crate) fn update_intent(&mut self, id: &str, form: &HashMap<String, String>) -> Answer {
        let Some(intent) = self.intents.get_mut(id) else {
            return no_such(id);
        };
        use PaymentIntentStatus as S;
        if !matches!(
            intent.status,
            S::RequiresPaymentMethod | S::RequiresConfirmation
        ) {
            return error(
                StatusCode::BAD_REQUEST,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::PaymentIntentUnexpectedState,
                "This PaymentIntent's amount could not be updated because it has a status of requires_action.",
            );
        }
        if let Some(amount) = form
            .get("amount")
            .and_then(|a| a.parse::<i64>().ok())
            .filter(|a| *a > 0)
        {
            intent.amount = amount;
        }
        self.intent_answer(id, form)
    }

    /// Confirms intent `id` as Stripe.js (a card) or the server (OXXO) would.
    pub(crate) fn confirm(
        &mut self,
        id: &str,
        form: &HashMap<String, String>,
        base: &str,
    ) -> Answer {
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

    pub(crate) fn cancel(&mut self, id: &str) -> Answer {
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
}
