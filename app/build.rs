//! Generates the `i18n` module from `locales/*.json` (Spanish first, then English).
//! Adding a language is adding a locale file and one `add_locale` line here.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Strings with {{ values }} are rendered on the server as plain text.
    let cfg = Config::new("es")?
        .add_locale("en")?
        .parse_options(ParseOptions::new().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.rerun_if_locales_changed();
    infos.emit_diagnostics();
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("i18n");
    infos.generate_i18n_module(out)?;
    Ok(())
}
