import FrontierCore
import FrontierLedger
import FrontierRouting
import Logging
import Synchronization

/// What live traffic says about each model's quality, watched for a regression: a ``QualityCUSUM`` per model and
/// signal (client feedback, cascade acceptance checks, exploration grades, answers that failed). An alarm is
/// logged, counted and appended to the ledger as one event with its evidence and its action: when a quality
/// signal fell by at least the model's `regression.max_quality_drop`, the model is marked degraded
/// (``QualityAdjustments``) and `auto` moves to the next model on the frontier by itself. After an alarm the
/// detector learns its baseline again; when the new baseline is back within the threshold of the old one, the mark
/// is lifted (`drift_recovered`). `frontier models reset-baseline` (the `drift_baseline_reset` event) accepts what
/// the model does now.
final class DriftWatch: Sendable {
    enum Signal: String, Sendable, CaseIterable {
        case feedback, checks, exploration, errors

        /// Whether a drop in it is a drop in answer quality (errors are the breaker's, and are only reported).
        var measuresQuality: Bool { self != .errors }
    }

    static let alarm = LedgerEvent.driftAlarm
    static let recovered = LedgerEvent.driftRecovered
    static let baselineReset = LedgerEvent.driftBaselineReset

    private struct Key: Hashable {
        var model: String
        var signal: Signal
    }

    private struct Watched {
        var detector: QualityCUSUM
        /// The baseline the last alarm was raised against, while the detector learns the new one.
        var alarmedFrom: Double?
    }

    private enum Outcome {
        case none
        case alarm(QualityCUSUM.Alarm)
        case relearned(before: Double, now: Double)
    }

    let settings: QualityCUSUM.Settings
    private let catalog: ModelCatalog
    let quality: QualityAdjustments
    private let state = Mutex<[Key: Watched]>([:])
    private let ledger: LedgerWriter?
    private let metrics: GatewayMetrics?
    private let logger: Logger
    private let wallClockMs: @Sendable () -> Int64

    init(
        settings: QualityCUSUM.Settings = .init(), catalog: ModelCatalog, quality: QualityAdjustments, ledger: LedgerWriter?,
        metrics: GatewayMetrics?, logger: Logger, wallClockMs: @escaping @Sendable () -> Int64 = Tenancy.wallClockMs
    ) {
        self.settings = settings
        self.catalog = catalog
        self.quality = quality
        self.ledger = ledger
        self.metrics = metrics
        self.logger = logger
        self.wallClockMs = wallClockMs
    }

    /// One score in [0, 1] for `model` on `signal`. Catalog models only: an id from a client is never a key here.
    func observe(_ model: String, _ signal: Signal, score: Double) {
        guard let entry = catalog[model], score.isFinite else { return }
        let key = Key(model: model, signal: signal)
        let outcome = state.withLock { s -> Outcome in
            var watched = s[key] ?? Watched(detector: QualityCUSUM(settings: settings))
            defer { s[key] = watched }
            let wasLearning = if case .learning = watched.detector.state { true } else { false }
            if let alarm = watched.detector.observe(score) {
                // Learn the baseline again from what follows: a further drop, or a recovery, is measured from there.
                watched = Watched(detector: QualityCUSUM(settings: settings), alarmedFrom: alarm.baseline)
                return .alarm(alarm)
            }
            if wasLearning, case .watching(let now) = watched.detector.state, let before = watched.alarmedFrom {
                watched.alarmedFrom = nil
                return .relearned(before: before, now: now)
            }
            return .none
        }
        switch outcome {
        case .none: return
        case .alarm(let alarm): alarmed(entry, signal, alarm)
        case .relearned(let before, let now): relearned(entry, signal, before: before, now: now)
        }
    }

    /// Every answer attempt of a finished request: served ones score 1 and failed ones 0 on `errors`; a cascade
    /// tier's check accepted scores 1 and rejected 0 on `checks`.
    func observe(attempts: [LedgerRecord.Attempt]) {
        for attempt in attempts {
            switch attempt.outcome {
            case "served": observe(attempt.model, .errors, score: 1)
            case "failed": observe(attempt.model, .errors, score: 0)
            case "accepted":
                observe(attempt.model, .errors, score: 1)
                observe(attempt.model, .checks, score: 1)
            case "rejected":
                observe(attempt.model, .errors, score: 1)
                observe(attempt.model, .checks, score: 0)
            default: continue
            }
        }
    }

