"""Pseudonymise and restore, with real processes: a cascade whose local tier fails its check falls back to the
cloud model with placeholders. The test upstream behind the cloud model records what it was sent (no real value
in it) and answers with the placeholders, in text and in a tool call, three bytes a chunk when streamed; the
client gets the real values back, streamed and not, through chat completions, Messages and Responses, with the
real `openai` and `anthropic` SDKs. The ledger records that pseudonymisation happened and its counts, never a
value; an operator's own recognizer and deny list feed the same placeholders."""
import json
import os
import sqlite3
import subprocess
import tempfile
import urllib.request

import anthropic
import openai

from conftest import FRONTIER_BIN, free_port, running_double, running_gateway

# The invented hospital format: HSP- then seven digits and a mod-11 check digit.
HSP = "HSP-48213098"
VALUES = ["Ottoline Featherstonehaugh", "00482913", "ottoline@example.org", HSP]
PROMPT = (
    "Patient: Ottoline Featherstonehaugh, MRN: 00482913, hospital number " + HSP
    + ", email ottoline@example.org. Record the patient's identifiers and summarise the admission."
)
TOOL = {"type": "function", "function": {"name": "record_patient", "parameters": {"type": "object", "properties": {"ids": {"type": "array"}}}}}


def mod11_ok(number):
    digits = [int(c) for c in number if c.isdigit()]
    total = sum(d * (k + 2) for k, d in enumerate(reversed(digits[:-1])))
    check = (11 - total % 11) % 11
    return check != 10 and check == digits[-1]


def config(upstream, port, work):
    with open(os.path.join(work, "patients.txt"), "w") as f:
        f.write("".join(f"Given{n} Family{n}\n" for n in range(10_000)) + "Ottoline Featherstonehaugh\n")
    return f"""
gateway: {{port: {port}, retries: {{max_retries: 0}}}}
models:
  - id: local-small
    provider: openai-compatible
    base_url: {upstream}/ok/v1
    deployment: local
  - id: general
    provider: openai-compatible
    base_url: {upstream}/echo-placeholders/v1
    api_key: test-key
    deployment: cloud
    price: {{input_per_mtok: 2.5, output_per_mtok: 10}}
privacy:
  pii: local
  recognizers:
    - {{name: hsp, category: medical_record_number, pattern: 'HSP-?[0-9]{{8}}', validate: mod11}}
  deny_lists:
    - {{name: patients, category: person_name, file: patients.txt}}
routes:
  - name: clinic
    cascade:
      - {{model: local-small, accept: {{must_contain: ["Noted"]}}}}
      - {{model: general, pseudonymize: true}}
  - name: clinic-live
    streaming: stream-final-tier
    cascade:
      - {{model: local-small, accept: {{must_contain: ["Noted"]}}}}
      - {{model: general, pseudonymize: true}}
  - name: clinic-strict
    cascade:
      - {{model: local-small, accept: {{must_contain: ["Noted"]}}}}
      - {{model: general}}
storage: {{sqlite: {os.path.join(work, "frontier.db")}}}
"""


def received(upstream):
    with urllib.request.urlopen(f"{upstream}/received/echo-placeholders", timeout=30) as response:
        return json.load(response)["body"]


def assert_masked(sent):
    for value in VALUES:
        assert value not in sent, f"{value} reached the cloud model: {sent}"
    assert "<MRN_1>" in sent and "<MRN_2>" in sent and "<PERSON_1>" in sent and "<EMAIL_1>" in sent, sent


def assert_restored(text):
    for value in VALUES:
        assert value in text, f"{value} missing from {text!r}"
    assert "<MRN_" not in text and "<PERSON_" not in text, text


