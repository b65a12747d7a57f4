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

    /// The PII categories alone (a named model needs no more).
    public func piiCategories(of request: ChatRequest) -> [PIICategory] {
        detector.categories(in: request.messages.map(\.text).joined(separator: "\n"))
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

    static let codeMarkers: [[UInt8]] = ["```", "def ", "func ", "function ", "class ", "#include", "import ", "return ", "=> ", "};", "SELECT "].map { Array($0.utf8) }
    static let mathMarkers: [[UInt8]] = ["\\frac", "\\int", "\\sum", "$$", "∫", "√", "^2", "equation", "integral", "derivative", "solve for"].map { Array($0.utf8) }

    static let codeFirstBytes = firstByteTable(codeMarkers)
    static let mathFirstBytes = firstByteTable(mathMarkers)

    static func looksLikeCode(_ text: String) -> Bool { containsAny(text, codeMarkers, codeFirstBytes) }
    static func looksLikeMath(_ text: String) -> Bool { containsAny(text, mathMarkers, mathFirstBytes) }

    static func firstByteTable(_ needles: [[UInt8]]) -> [Bool] {
        var table = [Bool](repeating: false, count: 256)
        for needle in needles { table[Int(needle[0])] = true }
        return table
    }

    /// Whether `text` contains one of `needles`, in one pass over its bytes.
    static func containsAny(_ text: String, _ needles: [[UInt8]], _ firstBytes: [Bool]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard !bytes.isEmpty else { return false }
            for i in bytes.indices where firstBytes[Int(bytes[i])] {
                let b = bytes[i]
                for needle in needles where needle[0] == b && i + needle.count <= bytes.count {
                    var matched = true
                    for k in 1..<needle.count where bytes[i + k] != needle[k] {
                        matched = false
                        break
                    }
                    if matched { return true }
                }
            }
            return false
        }
    }
}
