"""No regression roulette, with real processes: the test upstream switches, mid-traffic, to a new reported
identity that answers the canary suite worse. Within one canary run the model is marked degraded and `auto`
traffic moves to the next model (its share measured before and after); the ledger holds the identity change, the
canary runs with their evidence and the action, and `frontier audit verify` passes. A pinned identity fails over at
its first mismatching answer. `frontier models list`, `frontier drift report` and `frontier models reset-baseline`
read and act on the same ledger."""
import json
import os
import subprocess
import tempfile
import urllib.request

from conftest import FRONTIER_BIN, free_port, running_double, running_gateway, wait_until


def post(url, path, body, timeout=30):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, dict(response.headers), json.load(response)


def get(url, path):
    with urllib.request.urlopen(url + path, timeout=30) as response:
        return json.load(response)


def chat(url, model="auto"):
    status, headers, _ = post(url, "/v1/chat/completions", {"model": model, "messages": [{"role": "user", "content": "hi"}]})
    assert status == 200
    return headers


def cli(*args, env):
    return subprocess.run([FRONTIER_BIN, *args], capture_output=True, text=True, timeout=120, env=env)


def config(upstream, port, work):
    up = f"http://127.0.0.1:{upstream}"
    suite = os.path.join(work, "canary.jsonl")
    with open(suite, "w") as f:
        for n in range(12):
            f.write(json.dumps({"id": f"c{n}", "prompt": f"Say hello ({n}).", "grader": "contains", "expected": "Hello"}) + "\n")
    return f"""
gateway:
  port: {port}
  default_models: [tuned, general]
models:
  - id: tuned
    provider: openai-compatible
    base_url: {up}/identity/v1
    deployment: local
    price: {{input_per_mtok: 0.1, output_per_mtok: 0.2}}
    quality: 0.8
    regression: {{max_quality_drop: 0.05}}
    canary: {{suite: canary.jsonl, every: 24h, on_change: true, max_cost_usd_per_run: 0.05}}
  - id: general
    provider: openai-compatible
    base_url: {up}/ok/v1
    deployment: local
    price: {{input_per_mtok: 2, output_per_mtok: 8}}
    quality: 0.7
  - id: pinned
    provider: openai-compatible
    base_url: {up}/identity/v1
    deployment: local
    price: {{input_per_mtok: 0.1, output_per_mtok: 0.2}}
    quality: 0.8
    expect_identity: test-upstream-model
routes:
  - {{name: pinned-first, models: [pinned, general], constraints: {{objective: cheapest}}}}
storage: {{sqlite: {os.path.join(work, "frontier.db")}}}
"""


def canary_runs(config_path, env):
    run = cli("audit", "export", "--config", config_path, env=env)
    assert run.returncode == 0, run.stderr
    return [r for r in (json.loads(line) for line in run.stdout.splitlines() if line.strip()) if r.get("kind") == "canary"]


