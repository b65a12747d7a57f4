public import FrontierCore

/// Turns the `model` a client named into the ordered list of catalog models
/// to try, and says why. `auto` asks the efficiency-frontier router; a
/// catalog id asks for that model, still subject to the PII policy.
public struct RoutePlanner: Sendable {
    public static let automatic = "auto"

    public let catalog: ModelCatalog
    /// The models `auto` may choose from; the whole catalog when empty.
    public let autoModels: [String]
    public let router: ModelRouter
    public let extractor: FeatureExtractor
    public let defaults: Constraints
    public let piiZone: PrivacyZone?
    public let piiViolation: PIIViolationAction
    /// What recent responses say about each model's speed.
    public let latency: LatencyTracker

    public init(
        catalog: ModelCatalog, autoModels: [String], router: ModelRouter, extractor: FeatureExtractor,
        defaults: Constraints = Constraints(), piiZone: PrivacyZone? = nil, piiViolation: PIIViolationAction = .refuse,
        latency: LatencyTracker = LatencyTracker()
    ) {
        self.latency = latency
        self.catalog = catalog
        self.autoModels = autoModels
        self.router = router
        self.extractor = extractor
        self.defaults = defaults
        self.piiZone = piiZone
        self.piiViolation = piiViolation
    }

    /// The models to try in order, the decision behind them (for `auto` and re-routes), and its short form.
    public struct Plan: Sendable {
        public var candidates: [ModelEntry]
        public var decision: Decision?
        public var shortForm: String
    }

    public func plan(_ request: ChatRequest, constraints: Constraints, unhealthy: [String: String] = [:]) throws(APIError) -> Plan {
        let model = request.model
        if model != Self.automatic {
            guard let entry = catalog[model] else {
                if let reason = catalog.unavailableReason(for: model) { throw APIError.modelUnavailable(model, reason: reason) }
                throw APIError.modelNotFound(model, known: catalog.models.map(\.id))
            }
            var zone = constraints.privacy
            var why = "the request asks for \(zone.rawValue) models"
            // Only the PII detector runs for a named model, and only under a PII policy.
            if let piiZone, piiZone > zone {
                let categories = extractor.piiCategories(of: request)
                if !categories.isEmpty {
                    zone = piiZone
                    why = "the prompt contains \(categories.map(\.rawValue).joined(separator: ", ")) and policy sends PII to \(piiZone.rawValue) models only"
                }
            }
            if zone.admits(entry.deployment) {
                return Plan(candidates: [entry], decision: nil, shortForm: "model=\(entry.id); rule=requested")
            }
            if piiViolation == .refuse || zone == constraints.privacy {
                throw APIError(
                    status: 403, type: "permission_error", code: "privacy_policy", param: "model",
                    message: "'\(entry.id)' is a \(entry.deployment.rawValue) model, and \(why). Use \"auto\" or a \(zone.rawValue) model.")
            }
        }
        let features = extractor.features(of: request)
        let allowed = autoModels.isEmpty ? nil : Set(autoModels)
        let decision = router.decide(features: features, constraints: constraints, allowed: allowed, unhealthy: unhealthy, piiZone: piiZone,
            observed: latency.snapshot())
        let candidates = decision.order.compactMap { catalog[$0] }
        guard !candidates.isEmpty else {
            let reasons = decision.excluded.map { "\($0.model): \($0.reason)" }.joined(separator: "; ")
            let onlyHealth = !decision.excluded.isEmpty && decision.excluded.allSatisfy { $0.reason.hasPrefix("health:") }
            throw APIError(
                status: onlyHealth ? 503 : 422, type: onlyHealth ? "service_unavailable" : "invalid_request_error",
                code: "no_feasible_model",
                message: "No model meets this request's constraints. \(reasons.isEmpty ? "The catalog has no models." : reasons)")
        }
        return Plan(candidates: candidates, decision: decision, shortForm: decision.shortForm)
    }
}
