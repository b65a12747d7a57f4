public import FrontierCore

extension RoutePlanner {
    /// The embedding models to try for a `/v1/embeddings` request (its inputs as `request`'s messages, for the PII
    /// decision): a named one if it is an embedding model the key may use, inside the request's zone and the budget;
    /// for `auto` every such model, cheapest input price first (the local one first among equals). Personal data in
    /// the inputs narrows the zone as it does for chat: embeddings of a patient record are as sensitive as the record.
    public func planEmbedding(
        _ request: ChatRequest, constraints: Constraints, unhealthy: [String: String] = [:], key: KeyScope? = nil
    ) throws(APIError) -> Plan {
        let target = try target(for: request.model, key: key, kind: .embedding)
        let verdict = sensitiveZone(request, requested: constraints.privacy)
        let (zone, reason, fields) = (verdict.zone, verdict.reason, verdict.fields)
        let embeddingModels = catalog.models.filter { $0.kind == .embedding }
        if case .model(let entry) = target {
            if let budget = key?.budget, budget.exclusion(entry) != nil { throw budget.insufficient(cheapestUSD: budget.worstCaseUSD(entry)) }
            guard zone.admits(entry.deployment) else {
                let why = reason.map { "\($0) and policy sends such requests to \(zone.rawValue) models only" } ?? "the request asks for \(zone.rawValue) models"
                throw APIError(
                    status: 403, type: "permission_error", code: "privacy_policy", param: "model",
                    message: "'\(entry.id)' is a \(entry.deployment.rawValue) model, and \(why). Use \"auto\" or a \(zone.rawValue) embedding model.")
            }
            return Plan(
                target: target, candidates: [entry], decision: nil, shortForm: "model=\(entry.id); rule=requested", zone: zone, piiFields: fields,
                piiScanned: verdict.scanned, routerVersion: routerVersion)
        }
        var reasons: [(model: String, reason: String)] = []
        var candidates: [ModelEntry] = []
        for entry in embeddingModels {
            if let key, !key.policy.allows(model: entry.id, isRoute: false) {
                reasons.append((entry.id, "not allowed for this key"))
            } else if !zone.admits(entry.deployment) {
                reasons.append((entry.id, "\(entry.deployment.rawValue), outside the \(zone.rawValue) zone" + (reason.map { " (\($0))" } ?? "")))
            } else if let why = unhealthy[entry.id] {
                reasons.append((entry.id, why))
            } else if let budget = key?.budget, let exclusion = budget.exclusion(entry) {
                reasons.append((entry.id, exclusion.description))
            } else {
                candidates.append(entry)
            }
        }
        guard !candidates.isEmpty else {
            if let budget = key?.budget, embeddingModels.contains(where: { budget.exclusion($0) != nil }) { throw budget.insufficient(cheapestUSD: nil) }
            throw embeddingModels.isEmpty
                ? APIError(status: 404, type: "invalid_request_error", code: "model_not_found", param: "model", message: "This gateway's catalog has no embedding models (kind: embedding).")
                : APIError.noModelAvailable(reasons: reasons)
        }
        candidates.sort { a, b in
            if a.price.inputPerMTok != b.price.inputPerMTok { return a.price.inputPerMTok < b.price.inputPerMTok }
            let rank: [Deployment: Int] = [.local: 0, .onPrem: 1, .cloud: 2]
            if a.deployment != b.deployment { return rank[a.deployment, default: 3] < rank[b.deployment, default: 3] }
            return a.id < b.id
        }
        let short = "model=\(candidates[0].id); rule=cheapest-embedding; privacy=\(zone.rawValue)" + (fields.isEmpty ? "" : "; pii=\(Set(fields.map(\.category.rawValue)).sorted().joined(separator: ","))")
        return Plan(candidates: candidates, decision: nil, shortForm: short, zone: zone, piiFields: fields, piiScanned: verdict.scanned,
            routerVersion: routerVersion)
    }
}
