public import HTTPTypes

/// The gateway's own response headers.
extension HTTPField.Name {
    public static let frontierRequestID = Self("x-frontier-request-id")!
    public static let frontierModel = Self("x-frontier-model")!
    public static let frontierCostUSD = Self("x-frontier-cost-usd")!
    public static let frontierAttempts = Self("x-frontier-attempts")!
    public static let frontierUsageEstimated = Self("x-frontier-usage-estimated")!
}
