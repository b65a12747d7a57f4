public import HTTPTypes

/// The gateway's own response headers.
extension HTTPField.Name {
    public static let frontierRequestID = Self("x-frontier-request-id")!
    public static let frontierModel = Self("x-frontier-model")!
    public static let frontierCostUSD = Self("x-frontier-cost-usd")!
    public static let frontierDecision = Self("x-frontier-decision")!
    public static let frontierAttempts = Self("x-frontier-attempts")!
    public static let frontierUsageEstimated = Self("x-frontier-usage-estimated")!

    /// The request headers that carry constraints, by name, parsed once.
    static let constraintHeaders: [String: HTTPField.Name] = Dictionary(
        uniqueKeysWithValues: ["x-frontier-max-cost-usd", "x-frontier-max-latency-ms", "x-frontier-privacy", "x-frontier-min-quality", "x-frontier-objective"]
            .compactMap { name in HTTPField.Name(name).map { (name, $0) } })
}

extension HTTPField.Name {
    /// A cascade's tiers and what became of each: `gemma-local:rejected(json_schema) > gpt-4o:accepted`.
    public static let frontierEscalation = Self("x-frontier-escalation")!
    /// The API key header of Anthropic's clients, read (as a key id) for the ledger.
    static let anthropicAPIKey = Self("x-api-key")!
}
