//! The wasm entry point. Pages are rendered on the server; this only wakes up the
//! islands on pages that have one.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Name the islands so the `app` crate (and their hydration exports) is linked in.
    let _islands = [app::islands::gallery::Gallery as fn(_) -> _];
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
