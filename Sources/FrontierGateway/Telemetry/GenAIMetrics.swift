public import CoreMetrics
import FrontierCore
import Synchronization

/// The GenAI convention's client metrics, `gen_ai.client.token.usage` and
/// `gen_ai.client.operation.duration`, recorded per answered upstream call into
/// the factory the executable hands in (OTLP). Handles are made once per label
/// set and kept: a request records into existing histograms.
public final class GenAIMetrics: Sendable {
    private let factory: any MetricsFactory
    private let recorders = Mutex<[[String]: Recorder]>([:])
    /// Label sets are the catalog's models by outcome: bounded, but a cap keeps a bug from growing it.
    private static let maxSeries = 4_096

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// One call to `model`: its duration, and its tokens when it answered.
    func record(model: ModelEntry, responseModel: String?, usage: Usage?, seconds: Double, errorType: String?) {
        var dimensions = [
            (GenAIAttribute.operationName, "chat"), (GenAIAttribute.providerName, GenAIAttribute.provider(of: model)),
            (GenAIAttribute.requestModel, model.upstreamModel),
        ]
        if let responseModel { dimensions.append((GenAIAttribute.responseModel, String(responseModel.prefix(128)))) }
        if let server = GenAIAttribute.server(of: model) {
            dimensions.append((GenAIAttribute.serverAddress, server.host))
            dimensions.append((GenAIAttribute.serverPort, String(server.port)))
        }
        var timed = dimensions
        if let errorType { timed.append((GenAIAttribute.errorType, errorType)) }
        recorder("gen_ai.client.operation.duration", timed)?.record(seconds)
        guard let usage, errorType == nil else { return }
        recorder("gen_ai.client.token.usage", dimensions + [(GenAIAttribute.tokenType, "input")])?.record(usage.promptTokens)
        recorder("gen_ai.client.token.usage", dimensions + [(GenAIAttribute.tokenType, "output")])?.record(usage.completionTokens)
    }

    private func recorder(_ label: String, _ dimensions: [(String, String)]) -> Recorder? {
        let key = [label] + dimensions.flatMap { [$0.0, $0.1] }
        return recorders.withLock { cache in
            if let recorder = cache[key] { return recorder }
            guard cache.count < Self.maxSeries else { return nil }
            let recorder = Recorder(label: label, dimensions: dimensions, aggregate: true, factory: factory)
            cache[key] = recorder
            return recorder
        }
    }
}
