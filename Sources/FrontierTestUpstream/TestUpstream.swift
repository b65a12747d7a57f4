public import Hummingbird
import Foundation
import HTTPTypes
public import Logging
public import NIOCore

/// An upstream that misbehaves on demand, for fault tests and the bench:
/// the first path segment picks the behaviour, e.g.
/// `base_url: http://127.0.0.1:9100/fail-500/v1`.
///
/// | mode | behaviour |
/// |---|---|
/// | `ok` | a fixed completion, or a fixed SSE stream with usage |
/// | `no-usage` | like `ok`, without usage anywhere |
/// | `fail-500` | 500 with an OpenAI error body |
/// | `fail-429` | 429 with `Retry-After: 7` |
/// | `fail-400` | 400: the upstream rejects the request itself |
/// | `hang` | never answers (until the client gives up) |
/// | `slow-first-token` | streams: sends the head, then nothing |
/// | `malformed` | 200 with a body that is not JSON |
/// | `reply` | a completion whose text is the `x-test-reply` request header (a model's `headers:` in config) |
/// | `cut-stream` | streams two chunks, then drops the connection |
/// | `redirect` | 307 to `http://localhost:<port>/capture/...` (another origin) |
/// | `capture` | like `ok`; with every mode, what arrived is kept (`GET /received/{mode}`) |
/// | `hostile-usage` | usage of 2^63-1 prompt and -5 completion tokens, streamed or not |
/// | `hostile-retry-after` | 429 with `Retry-After: -1e300` |
/// | `echo-key-401` | 401 whose message quotes the Authorization header, as OpenAI's does |
/// | `echo-prompt-400` | 400 whose message quotes the request body, as vLLM's validation errors do |
/// | `endless-line` | streams: `data: ` and then bytes without a line break, forever |
/// | `fast-endless` | streams: chunks as fast as the caller reads, forever |
/// | `multiline-data` | streams: each chunk's JSON split over two `data:` lines |
/// | `tool` | a reasoning part, a line of text and a `get_weather` tool call, its arguments streamed in pieces |
/// | `long-stream` | streams 200 completion tokens as 50 content chunks (the bench's streamed load); not streamed, like `ok` |
/// | `priced` | after 100 ms, usage of 10 prompt and 22 completion tokens (a known cost per answer, for budget tests) |
/// | `recorded` | the recorded outcome of the model on the prompt (``RecordedOutcomes``, `--outcomes FILE`), not streamed |
/// | `echo-placeholders` | answers with the `<LABEL_n>` placeholders it was sent, in text and a tool call, streamed 3 bytes a chunk |
/// | `identity` | reports a switchable `model` and `system_fingerprint` and answers a switchable text (``SwitchableIdentity``, `POST /identity/switch`) |
///
/// `POST /{mode}/v1/messages` answers in Anthropic's Messages shape instead; `POST /{ok|hang}/v1/traces` and
/// `/v1/metrics` are an OTLP/HTTP collector that drops what it gets (or never answers).
/// Real servers cannot be made to do these things on demand; that is the only
/// reason this double exists.
public enum TestUpstream {
    public static let content = "Hello from the test upstream."

    /// The double as an application, closing connections whose caller hung up.
    public static func application(
        host: String, port: Int, stats: UpstreamStats = UpstreamStats(), recorded: RecordedOutcomes? = nil,
        identity: SwitchableIdentity = SwitchableIdentity(), logger: Logger? = nil
    ) -> some ApplicationProtocol {
        Application(
            router: router(stats: stats, recorded: recorded, identity: identity),
            server: .http1(configuration: .init(additionalChannelHandlers: [CloseOnHalfClose()])),
            configuration: .init(address: .hostname(host, port: port)),
            logger: logger)
    }

