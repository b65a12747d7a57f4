public import FrontierCore

/// What the router knows about a request before choosing a model.
public struct RequestFeatures: Sendable {
    public var domain: DomainClassifier.Prediction?
    /// Findings in everything the request sends (offsets into the joined text), and the field of each category.
    public var pii: [PIIFinding]
    public var piiFields: [FieldFinding] = []
    /// Parts that cannot be scanned (images, audio, files), with their kind; `privacy.unscannable` decides where they may go.
    public var unscannable: [(path: String, kind: String)] = []
    public var promptTokens: Int
    /// The request's `max_tokens`, or the assumed length when it sets none: the context-window check's worst case.
    public var expectedOutputTokens: Int
    /// Model id -> this prompt's expected answer length, from a fitted router file's output-length model
    /// (at most `max_tokens`); models without one are expected at ``expectedOutputTokens``.
    public var expectedOutputTokensByModel: [String: Int] = [:]
    public var hasCode: Bool
    public var hasMath: Bool
    /// Model id -> probability of a good answer to this prompt, from a fitted router file's predictor.
    public var predictedQuality: [String: Double]
    /// Set when the router file reads prompt embeddings: whether this request's was used, and its latency.
    public var embedding: EmbeddingNote?
    /// The signal the fitted file's plan reads for this prompt's domain at the router's λ, when it has a plan.
    public var signal: SignalPlan.Signal?
    /// What was read from the prompt's text independently of any router file, for a second planner on this request.
    var text: PromptText?

    public init(
        domain: DomainClassifier.Prediction? = nil, pii: [PIIFinding] = [], promptTokens: Int, expectedOutputTokens: Int,
        hasCode: Bool = false, hasMath: Bool = false, predictedQuality: [String: Double] = [:]
    ) {
        self.domain = domain
        self.pii = pii
        self.promptTokens = promptTokens
        self.expectedOutputTokens = expectedOutputTokens
        self.hasCode = hasCode
        self.hasMath = hasMath
        self.predictedQuality = predictedQuality
    }

    public var piiCategories: [PIICategory] { Array(Set(pii.map(\.category))).sorted() }
}

/// Computes ``RequestFeatures`` in-process: domain, PII, size, code and math.
public struct FeatureExtractor: Sendable {
    public var classifier: DomainClassifier?
    /// Per-prompt quality per model, from a fitted router file.
    public var predictor: QualityPredictor?
    /// Per-prompt answer length per model, from a fitted router file.
    public var outputLengths: OutputLengthModel?
    /// Per-prompt quality per model from the nearest training prompts' embeddings, from a fitted router file.
    public var neighbours: NeighbourPredictor?
    /// Or from a network over the embedding (the file has one or the other).
    public var network: EmbeddingNetwork?
    /// The fitted file's signal per domain at the router's λ (``SignalPlan/choice(lambda:overallQuality:)``); without
    /// one, every signal the extractor has is read.
    public var signalChoice: SignalChoice?
    public var detector = PIIDetector()
    /// Output tokens assumed when the request sets no max_tokens.
    public var defaultOutputTokens: Int

    public init(
        classifier: DomainClassifier?, predictor: QualityPredictor? = nil, outputLengths: OutputLengthModel? = nil,
        neighbours: NeighbourPredictor? = nil, network: EmbeddingNetwork? = nil, defaultOutputTokens: Int = 256
    ) {
        self.network = network
        self.classifier = classifier
        self.predictor = predictor
        self.outputLengths = outputLengths
        self.neighbours = neighbours
        self.defaultOutputTokens = defaultOutputTokens
    }

    /// Features of a request: domain, size, code and math from its messages' text; PII from everything it sends.
    /// - Parameter scanned: features another extractor with the same detector computed for this request (the live
    ///   router's, for the shadow's decision): its PII findings and its reading of the text (words hashed, markers)
    ///   are taken instead of doing that work again.
    public func features(of request: ChatRequest, embedding: PromptEmbedding? = nil, scanned: RequestFeatures? = nil) -> RequestFeatures {
        let text = scanned?.text ?? PromptText(request.messages.map(\.text).joined(separator: "\n"))
        var features = features(of: text, messageCount: request.messages.count, maxTokens: request.maxTokens, embedding: embedding)
        if let scanned {
            (features.pii, features.piiFields, features.unscannable) = (scanned.pii, scanned.piiFields, scanned.unscannable)
            return features
        }
        let content = SentContent(request)
        (features.pii, features.piiFields) = detector.scan(content)
        features.unscannable = content.unscannable
        return features
    }

    public func features(
        ofText text: String, messageCount: Int = 1, maxTokens: Int? = nil, scanPII: Bool = true, embedding: PromptEmbedding? = nil
    ) -> RequestFeatures {
        var features = features(of: PromptText(text), messageCount: messageCount, maxTokens: maxTokens, embedding: embedding)
        if scanPII { features.pii = detector.findings(in: text) }
        return features
    }

