extension DashboardAssets {
    /// The dashboard's script: plain DOM, no library. Text from the server is only ever set as text
    /// (`textContent`, SVG text nodes), never parsed as HTML, so a model or key name cannot inject markup.
    static let script = #"""
"use strict";
const KEY = "frontier.adminKey";
const SVG = "http://www.w3.org/2000/svg";
const COLORS = ["#2f6fde", "#e8833a", "#1a7f4b", "#9b59b6", "#c0392b", "#16a2b8", "#8c6d1f", "#d63384", "#5c6bc0", "#6c757d"];
let windowName = "24h";

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = String(text);
  return e;
}
const usd = (x) => x === null || x === undefined ? "–" : "$" + (Math.abs(x) >= 100 ? x.toFixed(2) : Math.abs(x) >= 1 ? x.toFixed(4) : x.toFixed(6));
const num = (x) => x === null || x === undefined ? "–" : Number(x).toLocaleString("en-US");
const time = (ms) => new Date(ms).toISOString().replace("T", " ").slice(0, 19) + "Z";

class Unauthorized extends Error {}
async function api(path, options) {
  const headers = {};
  const key = sessionStorage.getItem(KEY);
  if (key) headers["Authorization"] = "Bearer " + key;
  if (options && options.body) headers["Content-Type"] = "application/json";
  const response = await fetch(path, Object.assign({ cache: "no-store", credentials: "omit" }, options || {}, { headers }));
  if (response.status === 401) throw new Unauthorized("The admin key was refused.");
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((body.error && body.error.message) || ("HTTP " + response.status));
  return body;
}

function card(label, value, cls) {
  return el("div", { class: "card", "data-card": label }, el("div", { class: "label" }, label), el("div", { class: "value " + (cls || "") }, value));
}
function table(headers, rows, numeric) {
  const t = el("table");
  t.append(el("tr", {}, ...headers.map((h, i) => el("th", { class: (numeric || []).includes(i) ? "num" : "" }, h))));
  for (const r of rows) t.append(el("tr", {}, ...r.map((c, i) => el("td", { class: (numeric || []).includes(i) ? "num" : "" }, c))));
  if (rows.length === 0) t.append(el("tr", {}, el("td", { colspan: String(headers.length), class: "muted" }, "Nothing in this window.")));
  return t;
}

// A chart of series over time: lines, or stacked bars. series: [{name, values}] aligned with times.
function chart(title, times, series, kind, format) {
  const W = 900, H = 220, L = 64, R = 12, T = 12, B = 28;
  const box = el("div", { class: "chart", "data-chart": title });
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title });
  const n = Math.max(1, times.length);
  const totals = times.map((_, i) => series.reduce((s, x) => s + (kind === "stack" ? (x.values[i] || 0) : 0), 0));
  const max = Math.max(1e-12, ...(kind === "stack" ? totals : series.flatMap((x) => x.values)));
  const x = (i) => L + (W - L - R) * (n === 1 ? 0.5 : i / (n - 1));
  const y = (v) => H - B - (H - T - B) * (v / max);
  root.append(svg("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" }));
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4, yy = y(v);
    root.append(svg("line", { x1: L, x2: W - R, y1: yy, y2: yy, stroke: "#e6e8ee" }));
    root.append(svg("text", { x: L - 6, y: yy + 4, "text-anchor": "end", "font-size": 11, fill: "#667085" }, format(v)));
  }
  const ticks = Math.min(6, n);
  for (let k = 0; k < ticks; k++) {
    const i = Math.round((k * (n - 1)) / Math.max(1, ticks - 1));
    const anchor = k === 0 && ticks > 1 ? "start" : k === ticks - 1 && ticks > 1 ? "end" : "middle";
    root.append(svg("text", { x: x(i), y: H - 8, "text-anchor": anchor, "font-size": 11, fill: "#667085" }, new Date(times[i]).toISOString().slice(5, 16).replace("T", " ")));
  }
  if (kind === "stack") {
    const w = Math.max(2, ((W - L - R) / n) * 0.8);
    times.forEach((_, i) => {
      let base = 0;
      series.forEach((s, j) => {
        const v = s.values[i] || 0;
        if (v > 0) root.append(svg("rect", { x: x(i) - w / 2, y: y(base + v), width: w, height: y(base) - y(base + v), fill: COLORS[j % COLORS.length] }));
        base += v;
      });
    });
  } else {
    series.forEach((s, j) => {
      const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      root.append(svg("polyline", { points, fill: "none", stroke: COLORS[j % COLORS.length], "stroke-width": 2 }));
    });
  }
  box.append(el("div", { class: "legend" }, el("strong", {}, title), ...series.map((s, j) => el("span", {}, el("i", { class: "swatch" }), s.name))));
  box.querySelectorAll("i.swatch").forEach((i, j) => { i.style.background = COLORS[j % COLORS.length]; });
  box.append(root);
  return box;
}

