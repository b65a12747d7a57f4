import Crypto
import Foundation
import FrontierCore
import GRDB
import Testing
@testable import FrontierLedger

/// Tampering with a real SQLite ledger, as someone with the file would: each
/// kind of change is named by the verifier.
@Suite struct TamperTests {
    static let key = SymmetricKey(data: Array(repeating: UInt8(7), count: 32))

    func record(_ n: Int) -> LedgerRecord {
        LedgerRecord(
            requestID: "req-\(n)", timeMs: 1_700_000_000_000 + Int64(n), route: "auto", model: "gemma-local", status: 200,
            decision: "model=gemma-local; rule=best", attempts: [.init(model: "gemma-local", outcome: "accepted", inputTokens: 10, outputTokens: 5, costUSD: 0.001)],
            promptHMAC: ChainHash.promptHMAC("prompt \(n)", key: Self.key), latencyMs: 12.5)
    }

    /// A ledger of ten records (checkpoints every four) in a fresh file; `body` tampers with it.
    func tampered(_ body: @escaping @Sendable (Database) throws -> Void) async throws -> ChainVerifier.Report {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteLedgerStore(path: path, linker: ChainLinker(checkpointEvery: 4, key: Self.key))
        _ = try await store.append((1...6).map(record))
        _ = try await store.append((7...10).map(record))
        await store.close()
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try body(db) }
        try queue.close()
        let reopened = try SQLiteLedgerStore(path: path, linker: ChainLinker(checkpointEvery: 4, key: Self.key))
        defer { Task { await reopened.close() } }
        return ChainVerifier.verify(
            try await reopened.records(fromMs: nil, toMs: nil), checkpoints: try await reopened.checkpoints(), key: Self.key, head: try await reopened.head())
    }

    @Test func anUntouchedLedgerVerifies() async throws {
        let report = try await tampered { _ in }
        #expect(report.ok, "\(report.problems)")
        #expect(report.records == 10 && report.checkpoints == 2)
    }

    @Test func anEditedFieldIsNamed() async throws {
        let report = try await tampered { db in
            try db.execute(sql: "UPDATE ledger_records SET body = replace(body, '\"cost_usd\":0.001', '\"cost_usd\":0.0001') WHERE seq = 5")
        }
        #expect(report.problems.first?.kind == .modified)
        #expect(report.problems.first?.seq == 5)
        #expect(report.problems.first?.message.contains("record 5 (request req-5) was modified") == true)
    }

    @Test func aDeletedRecordIsNamed() async throws {
        let report = try await tampered { db in try db.execute(sql: "DELETE FROM ledger_records WHERE seq = 6") }
        #expect(report.problems.first?.kind == .deleted)
        #expect(report.problems.first?.message.contains("record 6 was deleted") == true)
    }

    @Test func aDeletionHiddenByRenumberingIsNamedToo() async throws {
        let report = try await tampered { db in
            try db.execute(sql: "DELETE FROM ledger_records WHERE seq = 6")
            try db.execute(sql: "UPDATE ledger_records SET seq = seq - 1 WHERE seq > 6")
            try db.execute(sql: "UPDATE ledger_head SET seq = seq - 1")
        }
        #expect(report.problems.first?.kind == .deleted)
        #expect(report.problems.first?.message.contains("a record before record 6 (request req-7) was deleted") == true)
    }

    @Test func swappedRecordsAreNamed() async throws {
        let report = try await tampered { db in
            try db.execute(sql: "UPDATE ledger_records SET seq = -1 WHERE seq = 3")
            try db.execute(sql: "UPDATE ledger_records SET seq = 3 WHERE seq = 4")
            try db.execute(sql: "UPDATE ledger_records SET seq = 4 WHERE seq = -1")
        }
        #expect(report.problems.first?.kind == .reordered)
        #expect(report.problems.first?.message.contains("record 3 (request req-4) is out of order") == true)
    }

    @Test func anInsertedRecordIsNamed() async throws {
        // A forger who knows the scheme (but not the key): a well-formed, correctly hashed record linked to record 4.
        let report = try await tampered { db in
            let previous = try String.fetchOne(db, sql: "SELECT hash FROM ledger_records WHERE seq = 4") ?? ""
            var forged = self.record(99)
            forged.requestID = "req-forged"
            let body = forged.canonical
            try db.execute(sql: "UPDATE ledger_records SET seq = seq + 1000 WHERE seq > 4")
            try db.execute(sql: "UPDATE ledger_records SET seq = seq - 999 WHERE seq > 1000")
            try db.execute(
                sql: "INSERT INTO ledger_records (seq, request_id, time_ms, body, previous_hash, hash) VALUES (5, 'req-forged', ?, ?, ?, ?)",
                arguments: [forged.timeMs, String(decoding: body, as: UTF8.self), previous, ChainHash.hash(body, previous: previous)])
        }
        #expect(report.problems.first?.kind == .inserted)
        #expect(report.problems.first?.message.contains("record 5 (request req-forged) was inserted") == true)
    }

    @Test func recordsCutFromTheEndAreNamed() async throws {
        let report = try await tampered { db in try db.execute(sql: "DELETE FROM ledger_records WHERE seq > 8") }
        #expect(report.problems.first?.message.contains("records 9-10 were deleted from the end") == true)
    }

    @Test func aRewrittenChainFailsItsKeyedCheckpoints() async throws {
        // Rewriting everything consistently (new hashes, links and head) still cannot forge the checkpoints' MACs.
        let report = try await tampered { db in
            var previous = ChainHash.genesis
            for seq in 1...10 {
                var body = try String.fetchOne(db, sql: "SELECT body FROM ledger_records WHERE seq = ?", arguments: [seq]) ?? ""
                body = body.replacingOccurrences(of: "\"cost_usd\":0.001", with: "\"cost_usd\":0.002")
                let hash = ChainHash.hash(Array(body.utf8), previous: previous)
                try db.execute(sql: "UPDATE ledger_records SET body = ?, previous_hash = ?, hash = ? WHERE seq = ?", arguments: [body, previous, hash, seq])
                previous = hash
            }
            try db.execute(sql: "UPDATE ledger_head SET hash = ?", arguments: [previous])
        }
        #expect(report.problems.map(\.kind) == [.checkpoint, .checkpoint])
        #expect(report.problems.first?.message.contains("record 4 differs from its checkpoint") == true)
    }

    @Test func aReadOnlyFileIsAClearErrorAtStartUp() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-ro-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data())
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        guard getuid() != 0 else {
            // Root writes read-only files anyway; a directory that does not exist fails for everyone.
            #expect { try SQLiteLedgerStore(path: "/nonexistent/dir/ledger.sqlite", linker: ChainLinker(checkpointEvery: 4, key: Self.key)) } throws: {
                "\($0)".contains("cannot open /nonexistent/dir/ledger.sqlite for writing")
            }
            return
        }
        #expect { try SQLiteLedgerStore(path: path, linker: ChainLinker(checkpointEvery: 4, key: Self.key)) } throws: { "\($0)".contains("cannot open") }
    }
}

