import FrontierCore
@testable import FrontierGateway
@testable import FrontierProviders
import FrontierRouting
@testable import FrontierTestUpstream
import HTTPTypes
import NIOCore
import Testing

/// Anthropic ⇄ OpenAI (the pipeline's form) ⇄ Anthropic: every block type,
/// stop reason and usage field survives the round trip that a Messages
/// client's request to an OpenAI-compatible model (and its answer) makes.
@Suite struct AnthropicMessagesTranslationTests {
    static let model = ModelEntry(id: "claude", provider: .anthropic, baseURL: "http://127.0.0.1:1/v1", deployment: .cloud)

    static let request: JSONValue = [
        "model": "auto", "max_tokens": 300, "temperature": 0.5, "top_p": 0.9, "top_k": 40, "stop_sequences": ["END"],
        "metadata": ["user_id": "u-7"],
        "system": [["type": "text", "text": "Be brief."], ["type": "text", "text": "Answer in English."]],
        "tools": [["name": "get_weather", "description": "Weather by city", "input_schema": ["type": "object", "properties": ["city": ["type": "string"]]]]],
        "tool_choice": ["type": "any", "disable_parallel_tool_use": true],
        "messages": [
            ["role": "user", "content": [
                ["type": "text", "text": "Weather in Paris?"],
                ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="]],
            ]],
            ["role": "assistant", "content": [
                ["type": "thinking", "thinking": "Call the tool.", "signature": "s"],
                ["type": "text", "text": "Looking."],
                ["type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": ["city": "Paris"]],
            ]],
            ["role": "user", "content": [
                ["type": "tool_result", "tool_use_id": "toolu_1", "content": [["type": "text", "text": "18 C, sunny"]]],
                ["type": "text", "text": "And tomorrow?"],
            ]],
        ],
    ]

    func chat() throws -> ChatRequest {
        try AnthropicMessagesIngress().parse(Self.request, headers: [:])
    }

    @Test func aRequestBecomesOpenAIChatWithEveryBlock() throws {
        let chat = try chat()
        #expect(chat.messages.map(\.role) == ["system", "user", "assistant", "tool", "user"])
        #expect(chat.messages[0].text == "Be brief.\nAnswer in English.")
        #expect(chat.messages[1].content[1]?["image_url"]?["url"] == "data:image/png;base64,iVBORw0KGgo=")
        let call = chat.messages[2].raw["tool_calls"]?[0]
        #expect(call?["id"] == "toolu_1")
        #expect(try JSONParser.parse(call?["function"]?["arguments"]?.stringValue ?? "") == ["city": "Paris"])
        #expect(chat.messages[3].raw["tool_call_id"] == "toolu_1")
        #expect(chat.messages[3].text == "18 C, sunny")
        #expect(chat.body["stop"] == ["END"])
        #expect(chat.body["user"] == "u-7")
        #expect(chat.body["tool_choice"] == "required")
        #expect(chat.body["parallel_tool_calls"] == false)
        #expect(chat.body["tools"]?[0]?["function"]?["parameters"]?["properties"]?["city"] != nil)
        #expect(chat.maxTokens == 300)
        #expect(chat.native?.wire == .anthropicMessages)
    }

    @Test func translatedBackForAnAnthropicUpstreamTheTurnsAreTheSame() throws {
        var chat = try chat()
        chat.native = nil  // as if it came in as OpenAI chat: the provider's translation alone
        let back = AnthropicRequestTranslation.body(chat, model: Self.model, stream: false)
        #expect(back["system"] == "Be brief.\nAnswer in English.")
        #expect(back["stop_sequences"] == ["END"])
        #expect(back["metadata"]?["user_id"] == "u-7")
        #expect(back["tool_choice"] == ["type": "any"])
        #expect(back["tools"]?[0]?["input_schema"] == Self.request["tools"]?[0]?["input_schema"])
        let turns = back["messages"]?.arrayValue ?? []
        #expect(turns.map { $0["role"]?.stringValue } == ["user", "assistant", "user"])
        #expect(turns[0]["content"]?[1]?["source"] == Self.request["messages"]?[0]?["content"]?[1]?["source"])
        // Thinking is not OpenAI's to carry: it reaches an Anthropic upstream through the native body instead.
        #expect(turns[1]["content"]?.arrayValue?.map { $0["type"]?.stringValue } == ["text", "tool_use"])
        #expect(turns[1]["content"]?[1]?["input"] == ["city": "Paris"])
        #expect(turns[2]["content"]?[0]?["type"] == "tool_result")
        #expect(turns[2]["content"]?[0]?["tool_use_id"] == "toolu_1")
    }

