import FrontierCore
import Testing
@testable import FrontierRouting

/// The cascade's deadline on an injected clock: what the live tests cannot pin down on a busy machine.
@Suite struct CascadeDeadlineTests {
    let start = ContinuousClock.now
    func at(_ ms: Int) -> ContinuousClock.Instant { start + .milliseconds(ms) }

    @Test func eachTierGetsTheTimeLeftLessTheReserveForTheTiersAfterIt() {
        let deadline = CascadeDeadline(startedAt: at(0), deadlineMs: 1_000)
        #expect(deadline.budget(at: at(0), isLast: false, reserveMs: 300) == .call(ms: 700))
        // The first tier hung for its whole share: the next one gets what is left, the last all of it.
        #expect(deadline.budget(at: at(700), isLast: false, reserveMs: 100) == .call(ms: 200))
        #expect(deadline.budget(at: at(900), isLast: true, reserveMs: 0) == .call(ms: 100))
    }

    @Test func aTierWithLessThanTheMinimumLeftIsSkipped() {
        let deadline = CascadeDeadline(startedAt: at(0), deadlineMs: 1_000)
        #expect(deadline.budget(at: at(951), isLast: true, reserveMs: 0) == .skip(leftMs: 49))
        #expect(deadline.budget(at: at(950), isLast: true, reserveMs: 0) == .call(ms: 50))
        // The reserve counts: 400 ms left, 380 kept for the next tiers.
        #expect(deadline.budget(at: at(600), isLast: false, reserveMs: 380) == .skip(leftMs: 400))
        // Past the end: nothing left, never a negative figure in the record.
        #expect(deadline.budget(at: at(1_500), isLast: true, reserveMs: 0) == .skip(leftMs: 0))
    }

    @Test func endingWithinTheMinimumOfTheEndIsATimeoutOtherwiseNot() {
        let deadline = CascadeDeadline(startedAt: at(0), deadlineMs: 800)
        #expect(!deadline.hasPassed(at: at(749)))  // tiers ran out with time left: 503, not 504
        #expect(deadline.hasPassed(at: at(750)))
        #expect(deadline.hasPassed(at: at(2_000)))
    }

    @Test func withoutADeadlineEveryTierRunsOnItsOwnTimeouts() {
        let deadline = CascadeDeadline(startedAt: at(0), deadlineMs: nil)
        #expect(deadline.budget(at: at(1_000_000), isLast: false, reserveMs: 10_000) == .unlimited)
        #expect(!deadline.hasPassed(at: at(1_000_000)))
    }
}
