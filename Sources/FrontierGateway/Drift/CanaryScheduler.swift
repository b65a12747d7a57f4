import Crypto
import Foundation
import FrontierAnalysis
import FrontierCore
import FrontierLedger
import FrontierRouting
import Logging
public import ServiceLifecycle
import Synchronization

/// What asks for a canary run out of schedule: an identity change (``IdentityWatch``) and an operator's reset
/// (``BaselineResetWatcher``), which also makes the next run the baseline.
final class CanaryTriggers: Sendable {
    private let state = Mutex<(due: Set<String>, resets: Set<String>)>(([], []))

    func identityChanged(_ model: String) { state.withLock { _ = $0.due.insert(model) } }
    func baselineReset(_ model: String) { state.withLock { _ = $0.resets.insert(model); _ = $0.due.insert(model) } }

    /// The models asked for since the last call, and which of them were reset.
    func take() -> (due: Set<String>, resets: Set<String>) {
        state.withLock { s in
            defer { s = ([], []) }
            return s
        }
    }
}

/// Runs each model's canary (`models[].canary`) in the background: when its last run is older than `every` (at
/// start, when the ledger has none), and right after an identity change when `on_change` is set. One run at a time,
/// off the request path. Each run is compared with the last good run (``CanaryVerdict``), the model marked degraded
/// or recovered (``QualityAdjustments``), and the run, its evidence and the action appended as one canary record.
public struct CanaryScheduler: Service {
    struct Canary: Sendable {
        var model: ModelEntry
        var settings: CanarySettings
        var cases: [EvalCase]
        var suiteDigest: String
    }

    struct Baseline: Sendable {
        var timeMs: Int64
        var mean: Double
        var answers: [String: [String]]
    }

    let canaries: [Canary]
    let runner: CanaryRunner
    let store: any LedgerStore
    let writer: LedgerWriter
    let quality: QualityAdjustments
    let triggers: CanaryTriggers
    let logger: Logger
    var tick: Duration = .seconds(1)
    var wallClockMs: @Sendable () -> Int64 = Tenancy.wallClockMs

    /// The canaries the catalog configures, their suites read now; a suite that cannot be read is logged and skipped.
    static func canaries(of catalog: ModelCatalog, logger: Logger) -> [Canary] {
        catalog.models.compactMap { model -> Canary? in
            guard let settings = model.canary else { return nil }
            let size = (try? FileManager.default.attributesOfItem(atPath: settings.suite)[.size] as? NSNumber)?.intValue ?? Int.max
            guard size <= 4 << 20, let data = FileManager.default.contents(atPath: settings.suite) else {
                logger.error("a canary suite cannot be read (or is over 4 MiB); the model runs without its canary", metadata: [
                    "model": "\(model.id)", "suite": "\(settings.suite)",
                ])
                return nil
            }
            do {
                let bytes = [UInt8](data)
                let cases = try EvalSuiteReader.read(bytes: bytes, path: settings.suite)
                let digest = SHA256.hash(data: bytes).prefix(16).map { String(format: "%02x", $0) }.joined()
                return Canary(model: model, settings: settings, cases: cases, suiteDigest: digest)
            } catch {
                logger.error("a canary suite is not valid; the model runs without its canary", metadata: ["model": "\(model.id)", "error": "\(error)"])
                return nil
            }
        }
    }

    public func run() async throws {
        var baselines: [String: Baseline] = [:]
        var lastRun: [String: Int64] = [:]
        for canary in canaries {
            let (baseline, last) = await restore(canary)
            baselines[canary.model.id] = baseline
            lastRun[canary.model.id] = last
        }
        while !Task.isCancelledOrShuttingDown {
            let (due, resets) = triggers.take()
            for model in resets { baselines[model] = nil }
            let now = wallClockMs()
            for canary in canaries {
                let id = canary.model.id
                let scheduled = lastRun[id].map { now >= $0.addingReportingOverflow(canary.settings.everyMs).partialValue } ?? true
                let changed = due.contains(id) && (canary.settings.onChange || resets.contains(id))
                guard scheduled || changed, !Task.isCancelledOrShuttingDown else { continue }
                // Several gateways on one ledger: another one's run counts toward the schedule.
                if !changed, let elsewhere = await lastRunInLedger(id), elsewhere > (lastRun[id] ?? .min) {
                    lastRun[id] = elsewhere
                    if now < elsewhere.addingReportingOverflow(canary.settings.everyMs).partialValue { continue }
                }
                let trigger = changed ? (resets.contains(id) ? "baseline_reset" : "identity_change") : (lastRun[id] == nil ? "start" : "schedule")
                let record = await runOnce(canary, trigger: trigger, baseline: baselines[id])
                lastRun[id] = record.timeMs
                if record.good, let mean = record.meanScore {
                    baselines[id] = Baseline(timeMs: record.timeMs, mean: mean, answers: Self.answers(record))
                }
            }
            await Task.pause(for: tick)
        }
    }

