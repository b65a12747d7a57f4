"""The router's embedding signal online: a router file whose neighbours are real all-MiniLM-L6-v2
vectors of training prompts, `router.embedder` naming the local embedder (llama.cpp), and `serve`
embedding each `auto` prompt within `router.embedding_timeout_ms` to route by its nearest training
prompts; when the embedder is down the request is still served, by the other signals, and the
decision says so. Also measures the decision's added latency (p50/p99)."""
import base64
import json
import os
import struct
import subprocess
import tempfile
import urllib.request

from conftest import EMBED_URL, FRONTIER_BIN, free_port, running_double, running_gateway

MEDICAL = [
    "The patient has chest pain and an irregular heartbeat.", "Which antibiotic treats a urinary tract infection?",
    "What dose of insulin suits a newly diagnosed diabetic?", "Describe the symptoms of a stroke in an elderly patient.",
    "How is pneumonia diagnosed on a chest X-ray?", "What causes a persistent migraine with aura?",
    "Is this rash a sign of an allergic reaction to penicillin?", "How long does recovery from knee surgery take?",
]
FINANCE = [
    "How do I reconcile the quarterly ledger with the bank statement?", "What is the depreciation of a delivery van over five years?",
    "Compute the interest on a loan of ten thousand dollars at five percent.", "Which invoices are overdue by more than sixty days?",
    "How should we book a refund to a customer in the accounts?", "What is the net margin if revenue is two million?",
    "Explain how a dividend affects retained earnings.", "Prepare a cash-flow forecast for the next quarter.",
]


