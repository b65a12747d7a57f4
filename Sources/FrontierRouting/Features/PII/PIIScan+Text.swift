/// The categories that are made of words: written-out dates of birth and
/// postal addresses.
extension PIIScan {
    /// Month names packed into integers (lower-case bytes), so a
    /// token is compared with a handful of integer tests; this runs on every token.
    /// ("september", the one name longer than eight bytes, is compared as bytes.)
    static let monthKeys: [UInt64] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "october", "november", "december",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ].map { packed(ArraySlice($0.utf8)) }
    static let september = Array("september".utf8)

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
    static let streetSuffixes: Set<String> = [
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court", "ct",
        "way", "place", "pl", "terrace", "parkway", "pkwy", "highway", "hwy", "circle", "cir", "square", "sq",
    ]

    func word(_ token: Token) -> String {
        String(decoding: lower[token.range].filter { $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: ",") }, as: UTF8.self)
    }

    func isNumber(_ token: Token, digits: ClosedRange<Int>) -> Bool {
        let t = bytes[token.range].filter { $0 != UInt8(ascii: ",") }
        return digits.contains(t.count) && t.allSatisfy(ASCII.isDigit)
    }

    mutating func scanTextualDates(_ tokens: [Token]) {
        let monthKeys = Self.monthKeys
        for (n, token) in tokens.enumerated() where (3...10).contains(token.range.count) && isMonth(token, monthKeys) {
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

    mutating func scanAddresses(_ tokens: [Token]) {
        var n = 0
        while n < tokens.count {
            defer { n += 1 }
            let t = tokens[n]
            // "P.O. Box 1234"
            if lower[t.range.lowerBound] == UInt8(ascii: "p"), t.range.count <= 4, word(t) == "po", n + 2 < tokens.count, word(tokens[n + 1]) == "box", isNumber(tokens[n + 2], digits: 1...6) {
                add(.postalAddress, t.range.lowerBound..<tokens[n + 2].range.upperBound)
                continue
            }
            // "1600 Pennsylvania Avenue", "221B Baker Street", "42 W 5th St"
            guard isHouseNumber(t) else { continue }
            var m = n + 1
            var names = 0
            while m < tokens.count, names <= 4 {
                let candidate = tokens[m]
                if names >= 1, Self.streetSuffixes.contains(word(candidate)), ASCII.isUpper(bytes[candidate.range.lowerBound]) {
                    var end = candidate.range.upperBound
                    end = extendWithCityStateZip(tokens, after: m) ?? end
                    add(.postalAddress, t.range.lowerBound..<end)
                    break
                }
                guard isStreetNameWord(candidate) else { break }
                names += 1
                m += 1
            }
        }
    }

    private func isHouseNumber(_ token: Token) -> Bool {
        let t = bytes[token.range]
        guard let first = t.first, ASCII.isDigit(first), t.count <= 6 else { return false }
        let digits = t.prefix(while: ASCII.isDigit)
        return digits.count == t.count || (digits.count == t.count - 1 && ASCII.isUpper(t.last ?? 0))
    }

    private func isStreetNameWord(_ token: Token) -> Bool {
        let t = bytes[token.range]
        guard let first = t.first else { return false }
        if ASCII.isUpper(first) { return t.dropFirst().allSatisfy { ASCII.isLetter($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "'") } }
        // Ordinals: 5th, 42nd
        let digits = t.prefix(while: ASCII.isDigit)
        return !digits.isEmpty && ["st", "nd", "rd", "th"].contains(String(decoding: t.dropFirst(digits.count), as: UTF8.self))
    }

    /// ", Springfield, IL 62704" after a street: the end of the ZIP code, if present.
    private func extendWithCityStateZip(_ tokens: [Token], after m: Int) -> Int? {
        var k = m + 1
        var words = 0
        while k < tokens.count, words < 4 {
            let t = tokens[k]
            if isNumber(t, digits: 5...5) || (bytes[t.range].count == 10 && bytes[t.range].filter(ASCII.isDigit).count == 9) {
                return words >= 1 ? t.range.upperBound : nil
            }
            guard let first = bytes[t.range].first, ASCII.isUpper(first) else { return nil }
            words += 1
            k += 1
        }
        return nil
    }
}
