import Foundation
import FrontierCore
import FrontierLedger
import Testing

@Suite struct KeyStoreTests {
    func store() throws -> SQLiteLedgerStore {
        let path = NSTemporaryDirectory() + "frontier-keys-\(UUID().uuidString).db"
        return try SQLiteLedgerStore(path: path, linker: ChainLinker(checkpointEvery: 10, key: .init(size: .bits256)))
    }

    @Test func keysAreKeptAsHashesAndFoundByThem() async throws {
        let ledger = try store()
        let keys = ledger.keyStore
        let (record, secret) = KeySecret.record(name: "billing", policy: KeyPolicy(models: ["a"], budgetUSD: 3), nowMs: 1_000)
        try await keys.insert(record)
        #expect(secret.hasPrefix("fk_") && secret.count == 67)
        #expect(record.secretSHA256 == KeySecret.hash(secret) && !record.secretSHA256.contains(secret))
        #expect(try await keys.key(secretSHA256: KeySecret.hash(secret)) == record)
        #expect(try await keys.key(secretSHA256: KeySecret.hash(secret + "x")) == nil)
        var revoked = record
        revoked.revokedMs = 2_000
        try await keys.update(revoked)
        #expect(try await keys.key(id: record.id)?.isActive(at: 3_000) == false)
        #expect(try await keys.keys().map(\.id) == [record.id])
        await ledger.close()
    }

    @Test func theAdminKeyComparisonIsExact() {
        #expect(KeySecret.matches("abc", "abc"))
        #expect(!KeySecret.matches("abc", "abd") && !KeySecret.matches("ab", "abc") && !KeySecret.matches("", "abc"))
    }

    /// Leases asked at once never add up past the budget, and settling gives back exactly what it says.
    @Test func concurrentLeasesNeverExceedTheBudget() async throws {
        let ledger = try store()
        let keys = ledger.keyStore
        let budget: Int64 = 1_000_000
        let granted = try await withThrowingTaskGroup(of: Int64.self) { group in
            for n in 0..<200 {
                group.addTask { try await keys.lease(key: "k", periodStartMs: 0, budget: budget, amount: 7_919, instance: "i\(n % 3)").granted }
            }
            return try await group.reduce(0, +)
        }
        #expect(granted == budget)
        #expect(try await keys.budget(key: "k", periodStartMs: 0) == (0, budget))
        try await keys.settle(key: "k", periodStartMs: 0, spent: 400_000, released: 1_000_000, instance: "i0")
        #expect(try await keys.budget(key: "k", periodStartMs: 0) == (400_000, 0))
        let more = try await keys.lease(key: "k", periodStartMs: 0, budget: budget, amount: 10_000_000, instance: "i1")
        #expect(more == (600_000, 0))
        await ledger.close()
    }

    @Test func theAdministrationValidatesAndShowsTheBudget() async throws {
        let ledger = try store()
        let admin = KeyAdministration(store: ledger.keyStore, now: { 1_764_547_200_000 })
        await #expect(throws: APIError.self) { _ = try await admin.create(["budget_usd": 1]) }
        await #expect(throws: APIError.self) { _ = try await admin.create(["name": "x", "wings": 2]) }
        let (record, json) = try await admin.create(["name": "x", "budget_usd": 2, "budget_period": "total"])
        #expect(json["key"]?.stringValue?.hasPrefix("fk_") == true)
        _ = try await ledger.keyStore.lease(key: record.id, periodStartMs: 0, budget: 2_000_000_000, amount: 500_000_000, instance: "a")
        try await ledger.keyStore.settle(key: record.id, periodStartMs: 0, spent: 250_000_000, released: 250_000_000, instance: "a")
        let shown = try await admin.show(record.id)
        #expect(shown["spent_usd"]?.doubleValue == 0.25 && shown["reserved_usd"]?.doubleValue == 0.25 && shown["remaining_usd"]?.doubleValue == 1.5)
        #expect(try await admin.list()["data"]?.arrayValue?.first?["key"] == nil)
        _ = try await admin.revoke(record.id)
        await #expect(throws: APIError.self) { _ = try await admin.update(record.id, ["rpm": 5]) }
        await ledger.close()
    }
}
