import FrontierCore
import FrontierRouting

/// Bodies of `GET /v1/models` and `GET /healthz`, built once at start-up.
enum CatalogEndpoints {
    static func models(_ catalog: ModelCatalog, routes: [String] = []) -> JSONValue {
        var data: [JSONValue] = [["id": .string(RoutePlanner.automatic), "object": "model", "created": 0, "owned_by": "frontier"]]
        for route in routes.sorted() {
            data.append(["id": .string(route), "object": "model", "created": 0, "owned_by": "frontier-route"])
        }
        for model in catalog.models {
            var entry: [String: JSONValue] = [
                "id": .string(model.id), "object": "model", "created": 0, "owned_by": .string(model.provider.rawValue),
                "deployment": .string(model.deployment.rawValue),
                "price": ["input_per_mtok": .double(model.price.inputPerMTok), "output_per_mtok": .double(model.price.outputPerMTok)],
            ]
            if let window = model.contextWindow { entry["context_window"] = .int(Int64(window)) }
            data.append(.object(entry))
        }
        return ["object": "list", "data": .array(data)]
    }

    static func health(_ catalog: ModelCatalog) -> JSONValue {
        [
            "status": "ok",
            "models": .array(catalog.models.map { .string($0.id) }),
            "unavailable": .array(catalog.unavailable.map { ["id": .string($0.id), "reason": .string($0.reason)] }),
        ]
    }
}
