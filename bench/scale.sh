#!/usr/bin/env bash
# Pages at scale (issue 23): the server CPU per public page on SQLite with the demo's
# catalog, then with the catalog grown to 100,000 listings (`tianguis seed --demo
# --listings N`; SCALE_LISTINGS changes the number), and the ratio of the two — a
# page's cost must not depend on the size of the data. Prints; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
listings=${SCALE_LISTINGS:-100000}

measure() {
  local label=$1 size=$2
  (
    start=$SECONDS
    DEMO_LISTINGS=$size source scripts/demo-server.sh
    echo "$label: seeded in $((SECONDS - start)) s"
    python3 bench/pages.py "$BASE_URL" "$SERVER_PID" "$DEMO_DB" "$label"
  ) | tee "$work/$label.txt"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure demo ""
measure "$listings listings" "$listings"
printf '\nratio (%s listings / demo), CPU per page:\n' "$listings"
python3 - "$work/demo.txt" "$work/$listings listings.txt" <<'PY'
import re, sys
def cpu(path):
    return {m.group(1).strip(): float(m.group(2))
            for m in re.finditer(r"^  (.+?)\s+([\d.]+) ms CPU", open(path).read(), re.M)}
small, big = cpu(sys.argv[1]), cpu(sys.argv[2])
for page, ms in small.items():
    ratio = f"{big[page] / ms:5.1f}x" if ms > 0 else "    -"
    print(f"  {page:30} {ratio}  ({ms:.2f} -> {big[page]:.2f} ms)")
PY