async function overview(page) {
  const o = await api("/admin/api/overview?window=" + windowName);
  page.append(el("h1", {}, "Overview, last " + windowName));
  const cards = el("div", { class: "cards" },
    card("Requests", num(o.requests)),
    card("Total cost", usd(o.total_usd)),
    card("API and token fees", usd(o.api_usd)),
    card("Hosting", usd(o.hosting_usd)),
    card("Fine-tuning", usd(o.fine_tuning_usd)));
  if (o.reference_model) {
    cards.append(card("Same answers on " + o.reference_model, usd(o.counterfactual_usd)));
    cards.append(card("Savings", usd(o.savings_usd), o.savings_usd >= 0 ? "good" : ""));
  }
  page.append(cards);
  const times = o.series.map((p) => p.t);
  page.append(chart("Requests", times, [{ name: "requests", values: o.series.map((p) => p.requests) }, { name: "errors", values: o.series.map((p) => p.errors) }], "line", (v) => num(Math.round(v))));
  const money = [{ name: "API fees", values: o.series.map((p) => p.api_usd) }];
  if (o.reference_model) money.push({ name: "at " + o.reference_model, values: o.series.map((p) => p.counterfactual_usd) });
  page.append(chart("Spend", times, money, "line", usd));
  page.append(el("h2", {}, "Cost by model"));
  page.append(table(["Model", "Requests", "API fees", "Hosting", "Fine-tuning", "Total"],
    o.by_model.map((r) => [r.group, num(r.requests), usd(r.api_usd), usd(r.hosting_usd), usd(r.fine_tuning_usd), usd(r.total_usd)]), [1, 2, 3, 4, 5]));
  page.append(el("p", { class: "muted" }, "The same figures as frontier report --since " + windowName + " (five-minute buckets)."));
}

async function routing(page) {
  const r = await api("/admin/api/routing?window=" + windowName);
  page.append(el("h1", {}, "Routing, last " + windowName));
  const times = r.series.map((p) => p.t);
  page.append(chart("Requests by serving model", times, r.models.map((m) => ({ name: m, values: r.series.map((p) => p.models[m] || 0) })), "stack", (v) => num(Math.round(v))));
  page.append(el("h2", {}, "By route"), table(["Route", "Requests"], r.by_route.map((x) => [x.name, num(x.requests)]), [1]));
  page.append(el("h2", {}, "By front door"), table(["Door", "Requests"], r.by_door.map((x) => [x.name, num(x.requests)]), [1]));
  page.append(el("h2", {}, "By domain"));
  if (r.detail === "hourly") page.append(el("p", { class: "muted" }, "Over 7 and 30 days the gateway keeps hourly sums without the domain and the key: choose 24 h or less to see them."));
  else page.append(table(["Domain", "Requests"], r.by_domain.map((x) => [x.name, num(x.requests)]), [1]));
  page.append(el("h2", {}, "By status"), table(["Status", "Requests"], r.by_status.map((x) => [x.name, num(x.requests)]), [1]));
  page.append(el("h2", {}, "Attempts per model"),
    table(["Model", "Attempts", "Did not serve (fallback, escalation, failed check)", "Mean latency of served (ms)"],
      r.attempts.map((a) => [a.model, num(a.attempts), num(a.not_serving), a.mean_latency_ms === null ? "–" : a.mean_latency_ms]), [1, 2, 3]));
  const s = r.sensitive;
  const pct = (x) => (x * 100).toFixed(1) + " %";
  page.append(el("h2", {}, "Sensitive data"), el("div", { class: "cards" },
    card("Requests with sensitive data", num(s.requests) + (s.share_of_requests === null ? "" : " (" + pct(s.share_of_requests) + " of all)")),
    card("Kept on-prem or local", s.requests ? pct(s.kept_in_zone / s.requests) : "–")));
  const handling = (by) => Object.keys(by).map((k) => k + " " + by[k]).join(", ");
  page.append(table(["Category", "Requests", "Kept on-prem or local", "How they were handled"],
    s.by_category.map((c) => [c.category, num(c.requests), pct(c.kept_in_zone / Math.max(1, c.requests)), handling(c.by_handling)]), [1, 2]));
  page.append(el("h2", {}, "Cascade tiers"), table(["Route", "Tier", "Model", "Attempts", "Passed on", "Outcomes", "Checks that failed"],
    r.tiers.map((t) => [t.route, String(t.tier), t.model, num(t.attempts), t.escalation_rate === null ? "–" : pct(t.escalation_rate), handling(t.outcomes),
      t.failed_checks.map((c) => c.check + " " + c.count).join(", ") || "–"]), [1, 3, 4]));
  page.append(el("h2", {}, "Fallbacks"));
  if (r.fallback_series.length) {
    const counts = new Map(r.fallback_series.map((p) => [p.t, p.count]));
    page.append(chart("Fallbacks", times, [{ name: "failed attempts", values: times.map((t) => counts.get(t) || 0) }], "stack", (v) => num(Math.round(v))));
  }
  page.append(table(["Model", "Why", "Attempts"], r.fallbacks.map((f) => [f.model, f.reason, num(f.count)]), [2]));
}

