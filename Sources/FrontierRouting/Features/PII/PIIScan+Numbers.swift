/// The categories that are runs of digits and separators: payment cards,
/// US social security numbers, phone numbers, IPv4 addresses and numeric
/// dates of birth.
extension PIIScan {
    /// Digits and the separators between their groups, e.g. "(415) 555-0132".
    struct NumberSpan {
        var range: Range<Int>
        var digits: [UInt8] = []
        var groups: [Int] = []
        var separators: [UInt8] = []
        var leadingPlus = false
        var parenthesized = false

        var uniformSeparator: UInt8? {
            guard let first = separators.first, separators.allSatisfy({ $0 == first }) else { return nil }
            return first
        }
    }

    static let phoneContext = Keywords([
        "phone", "call", "tel", "mobile", "cell", "fax", "contact", "reach", "text me", "whatsapp", "number is", "ring", "dial",
        "handy", "telefon", "téléphone", "portable", "móvil", "cellulare",
    ])
    static let notPhoneContext = Keywords([
        "order", "invoice", "ticket", "tracking", "ref", "confirmation", "case", "account", "acct", "sku", "serial",
        "part", "booking", "item", "po ", "#", "isbn", "batch", "lot ", "build", "version", "id:", "id ",
    ])
    static let birthContext = Keywords(["born", "dob", "d.o.b", "date of birth", "birth date", "birthdate", "birthday"])
    static let ssnContext = Keywords(["ssn", "social security"])
    static let cardContext = Keywords(["card", "maestro", "debit", "credit", "visa", "mastercard", "pan "])
    // Short cues carry their spaces or colon: "sin" alone is inside "business", "tin" inside "setting".
    static let sinContext = Keywords([" sin ", " sin:", "sin#", "sin no", "(sin)", "social insurance", "nas "])
    static let aadhaarContext = Keywords(["aadhaar", "aadhar", "uidai", " uid ", " uid:"])
    static let germanTaxContext = Keywords(["steuer", "tax id", "tax-id", "taxid", "tax identification", "idnr", "identifikationsnummer", " tin ", " tin:"])
    static let versionContext = Keywords(["version", "v.", "release", "build", "firmware", " v"])

