import Foundation

/// One row per outcome set, for `frontier fit A B C` and `frontier analyze A B C`:
/// the router's AIQ beside the zero router's on each set's held-out prompts,
/// so a set where routing loses to a pinned model stands out.
public struct SetTable: Sendable {
    public struct Row: Sendable {
        public var name: String
        public var prompts: Int
        public var models: Int
        /// What the fitted router reads (its plan's signals); nil without a router, or with one fitted before plans.
        public var signal: String?
        /// nil without a router.
        public var router: Double?
        public var zero: Double
        public var oracle: Double
        /// The router's cost to reach the best single model's quality, as a share of that model's cost.
        public var matchBest: Double?
        public var seconds: Double?

        public init(
            name: String, prompts: Int, models: Int, signal: String? = nil, router: Double?, zero: Double, oracle: Double,
            matchBest: Double?, seconds: Double? = nil
        ) {
            self.name = name
            self.prompts = prompts
            self.models = models
            self.signal = signal
            self.router = router
            self.zero = zero
            self.oracle = oracle
            self.matchBest = matchBest
            self.seconds = seconds
        }
    }

    public var rows: [Row] = []

    public init() {}

    public var table: String {
        let widths = [24, 9, 7, 20, 8, 8, 8, 8, 14, 7]
        var lines = [Fmt.row(["set", "prompts", "models", "signal", "router", "zero", "gain", "oracle", "match best at", "time s"], widths)]
        for row in rows {
            lines.append(Fmt.row([
                row.name, "\(row.prompts)", "\(row.models)", row.signal ?? "-", row.router.map(Fmt.q) ?? "-", Fmt.q(row.zero),
                row.router.map { String(format: "%+.4f", $0 - row.zero) } ?? "-", Fmt.q(row.oracle),
                row.router == nil ? "-" : row.matchBest.map(Fmt.pct) ?? "not reached", row.seconds.map { String(format: "%.1f", $0) } ?? "-",
            ], widths))
        }
        lines.append("")
        lines.append("router / zero: AIQ of the fitted router and of the best fixed model at each cost (hull of the models), on each set's prompts")
        lines.append("  (a fitted router's held-out part only, when the router was fitted on that set);")
        lines.append("signal: what the fitted router reads in some domain and cost region (the fit's plan).")
        lines.append("match best at: the router's cost to reach the best single model's quality, as a share of that model's cost.")
        return lines.joined(separator: "\n")
    }
}

extension SetTable.Row {
    /// A `frontier fit` row: the fit's held-out report.
    public init(name: String, fit report: FitReport, models: Int, seconds: Double) {
        let best = report.best
        self.init(
            name: name, prompts: report.testPrompts, models: models, signal: report.signal, router: report.aiq(report.router),
            zero: report.aiq(report.zeroRouter), oracle: report.oracle.quality,
            matchBest: best.flatMap { b in report.router.cost(toReach: b.quality).map { $0 / max(b.cost, .leastNonzeroMagnitude) } },
            seconds: seconds)
    }

    /// A `frontier analyze` row: the analysed prompts (a router's held-out part when it was fitted on this set).
    public init(name: String, analysis: Analysis, seconds: Double) {
        let best = analysis.best
        self.init(
            name: name, prompts: analysis.set.records.count, models: analysis.models.count, router: analysis.router.map { analysis.aiq($0.curve) },
            zero: analysis.aiq(analysis.zeroRouter), oracle: analysis.oracle.quality,
            matchBest: best.flatMap { b in analysis.router?.curve.cost(toReach: b.quality).map { $0 / max(b.cost, .leastNonzeroMagnitude) } },
            seconds: seconds)
    }
}
