//! The interactive parts. Each island gets plain, already-translated props, so the
//! wasm carries neither translations nor the domain crate.

pub mod gallery;