    mutating func scanNumberSpans() {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let startsSpan = ASCII.isDigit(b)
                || ((b == UInt8(ascii: "+") || b == UInt8(ascii: "(")) && i + 1 < bytes.count && ASCII.isDigit(bytes[i + 1]))
            guard startsSpan, i == 0 || !ASCII.isAlnum(bytes[i - 1]) else {
                i += 1
                continue
            }
            if let end = endOfShortNumber(from: i) {
                i = end  // "60", "400 words": no category is a lone group of fewer than seven digits
                continue
            }
            let span = readSpan(from: i)
            i = max(span.range.upperBound, i + 1)
            // A letter right after the digits makes it a code ("12345abc"), unless it is a phone extension ("x066").
            guard span.range.upperBound >= bytes.count || !ASCII.isLetter(bytes[span.range.upperBound]) || isExtension(at: span.range.upperBound) else { continue }
            guard !isClaimed(span.range) else { continue }
            classify(span)
        }
    }

    /// Where a lone run of fewer than seven digits ends (no separator and digit
    /// follow it), found without building a span; nil for anything longer.
    private func endOfShortNumber(from start: Int) -> Int? {
        var j = start
        while j < bytes.count, ASCII.isDigit(bytes[j]) { j += 1 }
        guard j > start, j - start < 7 else { return nil }
        var k = j
        while k < bytes.count, k - j < 2, Self.isSpanSeparator(bytes[k]) { k += 1 }
        return k > j && k < bytes.count && ASCII.isDigit(bytes[k]) ? nil : j
    }

    /// Separators between a number's digit groups. A line break counts as a space, so a card
    /// number wrapped onto the next line (or split across two messages, joined by one) is still
    /// one number; two line breaks (a paragraph, or two fields of a request) end it.
    private static func isSpanSeparator(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "("), UInt8(ascii: ")"), 0x0A, 0x0D: true
        default: false
        }
    }

    private static func isLineBreak(_ b: UInt8) -> Bool { b == 0x0A || b == 0x0D }

    private func readSpan(from start: Int) -> NumberSpan {
        var span = NumberSpan(range: start..<start)
        var i = start
        if bytes[i] == UInt8(ascii: "+") {
            span.leadingPlus = true
            i += 1
        }
        var run = 0
        var end = i
        while i < bytes.count {
            let b = bytes[i]
            if ASCII.isDigit(b) {
                span.digits.append(b - 48)
                run += 1
                i += 1
                end = i
                continue
            }
            // A separator: one of " -./()", or ") " as in "(415) 555", then a digit must follow.
            var j = i
            var separator: UInt8?
            while j < bytes.count, j - i < 2, Self.isSpanSeparator(bytes[j]) {
                if bytes[j] == UInt8(ascii: "(") || bytes[j] == UInt8(ascii: ")") { span.parenthesized = true }
                let b = Self.isLineBreak(bytes[j]) ? UInt8(ascii: " ") : bytes[j]
                separator = separator ?? (b == UInt8(ascii: ")") || b == UInt8(ascii: "(") ? nil : b)
                j += 1
            }
            let doubled = j - i > 1 && (bytes[i] == UInt8(ascii: " ") || Self.isLineBreak(bytes[i])) && (bytes[i + 1] == UInt8(ascii: " ") || Self.isLineBreak(bytes[i + 1]))
            guard j > i, j < bytes.count, ASCII.isDigit(bytes[j]), !doubled else {
                break
            }
            if run > 0 { span.groups.append(run) }
            span.separators.append(separator ?? UInt8(ascii: " "))
            run = 0
            i = j
        }
        if run > 0 { span.groups.append(run) }
        span.range = start..<end
        return span
    }

    private mutating func classify(_ span: NumberSpan) {
        let r = span.range
        let n = span.digits.count
        let separator = span.uniformSeparator

        // IPv4: four dotted groups of at most three digits, each at most 255.
        if !span.leadingPlus, span.groups.count == 4, separator == UInt8(ascii: "."), span.groups.allSatisfy({ $0 <= 3 }) {
            var offset = 0
            let values = span.groups.map { count -> Int in
                defer { offset += count }
                return span.digits[offset..<(offset + count)].reduce(0) { $0 * 10 + Int($1) }
            }
            if values.allSatisfy({ $0 <= 255 }), !context(before: r.lowerBound, window: 12, Self.versionContext) {
                add(.ipAddress, r)
            }
            return
        }
        // Numeric dates: never phone numbers; PII only when they are a birth date.
        if span.groups.count == 3, let s = separator, s == UInt8(ascii: "/") || s == UInt8(ascii: "-") || s == UInt8(ascii: "."),
           isDate(span)
        {
            if context(before: r.lowerBound, window: 40, Self.birthContext) { add(.dateOfBirth, r) }
            return
        }
        // Maestro cards can have 12 digits: only after a card cue.
        if n == 12, !span.leadingPlus, [5, 6].contains(span.digits[0]), context(before: r.lowerBound, window: 30, Self.cardContext), Checksums.luhn(span.digits) {
            add(.creditCard, r)
            return
        }
        // Payment cards: 13-19 digits in one block or groups of four (Amex 4-6-5), with a valid Luhn digit.
        if (13...19).contains(n), !span.leadingPlus, !span.parenthesized,
           separator == nil || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-"),
           span.groups.count == 1 || span.groups.dropLast().allSatisfy({ $0 == 4 }) || span.groups == [4, 6, 5],
           [2, 3, 4, 5, 6].contains(span.digits[0])
        {
            if Checksums.luhn(span.digits) { add(.creditCard, r) }
            return
        }
        // Canadian social insurance numbers: 3-3-3 (or nine digits after "SIN"), Luhn, not starting with 0 or 8.
        if n == 9, span.groups == [3, 3, 3] || (span.groups == [9] && context(before: r.lowerBound, window: 30, Self.sinContext)),
           span.digits[0] != 0, span.digits[0] != 8, Checksums.luhn(span.digits)
        {
            add(.caSocialInsurance, r)
            return
        }
        // Indian Aadhaar numbers: twelve digits, 4-4-4 with a valid Verhoeff digit (first digit 2-9), or any
        // twelve digits after "Aadhaar" (a number written as one is treated as one, valid or not).
        if n == 12 {
            let cued = context(before: r.lowerBound, window: 30, Self.aadhaarContext)
            if cued || (span.groups == [4, 4, 4] && span.digits[0] >= 2 && Checksums.verhoeff(span.digits)) {
                add(.inAadhaar, r)
                return
            }
        }
        // German tax ids: eleven digits, 2-3-3-3 or with a tax-id cue, MOD 11,10 and the repeated-digit rule.
        if n == 11, span.groups == [2, 3, 3, 3] || context(before: r.lowerBound, window: 40, Self.germanTaxContext), Checksums.germanTaxID(span.digits) {
            add(.deTaxID, r)
            return
        }
        // US social security numbers: 3-2-4, or nine digits after "SSN".
        if n == 9, span.groups == [3, 2, 4] || (span.groups == [9] && context(before: r.lowerBound, window: 30, Self.ssnContext)) {
            let area = Int(span.digits[0]) * 100 + Int(span.digits[1]) * 10 + Int(span.digits[2])
            let group = Int(span.digits[3]) * 10 + Int(span.digits[4])
            let serial = span.digits[5...].reduce(0) { $0 * 10 + Int($1) }
            if area != 0, area != 666, area < 900, group != 0, serial != 0 {
                add(.nationalID, r)
            }
            return
        }
        if isPhone(span) { add(.phone, r) }
    }

    private func isDate(_ span: NumberSpan) -> Bool {
        func value(_ group: Int) -> Int {
            let start = span.groups[..<group].reduce(0, +)
            return span.digits[start..<(start + span.groups[group])].reduce(0) { $0 * 10 + Int($1) }
        }
        let g = span.groups
        if g[0] == 4, g[1] <= 2, g[2] <= 2 {
            return (1...12).contains(value(1)) && (1...31).contains(value(2))
        }
        if g[0] <= 2, g[1] <= 2, g[2] == 4 || g[2] == 2 {
            let a = value(0), b = value(1)
            return (1...31).contains(a) && (1...31).contains(b) && (a <= 12 || b <= 12)
        }
        return false
    }

    /// "x066", "ext. 12", "ext 12" right after a number.
    private func isExtension(at i: Int) -> Bool {
        var j = i
        if lower[j] == UInt8(ascii: "x") {
            j += 1
        } else if j + 3 <= lower.count, lower[j..<(j + 3)].elementsEqual("ext".utf8) {
            j += 3
            while j < lower.count, lower[j] == UInt8(ascii: ".") || lower[j] == UInt8(ascii: " ") { j += 1 }
        } else {
            return false
        }
        return j < lower.count && ASCII.isDigit(lower[j])
    }

    private func isPhone(_ span: NumberSpan) -> Bool {
        let n = span.digits.count
        let r = span.range
        guard n >= 7 else { return false }  // the shortest phone shape below
        if context(before: r.lowerBound, window: 30, Self.notPhoneContext, withinClause: true) { return false }
        if span.leadingPlus {
            return PhoneMetadata.isInternational(span.digits, trunkInBrackets: span.parenthesized)
                || (8...15).contains(n) && span.groups.count >= 2 || (10...15).contains(n)
        }
        let phoneWords = context(before: r.lowerBound, window: 30, Self.phoneContext)
        let extended = r.upperBound < bytes.count && isExtension(at: r.upperBound)
        // (Not across a line break or a slash: "Axel-Bloch-Ring 93/76\n87440 Viersen" is a house and a postcode.)
        if phoneWords, !span.separators.contains(UInt8(ascii: "/")), !bytes[r].contains(0x0A) {
            // After "tel", "call", "mobile": a national number of a length some country's numbers have,
            // "030 189276", "(022) 17022", "08-12 91 80"; or one written without a trunk 0 in groups,
            // "612 15 38 43", "8166 8161".
            if PhoneMetadata.isNationalWithTrunkZero(span.digits), n >= 7 { return true }
            if span.digits[0] != 0, span.groups.count >= 2, (8...12).contains(n) { return true }
        }
        switch (n, span.groups) {
        case (10, [3, 3, 4]), (11, [1, 3, 3, 4]):
            return span.digits[n == 11 ? 1 : 0] >= 2 || phoneWords || extended
        case (10, [10]), (7, [3, 4]):
            return phoneWords || extended
        case (9...11, _) where span.groups.count == 1 && span.digits[0] == 0:
            return phoneWords  // "ring 0331800387": a national number written without spaces
        case (10, [2, 2, 2, 2, 2]) where span.digits[0] == 0:
            return true  // "06 27 63 17 06": a French number
        case (10...11, _) where span.digits[0] == 0 && (2...4).contains(span.groups.count) && span.groups.allSatisfy({ $0 >= 2 }):
            // A national number with its trunk 0: "0161 496 0631", "(0115) 496 0397", "030 1234 5678".
            return true
        case (13...14, _) where span.digits.starts(with: [0, 0]) && span.groups.count >= 3:
            // An international call from the US or Europe: "001-658-496-9350", "0044 20 7946 0958".
            return true
        default:
            return (phoneWords || extended) && (10...13).contains(n) && span.groups.count >= 2
        }
    }
}
