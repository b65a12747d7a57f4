#!/usr/bin/env python3
"""The learning curve, simulated with real processes on data the loop never saw.

The shared MMLU-Pro outcomes are split by a seeded hash of the prompt id:
20 % held out (never served, only scored against), the rest the training
pool. A router fitted on `--seed-percent` of the pool starts serving. Each
simulated week, `--per-week` new prompts from the pool go through the real
gateway (`model: auto`) to the test upstream in its `recorded` mode, which
answers each (prompt, model) with the recorded correctness and token counts;
the client posts feedback for a share of the answers (1 when the answer was
right); past the pool's size prompts come round again; `router.explore` asks a second model about a share in the background,
graded by an acceptance check; then `frontier learn --promote` exports,
refits on the export plus the seed data, gates against the live router and
promotes, and the running gateway reloads the file. After each week the live
router's AIQ on the held-out prompts is measured with `frontier analyze`,
beside a router fitted on the whole pool (all ten models on every prompt:
what a team could fit if it had run everything on everything).

Writes `<out>/<name>.json` and `.svg`; `--aggregate DIR` draws several runs
(one per `--seed-salt`, each a different seed sample) as one chart.

    scripts/learning-curve.py [--bin .build/release] [--weeks 4] [--per-week 5000] [--seed-salt s0] [--out docs]
    scripts/learning-curve.py --aggregate /tmp/runs --out docs --name learning-curve
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import free_port, stop, wait_for  # noqa: E402  (the bench's process helpers)

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "mmlu-pro", "outcomes.jsonl")
# The data's list prices (shared/data/README.md), input / output per 1M tokens.
PRICES = {
    "gpt-4o": (2.50, 10.00), "gemini-1.5-pro": (1.25, 5.00), "gemini-1.5-flash": (0.075, 0.30),
    "llama-3.1-70b-instruct": (0.88, 0.88), "llama-3.1-8b-instruct": (0.22, 0.22), "mathstral-7b": (0.15, 0.15),
    "deepseek-coder-v2": (0.25, 1.00), "mixtral-8x7b-instruct": (0.60, 0.60), "qwen1.5-72b-chat": (0.90, 0.90),
    "phi-3-mini": (0.10, 0.10),
}


def bucket(text):
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % 100


def post(url, body, timeout=60):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.headers, json.load(response)


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def run(args, env, check=True):
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=1800)
    if check and result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def write_jsonl(path, lines):
    with open(path, "w") as f:
        f.write("".join(line + "\n" for line in lines))


def aiq(frontier, test, router, work, env, name):
    """The router file's held-out AIQ (and the zero router's), from `frontier analyze`'s summary."""
    out = os.path.join(work, "analyze-" + name)
    run([frontier, "analyze", test, "--router", router, "--out", out], env)
    summary = json.load(open(os.path.join(out, "summary.json")))
    return summary["router"]["aiq"], summary["zero_router"]["aiq"]


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()[:16]


