//! Photos as sized WebP: the browser picks the smallest rendition that fits.

use domain::{Lang, catalog::PhotoRef};
use leptos::prelude::*;

/// `sizes` tells the browser how wide the image will be shown.
pub fn picture(
    photo: &PhotoRef,
    lang: Lang,
    sizes: &'static str,
    eager: bool,
) -> impl IntoView + use<> {
    let alt = super::text::plain(&photo.alt, lang);
    view! {
        <img
            src=photo.url(640)
            srcset=photo.srcset()
            sizes=sizes
            width=640
            height=photo.height_at(640)
            alt=alt
            loading=if eager { "eager" } else { "lazy" }
            decoding="async"
        />
    }
}

/// A person's profile photo, small and round, next to their name.
pub fn avatar(photo: &PhotoRef, lang: Lang) -> impl IntoView + use<> {
    view! { <span class="avatar">{picture(photo, lang, "96px", false)}</span> }
}
