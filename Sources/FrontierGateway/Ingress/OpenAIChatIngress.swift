import Foundation
import FrontierCore
import FrontierProviders
import Hummingbird

/// `POST /v1/chat/completions`: OpenAI's chat completions, the protocol the
/// pipeline speaks inside, so parsing is validation and rendering is nearly
/// the upstream's own bytes.
struct OpenAIChatIngress: Ingress {
    var name: String { "openai.chat" }

    func parse(_ json: JSONValue, headers: HTTPFields) throws(APIError) -> ChatRequest {
        do {
            return try ChatRequest(json: json)
        } catch {
            throw APIError.invalidRequest(error)
        }
    }

    func body(of completion: Completion, request: ChatRequest, extras: JSONObject) -> [UInt8] {
        guard !extras.isEmpty, var body = (try? JSONParser.parse(completion.body))?.objectValue else { return completion.body }
        // The gateway's fields ride beside OpenAI's (clients ignore unknown ones).
        for (key, value) in extras { body[key] = value }
        return JSONValue.object(body).serialized()
    }

    func streamEncoder(for request: ChatRequest) -> any StreamEncoder {
        OpenAIChatStreamEncoder(clientWantsUsage: request.clientWantsStreamUsage)
    }

    func error(_ error: APIError, headers: HTTPFields) -> Response {
        Responses.error(error, headers: headers)
    }
}

/// OpenAI's server-sent events: each chunk as `data: {...}`, the usage chunk
/// if the client asked for one, then `data: [DONE]`.
struct OpenAIChatStreamEncoder: StreamEncoder {
    let clientWantsUsage: Bool

    mutating func chunk(_ chunk: [UInt8]) -> ByteBuffer? {
        Self.event(chunk)
    }

    mutating func end(usage: Usage?, usageChunk: [UInt8]?, model: ModelEntry) -> ByteBuffer {
        var buffer = ByteBuffer()
        if clientWantsUsage {
            let usage = usage ?? Usage(promptTokens: 0, completionTokens: 0, isEstimated: true)
            buffer.writeImmutableBuffer(Self.event(usageChunk ?? Self.usageChunk(usage, model: model)))
        }
        buffer.writeString("data: [DONE]\n\n")
        return buffer
    }

    func failure(_ error: APIError) -> ByteBuffer {
        Self.event(error.json.serialized())
    }

    static func event(_ data: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(data.count + 8)
        buffer.writeString("data: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }

    /// A usage-only chunk for a client that asked for usage when the upstream reported none.
    static func usageChunk(_ usage: Usage, model: ModelEntry) -> [UInt8] {
        let chunk: JSONValue = [
            "id": "chatcmpl-frontier", "object": "chat.completion.chunk",
            "created": .int(Int64(Date().timeIntervalSince1970)), "model": .string(model.upstreamModel),
            "choices": [], "usage": usage.openAIJSON, "x_frontier_usage_estimated": .bool(usage.isEstimated),
        ]
        return chunk.serialized()
    }
}