async function health(page) {
  const h = await api("/admin/api/health");
  page.append(el("h1", {}, "Latency and health"));
  page.append(el("div", { class: "cards" }, card("Gateway", h.status), card("Latency sample", num(h.latency_sample) + " requests")));
  const q = (x) => x ? `${x.p50} / ${x.p95} / ${x.p99}` : "–";
  page.append(el("h2", {}, "Models"), table(["Model", "Circuit", "Identity", "Degraded", "Answer ms p50/p95/p99", "First token ms p50/p95/p99"],
    (h.models || []).map((m) => {
      const lat = (h.latency || {})[m.id] || {};
      const id = m.identity;
      const identity = id ? `${(id.models || []).join(", ")}${(id.fingerprints || []).length ? " (" + id.fingerprints.join(", ") + ")" : ""}; ${id.state}, ${id.changes} changes` : "–";
      const degraded = m.degraded ? `fell ${m.degraded.quality_drop} (${m.degraded.signal})` : "no";
      return [m.id, m.circuit, identity, degraded, q(lat.answer_ms), q(lat.first_token_ms)];
    })));
  if ((h.unavailable || []).length) page.append(el("h2", {}, "Unavailable"), table(["Model", "Reason"], h.unavailable.map((u) => [u.id, u.reason])));
  page.append(el("h2", {}, "Circuit-breaker events (this instance)"), table(["Time (UTC)", "Model", "From", "To"],
    (h.breaker_events || []).map((e) => [new Date(e.time_ms).toISOString().slice(0, 19).replace("T", " "), e.model, e.from, e.to])));
}

