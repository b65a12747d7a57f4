import Foundation
import FrontierCore
public import FrontierRouting

/// Fits a ``QualityPredictor``: per model, logistic regression (soft labels:
/// the score in [0, 1]) by AdaGrad with L2 over the prompts that model was run
/// on; then Platt scaling on a calibration tenth of the training prompts the
/// regression never saw. `prior` and `blend` are given (``RouterFitter``
/// chooses the blend on a validation split).
public struct QualityPredictorFitter: Sendable {
    public var buckets = 1 << 15
    public var epochs = 3
    public var learningRate: Float = 0.02
    public var l2: Float = 1e-3
    public var seed: UInt64 = 1
    /// Whether the prompts' ``DifficultyFeatures`` are features too.
    public var difficulty = false

    public init() {}

    public init(epochs: Int, learningRate: Float, l2: Float, difficulty: Bool = false) {
        self.difficulty = difficulty
        self.epochs = epochs
        self.learningRate = learningRate
        self.l2 = l2
    }

    /// - Parameter prior: for each domain then overall, each model's mean quality (``QualityPredictor/prior``).
    public func fit(_ train: OutcomeSet, models: [String], domains: [String], prior: [Float], blend: Float) -> QualityPredictor {
        let domainIndex = Dictionary(uniqueKeysWithValues: domains.enumerated().map { ($1, $0) })
        let modelIndex = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1, $0) })
        var fitting: [Example] = [], calibrating: [Example] = []
        for record in train.records {
            let words = TextFeatures.distinctHashes(of: record.prompt)
            let encoding = QualityPredictor.encode(
                features: difficulty ? words + DifficultyFeatures.hashes(of: record.prompt, domain: record.domain) : words,
                domainIndex: record.domain.flatMap { domainIndex[$0] }, buckets: buckets)
            let targets = record.results.compactMap { model, outcome in modelIndex[model].map { ($0, Float(outcome.score)) } }
            let example = Example(encoding: encoding, targets: targets)
            if OutcomeSet.bucket(of: record.id, seed: seed &+ 101) < 10 { calibrating.append(example) } else { fitting.append(example) }
        }
        var state = State(models: models.count, domains: domains.count, buckets: buckets, difficulty: difficulty)
        var order = Array(fitting.indices)
        var random = SeededGenerator(seed: seed)
        for _ in 0..<epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            for i in order { state.update(fitting[i], learningRate: learningRate, l2: l2) }
        }
        let raw = state.predictor(
            models: models, domains: domains, scale: [Float](repeating: 1, count: models.count), shift: [Float](repeating: 0, count: models.count),
            prior: prior, blend: 1)
        var scale: [Float] = [], shift: [Float] = []
        for m in models.indices {
            let pairs = calibrating.compactMap { example in
                example.targets.first { $0.0 == m }.map { (Double(raw.logits(example.encoding)[m]), Double($0.1)) }
            }
            let (a, b) = Self.platt(pairs)
            scale.append(Float(a))
            shift.append(Float(b))
        }
        return state.predictor(models: models, domains: domains, scale: scale, shift: shift, prior: prior, blend: blend)
    }

    struct Example {
        var encoding: QualityPredictor.Encoding
        /// (model index, score)
        var targets: [(Int, Float)]
    }

    /// Weights and AdaGrad's running sums of squared gradients.
    struct State {
        let m: Int
        var text: [Float], textG: [Float]
        var domain: [Float], domainG: [Float]
        var bias: [Float], biasG: [Float]

        let difficulty: Bool

        init(models: Int, domains: Int, buckets: Int, difficulty: Bool) {
            self.difficulty = difficulty
            m = models
            text = [Float](repeating: 0, count: buckets * models)
            textG = text
            domain = [Float](repeating: 0, count: domains * models)
            domainG = domain
            bias = [Float](repeating: 0, count: models)
            biasG = bias
        }

        mutating func update(_ example: Example, learningRate: Float, l2: Float) {
            let e = example.encoding
            for (k, target) in example.targets {
                var z = bias[k]
                if let d = e.domain { z += domain[d * m + k] }
                var sum: Float = 0
                for row in e.rows { sum += text[row * m + k] }
                z += sum * e.weight
                let g = Float(QualityPredictor.sigmoid(Double(z))) - target
                Self.step(&bias[k], &biasG[k], g, learningRate, 0)
                if let d = e.domain { Self.step(&domain[d * m + k], &domainG[d * m + k], g, learningRate, l2) }
                for row in e.rows { Self.step(&text[row * m + k], &textG[row * m + k], g * e.weight, learningRate, l2) }
            }
        }

        @inline(__always)
        static func step(_ w: inout Float, _ sumSquares: inout Float, _ gradient: Float, _ rate: Float, _ l2: Float) {
            let g = gradient + l2 * w
            sumSquares += g * g
            w -= rate * g / (sumSquares.squareRoot() + 1e-6)
        }

        func predictor(models: [String], domains: [String], scale: [Float], shift: [Float], prior: [Float], blend: Float) -> QualityPredictor {
            QualityPredictor(
                models: models, domains: domains, buckets: text.count / max(m, 1), textWeights: text, domainWeights: domain,
                bias: bias, scale: scale, shift: shift, prior: prior, blend: blend, difficulty: difficulty)
        }
    }

    /// Platt scaling: a, b minimising the log loss of sigmoid(a z + b) against
    /// the targets, by Newton's method (a = 1, b = 0 when there is too little to fit).
    static func platt(_ pairs: [(z: Double, y: Double)]) -> (Double, Double) {
        guard pairs.count >= 20 else { return (1, 0) }
        var a = 1.0, b = 0.0
        for _ in 0..<50 {
            var ga = 0.0, gb = 0.0, haa = 1e-9, hab = 0.0, hbb = 1e-9
            for (z, y) in pairs {
                let p = QualityPredictor.sigmoid(a * z + b)
                let w = p * (1 - p)
                ga += (p - y) * z
                gb += p - y
                haa += w * z * z
                hab += w * z
                hbb += w
            }
            let det = haa * hbb - hab * hab
            guard det > 1e-12 else { break }
            let da = (hbb * ga - hab * gb) / det
            let db = (haa * gb - hab * ga) / det
            a -= da
            b -= db
            if abs(da) < 1e-9, abs(db) < 1e-9 { break }
        }
        return a.isFinite && b.isFinite ? (a, b) : (1, 0)
    }
}
