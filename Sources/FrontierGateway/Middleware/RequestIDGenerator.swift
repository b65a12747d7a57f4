import Synchronization

/// Request ids: `frq_`, a random per-process prefix and a counter, in hex.
/// Unique across instances without coordination, and no system call per request.
final class RequestIDGenerator: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init() {
        var generator = SystemRandomNumberGenerator()
        let hex = String(generator.next() as UInt32, radix: 16)
        prefix = "frq_" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    func next() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        let hex = String(n, radix: 16)
        return prefix + String(repeating: "0", count: max(0, 10 - hex.count)) + hex
    }
}
