/// The dashboard's page and style sheet, compiled into the binary (an air-gapped network has nothing to fetch
/// them from). The script is in DashboardAssets+Script.swift. No inline script or style: the
/// Content-Security-Policy forbids both.
enum DashboardAssets {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Frontier</title>
<link rel="stylesheet" href="/ui/app.css">
<script src="/ui/app.js" defer></script>
</head>
<body>
<header>
  <span class="brand">Frontier</span>
  <nav id="nav" hidden>
    <a href="#overview">Overview</a>
    <a href="#routing">Routing</a>
    <a href="#health">Latency and health</a>
    <a href="#frontier">Frontier</a>
    <a href="#keys">Keys and budgets</a>
    <a href="#audit">Audit</a>
  </nav>
  <span class="grow"></span>
  <span id="windows" hidden>
    <button type="button" data-window="1h">1 h</button>
    <button type="button" data-window="24h">24 h</button>
    <button type="button" data-window="7d">7 d</button>
    <button type="button" data-window="30d">30 d</button>
  </span>
  <button type="button" id="logout" hidden>Sign out</button>
</header>
<main>
  <section id="login" hidden>
    <h1>Sign in</h1>
    <p>The dashboard needs the gateway's admin key (<code>auth.admin_key</code>). It is kept in this tab only and sent as a header.</p>
    <form id="login-form" autocomplete="off">
      <label>Admin key <input type="password" id="login-key" required></label>
      <button type="submit">Sign in</button>
    </form>
    <p id="login-error" class="error" role="alert"></p>
  </section>
  <section id="page" hidden></section>
  <p id="error" class="error" role="alert"></p>
</main>
</body>
</html>
"""#

    static let style = #"""
:root { --fg: #1d2330; --muted: #667085; --line: #d9dde5; --bg: #f6f7f9; --card: #fff; --accent: #2f6fde; --good: #1a7f4b; --bad: #c0392b; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: var(--card); border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.brand { font-weight: 700; font-size: 16px; }
nav a { color: var(--fg); text-decoration: none; padding: 6px 8px; border-radius: 6px; }
nav a.active, nav a:hover { background: var(--bg); color: var(--accent); }
.grow { flex: 1; }
button { font: inherit; padding: 5px 10px; border: 1px solid var(--line); background: var(--card); border-radius: 6px; cursor: pointer; }
button.active { border-color: var(--accent); color: var(--accent); }
button.danger { color: var(--bad); }
main { padding: 20px; max-width: 1200px; margin: 0 auto; }
h1 { font-size: 20px; margin: 0 0 16px; }
h2 { font-size: 15px; margin: 24px 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 20px; font-weight: 600; margin-top: 4px; overflow-wrap: anywhere; }
.card .value.good { color: var(--good); }
.chart { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px; margin-top: 12px; }
.chart svg, .chart img { width: 100%; height: auto; display: block; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; color: var(--muted); font-size: 12px; padding: 4px 8px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; background: var(--card); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; font-size: 12px; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
form.inline { display: flex; gap: 8px; flex-wrap: wrap; align-items: end; margin: 8px 0; }
form.inline label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
input, select { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; }
pre { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px; overflow: auto; max-height: 420px; font-size: 12px; }
.error { color: var(--bad); }
.muted { color: var(--muted); }
.secret { font-family: ui-monospace, monospace; background: #fff8e1; padding: 8px; border: 1px solid #f0d27a; border-radius: 6px; word-break: break-all; }
a.link { color: var(--accent); cursor: pointer; text-decoration: underline; }
"""#
}
