import AsyncAlgorithms
import FrontierCore
import FrontierProviders
import FrontierTestUpstream
import Synchronization

/// An in-process upstream for pipeline tests: each model's behaviour is the
/// mode in its base URL's path (`http://scripted/fail-500/v1`), as the test
/// upstream reads it, so the same catalog lines run with or without sockets.
/// It counts the calls it got per model.
///
/// Modes: `ok`, `reply` (the model's `x-test-reply` header is the answer), `bad-tool` (a tool call whose
/// arguments are not JSON), `fail-500`,
/// `fail-429` (retry after 7 s), `fail-400`, `malformed`, `hang` (until the model's
/// first-token timeout, then that timeout).
final class ScriptedProvider: ChatProvider {
    let calls = Mutex<[String: Int]>([:])

    static let content = "Hello from the test upstream."
    /// The identity it reports, as the test upstream does.
    static let upstreamModel = "test-upstream-model"

    /// What the `identity` mode reports (model name, fingerprint); tests switch it mid-traffic.
    let identity = Mutex<ReportedIdentity>(ReportedIdentity(model: "test-upstream-model", fingerprint: "fp_test_a"))
    /// What the `identity` mode answers, and the usage it reports (a model that got worse, or costs more).
    let identityReply = Mutex<String>(ScriptedProvider.content)
    let identityUsage = Mutex<Usage>(Usage(promptTokens: 12, completionTokens: 7))

    func count(_ model: String) -> Int { calls.withLock { $0[model, default: 0] } }
    var total: Int { calls.withLock { $0.values.reduce(0, +) } }

    private static func completion(_ text: String, model: ModelEntry) -> Completion {
        let body = #"{"id":"chatcmpl-scripted","object":"chat.completion","created":0,"model":"\#(Self.upstreamModel)","choices":[{"index":0,"message":{"role":"assistant","content":"\#(TestUpstream.escaped(text))"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}"#
        return Completion(body: Array(body.utf8), usage: Usage(promptTokens: 12, completionTokens: 7), upstreamModel: Self.upstreamModel)
    }

    private func outcome(for model: ModelEntry) async throws(UpstreamError) -> Completion {
        calls.withLock { $0[model.id, default: 0] += 1 }
        let mode = model.baseURL.split(separator: "/").dropLast().last.map(String.init) ?? ""
        switch mode {
        case "ok": return Self.completion(Self.content, model: model)
        case "reply": return Self.completion(model.headers["x-test-reply"] ?? "", model: model)
        case "identity":
            let now = identity.withLock { $0 }
            let reply = identityReply.withLock { $0 }, usage = identityUsage.withLock { $0 }
            let fingerprint = now.fingerprint.map { #","system_fingerprint":"\#($0)""# } ?? ""
            let body = #"{"id":"chatcmpl-scripted","object":"chat.completion","created":0,"model":"\#(now.model)"\#(fingerprint),"choices":[{"index":0,"message":{"role":"assistant","content":"\#(TestUpstream.escaped(reply))"},"finish_reason":"stop"}],"usage":{"prompt_tokens":\#(usage.promptTokens),"completion_tokens":\#(usage.completionTokens)}}"#
            return Completion(body: Array(body.utf8), usage: usage, identity: now)
        case "bad-tool":
            // A tool call whose arguments were cut off: not JSON.
            let body = #"{"id":"chatcmpl-scripted","object":"chat.completion","created":0,"model":"\#(Self.upstreamModel)","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Par"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}"#
            return Completion(body: Array(body.utf8), usage: Usage(promptTokens: 12, completionTokens: 7), upstreamModel: Self.upstreamModel)
        case "fail-500": throw .status(code: 500, retryAfterSeconds: nil, message: "scripted internal error")
        case "fail-429": throw .status(code: 429, retryAfterSeconds: 7, message: "rate limited by the scripted upstream")
        case "fail-400": throw .status(code: 400, retryAfterSeconds: nil, message: "the scripted upstream rejects this request")
        case "malformed": throw .malformed("expected a JSON object")
        case "hang":
            let ms = model.timeouts.firstTokenMs
            do { try await Task.sleep(for: .milliseconds(ms)) } catch { throw .cancelled }
            throw .timeout(phase: .firstToken, milliseconds: ms)
        default: throw .connect("no scripted upstream for mode '\(mode)'")
        }
    }

    /// The last request each model was sent, as the upstream would read it.
    let received = Mutex<[String: ChatRequest]>([:])

    func complete(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> Completion {
        received.withLock { $0[model.id] = request }
        return try await outcome(for: model)
    }

    func stream(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> CompletionStream {
        received.withLock { $0[model.id] = request }
        let completion = try await outcome(for: model)
        let events = AsyncThrowingChannel<[StreamEvent], any Error>()
        let text = completion.answer.text
        let reported = completion.identity ?? ReportedIdentity(model: Self.upstreamModel)
        let fingerprint = reported.fingerprint.map { #","system_fingerprint":"\#($0)""# } ?? ""
        let chunk = #"{"id":"chatcmpl-scripted","object":"chat.completion.chunk","created":0,"model":"\#(reported.model)"\#(fingerprint),"choices":[{"index":0,"delta":{"role":"assistant","content":"\#(TestUpstream.escaped(text))"},"finish_reason":"stop"}]}"#
        let task = Task {
            await events.send([.chunk(Array(chunk.utf8))])
            await events.send([.usage(completion.usage, chunk: nil)])
            events.finish()
        }
        return CompletionStream(batches: events, cancel: { task.cancel() })
    }
}
