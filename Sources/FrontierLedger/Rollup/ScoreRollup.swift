/// The scores live traffic gave each model, summed per five minutes, model and source, kept beside the chain in
/// the same transaction as the records (as ``UsageRollup`` is): what the dashboard's frontier chart places each
/// model at on the quality axis, without reading a month of feedback records. Every score counts once with its
/// weight (a request scored twice counts twice: the latest-counts rule is the outcome export's, which reads the
/// records); exploration grades count under their own source.
public struct ScoreKey: Hashable, Sendable {
    public var bucketMs: Int64
    public var model: String
    /// A ``FeedbackRecord/Source`` raw value ("client", "check", "grader", "implicit", "exploration").
    public var source: String

    public init(bucketMs: Int64, model: String, source: String) {
        self.bucketMs = bucketMs
        self.model = model
        self.source = source
    }
}

public struct ScoreSums: Sendable, Equatable {
    public var count = 0
    /// Σ weight.
    public var weight = 0.0
    /// Σ weight × score.
    public var weightedScore = 0.0

    public init(count: Int = 0, weight: Double = 0, weightedScore: Double = 0) {
        self.count = count
        self.weight = weight
        self.weightedScore = weightedScore
    }

    /// The weighted mean score; nil with no weight.
    public var mean: Double? { weight > 0 ? weightedScore / weight : nil }

    public mutating func add(_ other: ScoreSums) {
        count += other.count
        weight += other.weight
        weightedScore += other.weightedScore
    }
}

public enum ScoreRollup {
    public static func sums(of entries: some Sequence<LedgerEntry>) -> [ScoreKey: ScoreSums] {
        var sums: [ScoreKey: ScoreSums] = [:]
        for entry in entries { add(entry, to: &sums) }
        return sums
    }

    public static func add(_ entry: LedgerEntry, to sums: inout [ScoreKey: ScoreSums]) {
        let (timeMs, model, source, score, weight): (Int64, String, String, Double, Double)
        switch entry {
        case .feedback(let f): (timeMs, model, source, score, weight) = (f.timeMs, f.model, f.source.rawValue, f.score, f.weight)
        case .exploration(let x): (timeMs, model, source, score, weight) = (x.timeMs, x.model, FeedbackRecord.Source.exploration.rawValue, x.score, 1)
        default: return
        }
        // A hostile or broken figure never enters a sum: scores are in [0, 1], weights in [0, 1_000].
        guard score.isFinite, weight.isFinite, weight > 0 else { return }
        let w = min(weight, 1_000), s = min(max(score, 0), 1)
        sums[ScoreKey(bucketMs: UsageRollup.bucket(timeMs), model: model, source: source), default: ScoreSums()]
            .add(ScoreSums(count: 1, weight: w, weightedScore: w * s))
    }

    /// `sums` of the buckets that overlap [from, to), per model and source.
    public static func total(_ sums: some Sequence<(key: ScoreKey, value: ScoreSums)>, fromMs: Int64, toMs: Int64) -> [ScoreKey: ScoreSums] {
        let first = UsageRollup.bucket(fromMs)
        var out: [ScoreKey: ScoreSums] = [:]
        for (key, value) in sums where key.bucketMs >= first && key.bucketMs < toMs {
            out[ScoreKey(bucketMs: 0, model: key.model, source: key.source), default: ScoreSums()].add(value)
        }
        return out
    }
}
