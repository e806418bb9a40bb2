#!/usr/bin/env bash
# Installs the Silero voice activity detector mockint listens with: the
# 16 kHz ONNX graph from the PyPI wheel `silero-vad` (MIT), rewritten by
# scripts/silero-onnx-to-ggml.py (standard-library Python) as the ggml file
# whisper.cpp's VAD loads:
#   $MODELS/ggml-silero-v6.2.3.bin   (~0.9 MB; $MOCKINT_MODELS_DIR overrides)
# Without it mockint falls back to WebRTC's VAD. Idempotent: skipped when the
# installed file's SHA-256 matches the pin; prints the path.
set -euo pipefail

VERSION="6.2.3"
# SHA-256 of the converted file (the conversion is deterministic).
SHA256="abd79739d3ff4bc37fa1d24f1fca8244f2e31ec9f0bb7ea6244b185bfaa0b8e6"
CACHE="${MOCKINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mockint}"
MODELS="${MOCKINT_MODELS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/mockint/models}"
OUT="$MODELS/ggml-silero-v$VERSION.bin"
DL="$CACHE/silero"
HERE="$(cd "$(dirname "$0")" && pwd)"

sha() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$OUT" ] && [ "$(sha "$OUT")" = "$SHA256" ]; then
  echo "Silero VAD already installed and verified: $OUT"
  exit 0
fi

mkdir -p "$DL" "$MODELS"
wheel="$DL/silero_vad-$VERSION-py3-none-any.whl"
if [ ! -f "$wheel" ]; then
  echo "fetch-silero-vad: pip download silero-vad $VERSION"
  python3 -m pip download --no-deps --no-input --disable-pip-version-check -q \
    -d "$DL" "silero-vad==$VERSION" >&2
fi
echo "fetch-silero-vad: converting the ONNX graph to ggml"
onnx="$DL/silero_vad_16k_op15.onnx"
python3 - "$wheel" "$onnx" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("silero_vad/data/silero_vad_16k_op15.onnx"))
PY
python3 "$HERE/silero-onnx-to-ggml.py" "$onnx" "$VERSION" "$OUT.part"
got=$(sha "$OUT.part")
if [ "$got" != "$SHA256" ]; then
  rm -f "$OUT.part"
  echo "fetch-silero-vad: the converted model's SHA-256 $got is not the pinned $SHA256; delete $DL and run again" >&2
  exit 1
fi
mv "$OUT.part" "$OUT"
echo "installed Silero VAD: $OUT"
