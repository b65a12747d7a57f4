"""The Messages front door with the real `anthropic` SDK: in front of the real
llama.cpp Gemma model (translated to OpenAI chat), an Anthropic-shaped test
upstream (passed through nearly verbatim) and an OpenAI-shaped one that
calls tools; every answer validated against the SDK's own (generated from
Anthropic's published API) models."""
import json
import subprocess
import time
import urllib.request

import anthropic
import pytest
from anthropic.types import Message, MessageTokensCount

from conftest import FRONTIER_BIN, LLAMA_URL, ledgered_gateway

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "The weather in a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string"}}, "required": ["city"]},
}
WEATHER_INPUT = {"city": "Paris", "unit": "celsius"}


def config(upstream_port, port, db):
    up = f"http://127.0.0.1:{upstream_port}"
    return f"""
gateway: {{port: {port}, timeouts: {{connect_ms: 1000, first_token_ms: 20000, total_ms: 60000}}}}
storage: {{sqlite: {db}}}
models:
  - {{id: gemma-local, provider: openai-compatible, base_url: "{LLAMA_URL}", upstream_model: gemma-3-270m, deployment: local, context_window: 4096}}
  - {{id: claude-tool, provider: anthropic, base_url: "{up}/tool/v1", api_key: test-key, deployment: cloud, price: {{input_per_mtok: 3, output_per_mtok: 15}}}}
  - {{id: openai-tool, provider: openai-compatible, base_url: "{up}/tool/v1", deployment: on-prem}}
  - {{id: cut, provider: openai-compatible, base_url: "{up}/cut-stream/v1", deployment: on-prem}}
"""


@pytest.fixture(scope="module")
def gateway():
    with ledgered_gateway(config, "messages-test") as running:
        yield running


@pytest.fixture()
def client(gateway):
    return anthropic.Anthropic(base_url=gateway[0], api_key="unused", max_retries=0)


