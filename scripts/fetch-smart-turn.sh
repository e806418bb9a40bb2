#!/usr/bin/env bash
# Installs the end-of-turn model mockint listens with: Pipecat's Smart Turn
# v3.2 (BSD-2-Clause), `pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx`
# from the PyPI wheel `pipecat-ai` 1.14.0 (only that file is kept), SHA-256
# pinned:
#   $MODELS/smart-turn-v3.2-cpu.onnx   (~8.7 MB; $MOCKINT_MODELS_DIR overrides)
# It runs on ONNX Runtime (scripts/fetch-onnxruntime.sh). Without either,
# turns end on silence alone. Idempotent; prints the path.
set -euo pipefail

VERSION="1.14.0"
FILE="smart-turn-v3.2-cpu.onnx"
SHA256="2bb026316b14a660486a75b1733cd3fbab8c2fd0314dc9af7be49f8cca967e4f"
CACHE="${MOCKINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mockint}"
MODELS="${MOCKINT_MODELS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/mockint/models}"
OUT="$MODELS/$FILE"
DL="$CACHE/smart-turn"

if [ -f "$OUT" ] && echo "$SHA256  $OUT" | sha256sum -c --status; then
  echo "$OUT"
  exit 0
fi

mkdir -p "$DL" "$MODELS"
wheel="$DL/pipecat_ai-$VERSION-py3-none-any.whl"
if [ ! -f "$wheel" ]; then
  echo "fetch-smart-turn: pip download pipecat-ai $VERSION" >&2
  python3 -m pip download --no-deps --no-input --disable-pip-version-check -q \
    --only-binary=:all: -d "$DL" "pipecat-ai==$VERSION" >&2
fi
python3 - "$wheel" "pipecat/audio/turn/smart_turn/data/$FILE" "$OUT.part" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[3], "wb") as out:
    out.write(z.read(sys.argv[2]))
PY
if ! echo "$SHA256  $OUT.part" | sha256sum -c --status; then
  rm -f "$OUT.part"
  echo "fetch-smart-turn: $FILE from $wheel does not match the pinned SHA-256; delete the wheel and retry" >&2
  exit 1
fi
mv "$OUT.part" "$OUT"
echo "$OUT"
