import Dispatch
import ServiceLifecycle

/// Runs a service's tasks on a Dispatch queue instead of NIO's event loops
/// (which main.swift makes the global executor). swift-otel's OTLP/HTTP
/// exporter shuts its HTTP client down in `deinit` with `syncShutdown()`,
/// which traps when the last reference goes on an event loop: the exporter
/// services drop it when they stop, so they stop here.
struct OffLoopService: Service {
    let service: any Service

    func run() async throws {
        try await withTaskExecutorPreference(DispatchTaskExecutor.shared) {
            try await service.run()
        }
    }
}

/// A task executor on a concurrent Dispatch queue.
final class DispatchTaskExecutor: TaskExecutor {
    static let shared = DispatchTaskExecutor()
    private let queue = DispatchQueue(label: "frontier.telemetry", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
