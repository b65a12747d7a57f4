/// What a canary run says against the last good run, as a pure decision: the score drop, whether the answers
/// changed beyond chance (``AnswerDistributionTest``), and the action. A drop of at least `maxQualityDrop`
/// degrades the model; a run back within it lifts a canary's own mark; answers that changed while the scores held
/// are reported (`watch`), not acted on. A run that answered nothing, or was stopped by its cost cap before half its
/// cases, decides nothing and is no baseline.
public struct CanaryVerdict: Sendable, Equatable {
    public enum Action: String, Sendable {
        case baseline, none, degraded, recovered, watch, inconclusive
    }

    public var action: Action
    public var scoreDrop: Double?
    public var distribution: AnswerDistributionTest.Result?
    /// Whether the run becomes the baseline of the next ones.
    public var good: Bool

    /// The share of the suite a run must have graded to count.
    public static let minimumGraded = 0.5
    /// The permutation test's level; with one sample a case, a majority of changed answers instead.
    public static let alpha = 0.01

    /// - Parameters:
    ///   - baseline: the last good run's mean score and answers per case, nil when there is none yet.
    ///   - degradedByCanary: whether the model carries a mark a canary set.
    public static func decide(
        run: (mean: Double?, graded: Int, cases: Int, answers: [String: [String]]),
        baseline: (mean: Double, answers: [String: [String]])?, maxQualityDrop: Double, degradedByCanary: Bool,
        test: AnswerDistributionTest = AnswerDistributionTest()
    ) -> CanaryVerdict {
        guard let mean = run.mean, run.cases > 0, Double(run.graded) / Double(run.cases) >= minimumGraded else {
            return CanaryVerdict(action: .inconclusive, scoreDrop: nil, distribution: nil, good: false)
        }
        guard let baseline else { return CanaryVerdict(action: .baseline, scoreDrop: nil, distribution: nil, good: true) }
        let drop = baseline.mean - mean
        let distribution = test.compare(before: baseline.answers, after: run.answers)
        if drop >= maxQualityDrop { return CanaryVerdict(action: .degraded, scoreDrop: drop, distribution: distribution, good: false) }
        if degradedByCanary { return CanaryVerdict(action: .recovered, scoreDrop: drop, distribution: distribution, good: true) }
        let changed = distribution.pValue.map { $0 < alpha } ?? (distribution.prompts > 0 && distribution.answersChanged >= 0.5)
        return CanaryVerdict(action: changed ? .watch : .none, scoreDrop: drop, distribution: distribution, good: true)
    }
}
