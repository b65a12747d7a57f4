"""SIGTERM: the gateway stops accepting, finishes the requests in flight, then exits 0."""
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request

import openai

from conftest import FRONTIER_BIN, free_port, running_double, wait_for, wait_until


def test_sigterm_finishes_in_flight_requests(stack):
    port = free_port()
    gateway = subprocess.Popen(
        [FRONTIER_BIN, "serve", "--config", stack.config_path, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_for(f"http://127.0.0.1:{port}/healthz", gateway)
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="unused", max_retries=0)
    result = {}

    def slow_request():
        try:
            result["completion"] = client.chat.completions.create(
                model="gemma-local", messages=[{"role": "user", "content": "Count to twenty."}], max_tokens=48, temperature=0
            )
        except Exception as error:  # noqa: BLE001 - reported below
            result["error"] = error

    worker = threading.Thread(target=slow_request)
    worker.start()
    time.sleep(0.3)
    gateway.send_signal(signal.SIGTERM)
    worker.join(timeout=60)
    assert gateway.wait(timeout=30) == 0
    assert "error" not in result, f"the in-flight request failed: {result.get('error')}"
    assert result["completion"].usage.completion_tokens > 0
    try:
        client.chat.completions.create(model="gemma-local", messages=[{"role": "user", "content": "hi"}], max_tokens=2)
        raise AssertionError("a request after shutdown was served")
    except openai.APIConnectionError:
        pass


def test_a_drain_that_outlasts_its_bound_is_cancelled_named_and_exits_1():
    """A request to an upstream that never answers would hold the drain forever: past
    `gateway.limits.shutdown_timeout_ms` the gateway cancels it, says which service hung, and exits 1."""
    work = tempfile.mkdtemp(prefix="frontier-shutdown-")
    with running_double() as up:
        port = free_port()
        path = os.path.join(work, "frontier.yaml")
        with open(path, "w") as f:
            f.write(f"""
gateway: {{port: {port}, limits: {{shutdown_timeout_ms: 1000}}}}
models:
  - id: never
    provider: openai-compatible
    base_url: http://127.0.0.1:{up}/hang/v1
    deployment: on-prem
    timeouts: {{first_token_ms: 120000, total_ms: 120000}}
""")
        log_path = path + ".log"
        gateway = subprocess.Popen([FRONTIER_BIN, "serve", "--config", path], stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
        wait_for(f"http://127.0.0.1:{port}/healthz", gateway)
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="unused", max_retries=0, timeout=120)
        result = {}

        def hanging_request():
            try:
                result["completion"] = client.chat.completions.create(model="never", messages=[{"role": "user", "content": "hi"}])
            except Exception as error:  # noqa: BLE001 - the cut is the expected outcome
                result["error"] = error

        worker = threading.Thread(target=hanging_request)
        worker.start()
        assert wait_until(lambda: upstream_in_flight(up) > 0), "the request never reached the upstream"
        started = time.monotonic()
        gateway.send_signal(signal.SIGTERM)
        code = gateway.wait(timeout=60)
        waited = time.monotonic() - started
        worker.join(timeout=60)
        log = open(log_path).read()
        assert code == 1, log[-2000:]
        # Liveness, not speed: bounded by the setting (1 s) plus the exit, with room for two busy cores.
        assert waited < 30, waited
        assert "shutdown_timeout_ms; cancelled: http server\n" in log, log[-2000:]
        assert "completion" not in result


def upstream_in_flight(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=5) as response:
        return json.loads(response.read())["in_flight"]
