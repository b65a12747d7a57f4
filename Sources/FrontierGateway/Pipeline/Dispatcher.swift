import FrontierCore
import FrontierProviders
import FrontierRouting
import Logging
import NIOCore
import Tracing

/// Walks a request's candidate models until one answers: the one candidate
/// loop, for whole answers and streams alike. A model that fails before the
/// first byte reaches the client (connect error, timeout, 429, 5xx, a bad
/// answer) hands the request to the next; a request the upstream rejected
/// (400/413/422) or a client that left ends it at once.
struct Dispatcher: Sendable {
    let providers: ProviderRegistry
    let caller: UpstreamCaller
    let watcher: DisconnectWatcher
    /// Every answer's reported identity: watched, and checked against the catalog's pins.
    var identities: IdentityWatch? = nil

    enum Mode: Sendable { case complete, stream }

    /// What the model that answered gave.
    enum Dispatched: Sendable {
        case completion(Completion, model: ModelEntry, attempts: Int, started: ContinuousClock.Instant)
        /// An open stream whose first chunk is in hand; nothing has reached the client yet.
        /// `hold` is its budget reservation, settled when the stream ends.
        case stream(CompletionStream, opening: StreamRelay.Opening, model: ModelEntry, attempts: Int, started: ContinuousClock.Instant, hold: BudgetHold?)
    }

    /// - Parameter masking: the request's pseudonymised form, sent to the models outside its zone the plan allows;
    ///   their answers come back with the values restored.
    nonisolated(nonsending) func dispatch(
        _ chat: ChatRequest, to candidates: [ModelEntry], mode: Mode, channel: any Channel, record: RequestRecord, logger: Logger,
        masking: Masking? = nil
    ) async throws(APIError) -> Dispatched {
        var failures: [(model: String, error: UpstreamError)] = []
        for model in candidates {
            let provider = providers.provider(for: model.provider)
            let started = ContinuousClock.now
            let masked = masking.flatMap { $0.applies(to: model) ? $0 : nil }
            let sent = masked?.request(for: model, original: chat) ?? chat
            if let masked { record.trace.update { $0.pseudonymized = masked.counts } }
            let span = record.spans?.attempt(model, index: failures.count + 1, fallbackFrom: failures.last?.model)
            do throws(UpstreamError) {
                switch mode {
                case .complete:
                    var completion = try await traced(span, record: record) { () async throws(UpstreamError) in
                        try await complete(sent, model: model, provider: provider, channel: channel, record: record)
                    }
                    if let masked { completion = masked.restore(completion) }
                    if let span { record.spans?.answered(span, model: model, completion: completion, started: started) }
                    return .completion(completion, model: model, attempts: failures.count + 1, started: started)
                case .stream:
                    let (stream, opening, hold) = try await traced(span, record: record) { () async throws(UpstreamError) in
                        try await open(sent, model: model, provider: provider, channel: channel, record: record, masking: masked)
                    }
                    if let span { record.spans?.opened(span, model: model, started: started) }
                    return .stream(stream, opening: opening, model: model, attempts: failures.count + 1, started: started, hold: hold)
                }
            } catch {
                if let span { record.spans?.failed(span, model: model, error: error, started: started) }
                watcher.clear(channel)
                record.trace.failed(model, error, since: started)
                try Self.ensureRecoverable(error, model: model, isLast: model.id == candidates.last?.id, logger: logger)
                failures.append((model.id, error))
            }
        }
        throw Self.failureResponse(failures)
    }

