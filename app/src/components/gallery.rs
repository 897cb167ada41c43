//! A listing's photos without wasm: a strip that scrolls sideways (a swipe on a phone)
//! and snaps to each photo, with thumbnails that are links to each (`#photo-2`). Only
//! the first photo is fetched with the page; the others when scrolled near. With
//! JavaScript, `/gallery.js` scrolls the strip alone (not the page) and marks the
//! thumbnail of the photo in view.

use crate::tr;
use domain::{Lang, catalog::PhotoRef};
use leptos::prelude::*;

/// How wide the photo is shown: the page's column on a desktop, the screen on a phone.
const SIZES: &str = "(min-width: 50em) 36rem, 94vw";

pub fn gallery(photos: &[PhotoRef], lang: Lang) -> impl IntoView + use<> {
    let total = photos.len();
    let strip = photos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            view! {
                <li id=format!("photo-{}", i + 1)>
                    // Only the first is fetched with the page.
                    {super::photo::picture(p, lang, SIZES, i == 0)}
                </li>
            }
        })
        .collect_view();
    let thumbs = (total > 1).then(|| {
        let links = photos
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let n = i + 1;
                view! {
                    <li>
                        <a
                            href=format!("#photo-{n}")
                            aria-label=tr!(lang, photo_n_of, n = n, total = total)
                            aria-current=(i == 0).then_some("true")
                        >
                            <img src=p.url(320) width=80 height=p.height_at(80) alt="" loading="lazy" />
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <ul class="thumbs">{links}</ul>
            <script src="/gallery.js" defer nonce=leptos::nonce::use_nonce()></script>
        }
    });
    // A strip that scrolls is reachable by keyboard (its arrows scroll it).
    let scrolls = total > 1;
    view! {
        <div class="gallery">
            <div
                class="photo-strip"
                role=scrolls.then_some("region")
                aria-label=scrolls.then(|| tr!(lang, photos))
                tabindex=scrolls.then_some("0")
            >
                <ul>{strip}</ul>
            </div>
            {thumbs}
        </div>
    }
}
