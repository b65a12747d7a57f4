"""Does a sentence embedding of the prompt help the router? A study, not the product: before the
embedding signal is built into `frontier fit` / `serve`, measure what it could gain on outcome data.

It embeds every prompt with the local embedder (llama.cpp serving all-MiniLM-L6-v2, see
scripts/start-local-model.sh PORT --embeddings), splits the prompts exactly as `frontier fit` does
(FNV-1a bucket of the id and seed, --test-percent held out), and compares on the held-out prompts,
with settings chosen by 3-fold cross-validation on the training prompts only:

- zero router (each model's overall mean), domain means (the data's domain labels, smoothed);
- k nearest neighbours over the embeddings (cosine, softmax weights), shrunk toward the domain means;
- a ridge probe per model over [embedding, domain one-hot], blended half with the domain means;
- finer domains: k-means clusters of the embeddings inside each domain, their means shrunk to the domain's;
- matrix factorisation and a small MLP over [embedding, domain one-hot], blended half with the domain means.

Reported: Brier score of the per-model predictions and the routing AIQ (λ sweep of quality − λ·cost,
hull with every single model pinned, expected cost = the model's mean cost in the domain, as
`RouterEvaluation` does), and the embedder's latency for one prompt (what the online decision would add).

With --write-embeddings FILE it also writes the vectors as JSONL ({"id", "embedding"}) for
`frontier fit --embeddings FILE` and `frontier analyze --embeddings FILE`.

usage: python3 scripts/embedding-signal-study.py DATA.jsonl [--embed-url URL] [--seed 1] [--test-percent 20] [--write-embeddings FILE]
needs numpy; caches embeddings in $FRONTIER_CACHE/embeddings (default ~/.cache/frontier/embeddings).
"""
import argparse
import hashlib
import json
import os
import time
import urllib.request

import numpy as np

MASK = (1 << 64) - 1


def bucket(prompt_id, seed):
    """OutcomeSet.bucket(of:seed:), bit for bit."""
    h = 0xCBF29CE484222325 ^ ((seed * 0x9E3779B97F4A7C15) & MASK)
    for byte in prompt_id.encode():
        h = ((h ^ byte) * 0x00000100000001B3) & MASK
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK
    h ^= h >> 33
    return h % 100


