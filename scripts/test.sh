#!/usr/bin/env bash
# Every test: unit and integration tests (the real server on port 0, over a fresh
# SQLite file and a fresh PostgreSQL database), then the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

printf '\033[1m==> unit and integration tests\033[0m\n'
# `frontend` is the wasm entry point; it is built (and exercised) by the browser tests.
cargo test --workspace --exclude frontend

scripts/e2e.sh
