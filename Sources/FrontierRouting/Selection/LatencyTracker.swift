import Synchronization

/// A model's latency as recently observed.
public struct ObservedLatency: Sendable, Hashable {
    public var firstTokenMs: Double?
    public var tokensPerSecond: Double?
}

/// Learns each model's time to first token and generation speed from its
/// recent responses (exponentially weighted, so a model that slows down is
/// noticed within a few requests). The router prefers these figures to the
/// config's seeds once it has them.
public final class LatencyTracker: Sendable {
    /// Weight of the newest observation.
    public let smoothing: Double
    private let estimates = Mutex<[String: ObservedLatency]>([:])

    public init(smoothing: Double = 0.2) {
        self.smoothing = smoothing
    }

    /// A streamed response: its first token came after `firstTokenMs`, then
    /// `completionTokens` took `generationMs`.
    public func record(model: String, firstTokenMs: Double?, completionTokens: Int, generationMs: Double?) {
        let speed: Double? = generationMs.flatMap { ms in
            ms > 1 && completionTokens > 1 ? Double(completionTokens) / (ms / 1000) : nil
        }
        estimates.withLock { estimates in
            var current = estimates[model] ?? ObservedLatency()
            if let firstTokenMs { current.firstTokenMs = blend(current.firstTokenMs, firstTokenMs) }
            if let speed { current.tokensPerSecond = blend(current.tokensPerSecond, speed) }
            estimates[model] = current
        }
    }

    /// A non-streamed response took `totalMs` for `completionTokens`; the first-token
    /// share is taken from what is known (observed, else `seedFirstTokenMs`).
    public func recordCompletion(model: String, totalMs: Double, completionTokens: Int, seedFirstTokenMs: Double) {
        let firstToken = estimates.withLock { $0[model]?.firstTokenMs } ?? seedFirstTokenMs
        record(model: model, firstTokenMs: nil, completionTokens: completionTokens, generationMs: max(totalMs - firstToken, totalMs / 2))
    }

    public func snapshot() -> [String: ObservedLatency] {
        estimates.withLock { $0 }
    }

    private func blend(_ old: Double?, _ new: Double) -> Double {
        guard let old else { return new }
        return old + smoothing * (new - old)
    }
}
