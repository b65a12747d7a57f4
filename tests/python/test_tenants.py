"""Tenants: API keys through the real openai SDK, per-key policy, budgets
that hold under concurrency (on SQLite, and on two gateways sharing one
PostgreSQL), rate limits. Gateways and the upstream double are real
processes; the double's `priced` mode answers with a known usage after
100 ms, so an answer costs exactly $0.022 at the catalog's prices."""
import concurrent.futures
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import openai
import pytest

from conftest import FRONTIER_BIN, free_port, running_double, wait_for

POSTGRES_URL = os.environ.get("FRONTIER_TEST_POSTGRES_URL")
ADMIN = "test-admin-key-0123456789abcdef"
COST = 0.022  # 22 completion tokens at $1000 per million


@pytest.fixture(scope="module")
def upstream():
    with running_double() as port:
        yield port


def config_text(upstream_port, port, storage):
    up = f"http://127.0.0.1:{upstream_port}"
    return f"""
gateway: {{port: {port}, limits: {{max_concurrent_requests: 4096}}}}
auth: {{admin_key: ${{FRONTIER_ADMIN_KEY}}}}
storage: {storage}
models:
  - id: priced
    provider: openai-compatible
    base_url: {up}/priced/v1
    api_key: test-key
    deployment: cloud
    price: {{input_per_mtok: 0, output_per_mtok: 1000}}
    quality: 0.9
  - id: cheap
    provider: openai-compatible
    base_url: {up}/ok/v1
    deployment: on-prem
    price: {{input_per_mtok: 0.1, output_per_mtok: 0.2}}
    quality: 0.5
  - id: local-ok
    provider: openai-compatible
    base_url: {up}/ok/v1
    deployment: local
    quality: 0.3
  - id: hanging
    provider: openai-compatible
    base_url: {up}/slow-first-token/v1
    deployment: cloud
    price: {{input_per_mtok: 0, output_per_mtok: 1000}}
routes:
  - name: capped
    models: [priced, cheap]
    constraints: {{max_cost_usd: 0.001}}
router: {{default_objective: best}}
"""


