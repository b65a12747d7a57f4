/// A request as its client's protocol sent it, kept beside its OpenAI form,
/// so that an upstream speaking that same protocol gets it nearly verbatim
/// (an Anthropic Messages request to an Anthropic model keeps its thinking
/// blocks, cache controls and documents), while any other upstream gets the
/// translation. The PII decision reads this body too: what may be sent is
/// what is scanned.
public struct NativeRequest: Sendable {
    public enum Wire: String, Sendable {
        case anthropicMessages = "anthropic.messages"
        /// Kept only for what a response echoes: no upstream is sent this body.
        case openAIResponses = "openai.responses"
    }

    /// Whether an upstream may be sent this body as it is (so the PII decision must read it).
    public var isSent: Bool { wire == .anthropicMessages }

    public var wire: Wire
    public var body: JSONObject
    /// The protocol's own headers to forward (`anthropic-version`, `anthropic-beta`).
    public var headers: [String: String]

    public init(wire: Wire, body: JSONObject, headers: [String: String] = [:]) {
        self.wire = wire
        self.body = body
        self.headers = headers
    }
}
