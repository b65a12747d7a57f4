/// A model or a router setting: mean cost per prompt (USD) and mean quality.
public struct CostQualityPoint: Sendable, Equatable {
    public var label: String
    public var cost: Double
    public var quality: Double
    /// Prompts behind the means.
    public var count: Int

    public init(label: String, cost: Double, quality: Double, count: Int = 0) {
        self.label = label
        self.cost = cost
        self.quality = quality
        self.count = count
    }
}
