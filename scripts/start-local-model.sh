#!/usr/bin/env bash
# Starts llama.cpp's llama-server with the Gemma 3 270M GGUF on 127.0.0.1
# (installing it first if needed) and waits until it answers.
# Usage: scripts/start-local-model.sh [PORT] [--embeddings]   (default 8081)
# With --embeddings it serves /v1/embeddings from all-MiniLM-L6-v2 instead
# (384 dimensions, mean pooling, unit length): a real sentence embedder.
# Writes its pid to $FRONTIER_CACHE/llama-server-PORT.pid and its log beside it.
set -euo pipefail
PORT="${1:-8081}"
CACHE="${FRONTIER_CACHE:-$HOME/.cache/frontier}"
GGUF="$CACHE/models/gemma-3-270m-q4_k_m.gguf"
ALIAS=gemma-3-270m
MODE=(--no-jinja --chat-template gemma -c 4096 --parallel 2)
if [ "${2:-}" = "--embeddings" ]; then
  # A BERT embeds a whole input in one batch: its 512-token window is the batch too.
  GGUF="$CACHE/models/all-minilm-l6-v2-f16.gguf"
  ALIAS=all-minilm-l6-v2
  MODE=(--embeddings --pooling mean -c 2048 --parallel 4 -b 512 -ub 512)
fi
here="$(cd "$(dirname "$0")" && pwd)"
"$here/install-local-model.sh"

if curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then
  # A server left from an earlier run may serve the other model: reuse only the right one.
  if curl -fsS "http://127.0.0.1:$PORT/v1/models" 2>/dev/null | grep -q "\"$ALIAS\""; then
    echo "[local-model] already serving $ALIAS on 127.0.0.1:$PORT"
    exit 0
  fi
  echo "[local-model] 127.0.0.1:$PORT already serves another model, not $ALIAS: stop it or choose another port" >&2
  exit 1
fi
# -t 1: two threads stall when the CPUs are shared. --no-jinja with the gemma
# template: the model's jinja template drops the prompt of a base model.
nohup "$CACHE/bin/llama-server" -m "$GGUF" \
  --host 127.0.0.1 --port "$PORT" -t 1 --alias "$ALIAS" "${MODE[@]}" >"$CACHE/llama-server-$PORT.log" 2>&1 &
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
