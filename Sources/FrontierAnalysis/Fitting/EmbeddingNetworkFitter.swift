import Foundation
import FrontierCore
public import FrontierRouting

/// Fits an ``EmbeddingNetwork`` on the training prompts that have embeddings: cross-entropy against the scores
/// (graded, in [0, 1]; a model not run on a prompt is left out of its loss) by Adam over mini-batches, with L2.
/// The settings are the embedding study's (scripts/embedding-signal-study.py), which cross-validated them.
public struct EmbeddingNetworkFitter: Sendable {
    public var hidden = 16
    public var activation = EmbeddingNetwork.Activation.linear
    public var epochs = 12
    public var batch = 32
    public var learningRate: Float = 3e-3
    public var l2: Float = 1e-4
    public var blend: Float = 0.5
    public var seed: UInt64 = 1

    /// How the report names it.
    public var name: String { activation == .linear ? "factorisation rank \(hidden)" : "MLP \(hidden) \(activation.rawValue)" }

    public init(hidden: Int, activation: EmbeddingNetwork.Activation) {
        self.hidden = hidden
        self.activation = activation
    }

    /// - Parameter prior: for each domain then overall, each model's mean quality (``EmbeddingNetwork/prior``).
    public func fit(
        _ train: OutcomeSet, embeddings: [String: [Float]], embedder: String, models: [String], domains: [String], prior: [Float]
    ) -> EmbeddingNetwork? {
        guard let dimension = embeddings.first?.value.count, dimension > 0 else { return nil }
        let domainIndex = Dictionary(uniqueKeysWithValues: domains.enumerated().map { ($1, $0) })
        var inputs: [Float] = [], domainOf: [Int?] = [], targets: [Float] = []
        for record in train.records {
            guard let vector = embeddings[record.id], vector.count == dimension else { continue }
            inputs.append(contentsOf: vector)
            domainOf.append(record.domain.flatMap { domainIndex[$0] })
            targets.append(contentsOf: models.map { record.results[$0].map { Float($0.score) } ?? -1 })
        }
        guard !domainOf.isEmpty else { return nil }
        var state = State(inputs: dimension + domains.count, hidden: hidden, models: models.count, seed: seed)
        var random = SeededGenerator(seed: seed &+ 1)
        var order = Array(domainOf.indices)
        var step = 0
        for _ in 0..<epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            for start in stride(from: 0, to: order.count, by: batch) {
                let rows = order[start..<min(start + batch, order.count)]
                state.zeroGradients()
                let observed = rows.reduce(0) { total, n in total + (0..<models.count).filter { targets[n * models.count + $0] >= 0 }.count }
                let scale = 1 / Float(max(observed, 1))
                for n in rows {
                    inputs.withUnsafeBufferPointer { all in
                        let x = UnsafeBufferPointer(rebasing: all[(n * dimension)..<((n + 1) * dimension)])
                        state.accumulate(x, domain: domainOf[n].map { dimension + $0 }, targets: targets[(n * models.count)..<((n + 1) * models.count)],
                            scale: scale, activation: activation)
                    }
                }
                step += 1
                state.adam(step: step, rate: learningRate, l2: l2)
            }
        }
        let network = EmbeddingNetwork(
            models: models, domains: domains, embedder: embedder, dimension: dimension, hidden: hidden, activation: activation,
            inputWeights: state.w1, hiddenBias: state.b1, outputWeights: state.w2, outputBias: state.b2, prior: prior, blend: blend)
        return network.isConsistent ? network : nil
    }

    /// Weights, their gradients over one batch, and Adam's moments, parameter by parameter in one flat array each.
    struct State {
        let inputs: Int, hidden: Int, models: Int
        var w1: [Float], b1: [Float], w2: [Float], b2: [Float]
        var g1: [Float], gb1: [Float], g2: [Float], gb2: [Float]
        var moments: [[Float]]

        init(inputs: Int, hidden: Int, models: Int, seed: UInt64) {
            self.inputs = inputs
            self.hidden = hidden
            self.models = models
            var random = SeededGenerator(seed: seed)
            func normal(_ count: Int, _ sd: Float) -> [Float] {
                (0..<count).map { _ in
                    // Box-Muller from two uniforms in (0, 1].
                    let u = Float(random.next() % 1_000_000 + 1) / 1_000_000, v = Float(random.next() % 1_000_000) / 1_000_000
                    return sd * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
                }
            }
            w1 = normal(inputs * hidden, 1 / Float(inputs).squareRoot())
            b1 = [Float](repeating: 0, count: hidden)
            w2 = normal(hidden * models, 1 / Float(hidden).squareRoot())
            b2 = [Float](repeating: 0, count: models)
            g1 = [Float](repeating: 0, count: w1.count)
            gb1 = b1
            g2 = [Float](repeating: 0, count: w2.count)
            gb2 = b2
            moments = [w1, b1, w2, b2].flatMap { [[Float](repeating: 0, count: $0.count), [Float](repeating: 0, count: $0.count)] }
        }

        mutating func zeroGradients() {
            for k in g1.indices { g1[k] = 0 }
            for k in gb1.indices { gb1[k] = 0 }
            for k in g2.indices { g2[k] = 0 }
            for k in gb2.indices { gb2[k] = 0 }
        }

        /// Forward one prompt and add its gradient (`domain` is the one-hot input's row).
        mutating func accumulate(
            _ x: UnsafeBufferPointer<Float>, domain: Int?, targets: ArraySlice<Float>, scale: Float, activation: EmbeddingNetwork.Activation
        ) {
            let dimension = x.count, hidden = self.hidden, models = self.models
            var h = b1
            w1.withUnsafeBufferPointer { w in
                for i in 0..<dimension {
                    let xi = x[i], base = i * hidden
                    for j in 0..<hidden { h[j] += xi * w[base + j] }
                }
                if let domain {
                    for j in 0..<hidden { h[j] += w[domain * hidden + j] }
                }
            }
            if activation == .tanh { for j in 0..<hidden { h[j] = tanh(h[j]) } }
            var g = [Float](repeating: 0, count: models)
            for k in 0..<models {
                let target = targets[targets.startIndex + k]
                guard target >= 0 else { continue }
                var z = b2[k]
                for j in 0..<hidden { z += h[j] * w2[j * models + k] }
                g[k] = (1 / (1 + exp(-z)) - target) * scale
            }
            var gh = [Float](repeating: 0, count: hidden)
            for j in 0..<hidden {
                var sum: Float = 0
                for k in 0..<models {
                    sum += g[k] * w2[j * models + k]
                    g2[j * models + k] += h[j] * g[k]
                }
                gh[j] = activation == .tanh ? sum * (1 - h[j] * h[j]) : sum
            }
            for k in 0..<models { gb2[k] += g[k] }
            for j in 0..<hidden { gb1[j] += gh[j] }
            g1.withUnsafeMutableBufferPointer { g1 in
                for i in 0..<dimension {
                    let xi = x[i], base = i * hidden
                    for j in 0..<hidden { g1[base + j] += xi * gh[j] }
                }
                if let domain {
                    for j in 0..<hidden { g1[domain * hidden + j] += gh[j] }
                }
            }
        }

        mutating func adam(step: Int, rate: Float, l2: Float) {
            let c1 = 1 - pow(0.9, Float(step)), c2 = 1 - pow(0.999, Float(step))
            func update(_ params: inout [Float], _ grads: [Float], _ m: Int, decay: Bool) {
                for k in params.indices {
                    let grad = grads[k] + (decay ? l2 * params[k] : 0)
                    moments[m][k] = 0.9 * moments[m][k] + 0.1 * grad
                    moments[m + 1][k] = 0.999 * moments[m + 1][k] + 0.001 * grad * grad
                    params[k] -= rate * (moments[m][k] / c1) / ((moments[m + 1][k] / c2).squareRoot() + 1e-8)
                }
            }
            update(&w1, g1, 0, decay: true)
            update(&b1, gb1, 2, decay: false)
            update(&w2, g2, 4, decay: true)
            update(&b2, gb2, 6, decay: false)
        }
    }
}
