public import FrontierCore

/// When to try the same upstream again: exponential backoff with full
/// jitter (a random delay up to base x 2^attempt, capped), never sooner than
/// the upstream's Retry-After (and not at all when that is past the cap: the
/// next model serves sooner), and never when the wait would pass the deadline.
public struct RetryPolicy: Sendable {
    public let settings: ResilienceSettings.Retries

    public init(settings: ResilienceSettings.Retries) {
        self.settings = settings
    }

    /// The wait before retry number `retry` (1-based) after `error`; nil when not to retry.
    /// - Parameter random: a number in [0, 1) (injected so tests are exact).
    public func delay(
        retry: Int, after error: UpstreamError, remaining: Duration?, random: Double = Double.random(in: 0..<1)
    ) -> Duration? {
        guard retry <= settings.maxRetries, Self.isRetryable(error) else { return nil }
        let cap = min(Double(settings.maxDelayMs), Double(settings.baseDelayMs) * Double(1 << min(retry - 1, 20)))
        var delay = Duration.milliseconds(Int64(cap * random))
        if case .status(_, let retryAfter?, _) = error {
            // Longer than the longest backoff: better to move on to the next model than to wait.
            // (Not a finite, non-negative number: the header is not honoured at all.)
            guard retryAfter.isFinite, retryAfter >= 0, retryAfter * 1000 <= Double(settings.maxDelayMs) else { return nil }
            delay = max(delay, .milliseconds(Int64(retryAfter * 1000)))
        }
        if let remaining, delay >= remaining { return nil }
        return delay
    }

    /// Rate limits, server errors, refused connections and bad answers may pass on a second try;
    /// timeouts are not retried (the time is spent), nor is a request the upstream rejected.
    public static func isRetryable(_ error: UpstreamError) -> Bool {
        switch error {
        case .status(let code, _, _): code == 429 || code >= 500
        case .connect, .malformed, .interrupted: true
        // Another identity answers the second call too.
        case .timeout, .cancelled, .unavailable, .overBudget, .identity: false
        }
    }
}
