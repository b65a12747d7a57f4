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
    public private(set) var extractor: FeatureExtractor
    public let defaults: Constraints
    public private(set) var privacy: PrivacyPolicy
    /// What recent responses say about each model's speed.
    public let latency: LatencyTracker
    /// What live traffic says about each model's quality: the degraded ones and by how much.
    public let quality: QualityAdjustments
    /// Named routes, by name.
    public let routes: [String: RouteDefinition]
    /// Serves a request that no model is feasible for, if it meets the privacy zone.
    public let fallbackModel: String?
    /// `router.signals`: what `auto` may read of a prompt (a route's own `signals` win); all the file has when nil.
    public let signals: Set<RouterSignal>?
    /// The loaded router file's version (``RouterFile/digest``); nil when the router runs on the config's figures.
    public let routerVersion: String?
    /// The loaded router file's models and trade-off curve, for the dashboard; nil without a file.
    public var frontier: RouterFrontier?

    public init(
        catalog: ModelCatalog, autoModels: [String], router: ModelRouter, extractor: FeatureExtractor,
        defaults: Constraints = Constraints(), privacy: PrivacyPolicy = PrivacyPolicy(),
        latency: LatencyTracker = LatencyTracker(), routes: [String: RouteDefinition] = [:], fallbackModel: String? = nil,
        signals: Set<RouterSignal>? = nil, routerVersion: String? = nil, quality: QualityAdjustments = QualityAdjustments()
    ) {
        self.quality = quality
        self.signals = signals
        self.routerVersion = routerVersion
        self.latency = latency
        self.routes = routes
        self.fallbackModel = fallbackModel
        self.catalog = catalog
        self.autoModels = autoModels
        self.router = router
        var extractor = extractor
        extractor.detector = privacy.detector
        self.extractor = extractor
        self.defaults = defaults
        self.privacy = privacy
    }

    /// The same planner with the operator's recognizers and deny lists replaced (a reload of the config's
    /// `privacy.recognizers` and `privacy.deny_lists`): every scan it makes from now on uses them.
    public func replacingOperatorRules(_ rules: OperatorRecognizers?) -> RoutePlanner {
        var planner = self
        planner.privacy.operatorRules = rules
        planner.extractor.detector = planner.privacy.detector
        return planner
    }

    /// The models to try in order, the decision behind them (for `auto` and re-routes), and its short form.
    public struct Plan: Sendable {
        /// What the request's `model` named.
        public var target: Target = .auto
        public var candidates: [ModelEntry]
        public var decision: Decision?
        public var shortForm: String
        /// Set for a cascade route: the tiers to run, those outside the privacy zone removed.
        public var cascade: Cascade?
        /// The zone the request is bound to (its own, narrowed by the policy for what it carries): every call
        /// made for it, fallbacks, retries, a cascade's verifier and samples, stays inside.
        public var zone: PrivacyZone = .any
        /// The PII categories found and the field of each (never the values).
        public var piiFields: [FieldFinding] = []
        /// Whether the request's content was scanned for the plan (the ledger's record then needs no scan of its own).
        public var piiScanned = false
        /// The router file version the plan was made with (``RoutePlanner/routerVersion``).
        public var routerVersion: String?
        /// Models outside `zone` that may still be sent the request with its sensitive values replaced by
        /// placeholders (`on_violation: pseudonymize`, a cascade tier's `pseudonymize: true`); never the values themselves.
        public var pseudonymized: Set<String> = []
    }

    /// Resolves the request's `model` once: `auto`, a route (chat only), or a catalog model of `kind` the key may use
    /// (404 for an unknown id, 503 for one whose key is unset, 400 for a model of the other kind, the key's 403).
    /// The one place the string is compared; `known` lists the ids a 404 suggests.
    public func target(for model: String, key: KeyScope? = nil, kind: ModelKind = .chat) throws(APIError) -> Target {
        if model == Self.automatic { return .auto }
        let route = kind == .chat ? routes[model] : nil
        if let key, !key.policy.allows(model: model, isRoute: route != nil) { throw key.notAllowed(model, isRoute: route != nil) }
        if let route { return .route(route) }
        guard let entry = catalog[model] else {
            if let reason = catalog.unavailableReason(for: model) { throw APIError.modelUnavailable(model, reason: reason) }
            throw APIError.modelNotFound(model, known: catalog.models.filter { kind == .chat || $0.kind == kind }.map(\.id))
        }
        guard entry.kind == kind else {
            switch kind {
            case .chat:
                throw APIError(
                    status: 400, type: "invalid_request_error", code: "model_not_chat", param: "model",
                    message: "'\(model)' is an embedding model; send it to POST /v1/embeddings, or name a chat model from GET /v1/models.")
            case .embedding:
                let ids = [Self.automatic] + catalog.models.filter { $0.kind == .embedding }.map(\.id)
                throw APIError(
                    status: 400, type: "invalid_request_error", code: "model_not_embedding", param: "model",
                    message: "'\(model)' is a chat model; /v1/embeddings takes an embedding model: \(ids.joined(separator: ", ")).")
            }
        }
        return .model(entry)
    }

    /// Whether the router's decision for `target` may read `signal`.
    public func reads(_ signal: RouterSignal, for target: Target) -> Bool {
        (target.route?.signals ?? signals)?.contains(signal) ?? true
    }

    /// The extractor with only the signals `target`'s decision may read.
    func extractor(for target: Target) -> FeatureExtractor {
        var extractor = self.extractor
        if !reads(.domain, for: target) { extractor.classifier = nil }
        if !reads(.prompt, for: target) { extractor.predictor = nil }
        if !reads(.embedding, for: target) {
            extractor.neighbours = nil
            extractor.network = nil
        }
        return extractor
    }

    /// The constraints a request starts from: its route's, or the configured defaults with the key's objective.
    public func defaults(for target: Target, keyObjective: Objective? = nil) -> Constraints {
        if let route = target.route { return route.constraints }
        var constraints = defaults
        if let keyObjective { constraints.objective = keyObjective }
        return constraints
    }

    /// Whether deciding `request` would read its embedding: the router chooses, may read the signal, and the
    /// file's plan reads the embedding predictor in this prompt's domain. Only then is the embedder asked.
    public func readsEmbedding(of request: ChatRequest, target: Target) -> Bool {
        target.routerChooses && reads(.embedding, for: target) && extractor.readsEmbedding(of: request)
    }

    /// - Parameters:
    ///   - unhealthy: model id -> why it rests; read only when the router chooses (not for a named model).
    ///   - key: the caller's key: the models and routes it may use, and its budget.
    ///   - embedding: the prompt's embedding (or why there is none), for a router file that reads them.
    public func plan(
        _ request: ChatRequest, constraints: Constraints, unhealthy: @autoclosure () -> [String: String] = [:], key: KeyScope? = nil,
        embedding: PromptEmbedding? = nil
    ) throws(APIError) -> Plan {
        try plan(request, target: target(for: request.model, key: key), constraints: constraints, unhealthy: unhealthy(), key: key, embedding: embedding)
    }

    /// The plan for a resolved `target` (``target(for:key:)``).
    /// - Parameter scanned: another planner's features for this request, with the same privacy detector (the live
    ///   router's, when this is the shadow): the PII scan is not repeated.
    public func plan(
        _ request: ChatRequest, target: Target, constraints: Constraints, unhealthy: @autoclosure () -> [String: String] = [:],
        key: KeyScope? = nil, embedding: PromptEmbedding? = nil, scanned: RequestFeatures? = nil
    ) throws(APIError) -> Plan {
        var plan = try plan(
            request, resolved: target, constraints: constraints, unhealthy: unhealthy(), key: key, embedding: embedding, scanned: scanned)
        plan.target = target
        plan.routerVersion = routerVersion
        return plan
    }

    private func plan(
        _ request: ChatRequest, resolved target: Target, constraints: Constraints, unhealthy: @autoclosure () -> [String: String],
        key: KeyScope?, embedding: PromptEmbedding?, scanned: RequestFeatures?
    ) throws(APIError) -> Plan {
        let route = target.route
        if case .model(let entry) = target {
            if let budget = key?.budget, budget.exclusion(entry) != nil { throw budget.insufficient(cheapestUSD: budget.worstCaseUSD(entry)) }
            // Only the PII detector runs for a named model, and only under a privacy policy.
            let verdict = sensitiveZone(request, requested: constraints.privacy)
            let (zone, reason, fields) = (verdict.zone, verdict.reason, verdict.fields)
            let why = reason.map { "\($0) and policy sends such requests to \(zone.rawValue) models only" } ?? "the request asks for \(zone.rawValue) models"
            if zone.admits(entry.deployment) {
                return Plan(
                    candidates: [entry], decision: nil, shortForm: "model=\(entry.id); rule=requested", zone: zone, piiFields: fields,
                    piiScanned: verdict.scanned)
            }
            // Placeholders instead of the values, where all the request carries can be scanned (whether it masks
            // cleanly is proven when it is masked; where it does not, it is refused then).
            if privacy.onViolation == .pseudonymize, let reason, reason.unscannable.isEmpty, constraints.privacy.admits(entry.deployment) {
                var plan = Plan(
                    candidates: [entry], decision: nil, shortForm: "model=\(entry.id); rule=requested; pseudonymized", zone: zone, piiFields: fields,
                    piiScanned: verdict.scanned)
                plan.pseudonymized = [entry.id]
                return plan
            }
            if privacy.onViolation != .reroute || zone == constraints.privacy {
                throw APIError(
                    status: 403, type: "permission_error", code: "privacy_policy", param: "model",
                    message: "'\(entry.id)' is a \(entry.deployment.rawValue) model, and \(why). Use \"auto\" or a \(zone.rawValue) model.")
            }
        }
        if let route, let cascade = route.cascade {
            return try plan(request, route: route.name, cascade: cascade, constraints: constraints, key: key, onViolation: route.onViolation ?? privacy.onViolation)
        }
        let features = extractor(for: target).features(of: request, embedding: embedding, scanned: scanned)
        var allowed: Set<String>? = if let route {
            route.models.isEmpty ? nil : Set(route.models)
        } else {
            autoModels.isEmpty ? nil : Set(autoModels)
        }
        // `auto` chooses only among the models the key may use.
        if let keyModels = key?.policy.models { allowed = allowed.map { $0.intersection(keyModels) } ?? Set(keyModels) }
        let decision = router.decide(features: features, constraints: constraints, allowed: allowed, unhealthy: unhealthy(), privacy: privacy,
            observed: latency.snapshot(), budget: key?.budget, degraded: quality.snapshot())
        let candidates = decision.order.compactMap { catalog[$0] }
        guard !candidates.isEmpty else {
            let onlyHealthFailed = !decision.excluded.isEmpty && decision.excluded.allSatisfy { $0.reason.isHealth }
            if let budget = key?.budget, decision.excluded.contains(where: { $0.reason.isBudget }) {
                let cheapest = decision.excluded.compactMap { e -> Double? in
                    if case .budget(let worst, _) = e.reason { return worst }
                    return nil
                }.min()
                throw budget.insufficient(cheapestUSD: cheapest)
            }
            if !onlyHealthFailed, let fallbackModel, let entry = catalog[fallbackModel], decision.constraints.privacy.admits(entry.deployment),
               key.map({ $0.policy.allows(model: fallbackModel, isRoute: false) && $0.budget?.exclusion(entry) == nil }) ?? true {
                return Plan(
                    candidates: [entry], decision: decision, shortForm: "model=\(entry.id); rule=policy fallback (no model met the constraints)",
                    cascade: nil, zone: decision.constraints.privacy, piiFields: features.piiFields, piiScanned: true)
            }
            let reasons = decision.excluded.map { "\($0.model): \($0.reason)" }.joined(separator: "; ")
            throw APIError(
                status: onlyHealthFailed ? 503 : 422, type: onlyHealthFailed ? "service_unavailable" : "invalid_request_error",
                code: "no_feasible_model",
                message: "No model meets this request's constraints. \(reasons.isEmpty ? "The catalog has no models." : reasons)")
        }
        return Plan(
            candidates: candidates, decision: decision, shortForm: decision.shortForm, zone: decision.constraints.privacy, piiFields: features.piiFields,
            piiScanned: true)
    }

    /// The zone the request's content binds it to, why, and the fields where PII was found
    /// (``PrivacyPolicy/zone(of:requested:detector:)`` with the planner's detector).
    func sensitiveZone(_ request: ChatRequest, requested: PrivacyZone) -> ZoneVerdict {
        privacy.zone(of: request, requested: requested, detector: extractor.detector)
    }

    /// A cascade route's plan: its tiers in order, less those outside the privacy zone
    /// (the request's, narrowed by the PII policy when the prompt has PII).
    private func plan(
        _ request: ChatRequest, route: String, cascade: Cascade, constraints: Constraints, key: KeyScope?, onViolation: PIIViolationAction
    ) throws(APIError) -> Plan {
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
        let verdict = sensitiveZone(request, requested: constraints.privacy)
        let (zone, reason, fields) = (verdict.zone, verdict.reason, verdict.fields)
        let pii = reason?.pii ?? []
        var kept = cascade
        var dropped: [String] = []
        var pseudonymized: Set<String> = []
        // Only PII narrowed the zone, and everything the request carries can be scanned: placeholders can stand in.
        let maskable = !pii.isEmpty && (reason?.unscannable.isEmpty ?? true)
        kept.tiers = cascade.tiers.filter { tier in
            guard let entry = catalog[tier.model] else {
                dropped.append("\(tier.model)(unavailable)")  // e.g. its API key is not set
                return false
            }
            guard zone.admits(entry.deployment) else {
                if maskable, tier.pseudonymize || onViolation == .pseudonymize, constraints.privacy.admits(entry.deployment) {
                    if let key, !key.policy.allows(model: tier.model, isRoute: false) {
                        dropped.append("\(tier.model)(not allowed for this key)")
                        return false
                    }
                    pseudonymized.insert(tier.model)
                    return true
                }
                dropped.append("\(tier.model)(outside \(zone.rawValue))")
                return false
            }
            if let key, !key.policy.allows(model: tier.model, isRoute: false) {
                dropped.append("\(tier.model)(not allowed for this key)")
                return false
            }
            return true
        }
        var parts = ["route=\(route)", "rule=cascade", "tiers=\(kept.tiers.map(\.model).joined(separator: ">"))"]
        if !pii.isEmpty { parts.append("pii=\(pii.map(\.rawValue).joined(separator: "+"))") }
        if let unscannable = reason?.unscannable, !unscannable.isEmpty { parts.append("unscannable=\(unscannable.joined(separator: "+"))") }
        if zone != .any { parts.append("zone=\(zone.rawValue)") }
        if !pseudonymized.isEmpty { parts.append("pseudonymized=\(kept.tiers.map(\.model).filter(pseudonymized.contains).joined(separator: ","))") }
        if !dropped.isEmpty { parts.append("dropped=\(dropped.joined(separator: ","))") }
        guard !kept.tiers.isEmpty else {
            let outside = dropped.contains { $0.hasSuffix("(outside \(zone.rawValue))") }
            throw APIError(
                status: outside ? 403 : 503, type: outside ? "permission_error" : "service_unavailable",
                code: outside ? "privacy_policy" : "model_unavailable", param: "model",
                message: "No tier of cascade '\(route)' may serve this request: \(dropped.joined(separator: ", "))"
                    + (reason.map { "; \($0), and policy requires \(zone.rawValue) models for such requests." } ?? "."))
        }
        var plan = Plan(
            candidates: kept.tiers.compactMap { catalog[$0.model] }, decision: nil, shortForm: parts.joined(separator: "; "), cascade: kept,
            zone: zone, piiFields: fields, piiScanned: verdict.scanned)
        plan.pseudonymized = pseudonymized
        return plan
    }
}
