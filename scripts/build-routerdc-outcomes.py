#!/usr/bin/env python3
"""Build a development outcome set from RouterDC's published per-prompt scores.

RouterDC (shuhao02/RouterDC, NeurIPS 2024) ships, in datasets/split2_model7/,
the scores of seven open 7-8B models on eleven tasks, from its own runs of
lm-evaluation-harness and bigcode-evaluation-harness: graded scores (the share
of 10 samples that passed for GSM8K/HumanEval/MBPP/JavaScript, the likelihood
of the right option where the model chose it, else 0, for the multiple-choice
sets). Its datasets/routerbench_* folders are RouterBench, held out for
independent evaluation: this script never reads them.

    scripts/build-routerdc-outcomes.py SOURCE OUT.jsonl

SOURCE is a checkout of the repository or its bare git directory (read at the
pinned commit below, so every rebuild is byte-identical). Without a network,
`git clone https://github.com/shuhao02/RouterDC` elsewhere and copy it over.

The data has no costs: all seven are open models of 7.24B (Mistral-7B and its
fine-tunes) or 8.03B parameters (Llama-3-8B and its fine-tune), which hosts
price alike. As an example price table, cost is $0.20 per 1M tokens for an
8.03B model scaled by parameter count, on the prompt's tokens (characters / 4)
plus the task's typical answer length; the models differ in quality far more
than in cost, which makes this the set that tests per-prompt choice among
near-equal-cost models.
"""
import hashlib
import json
import os
import subprocess
import sys

COMMIT = "0e63989"  # shuhao02/RouterDC HEAD when this set was built
FOLDER = "datasets/split2_model7"

# task -> (files, typical answer tokens). Train and test parts are merged: the
# tools split by a seeded hash of the prompt id themselves.
TASKS = {
    "gsm8k": (["gsm8k-train.json", "gsm8k-test.json"], 200),
    "math-prealgebra": (["MATH_prealgebra.json"], 250),
    "mmlu": (["mmlu_train.json", "mmlu_test.json"], 5),
    "cmmlu": (["cmmlu_train.json", "cmmlu_test.json"], 5),
    "ceval": (["ceval.json"], 5),
    "arc-challenge": (["arc_challenge_train.json", "arc_challenge_test.json"], 5),
    "arc-easy": (["arc_easy_train.json", "arc_easy_test.json"], 5),
    "humaneval": (["humaneval_train.json", "humaneval_test.json"], 150),
    "mbpp": (["mbpp.json"], 150),
    "javascript": (["javascript.json"], 150),
}

PARAMETERS_B = {
    "mistralai/Mistral-7B-v0.1": 7.24,
    "meta-math/MetaMath-Mistral-7B": 7.24,
    "itpossible/Chinese-Mistral-7B-v0.1": 7.24,
    "HuggingFaceH4/zephyr-7b-beta": 7.24,
    "cognitivecomputations/dolphin-2.6-mistral-7b": 7.24,
    "meta-llama/Meta-Llama-3-8B": 8.03,
    "cognitivecomputations/dolphin-2.9-llama3-8b": 8.03,
}
USD_PER_TOKEN_PER_B = 0.20 / 1e6 / 8.03


def read(source, name):
    path = os.path.join(source, FOLDER, name)
    if os.path.isfile(path):
        with open(path, "rb") as f:
            return f.read()
    git_dir = source if os.path.isdir(os.path.join(source, "objects")) else os.path.join(source, ".git")
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{COMMIT}:{FOLDER}/{name}"],
                          check=True, capture_output=True).stdout


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, out = sys.argv[1], sys.argv[2]
    seen, lines, dropped = set(), [], 0
    for task, (files, answer_tokens) in TASKS.items():
        for name in files:
            for row in json.loads(read(source, name)):
                question, scores = row["question"], row["scores"]
                key = hashlib.sha256(f"{task}\0{question}".encode()).hexdigest()[:16]
                if key in seen or set(scores) != set(PARAMETERS_B):
                    dropped += 1
                    continue
                seen.add(key)
                input_tokens = max(1, len(question) // 4)
                results = {}
                for model, score in scores.items():
                    if not isinstance(score, (int, float)) or not 0 <= score <= 1:
                        raise SystemExit(f"{name}: score {score!r} of {model} is not in [0, 1]")
                    cost = (input_tokens + answer_tokens) * PARAMETERS_B[model] * USD_PER_TOKEN_PER_B
                    results[model.split("/")[1]] = {
                        "score": round(float(score), 6), "input_tokens": input_tokens,
                        "output_tokens": answer_tokens, "cost_usd": float(f"{cost:.4g}")}
                lines.append(json.dumps({"id": f"routerdc-{task}-{key}", "prompt": question, "domain": task,
                                         "results": results}, ensure_ascii=False, sort_keys=True))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines)} prompts of {len(TASKS)} tasks to {out} ({dropped} duplicates or incomplete rows dropped)")


if __name__ == "__main__":
    main()
