"""The product path and the floor for scripts/bench: nginx as a plain reverse proxy, and Frontier configured as a team
runs it (auth with a budgeted, rate-limited key; `auto` over a 10-model catalog with a router file fitted on
shared/data; a PII policy; the ledger; metrics). Loopback only."""
import json
import os
import subprocess
import sys
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADMIN_KEY = "bench-admin-key-0123456789abcdef"

# The ten models of shared/data, as a team might deploy them: three clouds, the rest on its own hardware.
CATALOG = [
    ("gpt-4o", "cloud", 2.5, 10), ("gemini-1.5-pro", "cloud", 1.25, 5), ("gemini-1.5-flash", "cloud", 0.075, 0.3),
    ("llama-3.1-70b-instruct", "on-prem", 0.6, 0.6), ("llama-3.1-8b-instruct", "local", 0.05, 0.05),
    ("mathstral-7b", "local", 0.05, 0.05), ("deepseek-coder-v2", "on-prem", 0.3, 0.6),
    ("mixtral-8x7b-instruct", "on-prem", 0.3, 0.3), ("qwen1.5-72b-chat", "on-prem", 0.6, 0.6), ("phi-3-mini", "local", 0.02, 0.02),
]

# About 1 KB of a real request, with an e-mail address and a phone number the PII scan must find.
PROMPT_1K = (
    "Our client, a regional hospital, signed a services agreement on 2024-03-01 with a software vendor. The vendor "
    "now claims the contract renewed automatically for three years because the hospital missed a 60-day notice "
    "window. The hospital argues the renewal clause is unenforceable because it was buried in an appendix and never "
    "negotiated, and that the vendor materially breached the agreement by missing uptime commitments in four of the "
    "last six months. Please explain the main doctrines a court would weigh (unconscionability, conspicuousness of "
    "automatic renewal terms, material breach and the right to terminate), what evidence the hospital should gather, "
    "and how damages might be calculated if the hospital stops paying. Contact the general counsel at "
    "counsel@hospital.example.org or (415) 555-0132 with a short memo. Keep the answer under 400 words and cite "
    "the relevant sections of the Restatement (Second) of Contracts where they apply to each point you make. "
    "Request PROMPT_N.")


def prompt(kilobytes):
    """The 1 KB prompt, repeated to about `kilobytes` KB (PROMPT_N, once, makes each request its own)."""
    head, tail = PROMPT_1K.rsplit("Request", 1)
    return (head * max(1, kilobytes)) + "Request" + tail


def bodies(model, kilobytes, stream):
    """The request body of each front door, the prompt JSON-escaped."""
    text = json.dumps(prompt(kilobytes))
    tail = ',"stream":true' if stream else ""
    return {
        "openai.chat": f'{{"model":"{model}","messages":[{{"role":"user","content":{text}}}],"max_tokens":16{tail}}}',
        "anthropic.messages": f'{{"model":"{model}","max_tokens":16,"messages":[{{"role":"user","content":{text}}}]{tail}}}',
        "openai.responses": f'{{"model":"{model}","input":{text},"max_output_tokens":16{tail}}}',
    }


DOOR_PATHS = {"openai.chat": "/v1/chat/completions", "anthropic.messages": "/v1/messages", "openai.responses": "/v1/responses"}


def fit_router(work):
    """The router file fitted on shared/data (scripts/bench-router-file caches it), linked into the bench's directory."""
    fitted = subprocess.run([os.path.join(ROOT, "scripts", "bench-router-file")], capture_output=True, text=True)
    if fitted.returncode != 0:
        sys.exit(fitted.stdout + fitted.stderr)
    target = os.path.join(work, "router.json")
    if not os.path.exists(target):
        os.symlink(fitted.stdout.strip(), target)
    return target


def product_config(port, base, storage, durability="batched", named=False):
    """The product path's config: `storage` is a YAML flow mapping ({sqlite: F} or {postgres: "URL"}).
    With `named`, a single model and everything else off (target c)."""
    if named:
        return (f"gateway: {{port: {port}}}\nmodels:\n"
                f"  - {{id: bench, provider: openai-compatible, base_url: \"{base}\", upstream_model: test-upstream-model, "
                f"deployment: on-prem, price: {{input_per_mtok: 1, output_per_mtok: 2}}}}\n")
    models = "".join(
        f"  - {{id: {name}, provider: openai-compatible, base_url: \"{base}\", upstream_model: test-upstream-model, "
        f"deployment: {deployment}, price: {{input_per_mtok: {inp}, output_per_mtok: {out}}}}}\n"
        for name, deployment, inp, out in CATALOG)
    return (f"gateway: {{port: {port}, max_body_bytes: 4194304}}\nstorage: {storage}\nledger: {{durability: {durability}}}\n"
            "auth: {admin_key: ${FRONTIER_ADMIN_KEY}}\nprivacy: {pii: on-prem, on_violation: reroute}\n"
            "router: {file: router.json, default_objective: balanced}\nmodels:\n" + models)


def create_key(port):
    """A client key with a budget and rate limits far above what the load reaches (so every check runs, none refuses)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/admin/keys", method="POST",
        data=b'{"name": "bench", "budget_usd": 1000000, "rpm": 100000000, "tpm": 1000000000}',
        headers={"authorization": f"Bearer {ADMIN_KEY}", "content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["key"]


def nginx_config(work, port, up_port):
    """nginx as the floor: a plain reverse proxy with upstream keepalive, no buffering of streams, logs off."""
    # As root, the workers stay root too: they must reach the bench's private temporary directory.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return user + f"""daemon off;
worker_processes auto;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/nginx-body;
  proxy_temp_path {work}/nginx-proxy;
  fastcgi_temp_path {work}/nginx-fastcgi;
  uwsgi_temp_path {work}/nginx-uwsgi;
  scgi_temp_path {work}/nginx-scgi;
  client_max_body_size 8m;
  client_body_buffer_size 64k;
  upstream backend {{ server 127.0.0.1:{up_port}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }}
  }}
}}
"""
