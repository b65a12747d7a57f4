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
        // After open_ms one probe passes; others wait for its outcome (at most open_ms, then it is presumed lost).
        #expect(breaker.admit(now: at(1_002)) == .probe)
        #expect(breaker.admit(now: at(1_003)) == .reject(retryAt: at(2_002)))
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

@Suite struct CircuitBreakerNeutralEndTests {
    let start = ContinuousClock.now
    func at(_ ms: Int) -> ContinuousClock.Instant { start + .milliseconds(ms) }

    /// The bug: a probe that ended in a client disconnect or a 4xx recorded nothing, and the breaker refused every call after it.
    @Test func aProbeThatEndsNeutralFreesItsSlot() {
        var breaker = CircuitBreaker(settings: .init(consecutiveFailures: 1, openMs: 100, halfOpenProbes: 1))
        breaker.record(.failure, now: at(0))
        #expect(breaker.admit(now: at(100)) == .probe)
        breaker.record(.neutral, now: at(110))
        #expect(breaker.admit(now: at(111)) == .probe)
        breaker.record(.success, now: at(120))
        #expect(breaker.state == .closed)
    }

    @Test func aProbeThatNeverEndsIsPresumedLostAfterOpenMs() {
        var breaker = CircuitBreaker(settings: .init(consecutiveFailures: 1, openMs: 100, halfOpenProbes: 1))
        breaker.record(.failure, now: at(0))
        #expect(breaker.admit(now: at(100)) == .probe)
        #expect(breaker.admit(now: at(150)) == .reject(retryAt: at(200)))
        #expect(breaker.admit(now: at(200)) == .probe)
    }

    @Test func neutralEndsDoNotCountOnAClosedBreaker() {
        var breaker = CircuitBreaker(settings: .init(consecutiveFailures: 2, openMs: 100))
        breaker.record(.failure, now: at(0))
        for n in 1...50 { breaker.record(.neutral, now: at(n)) }
        #expect(breaker.state == .closed)
        breaker.record(.failure, now: at(60))
        #expect(breaker.isOpen)  // the neutral ends neither reset nor extended the run of failures
    }

    enum Event: CaseIterable { case admit, success, failure, neutral, wait }

    /// Every sequence of six events, for two settings: the breaker never
    /// holds a negative probe count, and once calls stop and `open_ms` passes, it
    /// always lets a call through again. No sequence leaves it shut for good.
    @Test(arguments: [1, 2])
    func noSequenceOfEventsShutsItForGood(probes: Int) {
        let settings = ResilienceSettings.Breaker(consecutiveFailures: 2, errorRate: 0.5, window: 4, minimumCalls: 3, openMs: 100, halfOpenProbes: probes)
        let events = Event.allCases
        var checked = 0
        var failures: [String] = []
        // Each number below 5^6 is one sequence, its base-5 digits the events.
        for code in 0..<15_625 {
            var breaker = CircuitBreaker(settings: settings)
            var now = 0
            var rest = code
            for _ in 0..<6 {
                switch events[rest % 5] {
                case .admit: _ = breaker.admit(now: at(now))
                case .success: breaker.record(.success, now: at(now))
                case .failure: breaker.record(.failure, now: at(now))
                case .neutral: breaker.record(.neutral, now: at(now))
                case .wait: now += 60
                }
                rest /= 5
                if case .halfOpen(let inFlight, let successes) = breaker.state, inFlight < 0 || inFlight > probes || successes < 0 {
                    failures.append("bad counts in sequence \(code)")
                }
            }
            // Calls stop; after open_ms, the next call passes (as a probe, or freely).
            let admission = breaker.admit(now: at(now + 100))
            if admission != .allow && admission != .probe { failures.append("stuck after sequence \(code): \(breaker.state)") }
            checked += 1
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(checked == 15_625)
    }
}

@Suite struct HostileUpstreamNumberTests {
    @Test(arguments: ["-1e300", "1e300", "inf", "nan", "-5", "abc", "100000000"])
    func aRetryAfterThatIsNotASaneDelayIsIgnored(_ header: String) {
        #expect(UpstreamHTTP.retryAfterSeconds(header) == nil)
        let error = UpstreamError.status(code: 429, retryAfterSeconds: Double(header), message: "")
        // Neither the policy nor the description traps on it.
        _ = RetryPolicy(settings: .init()).delay(retry: 1, after: error, remaining: nil, random: 0.5)
        _ = error.description
    }

    @Test func saneRetryAfterIsRead() {
        #expect(UpstreamHTTP.retryAfterSeconds(" 7 ") == 7)
        #expect(UpstreamHTTP.retryAfterSeconds("0.5") == 0.5)
    }

    @Test func anthropicUsageNearTheTopOfIntDoesNotTrap() throws {
        let usage = try #require(AnthropicResponseTranslation.usage([
            "input_tokens": .int(Int64.max), "cache_read_input_tokens": .int(Int64.max), "cache_creation_input_tokens": .int(Int64.max),
            "output_tokens": .int(-9),
        ]))
        #expect(usage.promptTokens <= 3 * Usage.maximumTokens)
        #expect(usage.completionTokens == 0)
    }
}
