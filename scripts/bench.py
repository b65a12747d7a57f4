"""Drives the gateway benchmark; see scripts/bench. Loopback only, bounded in time."""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import bench_callgrind
import bench_product

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# LiteLLM's proxy refuses to start without a master key; every target gets it.
MASTER_KEY = "sk-bench-5f0c9d2e8a7b4c1d9e3f6a2b7c8d0e1f"
BODY = '{"model":"bench","messages":[{"role":"user","content":"Say hello in one short sentence, please."}],"max_tokens":16%s}'


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, process, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"{url}: the process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not answer within {seconds} s")


def tree(pid):
    """The pid and all its descendants (LiteLLM's proxy may fork workers)."""
    pids, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        try:
            with open(f"/proc/{parent}/task/{parent}/children") as f:
                children = [int(c) for c in f.read().split()]
        except OSError:
            children = []
        pids += children
        frontier += children
    return pids


def cpu_seconds(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except OSError:
            pass
    return total / CLOCK_TICKS


def stop(*processes, timeout=30):
    """SIGTERM each process and wait for it to exit (the gateway drains and flushes its ledger)."""
    for process in processes:
        process.terminate()
        process.wait(timeout=timeout)


def rss_mb(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def parse_latency(text, label):
    match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def run_wrk(url, body, seconds, connections, delay_ms=0, key=MASTER_KEY):
    """Closed-loop load; with delay_ms each connection waits that long between requests (a paced load)."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    body_lua = body.replace("\\", "\\\\").replace('"', '\\"')
    script.write(f'wrk.method = "POST"\nwrk.body = "{body_lua}"\nwrk.headers["Content-Type"] = "application/json"\n'
                 'wrk.headers["Authorization"] = "Bearer ' + key + '"\n')
    if delay_ms:
        script.write(f"function delay()\n  return {delay_ms}\nend\n")
    if "PROMPT_N" in body:
        # Each request its own prompt: identical ones back to back are retries to the implicit signals.
        script.write('counter = 0\nfunction request()\n  counter = counter + 1\n'
                     '  return wrk.format(nil, nil, nil, string.gsub(wrk.body, "PROMPT_N", tostring(counter)))\nend\n')
    script.close()
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url],
        capture_output=True, text=True, timeout=seconds + 60,
    ).stdout
    os.unlink(script.name)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": parse_latency(out, "50%"),
        "p99": parse_latency(out, "99%"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def measure(name, url, pid, body, seconds, connections, delay_ms=0, key=MASTER_KEY):
    run_wrk(url, body, 2, connections, delay_ms, key)  # warm-up: connections, JITs, caches
    before = cpu_seconds(pid)
    result = run_wrk(url, body, seconds, connections, delay_ms, key)
    cpu = cpu_seconds(pid) - before
    result["cpu_ms_per_req"] = cpu * 1000 / max(result["requests"], 1)
    result["rss_mb"] = rss_mb(pid)
    result["name"] = name
    return result


def ledger_bench(args, start, up_port, work):
    """Frontier alone with the ledger off and on (SQLite batched, SQLite strict, PostgreSQL strict), side by side."""
    base = f"http://127.0.0.1:{up_port}/ok/v1"
    variants = [("ledger off", "", "")]
    variants.append(("sqlite batched", "storage: {sqlite: bench-batched.db}\n", "ledger: {durability: batched}\n"))
    variants.append(("sqlite strict", "storage: {sqlite: bench-strict.db}\n", "ledger: {durability: strict}\n"))
    if args.postgres_url:
        variants.append(("postgres strict", f'storage: {{postgres: "{args.postgres_url}"}}\n', "ledger: {durability: strict}\n"))
    env = dict(os.environ, FRONTIER_LEDGER_KEY="bench-key")
    delay_ms = max(1, round(args.connections * 1000 / args.paced_rps))
    rows = []
    # The baseline runs first and last: a drift of the machine over the run shows as a difference between them.
    variants.append(("ledger off (again)", "", ""))
    for name, storage, ledger in variants:
        port = free_port()
        config = os.path.join(work, f"frontier-{port}.yaml")
        with open(config, "w") as f:
            f.write(f"gateway: {{port: {port}}}\nmodels:\n"
                    f"  - {{id: bench, provider: openai-compatible, base_url: \"{base}\", upstream_model: test-upstream-model, "
                    f"deployment: on-prem, price: {{input_per_mtok: 1, output_per_mtok: 2}}}}\n" + storage + ledger)
        frontier = start([os.path.join(ROOT, ".build/release/frontier"), "serve", "--config", config, "--log-level", "warning"],
                         env=env, log=f"frontier-{port}.log")
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        wait_for(f"http://127.0.0.1:{port}/healthz", frontier)
        saturating = measure(name, url, frontier.pid, BODY % "", args.seconds, args.connections)
        paced = measure(name, url, frontier.pid, BODY % "", args.seconds, args.connections, delay_ms)
        rows.append((name, saturating, paced))
        os.killpg(frontier.pid, signal.SIGTERM)
        frontier.wait(timeout=30)
    print("\n(vs off: against the mean of the two ledger-off runs)")
    print(f"\n== ledger: non-streamed, {args.connections} connections, {args.seconds} s each (wrk -t1); paced at about {args.paced_rps} req/s ==")
    print(f"{'ledger':<18} {'req/s':>9} {'vs off':>7} {'CPU ms/req':>11} {'p50 ms':>8} {'p99 ms':>8} {'paced p50':>10} {'paced p99':>10} {'non-2xx':>8}")
    off = (rows[0][1]["rps"] + rows[-1][1]["rps"]) / 2
    for name, r, p in rows:
        print(f"{name:<18} {r['rps']:>9.0f} {r['rps'] / off:>7.2f} {r['cpu_ms_per_req']:>11.4f} {r['p50']:>8.3f} {r['p99']:>8.3f} "
              f"{p['p50']:>10.3f} {p['p99']:>10.3f} {r['errors']:>8}")


def auth_bench(args, start, up_port, work):
    """Frontier with auth off and on (a key with a budget and rate limits), the same SQLite ledger under both, side by side."""
    base = f"http://127.0.0.1:{up_port}/ok/v1"
    admin = "bench-admin-key-0123456789abcdef"
    env = dict(os.environ, FRONTIER_LEDGER_KEY="bench-key", FRONTIER_ADMIN_KEY=admin)
    rows = []
    # Alternated, three times each: the machine's drift over the run falls on both alike.
    for name, auth in [("auth off", False), ("auth on, budgeted key", True)] * 3:
        port = free_port()
        config = os.path.join(work, f"frontier-{port}.yaml")
        with open(config, "w") as f:
            f.write(f"gateway: {{port: {port}}}\nstorage: {{sqlite: bench-{port}.db}}\nmodels:\n"
                    f"  - {{id: bench, provider: openai-compatible, base_url: \"{base}\", upstream_model: test-upstream-model, "
                    f"deployment: on-prem, price: {{input_per_mtok: 1, output_per_mtok: 2}}}}\n"
                    + ("auth: {admin_key: ${FRONTIER_ADMIN_KEY}}\n" if auth else ""))
        frontier = start([os.path.join(ROOT, ".build/release/frontier"), "serve", "--config", config, "--log-level", "warning"],
                         env=env, log=f"frontier-{port}.log")
        wait_for(f"http://127.0.0.1:{port}/healthz", frontier)
        key = MASTER_KEY
        if auth:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/admin/keys", method="POST",
                                             data=b'{"name": "bench", "budget_usd": 1000000, "rpm": 100000000, "tpm": 1000000000}',
                                             headers={"authorization": f"Bearer {admin}", "content-type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                key = json.loads(response.read())["key"]
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        saturating = measure(name, url, frontier.pid, BODY % "", args.seconds, args.connections, key=key)
        one = measure(name, url, frontier.pid, BODY % "", args.seconds, 1, key=key)
        rows.append((name, saturating, one))
        os.killpg(frontier.pid, signal.SIGTERM)
        frontier.wait(timeout=30)
    print(f"\n== auth: non-streamed, {args.connections} connections and 1 connection, {args.seconds} s each (wrk -t1); SQLite batched ledger in both ==")
    print(f"{'auth':<22} {'req/s':>9} {'CPU ms/req':>11} {'p50 ms':>8} {'p99 ms':>8} {'1-conn CPU':>11} {'1-conn p50':>11} {'non-2xx':>8}")
    for name, r, o in rows:
        print(f"{name:<22} {r['rps']:>9.0f} {r['cpu_ms_per_req']:>11.4f} {r['p50']:>8.3f} {r['p99']:>8.3f} {o['cpu_ms_per_req']:>11.4f} {o['p50']:>11.3f} {r['errors'] + o['errors']:>8}")
    off = [r for name, r, _ in rows if name.startswith("auth off")]
    on = [r for name, r, _ in rows if name.startswith("auth on")]
    ratio = (sum(r["cpu_ms_per_req"] for r in on) / len(on)) / (sum(r["cpu_ms_per_req"] for r in off) / len(off))
    ones_on = [o for name, _, o in rows if name.startswith("auth on")]
    ones_off = [o for name, _, o in rows if name.startswith("auth off")]
    one_ratio = (sum(o["cpu_ms_per_req"] for o in ones_on) / len(ones_on)) / (sum(o["cpu_ms_per_req"] for o in ones_off) / len(ones_off))
    print(f"auth on vs off, CPU per request, mean of {len(on)} runs each: {ratio:.3f}x saturating, {one_ratio:.3f}x on one connection")


def learning_bench(args, start, up_port, work):
    """`auto` with the ledger, the learning loop's parts off and on (implicit signals, a shadow and an experiment;
    then exploration too), alternated three times, side by side."""
    base = f"http://127.0.0.1:{up_port}/ok/v1"
    env = dict(os.environ, FRONTIER_LEDGER_KEY="bench-key")
    # Two router files over two models: the live one sends law to bench and math to bench2, the candidate the reverse.
    for name, law_model in [("live", "bench"), ("candidate", "bench2")]:
        with open(os.path.join(work, f"{name}.jsonl"), "w") as f:
            for n in range(300):
                law = n % 2 == 0
                words = ["contract", "tort", "court", "statute"] if law else ["integral", "matrix", "prime", "vector"]
                results = {m: {"score": 1.0 if (m == law_model) == law else 0.0, "cost_usd": 0.00002} for m in ["bench", "bench2"]}
                f.write(json.dumps({"id": f"{name}-{n}", "prompt": " ".join(words[(n + k) % 4] for k in range(8)),
                                    "domain": "law" if law else "math", "results": results}) + "\n")
        fit = subprocess.run([os.path.join(ROOT, ".build/release/frontier"), "fit", os.path.join(work, f"{name}.jsonl"),
                              "--out", os.path.join(work, f"{name}.json")], capture_output=True, text=True)
        if fit.returncode != 0:
            sys.exit(fit.stdout + fit.stderr)
    models = "".join(
        f"  - {{id: {m}, provider: openai-compatible, base_url: \"{base}\", upstream_model: test-upstream-model, "
        f"deployment: on-prem, price: {{input_per_mtok: 1, output_per_mtok: 2}}}}\n" for m in ["bench", "bench2"])
    off = "ledger: {implicit_feedback: false}\nrouter: {file: live.json}\n"
    on = ("router:\n  file: live.json\n  shadow: {file: candidate.json}\n"
          "  experiment: {file: candidate.json, share: 0.1, guard: {min_samples: 1000000}}\n")
    explore = on + "  explore: {share: 0.02, max_cost_usd_per_day: 1000, check: {min_chars: 1}}\n"
    body = (BODY % "").replace('"model":"bench"', '"model":"auto"').replace("Say hello", "Say hello PROMPT_N times")
    variants = [(name, "storage: {sqlite: bench-PORT.db}\nmodels:\n" + models + extra)
                for name, extra in [("learning off", off), ("implicit+shadow+experiment", on), ("... and explore 2 %", explore)]]
    alternate(args, start, work, variants, body, env=env, log_level="warning",
              title="learning: auto over 2 models with a fitted router file, SQLite batched ledger")


def telemetry_bench(args, start, up_port, work):
    """A named model with telemetry off, on at sample ratio 1.0 (OTLP/HTTP to a collector that accepts), and on with a
    collector that never answers; alternated three times, side by side. The export's own CPU is the gateway's."""
    base = f"http://127.0.0.1:{up_port}/ok/v1"
    model = (f"  - {{id: bench, provider: openai-compatible, base_url: \"{base}\", upstream_model: test-upstream-model, "
             f"deployment: on-prem, price: {{input_per_mtok: 1, output_per_mtok: 2}}}}\n")
    variants = [
        ("telemetry off", ""),
        ("on, sample 1.0", f"telemetry: {{otlp: {{endpoint: \"http://127.0.0.1:{up_port}/ok\", sample_ratio: 1.0}}}}\n"),
        ("on, sample 0.1", f"telemetry: {{otlp: {{endpoint: \"http://127.0.0.1:{up_port}/ok\", sample_ratio: 0.1}}}}\n"),
        ("on, collector silent", f"telemetry: {{otlp: {{endpoint: \"http://127.0.0.1:{up_port}/hang\", sample_ratio: 1.0, timeout_ms: 2000}}}}\n"),
    ]
    alternate(args, start, work, [(name, "models:\n" + model + extra) for name, extra in variants], BODY % "", log_level="error",
              title="telemetry: named model")


def alternate(args, start, work, variants, body, title, env=None, log_level="warning"):
    """Each variant's config (the gateway's port added; PORT in it replaced by that port) on a fresh gateway, the variants alternated three times;
    saturating and one-connection runs each; the table, and each variant's mean CPU per request against the first's."""
    rows = []
    for name, config_text in variants * 3:
        port = free_port()
        config = os.path.join(work, f"frontier-{port}.yaml")
        with open(config, "w") as f:
            # PORT in a variant's text is this gateway's port (a fresh ledger file per run).
            f.write(f"gateway: {{port: {port}}}\n" + config_text.replace("PORT", str(port)))
        frontier = start([os.path.join(ROOT, ".build/release/frontier"), "serve", "--config", config, "--log-level", log_level],
                         env=env, log=f"frontier-{port}.log")
        wait_for(f"http://127.0.0.1:{port}/healthz", frontier)
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        saturating = measure(name, url, frontier.pid, body, args.seconds, args.connections)
        one = measure(name, url, frontier.pid, body, args.seconds, 1)
        rows.append((name, saturating, one))
        os.killpg(frontier.pid, signal.SIGTERM)
        try:
            frontier.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # A gateway that does not stop is a bug to see, not to hide: its threads go beside the logs.
            dump = os.path.join(work, f"frontier-{port}.threads.txt")
            subprocess.run(["gdb", "-p", str(frontier.pid), "-batch", "-ex", "thread apply all bt 30"], stdout=open(dump, "w"), stderr=subprocess.STDOUT)
            sys.exit(f"{name}: the gateway did not stop within 30 s of SIGTERM; its threads: {dump}")
    print(f"\n== {title}; non-streamed, {args.connections} connections and 1 connection, {args.seconds} s each (wrk -t1) ==")
    print(f"{'variant':<28} {'req/s':>9} {'CPU ms/req':>11} {'p50 ms':>8} {'p99 ms':>8} {'RSS MB':>7} {'1-conn CPU':>11} {'1-conn p50':>11} {'non-2xx':>8}")
    for name, r, o in rows:
        print(f"{name:<28} {r['rps']:>9.0f} {r['cpu_ms_per_req']:>11.4f} {r['p50']:>8.3f} {r['p99']:>8.3f} {r['rss_mb']:>7.0f} "
              f"{o['cpu_ms_per_req']:>11.4f} {o['p50']:>11.3f} {r['errors'] + o['errors']:>8}")

    def mean(variant, k):
        values = [(r if k == 0 else o)["cpu_ms_per_req"] for name, r, o in rows if name == variant]
        return sum(values) / len(values)
    base = variants[0][0]
    for variant, _ in variants[1:]:
        print(f"{variant} vs {base}, CPU per request, mean of 3 runs each: {mean(variant, 0) / mean(base, 0):.3f}x saturating, "
              f"{mean(variant, 1) / mean(base, 1):.3f}x on one connection")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--callgrind", action="store_true",
                        help="instructions per call of the decision and its parts, against scripts/callgrind-baseline.json")
    parser.add_argument("--callgrind-calls", type=int, default=2000)
    parser.add_argument("--write-baseline", action="store_true", help="with --callgrind: record the figures as the new baseline")
    parser.add_argument("--telemetry", action="store_true", help="benchmark a named model with telemetry off, on, and on with a silent collector")
    parser.add_argument("--learning", action="store_true", help="benchmark auto with the learning loop's parts off and on instead")
    parser.add_argument("--auth", action="store_true", help="benchmark Frontier with auth off and on (a budgeted, rate-limited key) instead")
    parser.add_argument("--ledger", action="store_true", help="benchmark Frontier with the ledger off and on instead")
    parser.add_argument("--postgres-url", default=os.environ.get("FRONTIER_BENCH_POSTGRES_URL"))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--baseline", metavar="FRONTIER_BIN",
                        help="another frontier binary (an older release build) measured beside this one, in the same run")
    parser.add_argument("--skip-litellm", action="store_true", help="leave LiteLLM out (a quick before/after of Frontier alone)")
    parser.add_argument("--prompt-kb", type=lambda text: [int(k) for k in text.split(",")], default=[1, 16],
                        help="prompt sizes in KB, comma-separated (default 1,16)")
    parser.add_argument("--paced-rps", type=int, default=500,
                        help="offered load of the paced run, within every target's capacity, so latency is not queueing")
    args = parser.parse_args()

    up_port, litellm_port = free_port(), free_port()
    work = tempfile.mkdtemp(prefix="frontier-bench-")
    if args.callgrind:
        return bench_callgrind.run(args, work)
    processes = []

    def start(cmd, env=None, log="log"):
        log_file = open(os.path.join(work, log), "w")
        process = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        processes.append(process)
        return process

    try:
        upstream = start([os.path.join(ROOT, ".build/release/frontier-upstream-double"), "--port", str(up_port)], log="upstream.log")
        wait_for(f"http://127.0.0.1:{up_port}/healthz", upstream)
        base = f"http://127.0.0.1:{up_port}/ok/v1"
        if args.ledger:
            ledger_bench(args, start, up_port, work)
            return
        if args.auth:
            auth_bench(args, start, up_port, work)
            return
        if args.learning:
            learning_bench(args, start, up_port, work)
            return
        if args.telemetry:
            telemetry_bench(args, start, up_port, work)
            return

        frontier_bin = os.path.join(ROOT, ".build/release/frontier")
        stream_base = f"http://127.0.0.1:{up_port}/long-stream/v1"
        targets = [Target("upstream (direct)", f"{stream_base}/chat/completions", upstream)]
        nginx_port = free_port()
        with open(os.path.join(work, "nginx.conf"), "w") as f:
            f.write(bench_product.nginx_config(work, nginx_port, up_port))
        nginx = start(["nginx", "-c", os.path.join(work, "nginx.conf"), "-p", work], log="nginx.log")
        wait_for(f"http://127.0.0.1:{nginx_port}/healthz", nginx)
        targets.append(Target("nginx", f"http://127.0.0.1:{nginx_port}/long-stream/v1/chat/completions", nginx))

        def gateway(name, config_text, binary=frontier_bin, doors=("openai.chat",), model="auto", keyed=True):
            port = free_port()
            config = os.path.join(work, f"frontier-{port}.yaml")
            with open(config, "w") as f:
                f.write(config_text(port))
            env = dict(os.environ, FRONTIER_LEDGER_KEY="bench-key", FRONTIER_ADMIN_KEY=bench_product.ADMIN_KEY)
            process = start([binary, "serve", "--config", config, "--log-level", "warning"], env=env, log=f"frontier-{port}.log")
            wait_for(f"http://127.0.0.1:{port}/healthz", process)
            key = bench_product.create_key(port) if keyed else MASTER_KEY
            for door in doors:
                label = name if door == "openai.chat" else f"{name}, {door.split('.')[1]}"
                targets.append(Target(label, f"http://127.0.0.1:{port}{bench_product.DOOR_PATHS[door]}", process, model, door, key))

        gateway("frontier, named", lambda port: bench_product.product_config(port, stream_base, None, named=True), model="bench", keyed=False)
        bench_product.fit_router(work)
        gateway("product", lambda port: bench_product.product_config(port, stream_base, f"{{sqlite: product-{port}.db}}"),
                doors=tuple(bench_product.DOOR_PATHS))
        gateway("product, strict", lambda port: bench_product.product_config(port, stream_base, f"{{sqlite: strict-{port}.db}}", "strict"))
        if args.postgres_url:
            gateway("product, postgres", lambda port: bench_product.product_config(port, stream_base, f'{{postgres: "{args.postgres_url}"}}'))
        if args.baseline:
            gateway("product, baseline", lambda port: bench_product.product_config(port, stream_base, f"{{sqlite: baseline-{port}.db}}"),
                    binary=args.baseline)
        if not args.skip_litellm:
            litellm = start_litellm(args, start, work, stream_base, litellm_port)
            targets.append(Target("litellm", f"http://127.0.0.1:{litellm_port}/v1/chat/completions", litellm, "bench"))
        for kilobytes in args.prompt_kb:
            compare(args, targets, kilobytes)
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def start_litellm(args, start, work, base, litellm_port):
    litellm_config = os.path.join(work, "litellm.yaml")
    with open(litellm_config, "w") as f:
        f.write("model_list:\n  - model_name: bench\n    litellm_params:\n      model: openai/test-upstream-model\n"
                f"      api_base: {base}\n      api_key: sk-bench\n"
                "litellm_settings:\n  set_verbose: false\n  drop_params: true\n")
    env = dict(os.environ, LITELLM_LOCAL_MODEL_COST_MAP="True", LITELLM_LOG="ERROR", LITELLM_MASTER_KEY=MASTER_KEY)
    litellm = start([shutil.which("litellm") or "litellm", "--config", litellm_config, "--port", str(litellm_port),
                     "--host", "127.0.0.1", "--num_workers", "1"], env=env, log="litellm.log")
    wait_for(f"http://127.0.0.1:{litellm_port}/health/liveliness", litellm, seconds=120)
    return litellm


class Target:
    """One server under load: its URL, its process (for CPU and RSS), the model asked for, the front door's body, the key."""

    def __init__(self, name, url, process, model="bench", door="openai.chat", key=MASTER_KEY):
        self.name, self.url, self.process, self.model, self.door, self.key = name, url, process, model, door, key

    def body(self, kilobytes, stream):
        return bench_product.bodies(self.model, kilobytes, stream)[self.door]


