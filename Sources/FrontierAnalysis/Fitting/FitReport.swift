import Foundation
import FrontierCore
public import FrontierRouting

/// What `frontier fit` prints: the fitted router on the held-out prompts
/// beside the random router, the zero router, the best single model and the oracle.
public struct FitReport: Sendable {
    public var testPrompts: Int
    public var costRange: ClosedRange<Double>
    public var singleModels: [CostQualityPoint]
    public var random: CostQualityPoint
    public var oracle: CostQualityPoint
    public var zeroRouter: FrontierCurve
    public var router: FrontierCurve
    public var domainOnlyRouter: FrontierCurve
    public var calibration: (logLoss: Double, brier: Double)
    public var domainOnlyCalibration: (logLoss: Double, brier: Double)
    public var setting: QualityPredictorFitter
    public var blend: Float
    /// What the file reads (``SignalPlan/summary``).
    public var signal = "prompt"
    /// The one signal cross-validation would choose for every prompt and cost, and each one's mean AIQ over the folds.
    public var overallSignal = "prompt"
    public var signalScores: [(signal: String, aiq: Double)] = []
    public var plan: SignalPlan?
    /// The predictors over embeddings tried on the validation split, with the Brier score of each one's estimates.
    public var embeddingPredictorScores: [(name: String, brier: Double)] = []

    init(file: RouterFile, test: OutcomeSet, evaluation: RouterEvaluation, domainOnly: RouterEvaluation, setting: QualityPredictorFitter, blend: Float) {
        self.setting = setting
        self.blend = blend
        testPrompts = test.records.count
        singleModels = test.modelPoints()
        let costs = singleModels.map(\.cost)
        costRange = (costs.min() ?? 0)...(costs.max() ?? 0)
        random = evaluation.randomRouter()
        oracle = test.oracle()
        zeroRouter = FrontierCurve(hullOf: singleModels)
        router = evaluation.curve()
        domainOnlyRouter = domainOnly.curve(label: "domain-only")
        let c = evaluation.calibration(), d = domainOnly.calibration()
        calibration = (c.logLoss, c.brier)
        domainOnlyCalibration = (d.logLoss, d.brier)
    }

    /// The plan: its signals, then a line per cost region with the domains that read another signal than the region's.
    static func describe(_ plan: SignalPlan) -> [String] {
        var lines = ["signals read, chosen per domain and cost region (a richer signal only where it wins there by two standard errors, four if richer than the overall choice): \(plan.summary)"]
        for (n, region) in plan.regions.enumerated() {
            let upper = n + 1 < plan.regions.count ? RouterEvaluation.format(plan.regions[n + 1].fromLambda) : "∞"
            let exceptions = region.byDomain.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }
            lines.append("  λ \(RouterEvaluation.format(region.fromLambda))-\(upper): \(region.otherwise.rawValue)"
                + (exceptions.isEmpty ? "" : "; " + exceptions.joined(separator: ", ")))
        }
        return lines
    }

    public var best: CostQualityPoint? { singleModels.max { $0.quality < $1.quality } }

    public func aiq(_ curve: FrontierCurve) -> Double { curve.averageQuality(from: costRange.lowerBound, to: costRange.upperBound) }

    public var table: String {
        var lines = ["held-out prompts: \(testPrompts); AIQ over mean cost per prompt $\(Fmt.usd(costRange.lowerBound)) - $\(Fmt.usd(costRange.upperBound))", ""]
        lines.append(Fmt.row(["", "AIQ", "peak quality", "cost at peak", "cost to match best"], [28, 8, 13, 13, 20]))
        let bestQuality = best?.quality ?? 1
        func curveRow(_ name: String, _ curve: FrontierCurve) -> String {
            let peak = curve.vertices.last
            let match = curve.cost(toReach: bestQuality)
            return Fmt.row([
                name, Fmt.q(aiq(curve)), peak.map { Fmt.q($0.quality) } ?? "-", peak.map { "$" + Fmt.usd($0.cost) } ?? "-",
                match.map { "$" + Fmt.usd($0) + " (" + Fmt.pct($0 / (best?.cost ?? 1)) + ")" } ?? "not reached",
            ], [28, 8, 13, 13, 20])
        }
        lines.append(curveRow("fitted router", router))
        lines.append(curveRow("  same, domain means only", domainOnlyRouter))
        lines.append(curveRow("zero router (model hull)", zeroRouter))
        lines.append(Fmt.row(["random router", "-", Fmt.q(random.quality), "$" + Fmt.usd(random.cost), "-"], [28, 8, 13, 13, 20]))
        lines.append(Fmt.row(["oracle", "-", Fmt.q(oracle.quality), "$" + Fmt.usd(oracle.cost), "-"], [28, 8, 13, 13, 20]))
        if let best {
            lines.append(Fmt.row(["best single: \(best.label)", "-", Fmt.q(best.quality), "$" + Fmt.usd(best.cost), "$" + Fmt.usd(best.cost) + " (100%)"], [28, 8, 13, 13, 20]))
        }
        lines.append("")
        lines.append("chosen on the validation split: per-prompt share \(blend), predictor epochs \(setting.epochs), rate \(setting.learningRate), L2 \(setting.l2)"
            + (setting.difficulty ? ", with difficulty features" : ", words only"))
        if !signalScores.isEmpty {
            lines.append("signal chosen by cross-validation over the training prompts: \(overallSignal) ("
                + signalScores.map { "\($0.signal) \(Fmt.q($0.aiq))" }.joined(separator: ", ") + " mean AIQ; a richer signal must win by more than twice its standard error, and earn more over all costs)")
        }
        if !embeddingPredictorScores.isEmpty {
            let best = embeddingPredictorScores.min { $0.brier < $1.brier }
            lines.append("predictor over embeddings chosen on the validation split: \(best?.name ?? "-") (Brier "
                + embeddingPredictorScores.map { "\($0.name) \(Fmt.q($0.brier))" }.joined(separator: ", ") + ")")
        }
        if let plan { lines.append(contentsOf: Self.describe(plan)) }
        lines.append("quality estimates on held-out prompts: log loss \(Fmt.q(calibration.logLoss)), Brier \(Fmt.q(calibration.brier)) "
            + "(per-domain means: \(Fmt.q(domainOnlyCalibration.logLoss)), \(Fmt.q(domainOnlyCalibration.brier)))")
        return lines.joined(separator: "\n")
    }
}

/// Number formats shared by the terminal tables.
enum Fmt {
    static func q(_ v: Double) -> String { String(format: "%.4f", v) }
    static func usd(_ v: Double) -> String { v >= 0.01 ? String(format: "%.4f", v) : String(format: "%.7f", v) }
    static func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
    static func row(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).map { cell, width in cell.count >= width ? cell + " " : cell.padding(toLength: width, withPad: " ", startingAt: 0) }.joined()
    }
}
