import FrontierLedger
import FrontierRouting
import Prometheus
import Synchronization

/// The gateway's Prometheus metrics, served at `GET /metrics`: requests,
/// tokens, cost and latency per model, decisions per model, cascade
/// escalations per route, upstream errors, and the ledger's queue.
final class GatewayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    static let latencyBuckets: [Duration] = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000].map { .milliseconds($0) }
    /// Handles by name and labels: the registry's own lookup builds names and locks on every call.
    private let counters = Mutex<[String: Counter]>([:])
    private let histograms = Mutex<[String: DurationHistogram]>([:])
    /// What the telemetry counters last showed, by name.
    private let exported = Mutex<[String: Int]>([:])

    private func counter(_ name: String, _ unit: String, _ help: String, _ labels: [(String, String)]) -> Counter {
        let key = name + labels.map { "|" + $0.1 }.joined()
        if let counter = counters.withLock({ $0[key] }) { return counter }
        let counter = registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "frontier", metricName: name, unitName: unit, helpText: help), labels: labels)
        counters.withLock { $0[key] = counter }
        return counter
    }

    private func durationHistogram(model: String) -> DurationHistogram {
        if let histogram = histograms.withLock({ $0[model] }) { return histogram }
        let histogram = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(namespace: "frontier", metricName: "request_duration", unitName: "seconds", helpText: "Time to the whole response."),
            labels: [("model", model)], buckets: Self.latencyBuckets)
        histograms.withLock { $0[model] = histogram }
        return histogram
    }

    /// Everything one finished request says, from its trace.
    func observe(_ trace: RequestTrace, status: Int) {
        let s = trace.state.withLock { $0 }
        let model = s.model ?? "none"
        counter("requests", "total", "Chat completion requests by serving model and HTTP status.", [("model", model), ("status", String(status))]).increment()
        durationHistogram(model: model).record(ContinuousClock.now - trace.started)
        if let arm = s.arm {
            counter("experiment_requests", "total", "Requests planned by each arm of router.experiment.", [("arm", arm)]).increment()
        }
        if let shadowModel = s.shadowModel {
            let agrees = shadowModel == model ? "true" : "false"
            counter("shadow_decisions", "total", "router.shadow's decisions, by whether it chose the model that served.", [("agrees", agrees)]).increment()
        }
        if s.routed != nil, s.model != nil {
            counter("decisions", "total", "Router decisions by chosen model.", [("model", model)]).increment()
        }
        if s.attempts.contains(where: { $0.outcome == "rejected" }) {
            counter("escalations", "total", "Cascade requests that went past their first tier, by route.", [("route", s.route)]).increment()
        }
        for attempt in s.attempts {
            if attempt.inputTokens > 0 { counter("tokens", "total", "Tokens by model and direction.", [("model", attempt.model), ("direction", "input")]).increment(by: Int64(attempt.inputTokens)) }
            if attempt.outputTokens > 0 { counter("tokens", "total", "Tokens by model and direction.", [("model", attempt.model), ("direction", "output")]).increment(by: Int64(attempt.outputTokens)) }
            if attempt.costUSD > 0 { counter("cost", "usd_total", "Catalog-priced cost by model, US dollars.", [("model", attempt.model)]).increment(by: attempt.costUSD) }
            if attempt.outcome == "failed" {
                counter("upstream_errors", "total", "Failed upstream calls by model.", [("model", attempt.model)]).increment()
            }
        }
    }

    /// One sampled request's exploration: how it ended (graded, ungraded, failed, skipped_busy, skipped_budget,
    /// skipped_zone) and, for a call made, what the operator paid for it.
    func explored(_ outcome: String, costUSD: Double = 0) {
        counter("explorations", "total", "router.explore's sampled requests, by how the second answer ended.", [("outcome", outcome)]).increment()
        if costUSD > 0 { counter("exploration_cost", "usd_total", "What router.explore spent (the operator's, not a key's), US dollars.", []).increment(by: costUSD) }
    }

    /// A model's reported identity changed (``IdentityWatch``).
    func identityChanged(model: String) {
        counter("model_identity_changes", "total", "Changes of a model's reported identity (model name or a new fingerprint that persisted).", [("model", model)]).increment()
    }

    /// The drift watch raised an alarm on one of a model's live signals.
    func driftAlarm(model: String, signal: String) {
        counter("drift_alarms", "total", "Drift alarms on a model's live signal (feedback, checks, exploration, errors).", [("model", model), ("signal", signal)]).increment()
    }

    /// The exposition text, with the ledger's queue read now.
    /// - Parameter degraded: each catalog model and whether it is marked degraded now (drift).
    func exposition(
        ledger: LedgerWriter?, experiment: ExperimentMonitor? = nil, degraded: [(model: String, isDegraded: Bool)] = [],
        telemetry: TelemetryExportHealth? = nil
    ) -> [UInt8] {
        if let telemetry {
            // Counted by the exporter's diagnostics; raised here to the running totals.
            for (name, help, total) in [
                ("telemetry_dropped_spans", "Spans dropped because the OTLP export queue was full (collector slow or unreachable).", telemetry.droppedSpans),
                ("telemetry_failed_exports", "OTLP span batches that failed to export.", telemetry.failedExports),
            ] {
                let counter = self.counter(name, "total", help, [])
                let reported = exported.withLock { reported in
                    defer { reported[name] = max(reported[name] ?? 0, total) }
                    return reported[name] ?? 0
                }
                if total > reported { counter.increment(by: Int64(total - reported)) }
            }
        }
        for (model, isDegraded) in degraded {
            registry.makeGauge(descriptor: MetricNameDescriptor(
                namespace: "frontier", metricName: "model_degraded", unitName: "",
                helpText: "1 while drift has the model marked degraded (the router expects less of it), else 0."), labels: [("model", model)]
            ).set(isDegraded ? 1.0 : 0.0)
        }
        if let experiment {
            registry.makeGauge(descriptor: MetricNameDescriptor(
                namespace: "frontier", metricName: "experiment_running", unitName: "",
                helpText: "1 while router.experiment's candidate serves its share; 0 once its guard stopped it.")
            ).set(experiment.snapshot.isRunning ? 1.0 : 0.0)
        }
        if let stats = ledger?.stats {
            func gauge(_ name: String, _ help: String, _ value: Int) {
                registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "frontier", subsystem: "ledger", metricName: name, unitName: "", helpText: help)).set(Double(value))
            }
            gauge("pending_records", "Records waiting to be committed.", stats.pending)
            gauge("committed_records", "Records committed since start.", stats.committed)
            gauge("failed_commits", "Group commits that failed (records kept and retried).", stats.failedCommits)
            gauge("refused_records", "Records refused because the queue was full (their requests got 503).", stats.refused)
        }
        return registry.emitToBuffer()
    }
}
