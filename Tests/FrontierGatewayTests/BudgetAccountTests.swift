import Foundation
import FrontierCore
@testable import FrontierGateway
import FrontierLedger
import Logging
import Testing

/// The account's concurrency against a real SQLite store: many calls
/// reserving at once, most of them short of the slice and waiting on one
/// lease request, never hold or spend more than the budget.
@Suite struct BudgetAccountTests {
    func accounts() throws -> (BudgetAccounts, SQLiteLedgerStore) {
        let path = NSTemporaryDirectory() + "frontier-budget-\(UUID().uuidString).db"
        let ledger = try SQLiteLedgerStore(path: path, linker: ChainLinker(checkpointEvery: 10, key: .init(size: .bits256)))
        return (BudgetAccounts(store: ledger.keyStore, logger: Logger(label: "test")), ledger)
    }

    @Test func concurrentCallsNeverSpendPastTheBudgetAndLeaveNothingStranded() async throws {
        let (budgets, ledger) = try accounts()
        let key = APIKeyRecord(id: "key_test", name: "t", secretSHA256: "h", policy: KeyPolicy(budgetUSD: 1, budgetPeriod: .total), createdMs: 0, updatedMs: 0)
        let account = try #require(budgets.account(for: key, nowMs: 0))
        let worst = Nanodollars.up(0.03), actual = Nanodollars.up(0.022)
        let served = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<300 {
                group.addTask {
                    guard await account.reserve(worst, nowMs: 0) == .reserved else { return 0 }
                    try? await Task.sleep(for: .milliseconds(Int.random(in: 1...20)))
                    account.settle(reservation: worst, actual: actual)
                    return 1
                }
            }
            return await group.reduce(0, +)
        }
        #expect(Int64(served) * actual <= Nanodollars.up(1))
        // Sequential calls use what the burst left.
        var more = 0
        while await account.reserve(worst, nowMs: 0) == .reserved {
            account.settle(reservation: worst, actual: actual)
            more += 1
        }
        let total = Int64(served + more) * actual
        #expect(total <= Nanodollars.up(1) && total >= Nanodollars.up(0.97), "\(served) + \(more) served")
        await budgets.flush(nowMs: 0, final: true)
        let (spent, leased) = try await ledger.keyStore.budget(key: key.id, periodStartMs: 0)
        #expect(spent == total && leased == 0)
        await ledger.close()
    }

    @Test func aDroppedHoldIsChargedItsWholeReservation() async throws {
        let (budgets, ledger) = try accounts()
        let key = APIKeyRecord(id: "key_drop", name: "t", secretSHA256: "h", policy: KeyPolicy(budgetUSD: 1, budgetPeriod: .total), createdMs: 0, updatedMs: 0)
        let account = try #require(budgets.account(for: key, nowMs: 0))
        #expect(await account.reserve(100, nowMs: 0) == .reserved)
        do { _ = BudgetHold(account: account, reserved: 100, price: .free) }
        #expect(account.snapshot.unflushed == 100 && account.snapshot.reserved == 0)
        let settled = BudgetHold(account: account, reserved: 0, price: Price(inputPerMTok: 1, outputPerMTok: 1))
        settled.settle(nil)
        settled.settle(Usage(promptTokens: 1_000_000, completionTokens: 0))  // only the first settle counts
        #expect(account.snapshot.unflushed == 100)
        await ledger.close()
    }
}
