public import FrontierCore
import NIOCore
import Foundation

/// Speaks Anthropic's Messages API behind the OpenAI chat interface:
/// system prompts, tool calls and results, stop reasons and usage
/// (cache reads counted as cached prompt tokens) are translated both ways,
/// streams included.
public struct AnthropicProvider: ChatProvider {
    static let apiVersion = "2023-06-01"
    let http: UpstreamHTTP

    public init(http: UpstreamHTTP) {
        self.http = http
    }

    public func complete(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> Completion {
        let body = Self.body(request, model: model, stream: false)
        let (_, json) = try await http.exchangeJSON(url: Self.url(model), headers: Self.headers(model, request: request), body: body, timeouts: model.timeouts)
        let (openAI, usage) = try AnthropicResponseTranslation.completion(json, created: Self.now())
        return Completion(body: openAI.serialized(), usage: usage, upstreamModel: json["model"]?.stringValue)
    }

    public func stream(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> CompletionStream {
        let started = NIODeadline.now()
        let body = Self.body(request, model: model, stream: true)
        let response = try await http.post(url: Self.url(model), headers: Self.headers(model, request: request), body: body, timeouts: model.timeouts, started: started)
        return StreamPump.start(
            response: response, translator: AnthropicStreamTranslator(created: Self.now()), timeouts: model.timeouts, started: started,
            eventLoop: http.eventLoop,
            limits: http.limits)
    }

    /// Anthropic's own count (`/v1/messages/count_tokens`), exact for its models.
    public func countTokens(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> Int? {
        var body = Self.bodyObject(request, model: model, stream: false)
        for field in ["max_tokens", "stream", "stop_sequences", "temperature", "top_p", "top_k", "metadata", "service_tier"] { body[field] = nil }
        let (_, json) = try await http.exchangeJSON(
            url: Self.url(model, path: "messages/count_tokens"), headers: Self.headers(model, request: request), body: JSONValue.object(body).serialized(),
            timeouts: model.timeouts)
        guard let count = json["input_tokens"]?.intValue, count >= 0 else { throw .malformed("no 'input_tokens' in the count_tokens answer") }
        return Usage.bounded(count)
    }

    /// A request that came in as an Anthropic message goes nearly as it came (thinking blocks, cache controls,
    /// documents kept): only the model, the stream flag and the output cap are the gateway's. Any other is translated.
    static func body(_ request: ChatRequest, model: ModelEntry, stream: Bool) -> [UInt8] {
        JSONValue.object(bodyObject(request, model: model, stream: stream)).serialized()
    }

    static func bodyObject(_ request: ChatRequest, model: ModelEntry, stream: Bool) -> JSONObject {
        guard let native = request.native, native.wire == .anthropicMessages else {
            return AnthropicRequestTranslation.body(request, model: model, stream: stream).objectValue ?? [:]
        }
        var body = native.body
        body["model"] = .string(model.upstreamModel)
        body["stream"] = stream ? true : nil
        if let maxTokens = request.maxTokens { body["max_tokens"] = .int(Int64(maxTokens)) }
        return body
    }

    static func url(_ model: ModelEntry, path: String = "messages") -> String {
        model.baseURL.hasSuffix("/") ? model.baseURL + path : model.baseURL + "/" + path
    }

    /// The model's headers and key; a native request's `anthropic-version` and `anthropic-beta` go along
    /// (a configured `anthropic-version` wins: the operator pins the API the gateway was tested with).
    static func headers(_ model: ModelEntry, request: ChatRequest? = nil) -> [(String, String)] {
        var headers = model.headers.map { ($0.key, $0.value) }
        if let key = model.apiKey, !key.isEmpty { headers.append(("x-api-key", key)) }
        let forwarded = request?.native?.wire == .anthropicMessages ? request?.native?.headers ?? [:] : [:]
        if model.headers["anthropic-version"] == nil { headers.append(("anthropic-version", forwarded["anthropic-version"] ?? apiVersion)) }
        if let beta = forwarded["anthropic-beta"], model.headers["anthropic-beta"] == nil { headers.append(("anthropic-beta", beta)) }
        headers += UpstreamTraceContext.headers(for: model)
        return headers
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
