"""Starts the processes the client tests talk to: the test upstream (the
misbehaving double) and a Frontier gateway configured with the real
llama.cpp Gemma model, an Anthropic-shaped upstream and faulty upstreams."""
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import openai
import pytest

FRONTIER_BIN = os.environ.get("FRONTIER_BIN", ".build/debug/frontier")
DOUBLE_BIN = os.environ.get("FRONTIER_DOUBLE_BIN", ".build/debug/frontier-upstream-double")
LLAMA_URL = os.environ.get("FRONTIER_LLAMA_URL", "http://127.0.0.1:18081/v1")
EMBED_URL = os.environ.get("FRONTIER_EMBED_URL", "http://127.0.0.1:18082/v1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    # liveness: a server answers within ~1 s idle; 60 s holds on two busy cores.
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def wait_until(predicate, seconds=30, step=0.1):
    """`predicate()`'s first truthy value, polled every `step` s; its last value when `seconds` pass."""
    # liveness: what the tests wait for (an export, a canary run, a reload) takes a second or two idle;
    # 30 s holds on two busy cores.
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


@contextlib.contextmanager
def running_double():
    """The test upstream on a free port, stopped on the way out."""
    port = free_port()
    double = subprocess.Popen([DOUBLE_BIN, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", double)
        yield port
    finally:
        double.terminate()
        double.wait(timeout=10)


@contextlib.contextmanager
def running_gateway(config_text: str, port: int, env=None, directory=None):
    """`frontier serve` on `config_text` (listening on `port`; the file is `directory`/frontier.yaml), stopped on
    the way out; it must exit cleanly."""
    directory = directory or tempfile.mkdtemp(prefix="frontier-gateway-")
    path = os.path.join(directory, "frontier.yaml")
    with open(path, "w") as f:
        f.write(config_text)
    log = open(path + ".log", "w")
    gateway = subprocess.Popen([FRONTIER_BIN, "serve", "--config", path], stdout=log, stderr=subprocess.STDOUT, env=env or os.environ)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", gateway)
        yield f"http://127.0.0.1:{port}"
    finally:
        gateway.terminate()
        try:
            code = gateway.wait(timeout=20)
        except subprocess.TimeoutExpired:
            # A gateway that does not stop is a bug to see: its threads and its last log lines go in the failure.
            dump = subprocess.run(["gdb", "-p", str(gateway.pid), "-batch", "-ex", "thread apply all bt 30"],
                                  capture_output=True, text=True, timeout=60).stdout if shutil.which("gdb") else "(no gdb)"
            gateway.kill()
            log.close()
            tail = open(path + ".log").read()[-4000:]
            pytest.fail(f"the gateway did not exit within 20 s of SIGTERM\n--- log tail ---\n{tail}\n--- threads ---\n{dump[-20000:]}")
        assert code == 0, "the gateway did not exit cleanly on SIGTERM"
        log.close()


@contextlib.contextmanager
def ledgered_gateway(config, ledger_key: str):
    """The test upstream and a gateway on `config(upstream_port, port, db_path)` with its SQLite ledger in a fresh
    folder; yields (url, upstream_port, config_path, env), env holding the ledger key the CLI needs too."""
    work = tempfile.mkdtemp(prefix="frontier-ledgered-")
    env = dict(os.environ, FRONTIER_LEDGER_KEY=ledger_key)
    with running_double() as upstream:
        port = free_port()
        with running_gateway(config(upstream, port, os.path.join(work, "frontier.db")), port, env=env, directory=work) as url:
            yield url, upstream, os.path.join(work, "frontier.yaml"), env


def gateway_config(double_port: int, gateway_port: int) -> str:
    up = f"http://127.0.0.1:{double_port}"
    return f"""
gateway:
  port: {gateway_port}
  default_models: [broken, gemma-local, cloud-cheap]
  timeouts: {{connect_ms: 1000, first_token_ms: 20000, total_ms: 60000}}
models:
  - id: gemma-local
    provider: openai-compatible
    base_url: {LLAMA_URL}
    upstream_model: gemma-3-270m
    deployment: local
    price: {{input_per_mtok: 0, output_per_mtok: 0}}
    context_window: 4096
    quality: 0.3
  - id: broken
    provider: openai-compatible
    base_url: {up}/fail-500/v1
    deployment: on-prem
    quality: 0.6
  - id: cloud-cheap
    provider: openai-compatible
    base_url: {up}/ok/v1
    api_key: test-key
    deployment: cloud
    price: {{input_per_mtok: 0.01, output_per_mtok: 0.02}}
    quality: 0.95
  - id: claude-test
    provider: anthropic
    base_url: {up}/ok/v1
    api_key: test-key
    deployment: cloud
    price: {{input_per_mtok: 3, output_per_mtok: 15}}
  - id: cut
    provider: openai-compatible
    base_url: {up}/cut-stream/v1
    deployment: on-prem
  - id: slow
    provider: openai-compatible
    base_url: {up}/hang/v1
    deployment: on-prem
    timeouts: {{first_token_ms: 800}}
  - id: keyless
    provider: openai-compatible
    base_url: https://api.openai.com/v1
    api_key: ${{FRONTIER_TEST_UNSET_KEY}}
    deployment: cloud
    price: {{input_per_mtok: 2.5, output_per_mtok: 10}}
privacy: {{pii: on-prem, on_violation: refuse}}
router: {{default_objective: best}}
"""


class Stack:
    def __init__(self, base_url: str, config_path: str):
        self.base_url = base_url
        self.config_path = config_path

    def client(self, **kwargs) -> openai.OpenAI:
        return openai.OpenAI(base_url=self.base_url + "/v1", api_key="unused", max_retries=0, **kwargs)


@pytest.fixture(scope="session")
def stack():
    double_port, gateway_port = free_port(), free_port()
    double = subprocess.Popen([DOUBLE_BIN, "--port", str(double_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    config.write(gateway_config(double_port, gateway_port))
    config.close()
    env = {k: v for k, v in os.environ.items() if k != "FRONTIER_TEST_UNSET_KEY"}
    log = open(os.path.join(tempfile.gettempdir(), "frontier-pytest-gateway.log"), "w")
    gateway = subprocess.Popen([FRONTIER_BIN, "serve", "--config", config.name], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(f"http://127.0.0.1:{double_port}/healthz", double)
        wait_for(f"http://127.0.0.1:{gateway_port}/healthz", gateway)
        yield Stack(f"http://127.0.0.1:{gateway_port}", config.name)
    finally:
        for process in (gateway, double):
            process.terminate()
        for process in (gateway, double):
            process.wait(timeout=10)
        assert gateway.returncode == 0, "the gateway did not exit cleanly on SIGTERM"
        os.unlink(config.name)
