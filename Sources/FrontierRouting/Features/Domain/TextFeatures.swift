/// The bag of features a text classifier sees: lower-cased ASCII words of
/// two or more letters, and adjacent word pairs, as 64-bit FNV-1a hashes.
/// Digits are left out: numbers say little about the domain of a question.
enum TextFeatures {
    static func hashes(of text: String) -> Set<UInt64> {
        Set(distinctHashes(of: text))
    }

    /// The same features as an array without repeats, deduplicated in a scratch
    /// open-addressing table (cheaper than a `Set` on the request path).
    static func distinctHashes(of text: String) -> [UInt64] {
        var capacity = 64
        while capacity < text.utf8.count { capacity <<= 1 }
        var seen = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        var features: [UInt64] = []
        features.reserveCapacity(text.utf8.count / 3)
        func insert(_ hash: UInt64) {
            let key = FeatureTable.nonZero(hash)
            var slot = FeatureTable.slot(key, mask)
            while seen[slot] != 0 {
                if seen[slot] == key { return }
                slot = (slot + 1) & mask
            }
            seen[slot] = key
            features.append(hash)
        }
        var previous: UInt64?
        var hash: UInt64 = 0
        var length = 0
        func endWord() {
            if length >= 2 {
                insert(hash)
                if let previous { insert(pair(previous, hash)) }
                previous = hash
            }
            hash = offset
            length = 0
        }
        hash = offset
        for byte in text.utf8 {
            var b = byte
            if b >= 65 && b <= 90 { b += 32 }
            if (b >= 97 && b <= 122) || (b == 39 && length > 0) {
                hash = (hash ^ UInt64(b)) &* prime
                length += 1
            } else if b >= 48 && b <= 57, length > 0 {
                continue  // "h2o" -> "ho": keep the word, drop the digits
            } else {
                endWord()
            }
        }
        endWord()
        return features
    }

    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    static func pair(_ a: UInt64, _ b: UInt64) -> UInt64 {
        (a &* 31 &+ b) ^ 0x9e37_79b9_7f4a_7c15
    }
}
