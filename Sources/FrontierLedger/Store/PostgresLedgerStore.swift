import Foundation
import FrontierCore
public import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// The shared ledger for several gateway instances: PostgreSQL through
/// postgres-nio. Concurrent writers stay one chain because every append
/// locks the single head row (`SELECT ... FOR UPDATE`) for its transaction:
/// appends are serialised by the database, each group linking after the
/// last committed one. Group commit keeps the lock rare (one per group).
public final class PostgresLedgerStore: LedgerStore {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let linker: ChainLinker
    private let logger: Logger

    /// Connects and migrates; an unreachable database is an error now, with the URL (less its password) named.
    public init(url: String, linker: ChainLinker, logger: Logger) async throws {
        guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
            throw LedgerError.configuration("storage.postgres must look like postgres://user:password@host:5432/database")
        }
        let database = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let query = components.queryItems ?? []
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : database,
            tls: try Self.tls(mode: query.first { $0.name == "sslmode" }?.value, rootCertificate: query.first { $0.name == "sslrootcert" }?.value))
        configuration.options.maximumConnections = 4
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.linker = linker
        self.logger = logger
        runner = Task { await client.run() }
        do {
            try await migrate()
        } catch {
            runner.cancel()
            throw LedgerError.storage("cannot use PostgreSQL at \(user)@\(host):\(components.port ?? 5432)/\(database): \(String(reflecting: error))")
        }
    }

    /// TLS as libpq's `sslmode` says; without one, `prefer` (libpq's default): TLS when the server offers it.
    /// `require` encrypts without checking the certificate, `verify-ca` checks the chain, `verify-full` the host name too.
    static func tls(mode: String?, rootCertificate: String?) throws -> PostgresClient.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate { tls.trustRoots = .file(rootCertificate) }
        switch mode ?? "prefer" {
        case "disable": return .disable
        case "allow", "prefer":
            tls.certificateVerification = .none
            return .prefer(tls)
        case "require":
            tls.certificateVerification = .none
            return .require(tls)
        case "verify-ca":
            tls.certificateVerification = .noHostnameVerification
            return .require(tls)
        case "verify-full":
            tls.certificateVerification = .fullVerification
            return .require(tls)
        case let other:
            throw LedgerError.configuration("storage.postgres has sslmode=\(other); use disable, prefer, require, verify-ca or verify-full")
        }
    }

    /// Versioned migrations, applied once under an advisory lock (instances may start together).
    private func migrate() async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(735104)", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS ledger_migrations (version INTEGER PRIMARY KEY)", logger: logger)
            let rows = try await connection.query("SELECT COALESCE(MAX(version), 0) FROM ledger_migrations", logger: logger)
            var version = 0
            for try await (v) in rows.decode(Int.self) { version = v }
            if version < 1 {
                try await connection.query("""
                    CREATE TABLE ledger_records (
                        seq BIGINT PRIMARY KEY, request_id TEXT NOT NULL, time_ms BIGINT NOT NULL,
                        body TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL)
                    """, logger: logger)
                try await connection.query("CREATE INDEX ledger_records_time ON ledger_records (time_ms)", logger: logger)
                try await connection.query("CREATE TABLE ledger_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL)", logger: logger)
                try await connection.query("INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, \(ChainHash.genesis))", logger: logger)
                try await connection.query("CREATE TABLE ledger_checkpoints (seq BIGINT PRIMARY KEY, hash TEXT NOT NULL, mac TEXT NOT NULL)", logger: logger)
                try await connection.query("INSERT INTO ledger_migrations (version) VALUES (1)", logger: logger)
            }
            if version < 2 {
                // Tenants' keys and budgets share the database, not the chain. Money in nanodollars: exact sums.
                try await connection.query("""
                    CREATE TABLE api_keys (
                        id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_sha256 TEXT NOT NULL UNIQUE, policy TEXT NOT NULL,
                        created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL, revoked_ms BIGINT)
                    """, logger: logger)
                try await connection.query("""
                    CREATE TABLE key_budgets (
                        key_id TEXT NOT NULL, period_start_ms BIGINT NOT NULL, spent_nusd BIGINT NOT NULL DEFAULT 0,
                        leased_nusd BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (key_id, period_start_ms))
                    """, logger: logger)
                try await connection.query("""
                    CREATE TABLE key_leases (
                        key_id TEXT NOT NULL, period_start_ms BIGINT NOT NULL, instance TEXT NOT NULL, leased_nusd BIGINT NOT NULL,
                        renewed_ms BIGINT NOT NULL, PRIMARY KEY (key_id, period_start_ms, instance))
                    """, logger: logger)
                try await connection.query("INSERT INTO ledger_migrations (version) VALUES (2)", logger: logger)
            }
            if version < 3 {
                // Feedback finds the request it scores by id.
                try await connection.query("CREATE INDEX ledger_records_request ON ledger_records (request_id)", logger: logger)
                try await connection.query("INSERT INTO ledger_migrations (version) VALUES (3)", logger: logger)
            }
            if version < 4 {
                // The usage sums beside the chain (UsageRollup), filled from the records already there.
                try await connection.query(Self.usageTable("ledger_usage"), logger: logger)
                var sums: [UsageKey: UsageSums] = [:]
                let rows = try await connection.query("SELECT body FROM ledger_records ORDER BY seq", logger: logger)
                for try await body in rows.decode(String.self) {
                    guard let json = try? JSONParser.parse(body), let entry = try? LedgerEntry(json: json) else { continue }
                    UsageRollup.add(entry, to: &sums)
                }
                try await Self.addUsage(sums, connection, logger)
                try await connection.query("INSERT INTO ledger_migrations (version) VALUES (4)", logger: logger)
            }
            if version < 5 {
                // The same sums by the hour, without domain and key: what a month's overview reads.
                try await connection.query(Self.usageTable("ledger_usage_hourly"), logger: logger)
                try await connection.query("""
                    INSERT INTO ledger_usage_hourly
                    SELECT bucket_ms - ((bucket_ms % 3600000) + 3600000) % 3600000, route, model, '', '', status, attempt_model,
                        SUM(requests), SUM(attempts), SUM(cost_nusd), SUM(input_tokens), SUM(output_tokens), SUM(latency_ms)
                    FROM ledger_usage GROUP BY 1, route, model, status, attempt_model
                    """, logger: logger)
                try await connection.query("INSERT INTO ledger_migrations (version) VALUES (5)", logger: logger)
            }
            if version < 6 {
                // The scores live traffic gave each model (ScoreRollup), filled from the feedback and exploration records there.
                try await connection.query("""
                    CREATE TABLE ledger_scores (
                        bucket_ms BIGINT NOT NULL, model TEXT NOT NULL, source TEXT NOT NULL, count BIGINT NOT NULL, weight DOUBLE PRECISION NOT NULL,
                        weighted_score DOUBLE PRECISION NOT NULL, PRIMARY KEY (bucket_ms, model, source))
                    """, logger: logger)
                var sums: [ScoreKey: ScoreSums] = [:]
                // The LIKE only skips the parse of records that cannot be scores; the parse decides.
                let rows = try await connection.query(#"SELECT body FROM ledger_records WHERE body LIKE '%"score":%' ORDER BY seq"#, logger: logger)
                for try await body in rows.decode(String.self) {
                    guard let json = try? JSONParser.parse(body), let entry = try? LedgerEntry(json: json) else { continue }
                    ScoreRollup.add(entry, to: &sums)
                }
                try await Self.addScores(sums, connection, logger)
                try await connection.query("INSERT INTO ledger_migrations (version) VALUES (6)", logger: logger)
            }
            if version < 7 {
                // What the routing page counts (RoutingRollup), filled from the request records there.
                try await connection.query("""
                    CREATE TABLE ledger_routing (
                        bucket_ms BIGINT NOT NULL, route TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, detail TEXT NOT NULL,
                        count BIGINT NOT NULL, PRIMARY KEY (bucket_ms, route, kind, name, detail))
                    """, logger: logger)
                var counts: [RoutingKey: Int] = [:]
                let rows = try await connection.query("SELECT body FROM ledger_records ORDER BY seq", logger: logger)
                for try await body in rows.decode(String.self) {
                    guard let json = try? JSONParser.parse(body), let entry = try? LedgerEntry(json: json) else { continue }
                    RoutingRollup.add(entry, to: &counts)
                }
                try await Self.addRouting(counts, connection, logger)
                try await connection.query("INSERT INTO ledger_migrations (version) VALUES (7)", logger: logger)
            }
        }
    }

    /// The keys and budgets in this database.
    public var keyStore: any KeyStore { PostgresKeyStore(client: client, logger: logger) }

    public func append(_ records: [LedgerEntry]) async throws -> [StoredRecord] {
        guard !records.isEmpty else { return [] }
        let linker = self.linker, logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query("SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE", logger: logger)
            var head: (seq: Int64, hash: String) = (0, ChainHash.genesis)
            for try await (seq, hash) in rows.decode((Int64, String).self) { head = (seq, hash) }
            let (stored, checkpoints) = linker.link(records, after: head)
            let seqs = stored.map(\.seq), ids = stored.map(\.requestID), times = stored.map(\.timeMs)
            let bodies = stored.map { String(decoding: $0.body, as: UTF8.self) }, previous = stored.map(\.previousHash), hashes = stored.map(\.hash)
            try await connection.query("""
                INSERT INTO ledger_records (seq, request_id, time_ms, body, previous_hash, hash)
                SELECT * FROM UNNEST(\(seqs)::BIGINT[], \(ids)::TEXT[], \(times)::BIGINT[], \(bodies)::TEXT[], \(previous)::TEXT[], \(hashes)::TEXT[])
                """, logger: logger)
            for c in checkpoints {
                try await connection.query("INSERT INTO ledger_checkpoints (seq, hash, mac) VALUES (\(c.seq), \(c.hash), \(c.mac))", logger: logger)
            }
            if let last = stored.last {
                try await connection.query("UPDATE ledger_head SET seq = \(last.seq), hash = \(last.hash) WHERE id = 1", logger: logger)
            }
            let sums = UsageRollup.sums(of: records)
            try await Self.addUsage(sums, connection, logger)
            try await Self.addUsage(UsageRollup.hourly(sums), connection, logger, table: "ledger_usage_hourly")
            try await Self.addScores(ScoreRollup.sums(of: records), connection, logger)
            try await Self.addRouting(RoutingRollup.counts(of: records), connection, logger)
            return stored
        }
    }

    public func records(fromMs: Int64?, toMs: Int64?) async throws -> [StoredRecord] {
        let from = fromMs ?? Int64.min, to = toMs ?? Int64.max
        return try await stored(client.query(
            "SELECT seq, request_id, time_ms, body, previous_hash, hash FROM ledger_records WHERE time_ms >= \(from) AND time_ms < \(to) ORDER BY seq",
            logger: logger))
    }

    private func stored(_ rows: PostgresRowSequence) async throws -> [StoredRecord] {
        var out: [StoredRecord] = []
        for try await (seq, id, time, body, previous, hash) in rows.decode((Int64, String, Int64, String, String, String).self) {
            out.append(StoredRecord(seq: seq, requestID: id, timeMs: time, body: Array(body.utf8), previousHash: previous, hash: hash))
        }
        return out
    }

    /// The table of one kind of usage sums (the name is one of two constants).
    static func usageTable(_ name: String) -> PostgresQuery {
        """
        CREATE TABLE \(unescaped: name) (
            bucket_ms BIGINT NOT NULL, route TEXT NOT NULL, model TEXT NOT NULL, domain TEXT NOT NULL, key_id TEXT NOT NULL,
            status INTEGER NOT NULL, attempt_model TEXT NOT NULL, requests BIGINT NOT NULL, attempts BIGINT NOT NULL,
            cost_nusd BIGINT NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, latency_ms DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (bucket_ms, route, model, domain, key_id, status, attempt_model))
        """
    }

    /// Adds sums to their rows in one statement, creating the rows that are not there yet (the keys are distinct).
    static func addUsage(_ sums: [UsageKey: UsageSums], _ connection: PostgresConnection, _ logger: Logger, table: String = "ledger_usage") async throws {
        guard !sums.isEmpty else { return }
        let keys = Array(sums.keys)
        let values = keys.map { sums[$0] ?? UsageSums() }
        let buckets = keys.map(\.bucketMs), routes = keys.map(\.route), models = keys.map(\.model), domains = keys.map(\.domain)
        let keyIDs = keys.map(\.keyID), statuses = keys.map { Int32(clamping: $0.status) }, attemptModels = keys.map(\.attemptModel)
        let requests = values.map { Int64($0.requests) }, attempts = values.map { Int64($0.attempts) }, costs = values.map(\.costNanoUSD)
        let inputs = values.map { Int64($0.inputTokens) }, outputs = values.map { Int64($0.outputTokens) }, latencies = values.map(\.latencyMs)
        // The table's name is one of two constants, never input.
        let tableName = table == "ledger_usage_hourly" ? "ledger_usage_hourly" : "ledger_usage"
        try await connection.query("""
            INSERT INTO \(unescaped: tableName) (bucket_ms, route, model, domain, key_id, status, attempt_model, requests, attempts, cost_nusd,
                input_tokens, output_tokens, latency_ms)
            SELECT * FROM UNNEST(\(buckets)::BIGINT[], \(routes)::TEXT[], \(models)::TEXT[], \(domains)::TEXT[], \(keyIDs)::TEXT[],
                \(statuses)::INTEGER[], \(attemptModels)::TEXT[], \(requests)::BIGINT[], \(attempts)::BIGINT[], \(costs)::BIGINT[],
                \(inputs)::BIGINT[], \(outputs)::BIGINT[], \(latencies)::DOUBLE PRECISION[])
            ON CONFLICT (bucket_ms, route, model, domain, key_id, status, attempt_model) DO UPDATE SET
                requests = \(unescaped: tableName).requests + EXCLUDED.requests, attempts = \(unescaped: tableName).attempts + EXCLUDED.attempts,
                cost_nusd = \(unescaped: tableName).cost_nusd + EXCLUDED.cost_nusd,
                input_tokens = \(unescaped: tableName).input_tokens + EXCLUDED.input_tokens,
                output_tokens = \(unescaped: tableName).output_tokens + EXCLUDED.output_tokens,
                latency_ms = \(unescaped: tableName).latency_ms + EXCLUDED.latency_ms
            """, logger: logger)
    }

    static func addScores(_ sums: [ScoreKey: ScoreSums], _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard !sums.isEmpty else { return }
        let keys = Array(sums.keys), values = keys.map { sums[$0] ?? ScoreSums() }
        let buckets = keys.map(\.bucketMs), models = keys.map(\.model), sources = keys.map(\.source)
        let counts = values.map { Int64($0.count) }, weights = values.map(\.weight), weighted = values.map(\.weightedScore)
        try await connection.query("""
            INSERT INTO ledger_scores (bucket_ms, model, source, count, weight, weighted_score)
            SELECT * FROM UNNEST(\(buckets)::BIGINT[], \(models)::TEXT[], \(sources)::TEXT[], \(counts)::BIGINT[], \(weights)::DOUBLE PRECISION[],
                \(weighted)::DOUBLE PRECISION[])
            ON CONFLICT (bucket_ms, model, source) DO UPDATE SET
                count = ledger_scores.count + EXCLUDED.count, weight = ledger_scores.weight + EXCLUDED.weight,
                weighted_score = ledger_scores.weighted_score + EXCLUDED.weighted_score
            """, logger: logger)
    }

    static func addRouting(_ counts: [RoutingKey: Int], _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard !counts.isEmpty else { return }
        let keys = Array(counts.keys)
        let buckets = keys.map(\.bucketMs), routes = keys.map(\.route), kinds = keys.map(\.kind.rawValue), names = keys.map(\.name)
        let details = keys.map(\.detail), values = keys.map { Int64(counts[$0] ?? 0) }
        try await connection.query("""
            INSERT INTO ledger_routing (bucket_ms, route, kind, name, detail, count)
            SELECT * FROM UNNEST(\(buckets)::BIGINT[], \(routes)::TEXT[], \(kinds)::TEXT[], \(names)::TEXT[], \(details)::TEXT[], \(values)::BIGINT[])
            ON CONFLICT (bucket_ms, route, kind, name, detail) DO UPDATE SET count = ledger_routing.count + EXCLUDED.count
            """, logger: logger)
    }

    public func routing(fromMs: Int64, toMs: Int64, stepMs: Int64?) async throws -> [RoutingKey: Int] {
        let step = stepMs.map { max(UsageRollup.bucketMs, $0) } ?? 0
        let rows = try await client.query("""
            SELECT CASE WHEN \(step) > 0 THEN (bucket_ms / \(step)) * \(step) ELSE 0 END AS t, route, kind, name, detail, SUM(count)::BIGINT
            FROM ledger_routing WHERE bucket_ms >= \(UsageRollup.bucket(fromMs)) AND bucket_ms < \(toMs) GROUP BY t, route, kind, name, detail
            """, logger: logger)
        var out: [RoutingKey: Int] = [:]
        for try await (t, route, kind, name, detail, count) in rows.decode((Int64, String, String, String, String, Int64).self) {
            guard let kind = RoutingKey.Kind(rawValue: kind) else { continue }
            out[RoutingKey(bucketMs: t, route: route, kind: kind, name: name, detail: detail)] = Int(count)
        }
        return out
    }

    public func scores(fromMs: Int64, toMs: Int64) async throws -> [ScoreKey: ScoreSums] {
        let rows = try await client.query("""
            SELECT model, source, SUM(count)::BIGINT, SUM(weight), SUM(weighted_score) FROM ledger_scores
            WHERE bucket_ms >= \(UsageRollup.bucket(fromMs)) AND bucket_ms < \(toMs) GROUP BY model, source
            """, logger: logger)
        var out: [ScoreKey: ScoreSums] = [:]
        for try await (model, source, count, weight, weighted) in rows.decode((String, String, Int64, Double, Double).self) {
            out[ScoreKey(bucketMs: 0, model: model, source: source)] = ScoreSums(count: Int(count), weight: weight, weightedScore: weighted)
        }
        return out
    }

    public func recent(limit: Int, beforeSeq: Int64?) async throws -> [StoredRecord] {
        let before = beforeSeq ?? Int64.max, limit = max(0, limit)
        return try await stored(client.query(
            "SELECT seq, request_id, time_ms, body, previous_hash, hash FROM ledger_records WHERE seq < \(before) ORDER BY seq DESC LIMIT \(limit)",
            logger: logger))
    }

    public func usage(_ query: UsageQuery) async throws -> UsageRows {
        let table = query.hourly ? "ledger_usage_hourly" : "ledger_usage"
        let step = query.rowStepMs
        let dimensions = query.byDomainAndKey ? "domain, key_id" : "''::TEXT, ''::TEXT"
        // Summed by PostgreSQL per step; only the two table names and integers are written into the text.
        let rows = try await client.query("""
            SELECT bucket_ms - ((bucket_ms % \(unescaped: String(step))) + \(unescaped: String(step))) % \(unescaped: String(step)), route, model,
                \(unescaped: dimensions), status, attempt_model, SUM(requests)::BIGINT, SUM(attempts)::BIGINT, SUM(cost_nusd)::BIGINT,
                SUM(input_tokens)::BIGINT, SUM(output_tokens)::BIGINT, SUM(latency_ms)
            FROM \(unescaped: table) WHERE bucket_ms >= \(query.firstBucketMs) AND bucket_ms < \(query.toMs) GROUP BY 1, 2, 3, 4, 5, 6, 7
            """, logger: logger)
        return try await Self.sums(rows)
    }

    private static func sums(_ rows: PostgresRowSequence) async throws -> UsageRows {
        var out: UsageRows = []
        for try await row in rows {
            let (bucket, route, model, domain, keyID, status, attemptModel) = try row.decode((Int64, String, String, String, String, Int32, String).self)
            let r = row.makeRandomAccess()
            let key = UsageKey(
                bucketMs: bucket, route: route, model: model, domain: domain, keyID: keyID, status: Int(status), attemptModel: attemptModel)
            out.append((key, UsageSums(
                requests: Int(try r[7].decode(Int64.self)), attempts: Int(try r[8].decode(Int64.self)), costNanoUSD: try r[9].decode(Int64.self),
                inputTokens: Int(try r[10].decode(Int64.self)), outputTokens: Int(try r[11].decode(Int64.self)), latencyMs: try r[12].decode(Double.self))))
        }
        return out
    }

    public func records(requestID: String) async throws -> [StoredRecord] {
        try await stored(client.query(
            "SELECT seq, request_id, time_ms, body, previous_hash, hash FROM ledger_records WHERE request_id = \(requestID) ORDER BY seq", logger: logger))
    }

    public func checkpoints() async throws -> [Checkpoint] {
        let rows = try await client.query("SELECT seq, hash, mac FROM ledger_checkpoints ORDER BY seq", logger: logger)
        var out: [Checkpoint] = []
        for try await (seq, hash, mac) in rows.decode((Int64, String, String).self) { out.append(Checkpoint(seq: seq, hash: hash, mac: mac)) }
        return out
    }

    public func head() async throws -> (seq: Int64, hash: String) {
        let rows = try await client.query("SELECT seq, hash FROM ledger_head WHERE id = 1", logger: logger)
        var head: (seq: Int64, hash: String) = (0, ChainHash.genesis)
        for try await (seq, hash) in rows.decode((Int64, String).self) { head = (seq, hash) }
        return head
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }
}
