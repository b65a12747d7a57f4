"""Errors, the Anthropic adapter and upstream faults, seen through the real
`openai` SDK."""
import httpx
import openai
import pytest

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}]


def test_unknown_model_is_404(stack):
    with pytest.raises(openai.NotFoundError) as raised:
        stack.client().chat.completions.create(model="no-such-model", messages=MESSAGES)
    assert raised.value.status_code == 404
    assert "no-such-model" in raised.value.message
    assert raised.value.code == "model_not_found"


def test_wrong_type_is_400_naming_the_field(stack):
    with pytest.raises(openai.BadRequestError) as raised:
        stack.client().chat.completions.create(model="gemma-local", messages=MESSAGES, max_tokens="ten")
    assert raised.value.status_code == 400
    assert raised.value.param == "max_tokens"
    assert "'max_tokens' must be an integer" in raised.value.message



def test_malformed_json_and_huge_bodies_over_http(stack):
    with httpx.Client(base_url=stack.base_url) as http:
        response = http.post("/v1/chat/completions", content=b'{"model": "auto", "messages": [', headers={"content-type": "application/json"})
        assert response.status_code == 400
        assert "not valid JSON" in response.json()["error"]["message"]
        response = http.post("/v1/chat/completions", content=b"x" * (5 << 20))
        assert response.status_code == 413
        response = http.post("/v1/chat/completions", content=b'{"model":"auto","messages":[{"role":"user","content":"\xff"}]}')
        assert response.status_code == 400
        assert "UTF-8" in response.json()["error"]["message"]


def test_model_with_unset_key_is_503_with_reason(stack):
    with pytest.raises(openai.InternalServerError) as raised:
        stack.client().chat.completions.create(model="keyless", messages=MESSAGES)
    assert raised.value.status_code == 503
    assert "FRONTIER_TEST_UNSET_KEY is not set" in raised.value.message


def test_hanging_upstream_times_out_with_504(stack):
    with pytest.raises(openai.APIStatusError) as raised:
        stack.client().chat.completions.create(model="slow", messages=MESSAGES)
    assert raised.value.status_code == 504
    assert "first-token timeout after 800 ms" in raised.value.message


def test_models_lists_the_catalog(stack):
    ids = [model.id for model in stack.client().models.list()]
    assert ids[0] == "auto"
    assert {"gemma-local", "claude-test", "broken"} <= set(ids)
    assert "keyless" not in ids


def test_anthropic_upstream_completion(stack):
    raw = stack.client().chat.completions.with_raw_response.create(model="claude-test", messages=MESSAGES, max_tokens=20)
    completion = raw.parse()
    assert completion.choices[0].message.content == "Hello from the test upstream."
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage.prompt_tokens == 20 and completion.usage.completion_tokens == 9
    # 20 prompt tokens * $3/M + 9 * $15/M
    assert float(raw.headers["x-frontier-cost-usd"]) == pytest.approx(20 * 3e-6 + 9 * 15e-6)


def test_anthropic_upstream_stream(stack):
    stream = stack.client().chat.completions.create(
        model="claude-test", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Hello from the test upstream."
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]
    assert chunks[-1].usage.prompt_tokens == 15 and chunks[-1].usage.completion_tokens == 9


def test_a_stream_cut_midway_raises_in_the_client(stack):
    stream = stack.client().chat.completions.create(model="cut", messages=MESSAGES, stream=True)
    received = []
    with pytest.raises(openai.APIError) as raised:
        for chunk in stream:
            received.append(chunk)
    assert received, "the chunks before the cut should have arrived"
    assert "failed mid-stream" in raised.value.message
