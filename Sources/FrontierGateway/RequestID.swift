/// Request ids: `frq_` and 16 random hex digits, unique enough to find a
/// request in logs and the ledger without a coordination point.
enum RequestID {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return "frq_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
