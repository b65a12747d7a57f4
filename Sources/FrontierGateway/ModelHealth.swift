import Synchronization

/// Recent failures per model: after three failures in a row a model rests for
/// ten seconds, then gets requests again (one success clears the count).
/// The router skips resting models, so a dead upstream stops costing each
/// request a timeout.
final class ModelHealth: Sendable {
    private struct State {
        var consecutiveFailures = 0
        var lastFailure: ContinuousClock.Instant?
    }

    static let failuresBeforeRest = 3
    static let rest = Duration.seconds(10)

    private let states = Mutex<[String: State]>([:])

    func recordSuccess(_ model: String) {
        states.withLock { states in
            if states[model] != nil { states[model] = nil }
        }
    }

    func recordFailure(_ model: String) {
        let now = ContinuousClock.now
        states.withLock { states in
            states[model, default: State()].consecutiveFailures += 1
            states[model, default: State()].lastFailure = now
        }
    }

    /// Model id -> reason, for the models resting now.
    func unhealthy() -> [String: String] {
        let now = ContinuousClock.now
        return states.withLock { states in
            var result: [String: String] = [:]
            for (model, state) in states where state.consecutiveFailures >= Self.failuresBeforeRest {
                if let last = state.lastFailure, now - last < Self.rest {
                    result[model] = "\(state.consecutiveFailures) failures in a row, resting until \(Self.rest) after the last"
                }
            }
            return result
        }
    }
}
