"""POST /v1/embeddings with the real `openai` SDK: a local embedding model
(llama.cpp serving all-MiniLM-L6-v2 with --embeddings), a cheaper cloud-shaped
one (the test upstream), `auto` choosing by price inside the request's privacy
zone, PII keeping the inputs on-prem, OpenAI's published schema, the ledger."""
import json
import math
import subprocess
import urllib.request

import openai
import pytest

from conftest import EMBED_URL, FRONTIER_BIN, LLAMA_URL, ledgered_gateway
from openai_schemas import check


def config(upstream_port, port, db):
    up = f"http://127.0.0.1:{upstream_port}"
    return f"""
gateway: {{port: {port}}}
privacy: {{pii: on-prem}}
storage: {{sqlite: {db}}}
models:
  - {{id: gemma-local, provider: openai-compatible, base_url: "{LLAMA_URL}", upstream_model: gemma-3-270m, deployment: local}}
  - {{id: minilm-embed, kind: embedding, provider: openai-compatible, base_url: "{EMBED_URL}", upstream_model: all-minilm-l6-v2, deployment: local, price: {{input_per_mtok: 0.05, output_per_mtok: 0}}}}
  - {{id: cloud-embed, kind: embedding, provider: openai-compatible, base_url: "{up}/ok/v1", api_key: test-key, deployment: cloud, price: {{input_per_mtok: 0.02, output_per_mtok: 0}}}}
"""


@pytest.fixture(scope="module")
def gateway():
    with ledgered_gateway(config, "embeddings-test") as running:
        yield running


@pytest.fixture()
def client(gateway):
    return openai.OpenAI(base_url=gateway[0] + "/v1", api_key="unused", max_retries=0)


def received(upstream):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{upstream}/received/embeddings", timeout=5) as response:
            return json.loads(response.read())["body"]
    except urllib.error.HTTPError:
        return None


def post(gateway, body):
    request = urllib.request.Request(gateway[0] + "/v1/embeddings", data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_the_local_embedding_model_through_the_sdk(client, gateway):
    # Floats on the wire meet OpenAI's schema (the SDK asks for base64, which the schema does not describe).
    check("CreateEmbeddingResponse", post(gateway, {"model": "minilm-embed", "input": ["the first text", "a second one"]}))
    response = client.embeddings.with_raw_response.create(model="minilm-embed", input=["the first text", "a second one"])
    result = response.parse()
    assert len(result.data) == 2 and [d.index for d in result.data] == [0, 1]
    assert len(result.data[0].embedding) == 384 and result.data[0].embedding != result.data[1].embedding
    assert result.usage.prompt_tokens > 0
    assert response.headers["x-frontier-model"] == "minilm-embed"


def test_the_local_embedder_is_a_real_sentence_embedder(client):
    # all-MiniLM-L6-v2, not a base LM's hidden states: unit vectors, paraphrases close, topics apart.
    texts = ["The patient has a high fever.", "The sick man's temperature is elevated.", "Quarterly revenue grew five percent."]
    vectors = [d.embedding for d in client.embeddings.create(model="minilm-embed", input=texts).data]
    cosine = lambda a, b: sum(x * y for x, y in zip(a, b))
    assert all(abs(math.sqrt(cosine(v, v)) - 1) < 1e-3 for v in vectors)
    assert cosine(vectors[0], vectors[1]) > 0.5 > 0.2 > cosine(vectors[0], vectors[2])


def test_auto_picks_the_cheapest_allowed_and_pii_stays_on_prem(client, gateway):
    check("CreateEmbeddingResponse", post(gateway, {"model": "auto", "input": "quarterly revenue grew"}))
    plain = client.embeddings.with_raw_response.create(model="auto", input="quarterly revenue grew")
    assert plain.headers["x-frontier-model"] == "cloud-embed"  # cheaper, and nothing keeps it home
    assert "quarterly revenue grew" in received(gateway[1])
    secret = "Patient Jane Doe, SSN 123-45-6789, diagnosed with diabetes"
    private = client.embeddings.with_raw_response.create(model="auto", input=[secret])
    assert private.headers["x-frontier-model"] == "minilm-embed"
    assert "privacy=on-prem" in private.headers["x-frontier-decision"] and "pii=" in private.headers["x-frontier-decision"]
    assert "Jane Doe" not in received(gateway[1]), "PII reached the cloud embedding model"
    assert len(private.parse().data[0].embedding) == 384
    # Named, the cloud model is refused for the same input rather than sent it.
    with pytest.raises(openai.PermissionDeniedError):
        client.embeddings.create(model="cloud-embed", input=secret)


def test_route_explains_an_embeddings_request_without_calling_a_model(gateway):
    def route(body):
        request = urllib.request.Request(gateway[0] + "/v1/route", data=json.dumps(body).encode(), headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read()), response.headers["x-frontier-decision"]
    plain, header = route({"model": "auto", "input": "quarterly revenue grew"})
    assert plain["kind"] == "embedding" and plain["chosen"] == "cloud-embed" and plain["order"] == ["cloud-embed", "minilm-embed"], plain
    assert plain["rule"] == "cheapest-embedding" and "model=cloud-embed" in header
    before = received(gateway[1])
    private, header = route({"model": "auto", "input": ["Patient Jane Doe, SSN 123-45-6789"]})
    assert private["chosen"] == "minilm-embed" and private["order"] == ["minilm-embed"], private
    assert private["constraints"]["privacy"] == "on-prem" and private["features"]["pii_fields"], private
    assert received(gateway[1]) == before, "/v1/route called an embedding model"


def test_models_list_each_kind_and_kinds_do_not_mix(client):
    kinds = {m.id: m.model_extra.get("kind") for m in client.models.list().data if m.id != "auto"}
    assert kinds == {"gemma-local": "chat", "minilm-embed": "embedding", "cloud-embed": "embedding"}
    with pytest.raises(openai.BadRequestError) as error:
        client.embeddings.create(model="gemma-local", input="x")
    assert "chat model" in error.value.message
    with pytest.raises(openai.BadRequestError) as error:
        client.chat.completions.create(model="minilm-embed", messages=[{"role": "user", "content": "x"}])
    assert "embedding model" in error.value.message
    with pytest.raises(openai.BadRequestError):
        client.embeddings.create(model="auto", input=[])


def test_embeddings_are_in_the_ledger_with_their_cost(client, gateway):
    client.embeddings.create(model="minilm-embed", input="ledger me")
    report = subprocess.run([FRONTIER_BIN, "report", "--config", gateway[2], "--by", "model"], capture_output=True, text=True, timeout=60, env=gateway[3])
    assert report.returncode == 0, report.stderr
    assert any(line.startswith("minilm-embed") for line in report.stdout.splitlines()), report.stdout

