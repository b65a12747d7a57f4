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
        // The usage sums beside the chain (UsageRollup), filled from the records already there. Clustered by the
        // key (WITHOUT ROWID), so a window's rows are read in one sequential range.
        migrator.registerMigration("v3-usage") { db in
            try db.execute(sql: usageTable("ledger_usage"))
            var sums: [UsageKey: UsageSums] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT body FROM ledger_records ORDER BY seq")
            while let row = try rows.next() {
                guard let json = try? JSONParser.parse(row["body"] as String), let entry = try? LedgerEntry(json: json) else { continue }
                UsageRollup.add(entry, to: &sums)
            }
            try addUsage(sums, db)
        }
        // The same sums by the hour, without domain and key: what a month's overview reads.
        migrator.registerMigration("v4-usage-hourly") { db in
            try db.execute(sql: usageTable("ledger_usage_hourly"))
            var sums: [UsageKey: UsageSums] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM ledger_usage")
            while let r = try rows.next() { sums[usageKey(r)] = usageSums(r) }
            try addUsage(UsageRollup.hourly(sums), db, table: "ledger_usage_hourly")
        }
        // The scores live traffic gave each model (ScoreRollup), filled from the feedback and exploration records there.
        migrator.registerMigration("v5-scores") { db in
            try db.execute(sql: """
                CREATE TABLE ledger_scores (
                    bucket_ms INTEGER NOT NULL, model TEXT NOT NULL, source TEXT NOT NULL, count INTEGER NOT NULL, weight REAL NOT NULL,
                    weighted_score REAL NOT NULL, PRIMARY KEY (bucket_ms, model, source)) WITHOUT ROWID
                """)
            var sums: [ScoreKey: ScoreSums] = [:]
            // The LIKE only skips the parse of records that cannot be scores; the parse decides.
            let rows = try Row.fetchCursor(db, sql: "SELECT body FROM ledger_records WHERE body LIKE '%\"score\":%' ORDER BY seq")
            while let row = try rows.next() {
                guard let json = try? JSONParser.parse(row["body"] as String), let entry = try? LedgerEntry(json: json) else { continue }
                ScoreRollup.add(entry, to: &sums)
            }
            try addScores(sums, db)
        }
        // What the routing page counts (RoutingRollup), filled from the request records there.
        migrator.registerMigration("v6-routing") { db in
            try db.execute(sql: """
                CREATE TABLE ledger_routing (
                    bucket_ms INTEGER NOT NULL, route TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, detail TEXT NOT NULL,
                    count INTEGER NOT NULL, PRIMARY KEY (bucket_ms, route, kind, name, detail)) WITHOUT ROWID
                """)
            var counts: [RoutingKey: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT body FROM ledger_records ORDER BY seq")
            while let row = try rows.next() {
                guard let json = try? JSONParser.parse(row["body"] as String), let entry = try? LedgerEntry(json: json) else { continue }
                RoutingRollup.add(entry, to: &counts)
            }
            try addRouting(counts, db)
        }
        return migrator
    }

    static func addRouting(_ counts: [RoutingKey: Int], _ db: Database) throws {
        guard !counts.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO ledger_routing (bucket_ms, route, kind, name, detail, count) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (bucket_ms, route, kind, name, detail) DO UPDATE SET count = count + excluded.count
            """)
        for (k, n) in counts {
            try statement.execute(arguments: [k.bucketMs, k.route, k.kind.rawValue, k.name, k.detail, n])
        }
    }

    static func addScores(_ sums: [ScoreKey: ScoreSums], _ db: Database) throws {
        guard !sums.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO ledger_scores (bucket_ms, model, source, count, weight, weighted_score) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (bucket_ms, model, source) DO UPDATE SET
                count = count + excluded.count, weight = weight + excluded.weight, weighted_score = weighted_score + excluded.weighted_score
            """)
        for (k, s) in sums {
            try statement.execute(arguments: [k.bucketMs, k.model, k.source, s.count, s.weight, s.weightedScore])
        }
    }

    /// The table of one kind of usage sums, clustered by its key.
    static func usageTable(_ name: String) -> String {
        """
        CREATE TABLE \(name) (
            bucket_ms INTEGER NOT NULL, route TEXT NOT NULL, model TEXT NOT NULL, domain TEXT NOT NULL, key_id TEXT NOT NULL,
            status INTEGER NOT NULL, attempt_model TEXT NOT NULL, requests INTEGER NOT NULL, attempts INTEGER NOT NULL,
            cost_nusd INTEGER NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, latency_ms REAL NOT NULL,
            PRIMARY KEY (bucket_ms, route, model, domain, key_id, status, attempt_model)) WITHOUT ROWID
        """
    }

    /// Adds sums to their rows, creating the rows that are not there yet.
    static func addUsage(_ sums: [UsageKey: UsageSums], _ db: Database, table: String = "ledger_usage") throws {
        guard !sums.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO \(table) (bucket_ms, route, model, domain, key_id, status, attempt_model, requests, attempts, cost_nusd,
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
            let sums = UsageRollup.sums(of: records)
            try Self.addUsage(sums, db)
            try Self.addUsage(UsageRollup.hourly(sums), db, table: "ledger_usage_hourly")
            try Self.addScores(ScoreRollup.sums(of: records), db)
            try Self.addRouting(RoutingRollup.counts(of: records), db)
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

    public func usage(_ query: UsageQuery) async throws -> UsageRows {
        let table = query.hourly ? "ledger_usage_hourly" : "ledger_usage"
        let step = query.rowStepMs
        let dimensions = query.byDomainAndKey ? "domain, key_id" : "'', ''"
        // Summed by SQLite per step: a page reads about as many rows as it draws. Only the two table names and
        // integers go into the text; the bounds are arguments.
        let sql = step == query.bucketMs && query.byDomainAndKey
            ? """
                SELECT bucket_ms, route, model, domain, key_id, status, attempt_model, requests, attempts, cost_nusd, input_tokens,
                    output_tokens, latency_ms FROM \(table) WHERE bucket_ms >= ? AND bucket_ms < ?
                """
            : """
                SELECT bucket_ms - ((bucket_ms % \(step)) + \(step)) % \(step) AS step, route, model, \(dimensions), status, attempt_model,
                    SUM(requests), SUM(attempts), SUM(cost_nusd), SUM(input_tokens), SUM(output_tokens), SUM(latency_ms)
                FROM \(table) WHERE bucket_ms >= ? AND bucket_ms < ? GROUP BY 1, 2, 3, 4, 5, 6, 7
                """
        return try await pool.read { db in
            var out: UsageRows = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: [query.firstBucketMs, query.toMs])
            // By position: reading a column by name costs a lookup per field.
            while let r = try rows.next() {
                out.append((
                    UsageKey(bucketMs: r[0], route: r[1], model: r[2], domain: r[3], keyID: r[4], status: r[5], attemptModel: r[6]),
                    UsageSums(requests: r[7], attempts: r[8], costNanoUSD: r[9], inputTokens: r[10], outputTokens: r[11], latencyMs: r[12])))
            }
            return out
        }
    }

    public func scores(fromMs: Int64, toMs: Int64) async throws -> [ScoreKey: ScoreSums] {
        try await pool.read { db in
            var out: [ScoreKey: ScoreSums] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT model, source, SUM(count), SUM(weight), SUM(weighted_score) FROM ledger_scores
                WHERE bucket_ms >= ? AND bucket_ms < ? GROUP BY model, source
                """, arguments: [UsageRollup.bucket(fromMs), toMs])
            while let r = try rows.next() {
                out[ScoreKey(bucketMs: 0, model: r[0], source: r[1])] = ScoreSums(count: r[2], weight: r[3], weightedScore: r[4])
            }
            return out
        }
    }

    public func routing(fromMs: Int64, toMs: Int64, stepMs: Int64?) async throws -> [RoutingKey: Int] {
        // Steps are whole buckets, aligned since 1970 (bucket_ms is never negative for a real record).
        let step = stepMs.map { max(UsageRollup.bucketMs, $0) }
        return try await pool.read { db in
            var out: [RoutingKey: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT \(step.map { "(bucket_ms / \($0)) * \($0)" } ?? "0"), route, kind, name, detail, SUM(count) FROM ledger_routing
                WHERE bucket_ms >= ? AND bucket_ms < ? GROUP BY 1, route, kind, name, detail
                """, arguments: [UsageRollup.bucket(fromMs), toMs])
            while let r = try rows.next() {
                guard let kind = RoutingKey.Kind(rawValue: r[2]) else { continue }
                out[RoutingKey(bucketMs: r[0], route: r[1], kind: kind, name: r[3], detail: r[4])] = r[5]
            }
            return out
        }
    }

    static func usageKey(_ r: Row) -> UsageKey {
        UsageKey(
            bucketMs: r["bucket_ms"], route: r["route"], model: r["model"], domain: r["domain"], keyID: r["key_id"], status: r["status"],
            attemptModel: r["attempt_model"])
    }

    static func usageSums(_ r: Row) -> UsageSums {
        UsageSums(
            requests: r["requests"], attempts: r["attempts"], costNanoUSD: r["cost_nusd"], inputTokens: r["input_tokens"],
            outputTokens: r["output_tokens"], latencyMs: r["latency_ms"])
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
