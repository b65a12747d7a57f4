import FrontierCore
@testable import FrontierRouting
import Testing

/// Properties of the selection over random catalogs and constraints
/// (seeded, so a failure reproduces).
@Suite struct RouterPropertyTests {
    static func randomCatalog(_ rng: inout SeededGenerator) -> [ModelEntry] {
        (0..<Int.random(in: 1...12, using: &rng)).map { n in
            ModelEntry(
                id: "m\(n)", provider: .openAICompatible, baseURL: "http://x/v1",
                deployment: Deployment.allCases.randomElement(using: &rng) ?? .cloud,
                price: Price(inputPerMTok: Double.random(in: 0...15, using: &rng).rounded(), outputPerMTok: Double.random(in: 0...60, using: &rng).rounded()),
                contextWindow: Bool.random(using: &rng) ? nil : [2_048, 8_192, 128_000].randomElement(using: &rng),
                profile: ModelProfile(
                    quality: (Double.random(in: 0.2...0.95, using: &rng) * 20).rounded() / 20,
                    firstTokenMs: Double.random(in: 50...2_000, using: &rng).rounded(),
                    tokensPerSecond: Double.random(in: 10...200, using: &rng).rounded(),
                    marginalCostPerMTok: Bool.random(using: &rng) ? 0 : 0.05))
        }
    }

    static func randomConstraints(_ rng: inout SeededGenerator) -> Constraints {
        Constraints(
            maxCostUSD: Bool.random(using: &rng) ? nil : Double.random(in: 0...0.05, using: &rng),
            maxLatencyMs: Bool.random(using: &rng) ? nil : Double.random(in: 500...20_000, using: &rng),
            privacy: PrivacyZone.allCases.randomElement(using: &rng) ?? .any,
            minQuality: Bool.random(using: &rng) ? nil : Double.random(in: 0.2...0.9, using: &rng),
            objective: Objective.allCases.randomElement(using: &rng) ?? .balanced)
    }

    static func randomFeatures(_ rng: inout SeededGenerator) -> RequestFeatures {
        RequestFeatures(
            pii: Bool.random(using: &rng) ? [PIIFinding(category: .creditCard, utf8Range: 0..<16)] : [],
            promptTokens: Int.random(in: 10...6_000, using: &rng), expectedOutputTokens: Int.random(in: 16...2_048, using: &rng))
    }

    /// Independent of the router's own filter: does `model` meet every hard constraint?
    static func satisfies(_ model: ModelEntry, _ estimate: CandidateEstimate, _ features: RequestFeatures, _ c: Constraints, piiZone: PrivacyZone?) -> Bool {
        var zone = c.privacy
        if let piiZone, !features.pii.isEmpty { zone = max(zone, piiZone) }
        guard zone.admits(model.deployment) else { return false }
        if let window = model.contextWindow, features.promptTokens + features.expectedOutputTokens > window { return false }
        if let max = c.maxCostUSD, estimate.costUSD > max { return false }
        if let max = c.maxLatencyMs, estimate.latencyMs > max { return false }
        if let min = c.minQuality, estimate.quality < min { return false }
        return true
    }

    @Test func theChoiceAlwaysMeetsEveryHardConstraintAndExistsWhenAnyModelIsFeasible() {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<3_000 {
            let router = ModelRouter(models: Self.randomCatalog(&rng), lambda: Double.random(in: 0...200, using: &rng))
            let features = Self.randomFeatures(&rng)
            let constraints = Self.randomConstraints(&rng)
            let piiZone: PrivacyZone? = Bool.random(using: &rng) ? .onPrem : nil
            let decision = router.decide(features: features, constraints: constraints, privacy: PrivacyPolicy(piiZone: piiZone))
            let feasible = router.models.filter { Self.satisfies($0, router.estimate($0, features), features, constraints, piiZone: piiZone) }
            if let chosen = decision.chosen, let model = router.models.first(where: { $0.id == chosen }) {
                #expect(Self.satisfies(model, router.estimate(model, features), features, constraints, piiZone: piiZone))
            }
            #expect((decision.chosen != nil) == !feasible.isEmpty)
            #expect(Set(decision.order) == Set(feasible.map(\.id)))
            #expect(decision.excluded.count + decision.order.count == router.models.count)
        }
    }

    @Test func raisingMaxCostNeverLowersTheChosenQuality() {
        var rng = SeededGenerator(seed: 2)
        for _ in 0..<3_000 {
            let router = ModelRouter(models: Self.randomCatalog(&rng), lambda: Double.random(in: 0...200, using: &rng))
            let features = Self.randomFeatures(&rng)
            var low = Self.randomConstraints(&rng)
            low.maxCostUSD = Double.random(in: 0...0.02, using: &rng)
            var high = low
            high.maxCostUSD = Bool.random(using: &rng) ? nil : low.maxCostUSD.map { $0 + Double.random(in: 0...0.05, using: &rng) }
            let before = router.decide(features: features, constraints: low)
            let after = router.decide(features: features, constraints: high)
            guard let a = before.chosen, let b = after.chosen else { continue }
            let qa = before.estimates.first { $0.model == a }?.quality ?? 0
            let qb = after.estimates.first { $0.model == b }?.quality ?? 0
            #expect(qb >= qa, "max cost \(String(describing: low.maxCostUSD)) -> \(String(describing: high.maxCostUSD)), \(low.objective): \(a) \(qa) -> \(b) \(qb)")
        }
    }

    @Test func cheapestNeverPicksACostlierModelThanAnotherFeasibleOne() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<3_000 {
            let router = ModelRouter(models: Self.randomCatalog(&rng))
            let features = Self.randomFeatures(&rng)
            var constraints = Self.randomConstraints(&rng)
            constraints.objective = .cheapest
            let decision = router.decide(features: features, constraints: constraints)
            guard let chosen = decision.chosen, let cost = decision.estimates.first(where: { $0.model == chosen })?.costUSD else { continue }
            for model in router.models {
                let estimate = router.estimate(model, features)
                if Self.satisfies(model, estimate, features, constraints, piiZone: nil) {
                    #expect(cost <= estimate.costUSD)
                }
            }
        }
    }

    @Test func explainsEveryExclusionAndNeverLeaksPIIValues() {
        let models = [
            ModelEntry(id: "local", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .local, profile: ModelProfile(quality: 0.4)),
            ModelEntry(id: "cloud", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .cloud,
                       price: Price(inputPerMTok: 0.1, outputPerMTok: 0.2), profile: ModelProfile(quality: 0.9)),
        ]
        let features = FeatureExtractor(classifier: nil).features(ofText: "Refund card 4111 1111 1111 1111 please")
        let decision = ModelRouter(models: models).decide(features: features, constraints: Constraints(objective: .best), privacy: PrivacyPolicy(piiZone: .onPrem))
        #expect(decision.chosen == "local")
        #expect(decision.excluded.first?.model == "cloud")
        #expect(decision.excluded.first?.reason.description.contains("credit_card") == true)
        #expect(decision.shortForm.contains("pii=credit_card"))
        #expect(!decision.json.jsonString.contains("4111"))
    }
}
