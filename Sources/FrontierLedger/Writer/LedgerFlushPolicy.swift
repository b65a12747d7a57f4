/// When the writer's consumer commits a group: a plain value fed the queue's
/// shape and the current instant, so the flush timing is tested on an
/// injected clock (``LedgerWriter`` is the thin shell that sleeps and wakes).
///
/// A group is taken when a strict record waits, the queue holds a full group,
/// the oldest record is `flushInterval` old, or the writer is stopping;
/// otherwise the consumer sleeps until the oldest is due.
struct LedgerFlushPolicy: Sendable {
    enum Step: Sendable, Equatable {
        /// Commit this many records from the front of the queue.
        case take(Int)
        /// The queue is empty: wait for a record.
        case wait
        /// Sleep this long (a strict record or stop wakes the consumer early).
        case sleep(Duration)
        /// Stopped and drained.
        case done
    }

    let flushInterval: Duration
    let maxBatch: Int

    /// - Parameters:
    ///   - pending: records queued, not yet taken.
    ///   - oldest: when the first of them was queued.
    ///   - strictWaiting: whether one of them has a caller waiting for its commit.
    func step(pending: Int, oldest: ContinuousClock.Instant?, strictWaiting: Bool, stopping: Bool, now: ContinuousClock.Instant) -> Step {
        guard pending > 0 else { return stopping ? .done : .wait }
        let age = oldest.map { now - $0 } ?? .zero
        if stopping || strictWaiting || pending >= maxBatch || age >= flushInterval {
            return .take(min(maxBatch, pending))
        }
        return .sleep(flushInterval - age)
    }
}
