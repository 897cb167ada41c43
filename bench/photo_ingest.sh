#!/usr/bin/env bash
# Times `photos::ingest` on a 12-megapixel JPEG made on the spot (release build): source
# size, time per ingest (min/median of 3), peak resident memory, and the size of every
# derivative. Prints numbers; asserts nothing. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release --quiet -p photos --example ingest_bench
