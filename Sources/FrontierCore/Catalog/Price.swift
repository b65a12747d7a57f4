/// Per-token prices of a model, in US dollars per million tokens.
public struct Price: Sendable, Hashable {
    public var inputPerMTok: Double
    public var outputPerMTok: Double
    /// Price of prompt tokens served from the upstream's cache; the input price when not set.
    public var cachedInputPerMTok: Double?

    public init(inputPerMTok: Double, outputPerMTok: Double, cachedInputPerMTok: Double? = nil) {
        self.inputPerMTok = inputPerMTok
        self.outputPerMTok = outputPerMTok
        self.cachedInputPerMTok = cachedInputPerMTok
    }

    public static let free = Price(inputPerMTok: 0, outputPerMTok: 0)

    /// The cost of one completion's usage in US dollars.
    public func cost(of usage: Usage) -> Double {
        let cached = min(usage.cachedPromptTokens, usage.promptTokens)
        let uncached = usage.promptTokens - cached
        let input = Double(uncached) * inputPerMTok + Double(cached) * (cachedInputPerMTok ?? inputPerMTok)
        return (input + Double(usage.completionTokens) * outputPerMTok) / 1_000_000
    }
}
