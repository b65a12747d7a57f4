import FrontierCore

/// Attribute names of the OpenTelemetry GenAI semantic conventions, and Frontier's own under `frontier.*`.
/// Values are never prompt or answer text, nor a PII value: categories, counts, ids and figures only.
enum GenAIAttribute {
    static let operationName = "gen_ai.operation.name"
    static let providerName = "gen_ai.provider.name"
    static let requestModel = "gen_ai.request.model"
    static let requestMaxTokens = "gen_ai.request.max_tokens"
    static let requestTemperature = "gen_ai.request.temperature"
    static let requestStream = "gen_ai.request.stream"
    static let responseModel = "gen_ai.response.model"
    static let responseFinishReasons = "gen_ai.response.finish_reasons"
    static let inputTokens = "gen_ai.usage.input_tokens"
    static let outputTokens = "gen_ai.usage.output_tokens"
    static let tokenType = "gen_ai.token.type"
    static let errorType = "error.type"
    static let serverAddress = "server.address"
    static let serverPort = "server.port"
    static let httpStatus = "http.response.status_code"

    /// The convention's provider names where one applies (`openai`, `anthropic`); an OpenAI-compatible
    /// server of the team's own (llama.cpp, vLLM) keeps the provider kind Frontier calls it by.
    static func provider(of model: ModelEntry) -> String {
        switch model.provider {
        case .anthropic: "anthropic"
        case .openAICompatible: model.baseURL.contains("://api.openai.com") ? "openai" : model.provider.rawValue
        }
    }

    /// Host and port of a model's API root, for `server.address` and `server.port`.
    static func server(of model: ModelEntry) -> (host: String, port: Int)? {
        guard let schemeEnd = model.baseURL.range(of: "://") else { return nil }
        let rest = model.baseURL[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        let secure = model.baseURL.hasPrefix("https")
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let port = authority[close...].split(separator: ":").last.flatMap { Int($0) }
            return (host, port ?? (secure ? 443 : 80))
        }
        let parts = authority.split(separator: ":", maxSplits: 1)
        guard let host = parts.first else { return nil }
        return (String(host), parts.count > 1 ? Int(parts[1]) ?? (secure ? 443 : 80) : (secure ? 443 : 80))
    }
}
