#!/usr/bin/env bash
# Browser tests: the release build, on a fresh SQLite database with the demo
# catalog, driven by Playwright in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=target/release/tianguis
[ -x "$BIN" ] || { echo "build first: make build"; exit 1; }

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/e2e.db" TIANGUIS_MEDIA_DIR="$work/media" TIANGUIS_ADDR="127.0.0.1:$port" RUST_LOG=warn
"$BIN" seed --demo >/dev/null
"$BIN" serve > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

printf '\033[1m==> browser tests (Chromium)\033[0m\n'
BASE_URL="http://127.0.0.1:$port" npx --prefix end2end playwright test --config end2end/playwright.config.ts
