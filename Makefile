# The two commands of the contract: `make run` and `make test`. Both set everything
# up on a fresh machine first (see scripts/setup*.sh); every step is idempotent.
SHELL := /bin/bash
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

BIN := target/release/tianguis

.PHONY: run test setup setup-test build unit e2e bench fmt lint clean-data

## Set up, build, migrate, load the demo catalog if the database is empty, serve on :3000.
## Payments are simulated (every page says so) unless Stripe's keys are set, in the
## environment or in .env.
run: setup build
	$(BIN) migrate
	$(BIN) seed --demo
	@if [ -z "$$STRIPE_SECRET_KEY" ] && ! grep -qs '^ *STRIPE_SECRET_KEY=' .env; then \
	  export TIANGUIS_PAYMENTS=$${TIANGUIS_PAYMENTS:-simulated}; fi; \
	$(BIN) serve

## Set up, build, then run every test: unit, integration (SQLite and PostgreSQL), browser;
## prints the time of each phase and how many tests ran.
test:
	scripts/test.sh

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup-test.sh

## Release build of the server and the wasm islands (cargo-leptos); the built assets
## are also written brotli'd and gzipped, so the server need not compress them.
build:
	cargo leptos build --release --precompress

unit:
	source scripts/cargo-env.sh && cargo test "$${TEST_ARGS[@]}"

e2e: setup setup-test build
	scripts/e2e.sh

## Budget checks: bytes per first visit, server CPU per page, throughput and memory.
bench: setup build
	bench/run.sh

fmt:
	cargo fmt --all

lint:
	python3 scripts/check-contexts.py
	cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

clean-data:
	rm -rf data
