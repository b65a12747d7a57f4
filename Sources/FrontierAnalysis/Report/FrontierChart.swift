public import FrontierRouting

/// The dashboard's frontier chart: the live router file's models and trade-off curve (as `frontier analyze`
/// draws them, with the same ``SVGChart``), the candidate's beside it, and the models that served traffic placed
/// at their live cost and, where scores came back, their live quality. One standalone SVG, shown as an image:
/// it carries its own style and no script.
public enum FrontierChart {
    /// A model as live traffic saw it.
    public struct Served: Sendable, Equatable {
        public var label: String
        public var costUSD: Double
        /// The live mean score, or the router's estimate when no score came back (`measured` false).
        public var quality: Double
        public var measured: Bool

        public init(label: String, costUSD: Double, quality: Double, measured: Bool) {
            self.label = label
            self.costUSD = costUSD
            self.quality = quality
            self.measured = measured
        }
    }

    public static func svg(live: RouterFrontier?, candidate: (name: String, frontier: RouterFrontier)?, served: [Served]) -> String {
        let costs = (live?.models.map(\.costUSD) ?? []) + (candidate?.frontier.models.map(\.costUSD) ?? []) + served.map(\.costUSD)
        // A log axis, as `frontier analyze` draws costs that span orders of magnitude, unless a cost is zero
        // (a local model with no hosting figure), which a log axis cannot place.
        let logX = !costs.isEmpty && costs.allSatisfy { $0 > 0 }
        var chart = SVGChart(
            title: "Cost and quality: the router's models, its curve, and live traffic",
            xLabel: logX ? "cost per request, USD (log scale)" : "cost per request, USD", yLabel: "quality", logX: logX, width: 900, height: 440)
        chart.standalone = true
        if let live {
            chart.series.append(.init(name: "router file models", color: "#555555", points: live.models.map { ($0.costUSD, $0.quality, $0.id) }, line: false))
            chart.series.append(.init(name: "router curve", color: Analysis.palette[1], points: live.tradeoff.map { ($0.costUSD, $0.quality, nil) }, line: true, dots: false))
        }
        if let candidate {
            chart.series.append(.init(
                name: "\(candidate.name) curve", color: Analysis.palette[3], points: candidate.frontier.tradeoff.map { ($0.costUSD, $0.quality, nil) },
                line: true, dots: false))
        }
        let measured = served.filter(\.measured), estimated = served.filter { !$0.measured }
        if !measured.isEmpty {
            chart.series.append(.init(name: "live: cost and scores", color: Analysis.palette[2], points: measured.map { ($0.costUSD, $0.quality, $0.label) }, line: false))
        }
        if !estimated.isEmpty {
            chart.series.append(.init(
                name: "live cost, estimated quality", color: Analysis.palette[0], points: estimated.map { ($0.costUSD, $0.quality, $0.label) }, line: false))
        }
        return chart.render(id: "frontier")
    }
}
