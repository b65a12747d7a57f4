import FrontierCore
import FrontierProviders
import NIOCore

/// OpenAI chunks → Anthropic's stream events, in the order its SDKs expect:
/// `message_start`, `ping`, then per content block `content_block_start`,
/// deltas (`text_delta`, `thinking_delta`, `input_json_delta`),
/// `content_block_stop`; at the end `message_delta` (stop reason, usage) and
/// `message_stop`. A change of kind (reasoning to text, one tool call to the
/// next) closes the open block and opens the next.
struct AnthropicEventEncoder: StreamEncoder {
    enum Block: Equatable {
        case text, thinking
        case tool(Int)
    }

    /// The model's name for `message_start` when the first chunk names none.
    let fallbackModel: String
    private var started = false
    private var open: Block?
    private var index = -1
    private var stopReason: String?

    init(fallbackModel: String) {
        self.fallbackModel = fallbackModel
    }

    mutating func chunk(_ bytes: [UInt8]) -> ByteBuffer? {
        guard let chunk = ChunkDelta(bytes) else { return nil }
        var out = ByteBuffer()
        if !started { start(id: chunk.id, model: chunk.model, into: &out) }
        if let thinking = chunk.reasoning {
            begin(.thinking, ["type": "thinking", "thinking": "", "signature": ""], into: &out)
            NamedEvent.write("content_block_delta", ["type": "content_block_delta", "index": .int(Int64(index)), "delta": ["type": "thinking_delta", "thinking": .string(thinking)]], into: &out)
        }
        if let text = chunk.text {
            begin(.text, ["type": "text", "text": ""], into: &out)
            NamedEvent.write("content_block_delta", ["type": "content_block_delta", "index": .int(Int64(index)), "delta": ["type": "text_delta", "text": .string(text)]], into: &out)
        }
        for call in chunk.toolCalls {
            if open != .tool(call.index) {
                let id = call.id ?? "toolu_frontier_\(index + 1)"
                begin(.tool(call.index), ["type": "tool_use", "id": .string(id), "name": .string(call.name ?? ""), "input": [:]], into: &out)
            }
            if !call.arguments.isEmpty {
                NamedEvent.write(
                    "content_block_delta",
                    ["type": "content_block_delta", "index": .int(Int64(index)), "delta": ["type": "input_json_delta", "partial_json": .string(call.arguments)]],
                    into: &out)
            }
        }
        if let reason = chunk.finishReason { stopReason = AnthropicMessagesTranslation.stopReason(reason) }
        return out.readableBytes > 0 ? out : nil
    }

    mutating func end(usage: Usage?, usageChunk: [UInt8]?, model: ModelEntry) -> ByteBuffer {
        var out = ByteBuffer()
        if !started { start(id: nil, model: model.upstreamModel, into: &out) }
        close(into: &out)
        let usage = usage ?? Usage(promptTokens: 0, completionTokens: 0, isEstimated: true)
        NamedEvent.write(
            "message_delta",
            ["type": "message_delta", "delta": ["stop_reason": .string(stopReason ?? "end_turn"), "stop_sequence": .null], "usage": AnthropicMessagesTranslation.usage(usage)],
            into: &out)
        NamedEvent.write("message_stop", ["type": "message_stop"], into: &out)
        return out
    }

    func failure(_ error: APIError) -> ByteBuffer {
        var out = ByteBuffer()
        NamedEvent.write("error", AnthropicMessagesIngress.errorBody(error), into: &out)
        return out
    }

    private mutating func start(id: String?, model: String?, into out: inout ByteBuffer) {
        started = true
        let message: JSONValue = [
            "id": .string(AnthropicMessagesTranslation.messageID(id)), "type": "message", "role": "assistant", "model": .string(model ?? fallbackModel),
            "content": [], "stop_reason": .null, "stop_sequence": .null,
            "usage": ["input_tokens": 0, "output_tokens": 0],
        ]
        NamedEvent.write("message_start", ["type": "message_start", "message": message], into: &out)
        NamedEvent.write("ping", ["type": "ping"], into: &out)
    }

    private mutating func begin(_ block: Block, _ contentBlock: JSONValue, into out: inout ByteBuffer) {
        guard open != block else { return }
        close(into: &out)
        index += 1
        open = block
        NamedEvent.write("content_block_start", ["type": "content_block_start", "index": .int(Int64(index)), "content_block": contentBlock], into: &out)
    }

    private mutating func close(into out: inout ByteBuffer) {
        guard open != nil else { return }
        NamedEvent.write("content_block_stop", ["type": "content_block_stop", "index": .int(Int64(index))], into: &out)
        open = nil
    }
}
