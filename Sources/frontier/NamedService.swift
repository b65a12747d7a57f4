import Logging
import ServiceLifecycle
import Synchronization

/// A service the shutdown can name: the group cancels services only when the drain outlasts
/// `gateway.limits.shutdown_timeout_ms` (or one fails), so a cancelled service is the one that hung.
struct NamedService: Service {
    let name: String
    let service: any Service
    let cancelled: CancelledServices

    func run() async throws {
        try await withTaskCancellationHandler {
            try await service.run()
        } onCancel: {
            cancelled.add(name)
        }
    }
}

/// The services a shutdown had to cancel, for the warning and the exit code.
final class CancelledServices: Sendable {
    private let names = Mutex<[String]>([])

    func add(_ name: String) { names.withLock { $0.append(name) } }
    var all: [String] { names.withLock { $0 } }
}
