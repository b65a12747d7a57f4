/// Token usage of one completion.
public struct Usage: Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var cachedPromptTokens: Int
    /// True when the upstream did not report usage and the gateway counted it.
    public var isEstimated: Bool

    public init(promptTokens: Int, completionTokens: Int, cachedPromptTokens: Int = 0, isEstimated: Bool = false) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedPromptTokens = cachedPromptTokens
        self.isEstimated = isEstimated
    }

    public var totalTokens: Int { promptTokens + completionTokens }

    /// Reads an OpenAI `usage` object.
    public init?(openAI json: JSONValue?) {
        guard let json, let prompt = json["prompt_tokens"]?.intValue, let completion = json["completion_tokens"]?.intValue else {
            return nil
        }
        self.init(
            promptTokens: prompt,
            completionTokens: completion,
            cachedPromptTokens: json["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0)
    }

    /// The OpenAI `usage` object.
    public var openAIJSON: JSONValue {
        var object: [String: JSONValue] = [
            "prompt_tokens": .int(Int64(promptTokens)),
            "completion_tokens": .int(Int64(completionTokens)),
            "total_tokens": .int(Int64(totalTokens)),
        ]
        if cachedPromptTokens > 0 {
            object["prompt_tokens_details"] = ["cached_tokens": .int(Int64(cachedPromptTokens))]
        }
        return .object(object)
    }

    /// A rough count for text whose usage the upstream did not report:
    /// about four characters a token, the usual rule for English BPE vocabularies.
    public static func estimatedTokens(in text: String) -> Int {
        text.isEmpty ? 0 : max(1, (text.utf8.count + 3) / 4)
    }
}
