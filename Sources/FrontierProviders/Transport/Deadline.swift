/// Runs `operation`, failing with a timeout error of `phase` if it is not
/// done by `deadline`. The operation is cancelled when the time is up.
func withDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant,
    phase: UpstreamError.TimeoutPhase,
    milliseconds: Int,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(until: deadline, clock: .continuous)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw UpstreamError.timeout(phase: phase, milliseconds: milliseconds)
        }
        return value
    }
}
