public import CoreMetrics
import FrontierCore
import Synchronization
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

    /// Each model's provider name and server address, worked out once (its base URL is fixed per config).
    private let descriptions = ModelDescriptions()

    public init(tracer: any Tracer, captureContent: Bool = false, metrics: GenAIMetrics? = nil, exportHealth: TelemetryExportHealth? = nil) {
        self.tracer = tracer
        self.exportHealth = exportHealth
        self.captureContent = captureContent
        self.metrics = metrics
    }
}

extension Telemetry {
    func described(_ model: ModelEntry) -> ModelDescriptions.Description { descriptions.describe(model) }
}

/// `gen_ai.provider.name`, `server.address` and `server.port` of each model, cached by id and base URL.
final class ModelDescriptions: Sendable {
    struct Description: Sendable {
        let provider: String
        let server: (host: String, port: Int)?
    }

    private let cache = Mutex<[String: (baseURL: String, description: Description)]>([:])

    func describe(_ model: ModelEntry) -> Description {
        if let hit = cache.withLock({ $0[model.id] }), hit.baseURL == model.baseURL { return hit.description }
        let description = Description(provider: GenAIAttribute.provider(of: model), server: GenAIAttribute.server(of: model))
        cache.withLock { cache in if cache.count < 4_096 { cache[model.id] = (model.baseURL, description) } }
        return description
    }
}
