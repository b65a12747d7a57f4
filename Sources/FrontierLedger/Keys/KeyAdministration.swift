public import FrontierCore

/// The operations of `/admin/keys` and `frontier keys`, in one place: JSON
/// in, JSON out, errors as ``APIError`` naming the field to fix.
///
/// ```swift
/// let admin = KeyAdministration(store: ledger.keyStore)
/// let created = try await admin.create(["name": "billing", "budget_usd": 10])  // {"id", "key", ...}
/// ```
public struct KeyAdministration: Sendable {
    public let store: any KeyStore
    /// What this instance holds of a key's budget beyond the store (its lease, reservations, unwritten spending).
    public var local: @Sendable (_ key: String, _ periodStartMs: Int64) -> BudgetLease?
    public var now: @Sendable () -> Int64

    public static let fields: Set<String> = [
        "name", "models", "routes", "privacy", "objective", "budget_usd", "budget_period", "rpm", "tpm", "expires_at", "max_constraints",
    ]

    public init(
        store: any KeyStore, local: @escaping @Sendable (String, Int64) -> BudgetLease? = { _, _ in nil },
        now: (@Sendable () -> Int64)? = nil
    ) {
        self.store = store
        self.local = local
        self.now = now ?? { KeyRows.nowMs() }
    }

    /// `POST /admin/keys`: the new key, its secret (`key`) shown this once.
    public func create(_ body: JSONObject) async throws(APIError) -> (APIKeyRecord, JSONValue) {
        try Self.checkFields(body)
        let name = try Self.name(body, required: true) ?? ""
        let policy: KeyPolicy
        do { policy = try KeyPolicy(json: body) } catch { throw .invalidRequest(error) }
        let (record, secret) = KeySecret.record(name: name, policy: policy, nowMs: now())
        try await storage { try await store.insert(record) }
        guard case .object(var json) = record.json else { return (record, record.json) }
        json["key"] = .string(secret)
        return (record, .object(json))
    }

    /// `GET /admin/keys`: every key, never a secret.
    public func list() async throws(APIError) -> JSONValue {
        let keys = try await storage { try await store.keys() }
        return ["object": "list", "data": .array(keys.map(\.json))]
    }

    /// `GET /admin/keys/{id}`: the key and its budget for the current period.
    public func show(_ id: String) async throws(APIError) -> JSONValue {
        let key = try await existing(id)
        guard case .object(var json) = key.json else { return key.json }
        let nowMs = now()
        let start = key.policy.budgetPeriod.start(of: nowMs)
        let (spent, leased) = try await storage { try await store.budget(key: key.id, periodStartMs: start) }
        // This instance's unwritten spending is spent; its free slice is not reserved by anyone.
        let lease = local(key.id, start) ?? BudgetLease()
        let spentNow = spent + lease.unflushed
        let reserved = max(0, leased - lease.unflushed - lease.available)
        var budget: JSONObject = [
            "period_start": .string(ISOTime.string(ms: start)), "spent_usd": .double(Nanodollars.usd(spentNow)),
            "reserved_usd": .double(Nanodollars.usd(reserved)),
        ]
        if let limit = key.policy.budgetUSD {
            budget["remaining_usd"] = .double(Nanodollars.usd(max(0, Nanodollars.up(limit) - spentNow - reserved)))
        }
        json["budget"] = .object(budget)
        for (k, v) in budget { json[k] = v }
        json["active"] = .bool(key.isActive(at: nowMs))
        return .object(json)
    }

    /// `PATCH /admin/keys/{id}`: the fields given replace the key's; null clears one.
    public func update(_ id: String, _ body: JSONObject) async throws(APIError) -> (APIKeyRecord, JSONValue) {
        try Self.checkFields(body)
        var key = try await existing(id)
        guard key.revokedMs == nil else {
            throw APIError(status: 409, type: "invalid_request_error", code: "key_revoked", message: "Key '\(id)' is revoked; create a new key instead.")
        }
        if let name = try Self.name(body, required: false) { key.name = name }
        do { key.policy = try KeyPolicy(json: body, over: key.policy) } catch { throw .invalidRequest(error) }
        key.updatedMs = now()
        try await storage { [key] in try await store.update(key) }
        return (key, key.json)
    }

    /// `DELETE /admin/keys/{id}`: revoked for good (the record stays, for the ledger's sake).
    public func revoke(_ id: String) async throws(APIError) -> (APIKeyRecord, JSONValue) {
        var key = try await existing(id)
        if key.revokedMs == nil {
            key.revokedMs = now()
            key.updatedMs = key.revokedMs ?? key.updatedMs
            try await storage { [key] in try await store.update(key) }
        }
        return (key, key.json)
    }

    private func existing(_ id: String) async throws(APIError) -> APIKeyRecord {
        guard let key = try await storage({ try await store.key(id: id) }) else {
            throw APIError(status: 404, type: "invalid_request_error", code: "key_not_found", param: "id", message: "No key has the id '\(id)'; GET /admin/keys lists them.")
        }
        return key
    }

    private func storage<T>(_ body: () async throws -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch {
            throw APIError(status: 503, type: "service_unavailable", code: "storage_unavailable", message: "The key store failed: \(SecretRedactor().redact(String(describing: error)))")
        }
    }

    static func checkFields(_ body: JSONObject) throws(APIError) {
        for field in body.keys where !fields.contains(field) {
            throw APIError(
                status: 400, type: "invalid_request_error", code: "unknown_parameter", param: field,
                message: "'\(field)' is not a key field. Send any of: \(fields.sorted().joined(separator: ", ")).")
        }
    }

    static func name(_ body: JSONObject, required: Bool) throws(APIError) -> String? {
        guard let value = body["name"] else {
            if required { throw APIError(status: 400, type: "invalid_request_error", code: "missing_parameter", param: "name", message: "'name' is required: say whose key this is.") }
            return nil
        }
        guard let name = value.stringValue, !name.isEmpty, name.utf8.count <= 256, !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw APIError(status: 400, type: "invalid_request_error", code: "invalid_value", param: "name", message: "'name' must be a string of 1 to 256 bytes without control characters.")
        }
        return name
    }
}
