import FrontierCore
import FrontierLedger
import FrontierProviders
import FrontierRouting
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Tracing

/// The one request path behind every front door: read and parse the body
/// (through the door's ``Ingress``), features, policy and plan, dispatch
/// (candidates in turn, or a cascade), usage and cost, the ledger record,
/// and the answer or stream rendered back by the same door.
///
/// The request path's async functions here and in the stages it calls are
/// `nonisolated(nonsending)`: they run on their caller's executor. A plain
/// nonisolated async function hops to the generic executor on entry and
/// after each call, and with NIO's event loops as the global executor
/// (main.swift) every hop is a job enqueued and run on the loop, about half a
/// microsecond: `scripts/count-async-hops` counts them per request.
struct RequestPipeline: Sendable {
    let planners: PlannerHolder
    var planner: RoutePlanner { planners.current }
    let dispatcher: Dispatcher
    let cascades: CascadeRunner
    let ledger: RequestLedger?
    let metrics: GatewayMetrics
    /// The tracker the planners read; the pipeline feeds it what each answer took.
    let latency: LatencyTracker
    let maxBodyBytes: Int
    /// Keys, budgets and rate limits; nil without `auth:`.
    let tenancy: Tenancy?
    /// `router.embedder`, for a router file that reads prompt embeddings.
    let embedder: PromptEmbedder?
    /// `router.shadow`: decided beside the live router on requests the router chooses for, and recorded.
    var shadow: RoutePlanner? = nil
    /// `router.experiment`: the candidate that plans a share of those requests while its guard lets it.
    var experiment: ExperimentMonitor? = nil
    /// `router.explore`: asks a second model about a sampled share of answered requests, in the background.
    var explorer: Explorer? = nil
    /// `ledger.implicit_feedback`: scores inferred from retries, cut streams, malformed tool calls and refusals.
    var implicit: ImplicitSignals? = nil
    /// Reads each finished request's attempts (answers that failed, checks that rejected) as live signals.
    var drift: DriftWatch? = nil
    /// `telemetry.otlp`: spans at each stage; nil (and free) when off.
    var telemetry: Telemetry? = nil

    /// Serves one request that came in through `ingress`.
    nonisolated(nonsending) func handle(_ request: Request, context: GatewayContext, ingress: some Ingress) async -> Response {
        // The authenticated key's id, never anything the client wrote in a header, is what the ledger keeps.
        let trace = RequestTrace(requestID: context.requestID, apiKeyID: context.tenant?.id, door: ingress.name)
        let spans = telemetry.map {
            RequestSpans(telemetry: $0, door: ingress.name, requestID: context.requestID, keyID: context.tenant?.id, headers: request.headers)
        }
        let record = RequestRecord(trace: trace, ledger: ledger, metrics: metrics, experiment: experiment, implicit: implicit, drift: drift, spans: spans)
        guard let spans else { return await handle(request, context: context, ingress: ingress, record: record) }
        // Every log line and child span of the request joins its span.
        return await ServiceContext.$current.withValue(spans.context) {
            await handle(request, context: context, ingress: ingress, record: record)
        }
    }

    private nonisolated(nonsending) func handle(_ request: Request, context: GatewayContext, ingress: some Ingress, record: RequestRecord) async -> Response {
        let trace = record.trace
        var headers = HTTPFields()
        do {
            let (chat, size) = try await read(request, ingress: ingress)
            record.spans?.requested(chat)
            try admit(size: size, context: context, record: record, headers: &headers)
            Self.track(chat, in: record)
            let decisionStart = record.spans.map { _ in DefaultTracerClock.now }
            let plan = try await plan(chat, size: size, headers: request.headers, tenant: record.tenant, trace: trace)
            trace.planned(plan)
            if let spans = record.spans, let decisionStart {
                let categories = trace.state.withLock { $0.pii }
                spans.decided(plan, categories: categories, from: decisionStart)
                if spans.telemetry.captureContent, !containsSensitiveData(chat, plan: plan, categories: categories) { spans.capture(chat) }
            }
            headers[.frontierDecision] = plan.shortForm
            return try await serve(chat, plan: plan, ingress: ingress, record: record, headers: headers, context: context)
        } catch {
            return await fail(error, ingress: ingress, record: record, headers: headers)
        }
    }

