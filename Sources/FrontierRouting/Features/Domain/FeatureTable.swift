/// An open-addressing hash map from feature hashes to row numbers.
///
/// The keys are already FNV-1a hashes, so they index the table directly:
/// no second hash, no per-lookup hashing state (a `Dictionary<UInt64, _>`
/// runs SipHash on every lookup, which was most of classification time).
/// Each slot is one word: the hash's top 40 bits beside the row + 1 in the
/// low 24 bits, so a lookup touches one cache line, not two. Two features
/// alike in their top 40 bits and probed in the same run would share a row:
/// about one chance in 10^12 per lookup, and a classifier can live with it.
struct FeatureTable: Sendable {
    private let slots: [UInt64]
    private let mask: Int
    /// Rows are stored in 24 bits, beside the hash's fingerprint.
    static let maximumRows = (1 << 24) - 1

    init(_ entries: [UInt64: Int32]) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        var slots = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (key, row) in entries where row < Self.maximumRows {
            var slot = Self.slot(key, mask)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Self.fingerprint(key) | UInt64(row + 1)
        }
        self.slots = slots
        self.mask = mask
    }

    @inline(__always)
    func row(_ key: UInt64) -> Int32? {
        let print = Self.fingerprint(key)
        var slot = Self.slot(key, mask)
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let entry = slots[slot]
                if entry == 0 { return nil }
                if entry & ~0xFF_FFFF == print { return Int32(truncatingIfNeeded: entry & 0xFF_FFFF) - 1 }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    static func fingerprint(_ key: UInt64) -> UInt64 { key & ~0xFF_FFFF }

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: key ^ (key >> 29)) & mask }

    /// Zero marks an empty slot in scratch tables keyed by the whole hash, so a zero hash is stored as one.
    @inline(__always)
    static func nonZero(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }
}
