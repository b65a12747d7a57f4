import FrontierCore
import FrontierProviders

extension FuzzTarget {
    /// The front doors' translations on any JSON: a Messages or Responses request into chat form, and a chat
    /// completion out as an Anthropic message and a response object. Never trap; whatever is accepted
    /// translates to JSON the pipeline's own validation then reads; every rendering is valid JSON.
    public static let inboundTranslation = FuzzTarget(name: "inbound") { bytes in
        guard let json = try? JSONParser.parse(bytes) else { return }
        for requireMaxTokens in [true, false] {
            if let body = try? AnthropicMessagesTranslation.chatBody(json, requireMaxTokens: requireMaxTokens) {
                precondition((try? JSONParser.parse(JSONValue.object(body).serialized())) != nil, "the chat form of a Messages request is not JSON")
                _ = try? ChatRequest(json: .object(body))
            }
        }
        if let body = try? OpenAIResponsesTranslation.chatBody(json) {
            precondition((try? JSONParser.parse(JSONValue.object(body).serialized())) != nil, "the chat form of a Responses request is not JSON")
            _ = try? ChatRequest(json: .object(body))
        }
        let usage = Usage(openAI: json["usage"]) ?? Usage(promptTokens: 0, completionTokens: 0)
        let message = AnthropicMessagesTranslation.message(json, usage: usage, model: "m")
        precondition(message["type"] == "message" && (try? JSONParser.parse(message.serialized())) != nil, "the Anthropic message is not one")
        let response = OpenAIResponsesTranslation.response(json, usage: usage, request: json.objectValue ?? [:], fallbackModel: "m")
        precondition(response["object"] == "response" && (try? JSONParser.parse(response.serialized())) != nil, "the response object is not one")
    }
}
