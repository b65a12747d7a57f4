import FrontierCore
import FrontierProviders

extension FuzzTarget {
    /// OpenAI request -> Anthropic request, and Anthropic response -> OpenAI completion,
    /// on any JSON: never trap, and every translation is itself valid JSON.
    public static let anthropicTranslation = FuzzTarget(name: "anthropic") { bytes in
        guard let json = try? JSONParser.parse(bytes) else { return }
        if let request = try? ChatRequest(json: json) {
            let model = ModelEntry(id: "m", provider: .anthropic, baseURL: "http://127.0.0.1/v1", deployment: .cloud)
            for stream in [false, true] {
                let body = AnthropicRequestTranslation.body(request, model: model, stream: stream)
                precondition((try? JSONParser.parse(body.serialized())) != nil, "the Anthropic request is not JSON")
                precondition(body["max_tokens"]?.intValue != nil, "the Anthropic request lacks max_tokens")
            }
        }
        if let (completion, usage) = try? AnthropicResponseTranslation.completion(json, created: 0) {
            precondition((try? JSONParser.parse(completion.serialized())) != nil, "the translated completion is not JSON")
            precondition(usage.promptTokens >= 0 && usage.completionTokens >= 0, "negative usage")
        }
    }
}