class Gateway:
    def __init__(self, work, upstream_port, storage, env=None):
        self.port = free_port()
        self.config = os.path.join(work, f"frontier-{self.port}.yaml")
        with open(self.config, "w") as f:
            f.write(config_text(upstream_port, self.port, storage))
        self.env = dict(env or os.environ, FRONTIER_ADMIN_KEY=ADMIN, FRONTIER_LEDGER_KEY="tenants-test-key")
        self.log = open(self.config + ".log", "w")
        self.process = subprocess.Popen([FRONTIER_BIN, "serve", "--config", self.config], stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        wait_for(f"http://127.0.0.1:{self.port}/healthz", self.process)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def call(self, method, path, body=None, key=ADMIN, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={"content-type": "application/json", **(headers or {})})
        if key:
            request.add_header("authorization", f"Bearer {key}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null"), {k.lower(): v for k, v in response.headers.items()}
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null"), {k.lower(): v for k, v in error.headers.items()}

    def create_key(self, **fields):
        status, body, _ = self.call("POST", "/admin/keys", {"name": "test", **fields})
        assert status == 201, body
        return body

    def chat(self, key, model="priced", max_tokens=30, **extra):
        return self.call("POST", "/v1/chat/completions", {"model": model, "max_tokens": max_tokens, "messages": [{"role": "user", "content": "hi"}], **extra}, key=key)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            assert self.process.wait(timeout=20) == 0, "the gateway did not exit cleanly"
        self.log.close()


@pytest.fixture()
def work():
    directory = tempfile.mkdtemp(prefix="frontier-tenants-")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture()
def gateway(work, upstream):
    g = Gateway(work, upstream, f"{{sqlite: {os.path.join(work, 'frontier.db')}}}")
    yield g
    g.stop()


def fresh_database():
    name = f"frontier_tenants_{os.getpid()}_{int(time.time() * 1000) % 10_000_000}"
    subprocess.run(["psql", POSTGRES_URL, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


def test_the_openai_sdk_with_a_key_without_one_and_with_a_wrong_one(gateway):
    key = gateway.create_key(name="sdk")
    assert key["key"].startswith("fk_") and key["id"].startswith("key_")
    client = openai.OpenAI(base_url=gateway.url + "/v1", api_key=key["key"], max_retries=0)
    answer = client.chat.completions.create(model="cheap", messages=[{"role": "user", "content": "hi"}])
    assert answer.choices[0].message.content
    for wrong in ["", "fk_" + "0" * 64, ADMIN]:
        with pytest.raises(openai.AuthenticationError) as raised:
            openai.OpenAI(base_url=gateway.url + "/v1", api_key=wrong or "x", max_retries=0).chat.completions.create(
                model="cheap", messages=[{"role": "user", "content": "hi"}])
        assert raised.value.code == "invalid_api_key"
    status, body, _ = gateway.call("GET", "/v1/models", key=None)
    assert status == 401 and body["error"]["code"] == "invalid_api_key"
    # The secret is never listed again, and the ledger records the key's id.
    status, listed, _ = gateway.call("GET", "/admin/keys")
    assert status == 200 and key["key"] not in json.dumps(listed)
    assert [k["id"] for k in listed["data"]] == [key["id"]]


def test_admin_endpoints_need_the_admin_key_and_healthz_says_only_ok(gateway):
    tenant = gateway.create_key(name="tenant")["key"]
    for path in ["/admin/keys", "/metrics"]:
        for key in [None, tenant, "wrong"]:
            assert gateway.call("GET", path, key=key)[0] == 401, (path, key)
    status, health, _ = gateway.call("GET", "/healthz", key=None)
    assert status == 200 and health == {"status": "ok"}
    status, health, _ = gateway.call("GET", "/healthz")
    assert status == 200 and "models" in health
    request = urllib.request.Request(gateway.url + "/metrics", headers={"authorization": f"Bearer {ADMIN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def test_admin_api_validates_and_manages_keys(gateway):
    status, body, _ = gateway.call("POST", "/admin/keys", {"name": "x", "budget_usd": -1})
    assert status == 400 and body["error"]["param"] == "budget_usd"
    status, body, _ = gateway.call("POST", "/admin/keys", {"name": "x", "budget_period": "year"})
    assert status == 400 and "day, week, month or total" in body["error"]["message"]
    status, body, _ = gateway.call("POST", "/admin/keys", {"name": "x", "colour": "red"})
    assert status == 400 and body["error"]["param"] == "colour"
    status, body, _ = gateway.call("POST", "/admin/keys", {"budget_usd": 1})
    assert status == 400 and body["error"]["param"] == "name"
    key = gateway.create_key(name="managed", budget_usd=5, budget_period="day", models=["cheap"], rpm=100)
    status, shown, _ = gateway.call("GET", f"/admin/keys/{key['id']}")
    assert status == 200 and shown["spent_usd"] == 0 and shown["remaining_usd"] == 5 and shown["budget_period"] == "day"
    status, patched, _ = gateway.call("PATCH", f"/admin/keys/{key['id']}", {"budget_usd": 7, "models": None})
    assert status == 200 and patched["budget_usd"] == 7 and "models" not in patched
    assert gateway.call("GET", "/admin/keys/key_000000000000")[0] == 404
    status, revoked, _ = gateway.call("DELETE", f"/admin/keys/{key['id']}")
    assert status == 200 and "revoked_at" in revoked
    status, body, _ = gateway.chat(key["key"], model="cheap")
    assert status == 401 and "revoked" in body["error"]["message"]


def test_the_cli_manages_the_same_keys(gateway):
    def keys(*args):
        out = subprocess.run([FRONTIER_BIN, "keys", *args, "--config", gateway.config], capture_output=True, text=True, env=gateway.env, timeout=60)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)
    created = keys("create", "--name", "from-cli", "--budget-usd", "2", "--models", "cheap,local-ok")
    assert created["key"].startswith("fk_") and created["models"] == ["cheap", "local-ok"]
    assert created["id"] in [k["id"] for k in keys("list")["data"]]
    # The running gateway picks up a key made elsewhere.
    status, _, _ = gateway.chat(created["key"], model="cheap")
    assert status == 200
    assert keys("update", created["id"], "--rpm", "9")["rpm"] == 9
    assert keys("show", created["id"])["remaining_usd"] <= 2
    assert "revoked_at" in keys("revoke", created["id"])
    # liveness: the directory reloads every 2 s; 20 s is 10x that, a bound that holds on two busy cores.
    deadline = time.time() + 20
    while gateway.chat(created["key"], model="cheap")[0] != 401:
        assert time.time() < deadline, "a key revoked from the CLI still worked after 20 s"  # liveness (see above)
        time.sleep(0.2)


def test_key_policy_models_privacy_floor_and_ceilings(gateway):
    key = gateway.create_key(name="policy", models=["cheap", "local-ok"], routes=[], privacy="on-prem",
                             max_constraints={"max_cost_usd": 0.0001})["key"]
    status, body, _ = gateway.chat(key, model="priced")
    assert status == 403 and body["error"]["code"] == "model_not_allowed" and "cheap, local-ok" in body["error"]["message"]
    status, body, _ = gateway.chat(key, model="capped")
    assert status == 403 and body["error"]["code"] == "route_not_allowed"
    # auto chooses among the key's models only, inside its floor, whatever the header asks.
    status, body, headers = gateway.chat(key, model="auto", headers=None)
    assert status == 200 and headers["x-frontier-model"] in ("cheap", "local-ok")
    status, decision, _ = gateway.call("POST", "/v1/route", {"model": "auto", "messages": [{"role": "user", "content": "hi"}]},
                                       key=key, headers={"x-frontier-privacy": "any", "x-frontier-max-cost-usd": "100"})
    assert status == 200
    assert decision["constraints"]["privacy"] == "on-prem"
    assert decision["constraints"]["max_cost_usd"] == 0.0001, "a header lifted the key's max_constraints"
    assert "priced" not in [c["model"] for c in decision["candidates"]]
    # A route's cap is a ceiling too: a header asking for more gets the route's.
    free = gateway.create_key(name="free")["key"]
    status, decision, _ = gateway.call("POST", "/v1/route", {"model": "capped", "messages": [{"role": "user", "content": "hi"}]},
                                       key=free, headers={"x-frontier-max-cost-usd": "5"})
    assert status == 200 and decision["constraints"]["max_cost_usd"] == 0.001, decision["constraints"]
    assert decision["chosen"] == "cheap"
    # The models list shows what the key may use.
    status, models, _ = gateway.call("GET", "/v1/models", key=key)
    assert sorted(m["id"] for m in models["data"]) == ["auto", "cheap", "local-ok"]


def test_rate_limits_answer_429_with_retry_after_and_remaining_headers(gateway):
    key = gateway.create_key(name="rated", rpm=3)["key"]
    remaining = []
    for _ in range(3):
        status, _, headers = gateway.chat(key, model="cheap")
        assert status == 200
        remaining.append(int(headers["x-ratelimit-remaining-requests"]))
    assert remaining == [2, 1, 0]
    status, body, headers = gateway.chat(key, model="cheap")
    assert status == 429 and body["error"]["code"] == "rate_limit_exceeded"
    assert 1 <= int(headers["retry-after"]) <= 60
    tokens = gateway.create_key(name="tokens", tpm=50)["key"]
    status, _, headers = gateway.chat(tokens, model="cheap")
    assert status == 200 and "x-ratelimit-remaining-tokens" in headers
    statuses = [gateway.chat(tokens, model="cheap")[0] for _ in range(5)]
    assert 429 in statuses


def test_budget_aware_routing_picks_what_the_budget_covers(gateway):
    # $0.02 covers cheap's worst case, not priced's (30 tokens at $1000/M = $0.03).
    key = gateway.create_key(name="tight", budget_usd=0.02)["key"]
    status, body, headers = gateway.chat(key, model="auto")
    assert status == 200 and headers["x-frontier-model"] != "priced", headers
    status, decision, _ = gateway.call("POST", "/v1/route", {"model": "auto", "max_tokens": 30, "messages": [{"role": "user", "content": "hi"}]}, key=key)
    assert any(e["model"] == "priced" and e["reason"].startswith("budget:") for e in decision["excluded"]), decision["excluded"]
    status, body, _ = gateway.chat(key, model="priced")
    assert status == 429 and body["error"]["code"] == "insufficient_quota" and "budget has $0.0199" in body["error"]["message"]


def test_a_request_whose_client_leaves_releases_its_reservation(gateway):
    key = gateway.create_key(name="leaver", budget_usd=1)
    request = urllib.request.Request(gateway.url + "/v1/chat/completions", method="POST",
                                     data=json.dumps({"model": "hanging", "max_tokens": 100, "stream": True, "messages": [{"role": "user", "content": "hi"}]}).encode(),
                                     headers={"authorization": f"Bearer {key['key']}", "content-type": "application/json"})
    with pytest.raises(OSError):
        urllib.request.urlopen(request, timeout=1)
    # liveness: released within ~1 s idle (the flush interval is 0.5 s); 20 s holds on two busy cores.
    deadline = time.time() + 20
    while True:
        shown = gateway.call("GET", f"/admin/keys/{key['id']}")[1]
        if shown["reserved_usd"] == 0 and shown["spent_usd"] == 0:
            break
        assert time.time() < deadline, shown  # liveness (see above)
        time.sleep(0.3)


def overspend_run(gateways, key):
    """200 at once, then one at a time until the budget answers no; checks the bound after every step."""
    budget = 1.00
    served = 0
    statuses = []

    def one(n):
        return gateways[n % len(gateways)].chat(key["key"])[0]

    with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
        burst = list(pool.map(one, range(200)))
    statuses += burst
    served += burst.count(200)
    assert served * COST <= budget + 1e-9, f"{served} served at ${COST} over a ${budget} budget"
    refusals = 0
    n = 0
    while refusals < 3:
        status = one(n)
        n += 1
        statuses.append(status)
        if status == 200:
            served += 1
            refusals = 0
        else:
            refusals += 1
            time.sleep(1.2)  # another instance's idle slice goes back within a second
        assert served * COST <= budget + 1e-9, f"{served} served at ${COST} over a ${budget} budget"
        assert n < 200
    assert set(statuses) <= {200, 429}, sorted(set(statuses))
    used = served * COST
    print(f"overspend test on {len(gateways)} gateway(s): {burst.count(200)} of 200 served at once, {served} in all, ${used:.3f} of ${budget} used")
    assert used >= 0.8 * budget, f"only ${used:.3f} of ${budget} used: budget stranded"
    time.sleep(1.5)
    shown = gateways[0].call("GET", f"/admin/keys/{key['id']}")[1]
    assert shown["spent_usd"] <= budget + 1e-9
    assert abs(shown["spent_usd"] - used) < 1e-6, (shown, used)
    return served


def test_the_budget_is_never_overspent_on_sqlite(gateway):
    key = gateway.create_key(name="overspend", budget_usd=1.0)
    served = overspend_run([gateway], key)
    # The ledger records the authenticated key's id: the report groups by it.
    report = subprocess.run([FRONTIER_BIN, "report", "--config", gateway.config, "--by", "key"], env=gateway.env, capture_output=True, text=True, timeout=60)
    assert report.returncode == 0, report.stderr
    line = next((l for l in report.stdout.splitlines() if key["id"] in l), None)
    assert line is not None, report.stdout
    assert f"${served * COST:.4f}" in line.split(), (served, line)  # its cost is the served answers', 429s cost nothing


@pytest.mark.skipif(not POSTGRES_URL, reason="needs FRONTIER_TEST_POSTGRES_URL (scripts/test starts PostgreSQL)")
def test_the_budget_is_never_overspent_across_two_gateways_on_one_postgres(work, upstream):
    storage = f'{{postgres: "{fresh_database()}"}}'
    gateways = [Gateway(work, upstream, storage), Gateway(work, upstream, storage)]
    try:
        key = gateways[0].create_key(name="shared", budget_usd=1.0)
        overspend_run(gateways, key)
        # Revoked on one instance: refused by the other once it reloads (every 2 s).
        other = gateways[0].create_key(name="to-revoke")
        assert gateways[1].chat(other["key"], model="cheap")[0] == 200
        assert gateways[0].call("DELETE", f"/admin/keys/{other['id']}")[0] == 200
        revoked_at = time.time()
        while gateways[1].chat(other["key"], model="cheap")[0] != 401:
            # liveness: 20 s is 10x the 2 s reload interval, a bound that holds on two busy cores.
            assert time.time() - revoked_at < 20, "the second instance still served a revoked key after 20 s"
            time.sleep(0.1)
        print(f"revoked key refused by the second instance after {time.time() - revoked_at:.2f} s")
    finally:
        for g in gateways:
            g.stop()


def test_without_auth_the_gateway_refuses_a_non_loopback_address(work, upstream):
    path = os.path.join(work, "open.yaml")
    with open(path, "w") as f:
        f.write(f"""
gateway: {{host: 0.0.0.0, port: {free_port()}}}
models:
  - id: cheap
    provider: openai-compatible
    base_url: http://127.0.0.1:{upstream}/ok/v1
    deployment: on-prem
""")
    out = subprocess.run([FRONTIER_BIN, "serve", "--config", path], capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    assert "auth: {admin_key: ${FRONTIER_ADMIN_KEY}}" in out.stdout + out.stderr
