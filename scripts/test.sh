#!/usr/bin/env bash
# `make test`: sets everything up, builds, then runs every test — unit and integration
# tests (the real server on port 0, over a fresh SQLite file and a fresh PostgreSQL
# database), then the browser tests — and prints how long each phase took and how many
# tests ran. Stops at the first phase that fails, after printing what it has.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/cargo-env.sh

log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT
phases=()
passed=0 failed=0 ignored=0

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Prints the phases timed so far and the tests counted, in one table.
summary() {
  printf '\n\033[1m==> make test: time per phase\033[0m\n'
  local total=0
  for row in "${phases[@]}"; do
    local name=${row%%|*} secs=${row##*|}
    total=$((total + secs))
    printf '  %-28s %4d:%02d\n' "$name" $((secs / 60)) $((secs % 60))
  done
  printf '  %-28s %4d:%02d\n' "total" $((total / 60)) $((total % 60))
  printf '\ntests: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$ignored"
}

# `phase NAME COMMAND…`: runs COMMAND, records its time; on failure, prints the summary
# and stops with COMMAND's exit code.
phase() {
  local name=$1
  shift
  say "$name"
  local start=$SECONDS
  "$@"
  local status=$?
  phases+=("$name|$((SECONDS - start))")
  if [ $status -ne 0 ]; then
    summary
    printf '\033[1m==> %s failed (exit %d)\033[0m\n' "$name" "$status"
    exit $status
  fi
}

# Adds up cargo's `test result:` lines and Playwright's closing lines in a log.
count() {
  local log=$1
  read -r p f i < <(sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
    /^test result:/ { for (n = 1; n <= NF; n++) {
        if ($(n+1) ~ /^passed/) p += $n; if ($(n+1) ~ /^failed/) f += $n; if ($(n+1) ~ /^ignored/) i += $n } }
    /^ *[0-9]+ passed \(/ { p += $1 }
    /^ *[0-9]+ failed$/ { f += $1 }
    /^ *[0-9]+ (skipped|flaky)$/ { i += $1 }
    END { print p + 0, f + 0, i + 0 }')
  passed=$((passed + p)) failed=$((failed + f)) ignored=$((ignored + i))
}

# Runs COMMAND with its output shown and kept in LOG.
logged() {
  local log=$1
  shift
  "$@" 2>&1 | tee "$log"
}

# Every test binary runs even when one fails (cargo stops at the first failing binary
# otherwise, and a photo test's failure once hid whether the 357 API tests passed).
run_tests() {
  logged "$log_dir/cargo.log" cargo test "${TEST_ARGS[@]}" --no-fail-fast
  local status=$?
  count "$log_dir/cargo.log"
  return $status
}

# The browser tests drive the server binary the test build made (target/debug, the same
# code as the release build, compiled once instead of twice) over the release build of
# the site's wasm, JS and CSS; the hash file names those files' content-hashed names.
run_browser_tests() {
  cp target/release/hash.txt target/debug/hash.txt
  TIANGUIS_BIN=target/debug/tianguis logged "$log_dir/e2e.log" scripts/e2e.sh
  local status=$?
  count "$log_dir/e2e.log"
  return $status
}

phase "setup" scripts/setup.sh
phase "setup for tests" scripts/setup-test.sh
phase "site build (wasm, CSS)" cargo leptos build --release --precompress --frontend-only
phase "test build (with server)" cargo test "${TEST_ARGS[@]}" --no-run
phase "unit + integration run" run_tests
phase "browser run" run_browser_tests
summary
[ "$failed" -eq 0 ]
