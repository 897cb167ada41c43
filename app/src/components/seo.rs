//! `<title>`, meta description, the canonical address and Open Graph and Twitter card
//! tags for a page. Every address in them is absolute (previewers and search engines
//! read them without the page's own address), built from the site's public URL.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// `path` (or a media path) on the site's public address.
pub fn absolute(path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        return path.to_owned();
    }
    let base = use_context::<crate::PublicUrl>()
        .map(|u| u.0.trim_end_matches('/').to_owned())
        .unwrap_or_default();
    format!("{base}{path}")
}

/// The site's own preview picture (`public/og-card.jpg`): its logo, name and promise.
const SITE_CARD: &str = "/og-card.jpg";

#[component]
pub fn Seo(
    title: String,
    description: String,
    /// Absolute path of the page, without the query string.
    path: String,
    /// A photo of the page (its path under `/media`): a JPEG, as previewers read.
    #[prop(default = None)]
    image: Option<String>,
) -> impl IntoView {
    let lang = crate::lang::use_lang();
    let og_locale = match lang {
        domain::Lang::Es => "es_MX",
        domain::Lang::En => "en_US",
    };
    let page = absolute(&path);
    let in_lang = |l: domain::Lang| format!("{page}?lang={}", l.code());
    let canonical = in_lang(lang);
    // A page without a photo of its own is shown with the site's card (1200×630).
    let image = absolute(image.as_deref().unwrap_or(SITE_CARD));
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=canonical.clone() />
        <Meta property="og:site_name" content="Tianguis" />
        <Meta property="og:type" content="website" />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta property="og:url" content=canonical />
        <Meta property="og:locale" content=og_locale />
        <Meta property="og:image" content=image.clone() />
        <Meta name="twitter:image" content=image />
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=title />
        <Meta name="twitter:description" content=description />
        <Link rel="alternate" hreflang="es" href=in_lang(domain::Lang::Es) />
        <Link rel="alternate" hreflang="en" href=in_lang(domain::Lang::En) />
        <Link rel="alternate" hreflang="x-default" href=page />
    }
}
