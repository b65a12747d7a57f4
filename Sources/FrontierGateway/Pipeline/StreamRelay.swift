import FrontierCore
import FrontierProviders
import Hummingbird
import Logging

/// Relays an upstream stream to the client, once its first chunk has
/// arrived (before that, the gateway can still fall back), through the front
/// door's encoder, so the same relay serves every protocol.
///
/// Ends with the protocol's end events on success. A failure after the first
/// byte ends the stream with the protocol's error event, which SDKs raise,
/// never with a silent clean close. The request's record is committed when
/// the outcome is known (200, 502 broken, 499 client gone); a strict record
/// that cannot be committed withholds the end and sends an error instead.
/// The cost goes in the `x-frontier-cost-usd` trailer, known only at the end.
struct StreamRelay: Sendable {
    /// The first chunk, and any usage seen before it.
    struct Opening: Sendable {
        var chunk: [UInt8]
        var usage: Usage?
        var usageChunk: [UInt8]?
        /// What the first chunk says the upstream is (its `model`, `system_fingerprint`).
        var identity: ReportedIdentity? = nil
        /// The events that arrived with the first chunk, after it: the relay starts with them.
        var leftover: [StreamEvent] = []
    }

    let upstream: CompletionStream
    let opening: Opening
    let model: ModelEntry
    var encoder: any StreamEncoder
    let record: RequestRecord
    let logger: Logger
    /// Called when the relay ends, with the stream's usage if it finished (latency learning, disconnect watch).
    let onFinish: @Sendable (Usage?) -> Void
    /// Called with the usage (nil when the stream ended before reporting it), the status and how many
    /// chunks reached the client, once the outcome is known, before the record is committed.
    let onOutcome: @Sendable (_ usage: Usage?, _ status: Int, _ chunks: Int) -> Void

    /// Waits for the first chunk; nil if the stream ended without one. Throws the upstream's error.
    static nonisolated(nonsending) func opening(of upstream: CompletionStream) async throws(UpstreamError) -> Opening? {
        var usage: Usage?
        var usageChunk: [UInt8]?
        do {
            var events = upstream.events.makeAsyncIterator()
            while let event = try await events.next() {
                switch event {
                case .chunk(let bytes): return Opening(chunk: bytes, usage: usage, usageChunk: usageChunk, leftover: events.leftover)
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
        var encoder = self.encoder
        var usage = opening.usage
        var finished = false
        defer { onFinish(finished ? usage : nil) }
        var usageChunk = opening.usageChunk
        var chunks = 1
        do {
            // The chunks that arrived together are written together: one write and flush, not one each.
            var pending = encoder.chunk(opening.chunk)
            var events = upstream.events.iterator(startingWith: opening.leftover)
            if !events.hasBuffered, let first = pending {
                try await writer.write(first)
                pending = nil
            }
            while let event = try await events.next() {
                switch event {
                case .chunk(let bytes):
                    chunks += 1
                    if var out = encoder.chunk(bytes) {
                        if pending == nil { pending = out } else { pending?.writeBuffer(&out) }
                    }
                case .usage(let u, let chunk):
                    usage = u
                    usageChunk = chunk ?? usageChunk
                }
                if !events.hasBuffered, let out = pending {
                    try await writer.write(out)
                    pending = nil
                }
            }
            if let out = pending { try await writer.write(out) }
            // A cancelled relay ends its loop quietly: that is not the stream's end.
            try Task.checkCancellation()
        } catch let error as UpstreamError where !Self.clientLeft(error) {
            logger.warning("stream broke after the first byte", metadata: ["model": "\(model.id)", "error": "\(error)"])
            let apiError = APIError.streamInterrupted(model: model.id, error)
            try? await writer.write(encoder.failure(apiError))
            onOutcome(usage, 502, chunks)
            _ = await record.finish(status: 502)
            try await writer.finish(nil)
            return
        } catch {
            // Writing to the client failed, or the disconnect watcher cancelled the upstream call: it went away.
            // Stop the upstream too.
            upstream.cancel()
            onOutcome(usage, 499, chunks)
            _ = await record.finish(status: 499)
            throw error
        }
        onOutcome(usage, 200, chunks)
        if let failure = await record.finish(status: 200) {
            try await writer.write(encoder.failure(failure))
            try await writer.finish(nil)
            return
        }
        try await writer.write(encoder.end(usage: usage, usageChunk: usageChunk, model: model))
        finished = true
        var trailers = HTTPFields()
        if let usage {
            trailers[.frontierCostUSD] = Responses.formatCost(model.price.cost(of: usage))
            if usage.isEstimated { trailers[.frontierUsageEstimated] = "true" }
        }
        try await writer.finish(trailers)
    }

    /// The upstream call ended because the client went away (the disconnect watcher cancels it): a 499, not a broken stream.
    static func clientLeft(_ error: UpstreamError) -> Bool {
        if case .cancelled = error { return true }
        return Task.isCancelled
    }
}
