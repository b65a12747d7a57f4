import FrontierCore
import FrontierRouting
import Testing

/// The drift detector on seeded Bernoulli streams: silent while nothing changes, an alarm soon after a drop,
/// with the evidence beside it.
@Suite struct QualityCUSUMTests {
    func stream(_ p: Double, _ n: Int, _ random: inout SeededGenerator) -> [Double] {
        (0..<n).map { _ in Double(random.next() >> 11) / Double(1 << 53) < p ? 1 : 0 }
    }

    @Test func anUnchangedModelRaisesNoAlarmAndADropOfATenthIsFoundWithItsEvidence() {
        var random = SeededGenerator(seed: 11)
        var detector = QualityCUSUM(settings: .init(drop: 0.08, threshold: 9, baselineCount: 2000))
        for x in stream(0.7, 2000, &random) { #expect(detector.observe(x) == nil) }
        guard case .watching(let baseline) = detector.state else { Issue.record("no baseline after 2,000 scores"); return }
        #expect(abs(baseline - 0.7) < 0.03)
        for x in stream(0.7, 50_000, &random) { #expect(detector.observe(x) == nil) }
        var alarm: QualityCUSUM.Alarm?
        var after = 0
        for x in stream(0.6, 5000, &random) where alarm == nil {
            after += 1
            alarm = detector.observe(x)
        }
        let found = try? #require(alarm)
        #expect(after < 2000, "found after \(after) scores")
        #expect(found.map { abs($0.baseline - $0.recent - 0.1) < 0.06 } == true, "\(String(describing: found))")
        // It holds: one alarm, not one per score.
        #expect(stream(0.5, 1000, &random).allSatisfy { detector.observe($0) == nil })
    }

    @Test func hostileScoresAreClampedOrIgnored() {
        var detector = QualityCUSUM(settings: .init(baselineCount: 10), baseline: 0.9)
        for _ in 0..<100 { #expect(detector.observe(.nan) == nil) }
        #expect(detector.statistic == 0)
        var alarmed = false
        for _ in 0..<100 where !alarmed { alarmed = detector.observe(-1e300) != nil }
        #expect(alarmed)
        if case .alarmed(_, let recent, _) = detector.state { #expect(recent == 0) }
        // A model that never failed has a finite statistic.
        var perfect = QualityCUSUM(settings: .init(baselineCount: 10), baseline: 1)
        for _ in 0..<10 { _ = perfect.observe(1) }
        #expect(perfect.statistic.isFinite)
    }
}
