import Synchronization

/// Counts what the test upstream served, so tests can see a request arrive
/// and see it go away when the gateway cancels it.
public final class UpstreamStats: Sendable {
    private let total = Atomic<Int>(0)
    private let active = Atomic<Int>(0)

    public init() {}

    public var requests: Int { total.load(ordering: .relaxed) }
    public var inFlight: Int { active.load(ordering: .relaxed) }

    func begin() {
        total.add(1, ordering: .relaxed)
        active.add(1, ordering: .relaxed)
    }

    func end() {
        active.subtract(1, ordering: .relaxed)
    }

    /// What arrived last at a mode: its headers (lower-case names) and body.
    public struct Received: Sendable {
        public var headers: [String: String]
        public var body: [UInt8]
    }

    private let received = Mutex<[String: Received]>([:])

    public func lastRequest(to mode: String) -> Received? {
        received.withLock { $0[mode] }
    }

    func record(_ request: Received, mode: String) {
        received.withLock { $0[mode] = request }
    }
}
