import Foundation
import FrontierLedger
import Testing

@Suite struct PrivateFileTests {
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "frontier-private-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    @Test func theDatabaseAndItsWALAreCreatedOwnerOnly() async throws {
        let dir = try folder()
        let old = umask(0o022)
        defer { umask(old) }
        let path = dir + "/ledger.db"
        let store = try SQLiteLedgerStore(path: path, linker: ChainLinker(checkpointEvery: 10, key: .init(size: .bits256)))
        _ = try await store.append([LedgerRecord(requestID: "r", timeMs: 0, route: "m", model: "m", status: 200, decision: "", attempts: [], promptHMAC: "", latencyMs: 0)])
        #expect(PrivateFile.mode(of: path) == 0o600)
        #expect(PrivateFile.mode(of: path + "-wal") == 0o600)
        await store.close()
    }

    @Test func aKeyFileIsBornOwnerOnlyAndNeverOverwritten() throws {
        let dir = try folder()
        try PrivateFile.create(dir + "/k", contents: Array(repeating: 7, count: 32))
        #expect(PrivateFile.mode(of: dir + "/k") == 0o600)
        #expect(throws: PrivateFile.Failure.self) { try PrivateFile.create(dir + "/k", contents: [1]) }
        #expect(FileManager.default.contents(atPath: dir + "/k")?.count == 32)
    }
}
