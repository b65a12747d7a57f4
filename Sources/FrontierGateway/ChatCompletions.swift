import FrontierCore
import FrontierLedger
import FrontierProviders
import FrontierRouting
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `POST /v1/chat/completions`: validate, plan the candidate models, and walk
/// them until one answers. A model that fails before the first byte reaches
/// the client (connect error, timeout, 429, 5xx, malformed answer) hands the
/// request to the next; after that, a stream ends with an error event.
struct ChatCompletions: Sendable {
    let planners: PlannerHolder
    /// The planner of this moment (a reloaded router file swaps it).
    var planner: RoutePlanner { planners.current }
    let providers: ProviderRegistry
    let maxBodyBytes: Int
    let watcher: DisconnectWatcher
    let requestIDs: RequestIDGenerator
    let caller: UpstreamCaller
    let cascades: CascadeRunner
    let ledger: RequestLedger?
    let metrics: GatewayMetrics
    let logger: Logger

    func handle(_ request: Request, context: GatewayContext) async -> Response {
        var headers: HTTPFields = [.frontierRequestID: requestIDs.next()]
        let trace = RequestTrace(requestID: headers[.frontierRequestID] ?? "", apiKeyID: Self.apiKeyID(request))
        let (response, streamRecords) = await serve(request, context: context, headers: &headers, trace: trace)
        // A stream records itself when it ends (StreamRelay); everything else is recorded here.
        guard !streamRecords else { return response }
        return await finish(trace, response: response, headers: headers)
    }

    /// Metrics and the ledger record; a strict record that cannot be committed replaces the response with 503.
    private func finish(_ trace: RequestTrace, response: Response, headers: HTTPFields) async -> Response {
        let status = Int(response.status.code)
        guard let ledger else {
            metrics.observe(trace, status: status)
            return response
        }
        do {
            try await ledger.record(trace, status: status)
            metrics.observe(trace, status: status)
            return response
        } catch {
            metrics.observe(trace, status: error.status)
            return Responses.error(error, headers: headers)
        }
    }

    /// The response, and whether a stream relay will write the ledger record when it ends.
    private func serve(_ request: Request, context: GatewayContext, headers: inout HTTPFields, trace: RequestTrace) async -> (Response, Bool) {
        do {
            let (chat, size) = try await readChatRequest(request)
            let keepsPrompt = ledger != nil  // for the prompt's HMAC (and PII scan) in the record
            trace.update { s in
                s.route = chat.model
                if keepsPrompt { s.prompt = chat.messages.map { "\($0.role): \($0.text)" }.joined(separator: "\n") }
            }
            let plan = try await plan(chat, size: size, request)
            trace.planned(plan)
            headers[.frontierDecision] = plan.shortForm
            let candidates = plan.candidates
            if let cascade = plan.cascade {
                var streamed = false
                let response = try await cascades.run(chat, cascade: cascade, headers: headers, channel: context.channel, trace: trace) { model, headers in
                    streamed = true
                    return try await stream(chat, candidates: [model], headers: headers, channel: context.channel, trace: trace)
                }
                return (response, streamed)
            }
            if chat.stream {
                return (try await stream(chat, candidates: candidates, headers: headers, channel: context.channel, trace: trace), true)
            }
            return (try await complete(chat, candidates: candidates, headers: &headers, channel: context.channel, trace: trace), false)
        } catch let error as APIError {
            return (Responses.error(error, headers: headers), false)
        } catch let error as ResponseError {
            return (error.response, false)
        } catch {
            logger.error("unexpected error in chat completion", metadata: ["error": "\(error)"])
            return (Responses.error(APIError(status: 500, type: "server_error", message: "Internal gateway error: \(error)"), headers: headers), false)
        }
    }

