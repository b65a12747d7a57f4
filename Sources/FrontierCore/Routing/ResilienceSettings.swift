/// Retries and circuit breaking for every upstream (`gateway.retries`, `gateway.circuit_breaker`).
public struct ResilienceSettings: Sendable, Hashable {
    public var retries = Retries()
    public var breaker = Breaker()

    public init() {}

    /// Retries of one model before moving on: exponential backoff with full
    /// jitter, never sooner than the upstream's Retry-After, never past the deadline.
    public struct Retries: Sendable, Hashable {
        /// Retries after the first attempt (0 turns retrying off).
        public var maxRetries = 1
        public var baseDelayMs = 100
        public var maxDelayMs = 2_000

        public init(maxRetries: Int = 1, baseDelayMs: Int = 100, maxDelayMs: Int = 2_000) {
            self.maxRetries = maxRetries
            self.baseDelayMs = baseDelayMs
            self.maxDelayMs = maxDelayMs
        }
    }

    /// Per-upstream circuit breaker.
    public struct Breaker: Sendable, Hashable {
        /// Opens after this many failures in a row...
        public var consecutiveFailures = 5
        /// ...or when the failure share of the last `window` calls reaches this (with at least `minimumCalls` of them).
        public var errorRate = 0.5
        public var window = 20
        public var minimumCalls = 10
        /// How long it stays open before letting probes through.
        public var openMs = 10_000
        /// Probes let through at once while half-open; this many successes close it.
        public var halfOpenProbes = 1

        public init(consecutiveFailures: Int = 5, errorRate: Double = 0.5, window: Int = 20, minimumCalls: Int = 10, openMs: Int = 10_000, halfOpenProbes: Int = 1) {
            self.consecutiveFailures = consecutiveFailures
            self.errorRate = errorRate
            self.window = window
            self.minimumCalls = minimumCalls
            self.openMs = openMs
            self.halfOpenProbes = halfOpenProbes
        }
    }
}