def embed(url, texts, timeout=120):
    request = urllib.request.Request(url + "/embeddings", data=json.dumps({"input": texts}).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data = json.load(response)["data"]
    return [d["embedding"] for d in sorted(data, key=lambda d: d["index"])]


def embed_all(url, texts):
    # A BERT's window is 512 tokens; the first 800 characters carry the question's topic.
    texts = [t[:800] for t in texts]
    out = []
    for i in range(0, len(texts), 16):
        batch = texts[i:i + 16]
        try:
            out += embed(url, batch)
        except OSError:
            for text in batch:  # one input over the window fails its whole batch: retry alone, then shorter
                try:
                    out += embed(url, [text])
                except OSError:
                    out += embed(url, [text[:400]])
    return np.array(out, dtype=np.float32)


def hull_aiq(points, low, high):
    best, kept = -1.0, []
    for c, q in sorted(points):
        if q > best:
            kept.append((c, q))
            best = q
    hull = []
    for p in kept:
        while len(hull) >= 2 and (hull[-1][1] - hull[-2][1]) * (p[0] - hull[-2][0]) <= (p[1] - hull[-2][1]) * (hull[-1][0] - hull[-2][0]):
            hull.pop()
        hull.append(p)
    xs = np.linspace(low, high, 4001)
    ys = np.where(xs < hull[0][0], 0, np.interp(xs, [p[0] for p in hull], [p[1] for p in hull]))
    return float(ys.mean())


class Study:
    def __init__(self, scores, costs, domains):
        self.S, self.C, self.D = scores, costs, domains

    def domain_means(self, train, smoothing=5):
        S, D = self.S, self.D
        overall = np.nanmean(S[train], 0)
        means = np.zeros((D.max() + 1, S.shape[1]))
        costs = np.zeros_like(means)
        for d in range(D.max() + 1):
            sel = train & (D == d)
            n = np.sum(~np.isnan(S[sel]), 0)
            means[d] = (np.nansum(S[sel], 0) + smoothing * overall) / (n + smoothing)
            costs[d] = np.nanmean(self.C[sel], 0) if sel.any() else np.nanmean(self.C[train], 0)
        return overall, means, costs

    def folds(self, train, folds):
        """Each cross-validation fold of the training prompts: (fitting part, held part, the part's domain means
        and mean costs for the held prompts)."""
        for f in range(folds.max() + 1):
            part, held = train & (folds != f), train & (folds == f)
            _, means, costs = self.domain_means(part)
            yield part, held, means[self.D[held]], costs[self.D[held]]

    def network(self, E, train, rows, prior, hidden, activation, epochs=12, l2=1e-4, seed=0):
        """One network for all models over [embedding, domain one-hot]: a hidden layer of `hidden` units shared by
        the models, then a sigmoid output per model, trained on the scores (cross-entropy, scores in [0, 1], missing
        results masked) with Adam. activation "linear" makes it matrix factorisation as in RouteLLM (score =
        sigmoid(v_model . W x + b_model), rank `hidden`); "tanh" a small MLP. Blended half with the domain means."""
        rng = np.random.default_rng(seed)
        onehot = np.eye(self.D.max() + 1)
        X = np.hstack([E[train], onehot[self.D[train]]]).astype(np.float32)
        T = self.S[train].astype(np.float32)
        mask = ~np.isnan(T)
        T = np.nan_to_num(T)
        n, d, m = X.shape[0], X.shape[1], T.shape[1]
        params = [rng.normal(0, 1 / np.sqrt(d), (d, hidden)).astype(np.float32), np.zeros(hidden, np.float32),
                  rng.normal(0, 1 / np.sqrt(hidden), (hidden, m)).astype(np.float32), np.zeros(m, np.float32)]
        moments = [[np.zeros_like(p), np.zeros_like(p)] for p in params]
        act = (lambda z: z, lambda h: np.ones_like(h)) if activation == "linear" else (np.tanh, lambda h: 1 - h * h)
        step = 0
        for _ in range(epochs):
            for batch in np.array_split(rng.permutation(n), max(1, n // 256)):
                W1, b1, W2, b2 = params
                h = act[0](X[batch] @ W1 + b1)
                p = 1 / (1 + np.exp(-(h @ W2 + b2)))
                g = (p - T[batch]) * mask[batch] / max(1, mask[batch].sum())
                gh = (g @ W2.T) * act[1](h)
                grads = [X[batch].T @ gh + l2 * W1, gh.sum(0), h.T @ g + l2 * W2, g.sum(0)]
                step += 1
                for k, (param, grad) in enumerate(zip(params, grads)):
                    moments[k][0] = 0.9 * moments[k][0] + 0.1 * grad
                    moments[k][1] = 0.999 * moments[k][1] + 0.001 * grad * grad
                    param -= 1e-3 * (moments[k][0] / (1 - 0.9 ** step)) / (np.sqrt(moments[k][1] / (1 - 0.999 ** step)) + 1e-8)
        W1, b1, W2, b2 = params
        Xr = np.hstack([E[rows], onehot[self.D[rows]]]).astype(np.float32)
        P = 1 / (1 + np.exp(-(act[0](Xr @ W1 + b1) @ W2 + b2)))
        return 0.5 * P + 0.5 * prior

    def domains_where_better(self, train, folds, predict, minimum=20):
        """The domains where `predict(part, held, prior)` beats the domain means by more than twice the standard
        error of its per-fold AIQ gain, each domain's AIQ measured on its own held prompts."""
        gains = {d: [] for d in range(self.D.max() + 1)}
        for part, held, prior, expected in self.folds(train, folds):
            P, domains = predict(part, held, prior), self.D[held]
            for d in gains:
                sel = domains == d
                if sel.sum() < minimum:
                    continue
                rows = held.copy()
                rows[held] = sel
                gains[d].append(self.aiq(P[sel], rows, expected[sel]) - self.aiq(prior[sel], rows, expected[sel]))
        return [d for d, g in gains.items() if len(g) >= 2 and np.mean(g) > 2 * np.std(g, ddof=1) / np.sqrt(len(g))]

    def brier(self, P, rows):
        T = self.S[rows]
        ok = ~np.isnan(T)
        return float(np.mean((P[ok] - T[ok]) ** 2))

    def aiq(self, P, rows, expected_cost):
        T, TC = self.S[rows], self.C[rows]
        points = []
        for lam in [0] + [10 ** (k / 8) for k in range(65)]:
            choice = np.argmax(np.where(np.isnan(T), -np.inf, P - lam * expected_cost), 1)
            idx = np.arange(len(choice))
            points.append((float(np.mean(TC[idx, choice])), float(np.mean(T[idx, choice]))))
        model_costs = []
        for j in range(T.shape[1]):
            ok = ~np.isnan(T[:, j])
            points.append((float(np.mean(TC[ok, j])), float(np.mean(T[ok, j]))))
            model_costs.append(float(np.mean(TC[ok, j])))
        return hull_aiq(points, min(model_costs), max(model_costs))

    def knn(self, E, train, rows, prior, k, shrink, temperature=10):
        S = self.S[train]
        sims = E[rows] @ E[train].T
        k = min(k, sims.shape[1] - 1)
        idx = np.argpartition(-sims, k, axis=1)[:, :k]
        w = np.exp(temperature * np.take_along_axis(sims, idx, 1))
        P = np.zeros((len(idx), S.shape[1]))
        for j in range(S.shape[1]):
            v = S[idx, j]
            ok = ~np.isnan(v)
            num = np.sum(np.where(ok, v * w, 0), 1)
            den = np.sum(np.where(ok, w, 0), 1)
            mean_w = den / np.maximum(ok.sum(1), 1)
            P[:, j] = (num + shrink * mean_w * prior[:, j]) / (den + shrink * mean_w)
        return P

    def clusters(self, E, train, rows, prior, count, smoothing, iterations=25):
        """Finer domains: spherical k-means over the training embeddings inside each domain, each cluster's
        mean score shrunk toward its domain's mean (`smoothing` pseudo-prompts)."""
        _, means, _ = self.domain_means(train)
        P = prior.copy()
        held = np.where(rows)[0]
        for d in range(self.D.max() + 1):
            inside, asked = train & (self.D == d), held[self.D[held] == d]
            if inside.sum() < 2 * count or len(asked) == 0:
                continue
            X = E[inside]
            centres = X[np.random.default_rng(d).choice(len(X), count, replace=False)]
            for _ in range(iterations):
                label = np.argmax(X @ centres.T, 1)
                for c in range(count):
                    if (label == c).any():
                        v = X[label == c].sum(0)
                        centres[c] = v / (np.linalg.norm(v) + 1e-9)
            label, asked_label = np.argmax(X @ centres.T, 1), np.argmax(E[asked] @ centres.T, 1)
            S = self.S[inside]
            for c in range(count):
                n = np.sum(~np.isnan(S[label == c]), 0)
                P[np.searchsorted(held, asked[asked_label == c])] = (np.nansum(S[label == c], 0) + smoothing * means[d]) / (n + smoothing)
        return P

    def ridge(self, E, train, rows, prior, lam):
        onehot = np.eye(self.D.max() + 1)
        X = np.hstack([E[train], onehot[self.D[train]], np.ones((train.sum(), 1))])
        Xt = np.hstack([E[rows], onehot[self.D[rows]], np.ones((rows.sum(), 1))])
        P = np.zeros((rows.sum(), self.S.shape[1]))
        for j in range(self.S.shape[1]):
            ok = ~np.isnan(self.S[train][:, j])
            w = np.linalg.solve(X[ok].T @ X[ok] + lam * np.eye(X.shape[1]), X[ok].T @ self.S[train][ok, j])
            P[:, j] = np.clip(Xt @ w, 0, 1)
        return 0.5 * P + 0.5 * prior


def load(path):
    """The outcome rows, the models, and scores S, costs C (prompt x model, NaN where not run), domain indices D."""
    rows = [json.loads(line) for line in open(path) if line.strip()]
    models = sorted({m for r in rows for m in r["results"]})
    domains = sorted({r.get("domain") or "unknown" for r in rows})
    S = np.full((len(rows), len(models)), np.nan)
    C = np.full_like(S, np.nan)
    for i, r in enumerate(rows):
        for m, o in r["results"].items():
            S[i, models.index(m)] = o["score"]
            C[i, models.index(m)] = o.get("cost_usd", np.nan)
    D = np.array([domains.index(r.get("domain") or "unknown") for r in rows])
    return rows, models, S, C, D


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--embed-url", default="http://127.0.0.1:18082/v1")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--test-percent", type=int, default=20)
    parser.add_argument("--write-embeddings", metavar="FILE")
    args = parser.parse_args()

    rows, models, S, C, D = load(args.data)

    cache = os.path.join(os.environ.get("FRONTIER_CACHE", os.path.expanduser("~/.cache/frontier")), "embeddings")
    os.makedirs(cache, exist_ok=True)
    digest = hashlib.sha256(open(args.data, "rb").read() + args.embed_url.encode()).hexdigest()[:16]
    path = os.path.join(cache, f"{digest}.npy")
    if os.path.exists(path):
        E, seconds = np.load(path), None
    else:
        started = time.time()
        E = embed_all(args.embed_url, [r["prompt"] for r in rows])
        seconds = time.time() - started
        np.save(path, E)

    if args.write_embeddings:
        with open(args.write_embeddings, "w") as f:
            for r, vector in zip(rows, E):
                f.write(json.dumps({"id": r["id"], "embedding": [round(float(x), 6) for x in vector]}) + "\n")

    latencies = []
    for r in rows[:200]:
        started = time.perf_counter()
        embed(args.embed_url, [r["prompt"][:800]])
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()

    test = np.array([bucket(r["id"], args.seed) < args.test_percent for r in rows])
    train = ~test
    study = Study(S, C, D)

    # Settings by 3-fold CV on the training prompts (AIQ), never on the test prompts.
    folds = np.array([bucket(r["id"], args.seed + 11) % 3 for r in rows])
    knn_grid = [(k, s) for k in (25, 100, 200) for s in (10, 20, 40)]
    ridge_grid = [10, 30, 100, 300]
    network_grid = [("linear", 16), ("tanh", 64)]
    cluster_grid = [(c, s) for c in (2, 4, 8, 16) for s in (10, 30, 100)]
    cluster_cv = {g: [] for g in cluster_grid}
    knn_cv = {g: [] for g in knn_grid}
    ridge_cv = {g: [] for g in ridge_grid}
    network_cv = {g: [] for g in network_grid}
    domain_cv = []
    for part, held, prior, expected in study.folds(train, folds):
        domain_cv.append(study.aiq(prior, held, expected))
        for g in network_grid:
            network_cv[g].append(study.aiq(study.network(E, part, held, prior, g[1], g[0]), held, expected))
        for g in knn_grid:
            knn_cv[g].append(study.aiq(study.knn(E, part, held, prior, *g), held, expected))
        for g in ridge_grid:
            ridge_cv[g].append(study.aiq(study.ridge(E, part, held, prior, g), held, expected))
        for g in cluster_grid:
            cluster_cv[g].append(study.aiq(study.clusters(E, part, held, prior, *g), held, expected))
    best_knn = max(knn_grid, key=lambda g: np.mean(knn_cv[g]))
    best_ridge = max(ridge_grid, key=lambda g: np.mean(ridge_cv[g]))
    best_clusters = max(cluster_grid, key=lambda g: np.mean(cluster_cv[g]))
    knn_domains = study.domains_where_better(train, folds, lambda part, held, prior: study.knn(E, part, held, prior, *best_knn))

    overall, means, costs = study.domain_means(train)
    prior, expected = means[D[test]], costs[D[test]]
    variants = [
        ("zero router (overall means)", np.tile(overall, (test.sum(), 1)), None),
        ("domain means", prior, np.mean(domain_cv)),
        (f"kNN k={best_knn[0]} shrink={best_knn[1]}", study.knn(E, train, test, prior, *best_knn), np.mean(knn_cv[best_knn])),
        (f"ridge λ={best_ridge} + domain", study.ridge(E, train, test, prior, best_ridge), np.mean(ridge_cv[best_ridge])),
        (f"{best_clusters[0]} clusters per domain, smoothing {best_clusters[1]}", study.clusters(E, train, test, prior, *best_clusters),
         np.mean(cluster_cv[best_clusters])),
    ]
    # The signal chosen per domain: kNN only in the domains where it beat the domain means in every fold's
    # cross-validation by twice the standard error.
    per_domain = prior.copy()
    use = np.isin(D[test], knn_domains)
    per_domain[use] = variants[2][1][use]
    variants.append((f"kNN in {len(knn_domains)} of {D.max() + 1} domains (per-domain CV)", per_domain, None))
    for g in network_grid:
        name = f"matrix factorisation, rank {g[1]}" if g[0] == "linear" else f"MLP, {g[1]} tanh units"
        variants.append((name + " + domain", study.network(E, train, test, prior, g[1], g[0]), np.mean(network_cv[g])))
    print(f"{args.data}: {len(rows)} prompts, {len(models)} models, {test.sum()} held out (seed {args.seed})")
    print(f"embedding {len(rows)} prompts: " + (f"{seconds:.0f} s" if seconds else "cached") + f", dimension {E.shape[1]}")
    print(f"embedder latency, one prompt, {len(latencies)} calls: p50 {latencies[len(latencies) // 2]:.1f} ms, p99 {latencies[int(len(latencies) * 0.99) - 1]:.1f} ms")
    print(f"{'predictor':46} {'CV AIQ':>8} {'held-out AIQ':>13} {'Brier':>8}")
    for name, P, cv in variants:
        cv_text = f"{cv:.4f}" if cv is not None else "-"
        print(f"{name:46} {cv_text:>8} {study.aiq(P, test, expected):13.4f} {study.brier(P, test):8.4f}")


if __name__ == "__main__":
    main()
