#!/usr/bin/env bash
# What the tests need beyond the build: PostgreSQL, Chromium and Playwright.
# Installs what is missing when run as root; otherwise says what to install and
# fails. Tests are never skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
root() { [ "$(id -u)" = 0 ]; }
apt_install() { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; }

PG_URL=${TIANGUIS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}

pg_up() { command -v psql >/dev/null && psql "$PG_URL" -Atqc 'select 1' >/dev/null 2>&1; }

if ! pg_up; then
  if root; then
    if ! command -v pg_ctlcluster >/dev/null; then
      say "installing PostgreSQL"
      apt_install postgresql
    fi
    version=$(ls /etc/postgresql | sort -n | tail -1)
    say "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    # Trust local TCP connections for the test user, as on the project's machines.
    hba=/etc/postgresql/$version/main/pg_hba.conf
    if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
      sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    fi
    for _ in $(seq 30); do pg_up && break; sleep 1; done
  fi
  pg_up || { echo "PostgreSQL is required at $PG_URL (set TIANGUIS_TEST_POSTGRES_URL), with trust auth: apt-get install postgresql"; exit 1; }
fi

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  if root; then
    say "installing Chromium"
    apt_install chromium
  else
    echo "Chromium is required for the browser tests: apt-get install chromium (or set CHROMIUM_PATH)"; exit 1
  fi
fi

if [ ! -d end2end/node_modules/@playwright/test ] || [ ! -d end2end/node_modules/axe-core ]; then
  say "installing Playwright (the library only; it drives Debian's Chromium) and axe-core"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix end2end --no-audit --no-fund --loglevel=error
fi

# Several servers behind a load balancer (the cluster test, scripts/cluster.sh):
# Debian's nginx, and a local S3-protocol server for photos — moto's server, from
# PyPI, in its own virtualenv under tools/s3.
if ! command -v nginx >/dev/null; then
  if root; then
    say "installing nginx"
    apt_install nginx
    # Debian's package starts the system's nginx on port 80; the tests run their own.
    (service nginx stop || pkill -x nginx || true) >/dev/null 2>&1
  else
    echo "nginx is required for the cluster test: apt-get install nginx"; exit 1
  fi
fi
MOTO_VERSION=5.2.5
if [ ! -x tools/s3/bin/moto_server ] || ! grep -qs "$MOTO_VERSION" tools/s3/version; then
  say "installing moto $MOTO_VERSION (a local S3 server) into tools/s3"
  python3 -m venv tools/s3
  tools/s3/bin/pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  echo "$MOTO_VERSION" > tools/s3/version
fi
