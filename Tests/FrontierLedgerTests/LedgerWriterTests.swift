import Crypto
import FrontierCore
import Logging
import Synchronization
import Testing
@testable import FrontierLedger

/// The writer's queue, group commit and durability modes, over a store that
/// can be taken down on demand (a real database cannot be, mid-test).
@Suite struct LedgerWriterTests {
    final class FlakyStore: LedgerStore {
        let down = Mutex(false)
        let committed = Mutex<[[LedgerEntry]]>([])

        /// How long a commit takes: records that arrive meanwhile wait for the next group.
        let commitTime: Duration

        init(commitTime: Duration = .zero) {
            self.commitTime = commitTime
        }

        func append(_ records: [LedgerEntry]) async throws -> [StoredRecord] {
            if down.withLock({ $0 }) { throw LedgerError.unavailable("database down") }
            if commitTime > .zero { try await Task.sleep(for: commitTime) }
            committed.withLock { $0.append(records) }
            return []
        }
        func records(fromMs: Int64?, toMs: Int64?) async throws -> [StoredRecord] { [] }
        func records(requestID: String) async throws -> [StoredRecord] { [] }
        func checkpoints() async throws -> [Checkpoint] { [] }
        func head() async throws -> (seq: Int64, hash: String) { (0, ChainHash.genesis) }
        func close() async {}
        var count: Int { committed.withLock { $0.flatMap { $0 }.count } }
    }

    func record(_ n: Int) -> LedgerRecord {
        LedgerRecord(requestID: "r\(n)", timeMs: 0, route: "auto", model: "m", status: 200, decision: "", attempts: [], promptHMAC: "", latencyMs: 0)
    }

    var quiet: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test func strictWaitsForItsCommitAndConcurrentRecordsShareAGroup() async throws {
        // A commit that takes a while, as a real one does: the strict callers that arrive during it share the next.
        let store = FlakyStore(commitTime: .milliseconds(20))
        let writer = LedgerWriter(store: store, flushInterval: .seconds(10), logger: quiet)
        let consumer = Task { await writer.run() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<50 { group.addTask { try await writer.submit(self.record(n), durability: .strict) } }
            try await group.waitForAll()
        }
        #expect(store.count == 50)  // every strict caller returned only after its record was in
        #expect(store.committed.withLock { $0.count } < 50)  // and they were committed in groups
        writer.stop()
        await consumer.value
    }

    /// Polls until `condition` holds. liveness: callers' conditions hold within ~100 ms idle; 15 s holds on busy cores.
    func eventually(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(15)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }  // liveness (the bound above)
        return condition()
    }

    @Test func batchedReturnsAtOnceAndCommitsOnceTheFlushIntervalPasses() async throws {
        // The interval's arithmetic is LedgerFlushPolicyTests'; here the shell around it, on the real clock.
        let store = FlakyStore()
        let writer = LedgerWriter(store: store, flushInterval: .seconds(1), logger: quiet)
        let consumer = Task { await writer.run() }
        for n in 0..<10 { try await writer.submit(record(n), durability: .batched) }
        #expect(try await eventually { store.count == 10 })
        // One group: the ten submits take microseconds, a thousandth of the interval.
        #expect(store.committed.withLock { $0.count } == 1)
        writer.stop()
        await consumer.value
    }

    @Test func whenTheDatabaseIsDownStrictFailsAndNothingIsLost() async throws {
        let store = FlakyStore()
        store.down.withLock { $0 = true }
        let writer = LedgerWriter(store: store, maxPending: 5, flushInterval: .milliseconds(20), logger: quiet)
        let consumer = Task { await writer.run() }
        await #expect(throws: LedgerError.self) { try await writer.submit(record(0), durability: .strict) }
        for n in 1...4 { try await writer.submit(record(n), durability: .batched) }
        // The bound reached: refused (the gateway answers 503), not dropped.
        await #expect(throws: LedgerError.self) { try await writer.submit(record(99), durability: .batched) }
        #expect(writer.stats.refused == 1)
        store.down.withLock { $0 = false }
        #expect(try await eventually { store.count == 5 })
        let committed = store.committed.withLock { $0.flatMap { $0 } }
        #expect(committed.map(\.requestID).sorted() == ["r0", "r1", "r2", "r3", "r4"])
        // The strict request's client got 503: its record says so.
        #expect(committed.first { $0.requestID == "r0" }?.request?.status == 503)
        writer.stop()
        await consumer.value
    }

    @Test func stoppingCommitsWhatIsQueued() async throws {
        let store = FlakyStore()
        let writer = LedgerWriter(store: store, flushInterval: .seconds(60), logger: quiet)
        let consumer = Task { await writer.run() }
        for n in 0..<7 { try await writer.submit(record(n), durability: .batched) }
        writer.stop()
        await consumer.value
        #expect(store.count == 7)
    }
}