@Suite struct CanonicalEncodingTests {
    @Test func theDirectEncodingEqualsTheSortedJSON() throws {
        let full = LedgerRecord(
            requestID: "r\"1", timeMs: 1_700_000_000_123, apiKeyID: "key_abc", route: "support", model: "gpt-4o", status: 200,
            decision: "model=gpt-4o; rule=cascade", decisionDetail: ["b": 1, "a": ["z": true, "y": .null]],
            attempts: [
                .init(model: "gemma", upstreamModel: "gemma-3", outcome: "rejected", inputTokens: 10, outputTokens: 3, cachedInputTokens: 2,
                      costUSD: 0.0000123, firstTokenMs: 12.3456, latencyMs: 99.99999, error: nil, checks: [["check": "json_schema", "passed": false]]),
                .init(model: "gpt-4o", outcome: "accepted", inputTokens: 12, outputTokens: 7, costUSD: 2.6e-05, latencyMs: 5, error: "none"),
            ],
            piiCategories: ["email", "phone"], domain: "law", promptHMAC: "ab12", latencyMs: 123.4567,
            encryptedPrompt: "cHJvbXB0", encryptedResponse: "cmVzcG9uc2U=", kind: nil, zone: "on_prem", routerVersion: "0123456789abcdef",
            arm: "candidate", experiment: "fedcba9876543210", shadowModel: "gpt-4o", shadowVersion: "0011223344556677")
        #expect(full.canonical == full.json.canonicalSerialized())
        let minimal = LedgerRecord(requestID: "r2", timeMs: 0, route: "auto", model: nil, status: 422, decision: "", attempts: [], promptHMAC: "", latencyMs: 0)
        #expect(minimal.canonical == minimal.json.canonicalSerialized())
        #expect(try LedgerRecord(json: try JSONParser.parse(full.canonical)) == LedgerRecord(json: full.json))
        // Latencies are rounded on the way in; the fields themselves come back.
        let back = try LedgerRecord(json: try JSONParser.parse(full.canonical))
        #expect(back.routerVersion == "0123456789abcdef" && back.zone == "on_prem")
    }

    @Test func feedbackEncodesAsTheSortedJSONToo() throws {
        let feedback = FeedbackRecord(
            requestID: "frq_1", timeMs: 5, apiKeyID: "key_a", model: "m", score: 0.25, label: "wrong_dose", source: .check, weight: 0.5,
            encryptedComment: "c2VhbGVk")
        let bytes = feedback.canonical
        let parsed = try JSONParser.parse(bytes)
        #expect(parsed.canonicalSerialized() == bytes)
        #expect(try FeedbackRecord(json: parsed) == feedback)
        let event = LedgerEvent(name: LedgerEvent.experimentStopped, timeMs: 9, subject: "fedcba9876543210", detail: ["reason": "quality", "n": 3])
        #expect(try JSONParser.parse(event.canonical).canonicalSerialized() == event.canonical)
        #expect(try LedgerEntry(json: JSONParser.parse(event.canonical)) == .event(event))
    }
}
