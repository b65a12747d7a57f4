public import FrontierCore

/// Where tenants' API keys and their budgets live: the ledger's own database
/// (SQLite, or PostgreSQL shared by every instance), in tables of their own.
///
/// Budgets are held per key and period as nanodollars spent and leased: every
/// instance leases a slice of what is left atomically (``lease(key:periodStartMs:budget:amount:instance:)``),
/// reserves against its slice in memory (``BudgetLease``), and writes back what
/// it spent and the lease it no longer holds (``settle(key:periodStartMs:spent:released:instance:)``).
/// The store grants lease only while `spent + leased ≤ budget`.
///
/// An instance that dies holding a slice leaves it leased: never handed out
/// twice, so its unwritten spending cannot be spent again (the slice is
/// stranded until the period ends, at most one slice per crash).
public protocol KeyStore: Sendable {
    func insert(_ key: APIKeyRecord) async throws
    func update(_ key: APIKeyRecord) async throws
    /// Every key, revoked ones included, oldest first.
    func keys() async throws -> [APIKeyRecord]
    func key(id: String) async throws -> APIKeyRecord?
    func key(secretSHA256: String) async throws -> APIKeyRecord?

    /// Grants `instance` up to `amount` of what the period has left (0 when nothing is), atomically
    /// across instances; returns the grant and what is left after it.
    func lease(key: String, periodStartMs: Int64, budget: Int64, amount: Int64, instance: String) async throws -> (granted: Int64, free: Int64)
    /// Adds `spent` to the period's spending and takes `released` off `instance`'s lease.
    func settle(key: String, periodStartMs: Int64, spent: Int64, released: Int64, instance: String) async throws
    /// The period's spending, and the lease every instance holds.
    func budget(key: String, periodStartMs: Int64) async throws -> (spent: Int64, leased: Int64)
}
