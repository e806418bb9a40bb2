#!/usr/bin/env bash
# Fuzzes the session reader with cargo fuzz (libFuzzer; needs a nightly
# toolchain: `rustup toolchain install nightly`). The corpus lives in
# tests/fuzz_corpus/session_reader (seeds + what fuzzing found, minimised),
# and tests/session_reader_corpus.rs replays it on every `cargo test`.
#   bash scripts/fuzz.sh [SECONDS]      (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-300}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
corpus=tests/fuzz_corpus/session_reader
work="${CARGO_TARGET_DIR:-fuzz/target}/corpus-work"
mkdir -p "$work"
cp -n "$corpus"/* "$work"/ 2>/dev/null || true
cargo +nightly fuzz run session_reader "$work" -- \
  -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=4096
# Keep a minimal corpus that covers what the run reached.
cargo +nightly fuzz cmin session_reader "$work" -- -max_len=65536
echo "corpus: $(ls "$work" | wc -l) files after minimising in $work (copy new ones to $corpus to keep them)"
