"""`frontier pii test`: an operator checks its own recognizers and deny list before deploying them: every finding
with its category, rule and span (values only when asked), precision and recall per category on labelled cases,
and a pattern that needs backtracking refused with the reason."""
import json
import os
import subprocess
import tempfile

from conftest import FRONTIER_BIN

CONFIG = """
models:
  - {id: m, provider: openai-compatible, base_url: "http://127.0.0.1:1/v1", deployment: local}
privacy:
  pii: local
  recognizers:
    - {name: hsp, category: medical_record_number, pattern: 'HSP-?[0-9]{8}', validate: mod11}
    - {name: matter, category: matter_number, pattern: '[A-Z]{2}-[0-9]{5}', context: [matter], min_score: 0.9}
  deny_lists:
    - {name: vip, category: person_name, file: names.txt}
"""


def run(*args, cwd):
    return subprocess.run([os.path.abspath(FRONTIER_BIN), "pii", "test", *args], capture_output=True, text=True, timeout=60, cwd=cwd)


def test_findings_rules_and_precision_recall_of_the_operators_own_rules():
    work = tempfile.mkdtemp(prefix="frontier-pii-cli-")
    with open(os.path.join(work, "names.txt"), "w") as f:
        f.write("Ottoline Featherstonehaugh\n")
    config = os.path.join(work, "frontier.yaml")
    with open(config, "w") as f:
        f.write(CONFIG)
    one = run("--config", config, "Letter for Ottoline Featherstonehaugh, HSP-48213098, about matter AB-12345", cwd=work)
    assert one.returncode == 0, one.stdout + one.stderr
    lines = one.stdout.splitlines()
    assert any("person_name  deny list vip  bytes 11..<37" in line for line in lines), one.stdout
    assert any("medical_record_number  recognizer hsp" in line for line in lines), one.stdout
    assert any("matter_number  recognizer matter" in line for line in lines), one.stdout
    assert "Featherstonehaugh" not in one.stdout and "48213098" not in one.stdout  # no values unless asked
    shown = run("--config", config, "--show-values", "HSP-48213098", cwd=work)
    assert '"HSP-48213098"' in shown.stdout

    cases = os.path.join(work, "cases.jsonl")
    with open(cases, "w") as f:
        for text, labels in [
            ("admit HSP-48213098 today", ["medical_record_number"]),
            ("admit HSP-48213094 today", []),  # the check digit fails: not a number of ours
            ("matter AB-12345 is closed", ["matter_number"]),
            ("part AB-12345 is out of stock", []),  # no context word: below min_score
            ("write to jane@example.org", ["email"]),
            ("call Ottoline Featherstonehaugh", ["person_name"]),
        ]:
            f.write(json.dumps({"text": text, "categories": labels}) + "\n")
        f.write(json.dumps({"body": {"model": "auto", "messages": [{"role": "user", "content": "MRN HSP-48213098"}]}, "categories": ["medical_record_number"]}) + "\n")
    table = run("--config", config, "--file", cases, "--quiet", cwd=work)
    assert table.returncode == 0, table.stdout + table.stderr
    assert "7 labelled cases" in table.stdout, table.stdout
    overall = next(line for line in table.stdout.splitlines() if line.startswith("overall"))
    assert overall.split()[1:3] == ["1.000", "1.000"], table.stdout

    bad = CONFIG.replace("'HSP-?[0-9]{8}'", "'(HSP-?[0-9]+)+'")
    with open(config, "w") as f:
        f.write(bad)
    refused = run("--config", config, "x", cwd=work)
    assert refused.returncode == 2 and "exponential time" in refused.stdout and "privacy.recognizers[0]" in refused.stdout, refused.stdout
