import FrontierCore
@testable import FrontierGateway
import FrontierProviders
@testable import FrontierTestUpstream
import NIOCore
import Testing

/// Responses ⇄ chat: input items, tools, formats in; output items, usage and
/// the event sequence out, ids stable from an item's first event to the end.
@Suite struct OpenAIResponsesTranslationTests {
    static let model = ModelEntry(id: "m", provider: .openAICompatible, baseURL: "http://127.0.0.1:1/v1", deployment: .local)

    @Test func inputItemsBecomeChatMessages() throws {
        let request: JSONValue = [
            "model": "auto", "instructions": "Be brief.", "max_output_tokens": 50, "temperature": 0.2,
            "tools": [["type": "function", "name": "get_weather", "parameters": ["type": "object"], "strict": true]],
            "tool_choice": ["type": "function", "name": "get_weather"],
            "text": ["format": ["type": "json_schema", "name": "w", "schema": ["type": "object"], "strict": true]],
            "input": [
                ["role": "user", "content": [["type": "input_text", "text": "Weather?"], ["type": "input_image", "image_url": "https://x/y.png"]]],
                ["type": "reasoning", "id": "rs_1", "summary": []],
                ["type": "message", "role": "assistant", "content": [["type": "output_text", "text": "Checking."]]],
                ["type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{\"city\":\"Paris\"}"],
                ["type": "function_call", "call_id": "c2", "name": "get_weather", "arguments": "{\"city\":\"Rome\"}"],
                ["type": "function_call_output", "call_id": "c1", "output": "18 C"],
                ["type": "function_call_output", "call_id": "c2", "output": [["type": "input_text", "text": "21 C"]]],
            ],
        ]
        let chat = try OpenAIResponsesIngress().parse(request, headers: [:])
        #expect(chat.messages.map(\.role) == ["system", "user", "assistant", "tool", "tool"])
        #expect(chat.messages[1].content[1]?["image_url"]?["url"] == "https://x/y.png")
        // Two calls after one assistant turn: one assistant message carrying both, as chat wants.
        #expect(chat.messages[2].text == "Checking.")
        #expect(chat.messages[2].raw["tool_calls"]?.arrayValue?.map { $0["id"]?.stringValue } == ["c1", "c2"])
        #expect(chat.messages[4].text == "21 C")
        #expect(chat.maxTokens == 50)
        #expect(chat.body["tools"]?[0]?["function"]?["strict"] == true)
        #expect(chat.body["tool_choice"] == ["type": "function", "function": ["name": "get_weather"]])
        #expect(chat.body["response_format"]?["json_schema"]?["name"] == "w")
        #expect(chat.native?.isSent == false)
    }

    @Test func aCompletionBecomesAResponseWithItems() throws {
        let completion = try JSONParser.parse(Array(buffer: TestUpstream.openAIToolBody))
        let usage = Usage(promptTokens: 30, completionTokens: 12, cachedPromptTokens: 4)
        let response = OpenAIResponsesTranslation.response(completion, usage: usage, request: ["max_output_tokens": 99], fallbackModel: "auto")
        #expect(response["object"] == "response" && response["status"] == "completed" && response["id"] == "resp_tool")
        #expect(response["output"]?.arrayValue?.map { $0["type"]?.stringValue } == ["reasoning", "message", "function_call"])
        #expect(response["output"]?[2]?["call_id"] == "call_1")
        #expect(response["usage"]?["input_tokens_details"]?["cached_tokens"] == 4 && response["usage"]?["total_tokens"] == 42)
        #expect(response["max_output_tokens"] == 99)
        #expect(response["user"] == nil)  // absent rather than null
    }

    @Test func aLengthCutIsIncomplete() {
        #expect(OpenAIResponsesTranslation.status(finishReason: "length") == "incomplete")
        #expect(OpenAIResponsesTranslation.status(finishReason: "tool_calls") == "completed")
    }

    @Test func theStreamKeepsIdsAndSequence() throws {
        var parser = ServerSentEventParser()
        var encoder = ResponsesEventEncoder(request: [:], fallbackModel: "auto")
        var out = ByteBuffer()
        for event in try parser.feed(TestUpstream.openAIToolStream.readableBytesView) where !event.data.elementsEqual("[DONE]".utf8) {
            if var events = encoder.chunk(event.data) { out.writeBuffer(&events) }
        }
        var end = encoder.end(usage: Usage(promptTokens: 30, completionTokens: 12), usageChunk: nil, model: Self.model)
        out.writeBuffer(&end)
        var reader = ServerSentEventParser()
        let events = try reader.feed(out.readableBytesView).map { try JSONParser.parse($0.data) }
        #expect(events.map { $0["sequence_number"]?.intValue } == Array(0..<events.count))
        #expect(events.first?["type"] == "response.created" && events.last?["type"] == "response.completed")
        let final = try #require(events.last?["response"]?["output"]?.arrayValue)
        let added = events.filter { $0["type"] == "response.output_item.added" }.map { $0["item"]?["id"] }
        #expect(added == final.map { $0["id"] })
        let arguments = events.filter { $0["type"] == "response.function_call_arguments.delta" }.compactMap { $0["delta"]?.stringValue }.joined()
        #expect(try JSONParser.parse(arguments) == ["city": "Paris", "unit": "celsius"])
        #expect(final.last?["arguments"]?.stringValue == arguments)
        #expect(events.last?["response"]?["id"] == events.first?["response"]?["id"])
    }

    @Test(arguments: ["previous_response_id", "store", "conversation"])
    func stateIsRefusedByName(_ field: String) {
        let value: JSONValue = field == "store" ? true : "x"
        do {
            var body: JSONObject = ["model": "m", "input": "hi"]
            body[field] = value
            _ = try OpenAIResponsesIngress().parse(.object(body), headers: [:])
            Issue.record("accepted \(field)")
        } catch {
            #expect(error.param == field && error.status == 400)
        }
    }
}
