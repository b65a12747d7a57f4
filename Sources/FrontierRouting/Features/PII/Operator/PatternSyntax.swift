/// An operator's pattern (`privacy.recognizers[].pattern`), parsed: the regular subset of the usual regex syntax
/// that a finite automaton runs in time linear in the text, whatever the text. Everything that needs a
/// backtracking engine is refused with the reason, so no pattern in a config can make a request scan for long.
///
/// Supported: literals and escapes (`\.`, `\-`, `\t`, `\n`), `.`, classes (`[A-Z0-9-]`, `[^ ]`, with `\d`, `\w`, `\s`
/// inside), `\d \D \w \W \s \S`, groups (`(...)`, `(?:...)`, `(?<name>...)`, captured or not, it makes no
/// difference), `|`, `* + ? {n} {n,} {n,m}` (a trailing `?` for lazy is accepted: matches are leftmost-longest),
/// `\b \B ^ $`, and `(?i)` at the start for a case-insensitive pattern.
indirect enum PatternNode: Sendable, Equatable {
    case bytes(ByteSet)
    case sequence([PatternNode])
    case choice([PatternNode])
    case repeated(PatternNode, min: Int, max: Int?)
    case assertion(PatternAssertion)
    case empty
}

enum PatternAssertion: Sendable, Equatable {
    case wordBoundary, notWordBoundary, lineStart, lineEnd
}

/// A set of bytes, 256 bits.
struct ByteSet: Sendable, Hashable {
    var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}

    init(_ byte: UInt8) { insert(byte) }

    static func == (a: ByteSet, b: ByteSet) -> Bool { a.bits == b.bits }
    func hash(into hasher: inout Hasher) {
        hasher.combine(bits.0); hasher.combine(bits.1); hasher.combine(bits.2); hasher.combine(bits.3)
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return bits.0 & bit != 0
        case 1: return bits.1 & bit != 0
        case 2: return bits.2 & bit != 0
        default: return bits.3 & bit != 0
        }
    }

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: bits.0 |= bit
        case 1: bits.1 |= bit
        case 2: bits.2 |= bit
        default: bits.3 |= bit
        }
    }

    mutating func insert(_ range: ClosedRange<UInt8>) {
        for b in range { insert(b) }
    }

    mutating func formUnion(_ other: ByteSet) {
        bits = (bits.0 | other.bits.0, bits.1 | other.bits.1, bits.2 | other.bits.2, bits.3 | other.bits.3)
    }

    var inverted: ByteSet {
        var out = ByteSet()
        out.bits = (~bits.0, ~bits.1, ~bits.2, ~bits.3)
        return out
    }

    var isEmpty: Bool { bits == (0, 0, 0, 0) }

    /// Both cases of every ASCII letter in the set.
    var caseFolded: ByteSet {
        var out = self
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") where contains(b) || contains(b | 0x20) {
            out.insert(b)
            out.insert(b | 0x20)
        }
        return out
    }

    static let digits: ByteSet = { var s = ByteSet(); s.insert(48...57); return s }()
    /// ASCII letters, digits and `_`, and every byte of a non-ASCII character (a letter in most texts: é, ß, 名).
    static let word: ByteSet = {
        var s = digits
        s.insert(65...90); s.insert(97...122); s.insert(95); s.insert(0x80...0xFF)
        return s
    }()
    static let space: ByteSet = { var s = ByteSet(); for b: UInt8 in [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C] { s.insert(b) }; return s }()
    static let anyButNewline: ByteSet = ByteSet(0x0A).inverted
}

/// Why a pattern was refused: the message names the pattern's offending part and what to write instead.
public struct PatternError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The parser: recursive descent over the pattern's bytes, with its depth and size bounded.
struct PatternParser {
    private let bytes: [UInt8]
    private var i = 0
    private var depth = 0
    private(set) var caseInsensitive = false

