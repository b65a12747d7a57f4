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
    /// Named routes, by name.
    public let routes: [String: RouteDefinition]
    /// Serves a request that no model is feasible for, if it meets the privacy zone.
    public let fallbackModel: String?

    public init(
        catalog: ModelCatalog, autoModels: [String], router: ModelRouter, extractor: FeatureExtractor,
        defaults: Constraints = Constraints(), piiZone: PrivacyZone? = nil, piiViolation: PIIViolationAction = .refuse,
        latency: LatencyTracker = LatencyTracker(), routes: [String: RouteDefinition] = [:], fallbackModel: String? = nil
    ) {
        self.latency = latency
        self.routes = routes
        self.fallbackModel = fallbackModel
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
        /// Set for a cascade route: the tiers to run, those outside the privacy zone removed.
        public var cascade: Cascade?
    }

    /// The constraints a request starts from: its route's, or the configured defaults.
    public func defaults(for model: String) -> Constraints {
        routes[model]?.constraints ?? defaults
    }

    /// - Parameter unhealthy: model id -> why it rests; read only when the router chooses (not for a named model).
    public func plan(_ request: ChatRequest, constraints: Constraints, unhealthy: @autoclosure () -> [String: String] = [:]) throws(APIError) -> Plan {
        let model = request.model
        let route = routes[model]
        if model != Self.automatic, route == nil {
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
        if let route, let cascade = route.cascade {
            return try plan(request, route: route.name, cascade: cascade, constraints: constraints)
        }
        let features = extractor.features(of: request)
        let allowed: Set<String>? = if let route {
            route.models.isEmpty ? nil : Set(route.models)
        } else {
            autoModels.isEmpty ? nil : Set(autoModels)
        }
        let decision = router.decide(features: features, constraints: constraints, allowed: allowed, unhealthy: unhealthy(), piiZone: piiZone,
            observed: latency.snapshot())
        let candidates = decision.order.compactMap { catalog[$0] }
        guard !candidates.isEmpty else {
            let onlyHealthFailed = !decision.excluded.isEmpty && decision.excluded.allSatisfy { $0.reason.isHealth }
            if !onlyHealthFailed, let fallbackModel, let entry = catalog[fallbackModel], decision.constraints.privacy.admits(entry.deployment) {
                return Plan(candidates: [entry], decision: decision, shortForm: "model=\(entry.id); rule=policy fallback (no model met the constraints)", cascade: nil)
            }
            let reasons = decision.excluded.map { "\($0.model): \($0.reason)" }.joined(separator: "; ")
            throw APIError(
                status: onlyHealthFailed ? 503 : 422, type: onlyHealthFailed ? "service_unavailable" : "invalid_request_error",
                code: "no_feasible_model",
                message: "No model meets this request's constraints. \(reasons.isEmpty ? "The catalog has no models." : reasons)")
        }
        return Plan(candidates: candidates, decision: decision, shortForm: decision.shortForm)
    }

    /// A cascade route's plan: its tiers in order, less those outside the privacy zone
    /// (the request's, narrowed by the PII policy when the prompt has PII).
    private func plan(_ request: ChatRequest, route: String, cascade: Cascade, constraints: Constraints) throws(APIError) -> Plan {
        // A json_schema check must be able to check the schema it is given, or the request is refused now.
        if cascade.tiers.contains(where: \.accept.jsonSchema), let raw = AcceptanceEvaluator.schema(in: request.body["response_format"]) {
            do {
                _ = try JSONSchema(raw)
            } catch {
                throw APIError(
                    status: 400, type: "invalid_request_error", code: "unsupported_schema", param: "response_format.json_schema.schema",
                    message: "Route '\(route)' checks answers against response_format's schema, and this schema cannot be checked: \(error.description). "
                        + "Use the supported keywords, or a route without the json_schema check.")
            }
        }
        var zone = constraints.privacy
        var pii: [PIICategory] = []
        if let piiZone, piiZone > zone {
            pii = extractor.piiCategories(of: request)
            if !pii.isEmpty { zone = piiZone }
        }
        var kept = cascade
        var dropped: [String] = []
        kept.tiers = cascade.tiers.filter { tier in
            guard let entry = catalog[tier.model] else {
                dropped.append("\(tier.model)(unavailable)")  // e.g. its API key is not set
                return false
            }
            guard zone.admits(entry.deployment) else {
                dropped.append("\(tier.model)(outside \(zone.rawValue))")
                return false
            }
            return true
        }
        var parts = ["route=\(route)", "rule=cascade", "tiers=\(kept.tiers.map(\.model).joined(separator: ">"))"]
        if !pii.isEmpty { parts.append("pii=\(pii.map(\.rawValue).joined(separator: "+"))") }
        if zone != .any { parts.append("zone=\(zone.rawValue)") }
        if !dropped.isEmpty { parts.append("dropped=\(dropped.joined(separator: ","))") }
        guard !kept.tiers.isEmpty else {
            let privacy = dropped.contains { $0.hasSuffix("(outside \(zone.rawValue))") }
            throw APIError(
                status: privacy ? 403 : 503, type: privacy ? "permission_error" : "service_unavailable",
                code: privacy ? "privacy_policy" : "model_unavailable", param: "model",
                message: "No tier of cascade '\(route)' may serve this request: \(dropped.joined(separator: ", "))"
                    + (pii.isEmpty ? "." : "; policy requires \(zone.rawValue) models for prompts with \(pii.map(\.rawValue).joined(separator: ", ")).")
            )
        }
        return Plan(candidates: kept.tiers.compactMap { catalog[$0.model] }, decision: nil, shortForm: parts.joined(separator: "; "), cascade: kept)
    }
}
