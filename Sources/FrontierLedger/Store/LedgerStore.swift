public import Crypto
import FrontierCore

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
    /// The usage sums (``UsageRollup``) a query asks for, of the buckets that overlap [from, to).
    func usage(_ query: UsageQuery) async throws -> UsageRows
    /// At most `limit` records, newest first, before sequence `beforeSeq` (from the head when nil).
    func recent(limit: Int, beforeSeq: Int64?) async throws -> [StoredRecord]
    /// The score sums (``ScoreRollup``) of the buckets that overlap [from, to), per model and source (`bucketMs` 0).
    func scores(fromMs: Int64, toMs: Int64) async throws -> [ScoreKey: ScoreSums]
    /// The routing counts (``RoutingRollup``) of the buckets that overlap [from, to), per step (nil: `bucketMs` 0).
    func routing(fromMs: Int64, toMs: Int64, stepMs: Int64?) async throws -> [RoutingKey: Int]
    func close() async
}

extension LedgerStore {
    /// Read from every record, for a store that can do no better (a test's).
    public func recent(limit: Int, beforeSeq: Int64?) async throws -> [StoredRecord] {
        Array(try await records(fromMs: nil, toMs: nil).filter { $0.seq < beforeSeq ?? Int64.max }.reversed().prefix(max(0, limit)))
    }

    /// The five-minute sums of every dimension (what `frontier report` reads).
    public func usage(fromMs: Int64, toMs: Int64) async throws -> UsageRows {
        try await usage(UsageQuery(fromMs: fromMs, toMs: toMs))
    }

    /// Summed from the records, for a store that keeps no sums of its own.
    public func usage(_ query: UsageQuery) async throws -> UsageRows {
        let from = query.firstBucketMs, to = UsageRollup.floor(query.toMs - 1, query.bucketMs) + query.bucketMs
        let entries = try await records(fromMs: from, toMs: to).compactMap { s in
            (try? JSONParser.parse(s.body)).flatMap { try? LedgerEntry(json: $0) }
        }
        let sums = UsageRollup.sums(of: entries)
        return Array(query.apply(query.hourly ? UsageRollup.hourly(sums) : sums))
    }

    /// Summed from the records, for a store that keeps no sums of its own.
    public func scores(fromMs: Int64, toMs: Int64) async throws -> [ScoreKey: ScoreSums] {
        let entries = try await records(fromMs: UsageRollup.bucket(fromMs), toMs: UsageRollup.bucket(toMs - 1) + UsageRollup.bucketMs).compactMap { s in
            (try? JSONParser.parse(s.body)).flatMap { try? LedgerEntry(json: $0) }
        }
        return ScoreRollup.total(ScoreRollup.sums(of: entries).map { ($0.key, $0.value) }, fromMs: fromMs, toMs: toMs)
    }

    /// Counted from the records, for a store that keeps no counts of its own.
    public func routing(fromMs: Int64, toMs: Int64, stepMs: Int64?) async throws -> [RoutingKey: Int] {
        let entries = try await records(fromMs: UsageRollup.bucket(fromMs), toMs: UsageRollup.bucket(toMs - 1) + UsageRollup.bucketMs).compactMap { s in
            (try? JSONParser.parse(s.body)).flatMap { try? LedgerEntry(json: $0) }
        }
        return RoutingRollup.total(RoutingRollup.counts(of: entries).map { ($0.key, $0.value) }, fromMs: fromMs, toMs: toMs, stepMs: stepMs)
    }
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
