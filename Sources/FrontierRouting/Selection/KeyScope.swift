public import FrontierCore

/// What the caller's API key lets a request do, as the planner applies it:
/// the key's policy (models, routes), and its budget as a filter on models.
public struct KeyScope: Sendable {
    public var id: String
    public var policy: KeyPolicy
    /// Nil when the key has no budget.
    public var budget: BudgetFilter?

    public init(id: String, policy: KeyPolicy, budget: BudgetFilter? = nil) {
        self.id = id
        self.policy = policy
        self.budget = budget
    }

    /// The 403 for a model or route the key may not use, saying what it may.
    public func notAllowed(_ name: String, isRoute: Bool) -> APIError {
        let models = policy.models.map { $0.isEmpty ? "no catalog model by name" : "the models \($0.joined(separator: ", "))" } ?? "any model"
        let routes = policy.routes.map { $0.isEmpty ? "no route" : "the routes \($0.joined(separator: ", "))" } ?? "any route"
        let what = isRoute ? "route" : "model"
        return APIError(
            status: 403, type: "permission_error", code: "\(what)_not_allowed", param: "model",
            message: "This API key may not use the \(what) '\(name)'. It may use auto, \(models), and \(routes).")
    }
}

/// A key's remaining budget against the most each model could cost for one request.
public struct BudgetFilter: Sendable {
    public var remainingUSD: Double
    /// The worst case of one call to a model (``WorstCase``) for this request.
    public var worstCaseUSD: @Sendable (ModelEntry) -> Double

    public init(remainingUSD: Double, worstCaseUSD: @escaping @Sendable (ModelEntry) -> Double) {
        self.remainingUSD = remainingUSD
        self.worstCaseUSD = worstCaseUSD
    }

    /// Why `model` is out of reach, or nil if the budget covers it.
    public func exclusion(_ model: ModelEntry) -> Exclusion? {
        let worst = worstCaseUSD(model)
        return worst > remainingUSD ? .budget(worstCaseUSD: worst, remainingUSD: remainingUSD) : nil
    }

    /// The 429 when no model the request may use fits the budget.
    public func insufficient(cheapestUSD: Double?) -> APIError {
        let need = cheapestUSD.map { " The cheapest model this request may use needs up to $\(Exclusion.format($0)) (its prompt and max_tokens at its prices)." } ?? ""
        return APIError(
            status: 429, type: "insufficient_quota", code: "insufficient_quota",
            message: "This API key's budget has $\(Exclusion.format(remainingUSD)) left for the period, not enough for this request.\(need) "
                + "Send a smaller max_tokens, wait for the next period, or ask for a larger budget.")
    }
}