def compare(args, targets, kilobytes):
    delay_ms = max(1, round(args.connections * 1000 / args.paced_rps))
    runs = [
        ("non-streamed, saturating", False, args.connections, 0),
        ("streamed (200 tokens in 50 chunks), saturating", True, args.connections, 0),
        (f"non-streamed, paced at about {args.paced_rps} req/s", False, args.connections, delay_ms),
        ("non-streamed, one connection back to back", False, 1, 0),
        ("streamed, one connection back to back", True, 1, 0),
    ]
    for mode, stream, connections, delay in runs:
        results = [measure(t.name, t.url, t.process.pid, t.body(kilobytes, stream), args.seconds, connections, delay, key=t.key)
                   for t in targets]
        print(f"\n== {kilobytes} KB prompt, {mode}, {connections} connection{'s' if connections > 1 else ''}, {args.seconds} s each (wrk -t1) ==")
        by = {r["name"]: r for r in results}
        direct, floor, peer = by["upstream (direct)"], by["nginx"], by.get("litellm")
        print(f"{'target':<30} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'+p50 ms':>8} {'CPU ms/req':>11} {'x nginx':>8} "
              f"{'litellm/x':>10} {'RSS MB':>7} {'non-2xx':>8}")
        for r in results:
            over_floor = r["cpu_ms_per_req"] / max(floor["cpu_ms_per_req"], 1e-9)
            under_peer = f"{peer['cpu_ms_per_req'] / max(r['cpu_ms_per_req'], 1e-9):>10.0f}" if peer else f"{'-':>10}"
            print(f"{r['name']:<30} {r['rps']:>9.0f} {r['p50']:>8.3f} {r['p99']:>8.3f} {r['p50'] - direct['p50']:>8.3f} "
                  f"{r['cpu_ms_per_req']:>11.4f} {over_floor:>8.1f} {under_peer} {r['rss_mb']:>7.1f} {r['errors']:>8}"
                  f"{'  socket errors: ' + r['socket_errors'] if r['socket_errors'] else ''}")
    print("\n(+p50: added over the upstream directly; x nginx: CPU per request over nginx's; litellm/x: LiteLLM's CPU per request over this one's)")


if __name__ == "__main__":
    main()
