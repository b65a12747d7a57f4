import Foundation
import FrontierCore

/// Predicts each model's score on a prompt from the training prompts most like it: the `k` nearest by
/// cosine similarity of their sentence embeddings (unit vectors from the router's embedder), weighted by
/// exp(temperature × similarity), shrunk toward the model's mean in the prompt's domain by `shrink`
/// pseudo-neighbours of average weight. Scores are graded, so the estimate is a weighted mean score.
///
/// `frontier fit --embeddings` builds it; `serve` uses it only when the route's embedder answered in
/// time (``FeatureExtractor/features(ofText:messageCount:maxTokens:scanPII:embedding:)``), else the
/// domain means stand, and the decision says which.
public struct NeighbourPredictor: Sendable {
    public let models: [String]
    public let domains: [String]
    /// The embedder the training prompts were embedded with, and its dimension: another one's vectors mean nothing here.
    public let embedder: String
    public let dimension: Int
    /// One unit vector per training prompt, `dimension` floats each.
    public let embeddings: [Float]
    /// One score per training prompt and model; negative where the model was not run on it.
    public let scores: [Float]
    /// For each domain, each model's mean score there; then one more row: the models' overall means.
    public let prior: [Float]
    public let k: Int
    public let shrink: Float
    public let temperature: Float

    public init(
        models: [String], domains: [String], embedder: String, dimension: Int, embeddings: [Float], scores: [Float], prior: [Float],
        k: Int, shrink: Float, temperature: Float
    ) {
        self.models = models
        self.domains = domains
        self.embedder = embedder
        self.dimension = dimension
        self.embeddings = embeddings
        self.scores = scores
        self.prior = prior
        self.k = k
        self.shrink = shrink
        self.temperature = temperature
    }

    public var count: Int { dimension > 0 ? embeddings.count / dimension : 0 }

    /// Whether the parts fit together (a saved file may be damaged).
    public var isConsistent: Bool {
        dimension > 0 && embeddings.count % dimension == 0 && scores.count == count * models.count
            && prior.count == (domains.count + 1) * models.count && k > 0 && shrink >= 0 && shrink.isFinite && temperature.isFinite
            && embeddings.allSatisfy(\.isFinite) && scores.allSatisfy { $0.isFinite && $0 <= 1 } && QualityEstimate.arePriors(prior)
    }

    /// Expected score per model id; nil when `embedding` is not this embedder's (wrong dimension, not finite).
    public func predict(_ embedding: [Float], domain: String?) -> [String: Double]? {
        guard embedding.count == dimension, embedding.allSatisfy(\.isFinite) else { return nil }
        let n = count, m = models.count
        let norm = embedding.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return nil }
        // Similarities by one pass over the table, eight lanes at a time (float sums are not reassociated for
        // us: one scalar accumulator was 1.2 ms per decision at 7,182 x 384), then the k best by a partial selection.
        var similarity = [Float](repeating: 0, count: n)
        let lanes = dimension / 8 * 8
        embeddings.withUnsafeBufferPointer { table in
            embedding.withUnsafeBufferPointer { query in
                for i in 0..<n {
                    let base = i * dimension
                    var sum = SIMD8<Float>()
                    var j = 0
                    while j < lanes {
                        sum += SIMD8(table[(base + j)..<(base + j + 8)]) * SIMD8(query[j..<(j + 8)])
                        j += 8
                    }
                    var dot = sum.sum()
                    while j < dimension {
                        dot += table[base + j] * query[j]
                        j += 1
                    }
                    similarity[i] = dot / norm
                }
            }
        }
        let nearest = Self.top(min(k, n), of: similarity)
        let priorRow = (domain.flatMap { domains.firstIndex(of: $0) } ?? domains.count) * m
        var out: [String: Double] = [:]
        for (j, id) in models.enumerated() {
            var weighted: Float = 0, weights: Float = 0, counted: Float = 0
            for i in nearest {
                let score = scores[i * m + j]
                guard score >= 0 else { continue }
                let w = exp(temperature * (similarity[i] - 1))  // relative to a perfect match: no overflow
                weighted += w * score
                weights += w
                counted += 1
            }
            let pseudo = shrink * (counted > 0 ? weights / counted : 1)
            out[id] = QualityEstimate.bounded(Double((weighted + pseudo * prior[priorRow + j]) / (weights + pseudo)), otherwise: Double(prior[priorRow + j]))
        }
        return out
    }

    /// Indices of the `k` largest values (any order).
    public static func top(_ k: Int, of values: [Float]) -> [Int] {
        guard k > 0 else { return [] }
        guard k < values.count else { return Array(values.indices) }
        var indices = Array(values.indices)
        // Quickselect: expected linear time, no full sort of thousands of similarities per request.
        var low = 0, high = indices.count - 1
        var generator = SeededGenerator(seed: UInt64(values.count))
        while low < high {
            let pivot = values[indices[low + Int(generator.next() % UInt64(high - low + 1))]]
            var i = low, j = high
            while i <= j {
                while values[indices[i]] > pivot { i += 1 }
                while values[indices[j]] < pivot { j -= 1 }
                if i <= j {
                    indices.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k - 1 <= j { high = j } else if k - 1 >= i { low = i } else { break }
        }
        return Array(indices.prefix(k))
    }
}
