/// The most one call can cost: what a budget reserves before the call is sent.
///
/// Prompt tokens are bounded by the request's bytes (a token of any
/// byte-level tokenizer covers at least one byte, and the JSON around each
/// message is longer than a chat template's markers), plus an allowance per
/// image or audio part, and by the model's context window when a part (a
/// file) may expand past its bytes. Output tokens are `max_tokens` times `n`,
/// or the model's output cap when the request sets none — the gateway then
/// sends that cap as `max_tokens`, so the upstream keeps to the bound too.
public enum WorstCase {
    /// The output cap for a model that states none (Anthropic's API requires one; this is the gateway's there too).
    public static let defaultOutputTokens = 4_096
    /// Tokens one image or audio part may cost: above OpenAI's, Anthropic's and Gemini's largest image.
    public static let tokensPerMediaPart = 3_000

    /// Output tokens the request may produce on `model`, all choices together.
    public static func outputTokens(_ request: ChatRequest, on model: ModelEntry) -> Int {
        let choices = max(1, min(ChatRequest.maximumChoices, request.body["n"]?.intValue.map { Int(clamping: $0) } ?? 1))
        return outputCap(request, on: model).saturatingMultiply(choices)
    }

    /// `max_tokens` as the request gives it, else the model's cap.
    public static func outputCap(_ request: ChatRequest, on model: ModelEntry) -> Int {
        request.maxTokens ?? model.maxOutputTokens ?? defaultOutputTokens
    }

    /// Prompt tokens the request may cost on `model`, given its body's size in bytes.
    public static func promptTokens(_ request: ChatRequest, bodyBytes: Int, on model: ModelEntry) -> Int {
        var media = 0
        var files = false
        for message in request.messages {
            guard case .array(let parts) = message.content else { continue }
            for part in parts {
                switch part["type"]?.stringValue {
                case "image_url", "input_audio", "image", "input_image": media += 1
                case "file", "input_file", "document": files = true
                default: break
                }
            }
        }
        let bound = max(0, bodyBytes).saturatingAdd(media.saturatingMultiply(tokensPerMediaPart))
        if files, let window = model.contextWindow { return max(bound, window) }
        return bound
    }

    /// The most the call can cost in US dollars: every prompt token at the uncached input price, every output token at the output price.
    public static func costUSD(_ request: ChatRequest, bodyBytes: Int, on model: ModelEntry) -> Double {
        let prompt = Double(promptTokens(request, bodyBytes: bodyBytes, on: model))
        let output = Double(outputTokens(request, on: model))
        return (prompt * model.price.inputPerMTok + output * model.price.outputPerMTok) / 1_000_000
    }
}
