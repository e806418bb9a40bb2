#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (scripts/setup.sh) and runs the whole test
# suite against the real Whisper model and real speech.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

cargo fmt --check
cargo clippy --release --locked --all-targets -q -- -D warnings
# Release profile: the same build setup.sh made, so whisper.cpp compiles once.
cargo test --release --locked
