#!/usr/bin/env bash
# Booking holds and catalog pages on PostgreSQL, through one server and through two
# behind nginx (issue 22, for docs/SCALING.md). The release build on a fresh
# PostgreSQL database with the demo; one date of the demo tour is given places
# without end, so every hold is a real one on a hot row. wrk (2 threads, 16
# connections, 10 s) posts one-place holds, then asks for /crafts. For each run it
# prints requests per second, the holds the database then has, and the CPU the
# servers and PostgreSQL spent per request — from which per-core capacity follows.
# Everything shares this machine's cores (wrk, nginx, PostgreSQL, the servers), so the
# CPU per request is the number to carry to bigger machines. Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${TIANGUIS_BIN:-target/release/tianguis}
[ -x "$BIN" ] || { echo "build first: make build"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
scripts/setup-test.sh >/dev/null

PG=${TIANGUIS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
name=tianguis_bench_holds_$$
db="${PG%/*}/$name"
work=$(mktemp -d)
pids=()
cleanup() {
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  psql "$PG" -qc "drop database if exists $name with (force)" || true
  rm -rf "$work"
}
trap cleanup EXIT
psql "$PG" -qc "create database $name"

export DATABASE_URL=$db TIANGUIS_MEDIA_DIR=$work/media RUST_LOG=warn TIANGUIS_PAYMENTS=simulated \
  TIANGUIS_LIMIT_PER_EMAIL_HOUR=100000 TIANGUIS_LIMIT_PER_ADDRESS_HOUR=100000 \
  TIANGUIS_TRUSTED_PROXIES=127.0.0.1
# The demo's photos, from the cache scripts/demo-server.sh keeps, if it has them.
cache=$(ls -d target/demo-photos/*/ 2>/dev/null | head -1 || true)
if [ -n "$cache" ]; then mkdir -p "$TIANGUIS_MEDIA_DIR" && cp -R "$cache." "$TIANGUIS_MEDIA_DIR/"; fi
"$BIN" seed --demo >/dev/null
slot=$(psql "$db" -Atqc "select s.id from tour_slot s join listing l on l.id = s.listing_id
  where l.slug = 'taller-de-tintes-naturales-teotitlan' and s.starts_at > now() + interval '3 days'
  order by s.starts_at limit 1")
psql "$db" -qc "update tour_slot set capacity = 100000000 where id = $slot"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ready() { for _ in $(seq 100); do curl -fs "$1/healthz" >/dev/null && return 0; sleep 0.1; done; echo "$1 did not start"; exit 1; }
server_pids=()
start_server() {
  local port
  port=$(free_port)
  TIANGUIS_ADDR="127.0.0.1:$port" "$BIN" serve >"$work/server-$port.log" 2>&1 &
  pids+=($!)
  server_pids+=($!)
  ready "http://127.0.0.1:$port"
  started="127.0.0.1:$port"
}
# CPU seconds (user + system) of the given processes.
cpu_of() { for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null; done |
  awk -v hz="$(getconf CLK_TCK)" '{ s += $14 + $15 } END { printf "%.2f", s / hz }'; }
postgres_pids() { pgrep -x postgres | tr '\n' ' '; }

cat > "$work/hold.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "name=Ana+L%C3%B3pez&email=ana%40example.mx&count_adult=1"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA

holds() { psql "$db" -Atqc "select count(*) from booking where slot_id = $slot"; }

# measure LABEL URL [wrk args…]: requests per second, and CPU per request.
measure() {
  local label=$1 url=$2
  shift 2
  local before_holds s0 p0 out rps s1 p1 n
  before_holds=$(holds)
  s0=$(cpu_of "${server_pids[@]}")
  p0=$(cpu_of $(postgres_pids))
  out=$(wrk -t2 -c16 -d10s "$@" "$url")
  s1=$(cpu_of "${server_pids[@]}")
  p1=$(cpu_of $(postgres_pids))
  rps=$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")
  n=$(awk '/requests in/ { print $1 }' <<<"$out")
  local bad
  bad=$(awk '/Non-2xx or 3xx/ { print $5 }' <<<"$out")
  printf '  %-44s %8.0f req/s   servers %5.2f ms CPU/req   PostgreSQL %5.2f ms CPU/req' \
    "$label" "$rps" "$(echo "($s1 - $s0) * 1000 / $n" | bc -l)" "$(echo "($p1 - $p0) * 1000 / $n" | bc -l)"
  if [[ $url == */book ]]; then printf '   holds made: %d' $(($(holds) - before_holds)); fi
  [ -n "$bad" ] && printf '   (%s answers not 2xx/3xx)' "$bad"
  printf '\n'
}

start_server
one=$started
printf '==> PostgreSQL, one server (%s)\n' "$one"
measure "booking holds (POST /slots/$slot/book)" "http://$one/slots/$slot/book" -s "$work/hold.lua"
measure "catalog page (GET /crafts, as a browser asks)" "http://$one/crafts" -H "Accept-Encoding: gzip, deflate, br"

start_server
two=$started
lb_port=$(free_port)
scripts/load-balancer.sh "$lb_port" "$one" "$two" &
pids+=($!)
ready "http://127.0.0.1:$lb_port"
printf '==> PostgreSQL, two servers behind nginx (%s, %s)\n' "$one" "$two"
measure "booking holds (POST /slots/$slot/book)" "http://127.0.0.1:$lb_port/slots/$slot/book" -s "$work/hold.lua"
measure "catalog page (GET /crafts, as a browser asks)" "http://127.0.0.1:$lb_port/crafts" -H "Accept-Encoding: gzip, deflate, br"
