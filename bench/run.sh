#!/usr/bin/env bash
# Measures the budgets on the release build, over a fresh SQLite database with the
# demo catalog: first-visit bytes per page (compressed, photos excluded), server CPU
# per page, requests per second at 16 connections, the server's memory, and the time
# and memory to ingest a 12-megapixel photo; the CPU of the largest form and memory
# under a minute of junk posts; then booking holds and catalog pages per second on
# PostgreSQL through one server and through two behind nginx (bench/holds.sh).
# Prints numbers; asserts nothing (budgets are read by people, not by tests).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null;
  else echo "wrk is required: apt-get install wrk"; exit 1; fi
fi
source scripts/demo-server.sh
python3 bench/measure.py "$BASE_URL" "$SERVER_PID"

printf '\n==> photo ingest (12-megapixel JPEG)\n'
bench/photo_ingest.sh

printf '\n==> booking holds and catalog pages on PostgreSQL: one server, two behind nginx\n'
bench/holds.sh

printf '\n==> public pages at 100,000 listings on SQLite, against the demo-size catalog\n'
bench/scale.sh
