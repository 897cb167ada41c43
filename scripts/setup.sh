#!/usr/bin/env bash
# Installs what building Tianguis needs, idempotently: the wasm32 target, the pinned
# cargo-leptos and wasm-bindgen CLI, and wasm-opt (from npm). Each step is skipped
# when already done, so a second run takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.9
# Must match the `wasm-bindgen = "=…"` pin in Cargo.toml.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

command -v cargo >/dev/null || { echo "Rust is required: install it with rustup (https://rustup.rs)"; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (compiles once, ~15 min)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (~4 min)"
  # Not --locked: its lock file names a yanked crate.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    say "installing Node.js and npm"
    apt-get update -qq && apt-get install -y -qq nodejs npm
  else
    echo "npm is required for wasm-opt: install Node.js (apt-get install nodejs npm)"; exit 1
  fi
fi

if [ ! -x tools/node_modules/.bin/wasm-opt ]; then
  say "installing wasm-opt (binaryen) from npm"
  npm install --prefix tools --no-audit --no-fund --loglevel=error
fi
