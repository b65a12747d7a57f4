/// Cheap signs of how hard a prompt is, as extra features of the quality predictor: its length, how many digits
/// and operators it has, how many lettered options, whether it asks to calculate, carries LaTeX or code, its mean
/// word length and question marks — each bucketed into a token, alone and crossed with the domain (a long law
/// question and a long maths one are hard in different ways). One pass over the bytes; the same code in `fit` and
/// `serve`, so the predictor reads online what it was fitted on.
///
/// ```swift
/// let extra = DifficultyFeatures.hashes(of: "Calculate 3 + 4 * 2.", domain: "math")  // 2 tokens per sign
/// ```
public enum DifficultyFeatures {
    /// - Parameter hasCode: whether the text has a code marker, when the caller has already looked (`serve` has).
    public static func hashes(of text: String, domain: String?, hasCode: Bool? = nil) -> [UInt64] {
        var text = text
        let counts = text.withUTF8(Counts.init)
        let code = hasCode ?? FeatureExtractor.markers(in: text).code
        let signs: [(name: StaticString, value: Int?)] = [
            ("len", log2Bucket(counts.bytes)), ("digits", log2Bucket(counts.digits)), ("ops", log2Bucket(counts.operators)),
            ("digit-share", min(5, counts.digits * 10 / max(counts.bytes, 1))), ("options", min(counts.options, 10)),
            ("questions", min(counts.questionMarks, 3)),
            ("word-length", min(max(counts.words == 0 ? 0 : counts.letters / counts.words, 2), 10)),
            ("latex", counts.latex ? nil : -1), ("code", code ? nil : -1), ("calculate", asksToCalculate(text) ? nil : -1),
        ]
        var out: [UInt64] = []
        out.reserveCapacity(signs.count * 2)
        for sign in signs where sign.value != -1 {
            let token = hash(sign.name, sign.value)
            out.append(token)
            if let domain { out.append(crossed(token, domain)) }
        }
        return out
    }

    /// 0 for 0, then 1 + ⌊log2 n⌋.
    static func log2Bucket(_ n: Int) -> Int { n <= 0 ? 0 : Int.bitWidth - n.leadingZeroBitCount }

    static let calculateForms: [[UInt8]] = ["calculat", "compute", "determine", "find the", "how many", "what is the value"].map { Array($0.utf8) }

    /// Whether the first 4 KiB ask, in ASCII letters of any case, to calculate (a byte search: Foundation's is slow).
    static func asksToCalculate(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            let end = min(bytes.count, 4_096)
            func lower(_ b: UInt8) -> UInt8 { b &- 65 < 26 ? b | 0x20 : b }
            for i in 0..<end {
                let first = lower(bytes[i])
                for form in calculateForms where form[0] == first && i + form.count <= end {
                    if form.indices.allSatisfy({ lower(bytes[i + $0]) == form[$0] }) { return true }
                }
            }
            return false
        }
    }

    /// FNV-1a over a marker byte and the token ("name" or "name=value"): apart from every word hash.
    static func hash(_ name: StaticString, _ value: Int?) -> UInt64 {
        var h = fnv(0xCBF2_9CE4_8422_2325, 0x01)
        name.withUTF8Buffer { for byte in $0 { h = fnv(h, byte) } }
        if let value {
            h = fnv(h, UInt8(ascii: "="))
            for byte in String(value).utf8 { h = fnv(h, byte) }
        }
        return h
    }

    /// The token crossed with a domain: the same hash continued over "|domain".
    static func crossed(_ token: UInt64, _ domain: String) -> UInt64 {
        var h = fnv(token, UInt8(ascii: "|"))
        for byte in domain.utf8 { h = fnv(h, byte) }
        return h
    }

    /// The same hash of a token spelled out ("name=value", "name=value|domain"), for tests.
    static func hash(_ token: String) -> UInt64 {
        var h = fnv(0xCBF2_9CE4_8422_2325, 0x01)
        for byte in token.utf8 { h = fnv(h, byte) }
        return h
    }

    @inline(__always)
    static func fnv(_ h: UInt64, _ byte: UInt8) -> UInt64 { (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }

    struct Counts {
        var bytes = 0, digits = 0, operators = 0, options = 0, questionMarks = 0, words = 0, letters = 0
        var latex = false

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes.count
            var inWord = false
            for (i, b) in bytes.enumerated() {
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
                case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "^"),
                    UInt8(ascii: "<"), UInt8(ascii: ">"):
                    operators += 1
                case UInt8(ascii: "?"): questionMarks += 1
                case UInt8(ascii: "\\"), UInt8(ascii: "$"): latex = true
                default: break
                }
                // "A. " .. "J. " at the start of a line: a lettered option.
                if (UInt8(ascii: "A")...UInt8(ascii: "J")).contains(b), i == 0 || bytes[i - 1] == UInt8(ascii: "\n"),
                   i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "."), bytes[i + 2] == UInt8(ascii: " ") {
                    options += 1
                }
                let isSpace = b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
                if !isSpace {
                    letters += 1
                    if !inWord { words += 1 }
                }
                inWord = !isSpace
            }
        }
    }
}
