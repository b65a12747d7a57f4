import Synchronization

/// The gateway's open connections and requests in flight, shared by every
/// connection's guard: admission is one atomic step, so the limits hold
/// under any concurrency.
final class GatewayLoad: Sendable {
    let maxConnections: Int
    let maxRequests: Int
    private let connectionCount = Atomic<Int>(0)
    private let requestCount = Atomic<Int>(0)

    init(maxConnections: Int, maxRequests: Int) {
        self.maxConnections = maxConnections
        self.maxRequests = maxRequests
    }

    var connections: Int { connectionCount.load(ordering: .relaxed) }
    var requests: Int { requestCount.load(ordering: .relaxed) }

    /// Takes a connection slot if one is free.
    func openConnection() -> Bool {
        Self.acquire(connectionCount, limit: maxConnections)
    }

    func closeConnection() {
        connectionCount.subtract(1, ordering: .relaxed)
    }

    /// Takes a request slot if one is free.
    func startRequest() -> Bool {
        Self.acquire(requestCount, limit: maxRequests)
    }

    func endRequests(_ count: Int = 1) {
        guard count > 0 else { return }
        requestCount.subtract(count, ordering: .relaxed)
    }

    private static func acquire(_ counter: borrowing Atomic<Int>, limit: Int) -> Bool {
        var current = counter.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = counter.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }
}
