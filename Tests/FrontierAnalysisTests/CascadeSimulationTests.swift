import FrontierCore
import Testing
@testable import FrontierAnalysis

@Suite struct CascadeSimulationTests {
    // cheap: right on p1 only, $1; dear: right on p1 and p2, $10.
    let set = OutcomeSet(records: [
        OutcomeRecord(id: "p1", prompt: "", results: ["cheap": ModelOutcome(score: 1, costUSD: 1), "dear": ModelOutcome(score: 1, costUSD: 10)]),
        OutcomeRecord(id: "p2", prompt: "", results: ["cheap": ModelOutcome(score: 0, costUSD: 1), "dear": ModelOutcome(score: 1, costUSD: 10)]),
    ])

    @Test func aPerfectCheckerEscalatesExactlyTheWrongAnswers() throws {
        let point = try #require(CascadeSimulation(falseAccept: 0, falseReject: 0).point(["cheap", "dear"], on: set))
        #expect(point.quality == 1)
        #expect(point.cost == 6)  // p1: 1; p2: 1 + 10
    }

    @Test func checkerErrorsCostQualityAndMoney() throws {
        let point = try #require(CascadeSimulation(falseAccept: 0.2, falseReject: 0.1).point(["cheap", "dear"], on: set))
        // p1: accepted with 0.9 (quality 0.9 from cheap), rejected with 0.1 (dear: +0.1, cost +1). Quality 1, cost 1 + 1 = 2.
        // p2: wrongly accepted with 0.2 (quality 0), escalated with 0.8 (quality 0.8, cost +8). Quality 0.8, cost 1 + 8 = 9.
        #expect(abs(point.quality - 0.9) < 1e-12)
        #expect(abs(point.cost - 5.5) < 1e-12)
    }

    @Test func chainsArePairsAndTriplesCheapestFirst() {
        let models = [CostQualityPoint(label: "c", cost: 3, quality: 0), CostQualityPoint(label: "a", cost: 1, quality: 0), CostQualityPoint(label: "b", cost: 2, quality: 0)]
        #expect(CascadeSimulation.chains(models) == [["a", "b"], ["a", "b", "c"], ["a", "c"], ["b", "c"]])
    }
}