    /// The longest pattern accepted, and the deepest nesting of groups.
    static let maxLength = 1_000
    static let maxDepth = 32
    /// The largest count in `{n,m}`: a bounded repetition is unrolled.
    static let maxCount = 100

    init(_ pattern: String) {
        bytes = Array(pattern.utf8)
    }

    mutating func parse() throws(PatternError) -> PatternNode {
        guard !bytes.isEmpty else { throw PatternError(message: "is empty") }
        guard bytes.count <= Self.maxLength else { throw PatternError(message: "is \(bytes.count) bytes long; at most \(Self.maxLength) are accepted") }
        if bytes.starts(with: Array("(?i)".utf8)) {
            caseInsensitive = true
            i = 4
        }
        let node = try alternation()
        guard i == bytes.count else {
            throw PatternError(message: "has an unmatched ')' at offset \(i)")
        }
        return node
    }

    private var atEnd: Bool { i >= bytes.count }
    private func peek(_ offset: Int = 0) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }

    private mutating func alternation() throws(PatternError) -> PatternNode {
        var branches = [try concatenation()]
        while peek() == UInt8(ascii: "|") {
            i += 1
            branches.append(try concatenation())
        }
        return branches.count == 1 ? branches[0] : .choice(branches)
    }

    private mutating func concatenation() throws(PatternError) -> PatternNode {
        var items: [PatternNode] = []
        while let b = peek(), b != UInt8(ascii: "|"), b != UInt8(ascii: ")") {
            items.append(try repetition())
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .sequence(items)
        }
    }

    private mutating func repetition() throws(PatternError) -> PatternNode {
        let start = i
        var node = try atom()
        while let b = peek() {
            let bounds: (Int, Int?)
            switch b {
            case UInt8(ascii: "*"): bounds = (0, nil); i += 1
            case UInt8(ascii: "+"): bounds = (1, nil); i += 1
            case UInt8(ascii: "?"): bounds = (0, 1); i += 1
            case UInt8(ascii: "{"):
                guard let counted = try counts() else { return node }
                bounds = counted
            default:
                return node
            }
            if case .assertion = node { throw PatternError(message: "repeats an assertion (\\b, ^, $) at offset \(start): it matches no text to repeat") }
            if peek() == UInt8(ascii: "?") { i += 1 }  // lazy: the same set of matches, and these are leftmost-longest
            if peek() == UInt8(ascii: "+") {
                throw PatternError(message: "uses a possessive quantifier at offset \(i), which needs a backtracking engine; drop the '+'")
            }
            if bounds.1 == nil, node.repeatsUnboundedly {
                throw PatternError(message: """
                    nests one unbounded repetition inside another ('\(String(decoding: bytes[start..<i], as: UTF8.self))'): a \
                    backtracking engine (Python's re, PCRE, Java) takes exponential time on it, as in (a+)+; Frontier \
                    refuses it so the recognizer is safe wherever the pattern is reused. Repeat a part that cannot \
                    itself repeat, or bound the inner repetition ({1,20})
                    """)
            }
            node = .repeated(node, min: bounds.0, max: bounds.1)
        }
        return node
    }

    /// `{n}`, `{n,}`, `{n,m}`; nil (and nothing consumed) when the brace is a literal, as in most engines.
    private mutating func counts() throws(PatternError) -> (Int, Int?)? {
        var j = i + 1
        func number() -> Int? {
            let begin = j
            var value = 0
            while j < bytes.count, ASCII.isDigit(bytes[j]), j - begin < 6 {
                value = value * 10 + Int(bytes[j] - 48)
                j += 1
            }
            return j > begin ? value : nil
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if j < bytes.count, bytes[j] == UInt8(ascii: ",") {
            j += 1
            high = number()
        }
        guard j < bytes.count, bytes[j] == UInt8(ascii: "}") else { return nil }
        let text = String(decoding: bytes[i...j], as: UTF8.self)
        i = j + 1
        if let high, high < low { throw PatternError(message: "has '\(text)' with its maximum below its minimum") }
        if max(low, high ?? 0) > Self.maxCount { throw PatternError(message: "has '\(text)': counts above \(Self.maxCount) are refused (a counted repetition is unrolled)") }
        return (low, high)
    }

    private mutating func atom() throws(PatternError) -> PatternNode {
        guard let b = peek() else { throw PatternError(message: "ends where an item was expected") }
        let start = i
        switch b {
        case UInt8(ascii: "("):
            i += 1
            if peek() == UInt8(ascii: "?") {
                try groupPrefix(at: start)
            }
            depth += 1
            guard depth <= Self.maxDepth else { throw PatternError(message: "nests groups deeper than \(Self.maxDepth)") }
            let inner = try alternation()
            depth -= 1
            guard peek() == UInt8(ascii: ")") else { throw PatternError(message: "has an unclosed '(' at offset \(start)") }
            i += 1
            return inner
        case UInt8(ascii: "["):
            return .bytes(try byteClass())
        case UInt8(ascii: "."):
            i += 1
            return .bytes(.anyButNewline)
        case UInt8(ascii: "^"):
            i += 1
            return .assertion(.lineStart)
        case UInt8(ascii: "$"):
            i += 1
            return .assertion(.lineEnd)
        case UInt8(ascii: "\\"):
            return try escape(inClass: false)
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
            throw PatternError(message: "has '\(Character(Unicode.Scalar(b)))' at offset \(i) with nothing before it to repeat")
        default:
            i += 1
            return .bytes(fold(ByteSet(b)))
        }
    }

    /// After `(?`: a non-capturing or named group goes on; lookaround and the rest are refused.
    private mutating func groupPrefix(at start: Int) throws(PatternError) {
        let rest = Array(bytes[(i + 1)...].prefix(3))
        func refuse(_ what: String) throws(PatternError) -> Never {
            throw PatternError(message: "uses \(what) at offset \(start), which needs a backtracking engine and is not supported; match the text itself, and use `context` words for what surrounds it")
        }
        switch rest.first {
        case UInt8(ascii: ":"): i += 2
        case UInt8(ascii: "="), UInt8(ascii: "!"): try refuse("a lookahead")
        case UInt8(ascii: ">"): try refuse("an atomic group")
        case UInt8(ascii: "<") where rest.count > 1 && (rest[1] == UInt8(ascii: "=") || rest[1] == UInt8(ascii: "!")): try refuse("a lookbehind")
        case UInt8(ascii: "<"), UInt8(ascii: "P"):
            // (?<name>...) or (?P<name>...): a group like any other.
            guard let close = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else { throw PatternError(message: "has an unterminated group name at offset \(start)") }
            i = close + 1
        case UInt8(ascii: "i"):
            throw PatternError(message: "has '(?i)' at offset \(start): it is accepted only at the very start of the pattern")
        default:
            throw PatternError(message: "has an unsupported group '(?' at offset \(start)")
        }
    }

    private mutating func escape(inClass: Bool) throws(PatternError) -> PatternNode {
        guard let c = peek(1) else { throw PatternError(message: "ends with a lone '\\'") }
        let offset = i
        i += 2
        switch c {
        case UInt8(ascii: "d"): return .bytes(.digits)
        case UInt8(ascii: "D"): return .bytes(ByteSet.digits.inverted)
        case UInt8(ascii: "w"): return .bytes(.word)
        case UInt8(ascii: "W"): return .bytes(ByteSet.word.inverted)
        case UInt8(ascii: "s"): return .bytes(.space)
        case UInt8(ascii: "S"): return .bytes(ByteSet.space.inverted)
        case UInt8(ascii: "t"): return .bytes(ByteSet(0x09))
        case UInt8(ascii: "n"): return .bytes(ByteSet(0x0A))
        case UInt8(ascii: "r"): return .bytes(ByteSet(0x0D))
        case UInt8(ascii: "b") where !inClass: return .assertion(.wordBoundary)
        case UInt8(ascii: "B") where !inClass: return .assertion(.notWordBoundary)
        case UInt8(ascii: "1")...UInt8(ascii: "9"), UInt8(ascii: "k"):
            throw PatternError(message: "uses a backreference at offset \(offset), which needs a backtracking engine and is not supported")
        case UInt8(ascii: "A"), UInt8(ascii: "z"), UInt8(ascii: "Z"), UInt8(ascii: "G"):
            throw PatternError(message: "uses '\\\(Character(Unicode.Scalar(c)))' at offset \(offset); write ^ or $ instead")
        case UInt8(ascii: "p"), UInt8(ascii: "P"), UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "0"):
            throw PatternError(message: "uses '\\\(Character(Unicode.Scalar(c)))' at offset \(offset), which is not supported; write the characters themselves")
        default:
            guard !ASCII.isAlnum(c) else { throw PatternError(message: "uses the unknown escape '\\\(Character(Unicode.Scalar(c)))' at offset \(offset)") }
            return .bytes(fold(ByteSet(c)))
        }
    }

    private mutating func byteClass() throws(PatternError) -> ByteSet {
        let start = i
        i += 1
        var negated = false
        if peek() == UInt8(ascii: "^") {
            negated = true
            i += 1
        }
        var set = ByteSet()
        var first = true
        while true {
            guard let b = peek() else { throw PatternError(message: "has an unclosed '[' at offset \(start)") }
            if b == UInt8(ascii: "]"), !first {
                i += 1
                break
            }
            first = false
            var low: UInt8
            if b == UInt8(ascii: "\\") {
                guard case .bytes(let escaped) = try escape(inClass: true) else { throw PatternError(message: "has an assertion inside '[' at offset \(start)") }
                // A multi-byte class (\d, \w) cannot start a range.
                if escaped.isSingleByte == nil {
                    set.formUnion(escaped)
                    continue
                }
                low = escaped.isSingleByte ?? 0
            } else {
                low = b
                i += 1
            }
            if peek() == UInt8(ascii: "-"), let high = peek(1), high != UInt8(ascii: "]") {
                i += 1
                var upper = high
                if high == UInt8(ascii: "\\") {
                    guard case .bytes(let escaped) = try escape(inClass: true), let single = escaped.isSingleByte else {
                        throw PatternError(message: "has a range in '[' at offset \(start) that ends in a class")
                    }
                    upper = single
                } else {
                    i += 1
                }
                guard low <= upper else { throw PatternError(message: "has a reversed range in '[' at offset \(start)") }
                set.insert(low...upper)
            } else {
                set.insert(low)
            }
        }
        // Folded before it is negated: (?i)[^a] excludes 'A' too.
        return negated ? fold(set).inverted : fold(set)
    }

    private func fold(_ set: ByteSet) -> ByteSet {
        caseInsensitive ? set.caseFolded : set
    }
}

extension ByteSet {
    /// The one byte in the set, when it holds exactly one.
    var isSingleByte: UInt8? {
        var found: UInt8?
        for b in 0...255 where contains(UInt8(b)) {
            if found != nil { return nil }
            found = UInt8(b)
        }
        return found
    }
}

extension PatternNode {
    /// Whether the node can match more than a bounded number of bytes' worth of repetitions: holds a `*`, `+` or `{n,}`.
    var repeatsUnboundedly: Bool {
        switch self {
        case .bytes, .assertion, .empty: return false
        case .sequence(let items), .choice(let items): return items.contains { $0.repeatsUnboundedly }
        case .repeated(let inner, _, let max): return max == nil || inner.repeatsUnboundedly
        }
    }

    /// Whether the node matches the empty text.
    var isNullable: Bool {
        switch self {
        case .bytes: return false
        case .assertion, .empty: return true
        case .sequence(let items): return items.allSatisfy(\.isNullable)
        case .choice(let items): return items.contains(where: \.isNullable)
        case .repeated(let inner, let min, _): return min == 0 || inner.isNullable
        }
    }
}