def svg(runs, full, zero, title, note):
    """The held-out AIQ per week of each run (thin) and their mean (thick), against the full-pool and zero routers."""
    weeks = max(len(run) for run in runs) - 1
    mean = [sum(run[w] for run in runs) / len(runs) for w in range(weeks + 1)]
    width, height, left, right, top, bottom = 720, 400, 64, 64, 60, 64
    values = [v for run in runs for v in run] + [full, zero]
    lo, hi = min(values) - 0.003, max(values) + 0.004
    xs = lambda w: left + (width - left - right) * w / max(1, weeks)
    ys = lambda v: top + (height - top - bottom) * (hi - v) / (hi - lo)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             'font-family="system-ui, sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{left}" y="20" font-size="14" font-weight="600">{title}</text>',
             f'<text x="{left}" y="36" fill="#555">{note[0]}</text>',
             f'<text x="{left}" y="52" fill="#555">{note[1]}</text>']
    for k in range(6):
        v = lo + (hi - lo) * k / 5
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{ys(v):.1f}" y2="{ys(v):.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 8}" y="{ys(v) + 4:.1f}" text-anchor="end" fill="#555">{v:.3f}</text>')
    for w in range(weeks + 1):
        parts.append(f'<text x="{xs(w):.1f}" y="{height - bottom + 18}" text-anchor="middle" fill="#555">{w}</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - 24}" text-anchor="middle" fill="#333">simulated week '
                 '(0: the router fitted on the seed)</text>')
    parts.append(f'<text x="16" y="{(top + height - bottom) / 2}" transform="rotate(-90 16 {(top + height - bottom) / 2})" '
                 'text-anchor="middle" fill="#333">held-out AIQ</text>')
    band = f'{left},{ys(full):.1f} {width - right},{ys(full):.1f} {width - right},{ys(full - 0.01):.1f} {left},{ys(full - 0.01):.1f}'
    parts.append(f'<polygon points="{band}" fill="#2a7" opacity="0.08"/>')
    for value, color, label in [(full, "#2a7", "fitted on the whole pool (all models on every prompt)"),
                                (zero, "#999", "zero router (best single model at each cost)")]:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{ys(value):.1f}" y2="{ys(value):.1f}" stroke="{color}" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{width - right}" y="{ys(value) - 6:.1f}" text-anchor="end" fill="{color}">{label} {value:.4f}</text>')
    for run in runs:
        points = " ".join(f"{xs(w):.1f},{ys(v):.1f}" for w, v in enumerate(run))
        parts.append(f'<polyline points="{points}" fill="none" stroke="#36c" stroke-width="1" opacity="0.35"/>')
    points = " ".join(f"{xs(w):.1f},{ys(v):.1f}" for w, v in enumerate(mean))
    parts.append(f'<polyline points="{points}" fill="none" stroke="#36c" stroke-width="3"/>')
    for w, v in enumerate(mean):
        parts.append(f'<circle cx="{xs(w):.1f}" cy="{ys(v):.1f}" r="4" fill="#36c"/>')
        parts.append(f'<text x="{xs(w) + 6:.1f}" y="{ys(v) + 16:.1f}" fill="#36c">{v:.4f}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def aggregate(directory, out):
    """Several runs (curve-*.json, one seed sample each) as one chart and one summary."""
    import glob
    runs = [json.load(open(path)) for path in sorted(glob.glob(os.path.join(directory, "curve-*.json")))]
    if not runs:
        sys.exit(f"no curve-*.json in {directory}")
    curves = [[r["seed_aiq"]] + [w["aiq"] for w in r["by_week"]] for r in runs]
    weeks = len(curves[0]) - 1
    full, zero = runs[0]["full_pool_aiq"], runs[0]["zero_router_aiq"]
    mean = [sum(c[w] for c in curves) / len(curves) for w in range(weeks + 1)]
    serving = [sum(r["by_week"][w]["serving_usd"] for r in runs) / len(runs) for w in range(weeks)]
    exploring = [sum(r["by_week"][w]["exploration_usd"] for r in runs) / len(runs) for w in range(weeks)]
    summary = {
        "runs": len(runs), "per_week": runs[0]["per_week"], "seed_percent": runs[0]["seed_percent"], "lambda": runs[0]["lambda"],
        "explore_share": runs[0]["explore_share"], "explore_budget_of_serving": runs[0].get("explore_budget_of_serving"),
        "feedback_share": runs[0]["feedback_share"], "full_pool_aiq": full, "zero_router_aiq": zero,
        "mean_aiq_by_week": mean, "min_aiq_by_week": [min(c[w] for c in curves) for w in range(weeks + 1)],
        "max_aiq_by_week": [max(c[w] for c in curves) for w in range(weeks + 1)],
        "gap_by_week": [full - m for m in mean], "runs_within_0.01_after_last_week": sum(1 for c in curves if full - c[-1] <= 0.01),
        "mean_serving_usd_by_week": serving, "mean_exploration_usd_by_week": exploring,
        "exploration_share_of_serving": sum(exploring) / sum(serving),
        "explorations_by_week": [sum(r["by_week"][w]["explorations"] for r in runs) / len(runs) for w in range(weeks)],
        "promotions_by_week": [sum(1 for r in runs if r["by_week"][w]["promoted"]) for w in range(weeks)],
    }
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out + ".json", "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    r = runs[0]
    title = "The learning loop on MMLU-Pro, held-out prompts"
    note = (f"{r['per_week']:,} requests a week; {len(runs)} runs, each from its own {r['seed_percent']} % seed sample (thin), and their mean (thick)",
            f"exploration {summary['exploration_share_of_serving'] * 100:.1f} % of serving spend; feedback on "
            f"{r['feedback_share'] * 100:g} % of answers; λ {r['lambda']:g}; shaded: the 0.01 target")
    with open(out + ".svg", "w") as f:
        f.write(svg(curves, full, zero, title, note))
    for w in range(weeks + 1):
        print(f"week {w}: mean AIQ {mean[w]:.4f} (min {summary['min_aiq_by_week'][w]:.4f}, max {summary['max_aiq_by_week'][w]:.4f}), "
              f"gap {full - mean[w]:+.4f}" + (f"; exploration {exploring[w - 1] / serving[w - 1] * 100:.1f} % of serving, "
                                             f"{summary['promotions_by_week'][w - 1]}/{len(runs)} promoted" if w else ""))
    print(f"wrote {out}.json and {out}.svg")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=".build/release")
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--per-week", type=int, default=5000)
    parser.add_argument("--seed-percent", type=int, default=5)
    parser.add_argument("--seed-salt", default="", help="picks another seed sample of the same size (repeat runs over several)")
    parser.add_argument("--explore-share", type=float, default=0.3, help="router.explore.share: the share of requests sampled")
    parser.add_argument("--explore-budget", type=float, default=0.05, help="router.explore.max_share_of_serving")
    parser.add_argument("--feedback-share", type=float, default=0.5, help="the share of answers the client scores")
    parser.add_argument("--lambda", dest="lam", type=float, default=50, help="the gateway's router.lambda")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--out", default="docs")
    parser.add_argument("--name", default="learning-curve")
    parser.add_argument("--work")
    parser.add_argument("--aggregate", metavar="DIR", help="only draw and summarise the runs (curve-*.json) in DIR into --out/--name")
    args = parser.parse_args()
    if args.aggregate:
        aggregate(args.aggregate, os.path.join(args.out, args.name))
        return

    frontier, double = os.path.join(args.bin, "frontier"), os.path.join(args.bin, "frontier-upstream-double")
    work = args.work or tempfile.mkdtemp(prefix="frontier-learning-curve-")
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, FRONTIER_LEDGER_KEY="curve-ledger-key", FRONTIER_LEDGER_BODY_KEY="curve-body-key")

    # The split: held-out prompts are never served; the seed router sees a small part of the pool, all models on it.
    lines = [line for line in open(args.data).read().splitlines() if line.strip()]
    test, pool, seed = [], [], []
    for line in lines:
        record_id = json.loads(line)["id"]
        if bucket("held-out:" + record_id) < 20:
            test.append(line)
            continue
        pool.append(line)
        if bucket("seed:" + args.seed_salt + record_id) < args.seed_percent:
            seed.append(line)
    seed_ids = {json.loads(line)["id"] for line in seed}
    traffic = [json.loads(line) for line in pool if json.loads(line)["id"] not in seed_ids]
    random.Random(1).shuffle(traffic)
    # Past the pool's size, prompts come round again (real traffic repeats itself too); held-out ones never do.
    paths = {name: os.path.join(work, name + ".jsonl") for name in ["test", "pool", "seed"]}
    write_jsonl(paths["test"], test)
    write_jsonl(paths["pool"], pool)
    write_jsonl(paths["seed"], seed)
    print(f"held out {len(test)}, pool {len(pool)}, seed {len(seed)} ({args.seed_percent} % of the pool); "
          f"{args.weeks} weeks of {args.per_week} requests", flush=True)

    router = os.path.join(work, "router.json")
    run([frontier, "fit", paths["seed"], "--out", router], env)
    full = os.path.join(work, "full.json")
    run([frontier, "fit", paths["pool"], "--out", full], env)
    full_aiq, zero_aiq = aiq(frontier, paths["test"], full, work, env, "full")
    seed_aiq, _ = aiq(frontier, paths["test"], router, work, env, "week-0")
    print(f"week 0: seed router AIQ {seed_aiq:.4f}; full-pool router {full_aiq:.4f}; zero router {zero_aiq:.4f}", flush=True)

    upstream_port, port = free_port(), free_port()
    upstream = subprocess.Popen([double, "--port", str(upstream_port), "--outcomes", paths["pool"]],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    models = "\n".join(
        f'  - {{id: {model}, provider: openai-compatible, base_url: "http://127.0.0.1:{upstream_port}/recorded/v1", deployment: on-prem, '
        f'price: {{input_per_mtok: {i}, output_per_mtok: {o}}}}}' for model, (i, o) in PRICES.items())
    config = os.path.join(work, "frontier.yaml")
    with open(config, "w") as f:
        f.write(f"""gateway: {{port: {port}, max_body_bytes: 1048576}}
storage: {{sqlite: {work}/frontier.db}}
ledger: {{store_bodies: true, implicit_feedback: false}}
router:
  file: router.json
  lambda: {args.lam}
  explore: {{share: {args.explore_share}, max_cost_usd_per_day: 1000, max_share_of_serving: {args.explore_budget}, concurrency: 8,
             check: {{must_contain: "verdict: pass"}}}}
models:
{models}
""")
    log = open(config + ".log", "w")
    gateway = subprocess.Popen([frontier, "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    weeks = []
    try:
        wait_for(f"http://127.0.0.1:{upstream_port}/healthz", upstream)
        wait_for(url + "/healthz", gateway)
        feedback_random = random.Random(2)
        for week in range(1, args.weeks + 1):
            started_ms = int(time.time() * 1000)
            prompts = [traffic[n % len(traffic)] for n in range((week - 1) * args.per_week, week * args.per_week)]
            scored = [feedback_random.random() < args.feedback_share for _ in prompts]

            def ask(n):
                headers, body = post(url + "/v1/chat/completions", {"model": "auto", "messages": [{"role": "user", "content": prompts[n]["prompt"]}]})
                right = "verdict: pass" in body["choices"][0]["message"]["content"]
                if scored[n]:
                    post(url + "/v1/feedback", {"request_id": headers["x-frontier-request-id"], "score": 1 if right else 0})
                return headers["x-frontier-model"], right

            with concurrent.futures.ThreadPoolExecutor(args.clients) as pool_executor:
                served = list(pool_executor.map(ask, range(len(prompts))))
            # Let the background explorations land before the week's export.
            time.sleep(2)
            ended_ms = int(time.time() * 1000)
            before = digest(router)
            learned = run([frontier, "learn", "--config", config, "--seed-data", paths["seed"], "--promote", "--include-pii"], env, check=False)
            promoted = digest(router) != before
            if promoted:
                deadline = time.time() + 60
                while get_json(url + "/healthz").get("router_version") != digest(router):
                    if time.time() > deadline:
                        sys.exit("the gateway did not reload the promoted router within 60 s")
                    time.sleep(0.5)
            records = [json.loads(line) for line in run([frontier, "audit", "export", "--config", config], env).stdout.splitlines() if line.strip()]
            in_week = [r for r in records if started_ms <= r.get("time_ms", 0) < ended_ms + 1]
            serving = sum(a.get("cost_usd", 0) for r in in_week if r.get("kind") is None for a in r.get("attempts", []))
            explored = [r for r in in_week if r.get("kind") == "exploration"]
            exploring = sum(r["cost_usd"] for r in explored)
            week_aiq, _ = aiq(frontier, paths["test"], router, work, env, f"week-{week}")
            accuracy = sum(right for _, right in served) / len(served)
            mix = {}
            for model, _ in served:
                mix[model] = mix.get(model, 0) + 1
            weeks.append({
                "week": week, "aiq": week_aiq, "promoted": promoted, "served_accuracy": accuracy,
                "serving_usd": serving, "exploration_usd": exploring, "explorations": len(explored),
                "exploration_share_of_serving": exploring / serving if serving else None,
                "feedback": sum(scored), "served_mix": dict(sorted(mix.items(), key=lambda kv: -kv[1])),
                "learn": learned.stdout.strip().splitlines(),
            })
            print(f"week {week}: AIQ {week_aiq:.4f} ({'promoted' if promoted else 'not promoted'}); served accuracy {accuracy:.3f}; "
                  f"serving ${serving:.4f}, exploration ${exploring:.4f} ({len(explored)} answers, "
                  f"{(exploring / serving * 100) if serving else 0:.1f} % of serving)", flush=True)
            for line in learned.stdout.strip().splitlines():
                print("    " + line, flush=True)
    finally:
        stop(gateway, upstream)
        log.close()

    result = {
        "data": "shared/data/mmlu-pro/outcomes.jsonl", "held_out": len(test), "pool": len(pool), "seed_prompts": len(seed),
        "seed_percent": args.seed_percent, "seed_salt": args.seed_salt, "per_week": args.per_week, "weeks": args.weeks, "explore_share": args.explore_share,
        "explore_budget_of_serving": args.explore_budget, "feedback_share": args.feedback_share, "lambda": args.lam,
        "seed_aiq": seed_aiq, "full_pool_aiq": full_aiq, "zero_router_aiq": zero_aiq, "by_week": weeks,
        "gap_after_last_week": full_aiq - weeks[-1]["aiq"] if weeks else None,
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, args.name + ".json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    share = sum(w["exploration_usd"] for w in weeks) / max(1e-12, sum(w["serving_usd"] for w in weeks))
    title = "The learning loop on MMLU-Pro, held-out prompts"
    note = (f"{args.per_week:,} requests a week from a {args.seed_percent} % seed sample",
            f"exploration {share * 100:.1f} % of serving spend; feedback on {args.feedback_share * 100:g} % of answers; λ {args.lam:g}")
    with open(os.path.join(args.out, args.name + ".svg"), "w") as f:
        f.write(svg([[seed_aiq] + [w["aiq"] for w in weeks]], full_aiq, zero_aiq, title, note))
    print(f"wrote {args.out}/{args.name}.json and .svg; gap to the full-pool router after week {args.weeks}: "
          f"{result['gap_after_last_week']:+.4f}")


if __name__ == "__main__":
    main()
