//! Webhook events: making them, and signing them as Stripe signs them.

use super::*;

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

impl StripeState {
    pub(crate) fn event(&mut self, kind: &str, object: Value) -> String {
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

    pub(crate) fn intent_event(&mut self, kind: &str, id: &str) -> String {
        let object = serde_json::to_value(&self.intents[id]).expect("serialises");
        self.event(kind, object)
    }
}
