import FrontierCore
import FrontierProviders
import Synchronization

/// Every upstream's ``CircuitBreaker``, by model id, shared by all requests.
/// The router skips models whose breaker is open; a half-open breaker lets
/// its probes through.
final class CircuitBreakers: Sendable {
    private let settings: ResilienceSettings.Breaker
    private let breakers = Mutex<[String: CircuitBreaker]>([:])

    init(settings: ResilienceSettings.Breaker) {
        self.settings = settings
    }

    func admit(_ model: String, now: ContinuousClock.Instant = .now) -> CircuitBreaker.Admission {
        breakers.withLock { breakers in
            breakers[model, default: CircuitBreaker(settings: settings)].admit(now: now)
        }
    }

    func record(_ model: String, _ outcome: CircuitBreaker.Outcome, now: ContinuousClock.Instant = .now) {
        breakers.withLock { breakers in
            // Successes and neutral ends on a closed breaker that never failed need no entry.
            if outcome != .failure, breakers[model] == nil { return }
            breakers[model, default: CircuitBreaker(settings: settings)].record(outcome, now: now)
        }
    }

    /// Model id -> why it is not taking requests now, for the models whose breaker is open.
    func unhealthy(now: ContinuousClock.Instant = .now) -> [String: String] {
        breakers.withLock { breakers in
            var result: [String: String] = [:]
            for (model, breaker) in breakers {
                if case .open(let until) = breaker.state, until > now {
                    result[model] = "circuit open for another \(Int((until - now).milliseconds)) ms after repeated failures"
                }
            }
            return result
        }
    }

    func state(of model: String) -> CircuitBreaker.State {
        breakers.withLock { $0[model]?.state ?? .closed }
    }
}