extension LedgerWriterTests {
    @Test func aStrictRecordDoesNotWaitOutABatchedRecordsFlushInterval() async throws {
        let store = FlakyStore()
        let writer = LedgerWriter(store: store, flushInterval: .seconds(600), logger: quiet)
        let consumer = Task { await writer.run() }
        try await writer.submit(record(1), durability: .batched)  // the consumer now sleeps up to 600 s for it
        try await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        try await writer.submit(record(2), durability: .strict)
        // liveness: the strict commit returns within a few ms idle; 60 s holds on busy cores, and is a tenth of the interval.
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(store.count == 2)  // the batched record went in the same group
        writer.stop()
        await consumer.value
    }
}

/// The flush timing on an injected clock.
@Suite struct LedgerFlushPolicyTests {
    let policy = LedgerFlushPolicy(flushInterval: .milliseconds(100), maxBatch: 4)
    let start = ContinuousClock.now
    func at(_ ms: Int) -> ContinuousClock.Instant { start + .milliseconds(ms) }

    @Test func batchedRecordsWaitUntilTheOldestIsDue() {
        #expect(policy.step(pending: 2, oldest: at(0), strictWaiting: false, stopping: false, now: at(30)) == .sleep(.milliseconds(70)))
        #expect(policy.step(pending: 2, oldest: at(0), strictWaiting: false, stopping: false, now: at(100)) == .take(2))
        #expect(policy.step(pending: 2, oldest: at(0), strictWaiting: false, stopping: false, now: at(5_000)) == .take(2))
    }

    @Test func aStrictRecordAFullGroupOrStopTakesAtOnce() {
        #expect(policy.step(pending: 1, oldest: at(0), strictWaiting: true, stopping: false, now: at(1)) == .take(1))
        #expect(policy.step(pending: 9, oldest: at(0), strictWaiting: false, stopping: false, now: at(1)) == .take(4))
        #expect(policy.step(pending: 3, oldest: at(0), strictWaiting: false, stopping: true, now: at(1)) == .take(3))
    }

    @Test func anEmptyQueueWaitsOrEnds() {
        #expect(policy.step(pending: 0, oldest: nil, strictWaiting: false, stopping: false, now: at(0)) == .wait)
        #expect(policy.step(pending: 0, oldest: nil, strictWaiting: false, stopping: true, now: at(0)) == .done)
    }
}

extension LedgerWriterTests {
    @Test func settleReturnsOnceWhatWasQueuedBeforeItIsCommitted() async throws {
        // A long flush interval: without the barrier these batched records would wait ten seconds.
        let store = FlakyStore()
        let writer = LedgerWriter(store: store, flushInterval: .seconds(10), logger: quiet)
        let consumer = Task { await writer.run() }
        for n in 0..<5 { try await writer.submit(record(n), durability: .batched) }
        try await writer.settle()
        #expect(store.count == 5)
        #expect(writer.stats.committed == 5)  // the barrier itself is not a record
        writer.stop()
        await consumer.value
    }
}
