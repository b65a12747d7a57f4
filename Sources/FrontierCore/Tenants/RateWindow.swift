/// Requests and tokens a key used in the last minute, on this instance, kept
/// as a log of admissions: exact, not an approximation by buckets. Plain
/// arithmetic over an injected clock (milliseconds); the owner holds it under a lock.
///
/// Tokens count the request's estimate at admission and are corrected to the
/// usage when the request ends, so a burst of long requests cannot slip in
/// before the first of them reports its usage.
public struct RateWindow: Sendable {
    public static let windowMs: Int64 = 60_000

    public struct Limits: Sendable, Equatable {
        public var requestsPerMinute: Int?
        public var tokensPerMinute: Int?
        public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil) {
            self.requestsPerMinute = requestsPerMinute
            self.tokensPerMinute = tokensPerMinute
        }
        public var isEmpty: Bool { requestsPerMinute == nil && tokensPerMinute == nil }
    }

    /// An admitted request: when, and the tokens counted for it.
    struct Entry {
        var atMs: Int64
        var tokens: Int
    }

    /// Oldest first; ids are positions from `base`, so an admission can be corrected later.
    private var entries: [Entry] = []
    private var head = 0
    private var base = 0
    private var tokens = 0

    public init() {}

    /// Which of a key's limits a request is over; its raw value is the error's `type` on the wire.
    public enum Limit: String, Sendable {
        case requests
        case tokens
    }

    public enum Admission: Sendable, Equatable {
        /// Admitted: `ticket` corrects its token count later; the remaining figures are after this request.
        case admitted(ticket: Int, remainingRequests: Int?, remainingTokens: Int?)
        /// Over a limit: which one, and in how many milliseconds a request like this one would pass.
        case limited(limit: Limit, retryAfterMs: Int64)
    }

    /// Admits a request estimated at `tokens`, or says which limit it is over.
    public mutating func admit(tokens estimate: Int, limits: Limits, nowMs: Int64) -> Admission {
        expire(nowMs: nowMs)
        let count = entries.count - head
        if let rpm = limits.requestsPerMinute, count >= rpm {
            // The oldest admission in the window leaves it first.
            let wait = count == 0 || rpm == 0 ? Self.windowMs : entries[head + count - rpm].atMs + Self.windowMs - nowMs
            return .limited(limit: .requests, retryAfterMs: max(1, wait))
        }
        let estimate = max(0, estimate)
        if let tpm = limits.tokensPerMinute, tokens.saturatingAdd(estimate) > tpm {
            return .limited(limit: .tokens, retryAfterMs: retryAfter(freeing: tokens.saturatingAdd(estimate) - tpm, limit: tpm, estimate: estimate, nowMs: nowMs))
        }
        entries.append(Entry(atMs: nowMs, tokens: estimate))
        tokens = tokens.saturatingAdd(estimate)
        let ticket = base + entries.count - 1
        return .admitted(
            ticket: ticket, remainingRequests: limits.requestsPerMinute.map { max(0, $0 - count - 1) },
            remainingTokens: limits.tokensPerMinute.map { max(0, $0 - tokens) })
    }

    /// The request behind `ticket` used `tokens` in the end (a request already out of the window changes nothing).
    public mutating func correct(ticket: Int, tokens used: Int) {
        let index = ticket - base
        guard index >= head, index < entries.count else { return }
        tokens = max(0, tokens - entries[index].tokens).saturatingAdd(max(0, used))
        entries[index].tokens = max(0, used)
    }

    /// Requests and tokens left in the window now.
    public mutating func remaining(limits: Limits, nowMs: Int64) -> (requests: Int?, tokens: Int?) {
        expire(nowMs: nowMs)
        return (limits.requestsPerMinute.map { max(0, $0 - (entries.count - head)) }, limits.tokensPerMinute.map { max(0, $0 - tokens) })
    }

    private mutating func expire(nowMs: Int64) {
        while head < entries.count, entries[head].atMs + Self.windowMs <= nowMs {
            tokens = max(0, tokens - entries[head].tokens)
            head += 1
        }
        // Compact once the dead prefix is half the log: amortised O(1) per request.
        if head > 64, head * 2 > entries.count {
            entries.removeFirst(head)
            base += head
            head = 0
        }
    }

    /// When enough tokens will have left the window for a request of `estimate` to pass.
    private func retryAfter(freeing excess: Int, limit: Int, estimate: Int, nowMs: Int64) -> Int64 {
        guard estimate <= limit else { return Self.windowMs }  // never passes; a minute is the honest answer
        var freed = 0
        for entry in entries[head...] {
            freed = freed.saturatingAdd(entry.tokens)
            if freed >= excess { return max(1, entry.atMs + Self.windowMs - nowMs) }
        }
        return Self.windowMs
    }
}
