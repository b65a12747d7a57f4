public import Logging
import Synchronization

/// How the OTLP export is faring, for `/metrics`: spans dropped because the
/// bounded queue was full (an unreachable or slow collector), and batches that
/// failed to export. swift-otel reports both only as its diagnostic log lines,
/// so ``diagnosticHandler(forwardingTo:)`` reads them from there.
public final class TelemetryExportHealth: Sendable {
    private let dropped = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)

    public init() {}

    var droppedSpans: Int { dropped.load(ordering: .relaxed) }
    var failedExports: Int { failed.load(ordering: .relaxed) }

    func spansDropped(_ count: Int) { dropped.add(max(0, count), ordering: .relaxed) }
    func exportFailed() { failed.add(1, ordering: .relaxed) }

    /// A log handler for the exporter's diagnostics: counts drops and failures, and passes warnings and worse on
    /// to `logger` (the gateway's own lines, in its format).
    public func diagnosticHandler(forwardingTo logger: Logger) -> any LogHandler {
        DiagnosticHandler(health: self, forward: logger)
    }

    private struct DiagnosticHandler: LogHandler {
        let health: TelemetryExportHealth
        let forward: Logger
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = metadata.merging(event.metadata ?? [:]) { _, new in new }
            // The batch processor's words (OTelBatchSpanProcessor.tick/export in swift-otel 1.x).
            if case .string(let count)? = fields["dropped_count"], let dropped = Int(count) {
                health.spansDropped(dropped)
            } else if "\(event.message)".hasPrefix("Failed to export") {
                health.exportFailed()
            }
            var fieldsOut = fields
            fieldsOut["component"] = fields["component"] ?? "otel"
            forward.log(level: event.level, "telemetry: \(event.message)", metadata: fieldsOut, source: "otel")
        }
    }
}
