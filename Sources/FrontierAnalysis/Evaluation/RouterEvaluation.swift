import Foundation
import FrontierCore
public import FrontierRouting

/// A fitted router replayed on outcome data it was not fitted on: for each
/// prompt, the router's estimates per model, then for each λ of a sweep the
/// model `serve` would pick with `objective: balanced` at that λ, scored by
/// what that model really got.
///
/// One selection path: the estimates come from ``ModelRouter/estimate(_:_:observed:)``
/// over the serve path's features (classifier, quality predictor, output-length
/// model: tokens × price, as online) and the choice from ``ModelRouter/prefers(_:over:objective:lambda:)``,
/// the comparison `serve` sorts by. Prices are the file's, inferred from the
/// data's token counts and costs; where the data has no token counts, a model's
/// expected cost is its mean cost in the predicted domain instead.
public struct RouterEvaluation: Sendable {
    /// λ = 0 (best quality), then 10^(k/8) for k = 0...64 (1 to 10^8 quality points per dollar).
    public static let lambdas: [Double] = [0] + (0...64).map { pow(10, Double($0) / 8) }
    /// The λ whose plan region the calibration and strong/weak figures read: `router.lambda`'s default.
    static let reportLambda = ModelRouter(models: []).lambda

    struct Prompt {
        /// The domain the classifier predicts (what the plan looks up).
        var domain: String?
        /// The domain the data names (what a per-domain gate compares on).
        var labelled: String?
        var models: [Int]
        /// One estimate per model in `models`, for each of ``variants``.
        var estimates: [[CandidateEstimate]]
        var actualScore: [Double]
        var actualCost: [Double]
    }

    let models: [String]
    let prompts: [Prompt]
    /// The signals the estimates were made with: what the file's plan reads (nil: every signal the file has).
    let variants: [SignalPlan.Signal?]
    let plan: SignalPlan?

