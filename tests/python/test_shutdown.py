"""SIGTERM: the gateway stops accepting, finishes the requests in flight, then exits 0."""
import signal
import subprocess
import threading
import time

import openai

from conftest import FRONTIER_BIN, free_port, wait_for


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
