//! The protective headers on every answer: a Content-Security-Policy whose nonce is
//! the one on the page's own scripts (and on a page drawn again around a refused
//! form), nosniff, no referrer to other sites, no framing, and HSTS on https only.

use crate::support::orders::add_to_cart;
use crate::support::stripe::spawn_stripe_app;
use crate::support::{Backend, Page, TestApp, browser, spawn_app, spawn_app_with};

/// The nonce in an answer's Content-Security-Policy.
fn policy_nonce(page: &Page) -> String {
    let policy = page
        .headers
        .get("content-security-policy")
        .expect("the answer has a Content-Security-Policy")
        .to_str()
        .unwrap();
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the policy names a nonce")
        .to_owned()
}

/// The nonces on a page's inline scripts.
fn script_nonces(page: &Page) -> Vec<String> {
    page.body
        .split("<script")
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split('>').next()?;
            let nonce = tag.split("nonce=\"").nth(1)?;
            Some(nonce.split('"').next()?.to_owned())
        })
        .collect()
}

fn header<'a>(page: &'a Page, name: &str) -> Option<&'a str> {
    page.headers.get(name).and_then(|v| v.to_str().ok())
}

/// A craft whose page has a photo gallery, which loads a script.
async fn craft_with_gallery(app: &TestApp) -> String {
    let crafts = app.get("/crafts").await;
    for slug in crafts
        .body
        .split("href=\"/crafts/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
    {
        let path = format!("/crafts/{slug}");
        if app.get(&path).await.has("class=\"thumbs\"") {
            return slug.to_owned();
        }
    }
    panic!("the demo has a craft with several photos");
}

async fn a_page_with_scripts_allows_exactly_its_own_nonce(backend: Backend) {
    let app = spawn_app(backend).await;
    let slug = craft_with_gallery(&app).await;
    let page = app.get(&format!("/crafts/{slug}")).await;
    assert_eq!(page.status, 200);
    let nonce = policy_nonce(&page);
    assert!(nonce.len() >= 16, "a nonce of 128 bits: {nonce}");
    let on_scripts = script_nonces(&page);
    assert!(!on_scripts.is_empty(), "the gallery page loads its script");
    assert!(
        on_scripts.iter().all(|n| *n == nonce),
        "every script carries the answer's nonce: {on_scripts:?} vs {nonce}"
    );
    assert_eq!(header(&page, "x-content-type-options"), Some("nosniff"));
    assert_eq!(header(&page, "referrer-policy"), Some("same-origin"));
    assert_eq!(header(&page, "x-frame-options"), Some("DENY"));
    assert_eq!(
        header(&page, "strict-transport-security"),
        None,
        "http only"
    );

    let again = app.get(&format!("/crafts/{slug}")).await;
    assert_ne!(
        policy_nonce(&again),
        nonce,
        "each answer has a nonce of its own"
    );

    // The same page drawn again around a refused form keeps the match.
    let client = browser();
    let refused = add_to_cart(&app, &client, &slug, "muchas").await;
    assert_eq!(refused.status, 422);
    let nonce = policy_nonce(&refused);
    let on_scripts = script_nonces(&refused);
    assert!(!on_scripts.is_empty());
    assert!(on_scripts.iter().all(|n| *n == nonce), "{on_scripts:?}");
}

async fn redirects_assets_and_photos_carry_the_headers_too(backend: Backend) {
    let app = spawn_app(backend).await;
    let redirect = app.get("/account").await;
    assert_eq!(redirect.status, 303, "a visitor is sent to sign in");
    let photo_path = app
        .get("/crafts")
        .await
        .body
        .split("src=\"/media/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|file| format!("/media/{file}"))
        .expect("the catalog shows photos");
    let photo = app.get(&photo_path).await;
    assert_eq!(photo.status, 200);
    let missing = app.get("/no/such/page").await;
    assert_eq!(missing.status, 404);
    for answer in [&redirect, &photo, &missing] {
        policy_nonce(answer);
        assert_eq!(header(answer, "x-content-type-options"), Some("nosniff"));
        assert_eq!(header(answer, "referrer-policy"), Some("same-origin"));
    }
}

async fn a_site_on_https_tells_browsers_to_stay_on_https(backend: Backend) {
    let app = spawn_app_with(backend, |config| {
        config.public_url = "https://tianguis.test".to_owned();
    })
    .await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        header(&page, "strict-transport-security"),
        Some("max-age=31536000")
    );
    let policy = header(&page, "content-security-policy").unwrap();
    assert!(
        !policy.contains("stripe"),
        "no Stripe.js without Stripe: {policy}"
    );
}

async fn a_site_taking_cards_lets_stripe_js_and_its_frames_in(backend: Backend) {
    let (app, _stripe) = spawn_stripe_app(backend).await;
    let page = app.get("/").await;
    let policy = header(&page, "content-security-policy").unwrap();
    assert!(policy.contains("script-src 'self' 'nonce-"), "{policy}");
    assert!(policy.contains("https://js.stripe.com"), "{policy}");
    assert!(
        policy.contains("frame-src 'self' https://js.stripe.com"),
        "{policy}"
    );
}

on_both_backends!(
    a_page_with_scripts_allows_exactly_its_own_nonce,
    redirects_assets_and_photos_carry_the_headers_too,
    a_site_on_https_tells_browsers_to_stay_on_https,
    a_site_taking_cards_lets_stripe_js_and_its_frames_in,
);
