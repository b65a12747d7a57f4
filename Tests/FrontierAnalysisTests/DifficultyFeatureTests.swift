import Foundation
import FrontierCore
import FrontierRouting
import Testing
@testable import FrontierAnalysis

/// A predictor with the cheap difficulty features learns from them what the prompt's words cannot say.
@Suite struct DifficultyFeatureTests {
    /// Six words from one vocabulary and a question mark, then one number or twelve, each number new; "small" is
    /// right when there is one number. No word says which: the numbers are never seen twice.
    static func numbersDecide(count: Int, seed: UInt64) -> OutcomeSet {
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
        var random = SeededGenerator(seed: seed)
        return OutcomeSet(records: (0..<count).map { n in
            let many = random.next() % 2 == 0
            let numbers = (0..<(many ? 12 : 1)).map { _ in String(100_000 + random.next() % 900_000) }
            let text = ((0..<6).map { _ in words[Int(random.next() % 10)] } + numbers).joined(separator: " ") + "?"
            return OutcomeRecord(
                id: "d-\(seed)-\(n)", prompt: text, domain: "chat",
                results: ["small": ModelOutcome(score: many ? 0 : 1, costUSD: 0.0001), "large": ModelOutcome(score: 1, costUSD: 0.01)])
        })
    }

    /// The mean estimate of "small" on fresh short and long prompts, by a predictor fitted with or without them.
    static func separation(difficulty: Bool) -> (short: Double, long: Double) {
        var fitter = QualityPredictorFitter(epochs: 3, learningRate: 0.05, l2: 1e-4, difficulty: difficulty)
        fitter.seed = 1
        let predictor = fitter.fit(numbersDecide(count: 800, seed: 1), models: ["small", "large"], domains: ["chat"], prior: [0.5, 1, 0.5, 1], blend: 1)
        let extractor = FeatureExtractor(classifier: nil, predictor: predictor)
        var sums = [0.0, 0.0], counts = [0.0, 0.0]
        for record in numbersDecide(count: 200, seed: 2).records {
            let k = record.results["small"]?.score == 1 ? 0 : 1
            sums[k] += extractor.features(ofText: record.prompt, scanPII: false).predictedQuality["small"] ?? 0.5
            counts[k] += 1
        }
        return (sums[0] / counts[0], sums[1] / counts[1])
    }

    @Test func aPredictorWithDifficultyFeaturesLearnsWhatTheDigitsSay() {
        let with = Self.separation(difficulty: true), without = Self.separation(difficulty: false)
        #expect(with.short > 0.8 && with.long < 0.2, "\(with)")
        // The words alone say less.
        #expect(with.short - with.long > without.short - without.long + 0.1, "with \(with), without \(without)")
    }

    /// The shadow's features from the live plan's reading of the text (and its PII scan) are the features it would
    /// have read itself, whether the live extractor hashed the words or not.
    @Test func aSecondPlannerReadingTheLivePlansTextDecidesAsIfItHadReadItItself() {
        var fitter = QualityPredictorFitter(epochs: 2, learningRate: 0.05, l2: 1e-4, difficulty: true)
        fitter.seed = 3
        let predictor = fitter.fit(Self.numbersDecide(count: 200, seed: 3), models: ["small", "large"], domains: ["chat"], prior: [0.5, 1, 0.5, 1], blend: 1)
        let shadow = FeatureExtractor(classifier: nil, predictor: predictor)
        for live in [FeatureExtractor(classifier: nil), shadow] {
            for record in Self.numbersDecide(count: 20, seed: 4).records {
                let request = ChatRequest(model: "auto", messages: [ChatMessage(role: "user", content: .string(record.prompt + " card 4111 1111 1111 1111"))])
                let alone = shadow.features(of: request)
                let shared = shadow.features(of: request, scanned: live.features(of: request))
                #expect(shared.predictedQuality == alone.predictedQuality)
                #expect(shared.piiCategories == alone.piiCategories && !alone.pii.isEmpty)
                #expect(shared.hasMath == alone.hasMath && shared.promptTokens == alone.promptTokens)
            }
        }
    }
}
