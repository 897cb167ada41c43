#!/usr/bin/env bash
# Browser tests: the release build (or the server named by TIANGUIS_BIN, as `make test`
# does), on a fresh SQLite database with the demo catalog, driven by Playwright in
# Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/demo-server.sh

printf '\033[1m==> browser tests (Chromium)\033[0m\n'
npx --prefix end2end playwright test --config end2end/playwright.config.ts