    /// Runs `call` with `span`'s (or, unsampled, the request's) trace context for the upstream's headers (sent only to models that allow it).
    nonisolated(nonsending) func traced<T: Sendable>(
        _ span: (any Span)?, record: RequestRecord, _ call: () async throws(UpstreamError) -> T
    ) async throws(UpstreamError) -> T {
        guard let spans = record.spans else { return try await call() }
        // TaskLocal.withValue rethrows untyped: only the call's own UpstreamError can come out of it.
        do {
            // An unsampled request has no attempt span: the upstream gets the request's context, flagged unsampled.
            return try await UpstreamTraceContext.$headers.withValue(spans.propagation(for: span ?? spans.root)) { try await call() }
        } catch let error as UpstreamError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    private nonisolated(nonsending) func complete(
        _ chat: ChatRequest, model: ModelEntry, provider: any ChatProvider, channel: any Channel, record: RequestRecord
    ) async throws(UpstreamError) -> Completion {
        do {
            return try await watcher.run(on: channel) { [caller] in
                let (completion, _, hold) = try await caller.call(model, sending: chat, record: record) { [identities] (model, chat) async throws(UpstreamError) in
                    let completion = try await provider.complete(chat, on: model)
                    try await identities?.check(completion.identity, of: model)
                    return completion
                }
                hold?.settle(completion.usage)
                return completion
            }
        } catch let error as UpstreamError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// Starts the upstream stream and waits for its first chunk; retries and the breaker cover it up to there.
    private nonisolated(nonsending) func open(
        _ chat: ChatRequest, model: ModelEntry, provider: any ChatProvider, channel: any Channel, record: RequestRecord, masking: Masking?
    ) async throws(UpstreamError) -> (CompletionStream, StreamRelay.Opening, BudgetHold?) {
        let (opened, _, hold) = try await caller.call(model, sending: chat, record: record) { (model, chat) async throws(UpstreamError) in
            // Waiting for the response head is cancelled by a disconnect too, not only the stream after it.
            let upstream: CompletionStream
            do {
                let raw = try await watcher.run(on: channel) { try await provider.stream(chat, on: model) }
                // The values go back in before the first chunk is read, so no front door ever sees a placeholder.
                upstream = masking.map { $0.restore(raw) } ?? raw
            } catch let error as UpstreamError {
                throw error
            } catch {
                throw .cancelled
            }
            watcher.onDisconnect(of: channel) { upstream.cancel() }
            guard var opening = try await StreamRelay.opening(of: upstream) else {
                upstream.cancel()
                throw .malformed("the stream ended without a chunk")
            }
            if let identities {
                opening.identity = ReportedIdentity(serialized: opening.chunk)
                do throws(UpstreamError) {
                    try await identities.check(opening.identity, of: model)
                } catch {
                    upstream.cancel()
                    throw error
                }
            }
            return (upstream, opening)
        }
        return (opened.0, opened.1, hold)
    }

    /// Returns if the next model should get the request; throws what the client gets now otherwise.
    static func ensureRecoverable(_ error: UpstreamError, model: ModelEntry, isLast: Bool, logger: Logger) throws(APIError) {
        switch error {
        case .cancelled:
            throw .clientClosedRequest
        case .status(let code, _, let message) where !error.movesToNextModel:
            // The upstream rejected the request itself; another model would too.
            throw .upstreamRejected(status: code, model: model.id, message: message)
        default:
            logger.warning("upstream failed", metadata: ["model": "\(model.id)", "error": "\(error)", "fallback": "\(!isLast)"])
        }
    }

    /// The error when every candidate failed: the single model's own failure
    /// (504 timeout, 429, 502 bad answer) or 503 with the reason per model.
    static func failureResponse(_ failures: [(model: String, error: UpstreamError)]) -> APIError {
        // Every candidate was out of the key's budget: the client's problem is the budget, not the upstreams.
        if !failures.isEmpty, failures.allSatisfy({ if case .overBudget = $0.error { true } else { false } }) {
            return .budgetCannotCover(failures)
        }
        if failures.count == 1, let (model, error) = failures.first {
            switch error {
            case .timeout:
                return .upstreamTimeout(model: model, error)
            case .status(429, _, _):
                return .upstreamRateLimited(model: model, error)
            case .malformed, .interrupted, .status, .identity:
                return .badUpstreamResponse(model: model, error)
            case .connect, .cancelled, .unavailable, .overBudget:
                break
            }
        }
        return APIError.noModelAvailable(reasons: failures.map { ($0.model, $0.error.description) })
    }
}
