/// An open-addressing hash map from feature hashes to row numbers.
///
/// The keys are already FNV-1a hashes, so they index the table directly:
/// no second hash, no per-lookup hashing state (a `Dictionary<UInt64, _>`
/// runs SipHash on every lookup, which was most of classification time).
struct FeatureTable: Sendable {
    private let keys: [UInt64]
    private let rows: [Int32]
    private let mask: Int

    init(_ entries: [UInt64: Int32]) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        var keys = [UInt64](repeating: 0, count: capacity)
        var rows = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for (key, row) in entries {
            let stored = Self.nonZero(key)
            var slot = Self.slot(stored, mask)
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = stored
            rows[slot] = row
        }
        self.keys = keys
        self.rows = rows
        self.mask = mask
    }

    @inline(__always)
    func row(_ key: UInt64) -> Int32? {
        let stored = Self.nonZero(key)
        var slot = Self.slot(stored, mask)
        while true {
            let k = keys[slot]
            if k == stored { return rows[slot] }
            if k == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// Zero marks an empty slot, so a zero hash is stored as one.
    @inline(__always)
    static func nonZero(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: key ^ (key >> 29)) & mask }
}
