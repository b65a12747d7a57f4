/// One message of an OpenAI chat request, with its raw object kept for
/// pass-through and the parts the gateway reads pulled out.
public struct ChatMessage: Sendable, Hashable {
    public static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool", "function"]

    public var role: String
    /// A string, an array of content parts, or null (assistant messages with tool calls).
    public var content: JSONValue
    public var raw: JSONObject

    public init(role: String, content: JSONValue, raw: JSONObject = [:]) {
        self.role = role
        self.content = content
        var raw = raw
        raw["role"] = .string(role)
        raw["content"] = content
        self.raw = raw
    }

    /// The text of the message: the string content, or its text parts joined.
    public var text: String {
        switch content {
        case .string(let s): return s
        case .array(let parts):
            return parts.compactMap { part in
                part["type"]?.stringValue == "text" ? part["text"]?.stringValue : nil
            }.joined(separator: "\n")
        default: return ""
        }
    }
}
