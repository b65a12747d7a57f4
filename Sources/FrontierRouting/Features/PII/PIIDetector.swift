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
    /// The categories reported (`privacy.categories` can switch some off); all by default.
    public var categories: Set<PIICategory>
    /// The operator's recognizers and deny lists, run before the built-in rules; nil: none configured.
    public var operatorRules: OperatorRecognizers?

    public init(categories: Set<PIICategory> = Set(PIICategory.allCases), operatorRules: OperatorRecognizers? = nil) {
        self.categories = categories
        self.operatorRules = operatorRules.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Findings in `text`, its byte ranges those of the original text. The text is normalised
    /// first (``NormalizedText``): a card number with no-break spaces or fullwidth digits,
    /// an SSN with en dashes, a zero-width space inside a value are found as the plain forms are.
    public func findings(in text: String) -> [PIIFinding] {
        let normalized = NormalizedText(text)
        var scan = PIIScan(bytes: normalized.bytes)
        if let operatorRules { scan.scanOperatorRules(operatorRules) }
        scan.run()
        // The operator's own categories always count; the built-in ones as `privacy.categories` says.
        let all = categories.count == PIICategory.allCases.count && operatorRules == nil
        let mapped = scan.findings.compactMap { finding -> PIIFinding? in
            guard all || finding.rule != .builtIn || categories.contains(finding.category) else { return nil }
            return PIIFinding(category: finding.category, utf8Range: normalized.originalRange(finding.utf8Range), rule: finding.rule)
        }.sorted { $0.utf8Range.lowerBound < $1.utf8Range.lowerBound }
        // Two findings inside one original character (a pattern matching single bytes of a multi-byte one, or
        // the two letters NFKC makes of a ligature) map to the same bytes: one finding covers them, so the
        // findings never overlap (pseudonymisation replaces each once).
        var findings: [PIIFinding] = []
        findings.reserveCapacity(mapped.count)
        for finding in mapped {
            if let last = findings.last, finding.utf8Range.lowerBound < last.utf8Range.upperBound {
                findings[findings.count - 1].utf8Range = last.utf8Range.lowerBound..<max(last.utf8Range.upperBound, finding.utf8Range.upperBound)
            } else {
                findings.append(finding)
            }
        }
        return findings
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
    /// Bytes already claimed by a finding, so a card number is not also a phone
    /// number. A bit set, so a check costs the candidate's length, not the
    /// number of findings so far (4 MiB of e-mail addresses stays linear).
    var claimed: ClaimedBytes
    /// Each token's ``WordHash`` (lower-cased, trailing punctuation left out), computed once for every rule
    /// that looks words up: the address and name rules asked for most tokens' hash two or three times.
    var wordHashes: [UInt64] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.claimed = ClaimedBytes(count: bytes.count)
        // A plain loop over raw buffers, which the compiler vectorises.
        self.lower = [UInt8](unsafeUninitializedCapacity: bytes.count) { lower, count in
            bytes.withUnsafeBufferPointer { bytes in
                for i in bytes.indices {
                    let b = bytes[i]
                    lower[i] = b &- 65 < 26 ? b | 0x20 : b
                }
            }
            count = bytes.count
        }
    }

    mutating func run() {
        let tokens = Token.split(bytes)
        wordHashes = tokens.map { WordHash.of(lower[$0.range]) }
        scanSecrets(tokens)
        scanEmails(tokens)
        scanIBANs(tokens)
        scanIPv6(tokens)
        scanMedicalRecordNumbers(tokens)
        scanUKNationalInsurance(tokens)
        scanNumberSpans()
        scanTextualDates(tokens)
        scanAddresses(tokens)
        scanPersonNames(tokens)
    }

    mutating func add(_ category: PIICategory, _ range: Range<Int>, rule: PIIRule = .builtIn) {
        guard !claimed.overlaps(range) else { return }
        claimed.claim(range)
        findings.append(PIIFinding(category: category, utf8Range: range, rule: rule))
    }

    func isClaimed(_ range: Range<Int>) -> Bool {
        claimed.overlaps(range)
    }

    /// Whether one of `words` occurs in the `window` bytes before `position`,
    /// and with `withinClause`, after the last comma, semicolon, full stop or line break.
    /// (`sentences: false`: a full stop is no boundary, as in "Med Rec No. 1234"; `lines: false`: nor is a
    /// line break, as in a label wrapped onto the next line or split across two messages.)
    func context(before position: Int, window: Int, _ words: Keywords, withinClause: Bool = false, sentences: Bool = true, lines: Bool = true) -> Bool {
        var start = max(0, position - window)
        if withinClause, let boundary = lower[start..<position].lastIndex(where: {
            Self.isClauseBoundary($0) && (sentences || $0 != UInt8(ascii: ".")) && (lines || $0 != 0x0A)
        }) {
            start = boundary + 1
        }
        guard start < position else { return false }
        // At the start of the text, a cue written with its leading space (" uid ") still counts.
        if start == 0, words.hasLeadingSpaceWords { return words.occur(in: ArraySlice([0x20] + lower[start..<position])) }
        return words.occur(in: lower[start..<position])
    }

    private static func isClauseBoundary(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ",") || b == UInt8(ascii: ";") || b == UInt8(ascii: "\n") || b == UInt8(ascii: ".")
    }
}

