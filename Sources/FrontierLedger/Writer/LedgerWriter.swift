import Foundation
public import FrontierCore
public import Logging
import Synchronization

/// Puts records into the store off the request path: a bounded queue and
/// one consumer that commits them in groups (one transaction per group).
///
/// - `strict`: the caller waits until its record is committed (the gateway
///   releases the response only then); a commit that fails fails the caller
///   (503) and its record is kept, marked as withheld, for the next try.
/// - `batched`: the caller goes on at once; records wait at most `flushInterval`
///   (the most a crash can lose), or less when a group fills up.
///
/// A full queue (`maxPending`: the database is down or too slow) refuses new
/// records in both modes — the gateway answers 503 — so nothing is dropped.
public final class LedgerWriter: Sendable {
    public typealias Durability = LedgerDurability

    struct Entry: Sendable {
        /// Nil for a barrier: committed with the group before it, so its waiter learns that everything queued
        /// before it is in the store.
        var record: LedgerEntry?
        var waiter: CheckedContinuation<Void, any Error>?
        var enqueued: ContinuousClock.Instant
    }

    struct State: Sendable {
        var pending: [Entry] = []
        /// Records taken for a commit that has not returned: still the queue's, for its bound.
        var committing = 0
        var wake: CheckedContinuation<Void, Never>?
        /// The consumer waits out a flush interval: only a strict record (or stop) wakes it early.
        var wakeOnlyForStrict = false
        /// Tells a sleep's timer whether the wait it would end is still the current one.
        var sleeps = 0
        var stopping = false
        var committed = 0
        var failedCommits = 0
        var refused = 0
        var healthy = true
    }

    public struct Stats: Sendable {
        public var pending: Int
        public var committed: Int
        public var failedCommits: Int
        public var refused: Int
    }

    private let store: any LedgerStore
    private let state = Mutex(State())
    public let maxPending: Int
    public let flushInterval: Duration
    public let maxBatch: Int
    private let logger: Logger

    public init(store: any LedgerStore, maxPending: Int = 10_000, flushInterval: Duration = .milliseconds(50), maxBatch: Int = 512, logger: Logger) {
        self.store = store
        self.maxPending = maxPending
        self.flushInterval = flushInterval
        self.maxBatch = maxBatch
        self.logger = logger
    }

    public var stats: Stats {
        state.withLock { Stats(pending: $0.pending.count + $0.committing, committed: $0.committed, failedCommits: $0.failedCommits, refused: $0.refused) }
    }

    public func submit(_ record: LedgerRecord, durability: Durability) async throws(LedgerError) {
        try await submit(.request(record), durability: durability)
    }

    /// Returns once every record queued before the call is committed (or throws as a strict record would):
    /// a reader that must see them, such as feedback looking up the request it scores, waits for this first.
    public func settle() async throws(LedgerError) {
        try await submit(nil, durability: .strict)
    }

