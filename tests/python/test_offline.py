"""The offline tools on real outcome data: `frontier fit` writes a router
file, `frontier analyze` measures it and draws the report (checked in
headless Chromium), and `frontier serve` routes with the fitted file."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import pytest

from conftest import FRONTIER_BIN, free_port, wait_for

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "mmlu-pro", "outcomes.jsonl")
pytestmark = pytest.mark.skipif(not os.path.exists(DATA), reason="needs ../shared/data/mmlu-pro")


@pytest.fixture(scope="module")
def fitted():
    """Every fourth MMLU-Pro prompt (all 14 domains; a debug build fits them in seconds), fitted and analysed."""
    work = tempfile.mkdtemp(prefix="frontier-offline-")
    data = os.path.join(work, "mmlu-part.jsonl")
    with open(DATA) as source, open(data, "w") as out:
        for n, line in enumerate(source):
            if n % 4 == 0:
                out.write(line)
    router = os.path.join(work, "router.json")
    fit = subprocess.run([FRONTIER_BIN, "fit", data, "--out", router], capture_output=True, text=True, timeout=300)
    assert fit.returncode == 0, fit.stderr
    report = os.path.join(work, "report")
    analyze = subprocess.run([FRONTIER_BIN, "analyze", data, "--router", router, "--out", report], capture_output=True, text=True, timeout=300)
    assert analyze.returncode == 0, analyze.stderr
    yield {"work": work, "data": data, "router": router, "report": report, "fit": fit.stdout, "analyze": analyze.stdout}
    shutil.rmtree(work, ignore_errors=True)


def test_fit_prints_held_out_figures_against_the_baselines(fitted):
    for row in ("fitted router", "zero router", "random router", "oracle", "best single"):
        assert row in fitted["fit"]
    with open(fitted["router"]) as f:
        router = json.load(f)
    assert router["format"] == "frontier-router" and router["version"] == 1
    assert router["source"]["data"] == "mmlu-part.jsonl"
    assert len(router["classifier"]["domains"]) == 14


def test_analyze_writes_the_summary_on_held_out_prompts_only(fitted):
    assert "held-out prompts only" in fitted["analyze"]
    with open(os.path.join(fitted["report"], "summary.json")) as f:
        summary = json.load(f)
    assert summary["prompts"] < 2257 // 2
    assert 0 < summary["zero_router"]["aiq"] <= 1
    assert 0 < summary["router"]["aiq"] <= 1
    assert summary["oracle"]["quality"] >= max(m["quality"] for m in summary["models"])
    assert {m["label"] for m in summary["models"]} >= {"gpt-4o", "gemini-1.5-pro", "phi-3-mini"}
    assert set(summary["router"]["cost_to_reach_percent_of_best"]) == {"80", "90", "95", "100"}
    assert summary["strong_weak"]["router"]["apgr"] > 0


def test_the_report_renders_its_charts_in_headless_chromium(fitted):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is needed (scripts/test installs it)"
    from PIL import Image

    page = "file://" + os.path.join(fitted["report"], "report.html")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", page], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr
    charts = dom.stdout.count('<svg class="chart"')
    assert charts == 3 + 14, f"expected the models, curves, PGR and 14 domain charts, found {charts}"

    shot = os.path.join(fitted["work"], "report.png")
    result = subprocess.run([chromium, *flags, "--window-size=1300,4200", f"--screenshot={shot}", page],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and os.path.exists(shot), result.stderr
    counts = {rgb: n for n, rgb in Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 24)}
    # Each series' colour must reach the screen: zero router, router, oracle, models, random.
    for name, rgb in {"zero router": (0x1f, 0x77, 0xb4), "router": (0xd6, 0x27, 0x28), "oracle": (0x2c, 0xa0, 0x2c),
                      "models": (0x55, 0x55, 0x55), "random": (0x7f, 0x7f, 0x7f)}.items():
        assert counts.get(rgb, 0) > 50, f"the {name} series is not drawn"


def test_serve_routes_with_the_fitted_file(fitted):
    port = free_port()
    home = os.path.join(fitted["work"], "serve")
    os.makedirs(home, exist_ok=True)
    config = os.path.join(home, "frontier.yaml")
    with open(config, "w") as f:
        f.write(f"""
gateway: {{port: {port}}}
models:
  - id: pro
    router_id: gemini-1.5-pro
    provider: openai-compatible
    base_url: http://127.0.0.1:9/v1
    deployment: cloud
    price: {{input_per_mtok: 1.25, output_per_mtok: 5}}
    quality: 0.123
  - id: gpt-4o
    provider: openai-compatible
    base_url: http://127.0.0.1:9/v1
    deployment: cloud
    price: {{input_per_mtok: 2.5, output_per_mtok: 10}}
