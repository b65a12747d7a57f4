"""`frontier eval` against the real llama.cpp Gemma model: valid outcomes
JSONL with real tokens, cost and latency, and the regression gate failing a
deliberately worse run. The judge and the "worse update" are the test
upstream (a cloud judge and a broken model cannot be had here)."""
import json
import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import DOUBLE_BIN, FRONTIER_BIN, LLAMA_URL, free_port, wait_for

SUITE = os.path.join(os.path.dirname(__file__), "data", "eval-suite.jsonl")


@pytest.fixture(scope="module")
def setup():
    port = free_port()
    double = subprocess.Popen([DOUBLE_BIN, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="frontier-eval-")
    config = os.path.join(work, "frontier.yaml")
    with open(config, "w") as f:
        f.write(f"""
models:
  - id: gemma-local
    provider: openai-compatible
    base_url: {LLAMA_URL}
    upstream_model: gemma-3-270m
    deployment: local
    price: {{input_per_mtok: 0.1, output_per_mtok: 0.2}}
  - id: judge
    provider: openai-compatible
    base_url: http://127.0.0.1:{port}/reply/v1
    deployment: on-prem
    headers: {{x-test-reply: "Score: 7"}}
""")
    # The same model id after a broken update: every call fails.
    broken = os.path.join(work, "broken.yaml")
    with open(broken, "w") as f:
        f.write(f"""
models:
  - id: gemma-local
    provider: openai-compatible
    base_url: http://127.0.0.1:{port}/fail-500/v1
    deployment: local
    timeouts: {{total_ms: 5000}}
  - id: judge
    provider: openai-compatible
    base_url: http://127.0.0.1:{port}/reply/v1
    deployment: on-prem
    headers: {{x-test-reply: "Score: 7"}}
""")
    wait_for(f"http://127.0.0.1:{port}/healthz", double)
    yield {"work": work, "config": config, "broken": broken}
    double.terminate()
    double.wait(timeout=10)
    shutil.rmtree(work, ignore_errors=True)


def run_eval(config, out, *extra):
    return subprocess.run([FRONTIER_BIN, "eval", SUITE, "--models", "gemma-local", "--judge", "judge", "--config", config,
                           "--out", out, *extra], capture_output=True, text=True, timeout=600)


def test_eval_writes_valid_outcomes_from_the_real_model(setup):
    out = os.path.join(setup["work"], "baseline.jsonl")
    result = run_eval(setup["config"], out, "--concurrency", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "eval [" in result.stderr  # the progress bar
    with open(out) as f:
        records = [json.loads(line) for line in f]
    assert [r["id"] for r in records] == ["geo-1", "geo-2", "geo-3", "math-1", "math-2", "json-1", "judge-1"]
    for record in records:
        outcome = record["results"]["gemma-local"]
        assert "error" not in outcome, outcome
        assert 0 <= outcome["score"] <= 1
        assert outcome["input_tokens"] > 0 and outcome["output_tokens"] > 0
        assert outcome["latency_ms"] > 0
        assert outcome["upstream_model"]  # the identity llama.cpp reports
        expected_cost = (outcome["input_tokens"] * 0.1 + outcome["output_tokens"] * 0.2) / 1e6
        assert abs(outcome["cost_usd"] - expected_cost) < 1e-12
    by_id = {r["id"]: r["results"]["gemma-local"]["score"] for r in records}
    assert by_id["geo-1"] == 1  # a base model repeats the question, which names France
    assert by_id["judge-1"] == 0.7  # the judge's "Score: 7"
    # The same binary and model at temperature 0 score the same: a re-run passes the gate.
    again = run_eval(setup["config"], os.path.join(setup["work"], "again.jsonl"), "--baseline", out)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "passed" in again.stdout


def test_the_gate_fails_a_worse_run(setup):
    baseline = os.path.join(setup["work"], "baseline.jsonl")
    if not os.path.exists(baseline):
        pytest.skip("needs the baseline of the previous test")
    result = run_eval(setup["broken"], os.path.join(setup["work"], "worse.jsonl"), "--baseline", baseline)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL" in result.stdout
    assert "FAILED: quality dropped" in result.stdout
    with open(os.path.join(setup["work"], "worse.jsonl")) as f:
        assert all("error" in json.loads(line)["results"]["gemma-local"] for line in f)
