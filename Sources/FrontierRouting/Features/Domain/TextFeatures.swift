/// The bag of features a text classifier sees: lower-cased ASCII words of
/// two or more letters, and adjacent word pairs, as 64-bit FNV-1a hashes.
/// Digits are left out: numbers say little about the domain of a question.
public enum TextFeatures {
    static func hashes(of text: String) -> Set<UInt64> {
        Set(distinctHashes(of: text))
    }

    /// The same features as an array without repeats, deduplicated in a scratch
    /// open-addressing table (cheaper than a `Set` on the request path).
    public static func distinctHashes(of text: String) -> [UInt64] {
        var text = text
        return text.withUTF8 { bytes in
            var capacity = 64
            while capacity < bytes.count { capacity <<= 1 }
            var features: [UInt64] = []
            features.reserveCapacity(bytes.count / 3)
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { seen in
                seen.initialize(repeating: 0)
                var words = WordHasher()
                for byte in bytes {
                    guard let word = words.consume(byte) else { continue }
                    add(word, to: &features, seen)
                }
                if let word = words.finish() { add(word, to: &features, seen) }
            }
            return features
        }
    }

    @inline(__always)
    private static func add(_ word: WordHasher.Word, to features: inout [UInt64], _ seen: UnsafeMutableBufferPointer<UInt64>) {
        if insert(word.hash, seen) { features.append(word.hash) }
        if let pair = word.pairHash, insert(pair, seen) { features.append(pair) }
    }

    /// Whether `hash` was new to `seen` (a power-of-two open-addressing table).
    @inline(__always)
    private static func insert(_ hash: UInt64, _ seen: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let key = FeatureTable.nonZero(hash)
        let mask = seen.count - 1
        var slot = FeatureTable.slot(key, mask)
        while seen[slot] != 0 {
            if seen[slot] == key { return false }
            slot = (slot + 1) & mask
        }
        seen[slot] = key
        return true
    }

    /// Hashes words byte by byte: lower-cased ASCII letters (and inner
    /// apostrophes), digits inside a word dropped, words under two letters skipped.
    struct WordHasher {
        struct Word {
            var hash: UInt64
            /// The hash of this word and the one before it, if any.
            var pairHash: UInt64?
        }

        private var previous: UInt64?
        private var hash = offset
        private var length = 0

        @inline(__always)
        mutating func consume(_ byte: UInt8) -> Word? {
            var b = byte
            if b &- 65 < 26 { b += 32 }
            if b &- 97 < 26 || (b == 39 && length > 0) {
                hash = (hash ^ UInt64(b)) &* prime
                length += 1
                return nil
            }
            if b &- 48 < 10, length > 0 { return nil }  // "h2o" -> "ho": keep the word, drop the digits
            return finish()
        }

        mutating func finish() -> Word? {
            defer {
                hash = offset
                length = 0
            }
            guard length >= 2 else { return nil }
            let word = Word(hash: hash, pairHash: previous.map { pair($0, hash) })
            previous = hash
            return word
        }
    }

    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    static func pair(_ a: UInt64, _ b: UInt64) -> UInt64 {
        (a &* 31 &+ b) ^ 0x9e37_79b9_7f4a_7c15
    }
}
