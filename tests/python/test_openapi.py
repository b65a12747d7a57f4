"""The gateway against its own OpenAPI document (docs/openapi.yaml, served at
GET /openapi.yaml), fuzzed by schemathesis: no 5xx that is the gateway's own
fault, every status and content type documented, every body (errors in
OpenAI's shape) and header conforming to its schema."""
import os
import shutil
import subprocess
import sys
import tempfile
import json
import urllib.request

import yaml

from conftest import DOUBLE_BIN, FRONTIER_BIN, free_port, wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECONDS = os.environ.get("FRONTIER_SCHEMATHESIS_SECONDS", "60")


def test_the_served_document_is_valid_openapi_3_1():
    from openapi_spec_validator import validate

    with open(os.path.join(ROOT, "docs", "openapi.yaml")) as f:
        document = yaml.safe_load(f)
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_schemathesis_finds_nothing():
    double_port, port = free_port(), free_port()
    double = subprocess.Popen([DOUBLE_BIN, "--port", str(double_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    directory = tempfile.mkdtemp(prefix="frontier-schemathesis-")
    config = os.path.join(directory, "frontier.yaml")
    # One healthy upstream: any 5xx would be the gateway's own. Auth on, as it would face a network.
    admin = "schemathesis-admin-key-0123456789"
    with open(config, "w") as f:
        f.write(f"""
gateway: {{port: {port}, timeouts: {{connect_ms: 1000, first_token_ms: 5000, total_ms: 10000}}}}
auth: {{admin_key: ${{FRONTIER_ADMIN_KEY}}}}
storage: {{sqlite: {directory}/frontier.db}}
models:
  - {{id: m, provider: openai-compatible, base_url: "http://127.0.0.1:{double_port}/ok/v1", deployment: local,
      price: {{input_per_mtok: 1, output_per_mtok: 2}}}}
  - {{id: e, kind: embedding, provider: openai-compatible, base_url: "http://127.0.0.1:{double_port}/ok/v1", deployment: local}}
""")
    log = open(config + ".log", "w")
    env = dict(os.environ, FRONTIER_ADMIN_KEY=admin)
    gateway = subprocess.Popen([FRONTIER_BIN, "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(f"http://127.0.0.1:{double_port}/healthz", double)
        wait_for(f"http://127.0.0.1:{port}/healthz", gateway)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.yaml", timeout=5) as response:
            served = response.read().decode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/admin/keys", method="POST", data=b'{"name": "schemathesis"}',
                                         headers={"authorization": f"Bearer {admin}", "content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            tenant = json.loads(response.read())["key"]
        schemathesis = shutil.which("schemathesis", path=os.path.dirname(sys.executable)) or "schemathesis"
        # With a tenant's key everywhere (the admin API answers it 401), then with the admin key on the admin API.
        for key, extra, seconds in [(tenant, [], SECONDS), (admin, ["--include-path-regex", "^/(admin|metrics|healthz)"], str(max(10, int(SECONDS) // 2)))]:
            # One worker: hypothesis's source inspection is not thread-safe on CPython 3.11.
            run = subprocess.run(
                [schemathesis, "run", f"http://127.0.0.1:{port}/openapi.yaml", "--url", f"http://127.0.0.1:{port}", "-H", f"Authorization: Bearer {key}",
                 "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection",
                 "--max-time", seconds, "--workers", "1", "--seed", "1", *extra],
                cwd=directory, capture_output=True, text=True, timeout=int(seconds) + 240)
            print(run.stdout[-4000:])
            assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
            assert "passed" in run.stdout
        assert gateway.poll() is None, "the gateway died under schemathesis"
        assert "openapi: 3.1" in served
    finally:
        gateway.terminate()
        double.terminate()
        gateway.wait(timeout=10)
        double.wait(timeout=10)
