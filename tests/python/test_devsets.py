"""The development-set builders (scripts/build-*-outcomes.py) on miniature checkouts laid out like the
real repositories: what they write is valid outcome data for `frontier fit` / `analyze`, with the
scores, tokens, costs and domains the scripts document."""
import json
import os
import subprocess
import sys
import tempfile

from conftest import FRONTIER_BIN

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def build(script, source, out):
    run = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", script), source, out], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    with open(out) as f:
        return run.stdout, [json.loads(line) for line in f]


def analyze(path):
    run = subprocess.run([FRONTIER_BIN, "analyze", path], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_routellm_builder_reads_mmlu_gsm8k_and_mt_bench():
    with tempfile.TemporaryDirectory() as work:
        src = os.path.join(work, "RouteLLM")
        strong, weak = "gpt-4-1106-preview", "mistralai/Mixtral-8x7B-Instruct-v0.1"
        write(f"{src}/routellm/evals/mmlu/responses/mmlu_anatomy.csv",
              f'prompt,{weak},{strong}\n"Which bone?\nA. a\nB. b\nAnswer:",False,True\n"Which organ?\nA. a\nB. b\nAnswer:",True,True\n')
        write(f"{src}/routellm/evals/gsm8k/gsm8k_responses.csv",
              f'prompt,{weak},{strong},{weak}_response,{strong}_response\nHow many eggs?,True,False,"{"x" * 400}","{"y" * 80}"\n')
        write(f"{src}/routellm/evals/mt_bench/question.jsonl",
              json.dumps({"question_id": 81, "category": "writing", "turns": ["Write a poem.", "Now shorter."]}) + "\n")
        judgements = []
        for model, first, second in ((strong, 10, 7), (weak, 4, 1)):
            judgements.append({"question_id": 81, "model": model, "turn": 1, "score": first,
                               "user_prompt": "[Question]\nWrite a poem.\n\n[The Start of Assistant's Answer]\n" + "p" * 200 + "\n[The End of Assistant's Answer]"})
            judgements.append({"question_id": 81, "model": model, "turn": 2, "score": second,
                               "user_prompt": "<|The Start of Assistant A's Conversation with User|>\n\n### User:\nWrite a poem.\n\n### Assistant A:\n"
                               + "p" * 200 + "\n\n### User:\nNow shorter.\n\n### Assistant A:\n" + "q" * 40 + "\n\n<|The End of Assistant A's Conversation with User|>"})
        write(f"{src}/routellm/evals/mt_bench/judgements.jsonl", "\n".join(json.dumps(j) for j in judgements) + "\n")
        out = os.path.join(work, "routellm.jsonl")
        printed, rows = build("build-routellm-outcomes.py", src, out)
        assert "wrote 5 prompts" in printed
        by_domain = {}
        for row in rows:
            by_domain.setdefault(row["domain"], []).append(row)
        assert sorted(by_domain) == ["anatomy", "gsm8k", "writing"]
        bone = next(r for r in by_domain["anatomy"] if "bone" in r["prompt"])
        assert bone["results"]["gpt-4-1106-preview"]["score"] == 1.0 and bone["results"]["mixtral-8x7b-instruct"]["score"] == 0.0
        assert bone["results"]["gpt-4-1106-preview"]["output_tokens"] == 1
        eggs = by_domain["gsm8k"][0]["results"]
        assert eggs["mixtral-8x7b-instruct"]["output_tokens"] == 100 and eggs["gpt-4-1106-preview"]["output_tokens"] == 20
        # Cost = tokens x the documented list prices (10/30 and 0.60/0.60 per 1M).
        assert abs(eggs["gpt-4-1106-preview"]["cost_usd"] - (3 * 10 + 20 * 30) / 1e6) < 1e-9
        turns = sorted(by_domain["writing"], key=lambda r: len(r["prompt"]))
        assert turns[1]["prompt"] == "Write a poem.\n\nNow shorter."
        assert [t["results"]["gpt-4-1106-preview"]["score"] for t in turns] == [1.0, round(6 / 9, 6)]
        assert [t["results"]["mixtral-8x7b-instruct"]["score"] for t in turns] == [round(3 / 9, 6), 0.0]
        assert turns[1]["results"]["gpt-4-1106-preview"]["output_tokens"] == 10  # the last answer only
        report = analyze(out)  # frontier's own reader takes the file
        assert "gpt-4-1106-preview" in report and "mixtral-8x7b-instruct" in report


def test_routerdc_builder_merges_tasks_and_prices_by_size():
    models = ["mistralai/Mistral-7B-v0.1", "meta-math/MetaMath-Mistral-7B", "itpossible/Chinese-Mistral-7B-v0.1",
              "HuggingFaceH4/zephyr-7b-beta", "cognitivecomputations/dolphin-2.6-mistral-7b", "meta-llama/Meta-Llama-3-8B",
              "cognitivecomputations/dolphin-2.9-llama3-8b"]
    files = ["gsm8k-train.json", "gsm8k-test.json", "MATH_prealgebra.json", "mmlu_train.json", "mmlu_test.json", "cmmlu_train.json",
             "cmmlu_test.json", "ceval.json", "arc_challenge_train.json", "arc_challenge_test.json", "arc_easy_train.json",
             "arc_easy_test.json", "humaneval_train.json", "humaneval_test.json", "mbpp.json", "javascript.json"]
    with tempfile.TemporaryDirectory() as work:
        src = os.path.join(work, "RouterDC")
        for n, name in enumerate(files):
            rows = [{"question": f"question {name}", "scores": {m: (k % 3) / 2 for k, m in enumerate(models)}}]
            if name == "gsm8k-test.json":
                rows.append(rows[0] | {"question": "question gsm8k-train.json"})  # the same prompt in train and test: kept once
                rows.append({"question": "incomplete", "scores": {models[0]: 1.0}})  # not all seven models: dropped
            write(f"{src}/datasets/split2_model7/{name}", json.dumps(rows))
        write(f"{src}/datasets/routerbench_zs/mmlu_test.csv", "held out: never read\n")
        out = os.path.join(work, "routerdc.jsonl")
        printed, rows = build("build-routerdc-outcomes.py", src, out)
        assert f"wrote {len(files)} prompts" in printed and "2 duplicates or incomplete rows dropped" in printed
        assert {r["domain"] for r in rows} == {"gsm8k", "math-prealgebra", "mmlu", "cmmlu", "ceval", "arc-challenge", "arc-easy",
                                               "humaneval", "mbpp", "javascript"}
        first = rows[0]["results"]
        assert first["Mistral-7B-v0.1"]["score"] == 0.0 and first["MetaMath-Mistral-7B"]["score"] == 0.5
        # The 8.03B models cost 8.03/7.24 of the 7.24B ones on the same prompt.
        ratio = first["Meta-Llama-3-8B"]["cost_usd"] / first["Mistral-7B-v0.1"]["cost_usd"]
        assert abs(ratio - 8.03 / 7.24) < 1e-3
        report = analyze(out)  # frontier's own reader takes the file
        assert all(m.split("/")[1] in report for m in models)
