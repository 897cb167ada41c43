//! The wasm entry point. Pages are rendered on the server; this only wakes up the
//! islands on pages that have one.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Keep `app`'s islands linked into the wasm.
    #[allow(unused_imports)]
    use app::islands::*;
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
