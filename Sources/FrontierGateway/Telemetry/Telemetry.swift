public import CoreMetrics
public import Tracing

/// What the gateway traces with when `telemetry.otlp` is on: the tracer the
/// executable built (OTLP export in the background, off the request path),
/// and the GenAI client metrics. Nil in the pipeline when telemetry is off, so
/// the request path then does one nil check and nothing else.
public struct Telemetry: Sendable {
    public let tracer: any Tracer
    /// Prompts and answers as span events (`telemetry.capture_content`), never for a request with sensitive data.
    public let captureContent: Bool
    public let metrics: GenAIMetrics?
    /// Dropped spans and failed exports, shown at `/metrics`.
    public let exportHealth: TelemetryExportHealth?

    public init(tracer: any Tracer, captureContent: Bool = false, metrics: GenAIMetrics? = nil, exportHealth: TelemetryExportHealth? = nil) {
        self.tracer = tracer
        self.exportHealth = exportHealth
        self.captureContent = captureContent
        self.metrics = metrics
    }
}
