public import FrontierConfig
import FrontierCore
public import FrontierLedger
public import Logging
import Glibc

/// Everything the gateway keeps for tenants when `auth:` is on: the keys,
/// their budget slices and rate windows, and the admin key.
///
/// ```swift
/// let tenancy = Tenancy(auth: auth, store: ledger.store.keyStore, logger: logger)
/// let server = GatewayServer(configuration: config, ledger: ledger, tenancy: tenancy, logger: logger)
/// // and TenantService(tenancy: tenancy) in the service group, before the server
/// ```
public final class Tenancy: Sendable {
    let adminKey: String
    let directory: KeyDirectory
    let budgets: BudgetAccounts
    let rates: RateLimiter
    let administration: KeyAdministration

    public init(auth: AuthSettings, store: any KeyStore, logger: Logger) {
        self.adminKey = auth.adminKey
        let budgets = BudgetAccounts(store: store, logger: logger)
        self.directory = KeyDirectory(store: store)
        self.budgets = budgets
        self.rates = RateLimiter()
        self.administration = KeyAdministration(store: store, local: { key, start in budgets.lease(key: key, periodStartMs: start) })
    }

    /// Loads every key from the store (at start-up; ``TenantService`` keeps it fresh).
    public func reload() async throws {
        try await directory.reload()
    }

    /// Whether `presented` is the admin key (in constant time).
    func isAdmin(_ presented: Substring?) -> Bool {
        guard let presented else { return false }
        return KeySecret.matches(presented, adminKey)
    }

    static func wallClockMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
