/// `models[].regression`: how far a model's measured quality may fall below its baseline before it is marked
/// degraded and the router's estimates for it are lowered to what was measured.
public struct RegressionPolicy: Sendable, Hashable {
    /// In (0, 1): a drop of at least this much (baseline mean score less the recent one) degrades the model.
    public var maxQualityDrop: Double

    public init(maxQualityDrop: Double = 0.05) {
        self.maxQualityDrop = maxQualityDrop
    }
}
