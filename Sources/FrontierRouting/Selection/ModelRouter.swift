public import FrontierCore

/// Picks the model on the efficiency frontier for one request.
///
/// Hard filters first (allowed models, privacy zone, context window, health,
/// max cost, max latency, min quality), each excluded model with its reason;
/// then the non-dominated candidates on expected cost against expected
/// quality; then the objective: `cheapest` (lowest cost, ties by latency),
/// `best` (highest quality, ties by cost then latency) or `balanced`
/// (quality − λ·cost). The feasible models in the objective's order are the
/// fallback list.
public struct ModelRouter: Sendable {
    public var models: [ModelEntry]
    /// Quality points one US dollar is worth in `balanced` (quality − λ·cost).
    public var lambda: Double

    public init(models: [ModelEntry], lambda: Double = 50) {
        self.models = models
        self.lambda = lambda
    }

    /// - Parameters:
    ///   - observed: recently measured latency, preferred to the profile's seed.
    ///   - drop: what live traffic measured below the model's expected quality (a degraded model), subtracted.
    public func estimate(_ model: ModelEntry, _ features: RequestFeatures, observed: ObservedLatency? = nil, drop: Double = 0) -> CandidateEstimate {
        var profile = model.profile
        if let ttft = observed?.firstTokenMs { profile.firstTokenMs = ttft }
        if let speed = observed?.tokensPerSecond { profile.tokensPerSecond = speed }
        let input = model.price.inputPerMTok + profile.marginalCostPerMTok
        let output = model.price.outputPerMTok + profile.marginalCostPerMTok
        let outputTokens = features.expectedOutputTokensByModel[profile.routerID ?? model.id] ?? features.expectedOutputTokens
        let cost = (Double(features.promptTokens) * input + Double(outputTokens) * output) / 1_000_000
        let latency = profile.firstTokenMs + Double(outputTokens) / max(profile.tokensPerSecond, 0.001) * 1000
        var quality = features.predictedQuality[profile.routerID ?? model.id] ?? profile.quality(for: features.domain?.domain)
        if drop > 0 { quality = max(0, quality - drop) }
        return CandidateEstimate(model: model.id, quality: quality, costUSD: cost, latencyMs: latency)
    }

    /// - Parameters:
    ///   - allowed: the models the request may use (a route's, or one named model); all when nil.
    ///   - unhealthy: model id -> why it is not taking requests now.
    ///   - privacy: the privacy policy: the zone for requests with PII, or with content that cannot be scanned.
    ///   - observed: latency measured on recent responses, by model id.
    ///   - budget: the caller's key's budget, when it has one: models it cannot cover are excluded.
    ///   - degraded: the models live traffic found worse than expected, with the drop measured (``QualityAdjustments``).
    public func decide(
        features: RequestFeatures, constraints: Constraints, allowed: Set<String>? = nil,
        unhealthy: [String: String] = [:], privacy: PrivacyPolicy = PrivacyPolicy(), observed: [String: ObservedLatency] = [:],
        budget: BudgetFilter? = nil, degraded: [String: QualityAdjustments.Mark] = [:]
    ) -> Decision {
        var constraints = constraints
        let (zone, piiNarrowed) = privacy.zone(requested: constraints.privacy, pii: features.piiCategories, unscannable: features.unscannable)
        constraints.privacy = zone
        var feasible: [CandidateEstimate] = []
        var estimates: [CandidateEstimate] = []
        var excluded: [(model: String, reason: Exclusion)] = []
        for model in models {
            if let allowed, !allowed.contains(model.id) { continue }
            let estimate = self.estimate(model, features, observed: observed[model.id], drop: degraded.isEmpty ? 0 : degraded[model.id]?.drop ?? 0)
            estimates.append(estimate)
            if let reason = exclusion(model, estimate, features, constraints, unhealthy, piiNarrowed) ?? budget?.exclusion(model) {
                excluded.append((model.id, reason))
            } else {
                feasible.append(estimate)
            }
        }
        let frontier = Self.frontier(feasible)
        // Equal on every measure: the catalog order decides, so the choice is deterministic.
        let better = ordering(constraints.objective)
        let ordered = feasible.enumerated().sorted { a, b in
            better(a.element, b.element) || (!better(b.element, a.element) && a.offset < b.offset)
        }.map(\.element)
        let rule: SelectionRule = switch constraints.objective {
        case .cheapest: .cheapest(minQuality: constraints.minQuality)
        case .best: .best(maxCostUSD: constraints.maxCostUSD)
        case .balanced: .balanced(lambda: lambda)
        }
        return Decision(
            order: ordered.map(\.model), rule: ordered.isEmpty ? .noFeasibleModel : rule, features: features,
            constraints: constraints, estimates: estimates, excluded: excluded, frontier: frontier.map(\.model))
    }

