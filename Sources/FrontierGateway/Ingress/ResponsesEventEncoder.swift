import Foundation
import FrontierCore
import FrontierProviders
import NIOCore

/// OpenAI chunks → the Responses API's stream events, in the SDK's sequence:
/// `response.created`, `response.in_progress`, then per output item
/// `response.output_item.added`, its deltas (`response.output_text.delta`
/// inside a content part, `response.function_call_arguments.delta`,
/// `response.reasoning_text.delta`), its `.done` events and
/// `response.output_item.done`; at the end `response.completed` (or
/// `response.incomplete` when the output cap cut it) with the whole response.
/// Every event carries a `sequence_number`; ids stay the same from the
/// item's first event to the final response (the SDK checks).
struct ResponsesEventEncoder: StreamEncoder {
    enum Open {
        case text(String)
        case reasoning(String)
        case tool(index: Int, callID: String, name: String, arguments: String)
    }

    let request: JSONObject
    let fallbackModel: String
    private var sequence = 0
    private var started = false
    private var suffix = "frontier"
    private var model: String
    private var createdAt = Int64(Date().timeIntervalSince1970)
    private var output: [JSONValue] = []
    private var open: Open?
    private var finishReason: String?

    init(request: JSONObject, fallbackModel: String) {
        self.request = request
        self.fallbackModel = fallbackModel
        self.model = fallbackModel
    }

    private var responseID: String { "resp_" + suffix }
    private var outputIndex: Int { output.count }

    mutating func chunk(_ bytes: [UInt8]) -> ByteBuffer? {
        guard let chunk = ChunkDelta(bytes) else { return nil }
        var out = ByteBuffer()
        if !started { start(id: chunk.id, model: chunk.model, into: &out) }
        if let reasoning = chunk.reasoning {
            if case .reasoning(let sofar) = open {
                open = .reasoning(sofar + reasoning)
            } else {
                close(into: &out)
                open = .reasoning(reasoning)
                emit("response.output_item.added", ["output_index": .int(Int64(outputIndex)), "item": ["type": "reasoning", "id": .string(itemID), "summary": []]], into: &out)
            }
            emit("response.reasoning_text.delta", ["item_id": .string(itemID), "output_index": .int(Int64(outputIndex)), "content_index": 0, "delta": .string(reasoning)], into: &out)
        }
        if let text = chunk.text {
            if case .text(let sofar) = open {
                open = .text(sofar + text)
            } else {
                close(into: &out)
                open = .text(text)
                emit("response.output_item.added", ["output_index": .int(Int64(outputIndex)), "item": OpenAIResponsesTranslation.messageItem(id: itemID, text: "", done: false)], into: &out)
                emit("response.content_part.added", ["item_id": .string(itemID), "output_index": .int(Int64(outputIndex)), "content_index": 0, "part": OpenAIResponsesTranslation.textPart("")], into: &out)
            }
            emit("response.output_text.delta", ["item_id": .string(itemID), "output_index": .int(Int64(outputIndex)), "content_index": 0, "delta": .string(text), "logprobs": []], into: &out)
        }
        for call in chunk.toolCalls {
            if case .tool(let current, let callID, let name, let sofar) = open, current == call.index {
                open = .tool(index: call.index, callID: callID, name: name, arguments: sofar + call.arguments)
            } else {
                close(into: &out)
                let callID = call.id ?? "call_\(suffix)_\(outputIndex)"
                let name = call.name ?? ""
                open = .tool(index: call.index, callID: callID, name: name, arguments: call.arguments)
                let item = OpenAIResponsesTranslation.functionCallItem(id: itemID, callID: callID, name: name, arguments: "", done: false)
                emit("response.output_item.added", ["output_index": .int(Int64(outputIndex)), "item": item], into: &out)
            }
            if !call.arguments.isEmpty {
                emit("response.function_call_arguments.delta", ["item_id": .string(itemID), "output_index": .int(Int64(outputIndex)), "delta": .string(call.arguments)], into: &out)
            }
        }
        if let reason = chunk.finishReason { finishReason = reason }
        return out.readableBytes > 0 ? out : nil
    }

