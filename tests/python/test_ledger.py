"""The ledger with real storage: a crash in strict mode loses no answered
request, batched mode loses at most its flush window, two gateways share one
PostgreSQL chain, a database that refuses writes gives 503 and loses nothing,
and an unwritable database stops start-up with a clear error."""
import concurrent.futures
import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import FRONTIER_BIN, free_port, running_double, wait_for, wait_until

POSTGRES_URL = os.environ.get("FRONTIER_TEST_POSTGRES_URL")
BODY = json.dumps({"model": "local", "messages": [{"role": "user", "content": "hello ledger"}], "max_tokens": 8}).encode()


@pytest.fixture(scope="module")
def upstream():
    with running_double() as port:
        yield port


def write_config(directory, upstream_port, port, storage, ledger):
    # These tests count request records under load that repeats one prompt: the retry signal would add a
    # feedback record to nearly every one (test_learning.py covers the implicit signals).
    ledger = "{implicit_feedback: false, " + ledger.strip()[1:] if ledger.strip().startswith("{") else ledger
    path = os.path.join(directory, f"frontier-{port}.yaml")
    with open(path, "w") as f:
        f.write(f"""
gateway: {{port: {port}}}
models:
  - {{id: local, provider: openai-compatible, base_url: "http://127.0.0.1:{upstream_port}/ok/v1", deployment: local,
      price: {{input_per_mtok: 0.5, output_per_mtok: 1.5}}, fixed_costs: {{usd_per_hour: 0.9}}}}
  - {{id: general, provider: openai-compatible, base_url: "http://127.0.0.1:{upstream_port}/ok/v1", deployment: cloud,
      price: {{input_per_mtok: 2.5, output_per_mtok: 10}}}}
storage: {storage}
ledger: {ledger}
""")
    return path


