import FrontierCore
import FrontierLedger
import Logging
import Synchronization

/// The tenants' keys this instance knows, by the SHA-256 of their secret:
/// reloaded from the store every couple of seconds (a key revoked on another
/// instance stops working here within one reload), and changed at once by
/// this instance's own admin calls.
///
/// A secret not in the table is looked up in the store (a key just created
/// on another instance), but only so often per second: a flood of made-up
/// keys costs the database nothing past that.
final class KeyDirectory: Sendable {
    let store: any KeyStore
    private let keys = Mutex<[String: APIKeyRecord]>([:])
    private let misses = Mutex<(second: Int64, count: Int)>((0, 0))
    static let missLookupsPerSecond = 20

    init(store: any KeyStore) {
        self.store = store
    }

    /// The key whose secret this is, active or not; nil for a secret no key has.
    func key(secret: some StringProtocol, nowMs: Int64) async -> APIKeyRecord? {
        let hash = KeySecret.hash(secret)
        if let known = keys.withLock({ $0[hash] }) { return known }
        let allowed = misses.withLock { state -> Bool in
            let second = nowMs / 1000
            if state.second != second { state = (second, 0) }
            state.count += 1
            return state.count <= Self.missLookupsPerSecond
        }
        guard allowed, let found = try? await store.key(secretSHA256: hash) else { return nil }
        put(found)
        return found
    }

    /// A key as this instance's admin API just wrote it.
    func put(_ key: APIKeyRecord) {
        keys.withLock { $0[key.secretSHA256] = key }
    }

    /// Reads every key from the store; the table is replaced only when the read worked.
    func reload() async throws {
        let all = try await store.keys()
        keys.withLock { table in table = Dictionary(all.map { ($0.secretSHA256, $0) }, uniquingKeysWith: { $1 }) }
    }
}
