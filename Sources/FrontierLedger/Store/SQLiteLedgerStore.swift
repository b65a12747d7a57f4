import Foundation
import FrontierCore
import GRDB

/// The embedded ledger: one SQLite file in WAL mode (GRDB), beside the config.
public final class SQLiteLedgerStore: LedgerStore {
    private let pool: DatabasePool
    private let linker: ChainLinker
    public let path: String

    /// Opens (creating and migrating) the database; a file that cannot be written is an error now, not at the first request.
    public init(path: String, linker: ChainLinker) throws {
        self.path = path
        self.linker = linker
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        do {
            // Created 0600 before SQLite opens it; its WAL and shared-memory files take the same mode.
            try PrivateFile.ensureExists(path)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            // Fails now on a read-only file or a full disk, rather than on the first request.
            try pool.write { db in try db.execute(sql: "UPDATE ledger_head SET seq = seq WHERE id = 1") }
        } catch {
            throw LedgerError.storage("cannot open \(path) for writing: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-chain") { db in
            try db.execute(sql: """
                CREATE TABLE ledger_records (
                    seq INTEGER PRIMARY KEY, request_id TEXT NOT NULL, time_ms INTEGER NOT NULL,
                    body TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL);
                CREATE INDEX ledger_records_time ON ledger_records(time_ms);
                CREATE INDEX ledger_records_request ON ledger_records(request_id);
                CREATE TABLE ledger_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
                INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '\(ChainHash.genesis)');
                CREATE TABLE ledger_checkpoints (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, mac TEXT NOT NULL);
                """)
        }
        // Tenants' keys and budgets share the database, not the chain. Money in nanodollars: exact sums.
        migrator.registerMigration("v2-keys") { db in
            try db.execute(sql: """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_sha256 TEXT NOT NULL UNIQUE, policy TEXT NOT NULL,
                    created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, revoked_ms INTEGER);
                CREATE TABLE key_budgets (
                    key_id TEXT NOT NULL, period_start_ms INTEGER NOT NULL, spent_nusd INTEGER NOT NULL DEFAULT 0, leased_nusd INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (key_id, period_start_ms));
                CREATE TABLE key_leases (
                    key_id TEXT NOT NULL, period_start_ms INTEGER NOT NULL, instance TEXT NOT NULL, leased_nusd INTEGER NOT NULL, renewed_ms INTEGER NOT NULL,
                    PRIMARY KEY (key_id, period_start_ms, instance));
                """)
        }
        // The usage sums beside the chain (UsageRollup), filled from the records already there.
        migrator.registerMigration("v3-usage") { db in
            try db.execute(sql: """
                CREATE TABLE ledger_usage (
                    bucket_ms INTEGER NOT NULL, route TEXT NOT NULL, model TEXT NOT NULL, domain TEXT NOT NULL, key_id TEXT NOT NULL,
                    status INTEGER NOT NULL, attempt_model TEXT NOT NULL, requests INTEGER NOT NULL, attempts INTEGER NOT NULL,
                    cost_nusd INTEGER NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, latency_ms REAL NOT NULL,
                    PRIMARY KEY (bucket_ms, route, model, domain, key_id, status, attempt_model));
                """)
            var sums: [UsageKey: UsageSums] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT body FROM ledger_records ORDER BY seq")
            while let row = try rows.next() {
                guard let json = try? JSONParser.parse(row["body"] as String), let entry = try? LedgerEntry(json: json) else { continue }
                UsageRollup.add(entry, to: &sums)
            }
            try addUsage(sums, db)
        }
        return migrator
    }

    /// Adds sums to their rows, creating the rows that are not there yet.
    static func addUsage(_ sums: [UsageKey: UsageSums], _ db: Database) throws {
        guard !sums.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO ledger_usage (bucket_ms, route, model, domain, key_id, status, attempt_model, requests, attempts, cost_nusd,
                input_tokens, output_tokens, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (bucket_ms, route, model, domain, key_id, status, attempt_model) DO UPDATE SET
                requests = requests + excluded.requests, attempts = attempts + excluded.attempts, cost_nusd = cost_nusd + excluded.cost_nusd,
                input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
                latency_ms = latency_ms + excluded.latency_ms
            """)
        for (k, s) in sums {
            try statement.execute(arguments: [
                k.bucketMs, k.route, k.model, k.domain, k.keyID, k.status, k.attemptModel, s.requests, s.attempts, s.costNanoUSD,
                s.inputTokens, s.outputTokens, s.latencyMs,
            ])
        }
    }

    /// The keys and budgets in this database.
    public var keyStore: any KeyStore { SQLiteKeyStore(pool: pool) }

    public func append(_ records: [LedgerEntry]) async throws -> [StoredRecord] {
        guard !records.isEmpty else { return [] }
        let linker = self.linker
        return try await pool.write { db in
            let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger_head WHERE id = 1")
            let head: (seq: Int64, hash: String) = (row?["seq"] ?? 0, row?["hash"] ?? ChainHash.genesis)
            let (stored, checkpoints) = linker.link(records, after: head)
            let insert = try db.makeStatement(sql: "INSERT INTO ledger_records (seq, request_id, time_ms, body, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?)")
            for r in stored {
                try insert.execute(arguments: [r.seq, r.requestID, r.timeMs, String(decoding: r.body, as: UTF8.self), r.previousHash, r.hash])
            }
            for c in checkpoints {
                try db.execute(sql: "INSERT INTO ledger_checkpoints (seq, hash, mac) VALUES (?, ?, ?)", arguments: [c.seq, c.hash, c.mac])
            }
            if let last = stored.last {
                try db.execute(sql: "UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1", arguments: [last.seq, last.hash])
            }
            try Self.addUsage(UsageRollup.sums(of: records), db)
            return stored
        }
    }

    public func records(fromMs: Int64?, toMs: Int64?) async throws -> [StoredRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM ledger_records WHERE time_ms >= ? AND time_ms < ? ORDER BY seq",
                arguments: [fromMs ?? Int64.min, toMs ?? Int64.max]
            ).map(Self.stored)
        }
    }

    private static func stored(_ row: Row) -> StoredRecord {
        StoredRecord(
            seq: row["seq"], requestID: row["request_id"], timeMs: row["time_ms"], body: Array((row["body"] as String).utf8),
            previousHash: row["previous_hash"], hash: row["hash"])
    }

    public func recent(limit: Int, beforeSeq: Int64?) async throws -> [StoredRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM ledger_records WHERE seq < ? ORDER BY seq DESC LIMIT ?", arguments: [beforeSeq ?? Int64.max, max(0, limit)]
            ).map(Self.stored)
        }
    }

    public func usage(fromMs: Int64, toMs: Int64) async throws -> [UsageKey: UsageSums] {
        try await pool.read { db in
            var out: [UsageKey: UsageSums] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM ledger_usage WHERE bucket_ms >= ? AND bucket_ms < ?", arguments: [UsageRollup.bucket(fromMs), toMs])
            while let r = try rows.next() {
                let key = UsageKey(
                    bucketMs: r["bucket_ms"], route: r["route"], model: r["model"], domain: r["domain"], keyID: r["key_id"], status: r["status"],
                    attemptModel: r["attempt_model"])
                out[key] = UsageSums(
                    requests: r["requests"], attempts: r["attempts"], costNanoUSD: r["cost_nusd"], inputTokens: r["input_tokens"],
                    outputTokens: r["output_tokens"], latencyMs: r["latency_ms"])
            }
            return out
        }
    }

    public func records(requestID: String) async throws -> [StoredRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ledger_records WHERE request_id = ? ORDER BY seq", arguments: [requestID]).map(Self.stored)
        }
    }

    public func checkpoints() async throws -> [Checkpoint] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, hash, mac FROM ledger_checkpoints ORDER BY seq").map { Checkpoint(seq: $0["seq"], hash: $0["hash"], mac: $0["mac"]) }
        }
    }

    public func head() async throws -> (seq: Int64, hash: String) {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger_head WHERE id = 1")
            return (row?["seq"] ?? 0, row?["hash"] ?? ChainHash.genesis)
        }
    }

    public func close() async {
        try? pool.close()
    }
}
