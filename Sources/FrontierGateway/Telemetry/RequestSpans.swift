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
    /// `gen_ai.operation.name`: `chat` for the three chat doors, `embeddings` for `/v1/embeddings`.
    let operation: String
    /// Whether the trace is sampled. An unsampled request keeps its server span (its context still reaches logs and
    /// upstreams, flagged unsampled) and skips everything else: no child spans, no attributes.
    let recording: Bool
    /// A stream's attempt: open until the stream ends, then ended with the record.
    private let open = Mutex<(span: any Span, model: ModelEntry, started: ContinuousClock.Instant)?>(nil)
    /// The conversation as `gen_ai.input.messages`, when content is captured and the request carries no sensitive data.
    private let content = Mutex<String?>(nil)

    init(telemetry: Telemetry, operation: String = "chat", door: String, requestID: String, keyID: String?, headers: HTTPFields) {
        self.telemetry = telemetry
        self.operation = operation
        var caller = ServiceContext.topLevel
        // The caller's traceparent/tracestate: this request continues its trace. Only those two headers reach the
        // tracer (swift-otel logs the carrier of a context it cannot read, and the request's carry its API key),
        // and only a traceparent of the W3C form (anything else starts a new trace, silently).
        if let incoming = IncomingTraceContext(headers) { telemetry.tracer.extract(incoming, into: &caller, using: IncomingTraceContext.Reader()) }
        let root = telemetry.tracer.startSpan(operation, context: caller, ofKind: .server, at: DefaultTracerClock.now)
        recording = root.isRecording
        // One update per stage: each `attributes[...] =` on a recording span copies all of them in and out under its lock.
        root.updateAttributes { a in
            a[GenAIAttribute.operationName] = operation
            a["frontier.request_id"] = requestID
            a["frontier.front_door"] = door
            if let keyID { a["frontier.key_id"] = keyID }
        }
        self.root = root
    }

    /// The request span's context: what logs and child spans join.
    var context: ServiceContext { root.context }

    /// The request as the client named it; the server span is named for it.
    func requested(_ chat: ChatRequest) {
        guard recording else { return }
        root.operationName = "\(operation) \(chat.model)"
        root.updateAttributes { a in
            a[GenAIAttribute.requestModel] = chat.model
            a[GenAIAttribute.requestStream] = chat.stream
            if let maxTokens = chat.maxTokens { a[GenAIAttribute.requestMaxTokens] = maxTokens }
            if let temperature = chat.body["temperature"]?.doubleValue { a[GenAIAttribute.requestTemperature] = temperature }
        }
    }

    /// The routing decision, as a span from `start` to now; `categories` are the PII categories the request's trace
    /// took from the plan (``RequestTrace/planned(_:)``), never a value.
    func decided(_ plan: RoutePlanner.Plan, categories: [String], from start: DefaultTracerClock.Instant) {
        guard recording else { return }
        let span = telemetry.tracer.startSpan("frontier.route", context: root.context, ofKind: .internal, at: start)
        span.updateAttributes { a in
            a["frontier.route.candidates"] = plan.candidates.count
            a["frontier.privacy_zone"] = plan.zone.rawValue
            if let version = plan.routerVersion { a["frontier.router_version"] = version }
            if let cascade = plan.cascade { a["frontier.cascade.tiers"] = cascade.tiers.map(\.model) }
            if let decision = plan.decision {
                if let chosen = decision.chosen { a["frontier.route.chosen"] = chosen }
                a["frontier.route.rule"] = decision.rule.description
                a["frontier.route.excluded"] = decision.excluded.count
                let features = decision.features
                if let domain = features.domain?.domain { a["frontier.domain"] = domain }
                a["frontier.features.prompt_tokens"] = features.promptTokens
                a["frontier.features.expected_output_tokens"] = features.expectedOutputTokens
            } else {
                a["frontier.route.chosen"] = plan.candidates.first?.id ?? ""
                a["frontier.route.rule"] = "requested"
            }
            if !categories.isEmpty { a["frontier.pii.categories"] = categories }
        }
        span.end()
    }

    /// Keeps the conversation for `gen_ai.input.messages` (only called when content is captured and nothing sensitive was found).
    func capture(_ chat: ChatRequest) {
        guard recording else { return }
        let messages: JSONValue = .array(chat.messages.map { ["role": .string($0.role), "content": .string($0.text)] })
        content.withLock { $0 = String(decoding: messages.serialized(), as: UTF8.self) }
    }

    /// A client span for one call to `model`; `fallback` names the model that failed before it.
    func attempt(_ model: ModelEntry, index: Int, fallbackFrom fallback: String?, parent: ServiceContext? = nil) -> (any Span)? {
        guard recording else { return nil }
        let span = telemetry.tracer.startSpan(
            "\(operation) \(model.upstreamModel)", context: parent ?? root.context, ofKind: .client, at: DefaultTracerClock.now)
        let described = telemetry.described(model)
        span.updateAttributes { a in
            a[GenAIAttribute.operationName] = operation
            a[GenAIAttribute.providerName] = described.provider
            a[GenAIAttribute.requestModel] = model.upstreamModel
            a["frontier.model"] = model.id
            a["frontier.attempt"] = index
            if let fallback {
                a["frontier.fallback_from"] = fallback
            }
            if let server = described.server {
                a[GenAIAttribute.serverAddress] = server.host
                a[GenAIAttribute.serverPort] = server.port
            }
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
        span.updateAttributes { a in
            a[GenAIAttribute.errorType] = error.kind
            a["frontier.outcome"] = "failed"
            a["frontier.error"] = error.summary
        }
        span.setStatus(SpanStatus(code: .error, message: error.summary))
        telemetry.metrics?.record(model: model, responseModel: nil, usage: nil, seconds: Self.seconds(since: started), errorType: error.kind)
        span.end()
    }

    /// A whole answer.
    func answered(_ span: any Span, model: ModelEntry, completion: Completion, started: ContinuousClock.Instant) {
        // The answer is captured only where the request was (content on, nothing sensitive found).
        let output: String? = content.withLock { $0 != nil } ? {
            let output: JSONValue = [["role": "assistant", "content": .string(completion.answer.text)]]
            return String(decoding: output.serialized(), as: UTF8.self)
        }() : nil
        let reasons = FinishReasons.scan(completion.body)
        span.updateAttributes { a in
            Self.describe(&a, model: model, usage: completion.usage, responseModel: completion.upstreamModel)
            if !reasons.isEmpty { a[GenAIAttribute.responseFinishReasons] = reasons }
            if let output { a["gen_ai.output.messages"] = output }
        }
        telemetry.metrics?.record(
            model: model, responseModel: completion.upstreamModel, usage: completion.usage, seconds: Self.seconds(since: started), errorType: nil)
        span.end()
    }

    /// An embeddings answer.
    func embedded(_ span: any Span, model: ModelEntry, usage: Usage, responseModel: String?, started: ContinuousClock.Instant) {
        span.updateAttributes { Self.describe(&$0, model: model, usage: usage, responseModel: responseModel) }
        telemetry.metrics?.record(model: model, responseModel: responseModel, usage: usage, seconds: Self.seconds(since: started), errorType: nil)
        span.end()
    }

    /// A stream whose first chunk came: its span stays open until the stream ends.
    func opened(_ span: any Span, model: ModelEntry, started: ContinuousClock.Instant) {
        span.updateAttributes { $0["frontier.time_to_first_token_ms"] = Self.seconds(since: started) * 1000 }
        open.withLock { $0 = (span, model, started) }
    }

    /// A checked cascade tier, as a span of its own around its call (the call's client span is its child).
    func tier(_ index: Int, model: ModelEntry) -> (any Span)? {
        guard recording else { return nil }
        let span = telemetry.tracer.startSpan("frontier.cascade.tier \(index)", context: root.context, ofKind: .internal, at: DefaultTracerClock.now)
        let provider = telemetry.described(model).provider
        span.updateAttributes { a in
            a["frontier.cascade.tier"] = index
            a["frontier.model"] = model.id
            a[GenAIAttribute.providerName] = provider
            a[GenAIAttribute.requestModel] = model.upstreamModel
        }
        return span
    }

    func tierEnded(_ span: any Span, _ attempt: CascadeAttempt) {
        span.updateAttributes { a in
            a["frontier.outcome"] = attempt.outcome.rawValue
            a[GenAIAttribute.inputTokens] = attempt.inputTokens
            a[GenAIAttribute.outputTokens] = attempt.outputTokens
            a["frontier.cost_usd"] = attempt.costUSD
            if !attempt.checks.isEmpty {
                a["frontier.checks"] = attempt.checks.map(\.check)
                a["frontier.checks.passed"] = attempt.checks.map(\.passed)
                a["frontier.checks.failed"] = attempt.checks.filter { !$0.passed }.map(\.check)
            }
            if let summary = attempt.errorSummary { a["frontier.error"] = summary }
        }
        if attempt.outcome == .failed { span.setStatus(SpanStatus(code: .error, message: attempt.errorSummary)) }
        span.end()
    }

    /// The ledger commit of a strict route, which the answer waits for.
    func ledgerCommit() -> (any Span)? {
        guard recording else { return nil }
        return telemetry.tracer.startSpan("frontier.ledger.commit", context: root.context, ofKind: .internal, at: DefaultTracerClock.now)
    }

    /// Ends the request: the open stream attempt with what it produced, then the server span with the served model, the
    /// tokens the client saw, the whole cost and the status.
    func finish(_ s: RequestTrace.State, status: Int) {
        guard recording else { return root.end() }
        let served = s.attempts.last { $0.outcome == "served" || $0.outcome == "accepted" }
        if let (span, model, started) = open.withLock({ open in defer { open = nil }; return open }) {
            let usage = served.map { Usage(promptTokens: $0.inputTokens, completionTokens: $0.outputTokens) }
            span.updateAttributes { a in
                if let usage { Self.describe(&a, model: model, usage: usage, responseModel: served?.upstreamModel) }
                if status != 200 { a[GenAIAttribute.errorType] = String(status) }
            }
            if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
            telemetry.metrics?.record(
                model: model, responseModel: served?.upstreamModel, usage: usage, seconds: Self.seconds(since: started),
                errorType: status == 200 ? nil : String(status))
            span.end()
        }
        let input = content.withLock { $0 }
        root.updateAttributes { a in
            a[GenAIAttribute.httpStatus] = status
            if let model = s.model { a["frontier.model"] = model }
            if let served {
                if let upstream = served.upstreamModel { a[GenAIAttribute.responseModel] = upstream }
                a[GenAIAttribute.inputTokens] = served.inputTokens
                a[GenAIAttribute.outputTokens] = served.outputTokens
            }
            a["frontier.cost_usd"] = s.attempts.map(\.costUSD).reduce(0, +)
            a["frontier.attempts"] = s.attempts.count
            if !s.route.isEmpty { a["frontier.route"] = s.route }
            if let domain = s.domain { a["frontier.domain"] = domain }
            a["frontier.privacy_zone"] = s.zone ?? "any"
            if !s.pii.isEmpty { a["frontier.pii.categories"] = s.pii }
            if let version = s.routerVersion { a["frontier.router_version"] = version }
            if let input { a["gen_ai.input.messages"] = input }
            if status >= 400 { a[GenAIAttribute.errorType] = String(status) }
        }
        if status >= 500 { root.setStatus(SpanStatus(code: .error)) }
        root.end()
    }

    private static func describe(_ a: inout SpanAttributes, model: ModelEntry, usage: Usage, responseModel: String?) {
        a["frontier.outcome"] = "served"
        if let responseModel { a[GenAIAttribute.responseModel] = String(responseModel.prefix(128)) }
        a[GenAIAttribute.inputTokens] = usage.promptTokens
        a[GenAIAttribute.outputTokens] = usage.completionTokens
        a["frontier.cost_usd"] = model.price.cost(of: usage)
        if usage.isEstimated { a["frontier.usage_estimated"] = true }
    }

    static func seconds(since started: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// A client's `traceparent` (when it has the W3C form: `00-` 32 hex `-` 16 hex `-` 2 hex, ids not all zero) and its
/// `tracestate` (at most 512 bytes, W3C's 32 members of 16), and nothing else of the request.
struct IncomingTraceContext: Sendable, CustomStringConvertible {
    let traceparent: String
    let tracestate: String?

    init?(_ headers: HTTPFields) {
        guard let parent = headers[.traceparent], Self.isWellFormed(parent) else { return nil }
        traceparent = parent
        tracestate = headers[.tracestate].flatMap { $0.utf8.count <= 512 && $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } ? $0 : nil }
    }

    static func isWellFormed(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 55, bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-") else { return false }
        let hex = bytes.indices.filter { ![2, 35, 52].contains($0) }
        guard hex.allSatisfy({ isLowerHex(bytes[$0]) }) else { return false }
        // Version ff is invalid; an all-zero trace or parent id is invalid.
        return !(bytes[0] == UInt8(ascii: "f") && bytes[1] == UInt8(ascii: "f"))
            && bytes[3..<35].contains { $0 != UInt8(ascii: "0") } && bytes[36..<52].contains { $0 != UInt8(ascii: "0") }
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    var description: String { "traceparent=\(traceparent)" }

    struct Reader: Extractor {
        func extract(key: String, from carrier: IncomingTraceContext) -> String? {
            switch key {
            case "traceparent": carrier.traceparent
            case "tracestate": carrier.tracestate
            default: nil
            }
        }
    }
}

/// Writes the trace context as header pairs for an upstream call.
struct HeaderPairsInjector: Injector {
    func inject(_ value: String, forKey key: String, into pairs: inout [(String, String)]) {
        pairs.append((key, value))
    }
}
