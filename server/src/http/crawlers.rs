//! What search engines and browsers ask every site for by name: `/robots.txt` (the
//! public pages may be crawled; accounts, dashboards, carts, orders and bookings may
//! not), `/sitemap.xml` (an index of `/sitemaps/pages.xml` and
//! `/sitemaps/listings-{n}.xml`: every public page in both languages, each naming the
//! other with hreflang) and `/favicon.ico` (the SVG icon is the site's one icon).

use super::answer::Stop;
use super::router::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Lang;
use http::header;
use store::catalog::sitemap;

/// The paths no crawler has business in: they are a person's own, or forms.
const PRIVATE: &[&str] = &[
    "/account",
    "/admin",
    "/api/",
    "/bookings/",
    "/calendar/",
    "/cart",
    "/checkout",
    "/coop/",
    "/dashboard",
    "/forgot-password",
    "/invitations/",
    "/order-links",
    "/orders/",
    "/reset-password",
    "/sign-in",
    "/sign-up",
    "/verify-email",
];

pub async fn robots(State(state): State<AppState>) -> Response {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    for path in PRIVATE {
        text.push_str(&format!("Disallow: {path}\n"));
    }
    text.push_str(&format!("Sitemap: {}/sitemap.xml\n", base(&state)));
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        text,
    )
        .into_response()
}

/// Browsers ask for `/favicon.ico` on their own: the SVG icon answers.
pub async fn favicon() -> Redirect {
    Redirect::permanent("/favicon.svg")
}

fn base(state: &AppState) -> &str {
    state.public_url.trim_end_matches('/')
}

fn xml(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// The index: the file of pages, and one file per [`sitemap::LISTINGS_PER_FILE`] listings.
pub async fn sitemap_index(State(state): State<AppState>) -> Result<Response, Stop> {
    let files = sitemap::listing_files(&state.db).await?;
    let base = base(&state);
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let names = std::iter::once("pages.xml".to_owned())
        .chain((0..files).map(|n| format!("listings-{n}.xml")));
    for name in names {
        body.push_str(&format!(
            "<sitemap><loc>{base}/sitemaps/{name}</loc></sitemap>\n"
        ));
    }
    body.push_str("</sitemapindex>\n");
    Ok(xml(body))
}

/// `pages.xml` or `listings-{n}.xml`: each page in Spanish and in English.
pub async fn sitemap_file(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, Stop> {
    let paths = match name.as_str() {
        "pages.xml" => sitemap::pages(&state.db).await?,
        other => {
            let n = other
                .strip_prefix("listings-")
                .and_then(|n| n.strip_suffix(".xml"))
                .and_then(|n| n.parse::<u64>().ok())
                .ok_or(Stop::NotFound)?;
            if n >= sitemap::listing_files(&state.db).await? {
                return Err(Stop::NotFound);
            }
            sitemap::listings(&state.db, n).await?
        }
    };
    let base = base(&state);
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for path in &paths {
        let page = format!("{base}{}", escaped(path));
        let alternates: String = [Lang::Es, Lang::En]
            .iter()
            .map(|l| {
                format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{0}\" href=\"{page}?lang={0}\"/>",
                    l.code()
                )
            })
            .collect();
        for lang in [Lang::Es, Lang::En] {
            body.push_str(&format!(
                "<url><loc>{page}?lang={}</loc>{alternates}</url>\n",
                lang.code()
            ));
        }
    }
    body.push_str("</urlset>\n");
    Ok(xml(body))
}

/// A path as XML text (slugs are plain, but nothing is assumed).
fn escaped(path: &str) -> String {
    path.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
