#!/usr/bin/env bash
# Pages at scale (issue 23): the server CPU and the database statements per public
# page with the demo's data, then with the catalog grown to 100,000 listings
# (`tianguis seed --demo --listings N`; SCALE_LISTINGS changes the number) and the
# ledger to 1,000,000 postings (`--postings N`, three years of orders through the
# store's own operations; SCALE_POSTINGS), and the ratio of the two — a page's cost
# must not depend on the size of the data. On SQLite, then on PostgreSQL
# (SCALE_BACKENDS="sqlite" for one). Prints; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
listings=${SCALE_LISTINGS:-100000}
postings=${SCALE_POSTINGS:-1000000}
backends=${SCALE_BACKENDS:-sqlite postgres}
PG=${TIANGUIS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
# Each answer says how many statements it took (x-queries), for pages.py.
export TIANGUIS_COUNT_QUERIES=yes

work=$(mktemp -d)
databases=()
cleanup() {
  for name in "${databases[@]}"; do psql "$PG" -qc "drop database if exists $name with (force)" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# measure BACKEND LABEL [LISTINGS POSTINGS]
measure() {
  local backend=$1 label=$2 size=${3:-} ledger=${4:-} url=""
  if [ "$backend" = postgres ]; then
    local name="tianguis_scale_$$_${#databases[@]}"
    databases+=("$name")
    psql "$PG" -qc "create database $name"
    url="${PG%/*}/$name"
  fi
  (
    start=$SECONDS
    DEMO_DATABASE_URL=$url DEMO_LISTINGS=$size DEMO_POSTINGS=$ledger source scripts/demo-server.sh
    echo "$backend, $label: seeded in $((SECONDS - start)) s"
    python3 bench/pages.py "$BASE_URL" "$SERVER_PID" "$DEMO_DB" "$backend, $label"
  ) | tee "$work/$backend-$label.txt"
}

for backend in $backends; do
  measure "$backend" demo
  measure "$backend" "$listings listings, $postings postings" "$listings" "$postings"
  printf '\n%s: ratio (%s listings and %s postings / demo), CPU per page:\n' "$backend" "$listings" "$postings"
  python3 - "$work/$backend-demo.txt" "$work/$backend-$listings listings, $postings postings.txt" <<'PY'
import re, sys
def read(path):
    return {m.group(1).strip(): (float(m.group(2)), m.group(3))
            for m in re.finditer(r"^  (.+?)\s+([\d.]+) ms CPU.*?(?:(\d+) queries)?$", open(path).read(), re.M)}
small, big = read(sys.argv[1]), read(sys.argv[2])
for page, (ms, queries) in small.items():
    big_ms, big_queries = big[page]
    ratio = f"{big_ms / ms:5.1f}x" if ms > 0 else "    -"
    print(f"  {page:30} {ratio}  ({ms:.2f} -> {big_ms:.2f} ms; {queries} -> {big_queries} queries)")
PY
done
