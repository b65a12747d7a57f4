import AsyncHTTPClient
import FrontierCore
import NIOCore

/// Relays an upstream's event-stream body into a ``CompletionStream``, on its
/// own task so the first-token and total limits hold even while nobody reads.
/// Ending the consumer (a client that went away) cancels the upstream request.
enum StreamPump {
    static func start<Translator: StreamTranslator>(
        response: HTTPClientResponse,
        translator: Translator,
        timeouts: Timeouts,
        started: NIODeadline,
        eventLoop: any EventLoop
    ) -> CompletionStream {
        let (events, continuation) = AsyncThrowingStream<StreamEvent, any Error>.makeStream()
        let sawFirstEvent = TimerFlag()
        let firstTokenExpired = TimerFlag()
        let totalExpired = TimerFlag()
        let task = Task {
            var translator = translator
            var parser = ServerSentEventParser()
            do {
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
                continuation.finish()
            } catch {
                if firstTokenExpired.isSet {
                    continuation.finish(throwing: UpstreamError.timeout(phase: .firstToken, milliseconds: timeouts.firstTokenMs))
                } else if totalExpired.isSet {
                    continuation.finish(throwing: UpstreamError.timeout(phase: .total, milliseconds: timeouts.totalMs))
                } else {
                    continuation.finish(throwing: UpstreamHTTP.map(error, timeouts: timeouts, phase: .total))
                }
            }
        }
        // Event-loop timers rather than sleeping tasks: cancelled with the stream, they free at once.
        let firstTokenTimer = eventLoop.scheduleTask(deadline: started + .milliseconds(Int64(min(timeouts.firstTokenMs, timeouts.totalMs)))) {
            if !sawFirstEvent.isSet {
                firstTokenExpired.set()
                task.cancel()
            }
        }
        let totalTimer = eventLoop.scheduleTask(deadline: started + .milliseconds(Int64(timeouts.totalMs))) {
            totalExpired.set()
            task.cancel()
        }
        continuation.onTermination = { _ in
            firstTokenTimer.cancel()
            totalTimer.cancel()
            task.cancel()
        }
        return CompletionStream(events: events, cancel: { task.cancel() })
    }
}
