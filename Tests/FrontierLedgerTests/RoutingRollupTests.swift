import Foundation
import FrontierCore
import GRDB
import Testing
@testable import FrontierLedger

/// The routing page's counts: sensitive data and where it was kept, cascade tiers with the checks that failed,
/// fallbacks with their reasons; kept by the store as the records have them, and filled for an older ledger.
@Suite struct RoutingRollupTests {
    static let start: Int64 = 1_794_268_800_000  // 2026-11-10T00:00Z

    static func request(
        _ i: Int, route: String = "auto", pii: [String] = [], zone: String? = nil, status: Int = 200, pseudonymized: [String: Int]? = nil,
        door: String? = nil, attempts: [LedgerRecord.Attempt]
    ) -> LedgerEntry {
        var record = LedgerRecord(
            requestID: "r\(i)", timeMs: start + Int64(i) * 61_000, route: route, model: attempts.last?.model, status: status, decision: "",
            attempts: attempts, piiCategories: pii, promptHMAC: "", latencyMs: 1)
        record.zone = zone
        record.pseudonymized = pseudonymized
        record.door = door
        return .request(record)
    }

    static var entries: [LedgerEntry] {
        let served = LedgerRecord.Attempt(model: "local", outcome: "served")
        let failedCheck: JSONValue = [["check": "min_logprob", "passed": false, "value": "-3.1"], ["check": "json", "passed": true, "value": "ok"]]
        return [
            request(0, pii: ["email", "person"], zone: "on-prem", door: "openai.chat", attempts: [served]),
            request(1, pii: ["email"], zone: "local", door: "anthropic.messages", attempts: [served]),
            request(2, pii: ["email"], pseudonymized: ["email": 1], attempts: [.init(model: "cloud", outcome: "served")]),
            request(3, pii: ["iban"], status: 403, attempts: []),
            request(4, pii: ["person", "person"], attempts: [.init(model: "cloud", outcome: "served")]),
            request(5, route: "triage", attempts: [
                .init(model: "small", outcome: "rejected", checks: failedCheck), .init(model: "big", outcome: "accepted"),
            ]),
            request(6, route: "triage", attempts: [.init(model: "small", outcome: "accepted")]),
            request(7, route: "triage", attempts: [
                .init(model: "small", outcome: "failed", error: "HTTP 503"), .init(model: "big", outcome: "accepted"),
            ]),
            request(8, attempts: [.init(model: "local", outcome: "failed", error: "deadline: 812 ms left"), .init(model: "cloud", outcome: "served")]),
            request(9, attempts: [.init(model: "local", outcome: "failed", error: "deadline: 90 ms left"), .init(model: "cloud", outcome: "served")]),
            request(10, attempts: [.init(model: "local", outcome: "failed", error: "HTTP 500"), .init(model: "cloud", outcome: "failed", error: nil)]),
            // A write-ahead intent is not a request of its own; feedback is not routing.
            .request(LedgerRecord(
                requestID: "r8", timeMs: start, route: "auto", model: "cloud", status: 0, decision: "", attempts: [.init(model: "x", outcome: "failed")],
                piiCategories: ["email"], promptHMAC: "", latencyMs: 0, kind: LedgerRecord.intentKind)),
            .feedback(FeedbackRecord(requestID: "r1", timeMs: start, model: "local", score: 1)),
        ]
    }

    func total(_ counts: [RoutingKey: Int]) -> [RoutingKey: Int] {
        RoutingRollup.total(counts.map { ($0.key, $0.value) }, fromMs: Self.start, toMs: Self.start + 3_600_000, stepMs: nil)
    }

