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

    /// - Parameter steps: about how many points: the step is the window over it, in whole five-minute buckets.
    public init(usage: [UsageKey: UsageSums], fromMs: Int64, toMs: Int64, steps: Int = 96, reference: ModelEntry?) {
        let span = max(UsageRollup.bucketMs, toMs - fromMs)
        let buckets = max(1, (span / UsageRollup.bucketMs + Int64(max(1, steps)) - 1) / Int64(max(1, steps)))
        let stepMs = buckets * UsageRollup.bucketMs
        self.stepMs = stepMs
        let start = UsageRollup.bucket(fromMs)
        let count = Int((toMs - start + stepMs - 1) / stepMs)
        points = (0..<max(1, count)).map { Point(timeMs: start + Int64($0) * stepMs) }
        var latency: [String: (sum: Double, n: Int)] = [:]
        for (key, sums) in usage where key.route != UsageKey.explorationRoute {
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
                byDomain[key.domain.isEmpty ? "(unknown)" : key.domain, default: 0] += sums.requests
                byStatus[key.status, default: 0] += sums.requests
                let keyID = key.keyID.isEmpty ? "(no key)" : key.keyID
                byKey[keyID, default: (0, 0)].requests += sums.requests
                if key.status == 429 { byKey[keyID, default: (0, 0)].rateLimited += sums.requests }
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
}
