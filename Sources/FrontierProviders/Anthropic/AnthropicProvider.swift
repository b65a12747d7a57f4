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
        let body = AnthropicRequestTranslation.body(request, model: model, stream: false).serialized()
        let (_, json) = try await http.exchangeJSON(url: Self.url(model), headers: Self.headers(model), body: body, timeouts: model.timeouts)
        let (openAI, usage) = try AnthropicResponseTranslation.completion(json, created: Self.now())
        return Completion(body: openAI.serialized(), usage: usage, upstreamModel: json["model"]?.stringValue)
    }

    public func stream(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> CompletionStream {
        let started = NIODeadline.now()
        let body = AnthropicRequestTranslation.body(request, model: model, stream: true).serialized()
        let response = try await http.post(url: Self.url(model), headers: Self.headers(model), body: body, timeouts: model.timeouts, started: started)
        return StreamPump.start(
            response: response, translator: AnthropicStreamTranslator(created: Self.now()), timeouts: model.timeouts, started: started,
            eventLoop: http.eventLoop,
            limits: http.limits)
    }

    static func url(_ model: ModelEntry) -> String {
        model.baseURL.hasSuffix("/") ? model.baseURL + "messages" : model.baseURL + "/messages"
    }

    static func headers(_ model: ModelEntry) -> [(String, String)] {
        var headers = model.headers.map { ($0.key, $0.value) }
        if let key = model.apiKey, !key.isEmpty { headers.append(("x-api-key", key)) }
        if model.headers["anthropic-version"] == nil { headers.append(("anthropic-version", apiVersion)) }
        return headers
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
