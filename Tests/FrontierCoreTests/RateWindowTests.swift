import FrontierCore
import Testing

@Suite struct RateWindowTests {
    @Test func requestsPerMinuteAreExactOverASlidingMinute() {
        var window = RateWindow()
        let limits = RateWindow.Limits(requestsPerMinute: 3)
        for (n, t) in [0, 10_000, 20_000].enumerated() {
            guard case .admitted(_, let left, _) = window.admit(tokens: 0, limits: limits, nowMs: Int64(t)) else { Issue.record("refused"); return }
            #expect(left == 2 - n)
        }
        // The fourth waits for the first to leave the window: at 60 000 ms.
        #expect(window.admit(tokens: 0, limits: limits, nowMs: 30_000) == .limited(limit: .requests, retryAfterMs: 30_000))
        #expect(window.admit(tokens: 0, limits: limits, nowMs: 59_999) == .limited(limit: .requests, retryAfterMs: 1))
        guard case .admitted = window.admit(tokens: 0, limits: limits, nowMs: 60_000) else { Issue.record("not admitted at 60 s"); return }
        #expect(window.remaining(limits: limits, nowMs: 60_000).requests == 0)
    }

    @Test func tokensCountTheEstimateUntilTheUsageCorrectsIt() {
        var window = RateWindow()
        let limits = RateWindow.Limits(tokensPerMinute: 100)
        guard case .admitted(let ticket, _, let left) = window.admit(tokens: 80, limits: limits, nowMs: 0) else { Issue.record("refused"); return }
        #expect(left == 20)
        #expect(window.admit(tokens: 30, limits: limits, nowMs: 1_000) == .limited(limit: .tokens, retryAfterMs: 59_000))
        window.correct(ticket: ticket, tokens: 50)
        guard case .admitted(_, _, let after) = window.admit(tokens: 30, limits: limits, nowMs: 2_000) else { Issue.record("refused after correction"); return }
        #expect(after == 20)
        // A request larger than the whole limit never passes; a minute is the honest answer.
        #expect(window.admit(tokens: 500, limits: limits, nowMs: 3_000) == .limited(limit: .tokens, retryAfterMs: 60_000))
    }

    @Test func aLongRunStaysCompactAndTicketsStayValid() {
        var window = RateWindow()
        let limits = RateWindow.Limits(requestsPerMinute: 1_000, tokensPerMinute: 1_000_000)
        var last = 0
        for n in 0..<100_000 {
            guard case .admitted(let ticket, _, _) = window.admit(tokens: 1, limits: limits, nowMs: Int64(n) * 100) else { Issue.record("refused at \(n)"); return }
            last = ticket
        }
        window.correct(ticket: last, tokens: 5)
        #expect(window.remaining(limits: limits, nowMs: 9_999_900).tokens == 1_000_000 - 599 - 5)
        // A ticket long out of the window changes nothing.
        window.correct(ticket: 3, tokens: 1_000_000)
        #expect(window.remaining(limits: limits, nowMs: 9_999_900).tokens == 1_000_000 - 599 - 5)
    }
}
