//! `<title>`, meta description and Open Graph tags for a page.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

#[component]
pub fn Seo(
    title: String,
    description: String,
    /// Absolute path of the page, without the query string.
    path: String,
    #[prop(default = None)] image: Option<String>,
) -> impl IntoView {
    let lang = crate::lang::use_lang();
    let og_locale = match lang {
        domain::Lang::Es => "es_MX",
        domain::Lang::En => "en_US",
    };
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:site_name" content="Tianguis" />
        <Meta property="og:type" content="website" />
        <Meta property="og:title" content=title />
        <Meta property="og:description" content=description />
        <Meta property="og:url" content=path.clone() />
        <Meta property="og:locale" content=og_locale />
        {image.map(|src| view! { <Meta property="og:image" content=src /> })}
        <Link rel="alternate" hreflang="es" href=format!("{path}?lang=es") />
        <Link rel="alternate" hreflang="en" href=format!("{path}?lang=en") />
    }
}
