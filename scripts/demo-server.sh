# Sourced by scripts/e2e.sh and bench/run.sh: starts the server (the release build, or
# TIANGUIS_BIN) on a free port over a fresh SQLite database with the demo catalog, stops
# it on exit, and sets BASE_URL, SERVER_PID and DEMO_DB (the database's URL). With
# DEMO_DATABASE_URL (an empty PostgreSQL database, say) the demo goes there instead.
BIN=${TIANGUIS_BIN:-target/release/tianguis}
[ -x "$BIN" ] || { echo "build first: make build"; exit 1; }

demo_work=$(mktemp -d)
demo_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL="${DEMO_DATABASE_URL:-sqlite://$demo_work/demo.db}" TIANGUIS_MEDIA_DIR="$demo_work/media" \
  TIANGUIS_ADDR="127.0.0.1:$demo_port" RUST_LOG=warn TIANGUIS_PAYMENTS=simulated
# The demo photos are drawn pixel by pixel: a minute in the debug build. They depend only
# on the drawing code, the catalog and the widths, so they are kept, by those files' hash, in a
# cache that later runs copy from.
photo_cache=target/demo-photos/$({ cat server/src/demo/photos.rs server/demo/catalog.json; grep "PHOTO_WIDTHS:" domain/src/catalog/mod.rs; } | sha256sum | cut -c1-16)
if [ -d "$photo_cache" ]; then mkdir -p "$TIANGUIS_MEDIA_DIR" && cp -R "$photo_cache/." "$TIANGUIS_MEDIA_DIR/"; fi
# DEMO_LISTINGS grows the catalog to that many listings (bench/scale.sh).
"$BIN" seed --demo ${DEMO_LISTINGS:+--listings "$DEMO_LISTINGS"} ${DEMO_POSTINGS:+--postings "$DEMO_POSTINGS"} >/dev/null
if [ ! -d "$photo_cache" ]; then
  rm -rf target/demo-photos && mkdir -p "$photo_cache" && cp -R "$TIANGUIS_MEDIA_DIR/." "$photo_cache/"
fi
"$BIN" serve > "$demo_work/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true; rm -rf "$demo_work"' EXIT
BASE_URL="http://127.0.0.1:$demo_port"
for _ in $(seq 50); do curl -fs "$BASE_URL/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "$BASE_URL/healthz" >/dev/null || { echo "the server did not start:"; cat "$demo_work/server.log"; exit 1; }
DEMO_DB=$DATABASE_URL
export BASE_URL SERVER_PID DEMO_DB
