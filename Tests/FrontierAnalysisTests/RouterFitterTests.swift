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
        #expect(loaded.signalPlan == fit.file.signalPlan && loaded.signalPlan?.regions.count == SignalPlan.regionStarts.count)
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
        #expect(!fit.plan.signals.contains(.prompt), "\(fit.plan)")
    }

    /// Two domains whose prompts share the words that say which cheap model is right, with opposite meanings: on
    /// "contract" prompts (three in four) "red" means the first cheap model is right, on "integral" prompts the
    /// second. The per-prompt predictor's word weights follow the larger domain, so it helps there and misleads
    /// on the other: the plan must read it on the first and not on the second.
    static func oppositeWords(count: Int = 1600, seed: UInt64 = 8) -> OutcomeSet {
        var random = SeededGenerator(seed: seed)
        let records = (0..<count).map { n -> OutcomeRecord in
            let first = n % 4 != 0
            let red = random.next() % 2 == 0
            let topic = first ? ["contract", "tort", "court", "statute"] : ["integral", "matrix", "prime", "vector"]
            // The colour first and a word shared by both domains after it: no word pair ties colour to domain.
            let words = [red ? "red" : "blue", "note"] + (0..<6).map { _ in topic[Int(random.next() % 4)] }
            let redModelRight = first == red
            return OutcomeRecord(
                id: "o-\(n)", prompt: words.joined(separator: " "), domain: first ? "law" : "math",
                results: [
                    "cheap-one": ModelOutcome(score: redModelRight ? 1 : 0, costUSD: 0.001),
                    "cheap-two": ModelOutcome(score: redModelRight ? 0 : 1, costUSD: 0.001),
                    "general": ModelOutcome(score: random.next() % 10 < 9 ? 1 : 0, costUSD: 0.01),
                ])
        }
        return OutcomeSet(records: records)
    }

    @Test func aPredictorThatMisleadsInOneDomainIsReadOnlyWhereItHelps() throws {
        let fit = RouterFitter().fit(Self.oppositeWords(), dataName: "opposite")
        for lambda in [100.0, 1_000] {
            #expect(fit.plan.signal(for: "law", lambda: lambda) == .prompt, "\(fit.plan)")
            #expect(fit.plan.signal(for: "math", lambda: lambda) != .prompt, "\(fit.plan)")
        }
        let report = fit.report
        #expect(report.aiq(report.router) > report.aiq(report.domainOnlyRouter) + 0.05)
        #expect(report.table.contains("signals read, chosen per domain and cost region"))
        // serve at λ 1000 reads the predictor on law prompts only, and says which signal it read.
        var extractor = FeatureExtractor(classifier: fit.file.classifier, predictor: fit.file.predictor, outputLengths: fit.file.outputLengths)
        extractor.signalChoice = fit.file.signalChoice(lambda: 1_000)
        let law = extractor.features(ofText: "red note contract tort court statute")
        let math = extractor.features(ofText: "red note integral matrix prime vector")
        #expect(law.signal == .prompt && law.predictedQuality["cheap-one"] ?? 0 > (law.predictedQuality["cheap-two"] ?? 1) + 0.2, "\(law.predictedQuality)")
        #expect(math.signal != .prompt && math.signal != nil)
        #expect(math.predictedQuality["cheap-one"] ?? 0.5 == (math.signal == SignalPlan.Signal.none ? fit.file.model("cheap-one")?.quality : nil) ?? 0.5)
    }

    @Test func aPlanReadsTheSignalOfItsRegionAndDomain() {
        let plan = SignalPlan(regions: [
            .init(fromLambda: 100, byDomain: ["law": .embedding], otherwise: .prompt),
            .init(fromLambda: 0, byDomain: [:], otherwise: .domain),
        ])
        #expect(plan.regions.map(\.fromLambda) == [0, 100])
        #expect(plan.signal(for: "law", lambda: 50) == .domain)
        #expect(plan.signal(for: "law", lambda: 100) == .embedding)
        #expect(plan.signal(for: "math", lambda: 1e9) == .prompt)
        #expect(plan.signal(for: nil, lambda: 5_000) == .prompt)
        #expect(plan.signals == [.domain, .prompt, .embedding])
        #expect(SignalPlan.regionIndex(lambda: 0) == 0 && SignalPlan.regionIndex(lambda: 9.9) == 0)
        #expect(SignalPlan.regionIndex(lambda: 10) == 1 && SignalPlan.regionIndex(lambda: 1e12) == 7)
        // A cell that reads no signal estimates each model's overall quality; the embedder is asked only for a domain that reads it.
        let neighbours = NeighbourPredictor(
            models: ["a"], domains: ["law"], embedder: "e", dimension: 2, embeddings: [1, 0], scores: [1], prior: [0.5, 0.5], k: 1, shrink: 0,
            temperature: 1)
        var extractor = FeatureExtractor(classifier: nil, neighbours: neighbours)
        extractor.signalChoice = SignalChoice.always(.none, overallQuality: ["a": 0.25])
        #expect(extractor.features(ofText: "hello").predictedQuality == ["a": 0.25])
        #expect(!extractor.readsEmbedding(of: ChatRequest(model: "auto", messages: [ChatMessage(role: "user", content: "hello")])))
        extractor.signalChoice = plan.choice(lambda: 1_000, overallQuality: [:])
        #expect(!extractor.readsEmbedding(of: ChatRequest(model: "auto", messages: [ChatMessage(role: "user", content: "hello")])))
        extractor.signalChoice = nil
        #expect(extractor.readsEmbedding(of: ChatRequest(model: "auto", messages: [ChatMessage(role: "user", content: "hello")])))
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
        json["classifier"] = RouterFitter().fit(Self.synthetic(count: 100), dataName: "d").file.json["classifier"]
        json["signal_plan"] = [["from_lambda": 0, "otherwise": "telepathy", "by_domain": [:]]]
        try Data(JSONValue.object(json).serialized()).write(to: URL(fileURLWithPath: path))
        #expect { try RouterFile.load(path: path) } throws: { "\($0)".contains("field 'signal_plan[0].otherwise' is 'telepathy'; a signal is one of none, domain, prompt, embedding") }
        json["signal_plan"] = []
        try Data(JSONValue.object(json).serialized()).write(to: URL(fileURLWithPath: path))
        #expect { try RouterFile.load(path: path) } throws: { "\($0)".contains("field 'signal_plan' lists no region") }
        #expect { try RouterFile.load(path: "/nonexistent/router.json") } throws: { "\($0)".contains("frontier fit") }
    }

    /// Found by the router-file fuzz target: a damaged file's figures reached the router unbounded (a prior of
    /// -7.8e6 became a quality estimate), and a model claiming quality 5 or a negative cost would win every request.
    @Test func figuresThatWouldWinEveryRequestAreRefused() throws {
        let file = RouterFitter().fitFile(Self.synthetic(count: 200), predictorFitter: QualityPredictorFitter(), blend: 0.5)
        let json = try #require(file.json.objectValue)
        func refusal(_ edit: (inout JSONObject) -> Void) -> String? {
            var damaged = json
            edit(&damaged)
            do { _ = try RouterFile.decode(JSONValue.object(damaged).serialized(), path: "r.json"); return nil } catch { return error.message }
        }
        func editModel(_ key: String, _ value: JSONValue) -> (inout JSONObject) -> Void {
            { object in
                var models = object["models"]?.arrayValue ?? []
                var first = models[0].objectValue ?? [:]
                first[key] = value
                models[0] = .object(first)
                object["models"] = .array(models)
            }
        }
        #expect(refusal { _ in } == nil)
        #expect(refusal(editModel("quality", 5)) == "field 'models[0]' has a quality outside [0, 1]")
        #expect(refusal(editModel("quality_by_domain", ["law": -1])) == "field 'models[0]' has a quality outside [0, 1]")
        #expect(refusal(editModel("cost_usd", -0.01)) == "field 'models[0]' has a negative or infinite cost or prompt count")
        let predictor = try #require(file.predictor)
        #expect(refusal { object in
            var p = object["predictor"]?.objectValue ?? [:]
            let bytes = predictor.prior.flatMap { _ in withUnsafeBytes(of: Float(-7.8e6).bitPattern.littleEndian, Array.init) }
            p["prior"] = .string(Data(bytes).base64EncodedString())
            object["predictor"] = .object(p)
        } == "field 'predictor' is inconsistent (array sizes or values)")
        // Finite weights whose sum overflows: the estimate is the prior, not NaN.
        let huge = QualityPredictor(
            models: predictor.models, domains: predictor.domains, buckets: predictor.buckets,
            textWeights: predictor.textWeights.map { _ in Float.greatestFiniteMagnitude }, domainWeights: predictor.domainWeights,
            bias: predictor.bias.map { _ in -Float.greatestFiniteMagnitude }, scale: predictor.scale.map { _ in 0 }, shift: predictor.shift,
            prior: predictor.prior, blend: 0.5)
        #expect(huge.isConsistent)
        let estimates = huge.predict(features: TextFeatures.distinctHashes(of: "contract tort court"), domain: "law")
        #expect(estimates.allSatisfy { $0.isFinite && (0...1).contains($0) }, "\(estimates)")
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
