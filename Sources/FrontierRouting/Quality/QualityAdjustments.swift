import Synchronization

/// What live traffic measured against a model's expected quality: the drop found by the drift detector for each
/// degraded model, subtracted from every quality estimate the router makes for it (a fitted file's per-prompt
/// figures and the catalog's alike), so `auto` moves to the next model on the frontier by itself. Shared by the
/// live, shadow and experiment planners and kept across router-file reloads, like ``LatencyTracker``.
public final class QualityAdjustments: Sendable {
    public struct Mark: Sendable, Equatable {
        /// Subtracted from the model's estimates, in [0, 1].
        public var drop: Double
        /// The signal that measured it (`feedback`, `checks`, `exploration`, `canary`).
        public var signal: String
        public var sinceMs: Int64

        public init(drop: Double, signal: String, sinceMs: Int64) {
            self.drop = min(max(drop.isFinite ? drop : 0, 0), 1)
            self.signal = signal
            self.sinceMs = sinceMs
        }
    }

    private let marks = Mutex<[String: Mark]>([:])
    /// Read on every decision without the lock: no model degraded is the usual case and costs one load.
    private let any = Atomic<Bool>(false)

    public init() {}

    public func degrade(_ model: String, _ mark: Mark) {
        marks.withLock { marks in
            marks[model] = mark
            any.store(true, ordering: .releasing)
        }
    }

    /// Lifts the mark; returns it, if there was one.
    @discardableResult
    public func recover(_ model: String) -> Mark? {
        marks.withLock { marks in
            let mark = marks.removeValue(forKey: model)
            any.store(!marks.isEmpty, ordering: .releasing)
            return mark
        }
    }

    public func mark(of model: String) -> Mark? { snapshot()[model] }

    public func snapshot() -> [String: Mark] {
        guard any.load(ordering: .acquiring) else { return [:] }
        return marks.withLock { $0 }
    }
}