    /// - Parameters:
    ///   - embeddings: the prompts' sentence embeddings by id, for a file that reads them (a prompt without one
    ///     is routed as `serve` routes a request whose embedder did not answer: by the domain means).
    ///   - signals: replay the file with each of these signals alone (for choosing a plan); by default the file's
    ///     plan, or every signal it has when it has none.
    public init(
        file: RouterFile, test: OutcomeSet, usePredictor: Bool = true, embeddings: [String: [Float]] = [:], signals: [SignalPlan.Signal]? = nil
    ) {
        let base = FeatureExtractor(
            classifier: file.classifier, predictor: usePredictor ? file.predictor : nil, outputLengths: file.outputLengths,
            neighbours: usePredictor ? file.neighbours : nil, network: usePredictor ? file.network : nil)
        let planned: [SignalPlan.Signal?] = signals ?? file.signalPlan.map { $0.signals.sorted() } ?? []
        let variants = planned.isEmpty ? [nil] : planned
        let overall = file.overallQuality
        let extractors = variants.map { signal in
            var extractor = base
            extractor.signalChoice = signal.map { SignalChoice.always($0, overallQuality: overall) }
            return extractor
        }
        let fitted = Dictionary(file.models.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let models = file.models.map(\.id)
        let entries = file.models.map(Self.entry(for:))
        let router = ModelRouter(models: entries)
        let priced = file.models.allSatisfy { $0.price != nil }
        self.models = models
        self.variants = variants
        plan = signals == nil ? file.signalPlan : nil
        prompts = test.records.map { record in
            let embedding = embeddings[record.id].map { PromptEmbedding.vector($0, milliseconds: 0) }
            let features = extractors.map { $0.features(ofText: record.prompt, scanPII: false, embedding: embedding) }
            let domain = features.first?.domain?.domain
            var prompt = Prompt(
                domain: domain, labelled: record.domain, models: [], estimates: Array(repeating: [], count: variants.count), actualScore: [],
                actualCost: [])
            for (k, id) in models.enumerated() {
                guard let outcome = record.results[id], let model = fitted[id] else { continue }
                prompt.models.append(k)
                for v in variants.indices {
                    prompt.estimates[v].append(
                        priced
                            ? router.estimate(entries[k], features[v])
                            : CandidateEstimate(
                                model: id, quality: features[v].predictedQuality[id] ?? model.quality(for: domain), costUSD: model.cost(for: domain),
                                latencyMs: 0))
                }
                prompt.actualScore.append(outcome.score)
                prompt.actualCost.append(outcome.costUSD ?? model.cost(for: domain))
            }
            return prompt
        }
    }

    /// Which of ``variants`` the router reads for `prompt` at λ: the plan's signal for its domain there.
    func variant(_ prompt: Prompt, lambda: Double) -> Int {
        guard let plan, variants.count > 1 else { return 0 }
        return variants.firstIndex(of: plan.signal(for: prompt.domain, lambda: lambda)) ?? 0
    }

    /// A fitted model as a catalog entry: its inferred price, its quality overall and per domain.
    static func entry(for model: FittedModel) -> ModelEntry {
        ModelEntry(
            id: model.id, provider: .openAICompatible, baseURL: "", deployment: .cloud, price: model.price ?? .free,
            profile: ModelProfile(quality: model.quality, qualityByDomain: model.qualityByDomain))
    }

    /// The model `serve` would pick for one prompt at λ: the first in ``ModelRouter/prefers(_:over:objective:lambda:)``'s
    /// order, equal ones in catalog order.
    static func choice(_ estimates: [CandidateEstimate], lambda: Double) -> Int {
        var best = 0
        for i in estimates.indices.dropFirst()
        where ModelRouter.prefers(estimates[i], over: estimates[best], objective: .balanced, lambda: lambda) {
            best = i
        }
        return best
    }

    /// What the router's choice for prompt `n` really scored and cost at λ, reading ``variants``[`variant`]
    /// (the plan's choice when nil); nil for a prompt no model has results for.
    func outcome(prompt n: Int, lambda: Double, variant: Int? = nil) -> (score: Double, cost: Double)? {
        let prompt = prompts[n]
        guard !prompt.models.isEmpty else { return nil }
        let best = Self.choice(prompt.estimates[variant ?? self.variant(prompt, lambda: lambda)], lambda: lambda)
        return (prompt.actualScore[best], prompt.actualCost[best])
    }

    /// The router's mean cost and quality at one λ.
    public func point(lambda: Double) -> TradeoffPoint {
        var score = 0.0, cost = 0.0, n = 0
        for k in prompts.indices {
            guard let outcome = outcome(prompt: k, lambda: lambda) else { continue }
            score += outcome.score
            cost += outcome.cost
            n += 1
        }
        let count = Double(max(n, 1))
        return TradeoffPoint(lambda: lambda, costUSD: cost / count, quality: score / count)
    }

    public func sweep() -> [TradeoffPoint] { Self.lambdas.map(point(lambda:)) }

    /// The router's mean quality and cost at one λ in each domain the data names (`unknown` for prompts without one).
    public func byDomain(lambda: Double) -> [String: (quality: Double, costUSD: Double, prompts: Int)] {
        var sums: [String: (score: Double, cost: Double, n: Int)] = [:]
        for k in prompts.indices {
            guard let outcome = outcome(prompt: k, lambda: lambda) else { continue }
            let domain = prompts[k].labelled ?? OutcomeSet.unknownDomain
            var s = sums[domain, default: (0, 0, 0)]
            s.score += outcome.score
            s.cost += outcome.cost
            s.n += 1
            sums[domain] = s
        }
        return sums.mapValues { (quality: $0.score / Double($0.n), costUSD: $0.cost / Double($0.n), prompts: $0.n) }
    }

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
            let estimates = prompt.estimates[variant(prompt, lambda: Self.reportLambda)]
            return (estimates[i].quality - estimates[j].quality, prompt.actualScore[i], prompt.actualScore[j])
        }
        return StrongWeakCurve(strong: strong, weak: weak, outcomes: outcomes)
    }

    /// Mean log loss and Brier score of the quality estimates against the real scores.
    public func calibration() -> (logLoss: Double, brier: Double, count: Int) {
        var logLoss = 0.0, brier = 0.0, n = 0
        for prompt in prompts {
            let estimates = prompt.estimates[variant(prompt, lambda: Self.reportLambda)]
            for i in prompt.models.indices {
                let p = min(max(estimates[i].quality, 1e-6), 1 - 1e-6), y = prompt.actualScore[i]
                logLoss -= y * log(p) + (1 - y) * log(1 - p)
                brier += (p - y) * (p - y)
                n += 1
            }
        }
        return (logLoss / Double(max(n, 1)), brier / Double(max(n, 1)), n)
    }

    static func format(_ lambda: Double) -> String { lambda == 0 ? "0" : String(format: "%.3g", lambda) }
}
