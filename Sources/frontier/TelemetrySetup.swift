import Foundation
import FrontierConfig
import FrontierGateway
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// `telemetry.otlp`: swift-otel's tracer and metrics backends with their OTLP
/// exporters (HTTP/protobuf or gRPC), the services that export in the
/// background, and the log metadata that puts trace and span ids on every line.
/// The standard `OTEL_*` variables override the config, as the OTel spec says;
/// `OTEL_EXPORTER_OTLP_ENDPOINT` alone turns telemetry on.
struct TelemetrySetup {
    let telemetry: Telemetry
    let services: [any Service]

    /// Nil when telemetry is off: no tracer, no exporter, nothing on the request path.
    static func make(_ settings: TelemetrySettings, environment: [String: String], logger: Logger) throws -> TelemetrySetup? {
        if let disabled = environment["OTEL_SDK_DISABLED"], disabled.lowercased() == "true" { return nil }
        let base: OTLPSettings
        if let otlp = settings.otlp {
            base = otlp
        } else if let endpoint = environment["OTEL_EXPORTER_OTLP_ENDPOINT"], !endpoint.isEmpty {
            base = OTLPSettings(endpoint: endpoint)
        } else {
            return nil
        }
        let health = TelemetryExportHealth()
        var configuration = OTel.Configuration.default
        configuration.serviceName = "frontier"
        configuration.logs.enabled = false
        configuration.diagnosticLogger = .custom(Logger(label: "frontier.otel") { _ in health.diagnosticHandler(forwardingTo: logger) })
        configuration.diagnosticLogLevel = .warning
        configuration.propagators = [.traceContext]
        let wire: OTel.Configuration.OTLPExporterConfiguration.`Protocol` = base.wireProtocol == .grpc ? .grpc : .httpProtobuf
        let root = base.endpoint.hasSuffix("/") ? String(base.endpoint.dropLast()) : base.endpoint
        let headers = base.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = wire
        // The config names the base URL (OTEL_EXPORTER_OTLP_ENDPOINT's meaning); OTLP/HTTP posts under it per signal.
        configuration.traces.otlpExporter.endpoint = wire == .grpc ? root : root + "/v1/traces"
        configuration.traces.otlpExporter.headers = headers
        configuration.traces.otlpExporter.timeout = .milliseconds(base.timeoutMs)
        if let sampler = OTel.Configuration.TracesConfiguration.SamplerConfiguration.parentBasedTraceIDRatio(ratio: base.sampleRatio) {
            configuration.traces.sampler = sampler
        }
        configuration.traces.batchSpanProcessor.maxQueueSize = base.maxQueueSize
        configuration.traces.batchSpanProcessor.maxExportBatchSize = min(512, base.maxQueueSize)
        configuration.traces.batchSpanProcessor.exportTimeout = .milliseconds(base.timeoutMs)
        configuration.metrics.exporter = .otlp
        configuration.metrics.otlpExporter.protocol = wire
        configuration.metrics.otlpExporter.endpoint = wire == .grpc ? root : root + "/v1/metrics"
        configuration.metrics.otlpExporter.headers = headers
        configuration.metrics.otlpExporter.timeout = .milliseconds(base.timeoutMs)
        configuration.metrics.exportTimeout = .milliseconds(base.timeoutMs)
        let tracing = try OTel.makeTracingBackend(configuration: configuration)
        let metrics = try OTel.makeMetricsBackend(configuration: configuration)
        return TelemetrySetup(
            telemetry: Telemetry(
                tracer: tracing.factory, captureContent: settings.captureContent, metrics: GenAIMetrics(factory: metrics.factory),
                exportHealth: health),
            services: [tracing.service, OffLoopService(service: metrics.service)])
    }

    /// Trace and span ids on every log line written inside a traced request.
    static var logMetadata: Logger.MetadataProvider { OTel.makeLoggingMetadataProvider() }
}