    /// The caller's API key, as an id that names it without revealing it.
    static func apiKeyID(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] ?? request.headers[.anthropicAPIKey] else { return nil }
        let key = value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : value
        return key.isEmpty ? nil : ChainHash.keyID(key)
    }

    func constraints(_ request: Request, _ chat: ChatRequest) throws(APIError) -> Constraints {
        try ConstraintParser.parse(
            header: { name in HTTPField.Name.constraintHeaders[name].flatMap { request.headers[$0] } },
            body: chat.body["frontier"]?.objectValue, defaults: planner.defaults(for: chat.model))
    }

    /// `POST /v1/route`: the decision for a chat request, without calling a model.
    func route(_ request: Request) async -> Response {
        do {
            let (chat, size) = try await readChatRequest(request)
            let plan = try await plan(chat, size: size, request)
            let body = plan.decision?.json ?? ["chosen": .string(chat.model), "order": [.string(chat.model)], "rule": "requested"]
            return Responses.json(body, headers: [.frontierDecision: plan.shortForm])
        } catch {
            return Responses.error(error)
        }
    }

    /// The planner's decision; a large request's features are computed off the event loops.
    private func plan(_ chat: ChatRequest, size: Int, _ request: Request) async throws(APIError) -> RoutePlanner.Plan {
        let constraints = try constraints(request, chat)
        let unhealthy = caller.breakers.unhealthy()
        let planner = self.planner
        return try await OffLoop.run(ifLarger: size) { () throws(APIError) in try planner.plan(chat, constraints: constraints, unhealthy: unhealthy) }
    }

    /// The validated request and its body's size in bytes.
    func readChatRequest(_ request: Request) async throws(APIError) -> (ChatRequest, Int) {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            throw APIError.bodyTooLarge(limit: maxBodyBytes)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.bodyTooLarge(limit: maxBodyBytes)
        } catch {
            throw APIError(status: 400, type: "invalid_request_error", code: "body_read_failed", message: "Could not read the request body: \(error)")
        }
        let chat = try await OffLoop.run(ifLarger: buffer.readableBytes) { () throws(APIError) in
            let json: JSONValue
            do throws(JSONParseError) {
                json = try JSONParser.parse(buffer.readableBytesView)
            } catch {
                throw APIError.invalidJSON(error)
            }
            do throws(RequestValidationError) {
                return try ChatRequest(json: json)
            } catch {
                throw APIError.invalidRequest(error)
            }
        }
        return (chat, buffer.readableBytes)
    }

    // MARK: Non-streamed

    private func complete(_ chat: ChatRequest, candidates: [ModelEntry], headers: inout HTTPFields, channel: any Channel, trace: RequestTrace) async throws -> Response {
        var failures: [(model: String, error: UpstreamError)] = []
        for model in candidates {
            let provider = providers.provider(for: model.provider)
            let started = ContinuousClock.now
            do {
                let (completion, _) = try await watcher.run(on: channel) { [caller] in
                    try await caller.call(model) { (model) async throws(UpstreamError) in try await provider.complete(chat, on: model) }
                }
                planner.latency.recordCompletion(
                    model: model.id, totalMs: (ContinuousClock.now - started).milliseconds,
                    completionTokens: completion.usage.completionTokens, seedFirstTokenMs: model.profile.firstTokenMs)
                trace.served(model, usage: completion.usage, upstreamModel: completion.upstreamModel, firstTokenMs: nil, since: started)
                if ledger?.bodyKey != nil { trace.update { $0.response = completion.body } }
                headers[.frontierModel] = model.id
                headers[.frontierCostUSD] = Responses.formatCost(model.price.cost(of: completion.usage))
                headers[.frontierAttempts] = String(failures.count + 1)
                if completion.usage.isEstimated { headers[.frontierUsageEstimated] = "true" }
                return Responses.json(completion.body, headers: headers)
            } catch let error as UpstreamError {
                trace.failed(model, error, since: started)
                try ensureRecoverable(error, model: model, isLast: model.id == candidates.last?.id)
                failures.append((model.id, error))
            }
        }
        throw failureResponse(failures)
    }

    /// Returns if the next model should get the request; throws what the client gets now otherwise.
    private func ensureRecoverable(_ error: UpstreamError, model: ModelEntry, isLast: Bool) throws(APIError) {
        switch error {
        case .cancelled:
            throw APIError(status: 499, type: "client_closed_request", message: "The client disconnected.")
        case .status(let code, _, let message) where !error.movesToNextModel:
            // The upstream rejected the request itself; another model would too.
            throw APIError(status: code, type: "invalid_request_error", code: "upstream_rejected_request",
                           message: "\(model.id) rejected the request: \(message)")
        default:
            logger.warning("upstream failed", metadata: ["model": "\(model.id)", "error": "\(error)", "fallback": "\(!isLast)"])
        }
    }

    /// The error when every candidate failed: the single model's own failure
    /// (504 timeout, 429, 502 bad answer) or 503 with the reason per model.
    private func failureResponse(_ failures: [(model: String, error: UpstreamError)]) -> APIError {
        if failures.count == 1, let (model, error) = failures.first {
            switch error {
            case .timeout:
                return APIError(status: 504, type: "upstream_timeout", code: "upstream_timeout", message: "\(model): \(error)")
            case .status(429, _, _):
                return APIError(status: 429, type: "rate_limit_error", code: "upstream_rate_limited", message: "\(model): \(error)")
            case .malformed, .interrupted, .status:
                return APIError(status: 502, type: "upstream_error", code: "bad_upstream_response", message: "\(model): \(error)")
            case .connect, .cancelled, .unavailable:
                break
            }
        }
        return APIError.noModelAvailable(reasons: failures.map { ($0.model, $0.error.description) })
    }

    // MARK: Streamed

    private func stream(_ chat: ChatRequest, candidates: [ModelEntry], headers: HTTPFields, channel: any Channel, trace: RequestTrace) async throws -> Response {
        var failures: [(model: String, error: UpstreamError)] = []
        for model in candidates {
            let provider = providers.provider(for: model.provider)
            let started = ContinuousClock.now
            do {
                let (upstream, opening) = try await open(provider, chat, model: model, channel: channel)
                let firstToken = ContinuousClock.now
                var headers = headers
                headers[.frontierModel] = model.id
                headers[.frontierAttempts] = String(failures.count + 1)
                headers[.contentType] = "text/event-stream"
                headers[.cacheControl] = "no-cache"
                let relay = StreamRelay(
                    upstream: upstream, opening: opening, model: model, clientWantsUsage: chat.clientWantsStreamUsage,
                    logger: logger,
                    onFinish: { [watcher, latency = planner.latency] usage in
                        watcher.clear(channel)
                        latency.record(
                            model: model.id, firstTokenMs: (firstToken - started).milliseconds,
                            completionTokens: usage?.completionTokens ?? 0, generationMs: (ContinuousClock.now - firstToken).milliseconds)
                    },
                    record: streamRecorder(
                        model: model, upstreamModel: ledger == nil ? nil : (try? JSONParser.parse(opening.chunk))?["model"]?.stringValue, trace: trace,
                        started: started, firstToken: firstToken))
                return Response(status: .ok, headers: headers, body: ResponseBody { writer in try await relay.run(&writer) })
            } catch {
                watcher.clear(channel)
                trace.failed(model, error, since: started)
                try ensureRecoverable(error, model: model, isLast: model.id == candidates.last?.id)
                failures.append((model.id, error))
            }
        }
        throw failureResponse(failures)
    }

    /// The ledger write and metrics at a stream's end.
    private func streamRecorder(
        model: ModelEntry, upstreamModel: String?, trace: RequestTrace, started: ContinuousClock.Instant, firstToken: ContinuousClock.Instant
    ) -> @Sendable (Usage?, Int) async -> APIError? {
        { [ledger, metrics] usage, status in
            trace.served(model, usage: usage, upstreamModel: upstreamModel, firstTokenMs: (firstToken - started).milliseconds, since: started, status: status)
            do throws(APIError) {
                try await ledger?.record(trace, status: status)
                metrics.observe(trace, status: status)
                return nil
            } catch {
                metrics.observe(trace, status: error.status)
                return error
            }
        }
    }

    /// Starts the upstream stream and waits for its first chunk.
    private func open(
        _ provider: any ChatProvider, _ chat: ChatRequest, model: ModelEntry, channel: any Channel
    ) async throws(UpstreamError) -> (CompletionStream, StreamRelay.Opening) {
        // Waiting for the response head is cancelled by a disconnect too, not only the stream after it.
        do {
            // Retries and the breaker cover the stream up to its first chunk, before anything reaches the client.
            let ((upstream, opening), _) = try await caller.call(model) { (model) async throws(UpstreamError) in
                let upstream: CompletionStream
                do {
                    upstream = try await watcher.run(on: channel) { try await provider.stream(chat, on: model) }
                } catch let error as UpstreamError {
                    throw error
                } catch {
                    throw .cancelled
                }
                watcher.onDisconnect(of: channel) { upstream.cancel() }
                guard let opening = try await StreamRelay.opening(of: upstream) else {
                    upstream.cancel()
                    throw .malformed("the stream ended without a chunk")
                }
                return (upstream, opening)
            }
            return (upstream, opening)
        }
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
