import FrontierAnalysis
import FrontierCore
import FrontierRouting
import Testing

/// The simulation counts what it says: delays from the injected drop, and no detections where nothing dropped.
@Suite struct DriftSimulationTests {
    static let scores: [Double] = (0..<1000).map { $0 % 10 < 7 ? 1 : 0 }  // a model right 70 % of the time

    @Test func largerDropsAreFoundSoonerAndAnUnchangedStreamRarelyAlarms() {
        let simulation = DriftSimulation(settings: .init(), changeAfter: 1000, horizon: 5000)
        let tenth = simulation.detection(Self.scores, drop: 0.10, runs: 40, seed: 1)
        let fifth = simulation.detection(Self.scores, drop: 0.20, runs: 40, seed: 1)
        #expect(tenth.missed == 0 && fifth.missed == 0)
        #expect((fifth.mean ?? .infinity) < (tenth.mean ?? 0))
        #expect((tenth.quantile(0.5) ?? .max) < 1000)
        let unchanged = simulation.falseAlarms(Self.scores, runs: 10, length: 20_000, seed: 1)
        #expect(unchanged.requests == 200_000)
        #expect(unchanged.alarms <= 2)
        // The same seed, the same figures.
        #expect(simulation.detection(Self.scores, drop: 0.10, runs: 40, seed: 1) == tenth)
    }
}
