import FrontierCore
import FrontierLedger
import FrontierProviders
import FrontierRouting
import HTTPTypes
import Synchronization
import Tracing

/// One request's spans: the server span from the front door, the routing
/// decision, each attempt to an upstream (client spans), each cascade tier,
/// and the ledger commit of a strict route. Made only when telemetry is on.
///
/// Attributes are the GenAI conventions' plus Frontier's under `frontier.*`:
/// models, tokens, cost, zone, PII categories (never values), domain, key id.
/// Prompts and answers go in only with `telemetry.capture_content`, and never
/// for a request with sensitive data.
final class RequestSpans: Sendable {
    let telemetry: Telemetry
    let root: any Span
    /// A stream's attempt: open until the stream ends, then ended with the record.
    private let open = Mutex<(span: any Span, model: ModelEntry, started: ContinuousClock.Instant)?>(nil)
    /// The conversation as `gen_ai.input.messages`, when content is captured and the request carries no sensitive data.
    private let content = Mutex<String?>(nil)

    init(telemetry: Telemetry, door: String, requestID: String, keyID: String?, headers: HTTPFields) {
        self.telemetry = telemetry
        var caller = ServiceContext.topLevel
        // The caller's traceparent/tracestate: this request continues its trace.
        telemetry.tracer.extract(headers, into: &caller, using: HTTPFieldsExtractor())
        let root = telemetry.tracer.startSpan("chat", context: caller, ofKind: .server, at: DefaultTracerClock.now)
        root.attributes[GenAIAttribute.operationName] = "chat"
        root.attributes["frontier.request_id"] = requestID
        root.attributes["frontier.front_door"] = door
        if let keyID { root.attributes["frontier.key_id"] = keyID }
        self.root = root
    }

    /// The request span's context: what logs and child spans join.
    var context: ServiceContext { root.context }

    /// The request as the client named it; the server span is named for it.
    func requested(_ chat: ChatRequest) {
        root.operationName = "chat \(chat.model)"
        root.attributes[GenAIAttribute.requestModel] = chat.model
        root.attributes[GenAIAttribute.requestStream] = chat.stream
        if let maxTokens = chat.maxTokens { root.attributes[GenAIAttribute.requestMaxTokens] = maxTokens }
        if let temperature = chat.body["temperature"]?.doubleValue { root.attributes[GenAIAttribute.requestTemperature] = temperature }
    }

    /// The routing decision, as a span from `start` to now.
    func decided(_ plan: RoutePlanner.Plan, from start: DefaultTracerClock.Instant) {
        let span = telemetry.tracer.startSpan("frontier.route", context: root.context, ofKind: .internal, at: start)
        span.attributes["frontier.route.decision"] = plan.shortForm
        span.attributes["frontier.route.candidates"] = plan.candidates.map(\.id)
        span.attributes["frontier.privacy_zone"] = plan.zone.rawValue
        if let version = plan.routerVersion { span.attributes["frontier.router_version"] = version }
        if let cascade = plan.cascade { span.attributes["frontier.cascade.tiers"] = cascade.tiers.map(\.model) }
        if let decision = plan.decision {
            if let chosen = decision.chosen { span.attributes["frontier.route.chosen"] = chosen }
            span.attributes["frontier.route.rule"] = decision.rule.description
            span.attributes["frontier.route.excluded"] = decision.excluded.count
            span.attributes["frontier.route.frontier"] = decision.frontier
            let features = decision.features
            if let domain = features.domain?.domain { span.attributes["frontier.domain"] = domain }
            span.attributes["frontier.features.prompt_tokens"] = features.promptTokens
            span.attributes["frontier.features.expected_output_tokens"] = features.expectedOutputTokens
            span.attributes["frontier.features.has_code"] = features.hasCode
            span.attributes["frontier.features.has_math"] = features.hasMath
        } else {
            span.attributes["frontier.route.chosen"] = plan.candidates.first?.id ?? ""
            span.attributes["frontier.route.rule"] = "requested"
        }
        let categories = Self.categories(plan)
        if !categories.isEmpty { span.attributes["frontier.pii.categories"] = categories }
        span.end()
    }

    /// What the plan found of sensitive data: its categories, never a value.
    static func categories(_ plan: RoutePlanner.Plan) -> [String] {
        if let features = plan.decision?.features, !features.pii.isEmpty { return features.piiCategories.map(\.rawValue) }
        return Array(Set(plan.piiFields.map(\.category.rawValue))).sorted()
    }