def test_a_new_identity_that_answers_worse_is_degraded_within_one_canary_run_and_auto_moves():
    work = tempfile.mkdtemp(prefix="frontier-drift-")
    env = dict(os.environ, FRONTIER_LEDGER_KEY="drift-ledger-key")
    config_path = os.path.join(work, "frontier.yaml")
    with running_double() as upstream:
        port = free_port()
        with running_gateway(config(upstream, port, work), port, env=env, directory=work) as url:
            # The first run at start is the baseline.
            runs = wait_until(lambda: canary_runs(config_path, env))
            assert runs and runs[0]["action"] == "baseline" and runs[0]["trigger"] == "start", runs
            before = [chat(url)["x-frontier-model"] for _ in range(30)]
            assert before.count("tuned") == 30, before
            health = get(url, "/healthz")
            tuned = next(m for m in health["models"] if m["id"] == "tuned")
            assert tuned["identity"]["fingerprints"] == ["fp_test_a"] and tuned["identity"]["state"] == "established"

            # Redeployed behind the same name: a new build that answers the canary suite worse.
            post(f"http://127.0.0.1:{upstream}", "/identity/switch", {"fingerprint": "fp_test_b", "reply": "I am not sure."})
            # The pin fails over at its first mismatching answer... (same build, new fingerprint: still the pinned name)
            assert chat(url, "pinned-first")["x-frontier-model"] == "pinned"
            during = [chat(url)["x-frontier-model"] for _ in range(5)]  # the new fingerprint persists: a change
            runs = wait_until(lambda: (r := canary_runs(config_path, env)) and len(r) >= 2 and r)
            assert len(runs) >= 2, runs
            second = runs[1]
            assert second["trigger"] == "identity_change" and second["action"] == "degraded", second
            assert second["comparison"]["score_drop"] == 1 and second["identities"] == ["test-upstream-model (fp_test_b)"]
            assert second["cost_usd"] <= second["cap_usd"]
            after = [chat(url)["x-frontier-model"] for _ in range(30)]
            share_before, share_after = before.count("tuned") / 30, after.count("tuned") / 30
            print(f"auto share of tuned: {share_before:.2f} before, {share_after:.2f} after one canary run")
            assert share_after == 0, after
            headers = chat(url, "tuned")
            assert "tuned is degraded" in headers.get("x-frontier-warning", ""), headers

            # ...and a new model name behind the pin fails over at once.
            post(f"http://127.0.0.1:{upstream}", "/identity/switch", {"model": "another-model"})
            assert chat(url, "pinned-first")["x-frontier-model"] == "general"
            metrics = urllib.request.urlopen(url + "/metrics", timeout=30).read().decode()
            assert 'frontier_model_identity_changes_total{model="tuned"}' in metrics
            assert 'frontier_model_degraded{model="tuned"} 1' in metrics

            listed = cli("models", "list", "--config", config_path, env=env)
            assert listed.returncode == 0, listed.stderr
            tuned_line = next(line for line in listed.stdout.splitlines() if line.startswith("tuned"))
            assert "yes: canary" in tuned_line and "degraded" in tuned_line, listed.stdout
            report = cli("drift", "report", "--config", config_path, env=env)
            assert report.returncode == 0, report.stderr
            assert "identity changed" in report.stdout and "pinned test-upstream-model answered as another-model" in report.stdout, report.stdout
            assert "canary (identity_change): complete" in report.stdout and "-> degraded" in report.stdout, report.stdout

            # The operator reviews and accepts the new version: the mark goes, and the next run is the new baseline.
            reset = cli("models", "reset-baseline", "tuned", "--config", config_path, "--reason", "reviewed the new build", env=env)
            assert reset.returncode == 0, reset.stderr
            health = wait_until(lambda: (h := get(url, "/healthz")) and "degraded" not in next(m for m in h["models"] if m["id"] == "tuned") and h)
            assert "degraded" not in next(m for m in health["models"] if m["id"] == "tuned")
            runs = wait_until(lambda: (r := canary_runs(config_path, env)) and len(r) >= 3 and r)
            assert runs[2]["trigger"] == "baseline_reset" and runs[2]["action"] == "baseline", runs[2]

    verify = cli("audit", "verify", "--config", config_path, env=env)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_canary_run_never_spends_past_its_cap_when_answers_report_large_usage():
    work = tempfile.mkdtemp(prefix="frontier-canary-cap-")
    env = dict(os.environ, FRONTIER_LEDGER_KEY="canary-cap-ledger-key")
    config_path = os.path.join(work, "frontier.yaml")
    with running_double() as upstream:
        # Every answer reports 250 output tokens: at $1,000 a million, $0.25 an answer (each call's worst case $0.256).
        post(f"http://127.0.0.1:{upstream}", "/identity/switch", {"completion_tokens": 250})
        text = config(upstream, free_port(), work)
        port = int(text.split("port: ")[1].split("\n")[0])
        text = text.replace("price: {input_per_mtok: 0.1, output_per_mtok: 0.2}\n    quality: 0.8\n    regression",
                            "price: {input_per_mtok: 0, output_per_mtok: 1000}\n    quality: 0.8\n    regression", 1)
        text = text.replace("max_cost_usd_per_run: 0.05", "max_cost_usd_per_run: 1.0")
        with running_gateway(text, port, env=env, directory=work):
            runs = wait_until(lambda: canary_runs(config_path, env))
            assert runs, "no canary run at start"
            run = runs[0]
            answers = get(f"http://127.0.0.1:{upstream}", "/identity/stats")["answers"]
            print(f"canary run: {run['status']}, ${run['cost_usd']:.4f} of ${run['cap_usd']:.2f}, {answers} calls of 12 cases")
            assert run["status"] == "capped" and run["cost_usd"] <= run["cap_usd"] == 1.0, run
            assert answers == 3 and abs(run["cost_usd"] - 0.75) < 1e-9
            assert run["action"] == "inconclusive" and not run["good"]
