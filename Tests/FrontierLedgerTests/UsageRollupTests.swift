import Foundation
import FrontierCore
import GRDB
import Testing
@testable import FrontierLedger

/// The usage sums the dashboard and `frontier report` read: kept by the store in the chain's transaction, the
/// same as summing the records, the same report either way, and filled from the records of a ledger that
/// predates them.
@Suite struct UsageRollupTests {
    static let start: Int64 = 1_794_268_800_000  // 2026-11-10T00:00Z

    static var catalog: [ModelEntry] {
        [
            ModelEntry(
                id: "local", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .local, price: .free,
                fixedCosts: FixedCosts(usdPerHour: 0.5)),
            ModelEntry(id: "cloud", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .cloud, price: Price(inputPerMTok: 1, outputPerMTok: 2)),
            ModelEntry(id: "big", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .cloud, price: Price(inputPerMTok: 10, outputPerMTok: 30)),
        ]
    }

    /// Requests over three hours: served locally, in the cloud, after a fallback, failed, with keys and domains.
    static func entries(_ n: Int) -> [LedgerEntry] {
        return (0..<n).map { i in
            let time = start + Int64(i) * 97_000
            let fellBack = i % 7 == 0
            let failed = i % 11 == 0
            var attempts: [LedgerRecord.Attempt] = []
            if fellBack { attempts.append(.init(model: "local", outcome: "error", latencyMs: 3, error: "HTTP 500")) }
            if !failed {
                let model = i % 3 == 0 ? "cloud" : "local"
                attempts.append(.init(
                    model: model, outcome: "served", inputTokens: 100 + i, outputTokens: 20 + i % 13, costUSD: model == "cloud" ? Double(i) * 1.7e-6 : 0,
                    latencyMs: Double(i % 50)))
            }
            let record = LedgerRecord(
                requestID: "r\(i)", timeMs: time, apiKeyID: i % 2 == 0 ? "k1" : nil, route: i % 5 == 0 ? "clinic" : "auto",
                model: failed ? nil : attempts.last?.model, status: failed ? 502 : 200, decision: "", attempts: attempts,
                piiCategories: [], domain: i % 4 == 0 ? "health" : nil, promptHMAC: "", latencyMs: Double(i % 50) + 0.5)
            return .request(record)
        } + [
            // A client that names its model "(exploration)" is a request like any other.
            .request(LedgerRecord(
                requestID: "r-hostile", timeMs: start + 7, route: "(exploration)", model: nil, status: 404, decision: "", attempts: [], promptHMAC: "", latencyMs: 1)),
            .exploration(ExplorationRecord(
                requestID: "r1", timeMs: start + 5_000, model: "big", servedModel: "local", inputTokens: 10, outputTokens: 5, costUSD: 0.25,
                latencyMs: 4, score: 1, grader: "judge")),
            .request(LedgerRecord(
                requestID: "r2", timeMs: start + 1, route: "auto", model: "cloud", status: 0, decision: "", attempts: [], promptHMAC: "",
                latencyMs: 0, kind: LedgerRecord.intentKind)),
            // Scores: a person's, a check's, an implicit signal's at half weight, one the same request got again,
            // one an hour later, and broken figures that must not enter a sum.
            .feedback(FeedbackRecord(requestID: "r1", timeMs: start + 60_000, model: "local", score: 1)),
            .feedback(FeedbackRecord(requestID: "r1", timeMs: start + 61_000, model: "local", score: 0.5)),
            .feedback(FeedbackRecord(requestID: "r3", timeMs: start + 62_000, model: "cloud", score: 0, source: .check)),
            .feedback(FeedbackRecord(requestID: "r4", timeMs: start + 63_000, model: "local", score: 0, source: .implicit, weight: 0.5)),
            .feedback(FeedbackRecord(requestID: "r5", timeMs: start + 3_700_000, model: "local", score: 1)),
            .feedback(FeedbackRecord(requestID: "r6", timeMs: start + 64_000, model: "local", score: .nan)),
            .feedback(FeedbackRecord(requestID: "r7", timeMs: start + 65_000, model: "hostile", score: 7, weight: 1e300)),
        ]
    }

    /// What the store read, as a dictionary to compare (each key comes once).
    func sums(_ ledger: SQLiteLedgerStore, _ query: UsageQuery) async throws -> [UsageKey: UsageSums] {
        Dictionary(uniqueKeysWithValues: try await ledger.usage(query).map { ($0.key, $0.value) })
    }

