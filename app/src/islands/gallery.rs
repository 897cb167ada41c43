//! A listing's photos. Without JavaScript the thumbnails are links to the large
//! photo; with it, a tap swaps the main photo in place (no download of a new page).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GalleryPhoto {
    pub src: String,
    pub srcset: String,
    pub thumb: String,
    pub full: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

#[island]
pub fn Gallery(photos: Vec<GalleryPhoto>) -> impl IntoView {
    let (current, set_current) = signal(0usize);
    // Effects run only in the browser: this marks the island as live once hydrated.
    let (live, set_live) = signal(false);
    Effect::new(move |_| set_live.set(true));
    let photos = StoredValue::new(photos);
    let main = move || {
        photos.with_value(|ps| {
            ps.get(current.get()).cloned().map(|p| {
                view! {
                    <img
                        class="main-photo"
                        src=p.src
                        srcset=p.srcset
                        sizes="(min-width: 50em) 32em, 92vw"
                        width=p.width
                        height=p.height
                        alt=p.alt
                        decoding="async"
                    />
                }
            })
        })
    };
    let thumbs = photos.with_value(|ps| {
        ps.iter()
            .enumerate()
            .map(|(i, p)| {
                let pressed = move || (current.get() == i).to_string();
                view! {
                    <li>
                        <a
                            href=p.full.clone()
                            aria-pressed=pressed
                            on:click=move |ev| {
                                ev.prevent_default();
                                set_current.set(i);
                            }
                        >
                            <img src=p.thumb.clone() width=80 height=60 alt=p.alt.clone() loading="lazy" />
                        </a>
                    </li>
                }
            })
            .collect_view()
    });
    view! {
        <div class="gallery" data-photo=move || current.get() data-live=move || live.get().then_some("true")>
            {main}
            <ul class="thumbs">{thumbs}</ul>
        </div>
    }
}