def start(config, env=None):
    log = open(config + ".log", "a")
    process = subprocess.Popen([FRONTIER_BIN, "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT, env=env)
    return process


def post(port):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", data=BODY, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["x-frontier-request-id"], time.monotonic()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("x-frontier-request-id"), time.monotonic()
    except OSError:
        return None, None, time.monotonic()


def admin(port, path, body=None):
    """An admin call on a gateway without `auth` (loopback only): (status, JSON)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def drive(ports, seconds, stop_event=None, threads=4, results=None):
    """Requests from several threads until `seconds` pass or `stop_event` is set: (status, request id, time) of each
    (appended to `results` as they come, when given)."""
    results, lock = ([] if results is None else results), threading.Lock()
    # liveness: callers stop it by `stop_event` long before; `seconds` only bounds a run that never gets going.
    deadline = time.monotonic() + seconds

    def worker(n):
        while time.monotonic() < deadline and not (stop_event and stop_event.is_set()):  # liveness: bounded by `seconds` (see above)
            outcome = post(ports[n % len(ports)])
            with lock:
                results.append(outcome)

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    return results


def exported(config):
    out = subprocess.run([FRONTIER_BIN, "audit", "export", "--config", config], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return requests_in(out.stdout)


def requests_in(export):
    # The requests' records: events (a model's identity seen, a drift alarm), canary runs, feedback and
    # exploration grades are chained in the same ledger.
    return [r for r in (json.loads(line) for line in export.splitlines() if line.strip())
            if r.get("kind") not in ("event", "canary", "feedback", "exploration")]


def verify(config):
    return subprocess.run([FRONTIER_BIN, "audit", "verify", "--config", config], capture_output=True, text=True, timeout=60)


def crash_run(upstream, durability, flush_ms):
    work = tempfile.mkdtemp(prefix=f"frontier-crash-{durability}-")
    port = free_port()
    config = write_config(work, upstream, port, "{sqlite: ledger.db}", f"{{durability: {durability}, flush_ms: {flush_ms}}}")
    gateway = start(config)
    wait_for(f"http://127.0.0.1:{port}/healthz", gateway)
    stop = threading.Event()
    killed_at = []
    results = []

    def kill_later():
        # Mid-load, once enough has been answered (a count, not a time: a busy machine answers fewer per second),
        # and no sooner than 3 s in, so the batched run has many flush windows behind it.
        started = time.monotonic()
        # liveness: 150 answers take ~1 s idle; 120 s holds on two busy cores.
        while (sum(1 for r in results if r[0] == 200) < 150 or time.monotonic() - started < 3) and time.monotonic() - started < 120:
            time.sleep(0.05)
        killed_at.append(time.monotonic())
        gateway.send_signal(signal.SIGKILL)
        stop.set()

    threading.Thread(target=kill_later).start()
    drive([port], 180, stop, results=results)
    gateway.wait(timeout=10)
    answered = {rid: at for status, rid, at in results if status == 200}
    records = {r["request_id"] for r in exported(config)}
    return work, config, answered, records, killed_at[0]


def test_strict_mode_keeps_every_answered_request_through_a_kill_9(upstream):
    work, config, answered, records, _ = crash_run(upstream, "strict", 50)
    try:
        assert len(answered) >= 150, "the load did not get going"
        missing = set(answered) - records
        assert not missing, f"{len(missing)} answered requests have no record"
        result = verify(config)
        assert result.returncode == 0, result.stdout
        print(f"strict: {len(answered)} answered before kill -9, {len(records)} records, 0 missing; verify: {result.stdout.strip()}")
        # Restarted, it appends to the same chain, which still verifies.
        port = int(os.path.basename(config).split("-")[1].split(".")[0])
        gateway = start(config)
        wait_for(f"http://127.0.0.1:{port}/healthz", gateway)
        assert post(port)[0] == 200
        gateway.terminate()
        gateway.wait(timeout=10)
        assert verify(config).returncode == 0
        assert len(exported(config)) == len(records) + 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_batched_mode_loses_at_most_its_flush_window(upstream):
    flush_ms = 200
    work, config, answered, records, killed_at = crash_run(upstream, "batched", flush_ms)
    try:
        lost = set(answered) - records
        # Only answers from the last flush window (plus a commit's time) may be lost.
        # liveness: a due group is committed within ~5 ms idle; 1 s beyond the window holds on two busy cores.
        margin_ms = flush_ms + 1000
        window = {rid for rid, at in answered.items() if at >= killed_at - margin_ms / 1000}
        assert len(window) < len(answered), "the run was too short to tell"
        print(f"batched (flush_ms {flush_ms}): {len(answered)} answered, {len(lost)} lost, {len(window)} answered in the last {margin_ms} ms")
        assert lost <= window, f"{len(lost - window)} records lost from outside the flush window"
        assert verify(config).returncode == 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fresh_database():
    name = f"frontier_{os.getpid()}_{int(time.time() * 1000) % 10_000_000}"
    subprocess.run(["psql", POSTGRES_URL, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


@pytest.mark.skipif(not POSTGRES_URL, reason="needs FRONTIER_TEST_POSTGRES_URL (scripts/test starts PostgreSQL)")
def test_two_gateways_share_one_postgres_chain(upstream):
    url = fresh_database()
    work = tempfile.mkdtemp(prefix="frontier-pg-")
    ports = [free_port(), free_port()]
    env = dict(os.environ, FRONTIER_LEDGER_KEY="shared-test-key")
    configs = [write_config(work, upstream, p, f'{{postgres: "{url}"}}', "{durability: strict, checkpoint_every: 50}") for p in ports]
    gateways = [start(c, env) for c in configs]
    try:
        for p, g in zip(ports, gateways):
            wait_for(f"http://127.0.0.1:{p}/healthz", g)
        results = drive(ports, 4, threads=6)
        # The dashboard's sums in PostgreSQL, written by both instances: the front door's count, a score's live quality.
        answered_first = next(rid for status, rid, _ in results if status == 200)
        assert admin(ports[1], "/v1/feedback", {"request_id": answered_first, "score": 0.25})[0] == 200
        routing = admin(ports[0], "/admin/api/routing?window=1h")[1]
        assert routing["by_door"] == [{"name": "openai.chat", "requests": len(results)}], routing["by_door"]
        # Feedback is committed within the flush window, not before its 200.
        served = wait_until(lambda: {m["model"]: m for m in admin(ports[0], "/admin/api/frontier?window=1h")[1]["served"] if m["scores"]})
        assert served["local"]["scores"] == 1 and served["local"]["live_quality"] == 0.25, served
        for g in gateways:
            g.terminate()
        for g in gateways:
            assert g.wait(timeout=20) == 0
        answered = [rid for status, rid, _ in results if status == 200]
        assert len(answered) > 100
        out = subprocess.run([FRONTIER_BIN, "audit", "verify", "--config", configs[0]], capture_output=True, text=True, env=env, timeout=60)
        assert out.returncode == 0, out.stdout + out.stderr
        records = subprocess.run([FRONTIER_BIN, "audit", "export", "--config", configs[1]], capture_output=True, text=True, env=env, timeout=60)
        ids = [r["request_id"] for r in requests_in(records.stdout)]
        assert len(ids) == len(set(ids)), "a record was written twice"
        assert set(answered) <= set(ids), "an answered request has no record"
        assert len(ids) == len(results), "every request, answered or not, has exactly one record"
        print(f"two gateways, one PostgreSQL: {len(answered)} answered, {len(ids)} records, chain: {out.stdout.strip()}")
        # The report's parts add up; the counterfactual is the served tokens at the reference model's price.
        report = subprocess.run([FRONTIER_BIN, "report", "--config", configs[0], "--since", "1h", "--reference", "general"],
                                capture_output=True, text=True, env=env, timeout=60)
        assert report.returncode == 0, report.stderr
        lines = {l.split("$")[0].strip(): float(l.split("$")[1].split()[0]) for l in report.stdout.splitlines() if l.startswith("  ") and "$" in l and "same answers" not in l}
        assert abs(lines["API and token fees"] + lines["hosting"] + lines["fine-tuning"] - lines["total"]) < 1e-3
        expected = sum((r["input_tokens"] * 2.5 + r["output_tokens"] * 10) / 1e6 for r in requests_in(records.stdout) if r["status"] == 200)
        stated = float(report.stdout.split("the same answers on general: $")[1].split(";")[0])
        assert abs(stated - expected) < 1e-5, (stated, expected)
    finally:
        for g in gateways:
            if g.poll() is None:
                g.kill()
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.skipif(not POSTGRES_URL, reason="needs FRONTIER_TEST_POSTGRES_URL (scripts/test starts PostgreSQL)")
def test_a_database_that_refuses_writes_gives_503_in_strict_mode_and_loses_nothing(upstream):
    url = fresh_database()
    work = tempfile.mkdtemp(prefix="frontier-pg-down-")
    port = free_port()
    env = dict(os.environ, FRONTIER_LEDGER_KEY="test-key")
    config = write_config(work, upstream, port, f'{{postgres: "{url}"}}', "{durability: strict}")
    gateway = start(config, env)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", gateway)
        assert post(port)[0] == 200
        subprocess.run(["psql", url, "-qc", "REVOKE INSERT ON ledger_records FROM frontier"], check=True, capture_output=True)
        status, refused_id, _ = post(port)
        assert status == 503
        subprocess.run(["psql", url, "-qc", "GRANT INSERT ON ledger_records TO frontier"], check=True, capture_output=True)
        time.sleep(1)
        assert post(port)[0] == 200
        gateway.terminate()
        gateway.wait(timeout=20)
        records = {r["request_id"]: r for r in requests_in(subprocess.run(
            [FRONTIER_BIN, "audit", "export", "--config", config], capture_output=True, text=True, env=env, timeout=60).stdout)}
        assert len(records) == 3
        assert records[refused_id]["status"] == 503  # its answer was withheld, and the record says so
        assert subprocess.run([FRONTIER_BIN, "audit", "verify", "--config", config], capture_output=True, env=env, timeout=60).returncode == 0
    finally:
        if gateway.poll() is None:
            gateway.kill()
        shutil.rmtree(work, ignore_errors=True)


def test_an_unwritable_database_stops_start_up_with_a_clear_error(upstream):
    work = tempfile.mkdtemp(prefix="frontier-ro-")
    os.chmod(work, 0o755)
    try:
        config = write_config(work, upstream, free_port(), "{sqlite: ledger.db}", "{durability: strict}")
        db = os.path.join(work, "ledger.db")
        open(db, "w").close()
        os.chmod(db, 0o444)
        os.chmod(config, 0o644)
        # As root every file is writable: run as nobody, for whom this one is read-only.
        user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
        result = subprocess.run(user + [FRONTIER_BIN, "serve", "--config", config], capture_output=True, text=True, timeout=60,
                                env=dict(os.environ, FRONTIER_LEDGER_KEY="k"))
        assert result.returncode == 2
        assert f"cannot open {db} for writing" in result.stdout + result.stderr
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_a_prompt_that_left_is_on_record_after_a_kill_9_mid_call(upstream):
    """Strict routes write ahead: before a prompt leaves for a model outside `local`, an intent
    record is committed, so a crash mid-call still leaves a trace of what left and where to."""
    work = tempfile.mkdtemp(prefix="frontier-intent-")
    port = free_port()
    config = os.path.join(work, "frontier.yaml")
    with open(config, "w") as f:
        f.write(f"""
gateway: {{port: {port}, timeouts: {{connect_ms: 1000, first_token_ms: 60000, total_ms: 60000}}}}
models:
  - {{id: slow-cloud, provider: openai-compatible, base_url: "http://127.0.0.1:{upstream}/hang/v1", deployment: cloud,
      price: {{input_per_mtok: 1, output_per_mtok: 2}}}}
storage: {{sqlite: ledger.db}}
ledger: {{durability: strict}}
""")
    gateway = start(config)
    wait_for(f"http://127.0.0.1:{port}/healthz", gateway)
    body = json.dumps({"model": "slow-cloud", "messages": [{"role": "user", "content": "write to jane.doe@example.com about the audit"}]}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", data=body, headers={"content-type": "application/json"})
    def call():
        try:
            urllib.request.urlopen(request, timeout=30)
        except (OSError, http.client.HTTPException):
            pass  # the gateway is killed mid-call: no answer is the point

    threading.Thread(target=call, daemon=True).start()
    # liveness: the upstream has the call within a few ms idle; 30 s holds on two busy cores.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{upstream}/stats", timeout=5) as response:
            if json.loads(response.read())["in_flight"] >= 1:
                break
        time.sleep(0.05)
    gateway.send_signal(signal.SIGKILL)  # mid-call: the upstream has the prompt, the gateway has not answered
    gateway.wait(timeout=10)
    out = subprocess.run([FRONTIER_BIN, "audit", "incomplete", "--config", config], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    left = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert len(left) == 1, out.stdout + out.stderr
    assert left[0]["model"] == "slow-cloud" and left[0]["pii"] == ["email"] and left[0]["prompt_hmac"]
    assert "jane.doe" not in out.stdout
    assert verify(config).returncode == 0


def test_upstream_error_text_is_not_kept_readable(upstream, monkeypatch):
    """vLLM's validation errors echo the prompt: the ledger keeps the gateway's summary only,
    and the upstream's words sealed with the bodies' key when bodies are stored."""
    for store_bodies in (False, True):
        work = tempfile.mkdtemp(prefix="frontier-errortext-")
        port = free_port()
        config = os.path.join(work, "frontier.yaml")
        with open(config, "w") as f:
            f.write(f"""
gateway: {{port: {port}}}
models:
  - {{id: echo, provider: openai-compatible, base_url: "http://127.0.0.1:{upstream}/echo-prompt-400/v1", deployment: local}}
storage: {{sqlite: ledger.db}}
ledger: {{durability: strict, store_bodies: {str(store_bodies).lower()}}}
""")
        monkeypatch.setenv("FRONTIER_LEDGER_BODY_KEY", "body-key-for-the-test")  # for `audit export` too
        gateway = start(config, env=dict(os.environ))
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz", gateway)
            body = json.dumps({"model": "echo", "messages": [{"role": "user", "content": "the merger code name is tangerine"}]}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", data=body, headers={"content-type": "application/json"})
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(request, timeout=10)
            assert error.value.code == 400
        finally:
            gateway.terminate()
            gateway.wait(timeout=10)
        records = exported(config)
        text = json.dumps(records)
        assert "tangerine" not in text, "the upstream's error text reached the ledger in plain text"
        attempt = records[0]["attempts"][0]
        assert attempt["error"] == "HTTP 400"
        assert ("error_sealed" in attempt) == store_bodies
