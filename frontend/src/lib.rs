//! The wasm entry point for Leptos islands. No page has an island now (the photo
//! gallery is plain HTML, CSS and JS: `app::components::gallery`), so no page loads
//! this; an island added to `app` is named here so that its hydration code is linked.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
