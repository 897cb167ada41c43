#!/usr/bin/env bash
# The site as several servers, as a platform runs it: `scripts/cluster.sh [N]` starts
# N `tianguis serve` (3 by default) behind nginx on one PostgreSQL, with photos in a
# local S3 server (moto), and serves the demo at http://127.0.0.1:8080 until Ctrl-C.
# The cluster test (server/tests/api/cluster.rs) starts the same pieces
# (scripts/s3-server.sh, scripts/load-balancer.sh) and kills servers under load.
#
#   DATABASE_URL   default postgres://postgres@127.0.0.1:5432/tianguis_cluster (made
#                  if missing; the demo is loaded into it once)
#   TIANGUIS_BIN   default target/release/tianguis (make build)
#   CLUSTER_PORT   nginx's port, 8080; the servers take the next N ports, moto +100
#
# moto keeps its bucket in memory: photos uploaded here last until Ctrl-C (the demo's
# are copied in again at each start). Emails wait in the outbox unless SMTP_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
bin=${TIANGUIS_BIN:-target/release/tianguis}
[ -x "$bin" ] || { echo "build first: make build (or set TIANGUIS_BIN)"; exit 1; }
scripts/setup-test.sh

lb_port=${CLUSTER_PORT:-8080}
s3_port=$((lb_port + 100))
db=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tianguis_cluster}
admin="${db%/*}/postgres"
name="${db##*/}"
if [ "$(psql "$admin" -Atqc "select 1 from pg_database where datname = '$name'")" != 1 ]; then
  psql "$admin" -qc "create database \"$name\""
fi

pids=()
stop() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT
trap 'exit 0' INT TERM

scripts/s3-server.sh "$s3_port" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -fs -X PUT "http://127.0.0.1:$s3_port/tianguis-photos" >/dev/null && break
  sleep 0.2
done

export DATABASE_URL=$db TIANGUIS_MEDIA_URL=s3://tianguis-photos/media \
  AWS_ENDPOINT_URL="http://127.0.0.1:$s3_port" AWS_ALLOW_HTTP=true AWS_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=cluster AWS_SECRET_ACCESS_KEY=cluster \
  TIANGUIS_TRUSTED_PROXIES=127.0.0.1 TIANGUIS_PUBLIC_URL="http://127.0.0.1:$lb_port" \
  TIANGUIS_PAYMENTS=${TIANGUIS_PAYMENTS:-simulated} RUST_LOG=${RUST_LOG:-warn}
"$bin" migrate
"$bin" seed --demo

addresses=()
for i in $(seq 1 "$n"); do
  port=$((lb_port + i))
  TIANGUIS_ADDR="127.0.0.1:$port" "$bin" serve &
  pids+=($!)
  addresses+=("127.0.0.1:$port")
done
scripts/load-balancer.sh "$lb_port" "${addresses[@]}" &
pids+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$lb_port/healthz" >/dev/null && break; sleep 0.2; done
printf '\033[1m==> http://127.0.0.1:%s — %s servers (%s) behind nginx, photos in s3://tianguis-photos\033[0m\n' \
  "$lb_port" "$n" "${addresses[*]}"
wait
