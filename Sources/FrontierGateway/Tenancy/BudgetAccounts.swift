import FrontierCore
import FrontierLedger
import Logging
import Synchronization

/// Every key's ``BudgetAccount`` for its current period on this instance,
/// and the loop that writes their spending back and returns idle slices.
final class BudgetAccounts: Sendable {
    struct AccountID: Hashable {
        var key: String
        var periodStartMs: Int64
    }

    let store: any KeyStore
    /// Names this process's leases in the store.
    let instance: String
    private let logger: Logger
    private let accounts = Mutex<[AccountID: BudgetAccount]>([:])
    /// A slice no call has asked of for this long goes back to the store, for other instances to lease.
    static let idleMs: Int64 = 1_000

    init(store: any KeyStore, logger: Logger) {
        self.store = store
        self.logger = logger
        self.instance = "gw-" + String(KeySecret.make().dropFirst(KeySecret.prefix.count).prefix(16))
    }

    /// The account a request of `key` reserves against; nil for a key without a budget.
    func account(for key: APIKeyRecord, nowMs: Int64) -> BudgetAccount? {
        guard let budgetUSD = key.policy.budgetUSD else { return nil }
        let budget = Nanodollars.up(budgetUSD)
        let id = AccountID(key: key.id, periodStartMs: key.policy.budgetPeriod.start(of: nowMs))
        let account = accounts.withLock { accounts in
            if let account = accounts[id] { return account }
            let account = BudgetAccount(keyID: key.id, periodStartMs: id.periodStartMs, budget: budget, store: store, instance: instance, logger: logger)
            accounts[id] = account
            return account
        }
        account.update(budget: budget)
        return account
    }

    /// What this instance holds of a key's period, for `GET /admin/keys/{id}`.
    func lease(key: String, periodStartMs: Int64) -> BudgetLease? {
        accounts.withLock { $0[AccountID(key: key, periodStartMs: periodStartMs)] }?.snapshot
    }

    /// Writes every account back; `final` returns every free slice (shutdown). Accounts empty and
    /// unused for ten minutes (a past period's, a key gone quiet) are forgotten.
    func flush(nowMs: Int64, final: Bool = false) async {
        let all = accounts.withLock { Array($0.values) }
        for account in all { await account.flush(nowMs: nowMs, idleMs: Self.idleMs, final: final) }
        accounts.withLock { accounts in
            for (id, account) in accounts where account.retireIfIdle(nowMs: nowMs, idleMs: 600_000) { accounts[id] = nil }
        }
    }
}