async function frontier(page) {
  const f = await api("/admin/api/frontier?window=" + windowName);
  page.append(el("h1", {}, "The frontier, last " + windowName));
  const cards = el("div", { class: "cards" },
    card("Router file", f.router ? (f.router.version || "unversioned") : "none (config figures)"),
    card("Fitted", f.router ? f.router.fitted_at : "–"));
  if (f.candidate) cards.append(card(f.candidate.role === "experiment" ? "Experiment candidate" : "Shadow candidate", f.candidate.version || "unversioned"));
  if (f.guard) cards.append(card("Guard", f.guard.state + (f.guard.reason ? ": " + f.guard.reason : ""), f.guard.state === "running" ? "good" : ""));
  page.append(cards);
  // The server draws the chart (the SVG frontier analyze draws); an SVG shown as an image runs no script.
  const image = el("img", { id: "frontier-chart", alt: "Cost and quality of the router's models and of live traffic",
    src: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(f.svg) });
  page.append(el("div", { class: "chart", "data-chart": "Frontier" }, image));
  page.append(el("h2", {}, "Models that served traffic"), table(["Model", "Router id", "Requests", "Cost per request", "Estimated quality", "Live quality", "Scores", "By source"],
    f.served.map((m) => [m.model, m.router_id, num(m.requests), usd(m.cost_per_request_usd), m.estimated_quality.toFixed(3),
      m.live_quality === null ? "no scores yet" : m.live_quality.toFixed(3), num(m.scores),
      Object.entries(m.by_source).map(([s, v]) => `${s} ${v.mean === null ? "–" : v.mean.toFixed(2)} (${v.count})`).join(", ")]), [2, 3, 4, 5, 6]));
  if (f.guard) {
    const arm = (a) => `${num(a.requests)} requests, ${num(a.scores)} scores` + (a.mean_score === undefined ? "" : `, mean ${a.mean_score.toFixed(3)}`) + (a.mean_cost_usd === undefined ? "" : `, ${usd(a.mean_cost_usd)} each`);
    page.append(el("h2", {}, "The experiment's guard"), table(["Arm", "So far"], [["live", arm(f.guard.arms.live)], ["candidate", arm(f.guard.arms.candidate)]]));
    if (f.guard.quality_delta) page.append(el("p", {}, `Quality difference (candidate − live): ${f.guard.quality_delta.estimate.toFixed(3)}, 95 % interval ${f.guard.quality_delta.lower.toFixed(3)} to ${f.guard.quality_delta.upper.toFixed(3)}.`));
  }
  page.append(el("p", { class: "muted" }, "Cost per request is all in (fees, hosting and fine-tuning, as frontier report splits them). Live quality is the weighted mean of the scores that came back in the window (feedback, checks, graders, implicit signals, exploration grades); with none, the model sits at the router's estimate."));
}

async function keys(page) {
  page.append(el("h1", {}, "Keys and budgets"));
  const list = await api("/admin/keys").catch((e) => { if (e instanceof Unauthorized) throw e; return null; });
  if (!list) { page.append(el("p", { class: "muted" }, "Keys need auth: {admin_key: ...} in the config.")); return; }
  const usage = await api("/admin/api/routing?window=" + windowName);
  const byKey = Object.fromEntries(usage.by_key.map((k) => [k.key_id, k]));
  const created = el("div", { id: "created" });
  const name = el("input", { id: "new-key-name", required: "", placeholder: "team or app" });
  const budget = el("input", { id: "new-key-budget", type: "number", min: "0", step: "0.01", placeholder: "none" });
  const form = el("form", { class: "inline", id: "new-key" },
    el("label", {}, "Name", name), el("label", {}, "Budget (USD a month)", budget), el("button", { type: "submit" }, "Create key"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { name: name.value };
    if (budget.value !== "") body.budget_usd = Number(budget.value);
    try {
      const k = await api("/admin/keys", { method: "POST", body: JSON.stringify(body) });
      created.replaceChildren(el("p", {}, "The new key, shown once: copy it now."), el("div", { class: "secret", id: "new-key-secret" }, k.key));
    } catch (e) { created.replaceChildren(el("p", { class: "error" }, e.message)); }
  });
  page.append(form, created);
  const editor = el("div", { id: "edit-key" });
  // Edits what a key may spend and how fast: a field left empty stays as it is.
  function edit(k) {
    const fields = [["budget_usd", "Budget (USD a period)"], ["rpm", "Requests a minute"], ["tpm", "Tokens a minute"]];
    const inputs = Object.fromEntries(fields.map(([f]) => [f, el("input", { id: "edit-" + f, type: "number", min: "0", step: f === "budget_usd" ? "0.01" : "1", placeholder: "unchanged" })]));
    const message = el("span", { id: "edit-result", class: "muted" });
    const edits = el("form", { class: "inline" }, ...fields.map(([f, label]) => el("label", {}, label, inputs[f])), el("button", { type: "submit" }, "Save"), " ", message);
    edits.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = {};
      for (const [f] of fields) if (inputs[f].value !== "") body[f] = Number(inputs[f].value);
      try {
        await api("/admin/keys/" + encodeURIComponent(k.id), { method: "PATCH", body: JSON.stringify(body) });
        route();
      } catch (e) { message.textContent = e.message; message.className = "error"; }
    });
    editor.replaceChildren(el("h2", {}, "Edit " + k.name), edits);
  }
  const rows = [];
  for (const k of list.data) {
    const detail = await api("/admin/keys/" + encodeURIComponent(k.id)).catch(() => k);
    const revoke = el("button", { type: "button", class: "danger" }, "Revoke");
    revoke.addEventListener("click", async () => {
      if (!confirm("Revoke " + k.name + "? Requests with it are refused from now on.")) return;
      await api("/admin/keys/" + encodeURIComponent(k.id), { method: "DELETE" });
      route();
    });
    const change = el("button", { type: "button", "data-edit": k.id }, "Edit");
    change.addEventListener("click", () => edit(k));
    const u = usage.detail === "hourly" ? { requests: null, rate_limited: null } : byKey[k.id] || { requests: 0, rate_limited: 0 };
    rows.push([k.name, k.id, detail.active === false ? "revoked" : "active", usd(detail.spent_usd), usd(detail.reserved_usd),
      detail.remaining_usd === undefined ? "no budget" : usd(detail.remaining_usd), num(u.requests), num(u.rate_limited),
      detail.active === false ? "" : el("span", {}, change, " ", revoke)]);
  }
  page.append(el("h2", {}, "Keys"), table(["Name", "Id", "State", "Spent", "Reserved", "Remaining", "Requests (" + windowName + ")", "Rate-limited", ""], rows, [3, 4, 5, 6, 7]), editor);
}

