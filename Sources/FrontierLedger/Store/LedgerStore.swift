public import Crypto

/// Where records are kept: SQLite embedded (the default) or PostgreSQL
/// (several gateways, one ledger). Appends are serialised by the database:
/// each takes the chain's head under a lock, links and numbers its records
/// after it and moves the head, in one transaction, so concurrent writers
/// still make one verifiable chain.
public protocol LedgerStore: Sendable {
    /// Appends entries in one transaction and returns them as stored.
    func append(_ entries: [LedgerEntry]) async throws -> [StoredRecord]
    /// Records with time in [from, to), in sequence order; nil bounds are open.
    func records(fromMs: Int64?, toMs: Int64?) async throws -> [StoredRecord]
    /// Every record naming `requestID` (its intent, its final record, its feedback), in sequence order.
    func records(requestID: String) async throws -> [StoredRecord]
    func checkpoints() async throws -> [Checkpoint]
    /// The chain's head as the store last moved it: (0, genesis) when empty.
    func head() async throws -> (seq: Int64, hash: String)
    func close() async
}

extension LedgerStore {
    /// Appends requests' records in one transaction.
    public func append(_ records: [LedgerRecord]) async throws -> [StoredRecord] {
        try await append(records.map(LedgerEntry.request))
    }
}

/// Numbers, links and hashes records after the head; makes the checkpoints due.
public struct ChainLinker: Sendable {
    public var checkpointEvery: Int64
    public var key: SymmetricKey

    public init(checkpointEvery: Int64, key: SymmetricKey) {
        self.checkpointEvery = checkpointEvery
        self.key = key
    }

    public func link(_ records: [LedgerEntry], after head: (seq: Int64, hash: String)) -> (stored: [StoredRecord], checkpoints: [Checkpoint]) {
        var seq = head.seq, previous = head.hash
        var stored: [StoredRecord] = []
        var checkpoints: [Checkpoint] = []
        for record in records {
            seq += 1
            let body = record.canonical
            let hash = ChainHash.hash(body, previous: previous)
            stored.append(StoredRecord(seq: seq, requestID: record.requestID, timeMs: record.timeMs, body: body, previousHash: previous, hash: hash))
            if checkpointEvery > 0, seq % checkpointEvery == 0 {
                checkpoints.append(Checkpoint(seq: seq, hash: hash, mac: ChainHash.checkpointMAC(seq: seq, hash: hash, key: key)))
            }
            previous = hash
        }
        return (stored, checkpoints)
    }
}
