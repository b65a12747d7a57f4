"""OpenTelemetry: the gateway's spans and GenAI metrics decoded by a real OTLP
receiver (the official opentelemetry-proto package), over OTLP/HTTP and
OTLP/gRPC, for a routed, a fallen-back, a cascaded and a streamed request; the
caller's trace continued from its traceparent and handed on to an on-prem
upstream (never to a cloud one); no prompt text and no PII value in any span;
JSON log lines that carry the same trace ids; and a collector that does not
answer costing the requests nothing but dropped spans, counted."""
import json
import os
import socket
import tempfile
import threading
import urllib.request

import openai
import pytest

from conftest import free_port, running_double, running_gateway, wait_until
from otlp_receiver import grpc_receiver, http_receiver

MARKER = "zebra-quartz-marker"
EMAIL = "maria.lopez.telemetry@example.org"
CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_PARENT = "00f067aa0ba902b7"
LEAK_CANARY = "sk-leak-canary-7f3a"


def config(upstream: int, port: int, endpoint: str, protocol: str, extra: str = "") -> str:
    up = f"http://127.0.0.1:{upstream}"
    return f"""
gateway:
  port: {port}
  default_models: [local-ok, cloud-ok]
  retries: {{max_retries: 0}}
models:
  - id: broken
    provider: openai-compatible
    base_url: {up}/fail-500/v1
    deployment: on-prem
    quality: 0.99
  - id: local-ok
    provider: openai-compatible
    base_url: {up}/capture/v1
    upstream_model: local-model
    deployment: on-prem
    quality: 0.8
  - id: cloud-ok
    provider: openai-compatible
    base_url: {up}/ok/v1
    upstream_model: cloud-model
    api_key: test-key
    deployment: cloud
    price: {{input_per_mtok: 1, output_per_mtok: 2}}
    quality: 0.95
routes:
  - name: with-fallback
    models: [broken, local-ok]
  - name: checked
    cascade:
      - {{model: local-ok, accept: {{min_chars: 100000}}}}
      - {{model: cloud-ok}}
  - name: strict
    models: [local-ok]
    durability: strict
privacy: {{pii: on-prem, on_violation: refuse}}
router: {{default_objective: best}}
storage: {{sqlite: ledger.db}}
logging: {{format: json}}
telemetry:
  otlp: {{endpoint: "{endpoint}", protocol: {protocol}, sample_ratio: 1.0, timeout_ms: 2000{extra}}}
"""


def env_for_export():
    # Export often, so the test waits a second rather than the spec's five (spans) and sixty (metrics).
    return dict(os.environ, FRONTIER_LEDGER_KEY="telemetry-test-key", OTEL_BSP_SCHEDULE_DELAY="200", OTEL_METRIC_EXPORT_INTERVAL="500")


def traffic(url: str, upstream: int):
    """The four requests; returns what the client saw of each."""
    client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=30)
    seen = {}
    routed = client.chat.completions.with_raw_response.create(
        model="auto", messages=[{"role": "user", "content": f"Routed question {MARKER}"}], max_tokens=16)
    seen["routed"] = (routed.headers["x-frontier-request-id"], routed.parse())
    fallback = client.chat.completions.with_raw_response.create(
        model="with-fallback", messages=[{"role": "user", "content": f"Fallback question {MARKER}"}])
    seen["fallback"] = (fallback.headers["x-frontier-request-id"], fallback.parse())
    cascade = client.chat.completions.with_raw_response.create(
        model="checked", messages=[{"role": "user", "content": f"Cascade question {MARKER}"}])
    seen["cascade"] = (cascade.headers["x-frontier-request-id"], cascade.parse())
    # The streamed one continues the caller's trace, and its on-prem upstream gets the gateway's context.
    stream = client.chat.completions.with_raw_response.create(
        model="local-ok", stream=True, stream_options={"include_usage": True},
        messages=[{"role": "user", "content": f"Streamed question {MARKER} from {EMAIL}"}],
        extra_headers={"traceparent": f"00-{CALLER_TRACE}-{CALLER_PARENT}-01"})
    usage = None
    for chunk in stream.parse():
        if chunk.usage:
            usage = chunk.usage
    seen["stream"] = (stream.headers["x-frontier-request-id"], usage)
    with urllib.request.urlopen(f"http://127.0.0.1:{upstream}/received/capture", timeout=10) as response:
        seen["upstream_headers"] = json.loads(response.read())["headers"]
    strict = client.chat.completions.with_raw_response.create(model="strict", messages=[{"role": "user", "content": "Strict one"}])
    seen["strict"] = (strict.headers["x-frontier-request-id"], strict.parse())
    # A hostile traceparent starts a new trace; the request's key goes nowhere near the tracer or its logs.
    hostile = openai.OpenAI(base_url=f"{url}/v1", api_key=LEAK_CANARY, max_retries=0, timeout=30)
    odd = hostile.chat.completions.with_raw_response.create(
        model="local-ok", messages=[{"role": "user", "content": "hi"}], extra_headers={"traceparent": "00-zz-" + "f" * 5000})
    seen["hostile"] = (odd.headers["x-frontier-request-id"], odd.parse())
    return seen


