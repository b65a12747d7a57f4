import Foundation
import FrontierConfig
import FrontierCore
import FrontierLedger
import FrontierRouting
import Logging
import Synchronization

/// A running `router.experiment`: the candidate's planner, which arm each
/// request goes to, and the guard fed by every answer's cost and every score.
/// When the guard stops the experiment, every request goes to the live router
/// again, and the stop is logged, counted and appended to the ledger.
final class ExperimentMonitor: Sendable {
    /// The candidate's planner (swapped when the privacy rules reload).
    let planners: PlannerHolder
    var planner: RoutePlanner { planners.current }
    /// The candidate router file's version: the experiment's name in records and events.
    let candidateVersion: String
    let assignment: ExperimentAssignment
    private let state: Mutex<ExperimentGuard>
    /// The guard's running state, read on every request without its lock.
    private let running = Atomic<Bool>(true)
    private let ledger: LedgerWriter?
    private let logger: Logger

    init(settings: ExperimentSettings, planner: RoutePlanner, candidateVersion: String, ledger: LedgerWriter?, logger: Logger) {
        self.planners = PlannerHolder(planner)
        self.candidateVersion = candidateVersion
        self.assignment = settings.assignment
        self.state = Mutex(ExperimentGuard(thresholds: settings.thresholds))
        self.ledger = ledger
        self.logger = logger
    }

    /// The arm for a request while the experiment runs; nil once it stopped.
    func arm(requestID: String, keyID: String?) -> ExperimentGuard.Arm? {
        guard running.load(ordering: .relaxed) else { return nil }
        return assignment.arm(requestID: requestID, keyID: keyID)
    }

    nonisolated(nonsending) func served(_ arm: ExperimentGuard.Arm, costUSD: Double) async {
        let reason = state.withLock { $0.served(arm, costUSD: costUSD) }
        if let reason { await stopped(reason) }
    }

    nonisolated(nonsending) func scored(_ arm: ExperimentGuard.Arm, score: Double) async {
        let reason = state.withLock { $0.scored(arm, score: score) }
        if let reason { await stopped(reason) }
    }

    var snapshot: ExperimentGuard { state.withLock { $0 } }

    /// The guard's state with the candidate's version and share, as `/healthz` and the dashboard show it.
    var summary: JSONValue {
        guard case .object(var o) = Self.json(snapshot) else { return Self.json(snapshot) }
        o["candidate_version"] = .string(candidateVersion)
        o["share"] = .double(assignment.share)
        return .object(o)
    }

    private nonisolated(nonsending) func stopped(_ reason: String) async {
        running.store(false, ordering: .relaxed)
        let snapshot = self.snapshot
        logger.warning("experiment stopped by its guard; every request goes to the live router", metadata: [
            "candidate_version": "\(candidateVersion)", "reason": "\(reason)",
        ])
        let event = LedgerEvent(
            name: LedgerEvent.experimentStopped, timeMs: Tenancy.wallClockMs(), subject: candidateVersion,
            detail: ["reason": .string(reason), "arms": Self.json(snapshot)["arms"] ?? .null])
        do {
            // Batched: the stop has already happened; queued before the request that caused it returns.
            try await ledger?.submit(.event(event), durability: .batched)
        } catch {
            logger.error("the experiment's stop could not be queued for the ledger", metadata: ["error": "\(error)"])
        }
    }

    /// What `/healthz` shows of the experiment.
    static func json(_ guardState: ExperimentGuard) -> JSONValue {
        func arm(_ s: ExperimentGuard.ArmStats) -> JSONValue {
            var o: JSONObject = ["requests": .int(Int64(s.requests)), "scores": .int(Int64(s.scores))]
            if let cost = s.meanCost { o["mean_cost_usd"] = .double(cost) }
            if let score = s.meanScore { o["mean_score"] = .double(score) }
            return .object(o)
        }
        var o: JSONObject = [
            "state": .string(guardState.isRunning ? "running" : "stopped"),
            "arms": ["live": arm(guardState.live), "candidate": arm(guardState.candidate)],
        ]
        if case .stopped(let reason) = guardState.state { o["reason"] = .string(reason) }
        if let delta = guardState.qualityDelta {
            o["quality_delta"] = ["estimate": .double(delta.estimate), "lower": .double(delta.lower), "upper": .double(delta.upper)]
        }
        return .object(o)
    }
}
