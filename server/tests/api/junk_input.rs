//! Junk posted to the site's forms gets a clear 4xx in the visitor's language, never
//! a 5xx, and costs little (issue 20, point 4): a NUL or another control character in
//! any field, more fields than any form sends, a body bigger than any form's. On both
//! backends (PostgreSQL refuses a NUL in text: before, that was a 500).

use crate::support;

use support::bookings::{TOUR, open_slot};
use support::{Backend, TestApp, browser, spawn_app};

/// The anonymous forms, each with fields that would otherwise be accepted; `{slot}`
/// is a bookable slot.
const FORMS: &[(&str, &[(&str, &str)])] = &[
    (
        "/sign-up",
        &[
            ("name", "Ana López"),
            ("email", "ana@example.mx"),
            ("password", "grana cochinilla 1"),
        ],
    ),
    (
        "/sign-in",
        &[
            ("email", "ana@example.mx"),
            ("password", "grana cochinilla 1"),
        ],
    ),
    ("/forgot-password", &[("email", "ana@example.mx")]),
    ("/order-links", &[("email", "ana@example.mx")]),
    (
        "/cart/items",
        &[
            ("craft", "tapete-diamante-zapoteco-indigo"),
            ("quantity", "1"),
            ("from", "/crafts"),
        ],
    ),
    (
        "/slots/{slot}/book",
        &[
            ("name", "Ana López"),
            ("email", "ana@example.mx"),
            ("count_adult", "1"),
        ],
    ),
    (
        "/checkout",
        &[("name", "Ana López"), ("email", "ana@example.mx")],
    ),
];

async fn post_raw(app: &TestApp, path: &str, body: Vec<u8>, lang: &str) -> support::Page {
    let res = browser()
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept-language", lang)
        .body(body)
        .send()
        .await
        .unwrap();
    support::Page::read(res).await
}

fn encoded(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

async fn junk_in_any_form_gets_a_clear_refusal_never_a_server_error(backend: Backend) {
    let app = spawn_app(backend).await;
    let slot = open_slot(&app, TOUR).await.to_string();
    for (path, fields) in FORMS {
        let path = path.replace("{slot}", &slot);
        for (i, (name, _)) in fields.iter().enumerate() {
            for junk in ["Ana\u{0}López", "Ana\u{1b}[31m", "\u{7f}"] {
                let mut with_junk = fields.to_vec();
                with_junk[i] = (name, junk);
                let page = post_raw(&app, &path, encoded(&with_junk).into_bytes(), "es").await;
                assert_eq!(page.status, 422, "{path} {name}={junk:?}: {}", page.body);
                assert!(
                    page.has("caracteres de control que no se pueden guardar"),
                    "{path}: {}",
                    page.body
                );
            }
        }
        let many: String = (0..300).map(|n| format!("f{n}=&")).collect();
        let page = post_raw(&app, &path, many.into_bytes(), "en").await;
        assert_eq!(page.status, 413, "{path}: 300 fields");
        assert!(page.has("The form is too long"), "{}", page.body);
        let big = format!("name={}", "a".repeat(100 * 1024));
        let page = post_raw(&app, &path, big.into_bytes(), "es").await;
        assert_eq!(page.status, 413, "{path}: 100 KiB");
    }
    // A line break and a tab are text: a form that takes them still does (an email
    // is trimmed of them).
    let page = post_raw(
        &app,
        "/order-links",
        encoded(&[("email", "\tana@example.mx\r\n")]).into_bytes(),
        "es",
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location(), "/order-links?sent=1");
}

on_both_backends!(junk_in_any_form_gets_a_clear_refusal_never_a_server_error);
