public import FrontierCore

/// One tier's try in a cascade: what it cost, how long it took, and what
/// its checks said. The request's record (and the ledger) keep all of them.
public struct CascadeAttempt: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// Its answer passed every check (or it was the last tier): the client got it.
        case accepted
        /// Its answer failed a check: the next tier got the request.
        case rejected
        /// The call failed (error, timeout).
        case failed
        /// Not called: its breaker was open or the deadline left too little time.
        case skipped
        /// The last tier in stream-final-tier mode, streamed live without checks.
        case streamed
    }

    public var tier: Int
    public var model: String
    public var outcome: Outcome
    public var upstreamModel: String?
    public var inputTokens: Int
    public var outputTokens: Int
    /// Including extra samples and the verifier's call.
    public var costUSD: Double
    public var latencyMs: Double
    public var checks: [CheckResult]
    public var error: String?
    /// The ledger's plain-text form of the error, without the upstream's own words; nil when `error` is already that.
    public var errorSummary: String?

    public init(
        tier: Int, model: String, outcome: Outcome, upstreamModel: String? = nil, inputTokens: Int = 0, outputTokens: Int = 0,
        costUSD: Double = 0, latencyMs: Double = 0, checks: [CheckResult] = [], error: String? = nil, errorSummary: String? = nil
    ) {
        self.errorSummary = errorSummary
        self.tier = tier
        self.model = model
        self.outcome = outcome
        self.upstreamModel = upstreamModel
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.costUSD = costUSD
        self.latencyMs = latencyMs
        self.checks = checks
        self.error = error
    }

    /// `gemma-local:rejected(json_schema)`, `gpt-4o:accepted`: the `x-frontier-escalation` header's parts.
    public var shortForm: String {
        let failed = checks.filter { !$0.passed }.map(\.check)
        let detail = outcome == .rejected && !failed.isEmpty ? "(\(failed.joined(separator: ",")))" : ""
        return "\(model):\(outcome.rawValue)\(detail)"
    }

    public var json: JSONValue {
        var object: JSONObject = [
            "tier": .int(Int64(tier)), "model": .string(model), "outcome": .string(outcome.rawValue),
            "input_tokens": .int(Int64(inputTokens)), "output_tokens": .int(Int64(outputTokens)),
            "cost_usd": .double(costUSD), "latency_ms": .double((latencyMs * 10).rounded() / 10),
            "checks": .array(checks.map(\.json)),
        ]
        if let upstreamModel { object["upstream_model"] = .string(upstreamModel) }
        if let error { object["error"] = .string(error) }
        return .object(object)
    }
}
