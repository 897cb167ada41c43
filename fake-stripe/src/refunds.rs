//! Refunds (never of an OXXO payment, as on Stripe).

use super::*;

impl StripeState {
    pub(crate) fn refund(&mut self, form: &HashMap<String, String>) -> Answer {
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
