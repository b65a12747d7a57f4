/// The categories that are made of words: written-out dates of birth (and
/// the word helpers the address and name rules share).
extension PIIScan {
    /// Month names packed into integers (lower-case bytes), so a
    /// token is compared with a handful of integer tests; this runs on every token.
    /// ("september", the one name longer than eight bytes, is compared as bytes.)
    static let monthKeys: [UInt64] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "october", "november", "december",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ].map { packed(ArraySlice($0.utf8)) }
    static let september = Array("september".utf8)
    /// The same names as word hashes: most tokens are passed over with one lookup of the hash every rule shares
    /// (a superset: the hash leaves out a trailing ':' too, so ``isMonth(_:_:)`` still decides).
    static let monthHashes = WordSet([
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ])

    static func packed(_ word: ArraySlice<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for b in word { key = key << 8 | UInt64(b) }
        return key
    }

    private func isMonth(_ token: Token, _ monthKeys: [UInt64]) -> Bool {
        switch lower[token.range.lowerBound] {
        case UInt8(ascii: "a"), UInt8(ascii: "d"), UInt8(ascii: "f"), UInt8(ascii: "j"), UInt8(ascii: "m"), UInt8(ascii: "n"),
             UInt8(ascii: "o"), UInt8(ascii: "s"):
            break
        default:
            return false
        }
        var end = token.range.upperBound
        while end > token.range.lowerBound, lower[end - 1] == UInt8(ascii: ".") || lower[end - 1] == UInt8(ascii: ",") { end -= 1 }
        let length = end - token.range.lowerBound
        guard (3...9).contains(length) else { return false }
        if length == 9 { return lower[token.range.lowerBound..<end].elementsEqual(Self.september) }
        let key = Self.packed(lower[token.range.lowerBound..<end])
        return monthKeys.contains(key)
    }
    func word(_ token: Token) -> String {
        String(decoding: lower[token.range].filter { $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: ",") }, as: UTF8.self)
    }

    func isNumber(_ token: Token, digits: ClosedRange<Int>) -> Bool {
        let t = bytes[token.range].filter { $0 != UInt8(ascii: ",") }
        return digits.contains(t.count) && t.allSatisfy(ASCII.isDigit)
    }

    mutating func scanTextualDates(_ tokens: [Token]) {
        let monthKeys = Self.monthKeys, monthHashes = Self.monthHashes
        for (n, token) in tokens.enumerated() where monthHashes.contains(wordHashes[n]) && (3...10).contains(token.range.count) && isMonth(token, monthKeys) {
            var start = token.range.lowerBound
            var end: Int?
            // "March 3, 1985" / "March 3rd 1985"
            if n + 2 < tokens.count, isDay(tokens[n + 1]), isNumber(tokens[n + 2], digits: 4...4) {
                end = tokens[n + 2].range.upperBound
            }
            // "3 March 1985"
            if end == nil, n >= 1, n + 1 < tokens.count, isDay(tokens[n - 1]), isNumber(tokens[n + 1], digits: 4...4) {
                start = tokens[n - 1].range.lowerBound
                end = tokens[n + 1].range.upperBound
            }
            if let end, context(before: start, window: 40, Self.birthContext) {
                add(.dateOfBirth, start..<end)
            }
        }
    }

    private func isDay(_ token: Token) -> Bool {
        var digits = bytes[token.range].filter { $0 != UInt8(ascii: ",") }
        if digits.count > 2, ["st", "nd", "rd", "th"].contains(String(decoding: digits.suffix(2), as: UTF8.self).lowercased()) {
            digits.removeLast(2)
        }
        guard (1...2).contains(digits.count), digits.allSatisfy(ASCII.isDigit) else { return false }
        let day = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
        return (1...31).contains(day)
    }
}
