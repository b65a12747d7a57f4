import FrontierCore
import FrontierProviders

/// Calls one upstream under its circuit breaker, retrying what may pass on a
/// second try (``RetryPolicy``) while the deadline allows.
struct UpstreamCaller: Sendable {
    let breakers: CircuitBreakers
    let retries: RetryPolicy

    /// - Parameters:
    ///   - chat: what is sent; with a budgeted key each call first reserves its worst case (``RequestTenant/hold(_:on:bodyBytes:)``).
    ///   - bodyBytes: the size of `chat` when it is not the client's own request.
    ///   - deadline: no retry waits past it, and each call's timeouts are cut to the time left.
    ///   - record: the request's record, told before the prompt leaves (the write-ahead intent of strict routes).
    ///   - body: one call, given the model with the timeouts it may use and the request to send.
    /// - Returns: the result, how many calls it took, and the answering call's budget hold, to settle with its usage.
    nonisolated(nonsending) func call<T: Sendable>(
        _ model: ModelEntry, sending chat: ChatRequest, bodyBytes: Int? = nil, deadline: ContinuousClock.Instant? = nil, record: RequestRecord?,
        _ body: (ModelEntry, ChatRequest) async throws(UpstreamError) -> T
    ) async throws(UpstreamError) -> (T, calls: Int, hold: BudgetHold?) {
        var calls = 0
        while true {
            if case .reject(let retryAt) = breakers.admit(model.id) {
                throw .unavailable("circuit open for another \((retryAt - .now).milliseconds.wholeMilliseconds) ms after repeated failures")
            }
            let hold: BudgetHold?, sent: ChatRequest
            do {
                (hold, sent) = try await record?.tenant?.hold(chat, on: model, bodyBytes: bodyBytes) ?? (nil, chat)
            } catch {
                breakers.record(model.id, .neutral)  // admitted, never called
                throw error
            }
            do {
                try await record?.beforeSending(to: model)
            } catch {
                hold?.settle(nil)
                breakers.record(model.id, .neutral)
                throw error
            }
            calls += 1
            do {
                let result = try await body(deadline.map { Self.limited(model, toMs: ($0 - .now).milliseconds) } ?? model, sent)
                breakers.record(model.id, .success)
                return (result, calls, hold)
            } catch {
                // A failed call is taken as free: upstreams do not bill an error, and nothing reports usage for one.
                hold?.settle(nil)
                // Every admitted call ends in the breaker, a neutral one too, or a half-open probe's slot would stay taken.
                breakers.record(model.id, error.countsAgainstUpstream ? .failure : .neutral)
                let remaining = deadline.map { $0 - .now }
                guard let wait = retries.delay(retry: calls, after: error, remaining: remaining) else { throw error }
                do { try await Task.sleep(for: wait) } catch { throw .cancelled }
            }
        }
    }

    /// The model with its timeouts cut to `budget` milliseconds.
    static func limited(_ model: ModelEntry, toMs budget: Double) -> ModelEntry {
        var model = model
        let ms = max(1, Int(budget))
        model.timeouts.totalMs = min(model.timeouts.totalMs, ms)
        model.timeouts.firstTokenMs = min(model.timeouts.firstTokenMs, ms)
        model.timeouts.connectMs = min(model.timeouts.connectMs, ms)
        return model
    }
}