    /// Whether content capture must skip this request: the plan found sensitive data (`categories`), or (when it did
    /// not scan) the detector does.
    private func containsSensitiveData(_ chat: ChatRequest, plan: RoutePlanner.Plan, categories: [String]) -> Bool {
        if !categories.isEmpty { return true }
        if plan.piiScanned { return false }
        let detector = planner.extractor.detector
        return chat.messages.contains { !detector.findings(in: $0.text).isEmpty }
    }

    /// What `POST /v1/route` was asked about.
    enum RouteBody: Sendable {
        case chat(ChatRequest)
        case embedding(EmbeddingRequest)
    }

    /// `POST /v1/route`: the decision for a chat request, or for an embeddings request (a body with `input` and no
    /// `messages`), without calling a model (nor reserving or counting anything).
    nonisolated(nonsending) func decide(_ request: Request, context: GatewayContext, ingress: some Ingress) async -> Response {
        do throws(APIError) {
            let (asked, size) = try await readJSON(request) { json throws(APIError) -> RouteBody in
                guard json["input"] != nil, json["messages"] == nil else { return .chat(try ingress.parse(json, headers: request.headers)) }
                return .embedding(try Self.embeddingRequest(json))
            }
            let tenant = scope(size: size, context: context)
            let chat: ChatRequest
            switch asked {
            case .chat(let request):
                chat = request
            case .embedding(let embedding):
                let plan = try await planEmbedding(embedding, inputs: Self.chatForm(embedding), size: size, headers: request.headers, tenant: tenant)
                let body: JSONValue = [
                    "kind": "embedding", "chosen": .string(plan.candidates.first?.id ?? ""), "order": .array(plan.candidates.map { .string($0.id) }),
                    "rule": .string(plan.target.routerChooses ? "cheapest-embedding" : "requested"),
                    "constraints": ["privacy": .string(plan.zone.rawValue)],
                    "features": ["pii_fields": Self.fieldsJSON(plan.piiFields)],
                ]
                return Responses.json(body, headers: [.frontierDecision: plan.shortForm])
            }
            let plan = try await plan(chat, size: size, headers: request.headers, tenant: tenant)
            let body = plan.decision?.json ?? [
                "chosen": .string(chat.model), "order": [.string(chat.model)], "rule": "requested",
                "constraints": ["privacy": .string(plan.zone.rawValue)],
                "features": ["pii_fields": Self.fieldsJSON(plan.piiFields)],
            ]
            return Responses.json(body, headers: [.frontierDecision: plan.shortForm])
        } catch {
            return ingress.error(error, headers: [:])
        }
    }

    /// Where each PII category was found (the field, never the value).
    static func fieldsJSON(_ fields: [FieldFinding]) -> JSONValue {
        .array(fields.map { ["category": .string($0.category.rawValue), "field": .string($0.field)] })
    }