    @Test func itCountsWhereSensitiveDataWasKeptEachTiersOutcomesAndWhyAttemptsFellBack() {
        let counts = total(RoutingRollup.counts(of: Self.entries))
        func n(_ route: String, _ kind: RoutingKey.Kind, _ name: String, _ detail: String) -> Int? {
            counts[RoutingKey(bucketMs: 0, route: route, kind: kind, name: name, detail: detail)]
        }
        #expect(n("auto", .sensitive, RoutingKey.anyCategory, "on-prem") == 1 && n("auto", .sensitive, RoutingKey.anyCategory, "local") == 1)
        #expect(n("auto", .sensitive, RoutingKey.anyCategory, "pseudonymized") == 1 && n("auto", .sensitive, RoutingKey.anyCategory, "refused") == 1)
        #expect(n("auto", .sensitive, "email", "on-prem") == 1 && n("auto", .sensitive, "email", "local") == 1 && n("auto", .sensitive, "email", "pseudonymized") == 1)
        #expect(n("auto", .sensitive, "person", "any") == 1, "a category named twice in one request counts it once")
        #expect(n("triage", .tier, "1:small", "rejected") == 1 && n("triage", .tier, "1:small", "accepted") == 1 && n("triage", .tier, "1:small", "failed") == 1)
        #expect(n("triage", .tier, "2:big", "accepted") == 2)
        #expect(n("triage", .check, "1:small", "min_logprob") == 1 && n("triage", .check, "1:small", "json") == nil, "only the checks that failed")
        #expect(n("auto", .fallback, "local", "deadline: # ms left") == 2, "figures in a reason are one row")
        #expect(n("auto", .fallback, "local", "HTTP 500") == 1 && n("auto", .fallback, "cloud", "error") == 1)
        #expect(counts.keys.allSatisfy { !($0.kind == .fallback && $0.route == "triage") }, "a cascade's failed tier is a tier outcome, not a fallback")
        #expect(n("auto", .door, "openai.chat", "") == 1 && n("auto", .door, "anthropic.messages", "") == 1, "a record from before doors counts none")
        #expect(counts.values.reduce(0, +) == 23, "\(counts)")
    }

    @Test func aHostileNameIsBoundedAndAReasonKeepsItsStatus() {
        let long = String(repeating: "x", count: 5_000)
        let counts = RoutingRollup.counts(of: [Self.request(0, pii: [long], attempts: [])])
        #expect(counts.keys.allSatisfy { $0.name.count <= 96 && $0.detail.count <= 96 })
        #expect(RoutingRollup.reason("HTTP 429") == "HTTP 429" && RoutingRollup.reason("first-token timeout after 500 ms") == "first-token timeout after # ms")
    }

    func store(_ path: String) throws -> SQLiteLedgerStore {
        try SQLiteLedgerStore(path: path, linker: ChainLinker(checkpointEvery: 50, key: .init(size: .bits256)))
    }

    @Test func theStoreKeepsTheRecordsCountsPerStepAndFillsThemForAnOlderLedger() async throws {
        let path = NSTemporaryDirectory() + "frontier-routing-\(UUID().uuidString).db"
        var ledger = try store(path)
        let entries = Self.entries
        for chunk in stride(from: 0, to: entries.count, by: 4) { _ = try await ledger.append(Array(entries[chunk..<min(entries.count, chunk + 4)])) }
        let expected = RoutingRollup.counts(of: entries)
        let to = Self.start + 3_600_000
        #expect(try await ledger.routing(fromMs: Self.start, toMs: to, stepMs: nil) == total(expected))
        // Per step (15 minutes): the fallbacks over time as the page draws them.
        let stepped = try await ledger.routing(fromMs: Self.start, toMs: to, stepMs: 900_000)
        #expect(stepped == RoutingRollup.total(expected.map { ($0.key, $0.value) }, fromMs: Self.start, toMs: to, stepMs: 900_000))
        #expect(Set(stepped.keys.map(\.bucketMs)).allSatisfy { $0 % 900_000 == 0 } && Set(stepped.keys.map(\.bucketMs)).count == 1)
        await ledger.close()

        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "DROP TABLE ledger_routing")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v6-routing'")
        }
        try queue.close()
        ledger = try store(path)
        #expect(try await ledger.routing(fromMs: Self.start, toMs: to, stepMs: nil) == total(expected), "filled from the records")
        await ledger.close()
    }
}
