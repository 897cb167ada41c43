//! The real server with the Stripe provider, its client pointed (`STRIPE_API_BASE`)
//! at the fake Stripe of `fake-stripe`, which delivers its webhooks back to it.

use super::{Backend, TestApp, spawn_app_with};
use fake_stripe::FakeStripe;
use server::config::StripeConfig;

pub const WEBHOOK_SECRET: &str = "whsec_test_tianguis_fake";
pub const SECRET_KEY: &str = "sk_test_tianguis_fake";

/// The settings that point the server at `fake`.
pub fn stripe_config(fake: &FakeStripe) -> StripeConfig {
    StripeConfig {
        secret_key: SECRET_KEY.to_owned(),
        webhook_secret: WEBHOOK_SECRET.to_owned(),
        publishable_key: Some("pk_test_tianguis_fake".to_owned()),
        api_base: fake.url().to_owned(),
    }
}

/// A server on Stripe (the fake), and the fake, delivering its events to the server.
pub async fn spawn_stripe_app(backend: Backend) -> (TestApp, FakeStripe) {
    let fake = FakeStripe::start(WEBHOOK_SECRET).await;
    let config = stripe_config(&fake);
    let app = spawn_app_with(backend, |c| {
        c.stripe = Some(config);
        c.simulated_payments = false;
    })
    .await;
    fake.deliver_to(&app.url("/webhooks/stripe"));
    (app, fake)
}

/// Waits (up to 10 s) until `check` holds; webhooks arrive on their own time.
pub async fn eventually<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    super::within(std::time::Duration::from_secs(10), what, check).await
}