router: {{file: router.json, default_objective: best}}
""")
    router = os.path.join(home, "router.json")
    shutil.copy(fitted["router"], router)
    gateway = subprocess.Popen([FRONTIER_BIN, "serve", "--config", config], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def decide():
        body = json.dumps({"model": "auto", "messages": [{"role": "user", "content":
            "Under contract law, is a promise without consideration enforceable by the court against the defendant?"}]}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/route", data=body, headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", gateway)
        decision = decide()
        quality = {c["model"]: c["expected_quality"] for c in decision["candidates"]}
        # Hot reload: a damaged file is refused and the router keeps serving; a new fit replaces it.
        with open(router, "w") as f:
            f.write("{not a router")
        time.sleep(3)
        assert decide()["candidates"] == decision["candidates"]
        refit = subprocess.run([FRONTIER_BIN, "fit", fitted["data"], "--out", router + ".new", "--seed", "2"], capture_output=True, text=True, timeout=300)
        assert refit.returncode == 0, refit.stderr
        os.replace(router + ".new", router)
        # liveness: the watcher reloads within ~1 s idle; 60 s holds on two busy cores.
        deadline = time.time() + 60
        while time.time() < deadline and decide()["candidates"] == decision["candidates"]:
            time.sleep(0.5)
        reloaded = {c["model"]: c["expected_quality"] for c in decide()["candidates"]}
    finally:
        gateway.terminate()
        output = gateway.communicate(timeout=10)[0]
    assert "router file loaded" in output
    assert decision["features"]["domain"]["name"] == "law"
    assert quality["pro"] != 0.123, "the fitted quality replaces the config's"
    assert 0 < quality["pro"] < 1 and 0 < quality["gpt-4o"] < 1
    assert "cannot be used; the running router stays" in output
    assert "router file reloaded" in output
    assert reloaded != quality, "the new fit's estimates serve after the reload"


def test_serve_refuses_a_damaged_router_file(fitted):
    work = fitted["work"]
    with open(os.path.join(work, "broken.json"), "w") as f:
        f.write('{"format": "frontier-router", "version": 7}')
    config = os.path.join(work, "broken.yaml")
    with open(config, "w") as f:
        f.write("models:\n  - id: m\n    provider: openai-compatible\n    base_url: http://127.0.0.1:9/v1\n    deployment: local\n"
                "router: {file: broken.json}\n")
    result = subprocess.run([FRONTIER_BIN, "serve", "--config", config], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "broken.json" in result.stdout + result.stderr
    assert "version 7 is not supported" in result.stdout + result.stderr


def test_a_bad_outcomes_line_is_named(fitted):
    bad = os.path.join(fitted["work"], "bad.jsonl")
    with open(bad, "w") as f:
        f.write('{"id": "a", "prompt": "x", "results": {"m": {"score": 1}}}\n{"id": "b", "prompt": "x", "results": {"m": {"score": 2}}}\n')
    result = subprocess.run([FRONTIER_BIN, "analyze", bad], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "bad.jsonl:2: prompt 'b', model 'm': field 'score' must be in [0, 1], got 2.0" in result.stderr


def test_fit_of_several_sets_writes_one_router_each_and_one_table(fitted):
    """`frontier fit A B --out DIR`: a router file per set and a last table with every set's router beside its zero router."""
    second = os.path.join(fitted["work"], "law-and-math.jsonl")
    with open(DATA) as source, open(second, "w") as out:
        for n, line in enumerate(source):
            if n % 4 == 1 and json.loads(line)["domain"] in ("law", "math"):
                out.write(line)
    out_dir = os.path.join(fitted["work"], "routers")
    fit = subprocess.run([FRONTIER_BIN, "fit", fitted["data"], second, "--out", out_dir], capture_output=True, text=True, timeout=300)
    assert fit.returncode == 0, fit.stderr
    assert sorted(os.listdir(out_dir)) == ["law-and-math.router.json", "mmlu-part.router.json"]
    table = fit.stdout[fit.stdout.rindex("set "):].splitlines()
    assert table[0].split()[:5] == ["set", "prompts", "models", "signal", "router"]
    rows = {line.split()[0]: line.split() for line in table[1:3]}
    assert set(rows) == {"mmlu-part", "law-and-math"}
    for cells in rows.values():
        router, zero, gain = float(cells[4]), float(cells[5]), float(cells[6])
        assert 0 < zero <= 1 and 0 < router <= 1 and abs(router - zero - gain) < 1e-3
    with open(os.path.join(out_dir, "law-and-math.router.json")) as f:
        assert sorted(json.load(f)["classifier"]["domains"]) == ["law", "math"]
    # analyze with the same sets and the routers' directory: each router on its own set's held-out prompts, one table.
    analyze = subprocess.run([FRONTIER_BIN, "analyze", fitted["data"], second, "--router", out_dir], capture_output=True, text=True, timeout=300)
    assert analyze.returncode == 0, analyze.stderr
    assert analyze.stdout.count("held-out prompts only") == 2
    last = analyze.stdout[analyze.stdout.rindex("set "):].splitlines()
    analysed = {line.split()[0]: line.split() for line in last[1:3]}
    for name, cells in analysed.items():
        assert cells[1] == rows[name][1], (name, cells, rows[name])  # the same held-out prompts as the fit's
        assert abs(float(cells[4]) - float(rows[name][4])) < 1e-3  # and the same router AIQ
    # --embeddings must be given once per set or not at all.
    bad = subprocess.run([FRONTIER_BIN, "fit", fitted["data"], second, "--out", out_dir, "--embeddings", second],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "once per set" in bad.stderr