    /// One run, judged and recorded; the mark set or lifted.
    func runOnce(_ canary: Canary, trigger: String, baseline: Baseline?) async -> CanaryRecord {
        let model = canary.model
        let run = await runner.run(canary.cases, on: model, settings: canary.settings)
        let graded = run.results.filter { $0.score != nil }
        let mean = graded.isEmpty ? nil : graded.compactMap(\.score).reduce(0, +) / Double(graded.count)
        let answers = Dictionary(uniqueKeysWithValues: run.results.map { ($0.id, $0.answers) })
        let degradedByCanary = quality.mark(of: model.id)?.signal == "canary"
        let verdict = CanaryVerdict.decide(
            run: (mean, graded.count, run.results.count, answers), baseline: baseline.map { ($0.mean, $0.answers) },
            maxQualityDrop: model.regression.maxQualityDrop, degradedByCanary: degradedByCanary)
        let now = wallClockMs()
        switch verdict.action {
        case .degraded: quality.degrade(model.id, .init(drop: verdict.scoreDrop ?? 0, signal: "canary", sinceMs: now))
        case .recovered: quality.recover(model.id)
        case .baseline, .none, .watch, .inconclusive: break
        }
        var comparison: JSONObject = [:]
        if let baseline {
            comparison["baseline_time_ms"] = .int(baseline.timeMs)
            comparison["baseline_score"] = .double(Self.rounded(baseline.mean))
        }
        if let mean { comparison["score"] = .double(Self.rounded(mean)) }
        if let drop = verdict.scoreDrop { comparison["score_drop"] = .double(Self.rounded(drop)) }
        if let d = verdict.distribution {
            comparison["answers_changed"] = .double(Self.rounded(d.answersChanged))
            comparison["distribution_statistic"] = .double(Self.rounded(d.statistic))
            comparison["distribution_p"] = d.pValue.map { .double(Self.rounded($0)) } ?? .null
        }
        comparison["max_quality_drop"] = .double(model.regression.maxQualityDrop)
        let status = graded.isEmpty ? "failed" : run.capped ? "capped" : "complete"
        let record = CanaryRecord(
            model: model.id, timeMs: now, trigger: trigger, suiteDigest: canary.suiteDigest, status: status, costUSD: run.costUSD,
            capUSD: canary.settings.maxCostUSDPerRun, identities: run.identities, results: run.results, comparison: .object(comparison),
            action: verdict.action.rawValue, good: verdict.good)
        let level: Logger.Level = verdict.action == .degraded || verdict.action == .watch ? .warning : .info
        logger.log(level: level, "canary run", metadata: [
            "model": "\(model.id)", "trigger": "\(trigger)", "status": "\(status)", "score": "\(mean.map { Self.rounded($0) } ?? -1)",
            "score_drop": "\(verdict.scoreDrop.map { Self.rounded($0) } ?? 0)", "action": "\(verdict.action.rawValue)",
            "cost_usd": "\(Self.rounded(run.costUSD))",
        ])
        do {
            try await writer.submit(.canary(record), durability: .batched)
        } catch {
            logger.error("a canary run could not be queued for the ledger", metadata: ["model": "\(model.id)", "error": "\(error)"])
        }
        return record
    }

    /// The last good run on this suite since the last reset (the baseline), and when the last run was.
    private func restore(_ canary: Canary) async -> (Baseline?, Int64?) {
        let id = canary.model.id
        guard let stored = try? await store.records(requestID: CanaryRecord.requestID(model: id)) else { return (nil, nil) }
        let resets = (try? await store.records(requestID: "event:" + LedgerEvent.driftBaselineReset)) ?? []
        let lastReset = resets.compactMap { s -> Int64? in
            guard let json = try? JSONParser.parse(s.body), case .event(let e)? = try? LedgerEntry(json: json), e.subject == id else { return nil }
            return e.timeMs
        }.max() ?? .min
        var baseline: Baseline?
        var last: Int64?
        for s in stored {
            guard let json = try? JSONParser.parse(s.body), case .canary(let run)? = try? LedgerEntry(json: json) else { continue }
            last = max(last ?? .min, run.timeMs)
            if run.good, run.suiteDigest == canary.suiteDigest, run.timeMs > lastReset, let mean = run.meanScore {
                baseline = Baseline(timeMs: run.timeMs, mean: mean, answers: Self.answers(run))
            }
        }
        return (baseline, last)
    }

    /// The newest canary run of `model` in the ledger, by any gateway.
    private func lastRunInLedger(_ model: String) async -> Int64? {
        guard let stored = try? await store.records(requestID: CanaryRecord.requestID(model: model)) else { return nil }
        return stored.map(\.timeMs).max()
    }

    static func answers(_ record: CanaryRecord) -> [String: [String]] {
        Dictionary(record.results.map { ($0.id, $0.answers) }, uniquingKeysWith: { a, _ in a })
    }

    private static func rounded(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
}