    /// Keeps the conversation for `gen_ai.input.messages` (only called when content is captured and nothing sensitive was found).
    func capture(_ chat: ChatRequest) {
        let messages: JSONValue = .array(chat.messages.map { ["role": .string($0.role), "content": .string($0.text)] })
        content.withLock { $0 = String(decoding: messages.serialized(), as: UTF8.self) }
    }

    /// A client span for one call to `model`; `fallback` names the model that failed before it.
    func attempt(_ model: ModelEntry, index: Int, fallbackFrom fallback: String?, parent: ServiceContext? = nil) -> any Span {
        let span = telemetry.tracer.startSpan(
            "chat \(model.upstreamModel)", context: parent ?? root.context, ofKind: .client, at: DefaultTracerClock.now)
        span.attributes[GenAIAttribute.operationName] = "chat"
        span.attributes[GenAIAttribute.providerName] = GenAIAttribute.provider(of: model)
        span.attributes[GenAIAttribute.requestModel] = model.upstreamModel
        span.attributes["frontier.model"] = model.id
        span.attributes["frontier.deployment"] = model.deployment.rawValue
        span.attributes["frontier.attempt"] = index
        if let fallback {
            span.attributes["frontier.fallback_from"] = fallback
            span.attributes["frontier.fallback_reason"] = "the previous model failed"
        }
        if let server = GenAIAttribute.server(of: model) {
            span.attributes[GenAIAttribute.serverAddress] = server.host
            span.attributes[GenAIAttribute.serverPort] = server.port
        }
        return span
    }

    /// The `traceparent` (and `tracestate`) a call under `span` carries.
    func propagation(for span: any Span) -> [(String, String)] {
        var headers: [(String, String)] = []
        telemetry.tracer.inject(span.context, into: &headers, using: HeaderPairsInjector())
        return headers
    }

    /// A call that failed: the gateway's summary of it (never the upstream's text, which may echo the prompt).
    func failed(_ span: any Span, model: ModelEntry, error: UpstreamError, started: ContinuousClock.Instant) {
        span.attributes[GenAIAttribute.errorType] = error.kind
        span.attributes["frontier.outcome"] = "failed"
        span.attributes["frontier.error"] = error.summary
        span.setStatus(SpanStatus(code: .error, message: error.summary))
        telemetry.metrics?.record(model: model, responseModel: nil, usage: nil, seconds: Self.seconds(since: started), errorType: error.kind)
        span.end()
    }

    /// A whole answer.
    func answered(_ span: any Span, model: ModelEntry, completion: Completion, started: ContinuousClock.Instant) {
        Self.describe(span, model: model, usage: completion.usage, responseModel: completion.upstreamModel)
        let reasons = Self.finishReasons(completion.body)
        if !reasons.isEmpty { span.attributes[GenAIAttribute.responseFinishReasons] = reasons }
        // The answer is captured only where the request was (content on, nothing sensitive found).
        if content.withLock({ $0 != nil }) {
            let output: JSONValue = [["role": "assistant", "content": .string(completion.answer.text)]]
            span.attributes["gen_ai.output.messages"] = String(decoding: output.serialized(), as: UTF8.self)
        }
        telemetry.metrics?.record(
            model: model, responseModel: completion.upstreamModel, usage: completion.usage, seconds: Self.seconds(since: started), errorType: nil)
        span.end()
    }

    /// A stream whose first chunk came: its span stays open until the stream ends.
    func opened(_ span: any Span, model: ModelEntry, started: ContinuousClock.Instant) {
        span.attributes["frontier.time_to_first_token_ms"] = Self.seconds(since: started) * 1000
        open.withLock { $0 = (span, model, started) }
    }

    /// A checked cascade tier, as a span of its own around its call (the call's client span is its child).
    func tier(_ index: Int, model: ModelEntry) -> any Span {
        let span = telemetry.tracer.startSpan("frontier.cascade.tier \(index)", context: root.context, ofKind: .internal, at: DefaultTracerClock.now)
        span.attributes["frontier.cascade.tier"] = index
        span.attributes["frontier.model"] = model.id
        return span
    }

