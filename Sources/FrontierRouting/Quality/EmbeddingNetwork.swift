import Foundation

/// Predicts each model's score on a prompt from its sentence embedding and domain with one small network shared
/// by the models: a hidden layer over [embedding, domain one-hot], then a sigmoid output per model, blended with
/// the model's mean in the domain. `linear` hidden units make it matrix factorisation over (prompt, model) as in
/// RouteLLM (score = sigmoid(vₘ · W x + bₘ), rank `hidden`); `tanh` a small MLP. The other predictor over
/// embeddings beside ``NeighbourPredictor``; `frontier fit --embeddings` keeps the one with the lowest Brier score
/// on the validation prompts, and `serve` reads it as it reads the neighbours (only when the embedder answered in time).
public struct EmbeddingNetwork: Sendable {
    public enum Activation: String, Sendable, CaseIterable {
        case linear
        case tanh
    }

    public let models: [String]
    public let domains: [String]
    public let embedder: String
    public let dimension: Int
    public let hidden: Int
    public let activation: Activation
    /// (dimension + domains) × hidden, by input row.
    public let inputWeights: [Float]
    public let hiddenBias: [Float]
    /// hidden × models, by hidden unit.
    public let outputWeights: [Float]
    public let outputBias: [Float]
    /// For each domain, each model's mean score there; then one more row: the models' overall means.
    public let prior: [Float]
    /// The network's share of the estimate, in [0, 1]; the rest is `prior`.
    public let blend: Float

    public init(
        models: [String], domains: [String], embedder: String, dimension: Int, hidden: Int, activation: Activation, inputWeights: [Float],
        hiddenBias: [Float], outputWeights: [Float], outputBias: [Float], prior: [Float], blend: Float
    ) {
        self.models = models
        self.domains = domains
        self.embedder = embedder
        self.dimension = dimension
        self.hidden = hidden
        self.activation = activation
        self.inputWeights = inputWeights
        self.hiddenBias = hiddenBias
        self.outputWeights = outputWeights
        self.outputBias = outputBias
        self.prior = prior
        self.blend = blend
    }

    /// Whether the parts fit together (a saved file may be damaged).
    public var isConsistent: Bool {
        let m = models.count
        // Bounded before any product: a damaged file's sizes must not overflow the checks.
        return (1...65_536).contains(dimension) && (1...4_096).contains(hidden) && inputWeights.count == (dimension + domains.count) * hidden && hiddenBias.count == hidden
            && outputWeights.count == hidden * m && outputBias.count == m && prior.count == (domains.count + 1) * m && (0...1).contains(blend)
            && QualityEstimate.arePriors(prior) && [inputWeights, hiddenBias, outputWeights, outputBias].allSatisfy { $0.allSatisfy(\.isFinite) }
    }

    /// The hidden layer's values for one input (an embedding and a domain index).
    public func hiddenLayer(_ embedding: UnsafeBufferPointer<Float>, domain: Int?) -> [Float] {
        var h = hiddenBias
        inputWeights.withUnsafeBufferPointer { w in
            h.withUnsafeMutableBufferPointer { h in
                for i in 0..<dimension where embedding[i] != 0 {
                    let x = embedding[i], base = i * hidden
                    for j in 0..<hidden { h[j] += x * w[base + j] }
                }
                if let domain {
                    let base = (dimension + domain) * hidden
                    for j in 0..<hidden { h[j] += w[base + j] }
                }
                if activation == .tanh {
                    for j in 0..<hidden { h[j] = Foundation.tanh(h[j]) }
                }
            }
        }
        return h
    }

    /// The network's probabilities, one per model, before the blend.
    public func outputs(_ h: [Float]) -> [Float] {
        let m = models.count
        var z = outputBias
        for j in 0..<hidden {
            let base = j * m
            for k in 0..<m { z[k] += h[j] * outputWeights[base + k] }
        }
        return z.map { 1 / (1 + exp(-$0)) }
    }

    /// Expected score per model id; nil when `embedding` is not this embedder's (wrong dimension, not finite).
    public func predict(_ embedding: [Float], domain: String?) -> [String: Double]? {
        guard embedding.count == dimension, embedding.allSatisfy(\.isFinite) else { return nil }
        let d = domain.flatMap { domains.firstIndex(of: $0) }
        let p = outputs(embedding.withUnsafeBufferPointer { hiddenLayer($0, domain: d) })
        let priorRow = (d ?? domains.count) * models.count
        var out: [String: Double] = [:]
        for (k, id) in models.enumerated() {
            let prior = Double(prior[priorRow + k])
            out[id] = QualityEstimate.bounded(Double(blend) * Double(p[k]) + Double(1 - blend) * prior, otherwise: prior)
        }
        return out
    }
}