    private func exclusion(
        _ model: ModelEntry, _ estimate: CandidateEstimate, _ features: RequestFeatures, _ constraints: Constraints,
        _ unhealthy: [String: String], _ piiNarrowed: PrivacyReason?
    ) -> Exclusion? {
        if !constraints.privacy.admits(model.deployment) {
            return .privacy(deployment: model.deployment, zone: constraints.privacy, reason: piiNarrowed)
        }
        let needed = features.promptTokens.saturatingAdd(features.expectedOutputTokens)
        if let window = model.contextWindow, needed > window {
            return .context(neededTokens: needed, window: window)
        }
        if let reason = unhealthy[model.id] { return .health(reason) }
        if let max = constraints.maxCostUSD, estimate.costUSD > max { return .cost(expectedUSD: estimate.costUSD, maximumUSD: max) }
        if let max = constraints.maxLatencyMs, estimate.latencyMs > max { return .latency(expectedMs: estimate.latencyMs, maximumMs: max) }
        if let min = constraints.minQuality, estimate.quality < min { return .quality(expected: estimate.quality, minimum: min) }
        return nil
    }

    /// The candidates no other candidate beats on both cost and quality.
    static func frontier(_ candidates: [CandidateEstimate]) -> [CandidateEstimate] {
        candidates.filter { a in
            !candidates.contains { b in
                b.costUSD <= a.costUSD && b.quality >= a.quality && (b.costUSD < a.costUSD || b.quality > a.quality)
            }
        }
    }

    private func ordering(_ objective: Objective) -> (CandidateEstimate, CandidateEstimate) -> Bool {
        let lambda = self.lambda
        return { a, b in Self.prefers(a, over: b, objective: objective, lambda: lambda) }
    }

    /// Whether `a` goes before `b` under `objective`: the one comparison both `serve` (``decide(features:constraints:allowed:unhealthy:privacy:observed:budget:)``)
    /// and the offline evaluation choose by, so what `analyze` measures is what `serve` does.
    public static func prefers(_ a: CandidateEstimate, over b: CandidateEstimate, objective: Objective, lambda: Double) -> Bool {
        switch objective {
        case .cheapest:
            if a.costUSD != b.costUSD { return a.costUSD < b.costUSD }
            if a.latencyMs != b.latencyMs { return a.latencyMs < b.latencyMs }
            return a.quality > b.quality
        case .best:
            if a.quality != b.quality { return a.quality > b.quality }
            if a.costUSD != b.costUSD { return a.costUSD < b.costUSD }
            return a.latencyMs < b.latencyMs
        case .balanced:
            let sa = balancedScore(quality: a.quality, costUSD: a.costUSD, lambda: lambda)
            let sb = balancedScore(quality: b.quality, costUSD: b.costUSD, lambda: lambda)
            if sa != sb { return sa > sb }
            if a.latencyMs != b.latencyMs { return a.latencyMs < b.latencyMs }
            return a.quality > b.quality
        }
    }

    /// The `balanced` objective: quality less λ times the expected cost (the offline sweep uses it too).
    @inline(__always)
    public static func balancedScore(quality: Double, costUSD: Double, lambda: Double) -> Double {
        quality - lambda * costUSD
    }
}
