public import FrontierCore

/// The record's canonical JSON (sorted keys, compact): what is stored and hashed.
extension LedgerRecord {
    public var json: JSONValue {
        var o: JSONObject = [
            "request_id": .string(requestID), "time_ms": .int(timeMs), "route": .string(route), "status": .int(Int64(status)),
            "decision": .string(decision), "attempts": .array(attempts.map(\.json)), "pii": .array(piiCategories.map(JSONValue.string)),
            "prompt_hmac": .string(promptHMAC), "latency_ms": .double(Self.rounded(latencyMs)),
            "cost_usd": .double(costUSD), "input_tokens": .int(Int64(inputTokens)), "output_tokens": .int(Int64(outputTokens)),
        ]
        if let apiKeyID { o["api_key_id"] = .string(apiKeyID) }
        if let model { o["model"] = .string(model) }
        if let decisionDetail { o["decision_detail"] = decisionDetail }
        if let domain { o["domain"] = .string(domain) }
        if let encryptedPrompt { o["encrypted_prompt"] = .string(encryptedPrompt) }
        if let encryptedResponse { o["encrypted_response"] = .string(encryptedResponse) }
        if let kind { o["kind"] = .string(kind) }
        if let zone { o["zone"] = .string(zone) }
        if let routerVersion { o["router_version"] = .string(routerVersion) }
        if let arm { o["arm"] = .string(arm) }
        if let experiment { o["experiment"] = .string(experiment) }
        if let shadowModel { o["shadow_model"] = .string(shadowModel) }
        if let shadowVersion { o["shadow_version"] = .string(shadowVersion) }
        if let pseudonymized { o["pseudonymized"] = Self.countsJSON(pseudonymized) }
        if let door { o["door"] = .string(door) }
        return .object(o)
    }

    /// The canonical bytes, written directly in sorted key order (the same bytes as `json.canonicalSerialized()`,
    /// without building and sorting dictionaries on every request).
    public var canonical: [UInt8] {
        var w = CanonicalObjectWriter()
        if let apiKeyID { w.field("api_key_id", apiKeyID) }
        if let arm { w.field("arm", arm) }
        var attemptsBytes: [UInt8] = [UInt8(ascii: "[")]
        for (n, attempt) in attempts.enumerated() {
            if n > 0 { attemptsBytes.append(UInt8(ascii: ",")) }
            attemptsBytes.append(contentsOf: attempt.canonical)
        }
        attemptsBytes.append(UInt8(ascii: "]"))
        w.field("attempts", raw: attemptsBytes)
        w.field("cost_usd", costUSD)
        w.field("decision", decision)
        if let decisionDetail { w.field("decision_detail", decisionDetail) }
        if let domain { w.field("domain", domain) }
        if let door { w.field("door", door) }
        if let encryptedPrompt { w.field("encrypted_prompt", encryptedPrompt) }
        if let encryptedResponse { w.field("encrypted_response", encryptedResponse) }
        if let experiment { w.field("experiment", experiment) }
        w.field("input_tokens", Int64(inputTokens))
        if let kind { w.field("kind", kind) }
        w.field("latency_ms", Self.rounded(latencyMs))
        if let model { w.field("model", model) }
        w.field("output_tokens", Int64(outputTokens))
        w.field("pii", JSONValue.array(piiCategories.map(JSONValue.string)))
        w.field("prompt_hmac", promptHMAC)
        if let pseudonymized { w.field("pseudonymized", Self.countsJSON(pseudonymized)) }
        w.field("request_id", requestID)
        w.field("route", route)
        if let routerVersion { w.field("router_version", routerVersion) }
        if let shadowModel { w.field("shadow_model", shadowModel) }
        if let shadowVersion { w.field("shadow_version", shadowVersion) }
        w.field("status", Int64(status))
        w.field("time_ms", timeMs)
        if let zone { w.field("zone", zone) }
        return w.finish()
    }

