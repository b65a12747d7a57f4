"""The dashboard in a real browser: Debian's headless Chromium driven by Selenium (Debian's chromedriver, no
browser download), over a gateway with traffic on two models (test upstreams, loopback only) and auth on.
Asserts what a person sees: the request count, both model names, the savings figure `frontier report` prints
for the same window, a request found by id with its decision, a key created from the page that then works on
/v1/chat/completions, and a non-blank chart on every page (screenshots, pixel check). Without the admin key the
page shows only the login and the JSON endpoints answer 401, also to a client's key; the CSP header is on every
page and the pages work under it."""
import io
import json
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request

import pytest
from PIL import Image

from conftest import FRONTIER_BIN, free_port, running_double, running_gateway, wait_until

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver (scripts/test installs them)")
ADMIN = "admin-key-for-the-dashboard-test-0123456789"
SHOTS = os.environ.get("FRONTIER_DASHBOARD_SHOTS")  # a folder to keep the screenshots in (docs/ uses them)


def config(upstream, port, work):
    return f"""
gateway: {{port: {port}, retries: {{max_retries: 0}}, default_models: [local-small, general]}}
auth: {{admin_key: {ADMIN}}}
models:
  - id: local-small
    provider: openai-compatible
    base_url: http://127.0.0.1:{upstream}/ok/v1
    deployment: local
    quality: 0.6
    price: {{input_per_mtok: 0.1, output_per_mtok: 0.2}}
  - id: general
    provider: openai-compatible
    base_url: http://127.0.0.1:{upstream}/ok/v1
    api_key: test-key
    deployment: cloud
    quality: 0.9
    price: {{input_per_mtok: 2.5, output_per_mtok: 10}}
  - {{id: broken, provider: openai-compatible, base_url: "http://127.0.0.1:{upstream}/fail-500/v1", deployment: local, quality: 0.99}}
  - {{id: tiny, provider: openai-compatible, base_url: "http://127.0.0.1:{upstream}/ok/v1", deployment: local, quality: 0.4}}
routes:
  - {{name: with-broken, models: [broken, local-small], constraints: {{objective: best}}}}
  - name: triage
    cascade:
      - {{model: tiny, accept: {{min_chars: 100000}}}}
      - {{model: local-small}}
privacy: {{pii: on-prem}}
ledger: {{reference_model: general, store_bodies: true}}
router: {{file: router.json}}
storage: {{sqlite: {os.path.join(work, "frontier.db")}}}
"""


def call(url, path, key=None, body=None, method=None):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = "Bearer " + key
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


def chat(url, key, model, text):
    return call(url, "/v1/chat/completions", key, {"model": model, "messages": [{"role": "user", "content": text}], "max_tokens": 16})


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager looks nothing up: the browser and driver are Debian's
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1100",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def non_white(png):
    data = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    return sum(1 for r, g, b in zip(data[0::3], data[1::3], data[2::3]) if r + g + b < 600)


