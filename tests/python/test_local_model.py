"""The real `openai` SDK against the gateway in front of the real llama.cpp
Gemma 3 270M server. A 270M base model: assert protocol, usage, streaming
and latency, not wisdom."""
import time

PROMPT = [{"role": "user", "content": "Write one short sentence about the sea."}]


def test_chat_completion(stack):
    client = stack.client()
    started = time.monotonic()
    raw = client.chat.completions.with_raw_response.create(model="gemma-local", messages=PROMPT, max_tokens=12, temperature=0)
    elapsed = time.monotonic() - started
    completion = raw.parse()
    assert raw.http_response.status_code == 200
    assert raw.headers["x-frontier-model"] == "gemma-local"
    assert raw.headers["x-frontier-request-id"].startswith("frq_")
    assert float(raw.headers["x-frontier-cost-usd"]) == 0.0
    assert completion.object == "chat.completion"
    choice = completion.choices[0]
    assert choice.message.role == "assistant"
    assert isinstance(choice.message.content, str) and choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert completion.usage.prompt_tokens > 0
    assert 0 < completion.usage.completion_tokens <= 12
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens
    # liveness: 12 tokens take ~0.5 s idle on one thread; 60 s holds on two busy cores (speed: scripts/bench).
    assert elapsed < 60, f"12 tokens took {elapsed:.1f} s"


def test_streamed_chat_completion_with_usage(stack):
    client = stack.client()
    started = time.monotonic()
    stream = client.chat.completions.create(
        model="gemma-local", messages=PROMPT, max_tokens=12, temperature=0, stream=True, stream_options={"include_usage": True}
    )
    first_token_at = None
    pieces, finish_reasons, usage = [], [], None
    for chunk in stream:
        assert chunk.object == "chat.completion.chunk"
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            if choice.delta.content:
                first_token_at = first_token_at or time.monotonic()
                pieces.append(choice.delta.content)
            if choice.finish_reason:
                finish_reasons.append(choice.finish_reason)
    assert pieces, "no content streamed"
    assert finish_reasons and finish_reasons[-1] in ("stop", "length")
    assert usage is not None and 0 < usage.completion_tokens <= 12 and usage.prompt_tokens > 0
    # liveness: the first token comes in ~0.2 s idle; 60 s holds on two busy cores.
    assert first_token_at - started < 60


def test_stream_without_usage_request_has_no_usage_chunk(stack):
    stream = stack.client().chat.completions.create(model="gemma-local", messages=PROMPT, max_tokens=4, stream=True)
    chunks = list(stream)
    assert chunks and all(chunk.choices for chunk in chunks), "a usage-only chunk reached a client that did not ask"


def test_auto_falls_back_from_a_failing_model_to_the_local_one(stack):
    raw = stack.client().chat.completions.with_raw_response.create(
        model="auto", messages=PROMPT, max_tokens=4, extra_headers={"x-frontier-privacy": "on-prem"})
    assert raw.http_response.status_code == 200
    assert raw.headers["x-frontier-model"] == "gemma-local"
    assert raw.headers["x-frontier-attempts"] == "2"


CARD_PROMPT = [{"role": "user", "content": "My card 4111 1111 1111 1111 was charged twice. Write one sentence to the bank."}]


def test_pii_stays_on_prem_even_when_the_cloud_is_cheaper_and_better(stack):
    client = stack.client()
    plain = client.chat.completions.with_raw_response.create(model="auto", messages=PROMPT, max_tokens=4)
    assert plain.headers["x-frontier-model"] == "cloud-cheap"
    raw = client.chat.completions.with_raw_response.create(model="auto", messages=CARD_PROMPT, max_tokens=8)
    assert raw.http_response.status_code == 200
    assert raw.headers["x-frontier-model"] == "gemma-local"
    decision = raw.headers["x-frontier-decision"]
    assert "pii=credit_card" in decision and "zone=on-prem" in decision
    assert "4111" not in decision
    assert raw.parse().usage.completion_tokens > 0


def test_pii_to_an_explicit_cloud_model_is_refused_with_403(stack):
    import openai
    import pytest

    with pytest.raises(openai.PermissionDeniedError) as raised:
        stack.client().chat.completions.create(model="cloud-cheap", messages=CARD_PROMPT, max_tokens=8)
    assert raised.value.status_code == 403
    assert "credit_card" in raised.value.message and "on-prem" in raised.value.message
