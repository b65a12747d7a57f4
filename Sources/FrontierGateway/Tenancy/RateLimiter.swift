import FrontierCore
import Synchronization

/// Each key's requests and tokens of the last minute on this instance
/// (``RateWindow``). Exact here; with N instances a key gets at most N times
/// its limits, as each instance counts only what it admitted.
final class RateLimiter: Sendable {
    private let windows = Mutex<[String: RateWindow]>([:])

    /// Admits a request of about `tokens` for `key`, or says which limit it is over.
    func admit(key: String, tokens: Int, limits: RateWindow.Limits, nowMs: Int64) -> RateWindow.Admission {
        windows.withLock { windows in windows[key, default: RateWindow()].admit(tokens: tokens, limits: limits, nowMs: nowMs) }
    }

    /// The admitted request behind `ticket` used `tokens` in the end.
    func correct(key: String, ticket: Int, tokens: Int) {
        windows.withLock { windows in windows[key]?.correct(ticket: ticket, tokens: tokens) }
    }
}