    @Test func aNativeRequestReachesAnAnthropicUpstreamNearlyVerbatim() throws {
        let headers: HTTPFields = [HTTPField.Name("anthropic-beta")!: "interleaved-thinking-2025-05-14"]
        let chat = try AnthropicMessagesIngress().parse(Self.request, headers: headers)
        let sent = try JSONParser.parse(AnthropicProvider.body(chat, model: Self.model, stream: true))
        #expect(sent["messages"] == Self.request["messages"])  // thinking blocks and signatures kept
        #expect(sent["system"] == Self.request["system"])
        #expect(sent["model"] == "claude")
        #expect(sent["stream"] == true)
        #expect(AnthropicProvider.headers(Self.model, request: chat).contains { $0 == ("anthropic-beta", "interleaved-thinking-2025-05-14") })
    }

    @Test func theNativeBodyIsReadForPersonalData() throws {
        // A value only the native body carries (thinking, which the OpenAI form drops) is still found.
        var request = try #require(Self.request.objectValue)
        request["messages"] = [["role": "assistant", "content": [["type": "thinking", "thinking": "mail jane.doe@example.com", "signature": "s"]]], ["role": "user", "content": "hi"]]
        let chat = try AnthropicMessagesIngress().parse(.object(request), headers: [:])
        let content = SentContent(chat)
        #expect(content.fields.contains { $0.path.hasPrefix("native.messages") && $0.text.contains("jane.doe@example.com") })
    }

    @Test(arguments: ["end_turn", "max_tokens", "tool_use", "refusal"])
    func stopReasonsSurviveTheRoundTrip(_ reason: String) {
        let finish = AnthropicResponseTranslation.finishReason(reason).stringValue
        #expect(AnthropicMessagesTranslation.stopReason(finish) == reason)
    }

    @Test func anAnswerRoundTripsWithThinkingToolUseAndCachedUsage() throws {
        let anthropic = try JSONParser.parse(Array(buffer: TestUpstream.anthropicToolBody))
        var withCache = try #require(anthropic.objectValue)
        withCache["usage"] = ["input_tokens": 30, "output_tokens": 12, "cache_read_input_tokens": 5]
        let (openAI, usage) = try AnthropicResponseTranslation.completion(.object(withCache), created: 0)
        #expect(usage.promptTokens == 35 && usage.cachedPromptTokens == 5 && usage.completionTokens == 12)
        let back = AnthropicMessagesTranslation.message(openAI, usage: usage, model: "auto")
        #expect(back["id"] == "msg_tool")
        #expect(back["stop_reason"] == "tool_use")
        #expect(back["usage"] == ["input_tokens": 30, "output_tokens": 12, "cache_read_input_tokens": 5, "cache_creation_input_tokens": 0])
        let blocks = back["content"]?.arrayValue ?? []
        #expect(blocks.map { $0["type"]?.stringValue } == ["thinking", "text", "tool_use"])
        #expect(blocks[0]["thinking"] == anthropic["content"]?[0]?["thinking"])
        #expect(blocks[1]["text"] == "Let me look.")
        #expect(blocks[2]["id"] == "toolu_1" && blocks[2]["input"] == anthropic["content"]?[2]?["input"])
    }

    @Test func anOpenAIAnswerBecomesAMessage() throws {
        let openAI = try JSONParser.parse(Array(buffer: TestUpstream.openAIToolBody))
        let message = AnthropicMessagesTranslation.message(openAI, usage: Usage(openAI: openAI["usage"]) ?? Usage(promptTokens: 0, completionTokens: 0), model: "auto")
        #expect(message["type"] == "message" && message["role"] == "assistant")
        #expect(message["content"]?.arrayValue?.map { $0["type"]?.stringValue } == ["thinking", "text", "tool_use"])
        #expect(message["content"]?[2]?["input"] == ["city": "Paris", "unit": "celsius"])
        #expect(message["usage"]?["input_tokens"] == 30 && message["usage"]?["output_tokens"] == 12)
    }

