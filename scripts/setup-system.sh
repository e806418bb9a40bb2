#!/usr/bin/env bash
# Installs the Debian packages mockint needs to build, run and test.
# Idempotent: packages already present are skipped without touching apt.
set -euo pipefail

PKGS=(
  # build: whisper-rs compiles whisper.cpp (cmake, clang) and generates bindings (libclang)
  cmake clang libclang-dev pkg-config build-essential
  # audio capture through cpal (ALSA) and the PulseAudio plugin for ALSA
  libasound2-dev libasound2-plugins pulseaudio pulseaudio-utils
  # speech output through the tts crate (speech-dispatcher + espeak-ng)
  libspeechd-dev speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
  # phonemes for the Piper voice: espeak-ng's library, linked directly
  libespeak-ng-dev
  # audio tooling used by scripts and tests
  sox unzip ca-certificates curl python3-pip
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# pip may come from another Python (pyenv); only install Debian's when none is on PATH.
if command -v pip3 >/dev/null 2>&1 || command -v pip >/dev/null 2>&1; then
  tmp=()
  for p in "${missing[@]}"; do [ "$p" = python3-pip ] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all Debian packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
