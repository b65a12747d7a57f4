import FrontierCore

/// Which served requests `router.explore` asks a second model about, and
/// which model: a plain value fed what happened, tested without sockets.
///
/// A seeded hash of the request id below `share` samples it (the same request
/// is sampled on every instance). The second model is the eligible one with
/// the fewest outcomes so far for the request's domain (the router's estimate
/// there rests on the least), the cheaper of equals first, so exploration
/// spreads over the models the router never picks instead of repeating the
/// ones it does. Each call reserves its worst case against the day's cap
/// (UTC days, from the injected wall clock) before it is made, so concurrent
/// calls cannot overrun it, and settles to what it cost.
public struct ExplorationChooser: Sendable {
    public var share: Double
    public var maxCostUSDPerDay: Double
    public var seed: UInt64
    /// Outcomes known per domain and model: each exploration's grade and each score of a served answer.
    public private(set) var outcomes: [String: [String: Int]] = [:]
    /// The UTC day (days since 1970) that `spentToday` counts.
    public private(set) var day: Int64 = 0
    /// Reserved and settled spend of `day`.
    public private(set) var spentToday = 0.0
    /// Settled spend since start.
    public private(set) var spentTotal = 0.0

    public init(share: Double, maxCostUSDPerDay: Double, seed: UInt64 = 1) {
        self.share = min(1, max(0, share))
        self.maxCostUSDPerDay = max(0, maxCostUSDPerDay)
        self.seed = seed
    }

    /// One model the request could also be asked of, with its worst-case cost for this request.
    public struct Candidate: Sendable, Equatable {
        public var model: String
        public var worstCaseUSD: Double

        public init(model: String, worstCaseUSD: Double) {
            self.model = model
            self.worstCaseUSD = worstCaseUSD
        }
    }

    /// A chosen model and what was reserved for it on which day.
    public struct Reservation: Sendable, Equatable {
        public var model: String
        public var domain: String
        public var reservedUSD: Double
        public var day: Int64
    }

    public func samples(requestID: String) -> Bool {
        share > 0 && SeededHash.fraction(requestID, seed: seed) < share
    }

    /// The model to ask, reserved against today's cap; nil when none fits what is left of it.
    /// - Parameter candidates: the eligible models (inside the request's zone), the served one excluded.
    public mutating func choose(domain: String?, candidates: [Candidate], nowMs: Int64) -> Reservation? {
        roll(to: nowMs)
        let domain = domain ?? "unknown"
        let counts = outcomes[domain] ?? [:]
        let left = maxCostUSDPerDay - spentToday
        let affordable = candidates.filter { $0.worstCaseUSD.isFinite && $0.worstCaseUSD >= 0 && $0.worstCaseUSD <= left }
        guard let pick = affordable.min(by: { a, b in
            let (ca, cb) = (counts[a.model] ?? 0, counts[b.model] ?? 0)
            if ca != cb { return ca < cb }
            if a.worstCaseUSD != b.worstCaseUSD { return a.worstCaseUSD < b.worstCaseUSD }
            return a.model < b.model
        }) else { return nil }
        spentToday += pick.worstCaseUSD
        return Reservation(model: pick.model, domain: domain, reservedUSD: pick.worstCaseUSD, day: day)
    }

    /// The call ended: its reservation becomes what it cost (0 for a failed call), and a graded answer counts.
    public mutating func settle(_ reservation: Reservation, costUSD: Double, graded: Bool, nowMs: Int64) {
        roll(to: nowMs)
        let cost = costUSD.isFinite ? max(0, costUSD) : reservation.reservedUSD
        // A reservation from a day that has ended was cleared with it; its cost is today's.
        spentToday += reservation.day == day ? cost - reservation.reservedUSD : cost
        spentToday = max(0, spentToday)
        spentTotal += cost
        if graded { observed(domain: reservation.domain, model: reservation.model) }
    }

    /// A score arrived for a model's answer in a domain (a served answer's feedback, or a grade).
    public mutating func observed(domain: String?, model: String) {
        outcomes[domain ?? "unknown", default: [:]][model, default: 0] += 1
    }

    private mutating func roll(to nowMs: Int64) {
        // Only forward: a wall clock stepped back must not open a second budget for a day already spent.
        let today = nowMs >= 0 ? nowMs / 86_400_000 : 0
        if today > day {
            day = today
            spentToday = 0
        }
    }
}
