#!/usr/bin/env bash
# Installs the Silero VAD model for `cargo bench --bench vad` (the measurement
# behind the choice of voice activity detector; mockint itself uses WebRTC's
# VAD and does not need it): the 16 kHz ONNX graph from the PyPI wheel
# `silero-vad` (MIT), rewritten as the ggml file whisper.cpp's VAD loads by
# scripts/silero-onnx-to-ggml.py (in a private venv with `onnx` and `numpy`).
#   $CACHE/models/ggml-silero-v6.2.3.bin
# Idempotent. Prints the model path last.
set -euo pipefail

CACHE="${MOCKINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mockint}"
VERSION="6.2.3"
OUT="$CACHE/models/ggml-silero-v$VERSION.bin"
DL="$CACHE/silero"
HERE="$(cd "$(dirname "$0")" && pwd)"

if [ ! -f "$OUT" ]; then
  mkdir -p "$DL" "$CACHE/models"
  wheel="$DL/silero_vad-$VERSION-py3-none-any.whl"
  if [ ! -f "$wheel" ]; then
    echo "fetch-silero-vad: pip download silero-vad $VERSION" >&2
    python3 -m pip download --no-deps --no-input --disable-pip-version-check -q \
      -d "$DL" "silero-vad==$VERSION" >&2
  fi
  if [ ! -x "$DL/venv/bin/python" ]; then
    python3 -m venv "$DL/venv"
    "$DL/venv/bin/pip" install --no-input --disable-pip-version-check -q onnx numpy >&2
  fi
  rm -rf "$DL/wheel"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$wheel" "$DL/wheel"
  "$DL/venv/bin/python" "$HERE/silero-onnx-to-ggml.py" \
    "$DL/wheel/silero_vad/data/silero_vad_16k_op15.onnx" "$VERSION" "$OUT.part"
  mv "$OUT.part" "$OUT"
fi
echo "$OUT"
