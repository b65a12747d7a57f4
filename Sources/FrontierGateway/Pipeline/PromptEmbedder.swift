import FrontierCore
import FrontierProviders
import FrontierRouting

/// Embeds a chat prompt for a router file that reads embeddings (`router.embedder`, a local embedding model),
/// within `router.embedding_timeout_ms`. It never blocks or fails a request: a slow, failing or resting embedder
/// gives ``PromptEmbedding/unavailable(reason:milliseconds:)`` and the decision routes by the other signals.
struct PromptEmbedder: Sendable {
    let model: ModelEntry
    let providers: ProviderRegistry
    let breakers: CircuitBreakers
    /// The embedder reads the opening of the prompt, as `frontier fit`'s embeddings did (a BERT's window is 512 tokens).
    static let maxCharacters = 800

    init(model: ModelEntry, timeoutMs: Int, providers: ProviderRegistry, breakers: CircuitBreakers) {
        var bounded = model
        // The route's deadline, not the model's own generous timeouts, bounds this call.
        bounded.timeouts = Timeouts(connectMs: timeoutMs, firstTokenMs: timeoutMs, totalMs: timeoutMs)
        self.model = bounded
        self.providers = providers
        self.breakers = breakers
    }

    nonisolated(nonsending) func embed(_ chat: ChatRequest) async -> PromptEmbedding {
        let started = ContinuousClock.now
        func elapsed() -> Double { (ContinuousClock.now - started).milliseconds }
        if let reason = breakers.unhealthy()[model.id] { return .unavailable(reason: "embedder resting: \(reason)", milliseconds: 0) }
        let text = String(chat.messages.map(\.text).joined(separator: "\n").prefix(Self.maxCharacters))
        let request: EmbeddingRequest
        do {
            request = try EmbeddingRequest(json: ["model": .string(model.id), "input": .string(text.isEmpty ? " " : text)])
        } catch {
            return .unavailable(reason: "the prompt cannot be embedded: \(error)", milliseconds: elapsed())
        }
        do {
            let answer = try await providers.provider(for: model.provider).embed(request, on: model)
            guard let values = (try? JSONParser.parse(answer.body))?["data"]?[0]?["embedding"]?.arrayValue, !values.isEmpty else {
                return .unavailable(reason: "the embedder's answer has no vector", milliseconds: elapsed())
            }
            let vector = values.compactMap { $0.doubleValue.map(Float.init) }
            guard vector.count == values.count else { return .unavailable(reason: "the embedder's vector is not numbers", milliseconds: elapsed()) }
            return .vector(vector, milliseconds: elapsed())
        } catch {
            return .unavailable(reason: "embedder \(model.id): \(error.summary)", milliseconds: elapsed())
        }
    }
}
