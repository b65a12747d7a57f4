import Foundation

/// Predicts, for each model, the probability that it answers one prompt well:
/// a logistic model per model over the prompt's hashed word features, its
/// domain and a bias, then Platt scaling fitted on prompts held out from the
/// fit, so that a predicted 0.7 means right about 70% of the time. The result
/// is blended with the model's mean quality in the prompt's domain (`blend`
/// is the per-prompt share, chosen by `frontier fit` on a validation split):
/// per-prompt estimates are noisy, and routing acts on their differences.
///
/// ```swift
/// let p = predictor.predict(features: TextFeatures.distinctHashes(of: prompt), domain: "law")
/// // [0.81, 0.64, ...] in the order of `predictor.models`
/// ```
public struct QualityPredictor: Sendable {
    public let models: [String]
    public let domains: [String]
    /// Text features are hashed into this many rows (a power of two).
    public let buckets: Int
    /// For each bucket, one weight per model: one cache line serves all models.
    public let textWeights: [Float]
    /// For each domain, one weight per model.
    public let domainWeights: [Float]
    public let bias: [Float]
    /// Platt scaling per model: p = sigmoid(scale * z + shift).
    public let scale: [Float]
    public let shift: [Float]
    /// For each domain, each model's mean quality there; then one more row: the models' overall means.
    public let prior: [Float]
    /// The per-prompt prediction's share of the estimate, in [0, 1]; the rest is `prior`.
    public var blend: Float
    /// Whether the prompt's ``DifficultyFeatures`` are features too (``features(of:words:domain:hasCode:)`` adds them).
    public var difficulty: Bool

    public init(
        models: [String], domains: [String], buckets: Int, textWeights: [Float], domainWeights: [Float], bias: [Float],
        scale: [Float], shift: [Float], prior: [Float], blend: Float, difficulty: Bool = false
    ) {
        self.difficulty = difficulty
        self.models = models
        self.domains = domains
        self.buckets = buckets
        self.textWeights = textWeights
        self.domainWeights = domainWeights
        self.bias = bias
        self.scale = scale
        self.shift = shift
        self.prior = prior
        self.blend = blend
    }

    /// Whether the parts fit together (a saved file may be damaged).
    public var isConsistent: Bool {
        let m = models.count
        // Bounded before the product: a damaged file's sizes must not overflow the check.
        return (1...(1 << 24)).contains(buckets) && buckets & (buckets - 1) == 0 && textWeights.count == buckets * m
            && domainWeights.count == domains.count * m && bias.count == m && scale.count == m && shift.count == m
            && prior.count == (domains.count + 1) * m && (0...1).contains(blend) && QualityEstimate.arePriors(prior)
            && [textWeights, domainWeights, bias, scale, shift].allSatisfy { $0.allSatisfy(\.isFinite) }
    }

    /// A prompt as the model sees it: its feature rows, the weight of each, its domain's index.
    public struct Encoding: Sendable {
        public var rows: [Int]
        /// 1 / sqrt(rows): long and short prompts weigh alike.
        public var weight: Float
        public var domain: Int?
    }

    /// The features of one prompt: its word hashes, and its difficulty tokens when the predictor reads them.
    public func features(of text: String, words: [UInt64], domain: String?, hasCode: Bool? = nil) -> [UInt64] {
        difficulty ? words + DifficultyFeatures.hashes(of: text, domain: domain, hasCode: hasCode) : words
    }

    public func encode(features: [UInt64], domain: String?) -> Encoding {
        Self.encode(features: features, domainIndex: domain.flatMap { domains.firstIndex(of: $0) }, buckets: buckets)
    }

    public static func encode(features: [UInt64], domainIndex: Int?, buckets: Int) -> Encoding {
        let mask = UInt64(buckets - 1)
        let rows = features.map { Int(($0 ^ ($0 >> 31)) & mask) }
        return Encoding(rows: rows, weight: rows.isEmpty ? 0 : 1 / Float(rows.count).squareRoot(), domain: domainIndex)
    }

    /// Uncalibrated scores, one per model.
    public func logits(_ encoding: Encoding) -> [Float] {
        let m = models.count
        var z = bias
        if let d = encoding.domain {
            for k in 0..<m { z[k] += domainWeights[d * m + k] }
        }
        textWeights.withUnsafeBufferPointer { weights in
            z.withUnsafeMutableBufferPointer { z in
                var sums = [Float](repeating: 0, count: m)
                for row in encoding.rows {
                    let base = row * m
                    for k in 0..<m { sums[k] += weights[base + k] }
                }
                for k in 0..<m { z[k] += sums[k] * encoding.weight }
            }
        }
        return z
    }

    /// Expected quality, one per model in `models` order: the blend of the
    /// calibrated per-prompt probability and the domain's mean.
    public func predict(_ encoding: Encoding) -> [Double] {
        let m = models.count
        let priorRow = (encoding.domain ?? domains.count) * m
        guard blend > 0 else { return (0..<m).map { Double(prior[priorRow + $0]) } }
        let z = logits(encoding)
        return z.indices.map { k in
            let prior = Double(prior[priorRow + k])
            return QualityEstimate.bounded(Double(blend) * Self.sigmoid(Double(scale[k] * z[k] + shift[k])) + Double(1 - blend) * prior, otherwise: prior)
        }
    }

    public func predict(features: [UInt64], domain: String?) -> [Double] {
        predict(encode(features: features, domain: domain))
    }

    public static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}
