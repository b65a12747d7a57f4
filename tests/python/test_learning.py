"""The learning loop end to end with real processes: traffic through the
gateway (the real local Gemma and the test upstream), feedback posted with
the real HTTP API, `frontier outcomes export` -> `frontier learn --promote`
(fit, gate, promote) -> the running gateway reloads the new router file;
every ledger record names the router version that decided it, and
`frontier route --router-version` replays a past decision with the file that
made it."""
import json
import os
import random
import subprocess
import tempfile
import time
import urllib.request

import openai

from conftest import FRONTIER_BIN, LLAMA_URL, free_port, running_double, running_gateway

LAW = ["contract", "tort", "court", "statute", "plaintiff", "liability", "negligence", "appeal"]
# Prompts the team tries on each model: enough that the fit's cross-validation sees the domain's gain for sure.
PROMPTS = 80
MATH = ["integral", "derivative", "matrix", "prime", "polynomial", "equation", "theorem", "vector"]


def prompt(n, law):
    rng = random.Random(n * 2 + (1 if law else 0))
    return "Question: " + " ".join(rng.choice(LAW if law else MATH) for _ in range(10)) + "?"


def post(url, path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def cli(*args, env):
    run = subprocess.run([FRONTIER_BIN, *args], capture_output=True, text=True, timeout=600, env=env)
    return run


def records(config, env):
    run = cli("audit", "export", "--config", config, env=env)
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def test_traffic_feedback_export_learn_promote_reload_and_replay():
    work = tempfile.mkdtemp(prefix="frontier-learning-")
    env = dict(os.environ, FRONTIER_LEDGER_KEY="learning-ledger-key", FRONTIER_LEDGER_BODY_KEY="learning-body-key")
    # Seed data: only the general model's results (right on everything); the team's own models are unknown to it.
    seed = os.path.join(work, "seed.jsonl")
    with open(seed, "w") as f:
        for n in range(60):
            law = n % 2 == 0
            f.write(json.dumps({"id": f"seed-{n}", "prompt": prompt(1000 + n, law), "domain": "law" if law else "math",
                                "results": {"general": {"score": 1.0, "cost_usd": 0.004}}}) + "\n")
    router = os.path.join(work, "router.json")
    fit = cli("fit", seed, "--out", router, env=env)
    assert fit.returncode == 0, fit.stderr
    with running_double() as upstream:
        port = free_port()
        config_text = f"""
gateway: {{port: {port}, timeouts: {{connect_ms: 1000, first_token_ms: 30000, total_ms: 60000}}}}
storage: {{sqlite: {work}/frontier.db}}
ledger: {{store_bodies: true, implicit_feedback: false}}  # the team re-asks prompts on purpose: no retries to infer
router: {{file: router.json, lambda: 1000}}
models:
  - {{id: gemma-local, provider: openai-compatible, base_url: "{LLAMA_URL}", upstream_model: gemma-3-270m, deployment: local,
      price: {{input_per_mtok: 0, output_per_mtok: 0}}, context_window: 4096, quality: 0.1}}
  - {{id: spec, provider: openai-compatible, base_url: "http://127.0.0.1:{upstream}/ok/v1", deployment: on-prem,
      price: {{input_per_mtok: 0.1, output_per_mtok: 0.1}}, quality: 0.1}}
  - {{id: general, provider: openai-compatible, base_url: "http://127.0.0.1:{upstream}/ok/v1", deployment: cloud, api_key: k,
      price: {{input_per_mtok: 10, output_per_mtok: 20}}}}
"""
        config = os.path.join(work, "frontier.yaml")
        with running_gateway(config_text, port, env=env, directory=work) as url:
            client = openai.OpenAI(base_url=url + "/v1", api_key="unused", max_retries=0, timeout=60)

            decisions = []

            def ask(model, text):
                raw = client.chat.completions.with_raw_response.create(
                    model=model, messages=[{"role": "user", "content": text}], max_tokens=4)
                completion = raw.parse()
                assert completion.usage.total_tokens > 0
                decision = raw.headers["x-frontier-decision"]
                decisions.append(decision)
                return raw.headers["x-frontier-request-id"], decision.split(";")[0].removeprefix("model=")

            # Before: auto sends a law prompt to the general model (the only one the live router knows is good).
            old_prompt = prompt(7, True)
            old_id, old_model = ask("auto", old_prompt)
            assert old_model == "general"
            # The team tries each prompt on its own models and the general one by name, and scores what comes back:
            # Gemma is right on law, the specialist on math, the general model on both (a base model's words are
            # not judged here; the scores are the team's).
            scored = 0
            for n in range(PROMPTS):
                law = n % 2 == 0
                text = prompt(n, law)
                for model in ["gemma-local", "spec", "general"]:
                    request_id, served = ask(model, text)
                    assert served == model
                    right = model == "general" or (model == "gemma-local") == law
                    answer = post(url, "/v1/feedback", {"request_id": request_id, "score": 1 if right else 0, "label": "team_review"})
                    assert answer["model"] == model and answer["source"] == "client"
                    scored += 1

            export = cli("outcomes", "export", "--config", config, "--out", os.path.join(work, "exported.jsonl"), env=env)
            assert export.returncode == 0, export.stderr
            with open(os.path.join(work, "exported.jsonl")) as f:
                lines = [json.loads(line) for line in f]
            # One line per prompt, with each model's result on it.
            assert len(lines) == PROMPTS and all(len(line["results"]) == 3 for line in lines)
            assert all(line["prompt"].startswith("Question: ") for line in lines), "prompts as the router reads them"
            assert {m for line in lines for m in line["results"]} == {"gemma-local", "spec", "general"}
            assert oct(os.stat(os.path.join(work, "exported.jsonl")).st_mode & 0o777) == "0o600"

            learn = cli("learn", "--config", config, "--seed-data", seed, "--promote", env=env)
            assert learn.returncode == 0, learn.stdout + learn.stderr
            assert "promote" in learn.stdout and "gate     passed" in learn.stdout, learn.stdout
            print(learn.stdout)

            promoted = learn.stdout.split("promote  live ")[1].split()[0]

            def health():
                with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
                    return json.load(response)

            assert health()["router_version"] != promoted
            # The running gateway reloads the promoted file. liveness: the watcher looks every 2 s; 60 s holds on two busy cores.
            deadline = time.time() + 60
            while time.time() < deadline and health()["router_version"] != promoted:
                time.sleep(0.5)
            assert health()["router_version"] == promoted
            # Now a law prompt goes to Gemma (free, right on law) and a math prompt to the specialist.
            law_id, law_model = ask("auto", old_prompt)
            assert law_model == "gemma-local", decisions[-1]
            new_id, new_model = ask("auto", prompt(9, False))
            assert new_model == "spec", decisions[-1]
            # Learning runs again with nothing new: the same candidate, already live, is left as it is.
            again = cli("learn", "--config", config, "--seed-data", seed, "--promote", env=env)
            assert again.returncode == 0 and "live router already" in again.stdout, again.stdout

    # Every request's record names the router version that decided it; the two versions differ.
    kept = records(config, env)
    requests = [r for r in kept if r.get("kind") is None]
    assert requests and all(r.get("router_version") for r in requests)
    old_version = next(r["router_version"] for r in requests if r["request_id"] == old_id)
    new_version = next(r["router_version"] for r in requests if r["request_id"] == new_id)
    assert old_version != new_version
    assert sum(1 for r in kept if r.get("kind") == "feedback") == scored
    verify = cli("audit", "verify", "--config", config, env=env)
    assert verify.returncode == 0 and "intact" in verify.stdout, verify.stdout
    # Replays: the old file reproduces the old decision exactly; the live file makes the new one.
    replay = cli("route", old_prompt, "--config", config, "--router-version", old_version, "--max-tokens", "4", env=env)
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert json.loads(replay.stdout)["chosen"] == old_model
    live = cli("route", old_prompt, "--config", config, "--max-tokens", "4", env=env)
    assert json.loads(live.stdout)["chosen"] == next(r["model"] for r in requests if r["request_id"] == law_id) == "gemma-local"
    unknown = cli("route", old_prompt, "--config", config, "--router-version", "0" * 16, env=env)
    assert unknown.returncode == 2 and "no kept router file has version" in unknown.stdout


def test_a_stream_the_client_cuts_is_scored_implicitly():
    """An answer the client hangs up on mid-stream becomes a labelled, weighted implicit score of 0 on that
    request, chained in the ledger like any feedback."""
    work = tempfile.mkdtemp(prefix="frontier-implicit-")
    env = dict(os.environ, FRONTIER_LEDGER_KEY="implicit-ledger-key")
    with running_double() as upstream:
        port = free_port()
        config_text = f"""
gateway: {{port: {port}, timeouts: {{connect_ms: 1000, first_token_ms: 60000, total_ms: 60000}}}}
storage: {{sqlite: {work}/frontier.db}}
ledger: {{implicit_feedback: {{client_cut: {{weight: 0.25}}}}}}
models:
  - {{id: endless, provider: openai-compatible, base_url: "http://127.0.0.1:{upstream}/fast-endless/v1", deployment: local}}
"""
        with running_gateway(config_text, port, env=env, directory=work) as url:
            body = json.dumps({"model": "endless", "stream": True, "messages": [{"role": "user", "content": "hi"}]}).encode()
            request = urllib.request.Request(url + "/v1/chat/completions", data=body, headers={"content-type": "application/json"})
            response = urllib.request.urlopen(request, timeout=30)
            request_id = response.headers["x-frontier-request-id"]
            # The answer is streaming (and would go on for ever): read a little of it, then hang up.
            assert response.read(256)
            response.close()
            config = os.path.join(work, "frontier.yaml")
            # liveness: the gateway notices the hang-up and commits within ~100 ms idle; 30 s holds on busy cores.
            deadline = time.time() + 30
            cut = []
            while time.time() < deadline and not cut:
                time.sleep(0.3)
                cut = [r for r in records(config, env) if r.get("kind") == "feedback" and r.get("label") == "client_cut"]
            assert len(cut) == 1, [{k: v for k, v in r.items() if k in ("kind", "status", "label", "model")} for r in records(config, env)]
            assert cut[0]["request_id"] == request_id and cut[0]["model"] == "endless"
            assert cut[0]["source"] == "implicit" and cut[0]["score"] == 0 and cut[0]["weight"] == 0.25
            served = [r for r in records(config, env) if r.get("kind") is None and r["request_id"] == request_id]
            assert served and served[0]["status"] == 499
            verify = cli("audit", "verify", "--config", config, env=env)
            assert verify.returncode == 0 and "intact" in verify.stdout, verify.stdout


def test_promote_with_a_suite_asks_the_models_and_refuses_a_worse_candidate():
    """`frontier promote --suite` has every model either router may choose answer the suite through the test
    upstream, grades the answers, and gates on them: a candidate fitted on data that says the wrong model is
    right is refused (exit 1) and the live file stays; the live router's own fit passes (dry run)."""
    work = tempfile.mkdtemp(prefix="frontier-promote-suite-")
    env = dict(os.environ)
    with running_double() as upstream:
        base = f"http://127.0.0.1:{upstream}/reply/v1"
        config = os.path.join(work, "frontier.yaml")
        with open(config, "w") as f:
            f.write(f"""router: {{file: router.json}}
models:
  - {{id: right, provider: openai-compatible, base_url: "{base}", deployment: local, headers: {{x-test-reply: "verdict: pass"}},
      price: {{input_per_mtok: 1, output_per_mtok: 1}}}}
  - {{id: wrong, provider: openai-compatible, base_url: "{base}", deployment: local, headers: {{x-test-reply: "verdict: fail"}},
      price: {{input_per_mtok: 0.5, output_per_mtok: 0.5}}}}
""")

        def fit(name, good):
            data = os.path.join(work, name + ".jsonl")
            with open(data, "w") as f:
                for n in range(200):
                    results = {m: {"score": 1.0 if m == good else 0.0, "cost_usd": 0.00001 if m == "wrong" else 0.00002} for m in ["right", "wrong"]}
                    f.write(json.dumps({"id": f"{name}-{n}", "prompt": prompt(n, n % 2 == 0), "domain": "law" if n % 2 == 0 else "math",
                                        "results": results}) + "\n")
            run = cli("fit", data, "--out", os.path.join(work, name + ".json"), env=env)
            assert run.returncode == 0, run.stdout + run.stderr
            return os.path.join(work, name + ".json")

        live, misled, same = fit("router", "right"), fit("misled", "wrong"), fit("same", "right")
        os.replace(live, os.path.join(work, "router.json"))
        suite = os.path.join(work, "suite.jsonl")
        with open(suite, "w") as f:
            for n in range(60):
                f.write(json.dumps({"id": f"s{n}", "prompt": prompt(500 + n, n % 2 == 0), "grader": "contains", "expected": "verdict: pass",
                                    "domain": "law" if n % 2 == 0 else "math"}) + "\n")
        before = open(os.path.join(work, "router.json"), "rb").read()
        refused = cli("promote", misled, "--config", config, "--suite", suite, env=env)
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert "60 prompts answered by right, wrong" in refused.stdout and "not promoted" in refused.stdout, refused.stdout
        assert open(os.path.join(work, "router.json"), "rb").read() == before
        outcomes = [json.loads(line) for line in open(misled + ".suite-outcomes.jsonl")]
        assert len(outcomes) == 60 and all(o["results"]["right"]["score"] == 1 and o["results"]["wrong"]["score"] == 0 for o in outcomes)
        passed = cli("promote", same, "--config", config, "--suite", suite, "--dry-run", env=env)
        assert passed.returncode == 0 and "gate passed" in passed.stdout, passed.stdout + passed.stderr