    private nonisolated(nonsending) func serve(
        _ chat: ChatRequest, plan: RoutePlanner.Plan, ingress: some Ingress, record: RequestRecord, headers: HTTPFields, context: GatewayContext
    ) async throws(APIError) -> Response {
        var headers = headers
        var plan = plan
        let masking = try pseudonymization(chat, plan: &plan)
        var candidates = plan.candidates
        if let cascade = plan.cascade {
            let outcome = await cascades.run(chat, cascade: cascade, zone: plan.zone, channel: context.channel, record: record, masking: masking)
            record.trace.cascade(outcome.attempts)
            headers[.frontierEscalation] = CascadeRunner.escalation(outcome.attempts)
            switch outcome {
            case .answered(let completion, let model, let attempts):
                headers[.frontierAttempts] = String(attempts.filter { $0.outcome != .skipped }.count)
                headers[.frontierCostUSD] = Responses.formatCost(attempts.map(\.costUSD).reduce(0, +))
                return await answer(
                    completion, model: model, chat: chat, ingress: ingress, record: record, headers: headers,
                    extras: ["x_frontier_cascade": ["attempts": .array(attempts.map(\.json))]])
            case .streamFinalTier(let model, _):
                candidates = [model]
            case .failed(let error, _):
                throw error
            }
        }
        let dispatched = try await dispatcher.dispatch(
            chat, to: candidates, mode: chat.stream ? .stream : .complete, channel: context.channel, record: record, logger: context.logger,
            masking: masking)
        let served = switch dispatched {
        case .completion(_, let model, _, _), .stream(_, _, let model, _, _, _): model
        }
        if let mark = planner.quality.mark(of: served.id) { headers[.frontierWarning] = Self.warning(served.id, mark) }
        switch dispatched {
        case .completion(let completion, let model, let attempts, let started):
            latency.recordCompletion(
                model: model.id, totalMs: (ContinuousClock.now - started).milliseconds,
                completionTokens: completion.usage.completionTokens, seedFirstTokenMs: model.profile.firstTokenMs)
            record.trace.served(model, usage: completion.usage, upstreamModel: completion.upstreamModel, firstTokenMs: nil, since: started)
            headers[.frontierAttempts] = String(attempts)
            headers[.frontierCostUSD] = Responses.formatCost(model.price.cost(of: completion.usage))
            let response = await answer(completion, model: model, chat: chat, ingress: ingress, record: record, headers: headers, extras: [:])
            if let implicit, response.status == .ok { await implicit.answered(completion, model: model.id, requestID: record.trace.requestID) }
            if let explorer, response.status == .ok { explorer.consider(chat, plan: plan, served: model, usage: completion.usage, requestID: record.trace.requestID) }
            return response
        case .stream(let upstream, let opening, let model, let attempts, let started, let hold):
            headers[.frontierAttempts] = String(attempts)
            return stream(
                upstream, opening: opening, model: model, hold: hold, started: started, chat: chat, plan: plan, ingress: ingress, record: record,
                headers: headers, context: context)
        }
    }

    /// The request's masked form for the models the plan allows outside its zone; where it cannot be masked
    /// safely, those models leave the plan (and with none left, the policy's 403).
    private func pseudonymization(_ chat: ChatRequest, plan: inout RoutePlanner.Plan) throws(APIError) -> Masking? {
        guard !plan.pseudonymized.isEmpty else { return nil }
        if let masking = Masking(chat, models: plan.pseudonymized, detector: planner.extractor.detector) { return masking }
        let outside = plan.pseudonymized
        plan.candidates.removeAll { outside.contains($0.id) }
        plan.cascade?.tiers.removeAll { outside.contains($0.model) }
        plan.pseudonymized = []
        if plan.candidates.isEmpty || plan.cascade?.tiers.isEmpty == true {
            throw APIError(
                status: 403, type: "permission_error", code: "privacy_policy", param: "model",
                message: "The request carries sensitive data that cannot be replaced by placeholders safely (a value split across two fields, "
                    + "or inside encoded content), and \(outside.sorted().joined(separator: ", ")) is outside its \(plan.zone.rawValue) zone. "
                    + "Send the value in one piece, or use a \(plan.zone.rawValue) model.")
        }
        return nil
    }

    /// `x-frontier-warning` for an answer from a degraded model (HTTP's warn-code 199, "miscellaneous warning").
    static func warning(_ model: String, _ mark: QualityAdjustments.Mark) -> String {
        let drop = (mark.drop * 1000).rounded() / 1000
        return "199 frontier \"\(model) is degraded: its \(mark.signal) score fell \(drop) below its baseline; auto routes around it\""
    }

