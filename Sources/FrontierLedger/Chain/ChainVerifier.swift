public import Crypto
public import FrontierCore

/// Walks the chain in sequence order and names the first record that was
/// modified, deleted, inserted or moved, and any checkpoint that disagrees.
///
/// - modified: its bytes no longer give its hash, or a column disagrees with them;
/// - deleted: a gap in the sequence, or its link points at no record we have;
/// - inserted: the record after it links past it, to the one before;
/// - reordered: its link points at a record that comes later.
public enum ChainVerifier {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable { case modified, deleted, inserted, reordered, checkpoint }
        public var kind: Kind
        public var seq: Int64
        public var message: String
        public var description: String { "\(kind.rawValue): \(message)" }
    }

    public struct Report: Sendable {
        public var records: Int
        public var checkpoints: Int
        public var problems: [Problem]
        public var ok: Bool { problems.isEmpty }
    }

    /// - Parameter head: where the store says the chain ends; records cut from the end show against it.
    public static func verify(_ records: [StoredRecord], checkpoints: [Checkpoint], key: SymmetricKey?, head: (seq: Int64, hash: String)? = nil) -> Report {
        let records = records.sorted { $0.seq < $1.seq }
        var problems: [Problem] = []
        let positionOfHash = Dictionary(records.enumerated().map { ($1.hash, $0) }, uniquingKeysWith: { a, _ in a })
        var expectedPrevious = ChainHash.genesis
        var expectedSeq: Int64 = 1
        for (i, record) in records.enumerated() {
            let name = "record \(record.seq) (request \(record.requestID))"
            if ChainHash.hash(record.body, previous: record.previousHash) != record.hash {
                problems.append(Problem(kind: .modified, seq: record.seq, message: "\(name) was modified: its content no longer matches its hash"))
                break
            }
            if let columnProblem = columnsDisagree(record) {
                problems.append(Problem(kind: .modified, seq: record.seq, message: "\(name) was modified: \(columnProblem)"))
                break
            }
            if record.previousHash != expectedPrevious {
                if let target = positionOfHash[record.previousHash], target > i {
                    problems.append(Problem(kind: .reordered, seq: record.seq, message: "\(name) is out of order: it follows record \(records[target].seq) in the chain"))
                } else if let target = positionOfHash[record.previousHash], target < i - 1 {
                    let inserted = records[(target + 1)..<i].map { "\($0.seq) (request \($0.requestID))" }.joined(separator: ", ")
                    problems.append(Problem(kind: .inserted, seq: records[target + 1].seq, message: "record \(inserted) was inserted: \(name) links past it"))
                } else if record.seq > expectedSeq {
                    problems.append(Problem(kind: .deleted, seq: expectedSeq, message: "record \(expectedSeq)\(record.seq - expectedSeq > 1 ? "-\(record.seq - 1)" : "") was deleted: \(name) follows record \(expectedSeq - 1)"))
                } else {
                    problems.append(Problem(kind: .deleted, seq: record.seq, message: "a record before \(name) was deleted: it links to a record that is not in the ledger"))
                }
                break
            }
            if record.seq != expectedSeq {
                // Linked correctly but numbered wrong: the numbers were edited.
                problems.append(Problem(kind: .modified, seq: record.seq, message: "\(name) has sequence number \(record.seq), expected \(expectedSeq)"))
                break
            }
            expectedPrevious = record.hash
            expectedSeq = record.seq + 1
        }
        if problems.isEmpty, let head {
            let last = records.last
            if head.seq > (last?.seq ?? 0) {
                problems.append(Problem(kind: .deleted, seq: (last?.seq ?? 0) + 1, message: "records \((last?.seq ?? 0) + 1)-\(head.seq) were deleted from the end of the chain"))
            } else if head.seq != (last?.seq ?? 0) || head.hash != (last?.hash ?? ChainHash.genesis) {
                problems.append(Problem(kind: .modified, seq: head.seq, message: "the chain's head (record \(head.seq)) does not match its last record"))
            }
        }
        let bySeq = Dictionary(records.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        for checkpoint in checkpoints.sorted(by: { $0.seq < $1.seq }) {
            if let key, ChainHash.checkpointMAC(seq: checkpoint.seq, hash: checkpoint.hash, key: key) != checkpoint.mac {
                problems.append(Problem(kind: .checkpoint, seq: checkpoint.seq, message: "checkpoint at record \(checkpoint.seq) does not carry a valid MAC: it was forged or the key is wrong"))
            } else if let record = bySeq[checkpoint.seq], record.hash != checkpoint.hash {
                problems.append(Problem(kind: .checkpoint, seq: checkpoint.seq, message: "record \(checkpoint.seq) differs from its checkpoint: the chain up to it was rewritten"))
            } else if bySeq[checkpoint.seq] == nil {
                problems.append(Problem(kind: .checkpoint, seq: checkpoint.seq, message: "record \(checkpoint.seq) named by a checkpoint is missing: records were deleted"))
            }
        }
        return Report(records: records.count, checkpoints: checkpoints.count, problems: problems)
    }

    /// The columns kept beside the body for queries must say what the body says.
    static func columnsDisagree(_ record: StoredRecord) -> String? {
        guard let json = try? JSONParser.parse(record.body) else { return "its stored content is not JSON" }
        // An event's column is derived from its name (it has no request): the entry's own reading says which.
        let requestID = json["kind"]?.stringValue == LedgerEvent.kind ? (try? LedgerEvent(json: json))?.requestID : json["request_id"]?.stringValue
        if requestID != record.requestID { return "its request_id column differs from its content" }
        if json["time_ms"]?.intValue.map(Int64.init) != record.timeMs { return "its time column differs from its content" }
        return nil
    }
}
