/// Bounds on what a fitted predictor may hand the router: an estimate is a score in [0, 1]. A damaged or
/// extreme router file (weights that overflow, a non-unit neighbour row) can make one NaN or drift past 1
/// by rounding; the router would then rank by garbage, so such an estimate becomes the prior's.
enum QualityEstimate {
    static func bounded(_ value: Double, otherwise prior: Double) -> Double {
        guard value.isFinite else { return min(max(prior, 0), 1) }
        return min(max(value, 0), 1)
    }

    /// Priors come from the training split's mean scores, so a file's are in [0, 1].
    static func arePriors(_ values: [Float]) -> Bool { values.allSatisfy { (0...1).contains($0) } }
}
