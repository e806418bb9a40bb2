#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine fully and runs the whole test suite
# against the real Whisper model, real speech and a real LLM server:
#   scripts/setup.sh (what the main job needs), then the test-only parts —
#   the sample speech (scripts/fetch-test-data.sh) and the LLM server with a
#   small model (scripts/setup-llm.sh; ~20 min once on 2 cores, cached) —
#   then fmt, clippy, the tests, and the check that re-running setup.sh
#   changes nothing (tests/setup_rerun.rs, ignored by a plain `cargo test`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

. scripts/steps.sh
step "test data: sample speech" bash scripts/fetch-test-data.sh
step "test LLM server and model" bash scripts/setup-llm.sh
step "cargo fmt --check" cargo fmt --check
step "clippy" cargo clippy --release --locked --all-targets -q -- -D warnings
# Release profile: the same build setup.sh made, so whisper.cpp compiles once.
step "tests" cargo test --release --locked
step "setup.sh re-run changes nothing" \
  cargo test --release --locked --test setup_rerun -- --ignored --nocapture
steps_done