    /// An Anthropic upstream's stream, through the provider (to OpenAI chunks) and the Messages door (back to
    /// events): the client sees the same blocks, the tool input reassembles to the same JSON.
    @Test func aStreamRoundTripsBlockByBlock() throws {
        var parser = ServerSentEventParser()
        var translator = AnthropicStreamTranslator(created: 0)
        var encoder = AnthropicEventEncoder(fallbackModel: "auto")
        var out = ByteBuffer()
        var usage: Usage?
        for event in try parser.feed(TestUpstream.anthropicToolStream.readableBytesView) {
            for translated in try translator.translate(event) {
                switch translated {
                case .chunk(let chunk): if var events = encoder.chunk(chunk) { out.writeBuffer(&events) }
                case .usage(let u, _): usage = u
                }
            }
        }
        for case .usage(let u, _) in try translator.finish() { usage = u }
        var end = encoder.end(usage: usage, usageChunk: nil, model: Self.model)
        out.writeBuffer(&end)
        let events = try Self.events(out)
        #expect(events.first?["type"] == "message_start")
        #expect(events.last?["type"] == "message_stop")
        #expect(events.map { $0["type"]?.stringValue ?? "" }.filter { $0 == "content_block_start" }.count == 3)
        let starts = events.filter { $0["type"] == "content_block_start" }.map { $0["content_block"]?["type"]?.stringValue }
        #expect(starts == ["thinking", "text", "tool_use"])
        let json = events.compactMap { $0["delta"]?["partial_json"]?.stringValue }.joined()
        #expect(try JSONParser.parse(json) == ["city": "Paris", "unit": "celsius"])
        let delta = events.first { $0["type"] == "message_delta" }
        #expect(delta?["delta"]?["stop_reason"] == "tool_use")
        #expect(delta?["usage"]?["output_tokens"] == 12 && delta?["usage"]?["input_tokens"] == 30)
        // Every block that opens closes, in order.
        let opened = events.filter { $0["type"] == "content_block_start" }.map { $0["index"] }
        let closed = events.filter { $0["type"] == "content_block_stop" }.map { $0["index"] }
        #expect(opened == closed && opened == [0, 1, 2])
    }

    @Test func anEmptyStreamStillHasItsFrame() throws {
        var encoder = AnthropicEventEncoder(fallbackModel: "auto")
        let events = try Self.events(encoder.end(usage: nil, usageChunk: nil, model: Self.model))
        #expect(events.map { $0["type"]?.stringValue } == ["message_start", "ping", "message_delta", "message_stop"])
    }

    @Test func errorsTakeAnthropicsShapeAndType() {
        let body = AnthropicMessagesIngress.errorBody(APIError(status: 429, type: "insufficient_quota", message: "no budget"))
        #expect(body == ["type": "error", "error": ["type": "rate_limit_error", "message": "no budget"]])
        #expect(AnthropicMessagesIngress.errorType(status: 401) == "authentication_error")
        #expect(AnthropicMessagesIngress.errorType(status: 503) == "overloaded_error")
    }

    @Test(arguments: [
        (["model": "m", "messages": []] as JSONValue, "max_tokens"),
        (["model": "m", "max_tokens": 5, "messages": [], "bogus": 1] as JSONValue, "bogus"),
        (["model": "m", "max_tokens": 5, "messages": [["role": "system", "content": "x"]]] as JSONValue, "messages[0].role"),
        (["model": "m", "max_tokens": 5, "messages": [["role": "user", "content": [["type": "tool_use", "id": "a", "name": "b", "input": [:]]]]]] as JSONValue, "messages[0].content[0]"),
        (["model": "m", "max_tokens": 5, "tools": [["type": "web_search_20250305", "name": "web"]], "messages": [["role": "user", "content": "x"]]] as JSONValue, "tools[0].type"),
    ])
    func badRequestsNameTheField(_ body: JSONValue, _ param: String) {
        #expect(throws: APIError.self) { try AnthropicMessagesIngress().parse(body, headers: [:]) }
        do {
            _ = try AnthropicMessagesIngress().parse(body, headers: [:])
        } catch {
            #expect(error.param == param)
            #expect(error.status == 400)
        }
    }

    static func events(_ buffer: ByteBuffer) throws -> [JSONValue] {
        var parser = ServerSentEventParser()
        return try parser.feed(buffer.readableBytesView).map { try JSONParser.parse($0.data) }
    }
}
