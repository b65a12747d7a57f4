/// Identifiers made of letters and digits (the UK National Insurance number),
/// and person names where the text marks them as names.
extension PIIScan {
    static let ninoContext = Keywords(["national insurance", "ni number", "ni no", "nino", "n.i."])
    /// Letters the first and second place of a NI number never take, and prefixes never issued.
    static let ninoBadFirst: Set<UInt8> = Set("dfiquv".utf8)
    static let ninoBadSecond: Set<UInt8> = Set("dfioquv".utf8)
    static let ninoBadPrefixes: Set<[UInt8]> = Set(["bg", "gb", "nk", "kn", "tn", "nt", "zz"].map { Array($0.utf8) })

    /// "AB123456C", "AB 12 34 56 C": two letters, six digits (in pairs or not), a suffix letter.
    /// In lower case only after a cue ("NI number").
    mutating func scanUKNationalInsurance() {
        var i = 0
        while i + 9 <= lower.count {
            defer { i += 1 }
            let a = lower[i], b = lower[i + 1]
            guard ASCII.isLowerLetter(a), ASCII.isLowerLetter(b), i == 0 || !ASCII.isAlnum(bytes[i - 1]) else { continue }
            // Prefixes never issued ("ZZ", "QQ") are what examples and test data use: the spaced
            // canonical form is a NI number all the same; a run of letters and digits is one only when valid.
            let prefixValid = !Self.ninoBadFirst.contains(a) && !Self.ninoBadSecond.contains(b) && !Self.ninoBadPrefixes.contains([a, b])
            var j = i + 2
            var digits = 0
            while j < lower.count, digits < 6 {
                if ASCII.isDigit(lower[j]) {
                    digits += 1
                    j += 1
                } else if lower[j] == UInt8(ascii: " ") || lower[j] == 0x0A, digits % 2 == 0, j + 1 < lower.count, ASCII.isDigit(lower[j + 1]) || digits == 6 {
                    j += 1  // a space between pairs (or a line break, where the value was wrapped or split)
                } else {
                    break
                }
            }
            guard digits == 6, j < lower.count else { continue }
            if lower[j] == UInt8(ascii: " ") || lower[j] == 0x0A, j + 1 < lower.count { j += 1 }
            guard ASCII.isLowerLetter(lower[j]), j + 1 >= lower.count || !ASCII.isAlnum(lower[j + 1]) else { continue }
            let spaced = lower[i + 2] == UInt8(ascii: " ") || lower[i + 2] == 0x0A
            // Upper case, or spaced, is how a NI number is written (test data uses prefixes never issued, "ZZ");
            // lower case and unspaced only counts when valid.
            let valid = spaced || upperCaseOnly(i, j) || (prefixValid && (UInt8(ascii: "a")...UInt8(ascii: "d")).contains(lower[j]))
            let upperCase = ASCII.isUpper(bytes[i]) && ASCII.isUpper(bytes[i + 1]) && ASCII.isUpper(bytes[j])
            guard upperCase || context(before: i, window: 30, Self.ninoContext) else { continue }
            if !valid { continue }
            if !isClaimed(i..<(j + 1)) { add(.ukNationalInsurance, i..<(j + 1)) }
            i = j
        }
    }

    private func upperCaseOnly(_ i: Int, _ j: Int) -> Bool {
        ASCII.isUpper(bytes[i]) && ASCII.isUpper(bytes[i + 1]) && ASCII.isUpper(bytes[j])
    }

    static let nameTitles: Set<String> = [
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "mister", "dame", "lady", "lord", "herr", "frau", "ing", "mme", "mlle",
        "sr", "sra", "srta", "sig", "sig.ra", "dott", "shri", "smt", "señor", "señora",
    ]
    /// Labels after which capitalised words are a person's name (checked against the gazetteer).
    static let nameLabels: Set<String> = [
        "patient", "pt", "name", "client", "attn", "attention", "signed", "contact", "employee", "member", "insured", "guarantor",
        "beneficiary", "applicant", "resident", "student", "customer", "caller", "physician", "doctor", "nurse", "referred", "claimant",
        "defendant", "plaintiff", "tenant", "account holder", "holder", "cardholder", "subscriber", "passenger", "guest", "candidate",
        "user", "username", "full name", "patient name", "first name", "last name", "surname", "dear", "hi", "hello",
    ]
    static let closings: Set<String> = [
        "regards", "best regards", "kind regards", "warm regards", "sincerely", "yours sincerely", "yours truly", "thanks",
        "thank you", "cheers", "best", "respectfully", "cordially",
    ]

