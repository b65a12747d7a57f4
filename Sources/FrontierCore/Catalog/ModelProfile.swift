/// What the router expects of a model: quality per domain (from the router
/// file or config), latency (seeded from config, then learned), and the
/// marginal cost of a local model's tokens.
public struct ModelProfile: Sendable, Hashable {
    /// Expected score in [0, 1] where no domain figure applies.
    public var quality: Double
    public var qualityByDomain: [String: Double]
    /// Time to first token, milliseconds.
    public var firstTokenMs: Double
    public var tokensPerSecond: Double
    /// For local and on-prem models: USD per million tokens of electricity and wear, beyond the fixed box.
    public var marginalCostPerMTok: Double
    /// The model's id in the router file and outcome data, when it differs from its catalog id.
    public var routerID: String?

    public init(quality: Double = 0.5, qualityByDomain: [String: Double] = [:], firstTokenMs: Double = 500, tokensPerSecond: Double = 50, marginalCostPerMTok: Double = 0) {
        self.quality = quality
        self.qualityByDomain = qualityByDomain
        self.firstTokenMs = firstTokenMs
        self.tokensPerSecond = tokensPerSecond
        self.marginalCostPerMTok = marginalCostPerMTok
    }

    public func quality(for domain: String?) -> Double {
        domain.flatMap { qualityByDomain[$0] } ?? quality
    }
}
