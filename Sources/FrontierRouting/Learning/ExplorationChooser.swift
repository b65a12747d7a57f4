import FrontierCore

/// Which served requests `router.explore` asks a second model about, and
/// which model: a plain value fed what happened, tested without sockets.
///
/// A seeded hash of the request id below `share` samples it (the same request
/// is sampled on every instance). The second model is the eligible one with
/// the fewest outcomes so far for the request's domain (the router's estimate
/// there rests on the least), the cheaper of equals first, so exploration
/// spreads over the models the router never picks instead of repeating the
/// ones it does. When the least-known model does not fit what may be spent,
/// nothing is explored until it does. Each call reserves its worst case against the day's cap
/// (UTC days, from the injected wall clock) before it is made, so concurrent
/// calls cannot overrun it, and settles to what it cost. With
/// `maxShareOfServing`, exploration may also spend no more than that share
/// of what serving has spent so far: the allowance grows with traffic, so a
/// quiet day explores little and an expensive model waits until it fits.
public struct ExplorationChooser: Sendable {
    public var share: Double
    public var maxCostUSDPerDay: Double
    public var maxShareOfServing: Double?
    public var seed: UInt64
    /// Outcomes known per domain and model: each exploration's grade and each score of a served answer.
    public private(set) var outcomes: [String: [String: Int]] = [:]
    /// Explorations settled per domain and model, failed ones included: the order of turns.
    private var tries: [String: [String: Int]] = [:]
    /// The UTC day (days since 1970) that `spentToday` counts.
    public private(set) var day: Int64 = 0
    /// Reserved and settled spend of `day`.
    public private(set) var spentToday = 0.0
    /// Settled spend since start.
    public private(set) var spentTotal = 0.0
    /// What serving spent since start (every routed answer, sampled or not).
    public private(set) var servingTotal = 0.0
    /// Reserved, not yet settled.
    private var reserved = 0.0

    public init(share: Double, maxCostUSDPerDay: Double, maxShareOfServing: Double? = nil, seed: UInt64 = 1) {
        self.share = min(1, max(0, share))
        self.maxCostUSDPerDay = max(0, maxCostUSDPerDay)
        self.maxShareOfServing = maxShareOfServing.map { min(1, max(0, $0)) }
        self.seed = seed
    }

    /// A routed answer's cost: with `maxShareOfServing`, it grows what exploration may spend.
    public mutating func served(costUSD: Double) {
        if costUSD.isFinite, costUSD > 0 { servingTotal += costUSD }
    }

    /// What may still be reserved now: the day's cap, and the share of serving when set.
    public var available: Double {
        let day = maxCostUSDPerDay - spentToday
        guard let maxShareOfServing else { return day }
        return min(day, maxShareOfServing * servingTotal - spentTotal - reserved)
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

    /// The model to ask, reserved against what may be spent; nil when the least-known one does not fit it yet.
    /// - Parameter candidates: the eligible models (inside the request's zone), the served one excluded.
    public mutating func choose(domain: String?, candidates: [Candidate], nowMs: Int64) -> Reservation? {
        roll(to: nowMs)
        let domain = domain ?? "unknown"
        // Outcomes known, and failed tries: the least known first, never one that keeps failing.
        let known = outcomes[domain] ?? [:], tried = tries[domain] ?? [:]
        let counts = Dictionary(uniqueKeysWithValues: candidates.map { ($0.model, max(known[$0.model] ?? 0, tried[$0.model] ?? 0)) })
        let readable = candidates.filter { $0.worstCaseUSD.isFinite && $0.worstCaseUSD >= 0 }
        guard let pick = readable.min(by: { a, b in
            let (ca, cb) = (counts[a.model] ?? 0, counts[b.model] ?? 0)
            if ca != cb { return ca < cb }
            if a.worstCaseUSD != b.worstCaseUSD { return a.worstCaseUSD < b.worstCaseUSD }
            return a.model < b.model
        }) else { return nil }
        // The least-known model waits until it fits: spending what is left on a better-known cheap one instead
        // would keep the budget from ever reaching the model whose estimate needs it most (often the dearest).
        guard pick.worstCaseUSD <= available else { return nil }
        spentToday += pick.worstCaseUSD
        reserved += pick.worstCaseUSD
        return Reservation(model: pick.model, domain: domain, reservedUSD: pick.worstCaseUSD, day: day)
    }

    /// The call ended: its reservation becomes what it cost (0 for a failed call), and a graded answer counts.
    public mutating func settle(_ reservation: Reservation, costUSD: Double, graded: Bool, nowMs: Int64) {
        roll(to: nowMs)
        let cost = costUSD.isFinite ? max(0, costUSD) : reservation.reservedUSD
        // A reservation from a day that has ended was cleared with it; its cost is today's.
        spentToday += reservation.day == day ? cost - reservation.reservedUSD : cost
        spentToday = max(0, spentToday)
        reserved = max(0, reserved - reservation.reservedUSD)
        spentTotal += cost
        // A failed call counts as a try too: a model that cannot answer (its circuit open, a gap in what it serves)
        // must not stay the least known and take every turn.
        tries[reservation.domain, default: [:]][reservation.model, default: 0] += 1
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
