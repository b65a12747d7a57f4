public import FrontierCore

/// The provider for each wire protocol. The gateway's is built from one HTTP
/// transport (``init(http:)``); a test hands in its own (a scripted provider
/// whose answers, errors, delays and streams it controls), so the pipeline runs
/// without sockets.
///
/// ```swift
/// let registry = ProviderRegistry([.openAICompatible: scripted])
/// ```
public struct ProviderRegistry: Sendable {
    private let providers: [ProviderKind: any ChatProvider]

    public init(_ providers: [ProviderKind: any ChatProvider]) {
        self.providers = providers
    }

    /// The real adapters, sharing one HTTP transport.
    public init(http: UpstreamHTTP) {
        self.init([.openAICompatible: OpenAICompatibleProvider(http: http), .anthropic: AnthropicProvider(http: http)])
    }

    public func provider(for kind: ProviderKind) -> any ChatProvider {
        providers[kind] ?? MissingProvider(kind: kind)
    }
}

/// A kind nobody registered: every call fails as an unavailable upstream (the request moves on).
private struct MissingProvider: ChatProvider {
    let kind: ProviderKind

    func complete(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> Completion {
        throw .unavailable("no provider is registered for \(kind.rawValue) upstreams")
    }

    func stream(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> CompletionStream {
        throw .unavailable("no provider is registered for \(kind.rawValue) upstreams")
    }
}
