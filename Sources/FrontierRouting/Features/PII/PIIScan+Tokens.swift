/// The categories recognised from single tokens: secrets, e-mail addresses,
/// IBANs, IPv6 addresses and medical record numbers.
extension PIIScan {
    static let secretPrefixes: [(prefix: [UInt8], minimumTail: Int)] = ([
        ("sk-", 20), ("sk_live_", 16), ("sk_test_", 16), ("rk_live_", 16), ("pk_live_", 16), ("whsec_", 16),
        ("ghp_", 30), ("gho_", 30), ("ghu_", 30), ("ghs_", 30), ("github_pat_", 30), ("glpat-", 20),
        ("xoxb-", 20), ("xoxp-", 20), ("xoxa-", 20), ("AIza", 30), ("AKIA", 16), ("ASIA", 16), ("hf_", 30),
    ] as [(String, Int)]).map { (Array($0.0.utf8), $0.1) }
    /// The prefixes by their first byte: a word of prose starting with "s" or "p" is held against the two or three
    /// prefixes that start so, not all of them.
    static let secretPrefixesByFirstByte: [[(prefix: [UInt8], minimumTail: Int)]] = {
        var table = [[(prefix: [UInt8], minimumTail: Int)]](repeating: [], count: 256)
        for entry in secretPrefixes { table[Int(entry.prefix[0])].append(entry) }
        return table
    }()
    static let secretKeys = Keywords([
        "password", "passwd", "pwd", "secret", "api_key", "apikey", "api-key", "access_token", "auth_token",
        "client_secret", "private_key", "token", "passphrase",
    ])
    static let jwtPrefix = Array("eyJ".utf8)
    static let secretNameHints = Keywords(["key", "token", "secret", "password", "pwd"])

    func text(_ range: Range<Int>) -> ArraySlice<UInt8> { bytes[range] }

    func hasPrefix(_ range: Range<Int>, _ p: [UInt8]) -> Bool {
        return range.count >= p.count && bytes[range.lowerBound..<(range.lowerBound + p.count)].elementsEqual(p)
    }

