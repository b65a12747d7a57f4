import Foundation
import FrontierCore
import FrontierRouting
import Testing
@testable import FrontierAnalysis

/// What `analyze` measures is what `serve` does: costs priced as tokens × price with each model's
/// expected answer length for the prompt, and the choice made by the comparison `serve` sorts by.
@Suite struct SelectionPathTests {
    /// Three models, priced per token; "verbose" writes four times as long answers as "terse" at the same
    /// price per token, and everyone's answers grow with the prompt. Quality depends on the domain.
    static func tokenPriced(count: Int = 600, seed: UInt64 = 3) -> OutcomeSet {
        let law = ["contract", "tort", "court", "statute", "plaintiff", "liability"]
        let math = ["integral", "derivative", "matrix", "prime", "polynomial", "theorem"]
        var random = SeededGenerator(seed: seed)
        let prices: [String: (Double, Double)] = ["terse": (1, 2), "verbose": (1, 2), "premium": (10, 30)]
        let records = (0..<count).map { n -> OutcomeRecord in
            let isLaw = n % 2 == 0
            let length = 4 + Int(random.next() % 40)
            let words = (0..<length).map { _ in (isLaw ? law : math)[Int(random.next() % 6)] }
            let prompt = words.joined(separator: " ")
            let input = prompt.utf8.count / 4
            func outcome(_ model: String, score: Double, output: Int) -> ModelOutcome {
                let (i, o) = prices[model] ?? (0, 0)
                return ModelOutcome(score: score, costUSD: (Double(input) * i + Double(output) * o) / 1e6, inputTokens: input, outputTokens: output)
            }
            let base = 20 + 2 * length
            return OutcomeRecord(
                id: "t-\(seed)-\(n)", prompt: prompt, domain: isLaw ? "law" : "math",
                results: [
                    "terse": outcome("terse", score: isLaw ? 1 : 0, output: base),
                    "verbose": outcome("verbose", score: isLaw ? 0 : 1, output: 4 * base),
                    "premium": outcome("premium", score: Double(n % 3 == 0 ? 0 : 1), output: base),
                ])
        }
        return OutcomeSet(records: records)
    }

    @Test func pricesAndAnswerLengthsAreLearnedFromTheData() throws {
        let data = Self.tokenPriced()
        let fitter = OutputLengthFitter()
        let price = try #require(fitter.price(of: "premium", in: data))
        #expect(abs(price.inputPerMTok - 10) < 0.2 && abs(price.outputPerMTok - 30) < 0.2)
        let lengths = try #require(fitter.fit(data, models: ["terse", "verbose"], domains: ["law", "math"]))
        let short = lengths.expected(promptTokens: 20, domain: "law"), long = lengths.expected(promptTokens: 80, domain: "law")
        let ratio = Double(short["verbose"] ?? 0) / Double(max(short["terse"] ?? 1, 1))
        #expect(ratio > 3.5 && ratio < 4.5, "verbose / terse: \(ratio)")
        #expect((long["terse"] ?? 0) > (short["terse"] ?? 0))
        #expect(lengths.expected(promptTokens: 80, domain: "law", cap: 16)["verbose"] == 16)
    }

    @Test func costsThatAreNotTokenPricedAreNotTakenForPrices() {
        let records = (0..<50).map { n in
            OutcomeRecord(id: "f-\(n)", prompt: "q \(n)", domain: nil, results: [
                "flat": ModelOutcome(score: 1, costUSD: 0.01, inputTokens: 10 + n * 7, outputTokens: 5 + (n * 13) % 50),
            ])
        }
        #expect(OutputLengthFitter().price(of: "flat", in: OutcomeSet(records: records)) == nil)
    }

    @Test func aVerboseModelIsExpectedToCostMoreOnTheSamePrompt() throws {
        let fit = RouterFitter().fit(Self.tokenPriced(), dataName: "tokens")
        let lengths = try #require(fit.file.outputLengths)
        let extractor = FeatureExtractor(classifier: fit.file.classifier, outputLengths: lengths)
        let features = extractor.features(ofText: "contract tort court statute plaintiff liability court tort")
        let entries = fit.file.models.map(RouterEvaluation.entry(for:))
        let router = ModelRouter(models: entries)
        let estimates = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, router.estimate($0, features)) })
        let terse = try #require(estimates["terse"]), verbose = try #require(estimates["verbose"])
        #expect(verbose.costUSD > 2.5 * terse.costUSD, "\(verbose.costUSD) vs \(terse.costUSD)")
    }

    /// The property: on every held-out prompt and every λ of the sweep, the model the offline evaluation
    /// scores is the one `ModelRouter.decide` puts first for the same features.
    @Test func theOfflineChoiceIsTheOnlineOne() throws {
        let fit = RouterFitter().fit(Self.tokenPriced(), dataName: "tokens")
        let test = Self.tokenPriced(count: 120, seed: 9)
        let evaluation = RouterEvaluation(file: fit.file, test: test)
        var extractor = FeatureExtractor(classifier: fit.file.classifier, predictor: fit.file.predictor, outputLengths: fit.file.outputLengths)
        let entries = fit.file.models.map(RouterEvaluation.entry(for:))
        var compared = 0
        for lambda in RouterEvaluation.lambdas where lambda == 0 || Int(log10(max(lambda, 1)) * 8) % 4 == 0 {
            // As `serve` does (GatewayServer.planner): the plan's region for the process's λ.
            extractor.signalChoice = fit.file.signalChoice(lambda: lambda)
            for (n, record) in test.records.enumerated() {
                let features = extractor.features(ofText: record.prompt, scanPII: false)
                let decision = ModelRouter(models: entries, lambda: lambda).decide(features: features, constraints: Constraints(objective: .balanced))
                let prompt = evaluation.prompts[n]
                let offline = evaluation.models[prompt.models[RouterEvaluation.choice(prompt.estimates[evaluation.variant(prompt, lambda: lambda)], lambda: lambda)]]
                #expect(decision.order.first == offline, "prompt \(n), λ \(lambda)")
                compared += 1
            }
        }
        #expect(compared > 1_000)
        #expect(fit.file.signalPlan != nil)
    }
}
