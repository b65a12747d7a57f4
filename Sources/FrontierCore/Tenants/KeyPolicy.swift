/// What one API key may do: which models and routes, the narrowest privacy
/// zone its requests may widen to (a floor they can narrow, never lift), the
/// default objective, ceilings on cost and latency no header can raise, a
/// budget per period, and request and token rates.
///
/// JSON as `POST /admin/keys` takes it: `{"models": [...], "routes": [...],
/// "privacy": "on-prem", "objective": "cheapest", "budget_usd": 10,
/// "budget_period": "month", "rpm": 600, "tpm": 100000, "expires_at": "2027-01-01T00:00:00Z",
/// "max_constraints": {"max_cost_usd": 0.05, "max_latency_ms": 8000}}`.
public struct KeyPolicy: Sendable, Equatable {
    public enum Period: String, Sendable, CaseIterable {
        case day, week, month, total
    }

    /// Catalog models the key may name or have `auto` choose; nil: any.
    public var models: [String]?
    /// Routes the key may use; nil: any.
    public var routes: [String]?
    /// The key's privacy floor: its requests go to this zone or a narrower one.
    public var privacy: PrivacyZone
    public var objective: Objective?
    public var budgetUSD: Double?
    public var budgetPeriod: Period
    public var rpm: Int?
    public var tpm: Int?
    /// Milliseconds since 1970; the key stops working then.
    public var expiresAtMs: Int64?
    public var maxCostUSD: Double?
    public var maxLatencyMs: Double?

    public init(
        models: [String]? = nil, routes: [String]? = nil, privacy: PrivacyZone = .any, objective: Objective? = nil, budgetUSD: Double? = nil,
        budgetPeriod: Period = .month, rpm: Int? = nil, tpm: Int? = nil, expiresAtMs: Int64? = nil, maxCostUSD: Double? = nil, maxLatencyMs: Double? = nil
    ) {
        self.models = models
        self.routes = routes
        self.privacy = privacy
        self.objective = objective
        self.budgetUSD = budgetUSD
        self.budgetPeriod = budgetPeriod
        self.rpm = rpm
        self.tpm = tpm
        self.expiresAtMs = expiresAtMs
        self.maxCostUSD = maxCostUSD
        self.maxLatencyMs = maxLatencyMs
    }

    /// The request constraints under this key: its floor and ceilings applied, the request able to narrow them only.
    public func bounding(_ c: Constraints) -> Constraints {
        var c = c
        c.privacy = c.privacy.narrowed(to: privacy)
        if let max = maxCostUSD { c.maxCostUSD = min(c.maxCostUSD ?? max, max) }
        if let max = maxLatencyMs { c.maxLatencyMs = min(c.maxLatencyMs ?? max, max) }
        return c
    }

    /// Whether the key may ask for `model` by name (a catalog id) or as a route.
    public func allows(model: String, isRoute: Bool) -> Bool {
        if isRoute { return routes.map { $0.contains(model) } ?? true }
        return models.map { $0.contains(model) } ?? true
    }
}

/// The start of the budget period holding `ms` (UTC): the day, the ISO week (Monday), the month; 0 for `total`.
extension KeyPolicy.Period {
    public func start(of ms: Int64) -> Int64 {
        let day: Int64 = 86_400_000
        switch self {
        case .total: return 0
        case .day: return ms - ms % day
        case .week:
            let days = ms / day
            // 1970-01-01 was a Thursday: Monday-based weeks start 3 days before.
            let weekday = (days + 3) % 7
            return (days - weekday) * day
        case .month:
            let (year, month) = Self.yearMonth(days: ms / day)
            return Self.days(year: year, month: month) * day
        }
    }

    /// Civil year and month of a day count since 1970 (Howard Hinnant's algorithm).
    static func yearMonth(days: Int64) -> (Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month)
    }

    /// Days since 1970 of the first of a month.
    static func days(year: Int64, month: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
