#!/usr/bin/env bash
# Measures the budgets on the release build, over a fresh SQLite database with the
# demo catalog: first-visit bytes per page (compressed, photos excluded), server CPU
# per page, requests per second at 16 connections, and the server's memory.
# Prints numbers; asserts nothing (budgets are read by people, not by tests).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=target/release/tianguis
[ -x "$BIN" ] || { echo "build first: make build"; exit 1; }
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null;
  else echo "wrk is required: apt-get install wrk"; exit 1; fi
fi

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/bench.db" TIANGUIS_MEDIA_DIR="$work/media" TIANGUIS_ADDR="127.0.0.1:$port" RUST_LOG=warn
"$BIN" seed --demo >/dev/null
"$BIN" serve > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

python3 bench/measure.py "http://127.0.0.1:$port" "$server"
