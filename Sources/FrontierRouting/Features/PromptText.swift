/// A request's prompt text and what is read from it independently of any router file: the code and math markers,
/// and (on first use) its distinct word hashes. Read once per request, shared by the live and the shadow planners.
struct PromptText: Sendable {
    let text: String
    let markers: (code: Bool, math: Bool)
    private var hashes: [UInt64]?

    init(_ text: String) {
        self.text = text
        self.markers = FeatureExtractor.markers(in: text)
    }

    /// ``TextFeatures/distinctHashes(of:)`` of the text, computed at most once for this value.
    mutating func wordHashes() -> [UInt64] {
        if let hashes { return hashes }
        let computed = TextFeatures.distinctHashes(of: text)
        hashes = computed
        return computed
    }
}
