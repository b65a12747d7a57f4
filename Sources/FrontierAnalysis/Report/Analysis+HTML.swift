import Foundation

extension Analysis {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]

    /// `report.html`: one self-contained page of inline SVG charts (see README, "The analysis report").
    public var html: String {
        var charts: [String] = []
        // 1. Models and frontiers, log cost.
        var scatter = SVGChart(title: "Models on cost and quality (log cost)", xLabel: "mean cost per prompt, USD (log scale)", yLabel: "mean quality", logX: true)
        scatter.series.append(.init(name: "models", color: "#555555", points: models.map { ($0.cost, $0.quality, $0.label) }, line: false))
        scatter.series.append(.init(name: "zero router", color: Self.palette[0], points: zeroRouter.vertices.map { ($0.cost, $0.quality, nil) }, line: true, dots: false))
        if let router {
            scatter.series.append(.init(name: router.name, color: Self.palette[1], points: router.curve.vertices.map { ($0.cost, $0.quality, nil) }, line: true, dots: false))
        }
        scatter.series.append(.init(name: "oracle", color: Self.palette[2], points: [(oracle.cost, oracle.quality, "oracle")], line: false))
        charts.append(section("Models and the efficiency frontier", scatter.render(id: "chart-models"),
            "Each grey dot is a model's mean cost and quality. The blue line is the zero router (the non-decreasing convex hull of the models)\(router == nil ? "" : "; the red line is the fitted router's hull"); green is the oracle."))

        // 2. Router curves on the linear cost axis AIQ integrates over.
        var curves = SVGChart(title: "Router curves over the AIQ range (linear cost)", xLabel: "mean cost per prompt, USD", yLabel: "mean quality", logX: false)
        curves.xRange = costRange
        curves.series.append(.init(name: "zero router (AIQ \(Fmt.q(aiq(zeroRouter))))", color: Self.palette[0], points: zeroRouter.vertices.map { ($0.cost, $0.quality, nil) }, line: true))
        if let router {
            curves.series.append(.init(name: "\(router.name) (AIQ \(Fmt.q(aiq(router.curve))))", color: Self.palette[1], points: router.curve.vertices.map { ($0.cost, $0.quality, nil) }, line: true))
            curves.series.append(.init(name: "\(router.name) sweep", color: "#f4a3a3", points: router.sweep.map { ($0.costUSD, $0.quality, nil) }, line: false))
        }
        let cascadeColors = ["#ff7f0e", "#e8a33d", "#bcbd22", "#8c564b"]
        for (n, (rate, curve)) in cascades.enumerated() {
            curves.series.append(.init(
                name: "cascade, checker errs \(Fmt.pct(rate)) (AIQ \(Fmt.q(aiq(curve))))", color: cascadeColors[n % cascadeColors.count],
                points: curve.vertices.map { ($0.cost, $0.quality, nil) }, line: true, dots: false))
        }
        charts.append(section("Router and cascade curves", curves.render(id: "chart-curves"),
            "Quality reachable at each budget on the linear cost axis over which AIQ is averaged. Dots are the router's settings of λ; the line is their hull. The orange-to-brown lines are cascades (model pairs and triples, cheapest first) with a checker that errs at 0, 10, 20 and 30%: a cascade beats the router only while its checker is accurate."))

        // 3. PGR for the strong/weak pair.
        if let strong, let weak, let oracleStrongWeak {
            var pgr = SVGChart(title: "Performance gap recovered: \(strong) over \(weak)", xLabel: "share of calls to the strong model", yLabel: "PGR", logX: false)
            pgr.xRange = 0...1
            pgr.yRange = -0.1...1.3
            func points(_ c: StrongWeakCurve) -> [(x: Double, y: Double, label: String?)] {
                let n = c.pgr.count - 1
                let step = max(1, n / 200)
                return stride(from: 0, through: n, by: step).map { (Double($0) / Double(max(n, 1)), c.pgr[$0], nil) }
            }
            pgr.series.append(.init(name: "random (APGR 0.5)", color: "#7f7f7f", points: [(0, 0, nil), (1, 1, nil)], line: true, dots: false))
            pgr.series.append(.init(name: "oracle (APGR \(Fmt.q(oracleStrongWeak.apgr)))", color: Self.palette[2], points: points(oracleStrongWeak), line: true, dots: false))
            if let sw = router?.strongWeak, let name = router?.name {
                pgr.series.append(.init(name: "\(name) (APGR \(Fmt.q(sw.apgr)))", color: Self.palette[1], points: points(sw), line: true, dots: false))
            }
            charts.append(section("Strong and weak model", pgr.render(id: "chart-pgr"),
                "Prompts ranked by the router's predicted gain from the strong model; the curve shows the share of the quality gap recovered as more calls go to it."))
        }

        // 4. Per-domain frontiers.
        var small: [String] = []
        for (n, d) in domains.enumerated() {
            var chart = SVGChart(title: d.name, xLabel: "USD per prompt (log)", yLabel: "quality", logX: true, width: 440, height: 300)
            chart.legend = false
            chart.series.append(.init(name: "models", color: "#555555", points: d.models.map { ($0.cost, $0.quality, d.frontier.vertices.contains($0) ? $0.label : nil) }, line: false))
            chart.series.append(.init(name: "frontier", color: Self.palette[n % Self.palette.count], points: d.frontier.vertices.map { ($0.cost, $0.quality, nil) }, line: true, dots: false))
            small.append(chart.render(id: "chart-domain-\(n)"))
        }
        charts.append(section("Frontier per domain", "<div class=\"grid\">" + small.joined() + "</div>",
            "The same scatter per domain (grey dots: models; line: that domain's frontier), labelled where a model is on it: the best model differs by domain."))

        if let learningCurve {
            let spend = learningCurve.explorationShare.map { ", exploration at \(Fmt.pct($0)) of serving spend" } ?? ""
            charts.append(section("The learning curve", learningCurve.chart(),
                "The router the learning loop promotes each simulated week (\(learningCurve.perWeek) requests a week\(spend)), scored on prompts it never served: the mean of \(learningCurve.runs) runs from different seed samples, the lowest and highest run, and the router fitted on every model's answer to every training prompt (docs/learning.md)."))
        }

        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Frontier analysis: \(SVGChart.escape(dataName))</title>
            <style>
            body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; max-width: 1400px; }
            h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
            \(SVGChart.style)
            .grid { display: flex; flex-wrap: wrap; gap: 8px; } table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: right; }
            td:first-child, th:first-child { text-align: left; } p.note { color: #555; max-width: 900px; }
            </style></head><body>
            <h1>Frontier analysis: \(SVGChart.escape(dataName))</h1>
            <p>\(set.records.count) prompts, \(models.count) models. AIQ over $\(Fmt.usd(costRange.lowerBound))–$\(Fmt.usd(costRange.upperBound)) per prompt:
            zero router <b>\(Fmt.q(aiq(zeroRouter)))</b>\(router.map { ", \(SVGChart.escape($0.name)) <b>\(Fmt.q(aiq($0.curve)))</b>" } ?? "").</p>
            <pre>\(SVGChart.escape(table))</pre>
            \(charts.joined(separator: "\n"))
            </body></html>
            """
    }

    private func section(_ heading: String, _ body: String, _ note: String) -> String {
        "<section><h2>\(SVGChart.escape(heading))</h2>\(body)<p class=\"note\">\(SVGChart.escape(note))</p></section>"
    }
}
