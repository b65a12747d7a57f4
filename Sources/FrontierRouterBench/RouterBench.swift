import Foundation
import FrontierCore
import FrontierRouting

/// The router's decision alone (features + selection), timed call by call:
/// a 1,000-character prompt, 10 models. `scripts/bench-router [ITERATIONS [LABEL]]` runs it in a release build;
/// `scripts/bench-router --worst-case` times the features on 4 MiB of hostile text instead.
@main
enum RouterBench {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == "--worst-case" {
            return WorstCaseScan.run(extractor: FeatureExtractor(classifier: try trainClassifier()))
        }
        // `--count N LABEL`: the measure named LABEL run N times untimed inside `counted`, for callgrind
        // (`--toggle-collect='*counted*'`, scripts/bench --callgrind): instructions per call, repeatable.
        let counting = arguments.first == "--count"
        let rest = counting ? arguments.dropFirst() : arguments
        let iterations = rest.first.flatMap(Int.init) ?? 20_000
        // A second argument runs only the measures whose label contains it (for a profiler).
        let only = rest.dropFirst().first
        let classifier = try trainClassifier()
        let extractor = FeatureExtractor(classifier: classifier)
        let router = ModelRouter(models: models(), lambda: 50)
        let request = ChatRequest(model: "auto", messages: [ChatMessage(role: "user", content: .string(prompt))])
        precondition(prompt.utf8.count >= 1_000)

        func measure(_ label: String, _ body: () -> Void) {
            // Counting, the label is exact: one measure a run.
            if let only, counting ? label != only : !label.contains(only) { return }
            if counting {
                body()  // the first call's one-time work (lazy tables) stays out of the count
                return Self.counted(iterations, body)
            }
            for _ in 0..<2_000 { body() }
            var samples = [Double]()
            samples.reserveCapacity(iterations)
            let clock = ContinuousClock()
            for _ in 0..<iterations {
                let start = clock.now
                body()
                let elapsed = clock.now - start
                samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
            }
            samples.sort()
            let p = { (q: Double) in samples[min(samples.count - 1, Int(Double(samples.count) * q))] }
            print("\(label.padding(toLength: 34, withPad: " ", startingAt: 0)) p50 \(String(format: "%7.2f", p(0.5))) µs   p99 \(String(format: "%7.2f", p(0.99))) µs   mean \(String(format: "%7.2f", samples.reduce(0, +) / Double(samples.count))) µs")
        }