def by_request(spans):
    roots = {}
    for span in spans:
        rid = span["attributes"].get("frontier.request_id")
        if rid and span["kind"] == 2:  # SPAN_KIND_SERVER
            roots[rid] = span
    return roots


def children(spans, parent):
    return [s for s in spans if s["parent_span_id"] == parent["span_id"] and s["trace_id"] == parent["trace_id"]]


@pytest.mark.parametrize("protocol", ["http/protobuf", "grpc"])
def test_spans_metrics_and_logs_reach_a_real_otlp_receiver(protocol):
    receiver = http_receiver if protocol == "http/protobuf" else grpc_receiver
    with receiver() as (endpoint, sink), running_double() as upstream:
        port = free_port()
        work = tempfile.mkdtemp(prefix="frontier-otel-")
        with running_gateway(config(upstream, port, endpoint, protocol), port, env=env_for_export(), directory=work) as url:
            seen = traffic(url, upstream)
            ids = [seen[k][0] for k in ("routed", "fallback", "cascade", "stream", "strict", "hostile")]
            roots = wait_until(lambda: (lambda r: r if all(i in r for i in ids) else None)(by_request(sink.snapshot()[0])))
            assert roots, f"server spans for {ids} never arrived; got {len(sink.snapshot()[0])} spans"
            metrics = wait_until(lambda: (lambda m: m if "gen_ai.client.token.usage" in m and "gen_ai.client.operation.duration" in m else None)(sink.snapshot()[1]))
            assert metrics, f"GenAI metrics never arrived: {sorted(sink.snapshot()[1])}"
        spans, _ = sink.snapshot()
        log_text = open(os.path.join(work, "frontier.yaml.log")).read()
        log_lines = [json.loads(line) for line in log_text.splitlines() if line.startswith("{")]
    assert LEAK_CANARY not in log_text and LEAK_CANARY not in json.dumps(sink.snapshot()[0])
    assert roots[seen["hostile"][0]]["parent_span_id"] == "" and roots[seen["hostile"][0]]["trace_id"] != CALLER_TRACE

    # Nothing of the prompts, and no PII value, anywhere in what was exported.
    exported = json.dumps(spans)
    assert MARKER not in exported and EMAIL not in exported and "Routed question" not in exported

    # Routed: server span -> decision span and one client span, GenAI attributes with the tokens the client saw.
    rid, answer = seen["routed"]
    root = roots[rid]
    assert root["name"] == "chat auto"
    assert root["resource"].get("service.name") == "frontier"
    a = root["attributes"]
    assert a["gen_ai.operation.name"] == "chat" and a["gen_ai.request.model"] == "auto" and a["gen_ai.request.max_tokens"] == 16
    assert a["gen_ai.usage.input_tokens"] == answer.usage.prompt_tokens and a["gen_ai.usage.output_tokens"] == answer.usage.completion_tokens
    assert a["frontier.model"] == "cloud-ok" and a["frontier.cost_usd"] > 0 and a["http.response.status_code"] == 200
    kids = children(spans, root)
    decision = [s for s in kids if s["name"] == "frontier.route"]
    assert len(decision) == 1
    d = decision[0]["attributes"]
    assert d["frontier.route.chosen"] == "cloud-ok" and d["frontier.route.rule"].startswith("best") and "frontier.route.excluded" in d
    calls = [s for s in kids if s["kind"] == 3]  # SPAN_KIND_CLIENT
    assert [c["name"] for c in calls] == ["chat cloud-model"]
    c = calls[0]["attributes"]
    assert c["gen_ai.request.model"] == "cloud-model" and c["gen_ai.response.model"] == answer.model
    assert c["gen_ai.usage.input_tokens"] == answer.usage.prompt_tokens and c["gen_ai.provider.name"] == "openai-compatible"
    assert c["gen_ai.response.finish_reasons"] == [answer.choices[0].finish_reason]

    # Fallback: a failed client span, then the one that answered, which names why it was called.
    rid, answer = seen["fallback"]
    calls = sorted((s for s in children(spans, roots[rid]) if s["kind"] == 3), key=lambda s: s["start"])
    assert [s["attributes"]["frontier.model"] for s in calls] == ["broken", "local-ok"]
    assert calls[0]["status"] == 2 and calls[0]["attributes"]["error.type"] == "500"  # STATUS_CODE_ERROR
    assert calls[1]["attributes"]["frontier.fallback_from"] == "broken"
    assert roots[rid]["attributes"]["gen_ai.usage.output_tokens"] == answer.usage.completion_tokens

    # Cascade: one span per tier, the first rejected by its check, the second accepted.
    rid, answer = seen["cascade"]
    tiers = sorted((s for s in children(spans, roots[rid]) if s["name"].startswith("frontier.cascade.tier")), key=lambda s: s["start"])
    assert [t["attributes"]["frontier.outcome"] for t in tiers] == ["rejected", "accepted"]
    assert tiers[0]["attributes"]["frontier.checks.failed"] == ["min_chars"]
    assert roots[rid]["attributes"]["gen_ai.usage.output_tokens"] == answer.usage.completion_tokens

    # Streamed: the caller's trace continued, the time to first token on the client span, the real usage,
    # the email's category on the span but never the address.
    rid, usage = seen["stream"]
    root = roots[rid]
    assert root["trace_id"] == CALLER_TRACE and root["parent_span_id"] == CALLER_PARENT
    assert root["attributes"]["frontier.pii.categories"] == ["email"] and root["attributes"]["frontier.privacy_zone"] == "on-prem"
    assert root["attributes"]["gen_ai.usage.input_tokens"] == usage.prompt_tokens
    assert root["attributes"]["gen_ai.usage.output_tokens"] == usage.completion_tokens
    call = [s for s in children(spans, root) if s["kind"] == 3][0]
    assert call["attributes"]["frontier.time_to_first_token_ms"] > 0 and call["attributes"]["gen_ai.usage.output_tokens"] == usage.completion_tokens
    # The on-prem upstream was handed the gateway's own context: same trace, the client span as its parent.
    traceparent = seen["upstream_headers"]["traceparent"]
    assert traceparent.split("-")[1] == CALLER_TRACE and traceparent.split("-")[2] == call["span_id"]

    # Strict route: the ledger commit is a span of its own under the request.
    rid, _ = seen["strict"]
    assert [s["name"] for s in children(spans, roots[rid]) if s["name"] == "frontier.ledger.commit"] == ["frontier.ledger.commit"]

    # Metrics: token usage by direction for the models that answered, and call durations.
    usage_points = metrics["gen_ai.client.token.usage"]
    assert {p["attributes"]["gen_ai.token.type"] for p in usage_points} == {"input", "output"}
    assert {"local-model", "cloud-model"} <= {p["attributes"]["gen_ai.request.model"] for p in usage_points}
    # The failed call's record carries its error type (a label, not a speed).
    timed_calls = metrics["gen_ai.client.operation.duration"]
    assert any(p["attributes"].get("error.type") == "500" for p in timed_calls)

    # Logs: JSON lines; the fallback's warning carries the request's trace and span ids.
    warnings = [line for line in log_lines if line.get("message") == "upstream failed"]
    assert warnings, "no 'upstream failed' line in the JSON log"
    fallback_root = roots[seen["fallback"][0]]
    assert warnings[0]["trace_id"] == fallback_root["trace_id"]
    assert warnings[0]["span_id"] in {s["span_id"] for s in spans if s["trace_id"] == fallback_root["trace_id"]}
    assert all("time" in line and "level" in line for line in log_lines)


