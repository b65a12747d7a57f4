import Foundation

extension CostReport {
    static func usd(_ v: Double) -> String { v >= 100 ? String(format: "%.2f", v) : v >= 0.01 ? String(format: "%.4f", v) : String(format: "%.6f", v) }

    public func table(by dimension: Dimension) -> String {
        let period = "\(Self.date(fromMs)) to \(Self.date(toMs))"
        var lines = [
            "total cost of intelligence, \(period): \(requests) requests",
            "",
            "  API and token fees   $\(Self.usd(apiUSD))",
            "  hosting              $\(Self.usd(hostingUSD))",
            "  fine-tuning          $\(Self.usd(fineTuningUSD))",
        ]
        if explorations > 0 {
            lines.append("  exploration          $\(Self.usd(explorationUSD))   (\(explorations) second answers, router.explore: the operator's, no key's)")
        }
        lines += [
            "  total                $\(Self.usd(totalUSD))   ($\(Self.usd(perRequestUSD)) per request, $\(Self.usd(perRequestUSD * 1000)) per 1k requests)",
        ]
        if idleUSD > 0 { lines.append("  (of which $\(Self.usd(idleUSD)) for models that served nothing in the period)") }
        if let reference, let counterfactual = counterfactualUSD, let savings = savingsUSD {
            let share = counterfactual > 0 ? String(format: " (%.1f%%)", savings / counterfactual * 100) : ""
            lines.append("")
            lines.append("  the same answers on \(reference): $\(Self.usd(counterfactual)); routing saved $\(Self.usd(savings))\(share)")
        }
        lines.append("")
        let widths = [28, 10, 14, 14, 14, 14]
        func row(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.count >= $1 ? $0 + " " : $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()
        }
        lines.append(row([dimension.rawValue, "requests", "API", "hosting", "fine-tuning", "total"]))
        for r in rows {
            lines.append(row([r.group, String(r.requests), "$" + Self.usd(r.apiUSD), "$" + Self.usd(r.hostingUSD), "$" + Self.usd(r.fineTuningUSD), "$" + Self.usd(r.totalUSD)]))
        }
        return lines.joined(separator: "\n")
    }

    public func html(by dimension: Dimension) -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") }
        let rowsHTML = rows.map { r in
            "<tr><td>\(esc(r.group))</td><td>\(r.requests)</td><td>$\(Self.usd(r.apiUSD))</td><td>$\(Self.usd(r.hostingUSD))</td><td>$\(Self.usd(r.fineTuningUSD))</td><td>$\(Self.usd(r.totalUSD))</td></tr>"
        }.joined()
        let counterfactual = counterfactualUSD.map { c in
            "<p>The same answers on <b>\(esc(reference ?? ""))</b>: $\(Self.usd(c)); routing saved <b>$\(Self.usd(savingsUSD ?? 0))</b>.</p>"
        } ?? ""
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Frontier cost report</title>
            <style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}td,th{padding:3px 12px;text-align:right;border-bottom:1px solid #eee}td:first-child,th:first-child{text-align:left}</style>
            </head><body><h1>Total cost of intelligence</h1>
            <p>\(Self.date(fromMs)) to \(Self.date(toMs)): \(requests) requests.</p>
            <table><tr><th>part</th><th>USD</th></tr><tr><td>API and token fees</td><td>$\(Self.usd(apiUSD))</td></tr>
            <tr><td>hosting</td><td>$\(Self.usd(hostingUSD))</td></tr><tr><td>fine-tuning</td><td>$\(Self.usd(fineTuningUSD))</td></tr>
            <tr><td>exploration (\(explorations) second answers, the operator's)</td><td>$\(Self.usd(explorationUSD))</td></tr>
            <tr><th>total</th><th>$\(Self.usd(totalUSD))</th></tr><tr><td>per request</td><td>$\(Self.usd(perRequestUSD))</td></tr>
            <tr><td>per 1k requests</td><td>$\(Self.usd(perRequestUSD * 1000))</td></tr></table>
            \(counterfactual)
            <h2>By \(dimension.rawValue)</h2>
            <table><tr><th>\(dimension.rawValue)</th><th>requests</th><th>API</th><th>hosting</th><th>fine-tuning</th><th>total</th></tr>\(rowsHTML)</table>
            </body></html>
            """
    }

    static func date(_ ms: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
