import Foundation

/// How long each model's answer to one prompt is expected to be, in tokens: verbose models cost more
/// on the same question, and by how much depends on the kind of question and its length.
///
/// Per model, log(output tokens) = intercept of the prompt's domain + slope × log(prompt tokens), fitted
/// by least squares on outcome data (FrontierAnalysis's `OutputLengthFitter`); the expectation is the log-normal mean, exp(μ + σ²/2), since cost is linear in tokens.
/// `serve` and `analyze` both read it through ``FeatureExtractor``, so what is measured offline is what
/// the router expects online.
public struct OutputLengthModel: Sendable, Equatable {
    public let models: [String]
    public let domains: [String]
    /// For each domain, one intercept per model; then one more row for an unknown domain.
    public let intercepts: [Double]
    public let slopes: [Double]
    /// Each model's residual variance of log(output tokens).
    public let residualVariance: [Double]

    public init(models: [String], domains: [String], intercepts: [Double], slopes: [Double], residualVariance: [Double]) {
        self.models = models
        self.domains = domains
        self.intercepts = intercepts
        self.slopes = slopes
        self.residualVariance = residualVariance
    }

    /// Whether the parts fit together (a saved file may be damaged) and every number is usable.
    public var isConsistent: Bool {
        let m = models.count
        return intercepts.count == (domains.count + 1) * m && slopes.count == m && residualVariance.count == m
            && (intercepts + slopes + residualVariance).allSatisfy(\.isFinite) && residualVariance.allSatisfy { $0 >= 0 }
    }

    /// Expected output tokens per model id, each at least 1 and at most `cap` (the request's `max_tokens`,
    /// or the model's ceiling) when given.
    public func expected(promptTokens: Int, domain: String?, cap: Int? = nil) -> [String: Int] {
        let row = (domain.flatMap { domains.firstIndex(of: $0) } ?? domains.count) * models.count
        let logPrompt = log(Double(max(promptTokens, 1)))
        var out: [String: Int] = [:]
        out.reserveCapacity(models.count)
        for (k, id) in models.enumerated() {
            let mean = exp(intercepts[row + k] + slopes[k] * logPrompt + residualVariance[k] / 2)
            // Bounded before the conversion: a damaged or extreme file must not trap.
            var tokens = mean.isFinite ? Int(min(max(mean.rounded(), 1), 1_000_000)) : 1_000_000
            if let cap { tokens = min(tokens, max(cap, 1)) }
            out[id] = tokens
        }
        return out
    }
}
