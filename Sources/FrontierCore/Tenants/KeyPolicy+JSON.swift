import Foundation

/// A tenant's API key as the gateway keeps it: never the secret, only its SHA-256.
public struct APIKeyRecord: Sendable, Equatable {
    /// `key_` and 12 hex digits of the secret's SHA-256: the id the ledger records and reports group by.
    public var id: String
    public var name: String
    public var secretSHA256: String
    public var policy: KeyPolicy
    public var createdMs: Int64
    public var updatedMs: Int64
    public var revokedMs: Int64?

    public init(id: String, name: String, secretSHA256: String, policy: KeyPolicy, createdMs: Int64, updatedMs: Int64, revokedMs: Int64? = nil) {
        self.id = id
        self.name = name
        self.secretSHA256 = secretSHA256
        self.policy = policy
        self.createdMs = createdMs
        self.updatedMs = updatedMs
        self.revokedMs = revokedMs
    }

    /// Whether the key may be used at `nowMs`.
    public func isActive(at nowMs: Int64) -> Bool {
        revokedMs == nil && (policy.expiresAtMs.map { nowMs < $0 } ?? true)
    }

    /// The key as the admin API shows it: everything but the secret, which it never has.
    public var json: JSONValue {
        var o: JSONObject = ["id": .string(id), "name": .string(name), "created_at": .string(ISOTime.string(ms: createdMs))]
        if let revokedMs { o["revoked_at"] = .string(ISOTime.string(ms: revokedMs)) }
        for (k, v) in policy.json { o[k] = v }
        return .object(o)
    }
}

extension KeyPolicy {
    public var json: JSONObject {
        var o: JSONObject = ["privacy": .string(privacy.rawValue), "budget_period": .string(budgetPeriod.rawValue)]
        if let models { o["models"] = .array(models.map(JSONValue.string)) }
        if let routes { o["routes"] = .array(routes.map(JSONValue.string)) }
        if let objective { o["objective"] = .string(objective.rawValue) }
        if let budgetUSD { o["budget_usd"] = .double(budgetUSD) }
        if let rpm { o["rpm"] = .int(Int64(rpm)) }
        if let tpm { o["tpm"] = .int(Int64(tpm)) }
        if let expiresAtMs { o["expires_at"] = .string(ISOTime.string(ms: expiresAtMs)) }
        var ceilings: JSONObject = [:]
        if let maxCostUSD { ceilings["max_cost_usd"] = .double(maxCostUSD) }
        if let maxLatencyMs { ceilings["max_latency_ms"] = .double(maxLatencyMs) }
        if !ceilings.isEmpty { o["max_constraints"] = .object(ceilings) }
        return o
    }

    /// Reads the admin API's fields over `base` (all of them for a new key, the changed ones for PATCH).
    /// Throws naming the field and what it must be.
    public init(json: JSONObject, over base: KeyPolicy = KeyPolicy()) throws(RequestValidationError) {
        self = base
        func fail(_ field: String, _ message: String) -> RequestValidationError { RequestValidationError(param: field, message: "'\(field)' \(message)") }
        func strings(_ field: String) throws(RequestValidationError) -> [String]? {
            guard let value = json[field], !value.isNull else { return nil }
            guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else { throw fail(field, "must be an array of strings.") }
            return items.compactMap(\.stringValue)
        }
        func positive(_ field: String, _ value: JSONValue?, integer: Bool) throws(RequestValidationError) -> Double? {
            guard let value, !value.isNull else { return nil }
            guard let d = value.doubleValue, d.isFinite, d >= 0, d <= 1e9, !integer || d == d.rounded() else {
                throw fail(field, integer ? "must be a whole number from 0 to 10^9." : "must be a number from 0 to 10^9.")
            }
            return d
        }
        if json["models"] != nil { models = try strings("models") }
        if json["routes"] != nil { routes = try strings("routes") }
        if let value = json["privacy"], !value.isNull {
            guard let zone = value.stringValue.flatMap(PrivacyZone.init(rawValue:)) else { throw fail("privacy", "must be any, on-prem or local.") }
            privacy = zone
        }
        if let value = json["objective"], !value.isNull {
            guard let objective = value.stringValue.flatMap(Objective.init(rawValue:)) else { throw fail("objective", "must be cheapest, balanced or best.") }
            self.objective = objective
        }
        if json["budget_usd"] != nil { budgetUSD = try positive("budget_usd", json["budget_usd"], integer: false) }
        if let value = json["budget_period"], !value.isNull {
            guard let period = value.stringValue.flatMap(Period.init(rawValue:)) else { throw fail("budget_period", "must be day, week, month or total.") }
            budgetPeriod = period
        }
        if json["rpm"] != nil { rpm = try positive("rpm", json["rpm"], integer: true).map { Int($0) } }
        if json["tpm"] != nil { tpm = try positive("tpm", json["tpm"], integer: true).map { Int($0) } }
        if let value = json["expires_at"] {
            if value.isNull {
                expiresAtMs = nil
            } else {
                guard let text = value.stringValue, let ms = ISOTime.ms(text) else { throw fail("expires_at", "must be an ISO 8601 time, like 2027-01-01T00:00:00Z.") }
                expiresAtMs = ms
            }
        }
        if let value = json["max_constraints"] {
            if value.isNull {
                maxCostUSD = nil
                maxLatencyMs = nil
            } else {
                guard let ceilings = value.objectValue else { throw fail("max_constraints", "must be an object {max_cost_usd, max_latency_ms}.") }
                for key in ceilings.keys where key != "max_cost_usd" && key != "max_latency_ms" {
                    throw fail("max_constraints.\(key)", "is not a ceiling Frontier knows: use max_cost_usd or max_latency_ms.")
                }
                if ceilings["max_cost_usd"] != nil { maxCostUSD = try positive("max_constraints.max_cost_usd", ceilings["max_cost_usd"], integer: false) }
                if ceilings["max_latency_ms"] != nil { maxLatencyMs = try positive("max_constraints.max_latency_ms", ceilings["max_latency_ms"], integer: false) }
            }
        }
    }
}

/// ISO 8601 times (UTC) for the admin API.
public enum ISOTime {
    public static func string(ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    public static func ms(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970 * 1000) }
    }
}
