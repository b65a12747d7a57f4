import Foundation

/// One row per outcome set for `frontier fit A B C`: the fitted router's
/// held-out AIQ beside the zero router's, so a set where routing loses to a
/// pinned model stands out.
public struct FitSummary: Sendable {
    public struct Row: Sendable {
        public var name: String
        public var report: FitReport
        public var models: Int
        public var seconds: Double

        public init(name: String, report: FitReport, models: Int, seconds: Double) {
            self.name = name
            self.report = report
            self.models = models
            self.seconds = seconds
        }
    }

    public var rows: [Row] = []

    public init() {}

    public var table: String {
        let widths = [24, 9, 7, 10, 8, 8, 8, 8, 17, 7]
        var lines = [Fmt.row(["set", "held out", "models", "signal", "router", "zero", "gain", "oracle", "match best at", "fit s"], widths)]
        for row in rows {
            let report = row.report
            let router = report.aiq(report.router), zero = report.aiq(report.zeroRouter)
            let best = report.best
            let match = best.flatMap { report.router.cost(toReach: $0.quality) }.map { Fmt.pct($0 / max(best?.cost ?? 1, .leastNonzeroMagnitude)) } ?? "not reached"
            lines.append(Fmt.row([
                row.name, "\(report.testPrompts)", "\(row.models)", report.signal, Fmt.q(router), Fmt.q(zero),
                String(format: "%+.4f", router - zero), Fmt.q(report.oracle.quality), match, String(format: "%.1f", row.seconds),
            ], widths))
        }
        lines.append("")
        lines.append("router / zero: held-out AIQ of the fitted router and of the best fixed model at each cost (hull of the models);")
        lines.append("match best at: the router's cost to reach the best single model's quality, as a share of that model's cost.")
        return lines.joined(separator: "\n")
    }
}
