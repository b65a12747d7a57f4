#!/usr/bin/env bash
# Starts llama.cpp's llama-server with the Gemma 3 270M GGUF on 127.0.0.1
# (installing both first if needed) and waits until it answers.
# Usage: scripts/start-local-model.sh [PORT] [--embeddings]   (default 8081)
# With --embeddings the same GGUF serves /v1/embeddings (mean pooling): a
# local embedding model for protocol tests and the example config, at no
# extra install (its vectors are a base LM's, not a tuned embedder's).
# Writes its pid to $FRONTIER_CACHE/llama-server-PORT.pid and its log beside it.
set -euo pipefail
PORT="${1:-8081}"
MODE=(--no-jinja --chat-template gemma -c 4096 --parallel 2 --alias gemma-3-270m)
if [ "${2:-}" = "--embeddings" ]; then MODE=(--embeddings --pooling mean -c 2048 --alias gemma-embed); fi
CACHE="${FRONTIER_CACHE:-$HOME/.cache/frontier}"
here="$(cd "$(dirname "$0")" && pwd)"
"$here/install-local-model.sh"

if curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then
  echo "[local-model] already serving on 127.0.0.1:$PORT"
  exit 0
fi
# -t 1: two threads stall when the CPUs are shared. --no-jinja with the gemma
# template: the model's jinja template drops the prompt of a base model.
nohup "$CACHE/bin/llama-server" -m "$CACHE/models/gemma-3-270m-q4_k_m.gguf" \
  --host 127.0.0.1 --port "$PORT" -t 1 "${MODE[@]}" >"$CACHE/llama-server-$PORT.log" 2>&1 &
echo $! >"$CACHE/llama-server-$PORT.pid"
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then
    echo "[local-model] llama-server ready on 127.0.0.1:$PORT (pid $(cat "$CACHE/llama-server-$PORT.pid"))"
    exit 0
  fi
  if ! kill -0 "$(cat "$CACHE/llama-server-$PORT.pid")" 2>/dev/null; then
    echo "[local-model] llama-server exited; log:" >&2
    tail -20 "$CACHE/llama-server-$PORT.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "[local-model] llama-server did not become ready in 60 s; log: $CACHE/llama-server-$PORT.log" >&2
exit 1
