/// Cue words compared by hash rather than by String: the name and address
/// rules ask "is this token a title, a label, a street type?" for every
/// token of every prompt, and building a String for each costs more than the
/// rest of the scan. FNV-1a over the lower-cased bytes, a token's trailing
/// `.`, `:` and `,` left out.
enum WordHash {
    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of lower-cased bytes (as `PIIScan.lower` holds them), trailing punctuation left out.
    static func of(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        continuing(offset, bytes)
    }

    /// The hash of what `hash` covered, a space, then `bytes`: two-word cues ("account holder").
    static func joined(_ hash: UInt64, _ bytes: ArraySlice<UInt8>) -> UInt64 {
        continuing((hash ^ 0x20) &* prime, bytes)
    }

    private static func continuing(_ start: UInt64, _ bytes: ArraySlice<UInt8>) -> UInt64 {
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: ":") || bytes[end - 1] == UInt8(ascii: ",") {
            end -= 1
        }
        var h = start
        for b in bytes[bytes.startIndex..<end] { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    static func of(_ word: String) -> UInt64 {
        of(ArraySlice(word.lowercased().utf8))
    }

    static func set(_ words: some Sequence<String>) -> Set<UInt64> {
        Set(words.map { of($0) })
    }
}

/// A fixed set of word hashes, looked up without SipHash: open addressing in
/// a table four times the size of the set (the hashes are already FNV-mixed).
struct WordSet: Sendable {
    private let slots: [UInt64]
    private let shift: UInt64

    init(_ words: some Sequence<String>) {
        let hashes = Set(words.map { WordHash.of($0) }).map { $0 == 0 ? 1 : $0 }
        var bits: UInt64 = 4
        while (1 << bits) < max(16, hashes.count * 4) { bits += 1 }
        var slots = [UInt64](repeating: 0, count: 1 << bits)
        let shift = 64 - bits
        for hash in hashes {
            var slot = Int((hash &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = hash
        }
        self.slots = slots
        self.shift = shift
    }

    @inline(__always)
    func contains(_ hash: UInt64) -> Bool {
        let key = hash == 0 ? 1 : hash
        var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let value = slots[slot]
            if value == key { return true }
            if value == 0 { return false }
            slot = (slot + 1) & (slots.count - 1)
        }
    }
}

/// Bytes in a set, as a 256-entry table: one load instead of a hash.
struct ByteTable: Sendable {
    private let table: [Bool]

    init(_ bytes: String) {
        var table = [Bool](repeating: false, count: 256)
        for b in bytes.utf8 { table[Int(b)] = true }
        self.table = table
    }

    subscript(_ byte: UInt8) -> Bool { table[Int(byte)] }
}
