public import FrontierCore

/// The records of an outcomes file, with the models and domains they name.
public struct OutcomeSet: Sendable {
    public var records: [OutcomeRecord]
    /// Every model that has a result on some prompt, in order of first appearance.
    public let models: [String]
    /// Every domain named, sorted; prompts without one count as "unknown".
    public let domains: [String]

    public static let unknownDomain = "unknown"

    public init(records: [OutcomeRecord]) {
        self.records = records
        var models: [String] = []
        var seen: Set<String> = []
        for record in records {
            for model in record.results.keys.sorted() where seen.insert(model).inserted { models.append(model) }
        }
        self.models = models
        self.domains = Array(Set(records.map { $0.domain ?? Self.unknownDomain })).sorted()
    }

    /// A deterministic split by prompt id: a prompt is in the test set when a
    /// seeded FNV-1a hash of its id falls in the lowest `testPercent` of 100 buckets.
    /// The same id always lands on the same side, whatever else is in the file.
    public func split(testPercent: Int = 20, seed: UInt64 = 1) -> (train: OutcomeSet, test: OutcomeSet) {
        var train: [OutcomeRecord] = [], test: [OutcomeRecord] = []
        for record in records {
            if Self.bucket(of: record.id, seed: seed) < testPercent { test.append(record) } else { train.append(record) }
        }
        return (OutcomeSet(records: train), OutcomeSet(records: test))
    }

    /// `k` folds for cross-validation, by the same seeded hash: fold `n` holds the prompts whose bucket is `n` modulo `k`.
    public func folds(_ k: Int, seed: UInt64) -> [(train: OutcomeSet, test: OutcomeSet)] {
        (0..<max(2, k)).map { fold in
            var train: [OutcomeRecord] = [], test: [OutcomeRecord] = []
            for record in records {
                if Self.bucket(of: record.id, seed: seed) % max(2, k) == fold { test.append(record) } else { train.append(record) }
            }
            return (OutcomeSet(records: train), OutcomeSet(records: test))
        }
    }

    static func bucket(of id: String, seed: UInt64) -> Int {
        Int(SeededHash.of(id, seed: seed) % 100)
    }

    /// Mean score and mean cost of each model, over the prompts it was run on
    /// (and that have a cost, for the cost).
    public func modelPoints(domain: String? = nil) -> [CostQualityPoint] {
        models.compactMap { model in
            var score = 0.0, cost = 0.0, n = 0, costed = 0
            for record in records where domain == nil || (record.domain ?? Self.unknownDomain) == domain {
                guard let outcome = record.results[model] else { continue }
                score += outcome.score
                n += 1
                if let c = outcome.costUSD {
                    cost += c
                    costed += 1
                }
            }
            guard n > 0, costed > 0 else { return nil }
            return CostQualityPoint(label: model, cost: cost / Double(costed), quality: score / Double(n), count: n)
        }
    }

    /// The oracle: on each prompt, the cheapest model with the best score any model got there.
    public func oracle() -> CostQualityPoint {
        var score = 0.0, cost = 0.0
        for record in records {
            let best = record.results.values.map(\.score).max() ?? 0
            let cheapest = record.results.values.filter { $0.score == best }.compactMap(\.costUSD).min() ?? 0
            score += best
            cost += cheapest
        }
        let n = Double(max(records.count, 1))
        return CostQualityPoint(label: "oracle", cost: cost / n, quality: score / n, count: records.count)
    }
}
