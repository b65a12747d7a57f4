import FrontierConfig
import FrontierCore
import Testing

/// `router.embedder` receives every prompt before the privacy decision: only a local embedding model may be it.
/// `router.signals` and a route's `signals`: what the router may read of a prompt.
@Suite struct RouterEmbeddingConfigTests {
    func failure(_ yaml: String) -> String { configFailure(yaml) }

    static let models = """
        models:
          - {id: chat, provider: openai-compatible, base_url: "http://127.0.0.1:1/v1", deployment: local}
          - {id: near, kind: embedding, provider: openai-compatible, base_url: "http://127.0.0.1:2/v1", deployment: local}
          - {id: far, kind: embedding, provider: openai-compatible, base_url: "https://api.example.com/v1", deployment: cloud, price: {input_per_mtok: 0.02, output_per_mtok: 0}}
        """

    @Test func aLocalEmbeddingModelIsAccepted() throws {
        let config = try ConfigLoader(environment: [:]).parse(Self.models + "\nrouter: {embedder: near, embedding_timeout_ms: 80}\n", file: "frontier.yaml")
        #expect(config.router.embedder == "near")
        #expect(config.router.embeddingTimeoutMs == 80)
    }

    @Test(arguments: [
        ("far", "a cloud model"), ("chat", "not an embedding model"), ("nowhere", "not an embedding model"),
    ])
    func anythingElseIsRefusedSayingWhy(_ id: String, _ says: String) {
        let message = failure(Self.models + "\nrouter: {embedder: \(id)}\n")
        #expect(message.contains("field 'embedder'") && message.contains(says), "\(message)")
    }

    @Test func theTimeoutIsBounded() {
        #expect(failure(Self.models + "\nrouter: {embedder: near, embedding_timeout_ms: 0}\n").contains("embedding_timeout_ms"))
    }

    @Test func signalsAreReadGloballyAndPerRoute() throws {
        let config = try ConfigLoader(environment: [:]).parse(
            Self.models + "\nrouter: {embedder: near, signals: [domain, embedding]}\nroutes:\n  - {name: words, signals: [prompt]}\n", file: "frontier.yaml")
        #expect(config.router.signals == [.domain, .embedding])
        #expect(config.router.routes["words"]?.signals == [.prompt])
    }

    @Test func anUnknownSignalIsNamed() {
        #expect(failure(Self.models + "\nrouter: {signals: [domain, vibes]}\n").contains("'vibes'"))
    }

    @Test func theEmbeddingSignalNeedsAnEmbedder() {
        #expect(failure(Self.models + "\nrouter: {signals: [embedding]}\n").contains("field 'embedder' is not set"))
        #expect(failure(Self.models + "\nroutes:\n  - {name: r, signals: [embedding]}\n").contains("field 'embedder' is not set"))
    }
}
