public import FrontierCore

/// The ledger's usage sums over a window as time series: requests, fees and what the same answers would have
/// cost at the reference model per step, and the mix of serving models; what the dashboard draws beside the
/// ``CostReport`` of the same sums.
public struct UsageSeries: Sendable {
    public struct Point: Sendable, Equatable {
        public var timeMs: Int64
        public var requests = 0
        public var errors = 0
        public var apiUSD = 0.0
        public var counterfactualUSD = 0.0
        /// Requests by the model that served them.
        public var models: [String: Int] = [:]
    }

    public var stepMs: Int64
    public var points: [Point]
    /// Requests by route, domain and status; attempts that did not serve (fallbacks, escalations, failed checks) by model.
    public var byRoute: [String: Int] = [:]
    public var byDomain: [String: Int] = [:]
    public var byStatus: [Int: Int] = [:]
    /// Requests, and those refused by a rate limit (429), by key.
    public var byKey: [String: (requests: Int, rateLimited: Int)] = [:]
    public var unservedAttempts: [String: Int] = [:]
    public var attempts: [String: Int] = [:]
    /// Mean latency of the requests each model served, in ms.
    public var meanLatencyMs: [String: Double] = [:]

    /// - Parameters:
    ///   - steps: about how many points: the step is the window over it, in whole buckets.
    ///   - bucketMs: the sums' bucket or step (five minutes, an hour, or the step a store summed them by).
    ///   - detailed: whether the sums have domains and keys (``UsageRollup/hourly(_:)``'s do not: then `byDomain`
    ///     and `byKey` stay empty).
    public init(
        usage: some Sequence<(key: UsageKey, value: UsageSums)>, fromMs: Int64, toMs: Int64, steps: Int = 96, bucketMs: Int64 = UsageRollup.bucketMs, detailed: Bool = true,
        reference: ModelEntry?
    ) {
        let stepMs = Self.step(fromMs: fromMs, toMs: toMs, steps: steps, bucketMs: bucketMs)
        self.stepMs = stepMs
        let start = UsageRollup.floor(fromMs, bucketMs)
        let count = Int((toMs - start + stepMs - 1) / stepMs)
        points = (0..<max(1, count)).map { Point(timeMs: start + Int64($0) * stepMs) }
        var latency: [String: (sum: Double, n: Int)] = [:]
        for (key, sums) in usage where !key.isExploration {
            let index = Int((key.bucketMs - start) / stepMs)
            guard points.indices.contains(index) else { continue }
            if key.attemptModel.isEmpty {
                let model = key.model.isEmpty ? "(no model)" : key.model
                points[index].requests += sums.requests
                if key.status >= 400 { points[index].errors += sums.requests }
                points[index].models[model, default: 0] += sums.requests
                if let reference {
                    points[index].counterfactualUSD += reference.price.cost(of: Usage(promptTokens: sums.inputTokens, completionTokens: sums.outputTokens))
                }
                byRoute[key.route, default: 0] += sums.requests
                byStatus[key.status, default: 0] += sums.requests
                if detailed {
                    byDomain[key.domain.isEmpty ? "(unknown)" : key.domain, default: 0] += sums.requests
                    let keyID = key.keyID.isEmpty ? "(no key)" : key.keyID
                    byKey[keyID, default: (0, 0)].requests += sums.requests
                    if key.status == 429 { byKey[keyID, default: (0, 0)].rateLimited += sums.requests }
                }
                if !key.model.isEmpty {
                    latency[key.model, default: (0, 0)].sum += sums.latencyMs
                    latency[key.model, default: (0, 0)].n += sums.requests
                }
            } else {
                points[index].apiUSD += sums.costUSD
                attempts[key.attemptModel, default: 0] += sums.attempts
                if key.attemptModel != key.model { unservedAttempts[key.attemptModel, default: 0] += sums.attempts }
            }
        }
        meanLatencyMs = latency.compactMapValues { $0.n > 0 ? $0.sum / Double($0.n) : nil }
    }

    /// The step of about `steps` points over the window: a whole number of buckets (a store can sum per step).
    public static func step(fromMs: Int64, toMs: Int64, steps: Int = 96, bucketMs: Int64) -> Int64 {
        let span = max(bucketMs, toMs - fromMs)
        let n = Int64(max(1, steps))
        return max(1, (span / bucketMs + n - 1) / n) * bucketMs
    }
}
