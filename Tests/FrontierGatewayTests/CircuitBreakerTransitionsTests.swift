import FrontierCore
import Synchronization
import Testing
@testable import FrontierGateway

/// The breakers' transitions the health page lists: each change of state once, newest first, bounded, on an
/// injected clock.
@Suite struct CircuitBreakerTransitionsTests {
    @Test func eachChangeOfStateIsKeptOnceNewestFirstAndTheListIsBounded() {
        let wall = Mutex<Int64>(1_000)
        let breakers = CircuitBreakers(
            settings: ResilienceSettings.Breaker(consecutiveFailures: 2, openMs: 100), wallClockMs: { wall.withLock { $0 } })
        let start = ContinuousClock.now
        breakers.record("m", .failure, now: start)
        #expect(breakers.transitions().isEmpty, "one failure leaves it closed")
        wall.withLock { $0 = 2_000 }
        breakers.record("m", .failure, now: start)
        #expect(breakers.transitions() == [.init(timeMs: 2_000, model: "m", from: "closed", to: "open")])
        _ = breakers.admit("m", now: start + .milliseconds(50))
        #expect(breakers.transitions().count == 1, "still open: no new transition")
        wall.withLock { $0 = 3_000 }
        _ = breakers.admit("m", now: start + .milliseconds(150))
        breakers.record("m", .success, now: start + .milliseconds(151))
        #expect(breakers.transitions().map(\.to) == ["closed", "half_open", "open"])
        #expect(breakers.transitions().first?.from == "half_open" && breakers.transitions()[1].timeMs == 3_000)
        breakers.record("quiet", .success, now: start)
        #expect(breakers.transitions().count == 3, "a success on a breaker that never failed is no transition")

        for i in 0..<(CircuitBreakers.keptTransitions * 2) {
            breakers.record("m\(i)", .failure, now: start)
            breakers.record("m\(i)", .failure, now: start)
        }
        let kept = breakers.transitions()
        #expect(kept.count == CircuitBreakers.keptTransitions && kept.first?.model == "m\(CircuitBreakers.keptTransitions * 2 - 1)")
    }
}
