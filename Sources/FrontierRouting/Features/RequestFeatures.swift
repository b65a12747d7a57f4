public import FrontierCore

/// What the router knows about a request before choosing a model.
public struct RequestFeatures: Sendable {
    public var domain: DomainClassifier.Prediction?
    public var pii: [PIIFinding]
    public var promptTokens: Int
    public var expectedOutputTokens: Int
    public var hasCode: Bool
    public var hasMath: Bool

    public init(domain: DomainClassifier.Prediction? = nil, pii: [PIIFinding] = [], promptTokens: Int, expectedOutputTokens: Int, hasCode: Bool = false, hasMath: Bool = false) {
        self.domain = domain
        self.pii = pii
        self.promptTokens = promptTokens
        self.expectedOutputTokens = expectedOutputTokens
        self.hasCode = hasCode
        self.hasMath = hasMath
    }

    public var piiCategories: [PIICategory] { Array(Set(pii.map(\.category))).sorted() }
}

/// Computes ``RequestFeatures`` in-process: domain, PII, size, code and math.
public struct FeatureExtractor: Sendable {
    public var classifier: DomainClassifier?
    public var detector = PIIDetector()
    /// Output tokens assumed when the request sets no max_tokens.
    public var defaultOutputTokens: Int

    public init(classifier: DomainClassifier?, defaultOutputTokens: Int = 256) {
        self.classifier = classifier
        self.defaultOutputTokens = defaultOutputTokens
    }

    public func features(of request: ChatRequest) -> RequestFeatures {
        let text = request.messages.map(\.text).joined(separator: "\n")
        return features(ofText: text, messageCount: request.messages.count, maxTokens: request.maxTokens)
    }

    public func features(ofText text: String, messageCount: Int = 1, maxTokens: Int? = nil) -> RequestFeatures {
        RequestFeatures(
            domain: classifier?.classify(text),
            pii: detector.findings(in: text),
            promptTokens: Usage.estimatedTokens(in: text) + 4 * messageCount,
            expectedOutputTokens: maxTokens ?? defaultOutputTokens,
            hasCode: Self.looksLikeCode(text),
            hasMath: Self.looksLikeMath(text))
    }

    static func looksLikeCode(_ text: String) -> Bool {
        let markers = ["```", "def ", "func ", "function ", "class ", "#include", "import ", "return ", "=> ", "};", "SELECT "]
        return markers.contains { text.contains($0) }
    }

    static func looksLikeMath(_ text: String) -> Bool {
        let markers = ["\\frac", "\\int", "\\sum", "$$", "∫", "√", "x^2", "^2", "equation", "integral", "derivative", "solve for"]
        return markers.contains { text.contains($0) }
    }
}
