/// Identifiers made of letters and digits (the UK National Insurance number),
/// and person names where the text marks them as names.
extension PIIScan {
    static let ninoContext = Keywords(["national insurance", "ni number", "ni no", "nino", "n.i."])
    /// Letters the first and second place of a NI number never take, and prefixes never issued.
    static let ninoBadFirst = ByteTable("dfiquv")
    static let ninoBadSecond = ByteTable("dfioquv")
    static let ninoBadPrefixes: Set<[UInt8]> = Set(["bg", "gb", "nk", "kn", "tn", "nt", "zz"].map { Array($0.utf8) })

    /// "AB123456C", "AB 12 34 56 C": two letters, six digits (in pairs or not), a suffix letter.
    /// In lower case only after a cue ("NI number").
    mutating func scanUKNationalInsurance(_ tokens: [Token]) {
        for token in tokens {
            let i = token.range.lowerBound
            guard i + 9 <= lower.count else { break }
            let a = lower[i], b = lower[i + 1]
            // A NI number starts a token: two letters, then a digit (or a space before the digits).
            guard ASCII.isLowerLetter(a), ASCII.isLowerLetter(b), ASCII.isDigit(lower[i + 2]) || lower[i + 2] == UInt8(ascii: " ") || lower[i + 2] == 0x0A
            else { continue }
            // Prefixes never issued ("ZZ", "QQ") are what examples and test data use: the spaced
            // canonical form is a NI number all the same; a run of letters and digits is one only when valid.
            let prefixValid = !Self.ninoBadFirst[a] && !Self.ninoBadSecond[b] && !Self.ninoBadPrefixes.contains([a, b])
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
            let upperCase = upperCaseOnly(i, j)
            guard valid, upperCase || context(before: i, window: 30, Self.ninoContext) else { continue }
            if !isClaimed(i..<(j + 1)) { add(.ukNationalInsurance, i..<(j + 1)) }
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
            let particle = !words.isEmpty && Self.particleHashes.contains(wordHashes[m])
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

    static let titleHashes = WordSet(nameTitles)
    static let labelHashes = WordSet(nameLabels.union(["my name is"]))
    static let closingHashes = WordSet(closings)
    static let particleHashes = WordSet(nameParticles)
    /// First words of the two-word cues, so only they pay for a second hash.
    static let pairStartHashes = WordSet((nameLabels.union(closings).union(["my name"])).compactMap { $0.split(separator: " ").count > 1 ? String($0.split(separator: " ")[0]) : nil })
    static let myNameHash = WordHash.of("my name")
    static let isHash = WordHash.of("is")
    /// First bytes of every cue word: most tokens are dismissed with one lookup.
    static let cueFirstBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for word in nameTitles.union(nameLabels).union(closings).union(["my"]) { table[Int(word.utf8.first ?? 0)] = true }
        return table
    }()

    /// "Mr. Okafor", "Dr Jane Smith"; "Patient: Jane Doe", "patient John Smith"; a signature after "Regards,".
    mutating func scanPersonNames(_ tokens: [Token]) {
        let firstBytes = Self.cueFirstBytes, titles = Self.titleHashes, labels = Self.labelHashes, closings = Self.closingHashes
        let pairStarts = Self.pairStartHashes
        var n = 0
        while n < tokens.count {
            defer { n += 1 }
            let token = tokens[n]
            guard token.range.count <= 16, firstBytes[Int(lower[token.range.lowerBound])] else { continue }
            // Every cue is followed, within three words, by a capitalised one, or ends its line: most
            // tokens of prose are not, and are passed over without a hash.
            func capitalised(_ k: Int) -> Bool { k < tokens.count && (ASCII.isUpper(bytes[tokens[k].range.lowerBound]) || bytes[tokens[k].range.lowerBound] >= 0xC0) }
            let end = token.range.upperBound
            let endsLine = end < bytes.count && (bytes[end] == UInt8(ascii: ",") || bytes[end] == 0x0A)
            guard capitalised(n + 1) || capitalised(n + 2) || capitalised(n + 3) || endsLine || (n + 1 < tokens.count && tokens[n + 1].range.upperBound < bytes.count
                && (bytes[tokens[n + 1].range.upperBound] == UInt8(ascii: ",") || bytes[tokens[n + 1].range.upperBound] == 0x0A))
            else { continue }
            let cue = wordHashes[n]
            let start = token.range.lowerBound
            // A title, capitalised as titles are: any capitalised words after it.
            if titles.contains(cue), ASCII.isUpper(bytes[start]), let (words, end) = nameWords(tokens, from: n + 1),
               !(words.count == 1 && NameGazetteer.commonWords.contains(words[0]) && !NameGazetteer.surnames.contains(words[0]))
            {
                add(.personName, start..<end)
                continue
            }
            // A label (two-word labels too: "account holder", "my name is"), then name-like capitalised words.
            var label = cue
            var next = n + 1
            if !labels.contains(cue), !closings.contains(cue), pairStarts.contains(cue), n + 1 < tokens.count {
                label = WordHash.joined(cue, lower[tokens[n + 1].range])
                next = n + 2
                if label == Self.myNameHash, next < tokens.count, wordHashes[next] == Self.isHash {
                    label = WordHash.of("my name is")
                    next += 1
                }
            }
            let isClosing = closings.contains(label)
            guard isClosing || labels.contains(label) else { continue }
            // A closing is a signature only at the end of a line ("Regards,\nJane Doe").
            if isClosing {
                // Then an optional comma and a line break.
                var k = tokens[next - 1].range.upperBound
                while k < bytes.count, bytes[k] == UInt8(ascii: ",") || bytes[k] == UInt8(ascii: " ") || bytes[k] == 0x0D { k += 1 }
                guard k < bytes.count, bytes[k] == 0x0A else { continue }
            }
            if next < tokens.count, let (words, end) = nameWords(tokens, from: next), NameGazetteer.looksLikeName(words) {
                add(.personName, tokens[next].range.lowerBound..<end)
            }
        }
    }
}
