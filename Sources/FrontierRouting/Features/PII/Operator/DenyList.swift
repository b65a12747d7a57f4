/// Exact terms an operator knows are sensitive (`privacy.deny_lists[]`: patient names, matter codes, internal
/// project names), matched as whole words after the same normalisation the detector applies to prompts.
///
/// Only hashes are kept: each term's words, lower-cased, hashed with a key drawn at start, so the list is not in
/// memory as text and no log line, ledger record or metric can carry one of its terms (a finding names the list's
/// category, never the term). A term is up to ``maxWords`` words; between two words of a term the text may have
/// any run of up to three spaces or punctuation marks ("Jane Doe", "Jane  Doe", "Doe, Jane" if listed so).
public struct DenyList: Sendable {
    public let name: String
    public let category: PIICategory
    /// How many distinct terms the list holds.
    public let count: Int
    let terms: HashSet64
    /// The hash of each term's first word: most words of a prompt stop at one lookup here.
    let firstWords: HashSet64
    /// A bit per slot of a filter over the first words' hashes, about 16 bits a term (at most 128 KiB): it stays
    /// in cache where the hash table would not, and turns away most words before the table is read.
    let firstWordBits: [UInt64]
    let firstWordShift: UInt64
    let maxTermWords: Int
    let key: UInt64

    public static let maxWords = 8

    /// Lines that hold a term, one a line; blank lines are skipped. `key` is for tests: the hash key (random by default).
    public init(name: String, category: PIICategory, lines: some Sequence<Substring>, key: UInt64 = UInt64.random(in: 1...UInt64.max)) throws(DenyListError) {
        self.name = name
        self.category = category
        self.key = key
        var terms: [UInt64] = []
        var firstWords: [UInt64] = []
        var longest = 1
        for (n, line) in lines.enumerated() {
            let normalized = NormalizedText(String(line)).bytes.map { $0 &- 65 < 26 ? $0 | 0x20 : $0 }
            let words = Self.words(in: normalized)
            guard let first = words.first else { continue }
            // The line number only: the term itself is never in a message.
            guard words.count <= Self.maxWords else { throw DenyListError(message: "line \(n + 1) holds \(words.count) words; a term is at most \(Self.maxWords)") }
            var hash = Self.hash(key, normalized[first])
            firstWords.append(hash)
            for word in words.dropFirst() { hash = Self.joined(hash, normalized[word]) }
            terms.append(hash)
            longest = max(longest, words.count)
        }
        self.terms = HashSet64(terms)
        self.firstWords = HashSet64(firstWords)
        var log2Bits: UInt64 = 10
        while log2Bits < 20, (1 << log2Bits) < firstWords.count * 16 { log2Bits += 1 }
        var bits = [UInt64](repeating: 0, count: 1 << (log2Bits - 6))
        for hash in firstWords {
            let bit = Int(truncatingIfNeeded: (hash &* Self.mixer) >> (64 - log2Bits))
            bits[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        self.firstWordBits = bits
        self.firstWordShift = 64 - log2Bits
        self.count = self.terms.count
        self.maxTermWords = longest
    }

    /// The word ranges of lower-cased normalised bytes: runs of letters, digits and non-ASCII bytes.
    static func words(in bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            guard isWordByte(bytes[i]) else { i += 1; continue }
            let start = i
            while i < bytes.count, isWordByte(bytes[i]) { i += 1 }
            out.append(start..<i)
        }
        return out
    }

    static let mixer: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool { ASCII.isAlnum(b) || b >= 0x80 }

    @inline(__always)
    static func hash(_ key: UInt64, _ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h = WordHash.offset ^ key
        for b in bytes { h = (h ^ UInt64(b)) &* WordHash.prime }
        return h
    }

    @inline(__always)
    static func joined(_ hash: UInt64, _ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h = (hash ^ 0x20) &* WordHash.prime
        for b in bytes { h = (h ^ UInt64(b)) &* WordHash.prime }
        return h
    }

    /// The terms in lower-cased normalised `text`, longest first at each start, as byte ranges.
    func matches(in text: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        let shift = firstWordShift
        firstWordBits.withUnsafeBufferPointer { bits in
        text.withUnsafeBufferPointer { text in
            var i = 0
            let n = text.count
            while i < n {
                guard Self.isWordByte(text[i]) else { i += 1; continue }
                let start = i
                var h = WordHash.offset ^ key
                while i < n, Self.isWordByte(text[i]) {
                    h = (h ^ UInt64(text[i])) &* WordHash.prime
                    i += 1
                }
                // Words only start after a non-word byte, so `i` is past this one whatever follows.
                let bit = Int(truncatingIfNeeded: (h &* Self.mixer) >> shift)
                guard bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0, firstWords.contains(h) else { continue }
                var end = terms.contains(h) ? i : -1
                var j = i
                for _ in 1..<maxTermWords {
                    // Up to three separators, then the next word.
                    var gap = 0
                    while j < n, !Self.isWordByte(text[j]), gap < 4 { j += 1; gap += 1 }
                    guard j < n, gap >= 1, gap <= 3, Self.isWordByte(text[j]) else { break }
                    h = (h ^ 0x20) &* WordHash.prime
                    while j < n, Self.isWordByte(text[j]) {
                        h = (h ^ UInt64(text[j])) &* WordHash.prime
                        j += 1
                    }
                    if terms.contains(h) { end = j }
                }
                if end > 0 {
                    found.append(start..<end)
                    i = end
                }
            }
        }
        }
        return found
    }
}

public struct DenyListError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A fixed set of 64-bit hashes, open addressing in a table at least twice its size.
struct HashSet64: Sendable {
    private let slots: [UInt64]
    private let mask: Int
    let count: Int

    init(_ hashes: [UInt64]) {
        let distinct = Set(hashes.map { $0 == 0 ? 1 : $0 })
        var size = 16
        while size < distinct.count * 2 { size <<= 1 }
        var slots = [UInt64](repeating: 0, count: size)
        for hash in distinct {
            var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = hash
        }
        self.slots = slots
        self.mask = size - 1
        self.count = distinct.count
    }

    @inline(__always)
    func contains(_ hash: UInt64) -> Bool {
        let key = hash == 0 ? 1 : hash
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while true {
            let value = slots[slot]
            if value == key { return true }
            if value == 0 { return false }
            slot = (slot + 1) & mask
        }
    }
}
