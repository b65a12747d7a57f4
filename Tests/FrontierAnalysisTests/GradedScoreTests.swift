import FrontierCore
import FrontierRouting
import Testing
@testable import FrontierAnalysis

/// Judge scores and partial credit are graded, not coin flips: the predictor regresses the score in
/// [0, 1] (cross-entropy against the score itself), so a model that always earns 0.3 on a kind of
/// prompt is predicted near 0.3, not near 0 as a correct/incorrect threshold at 0.5 would make it.
@Suite struct GradedScoreTests {
    /// One domain; a prompt mentioning "proof" is hard: "small" earns 0.3 on it and 0.9 otherwise
    /// (± 0.05 of judge noise), "large" 0.8 on both. Nothing in the data is 0 or 1.
    static func graded(count: Int = 800, seed: UInt64 = 7) -> OutcomeSet {
        let easy = ["list", "summarise", "rename", "format", "translate", "sort"]
        var random = SeededGenerator(seed: seed)
        func jitter() -> Double { Double(random.next() % 1_001) / 10_000 - 0.05 }
        let records = (0..<count).map { n -> OutcomeRecord in
            let hard = n % 2 == 0
            let words = (0..<8).map { _ in easy[Int(random.next() % UInt64(easy.count))] } + (hard ? ["proof"] : [])
            return OutcomeRecord(
                id: "g-\(seed)-\(n)", prompt: words.joined(separator: " "), domain: "chat",
                results: [
                    "small": ModelOutcome(score: (hard ? 0.3 : 0.9) + jitter(), costUSD: 0.0001),
                    "large": ModelOutcome(score: 0.8 + jitter(), costUSD: 0.01),
                ])
        }
        return OutcomeSet(records: records)
    }

    @Test func thePredictorRegressesAGradedScore() {
        let predictor = QualityPredictorFitter(epochs: 6, learningRate: 0.2, l2: 1e-5)
            .fit(Self.graded(), models: ["small", "large"], domains: ["chat"], prior: [0.6, 0.8, 0.6, 0.8], blend: 1)
        // Mean prediction over fresh prompts of each kind.
        var sums: [Bool: (small: Double, large: Double, n: Double)] = [:]
        for record in Self.graded(count: 200, seed: 8).records {
            let p = predictor.predict(features: TextFeatures.distinctHashes(of: record.prompt), domain: "chat")
            let hard = record.prompt.contains("proof")
            sums[hard, default: (0, 0, 0)].small += p[0]
            sums[hard, default: (0, 0, 0)].large += p[1]
            sums[hard, default: (0, 0, 0)].n += 1
        }
        let hard = sums[true] ?? (0, 0, 1), easy = sums[false] ?? (0, 0, 1)
        #expect(abs(hard.small / hard.n - 0.3) < 0.05, "small on hard prompts: \(hard.small / hard.n)")
        #expect(abs(easy.small / easy.n - 0.9) < 0.05, "small on easy prompts: \(easy.small / easy.n)")
        #expect(abs(hard.large / hard.n - 0.8) < 0.05 && abs(easy.large / easy.n - 0.8) < 0.05)
    }

    @Test func theFittedRouterSendsOnlyTheHardPromptsToTheLargeModel() {
        let fit = RouterFitter().fit(Self.graded(), dataName: "graded")
        #expect(fit.signal == .prompt, "\(fit.signals.map { ($0.signal, $0.mean) })")
        let report = fit.report
        // Pinned: small 0.6 at $0.0001, large 0.8 at $0.01; routing by prompt reaches 0.85 for about half the large model's cost.
        #expect((report.router.peakQuality ?? 0) > 0.83)
        #expect((report.router.cost(toReach: 0.83) ?? 1) < 0.007)
        #expect(report.aiq(report.router) > report.aiq(report.zeroRouter) + 0.05)
    }
}
