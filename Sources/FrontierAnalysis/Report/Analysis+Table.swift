import Foundation

extension Analysis {
    /// The terminal form: models, curves and metrics.
    public var table: String {
        var lines = ["\(dataName): \(set.records.count) prompts, \(models.count) models, \(set.domains.count) domains", ""]
        let widths = [26, 10, 14, 8]
        lines.append(Fmt.row(["model", "quality", "USD/prompt", "prompts"], widths))
        for m in models.sorted(by: { $0.quality > $1.quality }) {
            lines.append(Fmt.row([m.label, Fmt.q(m.quality), Fmt.usd(m.cost), String(m.count)], widths))
        }
        lines.append(Fmt.row(["oracle", Fmt.q(oracle.quality), Fmt.usd(oracle.cost), String(oracle.count)], widths))
        lines.append("")
        lines.append("zero router (hull of single models): " + zeroRouter.vertices.map(\.label).joined(separator: " -> "))
        lines.append("AIQ over $\(Fmt.usd(costRange.lowerBound)) - $\(Fmt.usd(costRange.upperBound)) per prompt: zero router \(Fmt.q(aiq(zeroRouter)))"
            + (router.map { ", \($0.name) \(Fmt.q(aiq($0.curve)))" } ?? ""))
        if let router {
            lines.append("\(router.name): peak quality \(router.curve.peakQuality.map(Fmt.q) ?? "-"); random router \(Fmt.q(router.random.quality)) at $\(Fmt.usd(router.random.cost))")
        }
        if let best {
            lines.append("")
            lines.append("cost per prompt to reach a share of \(best.label)'s quality (\(Fmt.q(best.quality)), $\(Fmt.usd(best.cost))):")
            var header = ["share", "zero router"]
            if let router { header.append(router.name) }
            lines.append(Fmt.row(header, [8, 26, 26]))
            for target in reachTargets {
                func cell(_ curve: FrontierCurve) -> String {
                    guard let c = costToReach(target, on: curve) else { return "not reached" }
                    return "$\(Fmt.usd(c)) (\(Fmt.pct(c / best.cost)))"
                }
                var row = [Fmt.pct(target), cell(zeroRouter)]
                if let router { row.append(cell(router.curve)) }
                lines.append(Fmt.row(row, [8, 26, 26]))
            }
        }
        if !cascades.isEmpty, let best {
            lines.append("")
            lines.append("cascades (every pair and triple of models, cheapest first) with a checker that errs at a given rate (false accept = false reject):")
            lines.append(Fmt.row(["checker error", "AIQ", "peak quality", "cost to match best", "chain at peak"], [15, 8, 14, 22, 40]))
            for (rate, curve) in cascades {
                let match = curve.cost(toReach: best.quality - 1e-12)
                lines.append(Fmt.row([
                    Fmt.pct(rate), Fmt.q(aiq(curve)), curve.peakQuality.map(Fmt.q) ?? "-",
                    match.map { "$\(Fmt.usd($0)) (\(Fmt.pct($0 / best.cost)))" } ?? "not reached", curve.vertices.last?.label ?? "-",
                ], [15, 8, 14, 22, 40]))
            }
        }
        if let strong, let weak, let oracleStrongWeak {
            lines.append("")
            lines.append("strong/weak pair: \(strong) / \(weak) (quality \(Fmt.q(oracleStrongWeak.qualityStrong)) / \(Fmt.q(oracleStrongWeak.qualityWeak)))")
            lines.append(Fmt.row(["ranking", "APGR", "CPT(50%)", "CPT(80%)"], [26, 10, 12, 12]))
            func row(_ name: String, _ c: StrongWeakCurve) -> String {
                Fmt.row([name, Fmt.q(c.apgr), c.callsToStrong(toRecover: 0.5).map(Fmt.pct) ?? "-", c.callsToStrong(toRecover: 0.8).map(Fmt.pct) ?? "-"], [26, 10, 12, 12])
            }
            if let sw = router?.strongWeak { lines.append(row(router?.name ?? "router", sw)) }
            lines.append(Fmt.row(["random", "0.5000", "50.0%", "80.0%"], [26, 10, 12, 12]))
            lines.append(row("oracle", oracleStrongWeak))
        }
        lines.append("")
        lines.append("per domain, frontier models (cheapest first):")
        for d in domains {
            let bestHere = d.models.max { $0.quality < $1.quality }
            lines.append("  \(d.name.padding(toLength: 18, withPad: " ", startingAt: 0)) " + d.frontier.vertices.map { "\($0.label) \(Fmt.q($0.quality))" }.joined(separator: " -> ")
                + (bestHere.map { "   (best: \($0.label))" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