    /// A capitalised word that can be part of a name: "Jane", "O'Brien", "Smith-Jones", "Nguyễn" (any letter after the first).
    private func nameWord(_ token: Token) -> String? {
        var t = bytes[token.range]
        while let last = t.last, last == UInt8(ascii: ",") || last == UInt8(ascii: ".") || last == UInt8(ascii: ":") { t = t.dropLast() }
        guard t.count >= 2, let first = t.first, ASCII.isUpper(first) || Self.startsWithCapital(t) else { return nil }
        // Letters, apostrophes, hyphens and the dots of initials ("H.-Dieter", "J.R.").
        guard t.dropFirst().allSatisfy({ ASCII.isLowerLetter($0) || ASCII.isUpper($0) || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 >= 0x80 }) else { return nil }
        // All capitals ("ICU", "MRI") is an acronym, not a name.
        guard t.dropFirst().contains(where: { ASCII.isLowerLetter($0) || $0 >= 0x80 }) else { return nil }
        return String(decoding: t, as: UTF8.self).lowercased()
    }

    static let nameParticles: Set<String> = ["de", "del", "della", "di", "da", "do", "dos", "van", "der", "den", "von", "le", "la", "bin", "al", "ter", "du", "y"]

    /// A word whose first letter is a capital outside ASCII ("Édouard", "Øyvind").
    private static func startsWithCapital(_ t: ArraySlice<UInt8>) -> Bool {
        guard let first = t.first, first >= 0xC0 else { return false }
        return String(decoding: t.prefix(4), as: UTF8.self).unicodeScalars.first?.properties.isUppercase ?? false
    }

    /// Up to four name words from token `n` on (particles such as "de", "van" between them); stops at a word that ends a clause.
    private func nameWords(_ tokens: [Token], from n: Int) -> (words: [String], end: Int)? {
        var words: [String] = []
        var end = 0
        var m = n
        while m < tokens.count, words.count < 4 {
            let particle = !words.isEmpty && Self.nameParticles.contains(String(decoding: lower[tokens[m].range], as: UTF8.self))
            if particle, m + 1 < tokens.count, nameWord(tokens[m + 1]) != nil {
                m += 1
                continue
            }
            guard let word = nameWord(tokens[m]) else { break }
            words.append(word)
            end = tokens[m].range.upperBound
            let last = bytes[tokens[m].range.upperBound - 1]
            m += 1
            if last == UInt8(ascii: ",") { break }
        }
        guard !words.isEmpty else { return nil }
        while end > 0, bytes[end - 1] == UInt8(ascii: ",") || bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        return (words, end)
    }

    /// "Mr. Okafor", "Dr Jane Smith"; "Patient: Jane Doe", "patient John Smith"; a signature after "Regards,".
    mutating func scanPersonNames(_ tokens: [Token]) {
        var n = 0
        while n < tokens.count {
            defer { n += 1 }
            let token = tokens[n]
            guard token.range.count <= 16 else { continue }
            var cue = String(decoding: lower[token.range], as: UTF8.self)
            while cue.hasSuffix(".") || cue.hasSuffix(":") || cue.hasSuffix(",") { cue.removeLast() }
            let start = token.range.lowerBound
            // A title, capitalised as titles are: any capitalised words after it.
            if Self.nameTitles.contains(cue), ASCII.isUpper(bytes[start]), let (words, end) = nameWords(tokens, from: n + 1),
               !(words.count == 1 && NameGazetteer.commonWords.contains(words[0]) && !NameGazetteer.surnames.contains(words[0]))
            {
                add(.personName, start..<end)
                continue
            }
            // A label (two-word labels too: "account holder"), then name-like capitalised words.
            var label = cue
            var next = n + 1
            if !Self.nameLabels.contains(label), n + 1 < tokens.count {
                var second = String(decoding: lower[tokens[n + 1].range], as: UTF8.self)
                while second.hasSuffix(":") || second.hasSuffix(",") { second.removeLast() }
                label = cue + " " + second
                next = n + 2
            }
            if Self.nameLabels.contains(label) || label == "my name is" || Self.closings.contains(label) {
                let isClosing = Self.closings.contains(label)
                // A closing is a signature only at the end of a line ("Regards,\nJane Doe").
                if isClosing {
                    // Then an optional comma and a line break.
                    var k = tokens[next - 1].range.upperBound
                    while k < bytes.count, bytes[k] == UInt8(ascii: ",") || bytes[k] == UInt8(ascii: " ") || bytes[k] == 0x0D { k += 1 }
                    guard k < bytes.count, bytes[k] == 0x0A else { continue }
                }
                if let (words, end) = nameWords(tokens, from: next), NameGazetteer.looksLikeName(words) {
                    add(.personName, tokens[next].range.lowerBound..<end)
                }
            } else if cue == "my", n + 3 < tokens.count {
                // "my name is Jane Doe"
                let rest = String(decoding: lower[tokens[n + 1].range.lowerBound..<tokens[n + 2].range.upperBound], as: UTF8.self)
                if rest == "name is", let (words, end) = nameWords(tokens, from: n + 3), NameGazetteer.looksLikeName(words) {
                    add(.personName, tokens[n + 3].range.lowerBound..<end)
                }
            }
        }
    }
}