def test_a_cloud_upstream_is_not_handed_the_trace_context():
    with http_receiver() as (endpoint, sink), running_double() as upstream:
        port = free_port()
        text = config(upstream, port, endpoint, "http/protobuf").replace(f"{{upstream}}", "")
        # The capture mode as a cloud model: the default keeps the caller's trace to itself.
        text = text.replace("    upstream_model: local-model\n    deployment: on-prem", "    upstream_model: local-model\n    deployment: cloud\n    price: {input_per_mtok: 1, output_per_mtok: 1}")
        with running_gateway(text, port, env=env_for_export()) as url:
            client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=30)
            client.chat.completions.create(
                model="local-ok", messages=[{"role": "user", "content": "hi"}],
                extra_headers={"traceparent": f"00-{CALLER_TRACE}-{CALLER_PARENT}-01"})
            with urllib.request.urlopen(f"http://127.0.0.1:{upstream}/received/capture", timeout=10) as response:
                headers = json.loads(response.read())["headers"]
    assert "traceparent" not in headers and "tracestate" not in headers


def test_an_unreachable_collector_drops_spans_and_fails_no_request():
    # A collector that accepts connections and never answers: every export waits out its timeout.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    accepted = []
    stop = threading.Event()

    def hold():
        silent.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(silent.accept()[0])
            except OSError:
                pass

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
    try:
        with running_double() as upstream:
            port = free_port()
            text = config(upstream, port, endpoint, "http/protobuf", extra=", max_queue_size: 8")
            with running_gateway(text, port, env=env_for_export()) as url:
                client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=30)
                for n in range(60):
                    answer = client.chat.completions.create(model="local-ok", messages=[{"role": "user", "content": f"question {n}"}])
                    assert answer.choices[0].message.content

                def dropped():
                    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
                        for line in response.read().decode().splitlines():
                            if line.startswith("frontier_telemetry_dropped_spans_total"):
                                return float(line.split()[-1])
                    return 0.0

                # liveness: the first export's 2 s timeout, then the next tick; 30 s holds on two busy cores.
                assert wait_until(lambda: dropped() > 0, seconds=30), "no dropped spans counted with a full queue"
    finally:
        stop.set()
        holder.join(timeout=5)
        for connection in accepted:
            connection.close()
        silent.close()
