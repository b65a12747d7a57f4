"""Cascades and circuit breakers with the real `openai` SDK: the real
llama.cpp Gemma model is tier 1; the test upstream stands in for a cloud
model (a fixed valid answer), a hanging model and a failing one."""
import json
import os
import subprocess
import tempfile
import time
import urllib.request

import openai
import pytest

from conftest import DOUBLE_BIN, FRONTIER_BIN, LLAMA_URL, free_port, wait_for

ANSWER = '{"answer": "escalated", "reason": "tier 2"}'
SCHEMA = {"type": "json_schema", "json_schema": {"name": "verdict", "schema": {
    "type": "object", "required": ["answer", "reason"],
    "properties": {"answer": {"type": "string"}, "reason": {"type": "string"}}}}}
# maxLength lets llama.cpp's grammar close the string well within max_tokens.
SIMPLE = {"type": "json_schema", "json_schema": {"name": "verdict", "schema": {
    "type": "object", "required": ["answer"], "properties": {"answer": {"type": "string", "maxLength": 20}}}}}
QUESTION = [{"role": "user", "content": "Is the sky blue? Answer in JSON."}]


@pytest.fixture(scope="module")
def gateway():
    double_port, broken_port, dead_port, port = free_port(), free_port(), free_port(), free_port()
    double = subprocess.Popen([DOUBLE_BIN, "--port", str(double_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    broken = subprocess.Popen([DOUBLE_BIN, "--port", str(broken_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    up = f"http://127.0.0.1:{double_port}"
    work = tempfile.mkdtemp(prefix="frontier-cascade-")
    config = os.path.join(work, "frontier.yaml")
    with open(config, "w") as f:
        f.write(f"""
gateway:
  port: {port}
  retries: {{max_retries: 0}}
  circuit_breaker: {{consecutive_failures: 3, open_ms: 6000}}
models:
  - id: gemma-local
    provider: openai-compatible
    base_url: {LLAMA_URL}
    deployment: local
    latency: {{first_token_ms: 200}}
  - id: cloud-json
    provider: openai-compatible
    base_url: {up}/reply/v1
    deployment: on-prem
    headers: {{x-test-reply: '{ANSWER}'}}
    price: {{input_per_mtok: 2.5, output_per_mtok: 10}}
    latency: {{first_token_ms: 100}}
  - id: hanging
    provider: openai-compatible
    base_url: {up}/hang/v1
    deployment: local
  - {{id: broken, provider: openai-compatible, base_url: "http://127.0.0.1:{broken_port}/fail-500/v1", deployment: local, quality: 0.9}}
  - {{id: flaky, provider: openai-compatible, base_url: "http://127.0.0.1:{dead_port}/ok/v1", deployment: local, quality: 0.8}}
  - {{id: good, provider: openai-compatible, base_url: "{up}/ok/v1", deployment: local, quality: 0.5}}
router: {{default_objective: best}}
routes:
  - {{name: with-broken, models: [broken, good]}}
  - {{name: with-flaky, models: [flaky, good]}}
  - name: support
    cascade:
      - {{model: gemma-local, accept: {{json_schema: true}}}}
      - {{model: cloud-json}}
  - name: support-live
    streaming: stream-final-tier
    cascade:
      - {{model: gemma-local, accept: {{json_schema: true}}}}
      - {{model: cloud-json}}
  - name: deadline
    deadline_ms: 2000
    cascade:
      - {{model: hanging}}
      - {{model: cloud-json}}
  - name: hopeless
    deadline_ms: 2000
    cascade:
      - {{model: hanging}}
      - {{model: hanging}}
""")
    log = open(os.path.join(work, "gateway.log"), "w")
    process = subprocess.Popen([FRONTIER_BIN, "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{double_port}/healthz", double)
        wait_for(f"http://127.0.0.1:{broken_port}/healthz", broken)
        wait_for(f"http://127.0.0.1:{port}/healthz", process)
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="unused", max_retries=0, timeout=30)
        yield {"client": client, "port": port, "broken_port": broken_port, "dead_port": dead_port}
    finally:
        for p in (process, double, broken):
            p.terminate()
        for p in (process, double, broken):
            p.wait(timeout=10)


def test_a_schema_the_small_model_fails_escalates_to_tier_2(gateway):
    # Eight tokens cannot hold the two required fields: Gemma's JSON is cut short.
    raw = gateway["client"].chat.completions.with_raw_response.create(
        model="support", messages=QUESTION, response_format=SCHEMA, max_tokens=8, temperature=0)
    completion = raw.parse()
    assert completion.choices[0].message.content == ANSWER
    assert raw.headers["x-frontier-escalation"] == "gemma-local:rejected(json_schema) > cloud-json:accepted"
    assert raw.headers["x-frontier-model"] == "cloud-json"
    record = json.loads(raw.http_response.text)["x_frontier_cascade"]["attempts"]
    assert record[0]["model"] == "gemma-local" and record[0]["output_tokens"] > 0
    assert record[0]["upstream_model"]  # llama.cpp's own name for the model
    assert float(raw.headers["x-frontier-cost-usd"]) == pytest.approx(sum(a["cost_usd"] for a in record))


def test_a_schema_the_small_model_meets_does_not_escalate(gateway):
    # llama.cpp constrains Gemma's output to the schema's grammar: valid JSON, accepted at tier 1.
    raw = gateway["client"].chat.completions.with_raw_response.create(
        model="support", messages=QUESTION, response_format=SIMPLE, max_tokens=60, temperature=0)
    content = raw.parse().choices[0].message.content
    assert "answer" in json.loads(content)
    assert raw.headers["x-frontier-escalation"] == "gemma-local:accepted"
    assert raw.headers["x-frontier-model"] == "gemma-local"


def collect(stream):
    return "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)


def test_verify_then_stream_streams_the_accepted_answer(gateway):
    raw = gateway["client"].chat.completions.with_raw_response.create(
        model="support", messages=QUESTION, response_format=SCHEMA, max_tokens=8, stream=True, temperature=0)
    assert raw.headers["x-frontier-escalation"] == "gemma-local:rejected(json_schema) > cloud-json:accepted"
    assert collect(raw.parse()) == ANSWER


def test_stream_final_tier_streams_the_last_tier_live(gateway):
    raw = gateway["client"].chat.completions.with_raw_response.create(
        model="support-live", messages=QUESTION, response_format=SCHEMA, max_tokens=8, stream=True, temperature=0,
        stream_options={"include_usage": True})
    assert raw.headers["x-frontier-escalation"] == "gemma-local:rejected(json_schema) > cloud-json:streamed"
    chunks = list(raw.parse())
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == ANSWER
    assert chunks[-1].usage is not None


def test_a_hanging_tier_1_gives_way_within_the_deadline(gateway):
    started = time.monotonic()
    raw = gateway["client"].chat.completions.with_raw_response.create(model="deadline", messages=QUESTION)
    elapsed = time.monotonic() - started
    assert raw.parse().choices[0].message.content == ANSWER
    assert raw.headers["x-frontier-escalation"] == "hanging:failed > cloud-json:accepted"
    # The hanging tier never answers, so an answer at all proves the cut; the tiers' shares of the deadline are
    # CascadeDeadlineTests' (injected clock). liveness: 20 s is 10x the 2 s deadline (idle: ~2 s).
    assert elapsed < 20  # liveness bound, not a speed


def test_nothing_in_time_is_a_clear_504(gateway):
    started = time.monotonic()
    with pytest.raises(openai.APIStatusError) as failure:
        gateway["client"].chat.completions.create(model="hopeless", messages=QUESTION)
    # liveness: 20 s is 10x the 2 s deadline (idle: ~2 s); the timing itself is CascadeDeadlineTests'.
    assert time.monotonic() - started < 20  # liveness bound, not a speed
    assert failure.value.status_code == 504
    assert "deadline" in failure.value.message


def stats(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=5) as response:
        return json.load(response)["requests"]


def route_excludes(gateway, model, route):
    body = json.dumps({"model": route, "messages": QUESTION}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{gateway['port']}/v1/route", data=body, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        decision = json.load(response)
    return {e["model"]: e["reason"] for e in decision["excluded"]}.get(model)


def test_an_upstream_failing_every_call_is_skipped_after_the_breaker_opens(gateway):
    for _ in range(10):
        raw = gateway["client"].chat.completions.with_raw_response.create(model="with-broken", messages=QUESTION)
        assert raw.headers["x-frontier-model"] == "good"
    # Three failures in a row opened the breaker: the other seven requests never reached it.
    # liveness: they must come within open_ms (6 s) of its opening; idle they take ~0.1 s, 60x less.
    assert stats(gateway["broken_port"]) == 3
    assert "circuit open" in route_excludes(gateway, "broken", "with-broken")


def test_half_open_probes_close_the_breaker_once_the_upstream_recovers(gateway):
    client = gateway["client"]
    for _ in range(4):  # flaky refuses connections: its breaker opens
        assert client.chat.completions.with_raw_response.create(model="with-flaky", messages=QUESTION).headers["x-frontier-model"] == "good"
    assert "circuit open" in route_excludes(gateway, "flaky", "with-flaky")
    # It recovers: an upstream starts listening where it was refused.
    recovered = subprocess.Popen([DOUBLE_BIN, "--port", str(gateway["dead_port"])], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{gateway['dead_port']}/healthz", recovered)
        time.sleep(6.1)  # open_ms
        assert route_excludes(gateway, "flaky", "with-flaky") is None
        # The probe succeeds and closes the breaker; flaky serves again.
        served = [client.chat.completions.with_raw_response.create(model="with-flaky", messages=QUESTION).headers["x-frontier-model"] for _ in range(3)]
        assert served.count("flaky") >= 2, served
        assert route_excludes(gateway, "flaky", "with-flaky") is None
    finally:
        recovered.terminate()
        recovered.wait(timeout=10)


def test_cascades_serve_the_responses_and_messages_doors_too(gateway):
    import anthropic

    # Responses: text.format is the cascade's schema check, as response_format is for chat.
    responses = gateway["client"].responses.with_raw_response.create(
        model="support", input=QUESTION[0]["content"], max_output_tokens=8, temperature=0,
        text={"format": {"type": "json_schema", "name": "verdict", "schema": SCHEMA["json_schema"]["schema"]}})
    assert responses.headers["x-frontier-escalation"] == "gemma-local:rejected(json_schema) > cloud-json:accepted"
    assert responses.parse().output_text == ANSWER
    # Messages: a hanging tier gives way within the deadline, the answer in Anthropic's shape.
    client = anthropic.Anthropic(base_url=f"http://127.0.0.1:{gateway['port']}", api_key="unused", max_retries=0, timeout=30)
    raw = client.messages.with_raw_response.create(model="deadline", max_tokens=32, messages=QUESTION)
    assert raw.headers["x-frontier-escalation"] == "hanging:failed > cloud-json:accepted"
    message = raw.parse()
    assert message.content[0].text == ANSWER and message.type == "message"
