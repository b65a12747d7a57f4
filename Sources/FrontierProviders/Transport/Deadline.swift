import NIOCore
import Synchronization

/// Runs `operation` on a task of its own that is cancelled at `deadline`,
/// failing with a timeout error of `phase`.
///
/// The timer is an event-loop scheduled task, removed as soon as the
/// operation ends. (A `Task.sleep` racing the operation would keep its timer,
/// and the memory it holds, until the deadline even when cancelled: with a
/// 5-minute total limit that is a leak under load.)
func withDeadline<T: Sendable>(
    _ deadline: NIODeadline,
    on eventLoop: any EventLoop,
    phase: UpstreamError.TimeoutPhase,
    milliseconds: Int,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let task = Task { try await operation() }
    let fired = TimerFlag()
    let timer = eventLoop.scheduleTask(deadline: deadline) {
        fired.set()
        task.cancel()
    }
    defer { timer.cancel() }
    do {
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    } catch {
        if fired.isSet { throw UpstreamError.timeout(phase: phase, milliseconds: milliseconds) }
        throw error
    }
}

/// Set once by a timer, read by the code it interrupted.
final class TimerFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