    public init(json: JSONValue) throws(LedgerError) {
        func string(_ key: String) throws(LedgerError) -> String {
            guard let s = json[key]?.stringValue else { throw LedgerError.corrupt("field '\(key)' is missing or not a string") }
            return s
        }
        guard let time = json["time_ms"]?.intValue, let status = json["status"]?.intValue else {
            throw LedgerError.corrupt("fields 'time_ms' and 'status' must be integers")
        }
        var attempts: [Attempt] = []
        for a in json["attempts"]?.arrayValue ?? [] {
            guard let model = a["model"]?.stringValue, let outcome = a["outcome"]?.stringValue else { throw LedgerError.corrupt("an attempt lacks its model or outcome") }
            attempts.append(Attempt(
                model: model, upstreamModel: a["upstream_model"]?.stringValue, outcome: outcome, inputTokens: a["input_tokens"]?.intValue ?? 0,
                outputTokens: a["output_tokens"]?.intValue ?? 0, cachedInputTokens: a["cached_input_tokens"]?.intValue ?? 0,
                costUSD: a["cost_usd"]?.doubleValue ?? 0, firstTokenMs: a["first_token_ms"]?.doubleValue, latencyMs: a["latency_ms"]?.doubleValue ?? 0,
                error: a["error"]?.stringValue, errorSealed: a["error_sealed"]?.stringValue, checks: a["checks"]))
        }
        self.init(
            requestID: try string("request_id"), timeMs: Int64(time), apiKeyID: json["api_key_id"]?.stringValue, route: try string("route"),
            model: json["model"]?.stringValue, status: status, decision: try string("decision"), decisionDetail: json["decision_detail"],
            attempts: attempts, piiCategories: json["pii"]?.arrayValue?.compactMap(\.stringValue) ?? [], domain: json["domain"]?.stringValue,
            promptHMAC: try string("prompt_hmac"), latencyMs: json["latency_ms"]?.doubleValue ?? 0,
            encryptedPrompt: json["encrypted_prompt"]?.stringValue, encryptedResponse: json["encrypted_response"]?.stringValue,
            kind: json["kind"]?.stringValue, zone: json["zone"]?.stringValue, routerVersion: json["router_version"]?.stringValue,
            arm: json["arm"]?.stringValue, experiment: json["experiment"]?.stringValue, shadowModel: json["shadow_model"]?.stringValue,
            shadowVersion: json["shadow_version"]?.stringValue,
            pseudonymized: json["pseudonymized"]?.objectValue.map { o in
                Dictionary(o.compactMap { key, value in value.intValue.map { (key, Int($0)) } }, uniquingKeysWith: { a, _ in a })
            }, door: json["door"]?.stringValue)
    }

    static func countsJSON(_ counts: [String: Int]) -> JSONValue {
        JSONValue.sortedObject(counts.mapValues { JSONValue.int(Int64($0)) })
    }

    static func rounded(_ ms: Double) -> Double { (ms * 1000).rounded() / 1000 }
}

extension LedgerRecord.Attempt {
    var canonical: [UInt8] {
        var w = CanonicalObjectWriter(capacity: 192)
        if cachedInputTokens > 0 { w.field("cached_input_tokens", Int64(cachedInputTokens)) }
        if let checks { w.field("checks", checks) }
        w.field("cost_usd", costUSD)
        if let error { w.field("error", error) }
        if let errorSealed { w.field("error_sealed", errorSealed) }
        if let firstTokenMs { w.field("first_token_ms", LedgerRecord.rounded(firstTokenMs)) }
        w.field("input_tokens", Int64(inputTokens))
        w.field("latency_ms", LedgerRecord.rounded(latencyMs))
        w.field("model", model)
        w.field("outcome", outcome)
        w.field("output_tokens", Int64(outputTokens))
        if let upstreamModel { w.field("upstream_model", upstreamModel) }
        return w.finish()
    }

    public var json: JSONValue {
        var o: JSONObject = [
            "model": .string(model), "outcome": .string(outcome), "input_tokens": .int(Int64(inputTokens)),
            "output_tokens": .int(Int64(outputTokens)), "cost_usd": .double(costUSD), "latency_ms": .double(LedgerRecord.rounded(latencyMs)),
        ]
        if cachedInputTokens > 0 { o["cached_input_tokens"] = .int(Int64(cachedInputTokens)) }
        if let upstreamModel { o["upstream_model"] = .string(upstreamModel) }
        if let firstTokenMs { o["first_token_ms"] = .double(LedgerRecord.rounded(firstTokenMs)) }
        if let error { o["error"] = .string(error) }
        if let errorSealed { o["error_sealed"] = .string(errorSealed) }
        if let checks { o["checks"] = checks }
        return .object(o)
    }
}

/// What goes wrong with the ledger, said so a user can act on it.
public enum LedgerError: Error, CustomStringConvertible, Sendable {
    case corrupt(String)
    case storage(String)
    case unavailable(String)
    case configuration(String)

    public var description: String {
        switch self {
        case .corrupt(let m): "ledger record is corrupt: \(m)"
        case .storage(let m): "ledger storage: \(m)"
        case .unavailable(let m): "ledger unavailable: \(m)"
        case .configuration(let m): "ledger configuration: \(m)"
        }
    }
}
