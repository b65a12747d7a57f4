public import FrontierCore

/// Whether a model answers a fixed set of prompts the way it did before, beyond its scores: a two-sample test on
/// the answers themselves, after Model Equality Testing (Gao, Liang and Guestrin, ICLR 2025), which compares the
/// samples a model gives per prompt with a kernel statistic and a permutation test. Here the kernel is exact
/// equality of normalised answers (trimmed, lower-cased, runs of white space as one), so the statistic is the mean
/// total-variation distance between each prompt's two empirical answer distributions; its null distribution comes
/// from permuting the pooled samples of each prompt between the two runs (seeded, so a run replays exactly).
/// It needs two or more samples per prompt and run: with one, a permutation cannot change anything.
public struct AnswerDistributionTest: Sendable {
    public var permutations: Int
    public var seed: UInt64

    public init(permutations: Int = 200, seed: UInt64 = 1) {
        self.permutations = max(1, permutations)
        self.seed = seed
    }

    public struct Result: Sendable, Equatable {
        /// The mean total-variation distance between the runs' answer distributions, over the prompts in both.
        public var statistic: Double
        /// The permutation p-value; nil with fewer than two samples a prompt.
        public var pValue: Double?
        /// The share of prompts whose most common answer differs between the runs.
        public var answersChanged: Double
        public var prompts: Int
    }

    /// The answers as the test compares them.
    public static func normalised(_ answer: String) -> String {
        answer.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// - Parameters: `before` and `after`: per prompt id, that run's answers (normalised, or their digests).
    public func compare(before: [String: [String]], after: [String: [String]]) -> Result {
        let ids = before.keys.filter { !(before[$0] ?? []).isEmpty && !(after[$0] ?? []).isEmpty }.sorted()
        guard !ids.isEmpty else { return Result(statistic: 0, pValue: nil, answersChanged: 0, prompts: 0) }
        let pairs = ids.map { (before[$0] ?? [], after[$0] ?? []) }
        let observed = Self.statistic(pairs)
        let changed = Double(pairs.filter { Self.mode($0.0) != Self.mode($0.1) }.count) / Double(pairs.count)
        guard pairs.contains(where: { $0.0.count >= 2 || $0.1.count >= 2 }) else {
            return Result(statistic: observed, pValue: nil, answersChanged: changed, prompts: ids.count)
        }
        var random = SeededGenerator(seed: seed)
        var atLeast = 0
        for _ in 0..<permutations {
            let shuffled = pairs.map { a, b -> ([String], [String]) in
                var pool = a + b
                pool.shuffle(using: &random)
                return (Array(pool.prefix(a.count)), Array(pool.dropFirst(a.count)))
            }
            if Self.statistic(shuffled) >= observed - 1e-12 { atLeast += 1 }
        }
        return Result(statistic: observed, pValue: Double(atLeast + 1) / Double(permutations + 1), answersChanged: changed, prompts: ids.count)
    }

    static func statistic(_ pairs: [([String], [String])]) -> Double {
        pairs.map { totalVariation($0.0, $0.1) }.reduce(0, +) / Double(max(1, pairs.count))
    }

    static func totalVariation(_ a: [String], _ b: [String]) -> Double {
        var p: [String: Double] = [:]
        for x in a { p[x, default: 0] += 1 / Double(a.count) }
        for x in b { p[x, default: 0] -= 1 / Double(b.count) }
        return p.values.map(abs).reduce(0, +) / 2
    }

    static func mode(_ answers: [String]) -> String? {
        var counts: [String: Int] = [:]
        for a in answers { counts[a, default: 0] += 1 }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }
}
