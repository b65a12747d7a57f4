import Foundation

/// A text folded so that sensitive values written in any of Unicode's ways
/// look the way the detector's rules expect, with every byte traced back to
/// the original: NFKC (fullwidth forms, ligatures, superscripts), format
/// characters removed (zero-width spaces and joiners, soft hyphens, the BOM),
/// every Unicode decimal digit as its ASCII digit, dashes and minus signs as
/// `-`, spaces of every width as ` ` and line separators as `\n`.
///
/// ASCII text, the usual case, is its own normal form: no copy is made and no
/// offset table built.
struct NormalizedText {
    let bytes: [UInt8]
    /// For each byte of `bytes`, the offset of the original byte it came from; nil when they are the same text.
    private let origin: [Int32]?
    private let originalCount: Int

    init(_ text: String) {
        var text = text
        let ascii = text.withUTF8 { Self.isASCII($0) }
        guard !ascii else {
            bytes = Array(text.utf8)
            origin = nil
            originalCount = bytes.count
            return
        }
        var out: [UInt8] = []
        var origin: [Int32] = []
        out.reserveCapacity(text.utf8.count)
        origin.reserveCapacity(text.utf8.count)
        var offset = 0
        var cache: [UInt32: [UInt8]] = [:]
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            if scalar.isASCII {
                out.append(UInt8(scalar.value))
                origin.append(Int32(offset))
            } else {
                let folded = cache[scalar.value] ?? {
                    let value = Self.fold(scalar)
                    cache[scalar.value] = value
                    return value
                }()
                for byte in folded {
                    out.append(byte)
                    origin.append(Int32(offset))
                }
            }
            offset += width
        }
        bytes = out
        self.origin = origin
        originalCount = offset
    }

    /// The original byte range a range of normalized bytes came from.
    func originalRange(_ range: Range<Int>) -> Range<Int> {
        guard let origin, !range.isEmpty else { return range }
        let lower = Int(origin[range.lowerBound])
        // The end: where the byte after the range came from, or the end of the text.
        let upper = range.upperBound < origin.count ? Int(origin[range.upperBound]) : originalCount
        return lower..<max(lower + 1, upper)
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        return high < 0x80
    }

    /// One non-ASCII scalar in its normal form, as UTF-8.
    static func fold(_ scalar: Unicode.Scalar) -> [UInt8] {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .format:
            return []  // zero-width space and joiners, soft hyphen, BOM, word joiner: invisible inside a value
        case .spaceSeparator:
            return [0x20]
        case .lineSeparator, .paragraphSeparator:
            return [0x0A]
        case .dashPunctuation:
            return [UInt8(ascii: "-")]
        case .decimalNumber:
            if let value = properties.numericValue, value >= 0, value <= 9 { return [UInt8(48 + Int(value))] }
        default:
            break
        }
        switch scalar.value {
        case 0x2212, 0xFE63, 0xFF0D: return [UInt8(ascii: "-")]  // minus signs
        case 0x00A0, 0x2007, 0x202F: return [0x20]  // no-break spaces (also Zs, kept for clarity)
        case 0x2018, 0x2019, 0x201B, 0x2032: return [UInt8(ascii: "'")]
        case 0x201C, 0x201D, 0x201F, 0x2033: return [UInt8(ascii: "\"")]
        case 0xFF01...0xFF5E: return [UInt8(scalar.value - 0xFEE0)]  // fullwidth ASCII
        default: break
        }
        guard hasCompatibilityForm(scalar) else { return Array(String(Character(scalar)).utf8) }
        let nfkc = String(Character(scalar)).precomposedStringWithCompatibilityMapping
        // A compatibility form can itself hold digits of another script or a dash: fold those too.
        return nfkc.unicodeScalars.flatMap { $0.isASCII ? [UInt8($0.value)] : ($0 == scalar ? Array(String(Character($0)).utf8) : fold($0)) }
    }

    /// The blocks where NFKC changes characters (super- and subscripts, letterlike and number forms,
    /// enclosed alphanumerics, ligatures, half- and fullwidth and CJK compatibility forms, mathematical
    /// alphanumerics): only these pay for Foundation's normalisation; é, ü, Cyrillic and CJK text pass as they are.
    private static func hasCompatibilityForm(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00A8...0x00BF, 0x0132...0x0133, 0x013F...0x0140, 0x0149, 0x017F, 0x01C4...0x01CC, 0x02B0...0x02B8,
             0x1D2C...0x1DBF, 0x2000...0x2BFF, 0x3000...0x33FF, 0xFB00...0xFB4F, 0xFE10...0xFE6F, 0xFF00...0xFFEF,
             0x1D400...0x1D7FF, 0x1F100...0x1F1FF:
            return true
        default:
            return false
        }
    }
}
