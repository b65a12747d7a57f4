import Foundation
import FrontierCore
import FrontierRouting
import Testing
@testable import FrontierAnalysis

@Suite struct RouterFitterTests {
    /// Two domains, two models: "lawyer" is right on law and wrong on math, "mathematician" the reverse,
    /// both at the same price; "general" is right on both at ten times the price.
    static func synthetic(count: Int = 600) -> OutcomeSet {
        let law = ["contract", "tort", "court", "statute", "plaintiff", "liability", "negligence", "appeal"]
        let math = ["integral", "derivative", "matrix", "prime", "polynomial", "equation", "theorem", "vector"]
        var random = SeededGenerator(seed: 42)
        let records = (0..<count).map { n -> OutcomeRecord in
            let isLaw = n % 2 == 0
            let words = (0..<12).map { _ in (isLaw ? law : math)[Int(random.next() % 8)] }
            return OutcomeRecord(
                id: "s-\(n)", prompt: "Question: " + words.joined(separator: " ") + "?", domain: isLaw ? "law" : "math",
                results: [
                    "lawyer": ModelOutcome(score: isLaw ? 1 : 0, costUSD: 0.001),
                    "mathematician": ModelOutcome(score: isLaw ? 0 : 1, costUSD: 0.001),
                    "general": ModelOutcome(score: 1, costUSD: 0.01),
                ])
        }
        return OutcomeSet(records: records)
    }

    @Test func aRouterThatKnowsTheDomainBeatsEverySingleModel() {
        let fit = RouterFitter().fit(Self.synthetic(), dataName: "synthetic.jsonl")
        let report = fit.report
        // Single models: 0.5 at $0.001 (both specialists), 1.0 at $0.01 (general).
        #expect(report.aiq(report.router) > report.aiq(report.zeroRouter))
        #expect((report.router.peakQuality ?? 0) > 0.95)
        let cost = report.router.cost(toReach: 0.95) ?? 1
        #expect(cost < 0.002)  // the specialists, not the general model
        #expect(fit.file.source.testPrompts + fit.file.source.trainPrompts == 600)
    }

    @Test func theFileRoundTripsAndPredictsTheSame() throws {
        let fit = RouterFitter().fit(Self.synthetic(count: 200), dataName: "synthetic.jsonl", now: Date(timeIntervalSince1970: 0))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("router-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try fit.file.save(path: path)
        let loaded = try RouterFile.load(path: path)
        #expect(loaded.json == fit.file.json)
        let prompt = "Question: is the contract enforceable in court?"
        let a = FeatureExtractor(classifier: fit.file.classifier, predictor: fit.file.predictor).features(ofText: prompt)
        let b = FeatureExtractor(classifier: loaded.classifier, predictor: loaded.predictor).features(ofText: prompt)
        #expect(a.domain == b.domain)
        #expect(a.domain?.domain == "law")
        #expect(a.predictedQuality == b.predictedQuality)
        // Whatever signal cross-validation kept, the lawyer is the better bet on a law question.
        let lawyer = a.predictedQuality["lawyer"] ?? loaded.model("lawyer")?.quality(for: a.domain?.domain) ?? 0
        let mathematician = a.predictedQuality["mathematician"] ?? loaded.model("mathematician")?.quality(for: a.domain?.domain) ?? 1
        #expect(lawyer > mathematician)
    }

    /// Prompts whose words and domain labels say nothing about which model is right: three models of
    /// different quality and price, each right at random on each prompt. Whatever the fit finds in that
    /// noise, on held-out prompts it must not do worse than pinning a model.
    static func noSignal(count: Int, seed: UInt64) -> OutcomeSet {
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"]
        var random = SeededGenerator(seed: seed)
        func chance(_ p: Double) -> Double { Double(random.next() % 10_000) / 10_000 < p ? 1 : 0 }
        let records = (0..<count).map { n -> OutcomeRecord in
            let text = (0..<10).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ")
            return OutcomeRecord(
                id: "n-\(seed)-\(n)", prompt: text, domain: ["law", "math", "health"][Int(random.next() % 3)],
                results: [
                    "small": ModelOutcome(score: chance(0.45), costUSD: 0.0001),
                    "medium": ModelOutcome(score: chance(0.6), costUSD: 0.001),
                    "large": ModelOutcome(score: chance(0.75), costUSD: 0.01),
                ])
        }
        return OutcomeSet(records: records)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func withoutSignalTheRouterIsNoWorseThanTheZeroRouter(seed: UInt64) {
        let fit = RouterFitter().fit(Self.noSignal(count: 600, seed: seed), dataName: "noise")
        let report = fit.report
        #expect(report.aiq(report.router) >= report.aiq(report.zeroRouter) - 0.005, "\(fit.signals.map { ($0.signal, $0.mean) })")
        #expect(fit.signal != .prompt)
    }

    @Test func aDomainSignalIsFoundByCrossValidation() {
        let fit = RouterFitter().fit(Self.synthetic(), dataName: "synthetic.jsonl")
        #expect(fit.signal != .none, "\(fit.signals.map { ($0.signal, $0.mean) })")
        #expect(fit.report.table.contains("signal chosen by cross-validation"))
    }

    @Test func fittingIsDeterministic() {
        let data = Self.synthetic(count: 200)
        let when = Date(timeIntervalSince1970: 0)
        #expect(RouterFitter().fit(data, dataName: "d", now: when).file.json == RouterFitter().fit(data, dataName: "d", now: when).file.json)
    }

    @Test func aDamagedFileSaysWhatIsWrong() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("router-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var json = RouterFitter().fit(Self.synthetic(count: 100), dataName: "d").file.json.objectValue ?? [:]
        json["version"] = 99
        try Data(JSONValue.object(json).serialized()).write(to: URL(fileURLWithPath: path))
        #expect { try RouterFile.load(path: path) } throws: { "\($0)".contains("version 99 is not supported") }
        json["version"] = 1
        json["classifier"] = ["domains": ["a"], "log_priors": [0], "features": "AAAAAAAAAAA=", "weights": ""]
        try Data(JSONValue.object(json).serialized()).write(to: URL(fileURLWithPath: path))
        #expect { try RouterFile.load(path: path) } throws: { "\($0)".contains("field 'classifier' is inconsistent") }
        #expect { try RouterFile.load(path: "/nonexistent/router.json") } throws: { "\($0)".contains("frontier fit") }
    }
}

/// On the real MMLU-Pro outcomes beside the repo: the fitted router against the zero router, on held-out prompts.
@Suite struct MMLUProFitTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/mmlu-pro/outcomes.jsonl").path

    @Test(.enabled(if: FileManager.default.fileExists(atPath: data), "needs ../shared/data"))
    func theFittedRouterBeatsTheZeroRouterOnHeldOutPrompts() throws {
        let set = try OutcomeReader().read(path: Self.data)
        let started = ContinuousClock.now
        let fit = RouterFitter().fit(set, dataName: "outcomes.jsonl")
        let elapsed = ContinuousClock.now - started
        print(fit.report.table)
        // Timed in a release build by `frontier fit` (README); a debug build is several times slower.
        print("fit took \(elapsed) (debug build)")
        #expect(fit.report.aiq(fit.report.router) > fit.report.aiq(fit.report.zeroRouter))
    }
}
