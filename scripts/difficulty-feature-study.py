"""Do cheap difficulty features help the router? A study, like scripts/embedding-signal-study.py
(whose split, AIQ and domain means it reuses), not the product.

Features of the prompt text, standardised: log length, share of digits, log count of digits and of
operators (= + - * / ^ < >), number of lettered options, a "calculate / how many / find the" form,
LaTeX or dollar signs, code markers, mean word length, question marks; alone and crossed with the
domain. A ridge probe per model over [features, domain one-hot] is blended with the domain means;
its ridge strength and share are chosen by 3-fold cross-validation on the training prompts (AIQ),
then scored on the held-out prompts. Last, a bound: the AIQ of the held-out prompts' own domain means.

usage: python3 scripts/difficulty-feature-study.py DATA.jsonl [--seed 1] [--test-percent 20]
needs numpy.
"""
import argparse
import importlib.util
import os
import re

import numpy as np

spec = importlib.util.spec_from_file_location("study", os.path.join(os.path.dirname(__file__), "embedding-signal-study.py"))
study_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(study_module)
bucket, Study = study_module.bucket, study_module.Study

FORM = re.compile(r"calculat|compute|determine|find the|how many|what is the value", re.I)
CODE = re.compile(r"```|def |return |\{|\}")


def features(text):
    n, digits, words = len(text), sum(c.isdigit() for c in text), text.split()
    return [np.log1p(n), digits / max(n, 1), np.log1p(len(re.findall(r"[=+\-*/^<>]", text))),
            len(re.findall(r"(?m)^[A-J]\. ", text)), np.log1p(digits), float(bool(FORM.search(text))),
            float("\\" in text or "$" in text), float(bool(CODE.search(text))),
            np.mean([len(w) for w in words]) if words else 0.0, text.count("?")]


def ridge(S, D, X, train, rows, prior, lam, share):
    onehot = np.eye(D.max() + 1)
    A = np.hstack([X[train], onehot[D[train]], np.ones((train.sum(), 1))])
    B = np.hstack([X[rows], onehot[D[rows]], np.ones((rows.sum(), 1))])
    P = np.zeros((rows.sum(), S.shape[1]))
    for j in range(S.shape[1]):
        ok = ~np.isnan(S[train][:, j])
        w = np.linalg.solve(A[ok].T @ A[ok] + lam * np.eye(A.shape[1]), A[ok].T @ S[train][ok, j])
        P[:, j] = np.clip(B @ w, 0, 1)
    return share * P + (1 - share) * prior


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--test-percent", type=int, default=20)
    args = parser.parse_args()
    rows, models, S, C, D = study_module.load(args.data)
    F = np.array([features(r["prompt"]) for r in rows])
    F = (F - F.mean(0)) / (F.std(0) + 1e-9)
    crossed = np.hstack([F, (F[:, :, None] * np.eye(D.max() + 1)[D][:, None, :]).reshape(len(rows), -1)])

    test = np.array([bucket(r["id"], args.seed) < args.test_percent for r in rows])
    train = ~test
    folds = np.array([bucket(r["id"], args.seed + 11) % 3 for r in rows])
    study = Study(S, C, D)
    grid = [(name, X, lam, share) for name, X in (("difficulty", F), ("difficulty x domain", crossed))
            for lam in (10, 100, 1000) for share in (0.5, 1.0)]
    cv = {i: [] for i in range(len(grid))}
    domain_cv = []
    for part, held, prior, expected in study.folds(train, folds):
        domain_cv.append(study.aiq(prior, held, expected))
        for i, (_, X, lam, share) in enumerate(grid):
            cv[i].append(study.aiq(ridge(S, D, X, part, held, prior, lam, share), held, expected))
    best = max(cv, key=lambda i: np.mean(cv[i]))
    name, X, lam, share = grid[best]
    _, means, costs = study.domain_means(train)
    prior, expected = means[D[test]], costs[D[test]]
    P = ridge(S, D, X, train, test, prior, lam, share)
    gain, se = np.mean(np.array(cv[best]) - domain_cv), np.std(np.array(cv[best]) - domain_cv, ddof=1) / np.sqrt(3)
    print(f"{args.data}: {len(rows)} prompts, {len(models)} models, {test.sum()} held out (seed {args.seed})")
    print(f"{'predictor':44} {'CV AIQ':>8} {'held-out AIQ':>13} {'Brier':>8}")
    print(f"{'domain means':44} {np.mean(domain_cv):8.4f} {study.aiq(prior, test, expected):13.4f} {study.brier(prior, test):8.4f}")
    label = f"{name}, ridge {lam}, share {share}"
    print(f"{label:44} {np.mean(cv[best]):8.4f} {study.aiq(P, test, expected):13.4f} {study.brier(P, test):8.4f}")
    print(f"CV gain over the domain means {gain:+.4f} (standard error {se:.4f}): "
          + ("kept" if gain > 2 * se else "not kept by the 2 x SE rule"))
    # A bound, not a router: the domain means of the held-out prompts themselves. No router that knows only the
    # domain routes these prompts better; what lies above it needs a per-prompt signal.
    _, bound, bound_costs = study.domain_means(test, smoothing=0)
    print(f"bound for any per-domain router (means fitted on the held-out prompts): AIQ {study.aiq(bound[D[test]], test, bound_costs[D[test]]):.4f}")


if __name__ == "__main__":
    main()
