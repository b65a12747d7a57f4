public import HTTPTypes

/// The gateway's own response headers.
extension HTTPField.Name {
    public static let frontierRequestID = Self(literal: "x-frontier-request-id")
    public static let frontierModel = Self(literal: "x-frontier-model")
    public static let frontierCostUSD = Self(literal: "x-frontier-cost-usd")
    public static let frontierDecision = Self(literal: "x-frontier-decision")
    public static let frontierAttempts = Self(literal: "x-frontier-attempts")
    public static let frontierUsageEstimated = Self(literal: "x-frontier-usage-estimated")
    /// The model that answered is marked degraded (drift): what was measured, for a client that named it.
    public static let frontierWarning = Self(literal: "x-frontier-warning")

    /// The request headers that carry constraints, by name, parsed once.
    static let constraintHeaders: [String: HTTPField.Name] = Dictionary(
        uniqueKeysWithValues: ["x-frontier-max-cost-usd", "x-frontier-max-latency-ms", "x-frontier-privacy", "x-frontier-min-quality", "x-frontier-objective"]
            .compactMap { name in HTTPField.Name(name).map { (name, $0) } })
}

extension HTTPField.Name {
    /// A cascade's tiers and what became of each: `gemma-local:rejected(json_schema) > gpt-4o:accepted`.
    public static let frontierEscalation = Self(literal: "x-frontier-escalation")
    /// The API key header of Anthropic's clients.
    static let anthropicAPIKey = Self(literal: "x-api-key")
}

/// A key's rate limits and what is left of them, as OpenAI names them.
extension HTTPField.Name {
    static let rateLimitLimitRequests = Self(literal: "x-ratelimit-limit-requests")
    static let rateLimitLimitTokens = Self(literal: "x-ratelimit-limit-tokens")
    static let rateLimitRemainingRequests = Self(literal: "x-ratelimit-remaining-requests")
    static let rateLimitRemainingTokens = Self(literal: "x-ratelimit-remaining-tokens")
}

extension HTTPField.Name {
    /// A header name written in this file: checked once at start-up, so a
    /// typo fails the first test rather than a request.
    init(literal: StaticString) {
        guard let name = Self(literal.description) else { preconditionFailure("not a valid header name: \(literal)") }
        self = name
    }
}
