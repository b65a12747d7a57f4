import Crypto
import Foundation
import FrontierCore
import GRDB
import Testing
@testable import FrontierLedger

/// Feedback is its own record in the chain: found by the request it scores,
/// read back exactly, and covered by `audit verify` like any record.
@Suite struct FeedbackChainTests {
    static let key = SymmetricKey(data: Array(repeating: UInt8(9), count: 32))

    func request(_ id: String) -> LedgerRecord {
        LedgerRecord(
            requestID: id, timeMs: 1_700_000_000_000, apiKeyID: "key_a", route: "auto", model: "gemma-local", status: 200,
            decision: "model=gemma-local; rule=best", attempts: [.init(model: "gemma-local", outcome: "accepted", inputTokens: 10, outputTokens: 5)],
            promptHMAC: ChainHash.promptHMAC("p", key: Self.key), latencyMs: 3)
    }

    func feedback(_ id: String, score: Double, label: String? = nil) -> FeedbackRecord {
        FeedbackRecord(requestID: id, timeMs: 1_700_000_000_500, apiKeyID: "key_a", model: "gemma-local", score: score, label: label)
    }

    func withStore(_ body: (SQLiteLedgerStore, String) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("feedback-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteLedgerStore(path: path, linker: ChainLinker(checkpointEvery: 2, key: Self.key))
        try await body(store, path)
        await store.close()
    }

    @Test func feedbackRoundTripsAndIsFoundByItsRequest() async throws {
        try await withStore { store, _ in
            _ = try await store.append([.request(request("r1")), .request(request("r2"))])
            let posted = feedback("r1", score: 0.25, label: "wrong_dose")
            _ = try await store.append([.feedback(posted), .feedback(feedback("r1", score: 1))])
            let found = try await store.records(requestID: "r1")
            #expect(found.count == 3)
            let entries = try found.map { try LedgerEntry(json: try JSONParser.parse($0.body)) }
            #expect(entries[0].request?.requestID == "r1")
            #expect(entries[1] == .feedback(posted))
            #expect(entries[2].feedback?.score == 1)
            // A request's reader does not mistake feedback for a request.
            #expect(throws: LedgerError.self) { try LedgerRecord(json: try JSONParser.parse(found[1].body)) }
            #expect(try await store.records(requestID: "r3").isEmpty)
        }
    }

    @Test func anEditedFeedbackScoreBreaksTheChain() async throws {
        try await withStore { store, path in
            _ = try await store.append([.request(request("r1")), .feedback(feedback("r1", score: 0)), .request(request("r2"))])
            let before = ChainVerifier.verify(try await store.records(fromMs: nil, toMs: nil), checkpoints: try await store.checkpoints(), key: Self.key)
            #expect(before.ok, "\(before.problems)")
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "UPDATE ledger_records SET body = replace(body, '\"score\":0', '\"score\":1') WHERE seq = 2")
            }
            try queue.close()
            let after = ChainVerifier.verify(try await store.records(fromMs: nil, toMs: nil), checkpoints: try await store.checkpoints(), key: Self.key)
            #expect(after.problems.first?.kind == .modified)
            #expect(after.problems.first?.seq == 2)
        }
    }
}
