import FrontierCore
import Testing

@Suite struct ChatRequestTests {
    func request(_ text: String) throws -> ChatRequest {
        try ChatRequest(json: try JSONParser.parse(text))
    }

    func validationError(_ text: String) -> RequestValidationError? {
        do {
            _ = try request(text)
            return nil
        } catch let error as RequestValidationError {
            return error
        } catch {
            return nil
        }
    }

    @Test func keepsFieldsTheGatewayDoesNotUse() throws {
        let chat = try request(#"""
            {"model":"auto","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f"}}],
             "response_format":{"type":"json_object"},"temperature":0.2,"stream":true,"stream_options":{"include_usage":true},"max_tokens":5}
            """#)
        #expect(chat.body["tools"] != nil)
        #expect(chat.body["response_format"]?["type"] == "json_object")
        #expect(chat.stream && chat.clientWantsStreamUsage)
        #expect(chat.maxTokens == 5)
        #expect(chat.messages.first?.text == "hi")
    }

    @Test(arguments: [
        (#"{"messages":[{"role":"user","content":"x"}]}"#, "model"),
        (#"{"model":1,"messages":[{"role":"user","content":"x"}]}"#, "model"),
        (#"{"model":"m"}"#, "messages"),
        (#"{"model":"m","messages":{}}"#, "messages"),
        (#"{"model":"m","messages":[]}"#, "messages"),
        (#"{"model":"m","messages":["hi"]}"#, "messages[0]"),
        (#"{"model":"m","messages":[{"role":"robot","content":"x"}]}"#, "messages[0].role"),
        (#"{"model":"m","messages":[{"role":"user","content":5}]}"#, "messages[0].content"),
        (#"{"model":"m","messages":[{"role":"user","content":[{"text":"x"}]}]}"#, "messages[0].content[0]"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"stream":"yes"}"#, "stream"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":0}"#, "max_tokens"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":"10"}"#, "max_tokens"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":"hot"}"#, "temperature"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":3}"#, "temperature"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"stream_options":{"include_usage":1}}"#, "stream_options.include_usage"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"stop":[1]}"#, "stop"),
    ])
    func namesTheWrongField(_ body: String, _ field: String) {
        let error = validationError(body)
        #expect(error?.param == field, "\(body)")
        #expect(error?.message.contains(field) == true, "\(error?.message ?? "no error")")
    }

    @Test func rejectsANonObjectBody() {
        #expect(validationError("[1,2]")?.message.contains("JSON object") == true)
    }

    @Test func assistantMessagesMayHaveNullContent() throws {
        let chat = try request(#"{"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":[]},{"role":"user","content":"x"}]}"#)
        #expect(chat.messages.count == 2)
    }
}
