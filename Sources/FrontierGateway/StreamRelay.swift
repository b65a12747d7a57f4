import Foundation
import FrontierCore
import FrontierProviders
import Hummingbird
import Logging

/// Relays an upstream stream to the client as server-sent events, once the
/// first chunk has arrived (before that, the gateway can still fall back).
///
/// Ends with `data: [DONE]` on success. A failure after the first byte ends
/// the stream with an OpenAI error event, which SDKs raise, never with a
/// silent clean close. The cost goes in the `x-frontier-cost-usd` trailer,
/// as it is known only at the end.
struct StreamRelay: Sendable {
    /// The first chunk, and any usage seen before it.
    struct Opening: Sendable {
        var chunk: [UInt8]
        var usage: Usage?
        var usageChunk: [UInt8]?
    }

    let upstream: CompletionStream
    let opening: Opening
    let model: ModelEntry
    let clientWantsUsage: Bool
    let logger: Logger
    /// Called when the relay ends, with the stream's usage if it finished.
    let onFinish: @Sendable (Usage?) -> Void
    /// Writes the ledger record once the stream's outcome is known (status 200, 502 broken, 499 client gone).
    /// On success it runs before `[DONE]`: an error it returns (a strict record not committed) ends the stream instead.
    var record: (@Sendable (Usage?, Int) async -> APIError?)? = nil

    /// Waits for the first chunk; nil if the stream ended without one. Throws the upstream's error.
    static func opening(of upstream: CompletionStream) async throws(UpstreamError) -> Opening? {
        var usage: Usage?
        var usageChunk: [UInt8]?
        do {
            for try await event in upstream.events {
                switch event {
                case .chunk(let bytes): return Opening(chunk: bytes, usage: usage, usageChunk: usageChunk)
                case .usage(let u, let chunk):
                    usage = u
                    usageChunk = chunk ?? usageChunk
                }
            }
        } catch let error as UpstreamError {
            throw error
        } catch {
            throw .interrupted(String(describing: error))
        }
        return nil
    }

    func run(_ writer: inout any ResponseBodyWriter) async throws {
        var usage = opening.usage
        var finished = false
        defer { onFinish(finished ? usage : nil) }
        var usageChunk = opening.usageChunk
        do {
            try await writer.write(Self.event(opening.chunk))
            for try await event in upstream.events {
                switch event {
                case .chunk(let bytes): try await writer.write(Self.event(bytes))
                case .usage(let u, let chunk):
                    usage = u
                    usageChunk = chunk ?? usageChunk
                }
            }
            // A cancelled relay ends its loop quietly: that is not the stream's end.
            try Task.checkCancellation()
        } catch let error as UpstreamError {
            logger.warning("stream broke after the first byte", metadata: ["model": "\(model.id)", "error": "\(error)"])
            let apiError = APIError(
                status: 502, type: "upstream_error", code: "stream_interrupted",
                message: "\(model.id) failed mid-stream: \(error). The answer above is incomplete.")
            try? await writer.write(Self.event(apiError.json.serialized()))
            _ = await record?(usage, 502)
            try await writer.finish(nil)
            return
        } catch {
            // Writing to the client failed: it went away. Stop the upstream too.
            upstream.cancel()
            _ = await record?(usage, 499)
            throw error
        }
        if let failure = await record?(usage, 200) {
            try await writer.write(Self.event(failure.json.serialized()))
            try await writer.finish(nil)
            return
        }
        if clientWantsUsage {
            let finalUsage = usage ?? Usage(promptTokens: 0, completionTokens: 0, isEstimated: true)
            try await writer.write(Self.event(usageChunk ?? Self.usageChunk(finalUsage, model: model)))
        }
        try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
        finished = true
        var trailers = HTTPFields()
        if let usage {
            trailers[.frontierCostUSD] = Responses.formatCost(model.price.cost(of: usage))
            if usage.isEstimated { trailers[.frontierUsageEstimated] = "true" }
        }
        try await writer.finish(trailers)
    }

    private static func event(_ data: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(data.count + 8)
        buffer.writeString("data: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }

    /// A usage-only chunk for a client that asked for usage when the upstream reported none.
    private static func usageChunk(_ usage: Usage, model: ModelEntry) -> [UInt8] {
        let chunk: JSONValue = [
            "id": "chatcmpl-frontier", "object": "chat.completion.chunk",
            "created": .int(Int64(Date().timeIntervalSince1970)), "model": .string(model.upstreamModel),
            "choices": [], "usage": usage.openAIJSON, "x_frontier_usage_estimated": .bool(usage.isEstimated),
        ]
        return chunk.serialized()
    }
}
