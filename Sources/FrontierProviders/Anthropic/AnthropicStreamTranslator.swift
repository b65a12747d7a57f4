public import FrontierCore

/// Anthropic's typed stream events -> OpenAI chunks: message_start opens the
/// assistant turn, text and tool-input deltas become content and tool_calls
/// deltas, message_delta carries the finish reason, message_stop ends it.
public struct AnthropicStreamTranslator: StreamTranslator {
    let created: Int64
    var id = "chatcmpl-anthropic"
    var model: JSONValue = .null
    var usage: Usage?
    var toolIndex = -1
    var sawStop = false

    public init(created: Int64) {
        self.created = created
    }

    public mutating func translate(_ event: ServerSentEvent) throws(UpstreamError) -> [StreamEvent] {
        let json: JSONValue
        do {
            json = try JSONParser.parse(event.data)
        } catch {
            throw .malformed("stream event is not JSON: \(error)")
        }
        switch json["type"]?.stringValue ?? event.event {
        case "message_start":
            let message = json["message"]
            id = "chatcmpl-" + (message?["id"]?.stringValue ?? "anthropic")
            model = message?["model"] ?? .null
            usage = AnthropicResponseTranslation.usage(message?["usage"], previous: usage)
            return [chunk(delta: ["role": "assistant", "content": ""])]
        case "content_block_start":
            guard let block = json["content_block"], block["type"]?.stringValue == "tool_use" else { return [] }
            toolIndex += 1
            return [chunk(delta: ["tool_calls": [[
                "index": .int(Int64(toolIndex)), "id": block["id"] ?? "", "type": "function",
                "function": ["name": block["name"] ?? "", "arguments": ""],
            ]]])]
        case "content_block_delta":
            let delta = json["delta"]
            switch delta?["type"]?.stringValue {
            case "text_delta":
                return [chunk(delta: ["content": delta?["text"] ?? ""])]
            case "thinking_delta":
                return [chunk(delta: ["reasoning_content": delta?["thinking"] ?? ""])]
            case "input_json_delta":
                return [chunk(delta: ["tool_calls": [[
                    "index": .int(Int64(max(toolIndex, 0))), "function": ["arguments": delta?["partial_json"] ?? ""],
                ]]])]
            default:
                return []
            }
        case "message_delta":
            usage = AnthropicResponseTranslation.usage(json["usage"], previous: usage)
            let reason = json["delta"]?["stop_reason"]?.stringValue
            return reason == nil ? [] : [chunk(delta: [:], finishReason: AnthropicResponseTranslation.finishReason(reason))]
        case "message_stop":
            sawStop = true
            return []
        case "error":
            let error = json["error"]
            throw .interrupted("upstream sent an error event: \(error?["type"]?.stringValue ?? "error"): \(error?["message"]?.stringValue ?? "")")
        default:
            return []  // ping, content_block_stop, and event types added later
        }
    }

    public mutating func finish() throws(UpstreamError) -> [StreamEvent] {
        guard sawStop else { throw .interrupted("the stream ended before message_stop") }
        let usage = self.usage ?? Usage(promptTokens: 0, completionTokens: 0, isEstimated: true)
        let usageChunk: JSONValue = [
            "id": .string(id), "object": "chat.completion.chunk", "created": .int(created), "model": model,
            "choices": [], "usage": usage.openAIJSON,
        ]
        return [.usage(usage, chunk: usageChunk.serialized())]
    }

    private func chunk(delta: JSONValue, finishReason: JSONValue = .null) -> StreamEvent {
        let object: JSONValue = [
            "id": .string(id), "object": "chat.completion.chunk", "created": .int(created), "model": model,
            "choices": [["index": 0, "delta": delta, "finish_reason": finishReason, "logprobs": .null]],
        ]
        return .chunk(object.serialized())
    }
}
