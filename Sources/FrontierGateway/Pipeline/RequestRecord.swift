import FrontierCore
import FrontierProviders
import FrontierRouting
import Synchronization
import Tracing

/// The one owner of a request's ledger record and metrics: the trace that
/// gathers what happened, and the commit that ends it, exactly once, by
/// whoever ends the request (the pipeline for an answer or an error, the
/// stream relay when a stream ends).
final class RequestRecord: Sendable {
    let trace: RequestTrace
    /// The caller's key, when `auth:` is on: the budget every call reserves against, the rate window.
    /// Attached once the request is admitted.
    var tenant: RequestTenant? { tenantBox.withLock { $0 } }
    private let tenantBox = Mutex<RequestTenant?>(nil)
    private let ledger: RequestLedger?
    private let metrics: GatewayMetrics
    private let experiment: ExperimentMonitor?
    private let implicit: ImplicitSignals?
    private let drift: DriftWatch?
    /// The request's spans, when telemetry is on.
    let spans: RequestSpans?
    private let finished = Atomic<Bool>(false)
    /// The models a write-ahead intent was committed for.
    private let intended = Mutex<Set<String>>([])

    init(
        trace: RequestTrace, ledger: RequestLedger?, metrics: GatewayMetrics, experiment: ExperimentMonitor? = nil, implicit: ImplicitSignals? = nil,
        drift: DriftWatch? = nil, spans: RequestSpans? = nil
    ) {
        self.drift = drift
        self.spans = spans
        self.trace = trace
        self.ledger = ledger
        self.metrics = metrics
        self.experiment = experiment
        self.implicit = implicit
    }

    func attach(_ tenant: RequestTenant) {
        tenantBox.withLock { $0 = tenant }
    }

    /// Whether the record needs the prompt and the answer (for the HMAC, the PII scan, encrypted bodies).
    var keepsPrompt: Bool { ledger != nil }
    var keepsResponse: Bool { ledger?.bodyKey != nil }

    /// Called before every call that sends the prompt to `model` (candidates, retries, cascade tiers,
    /// samples, the verifier). On a strict route and for a model outside `local`, commits the
    /// write-ahead intent once per model; if that fails, the prompt does not leave.
    nonisolated(nonsending) func beforeSending(to model: ModelEntry) async throws(UpstreamError) {
        guard let ledger, model.deployment != .local, ledger.durability(of: trace.state.withLock { $0 }) == .strict else { return }
        guard intended.withLock({ $0.insert(model.id).inserted }) else { return }
        do {
            try await ledger.intent(trace, model: model)
        } catch {
            intended.withLock { _ = $0.remove(model.id) }
            throw .unavailable(error.message)
        }
    }

    /// Commits the record and counts the request; the first call wins, later ones do nothing.
    /// Returns what the client gets instead when a strict record could not be committed.
    nonisolated(nonsending) func finish(status: Int) async -> APIError? {
        guard finished.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return nil }
        if let tenant {
            let tokens = trace.state.withLock { $0.attempts.reduce(0) { $0.saturatingAdd($1.inputTokens.saturatingAdd($1.outputTokens)) } }
            tenant.finished(tokens: tokens)
        }
        if let drift { drift.observe(attempts: trace.state.withLock { $0.attempts }) }
        if let experiment, status == 200 {
            let (arm, cost) = trace.state.withLock { s in (s.arm.flatMap(ExperimentGuard.Arm.init(rawValue:)), s.attempts.map(\.costUSD).reduce(0, +)) }
            if let arm { await experiment.served(arm, costUSD: cost) }
        }
        guard let ledger else {
            metrics.observe(trace, status: status)
            spans?.finish(trace.state.withLock { $0 }, status: status)
            return nil
        }
        // A strict route's answer waits for its commit: that wait is a span of its own.
        let commit = spans.flatMap { spans in ledger.durability(of: trace.state.withLock { $0 }) == .strict ? spans.ledgerCommit() : nil }
        do {
            try await ledger.record(trace, status: status)
            commit?.end()
            metrics.observe(trace, status: status)
            await implicit?.ended(trace, status: status)
            spans?.finish(trace.state.withLock { $0 }, status: status)
            return nil
        } catch {
            commit?.setStatus(SpanStatus(code: .error, message: "the ledger could not commit the record"))
            commit?.end()
            metrics.observe(trace, status: error.status)
            spans?.finish(trace.state.withLock { $0 }, status: error.status)
            return error
        }
    }
}
