import FrontierCore
import FrontierRouting

/// Bodies of `GET /v1/models` and `GET /healthz`, built once at start-up.
enum CatalogEndpoints {
    /// - Parameter policy: a key's policy: only the models and routes it may use are listed.
    static func models(_ catalog: ModelCatalog, routes: [String] = [], policy: KeyPolicy? = nil) -> JSONValue {
        var data: [JSONValue] = [["id": .string(RoutePlanner.automatic), "object": "model", "created": 0, "owned_by": "frontier"]]
        for route in routes.sorted() where policy?.allows(model: route, isRoute: true) ?? true {
            data.append(["id": .string(route), "object": "model", "created": 0, "owned_by": "frontier-route"])
        }
        for model in catalog.models where policy?.allows(model: model.id, isRoute: false) ?? true {
            var entry: JSONObject = [
                "id": .string(model.id), "object": "model", "created": 0, "owned_by": .string(model.provider.rawValue),
                "kind": .string(model.kind.rawValue), "deployment": .string(model.deployment.rawValue),
                "price": ["input_per_mtok": .double(model.price.inputPerMTok), "output_per_mtok": .double(model.price.outputPerMTok)],
            ]
            if let window = model.contextWindow { entry["context_window"] = .int(Int64(window)) }
            data.append(.object(entry))
        }
        return ["object": "list", "data": .array(data)]
    }

    /// The model list with each catalog model's reported identity under `x_frontier.identity` (when one was seen).
    static func withIdentities(_ list: JSONValue, _ identities: [String: JSONValue]) -> JSONValue {
        guard !identities.isEmpty, case .object(var o) = list, let data = o["data"]?.arrayValue else { return list }
        o["data"] = .array(data.map { entry in
            guard case .object(var e) = entry, let id = e["id"]?.stringValue, let identity = identities[id] else { return entry }
            e["x_frontier"] = ["identity": identity]
            return .object(e)
        })
        return .object(o)
    }

    /// `GET /healthz`, built for each call from the breakers' live state: every
    /// model with its circuit, the unavailable ones with why. The gateway itself
    /// is up whenever this answers (200); `degraded` says some upstream is not
    /// taking calls, `no_model` that none is.
    static func health(
        _ catalog: ModelCatalog, breakers: CircuitBreakers, identities: [String: JSONValue] = [:],
        degraded: [String: QualityAdjustments.Mark] = [:], now: ContinuousClock.Instant = .now
    ) -> JSONValue {
        var resting = 0
        let models: [JSONValue] = catalog.models.map { model in
            var entry: JSONObject = ["id": .string(model.id)]
            if let identity = identities[model.id] { entry["identity"] = identity }
            if let pinned = model.identity.pinned { entry["expect_identity"] = .string(pinned) }
            if let mark = degraded[model.id] {
                entry["degraded"] = ["quality_drop": .double((mark.drop * 10_000).rounded() / 10_000), "signal": .string(mark.signal), "since_ms": .int(mark.sinceMs)]
            }
            switch breakers.state(of: model.id) {
            case .closed:
                entry["circuit"] = "closed"
            case .open(let until) where until > now:
                resting += 1
                entry["circuit"] = "open"
                entry["retry_in_ms"] = .int(Int64((until - now).milliseconds.wholeMilliseconds))
            case .open:
                entry["circuit"] = "half-open"  // due for a probe
            case .halfOpen:
                entry["circuit"] = "half-open"
            }
            return .object(entry)
        }
        let status = resting == 0 ? "ok" : resting == catalog.models.count ? "no_model" : "degraded"
        return [
            "status": .string(catalog.models.isEmpty ? "no_model" : status),
            "models": .array(models),
            "unavailable": .array(catalog.unavailable.map { ["id": .string($0.id), "reason": .string($0.reason)] }),
        ]
    }
}
