import FrontierCore
import FrontierProviders
import Synchronization

/// Every upstream's ``CircuitBreaker``, by model id, shared by all requests.
/// The router skips models whose breaker is open; a half-open breaker lets
/// its probes through.
final class CircuitBreakers: Sendable {
    /// A breaker changing state (closed, open, half-open), as the dashboard's health page lists them.
    struct Transition: Sendable, Equatable {
        var timeMs: Int64
        var model: String
        var from: String
        var to: String
    }

    private struct State {
        var breakers: [String: CircuitBreaker] = [:]
        /// The newest transitions, oldest first, at most ``CircuitBreakers/keptTransitions``.
        var transitions: [Transition] = []
    }

    /// This process's last transitions: enough for a page, bounded whatever an upstream does.
    static let keptTransitions = 200

    private let settings: ResilienceSettings.Breaker
    private let wallClockMs: @Sendable () -> Int64
    private let state = Mutex(State())

    init(settings: ResilienceSettings.Breaker, wallClockMs: @escaping @Sendable () -> Int64 = Tenancy.wallClockMs) {
        self.settings = settings
        self.wallClockMs = wallClockMs
    }

    func admit(_ model: String, now: ContinuousClock.Instant = .now) -> CircuitBreaker.Admission {
        state.withLock { s in
            let before = s.breakers[model]?.state ?? .closed
            let admission = s.breakers[model, default: CircuitBreaker(settings: settings)].admit(now: now)
            note(model, before, &s)
            return admission
        }
    }

    func record(_ model: String, _ outcome: CircuitBreaker.Outcome, now: ContinuousClock.Instant = .now) {
        state.withLock { s in
            // Successes and neutral ends on a closed breaker that never failed need no entry.
            if outcome != .failure, s.breakers[model] == nil { return }
            let before = s.breakers[model]?.state ?? .closed
            s.breakers[model, default: CircuitBreaker(settings: settings)].record(outcome, now: now)
            note(model, before, &s)
        }
    }

    /// The kept transitions, newest first.
    func transitions() -> [Transition] {
        state.withLock { $0.transitions.reversed() }
    }

    private func note(_ model: String, _ before: CircuitBreaker.State, _ s: inout State) {
        let from = Self.name(before), to = Self.name(s.breakers[model]?.state ?? .closed)
        guard from != to else { return }
        if s.transitions.count >= Self.keptTransitions { s.transitions.removeFirst(s.transitions.count - Self.keptTransitions + 1) }
        s.transitions.append(Transition(timeMs: wallClockMs(), model: model, from: from, to: to))
    }

    static func name(_ state: CircuitBreaker.State) -> String {
        switch state {
        case .closed: "closed"
        case .open: "open"
        case .halfOpen: "half_open"
        }
    }

    /// Model id -> why it is not taking requests now, for the models whose breaker is open.
    func unhealthy(now: ContinuousClock.Instant = .now) -> [String: String] {
        state.withLock { s in
            var result: [String: String] = [:]
            for (model, breaker) in s.breakers {
                if case .open(let until) = breaker.state, until > now {
                    result[model] = "circuit open for another \(Int((until - now).milliseconds)) ms after repeated failures"
                }
            }
            return result
        }
    }

    func state(of model: String) -> CircuitBreaker.State {
        state.withLock { $0.breakers[model]?.state ?? .closed }
    }
}
