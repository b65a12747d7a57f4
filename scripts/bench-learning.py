#!/usr/bin/env python3
"""The learning loop's throughput: feedback and the outcomes export, release builds, loopback.

A release gateway with its SQLite ledger (batched, bodies kept and sealed)
in front of the test upstream serves `--requests` chat requests (distinct
prompts, a named model); then `--clients` clients post `--feedback` scores
on random ones of them (timed: feedback/s, latency p50/p99, the gateway's CPU
per feedback), the rest of the requests are scored untimed, and
`frontier outcomes export` reads the whole ledger and writes one line per
scored request (timed: wall, CPU, peak RSS, lines/s).

    scripts/bench-learning.py [--bin .build/release] [--requests 100000] [--feedback 10000]
"""
import argparse
import concurrent.futures
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import CLOCK_TICKS, free_port, stop, wait_for  # noqa: E402


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        headers, payload = response.headers, response.read()
    return headers, payload, time.perf_counter() - started


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=".build/release")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--feedback", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    frontier, double = os.path.join(args.bin, "frontier"), os.path.join(args.bin, "frontier-upstream-double")
    work = tempfile.mkdtemp(prefix="frontier-bench-learning-")
    env = dict(os.environ, FRONTIER_LEDGER_KEY="bench-ledger-key", FRONTIER_LEDGER_BODY_KEY="bench-body-key")
    upstream_port, port = free_port(), free_port()
    upstream = subprocess.Popen([double, "--port", str(upstream_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config = os.path.join(work, "frontier.yaml")
    with open(config, "w") as f:
        f.write(f"""gateway: {{port: {port}}}
storage: {{sqlite: {work}/frontier.db}}
ledger: {{store_bodies: true}}
models:
  - {{id: m, provider: openai-compatible, base_url: "http://127.0.0.1:{upstream_port}/ok/v1", deployment: local,
      price: {{input_per_mtok: 1, output_per_mtok: 2}}}}
""")
    log = open(config + ".log", "w")
    gateway = subprocess.Popen([frontier, "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"http://127.0.0.1:{upstream_port}/healthz", upstream)
        wait_for(url + "/healthz", gateway)

        def ask(n):
            headers, _, _ = post(url + "/v1/chat/completions", {"model": "m", "messages": [{"role": "user", "content": f"Question {n}: what is {n} squared?"}]})
            return headers["x-frontier-request-id"]

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            ids = list(pool.map(ask, range(args.requests), chunksize=64))
        print(f"{args.requests} requests served in {time.perf_counter() - started:.1f} s", flush=True)

        order = list(range(len(ids)))
        random.Random(1).shuffle(order)
        timed, rest = order[: args.feedback], order[args.feedback:]

        def score(n):
            _, payload, seconds = post(url + "/v1/feedback", {"request_id": ids[n], "score": n % 2, "label": "bench"})
            assert json.loads(payload)["object"] == "feedback"
            return seconds

        cpu_before, started = cpu_seconds(gateway.pid), time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            latencies = list(pool.map(score, timed, chunksize=16))
        wall, cpu = time.perf_counter() - started, cpu_seconds(gateway.pid) - cpu_before
        feedback = {
            "posts": len(timed), "clients": args.clients, "per_second": len(timed) / wall,
            "p50_ms": percentile(latencies, 0.5) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000,
            "gateway_cpu_ms_per_post": cpu / len(timed) * 1000, "ledger_records_before": len(ids),
        }
        print(f"feedback: {feedback['per_second']:.0f}/s with {args.clients} clients, p50 {feedback['p50_ms']:.2f} ms, "
              f"p99 {feedback['p99_ms']:.2f} ms, gateway CPU {feedback['gateway_cpu_ms_per_post']:.3f} ms per post", flush=True)
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(score, rest, chunksize=64))
    finally:
        stop(gateway, upstream)
        log.close()

    out = os.path.join(work, "outcomes.jsonl")
    # GNU time measures the export alone (the gateway, a child too, would own RUSAGE_CHILDREN's peak).
    started = time.perf_counter()
    export = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", frontier, "outcomes", "export", "--config", config, "--out", out],
                            capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if export.returncode != 0:
        sys.exit(export.stderr)
    rss_kb, user, system = export.stderr.strip().splitlines()[-1].split()
    lines = sum(1 for _ in open(out))
    result = {
        "lines": lines, "records_read": len(ids) * 2, "wall_s": wall,
        "cpu_s": float(user) + float(system), "max_rss_mb": int(rss_kb) / 1024, "lines_per_second": lines / wall,
    }
    print(f"export: {lines} lines from {result['records_read']} records in {wall:.1f} s ({result['lines_per_second']:.0f} lines/s), "
          f"CPU {result['cpu_s']:.1f} s, peak RSS {result['max_rss_mb']:.0f} MB")
    print(json.dumps({"feedback": feedback, "export": result}))


if __name__ == "__main__":
    main()
