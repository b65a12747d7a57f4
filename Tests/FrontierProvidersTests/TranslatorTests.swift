import FrontierCore
@testable import FrontierProviders
import Testing

@Suite struct OpenAIStreamTranslatorTests {
    func event(_ text: String) -> ServerSentEvent { ServerSentEvent(data: Array(text.utf8)) }

    @Test func separatesTheUsageOnlyChunk() throws {
        var translator = OpenAIStreamTranslator(promptTokenEstimate: 3)
        let usageChunk = #"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#
        #expect(try translator.translate(event(#"{"choices":[{"delta":{"content":"hi"},"finish_reason":"stop"}]}"#)).count == 1)
        #expect(try translator.translate(event(usageChunk)) == [.usage(Usage(promptTokens: 5, completionTokens: 2), chunk: Array(usageChunk.utf8))])
        #expect(try translator.translate(event("[DONE]")).isEmpty)
        #expect(try translator.finish().isEmpty)
    }

    @Test func aStreamWithoutItsEndIsCut() throws {
        var translator = OpenAIStreamTranslator(promptTokenEstimate: 3)
        _ = try translator.translate(event(#"{"choices":[{"delta":{"content":"hi"},"finish_reason":null}]}"#))
        #expect(throws: UpstreamError.interrupted("the stream ended before [DONE]")) { try translator.finish() }
    }

    @Test func estimatesUsageWhenNoneCame() throws {
        var translator = OpenAIStreamTranslator(promptTokenEstimate: 3)
        _ = try translator.translate(event(#"{"choices":[{"delta":{"content":"12345678"},"finish_reason":"stop"}]}"#))
        #expect(try translator.finish() == [.usage(Usage(promptTokens: 3, completionTokens: 2, isEstimated: true), chunk: nil)])
    }

    @Test func rejectsChunksThatAreNotJSONAndErrorEvents() {
        var translator = OpenAIStreamTranslator(promptTokenEstimate: 0)
        #expect(throws: UpstreamError.self) { try translator.translate(event("{nope")) }
        #expect(throws: UpstreamError.self) { try translator.translate(event(#"{"error":{"message":"overloaded"}}"#)) }
    }
}

@Suite struct AnthropicTranslationTests {
    let model = ModelEntry(id: "claude", provider: .anthropic, baseURL: "http://x/v1", upstreamModel: "claude-3-5-haiku", deployment: .cloud)

    @Test func translatesARequestWithSystemToolsAndToolResults() throws {
        let request = try ChatRequest(json: try JSONParser.parse(#"""
            {"model":"claude","max_tokens":50,"temperature":1.5,"stop":"END","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"-3 C"},
              {"role":"user","content":"Thanks"}],
             "tools":[{"type":"function","function":{"name":"weather","description":"Get weather","parameters":{"type":"object"}}}],
             "tool_choice":"required"}
            """#))
        let body = AnthropicRequestTranslation.body(request, model: model, stream: false)
        #expect(body["model"] == "claude-3-5-haiku")
        #expect(body["system"] == "Be brief.")
        #expect(body["max_tokens"] == 50)
        #expect(body["temperature"] == 1.0)
        #expect(body["stop_sequences"] == ["END"])
        #expect(body["tool_choice"] == ["type": "any"])
        #expect(body["tools"]?[0]?["input_schema"] == ["type": "object"])
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant", "user"])
        #expect(messages[0]["content"]?[1]?["source"]?["media_type"] == "image/png")
        #expect(messages[1]["content"]?[0]?["input"] == ["city": "Oslo"])
        #expect(messages[2]["content"]?[0]?["type"] == "tool_result")
        #expect(messages[2]["content"]?[1]?["text"] == "Thanks")  // merged into the same user turn
    }

    @Test func translatesAResponseWithToolUse() throws {
        let json = try JSONParser.parse(#"""
            {"id":"msg_1","model":"claude-x","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"tu_1","name":"weather","input":{"city":"Oslo"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":4}}
            """#)
        let (body, usage) = try AnthropicResponseTranslation.completion(json, created: 1)
        #expect(usage == Usage(promptTokens: 10, completionTokens: 4))
        let choice = body["choices"]?[0]
        #expect(choice?["finish_reason"] == "tool_calls")
        #expect(choice?["message"]?["content"] == "Checking.")
        #expect(choice?["message"]?["tool_calls"]?[0]?["function"]?["arguments"] == #"{"city":"Oslo"}"#)
    }

    @Test(arguments: [("end_turn", "stop"), ("max_tokens", "length"), ("stop_sequence", "stop"), ("tool_use", "tool_calls")])
    func mapsStopReasons(_ anthropic: String, _ openAI: String) {
        #expect(AnthropicResponseTranslation.finishReason(anthropic) == .string(openAI))
    }

    @Test func streamsToolCallsAndFailsOnAnErrorEvent() throws {
        var translator = AnthropicStreamTranslator(created: 1)
        func feed(_ text: String) throws -> [StreamEvent] { try translator.translate(ServerSentEvent(data: Array(text.utf8))) }
        _ = try feed(#"{"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":3,"output_tokens":1}}}"#)
        let start = try feed(#"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"tu","name":"f","input":{}}}"#)
        guard case .chunk(let bytes) = start.first else { Issue.record("no chunk"); return }
        #expect(try JSONParser.parse(bytes)["choices"]?[0]?["delta"]?["tool_calls"]?[0]?["function"]?["name"] == "f")
        _ = try feed(#"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}"#)
        #expect(throws: UpstreamError.self) { try feed(#"{"type":"error","error":{"type":"overloaded_error","message":"busy"}}"#) }
        #expect(throws: UpstreamError.interrupted("the stream ended before message_stop")) { try translator.finish() }
    }
}
