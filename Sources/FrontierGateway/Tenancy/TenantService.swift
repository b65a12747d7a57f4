public import ServiceLifecycle

/// Keeps the tenants' tables fresh beside the HTTP server: keys reloaded
/// every two seconds (so a key revoked on any instance stops working here
/// within that), budget spending written back twice a second, idle slices
/// returned. Listed before the server, it stops after it: at shutdown the
/// requests in flight have settled, and every slice goes back to the store.
public struct TenantService: Service {
    let tenancy: Tenancy
    let reloadInterval: Duration
    let flushInterval: Duration

    public init(tenancy: Tenancy, reloadInterval: Duration = .seconds(2), flushInterval: Duration = .milliseconds(500)) {
        self.tenancy = tenancy
        self.reloadInterval = reloadInterval
        self.flushInterval = flushInterval
    }

    public func run() async throws {
        var sinceReload = Duration.zero
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await Task.pause(for: flushInterval)
            await tenancy.budgets.flush(nowMs: Tenancy.wallClockMs())
            sinceReload += flushInterval
            if sinceReload >= reloadInterval {
                sinceReload = .zero
                try? await tenancy.directory.reload()
            }
        }
        await tenancy.budgets.flush(nowMs: Tenancy.wallClockMs(), final: true)
    }
}
