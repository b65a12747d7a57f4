/// Token usage of one completion.
///
/// Every count is held within 0...``maximumTokens`` however it was reported:
/// an upstream's usage is data, and a negative or 2^63 count must not trap a
/// sum or turn a cost negative.
public struct Usage: Sendable, Hashable {
    /// A billion tokens: far above any real completion, far below overflow when summed.
    public static let maximumTokens = 1_000_000_000

    public var promptTokens: Int
    public var completionTokens: Int
    public var cachedPromptTokens: Int
    /// True when the upstream did not report usage and the gateway counted it.
    public var isEstimated: Bool

    public init(promptTokens: Int, completionTokens: Int, cachedPromptTokens: Int = 0, isEstimated: Bool = false) {
        self.promptTokens = Self.bounded(promptTokens)
        self.completionTokens = Self.bounded(completionTokens)
        self.cachedPromptTokens = Self.bounded(cachedPromptTokens)
        self.isEstimated = isEstimated
    }

    /// A reported count held within 0...maximumTokens.
    public static func bounded(_ count: Int) -> Int {
        count.clamped(to: 0...maximumTokens)
    }

    /// Two usages together (a cascade's samples), counts held within the bound.
    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(
            promptTokens: lhs.promptTokens.saturatingAdd(rhs.promptTokens),
            completionTokens: lhs.completionTokens.saturatingAdd(rhs.completionTokens),
            cachedPromptTokens: lhs.cachedPromptTokens.saturatingAdd(rhs.cachedPromptTokens),
            isEstimated: lhs.isEstimated || rhs.isEstimated)
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
        var object: JSONObject = [
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
