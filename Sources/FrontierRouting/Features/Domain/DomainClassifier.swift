import Foundation

/// Tells the domain of a prompt (law, health, math, ...) from its words:
/// multinomial and complement naive Bayes over word and word-pair features,
/// their per-feature log scores summed and averaged. Pure Swift, one hash
/// lookup per feature, trained in a second on thousands of examples.
///
/// ```swift
/// let classifier = DomainClassifier.train(examples: [("What is the derivative of x^2?", "math"), ...])
/// classifier.classify("Is a verbal contract binding?").domain  // "law"
/// ```
public struct DomainClassifier: Sendable {
    public let domains: [String]
    /// Per feature hash, its row in `table`: the score it adds to each domain.
    let rows: FeatureTable
    /// Row-major, `domains.count` floats a row: one flat array, no per-row references to count.
    let table: [Float]
    let logPriors: [Float]
    /// The feature hashes in row order (the lookup table keeps only fingerprints), for saving.
    let features: [UInt64]

    public struct Prediction: Sendable, Equatable {
        public var domain: String
        /// Softmax over the averaged scores: a ranking aid, not a calibrated probability.
        public var confidence: Double
        /// How many of the prompt's features the classifier knew.
        public var knownFeatures: Int
    }

    init(domains: [String], weights: [UInt64: [Float]], logPriors: [Float]) {
        var features: [UInt64] = []
        var table: [Float] = []
        features.reserveCapacity(weights.count)
        table.reserveCapacity(weights.count * domains.count)
        // Sorted, so that the same training gives the same saved file.
        for feature in weights.keys.sorted() {
            features.append(feature)
            table.append(contentsOf: weights[feature] ?? [])
        }
        self.init(domains: domains, features: features, table: table, logPriors: logPriors)
    }

    /// From saved parts: `table` holds `domains.count` scores for each of `features`, in order.
    public init(domains: [String], features: [UInt64], table: [Float], logPriors: [Float]) {
        self.domains = domains
        self.features = features
        self.table = table
        self.logPriors = logPriors
        var rows: [UInt64: Int32] = [:]
        rows.reserveCapacity(features.count)
        for (row, feature) in features.enumerated() where row < FeatureTable.maximumRows { rows[feature] = Int32(row) }
        self.rows = FeatureTable(rows)
    }

    /// The parts ``init(domains:features:table:logPriors:)`` takes back.
    public var parts: (features: [UInt64], table: [Float], logPriors: [Float]) { (features, table, logPriors) }

    /// Trains on labelled texts. Features seen fewer than `minimumCount` times are dropped,
    /// which keeps the model small (most word pairs occur once).
    public static func train(examples: [(text: String, domain: String)], alpha: Double = 0.05, minimumCount: Int = 2) -> DomainClassifier {
        let domains = Array(Set(examples.map(\.domain))).sorted()
        let index = Dictionary(uniqueKeysWithValues: domains.enumerated().map { ($1, $0) })
        var counts: [UInt64: [Int]] = [:]
        var priors = [Int](repeating: 0, count: domains.count)
        for example in examples {
            guard let d = index[example.domain] else { continue }
            priors[d] += 1
            for feature in TextFeatures.hashes(of: example.text) {
                counts[feature, default: [Int](repeating: 0, count: domains.count)][d] += 1
            }
        }
        counts = counts.filter { $0.value.reduce(0, +) >= minimumCount }
        var totals = [Double](repeating: 0, count: domains.count)
        for row in counts.values { for d in domains.indices { totals[d] += Double(row[d]) } }
        let grandTotal = totals.reduce(0, +)
        let vocabulary = Double(counts.count)
        var weights: [UInt64: [Float]] = [:]
        weights.reserveCapacity(counts.count)
        for (feature, row) in counts {
            let all = Double(row.reduce(0, +))
            weights[feature] = domains.indices.map { d in
                let inClass = (Double(row[d]) + alpha) / (totals[d] + alpha * vocabulary)
                let outOfClass = (all - Double(row[d]) + alpha) / (grandTotal - totals[d] + alpha * vocabulary)
                return Float(log(inClass) - log(outOfClass))
            }
        }
        let n = Double(max(examples.count, 1))
        return DomainClassifier(domains: domains, weights: weights, logPriors: priors.map { Float(log((Double($0) + 1) / (n + Double(domains.count)))) })
    }

    public func classify(_ text: String) -> Prediction {
        classify(features: TextFeatures.distinctHashes(of: text))
    }

    /// Classifies the features ``TextFeatures/distinctHashes(of:)`` made (shared with the quality predictor).
    public func classify(features: [UInt64]) -> Prediction {
        let width = domains.count
        var scores = [Float](repeating: 0, count: width)
        var known = 0
        table.withUnsafeBufferPointer { table in
            scores.withUnsafeMutableBufferPointer { scores in
                for feature in features {
                    guard let row = rows.row(feature) else { continue }
                    known += 1
                    let start = Int(row) * width
                    for d in 0..<width { scores[d] += table[start + d] }
                }
            }
        }
        let divisor = Float(max(known, 1))
        for d in scores.indices { scores[d] = scores[d] / divisor + logPriors[d] / divisor }
        guard let best = scores.indices.max(by: { scores[$0] < scores[$1] }) else {
            return Prediction(domain: "", confidence: 0, knownFeatures: 0)
        }
        let top = scores[best]
        let sum = scores.reduce(Float(0)) { $0 + exp(($1 - top) * 4) }
        return Prediction(domain: domains[best], confidence: Double(1 / sum), knownFeatures: known)
    }
}