async function audit(page, params) {
  page.append(el("h1", {}, "Audit"));
  const fields = ["id", "key", "model", "route", "status"];
  const inputs = Object.fromEntries(fields.map((f) => [f, el("input", { id: "search-" + f, value: params.get(f) || "" })]));
  const form = el("form", { class: "inline", id: "search" }, ...fields.map((f) => el("label", {}, f === "id" ? "Request id" : f, inputs[f])), el("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    for (const f of fields) if (inputs[f].value) q.set(f, inputs[f].value);
    location.hash = "#audit?" + q.toString();
  });
  const verify = el("button", { type: "button", id: "verify" }, "Verify the chain");
  const verdict = el("span", { id: "verify-result", class: "muted" });
  verify.addEventListener("click", async () => {
    verdict.textContent = "verifying…";
    try {
      const v = await api("/admin/api/audit/verify", { method: "POST" });
      verdict.textContent = v.ok ? `ok: ${num(v.records)} records, ${num(v.checkpoints)} checkpoints; the chain is intact` : "FAILED: " + v.problems.join("; ");
      verdict.className = v.ok ? "" : "error";
    } catch (e) { verdict.textContent = e.message; verdict.className = "error"; }
  });
  page.append(form, el("p", {}, verify, " ", verdict));
  const q = new URLSearchParams(params);
  const list = await api("/admin/api/requests?" + q.toString());
  const rows = list.requests.map((r) => [
    el("a", { class: "link", href: "#request/" + encodeURIComponent(r.request_id) }, r.request_id), time(r.time_ms), r.route, r.model || "–", String(r.status),
    usd(r.cost_usd), String(r.latency_ms), r.key_id || "–", (r.pii || []).join(", ")]);
  page.append(table(["Request", "Time", "Route", "Model", "Status", "Cost", "Latency ms", "Key", "PII"], rows, [5, 6]));
  if (list.next_before !== null && list.requests.length > 0) {
    const next = new URLSearchParams(params);
    next.set("before", String(list.next_before));
    page.append(el("p", {}, el("a", { class: "link", href: "#audit?" + next.toString() }, "Older")));
  }
}