    public static func router(
        stats: UpstreamStats = UpstreamStats(), recorded: RecordedOutcomes? = nil, identity: SwitchableIdentity = SwitchableIdentity()
    ) -> Router<UpstreamContext> {
        let router = Router(context: UpstreamContext.self)
        // Registered before the `:mode` routes, so the fixed path wins.
        addIdentityMode(to: router, identity: identity, stats: stats)
        router.post("/:mode/v1/chat/completions") { request, context in
            stats.begin()
            defer { stats.end() }
            if context.parameters.get("mode") == "recorded" {
                let body = try await request.body.collect(upTo: 16 << 20)
                guard let answer = recorded?.answer(Array(buffer: body)) else {
                    return json(ByteBuffer(string: #"{"error":{"message":"no recorded outcome for this model and prompt","type":"server_error"}}"#), status: .internalServerError)
                }
                return json(ByteBuffer(string: answer))
            }
            return try await openAI(request: request, mode: context.parameters.get("mode") ?? "ok", channel: context.channel, stats: stats)
        }
        router.post("/:mode/v1/messages") { request, context in
            stats.begin()
            defer { stats.end() }
            return try await anthropic(request: request, mode: context.parameters.get("mode") ?? "ok", channel: context.channel, stats: stats)
        }
        router.post("/:mode/v1/embeddings") { request, context in try await embeddings(request: request, mode: context.parameters.get("mode") ?? "ok", stats: stats) }
        router.post("/:mode/v1/messages/count_tokens") { request, _ in try await countTokens(request: request, stats: stats) }
        // An OTLP/HTTP collector for the telemetry benchmark: `ok` accepts and drops every export (an empty
        // Export*ServiceResponse is zero bytes of protobuf), `hang` never answers, as a collector that is down.
        for signal in ["traces", "metrics"] {
            router.post("/:mode/v1/\(signal)") { request, context in
                _ = try await request.body.collect(upTo: 64 << 20)
                if context.parameters.get("mode") == "hang" { try await waitWhileConnected(context.channel) }
                return Response(status: .ok, headers: [.contentType: "application/x-protobuf"], body: .init(byteBuffer: ByteBuffer()))
            }
        }
        router.get("/healthz") { _, _ in "ok" }
        router.get("/received/:mode") { _, context in
            guard let received = stats.lastRequest(to: context.parameters.get("mode") ?? "") else { return Response(status: .notFound) }
            let headers = received.headers.sorted { $0.key < $1.key }.map { "\"\(escaped($0.key))\":\"\(escaped($0.value))\"" }.joined(separator: ",")
            return json(ByteBuffer(string: "{\"headers\":{\(headers)},\"body\":\"\(escaped(String(decoding: received.body, as: UTF8.self)))\"}"))
        }
        router.get("/stats") { _, _ in "{\"requests\":\(stats.requests),\"in_flight\":\(stats.inFlight)}" }
        return router
    }

    static let completionBody = ByteBuffer(string: """
        {"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"test-upstream-model",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"\(content)"},"finish_reason":"stop","logprobs":null}],\
        "usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}
        """)

    static let replyHeader = HTTPField.Name("x-test-reply")
    static let anthropicVersion = HTTPField.Name("anthropic-version")

    /// A completion with the given text.
    static func reply(_ text: String) -> ByteBuffer {
        ByteBuffer(string: """
            {"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"test-upstream-model",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"\(escaped(text))"},"finish_reason":"stop","logprobs":null}],\
            "usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}
            """)
    }

    /// `text` as the inside of a JSON string.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let noUsageBody = ByteBuffer(string: """
        {"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"test-upstream-model",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"\(content)"},"finish_reason":"stop"}]}
        """)

    static func chunk(_ delta: String, finish: String? = nil) -> String {
        let finishJSON = finish.map { "\"\($0)\"" } ?? "null"
        return "data: {\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"test-upstream-model\",\"choices\":[{\"index\":0,\"delta\":\(delta),\"finish_reason\":\(finishJSON)}]}\n\n"
    }

    static let streamParts: [String] = [
        chunk("{\"role\":\"assistant\",\"content\":\"\"}"),
        chunk("{\"content\":\"Hello from \"}"),
        chunk("{\"content\":\"the test \"}"),
        chunk("{\"content\":\"upstream.\"}"),
        chunk("{}", finish: "stop"),
    ]
    static let usageChunk = "data: {\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"test-upstream-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}}\n\n"
    static let streamBody = ByteBuffer(string: streamParts.joined() + usageChunk + "data: [DONE]\n\n")
    /// 50 chunks of four words each, with usage of 200 completion tokens.
    static let longStreamBody = ByteBuffer(string: chunk("{\"role\":\"assistant\",\"content\":\"\"}")
        + (0..<50).map { chunk("{\"content\":\"word \($0) of the answer \"}") }.joined() + chunk("{}", finish: "stop")
        + usageChunk.replacingOccurrences(of: #""completion_tokens":7,"total_tokens":19"#, with: #""completion_tokens":200,"total_tokens":212"#)
        + "data: [DONE]\n\n")
    static let noUsageStreamBody = ByteBuffer(string: streamParts.joined() + "data: [DONE]\n\n")

    static func wantsStream(_ body: ByteBuffer) -> Bool {
        let view = body.readableBytesView
        let needle = Array("\"stream\":true".utf8)
        guard view.count >= needle.count else { return false }
        var i = view.startIndex
        while i <= view.endIndex - needle.count {
            if view[i] == needle[0], view[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    static func sse(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: body))
    }

    struct CutConnection: Error {}

    static func received(_ request: Request, _ body: ByteBuffer) -> UpstreamStats.Received {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        return .init(headers: headers, body: Array(buffer: body))
    }

    /// Hangs until the caller hangs up (Hummingbird does not cancel a handler whose client left).
    static func waitWhileConnected(_ channel: any Channel) async throws {
        while channel.isActive {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func failure(_ mode: String, stream: Bool, channel: any Channel, stats: UpstreamStats) async throws -> Response? {
        switch mode {
        case "fail-500":
            return json(ByteBuffer(string: #"{"error":{"message":"test upstream internal error","type":"server_error"}}"#), status: .internalServerError)
        case "fail-429":
            return json(ByteBuffer(string: #"{"error":{"message":"rate limited by test upstream","type":"rate_limit_error"}}"#),
                        status: .tooManyRequests, headers: [.retryAfter: "7"])
        case "fail-400":
            return json(ByteBuffer(string: #"{"error":{"message":"test upstream rejects this request","type":"invalid_request_error"}}"#), status: .badRequest)
        case "hang":
            try await waitWhileConnected(channel)
            return json(completionBody)
        case "malformed":
            return json(ByteBuffer(string: "{\"id\": \"chatcmpl-test\", \"choices\": [ this is not json"))
        case "slow-first-token" where stream:
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                stats.begin()
                defer { stats.end() }
                try await waitWhileConnected(channel)
                try await writer.finish(nil)
            })
        case "cut-stream" where stream:
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: streamParts[0] + streamParts[1]))
                try await Task.sleep(for: .milliseconds(50))
                throw CutConnection()
            })
        case "hostile-retry-after":
            return json(ByteBuffer(string: #"{"error":{"message":"slow down","type":"rate_limit_error"}}"#), status: .tooManyRequests, headers: [.retryAfter: "-1e300"])
        case "endless-line" where stream:
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "data: {\"id\":\""))
                let block = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 << 10)
                while channel.isActive { try await writer.write(block) }
                try await writer.finish(nil)
            })
        case "fast-endless" where stream:
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                let block = ByteBuffer(string: String(repeating: chunk("{\"content\":\"\(String(repeating: "y", count: 200))\"}"), count: 64))
                try await writer.write(ByteBuffer(string: streamParts[0]))
                while channel.isActive { try await writer.write(block) }
                try await writer.finish(nil)
            })
        case "multiline-data" where stream:
            // The same stream, each event's JSON broken over two data: lines (legal SSE, and legal JSON once joined).
            let split = (streamParts + [usageChunk]).map { $0.replacingOccurrences(of: ",\"choices\"", with: ",\ndata: \"choices\"") }
            return sse(ByteBuffer(string: split.joined() + "data: [DONE]\n\n"))
        default:
            return nil
        }
    }

    static func openAI(request: Request, mode: String, channel: any Channel, stats: UpstreamStats) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 20)
        stats.record(received(request, body), mode: mode)
        let stream = wantsStream(body)
        if let failure = try await failure(mode, stream: stream, channel: channel, stats: stats) { return failure }
        switch mode {
        case "redirect":
            let host = request.head.authority?.split(separator: ":").last.map(String.init) ?? ""
            return Response(status: .temporaryRedirect, headers: [.location: "http://localhost:\(host)/capture/v1/chat/completions"])
        case "echo-prompt-400":
            return json(ByteBuffer(string: #"{"error":{"message":"invalid request: \#(escaped(String(buffer: body)))","type":"invalid_request_error"}}"#), status: .badRequest)
        case "echo-key-401":
            let key = request.headers[.authorization] ?? ""
            return json(ByteBuffer(string: #"{"error":{"message":"Incorrect API key provided: \#(escaped(key)). You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","code":"invalid_api_key"}}"#), status: .unauthorized)
        case "hostile-usage":
            let usage = #""usage":{"prompt_tokens":9223372036854775807,"completion_tokens":-5,"total_tokens":1e300}"#
            guard stream else {
                return json(ByteBuffer(string: String(buffer: completionBody).replacingOccurrences(of: #""usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}"#, with: usage)))
            }
            return sse(ByteBuffer(string: streamParts.joined() + usageChunk.replacingOccurrences(of: #""usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}"#, with: usage) + "data: [DONE]\n\n"))
        default:
            break
        }
        if mode == "priced" {
            try await Task.sleep(for: .milliseconds(100))
            let usage = #""usage":{"prompt_tokens":10,"completion_tokens":22,"total_tokens":32}"#
            guard stream else {
                return json(ByteBuffer(string: String(buffer: completionBody).replacingOccurrences(of: #""usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}"#, with: usage)))
            }
            return sse(ByteBuffer(string: streamParts.joined() + usageChunk.replacingOccurrences(of: #""usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}"#, with: usage) + "data: [DONE]\n\n"))
        }
        if mode == "echo-placeholders" { return echoPlaceholders(body, stream: stream) }
        if mode == "reply" {
            let text = replyHeader.flatMap { request.headers[$0] } ?? content
            guard stream else { return json(reply(text)) }
            let parts = [chunk("{\"role\":\"assistant\",\"content\":\"\"}"), chunk("{\"content\":\"\(escaped(text))\"}"), chunk("{}", finish: "stop")]
            return sse(ByteBuffer(string: parts.joined() + usageChunk + "data: [DONE]\n\n"))
        }
        switch (mode, stream) {
        case ("tool", true): return sse(openAIToolStream)
        case ("tool", false): return json(openAIToolBody)
        case ("long-stream", true): return sse(longStreamBody)
        case ("no-usage", true): return sse(noUsageStreamBody)
        case ("no-usage", false): return json(noUsageBody)
        case (_, true): return sse(streamBody)
        default: return json(completionBody)
        }
    }

    static let anthropicBody = ByteBuffer(string: """
        {"id":"msg_test","type":"message","role":"assistant","model":"claude-test",\
        "content":[{"type":"text","text":"\(content)"}],"stop_reason":"end_turn","stop_sequence":null,\
        "usage":{"input_tokens":15,"output_tokens":9,"cache_read_input_tokens":5}}
        """)

    static let anthropicStream = ByteBuffer(string: [
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_test\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":15,\"output_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: ping\ndata: {\"type\":\"ping\"}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello from \"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"the test upstream.\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    ].joined())

    static func anthropic(request: Request, mode: String, channel: any Channel, stats: UpstreamStats) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 20)
        stats.record(received(request, body), mode: mode)
        // Anthropic requires these; a translation that drops them must fail loudly here.
        guard anthropicVersion.flatMap({ request.headers[$0] }) != nil,
              String(buffer: body).contains("\"max_tokens\"")
        else {
            return json(ByteBuffer(string: #"{"type":"error","error":{"type":"invalid_request_error","message":"missing anthropic-version or max_tokens"}}"#), status: .badRequest)
        }
        let stream = wantsStream(body)
        if let failure = try await failure(mode, stream: stream, channel: channel, stats: stats) { return failure }
        if mode == "tool" { return stream ? sse(anthropicToolStream) : json(anthropicToolBody) }
        return stream ? sse(anthropicStream) : json(anthropicBody)
    }
}

/// Closes a connection whose caller shut its side, so `waitWhileConnected` sees it go.
final class CloseOnHalfClose: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// The double's request context: the connection, to notice a caller that hung up.
public struct UpstreamContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