    public func submit(_ record: LedgerEntry?, durability: Durability) async throws(LedgerError) {
        switch durability {
        case .batched:
            if let error = enqueue(Entry(record: record, waiter: nil, enqueued: .now)) { throw error }
        case .strict:
            do {
                try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                    if let error = enqueue(Entry(record: record, waiter: waiter, enqueued: .now)) { waiter.resume(throwing: error) }
                }
            } catch let error as LedgerError {
                throw error
            } catch {
                throw .unavailable("\(error)")
            }
        }
    }

    /// Nil when queued; the error when the queue is full or stopped.
    private func enqueue(_ entry: Entry) -> LedgerError? {
        let (error, wake): (LedgerError?, CheckedContinuation<Void, Never>?) = state.withLock { state in
            guard !state.stopping else { return (.unavailable("the ledger is shutting down"), nil) }
            guard state.pending.count + state.committing < maxPending else {
                state.refused += 1
                return (.unavailable("\(state.pending.count + state.committing) records are waiting for the database (the queue's bound); refusing more rather than dropping them"), nil)
            }
            state.pending.append(entry)
            guard entry.waiter != nil || !state.wakeOnlyForStrict else { return (nil, nil) }
            let wake = state.wake
            state.wake = nil
            return (nil, wake)
        }
        wake?.resume()
        if error != nil { logger.error("ledger queue full: request refused", metadata: ["pending": "\(maxPending)"]) }
        return error
    }

    /// The consumer: runs until ``stop()``, then commits what is left.
    public func run() async {
        var failuresWhileStopping = 0
        while true {
            let batch = await nextBatch()
            guard let batch else { return }
            do {
                let records = batch.compactMap(\.record)
                _ = try await store.append(records)
                let wasHealthy = state.withLock { state in
                    state.committing -= batch.count
                    state.committed += records.count
                    defer { state.healthy = true }
                    return state.healthy
                }
                if !wasHealthy { logger.notice("ledger database reachable again", metadata: ["committed": "\(records.count)"]) }
                for entry in batch { entry.waiter?.resume() }
            } catch {
                logger.error("ledger commit failed; records kept for the next try", metadata: ["records": "\(batch.count)", "error": "\(error)"])
                let retry = batch.map { entry -> Entry in
                    var entry = entry
                    if let waiter = entry.waiter {
                        waiter.resume(throwing: LedgerError.unavailable("the ledger database did not commit: \(error)"))
                        entry.waiter = nil
                        if case .request(var record) = entry.record {
                            record.status = 503
                            record.decision += "; response withheld: ledger unavailable"
                            entry.record = .request(record)
                        }
                    }
                    return entry
                }.filter { $0.record != nil }
                state.withLock { state in
                    state.committing -= batch.count
                    state.failedCommits += 1
                    state.healthy = false
                    state.pending.insert(contentsOf: retry, at: 0)
                }
                let (stopping, left) = state.withLock { ($0.stopping, $0.pending.count) }
                if stopping {
                    failuresWhileStopping += 1
                    if failuresWhileStopping >= 5 {
                        logger.critical("ledger stopped with records it could not commit", metadata: ["lost": "\(left)"])
                        return
                    }
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Waits for a group worth committing: a strict record, a full group, or
    /// the oldest record `flushInterval` old. Nil once stopped and drained.
    private func nextBatch() async -> [Entry]? {
        while true {
            enum Step { case take([Entry]), wait, sleep(Duration), done }
            let step: Step = state.withLock { state in
                let policy = LedgerFlushPolicy(flushInterval: flushInterval, maxBatch: maxBatch)
                switch policy.step(pending: state.pending.count, oldest: state.pending.first?.enqueued,
                                   strictWaiting: state.pending.contains { $0.waiter != nil }, stopping: state.stopping, now: .now) {
                case .take(let count):
                    let batch = Array(state.pending.prefix(count))
                    state.pending.removeFirst(count)
                    state.committing += count
                    return .take(batch)
                case .wait: return .wait
                case .sleep(let duration): return .sleep(duration)
                case .done: return .done
                }
            }
            switch step {
            case .take(let batch): return batch
            case .done: return nil
            case .sleep(let duration):
                // Until the oldest record is due, unless a strict record arrives: it must not wait for the interval.
                await withCheckedContinuation { (wake: CheckedContinuation<Void, Never>) in
                    let sleep = state.withLock { state -> Int? in
                        if state.stopping || state.pending.contains(where: { $0.waiter != nil }) { return nil }
                        state.sleeps += 1
                        state.wake = wake
                        state.wakeOnlyForStrict = true
                        return state.sleeps
                    }
                    guard let sleep else { return wake.resume() }
                    Task { [self] in
                        try? await Task.sleep(for: duration)
                        let due = state.withLock { state -> CheckedContinuation<Void, Never>? in
                            guard state.sleeps == sleep, let wake = state.wake else { return nil }
                            state.wake = nil
                            return wake
                        }
                        due?.resume()
                    }
                }
                state.withLock { $0.wakeOnlyForStrict = false }
            case .wait:
                await withCheckedContinuation { (wake: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if !state.pending.isEmpty || state.stopping { return true }
                        state.wake = wake
                        state.wakeOnlyForStrict = false
                        return false
                    }
                    if resumeNow { wake.resume() }
                }
            }
        }
    }

    /// Stops taking records; ``run()`` commits what is queued, then returns.
    public func stop() {
        let wake = state.withLock { state in
            state.stopping = true
            let wake = state.wake
            state.wake = nil
            return wake
        }
        wake?.resume()
    }
}