async function request(page, id) {
  const r = await api("/admin/api/requests/" + encodeURIComponent(id));
  page.append(el("h1", {}, "Request " + r.request_id));
  for (const item of r.records) {
    const rec = item.record;
    const kind = rec.kind || "request";
    page.append(el("h2", {}, `${kind} record, chain position ${item.seq}`));
    if (kind === "request" || kind === "intent") {
      page.append(el("div", { class: "cards" }, card("Route", rec.route), card("Model", rec.model || "–"), card("Status", String(rec.status)),
        card("Latency", (rec.latency_ms || 0).toFixed(1) + " ms"), card("Decision", rec.decision || "–")));
      page.append(el("h2", {}, "Attempts"), table(["Model", "Outcome", "Input", "Output", "Cost", "First token ms", "Latency ms", "Error", "Checks"],
        (rec.attempts || []).map((a) => [a.model, a.outcome, num(a.input_tokens), num(a.output_tokens), usd(a.cost_usd),
          a.first_token_ms === undefined ? "–" : String(a.first_token_ms), String(a.latency_ms), a.error || "", a.checks ? JSON.stringify(a.checks) : ""]), [2, 3, 4, 5, 6]));
      if (rec.decision_detail) page.append(el("h2", {}, "Decision: every candidate's estimates and why others were excluded"), el("pre", { id: "decision-detail" }, JSON.stringify(rec.decision_detail, null, 2)));
    } else {
      page.append(el("pre", {}, JSON.stringify(rec, null, 2)));
    }
  }
  if (!r.records.some((item) => item.record.sealed_bodies)) {
    page.append(el("p", { class: "muted" }, "No prompt or answer text is shown: this record keeps none (ledger.store_bodies is off)."));
    return;
  }
  // Sealed text is opened only when asked, for this one record; the opening is itself a ledger event.
  const open = el("button", { type: "button", id: "open-bodies" }, "Open the prompt and answer (recorded in the ledger)");
  const bodies = el("div", { id: "bodies" });
  open.addEventListener("click", async () => {
    bodies.textContent = "opening…";
    try {
      const b = await api("/admin/api/requests/" + encodeURIComponent(id) + "/bodies", { method: "POST" });
      bodies.textContent = "";
      bodies.append(el("h2", {}, "Prompt"), el("pre", { id: "bodies-prompt" }, b.prompt === null ? "–" : b.prompt),
        el("h2", {}, "Answer"), el("pre", { id: "bodies-response" }, b.response === null ? "–" : b.response));
      for (const e of b.errors) bodies.append(el("h2", {}, `Attempt ${e.attempt} (${e.model}): the upstream's error`), el("pre", {}, e.text));
      for (const c of b.comments) bodies.append(el("h2", {}, "Feedback comment"), el("pre", {}, c.text));
      open.remove();
    } catch (e) { bodies.textContent = e.message; bodies.className = "error"; }
  });
  page.append(el("p", { class: "muted" }, "Prompt and answer are sealed; opening them adds a bodies_opened event to the chain."), open, bodies);
}

const PAGES = { overview, routing, health, frontier, keys, audit };
async function route() {
  const page = document.getElementById("page");
  const error = document.getElementById("error");
  error.textContent = "";
  const hash = location.hash.slice(1) || "overview";
  const [name, query] = hash.split("?");
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.getAttribute("href") === "#" + name.split("/")[0]));
  document.querySelectorAll("#windows button").forEach((b) => b.classList.toggle("active", b.dataset.window === windowName));
  const next = el("section", { id: "page", "data-page": name.split("/")[0] });
  try {
    if (name.startsWith("request/")) await request(next, decodeURIComponent(name.slice(8)));
    else await (PAGES[name] || overview)(next, new URLSearchParams(query || ""));
    page.replaceWith(next);
    showApp();
  } catch (e) {
    if (e instanceof Unauthorized) { showLogin(sessionStorage.getItem(KEY) ? e.message : ""); return; }
    error.textContent = e.message;
  }
}

function showApp() {
  document.getElementById("login").hidden = true;
  for (const id of ["nav", "windows", "logout"]) document.getElementById(id).hidden = false;
  document.getElementById("page").hidden = false;
}
function showLogin(message) {
  sessionStorage.removeItem(KEY);
  document.getElementById("login").hidden = false;
  for (const id of ["nav", "windows", "logout", "page"]) document.getElementById(id).hidden = true;
  document.getElementById("login-error").textContent = message || "";
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, document.getElementById("login-key").value);
    document.getElementById("login-key").value = "";
    route();
  });
  document.getElementById("logout").addEventListener("click", () => { showLogin(""); });
  document.querySelectorAll("#windows button").forEach((b) => b.addEventListener("click", () => { windowName = b.dataset.window; route(); }));
  window.addEventListener("hashchange", route);
  route();
});
"""#
}
