public import CoreMetrics
import FrontierCore
import Synchronization

/// The GenAI convention's client metrics, `gen_ai.client.token.usage` and
/// `gen_ai.client.operation.duration`, recorded per answered upstream call into
/// the factory the executable hands in (OTLP). Handles are made once per label
/// set and kept: a request records into existing histograms.
public final class GenAIMetrics: Sendable {
    private let factory: any MetricsFactory
    /// By model, response model and error type.
    private let handles = Mutex<[String: Handles]>([:])
    /// Label sets are the catalog's models by outcome: bounded, but a cap keeps a bug from growing it.
    private static let maxSeries = 4_096

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// One call to `model`: its duration, and its tokens when it answered.
    func record(model: ModelEntry, responseModel: String?, usage: Usage?, seconds: Double, errorType: String?) {
        let key = model.id + "\u{1}" + (responseModel ?? "") + "\u{1}" + (errorType ?? "")
        if let handles = handles.withLock({ $0[key] }) {
            handles.duration.record(seconds)
            if let usage, let input = handles.input, let output = handles.output {
                input.record(usage.promptTokens)
                output.record(usage.completionTokens)
            }
            return
        }
        var dimensions = [
            (GenAIAttribute.operationName, model.kind == .embedding ? "embeddings" : "chat"), (GenAIAttribute.providerName, GenAIAttribute.provider(of: model)),
            (GenAIAttribute.requestModel, model.upstreamModel),
        ]
        if let responseModel { dimensions.append((GenAIAttribute.responseModel, String(responseModel.prefix(128)))) }
        if let server = GenAIAttribute.server(of: model) {
            dimensions.append((GenAIAttribute.serverAddress, server.host))
            dimensions.append((GenAIAttribute.serverPort, String(server.port)))
        }
        var timed = dimensions
        if let errorType { timed.append((GenAIAttribute.errorType, errorType)) }
        let made = Handles(
            duration: Recorder(label: "gen_ai.client.operation.duration", dimensions: timed, aggregate: true, factory: factory),
            input: errorType == nil
                ? Recorder(label: "gen_ai.client.token.usage", dimensions: dimensions + [(GenAIAttribute.tokenType, "input")], aggregate: true, factory: factory) : nil,
            output: errorType == nil
                ? Recorder(label: "gen_ai.client.token.usage", dimensions: dimensions + [(GenAIAttribute.tokenType, "output")], aggregate: true, factory: factory) : nil)
        handles.withLock { cache in if cache.count < Self.maxSeries { cache[key] = made } }
        made.duration.record(seconds)
        if let usage, let input = made.input, let output = made.output {
            input.record(usage.promptTokens)
            output.record(usage.completionTokens)
        }
    }

    /// One label set's histograms: the call's duration, and its tokens when it answered.
    private struct Handles: Sendable {
        let duration: Recorder
        let input: Recorder?
        let output: Recorder?
    }
}
