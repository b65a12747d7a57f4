/// What an upstream says it is on an answer: the model name it reports and, where its protocol has one, a build
/// fingerprint (OpenAI's and llama.cpp's `system_fingerprint`). Both are the upstream's text: bounded and reduced
/// to printable ASCII before anything keeps them, so a hostile upstream cannot grow memory or forge log lines.
public struct ReportedIdentity: Hashable, Sendable, CustomStringConvertible {
    public var model: String
    public var fingerprint: String?

    /// The longest value kept; longer ones are cut (real identities are tens of characters).
    public static let maxLength = 96

    public init(model: String, fingerprint: String? = nil) {
        self.model = Self.bounded(model)
        self.fingerprint = fingerprint.map(Self.bounded).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The identity an OpenAI-shaped answer object or its first chunk reports, or nil when it names no model.
    public init?(answer json: JSONValue) {
        guard let model = json["model"]?.stringValue, !model.isEmpty else { return nil }
        self.init(model: model, fingerprint: json["system_fingerprint"]?.stringValue)
    }

    public var description: String { fingerprint.map { "\(model) (\($0))" } ?? model }

    /// Whether this identity is the one pinned in the catalog (`models[].expect_identity`): the reported model
    /// name or the fingerprint, exactly.
    public func matches(pinned: String) -> Bool { model == pinned || fingerprint == pinned }

    /// `text` cut to ``maxLength`` and reduced to printable ASCII.
    public static func bounded(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(maxLength) where scalar.value >= 0x20 && scalar.value < 0x7F {
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