    mutating func scanSecrets(_ tokens: [Token]) {
        let prefixesByFirstByte = Self.secretPrefixesByFirstByte
        var pemEnd = PEMEndCursor()
        for (n, token) in tokens.enumerated() {
            var r = token.range
            if bytes[r.lowerBound] == UInt8(ascii: "-"), hasPrefix(r, Self.pemBegin) {
                scanPrivateKey(at: r.lowerBound, nextEnd: &pemEnd)
                continue
            }
            let separator: Int? = token.separator >= 0 ? token.separator : nil
            let hasSeparator = separator != nil
            // KEY=value and key:value in one token: the value is what to look at.
            if let equals = separator, equals + 1 < r.upperBound {
                let name = lower[r.lowerBound..<equals]
                let value = (equals + 1)..<r.upperBound
                let looksSecret = Self.secretNameHints.occur(in: name)
                if looksSecret, value.count >= 12 {
                    add(.secret, r)
                    continue
                }
                r = value
            }
            if !r.isEmpty {
                for (prefix, tail) in prefixesByFirstByte[Int(bytes[r.lowerBound])] where hasPrefix(r, prefix) {
                    let rest = bytes[(r.lowerBound + prefix.count)..<r.upperBound]
                    if rest.count >= tail, rest.allSatisfy({ ASCII.isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) {
                        add(.secret, r)
                    }
                }
            }
            if bytes[r.lowerBound] == UInt8(ascii: "e"), hasPrefix(r, Self.jwtPrefix), bytes[r].filter({ $0 == UInt8(ascii: ".") }).count == 2, r.count >= 30 {
                add(.secret, r)  // a JSON Web Token
            }
            // key=value, key: value, "key": "value"
            guard hasSeparator else { continue }
            let lowered = lower[token.range]
            let whole = token.range
            for k in Self.secretKeys.words {
                guard let keyEnd = Self.match(lowered, key: k) else { continue }
                if keyEnd < whole.upperBound {
                    // The value is in the same token (password=hunter22).
                    let value = whole.upperBound - keyEnd
                    if value >= 6 { add(.secret, whole) }
                } else if n + 1 < tokens.count, tokens[n + 1].range.count >= 6,
                          bytes[whole.upperBound - 1] == UInt8(ascii: ":") || bytes[whole.upperBound - 1] == UInt8(ascii: "=")
                {
                    add(.secret, tokens[n + 1].range)
                }
                break
            }
        }
    }

    static let pemBegin = Array("-----BEGIN".utf8)

    /// A PEM block: a private key from its BEGIN line through its END line (or the end of the text).
    /// Every search is bounded or resumes where the last one stopped, so a text
    /// of nothing but `-----BEGIN` tokens costs one pass, not one pass each.
    private mutating func scanPrivateKey(at begin: Int, nextEnd: inout PEMEndCursor) {
        guard !isClaimed(begin..<(begin + 1)) else { return }  // inside a block found before
        guard let keyWord = find("PRIVATE KEY-----", from: begin, within: 56) else { return }
        let end: Int
        if let endLine = nextEnd.next(after: keyWord, in: self) {
            end = find("-----", from: endLine + 8, within: 72).map { $0 + 5 } ?? bytes.count
        } else {
            end = bytes.count
        }
        add(.secret, begin..<end)
    }

    /// The next `-----END` after a position; positions only grow, so one forward scan serves all.
    struct PEMEndCursor {
        private var searchedFrom = Int.max
        private var found: Int?

        mutating func next(after position: Int, in scan: PIIScan) -> Int? {
            if position >= searchedFrom, found.map({ $0 >= position }) ?? true { return found }
            searchedFrom = position
            found = scan.find("-----END", from: position)
            return found
        }
    }

    /// If the token is `key=`, `key:`, `key":` (optionally quoted), where the value starts.
    private static func match(_ token: ArraySlice<UInt8>, key: [UInt8]) -> Int? {
        var start = token.startIndex
        while start < token.endIndex, token[start] == UInt8(ascii: "\"") { start += 1 }
        guard token.endIndex - start > key.count, token[start..<(start + key.count)].elementsEqual(key) else { return nil }
        var i = start + key.count
        while i < token.endIndex, token[i] == UInt8(ascii: "\"") { i += 1 }
        guard i < token.endIndex, token[i] == UInt8(ascii: "=") || token[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        while i < token.endIndex, token[i] == UInt8(ascii: "\"") || token[i] == UInt8(ascii: " ") { i += 1 }
        return i
    }

    /// Where `needle` starts at or after `from`, looking at most `within` bytes on (the rest of the text by default).
    func find(_ needle: String, from: Int, within: Int = .max) -> Int? {
        let n = Array(needle.utf8)
        guard let first = n.first, bytes.count >= n.count else { return nil }
        var i = from
        let last = min(bytes.count - n.count, from.saturatingAdd(within))
        while i <= last {
            if bytes[i] == first, bytes[i..<(i + n.count)].elementsEqual(n) { return i }
            i += 1
        }
        return nil
    }

    mutating func scanEmails(_ tokens: [Token]) {
        for token in tokens {
            let r = token.range
            let at = token.at
            guard at > r.lowerBound else { continue }
            let local = bytes[r.lowerBound..<at]
            let domain = bytes[(at + 1)..<r.upperBound]
            let localOK = local.allSatisfy { ASCII.isAlnum($0) || "._%+-".utf8.contains($0) }
            let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            let domainOK = labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && $0.allSatisfy { ASCII.isAlnum($0) || $0 == UInt8(ascii: "-") } }
            let tld = labels.last ?? []
            if localOK, domainOK, tld.count >= 2, tld.allSatisfy(ASCII.isLetter) {
                add(.email, r)
            }
        }
    }

    /// IBANs in any case ("de89 3704 ..." as often as "DE89 3704 ..."): letters are compared lower-cased
    /// and upper-cased for the mod-97 check.
    mutating func scanIBANs(_ tokens: [Token]) {
        func isAlnum(_ b: UInt8) -> Bool { ASCII.isLowerLetter(b) || ASCII.isDigit(b) }
        var n = 0
        while n < tokens.count {
            let r = tokens[n].range
            let head = lower[r]
            guard head.count >= 4, ASCII.isLowerLetter(head[r.lowerBound]), ASCII.isLowerLetter(head[r.lowerBound + 1]),
                  ASCII.isDigit(head[r.lowerBound + 2]), ASCII.isDigit(head[r.lowerBound + 3]), head.allSatisfy(isAlnum)
            else {
                n += 1
                continue
            }
            func valid(_ characters: [UInt8]) -> Bool {
                Checksums.ibanIsValid(characters.map { ASCII.isLowerLetter($0) ? $0 - 32 : $0 })
            }
            // Printed IBANs come in groups of four: join the following groups, keeping the
            // longest join that checks out (a word after the number is not part of it).
            var characters = Array(head)
            var end = r.upperBound
            var m = n + 1
            var found: (end: Int, next: Int)? = valid(characters) ? (end, m) : nil
            if head.count == 4 {
                while m < tokens.count, tokens[m].range.lowerBound - end <= 1, tokens[m].range.count <= 4,
                      lower[tokens[m].range].allSatisfy(isAlnum), characters.count < 34
                {
                    characters += lower[tokens[m].range]
                    end = tokens[m].range.upperBound
                    m += 1
                    if valid(characters) { found = (end, m) }
                }
            }
            if let found {
                add(.iban, r.lowerBound..<found.end)
                n = found.next
            } else {
                n += 1
            }
        }
    }

    mutating func scanIPv6(_ tokens: [Token]) {
        for token in tokens {
            guard token.colons >= 2 else { continue }
            let t = bytes[token.range]
            let colons = token.colons
            guard colons >= 2, t.allSatisfy({ ASCII.isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { continue }
            let groups = t.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: true)
            let compressed = contains(t, "::")
            guard groups.allSatisfy({ $0.count <= 4 || $0.contains(UInt8(ascii: ".")) }), groups.count <= 8 else { continue }
            // Times (12:30:45) have two colons, no "::" and short decimal groups.
            guard (colons >= 3 || compressed) && (groups.count == 8 || compressed) else { continue }
            add(.ipAddress, token.range)
        }
    }

    private func contains(_ slice: ArraySlice<UInt8>, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard slice.count >= n.count else { return false }
        var i = slice.startIndex
        while i <= slice.endIndex - n.count {
            if slice[i..<(i + n.count)].elementsEqual(n) { return true }
            i += 1
        }
        return false
    }

    static let medicalRecordContext = Keywords([
        "mrn", "medical record", "med rec", "patient id", "patient no", "patient number", "patient #", "pt id", "pt #", "pt no", "chart no",
        "chart number", "chart #", "chart:", "hospital number", "hospital no", "hosp no", "record number", "record no", "record #", "health record",
        "mr#", "mr no", "ehr", "emr", "unit number", "nhs number", "nhs no",
        "med. rec", "m.r.n", "medical rec", "hosp. no", "hosp #", "mr #", "unit no", "record id",
    ])
    static let mrnPrefix = Array("mrn".utf8)

    mutating func scanMedicalRecordNumbers(_ tokens: [Token]) {
        var consumedUpTo = 0  // the tokens a grouped number ran over
        for token in tokens where token.digits > 0 && token.range.lowerBound >= consumedUpTo {
            let r = token.range
            // MRN-0048213, MRN:0048213
            if hasPrefixCaseInsensitive(r, Self.mrnPrefix), r.count > 5 {
                var start = r.lowerBound + 3
                while start < r.upperBound, !ASCII.isAlnum(bytes[start]) { start += 1 }
                if start < r.upperBound, isMedicalRecordValue(start..<r.upperBound) { add(.medicalRecordNumber, r) }
                continue
            }
            // "#669210", ":0048213": the label's sign written onto the number.
            var start = r.lowerBound
            while start < r.upperBound, bytes[start] == UInt8(ascii: "#") || bytes[start] == UInt8(ascii: ":") { start += 1 }
            guard start < r.upperBound, ASCII.isAlnum(bytes[start]), cuedAsMedicalRecord(start) else { continue }
            if ASCII.isDigit(bytes[start]), let grouped = digitGroups(from: start) {
                // "MRN: 004 829 13", "Med. Rec. No. 464.159.114.09", "MRN #504-576489869"
                add(.medicalRecordNumber, grouped)
                consumedUpTo = grouped.upperBound
            } else if isMedicalRecordValue(start..<r.upperBound) {
                add(.medicalRecordNumber, start..<r.upperBound)  // "AB1234567", "00-4021-X"
            }
        }
    }

    /// A number a label names, written as a code: letters and digits and dashes, 5 to 14 bytes, 4 digits or more.
    func isMedicalRecordValue(_ r: Range<Int>) -> Bool {
        let value = bytes[r]
        return value.count >= 5 && value.count <= 14 && value.lazy.filter(ASCII.isDigit).count >= 4
            && value.allSatisfy { ASCII.isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    func cuedAsMedicalRecord(_ position: Int) -> Bool {
        context(before: position, window: 24, Self.medicalRecordContext, withinClause: true, sentences: false, lines: false)
    }

    /// The span of digit groups from `start`, each group after one '-', '.', '/' or space, holding 6 to 12
    /// digits in all; nil otherwise, or when a letter follows (a code of another kind). Past 12 digits the
    /// number ends at the last whole group that keeps it within 12.
    func digitGroups(from start: Int) -> Range<Int>? {
        var i = start, digits = 0, end = start
        var lastGroup: (end: Int, digits: Int) = (start, 0)
        while i < bytes.count {
            let b = bytes[i]
            if ASCII.isDigit(b) {
                digits += 1
                i += 1
                end = i
                continue
            }
            guard end == i, b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "/") || b == 0x20,
                  i + 1 < bytes.count, ASCII.isDigit(bytes[i + 1]), digits <= 12 else { break }
            lastGroup = (end, digits)
            i += 1
        }
        if digits > 12 {
            (end, digits) = lastGroup
        } else if end < bytes.count, ASCII.isLetter(bytes[end]) {
            return nil
        }
        let range = start..<end
        return (6...12).contains(digits) && !isClaimed(range) ? range : nil
    }

    func hasPrefixCaseInsensitive(_ range: Range<Int>, _ p: [UInt8]) -> Bool {
        return range.count >= p.count && lower[range.lowerBound..<(range.lowerBound + p.count)].elementsEqual(p)
    }
}
