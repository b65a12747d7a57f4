import FrontierCore
import Testing
@testable import FrontierProviders

@Suite struct CircuitBreakerTests {
    let start = ContinuousClock.now
    func at(_ ms: Int) -> ContinuousClock.Instant { start + .milliseconds(ms) }

    @Test func opensAfterConsecutiveFailuresThenProbesAndCloses() {
        var breaker = CircuitBreaker(settings: .init(consecutiveFailures: 3, openMs: 1_000, halfOpenProbes: 1))
        for n in 0..<3 {
            #expect(breaker.admit(now: at(n)) == .allow)
            breaker.record(success: false, now: at(n))
        }
        #expect(breaker.isOpen)
        #expect(breaker.admit(now: at(500)) == .reject(retryAt: at(1_002)))
        // After open_ms one probe passes; others wait for its outcome.
        #expect(breaker.admit(now: at(1_002)) == .probe)
        #expect(breaker.admit(now: at(1_003)) == .reject(retryAt: at(2_003)))
        breaker.record(success: true, now: at(1_010))
        #expect(breaker.state == .closed)
        #expect(breaker.admit(now: at(1_011)) == .allow)
    }

    @Test func aFailedProbeOpensItAgain() {
        var breaker = CircuitBreaker(settings: .init(consecutiveFailures: 1, openMs: 100))
        breaker.record(success: false, now: at(0))
        #expect(breaker.admit(now: at(100)) == .probe)
        breaker.record(success: false, now: at(150))
        #expect(breaker.state == .open(until: at(250)))
    }

    @Test func opensOnTheErrorRateOverTheWindow() {
        let settings = ResilienceSettings.Breaker(consecutiveFailures: 100, errorRate: 0.5, window: 10, minimumCalls: 10)
        // Alternating: never two failures in a row, but half of the window fails.
        var breaker = CircuitBreaker(settings: settings)
        for n in 0..<9 { breaker.record(success: n % 2 == 0, now: at(n)) }
        #expect(breaker.state == .closed)  // 4 of 9: under the minimum number of calls
        breaker.record(success: false, now: at(9))
        #expect(breaker.isOpen)  // 5 of 10 reaches 0.5
        var healthy = CircuitBreaker(settings: settings)
        for n in 0..<30 { healthy.record(success: n % 3 != 0, now: at(n)) }
        #expect(healthy.state == .closed)  // a third fails: under the rate
    }

    @Test func severalProbesMustAllSucceed() {
        var breaker = CircuitBreaker(settings: .init(consecutiveFailures: 1, openMs: 10, halfOpenProbes: 2))
        breaker.record(success: false, now: at(0))
        #expect(breaker.admit(now: at(10)) == .probe)
        #expect(breaker.admit(now: at(10)) == .probe)
        breaker.record(success: true, now: at(11))
        #expect(breaker.state == .halfOpen(inFlight: 1, successes: 1))
        breaker.record(success: true, now: at(12))
        #expect(breaker.state == .closed)
    }
}

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(settings: .init(maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000))

    @Test func backoffGrowsWithJitterAndIsCapped() {
        let error = UpstreamError.status(code: 503, retryAfterSeconds: nil, message: "")
        #expect(policy.delay(retry: 1, after: error, remaining: nil, random: 0.5) == .milliseconds(50))
        #expect(policy.delay(retry: 2, after: error, remaining: nil, random: 0.5) == .milliseconds(100))
        #expect(policy.delay(retry: 3, after: error, remaining: nil, random: 0.999) == .milliseconds(399))
        #expect(policy.delay(retry: 4, after: error, remaining: nil, random: 0.5) == nil)  // past max_retries
        let capped = RetryPolicy(settings: .init(maxRetries: 10, baseDelayMs: 100, maxDelayMs: 1_000))
        #expect(capped.delay(retry: 8, after: error, remaining: nil, random: 0.5) == .milliseconds(500))
    }

    @Test func honoursRetryAfterAndTheDeadline() {
        let limited = UpstreamError.status(code: 429, retryAfterSeconds: 0.7, message: "")
        #expect(policy.delay(retry: 1, after: limited, remaining: nil, random: 0) == .milliseconds(700))
        #expect(policy.delay(retry: 1, after: limited, remaining: .milliseconds(500), random: 0) == nil)
        let tooLong = UpstreamError.status(code: 429, retryAfterSeconds: 7, message: "")
        #expect(policy.delay(retry: 1, after: tooLong, remaining: nil, random: 0) == nil)  // the next model serves sooner
    }

    @Test(arguments: [
        (UpstreamError.status(code: 400, retryAfterSeconds: nil, message: ""), false),
        (.timeout(phase: .total, milliseconds: 10), false), (.cancelled, false), (.unavailable("open"), false),
        (.connect("refused"), true), (.malformed("x"), true), (.status(code: 500, retryAfterSeconds: nil, message: ""), true),
    ])
    func onlyWhatMayPassOnASecondTryIsRetried(error: UpstreamError, retried: Bool) {
        #expect((policy.delay(retry: 1, after: error, remaining: nil, random: 0.5) != nil) == retried)
    }
}