def embed(texts):
    request = urllib.request.Request(EMBED_URL + "/embeddings", data=json.dumps({"input": texts}).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return [d["embedding"] for d in sorted(json.load(response)["data"], key=lambda d: d["index"])]


def floats(values):
    return base64.b64encode(struct.pack(f"<{len(values)}f", *values)).decode()


def router_file(directory, plan=None):
    """`frontier fit` on outcomes where "small" fails medical questions, then the neighbours block those outcomes
    give with the real embedder's vectors (the fit's own embedding path needs more prompts than a test should)."""
    outcomes = os.path.join(directory, "outcomes.jsonl")
    with open(outcomes, "w") as f:
        for n, text in enumerate(MEDICAL + FINANCE):
            medical = text in MEDICAL
            f.write(json.dumps({"id": f"p{n}", "prompt": text, "results": {
                "small": {"score": 0.0 if medical else 1.0, "cost_usd": 0.00001},
                "large": {"score": 1.0, "cost_usd": 0.001}}}) + "\n")
    path = os.path.join(directory, "router.json")
    fit = subprocess.run([FRONTIER_BIN, "fit", outcomes, "--out", path], capture_output=True, text=True, timeout=120)
    assert fit.returncode == 0, fit.stderr
    with open(path) as f:
        file = json.load(f)
    file.pop("predictor", None)
    # Read the neighbours for every prompt at every cost (the fit's plan, without embeddings, reads none).
    file["signal_plan"] = plan or [{"from_lambda": 0, "otherwise": "embedding", "by_domain": {}}]
    vectors = embed(MEDICAL + FINANCE)
    models = ["small", "large"]
    scores = [s for text in MEDICAL + FINANCE for s in ((0.0 if text in MEDICAL else 1.0), 1.0)]
    domains = file["classifier"]["domains"]
    file["neighbours"] = {
        "models": models, "domains": domains, "embedder": "all-minilm-l6-v2", "dimension": len(vectors[0]),
        "embeddings": floats([x for v in vectors for x in v]), "scores": floats(scores),
        "prior": floats([0.5, 1.0] * (len(domains) + 1)), "k": 3, "shrink": 0.5, "temperature": 10.0,
    }
    with open(path, "w") as f:
        json.dump(file, f)
    return path


def config(upstream, port, router, embed_url, lambda_=50):
    up = f"http://127.0.0.1:{upstream}/ok/v1"
    return f"""
gateway: {{port: {port}}}
router: {{file: {router}, embedder: minilm-embed, embedding_timeout_ms: 500, signals: [domain, prompt, embedding], lambda: {lambda_}}}
routes:
  - {{name: words-only, signals: [domain, prompt]}}
models:
  - {{id: small, provider: openai-compatible, base_url: "{up}", api_key: k, deployment: cloud, price: {{input_per_mtok: 0.1, output_per_mtok: 0.1}}}}
  - {{id: large, provider: openai-compatible, base_url: "{up}", api_key: k, deployment: cloud, price: {{input_per_mtok: 100, output_per_mtok: 300}}}}
  - {{id: minilm-embed, kind: embedding, provider: openai-compatible, base_url: "{embed_url}", upstream_model: all-minilm-l6-v2, deployment: local}}
"""


def chat(url, text, model="auto"):
    body = {"model": model, "messages": [{"role": "user", "content": text}], "max_tokens": 16}
    request = urllib.request.Request(url + "/v1/chat/completions", data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.headers["x-frontier-model"], response.headers["x-frontier-decision"]


def route(url, text):
    body = {"model": "auto", "messages": [{"role": "user", "content": text}], "max_tokens": 16}
    request = urllib.request.Request(url + "/v1/route", data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def test_prompts_route_by_their_nearest_training_prompts():
    directory = tempfile.mkdtemp(prefix="frontier-embedding-signal-")
    router = router_file(directory)
    with running_double() as upstream:
        port = free_port()
        with running_gateway(config(upstream, port, router, EMBED_URL), port, directory=directory) as url:
            # Unseen wordings: the neighbours, not the words, carry it.
            status, model, decision = chat(url, "My father's blood pressure is very high and he feels dizzy.")
            assert status == 200 and model == "large", decision
            assert "embedding=" in decision and "unavailable" not in decision, decision
            status, model, decision = chat(url, "Our accountant needs the balance sheet for the audit.")
            assert status == 200 and model == "small", decision
            explained = route(url, "Is a fever of 39 degrees dangerous for a child?")
            assert explained["features"]["embedding"]["used"] is True
            # A route whose signals leave the embedding out never asks the embedder.
            status, model, decision = chat(url, "My father's blood pressure is very high and he feels dizzy.", model="words-only")
            assert status == 200 and "embedding" not in decision, decision
            latencies = sorted(route(url, text)["features"]["embedding"]["milliseconds"] for text in (MEDICAL + FINANCE) * 4)
            p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99) - 1]
            # A figure for the log, not a test of speed (README's comes from a release build).
            print(f"embedding signal latency over {len(latencies)} decisions: p50 {p50:.1f} ms, p99 {p99:.1f} ms")


def test_without_the_embedder_the_request_is_served_and_the_decision_says_why():
    directory = tempfile.mkdtemp(prefix="frontier-embedding-signal-")
    router = router_file(directory)
    dead = f"http://127.0.0.1:{free_port()}/v1"
    with running_double() as upstream:
        port = free_port()
        with running_gateway(config(upstream, port, router, dead), port, directory=directory) as url:
            status, model, decision = chat(url, "My father's blood pressure is very high and he feels dizzy.")
            assert status == 200 and model in ("small", "large"), decision
            assert "embedding=unavailable" in decision, decision
            explained = route(url, "Is a fever of 39 degrees dangerous for a child?")
            assert explained["features"]["embedding"]["used"] is False
            assert "could not connect" in explained["features"]["embedding"]["reason"]


def test_the_plan_decides_whether_the_embedder_is_asked():
    """A plan that reads the neighbours only where cost weighs more (λ from 1000): at the default λ (50) the
    embedder is never asked, not even a dead one; with `router.lambda: 5000` it is."""
    directory = tempfile.mkdtemp(prefix="frontier-embedding-signal-")
    plan = [{"from_lambda": 0, "otherwise": "domain", "by_domain": {}}, {"from_lambda": 1000, "otherwise": "embedding", "by_domain": {}}]
    router = router_file(directory, plan)
    dead = f"http://127.0.0.1:{free_port()}/v1"
    with running_double() as upstream:
        port = free_port()
        with running_gateway(config(upstream, port, router, dead), port, directory=directory) as url:
            status, model, decision = chat(url, "My father's blood pressure is very high and he feels dizzy.")
            assert status == 200 and "signal=domain" in decision and "embedding" not in decision, decision
            assert "embedding" not in route(url, "Is a fever of 39 degrees dangerous for a child?")["features"]
        port = free_port()
        with running_gateway(config(upstream, port, router, EMBED_URL, lambda_=5000), port, directory=directory) as url:
            status, model, decision = chat(url, "My father's blood pressure is very high and he feels dizzy.")
            assert status == 200 and "signal=embedding" in decision and "embedding=" in decision and "unavailable" not in decision, decision
            explained = route(url, "Is a fever of 39 degrees dangerous for a child?")
            assert explained["features"]["signal"] == "embedding" and explained["features"]["embedding"]["used"] is True
