#!/usr/bin/env python3
"""Build a development outcome set from RouteLLM's published evaluation responses.

lm-sys/RouteLLM (Apache-2.0) ships, in routellm/evals/, the per-prompt results
of its strong/weak pair, gpt-4-1106-preview and Mixtral-8x7B-Instruct-v0.1:
MMLU (57 subjects, 5-shot, right or wrong), GSM8K (right or wrong, with both
models' answers) and MT-Bench (GPT-4 judge, 1-10 per turn).

    scripts/build-routellm-outcomes.py SOURCE OUT.jsonl

SOURCE is a checkout of the repository or its bare git directory (read at the
pinned commit below, so every rebuild is byte-identical).

- score: 1/0 for MMLU and GSM8K; (judge score - 1) / 9 for MT-Bench, a graded
  score in [0, 1]. Turn 2 of MT-Bench is its own prompt (both user turns).
- tokens: characters / 4 of the question (MMLU: without the 5-shot prefix) and
  of the model's answer (GSM8K, MT-Bench: from the published answers; MMLU:
  one token, the answer letter).
- cost_usd: tokens x list price per 1M tokens (input / output), as an example
  price table: gpt-4-1106-preview 10.00/30.00, Mixtral-8x7B-Instruct 0.60/0.60
  (the same Mixtral price as shared/data/mmlu-pro).
- domain: the MMLU subject, "gsm8k", or the MT-Bench category.
"""
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys

COMMIT = "0b64fda"  # lm-sys/RouteLLM HEAD when this set was built
STRONG, WEAK = "gpt-4-1106-preview", "mistralai/Mixtral-8x7B-Instruct-v0.1"
NAMES = {STRONG: "gpt-4-1106-preview", WEAK: "mixtral-8x7b-instruct"}
PRICES = {STRONG: (10.00, 30.00), WEAK: (0.60, 0.60)}  # USD per 1M tokens, input / output


class Source:
    def __init__(self, path):
        self.path = path
        self.git_dir = None
        if not os.path.isdir(os.path.join(path, "routellm")):
            self.git_dir = path if os.path.isdir(os.path.join(path, "objects")) else os.path.join(path, ".git")

    def read(self, name):
        if self.git_dir is None:
            with open(os.path.join(self.path, name), "rb") as f:
                return f.read().decode("utf-8")
        return subprocess.run(["git", "--git-dir", self.git_dir, "show", f"{COMMIT}:{name}"],
                              check=True, capture_output=True).stdout.decode("utf-8")

    def listing(self, folder):
        if self.git_dir is None:
            return sorted(os.path.join(folder, n) for n in os.listdir(os.path.join(self.path, folder)))
        out = subprocess.run(["git", "--git-dir", self.git_dir, "ls-tree", "--name-only", f"{COMMIT}", folder + "/"],
                             check=True, capture_output=True).stdout.decode("utf-8")
        return sorted(out.split())


def tokens(text):
    return max(1, len(text) // 4)


def result(model, score, input_tokens, output_tokens):
    price_in, price_out = PRICES[model]
    cost = (input_tokens * price_in + output_tokens * price_out) / 1e6
    return {"score": round(score, 6), "input_tokens": input_tokens, "output_tokens": output_tokens,
            "cost_usd": float(f"{cost:.4g}")}


def boolean(text):
    if text not in ("True", "False"):
        raise SystemExit(f"expected True or False, found {text!r}")
    return 1.0 if text == "True" else 0.0


def record(domain, prompt, results):
    key = hashlib.sha256(f"{domain}\0{prompt}".encode()).hexdigest()[:16]
    return key, {"id": f"routellm-{domain}-{key}", "prompt": prompt, "domain": domain, "results": results}


def mmlu(source):
    for name in source.listing("routellm/evals/mmlu/responses"):
        subject = os.path.basename(name).removeprefix("mmlu_").removesuffix(".csv").replace("_", "-")
        for row in csv.DictReader(io.StringIO(source.read(name))):
            prompt = row["prompt"]
            yield record(subject, prompt, {NAMES[m]: result(m, boolean(row[m]), tokens(prompt), 1) for m in (STRONG, WEAK)})


def gsm8k(source):
    for row in csv.DictReader(io.StringIO(source.read("routellm/evals/gsm8k/gsm8k_responses.csv"))):
        prompt = row["prompt"]
        yield record("gsm8k", prompt, {
            NAMES[m]: result(m, boolean(row[m]), tokens(prompt), tokens(row[m + "_response"])) for m in (STRONG, WEAK)})


ANSWER = re.compile(r"\[The Start of Assistant's Answer\]\n(.*?)\n\[The End of Assistant's Answer\]", re.S)
LAST_TURN = re.compile(r".*### Assistant A:\n(.*?)\n\n<\|The End of Assistant A's Conversation", re.S)


def mt_bench(source):
    questions = {}
    for line in source.read("routellm/evals/mt_bench/question.jsonl").splitlines():
        q = json.loads(line)
        questions[q["question_id"]] = q
    judged = {}
    for line in source.read("routellm/evals/mt_bench/judgements.jsonl").splitlines():
        j = json.loads(line)
        match = (LAST_TURN if j["turn"] == 2 else ANSWER).match(j["user_prompt"]) or ANSWER.search(j["user_prompt"])
        answer = match.group(1) if match else ""
        judged[(j["question_id"], j["turn"], j["model"])] = (j["score"], answer)
    for (qid, turn) in sorted({(q, t) for (q, t, _) in judged}):
        question = questions[qid]
        prompt = "\n\n".join(question["turns"][:turn])
        results = {}
        for m in (STRONG, WEAK):
            score, answer = judged[(qid, turn, m)]
            if not 1 <= score <= 10:
                raise SystemExit(f"MT-Bench question {qid} turn {turn}: judge score {score!r} is not in 1-10")
            results[NAMES[m]] = result(m, (score - 1) / 9, tokens(prompt), tokens(answer))
        yield record(question["category"], prompt, results)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, out = Source(sys.argv[1]), sys.argv[2]
    seen, lines, dropped = set(), [], 0
    for part in (mmlu, gsm8k, mt_bench):
        for key, rec in part(source):
            if key in seen:
                dropped += 1
                continue
            seen.add(key)
            lines.append(json.dumps(rec, ensure_ascii=False, sort_keys=True))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines)} prompts to {out} ({dropped} duplicates dropped)")


if __name__ == "__main__":
    main()