    private func features(of prompt: PromptText, messageCount: Int, maxTokens: Int?, embedding: PromptEmbedding?) -> RequestFeatures {
        var prompt = prompt
        let text = prompt.text
        let markers = prompt.markers
        // The word features are hashed once for both the classifier and the predictor (and a second planner).
        let hashes = classifier != nil || predictor != nil ? prompt.wordHashes() : []
        let domain = classifier?.classify(features: hashes)
        var signal = signalChoice?.signal(for: domain?.domain)
        // A part the route may not read (`signals`) is not there: its cells read the domain means.
        if signal == .prompt && predictor == nil || signal == .embedding && !readsEmbeddings { signal = .domain }
        let promptTokens = Usage.estimatedTokens(in: text).saturatingAdd(4.saturatingMultiply(messageCount))
        var features = RequestFeatures(
            domain: domain,
            promptTokens: promptTokens,
            expectedOutputTokens: maxTokens ?? defaultOutputTokens,
            hasCode: markers.code,
            hasMath: markers.math)
        features.signal = signal
        features.text = prompt
        if let outputLengths {
            features.expectedOutputTokensByModel = outputLengths.expected(promptTokens: promptTokens, domain: domain?.domain, cap: maxTokens)
        }
        // Without a plan every signal the extractor has is read (the neighbours' estimates win when they answer).
        if signal == SignalPlan.Signal.none { features.predictedQuality = signalChoice?.overallQuality ?? [:] }
        if signal == nil || signal == .prompt, let predictor {
            features.predictedQuality = predictedQuality(predictor, predictor.features(of: text, words: hashes, domain: domain?.domain, hasCode: markers.code), domain?.domain)
        }
        if signal == nil || signal == .embedding, readsEmbeddings {
            features.embedding = embeddingNote(embedding, domain?.domain, into: &features.predictedQuality)
        }
        return features
    }

    /// Whether ``features(ofText:messageCount:maxTokens:scanPII:embedding:)`` would read this prompt's embedding:
    /// the file has a predictor over embeddings and its plan reads it in the prompt's domain. Asked before the
    /// embedder is called, so a request in a domain routed by its means waits for no embedder.
    public func readsEmbedding(of request: ChatRequest) -> Bool {
        guard readsEmbeddings else { return false }
        guard let signalChoice else { return true }
        let region = signalChoice.region
        let readers = region.byDomain.values.filter { $0 == .embedding }.count
        // Read in no domain, or in every one (the classifier's domains are the plan's): no need to classify.
        if readers == 0, region.otherwise != .embedding { return false }
        if readers == region.byDomain.count, region.otherwise == .embedding { return true }
        let text = request.messages.map(\.text).joined(separator: "\n")
        let domain = classifier?.classify(features: TextFeatures.distinctHashes(of: text))
        return signalChoice.signal(for: domain?.domain) == .embedding
    }

    /// Whether a predictor over prompt embeddings is here: the neighbours or the network.
    public var readsEmbeddings: Bool { neighbours != nil || network != nil }

    /// The embedding predictor's estimates into `quality` when the vector fits; what happened, for the decision.
    private func embeddingNote(_ embedding: PromptEmbedding?, _ domain: String?, into quality: inout [String: Double]) -> EmbeddingNote {
        // No vector, or one of another embedder: the domain means (the file's models) decide, and the decision says so.
        switch embedding {
        case .vector(let vector, let ms):
            guard let predicted = neighbours?.predict(vector, domain: domain) ?? network?.predict(vector, domain: domain) else {
                let expected = neighbours?.dimension ?? network?.dimension ?? 0
                return .fellBack(reason: "the embedder's vectors have \(vector.count) dimensions, the router's \(expected)", milliseconds: ms)
            }
            quality = predicted
            return .used(milliseconds: ms)
        case .unavailable(let reason, let ms):
            return .fellBack(reason: reason, milliseconds: ms)
        case nil:
            return .fellBack(reason: "no embedding of this prompt (router.embedder not set, or not asked)", milliseconds: 0)
        }
    }

    private func predictedQuality(_ predictor: QualityPredictor, _ hashes: [UInt64], _ domain: String?) -> [String: Double] {
        Dictionary(zip(predictor.models, predictor.predict(features: hashes, domain: domain)), uniquingKeysWith: { first, _ in first })
    }

    static let codeMarkers: [[UInt8]] = ["```", "def ", "func ", "function ", "class ", "#include", "import ", "return ", "=> ", "};", "SELECT "].map { Array($0.utf8) }
    static let mathMarkers: [[UInt8]] = ["\\frac", "\\int", "\\sum", "$$", "∫", "√", "^2", "equation", "integral", "derivative", "solve for"].map { Array($0.utf8) }

    /// Bit 0: a code marker starts with this byte; bit 1: a math marker does.
    static let markerFirstBytes: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for needle in codeMarkers { table[Int(needle[0])] |= 1 }
        for needle in mathMarkers { table[Int(needle[0])] |= 2 }
        return table
    }()

    /// Whether `text` contains a code marker and a math marker, in one pass over its bytes.
    static func markers(in text: String) -> (code: Bool, math: Bool) {
        var text = text
        return text.withUTF8 { bytes in
            markerFirstBytes.withUnsafeBufferPointer { table in
                var code = false, math = false
                var previousIsLetter = false
                for i in bytes.indices {
                    let b = bytes[i]
                    let kinds = table[Int(b)]
                    // Markers that start with a lower-case letter are words: look only where a word starts.
                    let isLower = b &- 97 < 26
                    defer { previousIsLetter = isLower || b &- 65 < 26 }
                    guard kinds != 0, !(isLower && previousIsLetter) else { continue }
                    if !code, kinds & 1 != 0, startsAny(bytes, at: i, codeMarkers) { code = true }
                    if !math, kinds & 2 != 0, startsAny(bytes, at: i, mathMarkers) { math = true }
                    if code && math { break }
                }
                return (code, math)
            }
        }
    }

    private static func startsAny(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, _ needles: [[UInt8]]) -> Bool {
        needles.contains { needle in
            needle[0] == bytes[i] && i + needle.count <= bytes.count
                && needle.indices.allSatisfy { bytes[i + $0] == needle[$0] }
        }
    }
}
