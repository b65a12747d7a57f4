import FrontierCore
import Logging
import PostgresNIO

/// Keys and budgets in the shared PostgreSQL ledger. A lease locks its budget
/// row (`SELECT ... FOR UPDATE`) for its transaction: instances granting
/// themselves slices at the same moment are serialised by the database.
struct PostgresKeyStore: KeyStore {
    let client: PostgresClient
    let logger: Logger

    func insert(_ key: APIKeyRecord) async throws {
        let policy = KeyRows.policyText(key)
        try await client.query("""
            INSERT INTO api_keys (id, name, secret_sha256, policy, created_ms, updated_ms, revoked_ms)
            VALUES (\(key.id), \(key.name), \(key.secretSHA256), \(policy), \(key.createdMs), \(key.updatedMs), \(key.revokedMs))
            """, logger: logger)
    }

    func update(_ key: APIKeyRecord) async throws {
        let policy = KeyRows.policyText(key)
        try await client.query(
            "UPDATE api_keys SET name = \(key.name), policy = \(policy), updated_ms = \(key.updatedMs), revoked_ms = \(key.revokedMs) WHERE id = \(key.id)",
            logger: logger)
    }

    func keys() async throws -> [APIKeyRecord] {
        try await fetch(client.query("SELECT id, name, secret_sha256, policy, created_ms, updated_ms, revoked_ms FROM api_keys ORDER BY created_ms, id", logger: logger))
    }

    func key(id: String) async throws -> APIKeyRecord? {
        try await fetch(client.query("SELECT id, name, secret_sha256, policy, created_ms, updated_ms, revoked_ms FROM api_keys WHERE id = \(id)", logger: logger)).first
    }

    func key(secretSHA256: String) async throws -> APIKeyRecord? {
        try await fetch(client.query(
            "SELECT id, name, secret_sha256, policy, created_ms, updated_ms, revoked_ms FROM api_keys WHERE secret_sha256 = \(secretSHA256)", logger: logger)).first
    }

    private func fetch(_ rows: PostgresRowSequence) async throws -> [APIKeyRecord] {
        var out: [APIKeyRecord] = []
        for try await (id, name, secret, policy, created, updated, revoked) in rows.decode((String, String, String, String, Int64, Int64, Int64?).self) {
            if let record = KeyRows.record(id: id, name: name, secret: secret, policy: policy, created: created, updated: updated, revoked: revoked) { out.append(record) }
        }
        return out
    }

    func lease(key: String, periodStartMs: Int64, budget: Int64, amount: Int64, instance: String) async throws -> (granted: Int64, free: Int64) {
        let now = KeyRows.nowMs()
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            // The row exists before it is locked, so two first leases cannot both read "nothing spent".
            try await connection.query(
                "INSERT INTO key_budgets (key_id, period_start_ms) VALUES (\(key), \(periodStartMs)) ON CONFLICT DO NOTHING", logger: logger)
            let rows = try await connection.query(
                "SELECT spent_nusd, leased_nusd FROM key_budgets WHERE key_id = \(key) AND period_start_ms = \(periodStartMs) FOR UPDATE", logger: logger)
            var spent: Int64 = 0, leased: Int64 = 0
            for try await (s, l) in rows.decode((Int64, Int64).self) { (spent, leased) = (s, l) }
            let free = max(0, budget - spent - leased)
            let granted = min(max(0, amount), free)
            guard granted > 0 else { return (0, free) }
            try await connection.query(
                "UPDATE key_budgets SET leased_nusd = leased_nusd + \(granted) WHERE key_id = \(key) AND period_start_ms = \(periodStartMs)", logger: logger)
            try await connection.query("""
                INSERT INTO key_leases (key_id, period_start_ms, instance, leased_nusd, renewed_ms) VALUES (\(key), \(periodStartMs), \(instance), \(granted), \(now))
                ON CONFLICT (key_id, period_start_ms, instance) DO UPDATE SET leased_nusd = key_leases.leased_nusd + EXCLUDED.leased_nusd, renewed_ms = EXCLUDED.renewed_ms
                """, logger: logger)
            return (granted, free - granted)
        }
    }

    func settle(key: String, periodStartMs: Int64, spent: Int64, released: Int64, instance: String) async throws {
        let now = KeyRows.nowMs()
        let logger = self.logger
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("""
                INSERT INTO key_budgets (key_id, period_start_ms, spent_nusd) VALUES (\(key), \(periodStartMs), \(spent))
                ON CONFLICT (key_id, period_start_ms) DO UPDATE
                SET spent_nusd = key_budgets.spent_nusd + EXCLUDED.spent_nusd, leased_nusd = GREATEST(0, key_budgets.leased_nusd - \(released))
                """, logger: logger)
            try await connection.query("""
                UPDATE key_leases SET leased_nusd = GREATEST(0, leased_nusd - \(released)), renewed_ms = \(now)
                WHERE key_id = \(key) AND period_start_ms = \(periodStartMs) AND instance = \(instance)
                """, logger: logger)
        }
    }

    func budget(key: String, periodStartMs: Int64) async throws -> (spent: Int64, leased: Int64) {
        let rows = try await client.query(
            "SELECT spent_nusd, leased_nusd FROM key_budgets WHERE key_id = \(key) AND period_start_ms = \(periodStartMs)", logger: logger)
        for try await (spent, leased) in rows.decode((Int64, Int64).self) { return (spent, leased) }
        return (0, 0)
    }
}
