public import FrontierCore
public import FrontierRouting

/// `frontier analyze`: the efficiency frontier of outcome data — each model's
/// mean cost and quality (overall and per domain), the zero router, the
/// oracle, a fitted router's curve, and the metrics of docs/metrics.md.
public struct Analysis: Sendable {
    public var dataName: String
    public var set: OutcomeSet
    public var models: [CostQualityPoint]
    public var domains: [(name: String, models: [CostQualityPoint], frontier: FrontierCurve)]
    public var zeroRouter: FrontierCurve
    public var oracle: CostQualityPoint
    /// AIQ is averaged over this range of mean cost per prompt: the cheapest to the costliest single model.
    public var costRange: ClosedRange<Double>
    public var best: CostQualityPoint?
    public var strong: String?
    public var weak: String?
    public var router: RouterResult?
    /// Fractions of the best single model's quality that "cost to reach" is reported for.
    public var reachTargets: [Double]
    /// The oracle as a strong/weak router (ranks by the real outcome): the ceiling for APGR.
    public var oracleStrongWeak: StrongWeakCurve?
    /// Cascade curves for checkers with these error rates (false accept = false reject).
    public var cascades: [(errorRate: Double, curve: FrontierCurve)] = []
    /// The learning loop's simulated curve, drawn as the report's last chart when given (`--learning-curve`).
    public var learningCurve: LearningCurve?

    public struct RouterResult: Sendable {
        public var name: String
        public var sweep: [TradeoffPoint]
        public var curve: FrontierCurve
        public var strongWeak: StrongWeakCurve?
        public var random: CostQualityPoint
    }

    public init(
        set: OutcomeSet, dataName: String, router: (name: String, file: RouterFile)? = nil, strong: String? = nil, weak: String? = nil,
        reachTargets: [Double] = [0.8, 0.9, 0.95, 1.0], cascadeErrorRates: [Double] = [0, 0.1, 0.2, 0.3],
        embeddings: [String: [Float]] = [:]
    ) {
        self.dataName = dataName
        self.set = set
        self.reachTargets = reachTargets
        models = set.modelPoints()
        zeroRouter = FrontierCurve(hullOf: models)
        oracle = set.oracle()
        let costs = models.map(\.cost)
        costRange = (costs.min() ?? 0)...(costs.max() ?? 0)
        best = models.max { $0.quality != $1.quality ? $0.quality < $1.quality : $0.cost > $1.cost }
        domains = set.domains.map { domain in
            let points = set.modelPoints(domain: domain)
            return (domain, points, FrontierCurve(hullOf: points))
        }
        let strongModel = strong ?? best?.label
        let weakModel = weak ?? models.min { $0.cost < $1.cost }?.label
        self.strong = strongModel
        self.weak = weakModel
        if let strongModel, let weakModel, strongModel != weakModel {
            let outcomes: [(rank: Double, strong: Double, weak: Double)] = set.records.compactMap { r in
                guard let s = r.results[strongModel]?.score, let w = r.results[weakModel]?.score else { return nil }
                return (s - w, s, w)
            }
            oracleStrongWeak = StrongWeakCurve(strong: strongModel, weak: weakModel, outcomes: outcomes)
        }
        cascades = cascadeErrorRates.map { rate in
            (rate, CascadeSimulation(falseAccept: rate, falseReject: rate).curve(on: set, models: models).curve)
        }
        if let router {
            let evaluation = RouterEvaluation(file: router.file, test: set, embeddings: embeddings)
            let sweep = evaluation.sweep()
            self.router = RouterResult(
                name: router.name, sweep: sweep,
                // The same curve `fit` reports: the λ sweep and pinning each model (the floor a deployment always has).
                curve: evaluation.curve(),
                strongWeak: strongModel.flatMap { s in weakModel.flatMap { w in s == w ? nil : evaluation.strongWeak(strong: s, weak: w) } },
                random: evaluation.randomRouter())
        }
    }

    public func aiq(_ curve: FrontierCurve) -> Double { curve.averageQuality(from: costRange.lowerBound, to: costRange.upperBound) }

    /// The least cost at which a curve reaches `fraction` of the best single model's quality.
    public func costToReach(_ fraction: Double, on curve: FrontierCurve) -> Double? {
        guard let best else { return nil }
        return curve.cost(toReach: best.quality * fraction - 1e-12)
    }
}
