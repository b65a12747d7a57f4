import FrontierCore

/// What one OpenAI stream chunk carries, read once for the encoders that
/// re-emit it as another protocol's events: its id and model, the first
/// choice's reasoning, text and tool-call deltas (empty strings dropped),
/// and its finish reason.
struct ChunkDelta {
    struct ToolCall {
        var index: Int
        var id: String?
        var name: String?
        var arguments: String
    }

    var id: String?
    var model: String?
    var reasoning: String?
    var text: String?
    var toolCalls: [ToolCall] = []
    var finishReason: String?

    /// Nil for bytes that are not JSON.
    init?(_ bytes: [UInt8]) {
        guard let json = try? JSONParser.parse(bytes) else { return nil }
        id = json["id"]?.stringValue
        model = json["model"]?.stringValue
        guard let choice = json["choices"]?.arrayValue?.first else { return }  // the usage-only chunk
        let delta = choice["delta"]
        reasoning = delta?["reasoning_content"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        text = delta?["content"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        toolCalls = (delta?["tool_calls"]?.arrayValue ?? []).map { call in
            ToolCall(
                index: call["index"]?.intValue ?? 0, id: call["id"]?.stringValue, name: call["function"]?["name"]?.stringValue,
                arguments: call["function"]?["arguments"]?.stringValue ?? "")
        }
        finishReason = choice["finish_reason"]?.stringValue
    }
}
