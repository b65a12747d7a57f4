import FrontierCore
import FrontierProviders

/// Calls one upstream under its circuit breaker, retrying what may pass on a
/// second try (``RetryPolicy``) while the deadline allows.
struct UpstreamCaller: Sendable {
    let breakers: CircuitBreakers
    let retries: RetryPolicy

    /// - Returns: the result and how many calls it took.
    func call<T: Sendable>(
        _ model: ModelEntry, deadline: ContinuousClock.Instant? = nil, _ body: () async throws(UpstreamError) -> T
    ) async throws(UpstreamError) -> (T, calls: Int) {
        var calls = 0
        while true {
            if case .reject(let retryAt) = breakers.admit(model.id) {
                throw .unavailable("circuit open for another \(Int((retryAt - .now).milliseconds)) ms after repeated failures")
            }
            calls += 1
            do {
                let result = try await body()
                breakers.record(model.id, success: true)
                return (result, calls)
            } catch {
                if error.countsAgainstUpstream { breakers.record(model.id, success: false) }
                let remaining = deadline.map { $0 - .now }
                guard let wait = retries.delay(retry: calls, after: error, remaining: remaining) else { throw error }
                do { try await Task.sleep(for: wait) } catch { throw .cancelled }
            }
        }
    }
}
