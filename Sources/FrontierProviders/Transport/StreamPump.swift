import AsyncAlgorithms
import AsyncHTTPClient
import FrontierCore
import NIOCore

/// Relays an upstream's event-stream body into a ``CompletionStream``, on its
/// own task so the first-token and total limits hold even while nobody reads.
/// Ending the consumer (a client that went away) cancels the upstream request.
///
/// Backpressure end to end: the events of one upstream read are handed over
/// together (``StreamEvents``), only when the consumer asks for more, so while
/// a slow client's socket is full the pump stops reading the upstream body,
/// AsyncHTTPClient stops reading its socket, and the upstream slows down. What
/// one stream holds is bounded by the SSE parser's event limit and
/// AsyncHTTPClient's own buffer (one read's events a batch), whatever the speeds.
enum StreamPump {
    static func start<Translator: StreamTranslator>(
        response: HTTPClientResponse,
        translator: Translator,
        timeouts: Timeouts,
        started: NIODeadline,
        eventLoop: any EventLoop,
        limits: UpstreamLimits
    ) -> CompletionStream {
        let channel = AsyncThrowingChannel<[StreamEvent], any Error>()
        let sawFirstEvent = TimerFlag()
        let firstTokenExpired = TimerFlag()
        let totalExpired = TimerFlag()
        let task = Task {
            var translator = translator
            var parser = ServerSentEventParser(maxEventBytes: limits.maxStreamEventBytes)
            do {
                for try await buffer in response.body {
                    var batch: [StreamEvent] = []
                    for event in try parser.feed(buffer.readableBytesView) {
                        sawFirstEvent.set()
                        batch += try translator.translate(event)
                    }
                    if !batch.isEmpty { await channel.send(batch) }
                    try Task.checkCancellation()
                }
                var last: [StreamEvent] = []
                if let event = parser.finish() { last += try translator.translate(event) }
                last += try translator.finish()
                if !last.isEmpty { await channel.send(last) }
                channel.finish()
            } catch {
                let failure: UpstreamError
                if firstTokenExpired.isSet {
                    failure = .timeout(phase: .firstToken, milliseconds: timeouts.firstTokenMs)
                } else if totalExpired.isSet {
                    failure = .timeout(phase: .total, milliseconds: timeouts.totalMs)
                } else if let tooLong = error as? ServerSentEventParser.EventTooLong {
                    failure = .malformed("an event-stream event longer than \(tooLong.limit) bytes (gateway.limits.max_stream_event_bytes)")
                } else {
                    failure = UpstreamHTTP.map(error, timeouts: timeouts, phase: .total)
                }
                channel.fail(failure.redacted(limits.redactor))
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
        Task {
            // The timers go as soon as the pump ends, however it ends.
            _ = await task.result
            firstTokenTimer.cancel()
            totalTimer.cancel()
        }
        return CompletionStream(batches: channel, cancel: { task.cancel() })
    }
}
