import FrontierCore
import FrontierProviders
import FrontierRouting
import HTTPTypes
import Hummingbird
import NIOCore
import Tracing

extension RequestPipeline {
    /// `POST /v1/embeddings`: the same stages as chat (key and rate limits, the PII decision and its zone, the key's
    /// models and budget, fallback across candidates under their breakers, usage and cost, the ledger record),
    /// over embedding models. The inputs travel through those stages in chat form (one user message each), which
    /// is what the PII detector and the budget's worst case read.
    nonisolated(nonsending) func embed(_ request: Request, context: GatewayContext) async -> Response {
        let trace = RequestTrace(requestID: context.requestID, apiKeyID: context.tenant?.id, door: "openai.embeddings")
        let spans = telemetry.map {
            RequestSpans(telemetry: $0, operation: "embeddings", door: "openai.embeddings", requestID: context.requestID, keyID: context.tenant?.id, headers: request.headers)
        }
        let record = RequestRecord(trace: trace, ledger: ledger, metrics: metrics, spans: spans)
        guard let spans else { return await embed(request, context: context, record: record) }
        return await ServiceContext.$current.withValue(spans.context) { await embed(request, context: context, record: record) }
    }

    private nonisolated(nonsending) func embed(_ request: Request, context: GatewayContext, record: RequestRecord) async -> Response {
        let trace = record.trace
        let ingress = OpenAIChatIngress()  // OpenAI's error shape
        var headers = HTTPFields()
        do {
            let (embedding, size) = try await readJSON(request, Self.embeddingRequest)
            let inputs = Self.chatForm(embedding)
            record.spans?.requested(inputs)
            try admit(size: size, context: context, record: record, headers: &headers)
            Self.track(inputs, in: record) { embedding.texts.joined(separator: "\n") }
            let decisionStart = record.spans.map { _ in DefaultTracerClock.now }
            let plan = try await planEmbedding(embedding, inputs: inputs, size: size, headers: request.headers, tenant: record.tenant)
            trace.planned(plan)
            if let decisionStart { record.spans?.decided(plan, categories: trace.state.withLock { $0.pii }, from: decisionStart) }
            headers[.frontierDecision] = plan.shortForm
            var failures: [(model: String, error: UpstreamError)] = []
            for model in plan.candidates {
                let provider = dispatcher.providers.provider(for: model.provider)
                let started = ContinuousClock.now
                let span = record.spans?.attempt(model, index: failures.count + 1, fallbackFrom: failures.last?.model)
                do throws(UpstreamError) {
                    let (result, _, hold) = try await dispatcher.traced(span, record: record) { () async throws(UpstreamError) in
                        try await dispatcher.caller.call(model, sending: inputs, record: record) { (model, _) async throws(UpstreamError) in
                            try await provider.embed(embedding, on: model)
                        }
                    }
                    hold?.settle(result.usage)
                    if let span { record.spans?.embedded(span, model: model, usage: result.usage, responseModel: result.upstreamModel, started: started) }
                    trace.served(model, usage: result.usage, upstreamModel: result.upstreamModel, firstTokenMs: nil, since: started)
                    headers[.frontierModel] = model.id
                    headers[.frontierAttempts] = String(failures.count + 1)
                    headers[.frontierCostUSD] = Responses.formatCost(model.price.cost(of: result.usage))
                    if result.usage.isEstimated { headers[.frontierUsageEstimated] = "true" }
                    if let failure = await record.finish(status: 200) { return ingress.error(failure, headers: headers) }
                    return Responses.json(result.body, headers: headers)
                } catch {
                    if let span { record.spans?.failed(span, model: model, error: error, started: started) }
                    trace.failed(model, error, since: started)
                    try Dispatcher.ensureRecoverable(error, model: model, isLast: model.id == plan.candidates.last?.id, logger: context.logger)
                    failures.append((model.id, error))
                }
            }
            throw Dispatcher.failureResponse(failures)
        } catch {
            return await fail(error, ingress: ingress, record: record, headers: headers)
        }
    }

    static func embeddingRequest(_ json: JSONValue) throws(APIError) -> EmbeddingRequest {
        do throws(RequestValidationError) {
            return try EmbeddingRequest(json: json)
        } catch {
            throw APIError.invalidRequest(error)
        }
    }

    /// The inputs in chat form (one user message each): what the PII detector and the budget's worst case read.
    static func chatForm(_ embedding: EmbeddingRequest) -> ChatRequest {
        ChatRequest(model: embedding.model, messages: embedding.texts.map { ChatMessage(role: "user", content: .string($0)) }, extra: ["max_tokens": 1])
    }

    /// The embedding models to try, in order, under the caller's key; for `POST /v1/embeddings` and `POST /v1/route` alike.
    func planEmbedding(
        _ embedding: EmbeddingRequest, inputs: ChatRequest, size: Int, headers: HTTPFields, tenant: RequestTenant?
    ) async throws(APIError) -> RoutePlanner.Plan {
        let planner = self.planner
        var constraints = try ConstraintParser.parse(
            header: { name in HTTPField.Name.constraintHeaders[name].flatMap { headers[$0] } },
            body: embedding.body["frontier"]?.objectValue, defaults: planner.defaults)
        if let policy = tenant?.key.policy { constraints = policy.bounding(constraints) }
        let unhealthy = dispatcher.caller.breakers.unhealthy()
        let scope = tenant?.scope(for: inputs)
        return try await OffLoop.run(ifLarger: size) { [constraints] () throws(APIError) in
            try planner.planEmbedding(inputs, constraints: constraints, unhealthy: unhealthy, key: scope)
        }
    }
}