    /// A whole answer: recorded first (a strict record that cannot be committed withholds it), then rendered,
    /// as JSON or, for a client that asked to stream, replayed as the door's events.
    private nonisolated(nonsending) func answer(
        _ completion: Completion, model: ModelEntry, chat: ChatRequest, ingress: some Ingress, record: RequestRecord,
        headers: HTTPFields, extras: JSONObject
    ) async -> Response {
        var headers = headers
        headers[.frontierModel] = model.id
        if completion.usage.isEstimated { headers[.frontierUsageEstimated] = "true" }
        if record.keepsResponse { record.trace.update { $0.response = completion.body } }
        if let failure = await record.finish(status: 200) { return ingress.error(failure, headers: headers) }
        guard chat.stream else {
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: ingress.body(of: completion, request: chat, extras: extras))))
        }
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let encoder = ingress.streamEncoder(for: chat)
        let (chunks, usageChunk) = CompletionAsStream.chunks(completion.body)
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var encoder = encoder
            for chunk in chunks { if let events = encoder.chunk(chunk) { try await writer.write(events) } }
            try await writer.write(encoder.end(usage: completion.usage, usageChunk: usageChunk, model: model))
            try await writer.finish(nil)
        })
    }

    /// A live stream: the relay writes it and commits the record when it ends.
    private func stream(
        _ upstream: CompletionStream, opening: StreamRelay.Opening, model: ModelEntry, hold: BudgetHold?, started: ContinuousClock.Instant,
        chat: ChatRequest, plan: RoutePlanner.Plan, ingress: some Ingress, record: RequestRecord, headers: HTTPFields, context: GatewayContext
    ) -> Response {
        var headers = headers
        headers[.frontierModel] = model.id
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let firstToken = ContinuousClock.now
        let upstreamModel = opening.identity?.model ?? (record.keepsPrompt ? (try? JSONParser.parse(opening.chunk))?["model"]?.stringValue : nil)
        let relay = StreamRelay(
            upstream: upstream, opening: opening, model: model, encoder: ingress.streamEncoder(for: chat), record: record, logger: context.logger,
            onFinish: { [watcher = dispatcher.watcher, latency, channel = context.channel] usage in
                watcher.clear(channel)
                latency.record(
                    model: model.id, firstTokenMs: (firstToken - started).milliseconds,
                    completionTokens: usage?.completionTokens ?? 0, generationMs: (ContinuousClock.now - firstToken).milliseconds)
            },
            onOutcome: { [chat, explorer] usage, status, chunks in
                // A stream cut before its usage came is charged what it produced: a token a chunk, the prompt estimated.
                let usage = usage ?? Usage(promptTokens: Self.promptEstimate(chat), completionTokens: chunks, isEstimated: true)
                hold?.settle(usage)
                record.trace.served(model, usage: usage, upstreamModel: upstreamModel, firstTokenMs: (firstToken - started).milliseconds, since: started, status: status)
                if let explorer, status == 200 { explorer.consider(chat, plan: plan, served: model, usage: usage, requestID: record.trace.requestID) }
            })
        // The body is written after the handler returns, outside its task-local scope: the relay's logs join the span again.
        guard let context = record.spans?.context else {
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in try await relay.run(&writer) })
        }
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await ServiceContext.$current.withValue(context) { try await relay.run(&writer) }
        })
    }

    /// The error in the door's shape, recorded (a strict record that cannot be committed makes it a 503).
    nonisolated(nonsending) func fail(_ error: any Error, ingress: some Ingress, record: RequestRecord, headers: HTTPFields) async -> Response {
        let apiError = error as? APIError ?? .internalError(error)
        if let failure = await record.finish(status: apiError.status) { return ingress.error(failure, headers: headers) }
        return ingress.error(apiError, headers: headers)
    }

    /// The validated request and its body's size; a large body is parsed off the event loops.
    nonisolated(nonsending) func read(_ request: Request, ingress: some Ingress) async throws(APIError) -> (ChatRequest, Int) {
        try await readJSON(request) { json throws(APIError) in try ingress.parse(json, headers: request.headers) }
    }

    /// The body, bounded, parsed as JSON and read by `reading` (off the event loops when it is large), and its size.
    nonisolated(nonsending) func readJSON<T: Sendable>(
        _ request: Request, _ reading: @escaping @Sendable (JSONValue) throws(APIError) -> T
    ) async throws(APIError) -> (T, Int) {
        let buffer = try await RequestBody.collect(request, limit: maxBodyBytes)
        let value = try await OffLoop.run(ifLarger: buffer.readableBytes) { () throws(APIError) in
            let json: JSONValue
            do throws(JSONParseError) {
                json = try JSONParser.parse(buffer.readableBytesView)
            } catch {
                throw APIError.invalidJSON(error)
            }
            return try reading(json)
        }
        return (value, buffer.readableBytes)
    }

    /// The planner's decision under the caller's key (its floor, ceilings, models and budget);
    /// a large request's features are computed off the event loops.
    /// - Parameter trace: told the target as soon as it is resolved (its route's durability), before the plan can fail.
    nonisolated(nonsending) func plan(
        _ chat: ChatRequest, size: Int, headers: HTTPFields, tenant: RequestTenant?, trace: RequestTrace? = nil
    ) async throws(APIError) -> RoutePlanner.Plan {
        let live = self.planner
        let scope = tenant?.scope(for: chat)
        let target = try live.target(for: chat.model, key: scope)
        trace?.targeted(target)
        let planner = experimentPlanner(for: target, trace: trace) ?? live
        var constraints = try ConstraintParser.parse(
            header: { name in HTTPField.Name.constraintHeaders[name].flatMap { headers[$0] } },
            body: chat.body["frontier"]?.objectValue, defaults: planner.defaults(for: target, keyObjective: tenant?.key.policy.objective))
        if let policy = tenant?.key.policy { constraints = policy.bounding(constraints) }
        let unhealthy = dispatcher.caller.breakers.unhealthy()
        var embedding: PromptEmbedding?
        if let embedder, (try? await OffLoop.run(ifLarger: size, { planner.readsEmbedding(of: chat, target: target) })) == true {
            embedding = await embedder.embed(chat)
        }
        // A neighbour search reads every training vector (milliseconds of CPU): off the cooperative pool, like a large body.
        var work = size
        if case .vector? = embedding { work = Int.max }
        let plan = try await OffLoop.run(ifLarger: work) { [planner, constraints, embedding] () throws(APIError) in
            try planner.plan(chat, target: target, constraints: constraints, unhealthy: unhealthy, key: scope, embedding: embedding)
        }
        if let shadow, let trace, target.routerChooses {
            // The candidate's choice on the same request, constraints and health: recorded, never served. Its errors
            // (no model meets the constraints) are its answer too: no model.
            // The same content under the same privacy policy: the live plan's PII scan stands for the shadow's.
            let scanned = plan.decision?.features
            let shadowPlan = try? await OffLoop.run(ifLarger: work) { [constraints, embedding] () throws(APIError) in
                try shadow.plan(chat, target: target, constraints: constraints, unhealthy: unhealthy, key: scope, embedding: embedding, scanned: scanned)
            }
            trace.update { s in
                s.shadowModel = shadowPlan?.candidates.first?.id ?? "none"
                s.shadowVersion = shadow.routerVersion ?? "unversioned"
            }
        }
        return plan
    }

    /// Under `router.experiment`, the candidate's planner when the request falls in its share (nil: the live one).
    /// Only a served request (one with a trace) joins the experiment; `/v1/route` shows the live router.
    private func experimentPlanner(for target: Target, trace: RequestTrace?) -> RoutePlanner? {
        guard let experiment, let trace, target.routerChooses, let arm = experiment.arm(requestID: trace.requestID, keyID: trace.apiKeyID) else {
            return nil
        }
        trace.update { s in
            s.arm = arm.rawValue
            s.experiment = experiment.candidateVersion
        }
        return arm == .candidate ? experiment.planner : nil
    }

    /// The caller's key for a request that calls no model to answer (a decision, a count): its policy and budget
    /// shape the plan, nothing is reserved or counted against its rate limits.
    func scope(size: Int, context: GatewayContext) -> RequestTenant? {
        guard let key = context.tenant, let tenancy else { return nil }
        return RequestTenant(key: key, tenancy: tenancy, bodyBytes: size, rateTicket: nil)
    }

    /// With `auth:` on, admits the request under its key's rate limits (or throws the 429) and attaches the key to the record.
    func admit(size: Int, context: GatewayContext, record: RequestRecord, headers: inout HTTPFields) throws(APIError) {
        guard let key = context.tenant, let tenancy else { return }
        let ticket = try Self.admit(size: size, key: key, rates: tenancy.rates, headers: &headers)
        record.attach(RequestTenant(key: key, tenancy: tenancy, bodyBytes: size, rateTicket: ticket))
    }

    /// The route asked for and, when the ledger keeps prompts, what is sent (`prompt`: its text, when not the messages').
    static func track(_ chat: ChatRequest, in record: RequestRecord, prompt: (() -> String)? = nil) {
        record.trace.update { s in
            s.route = chat.model
            guard record.keepsPrompt else { return }
            s.prompt = prompt?() ?? chat.messages.map { "\($0.role): \($0.text)" }.joined(separator: "\n")
            s.content = SentContent(chat)
        }
    }

    /// The key's rate limits: admits the request (its ticket, to correct its tokens at the end) or throws the 429.
    /// Either way the remaining figures go in `headers`.
    private static func admit(size: Int, key: APIKeyRecord, rates: RateLimiter, headers: inout HTTPFields) throws(APIError) -> Int? {
        let limits = RateWindow.Limits(requestsPerMinute: key.policy.rpm, tokensPerMinute: key.policy.tpm)
        guard !limits.isEmpty else { return nil }
        if let rpm = limits.requestsPerMinute { headers[.rateLimitLimitRequests] = String(rpm) }
        if let tpm = limits.tokensPerMinute { headers[.rateLimitLimitTokens] = String(tpm) }
        // The prompt's tokens are estimated from its bytes until the usage is known.
        switch rates.admit(key: key.id, tokens: (size + 3) / 4, limits: limits, nowMs: Tenancy.wallClockMs()) {
        case .admitted(let ticket, let requests, let tokens):
            if let requests { headers[.rateLimitRemainingRequests] = String(requests) }
            if let tokens { headers[.rateLimitRemainingTokens] = String(tokens) }
            return ticket
        case .limited(let limit, let retryAfterMs):
            let seconds = (retryAfterMs + 999) / 1000
            headers[.retryAfter] = String(seconds)
            let figure: String
            switch limit {
            case .requests:
                headers[.rateLimitRemainingRequests] = "0"
                figure = "\(limits.requestsPerMinute ?? 0) requests"
            case .tokens:
                headers[.rateLimitRemainingTokens] = "0"
                figure = "\(limits.tokensPerMinute ?? 0) tokens"
            }
            throw APIError.rateLimited(limit.rawValue, figure: figure, retryAfterSeconds: seconds)
        }
    }

    /// Prompt tokens of a request whose usage no upstream reported: about four characters a token, and a template's few per message.
    static func promptEstimate(_ chat: ChatRequest) -> Int {
        chat.messages.reduce(0) { $0.saturatingAdd(Usage.estimatedTokens(in: $1.text) + 4) }
    }
}
