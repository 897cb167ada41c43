#!/usr/bin/env bash
# A local S3-protocol server, for the tests and scripts/cluster.sh: moto's server
# (installed into tools/s3 by scripts/setup-test.sh). `scripts/s3-server.sh PORT`
# serves at 127.0.0.1:PORT until it is stopped; it keeps everything in memory.
# Any S3 client works with it: endpoint http://127.0.0.1:PORT, any key and secret.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:?usage: scripts/s3-server.sh PORT}
if [ ! -x tools/s3/bin/moto_server ]; then
  echo "moto is not installed: run scripts/setup-test.sh (or make test)" >&2
  exit 1
fi
exec tools/s3/bin/moto_server -H 127.0.0.1 -p "$port"
