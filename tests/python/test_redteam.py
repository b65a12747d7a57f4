"""The gateway as an attacker, or a broken upstream, would meet it: real
processes, each abuse kept up while the test checks that the gateway is
alive, that /healthz still answers (a liveness bound, not a speed), that its
memory (RSS) stays under 300 MB, and that nothing secret leaves it."""
import json
import os
import resource
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import DOUBLE_BIN, FRONTIER_BIN, free_port, wait_for

SECRET = "sk-redteam-upstream-secret-0123456789abcdef"
RSS_LIMIT_MB = 300


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def health_seconds(port: int) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
        assert response.status == 200
    return time.monotonic() - started


# liveness: /healthz answers in ~2 ms idle; under abuse on two busy cores it must still answer within 3 s.
HEALTH_LIVENESS_SECONDS = 3.0


def post(port: int, body, headers=None, timeout=30):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/chat/completions", data=data, headers={"content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def gateway():
    double_port, port = free_port(), free_port()
    double = subprocess.Popen([DOUBLE_BIN, "--port", str(double_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    up = f"http://127.0.0.1:{double_port}"
    directory = tempfile.mkdtemp(prefix="frontier-redteam-")
    config = os.path.join(directory, "frontier.yaml")
    with open(config, "w") as f:
        f.write(f"""
gateway:
  port: {port}
  timeouts: {{connect_ms: 1000, first_token_ms: 5000, total_ms: 30000}}
  retries: {{max_retries: 0}}
  limits: {{header_timeout_ms: 4000, max_stream_event_bytes: 65536}}
  default_models: [ok]
models:
  - {{id: ok, provider: openai-compatible, base_url: "{up}/ok/v1", deployment: local, quality: 0.5}}
  - {{id: endless-line, provider: openai-compatible, base_url: "{up}/endless-line/v1", deployment: local}}
  - {{id: fast-endless, provider: openai-compatible, base_url: "{up}/fast-endless/v1", deployment: local}}
  - {{id: redirect, provider: openai-compatible, base_url: "{up}/redirect/v1", deployment: cloud, api_key: "${{REDTEAM_KEY}}",
      price: {{input_per_mtok: 1, output_per_mtok: 1}}}}
  - {{id: echo-key, provider: openai-compatible, base_url: "{up}/echo-key-401/v1", deployment: cloud, api_key: "${{REDTEAM_KEY}}",
      price: {{input_per_mtok: 1, output_per_mtok: 1}}}}
  - {{id: hostile-usage, provider: openai-compatible, base_url: "{up}/hostile-usage/v1", deployment: local}}
  - {{id: hostile-retry, provider: openai-compatible, base_url: "{up}/hostile-retry-after/v1", deployment: local}}
privacy: {{pii: on-prem}}
""")
    log_path = config + ".log"
    log = open(log_path, "w")
    # A key mounted from a file ends in a newline.
    env = {**os.environ, "REDTEAM_KEY": SECRET + "\n"}
    process = subprocess.Popen([FRONTIER_BIN, "serve", "--config", config, "--log-level", "debug"], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(f"{up}/healthz", double)
        wait_for(f"http://127.0.0.1:{port}/healthz", process)
        yield {"port": port, "pid": process.pid, "process": process, "double": up, "log": log_path}
    finally:
        process.terminate()
        double.terminate()
        process.wait(timeout=15)
        double.wait(timeout=10)
        log.close()


def assert_healthy(gateway):
    assert gateway["process"].poll() is None, "the gateway died"
    assert health_seconds(gateway["port"]) < HEALTH_LIVENESS_SECONDS  # liveness
    assert rss_mb(gateway["pid"]) < RSS_LIMIT_MB, f"RSS {rss_mb(gateway['pid']):.0f} MB"


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/route"])
def test_huge_numbers_are_refused_not_fatal(gateway, path):
    for field, value in [("max_tokens", 2**63 - 1), ("max_completion_tokens", 2**63 - 1), ("n", 10**9), ("max_tokens", -1)]:
        body = json.dumps({"model": "auto", "messages": [{"role": "user", "content": "x"}], field: value}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{gateway['port']}{path}", data=body, headers={"content-type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request, timeout=10)
        assert error.value.code == 400
        assert json.loads(error.value.read())["error"]["param"] == field
    for header, value in [("x-frontier-max-latency-ms", "1e308"), ("x-frontier-max-cost-usd", "1e308")]:
        status, _ = post(gateway["port"], {"model": "auto", "messages": [{"role": "user", "content": "x"}]}, {header: value})
        assert status == 200
    assert_healthy(gateway)


def test_hostile_upstream_numbers(gateway):
    for stream in [False, True]:
        status, body = post(gateway["port"], {"model": "hostile-usage", "stream": stream, "messages": [{"role": "user", "content": "x"}]})
        assert status == 200, body
    status, _ = post(gateway["port"], {"model": "hostile-retry", "messages": [{"role": "user", "content": "x"}]})
    assert status == 429
    assert_healthy(gateway)


def test_four_mib_of_worst_case_pii_text(gateway):
    # Just under the 4 MiB body limit: e-mail addresses, one after another (each a finding), then PEM lines without an end.
    # The scan's linear growth is PIIScanGrowthTests' (CPU time at n and 8n) and its speed scripts/bench-router's;
    # here: the gateway finds the PII, and goes on answering others while it scans (the scan is off the event loop).
    for unit in ["a.b@example.com ", "-----BEGIN RSA PRIVATE KEY----- "]:
        text = unit * ((4 * 1024 * 1024 - 200) // len(unit))
        body = json.dumps({"model": "auto", "messages": [{"role": "user", "content": text}]}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{gateway['port']}/v1/route", data=body, headers={"content-type": "application/json"})
        results = {}

        def send():
            started = time.monotonic()
            with urllib.request.urlopen(request, timeout=120) as response:
                results["status"] = response.status
                results["decision"] = json.loads(response.read())
            results["started"], results["ended"] = started, time.monotonic()

        thread = threading.Thread(target=send)
        thread.start()
        health_ends = []
        while thread.is_alive():
            assert health_seconds(gateway["port"]) < HEALTH_LIVENESS_SECONDS  # liveness
            health_ends.append(time.monotonic())
            time.sleep(0.05)
        thread.join()
        assert results["status"] == 200
        assert results["decision"]["features"]["pii"], "the PII was not found"
        # Not blocked, whatever the machine's speed: a scan that held the loop would let no health check end during
        # it; one off the loop lets one through every 0.05 s plus its latency, which the liveness bound caps (so a
        # long scan must see at least its length over that bound, and a fast one is asked nothing).
        scan_seconds = results["ended"] - results["started"]
        during = sum(1 for end in health_ends if end < results["ended"] - 0.05)
        print(f"{unit!r}: scanned in {scan_seconds:.1f} s; {during} health checks answered meanwhile")
        assert during >= int(scan_seconds / HEALTH_LIVENESS_SECONDS) - 1, f"{unit!r}: {during} health checks in a {scan_seconds:.1f} s scan"
    assert_healthy(gateway)


def test_fifteen_hundred_half_open_connections(gateway):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2000:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    sockets = []
    try:
        for n in range(1500):
            s = socket.create_connection(("127.0.0.1", gateway["port"]), timeout=5)
            if n % 2:
                s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n")  # headers never finished
            sockets.append(s)
        time.sleep(0.5)
        assert_healthy(gateway)
        status, _ = post(gateway["port"], {"model": "ok", "messages": [{"role": "user", "content": "x"}]})
        assert status == 200
        # The header timeout (4 s here) closes every one of them.
        time.sleep(5)
        closed = 0
        for s in sockets:
            s.settimeout(0.01)
            try:
                closed += s.recv(1) == b""
            except (socket.timeout, BlockingIOError):
                pass  # still open
            except OSError:
                closed += 1  # reset
        assert closed == len(sockets), f"{len(sockets) - closed} connections still open"
    finally:
        for s in sockets:
            s.close()
    assert_healthy(gateway)


def test_an_sse_line_that_never_ends(gateway):
    status, body = post(gateway["port"], {"model": "endless-line", "stream": True, "messages": [{"role": "user", "content": "x"}]})
    assert status == 502
    assert "longer than 65536 bytes" in json.loads(body)["error"]["message"]
    assert_healthy(gateway)


def test_a_slow_reader_on_a_fast_stream_stays_bounded(gateway):
    body = json.dumps({"model": "fast-endless", "stream": True, "messages": [{"role": "user", "content": "x"}]}).encode()
    s = socket.create_connection(("127.0.0.1", gateway["port"]), timeout=10)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
              + str(len(body)).encode() + b"\r\n\r\n" + body)
    try:
        time.sleep(0.5)
        start = rss_mb(gateway["pid"])
        peak = start
        slowest = 0.0
        for _ in range(50):  # five seconds, reading a trickle
            s.recv(16)
            peak = max(peak, rss_mb(gateway["pid"]))
            slowest = max(slowest, health_seconds(gateway["port"]))
            time.sleep(0.1)
        print(f"RSS {start:.0f} MB -> peak {peak:.0f} MB; slowest /healthz {slowest * 1000:.0f} ms")
        assert slowest < HEALTH_LIVENESS_SECONDS  # liveness
        assert peak < RSS_LIMIT_MB, f"RSS reached {peak:.0f} MB"
        # Backpressure: what the upstream sends waits in its socket, not in the gateway.
        assert peak - start < 32, f"RSS grew {peak - start:.0f} MB in five seconds while the client read a trickle"
    finally:
        s.close()
    assert_healthy(gateway)


def test_a_redirecting_upstream_gets_neither_the_prompt_nor_the_key(gateway):
    status, body = post(gateway["port"], {"model": "redirect", "messages": [{"role": "user", "content": "secret plans"}]})
    assert status == 502
    assert "does not follow upstream redirects" in json.loads(body)["error"]["message"]
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{gateway['double']}/received/capture", timeout=5)
    assert error.value.code == 404, "the redirect was followed"


def test_a_key_with_a_newline_works_and_never_leaks(gateway):
    status, body = post(gateway["port"], {"model": "echo-key", "messages": [{"role": "user", "content": "x"}]})
    assert status == 502
    assert SECRET not in body.decode() and SECRET[-16:] not in body.decode()
    with urllib.request.urlopen(f"{gateway['double']}/received/echo-key-401", timeout=5) as response:
        received = json.loads(response.read())
    assert received["headers"]["authorization"] == f"Bearer {SECRET}"  # trimmed, and sent whole
    with open(gateway["log"]) as f:
        assert SECRET[-16:] not in f.read(), "the key reached the log"
    assert_healthy(gateway)