def test_the_dashboard_shows_the_traffic_the_money_a_request_and_makes_a_key_in_a_real_browser():
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    work = tempfile.mkdtemp(prefix="frontier-dashboard-")
    # A router file fitted on both models' outcomes: the frontier page draws its models and curve.
    seed = os.path.join(work, "seed.jsonl")
    with open(seed, "w") as f:
        for n in range(40):
            hard = n % 4 == 0
            f.write(json.dumps({"id": f"s{n}", "prompt": f"question {n} about {'tax law' if hard else 'arithmetic'}", "domain": "law" if hard else "math",
                                "results": {"local-small": {"score": 0.0 if hard else 1.0, "cost_usd": 0.0001},
                                            "general": {"score": 1.0, "cost_usd": 0.004}}}) + "\n")
    fit = subprocess.run([FRONTIER_BIN, "fit", seed, "--out", os.path.join(work, "router.json")], capture_output=True, text=True, timeout=300)
    assert fit.returncode == 0, fit.stderr
    with running_double() as upstream:
        port = free_port()
        env = dict(os.environ, FRONTIER_LEDGER_BODY_KEY="dashboard-test-body-key")
        with running_gateway(config(upstream, port, work), port, env=env, directory=work) as url:
            status, _, created = call(url, "/admin/keys", ADMIN, {"name": "clinic-app", "budget_usd": 5})
            assert status == 201
            client = created["key"]
            ids = []
            for n in range(12):
                for model in ("local-small", "general", "auto"):
                    status, headers, _ = chat(url, client, model, f"question {n} for {model}")
                    assert status == 200
                    ids.append((model, headers.get("x-frontier-request-id")))
            routed = next(rid for model, rid in ids if model == "auto")
            # Scores for the local model's answers: 1, 0, 1, 1 (mean 0.75); none for the general model's.
            local_ids = [rid for model, rid in ids if model == "local-small"]
            for rid, score in zip(local_ids, [1, 0, 1, 1]):
                assert call(url, "/v1/feedback", client, {"request_id": rid, "score": score})[0] == 200

            # Without the admin key: the JSON says 401, to a client's key too; the page itself is the login.
            for path in ["/admin/api/overview?window=1h", "/admin/api/requests", "/admin/api/health", "/admin/api/routing?window=1h"]:
                assert call(url, path)[0] == 401, path
                assert call(url, path, client)[0] == 401, path
            assert call(url, "/admin/api/audit/verify", client, method="POST")[0] == 401
            page = urllib.request.urlopen(url + "/ui/", timeout=10)
            csp = page.headers["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
            assert page.headers["X-Frame-Options"] == "DENY"
            assert b"clinic-app" not in page.read() and b"general" not in urllib.request.urlopen(url + "/ui/app.js", timeout=10).read()

            # The figures the CLI prints for the same window.
            report = subprocess.run([FRONTIER_BIN, "report", "--config", os.path.join(work, "frontier.yaml"), "--since", "1h"],
                                    capture_output=True, text=True, env=env, timeout=60)
            assert report.returncode == 0, report.stderr
            saved = report.stdout.split("routing saved $")[1].split()[0]

            driver = browser()
            try:
                wait = WebDriverWait(driver, 30)  # a page renders in well under a second; 30 s holds on two busy cores
                driver.get(url + "/ui/")
                wait.until(EC.visibility_of_element_located((By.ID, "login-key")))
                assert not driver.find_element(By.ID, "nav").is_displayed(), "only the login without the admin key"
                driver.find_element(By.ID, "login-key").send_keys(client)
                driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
                wait.until(EC.text_to_be_present_in_element((By.ID, "login-error"), "refused"))
                driver.find_element(By.ID, "login-key").send_keys(ADMIN)
                driver.find_element(By.CSS_SELECTOR, "#login-form button").click()

                def open_page(name, selector):
                    driver.get(url + "/ui/#" + name)
                    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f'section[data-page="{name.split("?")[0].split("/")[0]}"]')))
                    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, selector)))
                    if SHOTS:
                        os.makedirs(SHOTS, exist_ok=True)
                        driver.save_screenshot(os.path.join(SHOTS, name.split("?")[0].split("/")[0] + ".png"))

                driver.find_element(By.CSS_SELECTOR, '#windows button[data-window="1h"]').click()
                open_page("overview", '[data-chart="Spend"] svg')
                cards = {c.find_element(By.CLASS_NAME, "label").text: c.find_element(By.CLASS_NAME, "value").text
                         for c in driver.find_elements(By.CSS_SELECTOR, "[data-card]")}
                assert cards["Requests"] == "36", cards
                assert cards["Savings"] == "$" + saved, (cards, report.stdout)
                body = driver.find_element(By.TAG_NAME, "body").text
                assert "local-small" in body and "general" in body
                for chart in driver.find_elements(By.CSS_SELECTOR, "[data-chart] svg"):
                    assert non_white(chart.screenshot_as_png) > 500, "a blank chart"

                # Sensitive data kept on-prem, a cascade whose first tier fails its check, a fallback from a broken model.
                for n in range(2):
                    assert chat(url, client, "auto", f"Please write to jane.doe{n}@example.com about the invoice")[0] == 200
                    assert chat(url, client, "triage", f"triage question {n}")[0] == 200
                    assert chat(url, client, "with-broken", f"fallback question {n}")[0] == 200
                # The ledger commits within its flush window: the page is read once the six records are in.
                assert wait_until(lambda: {"name": "with-broken", "requests": 2} in call(url, "/admin/api/routing?window=1h", ADMIN)[2]["by_route"])
                open_page("routing", '[data-chart="Fallbacks"] svg')
                chart = driver.find_element(By.CSS_SELECTOR, '[data-chart="Requests by serving model"] svg')
                assert non_white(chart.screenshot_as_png) > 500
                assert non_white(driver.find_element(By.CSS_SELECTOR, '[data-chart="Fallbacks"] svg').screenshot_as_png) > 500
                cards = {c.find_element(By.CLASS_NAME, "label").text: c.find_element(By.CLASS_NAME, "value").text
                         for c in driver.find_elements(By.CSS_SELECTOR, "[data-card]")}
                assert cards["Requests with sensitive data"].startswith("2 ") and cards["Kept on-prem or local"] == "100.0 %", cards
                cells = [[td.text for td in r.find_elements(By.TAG_NAME, "td")] for r in driver.find_elements(By.CSS_SELECTOR, 'section[data-page="routing"] table tr')]
                assert ["email", "2", "100.0 %", "on-prem 2"] in cells, cells
                assert ["triage", "1", "tiny", "2", "100.0 %", "rejected 2", "min_chars 2"] in cells, cells
                assert ["triage", "2", "local-small", "2", "0.0 %", "accepted 2", "–"] in cells, cells
                assert ["broken", "HTTP 500", "2"] in cells, cells
                assert ["openai.chat", "42"] in cells, cells
                assert "local-small" in driver.find_element(By.TAG_NAME, "body").text

                # The frontier: the router file's models and curve, live traffic placed on it, live quality from the scores.
                version = call(url, "/healthz", ADMIN)[2]["router_version"]
                open_page("frontier", '[data-chart="Frontier"] img')
                image = driver.find_element(By.ID, "frontier-chart")
                wait.until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image))
                assert non_white(image.screenshot_as_png) > 2000, "a blank frontier chart"
                cards = {c.find_element(By.CLASS_NAME, "label").text: c.find_element(By.CLASS_NAME, "value").text
                         for c in driver.find_elements(By.CSS_SELECTOR, "[data-card]")}
                assert cards["Router file"] == version, cards
                rows = {r.find_elements(By.TAG_NAME, "td")[0].text: [td.text for td in r.find_elements(By.TAG_NAME, "td")]
                        for r in driver.find_elements(By.CSS_SELECTOR, 'section[data-page="frontier"] table tr') if r.find_elements(By.TAG_NAME, "td")}
                assert rows["local-small"][5] == "0.750" and "client 0.75 (4)" in rows["local-small"][7], rows
                assert rows["general"][5] == "no scores yet", rows
                frontier = call(url, "/admin/api/frontier?window=1h", ADMIN)[2]
                assert {m["id"] for m in frontier["router"]["models"]} == {"local-small", "general"} and frontier["router"]["tradeoff"]
                assert "local-small" in frontier["svg"] and "<script" not in frontier["svg"]

                open_page("health", "table")
                text = driver.find_element(By.TAG_NAME, "body").text
                assert "closed" in text and "general" in text and "Circuit-breaker events" in text
                assert isinstance(call(url, "/admin/api/health", ADMIN)[2]["breaker_events"], list)

                # A request found by its id, with its decision.
                open_page("audit?id=" + routed, "table a.link")
                driver.find_element(By.CSS_SELECTOR, "table a.link").click()
                wait.until(EC.presence_of_element_located((By.ID, "decision-detail")))
                assert routed in driver.find_element(By.CSS_SELECTOR, "section[data-page] h1").text
                assert "candidates" in driver.find_element(By.ID, "decision-detail").text
                # The sealed prompt stays sealed until the operator opens this one record; the opening is in the chain.
                prompt = next(f"question {n} for auto" for n in range(12) if ids[3 * n + 2][1] == routed)
                assert prompt not in driver.page_source
                if SHOTS:
                    driver.save_screenshot(os.path.join(SHOTS, "request.png"))
                driver.find_element(By.ID, "open-bodies").click()
                assert prompt in wait.until(EC.presence_of_element_located((By.ID, "bodies-prompt"))).text
                exported = subprocess.run([FRONTIER_BIN, "audit", "export", "--config", os.path.join(work, "frontier.yaml"), "--format", "jsonl"],
                                          capture_output=True, text=True, env=env, timeout=60)
                assert exported.returncode == 0, exported.stderr
                opened = [json.loads(line) for line in exported.stdout.splitlines() if '"bodies_opened"' in line]
                assert len(opened) == 1 and opened[0]["subject"] == routed, opened
                assert prompt not in exported.stdout, "the export keeps bodies sealed"
                open_page("audit", "#verify")
                driver.find_element(By.ID, "verify").click()
                wait.until(EC.text_to_be_present_in_element((By.ID, "verify-result"), "intact"))

                # A key made on the page works at once.
                open_page("keys", "#new-key")
                driver.find_element(By.ID, "new-key-name").send_keys("made-in-the-browser")
                driver.find_element(By.ID, "new-key-budget").send_keys("2")
                driver.find_element(By.CSS_SELECTOR, "#new-key button").click()
                secret = wait.until(EC.presence_of_element_located((By.ID, "new-key-secret"))).text
                assert secret.startswith("fk_")
                assert chat(url, secret, "local-small", "hello from the new key")[0] == 200
                driver.refresh()
                wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, 'section[data-page="keys"] table')))
                assert "made-in-the-browser" in driver.find_element(By.TAG_NAME, "body").text
                assert secret not in driver.page_source, "the key is shown once"

                # Edited from the page: a new budget and a rate limit hold on the next request.
                made = next(k for k in call(url, "/admin/keys", ADMIN)[2]["data"] if k["name"] == "made-in-the-browser")
                driver.find_element(By.CSS_SELECTOR, f'button[data-edit="{made["id"]}"]').click()
                wait.until(EC.presence_of_element_located((By.ID, "edit-rpm"))).send_keys("1")
                driver.find_element(By.ID, "edit-budget_usd").send_keys("7")
                driver.find_element(By.CSS_SELECTOR, "#edit-key button").click()
                wait.until(EC.staleness_of(driver.find_element(By.ID, "edit-key")))
                wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, 'section[data-page="keys"] table')))
                shown = call(url, "/admin/keys/" + made["id"], ADMIN)[2]
                assert shown["budget_usd"] == 7 and shown["rpm"] == 1, shown
                # Two more requests within the minute (one was made above): one a minute refuses at least one.
                statuses = [chat(url, secret, "local-small", f"again {n}")[0] for n in range(2)]
                assert 429 in statuses, statuses

                # Nothing broke under the CSP, and nothing was fetched from anywhere but this gateway.
                logs = driver.get_log("browser")
                assert not [e for e in logs if "Content Security Policy" in e["message"]], logs
                assert not [e for e in logs if "http" in e["message"] and "127.0.0.1" not in e["message"]], logs
                assert "frontier.adminKey" not in (driver.execute_script("return document.cookie") or "")
            finally:
                driver.quit()
    shutil.rmtree(work, ignore_errors=True)
