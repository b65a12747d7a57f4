public import FrontierCore

/// One model's expected quality, cost and latency for a request.
public struct CandidateEstimate: Sendable, Hashable {
    public var model: String
    public var quality: Double
    public var costUSD: Double
    public var latencyMs: Double

    public init(model: String, quality: Double, costUSD: Double, latencyMs: Double) {
        self.model = model
        self.quality = quality
        self.costUSD = costUSD
        self.latencyMs = latencyMs
    }
}

/// The router's choice and everything that explains it.
public struct Decision: Sendable {
    /// Models to try, best first; the rest are the fallback order.
    public var order: [String]
    public var rule: SelectionRule
    public var features: RequestFeatures
    public var constraints: Constraints
    public var estimates: [CandidateEstimate]
    /// Model id -> why it could not serve this request.
    public var excluded: [(model: String, reason: Exclusion)]
    /// Models on the cost/quality frontier among the feasible ones.
    public var frontier: [String]

    public var chosen: String? { order.first }

    /// The `x-frontier-decision` header: short, and never a PII value.
    public var shortForm: String {
        var parts = ["model=\(chosen ?? "none")", "rule=\(rule)"]
        if let domain = features.domain?.domain, !domain.isEmpty { parts.append("domain=\(domain)") }
        if !features.pii.isEmpty {
            parts.append("pii=\(features.piiCategories.map(\.rawValue).joined(separator: "+"))")
        }
        if constraints.privacy != .any { parts.append("zone=\(constraints.privacy.rawValue)") }
        if !excluded.isEmpty { parts.append("excluded=\(excluded.count)") }
        if let signal = features.signal { parts.append("signal=\(signal.rawValue)") }
        switch features.embedding {
        case .used(let ms)?: parts.append("embedding=\(Self.milliseconds(ms))")
        case .fellBack(_, let ms)?: parts.append("embedding=unavailable(\(Self.milliseconds(ms)))")
        case nil: break
        }
        return parts.joined(separator: "; ")
    }

    static func milliseconds(_ ms: Double) -> String {
        guard ms.isFinite else { return "?ms" }
        let tenths = Int((min(max(ms, 0), 1e9) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)ms"
    }

    /// The full form, for `POST /v1/route` and `frontier route --explain`.
    public var json: JSONValue {
        var features: JSONObject = [
            "prompt_tokens": .int(Int64(self.features.promptTokens)),
            "expected_output_tokens": .int(Int64(self.features.expectedOutputTokens)),
            "pii": .array(self.features.piiCategories.map { .string($0.rawValue) }),
            // Where each category was found (the field, never the value), and what could not be scanned.
            "pii_fields": .array(self.features.piiFields.map { ["category": .string($0.category.rawValue), "field": .string($0.field)] }),
            "unscannable": .array(self.features.unscannable.map { ["field": .string($0.path), "kind": .string($0.kind)] }),
            "has_code": .bool(self.features.hasCode),
            "has_math": .bool(self.features.hasMath),
        ]
        if let domain = self.features.domain {
            features["domain"] = ["name": .string(domain.domain), "confidence": .double(domain.confidence)]
        }
        // What the fitted plan read for this domain at the router's λ.
        if let signal = self.features.signal { features["signal"] = .string(signal.rawValue) }
        switch self.features.embedding {
        case .used(let ms)?: features["embedding"] = ["used": .bool(true), "milliseconds": .double(ms)]
        case .fellBack(let reason, let ms)?: features["embedding"] = ["used": .bool(false), "reason": .string(reason), "milliseconds": .double(ms)]
        case nil: break
        }
        if !self.features.expectedOutputTokensByModel.isEmpty {
            features["expected_output_tokens_by_model"] = .sortedObject(self.features.expectedOutputTokensByModel.mapValues { .int(Int64($0)) })
        }
        return [
            "chosen": chosen.map(JSONValue.string) ?? .null,
            "order": .array(order.map(JSONValue.string)),
            "rule": .string(rule.description),
            "features": .object(features),
            "constraints": [
                "privacy": .string(constraints.privacy.rawValue),
                "objective": .string(constraints.objective.rawValue),
                "max_cost_usd": constraints.maxCostUSD.map(JSONValue.double) ?? .null,
                "max_latency_ms": constraints.maxLatencyMs.map(JSONValue.double) ?? .null,
                "min_quality": constraints.minQuality.map(JSONValue.double) ?? .null,
            ],
            "candidates": .array(estimates.map { estimate in
                [
                    "model": .string(estimate.model), "expected_quality": .double(estimate.quality),
                    "expected_cost_usd": .double(estimate.costUSD), "expected_latency_ms": .double(estimate.latencyMs),
                    "on_frontier": .bool(frontier.contains(estimate.model)),
                ]
            }),
            "excluded": .array(excluded.map { ["model": .string($0.model), "reason": .string($0.reason.description)] }),
        ]
    }
}