def raw(gateway, path, body, headers=None):
    request = urllib.request.Request(gateway[0] + path, data=json.dumps(body).encode(), method="POST", headers={"content-type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read()), dict(response.headers)


def test_messages_create_with_gemma(client, gateway):
    message = client.messages.create(model="gemma-local", max_tokens=8, system="You are terse.", messages=[{"role": "user", "content": "Say hello."}])
    assert message.type == "message" and message.role == "assistant" and message.id.startswith("msg_")
    assert message.content and message.content[0].type == "text" and message.content[0].text
    assert message.stop_reason in ("end_turn", "max_tokens")
    assert message.usage.input_tokens > 0 and 0 < message.usage.output_tokens <= 8
    # The wire answer as Anthropic publishes the shape (the SDK's models, validated, not merely constructed).
    body, _ = raw(gateway, "/v1/messages", {"model": "gemma-local", "max_tokens": 8, "messages": [{"role": "user", "content": "Hi"}]})
    Message.model_validate(body, strict=False)


def test_messages_stream_with_gemma(client):
    kinds = []
    with client.messages.stream(model="gemma-local", max_tokens=8, messages=[{"role": "user", "content": "Count to five."}]) as stream:
        for event in stream:
            kinds.append(event.type)
        final = stream.get_final_message()
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
    assert "content_block_start" in kinds and "content_block_stop" in kinds and "message_delta" in kinds
    assert final.content[0].type == "text" and final.content[0].text
    assert final.usage.output_tokens > 0 and final.usage.input_tokens > 0


@pytest.mark.parametrize("model", ["claude-tool", "openai-tool"])
def test_a_tool_call_whole_and_streamed(client, model):
    message = client.messages.create(model=model, max_tokens=100, tools=[WEATHER_TOOL], messages=[{"role": "user", "content": "Weather in Paris?"}])
    assert message.stop_reason == "tool_use"
    assert [b.type for b in message.content] == ["thinking", "text", "tool_use"]
    call = message.content[2]
    assert call.name == "get_weather" and call.input == WEATHER_INPUT

    partials = []
    with client.messages.stream(model=model, max_tokens=100, tools=[WEATHER_TOOL], messages=[{"role": "user", "content": "Weather in Paris?"}]) as stream:
        for event in stream:
            if event.type == "content_block_delta" and event.delta.type == "input_json_delta":
                partials.append(event.delta.partial_json)
        final = stream.get_final_message()
    assert len(partials) == 3, partials  # arrived in pieces ...
    assert json.loads("".join(partials)) == WEATHER_INPUT  # ... that reassemble into valid JSON
    assert final.stop_reason == "tool_use"
    assert [b.type for b in final.content] == ["thinking", "text", "tool_use"]
    assert final.content[0].thinking == "The user wants the weather."
    assert final.content[2].input == WEATHER_INPUT
    assert final.usage.output_tokens == 12

    # The conversation goes on with the tool's result, in either direction of translation.
    follow = client.messages.create(model=model, max_tokens=50, tools=[WEATHER_TOOL], messages=[
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": [{"type": "text", "text": "Let me look."}, {"type": "tool_use", "id": call.id, "name": "get_weather", "input": WEATHER_INPUT}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "18 C and sunny"}]},
    ])
    assert follow.type == "message"


def test_an_anthropic_upstream_gets_the_request_nearly_verbatim(gateway):
    body = {
        "model": "claude-tool", "max_tokens": 64, "thinking": {"type": "enabled", "budget_tokens": 1024},
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Hi", "cache_control": {"type": "ephemeral"}}]},
            {"role": "assistant", "content": [{"type": "thinking", "thinking": "hm", "signature": "sig"}, {"type": "text", "text": "Hello"}]},
            {"role": "user", "content": "Again"},
        ],
    }
    raw(gateway, "/v1/messages", body, headers={"anthropic-version": "2023-06-01", "anthropic-beta": "interleaved-thinking-2025-05-14"})
    with urllib.request.urlopen(f"http://127.0.0.1:{gateway[1]}/received/tool", timeout=10) as response:
        received = json.loads(response.read())
    sent = json.loads(received["body"])
    assert sent["messages"] == body["messages"] and sent["thinking"] == body["thinking"]
    assert received["headers"]["anthropic-beta"] == "interleaved-thinking-2025-05-14"
    assert received["headers"]["x-api-key"] == "test-key"


def test_count_tokens_exact_where_the_model_can_count(client, gateway):
    messages = [{"role": "user", "content": "How many tokens is this sentence?"}]
    # Gemma: llama.cpp's own tokenizer, the same count its answer reports.
    counted = client.messages.count_tokens(model="gemma-local", messages=messages)
    MessageTokensCount.model_validate(counted.model_dump())
    answered = client.messages.create(model="gemma-local", max_tokens=1, messages=messages)
    # (Anthropic counts cache reads apart: llama.cpp's prompt cache may have served part of a repeated prompt.)
    assert counted.input_tokens == answered.usage.input_tokens + (answered.usage.cache_read_input_tokens or 0)
    # An Anthropic upstream: its own count endpoint; the prompt that left for it is in the ledger.
    counted = client.messages.with_raw_response.count_tokens(model="claude-tool", messages=messages)
    assert counted.parse().input_tokens == 42
    request_id = counted.headers["x-frontier-request-id"]
    # liveness: the record is committed within ~50 ms idle; 30 s holds on two busy cores.
    deadline = time.time() + 30
    while True:
        out = subprocess.run([FRONTIER_BIN, "audit", "export", "--config", gateway[2]], capture_output=True, text=True, timeout=60, env=gateway[3])
        assert out.returncode == 0, out.stderr
        records = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
        if any(r.get("request_id") == request_id for r in records) or time.time() > deadline:  # liveness (see above)
            break
        time.sleep(0.3)
    assert any(r.get("request_id") == request_id for r in records), "count_tokens sent the prompt out without a ledger record"
    # Neither: an estimate, marked as one, never 0.
    response = client.messages.with_raw_response.count_tokens(model="openai-tool", messages=messages, tools=[WEATHER_TOOL])
    assert response.headers["x-frontier-usage-estimated"] == "true"
    assert response.parse().input_tokens > 10


def test_errors_are_the_sdks_own_exceptions(client):
    with pytest.raises(anthropic.NotFoundError) as error:
        client.messages.create(model="no-such-model", max_tokens=8, messages=[{"role": "user", "content": "hi"}])
    assert error.value.body["type"] == "error" and error.value.body["error"]["type"] == "not_found_error"
    with pytest.raises(anthropic.BadRequestError) as error:
        client.messages.create(model="gemma-local", max_tokens=8, messages=[{"role": "system", "content": "hi"}])
    assert "messages[0].role" in error.value.body["error"]["message"]
    # A stream cut by its upstream after the first bytes: an error event, which the SDK raises.
    with pytest.raises(anthropic.APIStatusError):
        with client.messages.stream(model="cut", max_tokens=8, messages=[{"role": "user", "content": "hi"}]) as stream:
            for _ in stream:
                pass