        var sink = 0
        measure("decision (features + selection)") {
            let features = extractor.features(of: request)
            sink &+= router.decide(features: features, constraints: Constraints(objective: .balanced), privacy: PrivacyPolicy(piiZone: .onPrem)).order.count
        }
        // The issue's figure: the whole decision with the router file `frontier fit` makes of shared/data
        // (scripts/bench-router fits it once into ~/.cache/frontier) and the PII policy.
        if let path = ProcessInfo.processInfo.environment["FRONTIER_BENCH_ROUTER_FILE"] {
            let file = try RouterFile.load(path: path)
            var fitted = FeatureExtractor(
                classifier: file.classifier, predictor: file.predictor, outputLengths: file.outputLengths, neighbours: file.neighbours,
                network: file.network)
            fitted.signalChoice = file.signalChoice(lambda: 50)
            let fittedRouter = ModelRouter(models: Self.models(fittedTo: file), lambda: 50)
            measure("decision, fitted router file") {
                let features = fitted.features(of: request)
                sink &+= fittedRouter.decide(features: features, constraints: Constraints(objective: .balanced), privacy: PrivacyPolicy(piiZone: .onPrem)).order.count
            }
            let features = fitted.features(of: request)
            measure("selection alone, fitted router file") {
                sink &+= fittedRouter.decide(features: features, constraints: Constraints(objective: .balanced), privacy: PrivacyPolicy(piiZone: .onPrem)).order.count
            }
            measure("features alone, fitted router file") { sink &+= fitted.features(of: request).promptTokens }
        }
        let features = extractor.features(of: request)
        let decision = router.decide(features: features, constraints: Constraints(objective: .balanced), privacy: PrivacyPolicy(piiZone: .onPrem))
        measure("x-frontier-decision header alone") { sink &+= decision.shortForm.utf8.count }
        // What the ledger hashes of a decision (its record's canonical JSON carries it).
        let decisionJSON = decision.json
        measure("decision as canonical JSON") { sink &+= decisionJSON.canonicalSerialized().count }
        measure("selection alone") {
            sink &+= router.decide(features: features, constraints: Constraints(objective: .balanced), privacy: PrivacyPolicy(piiZone: .onPrem)).order.count
        }
        measure("PII detection alone") { sink &+= PIIDetector().findings(in: prompt).count }
        // The operator's rules: a deny list of 100,000 two-word names, and one pattern recognizer.
        let names = (0..<100_000).map { "Given\($0 % 5_000)name Family\($0 / 5_000)name" }
        let loadStart = ContinuousClock.now
        let denyList = try DenyList(name: "patients", category: .personName, lines: names.map { Substring($0) })
        let loadTime = ContinuousClock.now - loadStart
        let hsp = try PatternRecognizer(name: "hsp", category: .medicalRecordNumber, pattern: "\\bHSP-?\\s?[0-9]{8}\\b", context: ["record"], validation: .mod11)
        var denyExtractor = extractor
        denyExtractor.detector = PIIDetector(operatorRules: OperatorRecognizers(denyLists: [denyList]))
        var ruleExtractor = extractor
        ruleExtractor.detector = PIIDetector(operatorRules: OperatorRecognizers(patterns: [hsp], denyLists: [denyList]))
        measure("decision, 100,000-term deny list") {
            let features = denyExtractor.features(of: request)
            sink &+= router.decide(features: features, constraints: Constraints(objective: .balanced), privacy: PrivacyPolicy(piiZone: .onPrem)).order.count
        }
        measure("decision, deny list + 1 recognizer") {
            let features = ruleExtractor.features(of: request)
            sink &+= router.decide(features: features, constraints: Constraints(objective: .balanced), privacy: PrivacyPolicy(piiZone: .onPrem)).order.count
        }
        let denyDetector = denyExtractor.detector, ruleDetector = ruleExtractor.detector
        measure("PII detection, deny list") { sink &+= denyDetector.findings(in: prompt).count }
        measure("PII detection, deny list + recognizer") { sink &+= ruleDetector.findings(in: prompt).count }
        if only == nil, !counting { print("deny list of \(denyList.count) terms loaded in \(loadTime)") }
        measure("domain classification alone") { sink &+= classifier?.classify(prompt).knownFeatures ?? 0 }
        // The embedding signal's search: MMLU-Pro's 7,182 training prompts x 384 dimensions (all-MiniLM-L6-v2), 10 models.
        let neighbours = Self.neighbours(count: 7_182, dimension: 384, models: 10)
        let query = (0..<384).map { Float(sin(Double($0))) }
        measure("neighbour search alone (7,182 x 384)") { sink &+= neighbours.predict(query, domain: nil)?.count ?? 0 }
        let network = Self.network(dimension: 384, hidden: 64, models: 10)
        measure("MLP over an embedding (384x64)") { sink &+= network.predict(query, domain: nil)?.count ?? 0 }
        measure("difficulty features alone") { sink &+= DifficultyFeatures.hashes(of: prompt, domain: "law").count }
        print("(\(iterations) calls each, \(prompt.utf8.count)-character prompt, \(router.models.count) models, classifier: \(classifier == nil ? "none" : "\(classifier?.domains.count ?? 0) domains"); checksum \(sink))")
    }

    /// The region callgrind counts; never inlined, so its symbol is there to toggle on.
    @inline(never)
    static func counted(_ iterations: Int, _ body: () -> Void) {
        for _ in 0..<iterations { body() }
    }

    static func neighbours(count: Int, dimension: Int, models: Int) -> NeighbourPredictor {
        var random = SeededGenerator(seed: 3)
        var table: [Float] = []
        table.reserveCapacity(count * dimension)
        for _ in 0..<count {
            let row = (0..<dimension).map { _ in Float(random.next() % 2_000) / 1_000 - 1 }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            table.append(contentsOf: row.map { $0 / norm })
        }
        let scores = (0..<(count * models)).map { _ in Float(random.next() % 2) }
        return NeighbourPredictor(
            models: (0..<models).map { "model-\($0)" }, domains: [], embedder: "bench", dimension: dimension, embeddings: table, scores: scores,
            prior: [Float](repeating: 0.5, count: models), k: 25, shrink: 40, temperature: 10)
    }

    static func network(dimension: Int, hidden: Int, models: Int) -> EmbeddingNetwork {
        var random = SeededGenerator(seed: 4)
        func weights(_ count: Int) -> [Float] { (0..<count).map { _ in Float(random.next() % 2_000) / 10_000 - 0.1 } }
        return EmbeddingNetwork(
            models: (0..<models).map { "model-\($0)" }, domains: [], embedder: "bench", dimension: dimension, hidden: hidden, activation: .tanh,
            inputWeights: weights(dimension * hidden), hiddenBias: weights(hidden), outputWeights: weights(hidden * models), outputBias: weights(models),
            prior: [Float](repeating: 0.5, count: models), blend: 0.5)
    }

    /// The file's models at the bench catalog's prices and deployments, their quality the file's.
    static func models(fittedTo file: RouterFile) -> [ModelEntry] {
        zip(file.models, models()).map { fitted, entry in
            var entry = entry
            entry.id = fitted.id
            entry.profile.quality = fitted.quality
            entry.profile.qualityByDomain = fitted.qualityByDomain
            return entry
        }
    }

    static func models() -> [ModelEntry] {
        (0..<10).map { n in
            let k = Double(n)
            let profile = ModelProfile(
                quality: 0.3 + k * 0.06, qualityByDomain: ["law": 0.2 + k * 0.07, "math": 0.35 + k * 0.05],
                firstTokenMs: 100 + k * 40, tokensPerSecond: 120 - k * 8)
            let deployment: Deployment = [Deployment.local, .onPrem, .cloud][n % 3]
            return ModelEntry(
                id: "model-\(n)", provider: .openAICompatible, baseURL: "http://127.0.0.1/v1", deployment: deployment,
                price: Price(inputPerMTok: k * 0.5, outputPerMTok: k * 2), contextWindow: 8_192 << (n % 4), profile: profile)
        }
    }

    /// Trained on shared/data/mmlu-pro when it is beside the repo, as `serve` would load a fitted one.
    static func trainClassifier() throws -> DomainClassifier? {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/mmlu-pro/outcomes.jsonl").path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var examples: [(text: String, domain: String)] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let json = try JSONParser.parse(String(line))
            if let prompt = json["prompt"]?.stringValue, let domain = json["domain"]?.stringValue { examples.append((prompt, domain)) }
        }
        return DomainClassifier.train(examples: examples)
    }

    static let prompt = """
        Our client, a regional hospital, signed a services agreement on 2024-03-01 with a software vendor. The vendor \
        now claims the contract renewed automatically for three years because the hospital missed a 60-day notice \
        window. The hospital argues the renewal clause is unenforceable because it was buried in an appendix and never \
        negotiated, and that the vendor materially breached the agreement by missing uptime commitments in four of the \
        last six months. Please explain the main doctrines a court would weigh (unconscionability, conspicuousness of \
        automatic renewal terms, material breach and the right to terminate), what evidence the hospital should gather, \
        and how damages might be calculated if the hospital stops paying. Contact the general counsel at \
        counsel@hospital.example.org or (415) 555-0132 with a short memo. Keep the answer under 400 words and cite \
        the relevant sections of the Restatement (Second) of Contracts where they apply to each point you make. \
        Also list, as a numbered checklist, the documents the hospital's records office should pull before Friday.
        """
}
