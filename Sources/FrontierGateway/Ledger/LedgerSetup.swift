public import Crypto
public import Foundation
public import FrontierConfig
import FrontierCore
public import FrontierLedger
public import Logging

/// Opens the ledger a configuration describes: its store, its writer, its keys.
///
/// The HMAC key comes from the environment variable `ledger.key_env`
/// (FRONTIER_LEDGER_KEY); with SQLite and no such variable, a random key is
/// made once and kept in `<database>.key` (mode 0600) beside the database.
/// PostgreSQL needs the variable: every instance must share the key.
public struct LedgerSetup: Sendable {
    public let store: any LedgerStore
    /// Tenants' keys and budgets, in the same database.
    public let keyStore: any KeyStore
    public let writer: LedgerWriter
    public let key: SymmetricKey
    public let bodyKey: SymmetricKey?
    public let settings: LedgerSettings

    /// Nil when the configuration has no `storage:`.
    public static func open(_ configuration: FrontierConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger) async throws(LedgerError) -> LedgerSetup? {
        let settings = configuration.ledger
        guard let backend = settings.backend else { return nil }
        let key = try Self.key(settings, backend: backend, environment: environment)
        var bodyKey: SymmetricKey?
        if settings.storeBodies {
            guard let raw = environment[settings.bodyKeyEnv], !raw.isEmpty else {
                throw .configuration("ledger.store_bodies is on: set \(settings.bodyKeyEnv) to the key that encrypts prompts and responses at rest")
            }
            bodyKey = SymmetricKey(data: SHA256.hash(data: Array(raw.utf8)))
        }
        let linker = ChainLinker(checkpointEvery: Int64(settings.checkpointEvery), key: key)
        let store: any LedgerStore
        let keyStore: any KeyStore
        do {
            switch backend {
            case .sqlite(let path):
                let sqlite = try SQLiteLedgerStore(path: path, linker: linker)
                (store, keyStore) = (sqlite, sqlite.keyStore)
            case .postgres(let url):
                let postgres = try await PostgresLedgerStore(url: url, linker: linker, logger: logger)
                (store, keyStore) = (postgres, postgres.keyStore)
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .storage("\(error)")
        }
        let writer = LedgerWriter(store: store, maxPending: settings.maxPending, flushInterval: .milliseconds(settings.flushMs), logger: logger)
        return LedgerSetup(store: store, keyStore: keyStore, writer: writer, key: key, bodyKey: bodyKey, settings: settings)
    }

    static func key(_ settings: LedgerSettings, backend: LedgerSettings.Backend, environment: [String: String]) throws(LedgerError) -> SymmetricKey {
        if let raw = environment[settings.keyEnv], !raw.isEmpty {
            return SymmetricKey(data: SHA256.hash(data: Array(raw.utf8)))
        }
        guard case .sqlite(let path) = backend else {
            throw .configuration("set \(settings.keyEnv): instances sharing a PostgreSQL ledger must share its HMAC key")
        }
        let file = path + ".key"
        if let data = FileManager.default.contents(atPath: file) {
            // Never replaced: a new key would break every checkpoint made with the old one.
            guard data.count == 32 else {
                throw .configuration(
                    "the ledger key file \(file) holds \(data.count) bytes, not 32: restore it from a backup, or set \(settings.keyEnv); "
                        + "Frontier will not replace it, as the chain's checkpoints were made with it")
            }
            return SymmetricKey(data: data)
        }
        let fresh = SymmetricKey(size: .bits256)
        do {
            try PrivateFile.create(file, contents: fresh.withUnsafeBytes { Array($0) })
        } catch {
            throw .configuration("cannot write the ledger key file: \(error.description); set \(settings.keyEnv) instead")
        }
        return fresh
    }
}