/// Lower-case words to look for around a candidate, with a table of their
/// first bytes so one pass over the window tests them all.
struct Keywords: Sendable {
    let words: [[UInt8]]
    private let firstBytes: [Bool]
    let hasLeadingSpaceWords: Bool

    init(_ words: [String]) {
        self.words = words.map { Array($0.utf8) }
        self.hasLeadingSpaceWords = words.contains { $0.hasPrefix(" ") }
        var table = [Bool](repeating: false, count: 256)
        for word in self.words { table[Int(word[0])] = true }
        self.firstBytes = table
    }

    /// Whether a word occurs in `text` where a word starts ("ref" in "ref: 12", not in "Prefill";
    /// "cell" not in "excellent"). A space in a word matches any white space, so a cue wrapped
    /// onto the next line ("chart\nnumber") still counts.
    func occur(in text: ArraySlice<UInt8>) -> Bool {
        for i in text.indices where firstBytes[Int(text[i])] {
            if i > text.startIndex, ASCII.isLetter(text[i - 1]), ASCII.isLetter(text[i]) { continue }
            for word in words where word[0] == text[i] && i + word.count <= text.endIndex {
                var matches = true
                for k in 1..<word.count {
                    let b = text[i + k], w = word[k]
                    if b != w, !(w == 0x20 && ASCII.isSpace(b)) {
                        matches = false
                        break
                    }
                }
                if matches { return true }
            }
        }
        return false
    }
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

    init(range: Range<Int>) {
        self.range = range
    }

    /// Splits at white space, noting each token's facts on the way.
    /// (Edge punctuation never is '@', ':', '=' or a digit, so facts gathered
    /// before trimming hold for the trimmed token.)
    static func split(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 5)
        bytes.withUnsafeBufferPointer { bytes in
            classes.withUnsafeBufferPointer { classes in
                var i = 0
                while i < bytes.count {
                    while i < bytes.count, ASCII.isSpace(bytes[i]) { i += 1 }
                    let start = i
                    var token = Token(range: start..<start)
                    // One table lookup a byte; most bytes are letters, with nothing to note.
                    while i < bytes.count {
                        let c = classes[Int(bytes[i])]
                        if c == Class.plain { i += 1; continue }
                        if c == Class.space { break }
                        switch c {
                        case Class.digit: token.digits += 1
                        case Class.at: if token.at < 0 { token.at = i }
                        case Class.colon:
                            token.colons += 1
                            if token.separator < 0 { token.separator = i }
                        default: if token.separator < 0 { token.separator = i }  // '='
                        }
                        i += 1
                    }
                    guard start < i else { continue }
                    var lo = start, hi = i
                    while lo < hi, ASCII.isEdgePunctuation(bytes[lo]) { lo += 1 }
                    while hi > lo, ASCII.isEdgePunctuation(bytes[hi - 1]) || bytes[hi - 1] == UInt8(ascii: ".") { hi -= 1 }
                    if lo < hi {
                        token.range = lo..<hi
                        tokens.append(token)
                    }
                }
            }
        }
        return tokens
    }

    /// What ``split(_:)`` notes of a byte.
    private enum Class {
        static let plain: UInt8 = 0, space: UInt8 = 1, digit: UInt8 = 2, at: UInt8 = 3, colon: UInt8 = 4, equals: UInt8 = 5
    }

    private static let classes: [UInt8] = (0..<256).map { b -> UInt8 in
        let b = UInt8(b)
        if ASCII.isSpace(b) { return Class.space }
        if ASCII.isDigit(b) { return Class.digit }
        switch b {
        case UInt8(ascii: "@"): return Class.at
        case UInt8(ascii: ":"): return Class.colon
        case UInt8(ascii: "="): return Class.equals
        default: return Class.plain
        }
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

/// Which bytes of a text findings have claimed, one bit a byte.
struct ClaimedBytes {
    private var words: [UInt64]

    init(count: Int) {
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    func overlaps(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        let (first, last) = (range.lowerBound >> 6, (range.upperBound - 1) >> 6)
        for word in first...last where words[word] & Self.mask(word, first, last, range) != 0 { return true }
        return false
    }

    mutating func claim(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let (first, last) = (range.lowerBound >> 6, (range.upperBound - 1) >> 6)
        for word in first...last { words[word] |= Self.mask(word, first, last, range) }
    }

    /// The bits of 64-bit word `word` that lie in `range`.
    @inline(__always)
    private static func mask(_ word: Int, _ first: Int, _ last: Int, _ range: Range<Int>) -> UInt64 {
        let lo = word == first ? range.lowerBound & 63 : 0
        let hi = word == last ? (range.upperBound - 1) & 63 : 63
        let upper = hi == 63 ? UInt64.max : (UInt64(1) << (hi + 1)) - 1
        return upper & ~((UInt64(1) << lo) - 1)
    }
}