    func sums(_ ledger: SQLiteLedgerStore, fromMs: Int64, toMs: Int64) async throws -> [UsageKey: UsageSums] {
        try await sums(ledger, UsageQuery(fromMs: fromMs, toMs: toMs))
    }

    func store(_ path: String) throws -> SQLiteLedgerStore {
        try SQLiteLedgerStore(path: path, linker: ChainLinker(checkpointEvery: 50, key: .init(size: .bits256)))
    }

    @Test func theStoreKeepsTheSameSumsAsTheRecordsAndTheReportIsTheSame() async throws {
        let path = NSTemporaryDirectory() + "frontier-usage-\(UUID().uuidString).db"
        let ledger = try store(path)
        let entries = Self.entries(120)
        // Several appends, as the writer's batches: the sums add up across them.
        for chunk in stride(from: 0, to: entries.count, by: 17) { _ = try await ledger.append(Array(entries[chunk..<min(entries.count, chunk + 17)])) }
        let from = Self.start, to = Self.start + 4 * 3_600_000  // the records span 3 h 14 min
        let kept = try await sums(ledger, fromMs: from, toMs: to)
        #expect(kept == UsageRollup.sums(of: entries), "the sums kept differ from the records' sums")
        #expect(try await sums(ledger, UsageQuery(fromMs: from, toMs: to, hourly: true)) == UsageRollup.hourly(kept), "the hourly sums differ")
        // Summed per step by the database, without domain and key: what the overview reads.
        for (hourly, step) in [(false, Int64(900_000)), (true, Int64(7_200_000)), (false, Int64(300_000))] {
            let query = UsageQuery(fromMs: from, toMs: to, hourly: hourly, byDomainAndKey: false, stepMs: step)
            #expect(try await sums(ledger, query) == query.apply(hourly ? UsageRollup.hourly(kept) : kept), "step \(step)")
        }
        let hourly = CostReport(usage: UsageRollup.hourly(kept), catalog: Self.catalog, fromMs: from, toMs: to, by: .model, reference: Self.catalog[2])
        let fine = CostReport(usage: kept, catalog: Self.catalog, fromMs: from, toMs: to, by: .model, reference: Self.catalog[2])
        #expect(hourly.requests == fine.requests && abs(hourly.totalUSD - fine.totalUSD) < 1e-9 && hourly.rows.map(\.group) == fine.rows.map(\.group))
        for dimension in CostReport.Dimension.allCases {
            let fromRecords = CostReport(
                records: entries.compactMap(\.request), explorations: entries.compactMap { if case .exploration(let x) = $0 { x } else { nil } },
                catalog: Self.catalog, fromMs: from, toMs: to, by: dimension, reference: Self.catalog[2])
            let fromSums = CostReport(usage: kept, catalog: Self.catalog, fromMs: from, toMs: to, by: dimension, reference: Self.catalog[2])
            // The same rows; fees summed as nanodollars differ from a sum of doubles only in the last digits.
            #expect(fromRecords.rows.map(\.group) == fromSums.rows.map(\.group) && fromRecords.rows.map(\.requests) == fromSums.rows.map(\.requests))
            for (a, b) in zip(fromRecords.rows, fromSums.rows) {
                #expect(abs(a.apiUSD - b.apiUSD) < 1e-9 && abs(a.hostingUSD - b.hostingUSD) < 1e-9 && abs(a.fineTuningUSD - b.fineTuningUSD) < 1e-9)
            }
            #expect(fromRecords.requests == 121 && fromSums.requests == 121)
            #expect(abs(fromRecords.totalUSD - fromSums.totalUSD) < 1e-9)
            #expect(abs((fromRecords.counterfactualUSD ?? -1) - (fromSums.counterfactualUSD ?? -2)) < 1e-12)
            #expect(fromSums.explorations == 1 && abs(fromSums.explorationUSD - 0.25) < 1e-12)
        }
        // A window of the first hour holds the buckets that overlap it, no others.
        let hour = try await sums(ledger, fromMs: from, toMs: from + 3_600_000)
        #expect(!hour.isEmpty && hour.keys.allSatisfy { $0.bucketMs >= from && $0.bucketMs < from + 3_600_000 })
        #expect(hour.filter { $0.key.attemptModel.isEmpty }.values.map(\.requests).reduce(0, +) == 39)  // times 0, 97 s, ... < 1 h, and the hostile one
        await ledger.close()
    }

