import Foundation
import FrontierCore
import GRDB

/// Keys and budgets in the embedded ledger's SQLite file. A write transaction
/// in SQLite is exclusive, so a lease's check and grant are one atomic step.
struct SQLiteKeyStore: KeyStore {
    let pool: DatabasePool

    func insert(_ key: APIKeyRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO api_keys (id, name, secret_sha256, policy, created_ms, updated_ms, revoked_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [key.id, key.name, key.secretSHA256, KeyRows.policyText(key), key.createdMs, key.updatedMs, key.revokedMs])
        }
    }

    func update(_ key: APIKeyRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE api_keys SET name = ?, policy = ?, updated_ms = ?, revoked_ms = ? WHERE id = ?",
                arguments: [key.name, KeyRows.policyText(key), key.updatedMs, key.revokedMs, key.id])
        }
    }

    func keys() async throws -> [APIKeyRecord] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_ms, id").compactMap(Self.key) }
    }

    func key(id: String) async throws -> APIKeyRecord? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE id = ?", arguments: [id]).flatMap(Self.key) }
    }

    func key(secretSHA256: String) async throws -> APIKeyRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE secret_sha256 = ?", arguments: [secretSHA256]).flatMap(Self.key)
        }
    }

    static func key(_ row: Row) -> APIKeyRecord? {
        KeyRows.record(id: row["id"], name: row["name"], secret: row["secret_sha256"], policy: row["policy"],
                       created: row["created_ms"], updated: row["updated_ms"], revoked: row["revoked_ms"])
    }

    func lease(key: String, periodStartMs: Int64, budget: Int64, amount: Int64, instance: String) async throws -> (granted: Int64, free: Int64) {
        let now = KeyRows.nowMs()
        return try await pool.write { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT spent_nusd, leased_nusd FROM key_budgets WHERE key_id = ? AND period_start_ms = ?", arguments: [key, periodStartMs])
            let spent: Int64 = row?["spent_nusd"] ?? 0, leased: Int64 = row?["leased_nusd"] ?? 0
            let free = max(0, budget - spent - leased)
            let granted = min(max(0, amount), free)
            guard granted > 0 else { return (0, free) }
            try db.execute(sql: """
                INSERT INTO key_budgets (key_id, period_start_ms, leased_nusd) VALUES (?, ?, ?)
                ON CONFLICT (key_id, period_start_ms) DO UPDATE SET leased_nusd = leased_nusd + excluded.leased_nusd
                """, arguments: [key, periodStartMs, granted])
            try db.execute(sql: """
                INSERT INTO key_leases (key_id, period_start_ms, instance, leased_nusd, renewed_ms) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (key_id, period_start_ms, instance) DO UPDATE SET leased_nusd = leased_nusd + excluded.leased_nusd, renewed_ms = excluded.renewed_ms
                """, arguments: [key, periodStartMs, instance, granted, now])
            return (granted, free - granted)
        }
    }

    func settle(key: String, periodStartMs: Int64, spent: Int64, released: Int64, instance: String) async throws {
        let now = KeyRows.nowMs()
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO key_budgets (key_id, period_start_ms, spent_nusd) VALUES (?, ?, ?)
                ON CONFLICT (key_id, period_start_ms) DO UPDATE SET spent_nusd = spent_nusd + excluded.spent_nusd, leased_nusd = MAX(0, leased_nusd - ?)
                """, arguments: [key, periodStartMs, spent, released])
            try db.execute(
                sql: "UPDATE key_leases SET leased_nusd = MAX(0, leased_nusd - ?), renewed_ms = ? WHERE key_id = ? AND period_start_ms = ? AND instance = ?",
                arguments: [released, now, key, periodStartMs, instance])
        }
    }

    func budget(key: String, periodStartMs: Int64) async throws -> (spent: Int64, leased: Int64) {
        try await pool.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT spent_nusd, leased_nusd FROM key_budgets WHERE key_id = ? AND period_start_ms = ?", arguments: [key, periodStartMs])
            return (row?["spent_nusd"] ?? 0, row?["leased_nusd"] ?? 0)
        }
    }
}

/// Rows of `api_keys` into records, for both stores.
enum KeyRows {
    static func record(id: String, name: String, secret: String, policy: String, created: Int64, updated: Int64, revoked: Int64?) -> APIKeyRecord? {
        guard let json = (try? JSONParser.parse(policy))?.objectValue, let policy = try? KeyPolicy(json: json) else { return nil }
        return APIKeyRecord(id: id, name: name, secretSHA256: secret, policy: policy, createdMs: created, updatedMs: updated, revokedMs: revoked)
    }

    static func policyText(_ key: APIKeyRecord) -> String {
        JSONValue.object(key.policy.json).jsonString
    }

    static func nowMs() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
