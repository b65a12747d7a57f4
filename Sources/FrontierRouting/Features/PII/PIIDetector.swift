/// Finds sensitive data in a prompt, in-process and without regular
/// expressions: one pass splits the text into tokens and number spans, then
/// each category's rule looks at their shape, its check digits and, where the
/// shape alone is ambiguous (a date, a 10-digit number), the words before it.
///
/// ```swift
/// let findings = PIIDetector().findings(in: "Card 4111 1111 1111 1111, call (415) 555-0132")
/// // [credit_card@5..<24, phone@31..<45]
/// ```
public struct PIIDetector: Sendable {
    public init() {}

    public func findings(in text: String) -> [PIIFinding] {
        let bytes = Array(text.utf8)
        var scan = PIIScan(bytes: bytes)
        scan.run()
        return scan.findings.sorted { $0.utf8Range.lowerBound < $1.utf8Range.lowerBound }
    }

    /// The distinct categories found, sorted.
    public func categories(in text: String) -> [PIICategory] {
        Array(Set(findings(in: text).map(\.category))).sorted()
    }
}

/// One detection pass over one text.
struct PIIScan {
    let bytes: [UInt8]
    let lower: [UInt8]
    var findings: [PIIFinding] = []
    /// Byte ranges already claimed, so a card number is not also a phone number.
    var claimed: [Range<Int>] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.lower = bytes.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
    }

    mutating func run() {
        let tokens = Token.split(bytes)
        scanSecrets(tokens)
        scanEmails(tokens)
        scanIBANs(tokens)
        scanIPv6(tokens)
        scanMedicalRecordNumbers(tokens)
        scanNumberSpans()
        scanTextualDates(tokens)
        scanAddresses(tokens)
    }

    mutating func add(_ category: PIICategory, _ range: Range<Int>) {
        guard !claimed.contains(where: { $0.overlaps(range) }) else { return }
        claimed.append(range)
        findings.append(PIIFinding(category: category, utf8Range: range))
    }

    func isClaimed(_ range: Range<Int>) -> Bool {
        claimed.contains { $0.overlaps(range) }
    }

    /// Whether one of `words` (lower case) occurs in the `window` bytes before `position`,
    /// and with `withinClause`, after the last comma, semicolon, full stop or line break.
    func context(before position: Int, window: Int, _ words: [[UInt8]], withinClause: Bool = false) -> Bool {
        var start = max(0, position - window)
        if withinClause, let boundary = lower[start..<position].lastIndex(where: { ",;\n".utf8.contains($0) || $0 == UInt8(ascii: ".") && $0 != 0 }) {
            start = boundary + 1
        }
        guard start < position else { return false }
        let slice = lower[start..<position]
        return words.contains { word in contains(slice, word) }
    }

    private func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return false }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}

extension Array where Element == [UInt8] {
    /// Word lists as bytes, made once (the detector runs on every request).
    static func bytes(_ words: [String]) -> [[UInt8]] { words.map { [UInt8]($0.utf8) } }
}

/// A run of non-space bytes, with surrounding punctuation trimmed, and the
/// facts every rule asks about it, gathered in the one pass that splits.
struct Token {
    var range: Range<Int>
    /// Offset of the first '@', or -1.
    var at = -1
    /// Offset of the first '=' or ':', or -1.
    var separator = -1
    var colons = 0
    var digits = 0

    init(range: Range<Int>, in bytes: [UInt8]) {
        self.range = range
        for i in range {
            switch bytes[i] {
            case UInt8(ascii: "@"): if at < 0 { at = i }
            case UInt8(ascii: ":"):
                colons += 1
                if separator < 0 { separator = i }
            case UInt8(ascii: "="): if separator < 0 { separator = i }
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            default: break
            }
        }
    }

    static func split(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        while i < bytes.count {
            while i < bytes.count, ASCII.isSpace(bytes[i]) { i += 1 }
            let start = i
            while i < bytes.count, !ASCII.isSpace(bytes[i]) { i += 1 }
            guard start < i else { continue }
            var lo = start, hi = i
            while lo < hi, ASCII.isEdgePunctuation(bytes[lo]) { lo += 1 }
            while hi > lo, ASCII.isEdgePunctuation(bytes[hi - 1]) || bytes[hi - 1] == UInt8(ascii: ".") { hi -= 1 }
            if lo < hi { tokens.append(Token(range: lo..<hi, in: bytes)) }
        }
        return tokens
    }
}

enum ASCII {
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    static func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
    static func isLowerLetter(_ b: UInt8) -> Bool { b >= 97 && b <= 122 }
    static func isLetter(_ b: UInt8) -> Bool { isUpper(b) || isLowerLetter(b) }
    static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70) }
    static func isEdgePunctuation(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""),
             UInt8(ascii: "'"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "`"):
            return true
        default:
            return false
        }
    }
}
