public import FrontierCore

/// Anthropic Messages response -> OpenAI chat completion.
public enum AnthropicResponseTranslation {
    public static func finishReason(_ stopReason: String?) -> JSONValue {
        switch stopReason {
        case nil: return .null
        case "max_tokens": return "length"
        case "tool_use": return "tool_calls"
        case "refusal": return "content_filter"
        default: return "stop"  // end_turn, stop_sequence, pause_turn
        }
    }

    public static func usage(_ json: JSONValue?, previous: Usage? = nil) -> Usage? {
        guard let json else { return previous }
        // Bounded before they are added: an upstream's numbers are data.
        let cacheRead = Usage.bounded(json["cache_read_input_tokens"]?.intValue ?? 0)
        let cacheWrite = Usage.bounded(json["cache_creation_input_tokens"]?.intValue ?? 0)
        let input = json["input_tokens"]?.intValue.map(Usage.bounded)
        let output = json["output_tokens"]?.intValue
        guard input != nil || output != nil else { return previous }
        return Usage(
            promptTokens: input.map { $0 + cacheRead + cacheWrite } ?? previous?.promptTokens ?? 0,
            completionTokens: output ?? previous?.completionTokens ?? 0,
            cachedPromptTokens: input != nil ? cacheRead : previous?.cachedPromptTokens ?? 0)
    }

    public static func completion(_ json: JSONValue, created: Int64) throws(UpstreamError) -> (body: JSONValue, usage: Usage) {
        guard let blocks = json["content"]?.arrayValue else {
            throw .malformed("no 'content' array in the Anthropic message")
        }
        guard let usage = usage(json["usage"]) else {
            throw .malformed("no 'usage' in the Anthropic message")
        }
        var text = ""
        var thinking = ""
        var toolCalls: [JSONValue] = []
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text": text += block["text"]?.stringValue ?? ""
            case "thinking": thinking += block["thinking"]?.stringValue ?? ""
            case "tool_use":
                toolCalls.append([
                    "id": block["id"] ?? "",
                    "type": "function",
                    "function": ["name": block["name"] ?? "", "arguments": .string((block["input"] ?? [:]).jsonString)],
                ])
            default: break
            }
        }
        var message: JSONObject = ["role": "assistant", "content": text.isEmpty && !toolCalls.isEmpty ? .null : .string(text), "refusal": .null]
        if !toolCalls.isEmpty { message["tool_calls"] = .array(toolCalls) }
        // Reasoning as llama.cpp, vLLM and DeepSeek name it, so the Messages door can give it back as thinking.
        if !thinking.isEmpty { message["reasoning_content"] = .string(thinking) }
        let body: JSONValue = [
            "id": .string("chatcmpl-" + (json["id"]?.stringValue ?? "anthropic")),
            "object": "chat.completion",
            "created": .int(created),
            "model": json["model"] ?? .null,
            "choices": [
                ["index": 0, "message": .object(message), "finish_reason": finishReason(json["stop_reason"]?.stringValue), "logprobs": .null]
            ],
            "usage": usage.openAIJSON,
        ]
        return (body, usage)
    }
}
