"""The operator's privacy rules reload with the config, with real processes: a term added to a deny-list
file, then a recognizer added to the config, keep the next requests that carry them in their zone (403 for a
cloud model under `on_violation: refuse`) without a restart; a config whose new pattern the engine refuses is
logged and the running rules stay."""
import json
import os
import tempfile
import urllib.error
import urllib.request

from conftest import free_port, running_double, running_gateway, wait_until

RULES = """
privacy:
  pii: local
  on_violation: refuse
  deny_lists:
    - {name: projects, category: project_code, file: projects.txt}
"""
RECOGNIZER = """  recognizers:
    - {name: hsp, category: medical_record_number, pattern: 'HSP-[0-9]{7}'}
"""


def config(upstream, port, rules):
    return f"""
gateway: {{port: {port}, retries: {{max_retries: 0}}}}
models:
  - id: local-small
    provider: openai-compatible
    base_url: http://127.0.0.1:{upstream}/ok/v1
    deployment: local
  - id: general
    provider: openai-compatible
    base_url: http://127.0.0.1:{upstream}/ok/v1
    api_key: test-key
    deployment: cloud
    price: {{input_per_mtok: 2.5, output_per_mtok: 10}}
{rules}"""


def status(url, text):
    body = json.dumps({"model": "general", "messages": [{"role": "user", "content": text}], "max_tokens": 8}).encode()
    request = urllib.request.Request(url + "/v1/chat/completions", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_deny_lists_and_recognizers_reload_with_the_config_and_a_refused_pattern_keeps_the_running_rules():
    work = tempfile.mkdtemp(prefix="frontier-privacy-reload-")
    projects = os.path.join(work, "projects.txt")
    with open(projects, "w") as f:
        f.write("Kestrel Harbour\n")
    path = os.path.join(work, "frontier.yaml")
    log = path + ".log"
    with running_double() as upstream:
        port = free_port()
        with running_gateway(config(upstream, port, RULES), port, directory=work) as url:
            assert status(url, "Status of Kestrel Harbour, please.") == 403
            assert status(url, "Status of Nightjar Cedar, please.") == 200
            assert status(url, "Look up HSP-1234567.") == 200

            # A term appended to the deny list: no restart.
            with open(projects, "a") as f:
                f.write("Nightjar Cedar\n")
            assert wait_until(lambda: status(url, "Status of Nightjar Cedar, please.") == 403), open(log).read()
            assert "privacy rules reloaded" in open(log).read()

            # A recognizer added to the config.
            with open(path, "w") as f:
                f.write(config(upstream, port, RULES + RECOGNIZER))
            assert wait_until(lambda: status(url, "Look up HSP-1234567.") == 403), open(log).read()

            # A pattern the engine refuses: logged, and the rules running stay.
            with open(path, "w") as f:
                f.write(config(upstream, port, RULES + RECOGNIZER.replace("HSP-[0-9]{7}", "(a+)+b")))
            assert wait_until(lambda: "cannot be loaded" in open(log).read()), open(log).read()
            assert status(url, "Look up HSP-1234567.") == 403
            assert status(url, "Status of Nightjar Cedar, please.") == 403
            assert status(url, "Nothing sensitive here.") == 200
            text = open(log).read()
            assert "nests one unbounded repetition" in text, text
            assert "Nightjar" not in text and "Kestrel" not in text, "a deny list's terms never appear in the log"
