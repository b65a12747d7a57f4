/// `ledger.implicit_feedback`: scores inferred from what a client did, each
/// appended as feedback (`source: implicit`) with its own label and weight so
/// an export can tell it from a person's score, and each switched off with
/// `false` (or all at once with `implicit_feedback: false`). On by default
/// with the ledger; a weight says how much one counts against a posted score.
public struct ImplicitFeedbackSettings: Sendable, Equatable {
    /// The same key sends the same conversation to the same model or route again within `retryWindowSeconds`:
    /// the answer it had got scores 0 (a retry or a regenerate).
    public var retryWeight: Double? = 0.5
    public var retryWindowSeconds = 120
    /// The client hung up on a stream before its end: 0 for that answer.
    public var clientCutWeight: Double? = 0.3
    /// A tool call whose arguments are not a JSON object: 0.
    public var malformedToolCallWeight: Double? = 1
    /// An answer that opens by refusing ("I can't help with that"): 0.
    public var refusalWeight: Double? = 0.5

    public init() {}

    public static let off: ImplicitFeedbackSettings = {
        var s = ImplicitFeedbackSettings()
        s.retryWeight = nil
        s.clientCutWeight = nil
        s.malformedToolCallWeight = nil
        s.refusalWeight = nil
        return s
    }()

    public var isOff: Bool { retryWeight == nil && clientCutWeight == nil && malformedToolCallWeight == nil && refusalWeight == nil }
}

extension ConfigLoader {
    /// `implicit_feedback: false | {retry: false | {weight, window_s}, client_cut: false | {weight}, malformed_tool_call: ..., refusal: ...}`.
    static func implicitFeedback(_ ledger: NodeReader) throws(ConfigError) -> ImplicitFeedbackSettings {
        var settings = ImplicitFeedbackSettings()
        if (try? ledger.bool("implicit_feedback")) != nil {
            return try ledger.bool("implicit_feedback") == false ? .off : settings
        }
        guard let implicit = try ledger.nested("implicit_feedback", known: ["retry", "client_cut", "malformed_tool_call", "refusal"]) else {
            return settings
        }
        /// The signal's weight: nil when switched off (`false`), the default when absent or `true`.
        func weight(_ key: String, default value: Double?, extra: Set<String> = []) throws(ConfigError) -> (weight: Double?, reader: NodeReader?) {
            if let on = try? implicit.bool(key) { return (on ? value : nil, nil) }
            guard let node = try implicit.nested(key, known: Set(["weight"]).union(extra)) else { return (value, nil) }
            return (try node.double("weight", minimum: 0, maximum: 1) ?? value, node)
        }
        let retry = try weight("retry", default: settings.retryWeight, extra: ["window_s"])
        settings.retryWeight = retry.weight
        settings.retryWindowSeconds = try retry.reader?.int("window_s", minimum: 1, maximum: 86_400) ?? settings.retryWindowSeconds
        settings.clientCutWeight = try weight("client_cut", default: settings.clientCutWeight).weight
        settings.malformedToolCallWeight = try weight("malformed_tool_call", default: settings.malformedToolCallWeight).weight
        settings.refusalWeight = try weight("refusal", default: settings.refusalWeight).weight
        return settings
    }
}