    /// The operator accepted what the model does now: every signal learns its baseline again and the mark goes.
    func reset(_ model: String, recordedAtMs: Int64? = nil) {
        state.withLock { s in
            for signal in Signal.allCases { s[Key(model: model, signal: signal)] = nil }
        }
        quality.recover(model)
        logger.info("a model's drift baseline was reset; its quality estimates are the router's own again", metadata: ["model": "\(model)"])
    }

    /// Each degraded model's mark as the ledger last left it (alarms and canary runs that degraded, less recoveries
    /// and resets), so a restart keeps routing around a model that regressed.
    func restore(from store: any LedgerStore) async throws {
        let report = try await DriftReport.read(from: store, models: catalog.models.map(\.id))
        for (model, mark) in report.marks() where catalog[model] != nil {
            quality.degrade(model, .init(drop: mark.drop, signal: mark.signal, sinceMs: mark.sinceMs))
        }
    }

    private func alarmed(_ model: ModelEntry, _ signal: Signal, _ alarm: QualityCUSUM.Alarm) {
        let drop = alarm.baseline - alarm.recent
        let threshold = model.regression.maxQualityDrop
        let degrade = signal.measuresQuality && drop >= threshold
        let now = wallClockMs()
        if degrade { quality.degrade(model.id, .init(drop: drop, signal: signal.rawValue, sinceMs: now)) }
        metrics?.driftAlarm(model: model.id, signal: signal.rawValue)
        logger.warning(degrade ? "a model regressed; the router now expects less of it" : "a model's live signal dropped", metadata: [
            "model": "\(model.id)", "signal": "\(signal.rawValue)", "baseline": "\(Self.rounded(alarm.baseline))",
            "recent": "\(Self.rounded(alarm.recent))", "after": "\(alarm.after)", "action": "\(degrade ? "degraded" : "watch")",
        ])
        record(Self.alarm, model: model.id, now: now, detail: [
            "signal": .string(signal.rawValue), "baseline": .double(Self.rounded(alarm.baseline)), "recent": .double(Self.rounded(alarm.recent)),
            "scores_watched": .int(Int64(alarm.after)), "quality_drop": .double(Self.rounded(drop)), "max_quality_drop": .double(threshold),
            "detector": ["kind": "bernoulli_cusum", "design_drop": .double(settings.drop), "threshold": .double(settings.threshold)],
            "action": .string(degrade ? "degraded" : "watch"),
        ])
    }

    private func relearned(_ model: ModelEntry, _ signal: Signal, before: Double, now: Double) {
        guard let mark = quality.mark(of: model.id), mark.signal == signal.rawValue else { return }
        let drop = before - now
        let time = wallClockMs()
        if drop < model.regression.maxQualityDrop {
            quality.recover(model.id)
            logger.info("a degraded model is back within its threshold; the mark is lifted", metadata: [
                "model": "\(model.id)", "signal": "\(signal.rawValue)", "baseline": "\(Self.rounded(before))", "now": "\(Self.rounded(now))",
            ])
            record(Self.recovered, model: model.id, now: time, detail: [
                "signal": .string(signal.rawValue), "baseline": .double(Self.rounded(before)), "now": .double(Self.rounded(now)),
                "scores": .int(Int64(settings.baselineCount)),
            ])
        } else {
            // Still degraded: the drop as measured over a whole baseline's worth of scores, not the alarm's run.
            quality.degrade(model.id, .init(drop: drop, signal: signal.rawValue, sinceMs: mark.sinceMs))
        }
    }

    private func record(_ name: String, model: String, now: Int64, detail: JSONObject) {
        guard let ledger else { return }
        let event = LedgerEvent(name: name, timeMs: now, subject: model, detail: .object(detail))
        let logger = self.logger
        // Rare, and the request that raised it has its answer already: queued off its path.
        Task {
            do {
                try await ledger.submit(.event(event), durability: .batched)
            } catch {
                logger.error("a drift event could not be queued for the ledger", metadata: ["model": "\(model)", "error": "\(error)"])
            }
        }
    }

    private static func rounded(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
}
