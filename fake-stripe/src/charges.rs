//! Charges and their balance transactions, with the fee Stripe keeps in Mexico.

use super::*;

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
pub(crate) fn new_charge(id: &str, intent: &PaymentIntent, card: Option<&str>) -> Charge {
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

impl StripeState {
    /// Makes charge `charge_id`'s balance transaction: the amount, less Stripe's fee.
    pub(crate) fn balance_for(&mut self, charge_id: &str) {
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
}
