//! The headers every answer carries for the browser's protection: a Content-Security-
//! Policy whose scripts need this answer's nonce, no sniffing of content types, no
//! address sent to other sites, no framing, and HSTS when the site is on https.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderName, HeaderValue, header};
use leptos::nonce::Nonce;
use std::sync::Arc;

/// What the headers depend on, fixed when the router is built.
#[derive(Clone, Debug)]
pub struct Protection {
    /// Pages may load Stripe.js and its frames (the site takes cards through Stripe).
    pub stripe: bool,
    /// The public URL is `https://`: browsers are told to come back only over https.
    pub https: bool,
    /// Another site photos are shown from (`TIANGUIS_MEDIA_PUBLIC_URL`'s origin, a
    /// public bucket or a CDN), if any.
    pub photos_from: Option<String>,
}

/// `https://cdn.example.mx` for `https://cdn.example.mx/media/…`; none for an address
/// on this site (`/media`).
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next().filter(|h| !h.is_empty())?;
    Some(format!("{scheme}://{host}"))
}

impl Protection {
    /// The policy for an answer whose inline scripts carry `nonce`: scripts only from
    /// the site itself or with the nonce (no `unsafe-inline`), no wasm (no page has an
    /// island; one that does needs `'wasm-unsafe-eval'` here), no plugins, no `<base>`
    /// elsewhere, forms posted only here, and no site may put a page of this one in a
    /// frame.
    pub fn content_security_policy(&self, nonce: &str) -> String {
        let (stripe_scripts, stripe_frames, stripe_api) = if self.stripe {
            (
                " https://js.stripe.com https://*.js.stripe.com",
                " https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com",
                " https://api.stripe.com",
            )
        } else {
            ("", "", "")
        };
        let photos_from = self
            .photos_from
            .as_deref()
            .map(|o| format!(" {o}"))
            .unwrap_or_default();
        format!(
            "default-src 'self'; \
             script-src 'self' 'nonce-{nonce}'{stripe_scripts}; \
             style-src 'self'; img-src 'self' data:{photos_from}; \
             connect-src 'self'{stripe_api}; \
             frame-src 'self'{stripe_frames}; \
             object-src 'none'; base-uri 'self'; form-action 'self'; \
             frame-ancestors 'none'"
        )
    }
}

/// Gives the request a fresh nonce (the page's renderer puts it on its scripts, see
/// `router::provide_page_context`) and sets the protective headers on the answer,
/// keeping any a handler set itself.
pub async fn protect(
    State(protection): State<Arc<Protection>>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    let policy = protection.content_security_policy(&nonce);
    let headers = res.headers_mut();
    let mut set = |name: HeaderName, value: HeaderValue| {
        headers.entry(name).or_insert(value);
    };
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        set(header::CONTENT_SECURITY_POLICY, policy);
    }
    set(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    set(
        header::REFERRER_POLICY,
        // Order and booking links carry their secret in the address: no other site
        // is told it (Stripe.js and links out to cooperatives' own sites included).
        HeaderValue::from_static("same-origin"),
    );
    set(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if protection.https {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_lets_in_scripts_with_the_nonce_and_stripe_only_when_cards_are_on() {
        let plain = Protection {
            stripe: false,
            https: false,
            photos_from: None,
        }
        .content_security_policy("abc123");
        assert!(plain.contains("script-src 'self' 'nonce-abc123';"));
        assert!(!plain.contains("unsafe-inline"), "{plain}");
        assert!(!plain.contains("stripe"), "{plain}");
        assert!(plain.ends_with("frame-ancestors 'none'"), "{plain}");
        let cards = Protection {
            stripe: true,
            https: true,
            photos_from: None,
        }
        .content_security_policy("abc123");
        assert!(cards.contains("https://js.stripe.com"), "{cards}");
        assert!(
            cards.contains("connect-src 'self' https://api.stripe.com;"),
            "{cards}"
        );
        assert!(cards.contains("img-src 'self' data:;"), "{cards}");
    }

    #[test]
    fn photos_from_a_cdn_are_let_in_by_its_origin() {
        let origin = origin_of("https://cdn.example.mx/tianguis/media");
        assert_eq!(origin.as_deref(), Some("https://cdn.example.mx"));
        assert_eq!(origin_of("/media"), None);
        let policy = Protection {
            stripe: false,
            https: true,
            photos_from: origin,
        }
        .content_security_policy("n");
        assert!(
            policy.contains("img-src 'self' data: https://cdn.example.mx;"),
            "{policy}"
        );
    }
}
