import Testing
@testable import FrontierAnalysis

@Suite struct FrontierCurveTests {
    func point(_ label: String, _ cost: Double, _ quality: Double) -> CostQualityPoint {
        CostQualityPoint(label: label, cost: cost, quality: quality)
    }

    @Test func dropsDominatedPointsAndPointsUnderTheHull() {
        let curve = FrontierCurve(hullOf: [
            point("a", 1, 0.5), point("dominated", 2, 0.4), point("under", 3, 0.6), point("d", 4, 0.9),
        ])
        // At cost 3 the line a-d gives 0.5 + 0.4 * 2/3 = 0.767 > 0.6: "under" is not on the hull.
        #expect(curve.vertices.map(\.label) == ["a", "d"])
    }

    @Test func tiesKeepTheBetterPoint() {
        let curve = FrontierCurve(hullOf: [
            point("same-cost-worse", 1, 0.3), point("same-cost-better", 1, 0.5),
            point("same-quality-cheaper", 2, 0.8), point("same-quality-costlier", 3, 0.8),
        ])
        #expect(curve.vertices.map(\.label) == ["same-cost-better", "same-quality-cheaper"])
    }

    @Test func oneModel() {
        let curve = FrontierCurve(hullOf: [point("only", 1, 0.6)])
        #expect(curve.quality(atCost: 0.5) == nil)
        #expect(curve.quality(atCost: 7) == 0.6)
        // 0 over [0.5, 1), then 0.6 over [1, 2]: 0.6 * 1 / 1.5.
        #expect(abs(curve.averageQuality(from: 0.5, to: 2) - 0.4) < 1e-12)
        #expect(curve.cost(toReach: 0.6) == 1)
        #expect(curve.cost(toReach: 0.61) == nil)
    }

    @Test func twoModels() {
        let curve = FrontierCurve(hullOf: [point("weak", 1, 0.4), point("strong", 3, 0.8)])
        #expect(abs(curve.averageQuality(from: 1, to: 3) - 0.6) < 1e-12)
        #expect(abs((curve.quality(atCost: 2) ?? 0) - 0.6) < 1e-12)
        // 1 + (0.7 - 0.4) / (0.8 - 0.4) * 2
        #expect(abs((curve.cost(toReach: 0.7) ?? 0) - 2.5) < 1e-12)
        #expect(curve.cost(toReach: 0.3) == 1)
    }

    @Test func averageQualityWhereTheHullStartsLate() {
        let curve = FrontierCurve(hullOf: [point("a", 2, 0.5), point("b", 4, 0.9)])
        // [0, 2): nothing reachable, counts 0; [2, 4]: trapezoid (0.5 + 0.9) / 2 * 2 = 1.4; 1.4 / 4.
        #expect(abs(curve.averageQuality(from: 0, to: 4) - 0.35) < 1e-12)
        // [3, 4]: (0.7 + 0.9) / 2; [4, 5]: flat 0.9; (0.8 + 0.9) / 2.
        #expect(abs(curve.averageQuality(from: 3, to: 5) - 0.85) < 1e-12)
    }

    @Test func emptyCurve() {
        let curve = FrontierCurve(hullOf: [])
        #expect(curve.vertices.isEmpty)
        #expect(curve.averageQuality(from: 0, to: 1) == 0)
        #expect(curve.cost(toReach: 0.1) == nil)
    }
}

@Suite struct StrongWeakCurveTests {
    // Strong right on prompts 0, 1, 2; weak right on prompt 1 only.
    let outcomes: [(strong: Double, weak: Double)] = [(1, 0), (1, 1), (1, 0), (0, 0)]

    @Test func perfectRankingRecoversTheGapWithHalfTheCalls() {
        let ranks: [Double] = [0.9, 0.1, 0.8, 0.0]
        let curve = StrongWeakCurve(strong: "s", weak: "w", outcomes: zip(ranks, outcomes).map { ($0, $1.strong, $1.weak) })
        #expect(curve.qualityStrong == 0.75)
        #expect(curve.qualityWeak == 0.25)
        #expect(curve.pgr == [0, 0.5, 1, 1, 1])
        // (0 + .5 + 1 + 1 + 1 - (0 + 1) / 2) / 4
        #expect(abs(curve.apgr - 0.75) < 1e-12)
        #expect(curve.callsToStrong(toRecover: 0.5) == 0.25)
        #expect(curve.callsToStrong(toRecover: 0.8) == 0.5)
    }

    @Test func worstRankingRecoversNothingUntilTheEnd() {
        let ranks: [Double] = [0.0, 0.9, 0.1, 0.8]
        let curve = StrongWeakCurve(strong: "s", weak: "w", outcomes: zip(ranks, outcomes).map { ($0, $1.strong, $1.weak) })
        #expect(curve.pgr == [0, 0, 0, 0.5, 1])
        #expect(abs(curve.apgr - 0.25) < 1e-12)
        #expect(curve.callsToStrong(toRecover: 0.8) == 1)
    }
}