    func tierEnded(_ span: any Span, _ attempt: CascadeAttempt) {
        span.attributes["frontier.outcome"] = attempt.outcome.rawValue
        span.attributes[GenAIAttribute.inputTokens] = attempt.inputTokens
        span.attributes[GenAIAttribute.outputTokens] = attempt.outputTokens
        span.attributes["frontier.cost_usd"] = attempt.costUSD
        if !attempt.checks.isEmpty {
            span.attributes["frontier.checks"] = attempt.checks.map(\.check)
            span.attributes["frontier.checks.passed"] = attempt.checks.map(\.passed)
            span.attributes["frontier.checks.failed"] = attempt.checks.filter { !$0.passed }.map(\.check)
        }
        if let summary = attempt.errorSummary { span.attributes["frontier.error"] = summary }
        if attempt.outcome == .failed { span.setStatus(SpanStatus(code: .error, message: attempt.errorSummary)) }
        span.end()
    }

    /// The ledger commit of a strict route, which the answer waits for.
    func ledgerCommit() -> any Span {
        telemetry.tracer.startSpan("frontier.ledger.commit", context: root.context, ofKind: .internal, at: DefaultTracerClock.now)
    }

    /// Ends the request: the open stream attempt with what it produced, then the server span with the served model, the
    /// tokens the client saw, the whole cost and the status.
    func finish(_ s: RequestTrace.State, status: Int) {
        let served = s.attempts.last { $0.outcome == "served" || $0.outcome == "accepted" }
        if let (span, model, started) = open.withLock({ open in defer { open = nil }; return open }) {
            let usage = served.map { Usage(promptTokens: $0.inputTokens, completionTokens: $0.outputTokens) }
            if let usage { Self.describe(span, model: model, usage: usage, responseModel: served?.upstreamModel) }
            if status != 200 {
                span.attributes[GenAIAttribute.errorType] = String(status)
                if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
            }
            telemetry.metrics?.record(
                model: model, responseModel: served?.upstreamModel, usage: usage, seconds: Self.seconds(since: started),
                errorType: status == 200 ? nil : String(status))
            span.end()
        }
        root.attributes[GenAIAttribute.httpStatus] = status
        if let model = s.model { root.attributes["frontier.model"] = model }
        if let served {
            if let upstream = served.upstreamModel { root.attributes[GenAIAttribute.responseModel] = upstream }
            root.attributes[GenAIAttribute.inputTokens] = served.inputTokens
            root.attributes[GenAIAttribute.outputTokens] = served.outputTokens
        }
        root.attributes["frontier.cost_usd"] = s.attempts.map(\.costUSD).reduce(0, +)
        root.attributes["frontier.attempts"] = s.attempts.count
        if !s.route.isEmpty { root.attributes["frontier.route"] = s.route }
        if let domain = s.domain { root.attributes["frontier.domain"] = domain }
        root.attributes["frontier.privacy_zone"] = s.zone ?? "any"
        if !s.pii.isEmpty { root.attributes["frontier.pii.categories"] = s.pii }
        if let version = s.routerVersion { root.attributes["frontier.router_version"] = version }
        if let input = content.withLock({ $0 }) { root.attributes["gen_ai.input.messages"] = input }
        if status >= 400 { root.attributes[GenAIAttribute.errorType] = String(status) }
        if status >= 500 { root.setStatus(SpanStatus(code: .error)) }
        root.end()
    }

    private static func describe(_ span: any Span, model: ModelEntry, usage: Usage, responseModel: String?) {
        span.attributes["frontier.outcome"] = "served"
        if let responseModel { span.attributes[GenAIAttribute.responseModel] = String(responseModel.prefix(128)) }
        span.attributes[GenAIAttribute.inputTokens] = usage.promptTokens
        span.attributes[GenAIAttribute.outputTokens] = usage.completionTokens
        span.attributes["frontier.cost_usd"] = model.price.cost(of: usage)
        if usage.isEstimated { span.attributes["frontier.usage_estimated"] = true }
    }

    /// Each choice's `finish_reason`, bounded (an upstream's word, not the client's text).
    static func finishReasons(_ body: [UInt8]) -> [String] {
        guard let choices = (try? JSONParser.parse(body))?["choices"]?.arrayValue else { return [] }
        return choices.prefix(16).compactMap { $0["finish_reason"]?.stringValue.map { String($0.prefix(32)) } }
    }

    static func seconds(since started: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Reads `traceparent`/`tracestate` from the client's headers.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { fields[$0] }
    }
}

/// Writes the trace context as header pairs for an upstream call.
struct HeaderPairsInjector: Injector {
    func inject(_ value: String, forKey key: String, into pairs: inout [(String, String)]) {
        pairs.append((key, value))
    }
}
