public import FrontierCore
import NIOCore

/// Speaks OpenAI's chat-completions API: OpenAI itself, vLLM, Ollama,
/// llama.cpp's server, Together, Groq, OpenRouter, ... The client's body goes
/// through as sent but for `model` (the upstream's name) and, on streams,
/// `stream_options.include_usage`, so usage is always known.
public struct OpenAICompatibleProvider: ChatProvider {
    let http: UpstreamHTTP

    public init(http: UpstreamHTTP) {
        self.http = http
    }

    public func complete(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> Completion {
        let body = Self.upstreamBody(request, model: model, stream: false)
        let (bytes, json) = try await http.exchangeJSON(url: Self.url(model), headers: Self.headers(model), body: body, timeouts: model.timeouts)
        guard let choices = json["choices"]?.arrayValue else {
            throw .malformed("no 'choices' array in the chat completion")
        }
        let usage = Usage(openAI: json["usage"]) ?? Usage(
            promptTokens: PromptSize.estimatedTokens(request),
            completionTokens: choices.reduce(0) { $0 + Usage.estimatedTokens(in: $1["message"]?["content"]?.stringValue ?? "") },
            isEstimated: true)
        return Completion(body: AnswerConformance.conforming(bytes, json: json), usage: usage, identity: ReportedIdentity(answer: json))
    }

    /// llama.cpp's own tokenizer (`/apply-template`, then `/tokenize`) on a server beside the gateway; nil for
    /// a cloud model (the prompt is not sent out only to be counted) or a server without those endpoints.
    public func countTokens(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> Int? {
        guard model.deployment != .cloud else { return nil }
        var root = model.baseURL
        while root.hasSuffix("/") { root.removeLast() }
        if root.hasSuffix("/v1") { root.removeLast(3) }
        let messages: JSONValue = ["messages": .array(request.messages.map { .object($0.raw) })]
        let templated: JSONValue
        do {
            (_, templated) = try await http.exchangeJSON(url: root + "/apply-template", headers: Self.headers(model), body: messages.serialized(), timeouts: model.timeouts)
        } catch {
            if case .status(let code, _, _) = error, code == 404 { return nil }
            throw error
        }
        guard let prompt = templated["prompt"]?.stringValue else { return nil }
        let tokenize: JSONValue = ["content": .string(prompt), "add_special": true, "parse_special": true]
        let (_, tokens) = try await http.exchangeJSON(url: root + "/tokenize", headers: Self.headers(model), body: tokenize.serialized(), timeouts: model.timeouts)
        return tokens["tokens"]?.arrayValue.map { Usage.bounded($0.count) }
    }

    public func stream(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> CompletionStream {
        let started = NIODeadline.now()
        let body = Self.upstreamBody(request, model: model, stream: true)
        let response = try await http.post(url: Self.url(model), headers: Self.headers(model), body: body, timeouts: model.timeouts, started: started)
        return StreamPump.start(
            response: response,
            translator: OpenAIStreamTranslator(promptTokenEstimate: PromptSize.estimatedTokens(request)),
            timeouts: model.timeouts,
            started: started,
            eventLoop: http.eventLoop,
            limits: http.limits)
    }

    static func url(_ model: ModelEntry) -> String {
        model.baseURL.hasSuffix("/") ? model.baseURL + "chat/completions" : model.baseURL + "/chat/completions"
    }

    static func headers(_ model: ModelEntry) -> [(String, String)] {
        var headers = model.headers.map { ($0.key, $0.value) }
        if let key = model.apiKey, !key.isEmpty { headers.append(("authorization", "Bearer \(key)")) }
        headers += UpstreamTraceContext.headers(for: model)
        return headers
    }

    static func upstreamBody(_ request: ChatRequest, model: ModelEntry, stream: Bool) -> [UInt8] {
        var body = request.body
        body["model"] = .string(model.upstreamModel)
        body["frontier"] = nil
        body["stream"] = .bool(stream)
        if stream {
            var options = body["stream_options"]?.objectValue ?? [:]
            options["include_usage"] = .bool(true)
            body["stream_options"] = .object(options)
        } else {
            body["stream_options"] = nil
        }
        return JSONValue.object(body).serialized()
    }
}

/// Reads OpenAI chunks: checks each is JSON, pulls out usage, and notices a
/// stream that ends without `[DONE]` or a finish reason (a cut stream).
public struct OpenAIStreamTranslator: StreamTranslator {
    let promptTokenEstimate: Int
    var completionCharacters = 0
    var sawUsage = false
    var sawEnd = false

    public init(promptTokenEstimate: Int) {
        self.promptTokenEstimate = promptTokenEstimate
    }

    public mutating func translate(_ event: ServerSentEvent) throws(UpstreamError) -> [StreamEvent] {
        if event.data.elementsEqual("[DONE]".utf8) {
            sawEnd = true
            return []
        }
        var event = event
        let json: JSONValue
        do {
            json = try JSONParser.parse(event.data)
        } catch {
            throw .malformed("stream chunk is not JSON: \(error)")
        }
        // Several `data:` lines arrive joined by line breaks, which would break the
        // client's framing when relayed as one `data:` line. The chunk parsed as
        // JSON, so each break is whitespace between tokens: a space means the same.
        if event.data.contains(0x0A) || event.data.contains(0x0D) {
            for i in event.data.indices where event.data[i] == 0x0A || event.data[i] == 0x0D { event.data[i] = 0x20 }
        }
        if let error = json["error"] {
            throw .interrupted("upstream sent an error event: \(error["message"]?.stringValue ?? error.jsonString)")
        }
        let choices = json["choices"]?.arrayValue ?? []
        let usage = Usage(openAI: json["usage"])
        if usage != nil { sawUsage = true }
        if let usage, choices.isEmpty {
            return [.usage(usage, chunk: event.data)]
        }
        for choice in choices {
            completionCharacters += choice["delta"]?["content"]?.stringValue?.utf8.count ?? 0
            if let reason = choice["finish_reason"], !reason.isNull { sawEnd = true }
        }
        var events: [StreamEvent] = [.chunk(event.data)]
        if let usage { events.append(.usage(usage, chunk: nil)) }
        return events
    }

    public mutating func finish() throws(UpstreamError) -> [StreamEvent] {
        guard sawEnd else { throw .interrupted("the stream ended before [DONE]") }
        guard !sawUsage else { return [] }
        let estimate = Usage(
            promptTokens: promptTokenEstimate,
            completionTokens: completionCharacters == 0 ? 0 : max(1, (completionCharacters + 3) / 4),
            isEstimated: true)
        return [.usage(estimate, chunk: nil)]
    }
}

/// Token estimates for a request whose usage the upstream does not report.
enum PromptSize {
    static func estimatedTokens(_ request: ChatRequest) -> Int {
        // About 4 tokens of chat-template overhead per message.
        request.messages.reduce(0) { $0 + Usage.estimatedTokens(in: $1.text) + 4 }
    }
}
