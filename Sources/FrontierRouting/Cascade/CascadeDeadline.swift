import FrontierCore

/// The time a cascade has left, tier by tier: a plain value fed the current
/// instant, so the deadline's arithmetic is tested on an injected clock.
///
/// Each tier's call is cut to the time left, less a reserve for the tiers
/// after it (their first-token latency); a tier with less than
/// ``minimumTierMs`` left is skipped. The last tier gets all that is left.
///
/// ```swift
/// let deadline = CascadeDeadline(startedAt: now, deadlineMs: 1_000)
/// deadline.budget(at: now + .milliseconds(200), isLast: false, reserveMs: 300)  // .call(ms: 500)
/// ```
public struct CascadeDeadline: Sendable, Equatable {
    public static let minimumTierMs = 50.0

    /// What the next tier may do.
    public enum TierBudget: Sendable, Equatable {
        /// No deadline: the tier runs with its own timeouts.
        case unlimited
        /// Call it, cut to this many milliseconds.
        case call(ms: Double)
        /// Too little left (the milliseconds left, never negative): skip it.
        case skip(leftMs: Double)
    }

    /// Nil when the cascade has no deadline.
    public let end: ContinuousClock.Instant?
    public let deadlineMs: Int?

    public init(startedAt started: ContinuousClock.Instant, deadlineMs: Int?) {
        self.deadlineMs = deadlineMs
        self.end = deadlineMs.map { started + .milliseconds($0) }
    }

    /// The next tier's share at `now`, keeping `reserveMs` for the tiers after it.
    public func budget(at now: ContinuousClock.Instant, isLast: Bool, reserveMs: Double) -> TierBudget {
        guard let end else { return .unlimited }
        let left = (end - now).milliseconds
        let budget = isLast ? left : left - reserveMs
        return budget >= Self.minimumTierMs ? .call(ms: budget) : .skip(leftMs: max(0, left))
    }

    /// Whether a cascade that ended at `now` without an answer ran out of time (504) rather than
    /// out of tiers (503): within ``minimumTierMs`` of the end counts, since no tier could have run.
    public func hasPassed(at now: ContinuousClock.Instant) -> Bool {
        guard let end else { return false }
        return now >= end - .milliseconds(Int64(Self.minimumTierMs))
    }
}