    @Test func aLedgerFromBeforeTheSumsGetsThemFromItsRecords() async throws {
        let path = NSTemporaryDirectory() + "frontier-usage-old-\(UUID().uuidString).db"
        let entries = Self.entries(60)
        var ledger = try store(path)
        _ = try await ledger.append(entries)
        await ledger.close()
        // As if the ledger were written by a version without the table: drop it and forget the migration.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "DROP TABLE ledger_usage")
            try db.execute(sql: "DROP TABLE ledger_usage_hourly")
            try db.execute(sql: "DROP TABLE ledger_scores")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier IN ('v3-usage', 'v4-usage-hourly', 'v5-scores')")
        }
        try queue.close()
        ledger = try store(path)
        #expect(try await sums(ledger, fromMs: Self.start, toMs: Self.start + 86_400_000) == UsageRollup.sums(of: entries))
        #expect(try await sums(ledger, UsageQuery(fromMs: Self.start, toMs: Self.start + 86_400_000, hourly: true)) == UsageRollup.hourly(UsageRollup.sums(of: entries)))
        let scores = try await ledger.scores(fromMs: Self.start, toMs: Self.start + 86_400_000)
        #expect(!scores.isEmpty && scores == ScoreRollup.total(ScoreRollup.sums(of: entries).map { ($0.key, $0.value) }, fromMs: Self.start, toMs: Self.start + 86_400_000))
        await ledger.close()
    }

    @Test func theStoreKeepsEachModelsScoresPerSourceAsTheRecordsHaveThem() async throws {
        let path = NSTemporaryDirectory() + "frontier-scores-\(UUID().uuidString).db"
        let ledger = try store(path)
        let entries = Self.entries(30)
        for chunk in stride(from: 0, to: entries.count, by: 7) { _ = try await ledger.append(Array(entries[chunk..<min(entries.count, chunk + 7)])) }
        let hour = try await ledger.scores(fromMs: Self.start, toMs: Self.start + 3_600_000)
        let person = hour[ScoreKey(bucketMs: 0, model: "local", source: "client")]
        #expect(person?.count == 2 && person?.mean == 0.75, "two posted scores, both counted")
        #expect(hour[ScoreKey(bucketMs: 0, model: "cloud", source: "check")] == ScoreSums(count: 1, weight: 1, weightedScore: 0))
        #expect(hour[ScoreKey(bucketMs: 0, model: "local", source: "implicit")] == ScoreSums(count: 1, weight: 0.5, weightedScore: 0))
        #expect(hour[ScoreKey(bucketMs: 0, model: "big", source: "exploration")] == ScoreSums(count: 1, weight: 1, weightedScore: 1))
        #expect(hour[ScoreKey(bucketMs: 0, model: "hostile", source: "client")] == ScoreSums(count: 1, weight: 1_000, weightedScore: 1_000), "bounded")
        #expect(hour.count == 5, "the score that is not a number entered no sum: \(hour)")
        let day = try await ledger.scores(fromMs: Self.start, toMs: Self.start + 86_400_000)
        #expect(day[ScoreKey(bucketMs: 0, model: "local", source: "client")]?.count == 3)
        // The store's sums are the records' sums, and what a store without sums computes.
        #expect(day == ScoreRollup.total(ScoreRollup.sums(of: entries).map { ($0.key, $0.value) }, fromMs: Self.start, toMs: Self.start + 86_400_000))
        await ledger.close()
    }

    @Test func hostileFiguresNeverOverflowASum() {
        let record = LedgerRecord(
            requestID: "x", timeMs: -5, route: "auto", model: "m", status: 200, decision: "",
            attempts: [.init(model: "m", outcome: "served", inputTokens: -4, outputTokens: 3, costUSD: .infinity, latencyMs: .nan)],
            promptHMAC: "", latencyMs: -.infinity)
        let sums = UsageRollup.sums(of: [.request(record), .request(record)])
        let attempt = sums.first { !$0.key.attemptModel.isEmpty }?.value
        #expect(attempt?.costNanoUSD == 0 && attempt?.inputTokens == 0 && attempt?.outputTokens == 6)
        #expect(sums.keys.allSatisfy { $0.bucketMs == -300_000 })  // before 1970 rounds down too
        #expect(sums.first { $0.key.attemptModel.isEmpty }?.value.latencyMs == 0)
    }
}
