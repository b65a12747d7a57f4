/// Removes secrets from text that is about to leave the process or be stored:
/// an upstream's error message ("Incorrect API key provided: sk-..."), a
/// transport error that quotes a header value, anything else built from
/// foreign text.
///
/// Two passes: the configured secrets themselves (API keys, header values)
/// wherever they occur, then anything shaped like a credential (`Bearer ...`,
/// the well-known key prefixes, long random-looking tokens), masked or not.
///
/// ```swift
/// let redactor = SecretRedactor(secrets: ["sk-live-123456789"])
/// redactor.redact("Incorrect API key provided: sk-live-123456789")
/// // "Incorrect API key provided: [redacted]"
/// ```
public struct SecretRedactor: Sendable {
    public static let replacement = "[redacted]"
    /// Shorter secrets are not searched for: "abc" would redact half the message.
    public static let minimumSecretLength = 8

    private let secrets: [[UInt8]]

    public init(secrets: some Sequence<String> = []) {
        var seen = Set<[UInt8]>()
        var list: [[UInt8]] = []
        for secret in secrets {
            for variant in [secret, secret.trimmingWhitespace] {
                let bytes = Array(variant.utf8)
                guard bytes.count >= Self.minimumSecretLength, seen.insert(bytes).inserted else { continue }
                list.append(bytes)
            }
        }
        // Longest first, so a key that contains another is removed whole.
        self.secrets = list.sorted { $0.count > $1.count }
    }

    /// A redactor that knows these secrets too.
    public func adding(_ more: some Sequence<String>) -> SecretRedactor {
        SecretRedactor(secrets: secrets.map { String(decoding: $0, as: UTF8.self) } + Array(more))
    }

    public func redact(_ text: String) -> String {
        var bytes = Array(text.utf8)
        for secret in secrets { bytes = Self.replacing(secret, in: bytes) }
        bytes = CredentialShapes.mask(bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Every occurrence of `needle` replaced, in one pass.
    private static func replacing(_ needle: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= needle.count, let first = needle.first else { return bytes }
        var out: [UInt8] = []
        var i = 0
        var copied = 0
        while i <= bytes.count - needle.count {
            if bytes[i] == first, bytes[i..<(i + needle.count)].elementsEqual(needle) {
                if out.isEmpty { out.reserveCapacity(bytes.count) }
                out.append(contentsOf: bytes[copied..<i])
                out.append(contentsOf: replacement.utf8)
                i += needle.count
                copied = i
            } else {
                i += 1
            }
        }
        guard copied > 0 else { return bytes }
        out.append(contentsOf: bytes[copied...])
        return out
    }
}

/// Tokens that look like credentials, whether or not the gateway knows them.
enum CredentialShapes {
    static let prefixes: [[UInt8]] = [
        "sk-", "sk_live_", "sk_test_", "rk_live_", "pk_live_", "whsec_", "ghp_", "gho_", "ghu_", "ghs_", "github_pat_", "glpat-",
        "xoxb-", "xoxp-", "xoxa-", "AIza", "AKIA", "ASIA", "hf_", "eyJ",
    ].map { Array($0.utf8) }

    static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "*")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=")
    }

    /// Each token (a run of key-like bytes) that is a credential becomes `[redacted]`;
    /// so does the token after `Bearer`. One pass.
    static func mask(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var afterBearer = false
        while i < bytes.count {
            guard isTokenByte(bytes[i]) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            var end = i
            while end < bytes.count, isTokenByte(bytes[end]) { end += 1 }
            let token = bytes[i..<end]
            // Trailing full stops end sentences, not keys.
            var core = token
            while let last = core.last, last == UInt8(ascii: "."), core.count > 1 { core = core.dropLast() }
            if afterBearer || isCredential(core) {
                out.append(contentsOf: SecretRedactor.replacement.utf8)
                out.append(contentsOf: token[core.endIndex...])
            } else {
                out.append(contentsOf: token)
            }
            afterBearer = core.elementsEqual("Bearer".utf8) || core.elementsEqual("bearer".utf8)
            i = end
        }
        return out
    }

    static func isCredential(_ token: ArraySlice<UInt8>) -> Bool {
        for prefix in prefixes where token.count >= prefix.count + 6 && token.prefix(prefix.count).elementsEqual(prefix) {
            return true
        }
        // A long run of letters and digits mixed, as random keys are (not a word, not a number).
        guard token.count >= 32 else { return false }
        var letters = 0, digits = 0
        for b in token {
            if b >= 48 && b <= 57 { digits += 1 } else if (b >= 65 && b <= 90) || (b >= 97 && b <= 122) { letters += 1 }
        }
        return letters >= 8 && digits >= 4
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks (a secret read from a file ends in one).
    public var trimmingWhitespace: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}
