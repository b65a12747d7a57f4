/// A seeded FNV-1a hash of a string, finished with a mixer: the same id and
/// seed give the same value on every machine and run. Deterministic splits of
/// outcome data, experiment arms and the exploration sample all read it.
public enum SeededHash {
    public static func of(_ id: String, seed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (seed &* 0x9e37_79b9_7f4a_7c15)
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }

    /// The hash of `id` as a fraction in [0, 1): below a share means "in the sample".
    public static func fraction(_ id: String, seed: UInt64) -> Double {
        Double(of(id, seed: seed) >> 11) / Double(UInt64(1) << 53)
    }
}