def test_a_failed_local_tier_falls_back_to_the_cloud_with_placeholders_and_the_client_gets_the_values():
    assert mod11_ok(HSP)
    work = tempfile.mkdtemp(prefix="frontier-pseudonymize-")
    env = dict(os.environ, FRONTIER_LEDGER_KEY="pseudonymize-ledger-key")
    with running_double() as port_up:
        upstream = f"http://127.0.0.1:{port_up}"
        port = free_port()
        with running_gateway(config(upstream, port, work), port, env=env, directory=work) as url:
            client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=30)
            messages = [{"role": "user", "content": PROMPT}]

            # Chat completions, whole: text and tool-call arguments restored.
            raw = client.chat.completions.with_raw_response.create(model="clinic", messages=messages, tools=[TOOL])
            assert raw.headers["x-frontier-escalation"] == "local-small:rejected(must_contain) > general:accepted", raw.headers
            assert "pseudonymized=general" in raw.headers["x-frontier-decision"]
            answer = raw.parse().choices[0].message
            assert_restored(answer.content)
            assert_restored(" ".join(json.loads(answer.tool_calls[0].function.arguments)["ids"]))
            assert_masked(received(upstream))

            # Chat completions, streamed live from the final tier: placeholders split across 3-byte chunks.
            text, arguments = "", ""
            for chunk in client.chat.completions.create(model="clinic-live", messages=messages, tools=[TOOL], stream=True):
                if chunk.choices:
                    delta = chunk.choices[0].delta
                    text += delta.content or ""
                    for call in delta.tool_calls or []:
                        arguments += call.function.arguments or ""
            assert_restored(text)
            assert_restored(" ".join(json.loads(arguments)["ids"]))
            assert_masked(received(upstream))

            # Messages (the anthropic SDK), whole and streamed.
            claude = anthropic.Anthropic(base_url=url, api_key="unused", max_retries=0, timeout=30)
            message = claude.messages.create(model="clinic", max_tokens=64, messages=messages)
            assert_restored(message.content[0].text)
            with claude.messages.stream(model="clinic-live", max_tokens=64, messages=messages) as stream:
                streamed = "".join(stream.text_stream)
            assert_restored(streamed)
            assert_masked(received(upstream))

            # Responses, whole and streamed.
            response = client.responses.create(model="clinic", input=PROMPT)
            assert_restored(response.output_text)
            deltas = ""
            with client.responses.stream(model="clinic-live", input=PROMPT) as stream:
                for event in stream:
                    if event.type == "response.output_text.delta":
                        deltas += event.delta
            assert_restored(deltas)
            assert_masked(received(upstream))

            # Without pseudonymize the cloud tier is dropped: the local tier's answer is all there is.
            strict = client.chat.completions.with_raw_response.create(model="clinic-strict", messages=messages)
            assert "general(outside local)" in strict.headers["x-frontier-decision"]
            assert strict.headers["x-frontier-model"] == "local-small"

            # A value split across two messages cannot be masked: the cloud tier is not called at all.
            split = [{"role": "user", "content": "card 4111 1111"}, {"role": "user", "content": "1111 1111 was charged twice"}]
            before = received(upstream)
            refused = client.chat.completions.with_raw_response.create(model="clinic", messages=split)
            assert "pii=credit_card" in refused.headers["x-frontier-decision"], refused.headers
            assert refused.headers["x-frontier-model"] == "local-small"
            assert received(upstream) == before

    # The ledger: pseudonymisation and its counts on the records, no value anywhere in the database.
    export = subprocess.run(
        [FRONTIER_BIN, "audit", "export", "--config", os.path.join(work, "frontier.yaml")], capture_output=True, text=True, timeout=120, env=env)
    assert export.returncode == 0, export.stderr
    records = [json.loads(line) for line in export.stdout.splitlines() if line.strip()]
    masked = [r for r in records if r.get("pseudonymized")]
    assert len(masked) >= 6, records
    assert masked[0]["pseudonymized"] == {"email": 1, "medical_record_number": 2, "person_name": 1}, masked[0]
    verify = subprocess.run(
        [FRONTIER_BIN, "audit", "verify", "--config", os.path.join(work, "frontier.yaml")], capture_output=True, text=True, timeout=120, env=env)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    database = b""
    for name in os.listdir(work):
        if name.startswith("frontier.db"):
            with open(os.path.join(work, name), "rb") as f:
                database += f.read()
    for value in VALUES:
        assert value.encode() not in database, f"{value} is in the ledger"
    with sqlite3.connect(os.path.join(work, "frontier.db")) as db:
        assert db.execute("select count(*) from sqlite_master").fetchone()[0] > 0
