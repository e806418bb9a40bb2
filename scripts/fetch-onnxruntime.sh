#!/usr/bin/env bash
# Installs ONNX Runtime's shared library, which mockint loads at run time (the
# `ort` crate with `load-dynamic`) for its ONNX models (the end-of-turn model,
# the Piper voice): `onnxruntime/capi/libonnxruntime.so.1.31.1` from the PyPI
# wheel `onnxruntime` 1.31.1 (MIT), SHA-256 pinned:
#   $MODELS/libonnxruntime.so.1.31.1   (~29 MB; $MOCKINT_MODELS_DIR overrides)
# Without it mockint works as before (silence-only end of turn, no Piper).
# The wheel is chosen explicitly (CPython 3.11, manylinux_2_28 x86_64) so the
# same file is fetched whatever Python this machine has. Idempotent; prints
# the path.
set -euo pipefail

VERSION="1.31.1"
SO="libonnxruntime.so.$VERSION"
SHA256="fc44112fbe06d7d689c57e11d3862031f64711007e4ee020f8eed5185fd2c1d3"
CACHE="${MOCKINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mockint}"
MODELS="${MOCKINT_MODELS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/mockint/models}"
OUT="$MODELS/$SO"
DL="$CACHE/onnxruntime"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "fetch-onnxruntime: only Linux x86_64 is pinned here; set MOCKINT_ONNXRUNTIME to your own $SO" >&2; exit 1 ;;
esac

if [ -f "$OUT" ] && echo "$SHA256  $OUT" | sha256sum -c --status; then
  echo "$OUT"
  exit 0
fi

mkdir -p "$DL" "$MODELS"
wheel="$DL/onnxruntime-$VERSION-cp311-cp311-manylinux_2_28_x86_64.whl"
if [ ! -f "$wheel" ]; then
  echo "fetch-onnxruntime: pip download onnxruntime $VERSION" >&2
  python3 -m pip download --no-deps --no-input --disable-pip-version-check -q \
    --only-binary=:all: --platform manylinux_2_28_x86_64 --python-version 3.11 \
    --implementation cp -d "$DL" "onnxruntime==$VERSION" >&2
fi
python3 - "$wheel" "onnxruntime/capi/$SO" "$OUT.part" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[3], "wb") as out:
    out.write(z.read(sys.argv[2]))
PY
if ! echo "$SHA256  $OUT.part" | sha256sum -c --status; then
  rm -f "$OUT.part"
  echo "fetch-onnxruntime: $SO from $wheel does not match the pinned SHA-256; delete the wheel and retry" >&2
  exit 1
fi
chmod 0644 "$OUT.part"
mv "$OUT.part" "$OUT"
echo "$OUT"
