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

    /// The identity a serialized OpenAI answer or chunk reports, read without parsing the whole object: the first
    /// `"model":"..."` and `"system_fingerprint":"..."` in the bytes (a quote inside a JSON string is escaped, so
    /// these cannot come from the content). A value with an escape in it falls back to the parser. Where a hostile
    /// upstream repeats a key, the first one is its report: it is only ever the upstream's word about itself.
    public init?(serialized bytes: [UInt8]) {
        // Compact JSON (what upstreams send) is scanned; anything else (spaces after a colon, escapes) is parsed.
        guard case .plain(let name)? = Self.value(of: Self.modelKey, in: bytes), !name.isEmpty else {
            self.init(parsing: bytes)
            return
        }
        switch Self.value(of: Self.fingerprintKey, in: bytes) {
        case .plain(let fingerprint)?: self.init(model: name, fingerprint: fingerprint)
        case .escaped?: self.init(parsing: bytes)
        case nil where Self.contains(Self.fingerprintName, in: bytes): self.init(parsing: bytes)
        case nil: self.init(model: name)
        }
    }

    private init?(parsing bytes: [UInt8]) {
        guard let json = try? JSONParser.parse(bytes) else { return nil }
        self.init(answer: json)
    }

    private enum Found {
        case plain(String)
        case escaped
    }

    private static let modelKey = Array(#""model":""#.utf8)
    private static let fingerprintKey = Array(#""system_fingerprint":""#.utf8)
    private static let fingerprintName = Array(#""system_fingerprint""#.utf8)

    private static func contains(_ needle: [UInt8], in bytes: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { i in bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) }
    }

    private static func value(of key: [UInt8], in bytes: [UInt8]) -> Found? {
        guard bytes.count > key.count else { return nil }
        var i = 0
        while i + key.count <= bytes.count {
            if bytes[i] == key[0], bytes[i..<(i + key.count)].elementsEqual(key) {
                var j = i + key.count
                let start = j
                while j < bytes.count, bytes[j] != UInt8(ascii: "\""), j - start <= maxLength * 4 {
                    if bytes[j] == UInt8(ascii: "\\") { return .escaped }
                    j += 1
                }
                guard j < bytes.count, bytes[j] == UInt8(ascii: "\"") else { return .escaped }
                return .plain(String(decoding: bytes[start..<j], as: UTF8.self))
            }
            i += 1
        }
        return nil
    }

    public var description: String { fingerprint.map { "\(model) (\($0))" } ?? model }

    /// Whether this identity is the one pinned in the catalog (`models[].expect_identity`): the reported model
    /// name or the fingerprint, exactly.
    public func matches(pinned: String) -> Bool { model == pinned || fingerprint == pinned }

    /// `text` cut to ``maxLength`` and reduced to printable ASCII.
    public static func bounded(_ text: String) -> String {
        // The usual identity is short printable ASCII already: kept as it is, no copy.
        if text.utf8.count <= maxLength, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = ""
        for scalar in text.unicodeScalars.prefix(maxLength) where scalar.value >= 0x20 && scalar.value < 0x7F {
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
