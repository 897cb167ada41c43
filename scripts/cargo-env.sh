# Sourced by the scripts that build and test: how `make test` builds its tests.
# `frontend` is the wasm entry point; it is built (and exercised) by the browser tests.
TEST_ARGS=(--workspace --exclude frontend)
