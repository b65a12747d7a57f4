import Foundation
public import FrontierCore
public import FrontierRouting

/// A fitted router replayed on outcome data it was not fitted on: for each
/// prompt, the router's estimates per model (the serve path's features,
/// classifier and predictor), then for each λ of a sweep the model that
/// maximises quality − λ·cost, scored by what that model really got.
///
/// Offline, expected cost per model is its mean cost in the predicted domain
/// (training split); online it is the catalog price times the token estimate.
public struct RouterEvaluation: Sendable {
    /// λ = 0 (best quality), then 10^(k/8) for k = 0...64 (1 to 10^8 quality points per dollar).
    public static let lambdas: [Double] = [0] + (0...64).map { pow(10, Double($0) / 8) }

    struct Prompt {
        var models: [Int]
        var quality: [Double]
        var cost: [Double]
        var actualScore: [Double]
        var actualCost: [Double]
    }

    let models: [String]
    let prompts: [Prompt]

    public init(file: RouterFile, test: OutcomeSet, usePredictor: Bool = true) {
        let extractor = FeatureExtractor(classifier: file.classifier, predictor: usePredictor ? file.predictor : nil)
        let fitted = Dictionary(file.models.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let models = file.models.map(\.id)
        self.models = models
        prompts = test.records.map { record in
            let features = extractor.features(ofText: record.prompt)
            let domain = features.domain?.domain
            var prompt = Prompt(models: [], quality: [], cost: [], actualScore: [], actualCost: [])
            for (k, id) in models.enumerated() {
                guard let outcome = record.results[id], let model = fitted[id] else { continue }
                prompt.models.append(k)
                prompt.quality.append(features.predictedQuality[id] ?? model.quality(for: domain))
                prompt.cost.append(model.cost(for: domain))
                prompt.actualScore.append(outcome.score)
                prompt.actualCost.append(outcome.costUSD ?? model.cost(for: domain))
            }
            return prompt
        }
    }

    /// The router's mean cost and quality at one λ.
    public func point(lambda: Double) -> TradeoffPoint {
        var score = 0.0, cost = 0.0, n = 0
        for prompt in prompts where !prompt.models.isEmpty {
            var best = 0
            for i in prompt.models.indices.dropFirst() {
                let a = ModelRouter.balancedScore(quality: prompt.quality[i], costUSD: prompt.cost[i], lambda: lambda)
                let b = ModelRouter.balancedScore(quality: prompt.quality[best], costUSD: prompt.cost[best], lambda: lambda)
                if a > b || (a == b && prompt.cost[i] < prompt.cost[best]) { best = i }
            }
            score += prompt.actualScore[best]
            cost += prompt.actualCost[best]
            n += 1
        }
        let count = Double(max(n, 1))
        return TradeoffPoint(lambda: lambda, costUSD: cost / count, quality: score / count)
    }

    public func sweep() -> [TradeoffPoint] { Self.lambdas.map(point(lambda:)) }

    /// The hull of the router's operating points: its λ sweep, and pinning each single model (an operating point
    /// any deployment has: name the model), so the router's curve is never below the zero router's.
    public func curve(label: String = "router") -> FrontierCurve {
        let swept = sweep().map { CostQualityPoint(label: "\(label) λ=\(Self.format($0.lambda))", cost: $0.costUSD, quality: $0.quality) }
        return FrontierCurve(hullOf: swept + pinned())
    }

    /// Each model alone, over the prompts it has results for.
    func pinned() -> [CostQualityPoint] {
        models.indices.compactMap { k in
            var score = 0.0, cost = 0.0, n = 0
            for prompt in prompts {
                guard let i = prompt.models.firstIndex(of: k) else { continue }
                score += prompt.actualScore[i]
                cost += prompt.actualCost[i]
                n += 1
            }
            return n == 0 ? nil : CostQualityPoint(label: "pinned \(models[k])", cost: cost / Double(n), quality: score / Double(n))
        }
    }

    /// Picking a model at random on each prompt, in expectation.
    public func randomRouter() -> CostQualityPoint {
        var score = 0.0, cost = 0.0, n = 0
        for prompt in prompts where !prompt.models.isEmpty {
            score += prompt.actualScore.reduce(0, +) / Double(prompt.models.count)
            cost += prompt.actualCost.reduce(0, +) / Double(prompt.models.count)
            n += 1
        }
        return CostQualityPoint(label: "random", cost: cost / Double(max(n, 1)), quality: score / Double(max(n, 1)), count: n)
    }

    /// The router as a strong/weak binary router: prompts ranked by the predicted gain of the strong model.
    public func strongWeak(strong: String, weak: String) -> StrongWeakCurve? {
        guard let s = models.firstIndex(of: strong), let w = models.firstIndex(of: weak) else { return nil }
        let outcomes: [(rank: Double, strong: Double, weak: Double)] = prompts.compactMap { prompt in
            guard let i = prompt.models.firstIndex(of: s), let j = prompt.models.firstIndex(of: w) else { return nil }
            return (prompt.quality[i] - prompt.quality[j], prompt.actualScore[i], prompt.actualScore[j])
        }
        return StrongWeakCurve(strong: strong, weak: weak, outcomes: outcomes)
    }

    /// Mean log loss and Brier score of the quality estimates against the real scores.
    public func calibration() -> (logLoss: Double, brier: Double, count: Int) {
        var logLoss = 0.0, brier = 0.0, n = 0
        for prompt in prompts {
            for i in prompt.models.indices {
                let p = min(max(prompt.quality[i], 1e-6), 1 - 1e-6), y = prompt.actualScore[i]
                logLoss -= y * log(p) + (1 - y) * log(1 - p)
                brier += (p - y) * (p - y)
                n += 1
            }
        }
        return (logLoss / Double(max(n, 1)), brier / Double(max(n, 1)), n)
    }

    static func format(_ lambda: Double) -> String { lambda == 0 ? "0" : String(format: "%.3g", lambda) }
}
