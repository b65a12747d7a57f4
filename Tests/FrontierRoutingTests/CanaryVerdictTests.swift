import FrontierRouting
import Testing

/// The canary's decision and the answer-distribution test, without sockets.
@Suite struct CanaryVerdictTests {
    static let same = Dictionary(uniqueKeysWithValues: (0..<20).map { ("c\($0)", ["a\($0)", "a\($0)", "a\($0)"]) })

    @Test func theFirstGoodRunIsTheBaselineADropDegradesAndARunBackRecovers() {
        let run = (mean: Double?(0.9), graded: 20, cases: 20, answers: Self.same)
        #expect(CanaryVerdict.decide(run: run, baseline: nil, maxQualityDrop: 0.05, degradedByCanary: false).action == .baseline)
        let drop = CanaryVerdict.decide(run: (0.8, 20, 20, Self.same), baseline: (0.9, Self.same), maxQualityDrop: 0.05, degradedByCanary: false)
        #expect(drop.action == .degraded && !drop.good && abs((drop.scoreDrop ?? 0) - 0.1) < 1e-9)
        let back = CanaryVerdict.decide(run: run, baseline: (0.9, Self.same), maxQualityDrop: 0.05, degradedByCanary: true)
        #expect(back.action == .recovered && back.good)
        let steady = CanaryVerdict.decide(run: run, baseline: (0.9, Self.same), maxQualityDrop: 0.05, degradedByCanary: false)
        #expect(steady.action == .none && steady.distribution?.pValue ?? 0 > 0.5)
        let thin = CanaryVerdict.decide(run: (1, 4, 20, Self.same), baseline: (0.9, Self.same), maxQualityDrop: 0.05, degradedByCanary: false)
        #expect(thin.action == .inconclusive && !thin.good)
    }

    @Test func answersThatChangedAreFoundBeyondChanceWithSeveralSamples() {
        let changed = Dictionary(uniqueKeysWithValues: (0..<20).map { ("c\($0)", ["b\($0)", "b\($0)", "a\($0)"]) })
        let result = AnswerDistributionTest().compare(before: Self.same, after: changed)
        #expect(result.answersChanged == 1 && (result.pValue ?? 1) < 0.01, "\(result)")
        // One sample each: no permutation test, the share of changed answers only.
        let one = AnswerDistributionTest().compare(before: ["c": ["x"]], after: ["c": ["y"]])
        #expect(one.pValue == nil && one.answersChanged == 1)
        // Noise within a model's own answers is not a change.
        let noisy = Dictionary(uniqueKeysWithValues: (0..<20).map { ("c\($0)", ["a\($0)", "b\($0)", "a\($0)", "b\($0)"]) })
        let noisyAgain = Dictionary(uniqueKeysWithValues: (0..<20).map { ("c\($0)", ["b\($0)", "a\($0)", "b\($0)", "a\($0)"]) })
        #expect((AnswerDistributionTest().compare(before: noisy, after: noisyAgain).pValue ?? 0) > 0.5)
    }
}
