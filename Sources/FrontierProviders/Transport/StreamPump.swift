import AsyncHTTPClient
import FrontierCore
import Synchronization

/// Relays an upstream's event-stream body into a ``CompletionStream``, on its
/// own task so the first-token and total limits hold even while nobody reads.
/// Ending the consumer (a client that went away) cancels the upstream request.
enum StreamPump {
    static func start<Translator: StreamTranslator>(
        response: HTTPClientResponse,
        translator: Translator,
        timeouts: Timeouts,
        started: ContinuousClock.Instant
    ) -> CompletionStream {
        let (events, continuation) = AsyncThrowingStream<StreamEvent, any Error>.makeStream()
        let task = Task {
                let sawFirstEvent = FirstEventFlag()
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            var translator = translator
                            var parser = ServerSentEventParser()
                            for try await buffer in response.body {
                                for event in parser.feed(buffer.readableBytesView) {
                                    sawFirstEvent.set()
                                    for output in try translator.translate(event) { continuation.yield(output) }
                                }
                            }
                            if let event = parser.finish() {
                                for output in try translator.translate(event) { continuation.yield(output) }
                            }
                            for output in try translator.finish() { continuation.yield(output) }
                        }
                        group.addTask {
                            try await Task.sleep(until: started + .milliseconds(min(timeouts.firstTokenMs, timeouts.totalMs)), clock: .continuous)
                            if !sawFirstEvent.isSet {
                                throw UpstreamError.timeout(phase: .firstToken, milliseconds: timeouts.firstTokenMs)
                            }
                            try await Task.sleep(until: started + .milliseconds(timeouts.totalMs), clock: .continuous)
                            throw UpstreamError.timeout(phase: .total, milliseconds: timeouts.totalMs)
                        }
                        defer { group.cancelAll() }
                        try await group.next()
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: UpstreamHTTP.map(error, timeouts: timeouts, phase: .total))
                }
            }
        continuation.onTermination = { _ in task.cancel() }
        return CompletionStream(events: events, cancel: { task.cancel() })
    }
}

private final class FirstEventFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
