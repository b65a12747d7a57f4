import NIOCore
import Synchronization

/// Cancels a request's upstream work when its client disconnects.
///
/// Hummingbird does not cancel a handler when the connection closes, so each
/// connection gets one close callback (registered on its first request) that
/// runs the cancel action of whatever request is in flight on it.
final class DisconnectWatcher: Sendable {
    private struct State {
        var watched: Set<ObjectIdentifier> = []
        var actions: [ObjectIdentifier: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    /// Makes `action` the one to run if `channel` closes, until `clear(channel)`.
    func onDisconnect(of channel: any Channel, _ action: @escaping @Sendable () -> Void) {
        let id = ObjectIdentifier(channel)
        let isNew = state.withLock { state in
            state.actions[id] = action
            return state.watched.insert(id).inserted
        }
        guard isNew else { return }
        channel.closeFuture.whenComplete { _ in
            let action = self.state.withLock { state in
                state.watched.remove(id)
                return state.actions.removeValue(forKey: id)
            }
            action?()
        }
    }

    func clear(_ channel: any Channel) {
        _ = state.withLock { $0.actions.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Runs `body` on a task of its own that the client's disconnect cancels.
    nonisolated(nonsending) func run<T: Sendable>(on channel: any Channel, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        onDisconnect(of: channel) { task.cancel() }
        defer { clear(channel) }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