    mutating func end(usage: Usage?, usageChunk: [UInt8]?, model entry: ModelEntry) -> ByteBuffer {
        var out = ByteBuffer()
        if !started { start(id: nil, model: entry.upstreamModel, into: &out) }
        close(into: &out)
        let status = OpenAIResponsesTranslation.status(finishReason: finishReason)
        let response = OpenAIResponsesTranslation.response(
            id: responseID, createdAt: createdAt, model: model, status: status, output: output,
            usage: usage ?? Usage(promptTokens: 0, completionTokens: 0, isEstimated: true), finishReason: finishReason, request: request)
        emit(status == "completed" ? "response.completed" : "response.incomplete", ["response": response], into: &out)
        return out
    }

    /// An `error` event; the `error` member is what makes OpenAI's SDKs raise it.
    func failure(_ error: APIError) -> ByteBuffer {
        var out = ByteBuffer()
        let data: JSONValue = [
            "type": "error", "code": error.code.map(JSONValue.string) ?? .string(error.type), "message": .string(error.message),
            "param": error.param.map(JSONValue.string) ?? .null, "sequence_number": .int(Int64(sequence)),
            "error": error.json["error"] ?? .null,
        ]
        NamedEvent.write("error", data, into: &out)
        return out
    }

    /// The id of the item being built (or about to be): its kind's prefix, the response's suffix, its position.
    private var itemID: String {
        switch open {
        case .reasoning: return "rs_\(suffix)_\(outputIndex)"
        case .tool: return "fc_\(suffix)_\(outputIndex)"
        case .text, nil: return "msg_\(suffix)_\(outputIndex)"
        }
    }

    private mutating func start(id: String?, model: String?, into out: inout ByteBuffer) {
        started = true
        suffix = OpenAIResponsesTranslation.suffix(id)
        if let model { self.model = model }
        let skeleton = OpenAIResponsesTranslation.response(
            id: responseID, createdAt: createdAt, model: self.model, status: "in_progress", output: [], usage: nil, finishReason: nil, request: request)
        emit("response.created", ["response": skeleton], into: &out)
        emit("response.in_progress", ["response": skeleton], into: &out)
    }

    /// Ends the open item: its `.done` events, and the finished item kept for the final response.
    private mutating func close(into out: inout ByteBuffer) {
        guard let current = open else { return }
        let id = itemID
        let index = JSONValue.int(Int64(outputIndex))
        let item: JSONValue
        switch current {
        case .text(let text):
            emit("response.output_text.done", ["item_id": .string(id), "output_index": index, "content_index": 0, "text": .string(text), "logprobs": []], into: &out)
            emit("response.content_part.done", ["item_id": .string(id), "output_index": index, "content_index": 0, "part": OpenAIResponsesTranslation.textPart(text)], into: &out)
            item = OpenAIResponsesTranslation.messageItem(id: id, text: text, done: true)
        case .reasoning(let text):
            emit("response.reasoning_text.done", ["item_id": .string(id), "output_index": index, "content_index": 0, "text": .string(text)], into: &out)
            item = OpenAIResponsesTranslation.reasoningItem(id: id, text: text)
        case .tool(_, let callID, let name, let arguments):
            emit("response.function_call_arguments.done", ["item_id": .string(id), "output_index": index, "name": .string(name), "arguments": .string(arguments)], into: &out)
            item = OpenAIResponsesTranslation.functionCallItem(id: id, callID: callID, name: name, arguments: arguments, done: true)
        }
        emit("response.output_item.done", ["output_index": index, "item": item], into: &out)
        output.append(item)
        open = nil
    }

    private mutating func emit(_ type: String, _ fields: JSONObject, into out: inout ByteBuffer) {
        var data: JSONObject = ["type": .string(type), "sequence_number": .int(Int64(sequence))]
        for (key, value) in fields { data[key] = value }
        sequence += 1
        NamedEvent.write(type, .object(data), into: &out)
    }
}
