"""The OpenAI front doors against OpenAI's own published schemas (openai/openai-openapi,
extracted to tests/python/data): every chat completion, chunk, response and Responses
stream event the gateway gives, whatever the upstream (llama.cpp Gemma, an
OpenAI-shaped and an Anthropic-shaped test upstream) left out. And the Responses API
with the real `openai` SDK: plain, streamed, function calls, stateless refusals."""
import json
import urllib.request

import openai
import pytest

from conftest import LLAMA_URL, free_port, running_double, running_gateway
from openai_schemas import check, check_stream_event

WEATHER_TOOL = {"type": "function", "name": "get_weather", "description": "The weather in a city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string"}}, "required": ["city"]}}
WEATHER_INPUT = {"city": "Paris", "unit": "celsius"}
UPSTREAM_KINDS = ["gemma-local", "openai-ok", "claude-ok", "openai-tool", "claude-tool"]


def config(upstream_port, port):
    up = f"http://127.0.0.1:{upstream_port}"
    return f"""
gateway: {{port: {port}, timeouts: {{connect_ms: 1000, first_token_ms: 20000, total_ms: 60000}}}}
models:
  - {{id: gemma-local, provider: openai-compatible, base_url: "{LLAMA_URL}", upstream_model: gemma-3-270m, deployment: local, context_window: 4096}}
  - {{id: openai-ok, provider: openai-compatible, base_url: "{up}/no-usage/v1", deployment: on-prem}}
  - {{id: claude-ok, provider: anthropic, base_url: "{up}/ok/v1", api_key: test-key, deployment: cloud, price: {{input_per_mtok: 3, output_per_mtok: 15}}}}
  - {{id: openai-tool, provider: openai-compatible, base_url: "{up}/tool/v1", deployment: on-prem}}
  - {{id: claude-tool, provider: anthropic, base_url: "{up}/tool/v1", api_key: test-key, deployment: cloud, price: {{input_per_mtok: 3, output_per_mtok: 15}}}}
  - {{id: cut, provider: openai-compatible, base_url: "{up}/cut-stream/v1", deployment: on-prem}}
"""


@pytest.fixture(scope="module")
def gateway():
    with running_double() as upstream:
        port = free_port()
        with running_gateway(config(upstream, port), port) as url:
            yield url


@pytest.fixture()
def client(gateway):
    return openai.OpenAI(base_url=gateway + "/v1", api_key="unused", max_retries=0)


def post(gateway, path, body):
    request = urllib.request.Request(gateway + path, data=json.dumps(body).encode(), method="POST", headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode()


def sse_data(text):
    return [json.loads(line[6:]) for line in text.split("\n") if line.startswith("data: ") and line != "data: [DONE]"]


@pytest.mark.parametrize("model", UPSTREAM_KINDS)
def test_chat_answers_and_chunks_meet_openais_schema(gateway, model):
    body = {"model": model, "max_tokens": 8, "messages": [{"role": "user", "content": "Say hi."}]}
    answer = json.loads(post(gateway, "/v1/chat/completions", body))
    check("CreateChatCompletionResponse", answer)
    # What clients generated from the schema insist on, even where llama.cpp sends nothing.
    assert "logprobs" in answer["choices"][0] and "refusal" in answer["choices"][0]["message"]
    chunks = sse_data(post(gateway, "/v1/chat/completions", {**body, "stream": True, "stream_options": {"include_usage": True}}))
    assert chunks
    for chunk in chunks:
        check("CreateChatCompletionStreamResponse", chunk)


@pytest.mark.parametrize("model", UPSTREAM_KINDS)
def test_responses_and_their_events_meet_openais_schema(gateway, model):
    body = {"model": model, "max_output_tokens": 8, "input": "Say hi.", "instructions": "Be brief."}
    if "tool" in model:
        body["tools"] = [WEATHER_TOOL]
    check("Response", json.loads(post(gateway, "/v1/responses", body)))
    events = sse_data(post(gateway, "/v1/responses", {**body, "stream": True}))
    assert events[0]["type"] == "response.created" and events[-1]["type"] in ("response.completed", "response.incomplete")
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    for event in events:
        check_stream_event(event)


def test_responses_create_and_stream_with_gemma(client):
    response = client.responses.create(model="gemma-local", input="Say hello.", instructions="You are terse.", max_output_tokens=8)
    assert response.object == "response" and response.id.startswith("resp_")
    assert response.output_text
    assert response.usage.input_tokens > 0 and 0 < response.usage.output_tokens <= 8
    kinds, text = [], ""
    with client.responses.stream(model="gemma-local", input="Count to five.", max_output_tokens=8) as stream:
        for event in stream:
            kinds.append(event.type)
            if event.type == "response.output_text.delta":
                text += event.delta
    assert kinds[0] == "response.created" and "response.output_text.delta" in kinds and "response.output_item.done" in kinds
    assert kinds[-1] in ("response.completed", "response.incomplete") and text


@pytest.mark.parametrize("model", ["openai-tool", "claude-tool"])
def test_responses_function_call_whole_and_streamed(client, model):
    response = client.responses.create(model=model, input="Weather in Paris?", tools=[WEATHER_TOOL])
    calls = [item for item in response.output if item.type == "function_call"]
    assert len(calls) == 1 and calls[0].name == "get_weather" and json.loads(calls[0].arguments) == WEATHER_INPUT
    assert response.output_text == "Let me look."

    deltas = []
    with client.responses.stream(model=model, input="Weather in Paris?", tools=[WEATHER_TOOL]) as stream:
        for event in stream:
            if event.type == "response.function_call_arguments.delta":
                deltas.append(event.delta)
        final = stream.get_final_response()
    assert len(deltas) == 3 and json.loads("".join(deltas)) == WEATHER_INPUT
    call = next(item for item in final.output if item.type == "function_call")
    assert json.loads(call.arguments) == WEATHER_INPUT and final.status == "completed"

    # Stateless: the next turn sends the call and its output back as input items.
    follow = client.responses.create(model=model, tools=[WEATHER_TOOL], input=[
        {"role": "user", "content": "Weather in Paris?"},
        {"type": "function_call", "call_id": call.call_id, "name": "get_weather", "arguments": call.arguments},
        {"type": "function_call_output", "call_id": call.call_id, "output": "18 C and sunny"},
    ])
    assert follow.status == "completed"


def test_responses_refuse_state_with_a_clear_400(client):
    with pytest.raises(openai.BadRequestError) as error:
        client.responses.create(model="gemma-local", input="hi", previous_response_id="resp_123")
    assert error.value.body["param"] == "previous_response_id" and "stateless" in error.value.body["message"]
    with pytest.raises(openai.BadRequestError) as error:
        client.responses.create(model="gemma-local", input="hi", store=True)
    assert error.value.body["param"] == "store"
    with pytest.raises(openai.BadRequestError) as error:
        client.responses.create(model="gemma-local", input="hi", tools=[{"type": "web_search"}])
    assert error.value.body["param"] == "tools[0].type"


def test_a_responses_stream_cut_upstream_raises_in_the_sdk(client):
    with pytest.raises(openai.APIError):
        with client.responses.stream(model="cut", input="hi") as stream:
            for _ in stream:
                pass
