public import FrontierCore

/// One provider per wire protocol, sharing one HTTP transport.
public struct ProviderRegistry: Sendable {
    private let openAI: OpenAICompatibleProvider
    private let anthropic: AnthropicProvider

    public init(http: UpstreamHTTP) {
        self.openAI = OpenAICompatibleProvider(http: http)
        self.anthropic = AnthropicProvider(http: http)
    }

    public func provider(for kind: ProviderKind) -> any ChatProvider {
        switch kind {
        case .openAICompatible: return openAI
        case .anthropic: return anthropic
        }
    }
}
